"""Printing of worksheets: A4 landscape, one page wide, header rows repeated, numbered pages.

Each check reads the saved file's page setup back with openpyxl, as Excel would find it.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from cchc_analysis import scoreboard, xlsx_print


def _or_default(value, default: int = 1) -> int:
    return default if value is None else int(value)


def _assert_prints_like_an_analyst(sheet, header_rows: int = 1) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # one page wide, height free (the file format's default for both is 1 when the attribute is absent)
    assert _or_default(setup.fitToWidth) == 1 and _or_default(setup.fitToHeight) == 0
    assert sheet.print_title_rows == f"$1:${header_rows}"
    margins = sheet.page_margins
    assert 0.4 <= margins.left <= 1.0 and 0.4 <= margins.right <= 1.0  # inches
    assert 0.5 <= margins.top <= 1.0 and 0.5 <= margins.bottom <= 1.0
    footer = sheet.oddFooter
    assert "&P" in footer.right.text and "&N" in footer.right.text and footer.right.text.startswith("Trang")
    assert sheet.print_options.horizontalCentered is True


def _many_rows(sheet_write, rows: int = 300, columns: int = 25) -> None:
    for c in range(columns):
        sheet_write(0, c, f"Cột {c + 1}")
        sheet_write(1, c, f"Đơn vị {c + 1}")
    for r in range(2, rows):
        for c in range(columns):
            sheet_write(r, c, r * c)


def test_xlsxwriter_sheet_prints_landscape_one_page_wide(tmp_path):
    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Bảng")
    _many_rows(sheet.write)
    xlsx_print.print_setup(sheet, header_rows=2)
    book.close()
    _assert_prints_like_an_analyst(openpyxl.load_workbook(path)["Bảng"], header_rows=2)


def test_openpyxl_sheet_prints_landscape_one_page_wide(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    _many_rows(lambda r, c, v: sheet.cell(r + 1, c + 1, v))
    xlsx_print.print_setup(sheet)
    book.save(tmp_path / "o.xlsx")
    _assert_prints_like_an_analyst(openpyxl.load_workbook(tmp_path / "o.xlsx").active)


def test_without_header_rows_nothing_is_repeated(tmp_path):
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet()
    xlsx_print.print_setup(sheet, header_rows=0)
    assert sheet.repeat_row_range == ""
    book.close()


def test_refuses_what_is_not_a_worksheet():
    with pytest.raises(TypeError):
        xlsx_print.print_setup(object())
    with pytest.raises(ValueError):
        xlsx_print.print_setup(openpyxl.Workbook().active, header_rows=-1)


def test_every_scoreboard_sheet_prints_landscape_one_page_wide(tmp_path):
    empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    frames = scoreboard.by_area(scoreboard.scoreboard(empty, year=2025))
    path = scoreboard.write_scoreboard_xlsx(frames, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(frames)
    for sheet in book.worksheets:
        _assert_prints_like_an_analyst(sheet)
