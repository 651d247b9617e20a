"""Ledgers and scores per period, item by item (the reference the roll-up is checked against).

A *ledger* lists, for one sub-indicator and one period, the items it counts (dossiers or procedures)
with what each contributes to the numerator (``n``) and to the denominator (``d``). A sub-indicator's
score is ``max × min(1, (Σn/Σd) / threshold)``; the same ledger says which procedures, units and
dossiers lose the points (:mod:`cchc_analysis.index766.explain`).

>>> import pandas as pd
>>> from cchc_analysis.index766.model import build
>>> d = pd.DataFrame({"dossier_id": ["a", "b"], "procedure_code": ["P1", "P1"], "procedure_name": ["X", "X"],
...     "field": ["F", "F"], "unit": ["U", "U"], "channel": ["online", "in_person"], "service_level": ["full", "none"],
...     "received_at": pd.to_datetime(["2025-03-03", "2025-03-04"]), "due_at": pd.to_datetime(["2025-03-10"] * 2),
...     "resolved_at": pd.to_datetime(["2025-03-05", "2025-03-12"]), "status": ["resolved", "resolved"]})
>>> m = build({"dossiers": d})
>>> s = scores(m, ["2025-03"])[0]
>>> s.set_index("sub_id").loc["2.1", ["numerator", "denominator", "score"]].tolist()
[1.0, 2.0, 10.0]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cchc_analysis.index766 import rules
from cchc_analysis.index766.model import (
    PORTAL_PART,
    PROCEDURE_LEVEL,
    Model,
    as_period,
    dossier_arrays,
    per_model,
)
from cchc_analysis.index766.registry import GROUPS, SUBINDICATORS
from cchc_analysis.periods import Period

__all__ = ["GROUP_COLUMNS", "LEDGER_COLUMNS", "SUB_COLUMNS", "ledger", "portal_points", "scores"]

# --- ledgers ---

LEDGER_COLUMNS = ["sub_id", "item", "dossier_id", "procedure", "procedure_name", "field", "unit", "n", "d",
                  "reason", "days_late"]


def _dossier_part(sub_id: str, pos: np.ndarray, n: np.ndarray, reason: str | np.ndarray,
                  days_late: np.ndarray | None = None) -> dict[str, np.ndarray]:
    n = np.asarray(n, dtype="float64")
    reasons = np.broadcast_to(np.asarray(reason, dtype=object), n.shape)
    return {"sub_id": np.full(len(pos), sub_id, dtype=object), "pos": pos, "proc": np.full(len(pos), -1),
            "n": n, "reason": np.where(n < 1, reasons, None),
            "days_late": np.zeros(len(pos), dtype="int64") if days_late is None else np.asarray(days_late, "int64")}


def _procedure_part(sub_id: str, idx: np.ndarray, n: np.ndarray, reason: str) -> dict[str, np.ndarray]:
    n = np.asarray(n, dtype="float64")
    return {"sub_id": np.full(len(idx), sub_id, dtype=object), "pos": np.full(len(idx), -1), "proc": idx, "n": n,
            "reason": np.where(n < 1, reason, None).astype(object), "days_late": np.zeros(len(idx), dtype="int64")}


def _procedures(model: Model, a: dict[str, np.ndarray], rec: np.ndarray) -> pd.DataFrame:
    """The procedures in scope: the catalogue's (not internal), else those met in the period's dossiers."""
    if model.catalogue is not None:
        c = model.catalogue
        return pd.DataFrame({
            "procedure": c["procedure"], "procedure_name": c["procedure_name"].astype("string"),
            "field": c["field"].astype("string"), "level": c.get("level", pd.Series(pd.NA, index=c.index)),
            "fee": c["fee_required"].astype("boolean") if "fee_required" in c else pd.NA,
            "offered": (c["online_payment"].astype("boolean") & c["on_national_portal"].astype("boolean"))
            if {"online_payment", "on_national_portal"} <= set(c.columns) else pd.NA,
        }).reset_index(drop=True)  # fmt: skip
    received = model.dossiers.iloc[rec]
    rank = received["service_level"].map({"full": 2, "partial": 1, "none": 0}).astype("float64")
    g = received.assign(rank=rank, fee=received["fee"].fillna(False)).groupby("procedure", sort=True)
    procs = g.agg(procedure_name=("procedure_name", "first"), field=("field", "first"), rank=("rank", "max"),
                  fee=("fee", "max")).reset_index()
    procs["level"] = procs["rank"].map({2: "full", 1: "partial", 0: "none"})
    procs["offered"] = pd.NA
    return procs.drop(columns="rank")


def _any_by_procedure(a: dict[str, np.ndarray], rec: np.ndarray, flag: str) -> set[str]:
    """Procedures with at least one received dossier of the period carrying ``flag``."""
    return set(a["procedure"][rec[a[flag][rec]]])


def ledger(model: Model, period: Period | str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every own sub-indicator's ledger for one period, and a note per sub-indicator without data.

    Returns
    -------
    (pandas.DataFrame, dict)
        :data:`LEDGER_COLUMNS`; ``{sub_id: why it has no figure}``. Cached per model and period:
        treat as read-only.
    """
    return _ledger(model, as_period(period))


@per_model
def _ledger(model: Model, p: Period) -> tuple[pd.DataFrame, dict[str, str]]:
    if model.dossiers.empty:  # no records at all: nothing is scored (an empty period would score full)
        none = {sid: "Không có danh sách hồ sơ." for sid, s in SUBINDICATORS.items() if s["source"] == "own"}
        return pd.DataFrame(columns=LEDGER_COLUMNS), none
    a = dossier_arrays(model)
    first, last = np.datetime64(p.start, "D"), np.datetime64(p.end, "D")
    rec = np.flatnonzero(a["received_ok"] & (a["received_day"] >= first) & (a["received_day"] <= last))
    parts: list[dict[str, np.ndarray]] = []
    missing: dict[str, str] = {}

    judged = rules.judge_on_time(model.dossiers, p.start, p.end)
    held = judged.index.to_numpy(dtype="int64")
    on_time = judged["on_time"].to_numpy(dtype=bool)
    days = judged["days_late"].to_numpy(dtype="int64")
    basis = judged["basis"].to_numpy(dtype=object)
    late_reason = np.where(basis == "many_supplements", "Yêu cầu bổ sung hồ sơ nhiều hơn một lần",
                           np.where(basis == "legal",
                                    np.char.add(np.char.add("Quá thời hạn giải quyết theo quy định ", days.astype(str)),
                                                " ngày làm việc"),
                                    np.char.add(np.char.add("Quá hạn ", days.astype(str)), " ngày"))).astype(object)
    parts.append(_dossier_part("2.1", held, on_time, late_reason, days))
    late = (~on_time).astype("float64")
    dislike = a["dislike"][held].astype("float64")
    why54 = np.where((late > 0) & (dislike > 0), "Giải quyết quá hạn; có phản ánh hoặc đánh giá không hài lòng",
                     np.where(late > 0, "Giải quyết quá hạn", "Có phản ánh hoặc đánh giá không hài lòng")).astype(object)
    parts.append(_dossier_part("5.4", held, 1.0 - late - dislike, why54, days))

    parts.append(_dossier_part("3.3", rec, a["online"][rec], "Nộp trực tiếp hoặc qua bưu chính"))
    fee = rec[a["fee"][rec]]
    paid_known = bool(a["paid_known"][rec].any())
    if paid_known or not len(fee):
        fee_known = fee[a["paid_known"][fee]]
        parts.append(_dossier_part("P.A", fee_known, a["paid"][fee_known],
                                   "Có phí, lệ phí nhưng chưa thanh toán trực tuyến"))
    else:
        missing["P.A"] = "Hồ sơ không có cột thanh toán trực tuyến."
    comps, reused = a["components_digitized"][rec], a["data_reused"][rec]
    flags = {
        "4.1": (a["result_file_known"][rec], a["result_file"][rec], "Chưa có tệp kết quả điện tử"),
        "4.2": (a["components_digitized_known"][rec], comps & a["result_file"][rec],
                "Chưa số hóa đủ thành phần hồ sơ và kết quả"),
        "4.3": (a["data_reused_known"][rec] | a["components_digitized_known"][rec], reused | comps,
                "Không tái sử dụng dữ liệu số hóa"),
        "4.4": (a["national_store_known"][rec], a["national_store"][rec], "Không kết nối kho dữ liệu cá nhân"),
        "4.5b": (a["eid_known"][rec], a["eid"][rec], "Không khai thác dữ liệu dân cư (VNeID)"),
    }
    coverage: dict[str, str] = {}
    for sub_id, (known, n, why) in flags.items():
        if known.any() or not len(rec):
            # only the dossiers whose export carries the flag count: a column an export lacks is no failure
            parts.append(_dossier_part(sub_id, rec[known], n[known], why))
            if len(rec) and not known.all():
                coverage[sub_id] = (f"Tính trên {int(known.sum()):,} / {len(rec):,} hồ sơ có dữ liệu cho chỉ tiêu "
                                    "này.").replace(",", ".")
        else:
            missing[sub_id] = "Hồ sơ không có cột dữ liệu cho chỉ số này."

    procs = _procedures(model, a, rec)
    names = procs["procedure"].astype(object).to_numpy()
    idx = np.arange(len(procs))
    provided = procs["level"].astype("string").isin(["partial", "full"]).fillna(False).to_numpy(dtype=bool)
    parts.append(_procedure_part("3.1", idx, provided, "TTHC chưa cung cấp dịch vụ công trực tuyến"))
    online_procs = _any_by_procedure(a, rec, "online")
    parts.append(_procedure_part("3.2", idx[provided], np.isin(names[provided], list(online_procs)),
                                 "Dịch vụ công trực tuyến không phát sinh hồ sơ trực tuyến"))
    with_fee = procs["fee"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if paid_known or not with_fee.any():
        paid_procs = _any_by_procedure(a, rec, "paid")
        parts.append(_procedure_part("P.B", idx[with_fee], np.isin(names[with_fee], list(paid_procs)),
                                     "TTHC có phí chưa phát sinh thanh toán trực tuyến"))
    else:
        missing["P.B"] = "Hồ sơ không có cột thanh toán trực tuyến."
    offered = procs["offered"].astype("boolean")[with_fee]
    if offered.notna().any() or not with_fee.any():
        parts.append(_procedure_part("P.C", idx[with_fee], offered.fillna(False).to_numpy(dtype=bool),
                                     "TTHC có phí chưa cung cấp thanh toán trên Cổng DVC quốc gia"))
    else:
        missing["P.C"] = "Danh mục TTHC không cho biết thủ tục nào thanh toán được trên Cổng DVC quốc gia."
    used = np.isin(names, list(set(a["procedure"][rec])))
    if a["eid_known"][rec].any() or not used.any():
        parts.append(_procedure_part("4.5a", idx[used], np.isin(names[used], list(_any_by_procedure(a, rec, "eid"))),
                                     "TTHC chưa khai thác dữ liệu dân cư (VNeID)"))
    else:
        missing["4.5a"] = "Hồ sơ không có cột xác thực VNeID."
    frame = _assemble(parts, a, procs)
    frame.attrs["coverage"] = coverage
    return frame, missing


def _assemble(parts: list[dict[str, np.ndarray]], a: dict[str, np.ndarray], procs: pd.DataFrame) -> pd.DataFrame:
    cols = {k: np.concatenate([p[k] for p in parts]) for k in ("sub_id", "pos", "proc", "n", "reason", "days_late")}
    pos, proc = cols["pos"], cols["proc"]
    is_dossier = pos >= 0
    out = {"sub_id": cols["sub_id"], "item": np.where(is_dossier, "dossier", "procedure").astype(object)}
    p_arrays = {c: procs[c].astype(object).where(procs[c].notna(), None).to_numpy(dtype=object)
                for c in ("procedure", "procedure_name", "field")}
    safe_pos, safe_proc = np.where(is_dossier, pos, 0), np.where(is_dossier, 0, proc)
    empty = np.full(len(pos), None, dtype=object)
    out["dossier_id"] = np.where(is_dossier, a["dossier_id"][safe_pos] if len(a["dossier_id"]) else empty, None)
    for c in ("procedure", "procedure_name", "field"):
        from_d = a[c][safe_pos] if len(a[c]) else empty
        from_p = p_arrays[c][safe_proc] if len(procs) else empty
        out[c] = np.where(is_dossier, from_d, from_p)
    out["unit"] = np.where(is_dossier, a["unit"][safe_pos] if len(a["unit"]) else empty, PROCEDURE_LEVEL)
    out["n"], out["d"] = cols["n"], np.ones(len(pos))
    out["reason"], out["days_late"] = cols["reason"], cols["days_late"]
    # text columns stay object (pandas would otherwise convert every column of every period to Arrow strings)
    return pd.DataFrame({c: pd.Series(out[c], dtype=object if out[c].dtype == object else None, copy=False)
                         for c in LEDGER_COLUMNS})


# --- scores ---


@per_model
def _portal_lookup(model: Model) -> dict[tuple[str, str], float]:
    portal = model.portal
    return {(str(per), str(g)): float(v) for per, g, v in zip(portal["period"], portal["group"], portal["points"],
                                                               strict=True)}


def portal_points(model: Model, p: Period, group: str) -> tuple[float, str]:
    """The portal's figure for a group and period: the export's own, else the mean of its months (NaN
    without one), and how it was found (Vietnamese, empty without a figure)."""
    lookup = _portal_lookup(model)
    if (p.label, group) in lookup:
        return lookup[(p.label, group)], "theo tệp của Cổng"
    months = [lookup[(m, group)] for m in p.months() if (m, group) in lookup]
    if p.kind != "month" and months:
        return (float(np.mean(months)), f"trung bình {len(months)}/{len(p.months())} tháng trên Cổng (ước tính)")
    return float("nan"), ""


SUB_COLUMNS = ["period", "group", "sub_id", "name", "source", "estimate", "max", "threshold", "numerator",
               "denominator", "value", "score", "note"]
GROUP_COLUMNS = ["period", "group", "name", "max", "score", "own_max", "own_score", "portal_max", "portal_score",
                 "portal", "estimate", "complete", "note"]


@per_model
def _one_period(model: Model, p: Period) -> tuple[list[dict], list[dict]]:
    led, missing = ledger(model, p)
    coverage = led.attrs.get("coverage", {})
    sums = led.groupby("sub_id")[["n", "d"]].sum()
    subs: list[dict] = []
    groups: list[dict] = []
    for gid, g in GROUPS.items():
        own_score = own_max = 0.0
        unknown: list[str] = []
        unknown_max = 0.0
        for sid, s in SUBINDICATORS.items():
            if s["group"] != gid:
                continue
            if s["source"] != "own" or sid in missing:
                unknown.append(sid)
                unknown_max += s["max"]
                continue
            num, den = (float(sums.loc[sid, "n"]), float(sums.loc[sid, "d"])) if sid in sums.index else (0.0, 0.0)
            score = rules.share_score(num, den, s["max"], s["threshold"], s["empty"])
            subs.append({"period": p.label, "group": gid, "sub_id": sid, "name": s["name"], "source": "own",
                         "estimate": True, "max": float(s["max"]), "threshold": float(s["threshold"]),
                         "numerator": num, "denominator": den, "value": num / den if den else np.nan,
                         "score": score, "note": "Mẫu số bằng 0: tính đủ điểm." if not den and s["empty"] == "full"
                         else coverage.get(sid, "")})
            if np.isnan(score):
                unknown.append(sid)
                unknown_max += s["max"]
                subs[-1]["note"] = "Mẫu số bằng 0: chưa có số liệu."
                continue
            own_score += score
            own_max += s["max"]
        portal, how = portal_points(model, p, gid)
        portal_score = float("nan")
        if unknown_max:
            if not np.isnan(portal):
                portal_score = float(min(unknown_max, max(0.0, portal - own_score)))
            why = " ".join(f"{u}: {missing[u]}" for u in unknown if u in missing)
            subs.append({"period": p.label, "group": gid, "sub_id": PORTAL_PART,
                         "name": "Phần lấy theo Cổng DVC quốc gia (chỉ tiêu " + ", ".join(unknown) + ")",
                         "source": "portal", "estimate": True, "max": unknown_max, "threshold": np.nan,
                         "numerator": np.nan, "denominator": np.nan, "value": np.nan, "score": portal_score,
                         "note": ("Điểm nhóm trên Cổng trừ phần Sở tự tính" + (f" ({how})" if how else "") + "."
                                  if not np.isnan(portal_score) else "Chưa có số liệu của Cổng.")
                         + (f" {why}" if why else "")})
        complete = not unknown_max or not np.isnan(portal_score)
        score = own_score + (portal_score if unknown_max else 0.0) if complete else float("nan")
        groups.append({"period": p.label, "group": gid, "name": g["name"], "max": float(g["max"]), "score": score,
                       "own_max": own_max, "own_score": own_score, "portal_max": unknown_max,
                       "portal_score": portal_score, "portal": portal, "estimate": True, "complete": complete,
                       "note": how})
    total = {"period": p.label, "group": "total", "name": "Tổng điểm", "max": sum(g["max"] for g in groups),
             "score": sum(g["score"] for g in groups), "own_max": sum(g["own_max"] for g in groups),
             "own_score": sum(g["own_score"] for g in groups), "portal_max": sum(g["portal_max"] for g in groups),
             "portal_score": sum(g["portal_score"] for g in groups if g["portal_max"]),
             "estimate": True, "complete": all(g["complete"] for g in groups), "note": ""}
    total["portal"] = portal_points(model, p, "total")[0]
    groups.append(total)
    return subs, groups


def scores(model: Model, periods: Iterable[Period | str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sub-indicator and group scores for each period.

    Parameters
    ----------
    model : Model
        From :func:`build`.
    periods : iterable of Period or str
        The periods (``2025``, ``2025-Q3``, ``2025-07``…).

    Returns
    -------
    (subs, groups) : pandas.DataFrame
        ``subs``: :data:`SUB_COLUMNS`, one row per own sub-indicator with data and one row per group
        for the part taken from the portal (``sub_id`` = :data:`PORTAL_PART`); a group's score is the
        sum of its rows. ``groups``: :data:`GROUP_COLUMNS`, the six groups and ``total`` (the sum of
        the groups); ``score`` is NaN when part of a group has no figure (no portal export).
    """
    subs: list[dict] = []
    groups: list[dict] = []
    for period in periods:
        s, g = _one_period(model, as_period(period))
        subs += [dict(row) for row in s]
        groups += [dict(row) for row in g]
    return (pd.DataFrame(subs, columns=SUB_COLUMNS), pd.DataFrame(groups, columns=GROUP_COLUMNS))
