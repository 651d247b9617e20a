"""Charts of the review pack: one function per chart kind, tidy frames in, a matplotlib Figure out.

Chart functions never read files: they take the indicator table (:func:`cchc_analysis.indicators.compute`),
the milestone registry (:func:`cchc_analysis.milestones.load_registry`, the packaged one by default) or
a canonical table, and return a :class:`matplotlib.figure.Figure`. Every indicator chart shows the 2025
and 2030 milestones as labelled lines, the straight path needed to reach them, the status in words, the
01/07/2025 break (merger of the province), Vietnamese titles and labels with the decimal comma, and a
footnote with the source and the data date. Shares carry Wilson 95% intervals and the number of answers
or dossiers (n). :func:`save_figure` writes byte-identical PNG (200 dpi) and SVG files.

When there is nothing to draw, a chart says so in Vietnamese on the figure instead of failing.

>>> import pandas as pd
>>> from cchc_analysis import indicators
>>> ev = pd.DataFrame({"evaluation_id": ["1", "2", "3"], "dossier_id": [None] * 3,
...     "evaluated_at": pd.to_datetime(["2024-03-01", "2025-03-01", "2025-04-01"]),
...     "overall": ["satisfied", "very_satisfied", "dissatisfied"]})
>>> fig = indicator_trend(indicators.compute({"evaluations": ev}), "satisfaction_share")
>>> fig._suptitle.get_text()
'Mức độ hài lòng về giải quyết TTHC'
>>> plt.close(fig)
"""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from cchc_analysis import formatting as fmt
from cchc_analysis import indicators, milestones
from cchc_analysis.io import write_bytes_atomic
from cchc_analysis.periods import Period
from cchc_analysis.stats import wilson_interval

STATUS_COLORS = {
    "met": "#1a9850",
    "on_track": "#4575b4",
    "at_risk": "#f39c12",
    "off_track": "#d73027",
    "no_target": "#7f7f7f",
    "no_data": "#bdbdbd",
}
SERIES_COLOR = "#2b5c8a"
TARGET_COLORS = {2025: "#8e44ad", 2030: "#c0392b"}
PATH_COLOR = "#555555"
BREAK_COLOR = "#444444"
SVG_HASHSALT = "cchc-analysis"
FIGSIZE = (9.0, 5.6)
PNG_DPI = 200
PERIOD_AXIS_VI = {"year": "Năm", "half": "6 tháng", "quarter": "Quý", "month": "Tháng"}
UNIT_AXIS_VI = {"share": "Tỷ lệ (%)", "vnd": "Tỷ đồng", "persons": "Người", "count": "Số lượng"}
CRITERIA = tuple(f"c{i}" for i in range(1, 10))
TOP_SCORE = 2


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
        png, svg = io.BytesIO(), io.BytesIO()
        # fast zlib level: the pack is rebuilt often, and the files stay byte-identical run to run
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None},
                    pil_kwargs={"compress_level": 1})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    write_bytes_atomic(paths[0], png.getvalue())
    write_bytes_atomic(paths[1], svg.getvalue())
    return paths


# --------------------------------------------------------------------------------------------------
# data helpers (tidy frames in, tidy frames out)


def period_position(period: str) -> float:
    """The middle of a period in fractional years (the x coordinate of every time chart).

    >>> period_position("2025"), period_position("2025-H1"), period_position("2025-Q3")
    (2025.5, 2025.25, 2025.625)
    >>> round(period_position("2025-07"), 4)
    2025.5417
    """
    p = Period.parse(str(period))
    return date_position(p.start) + (p.end - p.start).days / 2 / 365.25 + 0.5 / 365.25 if p.kind == "window" \
        else _calendar_position(p)


def _calendar_position(p: Period) -> float:
    year = p.start.year
    if p.kind in ("year", "span"):
        return (year + p.end.year + 1) / 2
    months = (p.end.year - year) * 12 + p.end.month - p.start.month + 1
    return year + (p.start.month - 1 + months / 2) / 12


def date_position(when: date | datetime | str) -> float:
    """A date in fractional years (00:00 of the day).

    >>> round(date_position("2025-07-01"), 4)
    2025.4959
    """
    ts = pd.Timestamp(when)
    days = 366 if ts.is_leap_year else 365
    return ts.year + (ts.day_of_year - 1) / days


def in_period(dates: pd.Series, period: str) -> pd.Series:
    """True where a date falls in ``period`` (any :class:`~cchc_analysis.periods.Period` label).

    >>> in_period(pd.Series(pd.to_datetime(["2025-06-30", "2025-07-01", None])), "2025-H1").tolist()
    [True, False, False]
    """
    p = Period.parse(str(period))
    days = pd.to_datetime(dates).dt.normalize()
    return (days >= pd.Timestamp(p.start)) & (days <= pd.Timestamp(p.end))


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def until_year(table: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The rows of ``table`` whose period falls in ``year`` or before (all rows when ``year`` is None).

    Milestones worked out for a review year must not use later data (e.g. a 2025 baseline in 2024).

    >>> until_year(pd.DataFrame({"period": ["2024", "2025-Q1"]}), 2024)["period"].tolist()
    ['2024']
    """
    if year is None or table is None or table.empty:
        return table
    return table[table["period"].astype(str).str[:4].astype(int) <= int(year)]


def select_series(table: pd.DataFrame, indicator_id: str, *, breakdown: str = "all", period_kind: str = "year",
                  first_year: int | None = None, last_year: int | None = None) -> pd.DataFrame:
    """The rows of one indicator series, in time order, with ``x`` (:func:`period_position`).

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id, breakdown : str
        The series.
    period_kind : {"year", "half", "quarter", "month"}
        Which periods.
    first_year, last_year : int, optional
        Keep the periods of these years only (inclusive).
    """
    if table is None or table.empty:
        return pd.DataFrame(columns=[*indicators.COLUMNS, "x"])
    rows = table[(table["indicator_id"] == indicator_id) & (table["breakdown"] == breakdown)].copy()
    rows = rows[rows["period"].astype(str).map(fmt.period_kind) == period_kind]
    years = rows["period"].astype(str).str[:4].astype(int)
    if first_year is not None:
        rows = rows[years >= int(first_year)]
    if last_year is not None:
        rows = rows[years.loc[rows.index] <= int(last_year)]
    rows["x"] = [period_position(p) for p in rows["period"].astype(str)]
    return rows.sort_values("x").reset_index(drop=True)


def with_intervals(rows: pd.DataFrame) -> pd.DataFrame:
    """Add Wilson 95% bounds ``low`` and ``high`` to rows with ``numerator`` and ``denominator``.

    >>> with_intervals(pd.DataFrame({"numerator": [5], "denominator": [10]}))["low"].round(4).tolist()
    [0.2366]
    """
    rows = rows.copy()
    rows["low"], rows["high"] = wilson_interval(_floats(rows["numerator"]), _floats(rows["denominator"]))
    return rows


def yearly_history(table: pd.DataFrame, indicator_id: str, breakdown: str = "all") -> dict[int, float]:
    """``{year: value}`` of the yearly rows of a series (missing values left out).

    >>> t = pd.DataFrame({"indicator_id": ["x", "x", "x"], "period": ["2024", "2024-Q1", "2025"],
    ...                   "breakdown": "all", "value": [1.0, 2.0, None]})
    >>> yearly_history(t, "x")
    {2024: 1.0}
    """
    rows = table[(table["indicator_id"] == indicator_id) & (table["breakdown"] == breakdown)
                 & (table["period"].astype(str).str.len() == 4)]
    values = _floats(rows["value"])
    return {int(p): float(v) for p, v in zip(rows["period"].astype(str), values, strict=True) if v == v}


def milestone_targets(table: pd.DataFrame, indicator_id: str, breakdown: str = "all",
                      registry: Mapping | None = None) -> list[dict[str, Any]]:
    """The milestones of an indicator with their numbers for this series, and the path to each.

    The target value is the one the indicator table carries (``target_value`` of the rows judged
    against that milestone); when no row carries it, it is worked out from the registry and the
    series' yearly history. The path starts, as in :func:`cchc_analysis.milestones.assess`, at the
    last year of a relative target's baseline window, else at the first known year from the
    programme's baseline year on.

    Returns
    -------
    list of dict
        One per milestone, in year order: ``year``, ``operator``, ``value`` (None when not known yet),
        ``start_year``, ``start_value``, ``baseline`` (the rule or None), ``baseline_value``,
        ``clause``, ``label`` (e.g. ``Mốc 2025: ≥ 90,0%``).
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    settings = reg.get("settings") or {}
    base_year = int((reg.get("status_rules") or {}).get("baseline_year", 2021))
    history = yearly_history(table, indicator_id, breakdown) if table is not None and not table.empty else {}
    out = []
    for target in sorted(spec.get("targets") or [], key=lambda t: t["year"]):
        year = int(target["year"])
        value = None
        if table is not None and not table.empty and "target_year" in table:
            carried = table[(table["indicator_id"] == indicator_id) & (table["breakdown"] == breakdown)
                            & (pd.to_numeric(table["target_year"], errors="coerce") == year)]
            known = _floats(carried["target_value"])
            known = known[~np.isnan(known)]
            value = float(known[0]) if known.size else None
        if value is None:
            value = milestones.target_value(target, history, settings)
        baseline = target.get("baseline")
        baseline_value = milestones.baseline_statistic(target, history)
        start = milestones.path_start(target, history, base_year)
        out.append({
            "year": year, "operator": target["operator"], "value": value, "start_year": start,
            "start_value": history.get(start), "baseline": baseline, "baseline_value": baseline_value,
            "clause": target.get("clause"),
            "label": (fmt.milestone_label(year, target["operator"], value, indicator_id, reg)
                      if value is not None else f"Mốc {year}: chưa xác định"),
        })
    return out


def budget_stages(budget: pd.DataFrame | None) -> dict[int, str]:
    """Whether each year's state-budget total is an actual (``actual``) or partly a plan (``plan``).

    The stage follows :func:`cchc_analysis.indicators.budget_amounts`: per unit and category, an actual
    figure replaces the plan; a year is ``plan`` when any of its figures is still a plan.

    >>> b = pd.DataFrame({"unit": ["A", "A", "A"], "year": [2025, 2025, 2026], "category": ["x"] * 3,
    ...     "funding": ["state_budget"] * 3, "stage": ["plan", "actual", "plan"], "amount_vnd": [1.0, 2.0, 3.0]})
    >>> budget_stages(b)
    {2025: 'actual', 2026: 'plan'}
    """
    if budget is None or budget.empty:
        return {}
    chosen = indicators.state_budget_figures(budget)
    per_year = chosen["stage"].astype(str).eq("actual").groupby(chosen["year"]).all()
    return {int(y): ("actual" if ok else "plan") for y, ok in per_year.items()}


def criteria_shares(evaluations: pd.DataFrame | None, period: str | None = None) -> pd.DataFrame:
    """Share of the top score (2) per evaluation criterion c1…c9, weakest first, with Wilson bounds.

    A missing score is not an answer (in neither count).

    >>> ev = pd.DataFrame({"evaluated_at": pd.to_datetime(["2025-01-05"] * 2), "c1": [2, 1], "c2": [2, None]})
    >>> criteria_shares(ev, "2025")[["criterion", "numerator", "denominator"]].values.tolist()
    [['c1', 1, 2], ['c2', 1, 1]]
    """
    columns = ["criterion", "label", "numerator", "denominator", "value", "low", "high"]
    if evaluations is None or evaluations.empty:
        return pd.DataFrame(columns=columns)
    ev = evaluations
    if period:
        ev = ev[in_period(ev["evaluated_at"], period)]
    rows = []
    for crit in CRITERIA:
        if crit not in ev:
            continue
        scores = pd.to_numeric(ev[crit], errors="coerce").dropna()
        rows.append({"criterion": crit, "label": f"Tiêu chí {crit[1:]}",
                     "numerator": int((scores == TOP_SCORE).sum()), "denominator": int(scores.size)})
    out = pd.DataFrame(rows, columns=columns[:4])
    out = out[out["denominator"] > 0]
    out["value"] = out["numerator"] / out["denominator"]
    out = with_intervals(out)
    return out.sort_values(["value", "criterion"], kind="stable").reset_index(drop=True)[columns]


def evaluation_coverage(dossiers: pd.DataFrame | None, evaluations: pd.DataFrame | None,
                        period_kind: str = "year") -> pd.DataFrame:
    """Share of resolved dossiers that were evaluated at least once, by resolution period.

    A dossier is resolved in a period as in CONTRACT.md section 3; it counts as evaluated when an
    evaluation names its ``dossier_id`` (whenever that evaluation was made).

    >>> d = pd.DataFrame({"dossier_id": ["a", "b", "c"], "status": ["returned", "resolved", "in_progress"],
    ...     "resolved_at": pd.to_datetime(["2025-02-01", "2025-05-01", None])})
    >>> ev = pd.DataFrame({"dossier_id": ["a", "x"]})
    >>> evaluation_coverage(d, ev)[["period", "numerator", "denominator", "value"]].values.tolist()
    [['2025', 1, 2, 0.5]]
    """
    columns = ["period", "numerator", "denominator", "value", "low", "high"]
    if dossiers is None or dossiers.empty or evaluations is None or evaluations.empty:
        return pd.DataFrame(columns=columns)
    resolved = dossiers[dossiers["status"].astype(str).isin(indicators.RESOLVED_STATUSES)
                        & dossiers["resolved_at"].notna()].drop_duplicates("dossier_id")
    evaluated = set(evaluations["dossier_id"].dropna().astype(str))
    months = indicators.month_key(resolved["resolved_at"]).astype(str)
    frame = pd.DataFrame({"period": indicators.roll_up(months, period_kind),
                          "numerator": resolved["dossier_id"].astype(str).isin(evaluated).astype(int),
                          "denominator": 1})
    out = frame.groupby("period", sort=True)[["numerator", "denominator"]].sum().reset_index()
    out["value"] = out["numerator"] / out["denominator"]
    return with_intervals(out)[columns]


def procedure_satisfaction(evaluations: pd.DataFrame | None, dossiers: pd.DataFrame | None,
                           period: str | None = None, min_n: int = 10) -> pd.DataFrame:
    """Satisfaction share by procedure (evaluations linked to dossiers), weakest first.

    Procedures with fewer than ``min_n`` answers are left out (their share says little).

    >>> d = pd.DataFrame({"dossier_id": ["a", "b"], "procedure_name": ["Cấp phép", "Gia hạn"]})
    >>> ev = pd.DataFrame({"dossier_id": ["a", "a", "b"], "evaluated_at": pd.to_datetime(["2025-01-02"] * 3),
    ...     "overall": ["satisfied", "dissatisfied", "very_satisfied"]})
    >>> procedure_satisfaction(ev, d, "2025", min_n=1)[["label", "numerator", "denominator"]].values.tolist()
    [['Cấp phép', 1, 2], ['Gia hạn', 1, 1]]
    """
    columns = ["label", "numerator", "denominator", "value", "low", "high"]
    if (evaluations is None or evaluations.empty or dossiers is None or dossiers.empty
            or "procedure_name" not in dossiers):
        return pd.DataFrame(columns=columns)
    ev = evaluations.dropna(subset=["overall", "evaluated_at"])
    if period:
        ev = ev[in_period(ev["evaluated_at"], period)]
    names = dossiers.drop_duplicates("dossier_id").set_index("dossier_id")["procedure_name"]
    frame = pd.DataFrame({"label": ev["dossier_id"].map(names),
                          "numerator": ev["overall"].astype(str).isin(("very_satisfied", "satisfied")).astype(int),
                          "denominator": 1}).dropna(subset=["label"])
    out = frame.groupby("label")[["numerator", "denominator"]].sum().reset_index()
    out = out[out["denominator"] >= min_n]
    out["value"] = out["numerator"] / out["denominator"]
    out = with_intervals(out)
    return out.sort_values(["value", "label"], kind="stable").reset_index(drop=True)[columns]


# --------------------------------------------------------------------------------------------------
# drawing helpers


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
    return [str(s) if pd.notna(s) else "no_data" for s in rows["status"]]


def _status_sentence(rows: pd.DataFrame) -> str:
    """``Trạng thái năm 2025: Đã đạt`` for the last period with data."""
    known = rows[rows["value"].notna()]
    if known.empty:
        return milestones.STATUS_WORDS_VI["no_data"]
    last = known.iloc[-1]
    status = str(last["status"]) if pd.notna(last["status"]) else "no_data"
    return f"Trạng thái {fmt.lower_first(fmt.period_label(str(last['period'])))}: {milestones.STATUS_WORDS_VI[status]}"


def _target_color(year: int) -> str:
    return TARGET_COLORS.get(year, "#c0392b")


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


def indicator_trend(table: pd.DataFrame, indicator_id: str, *, breakdown: str = "all", period_kind: str = "year",
                    registry: Mapping | None = None, source: str | None = None, data_date: Any = None,
                    first_year: int | None = None, last_year: int | None = None) -> Figure:
    """An indicator over time against its 2025 and 2030 milestones.

    Draws the series (markers coloured by status, the status words in the legend and the last status
    in the subtitle), Wilson 95% intervals and n for shares, the milestone lines (``Mốc 2025: ≥ 90,0%``),
    the straight path from the baseline to each milestone, and the 01/07/2025 break.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id : str
        Which indicator.
    breakdown : str
        ``all`` or e.g. ``field=Điện``.
    period_kind : {"year", "half", "quarter", "month"}
        The periods drawn.
    registry : mapping, optional
        The milestone registry (default: the packaged one).
    source : str, optional
        The footnote's source (default: from the registry's ``source`` of the indicator).
    data_date : date, optional
        The date the data run to, for the footnote.
    first_year, last_year : int, optional
        The years shown (e.g. ``last_year`` = the review year).

    Returns
    -------
    matplotlib.figure.Figure
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    title = spec.get("title_vi", indicator_id)
    unit = spec.get("unit", "share")
    rows = select_series(table, indicator_id, breakdown=breakdown, period_kind=period_kind,
                         first_year=first_year, last_year=last_year)
    data = rows[rows["value"].notna()]
    scope = fmt.breakdown_label(breakdown)
    axis_room = 0.55 if period_kind == "year" else 0.85
    with style():
        fig, ax = _new_figure()
        if data.empty:
            _no_data(ax, "Chưa có số liệu cho chỉ tiêu này trong các kỳ đã chọn.")
            return _finish(fig, ax, title=title, subtitle=f"{scope} · {milestones.STATUS_WORDS_VI['no_data']}",
                           footnote=_footnote_text(_source_of(spec, source), data_date), axis_room=axis_room)
        x, v = data["x"].to_numpy(), _floats(data["value"])
        extra, lows = "", []
        if unit == "share":
            data = with_intervals(data)
            low, high, dens = _floats(data["low"]), _floats(data["high"]), _floats(data["denominator"])
            ok = ~np.isnan(low)
            ax.errorbar(x[ok], v[ok], yerr=_errors(v[ok], low[ok], high[ok]), fmt="none", ecolor="#7a9cc6",
                        elinewidth=1.2, capsize=3, zorder=3, label="Khoảng tin cậy 95% (Wilson)", gid="wilson")
            lows = list(low[ok])
            if len(data) <= 24:
                _annotate_n(ax, x, np.where(np.isnan(high), v, high), dens)
                extra = f"n: số {_n_noun(spec) or 'quan sát'} trong kỳ."
            else:
                extra = (f"Số {_n_noun(spec) or 'quan sát'} mỗi kỳ (n): từ {fmt.number(np.nanmin(dens))} "
                         f"đến {fmt.number(np.nanmax(dens))}.")
            extra += " Thanh dọc: khoảng tin cậy 95% (Wilson)."
        ax.plot(x, v, "-", color=SERIES_COLOR, lw=1.8, zorder=4, label="Giá trị thực hiện")
        statuses = _statuses(data)
        ax.scatter(x, v, c=[STATUS_COLORS[s] for s in statuses], s=42, zorder=5, edgecolors="white")
        targets = milestone_targets(until_year(table, last_year), indicator_id, breakdown, reg)
        extend = max((t["year"] for t in targets), default=None) if period_kind == "year" else None
        _period_ticks(ax, rows, period_kind, extend_to=extend)
        last_data_year = int(str(data["period"].iloc[-1])[:4])
        side = "right" if extend is not None and extend > last_data_year else "left"
        target_values = _draw_milestones(ax, targets, label_side=side)
        if unit == "share":
            lo, hi = _share_limits([*v, *target_values, *lows])
            ax.set_ylim(lo, hi)
            _share_ticks(ax.yaxis, lo, hi)
        else:
            ax.yaxis.set_major_formatter(fmt.tick_formatter("billion" if unit == "vnd" else "number"))
        _draw_break(ax, reg)
        ax.set_xlabel(PERIOD_AXIS_VI[period_kind])
        ax.set_ylabel(UNIT_AXIS_VI.get(unit, ""))
        handles = ax.get_legend_handles_labels()[0] + _status_handles(statuses)
        return _finish(fig, ax, title=title, subtitle=f"{scope} · {_status_sentence(data)}",
                       footnote=_footnote_text(_source_of(spec, source), data_date, extra), handles=handles,
                       axis_room=axis_room)


LABEL_WIDTH = 44


def _wrapped(labels: Any) -> list[str]:
    return ["\n".join(textwrap.wrap(str(s), LABEL_WIDTH)) for s in labels]


def _bar_axes(labels: Any) -> tuple[Figure, plt.Axes]:
    """A figure tall enough for one bar per label (labels of several lines get more room)."""
    lines = [t.count("\n") + 1 for t in _wrapped(labels)]
    return _new_figure(max(4.2, sum(max(0.42, 0.17 * n + 0.12) for n in lines) + 2.9))


def _bars(ax: plt.Axes, frame: pd.DataFrame, colors: list[str], noun: str) -> None:
    """Horizontal bars (first row on top) with Wilson intervals and ``value · n`` labels."""
    y = np.arange(len(frame))
    v = _floats(frame["value"])
    low, high = _floats(frame["low"]), _floats(frame["high"])
    ax.barh(y, v, color=colors, height=0.65, zorder=2)
    ax.errorbar(v, y, xerr=_errors(v, low, high), fmt="none", ecolor="#333333", elinewidth=1, capsize=3, zorder=3,
                gid="wilson", label="Khoảng tin cậy 95% (Wilson)")
    for yi, vi, hi, n in zip(y, v, high, _floats(frame["denominator"]), strict=True):
        ax.text((hi if hi == hi else vi) + 0.008, yi, f"{fmt.percent(vi)} · n = {fmt.number(n)}{noun}",
                va="center", fontsize=7.5, gid="n")
    ax.set_yticks(y, _wrapped(frame["label"]), fontsize=8.5)
    ax.set_ylim(len(frame) - 0.5, -0.5)
    lo = _share_limits([*v, *low[~np.isnan(low)]])[0]
    ax.set_xlim(lo, 1.0 + (1.0 - lo) * 0.32)
    _share_ticks(ax.xaxis, lo)
    ax.set_xlabel("Tỷ lệ (%)")


def indicator_breakdown(table: pd.DataFrame, indicator_id: str, period: str, *, by: str = "field",
                        registry: Mapping | None = None, source: str | None = None, data_date: Any = None,
                        min_n: int = 1) -> Figure:
    """One period of an indicator by group (field, aspect or unit), the weakest group on top.

    Bars are coloured by status with the status words in the legend; Wilson 95% intervals, n, the
    value of the whole Department and the milestone the period is judged against are drawn.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id, period : str
        Which indicator and period (``2025``, ``2025-H1``, ``2025-Q3``, ``2025-07``).
    by : {"field", "aspect", "unit"}
        The breakdown.
    registry : mapping, optional
        The milestone registry (default: the packaged one).
    source, data_date : optional
        For the footnote.
    min_n : int
        Groups with fewer answers or dossiers are left out.
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    title = spec.get("title_vi", indicator_id)
    period = str(period)
    groups = breakdown_rows(table, indicator_id, period, by=by, registry=reg, min_n=min_n)
    rising = spec.get("direction", "increase") == "increase"
    subtitle = (f"Theo {fmt.BREAKDOWN_KINDS_VI.get(by, by)} · {fmt.period_label(period)} · "
                f"nhóm {'thấp' if rising else 'cao'} nhất ở trên")
    with style():
        fig, ax = _bar_axes(groups["label"])
        if groups.empty:
            _no_data(ax, f"Chưa có số liệu theo {fmt.BREAKDOWN_KINDS_VI.get(by, by)} cho "
                         f"{fmt.lower_first(fmt.period_label(period))}.")
            return _finish(fig, ax, title=title, subtitle=subtitle,
                           footnote=_footnote_text(_source_of(spec, source), data_date), left=0.36)
        statuses = _statuses(groups)
        noun = f" {_n_noun(spec)}".rstrip()
        _bars(ax, groups, [STATUS_COLORS[s] for s in statuses], noun)
        overall = table[(table["indicator_id"] == indicator_id) & (table["period"] == period)
                        & (table["breakdown"] == "all")]
        if not overall.empty and pd.notna(overall["value"].iloc[0]):
            ov = float(overall["value"].iloc[0])
            ax.axvline(ov, color=SERIES_COLOR, lw=1.2, label=f"Toàn Sở: {fmt.percent(ov)}", zorder=1)
        target = milestones.next_target(spec, int(period[:4]))
        if target is not None:
            chosen = [t for t in milestone_targets(until_year(table, int(period[:4])), indicator_id, "all", reg)
                      if t["year"] == target["year"]]
            _draw_milestones(ax, chosen, horizontal=False, with_path=False)
        handles = ax.get_legend_handles_labels()[0] + _status_handles(statuses)
        return _finish(fig, ax, title=title, subtitle=subtitle, handles=handles, left=0.36,
                       footnote=_footnote_text(_source_of(spec, source), data_date,
                                               f"n: số {_n_noun(spec) or 'quan sát'} trong kỳ. "
                                               "Thanh ngang: khoảng tin cậy 95% (Wilson)."))


def breakdown_rows(table: pd.DataFrame, indicator_id: str, period: str, *, by: str = "field",
                   registry: Mapping | None = None, min_n: int = 1) -> pd.DataFrame:
    """The groups of one period with data, weakest first, with ``label`` and Wilson ``low``/``high``.

    Weakest means lowest for a rising indicator and highest for a falling one (registry ``direction``).
    """
    columns = [*indicators.COLUMNS, "label", "low", "high"]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    spec = fmt.indicator_spec(indicator_id, registry)
    rows = table[(table["indicator_id"] == indicator_id) & (table["period"] == str(period))
                 & table["breakdown"].astype(str).str.startswith(f"{by}=") & table["value"].notna()]
    rows = rows[pd.to_numeric(rows["denominator"], errors="coerce").fillna(0) >= min_n].copy()
    rows["label"] = [fmt.breakdown_label(b) for b in rows["breakdown"].astype(str)]
    rising = spec.get("direction", "increase") == "increase"
    rows = rows.assign(_v=_floats(rows["value"])).sort_values(["_v", "label"], ascending=[rising, True])
    return with_intervals(rows.drop(columns="_v")).reset_index(drop=True)[columns]


def amount_trend(table: pd.DataFrame, indicator_id: str, *, registry: Mapping | None = None,
                 budget: pd.DataFrame | None = None, source: str | None = None, data_date: Any = None,
                 last_year: int | None = None) -> Figure:
    """Budget (``public_unit_budget_vnd``) or headcount (``public_unit_headcount``) by year, against the
    baseline, the milestones, the path needed and the yearly rate of change still needed.

    Bars are coloured by status (words in the legend); years whose budget total is still partly a plan
    (dự toán) are hatched. The status and the rate still needed are judged on the last actual year.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id : str
        ``public_unit_budget_vnd`` or ``public_unit_headcount``.
    registry : mapping, optional
        The milestone registry (default: the packaged one).
    budget : pandas.DataFrame, optional
        The canonical budget table, to tell plan years from actual ones (:func:`budget_stages`).
    last_year : int, optional
        The review year: later years are shown only when they are plans (e.g. the 2026 plan).
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    title = spec.get("title_vi", indicator_id)
    unit = spec.get("unit", "vnd")
    stages = budget_stages(budget)
    rows = select_series(table, indicator_id)
    years_all = rows["period"].astype(str).astype(int)
    keep = (years_all <= last_year) | years_all.map(lambda y: stages.get(int(y)) == "plan") if last_year else None
    rows = rows[keep].reset_index(drop=True) if keep is not None else rows
    data = rows[rows["value"].notna()]
    with style():
        fig, ax = _new_figure()
        if data.empty:
            _no_data(ax, "Chưa có số liệu cho chỉ tiêu này.")
            return _finish(fig, ax, title=title, subtitle=milestones.STATUS_WORDS_VI["no_data"],
                           footnote=_footnote_text(_source_of(spec, source), data_date), left=0.1)
        years = data["period"].astype(str).astype(int).to_numpy()
        v = _floats(data["value"])
        is_plan = np.array([stages.get(int(y)) == "plan" for y in years])
        statuses = _statuses(data)
        colors = [STATUS_COLORS[s] for s in statuses]
        for yi, vi, plan, color in zip(years, v, is_plan, colors, strict=True):
            ax.bar(yi + 0.5, vi, width=0.6, zorder=2, color="white" if plan else color, edgecolor=color,
                   hatch="//" if plan else None, lw=1.2)
            ax.text(yi + 0.5, vi, fmt.value(vi, indicator_id, reg).replace(" tỷ đồng", "").replace(" người", ""),
                    ha="center", va="bottom", fontsize=7.5)
        targets = milestone_targets(until_year(table, last_year), indicator_id, "all", reg)
        _period_ticks(ax, data, "year", extend_to=max((t["year"] for t in targets), default=None))
        for t in targets:
            if t["baseline_value"] is None:
                continue
            first, last = t["baseline"]["years"]
            word = "Bình quân" if t["baseline"]["statistic"] == "mean" else "Năm gốc"
            span = f"{first}–{last}" if first != last else f"{first}"
            ax.hlines(t["baseline_value"], first + 0.1, last + 0.9, colors="#2c3e50", lw=2.4, zorder=3,
                      label=f"{word} {span}: {fmt.value(t['baseline_value'], indicator_id, reg)}",
                      gid=f"baseline-{t['year']}")
        _draw_milestones(ax, targets)
        _draw_break(ax, reg)
        ax.yaxis.set_major_formatter(fmt.tick_formatter("billion" if unit == "vnd" else "number",
                                                         1 if unit == "vnd" else 0))
        ax.set_ylim(0, max([*v, *(t["value"] or 0 for t in targets)]) * 1.18)
        ax.set_xlabel("Năm")
        ax.set_ylabel(UNIT_AXIS_VI.get(unit, ""))
        actual = data[~is_plan] if (~is_plan).any() else data
        last_actual = int(actual["period"].astype(str).astype(int).max())
        subtitle = _status_sentence(actual)
        needed = required_change(table, indicator_id, reg, last_year=last_actual)
        if needed is not None:
            subtitle += f" · {needed['text']}"
        handles = ax.get_legend_handles_labels()[0]
        if stages:
            handles += [Patch(fc="#9e9e9e", ec="#616161", label="Quyết toán (thực hiện)")]
            if is_plan.any():
                handles += [Patch(fc="white", ec="#616161", hatch="//", label="Dự toán (kế hoạch)")]
        handles += _status_handles(statuses)
        unknown = [f"Mốc {t['year']} chưa xác định: cần đủ số liệu năm gốc "
                   f"{'–'.join(str(y) for y in sorted(set(t['baseline']['years'])))}."
                   for t in targets if t["value"] is None and t["baseline"]]
        return _finish(fig, ax, title=title, subtitle=subtitle, handles=handles, left=0.1,
                       footnote=_footnote_text(_source_of(spec, source), data_date, " ".join(unknown)))


def required_change(table: pd.DataFrame, indicator_id: str, registry: Mapping | None = None, *,
                    last_year: int | None = None) -> dict[str, Any] | None:
    """The constant yearly rate of change that takes the last known year to the last milestone.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id : str
        The indicator.
    registry : mapping, optional
        The milestone registry.
    last_year : int, optional
        Ignore later years (e.g. plan years).

    Returns
    -------
    dict or None
        ``from_year``, ``current``, ``target_year``, ``target``, ``label``, ``rate`` (e.g. -0.032),
        ``verb``, ``span`` and ``text`` (``Cần giảm bình quân 3,2%/năm giai đoạn 2026–2030 để đạt mốc
        2030``); None when no later milestone is known and still unmet.
    """
    reg = registry or milestones.load_registry()
    table = until_year(table, last_year)
    history = yearly_history(table, indicator_id)
    targets = [t for t in milestone_targets(table, indicator_id, "all", reg) if t["value"] is not None]
    if not history or not targets:
        return None
    from_year = max(history)
    current = history[from_year]
    future = [t for t in targets if t["year"] > from_year
              and milestones.judge(current, t["value"], t["operator"], t["year"], t["year"], t["value"], 0.0) != "met"]
    if not future:
        return None
    target = future[-1]
    rate = milestones.required_annual_change(current, target["value"], target["year"] - from_year)
    if rate is None:
        return None
    verb = "tăng" if rate > 0 else "giảm"
    span = (f"năm {target['year']}" if target["year"] == from_year + 1
            else f"giai đoạn {from_year + 1}–{target['year']}")
    text = f"Cần {verb} bình quân {fmt.number(abs(rate) * 100, 1)}%/năm {span} để đạt mốc {target['year']}"
    return {"from_year": from_year, "current": current, "target_year": target["year"], "target": target["value"],
            "label": target["label"], "rate": rate, "verb": verb, "span": span, "text": text}


def _share_bar_chart(frame: pd.DataFrame, title: str, subtitle: str, empty: str, source: str,
                     data_date: Any, noun: str) -> Figure:
    with style():
        fig, ax = _bar_axes(frame["label"])
        if frame.empty:
            _no_data(ax, empty)
            return _finish(fig, ax, title=title, subtitle=subtitle, footnote=_footnote_text(source, data_date),
                           left=0.36)
        _bars(ax, frame, [SERIES_COLOR] * len(frame), noun)
        return _finish(fig, ax, title=title, subtitle=subtitle, left=0.36,
                       footnote=_footnote_text(source, data_date, "Thanh ngang: khoảng tin cậy 95% (Wilson)."))


def criteria_chart(evaluations: pd.DataFrame | None, *, period: str | None = None, source: str | None = None,
                   data_date: Any = None) -> Figure:
    """Share of the top score per evaluation criterion (Tiêu chí 1…9), the weakest on top.

    Parameters
    ----------
    evaluations : pandas.DataFrame or None
        The canonical evaluations table (``evaluated_at``, ``c1`` … ``c9``).
    period : str, optional
        Only evaluations of this period (all when omitted).
    source, data_date : optional
        For the footnote.
    """
    frame = criteria_shares(evaluations, period)
    scope = fmt.period_label(period) if period else "Toàn bộ thời gian"
    return _share_bar_chart(frame, "Tỷ lệ phiếu chấm điểm cao nhất theo tiêu chí đánh giá",
                            f"{scope} · tiêu chí yếu nhất ở trên · chỉ số theo dõi, "
                            f"{fmt.lower_first(milestones.STATUS_WORDS_VI['no_target'])}",
                            "Chưa có phiếu đánh giá có điểm theo tiêu chí cho kỳ này.",
                            source if source is not None else fmt.SOURCES_VI["evaluations"], data_date, " phiếu")


def procedure_chart(evaluations: pd.DataFrame | None, dossiers: pd.DataFrame | None, *, period: str | None = None,
                    top: int = 10, min_n: int = 10, source: str | None = None, data_date: Any = None) -> Figure:
    """The ``top`` procedures with the lowest satisfaction share (at least ``min_n`` answers each)."""
    frame = procedure_satisfaction(evaluations, dossiers, period, min_n).head(top)
    scope = fmt.period_label(period) if period else "Toàn bộ thời gian"
    return _share_bar_chart(frame, "Thủ tục hành chính có mức độ hài lòng thấp nhất",
                            f"{scope} · thủ tục có từ {fmt.number(min_n)} phiếu trở lên · thấp nhất ở trên",
                            "Chưa có đủ phiếu đánh giá gắn với hồ sơ (thủ tục) cho kỳ này.",
                            source if source is not None else fmt.SOURCES_VI["evaluations"], data_date, " phiếu")


def coverage_chart(dossiers: pd.DataFrame | None, evaluations: pd.DataFrame | None, *,
                   period_kind: str = "quarter", first_year: int | None = None, last_year: int | None = None,
                   source: str | None = None, data_date: Any = None) -> Figure:
    """Share of resolved dossiers that were evaluated (coverage of the evaluations), by period.

    Parameters
    ----------
    dossiers, evaluations : pandas.DataFrame or None
        The canonical tables.
    period_kind : {"year", "half", "quarter", "month"}
        The periods (by resolution date).
    first_year, last_year : int, optional
        The years shown.
    source, data_date : optional
        For the footnote.
    """
    frame = evaluation_coverage(dossiers, evaluations, period_kind)
    years = frame["period"].astype(str).str[:4].astype(int) if not frame.empty else pd.Series(dtype=int)
    if first_year is not None:
        frame = frame[years >= first_year]
    if last_year is not None:
        frame = frame[years.loc[frame.index] <= last_year]
    frame = frame.reset_index(drop=True)
    title = "Tỷ lệ hồ sơ đã giải quyết được đánh giá mức độ hài lòng"
    subtitle = (f"Theo {PERIOD_AXIS_VI[period_kind].lower()} giải quyết · chỉ số theo dõi, "
                f"{fmt.lower_first(milestones.STATUS_WORDS_VI['no_target'])}")
    source = source if source is not None else f"{fmt.SOURCES_VI['dossiers']}; {fmt.SOURCES_VI['evaluations']}"
    axis_room = 0.55 if period_kind == "year" else 0.85
    with style():
        fig, ax = _new_figure()
        if frame.empty:
            _no_data(ax, "Chưa có hồ sơ đã giải quyết hoặc phiếu đánh giá gắn với hồ sơ.")
            return _finish(fig, ax, title=title, subtitle=subtitle, footnote=_footnote_text(source, data_date),
                           axis_room=axis_room)
        x = np.arange(len(frame))
        v, low, high = _floats(frame["value"]), _floats(frame["low"]), _floats(frame["high"])
        ax.bar(x, v, color=SERIES_COLOR, width=0.65, zorder=2, label="Tỷ lệ hồ sơ được đánh giá")
        ax.errorbar(x, v, yerr=_errors(v, low, high), fmt="none", ecolor="#333333", capsize=3, zorder=3,
                    gid="wilson", label="Khoảng tin cậy 95% (Wilson)")
        if len(frame) <= 24:
            _annotate_n(ax, x, high, _floats(frame["denominator"]))
        step = _tick_step(len(x), period_kind)
        labels = [fmt.period_label(p, short=True) for p in frame["period"].astype(str)]
        rotate = period_kind != "year"
        ax.set_xticks(x[::step], labels[::step], rotation=45 if rotate else 0, ha="right" if rotate else "center")
        top = min(1.0, float(np.nanmax(high)) + 0.1)
        ax.set_ylim(0, top)
        _share_ticks(ax.yaxis, 0.0, top)
        ax.set_xlabel(f"{PERIOD_AXIS_VI[period_kind]} (theo ngày giải quyết)")
        ax.set_ylabel("Tỷ lệ (%)")
        return _finish(fig, ax, title=title, subtitle=subtitle, handles=ax.get_legend_handles_labels()[0],
                       axis_room=axis_room,
                       footnote=_footnote_text(source, data_date, "n: số hồ sơ đã giải quyết trong kỳ. "
                                                                  "Thanh dọc: khoảng tin cậy 95% (Wilson)."))


def figure_texts(fig: Figure) -> list[str]:
    """Every text of a figure (titles, labels, annotations, legend entries, tick labels), for checks.

    >>> fig = plt.figure(); _ = fig.suptitle("Tiêu đề"); figure_texts(fig)
    ['Tiêu đề']
    >>> plt.close(fig)
    """
    return [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text()]
