"""Outputs are safe to publish and to open in Excel, raw data is never touched, runs are reproducible.

Personal data planted in raw exports must not reach any output; data text that starts like a formula
must never become a formula; a run must not write, rename or lock anything under the raw folder; two
runs on the same inputs (with the same pseudonym key) give byte-identical tables.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import xlsxwriter

from cchc_analysis import indicators
from cchc_analysis.ingest import pipeline
from cchc_analysis.io import write_csv_atomic

PII = {
    "names": ["Nguyễn Thị Hồng Nhung", "Trần Văn Khải", "Công ty TNHH Hải Đăng Cam Ranh"],
    "ids": ["079188001234", "056092004321", "052077009876"],
    "phones": ["0905123456", "0376543210", "0912000111"],
    "addresses": ["12 Lê Thánh Tôn, Phường Lộc Thọ, TP. Nha Trang", "Thôn Tân Mỹ, Xã Cam Thịnh Đông",
                  "88/4 Trần Phú, Phường Vĩnh Nguyên"],
}
FORMULA = "=HYPERLINK(\"http://example.invalid\",\"bấm\")"
HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Lĩnh vực", "Chủ hồ sơ", "Số định danh cá nhân",
          "Số điện thoại", "Địa chỉ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp",
          "Trạng thái"]


def dossier_list(path: Path) -> Path:
    """A titled dossier list with personal columns, a formula-like procedure name and a bad row."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("Danh sách hồ sơ")
    ws.write_string(0, 0, "SỞ CÔNG THƯƠNG")
    ws.write_string(1, 0, "DANH SÁCH HỒ SƠ TIẾP NHẬN")
    for c, h in enumerate(HEADER):
        ws.write_string(3, c, h)
    rows = []
    for i in range(3):
        rows.append([str(i + 1), f"000.00.23.H32-240301-000{i + 1}",
                     FORMULA if i == 0 else "Cấp Giấy phép bán lẻ sản phẩm rượu", "Lưu thông hàng hóa trong nước",
                     PII["names"][i], PII["ids"][i], PII["phones"][i], PII["addresses"][i],
                     f"0{i + 1}/03/2024 08:00", f"1{i + 1}/03/2024 08:00", f"0{i + 5}/03/2024 10:00",
                     "Trực tuyến", "Đã trả kết quả"])
    # a bad row whose date cell holds a formula-like text: it goes to quarantine.csv
    rows.append(["4", "000.00.23.H32-240301-0009", "Cấp Giấy phép bán lẻ sản phẩm rượu",
                 "Lưu thông hàng hóa trong nước", "Lê Bốn", "079100000009", "0988777666", "1 Hùng Vương",
                 "=NOW()", "", "", "Trực tiếp", "Đang xử lý"])
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return path


def survey_export(path: Path) -> Path:
    header = ["Dấu thời gian", "[Tiếp cận dịch vụ] Nơi tiếp nhận hồ sơ dễ tìm",
              "Nhìn chung, Ông/Bà hài lòng với chất lượng phục vụ ở mức độ nào?", "Góp ý, kiến nghị (nếu có)"]
    rows = [["01/10/2024 15:28:46", "Rất hài lòng", "Hài lòng", f"Gọi tôi số {PII['phones'][0]} nhé"],
            ["02/10/2024 09:00:00", "Hài lòng", "Rất hài lòng", "=1+1 góp ý"],
            ["03/10/2024 10:00:00", "Bình thường", "Hài lòng", f"CCCD {PII['ids'][1]}"]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


@pytest.fixture()
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    dossier_list(folder / "danh_sach.xlsx")
    survey_export(folder / "khao_sat.csv")
    return folder


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch):
    monkeypatch.setenv("CCHC_PII_KEY", "0" * 64)


def output_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_no_personal_data_reaches_any_output(raw, tmp_path):
    out = tmp_path / "processed"
    report = pipeline.clean([raw], out, progress=False)
    assert report.exit_code == 0
    table = indicators.compute(indicators.load_tables(out))
    write_csv_atomic(out / "indicators.csv", table)
    planted = [s for values in PII.values() for s in values]
    files = output_files(out)
    assert {"dossiers.parquet", "survey_comments.parquet", "quarantine.csv"} <= {p.name for p in files}
    for path in files:
        data = path.read_bytes()
        for text in planted:
            for form in (text, text.upper()):
                assert form.encode("utf-8") not in data, f"{text!r} found in {path.name}"
                assert form.encode("utf-16-le") not in data, f"{text!r} found in {path.name}"


def test_formula_like_text_is_never_a_formula_in_excel_outputs(raw, tmp_path):
    out = tmp_path / "processed"
    pipeline.clean([raw], out, progress=False)
    cells = []
    for path in output_files(out):
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any("NOW()" in c for c in cells), "the quarantined formula-like value should be listed"
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_raw_folder_is_never_written(raw, tmp_path):
    def snapshot() -> dict:
        return {p.relative_to(raw).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode)
                for p in raw.rglob("*")}

    before = snapshot()
    report = pipeline.clean([raw], tmp_path / "processed", progress=False)
    assert report.exit_code == 0
    assert snapshot() == before


def test_two_runs_give_byte_identical_tables(raw, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    pipeline.clean([raw], first, progress=False)
    pipeline.clean([raw], second, progress=False)
    names = [p.relative_to(first) for p in output_files(first)]
    assert names == [p.relative_to(second) for p in output_files(second)]
    assert any(n.suffix == ".parquet" for n in names) and any(n.suffix == ".csv" for n in names)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_an_interrupted_run_leaves_the_previous_outputs_whole(raw, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    pipeline.clean([raw], out, progress=False)
    before = {p.name: p.read_bytes() for p in output_files(out)}
    # change the input, then kill the run at its third output file
    (raw / "khao_sat.csv").unlink()
    import cchc_analysis.io as io_module

    real_replace, calls = io_module.os.replace, []

    def dying_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(io_module.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        pipeline.clean([raw], out, progress=False)
    after = {p.name: p.read_bytes() for p in output_files(out)}
    assert set(after) == set(before), "no temporary file may be left behind"
    for name, data in after.items():
        # every file is either the previous one or a complete new one, never a partial write
        assert data == before[name] or name in {Path(c).name for c in calls[:2]}
