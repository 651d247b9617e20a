"""The index for many periods at once: group scores and points lost by procedure and by unit.

:func:`cchc_analysis.index766.scores` and :func:`~cchc_analysis.index766.points_lost` build a ledger
item by item for one period, which a notebook needs for its lists of dossiers. The indicator table needs
only sums, for every month, quarter, half and year of every year: here the per-dossier facts are
prepared once, the sub-indicators counted on received dossiers are summed by month, procedure and unit
with one ``bincount`` each and rolled up to quarters, halves and years by cumulative sums; 2.1 and 5.4
(whose scope, the dossiers in hand, is not additive over months) are judged once per dossier closed in
the periods and once per period end for the dossiers still open then (:func:`.in_hand.in_hand`). The figures
are those of the item-by-item path of :mod:`.scoring`
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

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cchc_analysis.index766 import rules
from cchc_analysis.index766.in_hand import in_hand
from cchc_analysis.index766.model import (
    PROCEDURE_LEVEL,
    Model,
    as_period,
    flag_arrays,
    per_model,
    status_masks,
)
from cchc_analysis.index766.registry import GROUPS, SUBINDICATORS
from cchc_analysis.index766.scoring import portal_points
from cchc_analysis.indicators.counting import cell_counts, flag_patterns
from cchc_analysis.periods import day_array, month_ordinals

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


def _procedure_codes(procedure: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Factorised procedure keys, a missing key as :data:`NO_PROCEDURE` (keys in order of first appearance)."""
    codes, names = pd.factorize(procedure, use_na_sentinel=False)
    names = np.asarray(names, dtype=object)
    missing = pd.isna(names)
    if missing.any():
        if NO_PROCEDURE in set(names[~missing]):  # the label is also written out: both are one key
            codes, names = pd.factorize(procedure.fillna(NO_PROCEDURE))
            return np.asarray(codes), np.asarray(names, dtype=object)
        names[missing] = NO_PROCEDURE
    return np.asarray(codes), names


def _flag(name: str):
    return lambda b: b[name]


def _both(den, num):
    return lambda b: den(b) & num(b)


#: The dossier flags the received sub-indicators are summed from (:func:`.model.flag_arrays`).
_BASE_FLAGS = ("online", "fee", "paid_known", "paid", "result_file_known", "result_file", "components_digitized_known",
               "components_digitized", "data_reused_known", "data_reused", "national_store_known", "national_store",
               "eid_known", "eid")
#: Sub-indicator: (counted, passes) over received dossiers, as functions of the flags (None: every dossier).
_SUBS = {
    "3.3": (None, _flag("online")),
    "P.A": (lambda b: b["fee"] & b["paid_known"], _flag("paid")),
    "4.1": (_flag("result_file_known"), _flag("result_file")),
    "4.2": (_flag("components_digitized_known"), lambda b: b["components_digitized"] & b["result_file"]),
    "4.3": (lambda b: b["data_reused_known"] | b["components_digitized_known"],
            lambda b: b["data_reused"] | b["components_digitized"]),
    "4.4": (_flag("national_store_known"), _flag("national_store")),
    "4.5b": (_flag("eid_known"), _flag("eid")),
}


@per_model
def _prepared(model: Model) -> dict:
    """Per-dossier facts, keys and monthly sums, computed once per model."""
    a = flag_arrays(model)
    d = model.dossiers
    n = len(d)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")

    def day(name: str) -> np.ndarray:
        return day_array(d[name]) if name in d.columns else nat

    masks = status_masks(d["status"], {"closing": rules.CLOSING_STATUSES, "not_received": rules.NOT_RECEIVED,
                                       "withdrawn": ("withdrawn",)})
    judge = {"received_at": a["received_day"],
             **{c: day(c) for c in ("due_at", "resolved_at", "request1_at", "request2_at", "completed1_at")},
             "supplement_count": d["supplement_count"].to_numpy(dtype="float64", na_value=np.nan),
             "legal_days": d["legal_days"].to_numpy(dtype="float64", na_value=np.nan),
             "legal_calendar": d["legal_calendar"].to_numpy(dtype=bool) if "legal_calendar" in d.columns
             else np.zeros(n, dtype=bool), **masks}
    judge.update({f"{c}:none": bool(np.isnat(judge[c]).all()) for c in ("request1_at", "request2_at", "completed1_at")})
    cat = model.catalogue
    cat_keys = cat["procedure"].astype(str).to_numpy(dtype=object) if cat is not None else np.array([], dtype=object)
    # factorised on the column itself (no text array per dossier); keys in order of first appearance,
    # the catalogue's first
    d_codes, d_names = _procedure_codes(d["procedure"]) if n else (np.array([], "int64"), [])
    proc_codes, proc_names = pd.factorize(np.concatenate([cat_keys, np.asarray(d_names, dtype=object)]))
    cat_idx, d_proc = proc_codes[: len(cat_keys)], proc_codes[len(cat_keys):][d_codes]
    d_unit, unit_names = pd.factorize(d["unit"]) if n else (np.array([], "int64"), [])
    month = month_ordinals(a["received_day"]) if n else np.array([], dtype="int64")
    rec = a["received_ok"] & (month >= 0) if n else np.array([], dtype=bool)
    m0 = int(month[rec].min()) if rec.any() else 0
    m1 = int(month[rec].max()) if rec.any() else -1
    nm = max(m1 - m0 + 1, 0)
    base = {name: a[name] for name in _BASE_FLAGS}
    if cat is None and n:  # the procedures of the dossiers: provided online when one dossier says so
        base["provided"] = status_masks(d["service_level"], {"on": ("full", "partial")})["on"]
    sizes = {None: 1, "procedure": len(proc_names), "unit": len(unit_names)}
    # one cell per (month, key) of the received dossiers; the others in a discarded last cell
    mi = np.where(rec, month - m0, 0)
    cells = {None: mi, "procedure": mi * sizes["procedure"] + d_proc, "unit": mi * sizes["unit"] + d_unit}
    for by, cell in cells.items():
        cell[~rec] = nm * sizes[by]
    wanted: dict[str | None, dict[str, object]] = {None: {}, "procedure": {}, "unit": {}}  # key space: name: flag
    wanted[None].update({"rec": None, "paid_known": _flag("paid_known"), "fee": _flag("fee"),
                         "eid_known": _flag("eid_known")})
    for sid, (den, num) in _SUBS.items():
        wanted[None][f"{sid}:known"] = den
        for by in ("procedure", "unit"):
            wanted[by][f"{sid}:{by}:d"] = den
            wanted[by][f"{sid}:{by}:n"] = num if den is None else _both(den, num)
    for flag in ("online", "paid", "eid", "fee"):
        wanted["procedure"][f"any:{flag}"] = _flag(flag)
    wanted["procedure"]["any:rec"] = None
    if "provided" in base:
        wanted["procedure"]["any:provided"] = _flag("provided")
    cum = {}
    code, combos = flag_patterns(list(base.values())) if n else (np.array([], dtype=np.intp), np.zeros((0, 0), bool))
    by_combo = {name: combos[:, i] for i, name in enumerate(base)}
    for by, flags in wanted.items():
        size = sizes[by]
        counts = cell_counts(cells[by], nm * size, code, combos) if n else None
        if counts is not None:  # a count by cell and combination of flags, then one product for every flag
            weights = np.stack([np.ones(len(combos)) if f is None else f(by_combo) for f in flags.values()], axis=1)
            sums = counts.astype("float64") @ weights.astype("float64")
        else:
            sums = np.stack([np.bincount(cells[by], weights=None if f is None else f(base),
                                         minlength=nm * size + 1)[: nm * size] for f in flags.values()],
                            axis=1).astype("float64") if flags else np.zeros((nm * size, 0))
        for i, name in enumerate(flags):  # cumulative monthly sums: shape (months + 1, size)
            out = np.zeros((nm + 1, size))
            np.cumsum(sums[:, i].reshape(nm, size), axis=0, out=out[1:])
            cum[name] = out
    return {"a": a, "judge": judge, "proc_names": np.asarray(proc_names, dtype=object), "unit_names":
            np.asarray(unit_names, dtype=object), "cat_idx": cat_idx, "d_proc": d_proc, "d_unit": d_unit,
            "m0": m0, "nm": nm, "month": month, "rec": rec, "cum": cum}


def _range(prep: dict, p) -> tuple[int, int]:
    """Rows of the cumulative sums for the months of ``p`` (clipped to the months with data)."""
    lo = int(np.datetime64(p.start, "M").astype("int64")) - prep["m0"]
    hi = int(np.datetime64(p.end, "M").astype("int64")) - prep["m0"] + 1
    return min(max(lo, 0), prep["nm"]), min(max(hi, 0), prep["nm"])


def _between(cum: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return cum[hi] - cum[lo]


@per_model
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
        provided = _between(cum["any:provided"], lo, hi)[idx] > 0
        fee = _between(cum["any:fee"], lo, hi)[idx] > 0
        offered = np.full(len(idx), None, dtype=object)
    return {"idx": idx, "provided": provided, "fee": fee, "offered": offered, "used": used_count[idx] > 0,
            **{flag: _between(cum[f"any:{flag}"], lo, hi)[idx] > 0 for flag in ("online", "paid", "eid")}}


def _counts(model: Model, p, prep: dict, judged: dict) -> tuple[dict, dict, set]:
    """Per sub-indicator: totals (N, D), per-key sums by procedure and unit, and the subs without data."""
    cum = prep["cum"]
    n_proc = len(prep["proc_names"])
    lo, hi = _range(prep, p)
    n_rec = _between(cum["rec"], lo, hi)[0]
    keyed: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    missing: set[str] = set()
    if model.dossiers.empty:
        return {}, {}, set(_OWN)
    # 2.1 and 5.4: the dossiers in hand, judged for this period (N of 5.4: on time less disliked)
    keyed["2.1"] = {by: (on, count) for by, (count, on, _) in judged.items()}
    keyed["5.4"] = {by: (on - dislike, count) for by, (count, on, dislike) in judged.items()}
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
    judged = in_hand(prep, periods)
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
            portal, _ = portal_points(model, p, gid)
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
