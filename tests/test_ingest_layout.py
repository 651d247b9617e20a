"""Finding the table: titles, headers (one or three merged rows), numbering, sections, totals and footers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import dossier_row, dossier_sheet

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.detect import find_header, synonyms
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.ingest.readers import read
from cchc_analysis.ingest.rows import build_table, classify_rows


def _table(path, section="dossiers", keys=("dossier_id", "received_at")):
    (raw,) = read(path)
    header = find_header(raw, synonyms(section))
    return build_table(raw, header, keys=keys)


def test_title_blank_header_total_and_footer_rows_are_not_data(exports):
    rows = [dossier_row(i) for i in range(1, 4)]
    table = _table(exports.xlsx("ds.xlsx", {"Danh sách": dossier_sheet(rows)}))
    assert table.header.rows == (5,)
    assert table.data["row"].tolist() == [7, 8, 9]
    assert table.layout["role"].tolist() == ["total"]
    assert table.title[-1].startswith("Từ ngày 01/01/2024")


def test_section_rows_and_group_labels_are_layout(exports):
    rows = [["I", "Lĩnh vực thương mại", *[""] * 17], dossier_row(1), ["II. Lĩnh vực công nghiệp", *[""] * 18],
            dossier_row(2), ["Lĩnh vực: Điện", *[""] * 18], dossier_row(3)]
    table = _table(exports.xlsx("nhom.xlsx", {"S": dossier_sheet(rows)}))
    assert table.data["row"].tolist() == [8, 10, 12]
    assert table.layout.set_index("row")["role"].to_dict() == {7: "section", 9: "section", 11: "section", 13: "total"}


def test_a_lone_dossier_id_is_data_to_check_not_a_label(exports):
    rows = [dossier_row(1), ["", "000.00.23.H32-240102-0099", *[""] * 17]]
    table = _table(exports.xlsx("le.xlsx", {"S": dossier_sheet(rows)}))
    assert table.data["row"].tolist() == [7, 8]


@pytest.mark.parametrize("text", ["Tổng cộng", "TỔNG SỐ: 12 HỒ SƠ", "Cộng", "Tổng số hồ sơ: 444"])
def test_totals_are_recognised_in_any_spelling(text):
    assert classify_rows([[text, "", ""]]) == ["total"]


@pytest.mark.parametrize("text", ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu)",
                                  "Khánh Hòa, ngày 05 tháng 01 năm 2025"])
def test_signature_footers_are_recognised(text):
    assert classify_rows([["", text, ""]]) == ["footer"]


def test_names_under_a_signature_are_footer_too():
    assert classify_rows([["Người lập biểu", "", "Giám đốc"], ["", "", ""], ["Lê Văn A", "", "Trần B"]]) == [
        "footer", "blank", "footer"]


def test_a_procedure_named_like_a_total_in_a_dense_row_is_data():
    row = [4.0, "Công nghiệp địa phương", 65, 44, 16, 5, 57]
    assert classify_rows([row]) == ["data"]


FORM_06A = [
    ["Biểu số II.06a/VPCP/KSTT", "", "", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", *[""] * 9],
    ["", "", "", "Kỳ báo cáo: Quý II năm 2025", *[""] * 9],
    ["", "", "", "(Từ ngày 01/04/2025 đến ngày 30/06/2025)", *[""] * 9],
    [*[""] * 10, "Đơn vị tính: Số hồ sơ TTHC", "", ""],
    ["TT", "Lĩnh vực, công việc giải quyết theo cấp", "Tiếp nhận", "", "", "", "Số lượng hồ sơ đã giải quyết", "", "",
     "", "Số lượng hồ sơ đang giải quyết", "", ""],
    ["", "", "Tổng số", "Trong kỳ", "", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số",
     "Trong hạn", "Quá hạn"],
    ["", "", "", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "", "", "", "", "", "", "", ""],
    [float(i) for i in range(1, 14)],
    ["I", "Lĩnh vực thương mại", 20, 12, 5, 3, 18, 10, 5, 3, 2, 2, 0],
    [1.0, "Xúc tiến thương mại", 8, 5, 2, 1, 7, 4, 2, 1, 1, 1, 0],
    [2.0, "Kinh doanh khí", 12, 7, 3, 2, 11, 6, 3, 2, 1, 1, 0],
    ["II", "Lĩnh vực công nghiệp", 5, 3, 1, 1, 4, 2, 1, 1, 1, 1, 0],
    [1.0, "Điện", 5, 3, 1, 1, 4, 2, 1, 1, 1, 1, 0],
    ["", "Tổng cộng", 25, 15, 6, 4, 22, 12, 6, 4, 3, 3, 0],
    [""] * 13,
    ["", "NGƯỜI LẬP BIỂU", *[""] * 8, "THỦ TRƯỞNG ĐƠN VỊ", "", ""],
]
MERGES_06A = ["A5:A7", "B5:B7", "C5:F5", "G5:J5", "K5:M5", "C6:C7", "D6:E6", "F6:F7", "G6:G7", "H6:H7", "I6:I7",
              "J6:J7", "K6:K7", "L6:L7", "M6:M7"]


def _clean_06a(path, tmp_path):
    report = clean([path], tmp_path / "out", progress=False)
    assert report.exit_code == 0, report.errors
    frame = pd.read_parquet(tmp_path / "out" / "report06a.parquet")
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv", encoding="utf-8-sig")
    return report, frame, quarantine


def test_form_06a_three_row_merged_header(exports, tmp_path):
    path = exports.xlsx("06a.xlsx", {"06a": FORM_06A}, merges=MERGES_06A)
    (raw,) = read(path)
    from cchc_analysis.ingest.report06a import locate

    header = locate(raw, synonyms("report06a"))
    assert header.rows == (4, 5, 6) and header.skip_rows == (7,)
    assert header.columns[3] == "received_online" and header.columns[4] == "received_offline"
    assert header.columns[8] == "resolved_on_time" and header.columns[12] == "pending_overdue"
    report, frame, quarantine = _clean_06a(path, tmp_path)
    assert frame["group"].tolist() == ["Xúc tiến thương mại", "Kinh doanh khí", "Điện"]
    assert frame["section"].tolist() == ["Lĩnh vực thương mại"] * 2 + ["Lĩnh vực công nghiệp"]
    assert frame["period_start"].iloc[0] == pd.Timestamp("2025-04-01")
    assert frame["period_end"].iloc[0] == pd.Timestamp("2025-06-30")
    assert set(frame["group_kind"]) == {"field"}
    assert quarantine.empty
    (counts,) = report.counts
    assert (counts.rows_read, counts.rows_kept) == (3, 3)  # sections, total, numbering are not rows


def test_form_06a_as_html_without_merge_information(exports, tmp_path):
    path = exports.html("06a.xls", FORM_06A, width=13)
    _, frame, quarantine = _clean_06a(path, tmp_path)
    assert len(frame) == 3 and quarantine.empty
    assert frame["received_total"].tolist() == [8, 12, 5]


def test_form_06a_quarterly_variant_grouped_by_unit(exports, tmp_path):
    rows = [list(r) for r in FORM_06A]
    rows[4][1] = "Tên đơn vị"
    rows[8][1], rows[9][1], rows[10][1] = "Cấp tỉnh", "Sở Công Thương", "Trung tâm Khuyến công"
    rows[11][1], rows[12][1] = "Cấp xã", "UBND phường Nha Trang"
    _, frame, _ = _clean_06a(exports.xlsx("06a_don_vi.xlsx", {"06a": rows}, merges=MERGES_06A), tmp_path)
    assert set(frame["group_kind"]) == {"unit"}
    assert frame["group"].tolist() == ["Sở Công Thương", "Trung tâm Khuyến công", "UBND phường Nha Trang"]


def test_form_06a_totals_that_disagree_are_reported(exports, tmp_path):
    rows = [list(r) for r in FORM_06A]
    rows[13][2] = 26  # total received says 26, rows add up to 25
    rows[8][3] = 13  # section I online says 13, its rows add up to 12
    _, frame, quarantine = _clean_06a(exports.xlsx("06a_sai.xlsx", {"06a": rows}, merges=MERGES_06A), tmp_path)
    assert len(frame) == 3  # the rows are kept
    assert set(zip(quarantine["row"], quarantine["column"], strict=True)) == {(14, "received_total"),
                                                                            (9, "received_online")}
    assert quarantine["reason"].str.contains("không khớp").all()


def test_form_06a_row_that_does_not_add_up_is_quarantined(exports, tmp_path):
    rows = [list(r) for r in FORM_06A]
    rows[12][7] = 3  # resolved early 3: (7) 4 != 3 + 1 + 1
    rows[11][7], rows[13][7] = 3, 13  # keep section and total consistent with the row
    report, frame, quarantine = _clean_06a(exports.xlsx("06a_dong.xlsx", {"06a": rows}, merges=MERGES_06A), tmp_path)
    assert frame["group"].tolist() == ["Xúc tiến thương mại", "Kinh doanh khí"]
    assert quarantine.set_index("row").loc[13, "column"] == "resolved_total"
    (counts,) = report.counts
    assert (counts.rows_read, counts.rows_kept, counts.rows_quarantined) == (3, 2, 1)


def test_form_06a_count_with_a_decimal_comma_is_quarantined_not_multiplied(exports, tmp_path):
    rows = [list(r) for r in FORM_06A]
    rows[9][2] = "8,5"  # a count typed with a decimal comma: no whole number, never 85
    _, frame, quarantine = _clean_06a(exports.xlsx("06a_phay.xlsx", {"06a": rows}, merges=MERGES_06A), tmp_path)
    assert frame["group"].tolist() == ["Kinh doanh khí", "Điện"]
    bad = quarantine.set_index("row").loc[10]
    assert (bad["column"], bad["value"]) == ("received_total", "8,5")
    assert "không phải là số nguyên" in bad["reason"]


def test_numbering_row_under_a_list_header_is_skipped():
    rows = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"], ["(1)", "(2)", "(3)"], ["A", "02/03/2024", "Mới"]]
    raw = RawSheet(Path("t.xlsx"), "S", rows, range(1, 4))
    header = find_header(raw, synonyms("dossiers"))
    assert header.skip_rows == (1,)
    assert build_table(raw, header).data["row"].tolist() == [3]


def test_form_06a_as_html_with_rowspan_and_colspan(exports, tmp_path):
    head = ('<tr><td rowspan="3">TT</td><td rowspan="3">Lĩnh vực, công việc giải quyết theo cấp</td>'
            '<td colspan="4">Tiếp nhận</td><td colspan="4">Số lượng hồ sơ đã giải quyết</td>'
            '<td colspan="3">Số lượng hồ sơ đang giải quyết</td></tr>'
            '<tr><td rowspan="2">Tổng số</td><td colspan="2">Trong kỳ</td><td rowspan="2">Từ kỳ trước</td>'
            '<td rowspan="2">Tổng số</td><td rowspan="2">Trước hạn</td><td rowspan="2">Đúng hạn</td>'
            '<td rowspan="2">Quá hạn</td><td rowspan="2">Tổng số</td><td rowspan="2">Trong hạn</td>'
            '<td rowspan="2">Quá hạn</td></tr>'
            "<tr><td>Trực tuyến</td><td>Trực tiếp, dịch vụ bưu chính</td></tr>")
    body = "".join("<tr>" + "".join(f"<td>{'' if v == '' else v}</td>" for v in row) + "</tr>"
                   for row in [[int(v) if isinstance(v, float) else v for v in r] for r in FORM_06A[7:14]])
    path = exports.folder / "06a_web.xls"
    path.write_text(f'<html><body><table><tr><td colspan="13">(Từ ngày 01/04/2025 đến ngày 30/06/2025)</td></tr>'
                    f"{head}{body}</table></body></html>", encoding="utf-8")
    _, frame, quarantine = _clean_06a(path, tmp_path)
    assert quarantine.empty
    assert frame["received_offline"].tolist() == [2, 3, 1] and frame["pending_overdue"].tolist() == [0, 0, 0]
