"""Tests of the bundled synthetic exports (cchc_analysis.sample).

The exports are generated once per module into a temporary folder; the tests read them back with
pandas (and the manifest written beside them) the way an analyst would, without the cleaner.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis.sample import STATUS_CANONICAL, generate

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample"
KINDS = {"dossiers", "report06a", "evaluations", "survey", "budget", "payroll", "manual", "procedures", "tasks",
         "portal766"}
STATUS_BY_LABEL = {
    "Mới đăng ký": "registered", "Được tiếp nhận": "in_progress", "Đang xử lý": "in_progress",
    "Yêu cầu bổ sung": "supplement", "Yêu cầu thực hiện nghĩa vụ tài chính": "awaiting_payment",
    "Không được tiếp nhận": "rejected", "Công dân yêu cầu rút hồ sơ": "withdrawn", "Dừng xử lý": "suspended",
    "Đã xử lý xong": "resolved", "Đã trả kết quả": "returned",
}
CHANNEL_BY_LABEL = {"Trực tuyến": "online", "Trực tiếp": "in_person", "Dịch vụ bưu chính công ích": "postal",
                    "1": "in_person", "2": "online", "3": "postal"}
DATE_FORMATS = ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    paths = generate(out)
    assert paths == sorted(paths)
    return out


@pytest.fixture(scope="module")
def manifest(sample_dir: Path) -> dict:
    return json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))


def _files_of(manifest: dict, kind: str) -> dict[str, dict]:
    """Files of a kind; for dossiers, the Department's own exports (not its merged-in predecessor's)."""
    return {name: entry for name, entry in manifest["files"].items()
            if entry["kind"] == kind and not entry.get("predecessor")}


def _parse_when(value: object) -> pd.Timestamp | None:
    """A date cell as the exports write it: Excel datetime, dd/mm/yyyy [HH:MM] or ISO text."""
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value)
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(str(value), fmt))
        except ValueError:
            continue
    return None


def _html_rows(path: Path) -> list[list[str]]:
    """Cells of every <tr> of the html-as-xls table (row 1 is the first <tr>)."""
    text = path.read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", text)
    return [[html.unescape(c).replace("\xa0", "") for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r)]
            for r in rows]


def _grid(path: Path) -> list[list[object]]:
    """Every row of a dossier export as cells, indexed by (row number - 1)."""
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, engine="calamine", header=None, dtype=object)
        return [[None if (isinstance(v, float) and pd.isna(v)) else v for v in row]
                for row in frame.itertuples(index=False)]
    if path.suffix == ".xls":
        return [[c or None for c in row] for row in _html_rows(path)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [[c or None for c in row] for row in csv.reader(handle)]


def _dossier_frame(path: Path, entry: dict) -> pd.DataFrame:
    """id, received, status and channel of each data row of a dossier export, with its row number."""
    grid = _grid(path)
    first = (entry["layout"][entry["sheet"] or ""]["header"][0]) + 1
    header = grid[first - 2]
    data = grid[first - 1:first - 1 + entry["rows"]]
    cols = {name: header.index(name) for name in header}
    api = "MaHoSo" in cols
    pick = (("MaHoSo", "NgayTiepNhan", "TrangThaiHoSoId", "KenhThucHien") if api else
            ("Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Hình thức nộp"))
    frame = pd.DataFrame([[row[cols[c]] for c in pick] for row in data], columns=["id", "received", "status",
                                                                                  "channel"])
    frame["row"] = range(first, first + len(frame))
    frame["received"] = [_parse_when(v) for v in frame["received"]]
    frame["status"] = [STATUS_CANONICAL[int(v)] if api else STATUS_BY_LABEL[v] for v in frame["status"]]
    frame["channel"] = frame["channel"].map(CHANNEL_BY_LABEL)
    return frame


@pytest.fixture(scope="module")
def dossiers(sample_dir: Path, manifest: dict) -> pd.DataFrame:
    """All dossier exports, bad rows dropped, one row per id (the latest export wins)."""
    order = ["danh_sach_ho_so_2021.xlsx", "danh_sach_ho_so_2022.xlsx", "danh_sach_ho_so_2023.xlsx",
             "danh_sach_ho_so_2024.xlsx", "danh_sach_ho_so_2025_H1.xls", "ho_so_dong_bo_2025Q3_2026Q3.csv"]
    assert sorted(order) == sorted(_files_of(manifest, "dossiers"))
    frames = []
    for name in order:
        entry = manifest["files"][name]
        frame = _dossier_frame(sample_dir / name, entry)
        bad = {b["row"] for b in entry["bad_rows"]}
        frames.append(frame[~frame["row"].isin(bad)].assign(file=name))
    combined = pd.concat(frames, ignore_index=True)
    assert combined["id"].notna().all() and combined["received"].notna().all()
    assert combined["channel"].notna().all()
    return combined.drop_duplicates("id", keep="last")


# --- reproducibility ---------------------------------------------------------------------------


def test_generate_twice_gives_identical_bytes(sample_dir: Path, tmp_path: Path) -> None:
    second = generate(tmp_path / "again")
    names = sorted(p.name for p in sample_dir.iterdir())
    assert names == [p.name for p in second]
    for path in second:
        assert path.read_bytes() == (sample_dir / path.name).read_bytes(), path.name


def test_committed_sample_equals_generated(sample_dir: Path) -> None:
    committed = sorted(p.name for p in COMMITTED.iterdir() if p.name != "README.md")
    assert committed == sorted(p.name for p in sample_dir.iterdir())
    for name in committed:
        assert (COMMITTED / name).read_bytes() == (sample_dir / name).read_bytes(), name
    assert (COMMITTED / "README.md").is_file()


def test_sample_is_small(sample_dir: Path) -> None:
    assert sum(p.stat().st_size for p in sample_dir.iterdir()) < 10_000_000


# --- shapes and planted problems ---------------------------------------------------------------


def test_every_kind_is_present(manifest: dict) -> None:
    assert {entry["kind"] for entry in manifest["files"].values()} == KINDS
    assert len(_files_of(manifest, "evaluations")) == 6 and len(_files_of(manifest, "survey")) == 6


def test_dossier_exports_have_a_few_bad_and_duplicate_rows(manifest: dict) -> None:
    for name, entry in _files_of(manifest, "dossiers").items():
        assert 3 <= len(entry["bad_rows"]) <= 8, name
        reasons = {b["reason"] for b in entry["bad_rows"]}
        assert {"missing dossier id", "impossible date", "resolved before received", "unknown channel",
                "date years beyond the file's period"} <= reasons, name
    csv_entry = manifest["files"]["ho_so_dong_bo_2025Q3_2026Q3.csv"]
    assert len(csv_entry["duplicate_rows"]) >= 3
    files_in_dups = {r["file"] for d in manifest["cross_file_duplicates"] for r in d["rows"]}
    assert {"danh_sach_ho_so_2024.xlsx", "danh_sach_ho_so_2025_H1.xls",
            "ho_so_dong_bo_2025Q3_2026Q3.csv"} <= files_in_dups


def test_bad_and_duplicate_rows_are_where_the_manifest_says(sample_dir: Path, manifest: dict) -> None:
    for name, entry in _files_of(manifest, "dossiers").items():
        grid = _grid(sample_dir / name)
        header = grid[entry["layout"][entry["sheet"] or ""]["header"][0] - 1]
        for bad in entry["bad_rows"]:
            cell = grid[bad["row"] - 1][header.index(bad["column"])]
            if isinstance(cell, dt.datetime):
                cell = cell.strftime("%d/%m/%Y %H:%M")
            assert (None if cell is None else str(cell)) == bad["value"], (name, bad)
            id_col = header.index("MaHoSo" if "MaHoSo" in header else "Mã hồ sơ")
            assert grid[bad["row"] - 1][id_col] == bad["dossier_id"], (name, bad)
        for dup in entry["duplicate_rows"]:
            row, first = grid[dup["row"] - 1], grid[dup["first_row"] - 1]
            skip = 0 if "MaHoSo" in header else 1  # the STT column counts on
            assert row[skip:] == first[skip:] and dup["dossier_id"] in row, (name, dup)


def test_mixed_date_styles(sample_dir: Path) -> None:
    excel = pd.read_excel(sample_dir / "danh_sach_ho_so_2022.xlsx", engine="calamine", header=5)
    assert (excel["Ngày tiếp nhận"].map(type) == dt.datetime).mean() > 0.99
    mixed = pd.read_excel(sample_dir / "danh_sach_ho_so_2023.xlsx", engine="calamine", header=5, dtype=str)
    received = mixed["Ngày tiếp nhận"].dropna()
    iso = received.str.match(r"^\d{4}-\d{2}-\d{2} ").mean()
    assert 0.15 < iso < 0.45 and received.str.match(r"^\d{2}/\d{2}/\d{4} ").mean() > 0.5


def test_layout_rows_match(sample_dir: Path, manifest: dict) -> None:
    grid = _grid(sample_dir / "danh_sach_ho_so_2024.xlsx")
    layout = manifest["files"]["danh_sach_ho_so_2024.xlsx"]["layout"]["Danh sách hồ sơ"]
    assert grid[layout["header"][0] - 1][:2] == ["STT", "Mã hồ sơ"]
    total_row = layout["footer"][0]
    assert grid[total_row - 1][0] == f"Tổng số: {manifest['files']['danh_sach_ho_so_2024.xlsx']['rows']} hồ sơ"
    assert "Người lập biểu" in grid[layout["footer"][1][0] - 1]


# --- the story -----------------------------------------------------------------------------------


def test_dossier_volumes_and_online_share(dossiers: pd.DataFrame, manifest: dict) -> None:
    received = dossiers[~dossiers["status"].isin(["registered", "rejected"])]
    year = received["received"].map(lambda t: t.year)
    counts = year.value_counts().sort_index()
    for y in range(2021, 2026):
        assert 3000 <= counts[y] <= 6000, (y, counts[y])
    assert {str(k): int(v) for k, v in counts.items()} == manifest["story"]["dossiers_received"]
    online = (received["channel"] == "online").groupby(year).mean()
    assert list(online.loc[2021:2025]) == sorted(online.loc[2021:2025])
    assert 0.35 < online[2021] < 0.5 and online[2026] > 0.85
    after = received[received["received"] >= pd.Timestamp("2025-07-01")]
    before = received[(received["received"] >= pd.Timestamp("2025-01-01"))
                      & (received["received"] < pd.Timestamp("2025-07-01"))]
    assert 1.25 < len(after[after["received"] < pd.Timestamp("2026-01-01")]) / len(before) < 1.6


def test_api_dump_names_receiving_units_after_the_merger(sample_dir: Path) -> None:
    api = pd.read_csv(sample_dir / "ho_so_dong_bo_2025Q3_2026Q3.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    after = api[api["NgayTiepNhan"] >= "2025-07-01"]
    units = after["DonViTiepNhan"].value_counts()
    assert units.index.str.startswith("Bộ phận một cửa Sở Công Thương (cơ sở").all() and len(units) == 2
    assert (api[api["NgayTiepNhan"].str.startswith("2025-06")]["DonViTiepNhan"] == "").all()
    assert set(api["MucDo"]) == {"", "3", "4"} and set(api["TaiKhoanDuocXacThucVoiVNeID"]) == {"True", "False"}


def test_form06a_totals_and_on_time(sample_dir: Path, manifest: dict) -> None:
    for name, entry in _files_of(manifest, "report06a").items():
        frame = pd.read_excel(sample_dir / name, engine="calamine", header=None)
        values = frame.iloc[:, 2:13]
        total_row = entry["layout"]["06a"]["total"][0] - 1
        rows = [r["row"] - 1 for r in entry["records"]]
        assert list(values.iloc[rows].sum()) == list(values.iloc[total_row]), name
        total = values.iloc[total_row].astype(int).tolist()
        assert total[0] == total[4] + total[8]  # received = resolved + pending
        assert 0.85 <= (total[5] + total[6]) / total[4] <= 0.95, name
        if entry["group_kind"] == "field" and "reports_period" not in entry:  # the yearly forms
            year = entry["period"][0][:4]
            in_period = total[1] + total[2]
            assert abs(in_period - manifest["story"]["dossiers_received"][year]) < 0.03 * in_period


def test_evaluation_satisfaction(sample_dir: Path, manifest: dict) -> None:
    for name, entry in _files_of(manifest, "evaluations").items():
        frame = pd.read_excel(sample_dir / name, engine="calamine", header=3)
        overall = frame["Đánh giá chung"].map(lambda s: unicodedata.normalize("NFC", s).casefold())
        assert set(overall) == {"rất hài lòng", "hài lòng", "không hài lòng"}, name
        share = overall.isin(["rất hài lòng", "hài lòng"]).mean()
        assert 0.84 <= share <= 0.93 and round(share, 4) == entry["satisfaction_share"], name
        assert pd.api.types.is_datetime64_any_dtype(frame["Ngày đánh giá"]), name
        assert frame.filter(like="Tiêu chí").isna().any().any()


def test_survey_comments(sample_dir: Path, manifest: dict) -> None:
    planted = {"multiline": 0, "formula": 0}
    for name, entry in _files_of(manifest, "survey").items():
        frame = pd.read_csv(sample_dir / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert len(frame) == entry["rows"] and frame.columns[0] == "Dấu thời gian"
        comments = frame["Góp ý, kiến nghị (nếu có)"]
        for item in entry["comments_with_numbers"] + entry["comments_formula_like"] + entry["comments_multiline"]:
            assert comments[item["row"] - 2] == item["value"]
        assert entry["comments_with_numbers"]
        planted["multiline"] += len(entry["comments_multiline"])
        planted["formula"] += sum(c["value"][0] in "=+" for c in entry["comments_formula_like"])
    assert planted["multiline"] >= 1 and planted["formula"] >= 2


def test_budget_and_headcount_trend_down(manifest: dict) -> None:
    budget = pd.DataFrame(manifest["files"]["kinh_phi_don_vi_su_nghiep.xlsx"]["records"])
    state = budget[budget["funding"] == "state_budget"].groupby("year")["amount_vnd"].sum()
    assert state[2026] < state[2021] and state[2026] < state.loc[2021:2025].mean() * 0.9
    payroll = pd.DataFrame(manifest["files"]["bien_che.xlsx"]["records"])
    heads = payroll[payroll["funding"] == "state_budget"].groupby("year")["headcount_actual"].sum()
    assert heads[2026] < heads[2025] < heads[2021] and heads[2026] > 0.9 * heads[2025]


def test_text_numbers_in_manual_and_budget_sheets(sample_dir: Path, manifest: dict) -> None:
    for name in ("chi_tieu_nhap_tay.xlsx", "kinh_phi_don_vi_su_nghiep.xlsx"):
        frame = pd.read_excel(sample_dir / name, engine="calamine", header=None, dtype=object)
        cells = manifest["files"][name]["text_number_cells"]
        assert cells
        for row, col in cells:
            value = frame.iat[row - 1, ord(col) - ord("A")]
            assert isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)?", value), (name, row, col)


# --- v2 inputs: catalogue, task register, official window, merged units, QĐ 766 -----------------


def test_catalogue_lists_every_procedure_the_dossiers_use(sample_dir: Path, manifest: dict) -> None:
    entry = manifest["files"]["danh_muc_tthc_so_cong_thuong.xlsx"]
    grid = _grid(sample_dir / "danh_muc_tthc_so_cong_thuong.xlsx")
    codes = {r["procedure_code"] for r in entry["records"]}
    assert 60 <= len(codes) == len(entry["records"]) <= 120
    for r in entry["records"]:
        assert grid[r["row"] - 1][1] == r["procedure_code"]
    api = pd.read_csv(sample_dir / "ho_so_dong_bo_2025Q3_2026Q3.csv", dtype=str, encoding="utf-8-sig")
    assert set(api["MaTTHC"]) <= codes
    internal = [r for r in entry["records"] if r["internal"]]
    assert 5 <= len(internal) < len(codes) and any(not r["published"] for r in internal)
    fee = [r for r in entry["records"] if r["fee_required"] and r["eligible_online"]]
    assert 0 < sum(bool(r["online_payment"]) for r in fee) < len(fee)


def test_catalogue_cleans_to_the_records_of_the_manifest(sample_dir: Path, manifest: dict, tmp_path: Path) -> None:
    from cchc_analysis.ingest.pipeline import clean

    report = clean([sample_dir / "danh_muc_tthc_so_cong_thuong.xlsx"], tmp_path, progress=False)
    assert report.exit_code == 0 and not len(report.quarantine)
    table = pd.read_parquet(tmp_path / "procedures.parquet").set_index("procedure_code")
    for r in manifest["files"]["danh_muc_tthc_so_cong_thuong.xlsx"]["records"]:
        got = table.loc[r["procedure_code"]]
        for key in ("procedure_name", "field", "level", "eligible_online", "fee_required", "online_payment",
                    "on_national_portal", "internal", "published"):
            value = None if pd.isna(got[key]) else got[key]
            assert value == r[key], (r["procedure_code"], key, value, r[key])


def test_task_register_covers_every_area_with_done_late_and_open_tasks(manifest: dict) -> None:
    records = manifest["files"]["nhiem_vu_cchc_2021_2030.xlsx"]["records"]
    assert {r["area"] for r in records} == {"II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III"}
    deadlines = {r["deadline"][:4] for r in records if r["deadline"]}
    assert deadlines == {"2021", "2022", "2023", "2024", "2025", "2026"}
    assert any(r["late"] for r in records)
    assert {r["status"] for r in records} == {"done", "in_progress", "not_started", "cancelled"}
    for r in records:
        if r["late"]:
            assert r["done_at"] > r["deadline"]


def test_task_register_cleans_to_the_records_of_the_manifest(sample_dir: Path, manifest: dict,
                                                              tmp_path: Path) -> None:
    from cchc_analysis.ingest.pipeline import clean

    clean([sample_dir / "nhiem_vu_cchc_2021_2030.xlsx"], tmp_path, progress=False)
    table = pd.read_parquet(tmp_path / "tasks.parquet").set_index("task")
    records = manifest["files"]["nhiem_vu_cchc_2021_2030.xlsx"]["records"]
    assert len(table) == len(records)
    for r in records:
        got = table.loc[r["task"]]
        assert (got["area"], got["lead_unit"], got["status"]) == (r["area"], r["lead_unit"], r["status"])
        assert (None if pd.isna(got["deadline"]) else str(got["deadline"].date())) == r["deadline"]
        assert (None if pd.isna(got["done_at"]) else str(got["done_at"].date())) == r["done_at"]


def test_form06a_with_an_official_window_is_placed_in_its_quarter(sample_dir: Path, tmp_path: Path) -> None:
    from cchc_analysis.ingest.pipeline import clean

    clean([sample_dir / "bao_cao_06a_2026_Q1_ky_chinh_thuc.xlsx"], tmp_path, progress=False)
    frame = pd.read_parquet(tmp_path / "report06a.parquet")
    assert set(frame["period_start"]) == {pd.Timestamp("2025-12-15")}
    assert set(frame["period_end"]) == {pd.Timestamp("2026-03-14")}
    recon = pd.read_csv(tmp_path / "reconciliation.csv", encoding="utf-8-sig")
    assert recon["period"].tolist() == ["2026-Q1"]


def test_merged_unit_dossiers_before_the_merger(sample_dir: Path, manifest: dict) -> None:
    import yaml

    entry = manifest["files"]["ho_so_ninh_thuan_2021_2025H1.xlsx"]
    frame = pd.read_excel(sample_dir / "ho_so_ninh_thuan_2021_2025H1.xlsx", engine="calamine", header=5, dtype=str)
    frame = frame[frame["Mã hồ sơ"].notna()]
    assert len(frame) == entry["rows"]
    received = pd.to_datetime(frame["Ngày tiếp nhận"], format="%d/%m/%Y %H:%M")
    assert received.min() >= pd.Timestamp("2021-01-01") and received.max() < pd.Timestamp("2025-07-01")
    units = yaml.safe_load((Path(__file__).resolve().parents[1] / "cchc_analysis" / "registry" / "units.yaml")
                           .read_text(encoding="utf-8"))
    assert set(frame["Đơn vị tiếp nhận"]) == {entry["unit"]} and entry["unit"] in {m["from"] for m in units["merges"]}
    for year, n in entry["received_by_year"].items():
        assert 500 <= n <= 2000, (year, n)


def test_api_dump_carries_supplement_dates_within_the_dossier_life(sample_dir: Path) -> None:
    api = pd.read_csv(sample_dir / "ho_so_dong_bo_2025Q3_2026Q3.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    asked = api[api["NgayYeuCauBoSung"] != ""]
    assert 0.08 < len(asked) / len(api) < 0.25
    assert (asked["NgayYeuCauBoSung"] >= asked["NgayTiepNhan"]).all()
    done = asked[asked["NgayHoanThanhBoSung"] != ""]
    assert (done["NgayHoanThanhBoSung"] > done["NgayYeuCauBoSung"]).all()
    finished = done[done["NgayKetThucXuLy"] != ""]
    assert (finished["NgayHoanThanhBoSung"] <= finished["NgayKetThucXuLy"]).all()
    assert (api[api["TrangThaiHoSoId"] == "5"]["NgayHoanThanhBoSung"] == "").all()
    assert set(api["HoSoCoThanhPhanSoHoa"]) == {"0", "1"} and set(api["DuocTaiSuDung"]) == {"0", "1"}
    assert (api[api["DuocTaiSuDung"] == "1"]["HoSoCoThanhPhanSoHoa"] == "1").all()


def test_portal_766_months_stay_within_the_group_maxima(sample_dir: Path, manifest: dict) -> None:
    maxima = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}
    files = _files_of(manifest, "portal766")
    assert sorted(e["period"] for e in files.values()) == [f"2025-{m:02d}" for m in range(1, 13)]
    for name in files:
        frame = pd.read_excel(sample_dir / name, engine="calamine")
        assert list(frame.columns) == ["ID", "TEN", "MA_COQUAN", "LOAI_COQUAN", "CAPDONVIID", "TDGQ", "MDHL", "MDSH",
                                       "TTTT", "CLGQ", "CKMB", "TONG_SCORE"]
        assert "Sở Công Thương tỉnh Khánh Hòa" in set(frame["TEN"]) and len(frame) > 1
        for group, top in maxima.items():
            assert frame[group].between(0, top).all(), (name, group)
        assert (frame[list(maxima)].sum(axis=1) - frame["TONG_SCORE"]).abs().max() < 0.011
