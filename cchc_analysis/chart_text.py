"""Text on the charts' Agg canvas, drawn from glyph images rendered once.

Matplotlib (3.11) draws a text on the Agg canvas glyph by glyph: for each glyph it builds the rotation
matrix, sets the font's size and transform, and asks FreeType to render the glyph at the text's
sub-pixel position, so a chart's years, percentages and labels are rendered again and again, in every
chart and for the PNG of each. Drawing text is most of the time of a chart.

:class:`GlyphCachingRenderer` is Matplotlib's ``RendererAgg`` with one change to plain (non-math) text: a
glyph is rendered once for each size, rotation and position within its pixel (FreeType positions glyphs
to 1/64 pixel), and its image is reused wherever the same glyph falls at the same fraction of a pixel;
a text is laid out (its glyphs and their places) once for each font, size and resolution.
FreeType renders an outline moved by whole pixels as the same image moved by those pixels, so the
pixels are exactly Matplotlib's own (``tests/test_chart_canvas.py`` compares them byte for byte on
Vietnamese text, rotated text, text without anti-aliasing and math text). Math text, and any Matplotlib
whose text drawing differs from the one this was written for (:data:`SUPPORTED`), goes through
Matplotlib's own code.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font, RenderMode

__all__ = ["SUPPORTED", "GlyphCachingRenderer", "renderer_class"]

#: Matplotlib versions whose Agg text drawing (``RendererAgg.draw_text`` and
#: ``_draw_text_glyphs_and_boxes``) this module reproduces.
SUPPORTED = ("3.11.",)
#: Glyph images kept per process (about 1 kB each); the cache starts again when it is full.
MAX_GLYPHS = 50_000

#: Texts laid out per process; the cache starts again when it is full.
MAX_LAYOUTS = 20_000

_glyphs: dict[tuple, tuple[np.ndarray, int, int]] = {}
_layouts: dict[tuple, list[tuple]] = {}


def renderer_class() -> type[RendererAgg]:
    """:class:`GlyphCachingRenderer` on a supported Matplotlib, else Matplotlib's ``RendererAgg``."""
    private = all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform"))
    if private and mpl.__version__.startswith(SUPPORTED):
        return GlyphCachingRenderer
    return RendererAgg


class GlyphCachingRenderer(RendererAgg):
    """``RendererAgg`` drawing plain text from glyph images rendered once (see the module's text)."""

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False,
                  mtext: Any = None) -> None:
        if ismath:
            return self.draw_mathtext(gc, x, y, s, prop, angle)
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        key = (s, font, size, self.dpi, flags, None if features is None else tuple(features), language)
        glyphs = _layouts.get(key)
        if glyphs is None:  # where each glyph goes: the same for the same text, font, size and resolution
            if len(_layouts) > MAX_LAYOUTS:
                _layouts.clear()
            glyphs = _layouts[key] = [(item.ft_object, size, item.glyph_index, item.x, item.y)
                                      for item in font._layout(s, flags=flags, features=features, language=language)]
        self._draw_glyphs(gc, x, y, angle, flags, glyphs)
        return None

    def _draw_glyphs(self, gc: Any, x: float, y: float, angle: float, flags: Any, glyphs: list[tuple]) -> None:
        """Matplotlib's ``_draw_text_glyphs_and_boxes`` for upright, unslanted glyphs and no boxes, with
        each glyph image taken from the cache (rendered at the same fraction of a pixel) when it is there."""
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round().astype(int)
        turn = tuple(matrix.ravel().tolist())
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        dpi = self.dpi
        if len(_glyphs) > MAX_GLYPHS:
            _glyphs.clear()
        for font, size, index, dx, dy in glyphs:  # dy is upwards
            # the glyph's origin in FreeType's 26.6 fixed point, y upwards (as Matplotlib computes it)
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, dpi, index, turn, px & 63, py & 63, flags, antialiased)
            hit = _glyphs.get(key)
            if hit is None:
                font.set_size(size, dpi)
                font._set_transform(matrix, [px & 63, py & 63])  # the fraction of a pixel only
                bitmap = font._render_glyph(index, flags, mode)
                image = np.array(bitmap.buffer)  # a copy: the font reuses its buffer
                if not antialiased:
                    image *= 0xff
                hit = _glyphs[key] = (image, bitmap.left, bitmap.top)
            image, left, top = hit
            # draw_text_image's y is downwards and names the image's bottom side
            self._renderer.draw_text_image(image, left + (px >> 6), int(height) - (top + (py >> 6)) + image.shape[0],
                                           0, gc)
