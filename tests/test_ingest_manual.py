"""Kind ``manual``: the hand-kept indicator sheet, made by code."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_analysis.ingest.manual import period_code
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.quality import quarantine_frame
from cchc_analysis.registry import load

HEADER = ["STT", "Chỉ tiêu", "Năm", "Tử số", "Mẫu số", "Ghi chú"]
E_TRANSFER = "Tỷ lệ hồ sơ TTHC luân chuyển nội bộ bằng phương thức điện tử"


def sheet(*rows: list) -> list[list]:
    return [["CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH THEO DÕI THỦ CÔNG", "", "", "", "", ""], [""] * 6, HEADER, *rows]


def test_names_map_to_indicator_ids_and_text_numbers_are_read(sheet_table, clean_kind):
    names = load("vocab")["manual_indicators"]["labels"]
    rows = [[i, labels[0], 2024, "1.921", 2240, None] for i, labels in enumerate(names.values(), 1)]
    rows.append([7, "TỶ LỆ HỒ SƠ TTHC LUÂN CHUYỂN NỘI BỘ BẰNG PHƯƠNG THỨC ĐIỆN TỬ", "2025-H1", 1000, "1.000", ""])
    rows.append([8, "work_records_online_share", "Quý II/2025", 0, 0, "Chưa phát sinh"])
    result = clean_kind("manual", [sheet_table("manual", sheet(*rows))])
    table = result.tables["manual_indicators"]
    assert table["indicator_id"].tolist() == [*names, "internal_e_transfer_share", "work_records_online_share"]
    assert table["period"].tolist() == ["2024"] * 6 + ["2025-H1", "2025-Q2"]
    assert table["numerator"].iloc[0] == 1921 and math.isclose(table["value"].iloc[0], 1921 / 2240)
    assert table["value"].iloc[6] == 1.0 and pd.isna(table["value"].iloc[7])  # denominator 0: no value
    assert table["note"].iloc[7] == "Chưa phát sinh" and pd.isna(table["note"].iloc[6])
    assert result.counts[0].rows_kept == 8


def test_bad_rows_are_quarantined_with_a_plain_reason(sheet_table, clean_kind):
    rows = [
        [1, "Tỷ lệ hồ sơ được số hóa", 2024, 1, 2, ""],          # unknown indicator
        [2, E_TRANSFER, 2024, 2500, 2400, ""],                  # numerator > denominator
        [3, E_TRANSFER, "", 1, 2, ""],                          # no year
        [4, E_TRANSFER, 2024, "khoảng 100", 200, ""],           # not a number
        [5, E_TRANSFER, 2205, 1, 2, ""],                        # a typing error in the year
        [6, "", 2024, 1, 2, ""],                                # no indicator
        [7, E_TRANSFER, 2023, 5, "", ""],                       # no denominator
        [8, E_TRANSFER, 2022, 5, 10, "Gọi 0912 345 678 để hỏi"],  # kept, the phone masked
        [9, "", "", "", "", ""],                                # a pre-numbered template row: not data
    ]
    result = clean_kind("manual", [sheet_table("manual", sheet(*rows))])
    q = quarantine_frame(result.quarantine)
    assert q["row"].tolist() == list(range(4, 11))
    assert q["column"].tolist() == ["indicator", "numerator", "period", "numerator", "period", "indicator",
                                    "denominator"]
    assert "không có trong danh mục" in q["reason"][0] and "Tử số lớn hơn mẫu số" in q["reason"][1]
    assert q["reason"][2] == "Thiếu năm (kỳ) của số liệu." and q["reason"][3] == "Tử số không phải là số."
    c = result.counts[0]
    assert (c.rows_read, c.rows_kept, c.rows_quarantined) == (8, 1, 7)
    assert result.tables["manual_indicators"]["note"].item() == "Gọi [đã ẩn] để hỏi"


def test_an_indicator_given_again_in_another_sheet(sheet_table, clean_kind):
    first = sheet_table("manual", sheet([1, E_TRANSFER, 2024, 10, 20, ""], [2, E_TRANSFER, 2025, 15, 20, ""]),
                        file="a.xlsx")
    again = sheet_table("manual", sheet([1, E_TRANSFER, 2024, 10, 20, "nhập lại"], [2, E_TRANSFER, 2025, 16, 20, ""],
                                        [3, E_TRANSFER, 2026, 18, 20, ""]), file="b.xlsx")
    result = clean_kind("manual", [first, again])
    assert [(c.rows_kept, c.rows_quarantined, c.rows_duplicate) for c in result.counts] == [(2, 0, 0), (1, 1, 1)]
    reason = quarantine_frame(result.quarantine)["reason"].item()
    assert "kỳ 2025 đã có ở dòng 5 của a.xlsx#S" in reason
    assert result.tables["manual_indicators"]["period"].tolist() == ["2024", "2025", "2026"]


@pytest.mark.parametrize("value,code", [
    (2025, "2025"), (2025.0, "2025"), ("Năm 2025", "2025"), ("2025-h1", "2025-H1"), ("6 tháng cuối năm 2024", "2024-H2"),
    ("Quý IV/2024", "2024-Q4"), ("2024-Q2", "2024-Q2"), ("Tháng 7/2025", "2025-07"), ("07/2025", "2025-07"),
    ("2025-7", "2025-07"), (2025.5, None), ("9 tháng đầu năm 2025", None), ("2025-13", None), ("", None)])
def test_period_codes(value, code):
    assert period_code(value) == code


def test_sheet_made_by_code_through_cchc_clean(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    book = xlsxwriter.Workbook(raw / "chi_tieu.xlsx")
    ws = book.add_worksheet("Chỉ tiêu")
    for r, row in enumerate(sheet([1, E_TRANSFER, 2024, "2.455", "2.610", ""], [2, "Chỉ tiêu lạ", 2024, 1, 2, ""])):
        ws.write_row(r, 0, row)
    book.close()
    report = clean([raw], tmp_path / "out", progress=False)
    assert report.errors == []
    recon = pd.read_csv(tmp_path / "out" / "reconciliation.csv", encoding="utf-8-sig")
    assert recon[["kind", "rows_read", "rows_kept", "rows_quarantined"]].values.tolist() == [["manual", 2, 1, 1]]
    table = pd.read_parquet(tmp_path / "out" / "manual_indicators.parquet")
    assert table[["indicator_id", "period", "numerator", "denominator"]].values.tolist() == [
        ["internal_e_transfer_share", "2024", 2455.0, 2610.0]]


CELLS = st.sampled_from([None, "", 2024, "2025-H1", "năm nay", E_TRANSFER, "Chỉ tiêu lạ", "1.921", 5, 0, -3, "x",
                         "abc", 10.5, "2.610"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=5, max_size=5), min_size=1, max_size=8))
def test_every_row_read_is_kept_quarantined_or_a_duplicate(rows):
    from cchc_analysis.ingest.base import CleanContext, RawSheet
    from cchc_analysis.ingest.detect import find_header, synonyms
    from cchc_analysis.ingest.manual import KINDS
    from cchc_analysis.ingest.rows import build_table

    cells = sheet(*[[i, *row] for i, row in enumerate(rows, 1)])
    raw = RawSheet(Path("h.xlsx"), "S", cells, range(1, len(cells) + 1))
    table = build_table(raw, find_header(raw, synonyms("manual")), keys=KINDS[0].required)
    result = KINDS[0].clean([table], CleanContext(applicant_key=lambda *a: None))
    c = result.counts[0]
    assert c.balanced and c.rows_quarantined == len(quarantine_frame(result.quarantine))
    assert c.rows_kept == len(result.tables["manual_indicators"])


def test_an_indicator_given_twice_in_one_sheet(sheet_table, clean_kind):
    rows = sheet([1, E_TRANSFER, 2024, 10, 20, ""], [2, E_TRANSFER, 2024, 10, 20, ""], [3, E_TRANSFER, 2024, 11, 20, ""])
    result = clean_kind("manual", [sheet_table("manual", rows)])
    c = result.counts[0]
    assert (c.rows_kept, c.rows_duplicate, c.rows_quarantined) == (1, 1, 1)
    assert quarantine_frame(result.quarantine)["row"].tolist() == [6]
