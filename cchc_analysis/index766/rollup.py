"""The index for many periods at once: group scores and points lost by procedure and by unit.

:func:`cchc_analysis.index766.scores` and :func:`~cchc_analysis.index766.points_lost` build a ledger
item by item for one period, which a notebook needs for its lists of dossiers. The indicator table needs
only sums, for every month, quarter, half and year of every year: here the per-dossier facts are
prepared once, the sub-indicators counted on received dossiers are summed by month, procedure and unit
with one ``bincount`` each and rolled up to quarters, halves and years by cumulative sums, and only 2.1
and 5.4 (whose scope, the dossiers in hand, is not additive over months) are judged period by period on
the dossiers that can be in hand during the year. The figures are those of the item-by-item path
(``tests/test_index766_rollup.py`` compares the two).

>>> import pandas as pd
>>> from cchc_analysis.index766.model import build
>>> d = pd.DataFrame({"dossier_id": ["a", "b"], "procedure_code": ["P1", "P2"], "procedure_name": ["X", "Y"],
...     "field": ["F", "F"], "unit": ["U", "U"], "channel": ["online", "in_person"], "service_level": ["full", "none"],
...     "received_at": pd.to_datetime(["2025-03-03", "2025-03-04"]), "due_at": pd.to_datetime(["2025-03-10"] * 2),
...     "resolved_at": pd.to_datetime(["2025-03-05", "2025-03-12"]), "status": ["resolved", "resolved"]})
>>> r = rollup(build({"dossiers": d}), ["2025-03", "2025-Q1"])
>>> float(r.groups.set_index(["period", "group"]).loc[("2025-Q1", "TDGQ"), "own_score"])
10.0
>>> r.lost[(r.lost["group"] == "TDGQ") & (r.lost["by"] == "procedure")][["period", "key", "points_lost"]].values.tolist()
[['2025-03', 'P2', 10.0], ['2025-Q1', 'P2', 10.0]]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cchc_analysis.index766 import rules
from cchc_analysis.index766.model import (
    PROCEDURE_LEVEL,
    Model,
    _arrays,
    _portal_points,
    as_period,
)
from cchc_analysis.index766.registry import GROUPS, SUBINDICATORS

__all__ = ["Rollup", "rollup", "UNALLOCATED", "NO_PROCEDURE"]

#: Where the points lost by the part taken from the portal go (as in :mod:`.explain`).
UNALLOCATED = "(không phân bổ được)"
#: Procedure key of a dossier without a procedure code or name.
NO_PROCEDURE = "(không rõ thủ tục)"
#: Sub-indicators counted on the dossiers received in the period (additive over months).
RECEIVED_SUBS = ("3.3", "P.A", "4.1", "4.2", "4.3", "4.4", "4.5b")
#: Sub-indicators counted on procedures.
PROCEDURE_SUBS = ("3.1", "3.2", "P.B", "P.C", "4.5a")
_OWN = [sid for sid, s in SUBINDICATORS.items() if s["source"] == "own"]


@dataclass
class Rollup:
    """Scores and points lost for many periods.

    Attributes
    ----------
    groups : pandas.DataFrame
        ``period``, ``group`` (the six and ``total``), ``max``, ``score`` (NaN without a complete
        figure), ``own_max``, ``own_score``, ``portal_max``, ``portal_score``, ``complete``: the figures
        of :func:`cchc_analysis.index766.scores`.
    lost : pandas.DataFrame
        ``period``, ``group``, ``by`` (``procedure`` or ``unit``), ``key``, ``points_lost``: per group the
        points lost by each procedure (code) and by each receiving unit, the part taken from the portal
        under :data:`UNALLOCATED` (NaN without the portal's figure); keys losing nothing are left out.
    """

    groups: pd.DataFrame
    lost: pd.DataFrame


def _month(days: np.ndarray) -> np.ndarray:
    """Month ordinal (year × 12 + month − 1) of ``datetime64[D]`` days; −1 for NaT."""
    months = days.astype("datetime64[M]").astype("int64")
    return np.where(np.isnat(days), -1, months)


@functools.cache
def _prepared(model: Model) -> dict:
    """Per-dossier facts, keys and monthly sums, computed once per model."""
    a = _arrays(model)
    d = model.dossiers
    n = len(d)

    def day(name: str) -> np.ndarray:
        if name not in d.columns:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        return np.asarray(pd.to_datetime(d[name])).astype("datetime64[D]")

    status = d["status"].astype(str).to_numpy()
    judge = {"status": status, **{c: day(c) for c in ("received_at", "due_at", "resolved_at", "request1_at",
                                                      "request2_at", "completed1_at")},
             "supplement_count": d["supplement_count"].to_numpy(dtype="float64", na_value=np.nan),
             "legal_days": d["legal_days"].to_numpy(dtype="float64", na_value=np.nan),
             "legal_calendar": d["legal_calendar"].to_numpy(dtype=bool) if "legal_calendar" in d.columns
             else np.zeros(n, dtype=bool),
             "closing": np.isin(status, rules.CLOSING_STATUSES), "not_received": np.isin(status, rules.NOT_RECEIVED)}
    proc_text = np.where(pd.isna(a["procedure"]), NO_PROCEDURE, a["procedure"]).astype(object) if n else \
        np.array([], dtype=object)
    cat = model.catalogue
    cat_keys = cat["procedure"].astype(str).to_numpy(dtype=object) if cat is not None else np.array([], dtype=object)
    proc_codes, proc_names = pd.factorize(np.concatenate([cat_keys, proc_text]))
    cat_idx, d_proc = proc_codes[: len(cat_keys)], proc_codes[len(cat_keys):]
    d_unit, unit_names = pd.factorize(a["unit"].astype(object))
    month = _month(a["received_day"]) if n else np.array([], dtype="int64")
    rec = a["received_ok"] & (month >= 0) if n else np.array([], dtype=bool)
    m0 = int(month[rec].min()) if rec.any() else 0
    m1 = int(month[rec].max()) if rec.any() else -1
    nm = max(m1 - m0 + 1, 0)
    comps, reused = a["components_digitized"], a["data_reused"]
    subs = {  # sub-indicator: (d: counted, n: passes) over received dossiers
        "3.3": (np.ones(n, dtype=bool), a["online"]),
        "P.A": (a["fee"] & a["paid_known"], a["paid"]),
        "4.1": (a["result_file_known"], a["result_file"]),
        "4.2": (a["components_digitized_known"], comps & a["result_file"]),
        "4.3": (a["data_reused_known"] | a["components_digitized_known"], reused | comps),
        "4.4": (a["national_store_known"], a["national_store"]),
        "4.5b": (a["eid_known"], a["eid"]),
    }
    mi = np.where(rec, month - m0, 0)

    def monthly(weights: np.ndarray, keys: np.ndarray | None = None, size: int = 1) -> np.ndarray:
        """Cumulative monthly sums over received dossiers: shape (months + 1, size)."""
        w = np.where(rec, weights, 0).astype("float64")
        idx = mi * size + (keys if keys is not None else 0)
        sums = np.bincount(idx, weights=w, minlength=nm * size)[: nm * size].reshape(nm, size) if nm else \
            np.zeros((0, size))
        return np.vstack([np.zeros((1, size)), np.cumsum(sums, axis=0)])

    cum = {"rec": monthly(np.ones(n)), "paid_known": monthly(a["paid_known"]), "fee": monthly(a["fee"])}
    for sid, (den, num) in subs.items():
        cum[f"{sid}:known"] = monthly(den)
        for by, keys, size in (("procedure", d_proc, len(proc_names)), ("unit", d_unit, len(unit_names))):
            cum[f"{sid}:{by}:d"] = monthly(den, keys, size)
            cum[f"{sid}:{by}:n"] = monthly(den & num, keys, size)
    for flag in ("online", "paid", "eid"):
        cum[f"any:{flag}"] = monthly(a[flag], d_proc, len(proc_names))
    cum["any:rec"] = monthly(np.ones(n), d_proc, len(proc_names))
    cum["eid_known"] = monthly(a["eid_known"])
    rank = d["service_level"].map({"full": 2, "partial": 1, "none": 0}).astype("float64").to_numpy() if n \
        else np.array([])
    return {"a": a, "judge": judge, "proc_names": np.asarray(proc_names, dtype=object), "unit_names":
            np.asarray(unit_names, dtype=object), "cat_idx": cat_idx, "d_proc": d_proc, "d_unit": d_unit,
            "m0": m0, "nm": nm, "month": month, "rec": rec, "cum": cum, "rank": rank}


def _range(prep: dict, p) -> tuple[int, int]:
    """Rows of the cumulative sums for the months of ``p`` (clipped to the months with data)."""
    lo = int(np.datetime64(p.start, "M").astype("int64")) - prep["m0"]
    hi = int(np.datetime64(p.end, "M").astype("int64")) - prep["m0"] + 1
    return min(max(lo, 0), prep["nm"]), min(max(hi, 0), prep["nm"])


def _between(cum: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return cum[hi] - cum[lo]


@functools.cache
def _catalogue(model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The catalogue's procedures (index into the keys), provided online, with a fee, payment offered."""
    c = model.catalogue
    idx = _prepared(model)["cat_idx"]
    level = c["level"].astype("string") if "level" in c.columns else pd.Series(pd.NA, index=c.index, dtype="string")
    provided = level.isin(["partial", "full"]).fillna(False).to_numpy(dtype=bool)
    fee = c["fee_required"].astype("boolean").fillna(False).to_numpy(dtype=bool) if "fee_required" in c.columns \
        else np.zeros(len(c), dtype=bool)
    if {"online_payment", "on_national_portal"} <= set(c.columns):
        offered = (c["online_payment"].astype("boolean") & c["on_national_portal"].astype("boolean")).to_numpy(
            dtype=object, na_value=None)
    else:
        offered = np.full(len(c), None, dtype=object)
    return idx, provided, fee, offered


def _procedure_items(model: Model, prep: dict, lo: int, hi: int) -> dict:
    """The procedures in scope (catalogue's, else those of the period's received dossiers) and their facts."""
    cum = prep["cum"]
    used_count = _between(cum["any:rec"], lo, hi)
    if model.catalogue is not None:
        idx, provided, fee, offered = _catalogue(model)
    else:
        idx = np.flatnonzero(used_count > 0)
        sel = prep["rec"] & (prep["month"] - prep["m0"] >= lo) & (prep["month"] - prep["m0"] < hi)
        rank = np.full(len(prep["proc_names"]), np.nan)
        ranks = prep["rank"][sel]
        ok = ~np.isnan(ranks)
        np.fmax.at(rank, prep["d_proc"][sel][ok], ranks[ok])
        provided = np.isin(rank[idx], (1.0, 2.0))
        fee_any = np.zeros(len(prep["proc_names"]), dtype=bool)
        np.logical_or.at(fee_any, prep["d_proc"][sel], prep["a"]["fee"][sel])
        fee = fee_any[idx]
        offered = np.full(len(idx), None, dtype=object)
    return {"idx": idx, "provided": provided, "fee": fee, "offered": offered, "used": used_count[idx] > 0,
            **{flag: _between(cum[f"any:{flag}"], lo, hi)[idx] > 0 for flag in ("online", "paid", "eid")}}


def _counts(model: Model, p, prep: dict, judged: dict) -> tuple[dict, dict, set]:
    """Per sub-indicator: totals (N, D), per-key sums by procedure and unit, and the subs without data."""
    cum = prep["cum"]
    n_proc, n_unit = len(prep["proc_names"]), len(prep["unit_names"])
    lo, hi = _range(prep, p)
    n_rec = _between(cum["rec"], lo, hi)[0]
    keyed: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    missing: set[str] = set()
    if model.dossiers.empty:
        return {}, {}, set(_OWN)
    # 2.1 and 5.4: the dossiers in hand, judged for this period
    pos, on_time, dislike = judged["pos"], judged["on_time"], judged["dislike"]
    for sid, nval in (("2.1", on_time.astype("float64")), ("5.4", 1.0 - (~on_time) - dislike)):
        keyed[sid] = {by: (np.bincount(keys[pos], weights=nval, minlength=size),
                           np.bincount(keys[pos], minlength=size).astype("float64"))
                      for by, keys, size in (("procedure", prep["d_proc"], n_proc), ("unit", prep["d_unit"], n_unit))}
    paid_known = _between(cum["paid_known"], lo, hi)[0] > 0
    has_fee = _between(cum["fee"], lo, hi)[0] > 0
    for sid in RECEIVED_SUBS:
        if sid == "P.A":
            ok = paid_known or not has_fee
        else:
            ok = _between(cum[f"{sid}:known"], lo, hi)[0] > 0 or not n_rec
        if not ok:
            missing.add(sid)
            continue
        keyed[sid] = {by: (_between(cum[f"{sid}:{by}:n"], lo, hi), _between(cum[f"{sid}:{by}:d"], lo, hi))
                      for by in ("procedure", "unit")}
    items = _procedure_items(model, prep, lo, hi)
    idx, provided, fee = items["idx"], items["provided"], items["fee"]

    def by_procedure(sel: np.ndarray, passes: np.ndarray) -> dict:
        keys = idx[sel]
        num = np.bincount(keys, weights=passes[sel].astype("float64"), minlength=n_proc)
        den = np.bincount(keys, minlength=n_proc).astype("float64")
        return {"procedure": (num, den), "unit": (np.array([num.sum()]), np.array([den.sum()]))}

    every = np.ones(len(idx), dtype=bool)
    keyed["3.1"] = by_procedure(every, provided)
    keyed["3.2"] = by_procedure(provided, items["online"])
    if paid_known or not fee.any():
        keyed["P.B"] = by_procedure(fee, items["paid"])
    else:
        missing.add("P.B")
    offered = items["offered"][fee]
    if any(v is not None for v in offered) or not fee.any():
        keyed["P.C"] = by_procedure(fee, np.array([bool(v) for v in items["offered"]], dtype=bool))
    else:
        missing.add("P.C")
    used = items["used"]
    if _between(cum["eid_known"], lo, hi)[0] > 0 or not used.any():
        keyed["4.5a"] = by_procedure(used, items["eid"])
    else:
        missing.add("4.5a")
    totals = {sid: (float(k["procedure"][0].sum()), float(k["procedure"][1].sum())) for sid, k in keyed.items()}
    return totals, keyed, missing


def _judge_year(prep: dict, periods: list) -> dict:
    """2.1 facts per period, judging only the dossiers that can be in hand during the periods."""
    j = prep["judge"]
    if not len(j["status"]):
        return {}
    out = {}
    by_year: dict[int, list] = {}
    for p in periods:
        by_year.setdefault(p.start.year, []).append(p)
    for chunk in by_year.values():
        first = np.datetime64(min(p.start for p in chunk), "D")
        last = np.datetime64(max(p.end for p in chunk), "D")
        closed_before = j["closing"] & ~np.isnat(j["resolved_at"]) & (j["resolved_at"] < first)
        keep = np.flatnonzero(~j["not_received"] & ~np.isnat(j["received_at"]) & (j["received_at"] <= last)
                              & ~closed_before)
        sub = {k: v[keep] for k, v in j.items()}
        dislike = prep["a"]["dislike"][keep].astype("float64")
        for p in chunk:
            scope, _, _, on_time, _, _ = rules.judge_arrays(sub, p.start, p.end)
            out[p.label] = {"pos": keep[scope], "on_time": on_time[scope], "dislike": dislike[scope]}
    return out


def _score(num: float, den: float, s: dict) -> float:
    return rules.share_score(num, den, s["max"], s["threshold"], s["empty"])


def rollup(model: Model, periods: Iterable) -> Rollup:
    """Group scores and points lost by procedure and by unit for each period (months, quarters, halves, years).

    Parameters
    ----------
    model : Model
        From :func:`cchc_analysis.index766.build`.
    periods : iterable of Period or str
        Periods made of whole months.

    Returns
    -------
    Rollup
    """
    periods = [as_period(p) for p in periods]
    prep = _prepared(model)
    judged = _judge_year(prep, periods) if periods else {}
    groups: list[dict] = []
    lost: dict[str, list] = {"period": [], "group": [], "by": [], "key": [], "points_lost": []}
    extra = np.array([PROCEDURE_LEVEL, UNALLOCATED], dtype=object)
    keys = {"procedure": np.concatenate([prep["proc_names"], extra]), "unit": np.concatenate([prep["unit_names"], extra])}
    for p in periods:
        label = p.label
        totals, keyed, missing = _counts(model, p, prep, judged.get(label, {}))
        rows = []
        for gid, g in GROUPS.items():
            own_score = own_max = unknown_max = 0.0
            sub_scores = {}
            for sid, s in SUBINDICATORS.items():
                if s["group"] != gid:
                    continue
                if s["source"] != "own" or sid in missing or sid not in totals:
                    unknown_max += s["max"]
                    continue
                score = _score(*totals[sid], s)
                if np.isnan(score):
                    unknown_max += s["max"]
                    continue
                sub_scores[sid] = score
                own_score += score
                own_max += s["max"]
            portal, _ = _portal_points(model, p, gid)
            portal_score = float("nan")
            if unknown_max and not np.isnan(portal):
                portal_score = float(min(unknown_max, max(0.0, portal - own_score)))
            complete = not unknown_max or not np.isnan(portal_score)
            score = own_score + (portal_score if unknown_max else 0.0) if complete else float("nan")
            rows.append({"period": label, "group": gid, "max": float(g["max"]), "score": score, "own_max": own_max,
                         "own_score": own_score, "portal_max": unknown_max, "portal_score": portal_score,
                         "complete": complete})
            for by, names in keys.items():
                points = np.zeros(len(names))
                for sid, score in sub_scores.items():
                    s = SUBINDICATORS[sid]
                    num, den = keyed[sid][by]
                    short = np.clip(s["threshold"] * den - num, 0, None)
                    total, gone = short.sum(), max(0.0, s["max"] - score)
                    if gone > 0 and total > 0:
                        share = gone * short / total
                        if sid in PROCEDURE_SUBS and by == "unit":
                            points[-2] += share.sum()
                        else:
                            points[: len(share)] += share
                if unknown_max:
                    points[-1] += unknown_max - portal_score
                hit = np.flatnonzero(points != 0)
                lost["period"].append(np.full(len(hit), label, dtype=object))
                lost["group"].append(np.full(len(hit), gid, dtype=object))
                lost["by"].append(np.full(len(hit), by, dtype=object))
                lost["key"].append(names[hit])
                lost["points_lost"].append(points[hit])
        total = {"period": label, "group": "total", "max": sum(r["max"] for r in rows),
                 "score": sum(r["score"] for r in rows), "own_max": sum(r["own_max"] for r in rows),
                 "own_score": sum(r["own_score"] for r in rows), "portal_max": sum(r["portal_max"] for r in rows),
                 "portal_score": sum(r["portal_score"] for r in rows if r["portal_max"]),
                 "complete": all(r["complete"] for r in rows)}
        groups += [*rows, total]
    lost_frame = pd.DataFrame({c: np.concatenate(v) if v else np.array([], dtype=object) for c, v in lost.items()})
    lost_frame["points_lost"] = lost_frame["points_lost"].astype("float64")
    return Rollup(groups=pd.DataFrame(groups, columns=["period", "group", "max", "score", "own_max", "own_score",
                                                       "portal_max", "portal_score", "complete"]),
                  lost=lost_frame)
