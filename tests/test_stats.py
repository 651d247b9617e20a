"""Wilson score interval against published values, vectorised, with n = 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cchc_analysis.stats import wilson_interval

# Reference values: Newcombe (1998), Statistics in Medicine 17:857-872, table I (method 3, Wilson score
# without continuity correction), and the closed form for k = 0 and k = n.
KNOWN = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), KNOWN)
def test_known_values(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert isinstance(lo, float)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_vectorised_over_arrays_and_series():
    k = np.array([row[0] for row in KNOWN])
    n = np.array([row[1] for row in KNOWN])
    lo, hi = wilson_interval(k, n)
    assert np.allclose(lo, [row[2] for row in KNOWN], atol=1e-4)
    assert np.allclose(hi, [row[3] for row in KNOWN], atol=1e-4)
    s_lo, s_hi = wilson_interval(pd.Series(k, index=list("abcde")), pd.Series(n, index=list("abcde")))
    assert list(s_lo.index) == list("abcde")
    assert np.allclose(s_hi.to_numpy(), hi)


def test_zero_and_missing_n_give_nan():
    lo, hi = wilson_interval(pd.Series([0, 3, 2], dtype="Int64"), pd.Series([0, pd.NA, 4], dtype="Int64"))
    assert lo.isna().tolist() == [True, True, False]
    assert hi.isna().tolist() == [True, True, False]
    assert all(np.isnan(wilson_interval(0, 0)))


def test_interval_contains_the_share_and_narrows_with_n():
    lo1, hi1 = wilson_interval(9, 10)
    lo2, hi2 = wilson_interval(900, 1000)
    assert lo1 < 0.9 < hi1 and lo2 < 0.9 < hi2
    assert hi2 - lo2 < hi1 - lo1
    lo, hi = wilson_interval(9, 10, z=2.576)
    assert lo < lo1 and hi > hi1
