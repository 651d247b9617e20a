"""Saving charts through the shared Agg renderer gives the bytes of a figure saved on its own."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from cchc_analysis import chart_base  # noqa: E402


def _figure(title: str, values: list[float]) -> plt.Figure:
    fig, ax = plt.subplots(figsize=chart_base.FIGSIZE)
    ax.bar(range(len(values)), values, color="#2b5c8a")
    ax.set_title(title)
    fig.suptitle("Tỷ lệ hồ sơ trực tuyến")
    fig.patch.set_alpha(0.0)  # a see-through background: pixels left over by an earlier chart would show
    return fig


def _alone(fig: plt.Figure) -> bytes:
    """PNG bytes of ``fig`` drawn on a canvas and renderer of its own, with save_figure's options."""
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    with chart_base.style():
        fig.savefig(out, format="png", dpi=chart_base.PNG_DPI, metadata={"Software": None},
                    pil_kwargs={"compress_level": 1})
    return out.getvalue()


def test_second_chart_on_shared_renderer_has_its_own_pixels(tmp_path):
    # a first chart with other texts and a dark, full-height bar leaves its pixels in the renderer
    chart_base.save_figure(_figure("Năm 2024 " * 8, [1.0, 1.0, 1.0]), tmp_path, "first")
    expected = _alone(_figure("Quý III/2025", [0.2, 0.5]))
    png, _svg = chart_base.save_figure(_figure("Quý III/2025", [0.2, 0.5]), tmp_path, "second")
    assert png.read_bytes() == expected


def test_charts_of_one_size_share_one_renderer(tmp_path):
    chart_base.save_figure(_figure("A", [1.0]), tmp_path, "a")
    shared = dict(chart_base._SharedRendererCanvas._renderers)
    width, height = (round(v * chart_base.PNG_DPI) for v in chart_base.FIGSIZE)
    assert (width, height, float(chart_base.PNG_DPI)) in shared
    chart_base.save_figure(_figure("B", [2.0]), tmp_path, "b")
    assert chart_base._SharedRendererCanvas._renderers.keys() == shared.keys()
    assert all(chart_base._SharedRendererCanvas._renderers[k] is r for k, r in shared.items())
