"""Section rows of list sheets (``I. Lĩnh vực Điện``, ``II.3. Cải cách tổ chức bộ máy``) and what they name.

Catalogues and registers group their rows under section rows. :func:`section_labels` gives, for each
data row, the label of the nearest section row above it (its text without the leading numeral), so
that a kind can take a field or an area from it when the row itself does not say.

>>> strip_numeral("II.3. Cải cách tổ chức bộ máy"), strip_numeral("I - LĨNH VỰC ĐIỆN"), strip_numeral("B. TTHC nội bộ")
('Cải cách tổ chức bộ máy', 'LĨNH VỰC ĐIỆN', 'TTHC nội bộ')
"""

from __future__ import annotations

import re

import pandas as pd

from cchc_analysis.ingest.base import SheetTable

__all__ = ["section_labels", "sentence_case", "strip_numeral"]

_NUMERAL_RE = re.compile(r"^\s*(?:(?:phần|phan|mục|muc|chương|chuong)\s+)?(?:[IVXLC]+|[A-Za-z]|\d+)"
                         r"(?:\s*\.\s*\d+)*\s*[.)/:–—-]?\s+", re.IGNORECASE)


def strip_numeral(text: str) -> str:
    """A section label without its leading numeral (``I.``, ``II.3.``, ``A -``, ``1)``, ``Phần II:``)."""
    stripped = _NUMERAL_RE.sub("", text, count=1).strip()
    return stripped or text.strip()


def sentence_case(text: str) -> str:
    """An all-capitals label in sentence case; any other text as it is.

    >>> sentence_case("AN TOÀN THỰC PHẨM"), sentence_case("Kinh doanh khí")
    ('An toàn thực phẩm', 'Kinh doanh khí')
    """
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return text[:1].upper() + text[1:].lower()
    return text


def section_labels(table: SheetTable) -> tuple[pd.Series, pd.Series]:
    """For each data row, the text of the section row above it (NA before the first) and the raw label.

    Returns
    -------
    tuple of pandas.Series
        ``(label, raw)`` on the index of ``table.data``: the label without its numeral, and the
        section row's whole text (numeral included), both ``string``.
    """
    index = table.data.index
    layout = table.layout
    if layout.empty or "role" not in layout.columns:
        empty = pd.Series(pd.NA, index=index, dtype="string")
        return empty, empty.copy()
    sections = layout[layout["role"] == "section"].sort_values("row")
    order = [name for _, name in sorted(table.header.columns.items()) if name in sections.columns]
    texts = []
    for _, row in sections.iterrows():
        cells = [str(row[c]).strip() for c in order if row[c] is not None and not pd.isna(row[c]) and str(row[c]).strip()]
        texts.append(" ".join(cells))
    raw = pd.Series(texts, dtype="string")
    positions = sections["row"].searchsorted(table.data["row"].to_numpy(), side="right") - 1
    picked = [raw.iloc[p] if p >= 0 else pd.NA for p in positions]
    whole = pd.Series(picked, index=index, dtype="string")
    label = whole.map(strip_numeral, na_action="ignore").astype("string")
    return label, whole
