"""Dossiers of the merged-in department before the merger: Sở Công Thương Ninh Thuận, 2021-01-01..2025-06-30.

From 01/07/2025 Khánh Hòa and Ninh Thuận are one province; the Department's series before that date
cover Khánh Hòa alone. The former Ninh Thuận department kept its own one-stop system; its dossier
export (receiving unit ``Bộ phận một cửa Sở Công Thương Ninh Thuận``, which
``registry/units.yaml`` counts under the merged unit) lets baselines and yearly series be computed on
the merged basis (an xlsx list like the Khánh Hòa ones). Its dossiers are simulated apart from the main world (a generator of their own,
the same procedures and lifecycle rules), so that every other file stays as it was.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cchc_analysis.sample.reference import (
    _DAY,
    CHANNEL_LABELS,
    FULL_GIVEN_ONLINE,
    MERGER_DAY,
    PAID_GIVEN_ONLINE,
    PROCEDURES,
    STATUS_LABELS,
)
from cchc_analysis.sample.simulation import (
    _clock,
    _file_rng,
    _holidays,
    _lifecycle,
    _seconds,
    _simulate_applicants,
    _status_at,
    _to_datetimes,
    _trend,
)
from cchc_analysis.sample.writers import _fmt_when, _Output, _titled_table, _xlsx_bytes

NAME = "ho_so_ninh_thuan_2021_2025H1.xlsx"
UNIT = "Bộ phận một cửa Sở Công Thương Ninh Thuận"
ID_PREFIX = "000.00.23.H43"
FIRST, LAST = "2021-01-01", "2025-06-30"
VOLUME = (("2021-07-01", 1250), ("2023-07-01", 1450), ("2025-06-30", 1650))  # dossiers a year
ONLINE = (("2021-01-01", 0.25), ("2023-01-01", 0.40), ("2025-06-30", 0.55))
HEADER = ("STT", "Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Hình thức nộp", "Mức độ", "Trạng thái",
          "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Có phí, lệ phí", "Thanh toán trực tuyến", "Chủ hồ sơ",
          "Đơn vị tiếp nhận")
LEVELS = {3: "Một phần", 4: "Toàn trình"}


def _dossiers(rng: np.random.Generator, calendar: np.busdaycalendar, pool: int) -> pd.DataFrame:
    """The department's dossiers with their lifecycle (the main simulation's rules, its own trends)."""
    days = np.arange(np.datetime64(FIRST), np.datetime64(LAST) + 1)
    dn = days.astype(np.int64)
    factor = np.where(np.is_busday(days, busdaycal=calendar), 1.0, 0.04)
    counts = rng.poisson(_trend(VOLUME, dn) * factor / 255)
    day = np.repeat(dn, counts)
    n = day.size
    online = rng.random(n) < _trend(ONLINE, day)
    channel = np.where(online, 2, np.where(rng.random(n) < 0.10, 3, 1))
    weights = np.array([p.weight for p in PROCEDURES], dtype=float)
    proc = rng.choice(len(PROCEDURES), size=n, p=weights / weights.sum())
    fee = np.array([p.fee for p in PROCEDURES])[proc]
    frame = pd.DataFrame({
        "day": day, "channel": channel, "received": day * _DAY + _clock(rng, online), "proc": proc, "fee": fee,
        "level": np.where(online, np.where(rng.random(n) < _trend(FULL_GIVEN_ONLINE, day), 4, 3), 0),
        "paid": fee & online & (rng.random(n) < _trend(PAID_GIVEN_ONLINE, day)),
        "applicant": rng.integers(0, pool, n),
    }).sort_values("received", kind="stable").reset_index(drop=True)
    starts = np.r_[0, np.flatnonzero(np.diff(frame["day"].to_numpy()) != 0) + 1]
    frame["seq"] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n])) + 1
    stamps = frame["day"].to_numpy().astype("datetime64[D]").astype(dt.date)
    frame["dossier_id"] = [f"{ID_PREFIX}-{d:%y%m%d}-{s:04d}" for d, s in zip(stamps, frame["seq"], strict=True)]
    return _lifecycle(rng, frame, calendar)


def ninh_thuan_dossiers(world: object) -> _Output:
    """The Ninh Thuận department's dossier export up to the merger, as its system showed them on 30/06/2025."""
    rng = _file_rng(NAME)
    calendar = np.busdaycalendar(holidays=_holidays())
    applicants = _simulate_applicants(rng, (0, 900))
    d = _dossiers(rng, calendar, len(applicants))
    at = _seconds(MERGER_DAY) - 1
    status = _status_at(d, at)
    due = np.where(np.isin(status, (1, 3)), np.int64(2**62), d["due"].to_numpy())
    resolved = np.where(np.isin(status, (7, 9, 10)), d["end"].to_numpy(), np.int64(2**62))
    received, due_at, resolved_at = (_to_datetimes(x) for x in (d["received"].to_numpy(), due, resolved))
    names = applicants["name"].to_numpy()[d["applicant"].to_numpy()]
    rows = []
    for i in range(len(d)):
        p = PROCEDURES[int(d.at[i, "proc"])]
        fee = bool(p.fee)
        rows.append([i + 1, d.at[i, "dossier_id"], p.code, p.name, p.field, CHANNEL_LABELS[int(d.at[i, "channel"])],
                     LEVELS.get(int(d.at[i, "level"])), STATUS_LABELS[int(status[i])],
                     _fmt_when(received[i], "text"), _fmt_when(due_at[i], "text"), _fmt_when(resolved_at[i], "text"),
                     "Có" if fee else "Không", ("Có" if d.at[i, "paid"] else "Không") if fee else None, names[i],
                     UNIT])
    sheet = _titled_table("Danh sách hồ sơ", ["UBND TỈNH NINH THUẬN", "SỞ CÔNG THƯƠNG",
                                              "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT",
                                              "Từ ngày 01/01/2021 đến ngày 30/06/2025"],
                          HEADER, rows, widths=(6.7, 28.7, 11.7, 50.7, 26.7, 14.7, 11.7, 20.7, 17.7, 17.7, 17.7, 9.7,
                                                11.7, 30.7, 40.7), total=f"Tổng số: {len(rows)} hồ sơ")
    accepted = ~np.isin(status, (1, 3))
    year = d["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    entry = {"kind": "dossiers", "format": "xlsx", "sheet": sheet.name, "period": [FIRST, LAST], "rows": len(rows),
             "bad_rows": [], "duplicate_rows": [], "carried_over_rows": 0, "layout": {sheet.name: sheet.layout()},
             "unit": UNIT, "predecessor": True, "received_by_year": {str(y): int((accepted & (year == y)).sum()) for y in range(2021, 2026)},
             "date_style": "text dd/mm/yyyy HH:MM",
             "notes": "Dossiers of the former Sở Công Thương Ninh Thuận before the merger (01/07/2025), exported "
                      "from its own system: channel and status as labels, the applicant's name only; the receiving "
                      "unit maps to the merged unit through registry/units.yaml."}
    return _Output(NAME, _xlsx_bytes(sheet), entry, {})
