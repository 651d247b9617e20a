"""Dossier lists: quarantine reasons, the duplicates rule, reconciliation, formats, and no personal data out."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from conftest import DOSSIER_HEADER, dossier_row, dossier_sheet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_analysis.ingest.pipeline import clean

pytestmark = pytest.mark.usefixtures("pii_key")


def _run(paths, out):
    report = clean(list(paths), out, progress=False)
    dossiers = pd.read_parquet(out / "dossiers.parquet")
    quarantine = pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    recon = pd.read_csv(out / "reconciliation.csv", encoding="utf-8-sig", keep_default_na=False)
    return report, dossiers, quarantine, recon


@pytest.mark.parametrize(("change", "column", "reason"), [
    ({"dossier_id": ""}, "dossier_id", "Thiếu mã hồ sơ"),
    ({"received": "31/02/2024 08:00"}, "received_at", "không phải là một ngày có thật"),
    ({"received": "12/31/2024"}, "received_at", "tháng trước ngày"),
    ({"received": "hôm qua"}, "received_at", "Không đọc được ngày tiếp nhận"),
    ({"received": ""}, "received_at", "Thiếu ngày tiếp nhận"),
    ({"resolved": "31/12/2023 10:00"}, "resolved_at", "trước ngày tiếp nhận"),
    ({"received": "02/01/2042 08:00", "due": "", "resolved": ""}, "received_at", "lệch quá 2 năm"),
    ({"resolved": "05/01/2204 11:20"}, "resolved_at", "lệch quá 2 năm"),
    ({"channel": "Fax"}, "channel", "Hình thức nộp không nhận ra"),
    ({"channel": ""}, "channel", "Thiếu hình thức nộp"),
    ({"status": "Đang chờ trời"}, "status", "Trạng thái hồ sơ không nhận ra"),
])  # fmt: skip
def test_each_bad_row_is_quarantined_with_its_reason(exports, tmp_path, change, column, reason):
    rows = [dossier_row(i) for i in range(1, 6)]
    rows.insert(2, dossier_row(99, **change))
    path = exports.xlsx("ds.xlsx", {"Danh sách": dossier_sheet(rows)})
    report, dossiers, quarantine, recon = _run([path], tmp_path / "out")
    assert len(dossiers) == 5 and report.exit_code == 0
    assert quarantine[["file", "sheet", "row", "column"]].values.tolist() == [["ds.xlsx", "Danh sách", "9", column]]
    assert reason in quarantine["reason"].iloc[0]
    assert recon[["rows_read", "rows_kept", "rows_quarantined", "rows_duplicate"]].values.tolist() == [[6, 5, 1, 0]]


def test_duplicates_keep_the_most_advanced_row_across_files(exports, tmp_path):
    open_ = dict(resolved="", status="Đang xử lý")
    first = [dossier_row(1, **open_), dossier_row(2, resolved="05/01/2024 11:20"), dossier_row(3),
             dossier_row(4, received="02/01/2024 07:41", resolved="", status="Yêu cầu bổ sung")]
    second = [dossier_row(1, resolved="20/01/2024 09:00", status="Đã xử lý xong"),  # resolved beats open
              dossier_row(2, resolved="06/01/2024 10:00"),  # a later resolution wins
              dossier_row(3),  # a full tie: the first row read stays
              dossier_row(4, received="03/01/2024 07:41", resolved="", status="Đang xử lý")]  # later reception
    a = exports.xlsx("a.xlsx", {"S": dossier_sheet(first)})
    b = exports.csv("b.csv", [DOSSIER_HEADER, *second])
    _, dossiers, _, recon = _run([a, b], tmp_path / "out")
    assert dossiers.set_index("dossier_id")["source"].to_dict() == {
        "000.00.23.H32-240102-0001": "b.csv:2",
        "000.00.23.H32-240102-0002": "b.csv:3",
        "000.00.23.H32-240102-0003": "a.xlsx#S:9",
        "000.00.23.H32-240102-0004": "b.csv:5",
    }
    counts = recon.set_index("file")[["rows_read", "rows_kept", "rows_duplicate"]].to_dict("index")
    assert counts == {"a.xlsx": {"rows_read": 4, "rows_kept": 1, "rows_duplicate": 3},
                      "b.csv": {"rows_read": 4, "rows_kept": 3, "rows_duplicate": 1}}


def test_same_rows_as_xlsx_xls_ods_html_and_csv_give_the_same_table(exports, tmp_path):
    rows = [dossier_row(i, received=f"{i:02d}/03/2024 08:{i:02d}", due=f"{i + 7:02d}/03/2024 08:00",
                        resolved=f"{i + 2:02d}/03/2024 09:00") for i in range(1, 8)]
    sheet = dossier_sheet(rows)
    text_sheet = [[str(int(v)) if isinstance(v, float) else v for v in r] for r in sheet]
    writers = {
        "xlsx": lambda: exports.xlsx("a.xlsx", {"S": sheet}),
        "xls": lambda: exports.xls("b.xls", {"S": sheet}),
        "ods": lambda: exports.ods("c.ods", {"S": sheet}),
        "html": lambda: exports.html("d.xls", text_sheet),
        "csv": lambda: exports.csv("e.csv", [DOSSIER_HEADER, *rows], encoding="cp1258", delimiter=";"),
    }
    tables = {}
    for name, write in writers.items():
        _, dossiers, quarantine, _ = _run([write()], tmp_path / name)
        assert quarantine.empty, (name, quarantine)
        tables[name] = dossiers.drop(columns=["source"])
    for name, table in tables.items():
        pd.testing.assert_frame_equal(table, tables["xlsx"], obj=name)


def test_api_dump_codes_iso_dates_and_flags(exports, tmp_path):
    header = ["Id", "MaHoSo", "MaTTHC", "TenTTHC", "TenLinhVuc", "KenhThucHien", "MucDo", "TrangThaiHoSoId",
              "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "CoPhiLePhi", "DuocThanhToanTrucTuyen", "DaSoHoaKetQua",
              "TaiKhoanDuocXacThucVoiVNeID", "ChuHoSo", "SoGiayToChuHoSo", "SoDienThoaiChuHoSo", "DiaChiChuHoSo",
              "TrichYeuHoSo"]
    rows = [["g1", "00123", "2.000208", "Cấp lại giấy phép", "Kinh doanh khí", "1", "", "10", "2023-01-03 10:25:20",
             "2023-01-12 10:25:20", "2023-01-06 15:06:11", "1", "0", "1", "False", "Lê Gia Trung", "052075309117",
             "0829048378", "80/3 Phan Bội Châu", "Đề nghị cấp lại"],
            ["g2", "00124", "2.000620", "Cấp giấy phép", "Lưu thông hàng hóa trong nước", "2", "4", "5",
             "2023-01-04 09:06:16", "", "", "0", "0", "0", "True", "Bùi Mỹ Diễm", "", "0974275701", "", ""]]
    _, dossiers, quarantine, _ = _run([exports.csv("api.csv", [header, *rows])], tmp_path / "out")
    assert quarantine.empty
    first, second = dossiers.to_dict("records")
    assert first["dossier_id"] == "00123" and first["procedure_code"] == "2.000208"
    assert (first["channel"], first["service_level"], first["status"]) == ("in_person", "none", "returned")
    assert (second["channel"], second["service_level"], second["status"]) == ("online", "full", "supplement")
    assert first["received_at"] == pd.Timestamp("2023-01-03 10:25:20")
    assert (first["fee_required"], first["paid_online"], first["result_digitized"], first["eid_verified"]) == (
        True, False, True, False)
    assert pd.isna(second["due_at"]) and second["applicant_key"]  # keyed by name and phone when no ID


def test_blank_service_level_is_none_offline_and_null_online(exports, tmp_path):
    rows = [dossier_row(1, channel="Trực tiếp", level=""), dossier_row(2, channel="Trực tuyến", level="")]
    _, dossiers, _, _ = _run([exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})], tmp_path / "out")
    assert dossiers["service_level"].tolist()[0] == "none" and pd.isna(dossiers["service_level"].tolist()[1])


def test_legacy_tcvn3_export_without_fonts_is_detected_by_content(exports, tmp_path):
    header = ["M· hå s¬", "Tªn thñ tôc", "LÜnh vùc", "Ngµy tiÕp nhËn", "H×nh thøc nép", "Tr¹ng th¸i"]
    rows = [["H-1", "CÊp giÊy phÐp", "§iÖn", "02/01/2024", "Trùc tuyÕn", "§· tr¶ kÕt qu¶"]]
    _, dossiers, quarantine, _ = _run([exports.csv("cu.csv", [header, *rows], encoding="latin-1")],
                                      tmp_path / "out")
    assert quarantine.empty
    assert dossiers[["field", "channel", "status"]].values.tolist() == [["Điện", "online", "returned"]]


def test_no_personal_data_reaches_any_output(exports, tmp_path):
    people = [("Nguyễn Thị Hồng Nhung", "079199001234", "0912345678", "12 Trần Phú, Lộc Thọ"),
              ("Công ty TNHH Biển Xanh", "0301234567", "0258 3812 345", "5 Yersin, Nha Trang")]
    rows = [dossier_row(i, name=n, id_number=c, phone=p, address=a) for i, (n, c, p, a) in enumerate(people, 1)]
    rows.append(dossier_row(3, name="Lê Bad Row", id_number="079000000001", received="31/02/2024"))
    out = tmp_path / "out"
    _run([exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})], out)
    planted = [x for person in people for x in person] + ["Lê Bad Row", "079000000001"]
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8-sig") if path.suffix == ".csv" else \
            pd.read_parquet(path).astype(str).to_csv()
        for secret in planted:
            assert secret not in text, (path.name, secret)


def test_applicant_key_is_keyed_and_stable(exports, tmp_path, monkeypatch):
    rows = [dossier_row(1, id_number="079 199 001 234"), dossier_row(2, id_number="079199001234")]
    path = exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})
    keys = _run([path], tmp_path / "one")[1]["applicant_key"].tolist()
    assert keys[0] == keys[1] and len(keys[0]) == 32  # the same person written two ways
    assert _run([path], tmp_path / "two")[1]["applicant_key"].tolist() == keys  # same secret, same key
    monkeypatch.setenv("CCHC_PII_KEY", "another-secret")
    assert _run([path], tmp_path / "three")[1]["applicant_key"].tolist() != keys


def test_missing_secret_warns_once_and_uses_a_random_key(exports, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CCHC_PII_KEY")
    monkeypatch.setenv("HOME", str(tmp_path))
    path = exports.xlsx("a.xlsx", {"S": dossier_sheet([dossier_row(1)])})
    first = _run([path, path.with_name("b.xlsx")], tmp_path / "one")
    second = _run([path], tmp_path / "two")
    err = capsys.readouterr().err
    assert err.count("CCHC_PII_KEY") == 2  # once per run
    assert first[1]["applicant_key"].tolist() != second[1]["applicant_key"].tolist()


# --- hypothesis: for any generated export, rows read = kept + quarantined + duplicates ---

BAD = [{"dossier_id": ""}, {"received": "31/02/2024"}, {"resolved": "01/01/2023 08:00"}, {"channel": "Fax"},
       {"received": "15/06/2060 09:00", "due": "", "resolved": ""}, {"status": "???"}]


@st.composite
def exports_spec(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    rows, truth = [], {"bad": 0}
    ids = draw(st.lists(st.integers(min_value=1, max_value=12), min_size=n, max_size=n))
    for i, ident in enumerate(ids):
        kind = draw(st.sampled_from(["good", "good", "good", "bad"]))
        if kind == "bad":
            rows.append(dossier_row(1000 + i, **draw(st.sampled_from(BAD))))
            truth["bad"] += 1
        else:
            day = draw(st.integers(min_value=1, max_value=28))
            done = draw(st.booleans())
            rows.append(dossier_row(ident, received=f"{day:02d}/05/2024 08:00",
                                    resolved=f"{day:02d}/06/2024 08:00" if done else "",
                                    status="Đã trả kết quả" if done else "Đang xử lý"))
    truth["unique"] = len({r[1] for r in rows if r[1] and not r[1].startswith("000.00.23.H32-240102-1")})
    sections = draw(st.booleans())
    if sections and rows:
        rows.insert(0, ["I. Lĩnh vực thương mại", *[""] * 18])
    return rows, truth, draw(st.sampled_from(["xlsx", "csv"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=exports_spec())
def test_rows_read_equal_kept_plus_quarantined_plus_duplicates(exports, tmp_path_factory, spec):
    rows, truth, fmt = spec
    out = tmp_path_factory.mktemp("out")
    name = f"x{random.randrange(10**9)}"
    if fmt == "xlsx":
        path = exports.xlsx(f"{name}.xlsx", {"S": dossier_sheet(rows)})
    else:
        path = exports.csv(f"{name}.csv", [DOSSIER_HEADER, *[r for r in rows if r[1] or r[0] != "I. Lĩnh vực thương mại"]])
    report = clean([path], out, progress=False)
    assert report.exit_code == 0
    data_rows = sum(1 for r in rows if r[0] != "I. Lĩnh vực thương mại")
    if data_rows == 0:
        return
    (counts,) = report.counts
    assert counts.rows_read == data_rows
    assert counts.rows_read == counts.rows_kept + counts.rows_quarantined + counts.rows_duplicate
    assert counts.rows_quarantined == truth["bad"]
    assert counts.rows_kept == truth["unique"] == len(pd.read_parquet(out / "dossiers.parquet"))
    assert len(pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig")) == truth["bad"]


def test_a_reception_after_the_day_of_the_run_is_quarantined_even_alone(exports, tmp_path):
    """A lone row cannot be judged against the data's own period; a date after today is still impossible."""
    yesterday = (pd.Timestamp.now() - pd.Timedelta(days=1)).strftime("%d/%m/%Y 08:00")
    path = exports.csv("future.csv", [DOSSIER_HEADER, dossier_row(1, received="15/06/2060 09:00", due="", resolved="")])
    report = clean([path], tmp_path / "a", progress=False)
    (counts,) = report.counts
    assert (counts.rows_read, counts.rows_kept, counts.rows_quarantined) == (1, 0, 1)
    assert report.quarantine["column"].tolist() == ["received_at"]
    assert "tương lai" in report.quarantine["reason"].iloc[0]
    path = exports.csv("recent.csv", [DOSSIER_HEADER, dossier_row(2, received=yesterday, due="", resolved="",
                                                                  status="Đang xử lý")])
    report = clean([path], tmp_path / "b", progress=False)
    assert (report.counts[0].rows_kept, len(report.quarantine)) == (1, 0)
