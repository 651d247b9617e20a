"""Dossier indicators: ratios of dossier flags (``method: dossier_ratio``) and of applicants.

Definitions (docs/contract.md section 3), dates compared as calendar dates:

- scope ``received``: ``received_at`` in the period, status neither ``registered`` nor ``rejected``;
- scope ``resolved``: ``resolved_at`` in the period, status ``resolved`` or ``returned``;
- scope ``closed``: resolved, returned or withdrawn, by ``resolved_at``;
- flag ``on_time``: resolved on or before the due date, or with no due date; a withdrawn dossier counts
  as on time; any null flag counts as false.

A registry entry names its numerator and denominator as a scope and a list of flags (ANDed):

>>> import pandas as pd
>>> d = pd.DataFrame({"channel": ["online", "online", "in_person"], "status": ["returned"] * 3,
...     "received_at": pd.to_datetime(["2024-01-05"] * 3), "fee_required": [True, True, True],
...     "paid_online": [True, False, None]})
>>> spec = {"numerator": {"scope": "received", "flags": ["fee_required", "paid_online"]},
...         "denominator": {"scope": "received", "flags": ["fee_required"]}, "breakdowns": []}
>>> rows = ratio_counts(d, {"online_payment_share": spec})
>>> rows[rows.period == "2024"][["numerator", "denominator"]].values.tolist()
[[1, 3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis.indicators import counting
from cchc_analysis.periods import Period, day_array

RECEIVED_EXCLUDED = ("registered", "rejected")
RESOLVED_STATUSES = ("resolved", "returned")
SCOPE_DATES = {"received": "received_at", "resolved": "resolved_at", "closed": "resolved_at"}


def _status(d: pd.DataFrame) -> dict[str, np.ndarray]:
    """The status sets the scopes and flags read, from one factorisation of the column."""
    return counting.value_masks(d["status"], {"excluded": RECEIVED_EXCLUDED, "resolved": RESOLVED_STATUSES,
                                              "withdrawn": ("withdrawn",)})


def scope_mask(d: pd.DataFrame, scope: str, status: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Rows in a scope (``received``, ``resolved``, ``closed``); ``status`` as given by :func:`_status`."""
    status = _status(d) if status is None else status
    if scope == "received":
        return ~status["excluded"]
    if scope == "resolved":
        return status["resolved"]
    return status["resolved"] | status["withdrawn"]


def dossier_flags(d: pd.DataFrame, names: Iterable[str],
                  status: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The named flags of every dossier as boolean arrays (null is false)."""
    out: dict[str, np.ndarray] = {}
    names = set(names)
    status = _status(d) if status is None and names & {"resolved", "on_time"} else status
    levels = (counting.value_masks(d["service_level"], {"full": ("full",), "partial": ("partial",)})
              if "service_level" in d and names & {"full", "partial"} else {})
    for name in names:
        if name == "online":
            out[name] = counting.value_masks(d["channel"], {"online": ("online",)})["online"]
        elif name in ("full", "partial"):
            out[name] = levels[name] if levels else np.zeros(len(d), bool)
        elif name == "resolved":
            out[name] = status["resolved"]
        elif name == "on_time":
            resolved_day = day_array(d["resolved_at"])
            due_day = (day_array(d["due_at"]) if "due_at" in d
                       else np.full(len(d), np.datetime64("NaT"), dtype="datetime64[D]"))
            out[name] = np.isnat(due_day) | (resolved_day <= due_day) | ~status["resolved"]
        else:
            out[name] = counting.flag(d, name)
    return out


def _combo(flags: Mapping[str, np.ndarray], names: Iterable[str], n: int) -> np.ndarray:
    out = np.ones(n, dtype=bool)
    for name in names:
        out &= flags[name]
    return out


def ratio_counts(d: pd.DataFrame, specs: Mapping[str, Mapping[str, Any]],
                 spans: Iterable[Period] = ()) -> pd.DataFrame:
    """Numerators and denominators of ``dossier_ratio`` indicators by period and breakdown.

    One monthly count per scope and breakdown set; only keys with at least one dossier in the scope
    appear (:func:`cchc_analysis.indicators.counting.complete` adds the empty ones).
    """
    parts = []
    by_scope: dict[tuple[str, tuple[str, ...]], dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for ind, spec in specs.items():
        scope = spec["denominator"]["scope"]
        num, den = tuple(spec["numerator"].get("flags") or ()), tuple(spec["denominator"].get("flags") or ())
        if scope == "resolved":  # one pass over closed dossiers serves both scopes
            scope, num, den = "closed", ("resolved", *num), ("resolved", *den)
        key = (scope, tuple(spec.get("breakdowns") or ()))
        by_scope.setdefault(key, {})[ind] = (num, den)
    names = {f for members in by_scope.values() for pair in members.values() for side in pair for f in side}
    status = _status(d)
    flags = dossier_flags(d, names, status)
    n = len(d)
    grouping_cache: dict[tuple[str, ...], dict] = {}
    month_cache: dict[str, np.ndarray] = {}
    for (scope, breakdowns), members in by_scope.items():
        columns: dict[str, np.ndarray] = {}
        pairs = {}
        for ind, (num, den) in members.items():
            for combo in (num, den):
                name = "&".join(sorted(set(combo))) or "n"
                if name not in columns:
                    columns[name] = _combo(flags, combo, n)
            pairs[ind] = ("&".join(sorted(set(num))) or "n", "&".join(sorted(set(den))) or "n")
        if breakdowns not in grouping_cache:
            grouping_cache[breakdowns] = counting.groups(d, breakdowns)
        date = SCOPE_DATES[scope]
        if date not in month_cache:
            month_cache[date] = counting.month_index(d[date])
        monthly = counting.monthly_counts(month_cache[date], columns, grouping_cache[breakdowns],
                                          mask=scope_mask(d, scope, status))
        parts.append(counting.share_rows(monthly, pairs, spans))
    if not parts:
        return pd.DataFrame(columns=counting.COUNT_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def applicant_counts(d: pd.DataFrame, specs: Mapping[str, Mapping[str, Any]],
                     spans: Iterable[Period] = ()) -> pd.DataFrame:
    """``applicant_ratio`` indicators: distinct ``applicant_key`` values instead of dossiers.

    An applicant is in the numerator of a period when at least one of their dossiers in the scope of
    that period carries every numerator flag. Without applicant keys there is nothing to count (the
    rows stay empty: ``no_data``), never a per-dossier stand-in.
    """
    if "applicant_key" not in d or d["applicant_key"].isna().all():
        return pd.DataFrame(columns=counting.COUNT_COLUMNS)
    rows = []
    for ind, spec in specs.items():
        scope = spec["denominator"]["scope"]
        names = set(spec["numerator"].get("flags") or []) | set(spec["denominator"].get("flags") or [])
        flags = dossier_flags(d, names)
        n = len(d)
        den = _combo(flags, spec["denominator"].get("flags") or [], n) & scope_mask(d, scope)
        den &= d["applicant_key"].notna().to_numpy(dtype=bool)
        num = _combo(flags, spec["numerator"].get("flags") or [], n) & den
        sub = pd.DataFrame({"key": d["applicant_key"].to_numpy()[den], "ok": num[den],
                            "month": counting.month_key(d[SCOPE_DATES[scope]]).to_numpy()[den]}).dropna()
        if sub.empty:
            continue
        rollups = [counting.roll_up(sub["month"], kind) for kind in counting.PERIOD_KINDS]
        years = set(sub["month"].str[:4].astype(int))
        for span in spans:
            if set(range(span.start.year, span.end.year + 1)) <= years:
                months = span.months()
                rollups.append(pd.Series(np.where(sub["month"].between(months[0], months[-1]), span.label, None),
                                         index=sub.index))
        for period in rollups:
            per = sub.assign(period=period).dropna(subset=["period"])
            agg = per.groupby(["period", "key"], sort=False)["ok"].any().groupby(level=0).agg(["sum", "size"])
            rows.append(pd.DataFrame({"indicator_id": ind, "period": agg.index, "breakdown": "all",
                                      "numerator": agg["sum"].to_numpy(), "denominator": agg["size"].to_numpy()}))
    if not rows:
        return pd.DataFrame(columns=counting.COUNT_COLUMNS)
    return pd.concat(rows, ignore_index=True)


def covered_months(dossiers: pd.DataFrame | None) -> set[str]:
    """Months (``YYYY-MM``) in which the dossier list has at least one dossier received."""
    if dossiers is None or dossiers.empty:
        return set()
    index = np.unique(counting.month_index(dossiers["received_at"]))
    return set(counting.month_labels(index[index != counting._NO_MONTH]).tolist())
