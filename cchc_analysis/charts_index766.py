"""Charts of the 766 index (presentation: tidy frames in, a Figure out; nothing computed here).

>>> import pandas as pd
>>> g = pd.DataFrame({"period": ["2025-01", "2025-02"], "group": ["TDGQ", "TDGQ"], "max": [20.0, 20.0],
...     "score": [17.0, 18.0], "own_max": [20.0, 20.0], "own_score": [17.0, 18.0], "portal": [16.5, float("nan")],
...     "complete": [True, True]})
>>> fig = group_trend(g, 2025)
>>> len(fig.axes)
6
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from cchc_analysis import formatting as fmt
from cchc_analysis.charts import style
from cchc_analysis.index766.registry import GROUP_ORDER, GROUPS

__all__ = ["group_trend"]

COLOR = "#1f5f9e"
OWN_COLOR = "#7fa7cf"
PORTAL_COLOR = "#c0392b"
MAX_COLOR = "#555555"


def group_trend(groups: pd.DataFrame, year: int, data_date: object = None) -> Figure:
    """Monthly score of each group of ``year`` against its maximum, with the portal's figure beside it.

    A month whose group has no complete figure (part of it needs the portal's export) shows the part the
    Department computes itself, against that part's maximum, in a lighter colour.

    Parameters
    ----------
    groups : pandas.DataFrame
        The ``groups`` frame of :func:`cchc_analysis.index766.scores` (monthly rows are used).
    year : int
    data_date : date or str, optional
        The latest date of the data, shown in the footnote.
    """
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    rows = groups[groups["period"].isin(months)]
    with style():
        fig, axes = plt.subplots(2, 3, figsize=(10.0, 6.4), sharex=True)
        for ax, gid in zip(axes.flat, GROUP_ORDER, strict=True):
            g = rows[rows["group"] == gid].set_index("period").reindex(months)
            x = np.arange(1, 13)
            top = float(GROUPS[gid]["max"])
            complete = g["complete"].fillna(False).astype(bool).to_numpy()
            score = np.where(complete, g["score"].to_numpy(dtype=float), np.nan)
            own = np.where(~complete & (g["own_max"].fillna(0).to_numpy() > 0), g["own_score"].to_numpy(dtype=float),
                           np.nan)
            ax.axhline(top, color=MAX_COLOR, linestyle="--", linewidth=1)
            ax.plot(x, score, marker="o", color=COLOR, linewidth=1.6)
            ax.plot(x, own, marker="o", color=OWN_COLOR, linewidth=1.2, linestyle=":")
            ax.scatter(x, g["portal"].to_numpy(dtype=float), marker="D", color=PORTAL_COLOR, zorder=3, s=18)
            ax.set_ylim(0, top * 1.08)
            ax.set_title(f"{GROUPS[gid]['name']} (tối đa {top:g})", fontsize=9)
            ax.set_xticks(x, [str(m) for m in x], fontsize=7)
        handles = [Line2D([], [], color=COLOR, marker="o", label="Sở ước tính (cả nhóm)"),
                   Line2D([], [], color=OWN_COLOR, marker="o", linestyle=":",
                          label="Phần Sở tự tính (chưa có số liệu Cổng)"),
                   Line2D([], [], color=PORTAL_COLOR, marker="D", linestyle="", label="Điểm trên Cổng DVC quốc gia"),
                   Line2D([], [], color=MAX_COLOR, linestyle="--", label="Điểm tối đa")]
        fig.suptitle(f"Chỉ số phục vụ người dân, doanh nghiệp (Bộ chỉ số 766) theo tháng năm {year}", x=0.01,
                     ha="left", fontsize=12, fontweight="bold")
        fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=7, bbox_to_anchor=(0.5, 0.04))
        foot = ("Nguồn: danh sách hồ sơ, danh mục TTHC, đánh giá của Sở; tệp xuất chỉ số 766 của Cổng DVC quốc gia. "
                "Điểm dưới cấp nhóm là ước tính theo mô tả công thức của đơn vị vận hành Cổng.")
        if data_date is not None and fmt.date_label(data_date) != fmt.MISSING:
            foot += f" Số liệu đến ngày {fmt.date_label(data_date)}."
        fig.text(0.01, 0.005, foot, fontsize=6.5, color="#444444", ha="left", va="bottom", wrap=True)
        fig.subplots_adjust(left=0.06, right=0.98, top=0.88, bottom=0.16, hspace=0.35, wspace=0.25)
    return fig
