"""Charts of the review pack: one function per chart kind, tidy frames in, a matplotlib Figure out.

Chart functions never read files: they take the indicator table (:func:`cchc_analysis.indicators.compute`),
the milestone registry (:func:`cchc_analysis.milestones.load_registry`, the packaged one by default) or
a canonical table, and return a :class:`matplotlib.figure.Figure`. Every indicator chart shows the
programme's milestones (registry ``milestone_years``) as labelled lines, the straight path needed to reach them, the status in words, the
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

import textwrap
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from cchc_analysis import formatting as fmt
from cchc_analysis import milestones
from cchc_analysis.chart_base import (  # noqa: F401  (re-exported)
    BREAK_COLOR,
    FIGSIZE,
    PATH_COLOR,
    PERIOD_AXIS_VI,
    PNG_DPI,
    SERIES_COLOR,
    STATUS_COLORS,
    SVG_HASHSALT,
    TARGET_PALETTE,
    UNIT_AXIS_VI,
    _annotate_n,
    _draw_break,
    _draw_milestones,
    _errors,
    _finish,
    _footnote_text,
    _n_noun,
    _new_figure,
    _no_data,
    _period_ticks,
    _share_limits,
    _share_ticks,
    _source_of,
    _status_handles,
    _status_sentence,
    _statuses,
    _target_color,
    _tick_step,
    figure_texts,
    save_figure,
    set_style,
    style,
    style_rc,
)
from cchc_analysis.views import (  # noqa: F401  (re-exported: the frames each chart draws)
    CRITERIA,
    TOP_SCORE,
    _floats,
    breakdown_rows,
    budget_stages,
    criteria_shares,
    date_position,
    evaluation_coverage,
    in_period,
    milestone_targets,
    period_position,
    procedure_satisfaction,
    required_change,
    select_series,
    until_year,
    with_intervals,
    yearly_history,
)


def indicator_trend(table: pd.DataFrame, indicator_id: str, *, breakdown: str = "all", period_kind: str = "year",
                    registry: Mapping | None = None, source: str | None = None, data_date: Any = None,
                    first_year: int | None = None, last_year: int | None = None,
                    basis_note: str | None = None) -> Figure:
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
    basis_note : str, optional
        The merger-basis sentence of the years shown (:func:`cchc_analysis.views.merger_note`), added to
        the footnote.

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
                       footnote=_footnote_text(_source_of(spec, source), data_date,
                                               f"{extra} {basis_note or ''}"), handles=handles,
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


def amount_trend(table: pd.DataFrame, indicator_id: str, *, registry: Mapping | None = None,
                 budget: pd.DataFrame | None = None, source: str | None = None, data_date: Any = None,
                 last_year: int | None = None, basis_note: str | None = None) -> Figure:
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
                       footnote=_footnote_text(_source_of(spec, source), data_date,
                                               " ".join([*unknown, basis_note or ""])))


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
