"""The many-period roll-up of the 766 index against the item-by-item path, on random small dossier sets.

:func:`cchc_analysis.index766.rollup.rollup` sums the dossiers in hand (2.1, 5.4) without judging every
dossier for every period; :func:`cchc_analysis.index766.scores` and
:func:`~cchc_analysis.index766.points_lost` judge them one period at a time, item by item. Both must give
the same figures on any records, odd ones included: supplements requested before reception, completed
before being requested, requested twice; dossiers closed before they were received, open for years,
withdrawn without a date; legal times in working or calendar days; with or without a catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_analysis import index766 as ix
from cchc_analysis.index766.rollup import rollup

STATUSES = ["resolved", "returned", "in_progress", "withdrawn", "rejected", "registered", "supplement",
            "suspended"]
PROCS = ["1.000001", "1.000002", "1.000003", None]
UNITS = ["Bộ phận một cửa", "Phòng Quản lý năng lượng", None]
PERIODS = ["2024-11", "2024-12", "2024-Q4", "2024-H2", "2024", "2025-01", "2025-02", "2025-03", "2025-Q1",
           "2025-Q2", "2025-H1", "2025-H2", "2025", "2025-06"]


def random_tables(seed: int, rows: int, with_catalogue: bool) -> dict[str, pd.DataFrame]:
    """Dossiers over 2024-2025 with every odd case of the rules somewhere (drawn from ``seed``)."""
    rng = np.random.default_rng(seed)
    day0 = np.datetime64("2024-09-01")
    received = day0 + rng.integers(0, 480, rows).astype("timedelta64[D]")
    received = np.where(rng.random(rows) < 0.05, np.datetime64("NaT"), received)
    took = rng.integers(-5, 90, rows).astype("timedelta64[D]")  # some closed before they were received
    resolved = np.where(rng.random(rows) < 0.15, np.datetime64("NaT"), received + took)
    due = np.where(rng.random(rows) < 0.3, np.datetime64("NaT"), received + rng.integers(0, 25, rows).astype(
        "timedelta64[D]"))
    status = rng.choice(STATUSES, rows, p=[0.45, 0.1, 0.2, 0.07, 0.05, 0.04, 0.05, 0.04])
    dossiers = pd.DataFrame({
        "dossier_id": [f"d{i}" for i in range(rows)],
        "procedure_code": rng.choice(np.array(PROCS, dtype=object), rows),
        "procedure_name": rng.choice(["Thủ tục A", "Thủ tục B"], rows),
        "field": "Điện",
        "unit": rng.choice(np.array(UNITS, dtype=object), rows),
        "channel": rng.choice(["online", "in_person", "postal"], rows),
        "service_level": rng.choice(np.array(["full", "partial", "none", None], dtype=object), rows),
        "received_at": pd.to_datetime(received), "due_at": pd.to_datetime(due),
        "resolved_at": pd.to_datetime(resolved), "status": status,
        "fee_required": pd.array(rng.choice([True, False, None], rows), dtype="boolean"),
        "paid_online": pd.array(rng.choice([True, False, None], rows), dtype="boolean"),
        "result_digitized": pd.array(rng.choice([True, False], rows), dtype="boolean"),
        "eid_verified": pd.array(rng.choice([True, False, None], rows), dtype="boolean"),
    })  # fmt: skip
    events = []
    for i in np.flatnonzero(rng.random(rows) < 0.4):
        base = received[i] if not np.isnat(received[i]) else day0
        ask = base + np.timedelta64(int(rng.integers(-4, 40)), "D")  # before reception now and then
        events.append({"dossier_id": f"d{i}", "event": "supplement_requested", "at": ask})
        if rng.random() < 0.6:
            events.append({"dossier_id": f"d{i}", "event": "supplement_completed",
                           "at": ask + np.timedelta64(int(rng.integers(-3, 30)), "D")})
        if rng.random() < 0.2:
            events.append({"dossier_id": f"d{i}", "event": "supplement_requested",
                           "at": ask + np.timedelta64(int(rng.integers(0, 60)), "D")})
        if rng.random() < 0.1:
            events.append({"dossier_id": f"d{i}", "event": "complaint", "at": ask})
    ev = pd.DataFrame(events, columns=["dossier_id", "event", "at"]).assign(source="t")
    ev["at"] = pd.to_datetime(ev["at"])
    facts = pd.DataFrame({"dossier_id": [f"d{i}" for i in range(0, rows, 7)],
                          "supplement_count": rng.choice([np.nan, 0, 1, 2], len(range(0, rows, 7)))})
    terms = pd.DataFrame({"procedure_code": ["1.000001", "1.000002"], "legal_days": [5.0, 12.0],
                          "day_kind": ["working", "calendar"], "source": "t"})
    evals = pd.DataFrame({"dossier_id": dossiers["dossier_id"].iloc[::5],
                          "overall": rng.choice(["dissatisfied", "satisfied"], len(dossiers.iloc[::5]))})
    tables = {"dossiers": dossiers, "dossier_events": ev, "dossier_facts": facts, "procedure_terms": terms,
              "evaluations": evals}
    if with_catalogue:
        tables["procedures"] = pd.DataFrame({
            "procedure_code": ["1.000001", "1.000002", "1.000004"], "procedure_name": ["A", "B", "D"],
            "field": "Điện", "level": ["full", "none", "partial"], "fee_required": [True, False, True],
            "online_payment": [True, False, True], "on_national_portal": [True, True, False],
            "internal": False}).astype({c: "boolean" for c in ("fee_required", "online_payment",
                                                              "on_national_portal", "internal")})  # fmt: skip
    return tables


def assert_same_figures(model: ix.Model, periods: list[str]) -> None:
    """The roll-up's group scores and points lost are those of the item-by-item path."""
    fast = rollup(model, periods)
    _, groups = ix.scores(model, periods)
    mine = fast.groups.set_index(["period", "group"])
    theirs = groups.set_index(["period", "group"])
    assert len(mine) == len(theirs) == len(periods) * 7
    for col in ("score", "own_score", "own_max", "portal_max"):
        pd.testing.assert_series_equal(mine[col], theirs.loc[mine.index, col], check_names=False, atol=1e-9)
    for p in periods:
        for by in ("procedure", "unit"):
            slow = ix.points_lost(model, p, by=by).groupby(["group", by])["points_lost"].sum(min_count=1)
            slow = slow[~(slow.abs() <= 1e-12)]
            got = fast.lost[(fast.lost["period"] == p) & (fast.lost["by"] == by)].set_index(["group", "key"])
            got = got["points_lost"]
            assert sorted(map(tuple, got.index)) == sorted(map(tuple, slow.index)), (p, by)
            for key, value in slow.items():
                assert got[key] == pytest.approx(value, abs=1e-9, nan_ok=True), (p, by, key)


def in_hand_counts(model: ix.Model, period: str) -> tuple[float, float, float, float]:
    """2.1 and 5.4 (N, D) from the item-by-item ledger."""
    led, _ = ix.ledger(model, period)
    s = led.groupby("sub_id")[["n", "d"]].sum()
    return tuple(float(s.loc[sid, c]) if sid in s.index else 0.0 for sid in ("2.1", "5.4") for c in ("n", "d"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), rows=st.integers(1, 120), with_catalogue=st.booleans())
def test_rollup_matches_the_item_by_item_path_on_random_records(seed, rows, with_catalogue):
    assert_same_figures(ix.build(random_tables(seed, rows, with_catalogue)), PERIODS)


def test_the_random_records_meet_the_odd_cases_and_score_below_the_maximum():
    """The generator is not too kind: late and open dossiers, odd supplement dates, points lost."""
    tables = random_tables(11, 400, True)
    model = ix.build(tables)
    d = model.dossiers
    assert (d["request1_at"] < d["received_at"]).any()  # supplement asked before reception
    assert (d["resolved_at"] < d["received_at"]).any()  # closed before reception
    assert d["request2_at"].notna().any()
    n21, d21, n54, d54 = in_hand_counts(model, "2025-Q1")
    assert 0 < n21 < d21 and n54 < n21  # some late, some disliked
    assert_same_figures(model, PERIODS)


def test_an_open_dossier_is_in_hand_every_period_until_it_is_closed():
    """x: received 10/01/2025, due 20/01, closed 15/04; y: received 05/01, due 31/03, never closed. Both are
    in hand from January; x is late on every last day from 31/01, y on time up to 31/03 and late after;
    in May only y is in hand. 2.1 weighs 20 points (threshold 1): worked out by hand."""
    d = pd.DataFrame({"dossier_id": ["x", "y"], "procedure_code": ["P", "P"], "procedure_name": ["P", "P"],
                      "field": "F", "unit": "U", "channel": "online", "service_level": "full",
                      "received_at": pd.to_datetime(["2025-01-10", "2025-01-05"]),
                      "due_at": pd.to_datetime(["2025-01-20", "2025-03-31"]),
                      "resolved_at": pd.to_datetime(["2025-04-15", None]),
                      "status": ["resolved", "in_progress"]})
    r = rollup(ix.build({"dossiers": d}), ["2025-01", "2025-02", "2025-03", "2025-Q1", "2025-04", "2025-05"])
    got = r.lost[(r.lost["group"] == "TDGQ") & (r.lost["by"] == "procedure")].set_index("period")["points_lost"]
    assert got["2025-01"] == pytest.approx(20 * 0.5)  # 1 of 2 on time
    assert got["2025-Q1"] == pytest.approx(20 * 0.5)
    assert got["2025-03"] == pytest.approx(20 * 0.5)  # y due 31/03: still on time on the 31st
    assert got["2025-04"] == pytest.approx(20.0)  # both late (x closed late on 15/04, y overdue)
    assert got["2025-05"] == pytest.approx(20.0)  # only y, late
    assert_same_figures(ix.build({"dossiers": d}), ["2025-01", "2025-02", "2025-03", "2025-Q1", "2025-04",
                                                     "2025-05"])


def test_a_dossier_late_then_on_time_again_is_judged_at_each_last_day():
    """Supplement asked 02/01/2025, before reception (28/03), completed 25/04; legal time −1 working day
    (a bad catalogue row). On 31/03 the clock stands at the request (0 days worked, 1 late); on 30/04
    the 23 working days since reception less the 81 of the pause leave it on time: lateness falls, so
    the roll-up may not assume a dossier stays late once late."""
    d = pd.DataFrame({"dossier_id": ["z"], "procedure_code": ["N"], "procedure_name": ["N"], "field": "F",
                      "unit": "U", "channel": "online", "service_level": "full",
                      "received_at": pd.to_datetime(["2025-03-28"]), "due_at": pd.to_datetime([None]),
                      "resolved_at": pd.to_datetime([None]), "status": ["in_progress"]})
    ev = pd.DataFrame({"dossier_id": ["z", "z"], "event": ["supplement_requested", "supplement_completed"],
                       "at": pd.to_datetime(["2025-01-02", "2025-04-25"]), "source": "t"})
    terms = pd.DataFrame({"procedure_code": ["N"], "legal_days": [-1.0], "day_kind": ["working"], "source": "t"})
    model = ix.build({"dossiers": d, "dossier_events": ev, "procedure_terms": terms})
    assert np.busday_count("2025-03-28", "2025-04-30") == 23 and np.busday_count("2025-01-02", "2025-04-25") == 81
    assert in_hand_counts(model, "2025-03")[:2] == (0.0, 1.0)
    assert in_hand_counts(model, "2025-04")[:2] == (1.0, 1.0)
    assert_same_figures(model, ["2025-03", "2025-04", "2025-05", "2025-Q1", "2025-Q2", "2025-H1"])


@pytest.mark.parametrize("with_catalogue", [True, False])
def test_the_rollup_without_the_combined_count_gives_the_same_figures(monkeypatch, with_catalogue):
    """Many procedures and flag combinations make the count by (month, key, combination) too large: the
    roll-up then counts flag by flag, with the figures of the item-by-item path all the same."""
    from cchc_analysis.indicators import counting

    monkeypatch.setattr(counting, "MAX_CELL_COMBOS", 0)
    assert_same_figures(ix.build(random_tables(5, 300, with_catalogue)), PERIODS)
