"""Find the table in a sheet: its header (one or several merged rows); :mod:`~cchc_analysis.ingest.rows` takes its data rows.

Exports put a title block above the table (agency, report name, period), sometimes a numbering row
``(1) (2) …`` below the header, section rows (``I``, ``II``…) and totals (``Tổng cộng``, ``Tổng số:
N hồ sơ``) among the rows, and a signature footer (``Người lập biểu``, ``(Ký, ghi rõ họ tên)``,
``THỦ TRƯỞNG ĐƠN VỊ``) below. :func:`find_header` locates the header by matching the kind's
synonyms (``registry/columns.yaml``) in the first rows, trying one to three header rows;
:func:`~cchc_analysis.ingest.rows.build_table` splits what follows into data rows and layout rows, and returns the data as a
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
>>> from cchc_analysis.ingest.rows import build_table
>>> table = build_table(raw, header)
>>> table.data.to_dict("list"), table.title
({'dossier_id': ['H-1'], 'received_at': ['02/03/2024'], 'row': [4]}, ['DANH SÁCH HỒ SƠ'])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain
from typing import Any

from cchc_analysis.ingest.base import Header, RawSheet
from cchc_analysis.ingest.rows import cell_text
from cchc_analysis.ingest.text import fold_key, legacy_of_joined
from cchc_analysis.registry import load

__all__ = ["by_structure", "find_header", "known_headers", "synonyms"]

#: How many rows from the top are searched for a header.
MAX_SCAN_ROWS = 60

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


def _row_texts(raw: RawSheet, r: int, encoding: str | None) -> list[str]:
    """:func:`~cchc_analysis.ingest.rows.cell_text` of every cell of row ``r`` (cached: a row is part of several candidate headers)."""
    key = ("texts", r, encoding)
    if key not in raw.cache:
        raw.cache[key] = [cell_text(v, encoding) for v in raw.rows[r]]
    return raw.cache[key]


def _window_encoding(raw: RawSheet, top: int, depth: int) -> str | None:
    """:func:`~cchc_analysis.ingest.rows.sheet_encoding` of rows ``top..top+depth-1``, from each row's texts
    joined once (cached: a row is part of several windows)."""
    parts = []
    for r in range(top, top + depth):
        key = ("joined", r)
        if key not in raw.cache:
            texts = [v for v in raw.rows[r] if isinstance(v, str)]
            raw.cache[key] = "\x1e".join(texts) if texts else None
        if raw.cache[key] is not None:
            parts.append(raw.cache[key])
    return legacy_of_joined("\x1e".join(parts))


def _merged_parents(raw: RawSheet, top: int, depth: int, width: int) -> list[list[str]]:
    """Texts of header rows ``top..top+depth-1`` with merged (or spanning) cells spread over their columns."""
    enc = _window_encoding(raw, top, depth)
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
    return _path_labels(_path(grid, col))


def _path(grid: list[list[str]], col: int) -> list[str]:
    """The texts of a column from the top header row down, a text repeated below itself (merged) once."""
    path: list[str] = []
    for row in grid:
        if row[col] and (not path or path[-1] != row[col]):
            path.append(row[col])
    return path


def _path_labels(path: list[str]) -> list[str]:
    """The labels of a column's path: the deepest text, then longer paths, longest last."""
    return [" ".join(path[i:]) for i in range(len(path) - 1, -1, -1)]


def _path_keys(path: list[str]) -> list[str]:
    """:func:`fold_key` of each of :func:`_path_labels` (``path``'s labels), without folding them again.

    A label is its texts joined by spaces, and a space never changes how the texts on either side of it
    fold (:func:`fold_key` of ``"a b"`` is ``fold_key("a") + fold_key("b")``): each text is folded once
    (cached) and the keys of the longer labels are concatenations.
    """
    if len(path) == 1:
        return [fold_key(path[0])]
    keys: list[str] = []
    joined = ""
    for text in reversed(path):
        joined = fold_key(text) + joined
        keys.append(joined)
    return keys


def _match(keys: list[str], table: Mapping[str, str]) -> str | None:
    """The canonical name of the first folded label key found in ``table``."""
    for key in keys:
        hit = table.get(key)
        if hit:
            return hit
    return None


def _label_paths(raw: RawSheet, top: int, depth: int) -> list[list[str]]:
    """:func:`_path` of every column for a header at ``top`` spanning ``depth`` rows (cached)."""
    key = ("paths", top, depth)
    if key not in raw.cache:
        width = max((len(raw.rows[top + d]) for d in range(depth)), default=0)
        grid = _merged_parents(raw, top, depth, width) if width else []
        if depth == 1:
            raw.cache[key] = [[text] if text else [] for text in grid[0]] if grid else []
        else:
            raw.cache[key] = [_path(grid, col) for col in range(width)]
    return raw.cache[key]


def _label_keys(raw: RawSheet, top: int, depth: int) -> list[list[str]]:
    """:func:`fold_key` of every candidate label (cached: the same for every kind tried)."""
    key = ("keys", top, depth)
    if key not in raw.cache:
        paths = _label_paths(raw, top, depth)
        if depth == 1:  # one text per column
            raw.cache[key] = [[fold_key(path[0])] if path else [] for path in paths]
        else:
            raw.cache[key] = [_path_keys(path) if path else [] for path in paths]
    return raw.cache[key]


def _label_options(raw: RawSheet, top: int, depth: int) -> list[list[str]]:
    """Candidate labels of every column for a header at ``top`` spanning ``depth`` rows (cached)."""
    key = ("labels", top, depth)
    if key not in raw.cache:
        raw.cache[key] = [_path_labels(path) for path in _label_paths(raw, top, depth)]
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

    The candidate headers and their label keys are the sheet's (:func:`_candidates`, shared by every
    kind tried); each kind looks up every distinct key once (:func:`_hits`). A kind naming fewer than
    two canonical columns among all the keys cannot have a header and is passed over at once; a
    candidate whose keys name no more columns than the best so far is passed over without scoring.

    Returns
    -------
    Header or None
    """
    candidates, every_key = _candidates(raw, max_depth)
    hits = _hits(every_key, table)
    if len(set(hits.values())) < 2:  # no candidate header can match two columns
        return None
    best: tuple[int, int] | None = None
    best_score = 1
    for top, depth, keys, every in candidates:
        found = every & hits.keys()
        # at most as many columns as distinct names among all the candidate keys: most candidate
        # headers (data rows, titles) name none or one, and are passed over without a closer look
        if len(found) <= best_score or len({hits[k] for k in found}) <= best_score:
            continue
        score = _score(keys, hits)
        if score > best_score:
            best, best_score = (top, depth), score
    if best is None:
        return None
    header = _header_at(raw, *best, table)
    assert header is not None  # it was scored
    header.skip_rows = _numbering_rows(raw, header.rows[-1] + 1)
    return header


def _candidates(raw: RawSheet, max_depth: int) -> tuple[list[tuple[int, int, list[list[str]], frozenset[str]]], set[str]]:
    """Every candidate header of a sheet, in search order, and every key they hold (cached per sheet).

    A candidate is ``(top, depth, label keys per column, all its keys)``: each of the first
    :data:`MAX_SCAN_ROWS` rows with at least two filled cells, as the top of one to ``max_depth`` rows.
    """
    cache_key = ("candidates", max_depth)
    if cache_key not in raw.cache:
        candidates = []
        every_key: set[str] = set()
        for top in range(min(len(raw.rows), MAX_SCAN_ROWS)):
            if _filled(raw.rows[top]) < 2:
                continue
            for depth in range(1, max_depth + 1):
                if top + depth > len(raw.rows):
                    break
                keys = _label_keys(raw, top, depth)
                every = frozenset(chain.from_iterable(keys))
                every_key |= every
                candidates.append((top, depth, keys, every))
        raw.cache[cache_key] = (candidates, every_key)
    return raw.cache[cache_key]


def _hits(keys: set[str], table: Mapping[str, str]) -> dict[str, str]:
    """The keys of ``keys`` that ``table`` names a canonical column for, with that name (as ``table.get``)."""
    found = getattr(table, "found", None)
    if found is not None:  # a PatternSynonyms: exact spellings at once, its patterns key by key
        return found(keys)
    if isinstance(table, dict):
        return {k: hit for k in keys & table.keys() if (hit := table[k])}
    return {k: hit for k in keys if (hit := table.get(k))}


def _score(keys: list[list[str]], hits: Mapping[str, str | None]) -> int:
    """How many distinct canonical columns the columns' first matching label keys name (as in
    :func:`_header_at`, whose header's ``columns`` this counts)."""
    found = set()
    for options in keys:
        for k in options:
            if hit := hits.get(k):
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
        text = cell_text(value, None).strip()
        if match := _NUMBER_LABEL_RE.match(text):
            numbers.append(int(match.group(1)))
        elif not _LETTER_LABEL_RE.match(text):
            return ()
    if len(numbers) >= 2 and numbers[0] <= 2 and all(b > a for a, b in zip(numbers, numbers[1:], strict=False)):
        return (start,)
    return ()
