"""The 766 index in the indicator table (and so in the pack): every period, scores within maxima, points
lost that sum to what each group lost; the legal time from the catalogue; the many-period roll-up agrees
with the item-by-item path; the payment codes of the dossier export.

Expected figures are worked out by hand in the tests (working days counted on a calendar).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cchc_analysis import index766 as ix
from cchc_analysis import indicators
from cchc_analysis.index766.rollup import UNALLOCATED, rollup
from cchc_analysis.ingest.dossiers import paid_codes
from cchc_analysis.periods import periods_of_year

GROUPS = ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]
MAXIMA = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}


def dossier(did: str, received: str, due: str | None, resolved: str | None, status: str = "resolved", *,
            proc: str = "1.000001", unit: str = "Bộ phận một cửa", channel: str = "online",
            fee: bool | None = True, paid: bool | None = True) -> dict:
    return {"dossier_id": did, "procedure_code": proc, "procedure_name": f"Thủ tục {proc}", "field": "Điện",
            "unit": unit, "channel": channel, "service_level": "full", "received_at": pd.Timestamp(received),
            "due_at": pd.Timestamp(due) if due else pd.NaT,
            "resolved_at": pd.Timestamp(resolved) if resolved else pd.NaT, "status": status,
            "fee_required": fee, "paid_online": paid, "result_digitized": True, "eid_verified": True}


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    for col in ("fee_required", "paid_online", "result_digitized", "eid_verified"):
        out[col] = out[col].astype("boolean")
    return out


def catalogue(codes: list[str], fee: list[bool]) -> pd.DataFrame:
    return pd.DataFrame({"procedure_code": codes, "procedure_name": [f"Thủ tục {c}" for c in codes],
                         "field": "Điện", "level": "full", "eligible_online": True, "fee_required": fee,
                         "online_payment": [True, False, True][: len(codes)], "on_national_portal": True,
                         "internal": False, "published": True}).astype(
        {c: "boolean" for c in ("eligible_online", "fee_required", "online_payment", "on_national_portal",
                                "internal", "published")})


def portal(year: int) -> pd.DataFrame:
    rows = []
    for month in range(1, 13):
        points = {"CKMB": 16.0, "TDGQ": 18.0, "CLGQ": 10.0, "TTTT": 7.0, "MDSH": 19.0, "MDHL": 17.0}
        for g, v in points.items():
            rows.append({"agency": "Sở Công Thương tỉnh Khánh Hòa", "agency_code": "000.00.23.H32",
                         "period": f"{year}-{month:02d}", "group": g, "points": v})
    return pd.DataFrame(rows)


def made_by_code(seed: int = 3) -> dict[str, pd.DataFrame]:
    """A year of dossiers with late, open, supplemented, undated, unpaid and offline ones, a catalogue
    and a portal export: every branch of the rules is met somewhere."""
    rng = np.random.default_rng(seed)
    rows = []
    procs = ["1.000001", "1.000002", "1.000003", "9.999999"]  # the last is not in the catalogue
    units = ["Bộ phận một cửa", "Phòng Quản lý năng lượng", "Phòng Quản lý thương mại"]
    for i in range(600):
        received = pd.Timestamp("2024-11-01") + pd.Timedelta(days=int(rng.integers(0, 420)))
        due = received + pd.Timedelta(days=int(rng.integers(3, 20)))
        took = pd.Timedelta(days=int(rng.integers(1, 30)))
        status = rng.choice(["resolved", "returned", "in_progress", "withdrawn", "rejected"],
                            p=[0.6, 0.1, 0.2, 0.05, 0.05])
        resolved = None if status == "in_progress" else str((received + took).date())
        rows.append(dossier(f"d{i:04d}", str(received), None if rng.random() < 0.1 else str(due.date()), resolved,
                            str(status), proc=str(rng.choice(procs)), unit=str(rng.choice(units)),
                            channel=str(rng.choice(["online", "in_person"], p=[0.7, 0.3])),
                            fee=bool(rng.random() < 0.6), paid=None if rng.random() < 0.1 else bool(rng.random() < 0.5)))
    d = frame(rows)
    supplemented = d["dossier_id"].sample(60, random_state=seed).tolist()
    ev = []
    for k, did in enumerate(supplemented):
        start = d.set_index("dossier_id").loc[did, "received_at"] + pd.Timedelta(days=2)
        ev.append({"dossier_id": did, "event": "supplement_requested", "at": start, "source": "t"})
        if k % 3:
            ev.append({"dossier_id": did, "event": "supplement_completed", "at": start + pd.Timedelta(days=4),
                       "source": "t"})
        if k % 5 == 0:
            ev.append({"dossier_id": did, "event": "supplement_requested", "at": start + pd.Timedelta(days=6),
                       "source": "t"})
    terms = pd.DataFrame({"procedure_code": ["1.000001", "1.000002"], "legal_days": [5.0, 10.0],
                          "day_kind": ["working", "calendar"], "source": "t"})
    evals = pd.DataFrame({"dossier_id": d["dossier_id"].iloc[::17], "overall": "dissatisfied",
                          "evaluated_at": d["received_at"].iloc[::17]})
    return {"dossiers": d, "procedures": catalogue(procs[:3], [True, True, False]), "procedure_terms": terms,
            "dossier_events": pd.DataFrame(ev), "evaluations": evals, "portal766": portal(2025)}


# --- the indicator table -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return indicators.compute(made_by_code(), year=2025)


def test_every_month_quarter_half_and_year_has_every_group(table):
    scores = table[table["indicator_id"] == "index766_score"]
    wanted = {p.label for p in periods_of_year(2025)}
    assert len(wanted) == 19  # 12 months, 4 quarters, 2 halves, the year
    for label in wanted:
        got = scores[scores["period"] == label]
        assert sorted(got["breakdown"]) == sorted([f"group={g}" for g in [*GROUPS, "total"]]), label
    assert (scores["unit"] == "points").all()
    assert scores["value"].notna().all()  # the portal export gives every month: every figure is complete
    assert (scores["status"] == "no_target").all()


def test_groups_within_maxima_and_total_is_their_sum(table):
    scores = table[table["indicator_id"] == "index766_score"]
    for _, rows in scores.groupby("period"):
        by = rows.set_index("breakdown")
        for g, top in MAXIMA.items():
            assert 0 <= by.loc[f"group={g}", "value"] <= top + 1e-9
            assert by.loc[f"group={g}", "denominator"] == top
        assert by.loc["group=total", "denominator"] == 100
        assert by.loc["group=total", "value"] == pytest.approx(sum(by.loc[f"group={g}", "value"] for g in GROUPS))


def test_points_lost_by_procedure_and_by_unit_sum_to_what_each_group_lost(table):
    scores = table[table["indicator_id"] == "index766_score"].set_index(["period", "breakdown"])["value"]
    lost = table[table["indicator_id"] == "index766_points_lost"]
    overall = lost[lost["breakdown"] == "group=total"].set_index("period")["value"]
    for label, value in overall.items():  # what the whole index lost: 100 minus the total
        assert value == pytest.approx(100 - scores[(label, "group=total")])
    lost = lost[lost["breakdown"] != "group=total"]
    parts = lost["breakdown"].str.extract(r"^group=(?P<group>[^;]+);(?P<by>procedure|unit)=(?P<key>.+)$")
    assert parts.notna().all().all()
    lost = pd.concat([lost, parts], axis=1)
    assert (lost["value"] > 0).all()  # keys losing nothing are left out
    for label in {p.label for p in periods_of_year(2025)}:
        for g in GROUPS:
            gone = MAXIMA[g] - scores[(label, f"group={g}")]
            for by in ("procedure", "unit"):
                mine = lost[(lost["period"] == label) & (lost["group"] == g) & (lost["by"] == by)]
                assert mine["value"].sum() == pytest.approx(gone, abs=1e-9), (label, g, by)
    # the catalogue's procedures and the receiving units carry the loss, the portal's part is unallocated
    keys = set(lost.loc[lost["by"] == "procedure", "key"])
    assert {"1.000001", UNALLOCATED} <= keys
    assert "Bộ phận một cửa" in set(lost.loc[lost["by"] == "unit", "key"])


def test_no_dossier_list_gives_no_index_rows():
    table = indicators.compute({"procedures": catalogue(["1.000001"], [True])}, year=2025)
    assert not table["indicator_id"].str.startswith("index766").any()


def test_a_hand_worked_quarter():
    """Q1 2025, linear 2.1: a on time, b late (closed in February), c open at the quarter's end past its
    due date; d closed in December 2024 is out. TDGQ = 20 × 1/3; its 13.33 points lost split between
    the two late dossiers' procedures and units, 6.67 each."""
    d = frame([dossier("a", "2025-01-06", "2025-01-10", "2025-01-09", proc="1.000001", unit="U1"),
               dossier("b", "2025-02-03", "2025-02-07", "2025-02-12", proc="1.000002", unit="U2"),
               dossier("c", "2025-03-17", "2025-03-24", None, "in_progress", proc="1.000001", unit="U2"),
               dossier("d", "2024-12-02", "2024-12-06", "2024-12-05", proc="1.000002", unit="U1")])
    t = indicators.compute({"dossiers": d}, year=2025)
    q1 = t[(t["period"] == "2025-Q1")]
    score = q1[(q1["indicator_id"] == "index766_score") & (q1["breakdown"] == "group=TDGQ")]
    assert score["value"].iloc[0] == pytest.approx(20 / 3)
    lost = q1[q1["indicator_id"] == "index766_points_lost"].set_index("breakdown")["value"]
    assert lost["group=TDGQ;procedure=1.000001"] == pytest.approx(20 / 3)
    assert lost["group=TDGQ;procedure=1.000002"] == pytest.approx(20 / 3)
    assert lost["group=TDGQ;unit=U2"] == pytest.approx(40 / 3)
    assert "group=TDGQ;unit=U1" not in lost.index
    # without a portal export the groups the Department cannot compute have no figure
    ckmb = q1[(q1["indicator_id"] == "index766_score") & (q1["breakdown"] == "group=CKMB")]
    assert ckmb["status"].iloc[0] == "no_data" and ckmb["value"].isna().all()


# --- the roll-up agrees with the item-by-item path ------------------------------------------------------


def test_rollup_gives_the_figures_of_scores_and_points_lost():
    model = ix.build(made_by_code())
    periods = ["2025-01", "2025-02", "2025-Q1", "2025-H2", "2025", "2024-12"]
    fast = rollup(model, periods)
    _, groups = ix.scores(model, periods)
    mine = fast.groups.set_index(["period", "group"])
    theirs = groups.set_index(["period", "group"])
    for col in ("score", "own_score", "own_max", "portal_max"):
        pd.testing.assert_series_equal(mine[col], theirs.loc[mine.index, col], check_names=False, atol=1e-9)
    for p in periods:
        for by in ("procedure", "unit"):
            slow = ix.points_lost(model, p, by=by).groupby(["group", by])["points_lost"].sum(min_count=1)
            slow = slow[~(slow.abs() <= 1e-12)]  # NaN (no portal figure) kept
            got = fast.lost[(fast.lost["period"] == p) & (fast.lost["by"] == by)].set_index(["group", "key"])
            got = got["points_lost"]
            assert sorted(map(tuple, got.index)) == sorted(map(tuple, slow.index)), (p, by)
            for key, value in slow.items():
                assert got[key] == pytest.approx(value, abs=1e-9, nan_ok=True), (p, by, key)


# --- the legal time of the catalogue --------------------------------------------------------------------


def test_legal_time_from_procedure_terms_judges_dossiers_without_a_due_date():
    """Received Monday 03/03/2025, closed Friday 14/03: 9 working days (3–7 and 10–13 March), 11 calendar
    days. 5 working days allowed: 4 late; 10 working days: on time; 10 calendar days: 1 late."""
    d = frame([dossier("w5", "2025-03-03", None, "2025-03-14", proc="A"),
               dossier("w10", "2025-03-03", None, "2025-03-14", proc="B"),
               dossier("c10", "2025-03-03", None, "2025-03-14", proc="C"),
               dossier("none", "2025-03-03", None, "2025-03-14", proc="D")])
    terms = pd.DataFrame({"procedure_code": ["A", "B", "C"], "legal_days": [5.0, 10.0, 10.0],
                          "day_kind": ["working", "working", "calendar"], "source": "t"})
    led, _ = ix.ledger(ix.build({"dossiers": d, "procedure_terms": terms}), "2025-03")
    got = led[led["sub_id"] == "2.1"].set_index("dossier_id")
    assert got.loc["w5", "n"] == 0 and got.loc["w5", "days_late"] == 4
    assert got.loc["w10", "n"] == 1
    assert got.loc["c10", "n"] == 0 and got.loc["c10", "days_late"] == 1
    assert got.loc["none", "n"] == 1  # nothing to judge against: on time
    # without the terms table every one of them is on time
    led, _ = ix.ledger(ix.build({"dossiers": d}), "2025-03")
    assert (led[led["sub_id"] == "2.1"]["n"] == 1).all()


# --- the payment codes of the dossier export -----------------------------------------------------------


def test_payment_codes_one_and_two_are_paid_online_three_is_unknown():
    from cchc_analysis.ingest.labels import map_flags

    flags, unknown = map_flags(paid_codes(pd.Series(["1", 2, 3.0, "0", "Có", "Không", None], dtype=object)))
    assert flags.tolist() == [True, True, pd.NA, False, True, False, pd.NA]
    assert not unknown.any()  # 3 is no unknown word: it is a known code meaning "unknown"
    # the other flag columns keep reading 2 as no flag at all
    flags, unknown = map_flags(pd.Series(["2"], dtype=object))
    assert flags.isna().all() and unknown.all()
