"""Views of the programme by area: its clauses with their measures, and its tasks by lead unit.

The pack reports as the Department does, by the programme's areas in the order of QĐ 09/QĐ-SCT
(II.1 … II.6, then III). :func:`area_clauses` gives one row per clause of ``registry/programme.yaml``
(one per measure where a clause names two indicators) with the value of the review year, the target,
the status in words, the trend since 2021 and the 2021–2025 figure; :func:`area_tasks` counts the task
register by area and lead unit (done, late, open). The scoreboard, notebook 05 and the Word draft read
these frames and compute nothing of their own.

Status of a clause: the value of the review year against *this clause's* target, on the straight path
from the baseline year (as :func:`cchc_analysis.milestones.assess` judges the indicator table): where
the table's row is judged against the same milestone, the two statuses are the same. A clause whose
year is past is judged as met or not; a value inside the baseline a relative target is measured from is
not judged yet (``not_yet_due``, "Chưa đến kỳ đánh giá", as the pack shows the table's ``no_target`` there:
:func:`cchc_analysis.milestones.shown_status`). Qualitative clauses get the status ``qualitative`` (judged in
words, through the tasks of their area); clauses that do not apply to the Department ``not_applicable``.

>>> programme_areas()["area"].tolist()
['II.1', 'II.2', 'II.3', 'II.4', 'II.5', 'II.6', 'III']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cchc_analysis import formatting as fmt
from cchc_analysis import milestones, views
from cchc_analysis.periods import Period

#: Status words of the clause view (the indicator statuses, plus two of clauses).
CLAUSE_STATUS_WORDS_VI = {**milestones.STATUS_WORDS_VI,
                          "qualitative": "Đánh giá bằng lời, qua nhiệm vụ",
                          "not_applicable": "Không áp dụng đối với Sở"}
PART_WORDS_VI = {"objective": "Mục tiêu", "target": "Chỉ tiêu", "task": "Nhiệm vụ", "solution": "Giải pháp"}
SPAN = "2021-2025"

CLAUSE_COLUMNS = ["area", "clause_id", "part", "year", "text_vi", "quantitative", "applies", "reason",
                  "indicator_id", "indicator_title", "value", "value_text", "target", "target_text", "status", "status_vi",
                  "trend_text", "value_2021_2025", "value_2021_2025_text", "basis_note"]
TASK_COLUMNS = ["area", "lead_unit", "done", "late", "open", "total"]


def programme_areas(registry: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The programme's areas in its order: ``area`` and ``title_vi``."""
    reg = registry or milestones.load_registry()
    return pd.DataFrame([{"area": str(a["id"]), "title_vi": " ".join(str(a.get("title_vi", "")).split())}
                         for a in reg.get("areas") or []], columns=["area", "title_vi"])


def _area_order(reg: Mapping[str, Any]) -> dict[str, int]:
    return {str(a["id"]): i for i, a in enumerate(reg.get("areas") or [])}


def _yearly(table: pd.DataFrame | None, indicator_id: str) -> dict[int, float]:
    if table is None or table.empty:
        return {}
    return views.yearly_history(table, indicator_id)


def _span_value(table: pd.DataFrame | None, indicator_id: str) -> float | None:
    if table is None or table.empty:
        return None
    rows = table[(table["indicator_id"] == indicator_id) & (table["breakdown"] == "all")
                 & (table["period"].astype(str) == SPAN)]
    values = pd.to_numeric(rows["value"], errors="coerce").dropna()
    return float(values.iloc[0]) if len(values) else None


def clause_status(value: float | None, target: Mapping[str, Any], history: Mapping[int, float], year: int,
                  registry: Mapping[str, Any]) -> tuple[float | None, str]:
    """(target value, status) of one clause target for the value of ``year``.

    The path runs from :func:`cchc_analysis.milestones.path_start` to the clause's year, with the
    at-risk band of the status rules (as :func:`cchc_analysis.milestones.assess`).

    >>> reg = milestones.load_registry()
    >>> t = {"operator": ">=", "value": 0.9, "year": 2025}
    >>> clause_status(0.86, t, {2021: 0.8, 2024: 0.86}, 2024, reg)   # path 2024: 0.875; band 5 points
    (0.9, 'at_risk')
    >>> clause_status(0.95, t, {2021: 0.8}, 2024, reg)
    (0.9, 'met')
    """
    settings = registry.get("settings") or {}
    rules = registry.get("status_rules") or {}
    base_year = int(rules.get("baseline_year", 2021))
    tval = milestones.target_value(target, history, settings)
    if value is None or value != value:
        return tval, "no_data"
    target_year = int(target["year"])
    start = milestones.path_start(target, history, base_year)
    if target.get("baseline") and year <= start:
        return tval, "not_yet_due"  # the baseline window itself is not judged: the target is measured from it
    if tval is None:
        return None, "no_target"
    path = milestones.path_value(min(year, target_year), start, history.get(start), target_year, tval)
    spec_unit = target.get("_unit")
    band = (float(rules.get("at_risk_band_share", 0.05)) if spec_unit == "share"
            else float(rules.get("at_risk_band_relative", 0.05)) * abs(path))
    return tval, milestones.judge(float(value), tval, target["operator"], int(year), target_year, path, band)


def trend_text(history: Mapping[int, float], year: int, indicator_id: str,
               registry: Mapping[str, Any] | None = None, start_year: int = 2021) -> str:
    """The change from the first year with a value (from ``start_year``) to ``year``, in words.

    >>> trend_text({2021: 0.8, 2023: 0.85, 2025: 0.9}, 2025, "satisfaction_share")
    '2021: 80,0% → 2025: 90,0% (+10,0 điểm %)'
    >>> trend_text({2025: 0.9}, 2025, "satisfaction_share")
    'chỉ có số liệu năm 2025'
    >>> trend_text({}, 2025, "satisfaction_share")
    '–'
    """
    known = {y: v for y, v in history.items() if start_year <= y <= int(year)}
    if not known:
        return fmt.MISSING
    first, last = min(known), max(known)
    if first == last:
        return f"chỉ có số liệu năm {last}"
    a, b = known[first], known[last]
    unit = fmt.indicator_spec(indicator_id, registry).get("unit")
    if unit == "share":
        change = fmt.points(b - a)
    elif a:
        change = fmt.percent((b - a) / abs(a), 1, sign=True)
    else:
        change = fmt.number(b - a, 1, sign=True)
    return (f"{first}: {fmt.value(a, indicator_id, registry)} → {last}: {fmt.value(b, indicator_id, registry)} "
            f"({change})")


def area_clauses(table: pd.DataFrame | None, year: int, registry: Mapping[str, Any] | None = None,
                 basis: Mapping[str, str | None] | None = None) -> pd.DataFrame:
    """One row per clause of the programme (per measure where a clause has two), in the programme's order.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table (``indicator_id``, ``period``, ``breakdown``, ``value``); only the ``all``
        breakdown, the yearly rows up to ``year`` and the ``2021-2025`` rows are read.
    year : int
        The review year.
    registry : mapping, optional
        The registry (default: :func:`cchc_analysis.milestones.load_registry`).
    basis : mapping, optional
        Indicator id → the sentence on its years not on the merged basis
        (:func:`cchc_analysis.views.merger_notes`), copied to ``basis_note`` (empty when not given).

    Returns
    -------
    pandas.DataFrame
        :data:`CLAUSE_COLUMNS`: the clause (``area``, ``clause_id``, ``part``, ``year``, ``text_vi``
        verbatim, ``quantitative``, ``applies``, ``reason``), its measure (``indicator_id``, ``value`` of
        ``year`` and ``value_text``, ``target`` and ``target_text``, ``status`` and ``status_vi``), the
        trend since 2021 (``trend_text``), the 2021–2025 figure (``value_2021_2025`` and its text) and
        the merger basis of the years of the trend (``basis_note``).

    Examples
    --------
    >>> t = pd.DataFrame({"indicator_id": "satisfaction_share", "breakdown": "all",
    ...                   "period": ["2021", "2025"], "value": [0.8, 0.92]})
    >>> rows = area_clauses(t, 2025).set_index("clause_id")
    >>> rows.loc["II.2-2025-satisfaction", ["value_text", "target_text", "status_vi"]].tolist()
    ['92,0%', '≥ 90,0%', 'Đã đạt']
    """
    reg = registry or milestones.load_registry()
    year = int(year)
    table = views.until_year(table, year) if table is not None and not table.empty else table
    order = _area_order(reg)
    rows = []
    for clause in reg.get("clauses") or []:
        base = {"area": str(clause.get("area")), "clause_id": str(clause.get("id")), "part": clause.get("part"),
                "year": clause.get("year"), "text_vi": " ".join(str(clause.get("text_vi", "")).split()),
                "quantitative": bool(clause.get("quantitative")), "applies": bool(clause.get("applies", True)),
                "reason": clause.get("reason")}
        targets = clause.get("targets") or []
        if not base["applies"] or not targets:
            status = "not_applicable" if not base["applies"] else "qualitative"
            rows.append({**base, "status": status, "status_vi": CLAUSE_STATUS_WORDS_VI[status]})
            continue
        for target in targets:
            ind = str(target["indicator"])
            spec = fmt.indicator_spec(ind, reg)
            history = _yearly(table, ind)
            value = history.get(year)
            full = {**target, "year": clause.get("year"), "_unit": spec.get("unit")}
            tval, status = clause_status(value, full, history, year, reg)
            span = _span_value(table, ind)
            rows.append({**base, "indicator_id": ind, "indicator_title": spec.get("title_vi", ind), "value": value,
                         "value_text": fmt.value(value, ind, reg),
                         "target": tval,
                         "target_text": (fmt.target_text(target["operator"], tval, ind, reg) if tval is not None
                                         else "chưa xác định"),
                         "status": status, "status_vi": CLAUSE_STATUS_WORDS_VI.get(status, status),
                         "trend_text": trend_text(history, year, ind, reg),
                         "value_2021_2025": span, "value_2021_2025_text": fmt.value(span, ind, reg),
                         "basis_note": (basis or {}).get(ind)})
    out = pd.DataFrame(rows, columns=CLAUSE_COLUMNS)
    out["_order"] = out["area"].map(order).fillna(len(order))
    out = out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    for col in ("value", "target", "value_2021_2025"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    return out


def task_state(tasks: pd.DataFrame, as_of: Any) -> pd.Series:
    """``done``, ``late``, ``open`` or ``cancelled`` for each task, as of a date.

    - ``done``: done (by ``as_of``) and by its deadline, or done without a deadline;
    - ``late``: past its deadline and not done by it (a task done after its deadline is late, even
      once done), or done after its deadline;
    - ``open``: not done by ``as_of``, and its deadline not passed (or it has none);
    - ``cancelled``: counted in none of the three.

    A task marked done without a date counts as done on time. A task done after ``as_of`` is not
    done yet at ``as_of``.

    >>> t = pd.DataFrame({"status": ["done", "done", "in_progress", "not_started", "cancelled", "done"],
    ...     "deadline": pd.to_datetime(["2025-06-30", "2025-06-30", "2025-06-30", "2026-03-31", None, None]),
    ...     "done_at": pd.to_datetime(["2025-06-01", "2025-08-01", None, None, None, None])})
    >>> task_state(t, "2025-12-31").tolist()
    ['done', 'late', 'late', 'open', 'cancelled', 'done']
    """
    when = pd.Timestamp(as_of).normalize()
    status = tasks["status"].astype(str)
    deadline = pd.to_datetime(tasks["deadline"], errors="coerce").dt.normalize()
    done_at = pd.to_datetime(tasks["done_at"], errors="coerce").dt.normalize()
    done = status.eq("done") & ~(done_at > when)
    in_time = done_at.isna() | deadline.isna() | (done_at <= deadline)
    passed = deadline.notna() & (deadline < when)
    state = pd.Series("open", index=tasks.index, dtype=object)
    state[done & in_time] = "done"
    state[(done & ~in_time) | (~done & passed)] = "late"
    state[status.eq("cancelled")] = "cancelled"
    return state


def area_tasks(tasks: pd.DataFrame | None, year: int | str, registry: Mapping[str, Any] | None = None
               ) -> pd.DataFrame:
    """The task register counted by area (the programme's order) and lead unit, as of the end of ``year``.

    Parameters
    ----------
    tasks : pandas.DataFrame
        The ``tasks`` table (``area``, ``lead_unit``, ``deadline``, ``status``, ``done_at``).
    year : int or str
        The review year, or a period label (``2026-H1``): tasks are counted as of its last day.

    Returns
    -------
    pandas.DataFrame
        :data:`TASK_COLUMNS`: ``done``, ``late``, ``open`` (see :func:`task_state`) and ``total``
        (cancelled tasks are in none).

    Examples
    --------
    >>> t = pd.DataFrame({"area": ["II.2", "II.1", "II.1"], "lead_unit": ["VP", "VP", "TT"],
    ...     "status": ["done", "in_progress", "done"], "deadline": pd.to_datetime(["2025-01-01"] * 3),
    ...     "done_at": pd.to_datetime(["2024-12-01", None, "2025-02-01"])})
    >>> area_tasks(t, 2025).values.tolist()
    [['II.1', 'TT', 0, 1, 0, 1], ['II.1', 'VP', 0, 1, 0, 1], ['II.2', 'VP', 1, 0, 0, 1]]
    """
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=TASK_COLUMNS)
    reg = registry or milestones.load_registry()
    as_of = Period.parse(str(year)).end
    state = task_state(tasks, as_of)
    frame = pd.DataFrame({"area": tasks["area"].astype(str),
                          "lead_unit": tasks["lead_unit"].astype("string").fillna("Chưa xác định").astype(str),
                          "state": state})
    frame = frame[frame["state"] != "cancelled"]
    counts = pd.crosstab([frame["area"], frame["lead_unit"]], frame["state"])
    counts = counts.reindex(columns=["done", "late", "open"], fill_value=0).reset_index()
    counts["total"] = counts[["done", "late", "open"]].sum(axis=1)
    order = _area_order(reg)
    counts["_order"] = counts["area"].map(order).fillna(len(order))
    counts = counts.sort_values(["_order", "area", "lead_unit"], kind="stable").drop(columns="_order")
    counts.columns.name = None
    for col in ("done", "late", "open", "total"):
        counts[col] = counts[col].astype(int)
    return counts[TASK_COLUMNS].reset_index(drop=True)


def area_figures(folder: Any, registry: Mapping[str, Any] | None = None) -> dict[str, list]:
    """The pack's PNG figures of each area: ``figures/INDICATOR.png`` of the area's indicators.

    Only the main figure of each indicator (named after it) is taken, in the registry's order, with
    the indicator's title as its caption.
    """
    from pathlib import Path

    reg = registry or milestones.load_registry()
    folder = Path(folder)
    out: dict[str, list] = {}
    for ind, spec in (reg.get("indicators") or {}).items():
        png = folder / f"{ind}.png"
        if png.is_file() and spec.get("area"):
            out.setdefault(str(spec["area"]), []).append((png, str(spec.get("title_vi", ind))))
    return out
