"""Typed values from raw cells, whole columns at a time, each with an explicit rule.

- Dates: real date cells, Excel serial numbers, and text in ``dd/mm/yyyy`` (``/``, ``-`` or ``.``; with
  ``HH:MM`` or ``HH:MM:SS``), ISO ``yyyy-mm-dd[THH:MM[:SS]]`` (with an offset or ``Z``: converted to
  naive Vietnam time) or the portal's compact ``yyyyMMddHHmmss`` / ``yyyyMMdd`` (text or number). Text is only ever read day first: ``02/03/2024`` is 2 March, never 3 February.
  A text that has the shape of a date but is no date (``31/02/2024``) is *impossible*; any other
  text is *unreadable*. Both are reported, never guessed.
- Labels and codes (channel, status, service level…) through ``registry/vocab.yaml``: codes are
  compared as text (``2``, ``2.0``), labels after :func:`~cchc_analysis.ingest.text.fold`.
- Flags: ``Có/Không``, ``x``/blank, ``0/1``, ``True/False`` (blank is null).
- Identifiers as text: ``00123`` stays ``00123`` and a numeric cell ``123.0`` becomes ``123``.
- Numbers: amounts as Vietnamese text (``2.838,0``, ``441,5``) or cells (:func:`parse_numbers`), counts
  as whole numbers (:func:`as_int`), and back to Vietnamese text for messages (:func:`format_vn`).

>>> s = pd.Series(["02/03/2024 07:41", "2024-03-02", "31/02/2024", "hôm qua", None, 45353.5], dtype=object)
>>> parsed = parse_dates(s)
>>> parsed.values.dt.strftime("%Y-%m-%d %H:%M").fillna("-").tolist()
['2024-03-02 07:41', '2024-03-02 00:00', '-', '-', '-', '2024-03-02 12:00']
>>> parsed.problems.fillna("-").tolist()
['-', '-', 'impossible', 'unreadable', '-', '-']
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from cchc_analysis.ingest.text import fold
from cchc_analysis.registry import load

__all__ = ["LabelMatch", "ParsedDates", "VocabResult", "as_int", "as_text", "contained_labels", "format_vn",
           "map_flags", "map_vocab", "match_vocab", "parse_dates", "parse_numbers", "parse_period", "read_label"]

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


# --- text and numbers ---


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
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return text_series(values.to_numpy(dtype=object), values.index)
    return text_series(values.map(_text_of, na_action="ignore").to_numpy(dtype=object), values.index)


def text_series(values: np.ndarray, index: pd.Index) -> pd.Series:
    """A ``string`` (Arrow) series from an object array of ``str`` and None, built directly by Arrow.

    >>> text_series(np.array(["a", None], dtype=object), pd.RangeIndex(2)).tolist()
    ['a', <NA>]
    """
    import pyarrow as pa

    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return pd.Series(pd.arrays.ArrowStringArray(array), index=index, copy=False)


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
    def one(value: object) -> object:
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

    numbers = pd.Series([one(v) for v in values], index=values.index, dtype="Int64")
    blank_cells = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
    return numbers, numbers.isna() & ~(blank_cells & (blank is None))


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
    table = {u: _number(u) for u in pd.unique(values.dropna())}
    parsed = values.map(table, na_action="ignore")
    bad = parsed.eq("bad").fillna(False).astype(bool)
    numbers = pd.to_numeric(parsed.where(~bad), errors="coerce").astype("float64")
    return numbers, bad


def format_vn(value: float) -> str:
    """A number as Vietnamese text (``1.234,5``), up to three decimals, for messages.

    >>> format_vn(1234.5), format_vn(2.0), format_vn(0.125)
    ('1.234,5', '2', '0,125')
    """
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _per_distinct(values: pd.Series, one: Callable[[object], object]) -> tuple[np.ndarray, np.ndarray]:
    """``one`` applied to each distinct non-blank value, spread over the column; and the blank mask.

    >>> results, blank = _per_distinct(pd.Series(["a", None, "a", "b"], dtype=object), str.upper)
    >>> results.tolist(), blank.tolist()
    (['A', None, 'A', 'B'], [False, True, False, False])
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    results = np.array([one(u) for u in uniques] + [None], dtype=object)
    return results[codes], codes == -1


@cache
def _vocab_lookup(section: str) -> tuple[dict[str, str], dict[str, str]]:
    entry = load("vocab")[section]
    labels = {fold(str(label)): str(canonical) for canonical, items in (entry.get("labels") or {}).items()
              for label in items}
    codes = {str(code): str(canonical) for code, canonical in (entry.get("codes") or {}).items()}
    return labels, codes


@cache
def _vocab_phrases(section: str) -> tuple[tuple[str, str, str], ...]:
    """(folded label, canonical value, label as registered) of a section, longest first.

    Only labels with at least two letters take part in the search inside longer values (``x``, ``1``
    or ``Y`` would be found everywhere).
    """
    entry = load("vocab")[section]
    items = entry.get("labels") if "labels" in entry else entry
    phrases = {}
    for canonical, labels in (items or {}).items():
        for label in labels:
            key = fold(str(label))
            if sum(ch.isalpha() for ch in key) >= 2:
                phrases.setdefault(key, (key, str(canonical), str(label)))
    return tuple(sorted(phrases.values(), key=lambda p: (-len(p[0]), p[0])))


def _code_text(value: object) -> str | None:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.0+)?\s*", value):
        return str(int(float(value)))
    return None


@dataclass(frozen=True)
class LabelMatch:
    """How one label was read: the canonical value (or None), and the disagreeing candidates if any.

    ``conflict`` holds ``(label as registered, canonical value)`` pairs, one per candidate value,
    when the value contains registered labels that map to different values.
    """

    value: str | None
    conflict: tuple[tuple[str, str], ...] = ()


def contained_labels(key: str, phrases: tuple[tuple[str, str, str], ...]) -> list[tuple[str, str]]:
    """Registered labels found as whole words in a folded value, less those inside a longer one found.

    Returns ``(label as registered, canonical value)`` pairs in the order they occur.

    >>> contained_labels("khong duoc tiep nhan", (("khong duoc tiep nhan", "rejected", "Không được tiếp nhận"),
    ...                                           ("duoc tiep nhan", "in_progress", "Được tiếp nhận")))
    [('Không được tiếp nhận', 'rejected')]
    """
    padded = f" {key} "
    spans: list[tuple[int, int, str, str]] = []
    for phrase, canonical, label in phrases:
        needle = f" {phrase} "
        start = padded.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle), label, canonical))
            start = padded.find(needle, start + 1)
    kept = [s for s in spans
            if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0]) for o in spans)]
    return [(label, canonical) for _, _, label, canonical in sorted(kept)]


def _by_words(key: str, section: str) -> LabelMatch:
    """A folded value that is no registered label: the labels it contains, if they agree."""
    found = contained_labels(key, _vocab_phrases(section))
    values = list(dict.fromkeys(canonical for _, canonical in found))
    if len(values) == 1:
        return LabelMatch(values[0])
    if len(values) > 1:
        first = {}
        for label, canonical in found:
            first.setdefault(canonical, label)
        return LabelMatch(None, tuple((label, canonical) for canonical, label in first.items()))
    return LabelMatch(None)


#: A code written with its label: ``4 - Hài lòng``, ``10. Đã trả kết quả``, ``2) Trực tuyến``.
_CODED_LABEL_RE = re.compile(r"^\s*(\d{1,2})\s*[-\u2013\u2014.:)/]\s*(\S.*)$")


def read_label(value: object, section: str) -> LabelMatch:
    """Read one cell through ``vocab.yaml[section]``.

    A code (``2``, ``2.0``) maps through ``codes``. A text maps when, folded, it equals a registered
    label, or contains registered labels as whole words that all map to the same value (a label
    inside a longer label found does not count: ``Không hài lòng`` is not ``Hài lòng``). A code
    written with its label (``4 - Hài lòng``) is read by its label (the reference: map by label,
    not by code), by its code when the label part is unknown.

    >>> read_label("Đã trả kết quả cho công dân", "status").value, read_label("Nộp qua BCCI", "channel").value
    ('returned', 'postal')
    >>> read_label("4 - Hài lòng", "likert").value, read_label("Rất không hài lòng", "likert").value
    ('4', '1')
    >>> read_label("Đã xử lý xong, đã trả kết quả", "status").conflict
    (('Đã xử lý xong', 'resolved'), ('Đã trả kết quả', 'returned'))
    """
    labels, codes = _vocab_lookup(section)
    code = _code_text(value)
    if code is not None:
        return LabelMatch(codes.get(code) or labels.get(code))
    text = str(value)
    key = fold(text)
    if hit := labels.get(key):
        return LabelMatch(hit)
    coded = _CODED_LABEL_RE.match(text)
    if coded:
        rest = fold(coded.group(2))
        hit = labels.get(rest)
        match = LabelMatch(hit) if hit else _by_words(rest, section)
        if match.value or match.conflict:
            return match
        return LabelMatch(codes.get(coded.group(1)))
    return _by_words(key, section) if key else LabelMatch(None)


@dataclass
class VocabResult:
    """Canonical values, unknown cells, and per cell the conflicting candidates (text, NA when none)."""

    values: pd.Series
    unknown: pd.Series
    conflict: pd.Series


def match_vocab(values: pd.Series, section: str) -> VocabResult:
    """Map a column through ``vocab.yaml[section]`` (see :func:`read_label`), telling conflicts apart.

    ``unknown`` marks non-blank cells that matched no value and hold no conflict; ``conflict`` names
    the candidates of cells whose labels disagree (``«Đã xử lý xong» (resolved) và «Đã trả kết quả»
    (returned)``).

    >>> r = match_vocab(pd.Series(["Trực tuyến toàn trình", "Fax", "Trực tiếp hoặc trực tuyến"]), "channel")
    >>> r.values.tolist(), r.unknown.tolist(), r.conflict.notna().tolist()
    (['online', <NA>, <NA>], [False, True, False], [False, False, True])
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    matches = [read_label(u, section) for u in uniques]
    results = np.array([m.value for m in matches] + [None], dtype=object)[codes]
    words = np.array([" và ".join(f"«{label}» ({canonical})" for label, canonical in m.conflict) or None
                      for m in matches] + [None], dtype=object)[codes]
    blank = codes == -1
    mapped = text_series(results, values.index)
    conflict = pd.Series(words, index=values.index, dtype="string")
    unknown = pd.Series(~blank & pd.isna(results), index=values.index) & conflict.isna()
    return VocabResult(mapped, unknown, conflict)


def map_vocab(values: pd.Series, section: str) -> tuple[pd.Series, pd.Series]:
    """Map labels or codes to canonical values through ``vocab.yaml[section]`` (see :func:`read_label`).

    Returns the canonical values (``string``, NA for blank or unknown) and a mask of non-blank cells
    that matched nothing (including cells whose labels disagree).

    >>> mapped, unknown = map_vocab(pd.Series(["TRỰC TUYẾN", 2.0, "3", "fax", None], dtype=object), "channel")
    >>> mapped.tolist(), unknown.tolist()
    (['online', 'online', 'postal', <NA>, <NA>], [False, False, False, True, False])
    """
    result = match_vocab(values, section)
    return result.values, result.unknown | result.conflict.notna()


@cache
def _flag_lookup() -> dict[str, bool]:
    entry = load("vocab")["flag"]
    return {fold(str(label)) or str(label): key == "true" for key, items in entry.items() for label in items}


def map_flags(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Booleans from ``Có/Không``, ``x``, ``0/1``, ``True/False``; blank is null.

    Returns the flags (``boolean``) and a mask of non-blank cells that are no known flag.

    >>> flags, unknown = map_flags(pd.Series(["Có", "không", "x", 0.0, True, None, "?"], dtype=object))
    >>> flags.tolist(), unknown.tolist()
    ([True, False, True, False, True, <NA>, <NA>], [False, False, False, False, False, False, True])
    """
    lookup = _flag_lookup()

    def one(value: object) -> bool | None:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        code = _code_text(value)
        if code is not None:
            return lookup.get(code)
        text = str(value).strip()
        return lookup.get(fold(text) or text)

    results, blank = _per_distinct(values, one)
    unknown = pd.isna(results)
    flags = pd.arrays.BooleanArray(np.where(unknown, False, results).astype(bool), unknown)
    return pd.Series(flags, index=values.index), pd.Series(~blank & unknown, index=values.index)


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


def parse_period(lines: list[str]) -> tuple[dt.date, dt.date] | None:
    """The reporting period named in title lines, as (first day, last day), or None.

    >>> parse_period(["Kỳ báo cáo: Năm 2024", "(Từ ngày 01/01/2024 đến ngày 31/12/2024)"])
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> parse_period(["Kỳ báo cáo: Quý II năm 2025"]), parse_period(["6 tháng đầu năm 2025"])[1]
    ((datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)), datetime.date(2025, 6, 30))

    Official reporting windows (Nghị định 09/2019/NĐ-CP: the 15th to the 14th) are read as written,
    with or without ``ngày``, with a dash, or spelled out; a range that ends before it starts is no period:

    >>> parse_period(["(Từ 15/12/2024 đến 14/3/2025)"])
    (datetime.date(2024, 12, 15), datetime.date(2025, 3, 14))
    >>> parse_period(["Kỳ báo cáo: 15/12/2024 - 14/12/2025"])[0], parse_period(["Từ 15/12/2025 đến 14/12/2024"])
    (datetime.date(2024, 12, 15), None)
    >>> parse_period(["Từ ngày 15 tháng 12 năm 2024 đến hết ngày 14 tháng 12 năm 2025"])[1]
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
