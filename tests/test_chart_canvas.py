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


# --- text from cached glyph images (chart_text) ---


def _texts_figure(shift: float) -> plt.Figure:
    """Texts of every kind the charts draw, and some they do not, at positions moved by ``shift``."""
    fig = plt.figure(figsize=(4, 3), dpi=100)
    fig.text(0.05 + shift, 0.9, "Tỷ lệ hồ sơ trực tuyến: 90,5% – quý III/2025", fontsize=9)
    fig.text(0.1 + shift / 3, 0.7, "Đã trả kết quả đúng hạn", fontsize=11, rotation=33)
    fig.text(0.8, 0.2 + shift, "Số hồ sơ", fontsize=8, rotation=90)
    fig.text(0.3 + shift, 0.5, "Năm 2021 2022 2023", fontsize=10, antialiased=False)
    fig.text(0.5, 0.05 + shift, "Năm 2021 2022 2023", fontsize=7)  # the same text at another size
    fig.text(0.3, 0.3 + shift, r"$\frac{n}{d} \geq 0{,}95$ và chữ", fontsize=10)
    fig.text(0.05, 0.1, "ỗ ặ ữ ự ẫ Ề ẵ ợ", fontsize=13.7, fontweight="bold")
    ax = fig.add_axes((0.15, 0.15, 0.5, 0.4))
    ax.plot([2021, 2025], [0.2, 0.9])
    ax.set_xticks([2021, 2022, 2023, 2024, 2025])
    return fig


def _raw(renderer_class, fig: plt.Figure) -> bytes:
    canvas = FigureCanvasAgg(fig)
    width, height = canvas.get_width_height(physical=True)
    canvas.renderer = renderer_class(width, height, fig.dpi)
    canvas._lastKey = (width, height, fig.dpi)  # draw on this renderer, not a new one
    canvas.draw()
    return bytes(canvas.renderer.buffer_rgba())


def test_text_from_cached_glyphs_has_matplotlibs_own_pixels():
    from matplotlib.backends.backend_agg import RendererAgg

    from cchc_analysis import chart_text

    assert chart_text.renderer_class() is chart_text.GlyphCachingRenderer
    chart_text._glyphs.clear()
    chart_text._layouts.clear()
    for shift in (0.0, 0.0013, 0.0071, 0.0):  # other fractions of a pixel, then the first again (cache hits)
        with chart_base.style():
            expected = _raw(RendererAgg, _texts_figure(shift))
            ours = _raw(chart_text.GlyphCachingRenderer, _texts_figure(shift))
        assert ours == expected, shift
    assert chart_text._glyphs and chart_text._layouts  # rendered and laid out once, and kept


def test_other_matplotlib_versions_draw_text_their_own_way(monkeypatch):
    from matplotlib.backends.backend_agg import RendererAgg

    from cchc_analysis import chart_text

    monkeypatch.setattr(chart_text.mpl, "__version__", "3.12.0")
    assert chart_text.renderer_class() is RendererAgg
