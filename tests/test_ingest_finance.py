"""Kinds ``budget`` and ``payroll``: sheets and files made by code."""

from __future__ import annotations

import pandas as pd
import pytest
import xlsxwriter

from cchc_analysis.ingest.finance import money_factor
from cchc_analysis.ingest.numbers import parse_numbers
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.quality import quarantine_frame

UNIT_A, UNIT_B = "Trung tâm Khuyến công", "Trung tâm Xúc tiến thương mại"


def budget_rows(unit_line: str = "Đơn vị tính: triệu đồng", scale: float = 1.0, *, subtotal_a: object = None,
                total: object = None, extra: list | None = None) -> list[list]:
    """A budget sheet: title block, a two-row header (Quyết toán over years, Dự toán 2026), two units."""
    def amounts(*values: object) -> list:
        return [v * scale if isinstance(v, (int, float)) else v for v in values]

    a = [amounts(3700.4, "2.332,8", 4094.6), amounts("441,5", 500, 534.9)]
    b = [amounts("2.838,0", 2900, 3136.3), amounts(None, "210,7", "-")]
    sub_a = subtotal_a if subtotal_a is not None else amounts(4141.9, 2832.8, 4629.5)
    grand = total if total is not None else amounts(6979.9, 5943.5, 7765.8)
    return [
        ["SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA", "", "", "", "", "", ""],
        ["TỔNG HỢP KINH PHÍ CÁC ĐƠN VỊ SỰ NGHIỆP", "", "", "", "", "", ""],
        ["", "", "", "", "", unit_line, ""],
        ["STT", "Đơn vị / Nội dung chi", "Nguồn kinh phí", "Quyết toán", "", "Dự toán 2026", "Ghi chú"],
        ["", "", "", "Năm 2024", "Năm 2025", "", ""],
        ["I", UNIT_A, "", *sub_a, ""],
        [1, "Chi thường xuyên", "NSNN", *a[0], ""],
        [2, "- Chi thường xuyên", "Nguồn thu sự nghiệp", *a[1], "Kinh phí khuyến công"],
        ["II", UNIT_B, "", "", "", "", ""],
        [1, "Chi thường xuyên", "NSNN", *b[0], ""],
        [2, "Chi thường xuyên", "Tự chủ", *b[1], ""],
        *(extra or []),
        ["", "Tổng cộng", "", *grand, ""],
        ["", "", "", "", "", "", ""],
        ["", "NGƯỜI LẬP BIỂU", "", "", "", "THỦ TRƯỞNG ĐƠN VỊ", ""],
    ]


def records(result, table: str = "budget") -> dict:
    frame = result.tables[table]
    return {(r.unit, r.year, r.category, r.funding, r.stage): r.amount_vnd for r in frame.itertuples()}


def test_vietnamese_number_text_and_floats():
    numbers, bad = parse_numbers(pd.Series(["2.838,0", "441,5", "1.921", "2838.0", "1,234.5", "3 500", "", "-",
                                            "12a", 7, None], dtype=object))
    assert numbers.tolist()[:6] == [2838.0, 441.5, 1921.0, 2838.0, 1234.5, 3500.0]
    assert numbers[6:].isna().tolist() == [True, True, True, False, True] and numbers[9] == 7.0
    assert bad.tolist() == [False] * 8 + [True, False, False]


def test_budget_sheet_in_trieu_dong(sheet_table, clean_kind):
    table = sheet_table("budget", budget_rows())
    assert table is not None and sheet_table("payroll", budget_rows()) is None
    result = clean_kind("budget", [table])
    got = records(result)
    assert got[(UNIT_A, 2024, "Chi thường xuyên", "state_budget", "actual")] == 3_700_400_000
    assert got[(UNIT_A, 2025, "Chi thường xuyên", "state_budget", "actual")] == 2_332_800_000
    assert got[(UNIT_A, 2026, "Chi thường xuyên", "state_budget", "plan")] == 4_094_600_000
    assert got[(UNIT_A, 2024, "Chi thường xuyên", "own_revenue", "actual")] == 441_500_000
    assert got[(UNIT_B, 2024, "Chi thường xuyên", "state_budget", "actual")] == 2_838_000_000
    assert (UNIT_B, 2024, "Chi thường xuyên", "own_revenue", "actual") not in got  # blank cell: no record
    assert (UNIT_B, 2026, "Chi thường xuyên", "own_revenue", "plan") not in got  # "-": no record
    assert len(got) == 10
    c = result.counts[0]
    assert (c.rows_read, c.rows_kept, c.rows_quarantined, c.rows_duplicate) == (4, 4, 0, 0)
    assert quarantine_frame(result.quarantine).empty  # subtotal and total agree


def test_the_same_sheet_in_dong_gives_the_same_amounts(sheet_table, clean_kind):
    millions = clean_kind("budget", [sheet_table("budget", budget_rows())])
    dong = budget_rows("ĐVT: đồng", scale=1_000_000, subtotal_a=[""] * 3, total=[""] * 3)
    for row in dong:  # the text amounts too, written out in đồng
        row[3:6] = [{"2.332,8": "2.332.800.000", "441,5": "441.500.000", "2.838,0": "2.838.000.000",
                     "210,7": "210.700.000"}.get(v, v) for v in row[3:6]]
    assert records(clean_kind("budget", [sheet_table("budget", dong)])) == records(millions)


def test_a_sheet_without_a_unit_of_amount_is_quarantined_not_guessed(sheet_table, clean_kind):
    result = clean_kind("budget", [sheet_table("budget", budget_rows(unit_line=""))])
    assert result.tables["budget"].empty and result.counts[0].rows_quarantined == 4
    assert "đơn vị tính" in quarantine_frame(result.quarantine)["reason"][0]


def test_subtotals_and_totals_that_disagree_are_reported(sheet_table, clean_kind):
    result = clean_kind("budget", [sheet_table("budget", budget_rows(subtotal_a=[4141.9, 2832.8, 4600],
                                                                      total=[6979.9, 5943.4, 7765.8]))])
    q = quarantine_frame(result.quarantine)
    assert q[["row", "column"]].values.tolist() == [[6, "Dự toán 2026"], [12, "Quyết toán Năm 2025"]]
    assert "4.600" in q["reason"][0] and "4.629,5" in q["reason"][0] and UNIT_A in q["reason"][0]
    assert q["reason"][1].startswith("Dòng tổng cộng ghi 5.943,4")
    assert result.counts[0].rows_kept == 4  # the rows are kept; only the sums are reported


def test_bad_amounts_and_rows_without_unit_are_quarantined(sheet_table, clean_kind):
    rows = budget_rows(total=[""] * 3, extra=[[3, "Chi khác", "Nguồn khác", "abc", 1, ""]])
    rows.insert(5, [0, "Chi trước mọi mục", "NSNN", 1, 1, 1, ""])  # above section I: no unit
    result = clean_kind("budget", [sheet_table("budget", rows)])
    q = quarantine_frame(result.quarantine)
    assert q["row"].tolist() == [6, 13]
    assert "không xác định được đơn vị" in q["reason"][0].lower() and "«abc»" in q["reason"][1]
    assert (result.counts[0].rows_read, result.counts[0].rows_quarantined) == (6, 2)


def test_funding_labels(sheet_table, clean_kind):
    rows = budget_rows(total=[""] * 3, extra=[[3, "Chi khác", "Viện trợ", 1, 1, ""], [4, "Chi khác 2", "", 2, 2, ""]])
    result = clean_kind("budget", [sheet_table("budget", rows)])
    fundings = result.tables["budget"].drop_duplicates("category")[["category", "funding"]]
    assert result.tables["budget"]["funding"].value_counts().to_dict() == {
        "state_budget": 6, "own_revenue": 4, "other": 4}
    assert dict(fundings.values.tolist())["Chi khác"] == "other"
    assert any("Viện trợ" in w for w in result.warnings)


def test_overlapping_budget_sheets(sheet_table, clean_kind):
    base = sheet_table("budget", budget_rows(), file="a.xlsx")
    same = sheet_table("budget", budget_rows(), file="b.xlsx")
    changed_rows = budget_rows(subtotal_a=[""] * 3, total=[""] * 3)
    changed_rows[6][3] = 3800  # UNIT_A, NSNN, 2024: a different figure
    changed = sheet_table("budget", changed_rows, file="c.xlsx")
    result = clean_kind("budget", [base, same, changed])
    assert [(c.rows_kept, c.rows_quarantined, c.rows_duplicate) for c in result.counts] == [
        (4, 0, 0), (0, 0, 4), (0, 1, 3)]
    assert "dòng 7 của a.xlsx#S" in quarantine_frame(result.quarantine)["reason"].iloc[-1]
    assert len(result.tables["budget"]) == 10


def test_money_factor_from_header_note():
    assert money_factor(["Quyết toán 2024 (nghìn đồng)"]) == 1000.0
    assert money_factor(["Đơn vị: tỷ đồng"]) == 1e9


# --- payroll ---


def payroll_rows(total: list | None = None) -> list[list]:
    pairs = ["Biên chế được giao", "Số có mặt"] * 2
    return [
        ["TÌNH HÌNH BIÊN CHẾ GIAI ĐOẠN 2024 - 2025", "", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["STT", "Đơn vị", "Nguồn kinh phí", "Năm 2024", "", "Năm 2025", ""],
        ["", "", "", *pairs],
        [1, UNIT_A, "NSNN", 13, 13, 12, 10],
        ["", "", "Tự chủ", 4, 3, 4, "3"],
        [2, UNIT_B, "NSNN", 10, 8, 9, 7],
        ["", "", "Tự chủ", 2, 2, 2, None],
        ["", "Tổng cộng", "", *(total or [29, 26, 27, 20])],
        ["", "Ghi chú: Số có mặt tính đến ngày 31/12.", "", "", "", "", ""],
    ]


def test_payroll_units_carried_down_and_pairs_by_year(sheet_table, clean_kind):
    table = sheet_table("payroll", payroll_rows())
    assert table is not None and sheet_table("budget", payroll_rows()) is None
    result = clean_kind("payroll", [table])
    frame = result.tables["payroll"].set_index(["unit", "year", "funding"])
    assert frame.loc[(UNIT_A, 2025, "own_revenue")].tolist() == [4, 3]
    assert frame.loc[(UNIT_B, 2024, "own_revenue")].tolist() == [2, 2]
    assert frame.loc[(UNIT_B, 2025, "own_revenue"), "headcount_actual"] is pd.NA
    assert len(frame) == 8 and str(frame["headcount_actual"].dtype) == "Int64"
    c = result.counts[0]
    assert (c.rows_read, c.rows_kept) == (4, 4) and quarantine_frame(result.quarantine).empty


def test_payroll_total_disagreeing_and_fractional_headcount(sheet_table, clean_kind):
    rows = payroll_rows(total=[29, 26, 27, 21])
    rows[6][3] = "10,5"
    result = clean_kind("payroll", [sheet_table("payroll", rows)])
    q = quarantine_frame(result.quarantine)
    assert q[["row", "column"]].values.tolist() == [[7, "Năm 2024 Biên chế được giao"], [9, "Năm 2024 Biên chế được giao"],
                                                    [9, "Năm 2025 Số có mặt"]]
    assert "số nguyên" in q["reason"][0]
    assert result.counts[0].rows_quarantined == 1


# --- through the pipeline ---


@pytest.mark.parametrize("unit_line,factor", [("Đơn vị tính: triệu đồng", 1e6), ("Đơn vị tính: đồng", 1.0)])
def test_workbook_with_merged_two_row_headers_through_cchc_clean(tmp_path, unit_line, factor):
    raw = tmp_path / "raw"
    raw.mkdir()
    book = xlsxwriter.Workbook(raw / "kinh_phi_va_bien_che.xlsx")
    ws = book.add_worksheet("Kinh phí")
    rows = budget_rows(unit_line)
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    ws.merge_range(3, 3, 3, 4, "Quyết toán")
    ws.merge_range(3, 5, 4, 5, "Dự toán 2026")
    ws2 = book.add_worksheet("Biên chế")
    for r, row in enumerate(payroll_rows()):
        ws2.write_row(r, 0, [v if v is not None else "" for v in row])
    ws2.merge_range(2, 3, 2, 4, "Năm 2024")
    ws2.merge_range(2, 5, 2, 6, "Năm 2025")
    ws2.merge_range(4, 1, 5, 1, UNIT_A)
    book.close()
    report = clean([raw], tmp_path / "out", progress=False)
    assert report.errors == []
    recon = pd.read_csv(tmp_path / "out" / "reconciliation.csv", encoding="utf-8-sig")
    assert recon[["sheet", "kind", "rows_read", "rows_kept"]].values.tolist() == [
        ["Biên chế", "payroll", 4, 4], ["Kinh phí", "budget", 4, 4]]
    budget = pd.read_parquet(tmp_path / "out" / "budget.parquet")
    assert budget["amount_vnd"].max() == round(4094.6 * factor)  # whole đồng
    assert len(pd.read_parquet(tmp_path / "out" / "payroll.parquet")) == 8


@pytest.mark.parametrize("header", [
    [["STT", "Nội dung chi", "Nguồn", "Năm 2025", "", "Ghi chú"], ["", "", "", "Dự toán", "Quyết toán", ""]],
    [["STT", "Nội dung chi", "Nguồn", "DT 2025", "QT 2025 (triệu đồng)", "Ghi chú"]],
])
def test_year_over_stage_and_one_row_headers(sheet_table, clean_kind, header):
    rows = [["KINH PHÍ NĂM 2025", "", "", "", "", ""], ["Đơn vị tính: triệu đồng", "", "", "", "", ""], *header,
            ["I", UNIT_A, "", "", "", ""], [1, "Chi thường xuyên", "NSNN", 100, "95,5", ""]]
    got = records(clean_kind("budget", [sheet_table("budget", rows)]))
    assert got == {(UNIT_A, 2025, "Chi thường xuyên", "state_budget", "plan"): 100e6,
                   (UNIT_A, 2025, "Chi thường xuyên", "state_budget", "actual"): 95.5e6}


def test_a_stage_without_year_takes_the_year_of_the_title(sheet_table, clean_kind):
    rows = [["QUYẾT TOÁN KINH PHÍ NĂM 2024", "", "", ""], ["(Đơn vị tính: nghìn đồng)", "", "", ""],
            ["Đơn vị", "Nguồn kinh phí", "Dự toán", "Quyết toán"], [UNIT_A, "NSNN", "1.000", "900"],
            ["", "Tự chủ", 50, 40], [UNIT_B, "Ngân sách nhà nước", 10, 10]]
    result = clean_kind("budget", [sheet_table("budget", rows)])
    frame = result.tables["budget"]
    assert set(frame["year"]) == {2024} and frame["amount_vnd"].tolist() == [1e6, 9e5, 5e4, 4e4, 1e4, 1e4]
    assert frame["unit"].tolist() == [UNIT_A] * 4 + [UNIT_B] * 2  # the unit carried down
    assert set(frame["category"]) == {"Tổng kinh phí"}
