"""Milestone status: met, on track, at risk and off track, for rising and falling targets."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_analysis import indicators, milestones


def series(ind, unit, values, breakdown="all"):
    return pd.DataFrame({"indicator_id": ind, "period": [str(y) for y in values], "breakdown": breakdown,
                         "numerator": pd.NA, "denominator": pd.NA, "value": list(values.values()), "unit": unit})


def status_of(table, period):
    return table.loc[table.period == period, "status"].item()


# Rising target: satisfaction >= 0.90 by 2025, path from the 2021 value.
@pytest.mark.parametrize(("value_2023", "expected"), [
    (0.91, "met"),        # already at the target
    (0.85, "on_track"),   # path in 2023 = 0.80 + (0.90 - 0.80) * 2/4 = 0.85
    (0.82, "at_risk"),    # 3 points short of the path: within the 5-point band
    (0.78, "off_track"),  # 7 points short
])
def test_rising_target(value_2023, expected):
    t = milestones.assess(series("satisfaction_share", "share", {2021: 0.80, 2023: value_2023}))
    assert status_of(t, "2023") == expected
    assert t.loc[t.period == "2023", "target_value"].item() == pytest.approx(0.90)
    assert t.loc[t.period == "2023", "target_year"].item() == 2025


def test_rising_target_missed_at_the_deadline_is_off_track_and_2030_takes_over():
    t = milestones.assess(series("satisfaction_share", "share", {2021: 0.80, 2025: 0.89, 2026: 0.93}))
    assert status_of(t, "2025") == "off_track"
    assert t.loc[t.period == "2026", "target_year"].item() == 2030
    assert status_of(t, "2026") == "on_track"   # path 2021 -> 2030: 0.80 + 0.15 * 5/9 = 0.883


# Falling target: budget <= 0.85 x mean(2021-2025) by 2030, path from the 2025 value.
BASE = {2021: 100.0, 2022: 100.0, 2023: 100.0, 2024: 100.0, 2025: 100.0}  # target 85, path -3 a year


@pytest.mark.parametrize(("value_2027", "expected"), [
    (84.0, "met"),
    (93.0, "on_track"),   # path in 2027 = 100 - 15 * 2/5 = 94
    (97.0, "at_risk"),    # 3 above the path, within 5% of it (4.7)
    (99.5, "off_track"),
])
def test_falling_budget_target(value_2027, expected):
    t = milestones.assess(series("public_unit_budget_vnd", "vnd", {**BASE, 2027: value_2027}))
    assert status_of(t, "2027") == expected
    assert t.loc[t.period == "2027", "target_value"].item() == pytest.approx(85.0)


@pytest.mark.parametrize(("value_2028", "expected"), [
    (44.0, "met"), (47.0, "on_track"), (49.0, "at_risk"), (52.0, "off_track")])
def test_falling_headcount_target(value_2028, expected):
    # 2030 target: 0.90 x 2025 = 45; path from 50 (2025) to 45 (2030): 47 in 2028; band 5% of 47.
    t = milestones.assess(series("public_unit_headcount", "persons", {2021: 60, 2025: 50, 2028: value_2028}))
    assert status_of(t, "2028") == expected


def test_headcount_2025_must_be_lower_than_2021():
    t = milestones.assess(series("public_unit_headcount", "persons", {2021: 30, 2024: 29, 2025: 30}))
    assert status_of(t, "2024") == "met"
    assert status_of(t, "2025") == "off_track"


def test_relative_target_without_its_baseline_years_has_no_target_yet():
    t = milestones.assess(series("public_unit_budget_vnd", "vnd", {2021: 100.0, 2022: 90.0}))
    assert set(t.status) == {"no_target"}


def test_monitoring_indicator_and_missing_value():
    t = milestones.assess(pd.concat([
        series("dossier_online_share", "share", {2024: 0.7}),
        series("satisfaction_share", "share", {2024: float("nan")})]))
    assert t.status.tolist() == ["no_target", "no_data"]


def test_required_annual_change_for_the_budget_path():
    rate = milestones.required_annual_change(100.0, 85.0, 5)
    assert (1 + rate) ** 5 * 100 == pytest.approx(85.0)


def test_indicator_table_carries_the_status_columns():
    t = indicators.compute({"budget": pd.DataFrame({
        "unit": "U", "year": [2021, 2022, 2023, 2024, 2025, 2026], "category": "c", "funding": "state_budget",
        "stage": "actual", "amount_vnd": [100.0] * 5 + [99.0]})})
    row = t[(t.period == "2026") & (t.breakdown == "all")].iloc[0]
    assert row.status == "at_risk" and row.target_year == 2030 and row.unit == "vnd"
    assert list(t.columns) == indicators.COLUMNS


def test_years_inside_a_baseline_window_are_not_judged():
    t = milestones.assess(series("public_unit_budget_vnd", "vnd", {**BASE, 2026: 97.0}))
    assert set(t.loc[t.period.isin([str(y) for y in BASE]), "status"]) == {"no_target"}
    assert status_of(t, "2026") == "on_track"   # path in 2026 = 100 - 15 / 5 = 97
