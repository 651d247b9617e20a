"""The rows below a sheet's header: data rows and layout rows, and the table of canonical columns.

Exports put section rows (``I``, ``II``…) and totals (``Tổng cộng``, ``Tổng số: N hồ sơ``) among the
rows and a signature footer (``Người lập biểu``, ``(Ký, ghi rõ họ tên)``, ``THỦ TRƯỞNG ĐƠN VỊ``) below
them. :func:`classify_rows` gives each row its role; :func:`build_table` keeps the data rows as a frame of
canonical columns with the spreadsheet's own row numbers (the header comes from
:func:`cchc_analysis.ingest.detect.find_header`). Layout rows are not data rows: they are never counted.

>>> classify_rows([["1", "H-1", "02/03/2024", "x", "y"], ["Tổng cộng", "", "", "", ""], ["Người lập biểu", "", "", "", ""]])
['data', 'total', 'footer']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import Header, RawSheet, SheetTable
from cchc_analysis.ingest.text import clean_text, detect_legacy, fold, inspect_texts

__all__ = ["KEYED_PERSONAL", "SPARSE", "build_table", "cell_text", "classify_more", "classify_rows", "sheet_encoding"]

#: Personal columns handed to kinds (to make the keyed applicant pseudonym); the others are never read.
KEYED_PERSONAL = ("applicant_id", "applicant_name", "applicant_phone")
#: A row with at most this many filled cells may be a total, section or footer row.
SPARSE = 4
_TOTAL_RE = re.compile(r"^(tong cong|tong so|total|grand total)( |$)|^(tong|cong|tong chung)$")
_FOOTER_PHRASES = (
    "nguoi lap bieu", "nguoi lap", "ky ghi ro ho ten", "ky ten", "ky va ghi ro ho ten", "ky dong dau",
    "thu truong don vi", "thu truong co quan", "ke toan truong", "lanh dao don vi", "nguoi kiem tra",
    "xac nhan cua", "noi nhan", "giam doc", "pho giam doc", "chanh van phong", "kt giam doc", "tm ubnd",
)  # fmt: skip
_DATE_LINE_RE = re.compile(r"\bngay \S* ?thang \S* ?nam\b")
_LEAD_CHARS = frozenset("TtCcĐđIVXLCGg")  # first letters of totals (Tổng, Cộng, Total) and Roman numerals
_ROMAN_RE = re.compile(r"^[IVXLC]{1,7}$")
_ROMAN_LABEL_RE = re.compile(r"^[IVXLC]{1,7}\s*[.)/:-]\s*\S|^[A-Z]\s*[.)]\s+\S")


def cell_text(value: Any, encoding: str | None) -> str:
    """A cell as text: legacy-encoded text converted, integral floats without ``.0``, ``None`` empty."""
    if isinstance(value, str):
        return clean_text(value, encoding)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_encoding(rows: Sequence[Sequence[Any]]) -> str | None:
    """The legacy Vietnamese encoding (TCVN3, VNI) the sheet's texts are in, else ``None``."""
    return detect_legacy(v for row in rows for v in row if isinstance(v, str))


def _row_role(row: Sequence[Any], filled: int, in_footer: bool, keys: Sequence[int]) -> str:
    if filled == 0:
        return "blank"
    texts = [v for v in row if isinstance(v, str) and v]
    firsts = [v for v in row if v not in ("", None)][:2]
    first_texts = [fold(clean_text(v)) for v in firsts if isinstance(v, str) and v[:1] in "TtCcĐđ" and len(v) < 80]
    if any(_TOTAL_RE.match(t) for t in first_texts):
        return "total"
    if filled <= SPARSE:
        folded = [fold(clean_text(t)) for t in texts]
        if in_footer or any(p in t for t in folded for p in _FOOTER_PHRASES) or any(
            _DATE_LINE_RE.search(t) for t in folded
        ):
            return "footer"
    lead = next((v for v in row[:2] if v not in ("", None)), None)
    if isinstance(lead, str):
        lead = lead.strip()
        if _ROMAN_RE.match(lead) or (filled <= 2 and _ROMAN_LABEL_RE.match(lead)):
            return "section"
    if filled == 1 and texts and not any(k < len(row) and row[k] not in ("", None) for k in keys):
        return "section"  # a lone group label ("Lĩnh vực: Điện") spanning the row
    return "data"


def classify_rows(rows: Sequence[Sequence[Any]], keys: Sequence[int] = ()) -> list[str]:
    """The role of each body row: ``data``, ``blank``, ``section``, ``total`` or ``footer``.

    ``keys`` are the column indexes of the kind's required columns: a lone text in one of them is
    data (to be checked), not a group label. Once a signature footer starts, sparse rows below it
    (signers' names, dates) are footer too. A dense row (more than :data:`SPARSE` filled cells) is
    only a total or a section when one of its first three cells says so.

    >>> classify_rows([["1", "H-1"], ["", ""], ["Tổng cộng", ""], ["Người lập biểu", ""], ["Lê Văn A", ""]])
    ['data', 'blank', 'total', 'footer', 'footer']
    >>> classify_rows([["II", "Lĩnh vực công nghiệp", 3, 4], ["I. Thương mại", ""], ["", "H-9"]], keys=[1])
    ['section', 'section', 'data']
    """
    return classify_more(rows, keys)[0]


def classify_more(rows: Sequence[Sequence[Any]], keys: Sequence[int] = (), in_footer: bool = False) -> tuple[list[str], bool]:
    """:func:`classify_rows` of rows that follow others: whether a footer had started above goes in and
    comes out with the roles (so that a sheet can be classified in parts)."""
    roles = []
    lead = _LEAD_CHARS
    for row in rows:
        if type(row) is not list:
            row = list(row)
        filled = len(row) - row.count("") - row.count(None)
        if filled > SPARSE:  # the usual data row: one cheap look at its first three cells
            in_footer = False
            c0, c1, c2 = (row + [None, None, None])[:3] if len(row) < 3 else row[:3]
            if not ((type(c0) is str and c0[:1] in lead) or (type(c1) is str and c1[:1] in lead)
                    or (type(c2) is str and c2[:1] in lead)):
                roles.append("data")
                continue
        role = _row_role(row, filled, in_footer, keys)
        in_footer = in_footer or role == "footer"
        roles.append(role)
    return roles, in_footer


def _rows_to_columns(rows: list[list[Any]], wanted: Sequence[int]) -> dict[int, np.ndarray]:
    """Transpose rows into one object array per wanted column (missing cells are blank)."""
    if not rows:
        return {c: np.empty(0, dtype=object) for c in wanted}
    width = max(wanted, default=-1) + 1
    lengths = set(map(len, rows))
    if len(lengths) > 1 or min(lengths) < width:
        size = max(max(lengths), width)
        rows = [r if len(r) == size else list(r) + [""] * (size - len(r)) for r in rows]
    grid = np.empty((len(rows), len(rows[0])), dtype=object)
    grid[:] = rows
    return {c: grid[:, c].copy() for c in wanted}


def _normalise_column(values: np.ndarray, clean: bool = True, fallback: str | None = None) -> np.ndarray:
    """Blank cells to None; texts NFC, legacy encodings converted, invisible characters removed, spaces tidied.

    A clean column (the usual case) is recognised in one pass over its texts joined
    (:func:`~cchc_analysis.ingest.text.inspect_texts`); only texts that need it go through
    :func:`~cchc_analysis.ingest.text.clean_text`. With ``clean=False`` (personal columns, only ever
    keyed) nothing is done at all.
    """
    if not clean:
        return values
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred not in ("string", "mixed", "mixed-integer"):
        return values
    texts = [v for v in _distinct(values.tolist()) if type(v) is str]
    encoding, clean_already = inspect_texts(texts, fallback)
    if not clean_already:
        fixed = {t: clean_text(t, encoding) for t in texts}
        fixed = {k: v for k, v in fixed.items() if v != k}
        if fixed:
            series = pd.Series(values, dtype=object, copy=False)
            touched = series.isin(list(fixed)).to_numpy()
            values[touched] = series[touched].map(fixed).to_numpy(dtype=object)
    if "" in texts or not clean_already:
        values[values == ""] = None
    return values


def _distinct(items: list[Any]) -> list[Any]:
    """The distinct items of a column, or all of them when nearly all differ (de-duplicating costs more)."""
    sample = items[:2000]
    if len(set(sample)) > 0.5 * len(sample):
        return items
    return list(dict.fromkeys(items))


def build_table(raw: RawSheet, header: Header, keys: Sequence[str] = (), release: bool = True) -> SheetTable:
    """Split a sheet below its header into data and layout rows and return a :class:`SheetTable`.

    Parameters
    ----------
    raw : RawSheet
        The sheet.
    header : Header
        Its header (from :func:`find_header` or a kind's own ``locate``).
    keys : sequence of str
        Canonical names of the kind's required columns (see :func:`classify_rows`).
    release : bool
        Drop ``raw.rows`` once the table is built (saves memory on big sheets).
    """
    start = header.last_row + 1
    body = raw.rows[start:]
    numbers = raw.row_numbers[start:]
    mapped = {**header.columns, **{c: n for c, n in header.personal.items() if n in KEYED_PERSONAL}}
    key_cols = [c for c, n in header.columns.items() if n in keys]
    roles, in_footer = classify_more(body, key_cols)
    enc = sheet_encoding(raw.rows[: header.rows[0]])
    title = [" ".join(cell_text(v, enc) for v in row if v not in ("", None)) for row in raw.rows[: header.rows[0]]]
    title = [t for t in title if t]

    tail = raw.tail
    tail_roles_ = np.empty(0, dtype=object)
    if tail is not None:
        from cchc_analysis.ingest.tail_table import tail_roles

        tail_roles_ = tail_roles(tail, key_cols, in_footer, SPARSE, _LEAD_CHARS, classify_more)
    data_idx = [i for i, r in enumerate(roles) if r == "data"]
    layout_idx = [i for i, r in enumerate(roles) if r in ("section", "total")]
    tail_data = np.flatnonzero(tail_roles_ == "data")
    tail_layout = np.flatnonzero((tail_roles_ == "section") | (tail_roles_ == "total"))
    legacy = sheet_encoding(raw.rows[: header.last_row + 1])
    layout = _frame(body, layout_idx, numbers, mapped, personal=list(header.personal), fallback=legacy,
                    tail=tail, tail_idx=tail_layout)
    data = _frame(body, data_idx, numbers, mapped, personal=list(header.personal), fallback=legacy,
                  tail=tail, tail_idx=tail_data, consume=release)
    layout["role"] = [roles[i] for i in layout_idx] + tail_roles_[tail_layout].tolist()
    if release:
        raw.rows = []
        raw.tail = None
    return SheetTable(raw=raw, header=header, data=data, layout=layout, title=title)


def _frame(body: list[list[Any]], idx: list[int], numbers: Sequence[int], mapped: dict[int, str],
           personal: Sequence[int] = (), fallback: str | None = None, tail: Any = None,
           tail_idx: np.ndarray | None = None, consume: bool = False) -> pd.DataFrame:
    """The rows ``idx`` of ``body`` (and ``tail_idx`` of the column-wise ``tail``) as a frame of the mapped
    columns; with ``consume``, each tail column is dropped once read (memory)."""
    rows = [body[i] for i in idx] if len(idx) != len(body) else body
    arrays = _rows_to_columns(rows, sorted(mapped))
    positions = np.asarray(idx, dtype="int64")
    if tail is not None and tail_idx is not None:
        for col in sorted(mapped):
            cells = tail.cells(col, tail_idx, blank=None)  # blanks become None below in any case
            if consume:
                tail.columns.pop(col, None)
            arrays[col] = np.concatenate([arrays[col], cells]) if len(arrays[col]) else cells
        positions = np.concatenate([positions, len(body) + np.asarray(tail_idx, dtype="int64")])
    columns: dict[str, Any] = {}
    for col, name in sorted(mapped.items()):
        values = _normalise_column(arrays.pop(col), clean=col not in personal, fallback=fallback)
        if name in columns:  # the same canonical column twice: keep the first filled value
            values = np.where(pd.isna(columns[name]), values, columns[name])
        columns[name] = values
    frame = {k: pd.Series(v, dtype=object, copy=False) for k, v in columns.items()}
    frame["row"] = pd.Series(np.asarray(numbers, dtype="int64")[positions])  # last (or in place), as a column set
    return pd.DataFrame(frame)
