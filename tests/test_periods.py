"""The Period type: bounds, months, labels, windows and official reporting windows, worked by hand."""

from datetime import date, datetime

import pandas as pd
import pytest

from cchc_analysis.periods import Period, PeriodError, periods_of_year

BOUNDS = [
    ("2024", date(2024, 1, 1), date(2024, 12, 31), "year"),
    ("2024-H1", date(2024, 1, 1), date(2024, 6, 30), "half"),
    ("2024-H2", date(2024, 7, 1), date(2024, 12, 31), "half"),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), "quarter"),
    ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30), "quarter"),
    ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31), "quarter"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),  # leap year
    ("2023-02", date(2023, 2, 1), date(2023, 2, 28), "month"),
    ("2024-12", date(2024, 12, 1), date(2024, 12, 31), "month"),
    ("2021-2025", date(2021, 1, 1), date(2025, 12, 31), "span"),
    ("2023-12-15..2024-12-14", date(2023, 12, 15), date(2024, 12, 14), "window"),
]


@pytest.mark.parametrize(("text", "start", "end", "kind"), BOUNDS)
def test_bounds_and_label_round_trip(text, start, end, kind):
    p = Period.parse(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)
    assert p.label == text and str(p) == text
    assert Period.parse(p.label) == p


@pytest.mark.parametrize(("text", "label_vi"), [
    ("2024", "năm 2024"),
    ("2024-H1", "6 tháng đầu năm 2024"),
    ("2024-H2", "6 tháng cuối năm 2024"),
    ("2024-Q3", "quý III/2024"),
    ("2024-Q4", "quý IV/2024"),
    ("2024-07", "tháng 7/2024"),
    ("2021-2025", "giai đoạn 2021–2025"),
    ("2023-12-15..2024-12-14", "15/12/2023–14/12/2024"),
])
def test_vietnamese_labels(text, label_vi):
    assert Period.parse(text).label_vi == label_vi


@pytest.mark.parametrize("text", ["", "24", "2024-13", "2024-00", "2024-H3", "2024-Q5", "2025-2021",
                                  "2024-02-30..2024-03-01", "2024-12-31..2024-01-01", "năm 2024", "Q3/2024"])
def test_anything_else_is_a_vietnamese_period_error(text):
    with pytest.raises(PeriodError) as err:
        Period.parse(text)
    assert isinstance(err.value, ValueError)
    assert "kỳ báo cáo" in str(err.value)
    assert "\n" not in str(err.value)


def test_months_cover_only_whole_months():
    assert Period.parse("2024").months() == [f"2024-{m:02d}" for m in range(1, 13)]
    assert Period.parse("2024-H2").months() == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]
    assert Period.parse("2024-Q2").months() == ["2024-04", "2024-05", "2024-06"]
    assert Period.parse("2024-07").months() == ["2024-07"]
    span = Period.parse("2021-2025").months()
    assert len(span) == 60 and span[0] == "2021-01" and span[-1] == "2025-12"
    # the annual official window touches Dec 2023 and Dec 2024 only in part
    assert Period.parse("2023-12-15..2024-12-14").months() == [f"2024-{m:02d}" for m in range(1, 12)]
    assert Period.parse("2024-03-01..2024-04-29").months() == ["2024-03"]
    assert Period.parse("2024-03-02..2024-03-31").months() == []


def test_contains_compares_calendar_dates():
    q = Period.parse("2024-Q1")
    assert q.contains(date(2024, 1, 1)) and q.contains(date(2024, 3, 31))
    assert q.contains(datetime(2024, 3, 31, 23, 59, 59))
    assert q.contains(pd.Timestamp("2024-02-29 12:00"))
    assert q.contains("2024-02-10")
    assert not q.contains(date(2023, 12, 31)) and not q.contains(date(2024, 4, 1))
    assert not q.contains(None) and not q.contains(pd.NaT) and not q.contains(float("nan"))


def test_year_is_the_year_of_the_end():
    assert Period.parse("2024-Q3").year == 2024
    assert Period.parse("2021-2025").year == 2025
    assert Period.parse("2023-12-15..2024-12-14").year == 2024


def test_window_becomes_a_calendar_period_when_exact():
    assert Period.window(date(2024, 1, 1), date(2024, 12, 31)).kind == "year"
    assert Period.window("2024-07-01", "2024-12-31").label == "2024-H2"
    assert Period.window("2024-04-01", "2024-06-30").label == "2024-Q2"
    assert Period.window(pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-29")).label == "2024-02"
    assert Period.window("2021-01-01", "2025-12-31").label == "2021-2025"
    # six months that are not a half, three that are not a quarter, two months: windows
    assert Period.window("2024-04-01", "2024-09-30").kind == "window"
    assert Period.window("2024-02-01", "2024-04-30").kind == "window"
    assert Period.window("2024-02-01", "2024-03-31").label == "2024-02-01..2024-03-31"
    assert Period.window("2024-01-01", "2024-12-30").kind == "window"
    with pytest.raises(PeriodError):
        Period.window("2024-12-31", "2024-01-01")
    with pytest.raises(PeriodError):
        Period.window(None, "2024-01-01")


def test_official_windows_by_hand():
    # Nghị định 09/2019 Art. 12: 15th of the month before -> 14th of the last month
    assert Period.parse("2025").official_window() == Period(date(2024, 12, 15), date(2025, 12, 14), "window")
    assert Period.parse("2025-H1").official_window() == Period(date(2024, 12, 15), date(2025, 6, 14), "window")
    assert Period.parse("2025-H2").official_window() == Period(date(2025, 6, 15), date(2025, 12, 14), "window")
    assert Period.parse("2025-Q1").official_window() == Period(date(2024, 12, 15), date(2025, 3, 14), "window")
    assert Period.parse("2025-Q4").official_window() == Period(date(2025, 9, 15), date(2025, 12, 14), "window")
    assert Period.parse("2025-01").official_window() == Period(date(2024, 12, 15), date(2025, 1, 14), "window")
    assert Period.parse("2025-03").official_window() == Period(date(2025, 2, 15), date(2025, 3, 14), "window")
    # nine months (QĐ 01/2023/QĐ-UBND): 15/12 -> 14/09
    nine = Period.window("2025-01-01", "2025-09-30")
    assert nine.official_window() == Period(date(2024, 12, 15), date(2025, 9, 14), "window")
    for text in ("2021-2025", "2024-02-01..2024-03-31", "2023-12-15..2024-12-14"):
        with pytest.raises(PeriodError):
            Period.parse(text).official_window()


def test_from_official_window_inverts_official_window():
    assert Period.from_official_window(date(2023, 12, 15), date(2024, 12, 14)) == Period.parse("2024")
    assert Period.from_official_window("2023-12-15", "2024-06-14") == Period.parse("2024-H1")
    assert Period.from_official_window("2024-06-15", "2024-12-14") == Period.parse("2024-H2")
    assert Period.from_official_window("2024-03-15", "2024-06-14") == Period.parse("2024-Q2")
    assert Period.from_official_window("2024-01-15", "2024-02-14") == Period.parse("2024-02")
    assert Period.from_official_window("2023-12-15", "2024-09-14") == Period.window("2024-01-01", "2024-09-30")
    # not official windows
    assert Period.from_official_window("2024-01-01", "2024-12-31") is None
    assert Period.from_official_window("2024-01-15", "2024-03-14") is None  # two months
    assert Period.from_official_window("2024-02-15", "2024-05-14") is None  # Mar-May is no quarter
    assert Period.from_official_window("2024-12-15", "2024-12-14") is None
    assert Period.from_official_window(None, "2024-12-14") is None
    for p in periods_of_year(2026):
        assert Period.from_official_window(p.official_window().start, p.official_window().end) == p


def test_periods_of_year_in_report_order():
    ps = periods_of_year(2025)
    assert [p.label for p in ps] == (["2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
                                     + [f"2025-{m:02d}" for m in range(1, 13)])
    assert all(p.year == 2025 for p in ps)


def test_periods_are_hashable_and_ordered_by_start():
    a, b, c = Period.parse("2024-Q3"), Period.parse("2024-07"), Period.parse("2024-H1")
    assert len({a, Period.parse("2024-Q3")}) == 1
    assert sorted([a, b, c])[0] == c
    assert Period.parse("2023") < Period.parse("2024-01")


@pytest.mark.parametrize(("text", "short"), [("2024", "2024"), ("2024-H1", "6T đầu/2024"), ("2024-H2", "6T cuối/2024"),
                                             ("2024-Q4", "Q4/2024"), ("2024-11", "T11/2024"), ("2021-2025", "2021–2025"),
                                             ("2023-12-15..2024-12-14", "15/12/2023–14/12/2024")])
def test_short_labels_for_axis_ticks(text, short):
    assert Period.parse(text).label_short == short
