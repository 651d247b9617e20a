"""The tidy indicator table of docs/contract.md section 4, driven by ``registry/indicators.yaml``.

Each registry entry names a ``method`` and its inputs; :func:`compute` runs every entry on the
canonical tables present (a missing table gives no rows for its indicators, never an error), adds the
empty keys of every period of the years seen (``no_data``), and judges each row against the targets
of the programme's clauses (:mod:`cchc_analysis.milestones`). Periods are those of
:class:`cchc_analysis.periods.Period`: years, halves, quarters, months, the programme's spans
(``2021-2025``) where the data cover every year of one, and form 06a date windows.

Modules: :mod:`.counting` (monthly counts and roll-ups), :mod:`.dossiers` (dossier and applicant
ratios), :mod:`.responses` (evaluations, survey), :mod:`.catalogue` (procedure catalogue, task
register), :mod:`.amounts` (budget, payroll, manual sheet), :mod:`.report06a` (form 06a).

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
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis import milestones
from cchc_analysis.indicators import amounts, catalogue, counting, dossiers, report06a, responses
from cchc_analysis.indicators.amounts import state_budget_figures
from cchc_analysis.indicators.counting import (
    comparable_units,
    month_index,
    month_key,
    period_year,
    periods_of_year,
    roll_up,
)
from cchc_analysis.indicators.dossiers import RECEIVED_EXCLUDED, RESOLVED_STATUSES, covered_months
from cchc_analysis.io import write_text_atomic
from cchc_analysis.periods import Period, PeriodError

__all__ = ["COLUMNS", "RECEIVED_EXCLUDED", "RESOLVED_STATUSES", "TABLE_FILES", "budget_amounts", "comparable_units",
           "compute", "covered_months", "index766_rows", "load_tables", "methods", "month_index", "month_key", "period_year",
           "periods_of_year", "read_table", "reconcile_06a", "roll_up", "run_cli", "satisfaction_counts", "state_budget_figures"]

COLUMNS = ["indicator_id", "period", "breakdown", "numerator", "denominator", "value", "unit",
           "target_value", "target_year", "status"]
SURVEY_ASPECTS = responses.SURVEY_ASPECTS
#: The canonical tables the indicators read (missing ones are simply absent).
TABLE_FILES = ("dossiers", "evaluations", "survey_responses", "manual_indicators", "budget", "payroll",
               "report06a", "procedures", "tasks", "procedure_terms", "dossier_events", "dossier_facts", "portal766")


def methods(reg: Mapping[str, Any], method: str) -> dict[str, Mapping[str, Any]]:
    """The registry entries computed with ``method``, in registry order.

    >>> list(methods(milestones.load_registry(), "evaluation_share"))
    ['satisfaction_share']
    """
    return {ind: spec for ind, spec in (reg.get("indicators") or {}).items() if spec.get("method") == method}


def _present(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    frame = tables.get(name)
    return None if frame is None or frame.empty else frame


def _reference_year(tables: Mapping[str, pd.DataFrame]) -> int:
    """The last year of the dated data (the year a catalogue snapshot is reported for)."""
    last = []
    for name, col in (("dossiers", "received_at"), ("evaluations", "evaluated_at"),
                      ("survey_responses", "submitted_at"), ("tasks", "deadline")):
        frame = _present(tables, name)
        if frame is not None and col in frame:
            s = pd.to_datetime(frame[col]).max()  # missing dates skipped
            if pd.notna(s):
                last.append(int(s.year))
    for name in ("budget", "payroll"):
        frame = _present(tables, name)
        if frame is not None and "year" in frame and frame["year"].notna().any():
            last.append(int(frame["year"].max()))
    return max(last) if last else pd.Timestamp.today().year


def share_counts(tables: Mapping[str, pd.DataFrame], reg: Mapping[str, Any],
                 spans: list[Period]) -> pd.DataFrame:
    """Numerators and denominators of every ratio indicator of the registry."""
    parts = []
    d = _present(tables, "dossiers")
    if d is not None:
        years = counting.years_of(d["received_at"], d["resolved_at"])
        ratio = methods(reg, "dossier_ratio")
        extra = [f"{b}={v}" for b in ("field",) if b in d for v in counting.factorize(d[b])[1]]
        parts.append(counting.complete(dossiers.ratio_counts(d, ratio, spans), list(ratio), years))
        applicants = methods(reg, "applicant_ratio")
        parts.append(counting.complete(dossiers.applicant_counts(d, applicants, spans), list(applicants), years))
    else:
        extra = []
    form = _present(tables, "report06a")
    if form is not None:
        fill = {i: s for i, s in methods(reg, "dossier_ratio").items() if s.get("report06a")}
        parts.append(report06a.fill_counts(form, covered_months(d), fill))
    ev = _present(tables, "evaluations")
    if ev is not None:
        for ind, spec in methods(reg, "evaluation_share").items():
            bds = spec.get("breakdowns") or []
            counts = responses.evaluation_counts(ind, ev, d, bds, spans)
            parts.append(counting.complete(counts, [ind], counting.years_of(ev["evaluated_at"]),
                                           extra if "field" in bds else ()))
    survey = _present(tables, "survey_responses")
    if survey is not None:
        for ind, spec in methods(reg, "survey_share").items():
            bds = spec.get("breakdowns") or []
            aspects = [f"aspect={a}" for a in SURVEY_ASPECTS] if "aspect" in bds else []
            parts.append(counting.complete(responses.survey_counts(ind, survey, bds, spans), [ind],
                                           counting.years_of(survey["submitted_at"]), aspects))
    tasks = _present(tables, "tasks")
    if tasks is not None:
        for ind, spec in methods(reg, "task_completion").items():
            counts = catalogue.task_counts(ind, tasks, spec.get("breakdowns") or [], spans)
            deadlines = tasks["deadline"] if "deadline" in tasks else pd.Series(dtype="datetime64[ns]")
            parts.append(counting.complete(counts, [ind], counting.years_of(deadlines)))
    parts.append(_catalogue_and_manual(tables, reg))
    parts = [p for p in parts if p is not None and not p.empty]
    if not parts:
        return pd.DataFrame(columns=counting.COUNT_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def _catalogue_and_manual(tables: Mapping[str, pd.DataFrame], reg: Mapping[str, Any]) -> pd.DataFrame:
    parts = []
    cat = _present(tables, "procedures")
    manual = _present(tables, "manual_indicators")
    year = _reference_year(tables)
    for ind, spec in methods(reg, "catalogue_ratio").items():
        rows = catalogue.catalogue_counts(ind, spec, cat, year) if cat is not None else None
        if spec.get("fallback") == "manual" and manual is not None:
            hand = amounts.manual_counts(ind, manual)
            if rows is not None:  # the catalogue's figure wins for the periods it gives
                hand = hand[~hand["period"].isin(set(rows["period"]))]
            rows = hand if rows is None else pd.concat([rows, hand], ignore_index=True)
        if rows is not None:
            parts.append(rows)
    if manual is not None:
        parts.extend(amounts.manual_counts(ind, manual) for ind in methods(reg, "manual"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=counting.COUNT_COLUMNS)


def amount_rows(tables: Mapping[str, pd.DataFrame], reg: Mapping[str, Any], spans: list[Period]) -> pd.DataFrame:
    """Yearly amounts (budget, payroll) of the registry, with their unit."""
    parts = []
    budget = _present(tables, "budget")
    if budget is not None:
        for ind, spec in methods(reg, "amount").items():
            rows = amounts.budget_amounts(ind, budget, spans if spec.get("span_average") else ())
            parts.append(rows.assign(unit=spec.get("unit", "vnd")))
    payroll = _present(tables, "payroll")
    if payroll is not None:
        for ind, spec in methods(reg, "headcount").items():
            parts.append(amounts.payroll_amounts(ind, payroll, spec["column"]).assign(unit=spec.get("unit", "persons")))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*amounts.AMOUNT_COLUMNS, "unit"])


def index766_rows(tables: Mapping[str, pd.DataFrame], reg: Mapping[str, Any], year: int | None = None) -> pd.DataFrame:
    """The rows of the registry's ``index766`` entries (the QĐ 766 service index, :mod:`cchc_analysis.index766`)
    for every month, quarter, half and year of ``year`` (default: every year the dossiers were received in).

    Without a dossier list there is nothing to estimate: no rows. The index's own status is kept
    (``no_target``, or ``no_data`` without a complete figure): the programme sets no target on it.
    """
    wanted = methods(reg, "index766")
    d = _present(tables, "dossiers")
    if not wanted or d is None:
        return pd.DataFrame(columns=COLUMNS)
    from cchc_analysis import index766

    if year is not None:
        years = [int(year)]
    else:  # the years with a dossier received: a count by year, not a sort of the column
        months = month_index(d["received_at"])
        months = months[months != counting._NO_MONTH]
        first = int(months.min()) // 12 if len(months) else 0
        years = [first + int(y) + 1970 for y in np.flatnonzero(np.bincount(months // 12 - first))]
    if not years:
        return pd.DataFrame(columns=COLUMNS)
    rows = index766.indicator_rows(dict(tables), years)
    return rows[rows["indicator_id"].isin(list(wanted)).to_numpy(dtype=bool)]


def budget_amounts(budget: pd.DataFrame) -> pd.DataFrame:
    """``public_unit_budget_vnd`` by year (kept for callers of the former module)."""
    return amounts.budget_amounts("public_unit_budget_vnd", budget)


def satisfaction_counts(evaluations: pd.DataFrame, dossiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """``satisfaction_share`` counts by period and field (kept for callers of the former module)."""
    return responses.evaluation_counts("satisfaction_share", evaluations, dossiers)


def _valid_periods(table: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose period is no period (a hand-kept sheet may hold anything; ingest reports it)."""
    labels = table["period"].astype(str)
    ok = {}
    for label in pd.unique(labels):
        try:
            ok[label] = Period.parse(label).label
        except PeriodError:
            ok[label] = None
    table = table.assign(period=labels.map(ok))
    return table[table["period"].notna()]


def compute(tables: Mapping[str, pd.DataFrame], year: int | None = None,
            registry: Mapping | None = None) -> pd.DataFrame:
    """Compute the indicator table from canonical tables.

    Parameters
    ----------
    tables : mapping
        Canonical tables by name (``dossiers``, ``evaluations``, ``survey_responses``,
        ``manual_indicators``, ``budget``, ``payroll``, ``report06a``, ``procedures``, ``tasks``);
        any may be missing.
    year : int, optional
        Keep only the periods ending in this year (all years when omitted). Status is still judged
        with the whole history (baselines need earlier years).
    registry : mapping, optional
        The registry (default: :func:`cchc_analysis.milestones.load_registry`).

    Returns
    -------
    pandas.DataFrame
        The columns of docs/contract.md section 4, sorted by indicator, period kind, period and breakdown.
    """
    with counting.factorisations():  # the columns several indicators read are factorised once
        return _compute(tables, year, registry)


def _compute(tables: Mapping[str, pd.DataFrame], year: int | None, registry: Mapping | None) -> pd.DataFrame:
    reg = registry or milestones.load_registry()
    spans = counting.programme_spans(reg)
    shares = _valid_periods(share_counts(tables, reg, spans))
    shares = shares.astype({"numerator": "float64", "denominator": "float64"})
    with np.errstate(invalid="ignore", divide="ignore"):
        shares["value"] = np.where(shares["denominator"] > 0, shares["numerator"] / shares["denominator"], np.nan)
    units = {ind: spec.get("unit", "share") for ind, spec in (reg.get("indicators") or {}).items()}
    shares["unit"] = shares["indicator_id"].map(units).fillna("share")
    frames = [frame for frame in (shares, amount_rows(tables, reg, spans)) if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    if table.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = milestones.assess(table, reg)
    service = index766_rows(tables, reg, year)
    if not service.empty:
        table = pd.concat([table, service], ignore_index=True)
    if year is not None:
        table = table[period_year(table["period"]) == int(year)]
    return _finish(table)


_KIND_ORDER = {"year": 0, "span": 1, "half": 2, "quarter": 3, "month": 4, "window": 5}


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reindex(columns=COLUMNS)
    table = table.astype({"numerator": "Int64", "denominator": "Int64", "value": "float64",
                          "target_value": "float64", "target_year": "Int64"})
    for col in ("indicator_id", "period", "breakdown", "unit", "status"):
        table[col] = table[col].astype("string")
    kinds = {p: _KIND_ORDER[Period.parse(p).kind] for p in pd.unique(table["period"])}
    order = table["period"].map(kinds).replace({2: 1, 3: 1, 4: 1, 1: 2, 5: 2})
    table = table.assign(_o=order).sort_values(["indicator_id", "_o", "period", "breakdown"], kind="stable")
    return table.drop(columns="_o").reset_index(drop=True)


def reconcile_06a(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Where a dossier list and form 06a cover the same period, compare their counts
    (see :func:`cchc_analysis.indicators.report06a.reconcile`)."""
    return report06a.reconcile(tables)


# --------------------------------------------------------------------------------------------------
# reading and the command line


def load_tables(processed: Path) -> dict[str, pd.DataFrame]:
    """Read the canonical tables present in ``processed`` (missing ones are simply absent)."""
    tables = {}
    for name in TABLE_FILES:
        path = Path(processed) / f"{name}.parquet"
        if path.is_file():
            tables[name] = pd.read_parquet(path)
    return tables


def read_table(path: Path | str) -> pd.DataFrame:
    """Read an indicator table written once per run (Parquet or CSV), with the types :func:`compute` gives.

    >>> import tempfile
    >>> t = compute({"manual_indicators": pd.DataFrame({"indicator_id": ["eid_citizen_share"], "period": ["2024"],
    ...     "numerator": [1], "denominator": [2], "value": [0.5], "note": [None]})})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     t.to_parquet(Path(tmp) / "i.parquet")
    ...     read_table(Path(tmp) / "i.parquet").equals(t)
    True
    """
    path = Path(path)
    frame = pd.read_parquet(path) if path.suffix != ".csv" else pd.read_csv(path, dtype={"period": str})
    return _finish(frame)


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
