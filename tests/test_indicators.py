"""Definitions of docs/contract.md section 3 pinned at their edges, on frames made by code."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_analysis import indicators


def dossier(dossier_id, received, status="returned", resolved=None, due=None, *, field="Điện", unit=None,
            channel="online", service_level="full", fee_required=None, paid_online=None,
            result_digitized=None, eid_verified=None):
    return {"dossier_id": dossier_id, "field": field, "unit": unit, "channel": channel,
            "service_level": service_level, "received_at": pd.Timestamp(received),
            "due_at": pd.Timestamp(due) if due else pd.NaT,
            "resolved_at": pd.Timestamp(resolved) if resolved else pd.NaT, "status": status,
            "fee_required": fee_required, "paid_online": paid_online, "result_digitized": result_digitized,
            "eid_verified": eid_verified}


def frame(*rows):
    return pd.DataFrame(list(rows))


def cell(table, ind, period, breakdown="all"):
    row = table[(table.indicator_id == ind) & (table.period == period) & (table.breakdown == breakdown)]
    assert len(row) == 1, (ind, period, breakdown)
    return row.iloc[0]


def counts(table, ind, period, breakdown="all"):
    row = cell(table, ind, period, breakdown)
    return int(row.numerator), int(row.denominator)


def test_resolved_on_the_due_date_is_on_time_even_later_in_the_day():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2024-03-01 08:00", resolved="2024-03-10 17:30", due="2024-03-10 08:00"),
        dossier("b", "2024-03-01 08:00", resolved="2024-03-11 07:00", due="2024-03-10 08:00"),
        dossier("c", "2024-03-01 08:00", resolved="2024-03-05 07:00", due="2024-03-10 08:00"),
    )})
    assert counts(t, "dossier_on_time_share", "2024-03") == (2, 3)


def test_no_due_date_counts_as_on_time():
    t = indicators.compute({"dossiers": frame(dossier("a", "2024-03-01", resolved="2024-09-01"))})
    assert counts(t, "dossier_on_time_share", "2024-09") == (1, 1)


def test_withdrawn_counts_as_on_time_and_not_as_resolved():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2024-03-01", status="withdrawn", resolved="2024-04-20", due="2024-04-01",
                result_digitized=True),
        dossier("b", "2024-03-01", status="resolved", resolved="2024-04-20", due="2024-04-01",
                result_digitized=True),
    )})
    assert counts(t, "dossier_on_time_share", "2024-04") == (1, 2)
    assert counts(t, "result_digitized_share", "2024-04") == (1, 1)


def test_registered_and_rejected_are_never_received():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2024-05-02", status="registered"),
        dossier("b", "2024-05-02", status="rejected"),
        dossier("c", "2024-05-02", status="in_progress", channel="in_person", service_level="none"),
    )})
    assert counts(t, "dossier_online_share", "2024-05") == (0, 1)


def test_dossier_straddling_the_period_end_counts_where_each_event_falls():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2024-12-31 16:00", resolved="2025-01-02 09:00", due="2025-01-03", result_digitized=True),
    )})
    assert counts(t, "dossier_online_share", "2024") == (1, 1)
    assert cell(t, "dossier_on_time_share", "2024").status == "no_data"
    assert counts(t, "dossier_on_time_share", "2025-Q1") == (1, 1)
    assert counts(t, "dossier_online_share", "2025") == (0, 0)


def test_empty_periods_and_a_field_with_no_dossiers_are_no_data():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2024-01-10", field="Điện"),
        dossier("b", "2024-02-10", field="Hóa chất", status="in_progress"),
    )})
    row = cell(t, "dossier_online_share", "2024-07")
    assert (row.denominator, row.status) == (0, "no_data") and pd.isna(row.value)
    row = cell(t, "dossier_online_share", "2024-01", "field=Hóa chất")
    assert (row.denominator, row.status) == (0, "no_data")
    assert counts(t, "dossier_online_share", "2024-02", "field=Hóa chất") == (1, 1)


def test_flags_null_is_false_and_denominators_follow_the_contract():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2024-01-10", fee_required=True, paid_online=True, eid_verified=True),
        dossier("b", "2024-01-11", fee_required=True, paid_online=None, eid_verified=None),
        dossier("c", "2024-01-12", fee_required=None, paid_online=True, channel="postal", eid_verified=True),
        dossier("d", "2024-01-13", fee_required=False, service_level="partial"),
    )})
    assert counts(t, "online_payment_share", "2024-01") == (1, 2)
    assert counts(t, "eid_verified_share", "2024-01") == (1, 3)
    # v2: online AND toàn trình (the postal full-level dossier c is not counted)
    assert counts(t, "dossier_full_online_share", "2024-01") == (2, 4)


def test_unit_breakdown():
    t = indicators.compute({"dossiers": frame(
        dossier("a", "2025-08-01", unit="Cơ sở Phan Rang"), dossier("b", "2025-08-01", unit="Cơ sở Nha Trang",
                                                                  channel="in_person"))})
    assert counts(t, "dossier_online_share", "2025", "unit=Cơ sở Phan Rang") == (1, 1)
    assert counts(t, "dossier_online_share", "2025", "unit=Cơ sở Nha Trang") == (0, 1)


dates = st.datetimes(min_value=pd.Timestamp("2023-01-01").to_pydatetime(),
                     max_value=pd.Timestamp("2024-12-31").to_pydatetime())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(dates, st.sampled_from(["online", "in_person", "postal"]),
                          st.sampled_from(["Điện", "Hóa chất"]), st.integers(0, 40)), min_size=1, max_size=40))
def test_months_quarters_halves_and_fields_add_up_to_the_year(rows):
    d = frame(*[dossier(f"id{i}", when, resolved=when + pd.Timedelta(days=lag), channel=ch, field=f,
                        due=when + pd.Timedelta(days=20))
                for i, (when, ch, f, lag) in enumerate(rows)])
    t = indicators.compute({"dossiers": d})
    for ind in ("dossier_online_share", "dossier_on_time_share"):
        sub = t[(t.indicator_id == ind) & (t.breakdown == "all")]
        for year in sorted({p[:4] for p in sub.period}):
            total = sub[sub.period == year][["numerator", "denominator"]].sum()
            for pattern in (r"-\d\d$", r"-Q\d$", r"-H\d$"):
                parts = sub[sub.period.str.startswith(year) & sub.period.str.contains(pattern)]
                assert (parts[["numerator", "denominator"]].sum() == total).all()
            fields = t[(t.indicator_id == ind) & (t.period == year) & t.breakdown.str.startswith("field=")]
            assert (fields[["numerator", "denominator"]].sum() == total).all()


def test_satisfaction_excludes_missing_answers_and_breaks_down_by_field():
    ev = pd.DataFrame({
        "evaluation_id": ["1", "2", "3", "4"], "dossier_id": ["a", "a", None, "b"],
        "evaluated_at": pd.to_datetime(["2024-02-01"] * 4),
        "overall": ["very_satisfied", "dissatisfied", "satisfied", None]})
    d = frame(dossier("a", "2024-01-10", field="Điện"), dossier("b", "2024-01-10", field="Hóa chất"))
    t = indicators.compute({"evaluations": ev, "dossiers": d})
    assert counts(t, "satisfaction_share", "2024") == (2, 3)
    assert counts(t, "satisfaction_share", "2024", "field=Điện") == (1, 2)
    assert cell(t, "satisfaction_share", "2024", "field=Hóa chất").status == "no_data"


def test_survey_share_by_aspect():
    r = pd.DataFrame({"respondent_id": ["r1"] * 3 + ["r2"] * 3,
                      "submitted_at": pd.to_datetime(["2024-10-01"] * 6),
                      "aspect": ["access", "staff", "overall"] * 2, "question": ["q"] * 6,
                      "score": [5, 3, 4, 4, 2, None]})
    t = indicators.compute({"survey_responses": r})
    assert counts(t, "survey_satisfaction_share", "2024-Q4") == (3, 5)
    assert counts(t, "survey_satisfaction_share", "2024", "aspect=staff") == (0, 2)
    assert cell(t, "survey_satisfaction_share", "2024", "aspect=feedback").status == "no_data"


def test_budget_uses_actual_else_plan_and_only_state_budget():
    b = pd.DataFrame({
        "unit": ["U1", "U1", "U1", "U1", "U2"], "year": [2025, 2025, 2026, 2025, 2025],
        "category": ["Chi thường xuyên"] * 5,
        "funding": ["state_budget", "state_budget", "state_budget", "own_revenue", "state_budget"],
        "stage": ["plan", "actual", "plan", "actual", "plan"],
        "amount_vnd": [100.0, 90.0, 80.0, 1000.0, 5.0]})
    t = indicators.compute({"budget": b})
    assert cell(t, "public_unit_budget_vnd", "2025").value == pytest.approx(95.0)
    assert cell(t, "public_unit_budget_vnd", "2026").value == pytest.approx(80.0)
    assert cell(t, "public_unit_budget_vnd", "2025", "unit=U2").value == pytest.approx(5.0)


def test_year_filter_keeps_only_that_year():
    t = indicators.compute({"dossiers": frame(dossier("a", "2023-05-01"), dossier("b", "2024-05-01"))},
                           year=2024)
    assert set(t.period.str[:4]) == {"2024"}
    assert len(t[(t.indicator_id == "dossier_online_share") & (t.breakdown == "all")]) == 19
