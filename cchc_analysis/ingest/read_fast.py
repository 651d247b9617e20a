"""A column-wise reader for big xlsx sheets, giving exactly the cells the general reader gives.

The general reader (:mod:`read_workbook`) turns every cell of a sheet into a Python object, row by
row. On a list of 200,000 dossiers that is most of the run's time and memory. For a big worksheet of
a plain ``.xlsx`` this module reads instead:

1. the *top* of the sheet (the first rows held in the first two megabytes of its XML, kept by the
   zip check) with a small tolerant parser, cell by cell, typed as calamine types them; the title
   block and the header are in it, so the header is found on these rows as on any other;
2. the rest of the sheet with ``fastexcel`` (the same Rust engine, straight to Arrow columns), one
   column type per column, chosen from the last rows of the top part: ``float`` for a column of
   numbers (a text cell in it, a total or a footer, is reported by the engine with its text, kept
   exactly), ``string`` for a column of text.

The result is exact or not used at all. The engine would print a number found in a ``string``
column as text (``1.921``, ambiguous with the Vietnamese text ``1.921`` = 1921), so the sheet's value
cells are counted by type in its XML (``<v>`` and the ``t="…"`` attributes; by the zip check, or by a
second inflate beside the engine's parse, W19), and the numbers the two parts account for must be all
the sheet's non-text cells. Anything unusual (a date, boolean or error cell outside the top rows, a
cell type or markup the small parser does not know, a header beyond the top rows, the two parts not
lining up on their overlapping rows, the engine missing) returns ``None``, and the sheet is read by
the general reader. ``docs/assumptions.md`` W13. The biggest sheets are parsed by two engines at once,
one per half (:mod:`~cchc_analysis.ingest.sheet_split`, W20).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc_analysis.ingest.column_tail import ColumnTail
from cchc_analysis.ingest.read_checks import Counting, PartScan, ZipFacts, check_zip, finish_zip
from cchc_analysis.ingest.sheet_split import splitter

__all__ = ["FAST_ABOVE_BYTES", "ColumnTail", "checked_and_fast", "fast_sheet", "prefetch", "sheet_parts", "take_prefetched"]

log = logging.getLogger("cchc_analysis.ingest.readers")

#: Worksheets whose XML is bigger than this are read column-wise (smaller ones by the general reader).
FAST_ABOVE_BYTES = 8 * 1024**2
#: Rows of the top part compared with the engine's rows (the two parts must agree on them).
OVERLAP_ROWS = 8
#: The top part must hold at least this many rows (the header search looks at the first 60).
MIN_TOP_ROWS = 100


class _Unusual(Exception):
    """Something the small parser does not know: the sheet goes to the general reader."""


# --- workbook parts ---

_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL_RE = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ATTR_RE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def sheet_parts(zf: Any) -> dict[str, str]:
    """Sheet name → worksheet part (``xl/worksheets/sheet1.xml``), from the workbook and its relationships."""
    import html

    workbook = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for match in _REL_RE.finditer(rels):
        attrs = dict(_ATTR_RE.findall(match.group(1)))
        target = attrs.get(b"Target", b"").decode("utf-8")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get(b"Id", b"")] = target
    parts = {}
    for match in _SHEET_RE.finditer(workbook):
        attrs = dict(_ATTR_RE.findall(match.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if b"name" in attrs and rid in targets:
            parts[html.unescape(attrs[b"name"].decode("utf-8"))] = targets[rid]
    return parts


# --- the top of a sheet ---

_ROW_RE = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_V_RE = re.compile(rb"<v>(.*?)</v>", re.S)
_T_RE = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.S)
_RPH_RE = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_SI_RE = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_REF_RE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ODD_TEXT = re.compile(r"_x[0-9A-Fa-f]{4}_|\r")
_MERGE_RE = re.compile(rb'<mergeCell ref="([A-Z]{1,3}\d+):([A-Z]{1,3}\d+)"\s*/>')


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        if "&" in _ENTITY_RE.sub("", text):
            raise _Unusual("entity")
        text = _ENTITY_RE.sub(lambda m: _NAMED[m.group(1)] if m.group(1) else chr(int(m.group(2) or m.group(3),
                                                                                         10 if m.group(2) else 16)), text)
    if _ODD_TEXT.search(text):
        raise _Unusual("escaped text")
    return text


def _rich_text(body: bytes) -> str:
    """The text of an ``<si>`` or ``<is>`` item: its runs' ``<t>`` joined, phonetic runs left out."""
    if b"<rPh" in body:
        body = _RPH_RE.sub(b"", body)
    return "".join(_unescape(m.group(1) or b"") for m in _T_RE.finditer(body))


def _ref(ref: bytes) -> tuple[int, int]:
    match = _REF_RE.match(ref.decode("ascii", "replace"))
    if not match:
        raise _Unusual("cell reference")
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def _date_styles(styles: bytes) -> set[int]:
    """Indexes of the cell formats (``cellXfs``) that show a date or a time (calamine types such numbers as dates)."""
    custom = {}
    for match in re.finditer(rb'<(?:\w+:)?numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", match.group(2).decode("utf-8", "replace")).lower()
        custom[int(match.group(1))] = any(ch in code for ch in "dmyhs")
    block = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    out = set()
    for index, match in enumerate(re.finditer(rb"<(?:\w+:)?xf\b([^>]*)>", block.group(0) if block else b"")):
        attrs = dict(_ATTR_RE.findall(match.group(1)))
        fmt = int(attrs.get(b"numFmtId", b"0"))
        if 14 <= fmt <= 22 or 27 <= fmt <= 36 or 45 <= fmt <= 47 or 50 <= fmt <= 58 or custom.get(fmt, False):
            out.add(index)
    return out


@dataclass
class _Top:
    rows: list[list[Any]]  # from row 1 and column A, ragged
    height: int  # rows covered (the last complete row's number)
    counts: dict[bytes, int]  # the scan patterns counted in the bytes of these rows


def _top(scan: PartScan, shared_head: bytes, date_styles: set[int]) -> _Top:
    head = scan.head
    start = head.find(b"<sheetData")
    if start < 0:
        raise _Unusual("no sheetData in the head")
    end = head.rfind(b"</row>")
    if end < 0:
        raise _Unusual("no complete row")
    region = head[start: end + len(b"</row>")]
    shared: list[str] | None = None
    rows: dict[int, dict[int, Any]] = {}
    last = -1
    for match in _ROW_RE.finditer(region):
        attrs = dict(_ATTR_RE.findall(match.group(1)))
        if b"r" not in attrs:
            raise _Unusual("row without number")
        number = int(attrs[b"r"]) - 1
        if number <= last:
            raise _Unusual("rows out of order")
        last = number
        cells: dict[int, Any] = {}
        for cell in _CELL_RE.finditer(match.group(2) or b""):
            cattrs = dict(_ATTR_RE.findall(cell.group(1)))
            if b"r" not in cattrs:
                raise _Unusual("cell without reference")
            row, col = _ref(cattrs[b"r"])
            if row != number:
                raise _Unusual("cell outside its row")
            kind = cattrs.get(b"t", b"n")
            body = cell.group(2) or b""
            if kind == b"inlineStr":
                is_ = re.search(rb"<is>(.*?)</is>", body, re.S)
                value: Any = _rich_text(is_.group(1)) if is_ else ""
            else:
                v = _V_RE.search(body)
                if v is None:
                    if b"<v" in body:
                        raise _Unusual("odd value markup")
                    continue  # no value: a blank (styled) cell
                raw = v.group(1)
                if kind == b"s":
                    if shared is None:
                        shared = [_rich_text(m.group(1) or b"") for m in _SI_RE.finditer(shared_head)]
                    index = int(raw)
                    if index >= len(shared):
                        raise _Unusual("shared string beyond the head")
                    value = shared[index]
                elif kind == b"str":
                    value = _unescape(raw)
                elif kind == b"n":
                    if int(cattrs.get(b"s", b"0")) in date_styles:
                        raise _Unusual("a date cell in the top rows")
                    value = float(raw)
                else:
                    raise _Unusual(f"cell type {kind!r}")
            if value != "":
                cells[col] = value
        rows[number] = cells
    if last < 0:
        raise _Unusual("no rows")
    width = max((max(c) + 1 for c in rows.values() if c), default=0)
    grid = []
    for number in range(last + 1):
        cells = rows.get(number, {})
        grid.append([cells.get(c, "") for c in range(width)])
    counts = {p: region.count(p) for p in scan.patterns}
    return _Top(grid, last + 1, counts)


def _merged(scan: PartScan) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged ranges, listed after the cells (in the last bytes of the part kept by the zip check)."""
    tail = scan.tail
    at = tail.rfind(b"<mergeCells")
    if at < 0:
        if b"<mergeCell " in tail or b"</sheetData>" not in tail:
            raise _Unusual("merged cells not in the last bytes")
        return []
    count = re.match(rb'<mergeCells[^>]*count="(\d+)"', tail[at:])
    found = [(_ref(a), _ref(b)) for a, b in _MERGE_RE.findall(tail[at:])]
    if count and int(count.group(1)) != len(found):
        raise _Unusual("merged cells not all read")
    return found


# --- the rest, column by column ---

_ERROR_TEXT = re.compile(r"^Expected float but got 'String\(\"(.*)\"\)'$", re.S)
_DEBUG_ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]+)\}|(.))")
_DEBUG_CHARS = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def _debug_text(detail: str) -> str:
    """The text of a cell the engine could not read as a number (its message quotes it, Rust-escaped)."""
    match = _ERROR_TEXT.match(detail)
    if not match:
        raise _Unusual("a cell that is neither a number nor a text")

    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        if m.group(2) not in _DEBUG_CHARS:
            raise _Unusual("escape")
        return _DEBUG_CHARS[m.group(2)]

    return _DEBUG_ESCAPE.sub(one, match.group(1))


def _column_types(top: _Top) -> dict[int, str]:
    """``float`` or ``string`` for each column, by what most of the last rows of the top part hold."""
    width = max((len(r) for r in top.rows), default=0)
    types = {}
    for col in range(width):
        for window in (top.rows[-40:], top.rows):
            numbers = sum(1 for r in window if col < len(r) and type(r[col]) is float)
            texts = sum(1 for r in window if col < len(r) and type(r[col]) is str and r[col] != "")
            if numbers or texts:
                types[col] = "float" if numbers > texts else "string"
                break
    return types


_LEGACY_FONT_RE = re.compile(rb'<(?:\w+:)?name\s+val="(\.vn[^"]*|vni[^"]*)"', re.IGNORECASE)


def checked_and_fast(path: Path) -> tuple[ZipFacts, dict[str, Any]]:
    """The zip check of an ``xlsx`` workbook (it raises on a zip bomb), and its big sheets read
    column-wise by name (none when its styles use legacy fonts: those are read cell by cell).

    Every part is inflated whole, and its actual size compared with its declared one, BEFORE the
    column-wise engine opens the package: unlike the general reader's engine, it does not stop at a
    part's declared size, so a lying header would otherwise let it parse a bomb (``docs/assumptions.md``
    W18). The zip check and the engine each release the interpreter's lock, so the whole read can still
    run in a background thread (:func:`prefetch`). The cell counts of a big sheet are taken while the
    engine parses it (:func:`fast_sheets`), not before."""
    facts = check_zip(path, scan=True, defer_above=FAST_ABOVE_BYTES)
    legacy = bool(_LEGACY_FONT_RE.search(facts.styles))
    split = None if legacy else splitter(path, facts)
    try:
        # Split, the sheet is counted while it is written (both engines then take the two cores).
        finish_zip(path, facts, count=split is not None, also={split.part: split} if split else None)
        if split is not None:
            split.finish()
        return facts, ({} if legacy else fast_sheets(path, facts, split))
    finally:
        if split is not None:
            split.remove()


def fast_sheets(path: Path, facts: ZipFacts, split: Any = None) -> dict[str, Any]:
    """The big worksheets read column-wise, by name; the others are left to the general reader.
    ``facts`` must come from a finished zip check (:func:`checked_and_fast`).

    A big sheet's cell counts, when the check did not take them, are taken by a second inflate of the
    checked part in a thread of its own while the engine parses the sheet (both release the
    interpreter's lock: on two cores the counts cost no time). ``split``, when ready, holds the sheet
    cut in two (:mod:`~cchc_analysis.ingest.sheet_split`)."""
    import zipfile

    big = {part for part, scan in facts.sheets.items() if part in facts.deferred or scan.size > FAST_ABOVE_BYTES}
    parts: dict[str, str] = {}
    if big:
        try:
            with zipfile.ZipFile(path) as zf:
                parts = sheet_parts(zf)
        except Exception as exc:  # noqa: BLE001 - an unusual package: the general reader decides
            log.info("%s: %s", path.name, exc)
    counting = {part: Counting(path, part, facts) for part in parts.values() if part in big}
    loaded = {name: _attempt(path, name, _load, path, name, facts.sheets[part], facts.shared_head, facts.styles,
                             split if split is not None and split.ready and split.part == part else None)
              for name, part in parts.items() if part in big}
    ready = {}
    for name, part in parts.items():
        if part in counting and not _attempt(path, name, counting[part].finish, facts.sheets[part]):
            continue
        if loaded.get(name) is not None:
            sheet = _attempt(path, name, _verified, path, name, facts.sheets[part], loaded[name])
            if sheet is not None:
                ready[name] = sheet
    return ready


_PREFETCHED: dict[Path, Any] = {}


def prefetch(path: Path) -> None:
    """Start reading an ``xlsx`` workbook in the background (:func:`checked_and_fast`), for
    :func:`take_prefetched`. The zip check and the engine's parse release the interpreter's lock, so
    that the command's imports run meanwhile. Anything else than a plain ``xlsx`` is left alone."""
    import threading

    from cchc_analysis.ingest.read_checks import sniff_zip

    path = Path(path)
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04" or sniff_zip(path) != "xlsx":
                return
    except Exception:  # noqa: BLE001 - the reader will say what is wrong
        return
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = checked_and_fast(path)
        except BaseException as exc:  # noqa: BLE001 - handed over to the reader, raised there
            box["error"] = exc

    thread = threading.Thread(target=run, name="cchc-prefetch", daemon=True)
    _PREFETCHED[path.resolve()] = (thread, box)
    thread.start()


def take_prefetched(path: Path) -> tuple[ZipFacts, dict[str, Any]] | None:
    """What :func:`prefetch` read of ``path`` (waiting for it), or None; errors are raised here."""
    entry = _PREFETCHED.pop(Path(path).resolve(), None)
    if entry is None:
        return None
    thread, box = entry
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def fast_sheet(path: Path, name: str, scan: PartScan, shared_head: bytes, styles: bytes) -> Any:
    """The sheet ``name`` read column-wise (see the module docstring), or None to use the general reader."""
    loaded = _attempt(path, name, _load, path, name, scan, shared_head, styles)
    return None if loaded is None else _attempt(path, name, _verified, path, name, scan, loaded)


def _attempt(path: Path, name: str, step: Any, *args: Any) -> Any:
    try:
        return step(*args)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - unusual content or an engine failure: the general reader decides
        log.info("%s#%s: general reader (%s: %s)", path.name, name, type(exc).__name__, exc)
        return None


def _load(path: Path, name: str, scan: PartScan, shared_head: bytes, styles: bytes,
          split: Any = None) -> tuple[_Top, ColumnTail]:
    """The top part (from the scan's head) and the engine's columns of the rows below it (from the two
    halves of ``split`` at once when they line up, else from the workbook)."""
    top = _top(scan, shared_head, _date_styles(styles))
    if top.height < MIN_TOP_ROWS:
        raise _Unusual("the top part is short")
    types = _column_types(top)
    if not types:
        raise _Unusual("no column types")
    skip = top.height - OVERLAP_ROWS
    parsed = None
    if split is not None and split.first_row - 1 > skip:
        from cchc_analysis.ingest.sheet_split import parse_in_two

        parsed = parse_in_two(split, name, skip, types, _engine)
    if parsed is None:
        parsed = _engine(path, name, skip, types)
    columns, arrays, texts, length = parsed
    numeric = {c for c, t in types.items() if t == "float"}
    width = max(max(columns) + 1, max(len(r) for r in top.rows))
    return top, ColumnTail(arrays, texts, length, width, numeric)


def _engine(source: Path, name: str, skip: int, types: dict[int, str]) -> tuple[list[int], dict[int, Any],
                                                                               dict[tuple[int, int], str], int]:
    """The engine's parse of sheet ``name`` of ``source`` below its first ``skip`` rows, one type per column:
    the columns (0-based sheet columns), their Arrow arrays, the texts of ``float`` columns by (row, column)
    and the number of rows."""
    import fastexcel

    sheet = fastexcel.read_excel(str(source)).load_sheet(name, header_row=None, skip_rows=skip, dtypes=types)
    columns = {c.absolute_index: c for c in sheet.available_columns()}
    if any(c.dtype_from != "provided_by_index" for c in columns.values()):
        raise _Unusual("a column with no type in the top rows")
    batch, errors = sheet.to_arrow_with_errors()
    del sheet
    arrays = {col: batch.column(i) for i, col in enumerate(columns)}
    texts: dict[tuple[int, int], str] = {}
    names = list(columns)
    for error in errors.errors if errors else ():
        texts[(error.offset_position[0], names[error.offset_position[1]])] = _debug_text(error.detail)
    return names, arrays, texts, batch.num_rows


def _verified(path: Path, name: str, scan: PartScan, loaded: tuple[_Top, ColumnTail]) -> Any:
    """The sheet, once the engine's rows are shown to line up with the top part and to hold every number
    (``scan`` is the whole part's, after the zip check)."""
    top, tail = loaded
    merged = _merged(scan)
    _check_overlap(top, tail)
    _check_counts(scan, top, tail)
    # The overlapping rows are the top part's; the tail starts below them.
    tail = ColumnTail({c: a.slice(OVERLAP_ROWS) for c, a in tail.columns.items()},
                      {(r - OVERLAP_ROWS, c): t for (r, c), t in tail.texts.items() if r >= OVERLAP_ROWS},
                      tail.length - OVERLAP_ROWS, tail.width, tail.numeric)
    rows = [r + [""] * (tail.width - len(r)) for r in top.rows]
    from cchc_analysis.ingest.base import RawSheet  # (pandas: imported once the engine is done)

    return RawSheet(path, name, rows, range(1, len(rows) + tail.length + 1), "xlsx", merged, tail=tail)


def _check_overlap(top: _Top, tail: ColumnTail) -> None:
    filled = 0
    for k in range(OVERLAP_ROWS):
        expected = top.rows[top.height - OVERLAP_ROWS + k]
        got = tail.row(k)
        expected = expected + [""] * (len(got) - len(expected))
        if got != expected or [type(v) for v in got] != [type(v) for v in expected]:
            raise _Unusual("the two parts do not line up")
        filled += sum(1 for v in got if v != "")
    if filled < 2:
        raise _Unusual("blank overlap")


def _check_counts(scan: PartScan, top: _Top, tail: ColumnTail) -> None:
    """Every non-text cell of the sheet is in the top part or a number of a ``float`` column."""
    import pyarrow.compute as pc

    def non_text(counts: dict[bytes, int]) -> int:  # t="s" (shared) and t="str" (formula) are texts
        return counts[b"<v>"] - counts.get(b't="s', 0)

    if scan.counts[b't="b'] != top.counts[b't="b']:  # a boolean in a float column would pass as 1.0
        raise _Unusual("boolean cells below the top rows")
    numbers = sum(len(a) - a.null_count for c, a in tail.columns.items() if c in tail.numeric)
    in_overlap = sum(pc.sum(pc.is_valid(a.slice(0, OVERLAP_ROWS))).as_py() or 0
                     for c, a in tail.columns.items() if c in tail.numeric)
    if non_text(scan.counts) - non_text(top.counts) != numbers - in_overlap:
        raise _Unusual("numbers in a text column")
