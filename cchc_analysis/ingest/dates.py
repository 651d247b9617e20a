"""Dates from raw cells, whole columns at a time, and reporting periods from title text.

- :func:`parse_dates`: real date cells, Excel serial numbers, and text in ``dd/mm/yyyy`` (``/``, ``-`` or
  ``.``; with ``HH:MM`` or ``HH:MM:SS``), ISO ``yyyy-mm-dd[THH:MM[:SS]]`` (with an offset or ``Z``:
  converted to naive Vietnam time) or the portal's compact ``yyyyMMddHHmmss`` / ``yyyyMMdd`` (text or
  number). Text is only ever read day first: ``02/03/2024`` is 2 March, never 3 February. A text that
  has the shape of a date but is no date (``31/02/2024``) is *impossible*; any other text is
  *unreadable*. Both are reported, never guessed.
- :func:`period_from_title`: the reporting period named in a sheet's title lines (``Quý II năm 2025``,
  ``Từ ngày 15/12/2024 đến ngày 14/3/2025``); not to be confused with
  :meth:`cchc_analysis.periods.Period.parse`, which reads the pack's own period labels.

>>> s = pd.Series(["02/03/2024 07:41", "2024-03-02", "31/02/2024", "hôm qua", None, 45353.5], dtype=object)
>>> parsed = parse_dates(s)
>>> parsed.values.dt.strftime("%Y-%m-%d %H:%M").fillna("-").tolist()
['2024-03-02 07:41', '2024-03-02 00:00', '-', '-', '-', '2024-03-02 12:00']
>>> parsed.problems.fillna("-").tolist()
['-', '-', 'impossible', 'unreadable', '-', '-']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from cchc_analysis.ingest.text import fold

__all__ = ["DATE_FORMATS", "ParsedDates", "parse_dates", "period_from_title"]

DATETIME_DTYPE = "datetime64[us]"
TEXT_DTYPE = pd.StringDtype("pyarrow")
LOCAL_TZ = "Asia/Ho_Chi_Minh"

# Explicit text formats, tried in this order (all day first or year first, never month first).
DATE_FORMATS = (
    "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
)  # fmt: skip
_DMY_SHAPE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$")
_ISO_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
#: Excel serial numbers accepted as dates (1954-10-13 .. 2173-10-14).
SERIAL_RANGE = (20000.0, 100000.0)


@dataclass
class ParsedDates:
    """Datetimes (``values``, NaT where absent or bad) and, per cell, NA, ``impossible`` or ``unreadable``."""

    values: pd.Series
    problems: pd.Series


def parse_dates(values: pd.Series) -> ParsedDates:
    """Parse a column of raw cells into naive local datetimes, reporting what could not be read.

    >>> parse_dates(pd.Series(["05/01/2024", "2024-01-05T10:00:00+00:00"], dtype=object)).values.tolist()
    [Timestamp('2024-01-05 00:00:00'), Timestamp('2024-01-05 17:00:00')]
    """
    cells = values.to_numpy(dtype=object)
    out = np.full(len(cells), np.datetime64("NaT"), dtype=DATETIME_DTYPE)
    problems = np.full(len(cells), None, dtype=object)
    kinds = _cell_kinds(values).to_numpy(dtype=object)

    where = np.flatnonzero(kinds == "datetime")
    if len(where):
        out[where] = pd.to_datetime([_as_datetime(v) for v in cells[where]]).to_numpy(dtype=DATETIME_DTYPE)
    where = np.flatnonzero(kinds == "number")
    if len(where):
        numbers = cells[where].astype("float64")
        compact = (numbers >= 1e7) & (numbers == np.floor(numbers))  # 20240305 or 20240305081500 as a number
        if compact.any():
            texts = np.array([str(int(v)) for v in numbers[compact]], dtype=object)
            _parse_compact(pd.Series(texts, index=where[compact]), out, problems)
        _put_serials(numbers[~compact], where[~compact], out, problems)
    where = np.flatnonzero(kinds == "text")
    if len(where):
        _parse_texts(cells[where], where, out, problems)
    problems[kinds == "other"] = "unreadable"
    return ParsedDates(pd.Series(out, index=values.index), pd.Series(problems, index=values.index, dtype="string"))


_KIND_OF_INFERRED = {"string": "text", "empty": "blank", "floating": "number", "integer": "number",
                     "mixed-integer-float": "number", "datetime": "datetime", "datetime64": "datetime",
                     "date": "datetime"}


def _cell_kinds(values: pd.Series) -> pd.Series:
    """``text``, ``number``, ``datetime``, ``other`` per cell (None for blank); one C pass when uniform."""
    inferred = _KIND_OF_INFERRED.get(pd.api.types.infer_dtype(values, skipna=True))
    if inferred is not None:
        return pd.Series(inferred, index=values.index, dtype=object).where(values.notna(), None)
    return values.map(_cell_kind, na_action="ignore")


def _cell_kind(value: object) -> str:
    if isinstance(value, bool):
        return "other"
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return "datetime"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "number"
    if isinstance(value, str):
        return "text"
    return "other"


def _as_datetime(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _put_serials(numbers: np.ndarray, where: np.ndarray, out: np.ndarray, problems: np.ndarray) -> None:
    """Excel serial day numbers (1900 system) to datetimes, rounded to the second."""
    ok = (numbers >= SERIAL_RANGE[0]) & (numbers <= SERIAL_RANGE[1])
    seconds = np.round((numbers[ok] - 25569.0) * 86400.0)  # 25569 days from 1899-12-30 to 1970-01-01
    out[where[ok]] = (seconds.astype("int64") * 1_000_000).astype(DATETIME_DTYPE)
    problems[where[~ok]] = "unreadable"


def _parse_texts(cells: np.ndarray, where: np.ndarray, out: np.ndarray, problems: np.ndarray) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pc.utf8_trim_whitespace(pa.array(cells, type=pa.string()))
    local, targets = _parse_exact_fast(texts, where, out)
    if not len(local):
        return
    remaining = pd.Series(pc.take(texts, pa.array(local)).to_pylist(), index=targets, dtype=object)
    for fmt in DATE_FORMATS:  # texts not written exactly (a one-digit day, say): pandas' strict parser
        if remaining.empty:
            return
        parsed = pd.to_datetime(remaining, format=fmt, errors="coerce")
        good = parsed.notna().to_numpy()
        if good.any():
            out[remaining.index[good]] = parsed[good].to_numpy(dtype=DATETIME_DTYPE)
            remaining = remaining[~good]
    if remaining.empty:
        return
    remaining = remaining.astype(str)
    iso = remaining.str.match(_ISO_SHAPE).to_numpy()
    if iso.any():
        _parse_iso(remaining[iso], out)
    compact = remaining.str.fullmatch(_COMPACT_SHAPE).to_numpy()
    if compact.any():
        _parse_compact(remaining[compact], out, problems)
        remaining = remaining[~compact]
    serial = remaining.str.match(_SERIAL_TEXT).to_numpy()
    if serial.any():
        chosen = remaining[serial]
        _put_serials(chosen.astype("float64").to_numpy(), chosen.index.to_numpy(), out, problems)
    left = remaining[np.isnat(out[remaining.index.to_numpy()]) & ~serial]
    shaped = (left.str.match(_DMY_SHAPE) | left.str.match(_ISO_SHAPE)).to_numpy()
    problems[left.index.to_numpy()] = np.where(shaped, "impossible", "unreadable")


_WIDTHS = {"%d": 2, "%m": 2, "%Y": 4, "%H": 2, "%M": 2, "%S": 2}


@cache
def _exact_shape(fmt: str) -> tuple[str, int]:
    """The RE2 pattern of ``fmt`` written with zero-padded fields, and where its day (``%d``) starts.

    >>> _exact_shape("%d.%m.%Y") == ("^" + r"\\d{2}\\.\\d{2}\\.\\d{4}" + "$", 0)
    True
    >>> _exact_shape("%Y/%m/%d")[1]
    8
    """
    pattern, position, day = "^", 0, -1
    for piece in re.split(r"(%[dmYHMS])", fmt):
        if piece in _WIDTHS:
            day = position if piece == "%d" else day
            pattern += rf"\d{{{_WIDTHS[piece]}}}"
            position += _WIDTHS[piece]
        else:
            pattern += re.escape(piece)
            position += len(piece)
    return pattern + "$", day


def _parse_exact_fast(texts: object, where: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse texts written exactly (zero-padded) in one of :data:`DATE_FORMATS` with Arrow.

    A C ``strptime`` rolls a day that does not exist over (``31/02`` becomes 2 March), so a parsed
    value is accepted only when its day of month is the day written. Returns the positions (in
    ``texts``) and the targets (in ``out``) of the texts left for the strict parser.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    local = np.arange(len(where))
    targets = where
    current = texts
    for fmt in DATE_FORMATS:
        if not len(local):
            break
        shape, day_at = _exact_shape(fmt)
        shaped = pc.match_substring_regex(current, shape)
        if not pc.any(shaped).as_py():
            continue
        parsed = pc.strptime(current, format=fmt, unit="us", error_is_null=True)
        written = pc.cast(pc.if_else(shaped, pc.utf8_slice_codeunits(current, day_at, day_at + 2), "0"), pa.int64())
        same = pc.fill_null(pc.and_(shaped, pc.equal(pc.day(parsed), written)), False).to_numpy(zero_copy_only=False)
        if same.any():
            out[targets[same]] = parsed.to_numpy(zero_copy_only=False)[same].astype(DATETIME_DTYPE)
            keep = ~same
            local, targets = local[keep], targets[keep]
            current = pc.filter(current, pa.array(keep))
    return local, targets


_COMPACT_SHAPE = re.compile(r"(?:19|20|21)\d{6}(?:\d{6})?")


def _parse_compact(texts: pd.Series, out: np.ndarray, problems: np.ndarray) -> None:
    """``yyyyMMddHHmmss`` (the national portal's sync payload) and ``yyyyMMdd``; others unreadable."""
    for width, fmt in ((14, "%Y%m%d%H%M%S"), (8, "%Y%m%d")):
        chosen = texts[texts.str.len() == width]
        if chosen.empty:
            continue
        parsed = pd.to_datetime(chosen, format=fmt, errors="coerce")
        good = parsed.notna().to_numpy()
        out[chosen.index[good]] = parsed[good].to_numpy(dtype=DATETIME_DTYPE)
        problems[chosen.index[~good]] = "impossible"
    other = ~texts.str.len().isin([8, 14]).to_numpy()
    problems[texts.index[other]] = "unreadable"


def _parse_iso(texts: pd.Series, out: np.ndarray) -> None:
    aware = texts.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).to_numpy()
    if (~aware).any():
        naive = pd.to_datetime(texts[~aware], format="ISO8601", errors="coerce")
        out[naive.index.to_numpy()] = naive.to_numpy(dtype=DATETIME_DTYPE)
    if aware.any():
        stamps = pd.to_datetime(texts[aware], format="ISO8601", errors="coerce", utc=True)
        local = stamps.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
        out[local.index.to_numpy()] = local.to_numpy(dtype=DATETIME_DTYPE)



# --- reporting periods ---

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# A date range: "từ (ngày) 15/12/2024 đến (hết) (ngày) 14/12/2025", "15/12/2024 - 14/12/2025" (the dash folds
# away), or spelled out "từ ngày 15 tháng 12 năm 2024 đến ngày 14 tháng 12 năm 2025".
_DATE_WORDS = r"(?:ngay )?(\d{1,2}) (?:thang )?(\d{1,2}) (?:nam )?(\d{4})"
_RANGE_RE = re.compile(rf"(?:tu ngay|tu)?\s*{_DATE_WORDS} (?:den|toi)(?: het)?(?: ngay)? {_DATE_WORDS}")
_DASH_RANGE_RE = re.compile(r"(\d{4})\s*[-–—]\s*(\d{1,2}\s*[/.-])")
_QUARTER_RE = re.compile(r"quy (i{1,3}|iv|[1-4])(?: nam)? (\d{4})")
_HALF_RE = re.compile(r"(6|sau) thang (dau|cuoi)(?: nam)? (\d{4})")
_NINE_RE = re.compile(r"9 thang(?: dau)?(?: nam)? (\d{4})")
_MONTH_RE = re.compile(r"thang (\d{1,2})(?: nam)? (\d{4})")
_YEAR_RE = re.compile(r"nam (\d{4})")


def period_from_title(lines: list[str]) -> tuple[dt.date, dt.date] | None:
    """The reporting period named in title lines, as (first day, last day), or None.

    >>> period_from_title(["Kỳ báo cáo: Năm 2024", "(Từ ngày 01/01/2024 đến ngày 31/12/2024)"])
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> period_from_title(["Kỳ báo cáo: Quý II năm 2025"]), period_from_title(["6 tháng đầu năm 2025"])[1]
    ((datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)), datetime.date(2025, 6, 30))

    Official reporting windows (Nghị định 09/2019/NĐ-CP: the 15th to the 14th) are read as written,
    with or without ``ngày``, with a dash, or spelled out; a range that ends before it starts is no period:

    >>> period_from_title(["(Từ 15/12/2024 đến 14/3/2025)"])
    (datetime.date(2024, 12, 15), datetime.date(2025, 3, 14))
    >>> period_from_title(["Kỳ báo cáo: 15/12/2024 - 14/12/2025"])[0], period_from_title(["Từ 15/12/2025 đến 14/12/2024"])
    (datetime.date(2024, 12, 15), None)
    >>> period_from_title(["Từ ngày 15 tháng 12 năm 2024 đến hết ngày 14 tháng 12 năm 2025"])[1]
    datetime.date(2025, 12, 14)
    """
    text = " ".join(fold(_DASH_RANGE_RE.sub(r"\1 đến \2", line)) for line in lines)
    if m := _RANGE_RE.search(text):
        d1, m1, y1, d2, m2, y2 = map(int, m.groups())
        try:
            first, last = dt.date(y1, m1, d1), dt.date(y2, m2, d2)
        except ValueError:
            return None
        return (first, last) if first <= last else None
    if m := _QUARTER_RE.search(text):
        q = _ROMAN.get(m.group(1)) or int(m.group(1))
        return _span(int(m.group(2)), 3 * q - 2, 3 * q)
    if m := _HALF_RE.search(text):
        first = m.group(2) == "dau"
        return _span(int(m.group(3)), 1 if first else 7, 6 if first else 12)
    if m := _NINE_RE.search(text):
        return _span(int(m.group(1)), 1, 9)
    if (m := _MONTH_RE.search(text)) and 1 <= int(m.group(1)) <= 12:
        return _span(int(m.group(2)), int(m.group(1)), int(m.group(1)))
    if m := _YEAR_RE.search(text):
        return _span(int(m.group(1)), 1, 12)
    return None


def _span(year: int, first_month: int, last_month: int) -> tuple[dt.date, dt.date]:
    end = dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, first_month, 1), end
