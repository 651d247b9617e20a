"""Views: tidy frames of the indicator table and the canonical tables, ready to draw or to read.

Charts (:mod:`cchc_analysis.charts`), readings (:mod:`cchc_analysis.narrative`) and the scoreboard use
these frames and compute nothing of their own: a series in time order with its position on the time
axis and its Wilson interval (:func:`select_series`), the targets of an indicator with their values,
baselines and the straight paths to them (:func:`milestone_targets`), breakdowns weakest first
(:func:`breakdown_rows`), the coverage of evaluations (:func:`evaluation_coverage`), criteria and
procedure shares, budget stages, and the yearly change still needed (:func:`required_change`).

>>> import pandas as pd
>>> t = pd.DataFrame({"indicator_id": ["x"] * 3, "period": ["2024", "2024-Q1", "2025"], "breakdown": "all",
...                   "value": [0.5, 0.4, 0.6], "numerator": [1, 2, 3], "denominator": [2, 5, 5]})
>>> select_series(t, "x")[["period", "x"]].values.tolist()
[['2024', 2024.5], ['2025', 2025.5]]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis import formatting as fmt
from cchc_analysis import indicators, milestones
from cchc_analysis.periods import Period
from cchc_analysis.stats import wilson_interval

CRITERIA = tuple(f"c{i}" for i in range(1, 10))
TOP_SCORE = 2


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
    >>> until_year(pd.DataFrame({"period": ["2021-2025", "2024-12", "2025-12-15..2026-12-14", "2026-H1"]}),
    ...            2025)["period"].tolist()
    ['2021-2025', '2024-12', '2025-12-15..2026-12-14']
    """
    if year is None or table is None or table.empty:
        return table
    # labels start with their first year's four digits, so comparing the text with the next year's
    # number is comparing the years (no conversion of every label)
    keep = (table["period"].astype(str) < f"{int(year) + 1:04d}").to_numpy(dtype=bool)
    return table if keep.all() else table[keep]


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


def shown_statuses(rows: pd.DataFrame, registry: Mapping | None = None) -> list[str]:
    """The status of each row as the pack shows it (:func:`cchc_analysis.milestones.shown_status`):
    ``not_yet_due`` for a ``no_target`` row inside the baseline of the measure's target.

    >>> rows = pd.DataFrame({"indicator_id": ["public_unit_budget_vnd", "dossier_online_share", "x"],
    ...                      "period": ["2024", "2024", "2024"], "status": ["no_target", "no_target", None]})
    >>> shown_statuses(rows)
    ['not_yet_due', 'no_target', 'no_data']
    """
    if rows is None or rows.empty:
        return []
    reg = registry or milestones.load_registry()
    return [milestones.shown_status(s, str(i), str(p), reg)
            for s, i, p in zip(rows["status"], rows["indicator_id"], rows["period"], strict=True)]


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
        ``clause``, ``clause_id``, ``text`` (the target with its operator, ``≥ 90,0%``) and ``label``
        (``Mốc 2025: ≥ 90,0%``).
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    settings = reg.get("settings") or {}
    base_year = int((reg.get("status_rules") or {}).get("baseline_year", 2021))
    if table is not None and not table.empty:  # the series' rows, once
        table = table[((table["indicator_id"] == indicator_id) & (table["breakdown"] == breakdown)).to_numpy(bool)]
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
            "clause_id": target.get("clause_id"),
            "text": (fmt.target_text(target["operator"], value, indicator_id, reg)
                     if value is not None else "chưa xác định"),
        })
        out[-1]["label"] = f"Mốc {year}: {out[-1]['text']}"
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

    A dossier is resolved in a period as in docs/contract.md section 3; it counts as evaluated when an
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
            "label": target["label"], "target_text": target["text"], "rate": rate, "verb": verb, "span": span, "text": text}


def section_indicators(section: str, registry: Mapping | None = None) -> list[str]:
    """The indicators a notebook section shows (registry ``section``), in registry order.

    >>> section_indicators("satisfaction")
    ['satisfaction_share', 'survey_satisfaction_share']
    """
    reg = registry or milestones.load_registry()
    return [i for i, spec in (reg.get("indicators") or {}).items() if spec.get("section") == section]


def _rule_text(target: Mapping[str, Any], indicator_id: str, reg: Mapping) -> str:
    """How a target reads in a listing: ``≥ 30,0%``, ``< năm gốc``, ``≥ theo lộ trình``."""
    sign = fmt.OPERATOR_SIGNS.get(target["operator"], target["operator"])
    if target.get("baseline"):
        return f"{sign} mức gốc × hệ số"
    if "value" in target:
        return f"{sign} {fmt.value(target['value'], indicator_id, reg)}"
    return f"{sign} mức theo lộ trình"


def registry_listing(section: str | None = None, registry: Mapping | None = None) -> pd.DataFrame:
    """Every indicator of a section (all when None) with its area, unit, clauses and targets, for reading.

    >>> registry_listing("budget_payroll")["indicator_id"].tolist()
    ['public_unit_headcount', 'public_unit_headcount_actual', 'public_unit_budget_vnd']
    """
    reg = registry or milestones.load_registry()
    rows = []
    for ind, spec in (reg.get("indicators") or {}).items():
        if section is not None and spec.get("section") != section:
            continue
        targets = [f"{t['year']}: {_rule_text(t, ind, reg)}" for t in spec.get("targets") or []]
        rows.append({"area": spec.get("area"), "indicator_id": ind, "title_vi": spec.get("title_vi"),
                     "unit": spec.get("unit"), "method": spec.get("method"),
                     "clauses": ", ".join(dict.fromkeys(t["clause_id"] for t in spec.get("targets") or [])),
                     "targets": "; ".join(targets) or "theo dõi"})
    return pd.DataFrame(rows, columns=["area", "indicator_id", "title_vi", "unit", "method", "clauses", "targets"])


def merger_note(tables: Mapping[str, pd.DataFrame], indicator_id: str, *, first_year: int | None = None,
                last_year: int | None = None) -> str | None:
    """The Vietnamese sentence on the years of an indicator not on the merged basis (None when all are).

    Reads :func:`cchc_analysis.indicators.merger.comparability` (the merger of 01/07/2025, units of
    ``registry/units.yaml``); for a chart's ``basis_note``, a narrative or the scoreboard.

    >>> pay = pd.DataFrame({"unit": ["Trung tâm Xúc tiến thương mại"] * 2, "year": [2024, 2026],
    ...                     "funding": ["state_budget"] * 2})
    >>> merger_note({"payroll": pay}, "public_unit_headcount")[:43]
    'Số liệu năm 2024 chỉ gồm các đơn vị của Khá'
    """
    return merger_notes(tables, first_year=first_year, last_year=last_year).get(indicator_id)


#: The last :func:`_comparability` computed: the frames it was computed from (held, so that their ids
#: stay theirs), the registry, and the rows.
_LAST_COMPARABILITY: list[Any] = []


def _comparability(tables: Mapping[str, pd.DataFrame], registry: Mapping | None) -> pd.DataFrame:
    """:func:`cchc_analysis.indicators.merger.comparability`, computed once for the same frames.

    A notebook asks for the sentence of each indicator and each reading (dozens of times) with the
    same tables; the years of each unit are looked at once. The rows are reused only for the very
    same frame objects (and registry) with the same number of rows.
    """
    from cchc_analysis.indicators import merger

    frames = tuple(tables.items())
    shape = tuple((name, None if f is None else len(f)) for name, f in frames)
    if _LAST_COMPARABILITY:
        last_frames, last_shape, last_registry, rows = _LAST_COMPARABILITY
        if (last_registry is registry and last_shape == shape
                and all(a is b for (_, a), (_, b) in zip(last_frames, frames, strict=True))):
            return rows
    rows = merger.comparability(tables, registry)
    _LAST_COMPARABILITY[:] = [frames, shape, registry, rows]
    return rows


def merger_notes(tables: Mapping[str, pd.DataFrame], *, first_year: int | None = None,
                 last_year: int | None = None, registry: Mapping | None = None) -> dict[str, str | None]:
    """Indicator id → the sentence of :func:`merger_note` for the years from ``first_year`` to ``last_year``
    (None where every such year is on the merged basis), for every indicator of a table with units.

    >>> pay = pd.DataFrame({"unit": ["Trung tâm Xúc tiến thương mại"], "year": [2023], "funding": ["state_budget"]})
    >>> merger_notes({"payroll": pay}, last_year=2025)["public_unit_headcount"][:16]
    'Số liệu năm 2023'
    >>> merger_notes({"payroll": pay}, first_year=2024)["public_unit_headcount"] is None
    True
    """
    from cchc_analysis.indicators import merger

    rows = _comparability(tables, registry)
    if _LAST_NOTES.get("rows") is not rows:  # sentences of other rows: forget them
        _LAST_NOTES.clear()
        _LAST_NOTES["rows"] = rows
    span = (first_year, last_year)
    if span not in _LAST_NOTES:
        out: dict[str, str | None] = {}
        for ind, part in rows.groupby("indicator_id", sort=False):
            years = part["period"].astype(int)
            keep = (years >= (first_year or 0)) & (years <= (last_year or 9999))
            out[str(ind)] = merger.basis_sentence(dict(zip(years[keep], part["comparable"][keep], strict=True)))
        _LAST_NOTES[span] = out
    return dict(_LAST_NOTES[span])


#: The sentences of :func:`merger_notes` by span of years, for the rows of the last
#: :func:`_comparability` (key ``"rows"``): a notebook asks for them once per indicator.
_LAST_NOTES: dict[Any, Any] = {}
