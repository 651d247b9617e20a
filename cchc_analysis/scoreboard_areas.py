"""The pack's scoreboard workbook by area: one sheet per area of the programme, then the yearly figures.

Each area's sheet (in the programme's order, II.1 … II.6, then III) holds its clauses from
:func:`cchc_analysis.views_programme.area_clauses`: the programme's wording verbatim, the target, the
value of the review year, the status in words (coloured), the 2021–2025 figure and the trend; below
them a block of its tasks by lead unit (:func:`cchc_analysis.views_programme.area_tasks`: done, late,
open). Technical codes stay out; the text column wraps, so that a sheet prints one page wide on A4
landscape with its header row repeated (:func:`cchc_analysis.xlsx_print.print_setup`). The last sheet,
:data:`YEARLY_SHEET`, is the indicator scoreboard (:func:`cchc_analysis.scoreboard.scoreboard`: every
indicator's yearly values, targets and what 2030 asks for).

>>> import tempfile, openpyxl
>>> from pathlib import Path
>>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
>>> path = write_programme_workbook(empty, None, 2025, Path(tempfile.mkdtemp()) / "s.xlsx")
>>> openpyxl.load_workbook(path).sheetnames[0], openpyxl.load_workbook(path).sheetnames[-1]
('II.1 Cải cách thể chế', 'Số liệu theo năm')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis import milestones, scoreboard, views_programme
from cchc_analysis.io import write_bytes_atomic
from cchc_analysis.xlsx_print import print_setup

YEARLY_SHEET = "Số liệu theo năm"

#: The clause columns of an area sheet: (column of area_clauses, header, width).
CLAUSE_SHEET_COLUMNS = (
    ("part_vi", "Loại", 10),
    ("year", "Năm", 6),
    ("text_vi", "Nội dung (nguyên văn Chương trình)", 70),
    ("indicator_title", "Chỉ số đo", 22),
    ("target_text", "Mục tiêu", 13),
    ("value_text", "Giá trị {year}", 13),
    ("status_vi", "Trạng thái", 18),
    ("value_2021_2025_text", "Giai đoạn 2021–2025", 13),
    ("trend_text", "Xu hướng từ 2021", 24),
)
TASK_HEADERS_VI = ("Đơn vị chủ trì", "Đã hoàn thành", "Trễ hạn", "Đang thực hiện", "Tổng")
STATUS_FILL = {**scoreboard.STATUS_COLOURS, "qualitative": ("#FFFFFF", "#404040"),
               "not_applicable": ("#FFFFFF", "#7F7F7F")}


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clause_sheet_rows(clauses: pd.DataFrame) -> pd.DataFrame:
    """The rows of an area sheet as text: the part in words, and why a clause does not apply.

    >>> rows = pd.DataFrame({"part": ["target"], "year": [2025.0], "text_vi": ["A"], "target_text": [None],
    ...     "indicator_title": [None],
    ...     "value_text": [None], "status": ["not_applicable"], "status_vi": ["Không áp dụng đối với Sở"],
    ...     "value_2021_2025_text": [None], "trend_text": [None], "applies": [False], "reason": ["district"]})
    >>> clause_sheet_rows(rows).iloc[0][["part_vi", "year", "target_text"]].tolist()
    ['Chỉ tiêu', '2025', '–']
    """
    out = pd.DataFrame(index=clauses.index)
    out["part_vi"] = clauses["part"].map(views_programme.PART_WORDS_VI).fillna("")
    for col, _, _ in CLAUSE_SHEET_COLUMNS[1:]:
        out[col] = [_text(v) for v in clauses[col]]
    for col in ("indicator_title", "target_text", "value_text", "value_2021_2025_text", "trend_text"):
        out[col] = out[col].where(out[col] != "", "–")
    out["status"] = clauses["status"].astype(str)
    return out


def _area_sheet(book: Any, name: str, title: str, clauses: pd.DataFrame, tasks: pd.DataFrame, year: int,
                header_fmt: Any, text_fmt: Any) -> None:
    sheet = book.add_worksheet(name)
    print_setup(sheet)
    status_fmts = {s: book.add_format({"text_wrap": True, "valign": "top", "border": 1, "bold": True,
                                       "bg_color": fill, "font_color": font}) for s, (fill, font) in STATUS_FILL.items()}
    bold = book.add_format({"bold": True, "font_size": 12})
    number_fmt = book.add_format({"valign": "top", "border": 1, "num_format": "0"})
    for c, (_, header, width) in enumerate(CLAUSE_SHEET_COLUMNS):
        sheet.write_string(0, c, header.format(year=year), header_fmt)
        sheet.set_column(c, c, width)
    rows = clause_sheet_rows(clauses)
    r = 0
    for r, rec in enumerate(rows.to_dict("records"), start=1):
        for c, (col, _, _) in enumerate(CLAUSE_SHEET_COLUMNS):
            cell_fmt = status_fmts.get(rec["status"], text_fmt) if col == "status_vi" else text_fmt
            sheet.write_string(r, c, rec[col], cell_fmt)
    sheet.freeze_panes(1, 0)
    r += 2
    sheet.write_string(r, 0, f"Nhiệm vụ của lĩnh vực {title} (đến hết kỳ báo cáo {year})", bold)
    r += 1
    if tasks.empty:
        sheet.write_string(r, 0, "Chưa có nhiệm vụ nào của lĩnh vực trong sổ theo dõi nhiệm vụ.", text_fmt)
        return
    # the tasks block sits under the text column: unit name in the wide column, counts beside it
    sheet.write_string(r, 2, TASK_HEADERS_VI[0], header_fmt)
    for c, header in enumerate(TASK_HEADERS_VI[1:], start=3):
        sheet.write_string(r, c, header, header_fmt)
    for rec in tasks.to_dict("records"):
        r += 1
        sheet.write_string(r, 2, str(rec["lead_unit"]), text_fmt)
        for c, col in enumerate(("done", "late", "open", "total"), start=3):
            sheet.write_number(r, c, int(rec[col]), number_fmt)
    r += 1
    sheet.write_string(r, 2, "Tổng cộng", header_fmt)
    for c, col in enumerate(("done", "late", "open", "total"), start=3):
        sheet.write_number(r, c, int(tasks[col].sum()), number_fmt)


def workbook_bytes(table: pd.DataFrame, tasks: pd.DataFrame | None, year: int, period: str | None = None,
                   registry: Mapping[str, Any] | None = None,
                   basis: Mapping[str, str | None] | None = None) -> bytes:
    """The pack's workbook as bytes: the area sheets, then :data:`YEARLY_SHEET`."""
    reg = registry or milestones.load_registry()
    clauses = views_programme.area_clauses(table, year, reg)
    counted = views_programme.area_tasks(tasks, period or year, reg)
    names = scoreboard.area_names(reg)
    titles = views_programme.programme_areas(reg).set_index("area")["title_vi"].to_dict()

    def areas(book: Any, header_fmt: Any, text_fmt: Any) -> None:
        for area, name in names.items():
            _area_sheet(book, name, titles.get(area, area), clauses[clauses["area"] == area],
                        counted[counted["area"] == area], year, header_fmt, text_fmt)

    board = scoreboard.scoreboard(table, year=year, registry=reg, period=period, basis=basis)
    return scoreboard.workbook_bytes({YEARLY_SHEET: board}, before=areas)


def write_programme_workbook(table: pd.DataFrame, tasks: pd.DataFrame | None, year: int, path: Path | str,
                             period: str | None = None, registry: Mapping[str, Any] | None = None,
                             basis: Mapping[str, str | None] | None = None) -> Path:
    """Write the pack's scoreboard workbook (see the module's description) atomically; return ``path``.

    ``basis`` (:func:`cchc_analysis.scoreboard.merger_basis`) adds, on the yearly sheet, which years before
    the merger are not on the merged basis."""
    return write_bytes_atomic(Path(path), workbook_bytes(table, tasks, year, period, registry=registry, basis=basis))


# --------------------------------------------------------------------------------------------------
# for notebook 05: an area's clauses as a coloured table


def styled_clauses(clauses: pd.DataFrame, name: str, year: int) -> Any:
    """An area's clauses as the sheet shows them (Vietnamese headers, status cells coloured and worded).

    The table's HTML id is fixed by ``name`` so that the report's HTML does not change between runs.

    >>> rows = views_programme.area_clauses(None, 2025)
    >>> html = styled_clauses(rows[rows["area"] == "II.2"], "a2", 2025).to_html()
    >>> "Chưa có số liệu" in html and "#F2F2F2" in html and 'id="T_a2"' in html
    True
    """
    from cchc_analysis.intake import styled_table

    rows = clause_sheet_rows(clauses).reset_index(drop=True)
    shown = pd.DataFrame({header.format(year=year): rows[col] for col, header, _ in CLAUSE_SHEET_COLUMNS})
    css = [f"background-color: {STATUS_FILL.get(s, STATUS_FILL['no_data'])[0]}; "
           f"color: {STATUS_FILL.get(s, STATUS_FILL['no_data'])[1]}; font-weight: bold" for s in rows["status"]]
    return styled_table(shown, name).apply(lambda _: css, subset=["Trạng thái"], axis=0)
