"""Form II.06a/VPCP/KSTT per year (by field) and for 2026-Q3 (by receiving unit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cchc_analysis.sample.reference import (
    _DAY,
    _REJECTED,
    _RESOLVED,
    _WITHDRAWN,
    FIELDS,
    PROCEDURES,
    SECTIONS,
    UNITS,
)
from cchc_analysis.sample.simulation import _seconds, _World
from cchc_analysis.sample.writers import _Output, _Sheet, _xlsx_bytes


def _form06a_counts(d: pd.DataFrame, start: str, end: str, groups: np.ndarray,
                    names: Sequence[str]) -> dict[str, list[int]]:
    """Form 06a columns (3)-(13) per group for the period, from the simulated lifecycle."""
    s, e = _seconds(start), _seconds(end) + _DAY - 1
    recv, end_at, outcome = d["received"].to_numpy(), d["end"].to_numpy(), d["outcome"].to_numpy()
    accepted = outcome != _REJECTED
    in_period = (recv >= s) & (recv <= e) & accepted & (d["accept"].to_numpy() <= e)
    carried = (recv < s) & accepted & (end_at >= s)
    population = in_period | carried
    fin = population & np.isin(outcome, (_RESOLVED, _WITHDRAWN)) & (end_at >= s) & (end_at <= e)
    end_day, due_day = end_at // _DAY, d["due"].to_numpy() // _DAY
    resolved = fin & (outcome == _RESOLVED)
    early, late = resolved & (end_day < due_day), resolved & (end_day > due_day)
    pending = population & ~fin
    overdue = pending & (due_day < e // _DAY)
    online = d["channel"].to_numpy() == 2
    out = {}
    for k, label in enumerate(names):
        g = groups == k
        cols = [in_period & online & g, in_period & ~online & g, carried & g, fin & g, early & g,
                fin & ~early & ~late & g, late & g, pending & g, pending & ~overdue & g, overdue & g]
        c = [int(x.sum()) for x in cols]
        out[label] = [c[0] + c[1] + c[2]] + c
    return out


def _form06a_sheet(period_label: str, start: str, end: str, group_header: str,
                   sections: Sequence[tuple[str | None, str | None, Sequence[str]]],
                   counts: dict[str, list[int]]) -> tuple[_Sheet, list[dict]]:
    """Form II.06a/VPCP/KSTT: three merged header rows, numbering row, sections, rows, total, footer."""
    sheet = _Sheet("06a", 13, widths=(5.7, 42.7) + (11.7,) * 11)
    a = dt.date.fromisoformat(start)
    b = dt.date.fromisoformat(end)
    sheet.add("title", ["Biểu số II.06a/VPCP/KSTT", None, None,
                        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA"] +
              [None] * 6 + ["Đơn vị báo cáo: Sở Công Thương tỉnh Khánh Hòa"])
    sheet.add("title", ["Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020", None, None,
                        f"Kỳ báo cáo: {period_label}"] + [None] * 6 +
              ["Đơn vị nhận báo cáo: Văn phòng UBND tỉnh Khánh Hòa"])
    sheet.add("title", ["Ngày nhận báo cáo (BC): theo quy định", None, None,
                        f"(Từ ngày {a:%d/%m/%Y} đến ngày {b:%d/%m/%Y})"])
    sheet.add("title", [None] * 10 + ["Đơn vị tính: Số hồ sơ TTHC"])
    sheet.merges += [(r, c1, r, c2) for r in range(3) for c1, c2 in ((0, 2), (3, 9), (10, 12)) if
                     sheet.rows[r][1][c1] is not None] + [(3, 10, 3, 12)]
    sheet.add("header", ["TT", group_header, "Tiếp nhận", None, None, None, "Số lượng hồ sơ đã giải quyết",
                         None, None, None, "Số lượng hồ sơ đang giải quyết"])
    sheet.add("header", [None, None, "Tổng số", "Trong kỳ", None, "Từ kỳ trước", "Tổng số", "Trước hạn",
                         "Đúng hạn (bao gồm cả hồ sơ chờ Bổ sung và Trả lại/Xin rút)", "Quá hạn", "Tổng số",
                         "Trong hạn (bao gồm cả hồ sơ chờ bổ sung và hồ sơ khác)", "Quá hạn"])
    sheet.add("header", [None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính"])
    sheet.merges += [(4, 0, 6, 0), (4, 1, 6, 1), (4, 2, 4, 5), (4, 6, 4, 9), (4, 10, 4, 12), (5, 3, 5, 4)]
    sheet.merges += [(5, c, 6, c) for c in (2, 5, 6, 7, 8, 9, 10, 11, 12)]
    sheet.add("numbering", list(range(1, 14)))
    records = []
    total = [0] * 11
    for numeral, label, groups in sections:
        if numeral is not None:
            subtotal = [sum(counts[g][i] for g in groups) for i in range(11)]
            sheet.add("section", [numeral, label] + subtotal)
        for k, group in enumerate(groups, start=1):
            row = sheet.add("data", [k, group] + counts[group])
            records.append({"row": row + 1, "section": label, "group": group, "values": counts[group]})
            total = [t + v for t, v in zip(total, counts[group], strict=True)]
    sheet.add("total", [None, "Tổng cộng"] + total)
    sheet.add("blank")
    r = sheet.add("footer", [None, "NGƯỜI LẬP BIỂU"] + [None] * 8 + ["THỦ TRƯỞNG ĐƠN VỊ"])
    sheet.add("footer", [None, "(Ký, ghi rõ họ tên)"] + [None] * 8 + ["(Ký, đóng dấu)"])
    sheet.merges += [(r, 10, r, 12), (r + 1, 10, r + 1, 12)]
    return sheet, records


def _form06a_year(world: _World, year: int) -> _Output:
    """Yearly form 06a by field, computed from the simulated dossiers (2023 carries a small hand edit)."""
    d = world.dossiers
    field_index = {f: k for k, f in enumerate(FIELDS)}
    groups = np.array([field_index[p.field] for p in PROCEDURES])[d["proc"].to_numpy()]
    start, end = f"{year}-01-01", f"{year}-12-31"
    counts = _form06a_counts(d, start, end, groups, FIELDS)
    entry_extra = {}
    if year == 2023:
        edited = counts["Kinh doanh khí"]
        for col in (0, 1, 4, 6):  # received total and online, resolved total and on time: +3 each
            edited[col] += 3
        entry_extra["differs_from_dossiers"] = {
            "group": "Kinh doanh khí", "columns": ["(3)", "(4)", "(7)", "(9)"], "difference": 3,
            "note": "Hand-edited form: three more dossiers received online and resolved on time than the lists."}
    sheet, rows = _form06a_sheet(f"Năm {year}", start, end, "Lĩnh vực, công việc giải quyết theo cấp",
                                 SECTIONS, counts)
    name = f"bao_cao_06a_{year}.xlsx"
    entry = {"kind": "report06a", "format": "xlsx", "sheet": "06a", "group_kind": "field",
             "period": [start, end], "rows": len(rows), "records": rows, "layout": {"06a": sheet.layout()},
             **entry_extra}
    return _Output(name, _xlsx_bytes(sheet), entry)


def _form06a_units(world: _World) -> _Output:
    """Quarterly form 06a for 2026-Q3 grouped by receiving unit instead of field."""
    d = world.dossiers
    start, end = "2026-07-01", "2026-09-30"
    counts = _form06a_counts(d, start, end, d["unit"].to_numpy(), UNITS)
    sheet, rows = _form06a_sheet("Quý III năm 2026", start, end, "Đơn vị tiếp nhận", [(None, None, UNITS)],
                                 counts)
    name = "bao_cao_06a_2026_Q3_theo_don_vi.xlsx"
    entry = {"kind": "report06a", "format": "xlsx", "sheet": "06a", "group_kind": "unit",
             "period": [start, end], "rows": len(rows), "records": rows, "layout": {"06a": sheet.layout()}}
    return _Output(name, _xlsx_bytes(sheet), entry)


def _form06a_official_window(world: _World) -> _Output:
    """Form 06a of 2026-Q1 titled with its official reporting window (15/12/2025-14/03/2026, Nghị định 09/2019)."""
    d = world.dossiers
    field_index = {f: k for k, f in enumerate(FIELDS)}
    groups = np.array([field_index[p.field] for p in PROCEDURES])[d["proc"].to_numpy()]
    start, end = "2025-12-15", "2026-03-14"
    counts = _form06a_counts(d, start, end, groups, FIELDS)
    sheet, rows = _form06a_sheet("Quý I năm 2026", start, end, "Lĩnh vực, công việc giải quyết theo cấp",
                                 SECTIONS, counts)
    name = "bao_cao_06a_2026_Q1_ky_chinh_thuc.xlsx"
    entry = {"kind": "report06a", "format": "xlsx", "sheet": "06a", "group_kind": "field",
             "period": [start, end], "reports_period": "2026-Q1", "rows": len(rows), "records": rows,
             "layout": {"06a": sheet.layout()},
             "notes": "Titled with the official reporting window of 2026-Q1 (Nghị định 09/2019/NĐ-CP: the 15th of "
                      "the month before the quarter to the 14th of its last month); counts over the window's dates."}
    return _Output(name, _xlsx_bytes(sheet), entry)
