"""Form 06a: aggregate counts for periods no dossier list covers, and where the two disagree.

A form's date range is matched to a :class:`~cchc_analysis.periods.Period`: a calendar period, or the
calendar period whose official reporting window (Nghị định 09/2019: 15/12/2024–14/12/2025 for the year
2025) it states; a range that matches neither stays a date window (``2025-02-03..2025-05-09``) and is
counted under that window. Registry entries with ``report06a: {numerator, denominator}`` take their
figure from the form where no dossier list covers the period.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cchc_analysis.indicators import counting, dossiers
from cchc_analysis.periods import Period, PeriodError

#: Measures of form 06a: name -> (06a columns summed).
MEASURES_06A = {
    "received": ("received_online", "received_offline"),
    "received_online": ("received_online",),
    "resolved": ("resolved_total",),
    "resolved_in_time": ("resolved_early", "resolved_on_time"),
    "resolved_late": ("resolved_late",),
}
MEASURE_COLUMNS = ["period", "breakdown", "measure", "report06a"]


def period_of(start: Any, end: Any) -> str | None:
    """The period label of a form's date range (calendar, official window, or the window itself).

    >>> period_of("2024-01-01", "2024-12-31"), period_of("2024-12-15", "2025-12-14")
    ('2024', '2025')
    >>> period_of("2025-02-03", "2025-05-09"), period_of(None, "2025-05-09")
    ('2025-02-03..2025-05-09', None)
    """
    try:
        official = Period.from_official_window(start, end)
        return (official or Period.window(start, end)).label
    except PeriodError:
        return None


def period_of_range(start: pd.Series, end: pd.Series) -> pd.Series:
    """:func:`period_of` for two columns (missing where a date is missing or the range is reversed)."""
    pairs = pd.DataFrame({"s": pd.to_datetime(start), "e": pd.to_datetime(end)})
    labels = {(s, e): period_of(s, e) for s, e in pairs.drop_duplicates().itertuples(index=False)}
    return pd.Series([labels[(s, e)] for s, e in pairs.itertuples(index=False)], index=start.index, dtype=object)


def _touched_months(label: str) -> set[str]:
    p = Period.parse(label)
    first = Period.window(p.start.replace(day=1), p.end)
    months = set(first.months()) | {f"{p.end.year}-{p.end.month:02d}"}
    return months


def measures(report06a: pd.DataFrame) -> pd.DataFrame:
    """06a counts by period, breakdown and measure (``all`` from the field rows, else the unit rows)."""
    r = report06a.assign(period=period_of_range(report06a["period_start"], report06a["period_end"]))
    r = r.dropna(subset=["period"])
    if r.empty:
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    r = r.assign(breakdown=r["group_kind"].astype(str) + "=" + r["group"].astype(str))
    rows = []
    for measure, cols in MEASURES_06A.items():
        present = [c for c in cols if c in r]
        rows.append(pd.DataFrame({"period": r["period"], "breakdown": r["breakdown"],
                                  "group_kind": r["group_kind"], "measure": measure,
                                  "report06a": r[present].fillna(0).sum(axis=1)}))
    long = pd.concat(rows, ignore_index=True)
    kinds = long.groupby("period")["group_kind"].agg(lambda k: "field" if (k == "field").any() else "unit")
    basis = long[long["group_kind"].eq(long["period"].map(kinds))]
    total = basis.groupby(["period", "measure"], as_index=False)["report06a"].sum().assign(breakdown="all")
    long = long.groupby(["period", "breakdown", "measure"], as_index=False)["report06a"].sum()
    return pd.concat([long, total], ignore_index=True)[MEASURE_COLUMNS]


def fill_counts(report06a: pd.DataFrame, covered: set[str], specs: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Counts from form 06a for the periods no dossier list covers, for every entry with ``report06a``."""
    form = measures(report06a)
    if form.empty or not specs:
        return pd.DataFrame(columns=counting.COUNT_COLUMNS)
    form = form[[not _touched_months(p) <= covered for p in form["period"]]]
    if form.empty:
        return pd.DataFrame(columns=counting.COUNT_COLUMNS)
    wide = form.pivot_table(index=["period", "breakdown"], columns="measure", values="report06a",
                            aggfunc="sum", fill_value=0).reset_index()
    parts = []
    for ind, spec in specs.items():
        pick = spec["report06a"]
        if pick["numerator"] not in wide or pick["denominator"] not in wide:
            continue
        parts.append(pd.DataFrame({"indicator_id": ind, "period": wide["period"], "breakdown": wide["breakdown"],
                                   "numerator": wide[pick["numerator"]], "denominator": wide[pick["denominator"]]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=counting.COUNT_COLUMNS)


def _dossier_measures(d: pd.DataFrame, periods: set[str]) -> pd.DataFrame:
    """The same measures counted from the dossier list, for the given periods."""
    received = {"numerator": {"scope": "received", "flags": ["online"]},
                "denominator": {"scope": "received", "flags": []}, "breakdowns": ["field", "unit"]}
    closed = {"numerator": {"scope": "closed", "flags": ["on_time"]},
              "denominator": {"scope": "closed", "flags": []}, "breakdowns": ["field", "unit"]}
    resolved = {"numerator": {"scope": "resolved", "flags": []},
                "denominator": {"scope": "resolved", "flags": []}, "breakdowns": ["field", "unit"]}
    counts = dossiers.ratio_counts(d, {"received": received, "closed": closed, "resolved_only": resolved})
    counts = counts[counts["period"].isin(periods)]
    pick = {("received", "denominator"): "received", ("received", "numerator"): "received_online",
            ("resolved_only", "denominator"): "resolved_only", ("closed", "denominator"): "resolved",
            ("closed", "numerator"): "resolved_in_time"}
    rows = [pd.DataFrame({"period": counts.loc[counts.indicator_id == ind, "period"],
                          "breakdown": counts.loc[counts.indicator_id == ind, "breakdown"],
                          "measure": measure, "dossier_list": counts.loc[counts.indicator_id == ind, col]})
            for (ind, col), measure in pick.items()]
    long = pd.concat(rows, ignore_index=True)
    if long.empty:
        return pd.DataFrame(columns=["period", "breakdown", "measure", "dossier_list"])
    wide = long.pivot_table(index=["period", "breakdown"], columns="measure", values="dossier_list",
                            aggfunc="sum", fill_value=0)
    for col in ("resolved", "resolved_in_time", "resolved_only"):
        if col not in wide:
            wide[col] = 0
    wide["resolved_late"] = wide["resolved"] - wide["resolved_in_time"]
    wide = wide.drop(columns="resolved_only")
    return wide.reset_index().melt(id_vars=["period", "breakdown"], var_name="measure", value_name="dossier_list")


def reconcile(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Where a dossier list and form 06a cover the same calendar period, compare their counts.

    Returns one row per period, breakdown and measure (``received``, ``received_online``,
    ``resolved``, ``resolved_in_time``, ``resolved_late``) with both counts and ``difference``
    (06a minus dossier list); the dossier list is the figure the indicators use. A date window that
    is no calendar period is not compared (the dossier list is counted by calendar month).
    """
    columns = ["period", "breakdown", "measure", "dossier_list", "report06a", "difference"]
    report06a, d = tables.get("report06a"), tables.get("dossiers")
    if report06a is None or report06a.empty or d is None or d.empty:
        return pd.DataFrame(columns=columns)
    form = measures(report06a)
    months = dossiers.covered_months(d)
    covered = {p for p in form["period"].unique()
               if Period.parse(p).kind != "window" and set(Period.parse(p).months()) <= months}
    form = form[form["period"].isin(covered)]
    if form.empty:
        return pd.DataFrame(columns=columns)
    ours = _dossier_measures(d, covered)
    both = form.merge(ours, on=["period", "breakdown", "measure"], how="left")
    both["dossier_list"] = both["dossier_list"].fillna(0).astype("int64")
    both["report06a"] = both["report06a"].astype("int64")
    both["difference"] = both["report06a"] - both["dossier_list"]
    return both[columns].sort_values(["period", "breakdown", "measure"]).reset_index(drop=True)
