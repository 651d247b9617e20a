"""Columns of one vocabulary read together give what reading each column alone gives: survey answers
(``likert``) and, when a cell is a boolean (``True`` equals ``1`` as a distinct value but does not read
the same), each column alone."""

from __future__ import annotations

import random

import pandas as pd

from cchc_analysis.ingest import surveys
from cchc_analysis.ingest.labels import map_vocab

ANSWERS = ["Rất hài lòng", "HÀI LÒNG", "Bình thường", "Không hài lòng", "rất không hài lòng", "4 - Hài lòng", "5",
           5, 4.0, 1, 3.0, "x", "", None, float("nan"), True, False, 0, "Hai long", "2.0", " 3 "]


def _each_alone(data: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    scores = pd.DataFrame(index=data.index)
    unknown = {}
    for name in names:
        mapped, unknown[name] = map_vocab(data[name], "likert")
        scores[name] = pd.to_numeric(mapped, errors="coerce").astype("Int64")
    return scores, unknown


def test_likert_columns_read_together_match_each_column_alone():
    rng = random.Random(4)
    with_bools = 0
    for _ in range(150):
        n, width = rng.randint(0, 15), rng.randint(0, 5)
        pool = ANSWERS if rng.random() < 0.5 else [a for a in ANSWERS if type(a) is not bool]
        names = [f"access|q{k}" for k in range(width)]
        data = pd.DataFrame({name: pd.Series([rng.choice(pool) for _ in range(n)], dtype=object) for name in names},
                            index=pd.RangeIndex(3, 3 + n))
        with_bools += any(type(v) is bool for name in names for v in data[name])
        scores, unknown = surveys._likert_scores(data, names)
        expected_scores, expected_unknown = _each_alone(data, names)
        pd.testing.assert_frame_equal(scores, expected_scores)
        for name in names:
            pd.testing.assert_series_equal(unknown[name], expected_unknown[name], check_names=False)
    assert with_bools > 10


def test_a_boolean_answer_reads_as_itself_beside_a_numeric_code():
    data = pd.DataFrame({"access|a": pd.Series([True], dtype=object), "access|b": pd.Series([1], dtype=object)})
    scores, unknown = surveys._likert_scores(data, ["access|a", "access|b"])
    alone, alone_unknown = _each_alone(data, ["access|a", "access|b"])
    pd.testing.assert_frame_equal(scores, alone)
    assert unknown["access|a"].tolist() == alone_unknown["access|a"].tolist()


CRITERION_CELLS = ["2 điểm", "Điểm 1 khi tổng thời gian bằng quy định", 0, 1.0, 2, "Rất hài lòng", "hài lòng",
                   "KHÔNG HÀI LÒNG", "3", "", None, True, False, "x", "1.0"]


def test_criteria_read_together_match_each_criterion_alone():
    rng = random.Random(9)
    for _ in range(120):
        n = rng.randint(0, 12)
        pool = CRITERION_CELLS if rng.random() < 0.5 else [c for c in CRITERION_CELLS if type(c) is not bool]
        present = rng.sample(surveys.CRITERIA, rng.randint(0, 9))
        data = pd.DataFrame({name: pd.Series([rng.choice(pool) for _ in range(n)], dtype=object) for name in present},
                            index=pd.RangeIndex(5, 5 + n))
        got = surveys._criteria(data)
        for name, (mapped, unknown) in zip(surveys.CRITERIA, got, strict=True):
            alone_mapped, alone_unknown = map_vocab(surveys._criterion_cells(surveys._column(data, name)), "satisfaction")
            pd.testing.assert_series_equal(mapped, alone_mapped, check_names=False)
            pd.testing.assert_series_equal(unknown, alone_unknown, check_names=False)


def test_criterion_scores_are_the_mapped_scores():
    mapped = pd.Series(["very_satisfied", None, "satisfied", "dissatisfied", "other"], dtype="string",
                       index=pd.RangeIndex(4, 9))
    expected = mapped.map(surveys.SCORES, na_action="ignore").astype("Int64")
    pd.testing.assert_series_equal(surveys._criterion_scores(mapped), expected, check_names=False)
