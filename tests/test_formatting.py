"""Vietnamese formatting: decimal comma, dot thousands, periods, money, tick formatter."""

from __future__ import annotations

import math

import pytest

from cchc_analysis import formatting as fmt


@pytest.mark.parametrize(("share", "expected"), [
    (0.905, "90,5%"), (0.9, "90,0%"), (1.0, "100,0%"), (0.0, "0,0%"), (0.12345, "12,3%"), (0.0005, "0,1%"),
    (None, "–"), (math.nan, "–"),
])
def test_percent_uses_a_decimal_comma_and_registry_decimals(share, expected):
    assert fmt.percent(share, indicator_id="satisfaction_share") == expected


def test_percent_decimals_can_be_given():
    assert fmt.percent(0.90512, 2) == "90,51%"
    assert fmt.percent(0.9, 0) == "90%"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234567, 0, "1.234.567"), (1234.5, 1, "1.234,5"), (999, 0, "999"), (-1234.56, 1, "-1.234,6"),
    (0.25, 1, "0,3"), (2.5, 0, "3"), (-0.04, 1, "0,0"), (1_000_000_000, 0, "1.000.000.000"),
])
def test_number_groups_thousands_with_dots_and_rounds_half_up(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_vnd_chooses_ty_or_trieu():
    assert fmt.vnd(45_250_000_000) == "45,3 tỷ đồng"
    assert fmt.vnd(3_400_000) == "3,4 triệu đồng"
    assert fmt.vnd(2e9, scale="triệu đồng") == "2.000,0 triệu đồng"
    assert fmt.vnd(None) == "–"


@pytest.mark.parametrize(("period", "long", "short"), [
    ("2025", "Năm 2025", "2025"),
    ("2025-H1", "6 tháng đầu năm 2025", "6T đầu/2025"),
    ("2025-H2", "6 tháng cuối năm 2025", "6T cuối/2025"),
    ("2025-Q1", "Quý I/2025", "Q1/2025"),
    ("2025-Q3", "Quý III/2025", "Q3/2025"),
    ("2025-Q4", "Quý IV/2025", "Q4/2025"),
    ("2025-07", "Tháng 7/2025", "T7/2025"),
    ("2025-12", "Tháng 12/2025", "T12/2025"),
    ("2021-2025", "Giai đoạn 2021–2025", "2021–2025"),
    ("2023-12-15..2024-12-14", "15/12/2023–14/12/2024", "15/12/2023–14/12/2024"),
])
def test_period_labels(period, long, short):
    assert fmt.period_label(period) == long
    assert fmt.period_label(period, short=True) == short


def test_unknown_period_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="không nhận ra kỳ"):
        fmt.period_label("2025-X1")


def test_values_in_registry_units_and_milestone_labels():
    assert fmt.value(0.912, "satisfaction_share") == "91,2%"
    assert fmt.value(1234, "public_unit_headcount") == "1.234 người"
    assert fmt.value(4.2e10, "public_unit_budget_vnd") == "42,0 tỷ đồng"
    assert fmt.milestone_label(2025, ">=", 0.9, "satisfaction_share") == "Mốc 2025: ≥ 90,0%"
    assert fmt.milestone_label(2030, "<=", 3.8e10, "public_unit_budget_vnd") == "Mốc 2030: ≤ 38,0 tỷ đồng"


def test_points_and_breakdown_labels():
    assert fmt.points(0.0321) == "+3,2 điểm %"
    assert fmt.points(-0.0321, sign=False) == "-3,2 điểm %"
    assert fmt.breakdown_label("aspect=access") == "Tiếp cận dịch vụ"
    assert fmt.breakdown_label("unit=Cơ sở Phan Rang") == "Cơ sở Phan Rang"


def test_tick_formatter_has_a_decimal_comma():
    assert fmt.tick_formatter("share", 1)(0.955, 0) == "95,5%"
    assert fmt.tick_formatter("number")(12500, 0) == "12.500"
    assert fmt.tick_formatter("billion", 1)(1.25e10, 0) == "12,5"
    with pytest.raises(ValueError):
        fmt.tick_formatter("nope")
