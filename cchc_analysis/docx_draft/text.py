"""Cell values as the draft prints them: NFC text without characters XML refuses, an en dash when missing.

>>> _text(None), short_clause("Mức độ hài lòng đạt tối thiểu 90%.")
('–', 'Mức độ hài lòng đạt tối thiểu 90%')
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import pandas as pd

MISSING = "–"

#: Clauses longer than this are cut (at a word) where a reading names them.
SHORT_CLAUSE_CHARS = 110
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _text(value: Any, default: str = MISSING) -> str:
    """Printable text of a cell: NFC, no character XML refuses, an en dash when missing.

    >>> _text(None), _text(" 90,5%\\x00 "), _text(2025)
    ('–', '90,5%', '2025')
    """
    if _missing(value):
        return default
    text = unicodedata.normalize("NFC", _NOT_XML.sub("", str(value))).strip()
    return text or default


def _flag(value: Any, default: bool = True) -> bool:
    if _missing(value):
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "không", "")
    return bool(value)


def _count(value: Any) -> int:
    return 0 if _missing(value) else int(value)


def short_clause(text: Any, limit: int = SHORT_CLAUSE_CHARS) -> str:
    """A clause's wording, cut at a word before ``limit`` characters (with an ellipsis).

    >>> short_clause("Mức độ hài lòng của người dân đạt tối thiểu 90%.")
    'Mức độ hài lòng của người dân đạt tối thiểu 90%'
    >>> short_clause("một hai ba bốn năm", limit=10)
    'một hai ba …'
    """
    words = _text(text, "").rstrip(" .;:")
    if len(words) <= limit:
        return words
    return words[:limit + 1].rsplit(" ", 1)[0] + " …"
