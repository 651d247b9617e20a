"""Kinds ``evaluations`` and ``survey``: sheets and files made by code."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from cchc_analysis.indicators import satisfaction_counts
from cchc_analysis.ingest.kit import MASK, free_text, mask_contacts
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.ingest.surveys import question_aspect
from cchc_analysis.io import FORMULA_PREFIXES
from cchc_analysis.quality import quarantine_frame

EVAL_HEADER = ["STT", "Mã hồ sơ", "Ngày đánh giá", *[f"Tiêu chí {i}" for i in range(1, 10)], "Đánh giá chung"]
NFD = unicodedata.normalize("NFD", "HÀI LÒNG")


def evaluation(n: int, overall: object, when: object = None, criteria: list | None = None, dossier: str | None = None):
    when = dt.datetime(2024, 3, n % 28 + 1, 9, 30) if when is None else when
    return [n, dossier or f"H-{n:04d}", when, *(criteria or [2] * 9), overall]


def evaluation_rows(*rows: list) -> list[list]:
    return [["KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG NĂM 2024", *[""] * 12], [""] * 13, EVAL_HEADER, *rows]


# --- evaluations ---


def test_overall_answers_in_any_case_unicode_form_or_code(sheet_table, clean_kind):
    answers = ["Rất Hài Lòng", "RẤT HÀI LÒNG", NFD, "hài lòng", 2.0, "1", 0, "Không Hài Lòng", "  KHÔNG HÀI LÒNG "]
    table = sheet_table("evaluations", evaluation_rows(*[evaluation(i, a) for i, a in enumerate(answers, 1)]))
    result = clean_kind("evaluations", [table])
    assert result.tables["evaluations"]["overall"].tolist() == [
        "very_satisfied", "very_satisfied", "satisfied", "satisfied", "very_satisfied", "satisfied",
        "dissatisfied", "dissatisfied", "dissatisfied"]
    assert result.counts[0].rows_kept == len(answers)


def test_missing_overall_answer_is_quarantined_never_dissatisfied(sheet_table, clean_kind):
    rows = [evaluation(1, "Hài lòng"), evaluation(2, None), evaluation(3, ""), evaluation(4, "Không hài lòng")]
    result = clean_kind("evaluations", [sheet_table("evaluations", evaluation_rows(*rows))])
    table = result.tables["evaluations"]
    assert table["overall"].tolist() == ["satisfied", "dissatisfied"]  # two answers: one satisfied of two
    q = quarantine_frame(result.quarantine)
    assert q["row"].tolist() == [5, 6] and set(q["column"]) == {"overall"}
    assert q["reason"].str.contains("không tính là không hài lòng").all()
    c = result.counts[0]
    assert (c.rows_read, c.rows_kept, c.rows_quarantined) == (4, 2, 2)
    year = satisfaction_counts(table).set_index("period").loc["2024"]
    assert (year["numerator"], year["denominator"]) == (1, 2)  # not 1 of 4, not 1 of 3


def test_unknown_overall_and_out_of_scale_criterion_are_quarantined(sheet_table, clean_kind):
    rows = [evaluation(1, "Tạm được"), evaluation(2, "Hài lòng", criteria=[2, 5, *[1] * 7]),
            evaluation(3, "Hài lòng", criteria=[None, "Rất hài lòng", 0, *[1] * 6])]
    result = clean_kind("evaluations", [sheet_table("evaluations", evaluation_rows(*rows))])
    q = quarantine_frame(result.quarantine)
    assert q[["row", "column"]].values.tolist() == [[4, "overall"], [5, "c2"]]
    kept = result.tables["evaluations"].iloc[0]
    assert pd.isna(kept["c1"]) and (kept["c2"], kept["c3"], kept["c4"]) == (2, 0, 1)


def test_text_dates_are_day_first_and_impossible_dates_quarantined(sheet_table, clean_kind):
    rows = [evaluation(1, "Hài lòng", when="05/03/2024 10:00"), evaluation(2, "Hài lòng", when="31/02/2024"),
            evaluation(3, "Hài lòng", when="")]
    result = clean_kind("evaluations", [sheet_table("evaluations", evaluation_rows(*rows))])
    assert result.tables["evaluations"]["evaluated_at"].tolist() == [pd.Timestamp("2024-03-05 10:00")]
    reasons = quarantine_frame(result.quarantine)["reason"].tolist()
    assert "có thật" in reasons[0] and reasons[1] == "Thiếu ngày đánh giá."


def test_ids_link_to_dossiers_and_repeated_evaluations_are_duplicates(sheet_table, clean_kind):
    rows = evaluation_rows(evaluation(1, "Hài lòng", dossier="000.00.23.H32-240103-0001"), evaluation(2, "Hài lòng"))
    first = sheet_table("evaluations", rows, file="a.xlsx")
    again = sheet_table("evaluations", rows, file="b.xlsx")  # the same export saved twice
    result = clean_kind("evaluations", [first, again])
    table = result.tables["evaluations"]
    assert table["dossier_id"].tolist() == ["000.00.23.H32-240103-0001", "H-0002"]
    assert table["evaluation_id"].tolist() == ["a.xlsx#S:4", "a.xlsx#S:5"]  # no id column: the row's place
    assert [c.rows_duplicate for c in result.counts] == [0, 2]


# --- surveys ---

SURVEY_HEADER = ["Dấu thời gian", "Giới tính", "Độ tuổi", "Số điện thoại",
                 "[Tiếp cận dịch vụ] Nơi tiếp nhận hồ sơ dễ tìm", "[Thủ tục hành chính] Thủ tục được niêm yết",
                 "[Công chức giải quyết công việc] Công chức lịch sự", "[Kết quả dịch vụ] Đúng hẹn",
                 "[Tiếp nhận góp ý phản ánh] Góp ý được xử lý", "Nhìn chung, Ông/Bà hài lòng ở mức độ nào?",
                 "Góp ý, kiến nghị (nếu có)"]


def respondent(when: str, answers: list, comment: str = "", phone: str = "0912345678") -> list:
    return [when, "Nữ", "25 - 40", phone, *answers, comment]


def test_questions_are_found_by_the_aspect_in_brackets(sheet_table):
    table = sheet_table("survey", [SURVEY_HEADER, respondent("01/10/2024 15:28:46", ["Hài lòng"] * 6)])
    names = table.header.columns
    aspects = sorted(n.split("|")[0] for n in names.values() if "|" in n)
    assert aspects == ["access", "feedback", "overall", "procedure", "result", "staff"]
    assert table.header.personal == {3: "applicant_phone"}
    assert question_aspect("[Khía cạnh lạ] Câu hỏi") is None


def test_answers_become_scores_and_blank_answers_are_no_answers(sheet_table, clean_kind):
    answers = ["Rất hài lòng", unicodedata.normalize("NFD", "Rất không hài lòng"), "", "BÌNH THƯỜNG", 4, "2"]
    result = clean_kind("survey", [sheet_table("survey", [SURVEY_HEADER, respondent("01/10/2024 15:28:46", answers)],
                                               file="k.csv", sheet=None)])
    responses = result.tables["survey_responses"]
    assert dict(zip(responses["aspect"], responses["score"], strict=True)) == {
        "access": 5, "procedure": 1, "result": 3, "feedback": 4, "overall": 2}
    assert responses.loc[responses["aspect"] == "access", "question"].item() == "Nơi tiếp nhận hồ sơ dễ tìm"
    assert responses["source"].unique().tolist() == ["k.csv:2"]
    assert responses["submitted_at"].unique().tolist() == [pd.Timestamp("2024-10-01 15:28:46")]
    assert re.fullmatch(r"KS-[0-9a-f]{16}", responses["respondent_id"].iloc[0])


def test_unknown_answer_or_missing_timestamp_quarantines_the_respondent(sheet_table, clean_kind):
    rows = [SURVEY_HEADER, respondent("01/10/2024 08:00:00", ["Tạm được", *["Hài lòng"] * 5]),
            respondent("", ["Hài lòng"] * 6), respondent("02/10/2024 08:00:00", [""] * 6),
            respondent("03/10/2024 08:00:00", ["Hài lòng"] * 6)]
    result = clean_kind("survey", [sheet_table("survey", rows)])
    q = quarantine_frame(result.quarantine)
    assert q["row"].tolist() == [2, 3, 4]
    assert "thang 5 mức" in q["reason"][0] and "Thiếu thời gian" in q["reason"][1]
    assert q["reason"][2] == "Phiếu không có câu trả lời nào."
    assert (result.counts[0].rows_read, result.counts[0].rows_kept) == (4, 1)


@pytest.mark.parametrize("comment", ["=HYPERLINK(\"http://x\",\"y\")", "+84 nhanh", "- Thủ tục nhanh", "@everyone",
                                     "\tthụt lề", "\r\n=1+1"])
def test_comments_starting_like_formulas_are_stored_as_text(sheet_table, clean_kind, comment):
    rows = [SURVEY_HEADER, respondent("01/10/2024 08:00:00", ["Hài lòng"] * 6, comment=comment)]
    stored = clean_kind("survey", [sheet_table("survey", rows)]).tables["survey_comments"]["comment"].item()
    assert not stored.startswith(FORMULA_PREFIXES)  # leading tabs and line breaks are trimmed, the rest escaped
    assert stored == "'" + comment.strip() if comment.strip()[0] in "=+-@" else stored == comment.strip()


def test_comments_mask_phones_and_ids_and_personal_columns_never_reach_a_table(sheet_table, clean_kind):
    comment = "Liên hệ 0935 598 336 hoặc 0568.002.201, CCCD 001089189405, mail an.nguyen@gmail.com ngày 30/6/2025"
    rows = [SURVEY_HEADER, respondent("01/10/2024 08:00:00", ["Hài lòng"] * 6, comment=comment, phone="0987654321")]
    result = clean_kind("survey", [sheet_table("survey", rows)])
    text = " ".join(t.to_csv() for t in result.tables.values())
    for secret in ("0935 598 336", "0568.002.201", "001089189405", "an.nguyen@gmail.com", "0987654321", "Nữ"):
        assert secret not in text
    assert result.tables["survey_comments"]["comment"].item() == (
        f"Liên hệ {MASK} hoặc {MASK}, CCCD {MASK}, mail {MASK} ngày 30/6/2025")


def test_the_same_form_exported_twice_counts_its_respondents_once(sheet_table, clean_kind):
    rows = [SURVEY_HEADER, respondent("01/10/2024 08:00:00", ["Hài lòng"] * 6, comment="Tốt"),
            respondent("01/10/2024 09:00:00", ["Bình thường"] * 6)]
    later = [*rows, respondent("02/10/2024 10:00:00", ["Rất hài lòng"] * 6)]
    result = clean_kind("survey", [sheet_table("survey", rows, file="a.csv", sheet=None),
                                   sheet_table("survey", later, file="b.csv", sheet=None)])
    assert [(c.rows_read, c.rows_kept, c.rows_duplicate) for c in result.counts] == [(2, 2, 0), (3, 1, 2)]
    assert result.tables["survey_responses"]["respondent_id"].nunique() == 3
    assert len(result.tables["survey_comments"]) == 1


@given(st.lists(st.integers(0, 9), min_size=9, max_size=12), st.sampled_from(["", " ", ".", "-"]),
       st.sampled_from(["SĐT ", "CCCD: ", "gọi ", ""]))
def test_any_phone_or_id_like_run_is_masked(digits, sep, prefix):
    text = prefix + sep.join(str(d) for d in digits) + " nhé"
    masked = mask_contacts(text)
    assert MASK in masked and not re.search(r"\d(?:[\s.-]?\d){8,}", masked)


def test_free_text_keeps_short_numbers_and_dates():
    assert free_text(pd.Series(["Nộp 2 lần, hẹn 30/6/2025, phí 500.000 đồng"])).item() == \
        "Nộp 2 lần, hẹn 30/6/2025, phí 500.000 đồng"


# --- through the pipeline, from files ---


def test_files_made_by_code_go_through_cchc_clean(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    book = xlsxwriter.Workbook(raw / "danh_gia.xlsx")
    ws = book.add_worksheet("Đánh giá")
    date_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    ws.merge_range(0, 0, 0, 12, "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG")
    ws.write_row(2, 0, EVAL_HEADER)
    for i, answer in enumerate(["Rất hài lòng", "HÀI LÒNG", "", "0"], start=1):
        ws.write_row(2 + i, 0, [i, f"H-{i}"])
        ws.write_datetime(2 + i, 2, dt.datetime(2024, 5, i, 8), date_format)
        ws.write_row(2 + i, 3, [2, 1, 2, 2, 2, 2, 2, 2, 2, answer])
    book.close()
    with (raw / "khao_sat.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SURVEY_HEADER)
        writer.writerow(respondent("01/10/2024 15:28:46", ["Hài lòng"] * 6, comment="=1+1 gọi 0912 345 678"))
        writer.writerow(respondent("02/10/2024 15:28:46", ["Rất hài lòng", "", "Hài lòng", "Hài lòng", "", "Tốt"]))
    report = clean([raw], tmp_path / "out", progress=False)
    assert report.errors == []
    recon = pd.read_csv(tmp_path / "out" / "reconciliation.csv", encoding="utf-8-sig")
    assert recon[["kind", "rows_read", "rows_kept", "rows_quarantined"]].values.tolist() == [
        ["evaluations", 4, 3, 1], ["survey", 2, 2, 0]]
    evaluations = pd.read_parquet(tmp_path / "out" / "evaluations.parquet")
    assert evaluations["overall"].tolist() == ["very_satisfied", "satisfied", "dissatisfied"]
    assert len(pd.read_parquet(tmp_path / "out" / "survey_responses.parquet")) == 10
    comments = pd.read_parquet(tmp_path / "out" / "survey_comments.parquet")
    assert comments["comment"].tolist() == [f"'=1+1 gọi {MASK}"]
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv", encoding="utf-8-sig")
    assert quarantine[["file", "row", "column"]].values.tolist() == [["danh_gia.xlsx", 6, "overall"]]
