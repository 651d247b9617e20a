"""Typed values: dates with explicit formats (never month first), codes and labels, flags, IDs as text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_analysis.ingest.dates import parse_dates, period_from_title
from cchc_analysis.ingest.labels import map_flags, map_vocab
from cchc_analysis.ingest.numbers import as_int, as_text


def _dates(*cells):
    parsed = parse_dates(pd.Series(list(cells), dtype=object))
    return parsed.values.tolist(), parsed.problems.fillna("").tolist()


@pytest.mark.parametrize(("cell", "expected"), [
    ("02/03/2024", dt.datetime(2024, 3, 2)),
    ("2/3/2024", dt.datetime(2024, 3, 2)),
    ("02/03/2024 07:41", dt.datetime(2024, 3, 2, 7, 41)),
    ("02/03/2024 07:41:09", dt.datetime(2024, 3, 2, 7, 41, 9)),
    ("02-03-2024", dt.datetime(2024, 3, 2)),
    ("02.03.2024", dt.datetime(2024, 3, 2)),
    ("2024-03-02", dt.datetime(2024, 3, 2)),
    ("2024-03-02 07:41:09", dt.datetime(2024, 3, 2, 7, 41, 9)),
    ("2024-03-02T07:41:09", dt.datetime(2024, 3, 2, 7, 41, 9)),
    ("2024-03-02T00:41:09Z", dt.datetime(2024, 3, 2, 7, 41, 9)),  # UTC → Vietnam time
    ("2024-03-02T07:41:09+07:00", dt.datetime(2024, 3, 2, 7, 41, 9)),
    (" 02/03/2024 ", dt.datetime(2024, 3, 2)),
    (45353.0, dt.datetime(2024, 3, 2)),  # Excel serial number
    (45353.5, dt.datetime(2024, 3, 2, 12)),
    ("45353", dt.datetime(2024, 3, 2)),
    (dt.datetime(2024, 3, 2, 7, 41), dt.datetime(2024, 3, 2, 7, 41)),  # a real date cell
    (dt.date(2024, 3, 2), dt.datetime(2024, 3, 2)),
])  # fmt: skip
def test_each_date_form_is_read_with_its_explicit_format(cell, expected):
    values, problems = _dates(cell)
    assert values == [pd.Timestamp(expected)] and problems == [""]


def test_an_ambiguous_date_is_always_day_first():
    values, _ = _dates("02/03/2024", "03/02/2024", "12/01/2024")
    assert [v.month for v in values] == [3, 2, 1]


@pytest.mark.parametrize("cell", ["31/02/2024", "29/02/2023", "12/31/2024", "2024-02-30", "32/01/2024"])
def test_impossible_dates_are_reported_not_rolled_over(cell):
    values, problems = _dates(cell)
    assert pd.isna(values[0]) and problems == ["impossible"]


@pytest.mark.parametrize("cell", ["hôm qua", "2024", "02/03/24", "3.0", True, 5.0])
def test_unreadable_dates_are_reported(cell):
    values, problems = _dates(cell)
    assert pd.isna(values[0]) and problems == ["unreadable"]


def test_blank_dates_are_null_without_problem():
    values, problems = _dates(None, None)
    assert all(pd.isna(v) for v in values) and problems == ["", ""]


@settings(max_examples=80, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 12, 31)).map(
    lambda d: d.replace(microsecond=0)), st.sampled_from(["%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S"]))
def test_any_date_written_day_first_or_iso_reads_back(moment, fmt):
    values, problems = _dates(moment.strftime(fmt))
    assert values == [pd.Timestamp(moment)] and problems == [""]


def test_ids_stay_text():
    assert as_text(pd.Series(["00123", 123.0, 7, None, "000.00.23.H32-240102-0001"], dtype=object)).tolist() == [
        "00123", "123", "7", pd.NA, "000.00.23.H32-240102-0001"]


@pytest.mark.parametrize(("section", "cells", "expected"), [
    ("channel", ["Trực tuyến", "TRỰC TIẾP", "dich vu buu chinh cong ich", 1.0, "2", "3"],
     ["online", "in_person", "postal", "in_person", "online", "postal"]),
    ("status", ["Đã trả kết quả", "đã xử lý xong", "10", 9.0, "3", "Yêu cầu bổ sung", "Mới đăng ký"],
     ["returned", "resolved", "returned", "resolved", "rejected", "supplement", "registered"]),
    ("service_level", ["Toàn trình", "Mức độ 3", "4", "2"], ["full", "partial", "full", "none"]),
])  # fmt: skip
def test_labels_and_codes_map_through_the_vocabulary(section, cells, expected):
    mapped, unknown = map_vocab(pd.Series(cells, dtype=object), section)
    assert mapped.tolist() == expected and not unknown.any()


def test_unknown_labels_and_codes_are_flagged():
    mapped, unknown = map_vocab(pd.Series(["Fax", "7", None], dtype=object), "channel")
    assert mapped.isna().all() and unknown.tolist() == [True, True, False]


@pytest.mark.parametrize(("cell", "expected"), [
    ("Có", True), ("không", False), ("x", True), ("X", True), ("1", True), (0.0, False), (1, True),
    (True, True), ("False", False), ("TRUE", True), (None, None),
])  # fmt: skip
def test_flags(cell, expected):
    flags, unknown = map_flags(pd.Series([cell], dtype=object))
    assert (None if pd.isna(flags[0]) else bool(flags[0])) == expected and not unknown.any()


def test_unknown_flag_is_null_and_flagged():
    flags, unknown = map_flags(pd.Series(["có lẽ"], dtype=object))
    assert pd.isna(flags[0]) and unknown.tolist() == [True]


def test_whole_numbers_from_cells_and_vietnamese_text():
    numbers, bad = as_int(pd.Series([12.0, "1.234", "1,234", "", None, "x", 2.5], dtype=object), blank=0)
    assert numbers.tolist()[:5] == [12, 1234, 1234, 0, 0] and bad.tolist() == [False] * 5 + [True, True]


@pytest.mark.parametrize("text", ["12,5", "12.5", "1.234,5", "1,234.5", "1,2", "12,50", "12.", "1.234,567", "1.23.456"])
def test_a_count_with_a_decimal_mark_is_no_whole_number(text):
    numbers, bad = as_int(pd.Series([text], dtype=object), blank=0)
    assert bad.tolist() == [True] and pd.isna(numbers[0])  # never 125 for "12,5"


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234.567", 1234567), ("1,234,567", 1234567), ("1 234", 1234), ("-1.234", -1234), ("0", 0), ("007", 7),
])  # fmt: skip
def test_a_count_with_thousands_marks_is_read(text, expected):
    numbers, bad = as_int(pd.Series([text], dtype=object), blank=0)
    assert numbers.tolist() == [expected] and bad.tolist() == [False]


@pytest.mark.parametrize(("lines", "expected"), [
    (["Từ ngày 01/01/2024 đến ngày 31/12/2024"], ("2024-01-01", "2024-12-31")),
    (["Kỳ báo cáo: Quý III năm 2025"], ("2025-07-01", "2025-09-30")),
    (["QUÝ 4/2024"], ("2024-10-01", "2024-12-31")),
    (["Báo cáo 6 tháng đầu năm 2025"], ("2025-01-01", "2025-06-30")),
    (["Tháng 02 năm 2024"], ("2024-02-01", "2024-02-29")),
    (["Kỳ báo cáo: Năm 2023"], ("2023-01-01", "2023-12-31")),
])  # fmt: skip
def test_reporting_periods_from_title_lines(lines, expected):
    start, end = period_from_title(lines)
    assert (start.isoformat(), end.isoformat()) == expected


def test_no_period_in_title():
    assert period_from_title(["DANH SÁCH HỒ SƠ"]) is None
