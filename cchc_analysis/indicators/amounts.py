"""Yearly amounts (budget ``amount``, payroll ``headcount``) and the hand-kept ``manual`` indicators.

>>> import pandas as pd
>>> b = pd.DataFrame({"unit": ["A"] * 5, "year": [2021, 2022, 2023, 2024, 2025], "category": ["x"] * 5,
...     "funding": ["state_budget"] * 5, "stage": ["actual"] * 5, "amount_vnd": [10.0, 20, 30, 40, 50]})
>>> rows = budget_amounts("public_unit_budget_vnd", b, spans=[Period.parse("2021-2025")])
>>> rows[rows.breakdown == "all"][["period", "value"]].values.tolist()[-2:]
[['2025', 50.0], ['2021-2025', 30.0]]
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cchc_analysis.indicators.counting import comparable_units
from cchc_analysis.periods import Period

AMOUNT_COLUMNS = ["indicator_id", "period", "breakdown", "value", "judge_year"]


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


def budget_amounts(ind: str, budget: pd.DataFrame, spans: Iterable[Period] = ()) -> pd.DataFrame:
    """State-budget spending (actual where known, else planned) by year; with ``spans``, the yearly
    average of each span too (the whole first span is needed; a later span averages the years known
    so far and is judged as of its last one)."""
    return yearly_sum(state_budget_figures(budget), "amount_vnd", ind, spans)


def payroll_amounts(ind: str, payroll: pd.DataFrame, column: str) -> pd.DataFrame:
    """Payroll ``column`` (assigned or actual headcount) funded by the state budget, by year."""
    p = payroll[payroll["funding"].astype(str).eq("state_budget")]
    if column not in p:
        return pd.DataFrame(columns=AMOUNT_COLUMNS)
    return yearly_sum(p, column, ind)


def yearly_sum(frame: pd.DataFrame, column: str, ind: str, spans: Iterable[Period] = ()) -> pd.DataFrame:
    """Sum ``column`` by year, overall and by (comparable) unit; span averages when asked."""
    frame = frame.dropna(subset=[column])
    if "unit" in frame:
        frame = frame.assign(unit=comparable_units(frame["unit"]))
    parts = [frame.groupby("year")[column].sum().reset_index().assign(breakdown="all")]
    if "unit" in frame:
        by_unit = frame.groupby(["year", "unit"])[column].sum().reset_index()
        by_unit["breakdown"] = "unit=" + by_unit["unit"].astype(str)
        parts.append(by_unit.drop(columns="unit"))
    out = pd.concat(parts, ignore_index=True)
    rows = pd.DataFrame({"indicator_id": ind, "period": out["year"].astype(int).astype(str),
                         "breakdown": out["breakdown"], "value": out[column].astype(float), "judge_year": pd.NA})
    averages = []
    all_rows = out[out["breakdown"] == "all"]
    known = {int(y): float(v) for y, v in zip(all_rows["year"], all_rows[column], strict=True)}
    for i, span in enumerate(spans):
        years = range(span.start.year, span.end.year + 1)
        have = [y for y in years if y in known]
        if not have or (i == 0 and len(have) < len(years)):
            continue
        averages.append({"indicator_id": ind, "period": span.label, "breakdown": "all",
                         "value": sum(known[y] for y in have) / len(have), "judge_year": max(have)})
    if averages:
        rows = pd.concat([rows, pd.DataFrame(averages)], ignore_index=True)
    return rows


def manual_counts(ind: str, manual: pd.DataFrame) -> pd.DataFrame:
    """A hand-kept indicator, as given (period, numerator, denominator)."""
    m = manual[manual["indicator_id"].astype(str).eq(ind)]
    return pd.DataFrame({"indicator_id": ind, "period": m["period"].astype(str), "breakdown": "all",
                         "numerator": m["numerator"], "denominator": m["denominator"]})
