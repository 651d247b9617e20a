"""Canonical tables made by code, shared by the chart and narrative tests."""

from __future__ import annotations

import pandas as pd

from cchc_analysis import indicators


def evaluations(counts: dict[str, tuple[int, int]], *, dossier_ids: list[str] | None = None,
                criteria: dict[str, int] | None = None) -> pd.DataFrame:
    """``counts``: period start date -> (satisfied, answers); each answer on that date."""
    rows = []
    for day, (ok, n) in counts.items():
        for i in range(n):
            rows.append({"evaluation_id": f"{day}-{i}", "dossier_id": None, "evaluated_at": pd.Timestamp(day),
                         "overall": "satisfied" if i < ok else "dissatisfied"})
    frame = pd.DataFrame(rows)
    if dossier_ids is not None:
        frame.loc[: len(dossier_ids) - 1, "dossier_id"] = dossier_ids
    for crit, top in (criteria or {}).items():
        frame[crit] = [2 if i < top else 1 for i in range(len(frame))]
    return frame


#: Satisfaction rising from 80% (2021) to 92% (2025): on the path, then met.
SATISFACTION = {"2021-03-01": (160, 200), "2022-03-01": (170, 200), "2023-03-01": (172, 200),
                "2024-03-01": (178, 200), "2025-03-01": (230, 250)}


def satisfaction_table() -> pd.DataFrame:
    return indicators.compute({"evaluations": evaluations(SATISFACTION)})


def amounts_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Budget 2021-2025 (actual) and 2026 (plan), headcount 2021-2025; returns (table, budget)."""
    budget = pd.DataFrame([
        {"unit": "Trung tâm Khuyến công", "year": y, "category": "chi thường xuyên", "funding": "state_budget",
         "stage": stage, "amount_vnd": amount}
        for y, amount, stages in [(2021, 20e9, ("plan", "actual")), (2022, 19e9, ("actual",)),
                                  (2023, 18e9, ("actual",)), (2024, 17e9, ("actual",)), (2025, 16e9, ("actual",)),
                                  (2026, 15.5e9, ("plan",))]
        for stage in stages])
    payroll = pd.DataFrame([{"unit": "Trung tâm Khuyến công", "year": y, "funding": "state_budget",
                             "headcount_assigned": h, "headcount_actual": h}
                            for y, h in [(2021, 50), (2022, 49), (2023, 48), (2024, 47), (2025, 46)]])
    return indicators.compute({"budget": budget, "payroll": payroll}), budget
