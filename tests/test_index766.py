"""The 766 index from records made here: each rule of 2.1, the payment formula, 5.4, the points lost.

Every expected figure is worked out by hand in the test (dates counted on a calendar, shares divided
by hand), never taken from the code's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cchc_analysis import index766 as ix
from cchc_analysis.index766 import rules
from cchc_analysis.index766.explain import UNALLOCATED

PERIOD = "2025-03"


def dossier(did: str, received: str, due: str | None, resolved: str | None, status: str = "resolved", *,
            proc: str = "P1", unit: str = "U1", channel: str = "online", fee: bool | None = None,
            paid: bool | None = None, result: bool | None = True, eid: bool | None = True) -> dict:
    return {"dossier_id": did, "procedure_code": proc, "procedure_name": f"Thủ tục {proc}", "field": "Điện",
            "unit": unit, "channel": channel, "service_level": "full", "received_at": pd.Timestamp(received),
            "due_at": pd.Timestamp(due) if due else pd.NaT,
            "resolved_at": pd.Timestamp(resolved) if resolved else pd.NaT, "status": status,
            "fee_required": fee, "paid_online": paid, "result_digitized": result, "eid_verified": eid}


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    for col in ("fee_required", "paid_online", "result_digitized", "eid_verified"):
        out[col] = out[col].astype("boolean")
    return out


def events(*items: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"dossier_id": d, "event": e, "at": pd.Timestamp(a), "source": "t"} for d, e, a in items])


def judged(tables: dict, period: str = PERIOD) -> pd.DataFrame:
    """The 2.1 ledger of a period, by dossier id."""
    led, _ = ix.ledger(ix.build(tables), period)
    return led[led["sub_id"] == "2.1"].set_index("dossier_id")


def sub(tables: dict, sub_id: str, period: str = PERIOD) -> pd.Series:
    subs, _ = ix.scores(ix.build(tables), [period])
    return subs.set_index("sub_id").loc[sub_id]


# --- 2.1: on-time handling ---


def test_finished_dossiers_on_and_after_the_due_date():
    d = frame(dossier("a", "2025-03-03", "2025-03-10", "2025-03-10"),   # on the due date: on time
              dossier("b", "2025-03-03", "2025-03-10", "2025-03-12"),   # two days after: late by 2
              dossier("c", "2025-02-03", "2025-02-10", "2025-02-25"))   # closed in February: out of March
    led = judged({"dossiers": d})
    assert sorted(led.index) == ["a", "b"]
    assert led.loc["a", "n"] == 1 and led.loc["b", "n"] == 0 and led.loc["b", "days_late"] == 2
    s = sub({"dossiers": d}, "2.1")
    assert (s["numerator"], s["denominator"]) == (1, 2) and s["score"] == pytest.approx(20 * 1 / 2)


def test_in_progress_dossiers_are_judged_at_the_end_of_the_period():
    d = frame(dossier("a", "2025-03-20", "2025-04-05", None, "in_progress"),
              dossier("b", "2025-03-10", "2025-03-25", None, "in_progress"))
    march = judged({"dossiers": d})
    assert march.loc["a", "n"] == 1                                 # 31/03 ≤ 05/04
    assert march.loc["b", "n"] == 0 and march.loc["b", "days_late"] == 6   # 31/03 − 25/03
    april = judged({"dossiers": d}, "2025-04")
    assert april.loc["a", "n"] == 0 and april.loc["a", "days_late"] == 25  # 30/04 − 05/04
    # finished in April after its due date: in March it was still within time, in April it is late
    d2 = frame(dossier("c", "2025-03-20", "2025-04-02", "2025-04-04"))
    assert judged({"dossiers": d2}).loc["c", "n"] == 1
    assert judged({"dossiers": d2}, "2025-04").loc["c", "days_late"] == 2


def test_one_supplement_subtracts_the_waiting_time():
    d = frame(dossier("a", "2025-03-03", "2025-03-10", "2025-03-13"))
    # Without the supplement dates the dossier is 3 days late.
    assert judged({"dossiers": d}).loc["a", "days_late"] == 3
    # Asked on 05/03, completed on 09/03: 4 days waited; 13/03 − 4 days = 09/03 ≤ 10/03: on time.
    ev = events(("a", "supplement_requested", "2025-03-05"), ("a", "supplement_completed", "2025-03-09"))
    assert judged({"dossiers": d, "dossier_events": ev}).loc["a", "n"] == 1
    # Completed on 06/03 only 1 day waited: 13/03 − 1 = 12/03, two days late.
    ev = events(("a", "supplement_requested", "2025-03-05"), ("a", "supplement_completed", "2025-03-06"))
    assert judged({"dossiers": d, "dossier_events": ev}).loc["a", "days_late"] == 2


def test_waiting_on_a_single_supplement_stops_the_clock_on_the_request_date():
    d = frame(dossier("w", "2025-03-03", "2025-03-10", None, "supplement"))
    ev = events(("w", "supplement_requested", "2025-03-08"))
    led = judged({"dossiers": d, "dossier_events": ev})
    assert led.loc["w", "n"] == 1  # end = 08/03 ≤ 10/03 although the period ends on 31/03
    assert judged({"dossiers": d}).loc["w", "days_late"] == 21  # without the date: 31/03 − 10/03


def test_more_than_one_supplement_request_is_late():
    d = frame(dossier("m", "2025-03-03", "2025-03-20", "2025-03-08"))   # finished early…
    ev = events(("m", "supplement_requested", "2025-03-04"), ("m", "supplement_completed", "2025-03-05"),
                ("m", "supplement_requested", "2025-03-06"), ("m", "supplement_completed", "2025-03-07"))
    led = judged({"dossiers": d, "dossier_events": ev})
    assert led.loc["m", "n"] == 0 and "nhiều hơn một lần" in led.loc["m", "reason"]
    # a count of requests given by the export (SoLanBoSung = 2) does the same
    facts = pd.DataFrame({"dossier_id": ["m"], "supplement_count": [2]})
    ev1 = events(("m", "supplement_requested", "2025-03-04"))
    assert judged({"dossiers": d, "dossier_events": ev1, "dossier_facts": facts}).loc["m", "n"] == 0
    # a second request after the period's end does not count in that period
    late_second = events(("m", "supplement_requested", "2025-03-04"), ("m", "supplement_completed", "2025-03-05"),
                         ("m", "supplement_requested", "2025-04-02"))
    assert judged({"dossiers": d, "dossier_events": late_second}).loc["m", "n"] == 1


def test_no_due_date_is_judged_against_the_legal_time_in_working_days():
    # Received Monday 03/03/2025, finished Friday 14/03: 9 working days (3–7 and 10–13 March).
    d = frame(dossier("n", "2025-03-03", None, "2025-03-14"))
    assert judged({"dossiers": d}).loc["n", "n"] == 1  # no legal time either: nothing to judge against
    facts10 = pd.DataFrame({"dossier_id": ["n"], "legal_days": [10.0]})
    facts8 = pd.DataFrame({"dossier_id": ["n"], "legal_days": [8.0]})
    assert judged({"dossiers": d, "dossier_facts": facts10}).loc["n", "n"] == 1
    led = judged({"dossiers": d, "dossier_facts": facts8})
    assert led.loc["n", "n"] == 0 and led.loc["n", "days_late"] == 1
    # the legal time may come from the catalogue instead
    catalogue = pd.DataFrame({"procedure_code": ["P1"], "procedure_name": ["Thủ tục P1"], "field": ["Điện"],
                              "level": ["full"], "legal_days": [8.0]})
    assert judged({"dossiers": d, "procedures": catalogue}).loc["n", "n"] == 0


def test_withdrawn_is_on_time_and_never_received_dossiers_are_out():
    d = frame(dossier("w", "2025-03-03", "2025-03-05", "2025-03-20", "withdrawn"),
              dossier("r", "2025-03-03", "2025-03-05", None, "rejected"),
              dossier("g", "2025-03-03", "2025-03-05", None, "registered"))
    led = judged({"dossiers": d})
    assert list(led.index) == ["w"] and led.loc["w", "n"] == 1


# --- payment, 5.4 ---


def test_payment_formula_by_hand():
    assert rules.payment_score(0.5, 0.5, 0.5) == pytest.approx(3.0 + 1.25 + 1.25)
    assert rules.payment_score(0.25, 0.9, 0.0) == pytest.approx(1.5 + 2.0 + 0.0)   # 2.5·0.9 = 2.25 → 2
    assert rules.payment_score(1, 1, 1) == pytest.approx(10.0)                     # never above the group's 10


def test_payment_group_from_records_and_catalogue():
    # P1: three dossiers with a fee, two paid online; P2: one with a fee, not paid. P3 has no fee.
    d = frame(dossier("a", "2025-03-03", "2025-03-10", "2025-03-05", fee=True, paid=True),
              dossier("b", "2025-03-03", "2025-03-10", "2025-03-05", fee=True, paid=True),
              dossier("c", "2025-03-03", "2025-03-10", "2025-03-05", fee=True, paid=False),
              dossier("e", "2025-03-03", "2025-03-10", "2025-03-05", proc="P2", fee=True, paid=False),
              dossier("f", "2025-03-03", "2025-03-10", "2025-03-05", proc="P3", fee=False, paid=False))
    catalogue = pd.DataFrame({
        "procedure_code": ["P1", "P2", "P3"], "procedure_name": ["Thủ tục P1", "Thủ tục P2", "Thủ tục P3"],
        "field": ["Điện"] * 3, "level": ["full"] * 3, "eligible_online": [True] * 3,
        "fee_required": [True, True, False], "online_payment": [True, False, False],
        "on_national_portal": [True, True, True], "internal": [False] * 3, "published": [True] * 3})
    # A = 2 paid / 4 with a fee; B = 1 procedure with an online payment / 2 with a fee; C = 1 offered / 2.
    expected = 6 * 2 / 4 + min(2, 2.5 * 1 / 2) + min(2, 2.5 * 1 / 2)
    _, groups = ix.scores(ix.build({"dossiers": d, "procedures": catalogue}), [PERIOD])
    assert groups.set_index("group").loc["TTTT", "score"] == pytest.approx(expected) == pytest.approx(5.5)


def test_satisfaction_5_4_by_hand():
    rows = [dossier(f"d{i}", "2025-03-03", "2025-03-10", "2025-03-05") for i in range(10)]
    rows[0] = dossier("d0", "2025-03-03", "2025-03-10", "2025-03-20")   # one overdue
    ev = pd.DataFrame({"evaluation_id": ["e1", "e2", "e3"], "dossier_id": ["d1", "d2", "d3"],
                       "evaluated_at": pd.Timestamp("2025-03-06"),
                       "overall": ["dissatisfied", "dissatisfied", "very_satisfied"]})
    tables = {"dossiers": frame(*rows), "evaluations": ev}
    # r = 100% − (1/10 overdue + 2/10 disliked) = 70%; score = 6 × 0.70 / 0.90
    s = sub(tables, "5.4")
    assert s["value"] == pytest.approx(0.7)
    assert s["score"] == pytest.approx(6 * 0.7 / 0.9) == pytest.approx(4.6667, abs=1e-4)
    assert rules.satisfaction_score(0.95) == 6.0 and rules.satisfaction_score(0.45) == pytest.approx(3.0)
    # a complaint recorded as an event counts like a dislike
    complaint = events(("d4", "complaint", "2025-03-07"))
    assert sub({**tables, "dossier_events": complaint}, "5.4")["value"] == pytest.approx(0.6)


def test_online_dossiers_threshold_3_3():
    rows = [dossier(f"d{i}", "2025-03-03", "2025-03-10", "2025-03-05", channel="online" if i < 2 else "in_person")
            for i in range(10)]
    s = sub({"dossiers": frame(*rows)}, "3.3")
    assert s["score"] == pytest.approx(6 * 0.2 / 0.5)   # 20% online, full points from 50%
    rows = [dossier(f"d{i}", "2025-03-03", "2025-03-10", "2025-03-05", channel="online" if i < 6 else "postal")
            for i in range(10)]
    assert sub({"dossiers": frame(*rows)}, "3.3")["score"] == 6.0


# --- groups, totals, the portal's part, points lost ---


def _mixed() -> dict:
    rng = np.random.default_rng(7)
    rows = []
    for i in range(60):
        day = 1 + int(rng.integers(0, 28))
        late = int(rng.integers(0, 3)) == 0
        rows.append(dossier(
            f"x{i:02d}", f"2025-03-{day:02d}", f"2025-03-{min(28, day + 5):02d}",
            None if i % 9 == 0 else f"2025-03-{min(31, day + (9 if late else 2)):02d}",
            "in_progress" if i % 9 == 0 else "returned", proc=f"P{i % 4}", unit=f"U{i % 3}",
            channel="online" if i % 3 else "in_person", fee=bool(i % 2), paid=bool(i % 4 == 1),
            result=bool(i % 5), eid=bool(i % 7)))
    portal = pd.DataFrame({"agency": "Sở Công Thương", "period": PERIOD,
                           "group": ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "total"],
                           "points": [16.5, 15.0, 10.0, 5.0, 18.0, 17.0, 81.5]})
    return {"dossiers": frame(*rows), "portal766": portal}


def test_groups_within_maxima_total_is_the_sum_and_portal_parts_are_the_remainder():
    tables = _mixed()
    model = ix.build(tables)
    subs, groups = ix.scores(model, [PERIOD, "2025-Q1", "2025"])
    g = groups.set_index(["period", "group"])
    for period in (PERIOD, "2025-Q1", "2025"):
        six = g.loc[period].drop(index="total")
        assert (six["score"] <= six["max"] + 1e-9).all() and (six["score"] >= 0).all()
        assert g.loc[(period, "total"), "score"] == pytest.approx(six["score"].sum())
        assert g.loc[(period, "total"), "max"] == 100
    # CKMB is wholly the portal's; in MDHL the PAKN part is the portal's MDHL less our own 5.4.
    assert g.loc[(PERIOD, "CKMB"), "score"] == pytest.approx(16.5)
    own54 = subs[(subs["period"] == PERIOD) & (subs["sub_id"] == "5.4")]["score"].iloc[0]
    assert g.loc[(PERIOD, "MDHL"), "score"] == pytest.approx(own54 + min(12.0, 17.0 - own54))
    # The quarter has one month of portal figures: its mean of one month stands in (an estimate).
    assert g.loc[("2025-Q1", "CKMB"), "score"] == pytest.approx(16.5)


@pytest.mark.parametrize("by", ["procedure", "unit", "field"])
def test_points_lost_sum_exactly_to_what_each_group_lost(by):
    model = ix.build(_mixed())
    _, groups = ix.scores(model, [PERIOD])
    lost = ix.points_lost(model, PERIOD, by=by)
    per_group = lost.groupby("group")["points_lost"].sum()
    for _, g in groups[groups["group"] != "total"].iterrows():
        assert per_group.get(g["group"], 0.0) == pytest.approx(g["max"] - g["score"], abs=1e-9), g["group"]
    assert (lost["points_lost"] >= 0).all()
    assert (lost.loc[lost["sub_id"] == ix.PORTAL_PART, by] == UNALLOCATED).all()


def test_points_lost_by_procedure_by_hand():
    # P1: 2 dossiers, 1 late; P2: 2 dossiers, both late. 2.1 = 20 × 1/4 = 5, 15 points lost:
    # P1 loses 20 × 1/4 = 5, P2 loses 20 × 2/4 = 10.
    d = frame(dossier("a", "2025-03-03", "2025-03-10", "2025-03-05", unit="U1"),
              dossier("b", "2025-03-03", "2025-03-10", "2025-03-15", unit="U2"),
              dossier("c", "2025-03-03", "2025-03-10", "2025-03-15", proc="P2", unit="U2"),
              dossier("e", "2025-03-03", "2025-03-10", "2025-03-16", proc="P2", unit="U2"))
    model = ix.build({"dossiers": d})
    lost = ix.points_lost(model, PERIOD, by="procedure", group="TDGQ").set_index("procedure")["points_lost"]
    assert lost.to_dict() == pytest.approx({"P2": 10.0, "P1": 5.0})
    by_unit = ix.points_lost(model, PERIOD, by="unit", group="TDGQ").set_index("unit")["points_lost"]
    assert by_unit.to_dict() == pytest.approx({"U2": 15.0, "U1": 0.0})
    # what-if: P2 all on time → 20 × 3/4 = 15 (+10); P2 and P1 → 20 (+15)
    w = ix.what_if(model, PERIOD, group="TDGQ")
    assert w["procedure"].tolist() == ["P2", "P1"]
    assert w["gain_alone"].tolist() == pytest.approx([10.0, 5.0])
    assert w["gain_cumulative"].tolist() == pytest.approx([10.0, 15.0])
    # the dossiers behind: the three late ones, with days late, and no personal data
    behind = ix.lost_dossiers(model, PERIOD, group="TDGQ")
    assert sorted(behind["dossier_id"]) == ["b", "c", "e"]
    assert behind.set_index("dossier_id").loc["e", "days_late"] == 6
    assert behind["points"].tolist() == pytest.approx([5.0] * 3)   # each one on time: 20 × 1/4
    assert not {"applicant_key", "applicant_name", "applicant_id"} & set(behind.columns)
    # filters
    assert ix.lost_dossiers(model, PERIOD, unit="U1").empty
    assert set(ix.lost_dossiers(model, PERIOD, procedure="P2")["dossier_id"]) == {"c", "e"}


def test_points_lost_below_a_threshold_go_to_procedures_short_of_it():
    # 3.3: P1 1 online of 2, P2 0 of 2: 25% online, 6 × 0.25/0.5 = 3 points, 3 lost.
    # Shortfalls against 50%: P1 0.5·2 − 1 = 0, P2 0.5·2 − 0 = 1 → P2 loses all 3 points.
    d = frame(dossier("a", "2025-03-03", "2025-03-10", "2025-03-05", channel="online"),
              dossier("b", "2025-03-03", "2025-03-10", "2025-03-05", channel="in_person"),
              dossier("c", "2025-03-03", "2025-03-10", "2025-03-05", proc="P2", channel="in_person"),
              dossier("e", "2025-03-03", "2025-03-10", "2025-03-05", proc="P2", channel="postal"))
    model = ix.build({"dossiers": d})
    lost = ix.points_lost(model, PERIOD, by="procedure", group="CLGQ")
    lost = lost[lost["sub_id"] == "3.3"].set_index("procedure")["points_lost"]
    assert lost.to_dict() == pytest.approx({"P2": 3.0, "P1": 0.0})
    gain = ix.what_if(model, PERIOD, group="CLGQ")
    assert gain.loc[gain["sub_id"] == "3.3", "gain_alone"].tolist() == pytest.approx([3.0])  # P2 at 50% → 2/4


def test_without_a_portal_export_the_portal_parts_stay_empty():
    tables = _mixed()
    del tables["portal766"]
    model = ix.build(tables)
    _, groups = ix.scores(model, [PERIOD])
    g = groups.set_index("group")
    assert math.isnan(g.loc["CKMB", "score"]) and math.isnan(g.loc["total", "score"])
    assert not math.isnan(g.loc["TDGQ", "score"])          # wholly computed by the Department
    assert any("Cổng" in note for note in model.notes)
    assert ix.reconcile(model).empty


def test_reconciliation_puts_the_estimate_beside_the_portal():
    model = ix.build(_mixed())
    rec = ix.reconcile(model).set_index("group")
    _, groups = ix.scores(model, [PERIOD])
    ours = groups.set_index("group")["score"]
    assert rec.loc["TDGQ", "portal"] == 15.0
    assert rec.loc["TDGQ", "difference"] == pytest.approx(ours["TDGQ"] - 15.0)
    assert rec.loc["CKMB", "difference"] == pytest.approx(0.0) and "Cổng" in rec.loc["CKMB", "explanation"]
    assert rec["explanation"].str.len().gt(0).all()


def test_indicator_rows_in_the_contract_shape():
    rows = ix.indicator_rows(_mixed(), 2025)
    assert list(rows.columns) == ["indicator_id", "period", "breakdown", "numerator", "denominator", "value",
                                  "unit", "target_value", "target_year", "status"]
    score = rows[rows["indicator_id"] == "index766_score"]
    assert set(score["breakdown"]) == {f"group={g}" for g in ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL",
                                                              "total")}
    assert set(score["period"]) == {"2025", "2025-H1", "2025-H2", *(f"2025-Q{q}" for q in range(1, 5)),
                                    *(f"2025-{m:02d}" for m in range(1, 13))}
    assert (score["unit"] == "points").all()
    march = score[score["period"] == PERIOD].set_index("breakdown")["value"]
    assert march["group=total"] == pytest.approx(march.drop("group=total").sum())
    lost = rows[(rows["indicator_id"] == "index766_points_lost") & (rows["period"] == PERIOD)]
    lost = lost[lost["breakdown"] != "group=total"]  # 100 minus the total score, the scoreboard's line
    assert lost["breakdown"].str.match(r"^group=[A-Z]{4};(procedure|unit)=.+").all()
    tdgq = lost[lost["breakdown"].str.startswith("group=TDGQ;procedure=")]["value"].sum()
    assert tdgq == pytest.approx(20 - march["group=TDGQ"])


def test_without_any_dossier_nothing_is_scored_as_full():
    model = ix.build({})
    _, groups = ix.scores(model, [PERIOD])
    assert groups["score"].isna().all() and (groups["own_max"] == 0).all()
    assert any("hồ sơ" in note for note in model.notes)


def test_flags_count_only_dossiers_whose_export_carries_them():
    # 4.1: one with an electronic result, one without, two from an export without the column:
    # 6 × 1/2 = 3 (the two unknown ones are no failure), and the note says 2 of 4.
    d = frame(dossier("a", "2025-03-03", "2025-03-10", "2025-03-05", result=True),
              dossier("b", "2025-03-03", "2025-03-10", "2025-03-05", result=False),
              dossier("c", "2025-03-03", "2025-03-10", "2025-03-05", result=None),
              dossier("e", "2025-03-03", "2025-03-10", "2025-03-05", result=None))
    s = sub({"dossiers": d}, "4.1")
    assert (s["numerator"], s["denominator"], s["score"]) == (1, 2, pytest.approx(3.0))
    assert "2 / 4" in s["note"]
