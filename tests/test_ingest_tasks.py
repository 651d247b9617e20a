"""Kind ``tasks``: the programme's task register (nhiệm vụ, đơn vị chủ trì, thời hạn, tình trạng)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cchc_analysis.ingest.pipeline import clean

HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Tình trạng", "Ngày hoàn thành",
          "Ghi chú"]
PAD = [""] * (len(HEADER) - 1)

REGISTER = [
    ["SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA", *PAD],
    ["DANH MỤC NHIỆM VỤ THỰC HIỆN CHƯƠNG TRÌNH CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2021 - 2030", *PAD],
    ["", *PAD],
    HEADER,                                                                                            # row 4
    ["II.1. Cải cách thể chế", *PAD],                                                                 # row 5
    [1, "Rà soát văn bản quy phạm pháp luật ngành Công Thương", "Phòng Pháp chế", "Các phòng", "31/12/2022",
     "Đã hoàn thành", "20/12/2022", ""],                                                               # row 6
    [2, "Kiểm tra việc thực hiện văn bản", "Thanh tra Sở", "", "Thường xuyên", "Đang thực hiện", "", ""],  # row 7
    ["2. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", *PAD],                                                         # row 8
    [1, "Công bố danh mục TTHC", "Văn phòng Sở", "", "Quý IV/2023", "Hoàn thành trễ hạn", dt.datetime(2024, 1, 10),
     ""],                                                                                              # row 9
    [2, "Triển khai thanh toán trực tuyến", "Văn phòng Sở", "", 2025, "Chưa thực hiện", "", "Chờ nền tảng"],  # 10
    [3, "Số hóa kết quả giải quyết TTHC", "Văn phòng Sở", "", "6/2025", "", "15/06/2025", ""],        # row 11
    [4, "Nhiệm vụ bị bỏ", "Văn phòng Sở", "", "31/12/2024", "Hủy bỏ", "", ""],                         # row 12
    [5, "Công bố danh mục TTHC", "Văn phòng Sở", "", "Quý IV/2023", "Hoàn thành trễ hạn",
     dt.datetime(2024, 1, 10), ""],                                                                    # row 13: again
    [6, "Nhiệm vụ thiếu tình trạng", "Văn phòng Sở", "", "31/12/2025", "", "", ""],                    # row 14
    [7, "Nhiệm vụ thời hạn lạ", "Văn phòng Sở", "", "sớm nhất có thể", "Đang thực hiện", "", ""],     # row 15
    [8, "Nhiệm vụ tình trạng lạ", "Văn phòng Sở", "", "31/12/2025", "Tạm gác", "", ""],              # row 16
    ["III. GIẢI PHÁP THỰC HIỆN CHƯƠNG TRÌNH", *PAD],                                                  # row 17
    [1, "Tuyên truyền về cải cách hành chính", "Văn phòng Sở", "", "Hằng năm", "Đang thực hiện", "", ""],  # 18
    [2, "", "Văn phòng Sở", "", "31/12/2025", "Đang thực hiện", "", ""],                               # row 19: no task
]


@pytest.fixture
def register(exports, tmp_path):
    path = exports.xlsx("nhiem_vu_cchc.xlsx", {"Nhiệm vụ": REGISTER})
    report = clean([path], tmp_path / "out", progress=False)
    assert report.exit_code == 0, report.errors
    out = tmp_path / "out"
    table = pd.read_parquet(out / "tasks.parquet")
    quarantine = pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig")
    recon = pd.read_csv(out / "reconciliation.csv", encoding="utf-8-sig")
    return report, table, quarantine, recon


def test_areas_from_section_rows_by_code_or_name(register):
    _, table, _, _ = register
    by_task = table.set_index("task")["area"].to_dict()
    assert by_task["Rà soát văn bản quy phạm pháp luật ngành Công Thương"] == "II.1"   # "II.1. …"
    assert by_task["Công bố danh mục TTHC"] == "II.2"                                   # "2. CẢI CÁCH THỦ TỤC …"
    assert by_task["Tuyên truyền về cải cách hành chính"] == "III"


def test_deadlines_statuses_and_completion(register):
    _, table, _, _ = register
    t = table.set_index("task")
    assert t.loc["Rà soát văn bản quy phạm pháp luật ngành Công Thương", "deadline"] == pd.Timestamp("2022-12-31")
    assert t.loc["Công bố danh mục TTHC", "deadline"] == pd.Timestamp("2023-12-31")            # Quý IV/2023
    assert t.loc["Triển khai thanh toán trực tuyến", "deadline"] == pd.Timestamp("2025-12-31")  # 2025
    assert t.loc["Số hóa kết quả giải quyết TTHC", "deadline"] == pd.Timestamp("2025-06-30")   # 6/2025
    assert pd.isna(t.loc["Kiểm tra việc thực hiện văn bản", "deadline"])
    assert t.loc["Kiểm tra việc thực hiện văn bản", "note"] == "Thời hạn: Thường xuyên"
    assert t["status"].to_dict() == {
        "Rà soát văn bản quy phạm pháp luật ngành Công Thương": "done", "Kiểm tra việc thực hiện văn bản": "in_progress",
        "Công bố danh mục TTHC": "done", "Triển khai thanh toán trực tuyến": "not_started",
        "Số hóa kết quả giải quyết TTHC": "done",  # blank status, a completion date
        "Nhiệm vụ bị bỏ": "cancelled", "Tuyên truyền về cải cách hành chính": "in_progress"}
    assert t.loc["Công bố danh mục TTHC", "done_at"] == pd.Timestamp("2024-01-10")
    assert t.loc["Triển khai thanh toán trực tuyến", "note"] == "Chờ nền tảng"
    assert t.loc["Rà soát văn bản quy phạm pháp luật ngành Công Thương", "lead_unit"] == "Phòng Pháp chế"


def test_ids_are_numbered_within_each_area(register):
    _, table, _, _ = register
    assert table.set_index("task")["task_id"].to_dict() == {
        "Rà soát văn bản quy phạm pháp luật ngành Công Thương": "II.1-01", "Kiểm tra việc thực hiện văn bản": "II.1-02",
        "Công bố danh mục TTHC": "II.2-01", "Triển khai thanh toán trực tuyến": "II.2-02",
        "Số hóa kết quả giải quyết TTHC": "II.2-03", "Nhiệm vụ bị bỏ": "II.2-04",
        "Tuyên truyền về cải cách hành chính": "III-01"}


def test_quarantine_and_reconciliation(register):
    _, _, quarantine, recon = register
    reasons = quarantine.set_index("row")["reason"].to_dict()
    assert set(reasons) == {14, 15, 16, 19}
    assert reasons[14].startswith("Thiếu tình trạng")
    assert reasons[15].startswith("Thời hạn không đọc được")
    assert "task_status" in reasons[16]
    assert reasons[19] == "Thiếu nội dung nhiệm vụ."
    row = recon.iloc[0]
    # task rows 6-7, 9-16 and 18-19: 12 read; 4 quarantined (14, 15, 16, 19), 1 duplicate (13 repeats 9), 7 kept.
    assert (row["rows_read"], row["rows_kept"], row["rows_quarantined"], row["rows_duplicate"]) == (12, 7, 4, 1)


def test_area_column_and_id_column(exports, tmp_path):
    header = ["Mã nhiệm vụ", "Lĩnh vực/nội dung CCHC", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành",
              "Tiến độ"]
    rows = [header,
            ["NV-07", "Cải cách tổ chức bộ máy hành chính nhà nước", "Sắp xếp phòng chuyên môn", "Văn phòng Sở",
             "30/06/2025", "Đang thực hiện"],
            ["NV-08", "II.5", "Tự chủ tài chính đơn vị sự nghiệp", "Phòng Kế hoạch - Tài chính", "2026", "Chưa thực hiện"],
            ["NV-09", "Chính quyền số", "Nền tảng số dùng chung", "Văn phòng Sở", "Năm 2026", "Đang triển khai"],
            ["NV-07", "II.3", "Sắp xếp phòng chuyên môn", "Văn phòng Sở", "31/12/2025", "Đang thực hiện"],
            ["NV-10", "Khác", "Việc không thuộc chương trình", "Văn phòng Sở", "2026", "Chưa thực hiện"]]
    path = exports.xlsx("nv.xlsx", {"NV": rows})
    clean([path], tmp_path / "out", progress=False)
    table = pd.read_parquet(tmp_path / "out" / "tasks.parquet").set_index("task_id")
    assert table["area"].to_dict() == {"NV-07": "II.3", "NV-08": "II.5", "NV-09": "II.6"}
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv", encoding="utf-8-sig").set_index("row")["reason"]
    assert "đã có ở dòng 2" in quarantine[5]          # same id, another deadline
    assert quarantine[6].startswith("Không xác định được lĩnh vực CCHC")


def test_a_catalogue_is_not_a_task_register_and_back(exports, tmp_path):
    from test_ingest_procedures import CATALOGUE

    a = exports.xlsx("dm.xlsx", {"DM": CATALOGUE})
    b = exports.xlsx("nv.xlsx", {"NV": REGISTER})
    report = clean([a, b], tmp_path / "out", progress=False)
    assert sorted((c.file, c.kind) for c in report.counts) == [("dm.xlsx", "procedures"), ("nv.xlsx", "tasks")]


def test_a_one_row_register_is_a_register_not_a_questionnaire(exports, tmp_path):
    """Header plus one data row: six distinct pairs must not pass for a SIPAS questionnaire's headings."""
    rows = [["Mã nhiệm vụ", "Lĩnh vực/nội dung CCHC", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành",
             "Tiến độ"],
            ["NV-08", "II.5", "Tự chủ tài chính đơn vị sự nghiệp", "Phòng Kế hoạch - Tài chính", "2026",
             "Chưa thực hiện"]]
    report = clean([exports.xlsx("nv1.xlsx", {"NV": rows})], tmp_path / "out", progress=False)
    assert [(c.kind, c.rows_read, c.rows_kept) for c in report.counts] == [("tasks", 1, 1)]
    assert pd.read_parquet(tmp_path / "out" / "tasks.parquet")["area"].tolist() == ["II.5"]
