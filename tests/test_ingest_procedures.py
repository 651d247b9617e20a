"""Kind ``procedures``: the procedure catalogue (danh mục TTHC) as the Department publishes it."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import dossier_row, dossier_sheet

from cchc_analysis.ingest.pipeline import clean

HEADER = ["STT", "Mã TTHC", "Tên TTHC", "Mức độ DVCTT", "Đủ điều kiện DVCTT", "Phí, lệ phí", "Thanh toán trực tuyến",
          "Tích hợp Cổng DVCQG", "Công bố/công khai", "Thời hạn giải quyết", "Ghi chú"]
PAD = [""] * (len(HEADER) - 1)

CATALOGUE = [
    ["UBND TỈNH KHÁNH HÒA", *PAD],
    ["SỞ CÔNG THƯƠNG", *PAD],
    ["DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ CÔNG THƯƠNG", *PAD],
    ["", *PAD],
    HEADER,
    ["A. TTHC CẤP TỈNH", *PAD],                                                                     # row 6
    ["I. LĨNH VỰC ĐIỆN", *PAD],                                                                     # row 7
    [1, "2.000176", "Cấp Giấy phép hoạt động điện lực", "Toàn trình", "x", "700.000 đồng/giấy phép", "x", "x",
     "QĐ 1234/QĐ-UBND ngày 12/5/2023", "15 ngày làm việc", ""],                                     # row 8
    [2, 2.00018, "Cấp sửa đổi, bổ sung Giấy phép hoạt động điện lực", "Một phần", "Có", "Có", "Không", 1,
     "x", 10, ""],                                                                                  # row 9
    ["II. Lĩnh vực An toàn thực phẩm", *PAD],                                                       # row 10
    [1, "2.000591", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Mức độ 3", 1, "Có", 0, 1,
     "Đã công bố", "20 ngày", ""],                                                                  # row 11
    [2, "2.000355", "Cấp Giấy xác nhận kiến thức về an toàn thực phẩm", "DVC", "Không đủ điều kiện", "Không",
     "", "Không", "x", "", ""],                                                                     # row 12
    [3, "2.000591", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Mức độ 3", 1, "Có", 0, 1,
     "Đã công bố", "20 ngày", ""],                                                                  # row 13: same again
    [4, "2.000176", "Cấp Giấy phép hoạt động điện lực", "Một phần", "x", "Có", "x", "x", "x", "", ""],  # row 14: conflict
    [5, "", "Thủ tục không có mã", "Toàn trình", "x", "", "", "", "", "", ""],                         # row 15: no code
    [6, "2.000999", "Thủ tục có mức độ lạ", "Mức độ 5", "x", "", "", "", "", "", ""],                  # row 16: level
    [7, *[""] * 10],                                                                                 # row 17: STT only
    ["B. DANH MỤC TTHC NỘI BỘ GIỮA CÁC CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC", *PAD],                          # row 18
    [1, "KHA-NB-01", "Thẩm định kế hoạch phát triển ngành", "", "", "Không", "", "", "QĐ 88/QĐ-SCT", "", ""],
    [2, "KHA-NB-02", "Góp ý dự thảo quy hoạch ngành", "", "", "Không", "", "", "Chưa công bố", "", ""],  # row 20
]


def _run(exports, tmp_path, sheets, name="danh_muc_tthc.xlsx"):
    path = exports.xlsx(name, sheets)
    report = clean([path], tmp_path / "out", progress=False)
    assert report.exit_code == 0, report.errors
    out = tmp_path / "out"
    table = pd.read_parquet(out / "procedures.parquet").set_index("procedure_code")
    quarantine = pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig", dtype={"value": str})
    recon = pd.read_csv(out / "reconciliation.csv", encoding="utf-8-sig")
    return report, table, quarantine, recon, out


@pytest.fixture
def catalogue(exports, tmp_path):
    return _run(exports, tmp_path, {"Danh mục": CATALOGUE})


def test_one_row_per_code_with_fields_from_section_rows(catalogue):
    _, table, _, _, _ = catalogue
    assert sorted(table.index) == ["2.000176", "2.000180", "2.000355", "2.000591", "KHA-NB-01", "KHA-NB-02"]
    assert table.loc["2.000176", "field"] == "Điện"           # "I. LĨNH VỰC ĐIỆN", capitals undone
    assert table.loc["2.000591", "field"] == "An toàn thực phẩm"
    assert table.loc["2.000176", "source"] == "danh_muc_tthc.xlsx#Danh mục:8"


def test_a_code_read_as_a_number_gets_its_zeros_back(catalogue):
    _, table, _, _, _ = catalogue
    assert table.loc["2.000180", "procedure_name"] == "Cấp sửa đổi, bổ sung Giấy phép hoạt động điện lực"


def test_levels_through_the_vocabulary(catalogue):
    _, table, _, _, _ = catalogue
    assert table["level"].dropna().to_dict() == {"2.000176": "full", "2.000180": "partial", "2.000355": "none",
                                                 "2.000591": "partial"}
    assert table.loc[["KHA-NB-01", "KHA-NB-02"], "level"].isna().all()  # blank: not stated


def test_flags_from_x_co_khong_1_0_words_amounts_and_decisions(catalogue):
    _, table, _, _, _ = catalogue
    flags = ["eligible_online", "fee_required", "online_payment", "on_national_portal", "published"]
    got = {k: [None if pd.isna(v) else bool(v) for v in table.loc[k, flags]] for k in table.index}
    assert got["2.000176"] == [True, True, True, True, True]      # x, an amount, x, x, a decision number
    assert got["2.000180"] == [True, True, False, True, True]     # Có, Có, Không, 1, x
    assert got["2.000591"] == [True, True, False, True, True]     # 1, Có, 0, 1, "Đã công bố"
    assert got["2.000355"] == [False, False, None, False, True]   # "Không đủ điều kiện", Không, blank, Không, x
    assert got["KHA-NB-02"][4] is False                           # "Chưa công bố"


def test_internal_procedures_from_the_part_they_are_listed_in(catalogue):
    _, table, _, _, _ = catalogue
    assert table["internal"].to_dict() == {"2.000176": False, "2.000180": False, "2.000355": False,
                                           "2.000591": False, "KHA-NB-01": True, "KHA-NB-02": True}


def test_quarantine_duplicates_and_reconciliation(catalogue):
    _, table, quarantine, recon, _ = catalogue
    reasons = quarantine.set_index("row")["reason"].to_dict()
    assert set(reasons) == {14, 15, 16}
    assert "đã có ở dòng 8" in reasons[14]
    assert reasons[15] == "Thiếu mã TTHC."
    assert "Mức độ DVCTT không nhận ra" in reasons[16] and "procedure_level" in reasons[16]
    row = recon.iloc[0]
    # rows 8-9, 11-16, 19-20 are procedure rows (row 17 holds only STT: no data row): 10 read; 6 kept;
    # 3 quarantined (row 14 contradicts row 8, row 15 has no code, row 16 an unknown level); row 13 repeats row 11.
    assert (row["kind"], row["rows_read"], row["rows_kept"], row["rows_quarantined"], row["rows_duplicate"]) == (
        "procedures", 10, 6, 3, 1)


def test_legal_handling_time_goes_to_the_side_table(catalogue):
    *_, out = catalogue
    terms = pd.read_parquet(out / "procedure_terms.parquet").set_index("procedure_code")
    assert terms["legal_days"].to_dict() == {"2.000176": 15.0, "2.000180": 10.0, "2.000591": 20.0}
    assert terms["day_kind"].to_dict() == {"2.000176": "working", "2.000180": "working", "2.000591": "calendar"}


def test_field_column_wins_over_sections_and_unknown_flags_warn(exports, tmp_path):
    header = ["STT", "Mã số", "Tên thủ tục hành chính", "Lĩnh vực", "Mức độ", "TTHC nội bộ"]
    rows = [["", "", "DANH MỤC TTHC", "", "", ""], header, ["I", "Lĩnh vực thương mại", "", "", "", ""],
            [1, "1.000409", "Đăng ký khuyến mại", "Xúc tiến thương mại", 4, ""],
            [2, "1.000410", "Thủ tục nội bộ X", "Xúc tiến thương mại", 2, "x"],
            [3, "1.000411", "Thủ tục Y", "Xúc tiến thương mại", 3, "chắc vậy"]]
    report, table, quarantine, _, _ = _run(exports, tmp_path, {"DM": rows}, name="dm.xlsx")
    assert set(table["field"]) == {"Xúc tiến thương mại"}
    assert table["level"].to_dict() == {"1.000409": "full", "1.000410": "none", "1.000411": "partial"}
    assert table.loc["1.000410", "internal"] == True  # noqa: E712
    assert pd.isna(table.loc["1.000411", "internal"])
    assert any("«chắc vậy»" in w for w in report.warnings)
    assert quarantine.empty


def test_a_dossier_list_is_not_taken_for_a_catalogue(exports, tmp_path):
    path = exports.xlsx("ds.xlsx", {"Danh sách": dossier_sheet([dossier_row(1), dossier_row(2)])})
    report = clean([path], tmp_path / "out", progress=False)
    assert [c.kind for c in report.counts] == ["dossiers"]
    assert pd.read_parquet(tmp_path / "out" / "procedures.parquet").empty


def test_no_catalogue_writes_an_empty_table_with_the_contract_columns(exports, tmp_path):
    path = exports.xlsx("ds.xlsx", {"Danh sách": dossier_sheet([dossier_row(1)])})
    clean([path], tmp_path / "out", progress=False)
    assert pd.read_parquet(tmp_path / "out" / "procedures.parquet").columns.tolist() == [
        "procedure_code", "procedure_name", "field", "level", "eligible_online", "fee_required", "online_payment",
        "on_national_portal", "internal", "published", "source"]
