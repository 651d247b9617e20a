"""Frames made by code for the merger tests: the units of ``registry/units.yaml`` before and after
01/07/2025, and payroll and budget tables of them (shared by ``test_merger.py`` and
``test_merger_sentence.py``)."""

from __future__ import annotations

import pandas as pd

KH_CENTRE = "Trung tâm Xúc tiến thương mại"            # successor (Khánh Hòa)
NT_CENTRE = "Trung tâm Xúc tiến thương mại Ninh Thuận"  # merged in from 01/07/2025
KH_EXT = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"
NT_EXT = "Trung tâm Khuyến công Ninh Thuận"


def payroll(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    """A payroll table of (unit, year, headcount) rows; assigned and actual headcounts alike."""
    return pd.DataFrame({"unit": [r[0] for r in rows], "year": [r[1] for r in rows], "funding": "state_budget",
                         "headcount_assigned": pd.array([r[2] for r in rows], dtype="Int64"),
                         "headcount_actual": pd.array([r[2] for r in rows], dtype="Int64")})


def budget(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """A budget table of (unit, year, amount in đồng) rows: recurrent spending, state budget, actual."""
    return pd.DataFrame({"unit": [r[0] for r in rows], "year": [r[1] for r in rows], "category": "chi thường xuyên",
                         "funding": "state_budget", "stage": "actual", "amount_vnd": [r[2] for r in rows]})
