"""The tidy indicator table of docs/contract.md section 4.

Every indicator is computed from the canonical tables with its numerator and denominator, for years,
halves, quarters and months (dated indicators) and for the breakdowns ``all``, ``field=…``, ``unit=…``
(dossiers), ``field=…`` (evaluations linked to dossiers) and ``aspect=…`` (survey). Dated counts are
first aggregated by month, then rolled up, so the months of a quarter always add up to the quarter.
Shares with a denominator of 0 have an empty value and status ``no_data``; the status of every other
row against the programme's milestones comes from :mod:`cchc_analysis.milestones`.

Definitions (docs/contract.md section 3), dates compared as calendar dates:

- *received in* a period: ``received_at`` in it and status neither ``registered`` nor ``rejected``;
- *resolved in* a period: ``resolved_at`` in it and status ``resolved`` or ``returned``;
- on time: resolved on or before the due date, or with no due date; a withdrawn dossier counts as on
  time, on its ``resolved_at`` date; a null flag counts as false.

>>> import pandas as pd
>>> d = pd.DataFrame({"dossier_id": ["a", "b"], "field": ["Điện", "Điện"], "unit": [None, None],
...     "channel": ["online", "in_person"], "service_level": ["full", "none"],
...     "received_at": pd.to_datetime(["2024-01-05", "2024-02-10"]),
...     "due_at": pd.to_datetime(["2024-01-10", None]), "resolved_at": pd.to_datetime(["2024-01-12", None]),
...     "status": ["returned", "in_progress"], "fee_required": [True, False],
...     "paid_online": [True, None], "result_digitized": [True, None], "eid_verified": [False, None]})
>>> t = compute({"dossiers": d}, year=2024)
>>> row = t[(t.indicator_id == "dossier_online_share") & (t.period == "2024") & (t.breakdown == "all")]
>>> row[["numerator", "denominator", "value"]].values.tolist()
[[1, 2, 0.5]]
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_analysis import milestones, registry
from cchc_analysis.io import write_text_atomic

COLUMNS = ["indicator_id", "period", "breakdown", "numerator", "denominator", "value", "unit",
           "target_value", "target_year", "status"]
PERIOD_KINDS = ("year", "half", "quarter", "month")
RECEIVED_EXCLUDED = ("registered", "rejected")
RESOLVED_STATUSES = ("resolved", "returned")
SURVEY_ASPECTS = ("access", "procedure", "staff", "result", "feedback", "overall")

#: Dossier indicators computed on the received set: id -> (numerator flag, denominator flag).
RECEIVED_INDICATORS = {
    "dossier_online_share": ("is_online", None),
    "dossier_full_online_share": ("is_full", None),
    "online_payment_share": ("paid_fee_online", "fee_required"),
    "eid_verified_share": ("online_eid", "is_online"),
}
#: Dossier indicators computed on the resolved (and withdrawn) set.
RESOLVED_INDICATORS = {
    "dossier_on_time_share": ("on_time", "closed"),
    "result_digitized_share": ("digitized", "resolved"),
}
MANUAL_IDS = ("internal_e_transfer_share", "work_records_online_share", "digital_inspection_share",
              "internal_procedures_published_share", "full_online_procedure_share", "eid_citizen_share")


# --------------------------------------------------------------------------------------------------
# periods


def month_key(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` of each date (missing stays missing).

    >>> month_key(pd.Series(pd.to_datetime(["2024-07-31 23:59", None]))).tolist()
    ['2024-07', nan]
    """
    dates = pd.to_datetime(dates)
    out = dates.dt.strftime("%Y-%m")
    return out.where(dates.notna(), np.nan).astype(object)


def roll_up(month: pd.Series, kind: str) -> pd.Series:
    """Map ``YYYY-MM`` labels to the period of ``kind`` (``year``, ``half``, ``quarter``, ``month``).

    >>> roll_up(pd.Series(["2024-01", "2024-07", "2024-12"]), "quarter").tolist()
    ['2024-Q1', '2024-Q3', '2024-Q4']
    >>> roll_up(pd.Series(["2024-06", "2024-07"]), "half").tolist()
    ['2024-H1', '2024-H2']
    """
    year = month.str[:4]
    m = month.str[5:7].astype(int)
    if kind == "month":
        return month
    if kind == "year":
        return year
    if kind == "quarter":
        return year + "-Q" + ((m - 1) // 3 + 1).astype(str)
    if kind == "half":
        return year + "-H" + np.where(m <= 6, "1", "2")
    raise ValueError(f"unknown period kind {kind!r}")


def periods_of_year(year: int) -> list[str]:
    """The 19 periods of a year: the year, two halves, four quarters, twelve months.

    >>> periods_of_year(2025)[:4], len(periods_of_year(2025))
    (['2025', '2025-H1', '2025-H2', '2025-Q1'], 19)
    """
    return ([str(year), f"{year}-H1", f"{year}-H2"] + [f"{year}-Q{q}" for q in range(1, 5)]
            + [f"{year}-{m:02d}" for m in range(1, 13)])


def period_year(period: pd.Series) -> pd.Series:
    """The calendar year of each period label.

    >>> period_year(pd.Series(["2024", "2025-Q2"])).tolist()
    [2024, 2025]
    """
    return period.astype(str).str[:4].astype(int)


# --------------------------------------------------------------------------------------------------
# comparable units


def comparable_units(units: pd.Series, merges: list[Mapping] | None = None) -> pd.Series:
    """Map unit names to their successors (``registry/units.yaml``), so that series compare.

    >>> comparable_units(pd.Series(["TRUNG TÂM XÚC TIẾN THƯƠNG MẠI NINH THUẬN", "Khác", None])).tolist()[:2]
    ['Trung tâm Xúc tiến thương mại', 'Khác']
    """
    from cchc_analysis.ingest.text import fold

    merges = registry.load("units").get("merges") or [] if merges is None else merges
    mapping = {fold(m["from"]): m["to"] for m in merges}
    if not mapping:
        return units
    values = units.astype(object)
    lookup = {u: mapping.get(fold(u), u) for u in pd.unique(values.dropna())}
    return values.map(lookup)


# --------------------------------------------------------------------------------------------------
# counting


_NO_MONTH = np.iinfo(np.int64).min


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean array of a column where null counts as false (all false when the column is absent)."""
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].to_numpy(dtype=bool, na_value=False)


def month_index(dates: pd.Series) -> np.ndarray:
    """Months since January 1970 of each date, as integers (missing dates: a sentinel below all).

    >>> month_index(pd.Series(pd.to_datetime(["1970-02-28 00:00", "2024-07-31 23:59"]))).tolist()
    [1, 654]
    """
    months = pd.to_datetime(dates).to_numpy(dtype="datetime64[M]")
    out = months.astype("int64")
    out[np.isnat(months)] = _NO_MONTH
    return out


def _month_labels(index: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` labels of month indexes (see :func:`month_index`)."""
    years = 1970 + index // 12
    return np.char.add(np.char.add(years.astype(str), "-"), np.char.zfill((index % 12 + 1).astype(str), 2))


def _groups(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, tuple[np.ndarray, pd.Series]]:
    """Factorise breakdown columns once: column -> (codes, -1 for missing; labels ``col=value``).

    Units are mapped to their successors (:func:`comparable_units`); merged units share a label.
    """
    out = {}
    for col in columns:
        if col not in frame:
            continue
        codes, uniques = pd.factorize(frame[col])
        names = comparable_units(pd.Series(uniques)) if col == "unit" else pd.Series(uniques)
        out[col] = (np.asarray(codes), (f"{col}=" + names.astype(str)).reset_index(drop=True))
    return out


def _monthly_counts(month: np.ndarray, flags: Mapping[str, np.ndarray],
                    groups: Mapping[str, tuple[np.ndarray, pd.Series]],
                    mask: np.ndarray | None = None) -> pd.DataFrame:
    """Sum boolean ``flags`` by month, overall (``all``) and by each breakdown (see :func:`_groups`).

    Every row gets one integer cell key (month x each group's code, a missing group in a slot of its
    own) and each flag is summed into the cells with one ``numpy.bincount`` pass; the overall and
    per-breakdown counts are sums of that small cell array. Rows outside ``mask`` go to a discarded
    bin, so no flag is copied.

    Returns long rows: ``month`` (``YYYY-MM``), ``breakdown``, one integer column per flag; only
    months and groups with at least one event.
    """
    keep = month != _NO_MONTH
    if mask is not None:
        keep &= mask
    if not keep.any():
        return pd.DataFrame(columns=["month", "breakdown", *flags])
    low = month[keep].min()
    span = int(month[keep].max() - low + 1)
    labels = _month_labels(np.arange(span) + low)
    shape = [len(names) + 1 for _, names in groups.values()] + [span]
    size = int(np.prod(shape))
    key = np.where(keep, month - low, 0)
    stride = span
    for codes, names in reversed(list(groups.values())):
        slot = np.where(codes >= 0, codes, len(names))
        key = key + slot * stride
        stride *= len(names) + 1
    key = np.where(keep, key, size)  # the discarded bin
    cells = {"events": np.bincount(key, minlength=size + 1)[:size].reshape(shape)}
    for name, values in flags.items():
        cells[name] = np.bincount(key, weights=values, minlength=size + 1)[:size].reshape(shape)

    n_groups = len(groups)
    parts = [_cell_rows({k: v.sum(axis=tuple(range(n_groups)))[None, :] for k, v in cells.items()},
                        labels, pd.Series(["all"]))]
    for axis, (_, names) in enumerate(groups.values()):
        others = tuple(i for i in range(n_groups) if i != axis)
        summed = {k: v.sum(axis=others)[:-1] for k, v in cells.items()}  # drop the missing-group slot
        parts.append(_cell_rows(summed, labels, names))
    out = pd.concat(parts, ignore_index=True)
    # merged units may share a label: add them up
    return out.groupby(["month", "breakdown"], as_index=False, sort=False).sum()


def _cell_rows(cells: Mapping[str, np.ndarray], labels: np.ndarray, names: pd.Series) -> pd.DataFrame:
    """Long rows from (group x month) arrays, keeping the cells with at least one event."""
    events = cells["events"]
    group, month = np.nonzero(events)
    data = {"month": labels[month], "breakdown": names.to_numpy(dtype=object)[group]}
    for name, values in cells.items():
        if name != "events":
            data[name] = values[group, month].astype(np.int64)
    return pd.DataFrame(data)


def _share_rows(monthly: pd.DataFrame, spec: Mapping[str, tuple[str, str | None]],
                count_col: str = "n") -> pd.DataFrame:
    """Roll monthly flag sums up to every period kind and shape them as indicator rows."""
    rows = []
    for kind in PERIOD_KINDS:
        rolled = monthly.assign(period=roll_up(monthly["month"], kind))
        sums = rolled.drop(columns="month").groupby(["period", "breakdown"], sort=False).sum().reset_index()
        for ind_id, (num, den) in spec.items():
            rows.append(pd.DataFrame({
                "indicator_id": ind_id, "period": sums["period"], "breakdown": sums["breakdown"],
                "numerator": sums[num], "denominator": sums[den or count_col]}))
    if not rows:
        return pd.DataFrame(columns=["indicator_id", "period", "breakdown", "numerator", "denominator"])
    return pd.concat(rows, ignore_index=True)


def dossier_counts(dossiers: pd.DataFrame) -> pd.DataFrame:
    """Numerators and denominators of the six dossier indicators, by period and breakdown.

    Only (indicator, period, breakdown) keys with at least one dossier in the received or resolved
    set appear; :func:`compute` adds the empty ones.
    """
    d = dossiers
    status = d["status"]
    groups = _groups(d, ("field", "unit"))
    ones = np.ones(len(d), dtype=bool)

    received = (~status.isin(RECEIVED_EXCLUDED)).to_numpy(dtype=bool)
    is_online = d["channel"].eq("online").to_numpy(dtype=bool, na_value=False)
    is_full = (d["service_level"].eq("full").to_numpy(dtype=bool, na_value=False)
               if "service_level" in d else ~ones)
    fee = _flag(d, "fee_required")
    rec_flags = {"n": ones, "is_online": is_online, "is_full": is_full, "fee_required": fee,
                 "paid_fee_online": fee & _flag(d, "paid_online"), "online_eid": is_online & _flag(d, "eid_verified")}
    rec_monthly = _monthly_counts(month_index(d["received_at"]), rec_flags, groups, mask=received)

    is_resolved = status.isin(RESOLVED_STATUSES).to_numpy(dtype=bool)
    closed = is_resolved | status.eq("withdrawn").to_numpy(dtype=bool, na_value=False)
    resolved_day = pd.to_datetime(d["resolved_at"]).to_numpy(dtype="datetime64[D]")
    due_day = pd.to_datetime(d["due_at"]).to_numpy(dtype="datetime64[D]")
    in_time = np.isnat(due_day) | (resolved_day <= due_day)
    res_flags = {"closed": ones, "on_time": in_time | ~is_resolved, "resolved": is_resolved,
                 "digitized": is_resolved & _flag(d, "result_digitized")}
    res_monthly = _monthly_counts(month_index(d["resolved_at"]), res_flags, groups, mask=closed)
    return pd.concat([_share_rows(rec_monthly, RECEIVED_INDICATORS),
                      _share_rows(res_monthly, RESOLVED_INDICATORS, count_col="closed")], ignore_index=True)


def satisfaction_counts(evaluations: pd.DataFrame, dossiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """``satisfaction_share`` by period, overall and by the field of the linked dossier.

    An evaluation without an overall answer is not an answer: it is in neither count.
    """
    ev = evaluations
    answered = ev["overall"].notna().to_numpy(dtype=bool)
    ok = ev["overall"].isin(("very_satisfied", "satisfied")).fillna(False).to_numpy(dtype=bool)
    groups = {}
    if dossiers is not None and "dossier_id" in ev and "field" in dossiers:
        fields = dossiers.drop_duplicates("dossier_id").set_index("dossier_id")["field"]
        groups = _groups(pd.DataFrame({"field": ev["dossier_id"].map(fields)}), ("field",))
    monthly = _monthly_counts(month_index(ev["evaluated_at"]), {"n": np.ones(len(ev), bool), "ok": ok},
                              groups, mask=answered)
    return _share_rows(monthly, {"satisfaction_share": ("ok", None)})


def survey_counts(responses: pd.DataFrame) -> pd.DataFrame:
    """``survey_satisfaction_share``: answers scoring 4 or 5 over answers, overall and by aspect."""
    r = responses
    score = pd.to_numeric(r["score"], errors="coerce")
    monthly = _monthly_counts(month_index(r["submitted_at"]),
                              {"n": np.ones(len(r), bool), "ok": (score >= 4).fillna(False).to_numpy(dtype=bool)},
                              _groups(r, ("aspect",)), mask=score.notna().to_numpy(dtype=bool))
    return _share_rows(monthly, {"survey_satisfaction_share": ("ok", None)})


def manual_counts(manual: pd.DataFrame) -> pd.DataFrame:
    """The hand-kept indicators, as given (period, numerator, denominator)."""
    m = manual[manual["indicator_id"].isin(MANUAL_IDS)]
    return pd.DataFrame({"indicator_id": m["indicator_id"], "period": m["period"].astype(str),
                         "breakdown": "all", "numerator": m["numerator"], "denominator": m["denominator"]})


def budget_amounts(budget: pd.DataFrame) -> pd.DataFrame:
    """``public_unit_budget_vnd``: state-budget spending, actual where known else planned, by year.

    The stage is chosen per unit, category and year (an actual figure replaces the plan).
    """
    return _yearly_sum(state_budget_figures(budget), "amount_vnd", "public_unit_budget_vnd")


def state_budget_figures(budget: pd.DataFrame) -> pd.DataFrame:
    """State-budget rows, one per unit, category and year: the actual figure where known, else the plan.

    >>> b = pd.DataFrame({"unit": ["A", "A", "A"], "year": [2025, 2025, 2026], "category": ["x"] * 3,
    ...     "funding": ["state_budget"] * 3, "stage": ["plan", "actual", "plan"], "amount_vnd": [1.0, 2.0, 3.0]})
    >>> state_budget_figures(b)[["year", "stage", "amount_vnd"]].values.tolist()
    [[2025, 'actual', 2.0], [2026, 'plan', 3.0]]
    """
    b = budget[budget["funding"].astype(str).eq("state_budget")]
    rank = b["stage"].astype(str).map({"actual": 0, "plan": 1})
    b = b.assign(_rank=rank).sort_values(["year", "unit", "category", "_rank"], kind="stable")
    return b.drop_duplicates(["unit", "year", "category"], keep="first").drop(columns="_rank").reset_index(drop=True)


def payroll_amounts(payroll: pd.DataFrame) -> pd.DataFrame:
    """``public_unit_headcount``: actual headcount funded by the state budget, by year."""
    p = payroll[payroll["funding"].astype(str).eq("state_budget")]
    return _yearly_sum(p, "headcount_actual", "public_unit_headcount")


def _yearly_sum(frame: pd.DataFrame, column: str, ind_id: str) -> pd.DataFrame:
    frame = frame.dropna(subset=[column])
    if "unit" in frame:
        frame = frame.assign(unit=comparable_units(frame["unit"]))
    parts = [frame.groupby("year")[column].sum().reset_index().assign(breakdown="all")]
    if "unit" in frame:
        by_unit = frame.groupby(["year", "unit"])[column].sum().reset_index()
        by_unit["breakdown"] = "unit=" + by_unit["unit"].astype(str)
        parts.append(by_unit.drop(columns="unit"))
    out = pd.concat(parts, ignore_index=True)
    return pd.DataFrame({"indicator_id": ind_id, "period": out["year"].astype(int).astype(str),
                         "breakdown": out["breakdown"], "value": out[column].astype(float)})


# --------------------------------------------------------------------------------------------------
# form 06a: aggregate counts where no dossier list covers a period, and where the two disagree

#: Measures compared between the dossier list and form 06a: name -> (06a columns summed).
MEASURES_06A = {
    "received": ("received_online", "received_offline"),
    "received_online": ("received_online",),
    "resolved": ("resolved_total",),
    "resolved_in_time": ("resolved_early", "resolved_on_time"),
    "resolved_late": ("resolved_late",),
}


def period_of_range(start: pd.Series, end: pd.Series) -> pd.Series:
    """The period label of a date range when it is exactly a year, half, quarter or month; else missing.

    >>> s = pd.to_datetime(pd.Series(["2024-01-01", "2024-07-01", "2024-04-01", "2024-03-01", "2024-01-15"]))
    >>> e = pd.to_datetime(pd.Series(["2024-12-31", "2024-12-31", "2024-06-30", "2024-03-31", "2024-12-31"]))
    >>> period_of_range(s, e).tolist()
    ['2024', '2024-H2', '2024-Q2', '2024-03', nan]
    """
    start, end = pd.to_datetime(start).dt.normalize(), pd.to_datetime(end).dt.normalize()
    out = pd.Series(np.nan, index=start.index, dtype=object)
    first_day = start.dt.day.eq(1)
    last_day = (end + pd.Timedelta(days=1)).dt.day.eq(1)
    months = (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1
    ok = first_day & last_day & start.notna() & end.notna()
    year = start.dt.year.astype("Int64").astype(str)
    m0 = start.dt.month
    out[ok & months.eq(12) & m0.eq(1)] = year
    out[ok & months.eq(6) & m0.isin([1, 7])] = year + "-H" + np.where(m0 == 1, "1", "2")
    out[ok & months.eq(3) & m0.isin([1, 4, 7, 10])] = year + "-Q" + ((m0 - 1) // 3 + 1).astype(str)
    out[ok & months.eq(1)] = year + "-" + m0.map("{:02d}".format)
    return out


def _report06a_measures(report06a: pd.DataFrame) -> pd.DataFrame:
    """06a counts by period, breakdown and measure (``all`` from the field rows, else the unit rows)."""
    r = report06a.assign(period=period_of_range(report06a["period_start"], report06a["period_end"]))
    r = r.dropna(subset=["period"])
    if r.empty:
        return pd.DataFrame(columns=["period", "breakdown", "measure", "report06a"])
    r = r.assign(breakdown=r["group_kind"].astype(str) + "=" + r["group"].astype(str))
    rows = []
    for measure, cols in MEASURES_06A.items():
        rows.append(pd.DataFrame({"period": r["period"], "breakdown": r["breakdown"],
                                  "group_kind": r["group_kind"], "measure": measure,
                                  "report06a": r[list(cols)].sum(axis=1)}))
    long = pd.concat(rows, ignore_index=True)
    kinds = long.groupby("period")["group_kind"].agg(lambda k: "field" if (k == "field").any() else "unit")
    basis = long[long["group_kind"].eq(long["period"].map(kinds))]
    total = basis.groupby(["period", "measure"], as_index=False)["report06a"].sum().assign(breakdown="all")
    long = long.groupby(["period", "breakdown", "measure"], as_index=False)["report06a"].sum()
    return pd.concat([long, total], ignore_index=True)


def _dossier_measures(dossiers: pd.DataFrame, periods: set[str]) -> pd.DataFrame:
    """The same measures counted from the dossier list, for the given periods."""
    counts = dossier_counts(dossiers)
    counts = counts[counts["period"].isin(periods)]
    pick = {
        ("dossier_online_share", "denominator"): "received",
        ("dossier_online_share", "numerator"): "received_online",
        ("result_digitized_share", "denominator"): "resolved_only",
        ("dossier_on_time_share", "denominator"): "resolved",
        ("dossier_on_time_share", "numerator"): "resolved_in_time",
    }
    rows = [pd.DataFrame({"period": counts.loc[counts.indicator_id == ind, "period"],
                          "breakdown": counts.loc[counts.indicator_id == ind, "breakdown"],
                          "measure": measure,
                          "dossier_list": counts.loc[counts.indicator_id == ind, col]})
            for (ind, col), measure in pick.items()]
    long = pd.concat(rows, ignore_index=True)
    wide = long.pivot_table(index=["period", "breakdown"], columns="measure", values="dossier_list",
                            aggfunc="sum", fill_value=0)
    wide["resolved_late"] = wide["resolved"] - wide["resolved_in_time"]
    wide = wide.drop(columns="resolved_only")
    return wide.reset_index().melt(id_vars=["period", "breakdown"], var_name="measure", value_name="dossier_list")


def covered_months(dossiers: pd.DataFrame | None) -> set[str]:
    """Months (``YYYY-MM``) in which the dossier list has at least one dossier received."""
    if dossiers is None or dossiers.empty:
        return set()
    index = np.unique(month_index(dossiers["received_at"]))
    return set(_month_labels(index[index != _NO_MONTH]).tolist())


def _months_of(period: str) -> list[str]:
    year = period[:4]
    if len(period) == 4:
        return [f"{year}-{m:02d}" for m in range(1, 13)]
    if period[5] == "H":
        first = 1 if period[6] == "1" else 7
        return [f"{year}-{m:02d}" for m in range(first, first + 6)]
    if period[5] == "Q":
        first = 3 * (int(period[6]) - 1) + 1
        return [f"{year}-{m:02d}" for m in range(first, first + 3)]
    return [period]


def reconcile_06a(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Where a dossier list and form 06a cover the same period, compare their counts.

    Returns one row per period, breakdown and measure (``received``, ``received_online``,
    ``resolved``, ``resolved_in_time``, ``resolved_late``) with both counts and ``difference``
    (06a minus dossier list); the dossier list is the figure the indicators use.
    """
    columns = ["period", "breakdown", "measure", "dossier_list", "report06a", "difference"]
    report06a, dossiers = tables.get("report06a"), tables.get("dossiers")
    if report06a is None or report06a.empty or dossiers is None or dossiers.empty:
        return pd.DataFrame(columns=columns)
    form = _report06a_measures(report06a)
    months = covered_months(dossiers)
    covered = {p for p in form["period"].unique() if set(_months_of(p)) <= months}
    form = form[form["period"].isin(covered)]
    ours = _dossier_measures(dossiers, covered)
    both = form.merge(ours, on=["period", "breakdown", "measure"], how="left")
    both["dossier_list"] = both["dossier_list"].fillna(0).astype("int64")
    both["report06a"] = both["report06a"].astype("int64")
    both["difference"] = both["report06a"] - both["dossier_list"]
    return both[columns].sort_values(["period", "breakdown", "measure"]).reset_index(drop=True)


def report06a_counts(report06a: pd.DataFrame, covered: set[str]) -> pd.DataFrame:
    """On-time and online counts from form 06a for periods no dossier list covers."""
    form = _report06a_measures(report06a)
    form = form[[not set(_months_of(p)) <= covered for p in form["period"]]]
    wide = form.pivot_table(index=["period", "breakdown"], columns="measure", values="report06a",
                            aggfunc="sum", fill_value=0).reset_index()
    if wide.empty:
        return pd.DataFrame(columns=["indicator_id", "period", "breakdown", "numerator", "denominator"])
    online = wide.assign(indicator_id="dossier_online_share", numerator=wide["received_online"],
                         denominator=wide["received"])
    on_time = wide.assign(indicator_id="dossier_on_time_share", numerator=wide["resolved_in_time"],
                          denominator=wide["resolved"])
    cols = ["indicator_id", "period", "breakdown", "numerator", "denominator"]
    return pd.concat([online[cols], on_time[cols]], ignore_index=True)


# --------------------------------------------------------------------------------------------------
# the table


def _grid(ind_ids: list[str], years: list[int], breakdowns: list[str]) -> pd.DataFrame:
    periods = [p for y in years for p in periods_of_year(y)]
    index = pd.MultiIndex.from_product([ind_ids, periods, breakdowns],
                                       names=["indicator_id", "period", "breakdown"])
    return index.to_frame(index=False)


def _complete(counts: pd.DataFrame, ind_ids: list[str], years: list[int],
              extra_breakdowns: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Add the keys of every period of ``years`` and every breakdown seen or named, with zero counts."""
    if not years:
        return counts
    breakdowns = sorted(set(counts["breakdown"]) | {"all"} | set(extra_breakdowns))
    grid = _grid(ind_ids, years, breakdowns)
    keys = ["indicator_id", "period", "breakdown"]
    merged = grid.merge(counts, on=keys, how="outer")
    merged[["numerator", "denominator"]] = merged[["numerator", "denominator"]].fillna(0)
    return merged


def _years_of(*dates: pd.Series) -> list[int]:
    years: set[int] = set()
    for series in dates:
        s = pd.to_datetime(series).dropna()
        if not s.empty:
            years.update(range(int(s.min().year), int(s.max().year) + 1))
    return sorted(years)


def compute(tables: Mapping[str, pd.DataFrame], year: int | None = None,
            registry: Mapping | None = None) -> pd.DataFrame:
    """Compute the indicator table from canonical tables.

    Parameters
    ----------
    tables : mapping
        Canonical tables by name (``dossiers``, ``evaluations``, ``survey_responses``,
        ``manual_indicators``, ``budget``, ``payroll``); any may be missing.
    year : int, optional
        Keep only the periods of this year (all years when omitted). Status is still judged with
        the whole history (baselines need earlier years).
    registry : mapping, optional
        The milestone registry (default: ``registry/milestones.yaml``).

    Returns
    -------
    pandas.DataFrame
        The columns of docs/contract.md section 4, sorted by indicator, period and breakdown.
    """
    parts = []
    dossiers = tables.get("dossiers")
    if dossiers is not None and not dossiers.empty:
        ids = list(RECEIVED_INDICATORS) + list(RESOLVED_INDICATORS)
        years = _years_of(dossiers["received_at"], dossiers["resolved_at"])
        parts.append(_complete(dossier_counts(dossiers), ids, years))
    report06a = tables.get("report06a")
    if report06a is not None and not report06a.empty:
        parts.append(report06a_counts(report06a, covered_months(dossiers)))
    evaluations = tables.get("evaluations")
    if evaluations is not None and not evaluations.empty:
        fields = [] if dossiers is None or "field" not in dossiers else [
            f"field={f}" for f in dossiers["field"].dropna().unique()]
        counts = satisfaction_counts(evaluations, dossiers)
        parts.append(_complete(counts, ["satisfaction_share"], _years_of(evaluations["evaluated_at"]), fields))
    responses = tables.get("survey_responses")
    if responses is not None and not responses.empty:
        aspects = [f"aspect={a}" for a in SURVEY_ASPECTS]
        parts.append(_complete(survey_counts(responses), ["survey_satisfaction_share"],
                               _years_of(responses["submitted_at"]), aspects))
    manual = tables.get("manual_indicators")
    if manual is not None and not manual.empty:
        parts.append(manual_counts(manual))
    shares = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["indicator_id", "period", "breakdown", "numerator", "denominator"])
    shares = shares.astype({"numerator": "float64", "denominator": "float64"})
    with np.errstate(invalid="ignore", divide="ignore"):
        shares["value"] = np.where(shares["denominator"] > 0, shares["numerator"] / shares["denominator"], np.nan)
    shares["unit"] = "share"

    amounts = []
    if tables.get("budget") is not None and not tables["budget"].empty:
        amounts.append(budget_amounts(tables["budget"]).assign(unit="vnd"))
    if tables.get("payroll") is not None and not tables["payroll"].empty:
        amounts.append(payroll_amounts(tables["payroll"]).assign(unit="persons"))
    table = pd.concat([shares, *amounts], ignore_index=True)
    if table.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = milestones.assess(table, registry)
    if year is not None:
        table = table[period_year(table["period"]) == int(year)]
    return _finish(table)


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reindex(columns=COLUMNS)
    table = table.astype({"numerator": "Int64", "denominator": "Int64", "value": "float64",
                          "target_value": "float64", "target_year": "Int64"})
    for col in ("indicator_id", "period", "breakdown", "unit", "status"):
        table[col] = table[col].astype("string")
    order = table["period"].str.len().map({4: 0, 7: 1}).fillna(2)
    table = table.assign(_o=order).sort_values(["indicator_id", "_o", "period", "breakdown"], kind="stable")
    return table.drop(columns="_o").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# reading and the command line

TABLE_FILES = ("dossiers", "evaluations", "survey_responses", "manual_indicators", "budget", "payroll",
               "report06a")


def load_tables(processed: Path) -> dict[str, pd.DataFrame]:
    """Read the canonical tables present in ``processed`` (missing ones are simply absent)."""
    tables = {}
    for name in TABLE_FILES:
        path = Path(processed) / f"{name}.parquet"
        if path.is_file():
            tables[name] = pd.read_parquet(path)
    return tables


def run_cli(processed: Path, year: int | None = None, fmt: str = "csv", out: str | None = None) -> int:
    """``cchc indicators``: print or write the indicator table; return the exit status."""
    tables = load_tables(processed)
    if not tables:
        print(f"error: {processed}: không có bảng dữ liệu đã làm sạch nào; hãy chạy `cchc clean` trước.",
              file=sys.stderr)
        return 1
    table = compute(tables, year=year)
    if fmt == "json":
        text = table.to_json(orient="records", force_ascii=False, indent=1, double_precision=12)
    else:
        text = table.to_csv(index=False, float_format="%.12g", lineterminator="\n")
    if out:
        write_text_atomic(Path(out), text, bom=(fmt == "csv"))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
