"""Where the index's points are lost, what fixing the worst procedures gains, and the gap to the portal.

Points lost by a sub-indicator (its maximum minus its score) are shared among procedures, receiving
units or fields in proportion to each one's *shortfall*: ``max(0, threshold × D_k − N_k)`` (for a
linear sub-indicator, simply the items that fail). The shares of every sub-indicator of a group, plus
the part taken from the portal (allocated to :data:`UNALLOCATED`), sum exactly to the group's maximum
minus its score.

>>> import pandas as pd
>>> from cchc_analysis.index766.model import build
>>> d = pd.DataFrame({"dossier_id": ["a", "b", "c"], "procedure_code": ["P1", "P1", "P2"],
...     "procedure_name": ["X", "X", "Y"], "field": ["F"] * 3, "unit": ["U1", "U1", "U2"],
...     "channel": ["online"] * 3, "service_level": ["full"] * 3,
...     "received_at": pd.to_datetime(["2025-03-03"] * 3), "due_at": pd.to_datetime(["2025-03-10"] * 3),
...     "resolved_at": pd.to_datetime(["2025-03-05", "2025-03-12", "2025-03-14"]), "status": ["resolved"] * 3})
>>> lost = points_lost(build({"dossiers": d}), "2025-03", by="unit", group="TDGQ")
>>> lost[["unit", "points_lost"]].round(3).values.tolist()
[['U1', 6.667], ['U2', 6.667]]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cchc_analysis.index766 import rules
from cchc_analysis.index766.model import PORTAL_PART, Model, as_period, build, per_model
from cchc_analysis.index766.registry import GROUP_ORDER, GROUPS, SUBINDICATORS, in_force
from cchc_analysis.index766.scoring import ledger, scores
from cchc_analysis.periods import Period, periods_of_year

__all__ = ["UNALLOCATED", "indicator_rows", "lost_dossiers", "points_lost", "reconcile", "what_if"]

#: Where the points lost by the part taken from the portal go (the Department cannot trace them).
UNALLOCATED = "(không phân bổ được)"
_KEYS = ("procedure", "unit", "field")


def _filter(frame: pd.DataFrame, field: str | None, procedure: str | None, unit: str | None) -> pd.DataFrame:
    for col, value in (("field", field), ("procedure", procedure), ("unit", unit)):
        if value is not None and col in frame.columns:
            frame = frame[(frame[col] == value).to_numpy(dtype=bool)]
    return frame


def _allocate(led: pd.DataFrame, subs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Share each sub-indicator's lost points among the values of ``by`` by shortfall (all at once)."""
    own = subs[subs["sub_id"] != PORTAL_PART].set_index("sub_id")
    items = led[led["sub_id"].isin(own.index).to_numpy(dtype=bool)]
    items = items.assign(failing=(items["n"] < items["d"]).astype("int64"))
    agg = items.groupby(["sub_id", by], dropna=False, sort=True)[["n", "d", "failing"]].sum().reset_index()
    if by == "procedure":  # a procedure is its code: its name is the first one met
        names = items.dropna(subset=["procedure_name"]).drop_duplicates(["sub_id", "procedure"])
        agg = agg.merge(names[["sub_id", "procedure", "procedure_name"]], on=["sub_id", "procedure"], how="left")
    agg = agg.rename(columns={"n": "N", "d": "D"})
    sub_ids = agg["sub_id"]
    per_sub = lambda col: sub_ids.map(own[col]).astype("float64")  # noqa: E731
    short = (per_sub("threshold") * agg["D"].astype("float64") - agg["N"].astype("float64")).clip(lower=0)
    total = short.groupby(sub_ids).transform("sum")
    lost = (per_sub("max") - per_sub("score")).clip(lower=0)
    agg["points_lost"] = np.where((lost > 0) & (total > 0), lost * short / total.where(total > 0, 1.0), 0.0)
    return agg


def points_lost(model: Model, period: Period | str, by: str = "procedure", group: str | None = None,
                field: str | None = None, procedure: str | None = None, unit: str | None = None) -> pd.DataFrame:
    """The points each procedure (or unit, or field) loses, per group and sub-indicator, for one period.

    Parameters
    ----------
    model : Model
        From :func:`cchc_analysis.index766.build`.
    period : Period or str
        ``2025``, ``2025-Q3``, ``2025-07``…
    by : {"procedure", "unit", "field"}
        What the points are traced to. Procedure-level sub-indicators (3.1, 3.2, payment B and C, 4.5
        by procedure) have no receiving unit: by unit they go to ``PROCEDURE_LEVEL``.
    group : str, optional
        One group (``TDGQ``…); default all.
    field, procedure, unit : str, optional
        Keep only these rows (after the allocation: filtered rows no longer sum to the group's loss).

    Returns
    -------
    pandas.DataFrame
        ``period``, ``group``, ``sub_id``, ``sub_name``, the ``by`` column (and ``procedure_name``),
        ``points_lost``, ``failing`` (items that fail), ``N``, ``D``, sorted by group then points.
        Unfiltered, the rows of a group with a score sum to its maximum minus its score; the part taken
        from the portal is one row whose ``by`` value is :data:`UNALLOCATED`.
    """
    if by not in _KEYS:
        raise ValueError(f"by must be one of {_KEYS}")
    p = as_period(period)
    subs, _ = scores(model, [p])
    led, _ = ledger(model, p)
    if group is not None:
        subs = subs[subs["group"] == group]
    info = subs.set_index("sub_id")
    parts = [_allocate(led, subs, by)]
    portal = subs[subs["sub_id"] == PORTAL_PART]
    if len(portal):
        part = pd.DataFrame({"sub_id": PORTAL_PART, by: UNALLOCATED, "points_lost": (portal["max"] - portal["score"]),
                             "failing": 0, "N": np.nan, "D": np.nan, "group": portal["group"],
                             "sub_name": portal["name"]})
        if by == "procedure":
            part["procedure_name"] = portal["name"]
        parts.append(part)
    own = parts[0]
    own["group"] = own["sub_id"].map(info.loc[info.index != PORTAL_PART, "group"])
    own["sub_name"] = own["sub_id"].map(info.loc[info.index != PORTAL_PART, "name"])
    out = pd.concat([f for f in parts if len(f)], ignore_index=True) if any(len(f) for f in parts) else parts[0]
    cols = ["group", "sub_id", "sub_name", by, *(["procedure_name"] if by == "procedure" else []), "points_lost",
            "failing", "N", "D"]
    out = out[cols]
    out.insert(0, "period", p.label)
    out = _filter(out, field, procedure, unit)
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    out = out.assign(_g=out["group"].map(order)).sort_values(["_g", "points_lost"], ascending=[True, False],
                                                             kind="stable")
    return out.drop(columns="_g").reset_index(drop=True)


def lost_dossiers(model: Model, period: Period | str, group: str | None = None, sub_id: str | None = None,
                  field: str | None = None, procedure: str | None = None, unit: str | None = None) -> pd.DataFrame:
    """The dossiers behind the lost points, for a division to act on (no personal data).

    Each row is a dossier that fails a sub-indicator (late with its days late, paid offline, without an
    electronic result…) with ``points``: what the score would gain if that dossier alone passed.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``group``, ``sub_id``, ``sub_name``, ``dossier_id``, ``procedure``,
        ``procedure_name``, ``field``, ``unit``, ``reason``, ``days_late``, ``points``.
    """
    p = as_period(period)
    subs, _ = scores(model, [p])
    led, _ = ledger(model, p)
    subs = subs[subs["sub_id"] != PORTAL_PART].set_index("sub_id")
    rows = led[(led["item"] == "dossier") & (led["n"] < led["d"]) & led["sub_id"].isin(subs.index)].copy()
    if group is not None:
        rows = rows[rows["sub_id"].map(subs["group"]) == group]
    if sub_id is not None:
        rows = rows[rows["sub_id"] == sub_id]
    info = subs.loc[rows["sub_id"]]
    room = (info["score"] < info["max"]).to_numpy()
    gain = info["max"].to_numpy() * (rows["d"] - rows["n"]).to_numpy() / (
        info["threshold"].to_numpy() * info["denominator"].to_numpy())
    rows["points"] = np.where(room, gain, 0.0)
    rows["group"] = info["group"].to_numpy()
    rows["sub_name"] = info["name"].to_numpy()
    rows.insert(0, "period", p.label)
    rows = _filter(rows, field, procedure, unit)
    cols = ["period", "group", "sub_id", "sub_name", "dossier_id", "procedure", "procedure_name", "field", "unit",
            "reason", "days_late", "points"]
    return rows[cols].sort_values(["points", "days_late", "dossier_id"], ascending=[False, False, True],
                                  kind="stable").reset_index(drop=True)


def what_if(model: Model, period: Period | str, group: str | None = None, top: int = 5,
            field: str | None = None, unit: str | None = None) -> pd.DataFrame:
    """Points gained if the worst procedures reached the threshold (all on time for a linear one).

    For each sub-indicator that loses points, its procedures are ranked by the points they lose; the
    ``k``-th row gives what that procedure alone would gain and what the first ``k`` together would.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``group``, ``sub_id``, ``sub_name``, ``rank``, ``procedure``, ``procedure_name``,
        ``points_lost``, ``gain_alone``, ``gain_cumulative``.
    """
    p = as_period(period)
    subs, _ = scores(model, [p])
    led, _ = ledger(model, p)
    led = _filter(led, field, None, unit)
    subs = subs[(subs["sub_id"] != PORTAL_PART) & (subs["score"] < subs["max"])]
    if group is not None:
        subs = subs[subs["group"] == group]
    rows = []
    # one allocation for every sub-indicator at once (each is shared within its own sub-indicator only)
    allocated = _allocate(led, subs.astype({"max": float, "score": float, "threshold": float}), "procedure")
    by_sub = dict(tuple(allocated.groupby("sub_id", sort=False)))
    for _, sub in subs.iterrows():
        alloc = by_sub.get(sub["sub_id"], allocated.iloc[:0])
        alloc = alloc.sort_values("points_lost", ascending=False, kind="stable")
        alloc = alloc[alloc["points_lost"] > 0].head(top)
        base_n, base_d = sub["numerator"], sub["denominator"]
        raised = 0.0
        for rank, (_, proc) in enumerate(alloc.iterrows(), start=1):
            extra = max(0.0, sub["threshold"] * proc["D"] - proc["N"])
            raised += extra
            def score(add: float, n: float = base_n, d: float = base_d, s: pd.Series = sub) -> float:
                return rules.share_score(n + add, d, s["max"], s["threshold"])

            rows.append({"period": p.label, "group": sub["group"], "sub_id": sub["sub_id"], "sub_name": sub["name"],
                         "rank": rank, "procedure": proc["procedure"], "procedure_name": proc["procedure_name"],
                         "points_lost": proc["points_lost"], "gain_alone": score(extra) - sub["score"],
                         "gain_cumulative": score(raised) - sub["score"]})
    return pd.DataFrame(rows, columns=["period", "group", "sub_id", "sub_name", "rank", "procedure",
                                       "procedure_name", "points_lost", "gain_alone", "gain_cumulative"])


def _portal_periods(model: Model) -> list[str]:
    labels = list(dict.fromkeys(model.portal["period"].astype(str)))
    return sorted(labels, key=lambda t: (as_period(t).start, as_period(t).end))


def reconcile(model: Model, periods: Iterable[Period | str] | None = None) -> pd.DataFrame:
    """Our estimate beside the portal's figure, per group and period, with the difference explained.

    Parameters
    ----------
    model : Model
    periods : iterable, optional
        Default: every period the portal's export gives.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``group``, ``name``, ``max``, ``estimate`` (ours), ``portal``, ``difference``
        (ours − portal), ``own_share`` (the points the Department computes itself), ``explanation``
        (Vietnamese). Only periods and groups the portal gives a figure for.
    """
    labels = [as_period(p).label for p in periods] if periods is not None else _portal_periods(model)
    if not labels:
        return pd.DataFrame(columns=["period", "group", "name", "max", "estimate", "portal", "difference",
                                     "own_share", "explanation"])
    _, groups = scores(model, labels)
    last_day = model.dossiers["received_at"].max()
    rows = []
    for _, g in groups.iterrows():
        if np.isnan(g["portal"]):
            continue
        p = as_period(g["period"])
        diff = g["score"] - g["portal"]
        why = _explain(model, p, g, diff, last_day)
        rows.append({"period": g["period"], "group": g["group"], "name": g["name"], "max": g["max"],
                     "estimate": g["score"], "portal": g["portal"], "difference": diff,
                     "own_share": g["own_max"], "explanation": why})
    return pd.DataFrame(rows, columns=["period", "group", "name", "max", "estimate", "portal", "difference",
                                       "own_share", "explanation"])


def _explain(model: Model, p: Period, g: pd.Series, diff: float, last_day: pd.Timestamp) -> str:
    parts = []
    if np.isnan(diff):
        return "Không tính được điểm của Sở cho kỳ này."
    if g["group"] != "total" and g["own_max"] == 0:
        return "Cả nhóm lấy theo Cổng: Sở không giữ dữ liệu của các chỉ tiêu này."
    if abs(diff) < 0.05:
        parts.append("Khớp với Cổng (chênh dưới 0,05 điểm).")
    elif g["group"] == "total":
        parts.append(f"Sở tính {'cao' if diff > 0 else 'thấp'} hơn Cổng: xem giải thích của từng nhóm.")
    elif diff > 0:
        parts.append("Sở tính cao hơn Cổng: Cổng chỉ tính hồ sơ đã đồng bộ lên Cổng DVC quốc gia, hồ sơ chưa "
                     "đồng bộ có thể làm Cổng thấp hơn; Cổng còn áp quy tắc Sở không thấy được (ngày nghỉ lễ, "
                     "tỷ lệ đồng bộ nhân vào chỉ tiêu 3.3).")
    elif g["group"] in ("TDGQ", "MDHL"):
        parts.append("Sở tính thấp hơn Cổng: Cổng có thể đã ghi nhận kết thúc những hồ sơ mà danh sách của Sở "
                     "còn để mở, hoặc tính theo quy tắc khác mô tả của đơn vị vận hành.")
        stale = _stale_late(model, p)
        if stale:
            count = f"{stale:,}".replace(",", ".")
            parts.append(f"{count} hồ sơ tiếp nhận trước kỳ, đến cuối kỳ chưa kết thúc, bị tính quá hạn: kiểm tra "
                         "trạng thái của chúng trên hệ thống một cửa.")
    else:
        parts.append("Sở tính thấp hơn Cổng: dữ liệu của Sở có thể thiếu cờ (thanh toán, tệp kết quả, tái sử "
                     "dụng, VNeID…) mà Cổng có, hoặc Cổng tính theo quy tắc khác mô tả của đơn vị vận hành.")
    if g["portal_max"] > 0 and g["own_max"] > 0:
        parts.append(f"{_n(g['portal_max'])} điểm của nhóm lấy theo Cổng (phần còn lại sau khi trừ phần Sở tự tính).")
    if pd.notna(last_day) and last_day.normalize() < pd.Timestamp(p.end):
        parts.append(f"Dữ liệu hồ sơ của Sở chỉ đến ngày {last_day:%d/%m/%Y}: hồ sơ sau ngày đó chưa có.")
    if g["group"] in ("TDGQ", "MDHL") and p.kind == "month" and g["own_max"] > 0:
        window = p.official_window()
        _, wg = scores(model, [window])
        own_window = float(wg.loc[wg["group"] == g["group"], "own_score"].iloc[0])
        if abs(own_window - g["own_score"]) >= 0.1:
            parts.append(f"Cổng tính theo tháng dương lịch; theo kỳ báo cáo {window.label_vi} (Nghị định "
                         f"09/2019) phần Sở tự tính là {_n(own_window)} thay vì {_n(g['own_score'])} điểm: "
                         "không so một kỳ báo cáo với một tháng của Cổng.")
    return " ".join(parts)


@per_model
def _dossiers_by_id(model: Model) -> pd.DataFrame:
    """The model's dossiers indexed by ``dossier_id`` (built once per model)."""
    return model.dossiers[["dossier_id", "received_at", "resolved_at"]].set_index("dossier_id")


def _stale_late(model: Model, p: Period) -> int:
    """Late dossiers of 2.1 received before the period and still open at its end (carried over for long)."""
    led, _ = ledger(model, p)
    late = led[(led["sub_id"] == "2.1") & (led["n"] < 1)]["dossier_id"]
    d = _dossiers_by_id(model).reindex(late)
    received = d["received_at"].dt.normalize() < pd.Timestamp(p.start)
    open_ = d["resolved_at"].isna() | (d["resolved_at"].dt.normalize() > pd.Timestamp(p.end))
    return int((received & open_).sum())


def _n(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def indicator_rows(tables: dict[str, pd.DataFrame], year: int | Iterable[int],
                   model: Model | None = None) -> pd.DataFrame:
    """``index766_score`` and ``index766_points_lost`` rows for every period of ``year`` (CONTRACT §4 columns).

    ``index766_score``: breakdown ``group=CKMB`` … ``group=MDHL`` and ``group=total``; ``value`` (and
    ``numerator``) the points, ``denominator`` the group's maximum, ``unit`` ``points``; status
    ``no_target`` (``no_data`` without a score). ``index766_points_lost``: breakdowns
    ``group=G;procedure=CODE`` and ``group=G;unit=NAME``, ``value`` the points lost (keys losing nothing
    left out), and ``group=total``: 100 minus the total score. Periods ending before the Decision applies (``in_force``, 01/08/2022) have no row.

    Parameters
    ----------
    tables : dict of DataFrame
        The canonical tables (see :func:`cchc_analysis.index766.build`).
    year : int or iterable of int
    model : Model, optional
        A model already built from ``tables``.
    """
    from cchc_analysis.index766.rollup import rollup

    model = model or build(tables)
    years = [year] if isinstance(year, int) else list(year)
    start = in_force()
    periods = [p for y in years for p in periods_of_year(y) if p.end >= start]  # none before the Decision
    r = rollup(model, periods)
    g = r.groups
    known = g["score"].notna()
    scores_ = pd.DataFrame({"indicator_id": "index766_score", "period": g["period"], "breakdown": "group=" + g["group"],
                            "numerator": np.nan, "denominator": g["max"], "value": g["score"], "unit": "points",
                            "target_value": np.nan, "target_year": np.nan,
                            "status": np.where(known, "no_target", "no_data")})
    lost = r.lost
    lost_rows = pd.DataFrame({"indicator_id": "index766_points_lost", "period": lost["period"],
                              "breakdown": "group=" + lost["group"] + ";" + lost["by"] + "=" + lost["key"].astype(str),
                              "numerator": np.nan, "denominator": np.nan, "value": lost["points_lost"],
                              "unit": "points", "target_value": np.nan, "target_year": np.nan,
                              "status": np.where(lost["points_lost"].notna(), "no_target", "no_data")})
    total = g[g["group"] == "total"]
    gone = total["max"] - total["score"]
    totals = pd.DataFrame({"indicator_id": "index766_points_lost", "period": total["period"], "breakdown": "group=total",
                           "numerator": np.nan, "denominator": np.nan, "value": gone, "unit": "points",
                           "target_value": np.nan, "target_year": np.nan,
                           "status": np.where(gone.notna(), "no_target", "no_data")})
    return pd.concat([scores_, totals, lost_rows], ignore_index=True)[INDICATOR_COLUMNS]


INDICATOR_COLUMNS = ["indicator_id", "period", "breakdown", "numerator", "denominator", "value", "unit",
                     "target_value", "target_year", "status"]
GROUP_NAMES = {gid: g["name"] for gid, g in GROUPS.items()}
SUB_NAMES = {sid: s["name"] for sid, s in SUBINDICATORS.items()}
