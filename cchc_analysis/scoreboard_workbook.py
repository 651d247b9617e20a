"""The scoreboard workbook: one formatted sheet per area, written with xlsxwriter.

Vietnamese headers, numbers in their unit's format (percent, thousands), status cells coloured *and*
worded, text always stored as text (never a formula or a link), fixed document metadata and A4
landscape one page wide (:mod:`cchc_analysis.xlsx_print`), so that two runs on the same table write the
same content. The rows are those of :func:`cchc_analysis.scoreboard.scoreboard`; the pack's workbook
puts the clause sheets of :mod:`cchc_analysis.scoreboard_areas` first (``before``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis.io import write_bytes_atomic
from cchc_analysis.xlsx_print import print_setup

#: Sheet of the targets without a number.
QUALITATIVE_SHEET = "Mục tiêu định tính"
#: Fixed document date of the workbook, so that two runs write the same content.
WORKBOOK_DATE = dt.datetime(2025, 1, 1)

UNIT_WORDS_VI = {"share": "Tỷ lệ (%)", "persons": "Người", "vnd": "Đồng", "count": "Số lượng"}

#: Status colours (fill, font): the words are always written too.
STATUS_COLOURS = {
    "met": ("#C6EFCE", "#006100"),
    "on_track": ("#DDEBF7", "#1F4E78"),
    "at_risk": ("#FFEB9C", "#9C5700"),
    "off_track": ("#FFC7CE", "#9C0006"),
    "not_yet_due": ("#E7E6F7", "#3F3F76"),
    "no_target": ("#EDEDED", "#404040"),
    "no_data": ("#F2F2F2", "#7F7F7F"),
}

#: Vietnamese headers of the scoreboard's columns (year columns keep their number).
HEADERS_VI = {
    "area": "Lĩnh vực",
    "indicator_id": "Mã chỉ tiêu",
    "title_vi": "Chỉ tiêu",
    "clause": "Điều khoản",
    "unit": "Đơn vị tính",
    "target_2025": "Mục tiêu 2025",
    "target_2030": "Mục tiêu 2030",
    "status": "Mã trạng thái",
    "status_vi": "Trạng thái",
    "latest_year": "Năm số liệu gần nhất",
    "needed_2030": "Giá trị cần đạt năm 2030",
    "change_per_year": "Mức thay đổi cần mỗi năm đến 2030",
    "rate_per_year": "Tốc độ thay đổi cần mỗi năm đến 2030",
    "merger_basis": "Phạm vi số liệu trước sáp nhập (01/07/2025)",
}

QUALITATIVE_HEADERS_VI = {"id": "Mã", "clause": "Điều khoản", "title_vi": "Mục tiêu",
                          "clause_text": "Nội dung"}


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number_format(unit: str, decimals: int) -> str:
    """Excel number format of a value in ``unit``.

    >>> _number_format("share", 1), _number_format("vnd", 0)
    ('0.0%', '#,##0')
    """
    if unit == "share":
        return "0" + ("." + "0" * decimals if decimals else "") + "%"
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _column_width(header: str, values: list[str]) -> float:
    longest = max([len(header), *(len(v) for v in values)]) if values else len(header)
    return float(min(max(longest + 2, 8), 60))


def workbook_bytes(frames_by_area: Mapping[str, pd.DataFrame], before: Any = None) -> bytes:
    """The scoreboard workbook as bytes (see :func:`write_scoreboard_xlsx`); ``before(book, header_fmt,
    text_fmt)``, when given, writes sheets ahead of these (the clause sheets of the pack)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": "Bảng theo dõi chỉ tiêu Chương trình CCHC 2021-2030",
                         "author": "Văn phòng Sở Công Thương Khánh Hòa", "created": WORKBOOK_DATE})
    header_fmt = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E1F2",
                                  "border": 1})
    text_fmt = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    formats: dict[tuple, Any] = {}

    def fmt(num_format: str | None = None, status: str | None = None):
        key = (num_format, status)
        if key not in formats:
            props: dict[str, Any] = {"valign": "top", "border": 1}
            if num_format:
                props["num_format"] = num_format
            if status:
                fill, font = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
                props.update({"bg_color": fill, "font_color": font, "bold": True})
            formats[key] = book.add_format(props)
        return formats[key]

    if before is not None:
        before(book, header_fmt, text_fmt)
    for sheet_name, frame in frames_by_area.items():
        sheet = book.add_worksheet(sheet_name[:31])
        print_setup(sheet)  # A4 landscape, one page wide, header row repeated, pages numbered
        if sheet_name == QUALITATIVE_SHEET:
            _write_qualitative(sheet, frame, header_fmt, text_fmt)
            continue
        columns = [c for c in frame.columns if c != "decimals"]
        headers = [HEADERS_VI.get(c, c) for c in columns]
        for c, header in enumerate(headers):
            sheet.write_string(0, c, header, header_fmt)
        widths = {c: [] for c in range(len(columns))}
        for r, rec in enumerate(frame.to_dict("records"), start=1):
            unit, decimals = str(rec.get("unit", "")), int(rec.get("decimals", 1))
            value_fmt = _number_format(unit, decimals)
            for c, col in enumerate(columns):
                value = rec[col]
                if col == "unit":
                    value = UNIT_WORDS_VI.get(unit, unit)
                if _is_missing(value):
                    sheet.write_blank(r, c, None, fmt())
                    continue
                if col == "status_vi":
                    sheet.write_string(r, c, str(value), fmt(status=str(rec["status"])))
                elif col == "rate_per_year":
                    sheet.write_number(r, c, float(value), fmt("0.0%"))
                    widths[c].append("-00,0%")
                    continue
                elif col == "latest_year":
                    sheet.write_number(r, c, int(value), fmt("0"))
                elif isinstance(value, str):
                    sheet.write_string(r, c, value, text_fmt)
                else:
                    sheet.write_number(r, c, float(value), fmt(value_fmt))
                    widths[c].append(f"{float(value):,.{decimals + (2 if unit == 'share' else 0)}f}")
                    continue
                widths[c].append(str(value))
        for c, header in enumerate(headers):
            width = _column_width(header if len(header) < 16 else header[:16], widths[c])
            if columns[c] in ("title_vi",):
                width = 48.0
            elif columns[c] == "merger_basis":
                width = 60.0
            sheet.set_column(c, c, width)
        sheet.set_row(0, 45)
        sheet.freeze_panes(1, 3)
        if len(frame):
            sheet.autofilter(0, 0, len(frame), len(columns) - 1)
    book.close()
    return buffer.getvalue()


def _write_qualitative(sheet: Any, frame: pd.DataFrame, header_fmt: Any, text_fmt: Any) -> None:
    for c, col in enumerate(frame.columns):
        sheet.write_string(0, c, QUALITATIVE_HEADERS_VI.get(col, col), header_fmt)
    for r, rec in enumerate(frame.to_dict("records"), start=1):
        for c, col in enumerate(frame.columns):
            value = rec[col]
            if _is_missing(value):
                sheet.write_blank(r, c, None, text_fmt)
            else:
                sheet.write_string(r, c, str(value), text_fmt)
    for c, width in enumerate((24, 12, 40, 90)[:len(frame.columns)]):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)


def write_scoreboard_xlsx(frames_by_area: Mapping[str, pd.DataFrame], path: Path | str) -> Path:
    """Write the scoreboard workbook, one sheet per area, atomically; return ``path``.

    Text is always stored as text (``strings_to_formulas`` and ``strings_to_urls`` off), the
    document date is fixed (:data:`WORKBOOK_DATE`), so two runs on the same table give the same
    content.

    Parameters
    ----------
    frames_by_area : mapping of sheet name to DataFrame
        Usually :func:`by_area` of :func:`scoreboard`; the sheet :data:`QUALITATIVE_SHEET` holds
        :func:`qualitative_targets`.
    path : path
        The ``.xlsx`` file to write.

    Examples
    --------
    >>> import tempfile
    >>> from cchc_analysis.scoreboard import by_area, scoreboard
    >>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    >>> out = write_scoreboard_xlsx(by_area(scoreboard(empty)), Path(tempfile.mkdtemp()) / "s.xlsx")
    >>> out.read_bytes()[:2]
    b'PK'
    """
    return write_bytes_atomic(Path(path), workbook_bytes(frames_by_area))
