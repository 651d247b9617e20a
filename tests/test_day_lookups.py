"""Per-row day and code look-ups used over a million dossiers, against plain NumPy/pandas references.

:func:`cchc_analysis.periods.by_day` and :func:`~cchc_analysis.periods.month_ordinals` compute a function of
the day once per distinct day; :func:`cchc_analysis.indicators.counting.value_masks` tests membership on the
distinct values of a text column. Each is compared with the obvious per-row computation on random data
with missing values, dates before 1970 and far apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cchc_analysis.index766.rollup import NO_PROCEDURE, _procedure_codes
from cchc_analysis.indicators.counting import month_index, value_masks
from cchc_analysis.periods import by_day, month_ordinals


def random_days(seed: int, rows: int, span: int, start: str = "1965-03-01", missing: float = 0.1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    days = (np.datetime64(start) + rng.integers(0, span, rows)).astype("datetime64[D]")
    days[rng.random(rows) < missing] = np.datetime64("NaT")
    return days


@pytest.mark.parametrize(("seed", "span", "missing"), [(1, 40_000, 0.1), (2, 300, 0.0), (3, 10, 1.0),
                                                       (4, 400_000, 0.2), (5, 1, 0.5)])
def test_month_ordinals_match_numpy_calendar(seed, span, missing):
    days = random_days(seed, 5_000, span, missing=missing)
    expected = [-9 if np.isnat(d) else (d.astype(object).year - 1970) * 12 + d.astype(object).month - 1
                for d in days]
    assert month_ordinals(days, -9).tolist() == expected


def test_month_index_of_timestamps_with_times_and_missing():
    stamps = pd.Series(pd.to_datetime(["1969-12-31 23:59", "2024-02-29 12:00", None, "2024-03-01 00:00"]))
    assert month_index(stamps).tolist()[::3] == [-1, 650]
    assert month_index(stamps)[1] == 649 and month_index(stamps)[2] < -10**12


@pytest.mark.parametrize("side", ["left", "right"])
def test_positions_by_day_match_searchsorted(side):
    days = random_days(7, 5_000, 3_000, start="2020-06-01")
    edges = np.unique(random_days(8, 40, 2_000, start="2021-01-01", missing=0))
    got = by_day(days, lambda d: np.searchsorted(edges, d, side=side), len(edges))
    ok = ~np.isnat(days)
    assert (got[ok] == np.searchsorted(edges, days[ok], side=side)).all()
    assert (got[~ok] == len(edges)).all()


def test_value_masks_match_isin_with_missing_values():
    rng = np.random.default_rng(3)
    values = pd.Series(rng.choice(np.array(["resolved", "returned", "withdrawn", None], dtype=object), 2_000),
                       dtype="string")
    masks = value_masks(values, {"closed": ("resolved", "withdrawn"), "none": ("nothing",)})
    assert masks["closed"].tolist() == [v in ("resolved", "withdrawn") for v in values.fillna("?")]
    assert not masks["none"].any()


def test_procedure_keys_put_the_missing_one_where_it_first_appears():
    codes, names = _procedure_codes(pd.Series(["P2", None, "P1", None, "P2"], dtype="string"))
    assert names.tolist() == ["P2", NO_PROCEDURE, "P1"]
    assert codes.tolist() == [0, 1, 2, 1, 0]
    codes, names = _procedure_codes(pd.Series([NO_PROCEDURE, None, "P1"], dtype="string"))
    assert names.tolist() == [NO_PROCEDURE, "P1"] and codes.tolist() == [0, 0, 1]


@pytest.mark.parametrize("limit", [None, 0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dossier_ratio_counts_match_a_plain_groupby(monkeypatch, seed, limit):
    """Monthly and quarterly counts of a received-scope share and a closed-scope share, overall and by field,
    against a pandas groupby over the rows; ``limit=0`` forces the count flag by flag."""
    from cchc_analysis.indicators import counting, dossiers

    if limit is not None:
        monkeypatch.setattr(counting, "MAX_CELL_COMBOS", limit)
    rng = np.random.default_rng(seed)
    n = 400
    received = pd.Series(np.datetime64("2023-11-20") + rng.integers(0, 200, n).astype("timedelta64[D]"))
    received[rng.random(n) < 0.05] = pd.NaT
    resolved = received + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    due = received + pd.to_timedelta(rng.integers(0, 40, n), unit="D")
    d = pd.DataFrame({
        "field": pd.Series(rng.choice(np.array(["A", "B", None], dtype=object), n), dtype="string"),
        "channel": pd.Series(rng.choice(np.array(["online", "in_person", None], dtype=object), n), dtype="string"),
        "status": pd.Series(rng.choice(["resolved", "returned", "withdrawn", "registered", "in_progress"], n),
                            dtype="string"),
        "received_at": received, "resolved_at": resolved.where(rng.random(n) < 0.8), "due_at": due,
        "fee_required": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
    })  # fmt: skip
    specs = {"online_share": {"numerator": {"scope": "received", "flags": ["online", "fee_required"]},
                              "denominator": {"scope": "received", "flags": []}, "breakdowns": ["field"]},
             "on_time_share": {"numerator": {"scope": "closed", "flags": ["on_time"]},
                               "denominator": {"scope": "closed", "flags": []}, "breakdowns": ["field"]}}
    got = dossiers.ratio_counts(d, specs).set_index(["indicator_id", "period", "breakdown"])

    def expected(scope_rows: pd.Series, date: pd.Series, passes: pd.Series, kind: str) -> pd.DataFrame:
        frame = pd.DataFrame({"date": date, "field": d["field"], "ok": passes})[scope_rows & date.notna()]
        month = frame["date"].dt.strftime("%Y-%m")
        frame["period"] = month if kind == "month" else (frame["date"].dt.year.astype(str) + "-Q"
                                                         + frame["date"].dt.quarter.astype(str))
        overall = frame.groupby("period")["ok"].agg(["sum", "size"]).assign(breakdown="all")
        fields = frame.dropna(subset=["field"]).assign(breakdown=lambda f: "field=" + f["field"])
        by_field = fields.groupby(["period", "breakdown"])["ok"].agg(["sum", "size"]).reset_index("breakdown")
        return pd.concat([overall, by_field]).reset_index().set_index(["period", "breakdown"])

    status = d["status"].astype(object)
    online = (d["channel"] == "online").fillna(False) & d["fee_required"].fillna(False)
    received_scope = ~status.isin(["registered", "rejected"])
    closed_scope = status.isin(["resolved", "returned", "withdrawn"])
    on_time = (d["due_at"].isna() | (d["resolved_at"].dt.floor("D") <= d["due_at"].dt.floor("D"))
               | ~status.isin(["resolved", "returned"]))
    for ind, scope, date, passes in (("online_share", received_scope, d["received_at"], online),
                                     ("on_time_share", closed_scope, d["resolved_at"], on_time)):
        for kind in ("month", "quarter"):
            want = expected(scope, date, passes, kind)
            assert len(want) > 5
            for (period, breakdown), row in want.iterrows():
                have = got.loc[(ind, period, breakdown)]
                assert (have["numerator"], have["denominator"]) == (row["sum"], row["size"]), (ind, period, breakdown)
            mine = got.loc[ind]
            periods = mine.index.get_level_values("period")
            is_kind = periods.str.contains("-Q") if kind == "quarter" else periods.str.fullmatch(r"\d{4}-\d{2}")
            assert set(mine[is_kind].index) == set(want.index)  # no period or field without a dossier in scope
