"""Labels, codes and flags read through ``registry/vocab.yaml``, whole columns at a time.

Labels and codes (channel, status, service level…): codes are compared as text (``2``, ``2.0``),
labels after :func:`~cchc_analysis.ingest.text.fold`; a value containing registered labels that
disagree is a conflict, told apart from an unknown label. Flags: ``Có/Không``, ``x``/blank, ``0/1``,
``True/False`` (blank is null). Each distinct value is read once and the result spread over the column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from cchc_analysis.ingest.numbers import code_text, text_series
from cchc_analysis.ingest.text import fold
from cchc_analysis.registry import load

__all__ = ["LabelMatch", "VocabResult", "contained_labels", "map_flags", "map_vocab", "match_vocab", "read_label"]

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
    code = code_text(value)
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
        code = code_text(value)
        if code is not None:
            return lookup.get(code)
        text = str(value).strip()
        return lookup.get(fold(text) or text)

    results, blank = _per_distinct(values, one)
    unknown = pd.isna(results)
    flags = pd.arrays.BooleanArray(np.where(unknown, False, results).astype(bool), unknown)
    return pd.Series(flags, index=values.index), pd.Series(~blank & unknown, index=values.index)
