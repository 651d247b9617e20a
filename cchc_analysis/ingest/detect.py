"""Find the table in a sheet: its header (one or several merged rows) and its data rows.

Exports put a title block above the table (agency, report name, period), sometimes a numbering row
``(1) (2) …`` below the header, section rows (``I``, ``II``…) and totals (``Tổng cộng``, ``Tổng số:
N hồ sơ``) among the rows, and a signature footer (``Người lập biểu``, ``(Ký, ghi rõ họ tên)``,
``THỦ TRƯỞNG ĐƠN VỊ``) below. :func:`find_header` locates the header by matching the kind's
synonyms (``registry/columns.yaml``) in the first rows, trying one to three header rows;
:func:`build_table` splits what follows into data rows and layout rows, and returns the data as a
frame of canonical columns with the spreadsheet's own row numbers. Layout rows are not data rows:
they are never counted.

>>> from pathlib import Path
>>> from cchc_analysis.ingest.base import RawSheet
>>> rows = [["DANH SÁCH HỒ SƠ", ""], ["", ""], ["Mã hồ sơ", "NGAY TIEP NHAN"], ["H-1", "02/03/2024"],
...         ["Tổng số: 1 hồ sơ", ""], ["Người lập biểu", ""]]
>>> raw = RawSheet(Path("a.xlsx"), "S", rows, range(1, 7))
>>> header = find_header(raw, synonyms("dossiers"))
>>> header.rows, header.columns
((2,), {0: 'dossier_id', 1: 'received_at'})
>>> table = build_table(raw, header)
>>> table.data.to_dict("list"), table.title
({'dossier_id': ['H-1'], 'received_at': ['02/03/2024'], 'row': [4]}, ['DANH SÁCH HỒ SƠ'])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import Header, RawSheet, SheetTable
from cchc_analysis.ingest.text import clean_text, detect_legacy, fold, fold_key, inspect_texts
from cchc_analysis.registry import load

__all__ = ["build_table", "by_structure", "classify_more", "classify_rows", "find_header", "known_headers", "synonyms"]

#: Personal columns handed to kinds (to make the keyed applicant pseudonym); the others are never read.
KEYED_PERSONAL = ("applicant_id", "applicant_name", "applicant_phone")
#: How many rows from the top are searched for a header.
MAX_SCAN_ROWS = 60
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
_NUMBER_LABEL_RE = re.compile(r"^\(?(\d{1,2})(?:\.0)?\)?$")
_LETTER_LABEL_RE = re.compile(r"^\(?[A-Z]\)?$")


@cache
def synonyms(section: str) -> Mapping[str, str]:
    """Folded spelling → canonical name for one section of ``registry/columns.yaml``.

    Spellings are compared as :func:`~cchc_analysis.ingest.text.fold_key` keys, so every registered
    Vietnamese header is also found in the systems' API spellings (``NgayTiepNhan``,
    ``trangThaiHoSo``, ``ngay_hen_tra``, ``NGAY TIEP NHAN``, ``TieuChi3``) without an entry of its
    own. A few columns are also recognised by their structure (:func:`by_structure`).

    >>> synonyms("dossiers")["ngaytiepnhan"], synonyms("dossiers")["mahoso"], synonyms("dossiers")["sohoa"]
    ('received_at', 'dossier_id', 'result_digitized')
    """
    registry = load("columns")
    entries = registry.get(section) or {}
    out: dict[str, str] = {}
    for canonical, spellings in entries.items():
        for spelling in [canonical, *spellings]:
            key = fold_key(str(spelling))
            if out.get(key, canonical) != canonical:
                raise ValueError(f"columns.yaml[{section}]: '{spelling}' names both {out[key]} and {canonical}")
            out[key] = canonical
    if section in _STRUCTURAL:
        from cchc_analysis.ingest.kit import PatternSynonyms

        return PatternSynonyms(out, lambda key: by_structure(section, key, out))
    return out


# --- headers recognised by their structure (folded keys: no case, diacritics, spaces or punctuation) ---

_ID_WORDS = ("cccd", "cmnd", "cancuoc", "hochieu", "dinhdanh")
_NOT_ID_START = ("loai", "ngay", "noi", "xacthuc", "taikhoan", "tinhtrang", "trangthai")
_CRITERION_RE = re.compile(r"(?:diem)?(tieuchi|chiso|tc)(?:so)?0*(\d{1,2})(?!\d)")


def _personal_structure(key: str, exact: Mapping[str, str]) -> str | None:
    """An identity-number column (``Số CCCD/Định danh``, ``SoDinhDanhChuHoSo``, ``CMND/Hộ chiếu``)."""
    if key.startswith(_NOT_ID_START) or "mahoso" in key or "sohoso" in key:
        return None
    return "applicant_id" if any(word in key for word in _ID_WORDS) else None


def _dossier_structure(key: str, exact: Mapping[str, str]) -> str | None:
    """``Số hóa`` (the result's digitisation), and a registered header followed by ``hồ sơ``."""
    if key in ("sohoa", "dasohoa") or ("sohoa" in key and "ketqua" in key and "thanhphan" not in key):
        return "result_digitized"
    if key.endswith("hoso") and len(key) > 4:
        return exact.get(key[:-4])
    return None


def _evaluation_structure(key: str, exact: Mapping[str, str]) -> str | None:
    """Numbered criteria: ``Tiêu chí 3``, ``TieuChi03``, ``Chỉ số 3: Số lần phải liên hệ…``, ``TC3``, ``Điểm
    tiêu chí 3`` → ``c3``; the system's own ``Chỉ số 11`` (Đánh giá tổng thể dịch vụ) → ``overall``."""
    match = _CRITERION_RE.match(key)
    if not match:
        return None
    number = int(match.group(2))
    if 1 <= number <= 9:
        return f"c{number}"
    return "overall" if number == 11 and match.group(1) == "chiso" else None


_STRUCTURAL = {"personal": _personal_structure, "dossiers": _dossier_structure, "evaluations": _evaluation_structure}


def by_structure(section: str, key: str, exact: Mapping[str, str] | None = None) -> str | None:
    """The canonical column of a folded header key by its structure, for the sections that have rules.

    >>> by_structure("personal", "socccddinhdanh"), by_structure("personal", "ngaycapcccd")
    ('applicant_id', None)
    >>> by_structure("evaluations", "chiso3solanphailienhe"), by_structure("evaluations", "tieuchi03")
    ('c3', 'c3')
    """
    rule = _STRUCTURAL.get(section)
    return rule(key, exact or {}) if rule else None


@cache
def _ignored() -> frozenset[str]:
    return frozenset(fold_key(str(s)) for s in load("columns").get("ignore") or ())


def known_headers(section: str) -> list[str]:
    """The spellings of a section as written in the registry (for messages naming the nearest ones)."""
    entries = load("columns").get(section) or {}
    return [str(s) for spellings in entries.values() for s in spellings]


# --- header ---


def _text(value: Any, encoding: str | None) -> str:
    if isinstance(value, str):
        return clean_text(value, encoding)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_encoding(rows: Sequence[Sequence[Any]]) -> str | None:
    return detect_legacy(v for row in rows for v in row if isinstance(v, str))


def _row_texts(raw: RawSheet, r: int, encoding: str | None) -> list[str]:
    """:func:`_text` of every cell of row ``r`` (cached: a row is part of several candidate headers)."""
    key = ("texts", r, encoding)
    if key not in raw.cache:
        raw.cache[key] = [_text(v, encoding) for v in raw.rows[r]]
    return raw.cache[key]


def _merged_parents(raw: RawSheet, top: int, depth: int, width: int) -> list[list[str]]:
    """Texts of header rows ``top..top+depth-1`` with merged (or spanning) cells spread over their columns."""
    enc = _sheet_encoding(raw.rows[top : top + depth])
    grid = [_row_texts(raw, top + d, enc) for d in range(depth)]
    grid = [row + [""] * (width - len(row)) if len(row) < width else list(row) for row in grid]
    spread = False
    for (r0, c0), (r1, c1) in raw.merged:
        if r1 < top or r0 >= top + depth:
            continue
        spread = True
        text = grid[r0 - top][c0] if r0 >= top else ""
        for r in range(max(r0, top), min(r1, top + depth - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if not grid[r - top][c]:
                    grid[r - top][c] = text
    if not spread:  # no merge information (HTML, CSV, xls): an upper cell spans the blanks to its right
        for d in range(depth - 1):
            last = ""
            for c in range(width):
                if grid[d][c]:
                    last = grid[d][c]
                elif any(grid[e][c] for e in range(d + 1, depth)):
                    grid[d][c] = last
                else:
                    last = ""
    return grid


def _labels(grid: list[list[str]], col: int) -> list[str]:
    """Candidate labels of a column: the deepest text, then longer paths, longest last."""
    path: list[str] = []
    for row in grid:
        if row[col] and (not path or path[-1] != row[col]):
            path.append(row[col])
    return [" ".join(path[i:]) for i in range(len(path) - 1, -1, -1)]


def _match(keys: list[str], table: Mapping[str, str]) -> str | None:
    """The canonical name of the first folded label key found in ``table``."""
    for key in keys:
        hit = table.get(key)
        if hit:
            return hit
    return None


def _label_keys(raw: RawSheet, top: int, depth: int) -> list[list[str]]:
    """:func:`fold_key` of every candidate label (cached: the same for every kind tried)."""
    key = ("keys", top, depth)
    if key not in raw.cache:
        raw.cache[key] = [[fold_key(o) for o in options] for options in _label_options(raw, top, depth)]
    return raw.cache[key]


def _label_options(raw: RawSheet, top: int, depth: int) -> list[list[str]]:
    """Candidate labels of every column for a header at ``top`` spanning ``depth`` rows (cached)."""
    key = ("labels", top, depth)
    if key not in raw.cache:
        width = max((len(raw.rows[top + d]) for d in range(depth)), default=0)
        grid = _merged_parents(raw, top, depth, width) if width else []
        raw.cache[key] = [_labels(grid, col) for col in range(width)]
    return raw.cache[key]


def _header_at(raw: RawSheet, top: int, depth: int, table: Mapping[str, str]) -> Header | None:
    columns = _label_options(raw, top, depth)
    if not columns:
        return None
    keys = _label_keys(raw, top, depth)
    personal = synonyms("personal")
    ignored = _ignored()
    header = Header(rows=tuple(range(top, top + depth)), columns={})
    for col, options in enumerate(columns):
        if not options:
            continue
        header.labels[col] = options[-1]
        if name := _match(keys[col], table):
            header.columns[col] = name
        elif name := _match(keys[col], personal):
            header.personal[col] = name
        elif any(k in ignored for k in keys[col]):
            header.ignored[col] = options[-1]
        else:
            header.unknown[col] = options[-1]
    return header


def _filled(row: Sequence[Any]) -> int:
    return len(row) - row.count("") - row.count(None)


def find_header(raw: RawSheet, table: Mapping[str, str], max_depth: int = 3) -> Header | None:
    """Locate the header of a sheet for one kind's synonyms.

    Each of the first :data:`MAX_SCAN_ROWS` rows is tried as the top of a header of one to
    ``max_depth`` rows (the deeper rows completing merged group headings). The header matching the
    most distinct canonical columns wins (fewer rows, then the earliest, on ties); at least two
    columns must match. A numbering row right below it (``1 2 3 …`` or ``(1) (2) …``) is attached
    as ``skip_rows``.

    Returns
    -------
    Header or None
    """
    best: tuple[int, int] | None = None
    best_score = 1
    limit = min(len(raw.rows), MAX_SCAN_ROWS)
    hits: dict[str, str | None] = {}  # folded key -> canonical name (or None) in ``table``
    lookup = table.get
    for top in range(limit):
        if _filled(raw.rows[top]) < 2:
            continue
        for depth in range(1, max_depth + 1):
            if top + depth > len(raw.rows):
                break
            every = _all_keys(raw, top, depth)
            for key in every - hits.keys():
                hits[key] = lookup(key) or None
            # at most as many columns as distinct names among all the candidate keys: most candidate
            # headers (data rows, titles) name none or one, and are passed over without a closer look
            if len({hits[k] for k in every} - {None}) <= best_score:
                continue
            score = _score(_label_keys(raw, top, depth), hits)
            if score > best_score:
                best, best_score = (top, depth), score
    if best is None:
        return None
    header = _header_at(raw, *best, table)
    assert header is not None  # it was scored
    header.skip_rows = _numbering_rows(raw, header.rows[-1] + 1)
    return header


def _all_keys(raw: RawSheet, top: int, depth: int) -> set[str]:
    """Every candidate label key of every column of a header at ``top`` spanning ``depth`` rows (cached)."""
    key = ("all keys", top, depth)
    if key not in raw.cache:
        raw.cache[key] = {k for options in _label_keys(raw, top, depth) for k in options}
    return raw.cache[key]


def _score(keys: list[list[str]], hits: Mapping[str, str | None]) -> int:
    """How many distinct canonical columns the columns' first matching label keys name (as in
    :func:`_header_at`, whose header's ``columns`` this counts)."""
    found = set()
    for options in keys:
        for k in options:
            if hit := hits[k]:
                found.add(hit)
                break
    return len(found)


def _numbering_rows(raw: RawSheet, start: int) -> tuple[int, ...]:
    """``(start,)`` when row ``start`` numbers the columns (``1 2 3…``, ``(1) (2)…``, ``A B 1 2…``)."""
    if start >= len(raw.rows):
        return ()
    numbers = []
    for value in raw.rows[start]:
        if value in ("", None):
            continue
        text = _text(value, None).strip()
        if match := _NUMBER_LABEL_RE.match(text):
            numbers.append(int(match.group(1)))
        elif not _LETTER_LABEL_RE.match(text):
            return ()
    if len(numbers) >= 2 and numbers[0] <= 2 and all(b > a for a, b in zip(numbers, numbers[1:], strict=False)):
        return (start,)
    return ()


# --- body ---


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
    enc = _sheet_encoding(raw.rows[: header.rows[0]])
    title = [" ".join(_text(v, enc) for v in row if v not in ("", None)) for row in raw.rows[: header.rows[0]]]
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
    legacy = _sheet_encoding(raw.rows[: header.last_row + 1])
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
            cells = tail.cells(col, tail_idx)
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
    frame = pd.DataFrame({k: pd.Series(v, dtype=object, copy=False) for k, v in columns.items()})
    frame["row"] = np.asarray(numbers, dtype="int64")[positions]
    return frame
