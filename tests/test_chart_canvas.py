"""Saving charts through the shared Agg renderer gives the bytes of a figure saved on its own."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from PIL import Image  # noqa: E402

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
    with chart_base.style():
        return chart_base.render_png(fig)


def _pixels(png: bytes) -> tuple[tuple[int, int], str, np.ndarray, tuple]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size, image.mode, np.asarray(image).copy(), tuple(round(v) for v in image.info["dpi"])


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


def test_png_has_the_pixels_and_resolution_of_matplotlibs_own_png(tmp_path):
    # the PNG is encoded by chart_base; Pillow (through Matplotlib) decodes both files independently
    png, _svg = chart_base.save_figure(_figure("Quý III/2025", [0.2, 0.5]), tmp_path, "ours")
    fig = _figure("Quý III/2025", [0.2, 0.5])
    FigureCanvasAgg(fig)
    theirs = io.BytesIO()
    with chart_base.style():
        fig.savefig(theirs, format="png", dpi=chart_base.PNG_DPI)
    size, mode, pixels, dpi = _pixels(png.read_bytes())
    their_size, their_mode, their_pixels, _ = _pixels(theirs.getvalue())
    assert (size, mode, dpi) == (their_size, their_mode, (200, 200))
    assert size == (1800, 1120)  # 9 x 5.6 inches at 200 dpi
    assert np.array_equal(pixels, their_pixels)
    assert pixels[..., 3].min() < 255  # the see-through background survives (RGBA, not flattened)


def test_png_bytes_decode_to_the_pixels_given():
    rgba = bytes([10, 20, 30, 255, 200, 100, 0, 128, 0, 0, 0, 0, 255, 255, 255, 255, 1, 2, 3, 4, 5, 6, 7, 8])
    size, mode, pixels, dpi = _pixels(chart_base.png_bytes(rgba, 2, 3, dpi=100))
    assert (size, mode, dpi) == ((2, 3), "RGBA", (100, 100))
    assert pixels.tobytes() == rgba
