"""Identifiers, codes and numbers from raw cells, whole columns at a time.

- Identifiers as text (:func:`as_text`): ``00123`` stays ``00123`` and a numeric cell ``123.0`` becomes ``123``.
- Codes (:func:`code_text`): ``2``, ``2.0`` and the text ``"2"`` are the one code ``"2"``.
- Numbers: amounts as Vietnamese text (``2.838,0``, ``441,5``) or cells (:func:`parse_numbers`), counts
  as whole numbers (:func:`as_int`), and back to Vietnamese text for messages (:func:`format_vn`).
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

__all__ = ["as_int", "as_text", "code_text", "format_vn", "parse_numbers", "plain_cells", "text_series"]

def _text_of(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def as_text(values: pd.Series) -> pd.Series:
    """Identifiers and labels as text (``string`` dtype); numeric cells lose a ``.0``, never a leading zero.

    >>> as_text(pd.Series(["00123", 123.0, None, 2.5], dtype=object)).tolist()
    ['00123', '123', <NA>, '2.5']
    """
    cells = values.to_numpy(dtype=object)
    if len(cells) > 256 and pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"):
        return text_series(cells, values.index)
    blank = pd.isna(cells)
    return text_series(np.array([None if na else _text_of(v) for v, na in zip(cells, blank, strict=True)], dtype=object),
                       values.index)


def text_series(values: np.ndarray, index: pd.Index) -> pd.Series:
    """A ``string`` (Arrow) series from an object array of ``str`` and None, built directly by Arrow.

    >>> text_series(np.array(["a", None], dtype=object), pd.RangeIndex(2)).tolist()
    ['a', <NA>]
    """
    import pyarrow as pa

    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return pd.Series(pd.arrays.ArrowStringArray(array), index=index, copy=False)


_PLAIN_CELL_TYPES = frozenset({str, int, float, type(None)})


def plain_cells(values: np.ndarray) -> bool:
    """True when every cell is a ``str``, an ``int`` (not a ``bool``), a ``float`` or None.

    Such cells that are equal as distinct values (``1`` and ``1.0``) read the same as codes, labels and
    numbers, so a column (or several columns together) of them can be read once per distinct value;
    ``True`` equals ``1`` but does not read the same.

    >>> plain_cells(np.array(["Có", 1, 2.0, None], dtype=object)), plain_cells(np.array([True, 1], dtype=object))
    (True, False)
    """
    return set(map(type, values.ravel())) <= _PLAIN_CELL_TYPES


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
#: A whole number written as text: plain digits, or thousands grouped by ``.`` or by ``,`` (not both).
_WHOLE_TEXT = re.compile(r"-?(?:\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+)")


def as_int(values: pd.Series, blank: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Whole numbers (counts) from cells or text (``1.210`` and ``1,210`` are one thousand two hundred and ten).

    In text, ``.`` and ``,`` may only group thousands (groups of three digits, one kind of mark per
    number). Any other use of them is a decimal mark (``12,5``, ``12.5``, ``1.234,5``): the cell is
    not a whole number, never read as 125.

    Returns the numbers (``Int64``; ``blank`` where empty) and a mask of cells that are not whole numbers.

    >>> numbers, bad = as_int(pd.Series([3.0, "1.210", "", "abc", " 7 ", "12,5", "1,234,567"], dtype=object), blank=0)
    >>> numbers.tolist(), bad.tolist()
    ([3, 1210, 0, <NA>, 7, <NA>, 1234567], [False, False, False, True, False, True, False])
    """
    cells = values.to_numpy(dtype=object)
    if plain_cells(cells):  # each distinct cell read once
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        read = [whole_number(u, blank) for u in uniques] + [blank]
        if all(r is None or r is pd.NA or _INT64_MIN <= r <= _INT64_MAX for r in read):
            missing = np.array([r is None or r is pd.NA for r in read], dtype=bool)
            whole = np.array([0 if m else r for r, m in zip(read, missing, strict=True)], dtype="int64")
            empty = np.array([isinstance(u, str) and not u.strip() for u in uniques] + [True], dtype=bool)
            numbers = pd.Series(pd.arrays.IntegerArray(whole[codes], missing[codes]), index=values.index)
            return numbers, pd.Series(missing[codes] & ~(empty[codes] & (blank is None)), index=values.index)
    numbers = pd.Series([whole_number(v, blank) for v in values], index=values.index, dtype="Int64")
    blank_cells = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
    return numbers, numbers.isna() & ~(blank_cells & (blank is None))


def whole_number(value: object, blank: int | None = None) -> object:
    """One cell read as :func:`as_int` reads it: an ``int``, ``blank`` for an empty cell, ``pd.NA`` for a
    cell that is not a whole number.

    >>> whole_number("1.210"), whole_number(" "), whole_number("12,5"), whole_number(True), whole_number(4.0)
    (1210, None, <NA>, <NA>, 4)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return blank
    if isinstance(value, bool):
        return pd.NA
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else pd.NA
    text = re.sub(r"[\s\u00a0]", "", str(value))
    digits = re.sub(r"[.,]", "", text)
    if digits == "":
        return blank
    return int(digits) if _WHOLE_TEXT.fullmatch(text) else pd.NA


#: Texts that stand for a blank cell in a column of figures.
_BLANK_MARKS = frozenset({"", "-", "–", "—", "x"})
_VN_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_VN_PLAIN = re.compile(r"-?\d+(?:,\d+)?")
_EN_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+\.\d+")
_DOT_DECIMAL = re.compile(r"-?\d+\.\d+")


def _number(value: object) -> float | None | str:
    """One cell as a float, ``None`` when blank, ``"bad"`` when it is no number."""
    if value is None or isinstance(value, bool):
        return None if value is None else "bad"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = re.sub(r"[\s\u00a0]", "", str(value))
    if text.lower() in _BLANK_MARKS:
        return None
    if _VN_GROUPED.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _VN_PLAIN.fullmatch(text):
        return float(text.replace(",", "."))
    if _EN_GROUPED.fullmatch(text):
        return float(text.replace(",", ""))
    if _DOT_DECIMAL.fullmatch(text):
        return float(text)
    return "bad"


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from cells or Vietnamese text; returns (floats, mask of cells that are no number).

    Vietnamese text groups thousands with ``.`` and marks decimals with ``,``: ``2.838,0`` is
    2838, ``441,5`` is 441.5 and ``1.921`` is 1921. A dot followed by anything but groups of three
    digits is a decimal point (``2838.0``); ``1,234.5`` (both marks, English order) is read too.
    Blank cells and the placeholders ``-`` and ``x`` are blank.

    >>> numbers, bad = parse_numbers(pd.Series(["1.234,5", "12", None, "12a", 7], dtype=object))
    >>> numbers.tolist(), bad.tolist()
    ([1234.5, 12.0, nan, nan, 7.0], [False, False, False, True, False])
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    parsed = [_number(u) for u in uniques]  # each distinct value once; blank cells take the last slot
    numbers = np.array([p if isinstance(p, float) else np.nan for p in parsed] + [np.nan], dtype="float64")
    bad = np.array([p == "bad" for p in parsed] + [False], dtype=bool)
    return (pd.Series(numbers[codes], index=values.index, name=values.name),
            pd.Series(bad[codes], index=values.index, name=values.name))


def format_vn(value: float) -> str:
    """A number as Vietnamese text (``1.234,5``), up to three decimals, for messages.

    >>> format_vn(1234.5), format_vn(2.0), format_vn(0.125)
    ('1.234,5', '2', '0,125')
    """
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")



def code_text(value: object) -> str | None:
    """A code as text (``2``, ``2.0`` and ``"2"`` are ``"2"``), or None when the cell is no whole number.

    >>> code_text(2.0), code_text(" 3.0 "), code_text("2a"), code_text(True)
    ('2', '3', None, None)
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.0+)?\s*", value):
        return str(int(float(value)))
    return None
