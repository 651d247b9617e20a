"""Indicators of the procedure catalogue (``catalogue_ratio``) and of the task register (``task_completion``).

The catalogue (``procedures`` table, danh mục TTHC) is a snapshot: its ratios are given for the year
of its ``as_of`` date when the table has one, else for the reference year :func:`compute` passes (the
last year of the dated data). Missing tables give no rows (``no_data``), never an error.

>>> import pandas as pd
>>> cat = pd.DataFrame({"internal": [True, True, False], "published": [True, False, True]})
>>> spec = {"numerator": {"flags": ["internal", "published"]}, "denominator": {"flags": ["internal"]}}
>>> catalogue_counts("internal_procedures_published_share", spec, cat, 2025).values.tolist()
[['internal_procedures_published_share', '2025', 'all', 1, 2]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis.indicators import counting
from cchc_analysis.periods import Period

TASK_DONE = "done"
TASK_CANCELLED = "cancelled"


def catalogue_flags(cat: pd.DataFrame, names: Iterable[str]) -> np.ndarray:
    """Rows of the catalogue carrying every named flag (null is false)."""
    out = np.ones(len(cat), dtype=bool)
    for name in names:
        if name == "level_full":
            out &= cat["level"].eq("full").to_numpy(dtype=bool, na_value=False) if "level" in cat else False
        elif name == "level_online":
            out &= (cat["level"].isin(("full", "partial")).to_numpy(dtype=bool) if "level" in cat else False)
        else:
            out &= counting.flag(cat, name)
    return out


def catalogue_counts(ind: str, spec: Mapping[str, Any], catalogue: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per year of the snapshot: procedures with every numerator flag / with every denominator flag."""
    cat = catalogue
    if "as_of" in cat and cat["as_of"].notna().any():
        years = pd.to_datetime(cat["as_of"]).dt.year
    else:
        years = pd.Series(int(year), index=cat.index)
    num = catalogue_flags(cat, spec["numerator"].get("flags") or [])
    den = catalogue_flags(cat, spec["denominator"].get("flags") or [])
    frame = pd.DataFrame({"year": years.to_numpy(), "num": num & den, "den": den})
    sums = frame.groupby("year", sort=True)[["num", "den"]].sum().reset_index()
    return pd.DataFrame({"indicator_id": ind, "period": sums["year"].astype(int).astype(str), "breakdown": "all",
                         "numerator": sums["num"].astype(int), "denominator": sums["den"].astype(int)})


def task_counts(ind: str, tasks: pd.DataFrame, breakdowns: Iterable[str] = ("area", "unit"),
                spans: Iterable[Period] = ()) -> pd.DataFrame:
    """Tasks ``done`` by their deadline over tasks with a deadline in the period, by area and lead unit.

    A cancelled task is in neither count; a done task without a completion date counts as done in
    time (the register says it is done and gives no date against it).
    """
    t = tasks
    deadline = pd.to_datetime(t["deadline"]) if "deadline" in t else pd.Series(pd.NaT, index=t.index)
    done_at = pd.to_datetime(t["done_at"]) if "done_at" in t else pd.Series(pd.NaT, index=t.index)
    status = t["status"].astype("string")
    live = (~status.eq(TASK_CANCELLED).fillna(False)).to_numpy(dtype=bool)
    in_time = (status.eq(TASK_DONE).fillna(False)
               & (done_at.isna() | (done_at.dt.normalize() <= deadline.dt.normalize()))).to_numpy(dtype=bool)
    columns = {"area": "area", "unit": "lead_unit"}
    chosen = [columns[b] for b in breakdowns if b in columns]
    grouping = counting.groups(t, chosen, labels={"lead_unit": "unit"})
    monthly = counting.monthly_counts(counting.month_index(deadline), {"n": np.ones(len(t), bool), "ok": in_time},
                                      grouping, mask=live)
    return counting.share_rows(monthly, {ind: ("ok", "n")}, spans)
