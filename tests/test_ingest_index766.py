"""Ingest for the 766 index: extra dossier facts from the dossier sheets, and the portal's own export."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DOSSIER_HEADER, dossier_row, dossier_sheet

from cchc_analysis import index766 as ix
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.ingest.portal766 import period_from_name

EXTRA_HEADER = [*DOSSIER_HEADER, "NgayYeuCauBoSung", "NgayHoanThanhBoSung", "SoLanBoSung", "DuocTaiSuDung",
                "HoSoCoThanhPhanSoHoa", "DuongDanTepTinKetQua", "DuocLayTuKhoDMQG", "Thời hạn giải quyết"]
PORTAL_HEADER = ["ID", "TEN", "MA_COQUAN", "LOAI_COQUAN", "CAPDONVIID", "TDGQ", "MDHL", "MDSH", "TTTT", "CLGQ",
                 "CKMB", "TONG_SCORE"]


def _extra_row(i: int, extras: list, **kwargs) -> list:
    row = dossier_row(i, **kwargs)
    row[16] = "2" if i == 1 else row[16]   # DuocThanhToanTrucTuyen = 2: paid on the province's portal
    return row + extras


def test_dossier_extras_become_events_and_facts_without_personal_data(exports, tmp_path, pii_key):
    rows = [
        _extra_row(1, ["04/01/2024", "06/01/2024", 1, "1", "1", "/ketqua/a.pdf", "0", 10]),
        _extra_row(2, ["03/01/2024", "", 2, "0", "", "", "", ""]),
        _extra_row(3, ["", "", "", "", "", "", "", ""]),
        _extra_row(4, ["ngày mai", "", "", "", "", "", "", ""]),   # unreadable: the fact stays empty
    ]
    path = exports.xlsx("ds.xlsx", {"S": dossier_sheet(rows, header=EXTRA_HEADER)})
    report = clean([path], tmp_path / "out", progress=False)
    assert report.exit_code == 0
    out = tmp_path / "out"
    dossiers = pd.read_parquet(out / "dossiers.parquet")
    events = pd.read_parquet(out / "dossier_events.parquet")
    facts = pd.read_parquet(out / "dossier_facts.parquet").set_index("dossier_id")
    assert len(dossiers) == 4 and report.quarantine.empty
    first, second = "000.00.23.H32-240102-0001", "000.00.23.H32-240102-0002"
    assert sorted(zip(events["dossier_id"], events["event"], events["at"].dt.strftime("%d/%m"), strict=True)) == [
        (first, "supplement_completed", "06/01"), (first, "supplement_requested", "04/01"),
        (second, "supplement_requested", "03/01")]
    assert list(facts.index) == [first, second]   # dossiers 3 and 4 carry no fact
    assert facts.loc[first, "data_reused"] and facts.loc[first, "components_digitized"]
    assert facts.loc[first, "result_file"] and not facts.loc[first, "national_store"]
    assert facts.loc[first, "paid_channel"] == "local_portal" and facts.loc[first, "legal_days"] == 10
    assert facts.loc[second, "supplement_count"] == 2 and pd.isna(facts.loc[second, "result_file"])
    written = " ".join(pd.read_parquet(out / f"{t}.parquet").astype(str).to_csv() for t in
                       ("dossier_events", "dossier_facts"))
    for personal in ("Đỗ Đình Khoa", "079061887668", "0386980597", "Diên Phú"):
        assert personal not in written
    # the second dossier asked twice: late under 2.1 whatever its dates
    model = ix.build(ix.load_tables(out))
    led, _ = ix.ledger(model, "2024-01")
    on_time = led[led["sub_id"] == "2.1"].set_index("dossier_id")["n"]
    assert on_time[second] == 0 and on_time[first] == 1


def test_facts_come_from_the_row_kept_for_a_dossier(exports, tmp_path, pii_key):
    older = _extra_row(5, ["04/01/2024", "", "", "", "", "", "", ""], status="Đang xử lý", resolved="")
    newer = _extra_row(5, ["04/01/2024", "05/01/2024", 1, "1", "", "", "", ""])
    path = exports.xlsx("ds.xlsx", {"A": dossier_sheet([older], header=EXTRA_HEADER),
                                    "B": dossier_sheet([newer], header=EXTRA_HEADER)})
    report = clean([path], tmp_path / "out", progress=False)
    assert sum(c.rows_duplicate for c in report.counts) == 1
    events = pd.read_parquet(tmp_path / "out" / "dossier_events.parquet")
    assert sorted(events["event"]) == ["supplement_completed", "supplement_requested"]
    assert events["source"].str.endswith("#B:7").all()


def _portal_sheet(title: str | None, rows: list[list]) -> list[list]:
    head = [[title], []] if title else []
    return [*head, PORTAL_HEADER, *rows]


def test_portal_export_is_read_checked_and_made_long(exports, tmp_path):
    rows = [
        [1, "Sở Công Thương", "000.00.23.H32", "SO", 2, 15.2, 16.0, 18.5, 5.84, 8.0, 17.0, 80.54],
        [2, "Sở Tư pháp", "000.00.24.H32", "SO", 2, 19.0, 18.0, 20.0, 10.0, 12.5, 18.0, 97.5],    # CLGQ > 12
        [3, "Sở Y tế", "000.00.25.H32", "SO", 2, 19.0, 18.0, 20.0, 9.0, 11.0, 18.0, 90.0],        # total ≠ 95
        [4, "Sở Xây dựng", "000.00.26.H32", "SO", 2, -1, 18.0, 20.0, 9.0, 11.0, 18.0, 75.0],      # negative
        [5, "Sở Nội vụ", "000.00.27.H32", "SO", 2, 19.0, 18.0, 20.0, 9.0, 11.0, 18.0, None],      # total summed
        [1, "Sở Công Thương", "000.00.23.H32", "SO", 2, 15.2, 16.0, 18.5, 5.84, 8.0, 17.0, 80.54],   # duplicate
    ]
    path = exports.xlsx("chi_so_766.xlsx", {"S": _portal_sheet("BẢNG ĐIỂM CHỈ SỐ 766 THÁNG 10/2025", rows)})
    report = clean([path], tmp_path / "out", progress=False)
    assert report.exit_code == 0
    counts = [c for c in report.counts if c.kind == "portal766"][0]
    assert (counts.rows_read, counts.rows_kept, counts.rows_quarantined, counts.rows_duplicate) == (6, 2, 3, 1)
    reasons = " ".join(report.quarantine["reason"])
    assert "Điểm nhóm CLGQ (12,5) vượt điểm tối đa của nhóm (12)" in reasons
    assert "Tổng điểm (90) khác tổng điểm sáu nhóm (95)" in reasons
    assert "Điểm nhóm TDGQ là số âm" in reasons
    portal = pd.read_parquet(tmp_path / "out" / "portal766.parquet")
    assert set(portal["period"]) == {"2025-10"}
    ours = portal[portal["agency"] == "Sở Công Thương"].set_index("group")["points"]
    assert ours.to_dict() == pytest.approx({"CKMB": 17.0, "TDGQ": 15.2, "CLGQ": 8.0, "TTTT": 5.84, "MDSH": 18.5,
                                            "MDHL": 16.0, "total": 80.54})
    assert portal[portal["agency"] == "Sở Nội vụ"].set_index("group").loc["total", "points"] == pytest.approx(95.0)
    # the model picks the Department's row among several agencies, and reconciles with it
    model = ix.build(ix.load_tables(tmp_path / "out"))
    assert model.agency == "Sở Công Thương"
    assert model.portal.set_index("group").loc["TTTT", "points"] == pytest.approx(5.84)


def test_portal_period_from_the_file_name_or_quarantined(exports, tmp_path):
    row = [[1, "Sở Công Thương", "X", "SO", 2, 15, 16, 18, 5, 8, 17, 79]]
    named = exports.xlsx("bao_cao_766_T09_2025.xlsx", {"S": _portal_sheet(None, row)})
    unnamed = exports.xlsx("bang_diem.xlsx", {"S": _portal_sheet(None, row)})
    report = clean([named, unnamed], tmp_path / "out", progress=False)
    portal = pd.read_parquet(tmp_path / "out" / "portal766.parquet")
    assert set(portal["period"]) == {"2025-09"}
    bad = report.quarantine[report.quarantine["file"] == "bang_diem.xlsx"]
    assert len(bad) == 1 and "Không xác định được kỳ" in bad["reason"].iloc[0]


@pytest.mark.parametrize(("name", "label"), [("766_thang_3_2025.xlsx", "2025-03"), ("CS766-2024-12.xlsx", "2024-12"),
                                             ("Quy_2_2025.xlsx", "2025-Q2"), ("766 năm 2025.xlsx", "2025"),
                                             ("766_T13_2025.xlsx", None)])
def test_period_from_name(name, label):
    assert period_from_name(name) == label
