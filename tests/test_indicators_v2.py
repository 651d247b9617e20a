"""The v2 indicators (docs/contract.md sections 3-5), on frames made by code, against figures worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_analysis import indicators, milestones


def dossier(i, received, *, channel="online", level="full", status="returned", key=None, eid=None, resolved=None):
    return {"dossier_id": i, "field": "Điện", "unit": None, "channel": channel, "service_level": level,
            "received_at": pd.Timestamp(received), "due_at": pd.NaT,
            "resolved_at": pd.Timestamp(resolved) if resolved else pd.NaT, "status": status,
            "fee_required": None, "paid_online": None, "result_digitized": None, "eid_verified": eid,
            "applicant_key": key}


def cell(table, ind, period, breakdown="all"):
    row = table[(table.indicator_id == ind) & (table.period == period) & (table.breakdown == breakdown)]
    assert len(row) == 1, (ind, period, breakdown, len(row))
    return row.iloc[0]


def counts(table, ind, period, breakdown="all"):
    row = cell(table, ind, period, breakdown)
    return int(row.numerator), int(row.denominator)


def test_full_online_needs_online_and_full_over_everything_received():
    d = pd.DataFrame([dossier("a", "2024-02-01"), dossier("b", "2024-02-02", channel="postal"),
                      dossier("c", "2024-02-03", level="partial"), dossier("d", "2024-02-04", status="rejected"),
                      dossier("e", "2024-02-05", channel="in_person", level="none")])
    t = indicators.compute({"dossiers": d})
    # a only (b is postal, c partial); d was never received: 1 of 4
    assert counts(t, "dossier_full_online_share", "2024-02") == (1, 4)


def test_eid_applicants_are_distinct_keys_of_online_dossiers():
    d = pd.DataFrame([
        dossier("a1", "2024-03-01", key="K1", eid=True), dossier("a2", "2024-03-09", key="K1", eid=False),
        dossier("b1", "2024-03-02", key="K2", eid=False), dossier("b2", "2024-05-02", key="K2", eid=True),
        dossier("c1", "2024-03-03", key="K3", eid=True, channel="in_person"),
        dossier("x1", "2024-03-04", key=None, eid=True),
    ])
    t = indicators.compute({"dossiers": d})
    # March: online applicants K1 (verified once), K2 (not in March); K3 in person, x1 has no key
    assert counts(t, "eid_applicant_share", "2024-03") == (1, 2)
    # Q2: only K2, verified in May
    assert counts(t, "eid_applicant_share", "2024-Q2") == (1, 1)
    # the year: K1 and K2 both verified at least once; each counted once
    assert counts(t, "eid_applicant_share", "2024") == (2, 2)


def test_eid_applicants_without_keys_are_no_data_never_a_dossier_stand_in():
    d = pd.DataFrame([dossier("a", "2024-03-01", eid=True), dossier("b", "2024-03-02", eid=False)]).drop(
        columns="applicant_key")
    t = indicators.compute({"dossiers": d})
    row = cell(t, "eid_applicant_share", "2024")
    assert row.denominator == 0 and pd.isna(row.value) and row.status == "no_data"
    assert counts(t, "eid_verified_share", "2024") == (1, 2)  # the per-dossier monitoring figure stays


CATALOGUE = pd.DataFrame({
    "procedure_code": ["P1", "P2", "P3", "P4", "P5", "P6"],
    "level": ["full", "partial", "none", "full", None, "partial"],
    "eligible_online": [True, True, True, False, True, None],
    "fee_required": [True, True, False, True, True, True],
    "online_payment": [True, False, False, True, None, True],
    "on_national_portal": [True, True, True, True, False, True],
    "internal": [False, False, False, False, True, True],
    "published": [True, True, True, True, True, False],
})


def test_catalogue_ratios_by_hand():
    d = pd.DataFrame([dossier("a", "2025-03-01")])
    t = indicators.compute({"procedures": CATALOGUE, "dossiers": d})
    # eligible: P1, P2, P3, P5; at level 3/4 and on the portal: P1, P2
    assert counts(t, "online_procedure_share", "2025") == (2, 4)
    # fee and eligible: P1, P2, P5; online payment deployed: P1
    assert counts(t, "online_payment_procedure_share", "2025") == (1, 3)
    # internal: P5, P6; published: P5
    assert counts(t, "internal_procedures_published_share", "2025") == (1, 2)
    # eligible at level full: P1
    assert counts(t, "full_online_procedure_share", "2025") == (1, 4)
    assert cell(t, "online_procedure_share", "2025").status == "off_track"  # 50% in the 2025 target year


def test_catalogue_else_manual_sheet_and_catalogue_wins_where_both():
    manual = pd.DataFrame({"indicator_id": ["internal_procedures_published_share"] * 2, "period": ["2024", "2025"],
                           "numerator": [9, 7], "denominator": [10, 10], "value": [0.9, 0.7], "note": None})
    only_manual = indicators.compute({"manual_indicators": manual})
    assert counts(only_manual, "internal_procedures_published_share", "2024") == (9, 10)
    assert only_manual[only_manual.indicator_id == "online_procedure_share"].empty  # no catalogue: no rows
    both = indicators.compute({"manual_indicators": manual, "procedures": CATALOGUE,
                               "dossiers": pd.DataFrame([dossier("a", "2025-01-05")])})
    assert counts(both, "internal_procedures_published_share", "2024") == (9, 10)
    assert counts(both, "internal_procedures_published_share", "2025") == (1, 2)


def test_task_completion_by_area_and_lead_unit():
    tasks = pd.DataFrame({
        "task_id": ["t1", "t2", "t3", "t4", "t5"], "area": ["II.1", "II.1", "II.6", "II.6", "III"],
        "task": ["…"] * 5, "lead_unit": ["Văn phòng", "Văn phòng", "Phòng QLTM", "Văn phòng", "Phòng QLTM"],
        "deadline": pd.to_datetime(["2025-03-31", "2025-06-30", "2025-06-30", "2025-09-30", "2025-12-31"]),
        "status": ["done", "done", "in_progress", "cancelled", "done"],
        "done_at": pd.to_datetime(["2025-03-20", "2025-07-15", None, None, None]), "note": None})
    t = indicators.compute({"tasks": tasks})
    # t4 cancelled; t1 done in time, t2 late, t3 open, t5 done (no date)
    assert counts(t, "task_completion_share", "2025") == (2, 4)
    assert counts(t, "task_completion_share", "2025", "area=II.1") == (1, 2)
    assert counts(t, "task_completion_share", "2025", "unit=Phòng QLTM") == (1, 2)
    assert counts(t, "task_completion_share", "2025-H1") == (1, 3)


def test_headcount_assigned_and_actual_state_budget_only():
    payroll = pd.DataFrame({"unit": ["A", "A", "B"], "year": [2025, 2025, 2025],
                            "funding": ["state_budget", "own_revenue", "state_budget"],
                            "headcount_assigned": [10, 5, 7], "headcount_actual": [9, 5, 6]})
    t = indicators.compute({"payroll": payroll})
    assert cell(t, "public_unit_headcount", "2025").value == 17
    assert cell(t, "public_unit_headcount_actual", "2025").value == 15


def test_budget_span_averages_and_the_ii5_comparison():
    years = list(range(2021, 2028))
    amounts = [100.0, 100.0, 100.0, 100.0, 100.0, 90.0, 80.0]
    budget = pd.DataFrame({"unit": "A", "year": years, "category": "x", "funding": "state_budget",
                           "stage": "actual", "amount_vnd": amounts})
    t = indicators.compute({"budget": budget})
    base = cell(t, "public_unit_budget_vnd", "2021-2025")
    assert base.value == 100.0 and base.status == "no_target"  # the baseline itself is not judged
    later = cell(t, "public_unit_budget_vnd", "2026-2030")
    # 2026-2030 so far: (90 + 80) / 2 = 85 against 0.85 x 100 = 85 -> met
    assert later.value == 85.0 and later.target_value == 85.0 and later.status == "met"
    # each year against the path from 2025 (100) to 85 in 2030: 2026 path 97, 90 <= 97 on track
    assert cell(t, "public_unit_budget_vnd", "2026").status == "on_track"


def test_budget_first_span_needs_all_its_years():
    budget = pd.DataFrame({"unit": "A", "year": [2023, 2024], "category": "x", "funding": "state_budget",
                           "stage": "actual", "amount_vnd": [1.0, 2.0]})
    t = indicators.compute({"budget": budget})
    assert t[t.period == "2021-2025"].empty


def test_share_spans_only_when_every_year_has_data():
    rows = [dossier(f"d{y}", f"{y}-06-01", channel="online" if y % 2 else "in_person") for y in range(2021, 2026)]
    t = indicators.compute({"dossiers": pd.DataFrame(rows)})
    # online in 2021, 2023, 2025: 3 of 5 over the span
    assert counts(t, "dossier_online_share", "2021-2025") == (3, 5)
    assert cell(t, "dossier_online_share", "2021-2025").status == "no_target"
    partial = indicators.compute({"dossiers": pd.DataFrame(rows[1:])})
    assert partial[partial.period == "2021-2025"].empty


def form06a(start, end, online=3, offline=1, on_time=2, late=1):
    return {"period_start": pd.Timestamp(start), "period_end": pd.Timestamp(end), "group_kind": "field",
            "group": "Điện", "section": None, "received_total": online + offline, "received_online": online,
            "received_offline": offline, "carried_over": 0, "resolved_total": on_time + late, "resolved_early": 0,
            "resolved_on_time": on_time, "resolved_late": late, "pending_total": 0, "pending_within": 0,
            "pending_overdue": 0, "source": "f.xlsx#1:9"}


def test_form06a_with_an_official_window_counts_for_its_period_and_others_keep_their_window():
    form = pd.DataFrame([form06a("2024-12-15", "2025-12-14"), form06a("2025-02-03", "2025-05-09", 1, 1, 1, 0)])
    t = indicators.compute({"report06a": form})
    assert counts(t, "dossier_online_share", "2025") == (3, 4)
    assert counts(t, "dossier_on_time_share", "2025") == (2, 3)
    assert counts(t, "dossier_online_share", "2025-02-03..2025-05-09") == (1, 2)
    assert indicators.reconcile_06a({"report06a": form}).empty


def test_missing_tables_are_no_rows_never_an_error():
    assert indicators.compute({}).empty
    t = indicators.compute({"tasks": pd.DataFrame(columns=["task_id", "area", "deadline", "status", "done_at"]),
                            "procedures": pd.DataFrame(), "manual_indicators": pd.DataFrame(
                                {"indicator_id": ["eid_citizen_share"], "period": ["không rõ"],
                                 "numerator": [1], "denominator": [2], "value": [0.5], "note": [None]})})
    assert t.empty


@pytest.mark.parametrize("ind", ["dvc_level4_multi_device_share", "dvc_level4_shared_data_share"])
def test_level4_clauses_are_manual_and_judged(ind):
    manual = pd.DataFrame({"indicator_id": [ind], "period": ["2025"], "numerator": [4], "denominator": [4],
                           "value": [1.0], "note": [None]})
    row = cell(indicators.compute({"manual_indicators": manual}), ind, "2025")
    assert row.value == 1.0 and row.status == "met"
    assert milestones.load_registry()["indicators"][ind]["targets"]
