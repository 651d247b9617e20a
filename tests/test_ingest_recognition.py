"""Issue #10 (part A): exports recognised by their structure, not by lists grown from the examples.

Labels with qualifiers, unknown labels as vocabulary gaps, headers in the systems' API spellings,
identity and digitisation columns, form 06a anchored by its numbering row, timestamps with offsets
and the portal's compact form, evaluations and surveys in the systems' own shapes. Every figure
expected below is worked out by hand from the rows written in the test.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import DOSSIER_HEADER, dossier_row, dossier_sheet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_analysis import intake
from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.dates import parse_dates
from cchc_analysis.ingest.detect import find_header, synonyms
from cchc_analysis.ingest.labels import map_vocab, match_vocab, read_label
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.ingest.text import fold
from cchc_analysis.quality import vocabulary_gaps
from cchc_analysis.registry import load

pytestmark = pytest.mark.usefixtures("pii_key")


def _run(paths, tmp_path):
    out = tmp_path / "out"
    report = clean(list(paths), out, progress=False)
    assert report.exit_code == 0, report.errors
    tables = {p.stem: pd.read_parquet(p) for p in out.glob("*.parquet")}
    quarantine = pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig", dtype=str)
    recon = pd.read_csv(out / "reconciliation.csv", encoding="utf-8-sig")
    return report, tables, quarantine, recon


# --- labels with qualifiers ---


@pytest.mark.parametrize(("section", "cell", "expected"), [
    ("status", "Đã trả kết quả cho công dân", "returned"),
    ("status", "Đang xử lý (quá hạn)", "in_progress"),
    ("status", "ĐANG XỬ LÝ - QUÁ HẠN", "in_progress"),
    ("status", "Hồ sơ mới tiếp nhận", "in_progress"),  # not "Mới" (registered): the longer label wins
    ("status", "Không được tiếp nhận do thiếu giấy tờ", "rejected"),  # not "Được tiếp nhận"
    ("status", "Chờ trả kết quả", "resolved"),
    ("status", "10 - Đã trả kết quả", "returned"),
    ("channel", "Nộp qua BCCI", "postal"),
    ("channel", "Trực tuyến toàn trình", "online"),
    ("channel", "Trực tiếp tại Bộ phận Một cửa", "in_person"),
    ("service_level", "Trực tuyến toàn trình", "full"),
    ("service_level", "DVC trực tuyến một phần", "partial"),
    ("satisfaction", "Rất không hài lòng", "dissatisfied"),
    ("likert", "4 - Hài lòng", "4"),
    ("likert", "Hài lòng (4)", "4"),
])  # fmt: skip
def test_a_label_with_a_qualifier_lands_where_a_reader_would_put_it(section, cell, expected):
    assert read_label(cell, section).value == expected


def test_labels_that_disagree_are_a_conflict_naming_both_candidates():
    result = match_vocab(pd.Series(["Đã xử lý xong, đã trả kết quả", "Trực tiếp hoặc bưu chính"]), "status")
    assert result.values.isna().all()
    assert "«Đã xử lý xong» (resolved)" in result.conflict[0] and "(returned)" in result.conflict[0]
    assert result.unknown.tolist() == [False, True]  # the second contains no status label at all
    mapped, unknown = map_vocab(pd.Series(["Trực tiếp hoặc bưu chính"]), "channel")
    assert mapped.isna().all() and unknown.all()


def _labels(section: str) -> dict[str, list[str]]:
    entry = load("vocab")[section]
    return {str(k): [str(x) for x in v] for k, v in entry["labels"].items()}


def _all_label_keys(section: str) -> set[str]:
    return {fold(x) for labels in _labels(section).values() for x in labels}


QUALIFIER_WORDS = ["quá hạn", "cho công dân", "ghi chú", "năm 2024", "đợt 1", "theo yêu cầu", "(cũ)", "- hệ thống",
                   "phòng A", "tự động"]


@st.composite
def qualified(draw, section: str):
    """A registered label of ``section`` with qualifier words before and/or after it, in any case."""
    value, labels = draw(st.sampled_from(sorted(_labels(section).items())))
    label = draw(st.sampled_from([x for x in labels if sum(c.isalpha() for c in fold(x)) >= 2]))
    before = draw(st.lists(st.sampled_from(QUALIFIER_WORDS), max_size=1))
    after = draw(st.lists(st.sampled_from(QUALIFIER_WORDS), max_size=2))
    text = " ".join([*before, draw(st.sampled_from([label, label.upper(), label.lower()])), *after])
    form = draw(st.sampled_from(["NFC", "NFD"]))
    return value, label, unicodedata.normalize(form, text)


def _contains_other_label(text: str, label: str, section: str) -> bool:
    """Whether a qualifier brought in another label of the section (then the test makes no claim)."""
    rest = f" {fold(text)} ".replace(f" {fold(label)} ", " | ", 1)
    return any(f" {key} " in rest for key in _all_label_keys(section))


@pytest.mark.parametrize("section", ["status", "channel", "service_level", "satisfaction"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hypothesis_qualified_labels_find_the_same_value(section, data):
    value, label, text = data.draw(qualified(section))
    if _contains_other_label(text, label, section):
        return
    found = read_label(text, section)
    # The label itself may sit inside a longer registered label of another value only if the whole
    # text says so; the qualifier words are no labels, so the label's value must come back.
    assert found.value == read_label(label, section).value == value, (text, found)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_hypothesis_two_labels_of_different_values_are_quarantined_naming_both(data):
    labels = _labels("channel")
    first, second = data.draw(st.lists(st.sampled_from(sorted(labels)), min_size=2, max_size=2, unique=True))
    a = data.draw(st.sampled_from([x for x in labels[first] if len(fold(x)) > 2]))
    b = data.draw(st.sampled_from([x for x in labels[second] if len(fold(x)) > 2]))
    keys = (fold(a), fold(b))
    if keys[0] in keys[1] or keys[1] in keys[0]:
        return
    found = read_label(f"{a} và {b}", "channel")
    assert found.value is None
    assert {c for _, c in found.conflict} == {first, second}


def test_a_conflicting_status_in_a_dossier_list_is_quarantined_naming_both(exports, tmp_path):
    rows = [dossier_row(1), dossier_row(2, status="Đã xử lý xong - Đã trả kết quả"),
            dossier_row(3, status="Đã trả kết quả cho công dân"), dossier_row(4, channel="Nộp qua BCCI")]
    _, tables, quarantine, _ = _run([exports.xlsx("ds.xlsx", {"S": dossier_sheet(rows)})], tmp_path)
    d = tables["dossiers"].set_index("dossier_id")
    assert len(d) == 3
    assert d.loc["000.00.23.H32-240102-0003", "status"] == "returned"
    assert d.loc["000.00.23.H32-240102-0004", "channel"] == "postal"
    (reason,) = quarantine["reason"]
    assert quarantine["row"].tolist() == ["8"] and quarantine["column"].tolist() == ["status"]
    assert "«Đã xử lý xong» (resolved)" in reason and "«Đã trả kết quả» (returned)" in reason


# --- unknown labels are a vocabulary gap ---


def test_unknown_labels_show_one_line_per_label_in_the_summary_and_the_pack(exports, tmp_path):
    rows = [dossier_row(i, channel="Qua Zalo") for i in range(1, 26)]
    rows += [dossier_row(i, channel="Fax") for i in range(26, 29)]
    rows += [dossier_row(i) for i in range(29, 31)]
    report, tables, quarantine, _ = _run([exports.xlsx("ds.xlsx", {"S": dossier_sheet(rows)})], tmp_path)
    assert len(tables["dossiers"]) == 2
    lines = report.summary_lines()
    assert "  - «Qua Zalo»: 25 dòng (vocab.yaml: channel)" in lines
    assert "  - «Fax»: 3 dòng (vocab.yaml: channel)" in lines
    assert not any("28 ×" in line or "25 ×" in line for line in lines)  # not 28 bad rows
    gaps = intake.vocabulary_gaps(intake.read_quarantine(tmp_path / "out"))
    assert gaps.values.tolist() == [["Qua Zalo", 25, "vocab.yaml: channel"], ["Fax", 3, "vocab.yaml: channel"]]
    found = intake.problems(intake.read_reconciliation(tmp_path / "out"), intake.read_quarantine(tmp_path / "out"))
    assert "Nhãn chưa có trong danh mục: «Qua Zalo»: 25 dòng (vocab.yaml: channel)" in found


def test_gaps_of_other_kinds_name_their_registry_key():
    q = pd.DataFrame({"value": ["Tạm được", "Tạm được", "Khá"], "reason": [
        "Câu trả lời đánh giá chung không nhận ra: cần ... (vocab.yaml: satisfaction).",
        "Câu trả lời đánh giá chung không nhận ra: cần ... (vocab.yaml: satisfaction).",
        "Câu trả lời không thuộc thang 5 mức ở câu «Q» (vocab.yaml: likert)."]})
    assert vocabulary_gaps(q).values.tolist() == [["Tạm được", 2, "satisfaction"], ["Khá", 1, "likert"]]


# --- headers in every spelling ---


def _words(label: str) -> list[str]:
    return fold(label).split()


def _spellings(label: str) -> list[str]:
    words = _words(label)
    plain = unicodedata.normalize("NFD", label.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [
        "".join(w.capitalize() for w in words),  # PascalCase
        words[0] + "".join(w.capitalize() for w in words[1:]),  # camelCase
        "_".join(words),  # snake_case
        plain.upper(),  # upper case without diacritics
        label,
    ]


DOSSIER_LABELS = {
    "dossier_id": "Mã hồ sơ", "procedure_name": "Tên thủ tục", "field": "Lĩnh vực", "channel": "Hình thức nộp",
    "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả", "resolved_at": "Ngày có kết quả",
    "status": "Trạng thái hồ sơ", "service_level": "Mức độ", "result_digitized": "Số hóa kết quả",
}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(choice=st.lists(st.integers(0, 4), min_size=len(DOSSIER_LABELS), max_size=len(DOSSIER_LABELS)))
def test_hypothesis_registered_headers_are_found_in_every_api_spelling(choice):
    header = [_spellings(label)[k] for label, k in zip(DOSSIER_LABELS.values(), choice, strict=True)]
    raw = RawSheet(Path("a.csv"), None, [header, ["x"] * len(header)], range(1, 3))
    found = find_header(raw, synonyms("dossiers"))
    assert found is not None and list(found.columns.values()) == list(DOSSIER_LABELS), header


@pytest.mark.parametrize(("header", "expected"), [
    ("NgayTiepNhan", "received_at"), ("trangThaiHoSo", "status"), ("ngay_hen_tra", "due_at"),
    ("NGAY TIEP NHAN", "received_at"), ("NgayTiepNhanHoSo", "received_at"), ("Số hóa", "result_digitized"),
    ("SO HOA", "result_digitized"),
])  # fmt: skip
def test_api_spellings_of_dossier_headers(header, expected):
    raw = RawSheet(Path("a.csv"), None, [["MaHoSo", header], ["H-1", "x"]], range(1, 3))
    assert find_header(raw, synonyms("dossiers")).columns == {0: "dossier_id", 1: expected}


@pytest.mark.parametrize("header", ["Số CCCD/Định danh", "SoDinhDanh", "SoDinhDanhChuHoSo", "CMND/Hộ chiếu",
                                    "so_can_cuoc"])
def test_an_identity_number_column_is_the_source_of_the_applicant_key(header):
    raw = RawSheet(Path("a.csv"), None, [["Mã hồ sơ", "Ngày tiếp nhận", header, "Ngày cấp CCCD"], ["H"] * 4], range(1, 3))
    found = find_header(raw, synonyms("dossiers"))
    assert found.personal == {2: "applicant_id"} and 3 in found.unknown


def _api_dump(rows):
    header = ["MaHoSo", "TenThuTuc", "TenLinhVuc", "KenhThucHien", "MucDo", "NgayTiepNhan", "NgayHenTra",
              "NgayKetThucXuLy", "TrangThaiHoSo", "Số CCCD/Định danh", "Số hóa"]
    return [header, *rows]


def test_identity_and_digitised_columns_of_an_api_dump_reach_the_table(exports, tmp_path):
    rows = [["H-1", "Thủ tục A", "Điện", "2", "4", "20240305081500", "20240312170000", "2024-03-06T09:00:00+07:00",
             "10", "079123456789", "Có"],
            ["H-2", "Thủ tục A", "Điện", "1", "2", "20240306080000", "20240313170000", "2024-03-07T02:00:00Z",
             "10", "79123456789", "Không"]]
    _, tables, quarantine, _ = _run([exports.csv("dump.csv", _api_dump(rows))], tmp_path)
    d = tables["dossiers"].set_index("dossier_id")
    assert quarantine.empty
    assert d["result_digitized"].tolist() == [True, False]
    keys = d["applicant_key"]
    assert keys.notna().all() and keys.iloc[0] == keys.iloc[1]  # the ID that lost its 0 is the same person
    assert d.loc["H-1", "received_at"] == pd.Timestamp("2024-03-05 08:15:00")
    assert d.loc["H-1", "resolved_at"] == pd.Timestamp("2024-03-06 09:00:00")  # +07:00 is local already
    assert d.loc["H-2", "resolved_at"] == pd.Timestamp("2024-03-07 09:00:00")  # 02:00 UTC = 09:00 in Vietnam
    text = "".join(str(v) for v in tables["dossiers"].astype(str).to_numpy().ravel())
    assert "79123456789" not in text


# --- timestamps ---


@pytest.mark.parametrize(("cell", "expected"), [
    ("2024-03-05T08:15:00+07:00", dt.datetime(2024, 3, 5, 8, 15)),
    ("2024-03-05T01:15:00Z", dt.datetime(2024, 3, 5, 8, 15)),
    ("2024-03-04T20:15:00-05:00", dt.datetime(2024, 3, 5, 8, 15)),
    ("2024-03-05T08:15:00.250+0700", dt.datetime(2024, 3, 5, 8, 15, 0, 250000)),
    ("20240305081500", dt.datetime(2024, 3, 5, 8, 15)),
    (20240305081500, dt.datetime(2024, 3, 5, 8, 15)),
    (20240305081500.0, dt.datetime(2024, 3, 5, 8, 15)),
    ("20240305", dt.datetime(2024, 3, 5)),
])  # fmt: skip
def test_timestamps_with_an_offset_or_compact_become_naive_local_time(cell, expected):
    parsed = parse_dates(pd.Series([cell], dtype=object))
    assert parsed.values[0] == pd.Timestamp(expected) and parsed.problems.isna().all()


def test_a_compact_timestamp_that_is_no_date_is_impossible():
    parsed = parse_dates(pd.Series(["20240231081500", "2024023"], dtype=object))
    assert parsed.values.isna().all() and parsed.problems.tolist() == ["impossible", "unreadable"]


# --- form 06a by its structure ---


def _form(header_rows, numbering, body, width=14):
    title = [["BIỂU TỔNG HỢP TÌNH HÌNH GIẢI QUYẾT TTHC"] + [""] * (width - 1),
             ["Kỳ báo cáo: Quý III năm 2025"] + [""] * (width - 1)]
    return [*title, [""] * width, *header_rows, numbering, *body,
            [""] * width, ["", "Người lập biểu"] + [""] * (width - 2)]


def _counts(total_in, online, offline, carried, early, on_time, late, within, overdue):
    return [total_in, online, offline, carried, early + on_time + late, early, on_time, late, within + overdue,
            within, overdue]


def test_a_form_06a_whose_header_reads_differently_still_gives_its_rows(exports, tmp_path):
    header = [["Số TT", "Cơ quan giải quyết", "Hồ sơ nhận", "Trong đó", "", "", "Kết quả", "", "", "",
               "Chưa xong", "", "", "Ghi chú"],
              ["", "", "Cộng", "Số mới tiếp nhận qua mạng", "Số mới tiếp nhận tại quầy", "Số kỳ trước chuyển qua",
               "Cộng", "Sớm", "Kịp", "Chậm", "Cộng", "Còn hạn", "Hết hạn", ""],
              ["", "", "", "", "", "", "", "", "", "", "", "", "", ""]]
    numbering = [f"({i})" for i in range(1, 15)]
    body = [["A", "Cấp tỉnh", *_counts(9, 5, 3, 1, 2, 4, 1, 1, 1), ""],
            ["1", "Sở Công Thương", *_counts(6, 4, 1, 1, 1, 3, 1, 1, 0), "tốt"],
            ["2", "Chi cục Quản lý thị trường", *_counts(3, 1, 2, 0, 1, 1, 0, 0, 1), ""],
            ["", "TỔNG CỘNG", *_counts(9, 5, 3, 1, 2, 4, 1, 1, 1), ""]]
    path = exports.xlsx("06a_q3.xlsx", {"06a": _form(header, numbering, body)})
    _, tables, quarantine, recon = _run([path], tmp_path)
    f = tables["report06a"]
    assert f["group"].tolist() == ["Sở Công Thương", "Chi cục Quản lý thị trường"]
    assert f["received_online"].tolist() == [4, 1] and f["carried_over"].tolist() == [1, 0]
    assert f["resolved_total"].tolist() == [5, 2] and f["pending_overdue"].tolist() == [0, 1]
    assert set(f["group_kind"]) == {"unit"} and f["period_start"].iloc[0] == pd.Timestamp("2025-07-01")
    assert quarantine.empty  # the section and total rows agree with the rows they sum
    assert recon["rows_read"].tolist() == [2] and recon["rows_kept"].tolist() == [2]


def test_a_form_06a_with_plain_numbers_four_header_rows_and_a_wrong_total(exports, tmp_path):
    header = [["TT", "Lĩnh vực", "Tiếp nhận", "", "", "", "Đã giải quyết", "", "", "", "Đang giải quyết", "", ""],
              ["", "", "Tổng", "Trong kỳ", "", "Kỳ trước", "Tổng", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng",
               "Trong hạn", "Quá hạn"],
              ["", "", "", "Trực tuyến", "Trực tiếp, BCCI", "", "", "", "", "", "", "", ""],
              ["", "", "", "(hồ sơ)", "(hồ sơ)", "", "", "", "", "", "", "", ""]]
    numbering = list(range(1, 14))
    body = [["I", "Thương mại", *_counts(7, 4, 2, 1, 1, 3, 1, 2, 0)],
            [1, "Xúc tiến thương mại", *_counts(7, 4, 2, 1, 1, 3, 1, 2, 0)],
            ["", "Tổng cộng", *_counts(8, 4, 3, 1, 1, 3, 1, 2, 0)]]
    path = exports.csv("06a.csv", _form(header, numbering, body, width=13))
    _, tables, quarantine, recon = _run([path], tmp_path)
    f = tables["report06a"]
    assert f["group"].tolist() == ["Xúc tiến thương mại"] and f["section"].tolist() == ["Thương mại"]
    assert set(f["group_kind"]) == {"field"}
    assert recon["rows_read"].tolist() == [1]  # section and total rows are checked, not counted
    bad = quarantine.set_index("column")
    assert set(bad.index) == {"received_total", "received_offline"}  # 8 ≠ 7 and 3 ≠ 2 on the total row
    assert (bad["row"] == str(len(header) + 3 + 1 + 3)).all()


# --- evaluations in the system's own shape ---


def test_evaluations_with_the_systems_field_names_codes_and_labels(exports, tmp_path):
    header = ["MaHoSo", "NgayDanhGia", *[f"ChiSo{i}" for i in range(1, 11)], "ChiSo11"]
    nfd = unicodedata.normalize("NFD", "rất hài lòng")
    rows = [["H-1", "2024-05-02T10:00:00+07:00", *[2] * 9, "Hài lòng", "Rất hài lòng"],
            ["H-2", "03/05/2024", *["2 điểm"] * 9, "Hài lòng", nfd],
            ["H-3", "03/05/2024", *[1] * 9, "Hài lòng", "1"],
            ["H-4", "03/05/2024", *[0] * 9, "Hài lòng", "KHÔNG HÀI LÒNG"],
            ["H-5", "03/05/2024", *[0] * 9, "Hài lòng", 2]]
    _, tables, quarantine, _ = _run([exports.csv("danh_gia.csv", [header, *rows])], tmp_path)
    e = tables["evaluations"]
    assert quarantine.empty
    assert e["overall"].tolist() == ["very_satisfied", "very_satisfied", "satisfied", "dissatisfied", "very_satisfied"]
    assert e["c1"].tolist() == [2, 2, 1, 0, 0] and e["c9"].tolist() == [2, 2, 1, 0, 0]
    assert e["dossier_id"].tolist() == ["H-1", "H-2", "H-3", "H-4", "H-5"]


def test_criteria_headers_in_the_official_wording():
    header = ["Mã hồ sơ", "Chỉ số 3: Số lần phải liên hệ với nơi tiếp nhận hồ sơ", "TIEU_CHI_07", "Điểm TC 9",
              "Đánh giá tổng thể dịch vụ"]
    raw = RawSheet(Path("a.csv"), None, [header, ["x"] * 5], range(1, 3))
    assert find_header(raw, synonyms("evaluations")).columns == {0: "dossier_id", 1: "c3", 2: "c7", 3: "c9",
                                                                    4: "overall"}


# --- surveys with aspect headings ---


def test_survey_questions_under_aspect_headings_with_answers_as_number_label_or_both(exports, tmp_path):
    rows = [["PHIẾU KHẢO SÁT SỰ HÀI LÒNG", "", "", "", "", "", ""],
            ["Dấu thời gian", "I. TIẾP CẬN DỊCH VỤ", "", "II. THỦ TỤC HÀNH CHÍNH", "III. CÔNG CHỨC", "Đánh giá chung",
             "Góp ý"],
            ["", "1. Nơi tiếp nhận dễ tìm", "2. Có đủ chỗ ngồi", "3. Thủ tục được niêm yết", "4. Công chức lịch sự", "",
             ""],
            ["05/03/2024 08:00", "4 - Hài lòng", "5", "Rất hài lòng", "3 - Bình thường", "Hài lòng", ""],
            ["06/03/2024 09:00", "2", "Không hài lòng", "4", "5 - Rất hài lòng", "4", "Nhanh"]]
    _, tables, quarantine, _ = _run([exports.csv("khao_sat.csv", rows)], tmp_path)
    r = tables["survey_responses"]
    assert quarantine.empty
    assert r["aspect"].value_counts().to_dict() == {"access": 4, "procedure": 2, "staff": 2, "overall": 2}
    assert r.groupby("aspect")["score"].sum().to_dict() == {"access": 4 + 5 + 2 + 2, "procedure": 5 + 4,
                                                            "staff": 3 + 5, "overall": 4 + 4}
    assert "1. Nơi tiếp nhận dễ tìm" in set(r["question"])


# --- issue #11: ingest checks ---


@pytest.mark.parametrize(("column", "kwargs"), [
    ("due_at", {"due": "31/02/2024"}), ("due_at", {"due": "sáng mai"}),
    ("resolved_at", {"resolved": "30/02/2024 10:00"}), ("resolved_at", {"resolved": "chưa rõ"}),
])  # fmt: skip
def test_an_impossible_or_unreadable_due_or_resolution_date_is_quarantined_naming_its_column(
        exports, tmp_path, column, kwargs):
    rows = [dossier_row(1), dossier_row(2, **kwargs)]
    _, tables, quarantine, _ = _run([exports.xlsx("ds.xlsx", {"S": dossier_sheet(rows)})], tmp_path)
    assert len(tables["dossiers"]) == 1  # never kept with a blank date (which would count it on time)
    assert quarantine["column"].tolist() == [column] and quarantine["row"].tolist() == ["8"]


def test_a_later_resolution_wins_even_when_its_row_has_the_earlier_reception(exports, tmp_path):
    first = dossier_row(1, dossier_id="H-9", received="03/01/2024 08:00", resolved="05/01/2024 10:00")
    second = dossier_row(2, dossier_id="H-9", received="02/01/2024 08:00", resolved="08/01/2024 10:00")
    _, tables, _, recon = _run([exports.xlsx("ds.xlsx", {"S": dossier_sheet([first, second])})], tmp_path)
    (kept,) = tables["dossiers"].to_dict("records")
    assert kept["resolved_at"] == pd.Timestamp("2024-01-08 10:00") and kept["source"].endswith(":8")
    assert recon["rows_duplicate"].tolist() == [1]


def test_the_key_file_is_used_when_the_environment_variable_is_unset(exports, tmp_path, monkeypatch):
    monkeypatch.delenv("CCHC_PII_KEY", raising=False)
    home = tmp_path / "home"
    (home / ".config" / "cchc").mkdir(parents=True)
    (home / ".config" / "cchc" / "pii.key").write_text("a-file-secret\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    path = exports.xlsx("ds.xlsx", {"S": dossier_sheet([dossier_row(1)])})
    keys = []
    for run in ("a", "b"):
        report = clean([path], tmp_path / run, progress=False)
        assert not any("khóa" in w for w in report.warnings)  # no random key: the file was read
        keys.append(pd.read_parquet(tmp_path / run / "dossiers.parquet")["applicant_key"][0])
    assert keys[0] == keys[1]
    from cchc_analysis.ingest.privacy import _hmac_hex

    assert keys[0] == _hmac_hex(b"a-file-secret", ["id:079061887668"])[0]


def test_phones_and_id_cells_in_any_form_give_one_applicant_key(exports, tmp_path):
    header = ["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Hình thức nộp", "Ngày tiếp nhận", "Trạng thái",
              "Chủ hồ sơ", "Số điện thoại", "Số CCCD"]
    base = ["Thủ tục A", "Điện", "Trực tuyến", "02/01/2024", "Đã trả kết quả"]
    rows = [["H-1", *base, "Lê Văn An", "+84 974 275 701", ""],
            ["H-2", *base, "LÊ VĂN AN", "0974275701", ""],
            ["H-3", *base, "Lê Văn An", 974275701, ""],
            ["H-4", *base, "Bùi Thị B", "", 79123456789],
            ["H-5", *base, "Bùi Thị B", "", "079123456789"],
            ["H-6", *base, "Bùi Thị B", "", "79123456789"]]
    _, tables, _, _ = _run([exports.xlsx("ds.xlsx", {"S": [header, *rows]})], tmp_path)
    keys = tables["dossiers"].set_index("dossier_id")["applicant_key"]
    assert keys[["H-1", "H-2", "H-3"]].nunique() == 1 and keys[["H-4", "H-5", "H-6"]].nunique() == 1
    assert keys["H-1"] != keys["H-4"]


def test_reconciliation_counts_kept_rows_that_are_in_the_written_tables(exports, tmp_path):
    rows = [dossier_row(i) for i in range(1, 6)]
    rows += [dossier_row(6, channel="Qua Zalo"), dossier_row(7, dossier_id="000.00.23.H32-240102-0001"),
             dossier_row(8, dossier_id="000.00.23.H32-240102-0003")]
    second = [dossier_row(9), dossier_row(10, dossier_id="000.00.23.H32-240102-0002")]
    paths = [exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)}), exports.csv("b.csv", [DOSSIER_HEADER, *second])]
    _, tables, _, recon = _run(paths, tmp_path)
    written = tables["dossiers"]["source"].str.extract(r"^([^#:]+)")[0].value_counts()
    # a.xlsx: 8 read, 1 quarantined (channel), 2 duplicates (rows 13, 14 repeat H-0001, H-0003) -> 5 kept;
    # b.csv: 2 read, 1 duplicate of a.xlsx's H-0002 -> 1 kept.
    by_file = recon.set_index("file")
    assert by_file.loc["a.xlsx", "rows_kept"] == written["a.xlsx"] == 5
    assert by_file.loc["b.csv", "rows_kept"] == written["b.csv"] == 1
    assert (by_file["rows_read"] == by_file["rows_kept"] + by_file["rows_quarantined"]
            + by_file["rows_duplicate"]).all()
    assert re.fullmatch(r"\d+", str(by_file.loc["a.xlsx", "rows_quarantined"]))


def test_survey_headings_in_no_known_wording_are_placed_in_the_sipas_order(exports, tmp_path):
    parts = [f"Phần {i}" for i in range(1, 6)]
    rows = [["KẾT QUẢ KHẢO SÁT", *[""] * 12],
            ["Dấu thời gian", parts[0], "", parts[1], "", parts[2], "", parts[3], "", parts[4], "", "Đánh giá chung",
             "Góp ý"],
            ["", *[f"Câu {i}" for i in range(1, 11)], "", ""],
            ["05/03/2024 08:00", "4", "5", "3", "4", "5", "5", "4", "4", "2", "3", "4", "ok"]]
    _, tables, quarantine, _ = _run([exports.csv("ks.csv", rows)], tmp_path)
    r = tables["survey_responses"]
    assert quarantine.empty
    assert r.groupby("aspect")["score"].sum().to_dict() == {
        "access": 9, "procedure": 7, "staff": 10, "result": 8, "feedback": 5, "overall": 4}


def test_headings_that_contradict_the_sipas_order_are_read_by_their_words(exports, tmp_path):
    headings = ["Công chức", "Tiếp cận dịch vụ", "Thủ tục hành chính", "Kết quả", "Phần 5"]
    rows = [["Dấu thời gian", headings[0], "", headings[1], "", headings[2], "", headings[3], "", headings[4], ""],
            ["", *[f"Câu {i}" for i in range(1, 11)]],
            ["05/03/2024 08:00", "5", "5", "1", "1", "2", "2", "3", "3", "4", "4"]]
    _, tables, _, _ = _run([exports.csv("ks.csv", rows)], tmp_path)
    sums = tables["survey_responses"].groupby("aspect")["score"].sum().to_dict()
    assert sums == {"staff": 10, "access": 2, "procedure": 4, "result": 6}  # "Phần 5" is not guessed


@pytest.mark.parametrize("wording", [("Trong đó", "Từ kỳ trước"), ("Trong kỳ", "Kỳ trước"),
                                     ("Số mới tiếp nhận", "Số kỳ trước chuyển qua")])
def test_form_06a_reception_wordings_without_a_numbering_row(wording):
    within, before = wording
    rows = [["TT", "Lĩnh vực", "Tiếp nhận", "", "", "", "Đã giải quyết", "", "", "", "Đang giải quyết", "", ""],
            ["", "", "Tổng số", within, "", before, "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số",
             "Trong hạn", "Quá hạn"],
            ["", "", "", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "", "", "", "", "", "", "", ""],
            [1, "Điện", 3, 1, 1, 1, 2, 1, 1, 0, 1, 1, 0]]
    from cchc_analysis.ingest.report06a import locate

    raw = RawSheet(Path("f.csv"), None, rows, range(1, 5))
    columns = locate(raw, synonyms("report06a")).columns
    assert columns[3] == "received_online" and columns[4] == "received_offline" and columns[5] == "carried_over"


@settings(max_examples=80, deadline=None)
@given(number=st.integers(1, 9), prefix=st.sampled_from(["Tiêu chí ", "TieuChi", "TIEU_CHI_", "tieuChi", "Chỉ số ",
                                                         "ChiSo", "CHI SO ", "TC", "Tiêu chí số ", "Điểm tiêu chí "]),
       pad=st.booleans(), suffix=st.sampled_from(["", ": Thời gian giải quyết", " (điểm)"]))
def test_hypothesis_numbered_criteria_in_every_spelling(number, prefix, pad, suffix):
    header = ["MaHoSo", "NgayDanhGia", f"{prefix}{number:02d}{suffix}" if pad else f"{prefix}{number}{suffix}",
              "DanhGiaChung"]
    raw = RawSheet(Path("a.csv"), None, [header, ["x"] * 4], range(1, 3))
    found = find_header(raw, synonyms("evaluations"))
    assert found.columns == {0: "dossier_id", 1: "evaluated_at", 2: f"c{number}", 3: "overall"}, header
