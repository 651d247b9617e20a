"""Numbers and texts read once per distinct cell give what reading every cell gives (the first versions of
``as_int``, ``as_text`` and ``parse_numbers`` are the reference), including cells equal as values that do
not read the same (``True`` and ``1``) and numbers past 64 bits."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from cchc_analysis.ingest import numbers as N


def _as_int_each(values: pd.Series, blank: int | None = None) -> tuple[pd.Series, pd.Series]:
    """``as_int`` as it first was: every cell read on its own (``numbers.whole_number``), no distinct values."""
    numbers = pd.Series([N.whole_number(v, blank) for v in values], index=values.index, dtype="Int64")
    blank_cells = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
    return numbers, numbers.isna() & ~(blank_cells & (blank is None))


def _as_text_each(values: pd.Series) -> pd.Series:
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return N.text_series(values.to_numpy(dtype=object), values.index)
    return N.text_series(values.map(N._text_of, na_action="ignore").to_numpy(dtype=object), values.index)


def _parse_numbers_each(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    table = {u: N._number(u) for u in pd.unique(values.dropna())}
    parsed = values.map(table, na_action="ignore")
    bad = parsed.eq("bad").fillna(False).astype(bool)
    return pd.to_numeric(parsed.where(~bad), errors="coerce").astype("float64"), bad


CELLS = ["1.234", "1.234,5", "12", None, "12a", 7, 7.0, True, False, 1, 0, -0.0, 0.0, -3, float("nan"), "-", "x",
         " 3 ", "", "  ", "1,210", "12,5", 2.5, pd.NA, dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3, 4), "00123",
         "Hồ sơ", "2.838,0", "1,234.5"]


def _columns(seed: int):
    rng = random.Random(seed)
    for _ in range(400):
        cells = [rng.choice(CELLS) for _ in range(rng.choice([0, 1, 4, 9, 300]))]
        if rng.random() < 0.5:
            cells = [c for c in cells if type(c) in (str, int, float, type(None))]
        yield pd.Series(cells, dtype=object, name=rng.choice([None, "a"]), index=pd.RangeIndex(2, 2 + len(cells)))
    yield pd.Series([0.5, np.nan, 3.0])
    yield pd.Series(["a", None, "3"], dtype="string")


def test_as_int_once_per_distinct_cell_is_as_int_of_every_cell():
    for values in _columns(1):
        for blank in (None, 0):
            got, expected = N.as_int(values, blank), _as_int_each(values, blank)
            pd.testing.assert_series_equal(got[0], expected[0])
            pd.testing.assert_series_equal(got[1], expected[1])


def test_as_int_of_a_number_past_64_bits_fails_as_before():
    values = pd.Series(["1", "123456789012345678901234"], dtype=object)
    with pytest.raises((OverflowError, TypeError, ValueError)):
        _as_int_each(values)
    with pytest.raises((OverflowError, TypeError, ValueError)):
        N.as_int(values)


def test_as_text_per_cell_is_as_text_by_column_map():
    for values in _columns(2):
        pd.testing.assert_series_equal(N.as_text(values), _as_text_each(values))


def test_parse_numbers_once_per_distinct_cell_is_the_mapped_table():
    for values in _columns(3):
        got, expected = N.parse_numbers(values), _parse_numbers_each(values)
        pd.testing.assert_series_equal(got[0], expected[0])
        pd.testing.assert_series_equal(got[1], expected[1])
