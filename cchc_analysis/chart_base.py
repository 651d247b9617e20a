"""The drawing kit of the charts: style, colours, saving, footnotes, milestone lines and axis helpers.

:mod:`cchc_analysis.charts` builds each chart from these; :func:`save_figure` writes byte-identical PNG
(200 dpi) and SVG files, and :func:`figure_texts` lists a figure's texts (for tests and readings).
"""

from __future__ import annotations

import contextlib
import io
import math
import struct
import textwrap
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from cchc_analysis import formatting as fmt
from cchc_analysis import milestones, views
from cchc_analysis.chart_text import renderer_class
from cchc_analysis.io import write_bytes_atomic
from cchc_analysis.views import date_position

STATUS_COLORS = {
    "met": "#1a9850",
    "on_track": "#4575b4",
    "at_risk": "#f39c12",
    "off_track": "#d73027",
    "not_yet_due": "#9e9ac8",
    "no_target": "#7f7f7f",
    "no_data": "#bdbdbd",
}
SERIES_COLOR = "#2b5c8a"
#: Colours of the milestones, in the order of the programme's milestone years (the last one red).
TARGET_PALETTE = ("#8e44ad", "#c0392b")
PATH_COLOR = "#555555"
BREAK_COLOR = "#444444"
SVG_HASHSALT = "cchc-analysis"
FIGSIZE = (9.0, 5.6)
PNG_DPI = 200
PERIOD_AXIS_VI = {"year": "Năm", "half": "6 tháng", "quarter": "Quý", "month": "Tháng"}
UNIT_AXIS_VI = {"share": "Tỷ lệ (%)", "vnd": "Tỷ đồng", "persons": "Người", "count": "Số lượng"}


# --------------------------------------------------------------------------------------------------
# style and saving


def style_rc() -> dict[str, Any]:
    """The rc settings of every chart: seaborn's white grid, DejaVu Sans (it has the Vietnamese
    glyphs and ships with matplotlib), SVG text kept as text, a fixed ``svg.hashsalt`` and no SVG
    id randomness.

    >>> style_rc()["svg.hashsalt"], style_rc()["font.sans-serif"][0]
    ('cchc-analysis', 'DejaVu Sans')
    """
    rc: dict[str, Any] = {}
    rc.update(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("notebook", font_scale=0.85))
    rc.update({
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.titlesize": 10,
        "axes.titlelocation": "left",
        # titles at the top of the axes, where Matplotlib would put them (no axis on top): not
        # searched again at every draw (two draws a chart, each measuring every y tick label)
        "axes.titley": 1.0,
        "figure.titlesize": 13,
        "figure.titleweight": "bold",
        "svg.hashsalt": SVG_HASHSALT,
        # text stays text in SVG: editable and searchable in the written report, 4x smaller and
        # twice as fast to write; a viewer without DejaVu Sans uses its own sans-serif font
        "svg.fonttype": "none",
        "svg.id": "cchc-figure",
        "savefig.dpi": PNG_DPI,
        "figure.dpi": 100,
        "legend.fontsize": 8,
    })
    return rc


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context in which charts are drawn and saved with the suite's style.

    Examples
    --------
    >>> with style():
    ...     mpl.rcParams["svg.hashsalt"]
    'cchc-analysis'
    """
    with mpl.rc_context(style_rc()):
        yield


def set_style() -> None:
    """Apply the suite's style for the whole session (e.g. at the top of a notebook)."""
    mpl.rcParams.update(style_rc())


#: The renderer of the charts' canvas: Matplotlib's Agg renderer drawing text from cached glyph images
#: (:mod:`cchc_analysis.chart_text`; the same pixels).
_RENDERER = renderer_class()


class _SharedRendererCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer is shared by every figure of the same pixel size and dpi.

    Most of the time of saving a chart goes into laying out its texts; Matplotlib caches text
    metrics per renderer, and each new figure normally gets a new renderer, so nothing is reused
    from one chart to the next. Sharing the renderer (cleared before each draw, as Matplotlib does
    for a redraw of one figure) keeps the metrics of titles, ticks and labels across charts. The
    pixels are the same as with a renderer of its own.
    """

    _renderers: dict[tuple[int, int, float], RendererAgg] = {}
    _KEEP = 4

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = (w, h, float(self.figure.dpi))
        renderers = _SharedRendererCanvas._renderers
        renderer = renderers.pop(key, None)
        if renderer is None:
            renderer = _RENDERER(w, h, self.figure.dpi)
        renderers[key] = renderer  # most recently used last
        while len(renderers) > self._KEEP:
            renderers.pop(next(iter(renderers)))
        self.renderer, self._lastKey = renderer, key
        return renderer


def save_figure(fig: Figure, folder: Path | str, name: str) -> tuple[Path, Path]:
    """Save ``fig`` as ``folder/name.png`` (200 dpi) and ``folder/name.svg``, then close it.

    The bytes are the same on every run with the same data: fixed ``svg.hashsalt``, no date and no
    software metadata; each file is written atomically.

    Returns
    -------
    (png_path, svg_path)
    """
    folder = Path(folder)
    paths = folder / f"{name}.png", folder / f"{name}.svg"
    with style():
        svg = io.BytesIO()
        _SharedRendererCanvas(fig)  # one 200-dpi canvas (and its text metrics) shared by all charts
        png = render_png(fig)
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    write_bytes_atomic(paths[0], png)
    write_bytes_atomic(paths[1], svg.getvalue())
    return paths


def render_png(fig: Figure, dpi: float = PNG_DPI) -> bytes:
    """The figure drawn by Agg at ``dpi`` on its canvas, as PNG bytes (:func:`png_bytes`).

    Matplotlib draws the pixels (``savefig`` to its raw RGBA format); only the PNG encoding is ours.
    The renderer's buffer is read where it lies (not copied into a file object first).
    """
    raw = _RawPixels()
    fig.savefig(raw, format="rgba", dpi=dpi)
    pixels = raw.pixels
    width = int(fig.get_figwidth() * dpi)  # as Agg sizes its canvas
    height = len(pixels) // (4 * width) if width else 0
    if not height or len(pixels) != width * height * 4:  # not expected: let Matplotlib write the PNG
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
        return out.getvalue()
    return png_bytes(pixels, width, height, dpi)


class _RawPixels:
    """A file object for ``savefig(format="rgba")`` that keeps what is written: Agg writes its whole
    buffer in one call (a view on the renderer's memory, valid until its next draw), kept as is."""

    def __init__(self) -> None:
        self.parts: list[Any] = []

    def seek(self, offset: int, whence: int = 0) -> int:  # Matplotlib takes an object with seek for a file
        return 0

    def write(self, data: Any) -> int:
        self.parts.append(data)
        return memoryview(data).nbytes

    @property
    def pixels(self) -> Any:
        if len(self.parts) == 1:
            return memoryview(self.parts[0]).cast("B")  # flat bytes, whatever shape the buffer has
        return memoryview(b"".join(self.parts))


def png_bytes(rgba: bytes, width: int, height: int, dpi: float = PNG_DPI) -> bytes:
    """An 8-bit RGBA PNG of ``rgba`` (rows top to bottom), with its resolution (``pHYs``) and nothing else.

    Every row is stored unfiltered and compressed with zlib at level 1. On a chart (large flat areas)
    this is as small as Pillow's PNG at level 1 and twice as fast to write: Pillow tries five filters on
    every row, which costs more than the compression. The same pixels always give the same bytes.

    >>> data = png_bytes(bytes([255, 0, 0, 255] * 6), 3, 2, dpi=200)
    >>> data[1:4], int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    (b'PNG', 3, 2)
    """
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = np.frombuffer(memoryview(rgba).cast("B"), dtype=np.uint8).reshape(height, width * 4)
    lines = np.empty((height, width * 4 + 1), dtype=np.uint8)  # each row: filter byte 0, then its pixels
    lines[:, 0] = 0
    lines[:, 1:] = rows
    per_metre = int(dpi / 0.0254 + 0.5)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(memoryview(lines).cast("B"), 1))  # no copy of the rows
            + chunk(b"IEND", b""))


# --------------------------------------------------------------------------------------------------
# data helpers (tidy frames in, tidy frames out)


def _errors(v: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths below and above each value (never negative, 0 where unknown)."""
    return np.nan_to_num(np.clip(np.vstack([v - low, high - v]), 0.0, None))


def _source_of(spec: Mapping[str, Any], source: str | None) -> str:
    return source if source is not None else fmt.SOURCES_VI.get(spec.get("source", ""), "")


def _footnote_text(source: str | None, data_date: Any = None, extra: str = "") -> str:
    parts = []
    if source:
        parts.append(f"Nguồn: {source}.")
    if data_date is not None and fmt.date_label(data_date) != fmt.MISSING:
        parts.append(f"Số liệu đến ngày {fmt.date_label(data_date)}.")
    if extra:
        parts.append(extra.strip())
    return "\n".join(textwrap.wrap(" ".join(parts), 140))


def _new_figure(height: float = FIGSIZE[1]) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], height))
    return fig, ax


def _finish(fig: Figure, ax: plt.Axes, *, title: str, subtitle: str, footnote: str,
            handles: list | None = None, ncol: int = 3, axis_room: float = 0.6, left: float = 0.09) -> Figure:
    """Titles, legend under the plot, footnote at the bottom; margins worked out in inches."""
    height = fig.get_figheight()
    title_lines = textwrap.wrap(title, 80)
    fig.suptitle("\n".join(title_lines), x=0.01, y=1 - 0.12 / height, ha="left", va="top")
    ax.set_title(subtitle, loc="left", fontsize=9, color="#333333")
    foot_lines = footnote.count("\n") + 1 if footnote else 0
    fig.text(0.01, 0.08 / height, footnote, ha="left", va="bottom", fontsize=7, color="#444444")
    foot_in = 0.12 + 0.14 * foot_lines
    legend_in = 0.0
    if handles:
        rows = math.ceil(len(handles) / ncol)
        legend_in = 0.12 + 0.2 * rows
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, foot_in / height), ncol=ncol,
                   frameon=False)
    top_in = 0.62 + 0.24 * len(title_lines)
    fig.subplots_adjust(left=left, right=0.97, top=1 - top_in / height,
                        bottom=(foot_in + legend_in + axis_room) / height)
    return fig


def _no_data(ax: plt.Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555", transform=ax.transAxes)


def _status_handles(statuses: list[str]) -> list[Patch]:
    present = set(statuses)
    return [Patch(color=STATUS_COLORS[s], label=milestones.STATUS_WORDS_VI[s]) for s in STATUS_COLORS if s in present]


def _statuses(rows: pd.DataFrame) -> list[str]:
    """The statuses as shown (``not_yet_due`` inside a relative target's baseline: :func:`views.shown_statuses`)."""
    return views.shown_statuses(rows)


def _status_sentence(rows: pd.DataFrame) -> str:
    """``Trạng thái năm 2025: Đã đạt`` for the last period with data."""
    known = rows[rows["value"].notna()]
    if known.empty:
        return milestones.STATUS_WORDS_VI["no_data"]
    last = known.iloc[-1]
    status = views.shown_statuses(known.iloc[[-1]])[0]
    return f"Trạng thái {fmt.lower_first(fmt.period_label(str(last['period'])))}: {milestones.STATUS_WORDS_VI[status]}"


def _target_color(year: int, registry: Mapping[str, Any] | None = None) -> str:
    """The colour of a milestone: by its place among the programme's milestone years, the last one red."""
    years = sorted(int(y) for y in ((registry or milestones.load_registry()).get("programme") or {}).get(
        "milestone_years") or [])
    if year not in years or year == years[-1]:
        return TARGET_PALETTE[-1]
    return TARGET_PALETTE[min(years.index(year), len(TARGET_PALETTE) - 2)]


def _draw_milestones(ax: plt.Axes, targets: list[dict[str, Any]], *, horizontal: bool = True,
                     with_path: bool = True, label_side: str = "right") -> list[float]:
    """Milestone lines (one line when two milestones ask the same), their labels and paths.

    Horizontal lines are labelled on the chart at the ``label_side`` edge as well as in the legend.
    """
    drawn: dict[tuple[str, float], list[int]] = {}
    for t in targets:
        if t["value"] is not None:
            drawn.setdefault((t["operator"], round(t["value"], 12)), []).append(t["year"])
    values = []
    for (_op, value), years in drawn.items():
        label = next(t["label"] for t in targets if t["year"] == years[0])
        if len(years) > 1:
            label = label.replace(f"Mốc {years[0]}", "Mốc " + ", ".join(str(y) for y in years))
        color = _target_color(years[-1])
        if horizontal:
            line = ax.axhline(value, color=color, lw=1.3, ls="--", label=label, zorder=2)
            right = label_side == "right"
            ax.text(0.995 if right else 0.005, value, label, ha="right" if right else "left", va="bottom",
                    transform=blended_transform_factory(ax.transAxes, ax.transData), fontsize=8, color=color)
        else:
            line = ax.axvline(value, color=color, lw=1.3, ls="--", label=label, zorder=2)
        line.set_gid(f"milestone-{years[-1]}")
        values.append(value)
    if with_path:
        for t in targets:
            if t["value"] is None or t["start_value"] is None or t["start_year"] >= t["year"]:
                continue
            ax.plot([t["start_year"] + 0.5, t["year"] + 0.5], [t["start_value"], t["value"]], ls=":", lw=1.5,
                    color=_target_color(t["year"]), label=f"Lộ trình cần đạt mốc {t['year']} (từ {t['start_year']})",
                    gid=f"path-{t['year']}", zorder=2)
    return values


def _draw_break(ax: plt.Axes, registry: Mapping[str, Any]) -> None:
    when = (registry.get("programme") or {}).get("structural_break")
    if not when:
        return
    x = date_position(when)
    lo, hi = ax.get_xlim()
    if not lo <= x <= hi:
        return
    label = f"Sáp nhập tỉnh {fmt.date_label(when)}"
    ax.axvline(x, color=BREAK_COLOR, lw=1.0, ls="-.", zorder=1, gid="structural-break", label=label)
    ax.annotate(label, (x, 0.03), xycoords=("data", "axes fraction"), xytext=(-3, 0), textcoords="offset points",
                rotation=90, ha="right", va="bottom", fontsize=7, color=BREAK_COLOR,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})


def _period_ticks(ax: plt.Axes, rows: pd.DataFrame, period_kind: str, extend_to: int | None = None) -> None:
    if period_kind == "year":
        years = rows["period"].astype(str).str[:4].astype(int)
        first, last = int(years.min()), max(int(years.max()), extend_to or 0)
        ax.set_xticks([y + 0.5 for y in range(first, last + 1)], [str(y) for y in range(first, last + 1)])
        ax.set_xlim(first - 0.1, last + 1.1)
        return
    xs, labels = rows["x"].tolist(), [fmt.period_label(p, short=True) for p in rows["period"].astype(str)]
    step = _tick_step(len(xs), period_kind)
    ax.set_xticks(xs[::step], labels[::step], rotation=45, ha="right")
    width = {"half": 0.25, "quarter": 0.125, "month": 1 / 24}[period_kind]
    ax.set_xlim(min(xs) - width * 1.5, max(xs) + width * 1.5)


def _tick_step(count: int, period_kind: str, most: int = 16) -> int:
    """Label every period, or every 2nd, 3rd, 6th… so that at most ``most`` labels show."""
    steps = {"month": (1, 2, 3, 6, 12), "quarter": (1, 2, 4), "half": (1, 2)}.get(period_kind, (1,))
    for step in steps:
        if math.ceil(count / step) <= most:
            return step
    return max(steps[-1], math.ceil(count / most / steps[-1]) * steps[-1])


def _share_limits(values: list[float] | np.ndarray, top_room: float = 0.07) -> tuple[float, float]:
    finite = [float(v) for v in values if v is not None and v == v]
    lo = max(0.0, math.floor((min(finite) - 0.05) * 10) / 10) if finite else 0.0
    hi = min(1.0, max(finite) + 0.02) + top_room if finite else 1.05
    return lo, hi


def _share_ticks(axis: Any, lo: float, hi: float = 1.0) -> None:
    """Percent ticks every 10 (or 5) points from ``lo`` to ``hi`` (at most 100%)."""
    step = 0.05 if hi - lo <= 0.4 else 0.1
    axis.set_ticks(np.round(np.arange(lo, min(hi, 1.0) + 1e-9, step), 10))
    axis.set_major_formatter(fmt.tick_formatter("share"))


def _n_noun(spec: Mapping[str, Any]) -> str:
    return {"evaluations": "phiếu", "survey": "câu trả lời", "dossiers": "hồ sơ"}.get(spec.get("source", ""), "")


def _annotate_n(ax: plt.Axes, x: np.ndarray, top: np.ndarray, n: np.ndarray) -> None:
    for xi, hi, ni in zip(x, top, n, strict=True):
        if ni == ni and hi == hi:
            ax.annotate(f"n = {fmt.number(ni)}", (xi, hi), xytext=(0, 4), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7, color="#555555", gid="n")


# --------------------------------------------------------------------------------------------------
# charts



def figure_texts(fig: Figure) -> list[str]:
    """Every text of a figure (titles, labels, annotations, legend entries, tick labels), for checks.

    >>> fig = plt.figure(); _ = fig.suptitle("Tiêu đề"); figure_texts(fig)
    ['Tiêu đề']
    >>> plt.close(fig)
    """
    return [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text()]
