"""Tidy frames and Vietnamese readings of the 766 index for the notebook and for interactive work.

Presentation only: these functions call :mod:`cchc_analysis.index766` and never the other way round.

>>> import pandas as pd
>>> g = pd.DataFrame({"period": ["2025-01"] * 2, "group": ["TDGQ", "total"], "name": ["Tiến độ", "Tổng điểm"],
...     "max": [20.0, 100.0], "score": [17.5, float("nan")], "own_max": [20.0, 56.0], "own_score": [17.5, 48.0],
...     "portal": [float("nan")] * 2, "complete": [True, False]})
>>> score_table(g)["Tiến độ, kết quả giải quyết (TDGQ)"].tolist()
['17,50/20']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cchc_analysis import index766 as ix
from cchc_analysis.index766.registry import GROUP_ORDER, GROUPS
from cchc_analysis.periods import Period, periods_of_year

__all__ = ["describe", "lists", "periods_for", "reconciliation_table", "score_table", "where_to_act"]


def _n(value: float, decimals: int = 2) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def periods_for(year: int) -> list[Period]:
    """The periods the notebook shows: every month, quarter and half of ``year`` and the year itself."""
    return periods_of_year(year)


def score_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Periods down, groups across: ``score/max`` (the Department's own part ``(own/own_max)`` when a
    group has no complete figure), the total last.

    Parameters
    ----------
    groups : pandas.DataFrame
        The ``groups`` frame of :func:`cchc_analysis.index766.scores`.
    """
    rows = []
    for period, g in groups.groupby("period", sort=False):
        row = {"Kỳ": Period.parse(period).label_vi}
        for _, r in g.iterrows():
            label = f"{GROUPS[r['group']]['name']} ({r['group']})" if r["group"] in GROUPS else "Tổng điểm"
            if r["complete"] and not np.isnan(r["score"]):
                row[label] = f"{_n(r['score'])}/{_n(r['max'], 0)}"
            else:
                row[label] = f"({_n(r['own_score'])}/{_n(r['own_max'], 0)} Sở tự tính)" if r["own_max"] else "—"
        rows.append(row)
    return pd.DataFrame(rows)


def reconciliation_table(rec: pd.DataFrame) -> pd.DataFrame:
    """The reconciliation with Vietnamese headings and numbers, for display."""
    return pd.DataFrame({
        "Kỳ": [Period.parse(p).label_vi for p in rec["period"]],
        "Nhóm": [GROUPS[g]["name"] if g in GROUPS else "Tổng điểm" for g in rec["group"]],
        "Tối đa": [_n(v, 0) for v in rec["max"]],
        "Sở ước tính": [_n(v) for v in rec["estimate"]],
        "Cổng": [_n(v) for v in rec["portal"]],
        "Chênh lệch": [_n(v) for v in rec["difference"]],
        "Giải thích": rec["explanation"].tolist(),
    })  # fmt: skip


def where_to_act(model: ix.Model, period: Period | str, top: int = 10) -> dict[str, pd.DataFrame]:
    """The lists a division acts on for one period: procedures and units losing the most points, the
    dossiers behind them, and what fixing the worst procedures would gain.

    Returns
    -------
    dict of DataFrame
        ``procedures``, ``units``, ``dossiers``, ``what_if`` (Vietnamese headings).
    """
    by_proc = ix.points_lost(model, period, by="procedure")
    by_proc = by_proc[(by_proc["points_lost"] > 0.005) & (by_proc["sub_id"] != ix.PORTAL_PART)]
    by_unit = ix.points_lost(model, period, by="unit")
    by_unit = by_unit[(by_unit["points_lost"] > 0.005) & (by_unit["sub_id"] != ix.PORTAL_PART)]
    procs = (by_proc.groupby(["procedure", "procedure_name"], dropna=False)["points_lost"].sum()
             .sort_values(ascending=False).head(top).reset_index())
    units = by_unit.groupby("unit")["points_lost"].sum().sort_values(ascending=False).head(top).reset_index()
    dossiers = ix.lost_dossiers(model, period).head(top)
    gains = ix.what_if(model, period, top=3)
    gains = gains.sort_values("gain_alone", ascending=False, kind="stable").head(top)
    return {
        "procedures": pd.DataFrame({"Mã TTHC": procs["procedure"], "Tên thủ tục": procs["procedure_name"],
                                    "Điểm mất": [_n(v) for v in procs["points_lost"]]}),
        "units": pd.DataFrame({"Đơn vị tiếp nhận": units["unit"], "Điểm mất": [_n(v) for v in units["points_lost"]]}),
        "dossiers": pd.DataFrame({"Mã hồ sơ": dossiers["dossier_id"], "Chỉ tiêu": dossiers["sub_id"],
                                  "Thủ tục": dossiers["procedure_name"], "Đơn vị": dossiers["unit"],
                                  "Lý do": dossiers["reason"], "Điểm lấy lại được": [_n(v, 3) for v in dossiers["points"]]}),
        "what_if": pd.DataFrame({"Chỉ tiêu": gains["sub_id"], "Thủ tục": gains["procedure_name"],
                                 "Điểm tăng nếu đạt ngưỡng": [_n(v) for v in gains["gain_alone"]]}),
    }  # fmt: skip


def lists(model: ix.Model, period: Period | str, *, field: str | None = None, procedure: str | None = None,
          unit: str | None = None, group: str | None = None) -> pd.DataFrame:
    """The dossiers behind the lost points, filtered by field, procedure, unit and group (for JupyterLab).

    >>> # ix.views.lists(model, "2025-Q3", field="Điện", unit="Phòng Quản lý năng lượng")
    """
    return ix.lost_dossiers(model, period, group=group, field=field, procedure=procedure, unit=unit)


def describe(model: ix.Model, groups: pd.DataFrame, period: Period | str) -> str:
    """A short Vietnamese reading of one period's scores (Markdown)."""
    p = Period.parse(str(period)) if not isinstance(period, Period) else period
    g = groups[groups["period"] == p.label].set_index("group")
    if g.empty:
        return f"Không có số liệu chỉ số 766 cho {p.label_vi}."
    lines = []
    total = g.loc["total"]
    if total["complete"]:
        lines.append(f"- Ước tính tổng điểm {p.label_vi}: **{_n(total['score'])}/100** điểm.")
    else:
        lines.append(f"- Phần Sở tự tính được {p.label_vi}: **{_n(total['own_score'])}/{_n(total['own_max'], 0)}** "
                     f"điểm; {_n(total['portal_max'], 0)} điểm còn lại cần số liệu của Cổng DVC quốc gia (chưa có).")
    six = g.loc[[x for x in GROUP_ORDER if x in g.index]]
    own = six[six["own_max"] > 0]
    if len(own):
        ratio = own["own_score"] / own["own_max"]
        worst = ratio.idxmin()
        lines.append(f"- Nhóm Sở tự tính đạt thấp nhất: **{GROUPS[worst]['name']}** "
                     f"({_n(own.loc[worst, 'own_score'])}/{_n(own.loc[worst, 'own_max'], 0)} điểm phần Sở tự tính).")
    for note in model.notes:
        lines.append(f"- {note}")
    lines.append("- Mọi điểm dưới cấp nhóm dựa trên mô tả công thức của đơn vị vận hành Cổng, không phải văn bản "
                 "Quyết định 766/QĐ-TTg: là **ước tính**.")
    return "\n".join(lines)
