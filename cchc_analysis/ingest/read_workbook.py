"""Workbook readers: python-calamine for xlsx/xlsm/xlsb/ods/xls, openpyxl for legacy fonts and
packages whose workbook part is not where calamine looks for it."""

from __future__ import annotations

import io
import logging
import re
import tempfile
from pathlib import Path
from typing import Any

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.read_checks import check_zip, xls_has_filepass
from cchc_analysis.ingest.read_common import _PROTECTED, ReadError, printable, sheet_skipped
from cchc_analysis.ingest.read_fast import checked_and_fast, take_prefetched
from cchc_analysis.ingest.text import convert_legacy, encoding_of_font

log = logging.getLogger("cchc_analysis.ingest.readers")

_LEGACY_FONT_RE = re.compile(rb'<(?:\w+:)?name\s+val="(\.vn[^"]*|vni[^"]*)"', re.IGNORECASE)


def read_zip_workbook(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    prefetched = take_prefetched(path) if fmt == "xlsx" else None
    if prefetched is not None:
        facts, ready = prefetched
    elif fmt == "xlsx":
        facts, ready = checked_and_fast(path)
    else:
        facts, ready = check_zip(path), {}
    styles = facts.styles
    if fmt == "xlsx-part":  # a valid package whose workbook is not at xl/workbook.xml: openpyxl finds it
        return _read_xlsx_with_fonts(path, skipped, fonts=False)
    if fmt == "xlsx" and _LEGACY_FONT_RE.search(styles):
        return _read_xlsx_with_fonts(path, skipped)
    return _read_calamine(path, fmt, skipped, ready)


def _read_calamine(path: Path, fmt: str, skipped: list[str], ready: dict[str, RawSheet] | None = None) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    sheets = []
    workbook = _open_calamine(CalamineWorkbook, path, fmt)
    try:
        for name in workbook.sheet_names:
            if ready and name in ready:
                sheets.append(ready[name])
                continue
            try:
                sheet = workbook.get_sheet_by_name(name)
                rows = _shared_rows(sheet)
                merged = [tuple(r) for r in (getattr(sheet, "merged_cell_ranges", None) or [])]
                del sheet  # the engine's copy of the cells
            except MemoryError:
                raise
            except Exception as exc:  # noqa: BLE001 - one broken sheet (a chart sheet…) does not sink the others
                log.info("%s#%s: %s: %s", printable(path.name), printable(name), type(exc).__name__, exc)
                skipped.append(sheet_skipped(name, exc))
                continue
            sheets.append(RawSheet(path, name, rows, range(1, len(rows) + 1), fmt, merged))
    finally:
        workbook.close()
    if skipped and not sheets:
        raise ReadError("không đọc được trang tính nào của tệp: " + "; ".join(skipped))
    return sheets


#: Rows handed to the engine's row iterator between two de-duplications of their texts.
_SHARE_CHUNK = 16_384
#: Sheets of more cells than this are read with their texts shared (:func:`_shared_rows`): slower
#: than the engine's one-call conversion, but a third less peak memory where memory matters.
SHARE_ABOVE_CELLS = 1_000_000


def _shared_rows(sheet: Any) -> list[list[Any]]:
    """The cells of a calamine sheet from A1, as ``to_python(skip_empty_area=False)`` gives them, but
    with the texts of repetitive columns shared.

    The engine makes a new object for every text cell; a dossier list repeats the same few labels
    (status, channel, field, procedure) in every row. The rows are taken in chunks; in each chunk, a
    column whose cells are all text and mostly repeated keeps one object per distinct text (by
    hashing, in C), so the copies are freed while the sheet is still being read: about a third less
    peak memory on a big list, for a second or two more on 200,000 rows (``docs/assumptions.md`` W10).
    Values and types are unchanged (only all-text columns are touched, and a text is only replaced by
    an equal text). Sheets of at most :data:`SHARE_ABOVE_CELLS` cells take the one-call conversion.
    """
    start, end = getattr(sheet, "start", None), getattr(sheet, "end", None)
    if start is None or end is None or (end[0] + 1) * (end[1] + 1) <= SHARE_ABOVE_CELLS:
        return sheet.to_python(skip_empty_area=False)
    height, width = end[0] + 1, end[1] + 1
    rows: list[list[Any]] = []
    chunk: list[list[Any]] = []
    for row in sheet.iter_rows():
        chunk.append(row)
        if len(chunk) == _SHARE_CHUNK:
            rows += _share_texts(chunk)
            chunk = []
    rows += _share_texts(chunk)
    if rows and len(rows[0]) < width:  # the engine starts rows at the first used column: pad back to column A
        pad = [""] * (width - len(rows[0]))
        rows = [pad + row for row in rows]
    if len(rows) < height:  # and, for some files, at the first used row
        rows[:0] = [[""] * width for _ in range(height - len(rows))]
    return rows


def _share_texts(chunk: list[list[Any]]) -> list[list[Any]]:
    """The rows of ``chunk`` with one object per distinct text in each all-text, repetitive column."""
    import numpy as np
    import pandas as pd

    if len(chunk) < 2 or len(set(map(len, chunk))) != 1 or not chunk[0]:
        return chunk
    grid = np.empty((len(chunk), len(chunk[0])), dtype=object)
    grid[:] = chunk
    for col in range(grid.shape[1]):
        values = grid[:, col]
        head = values[:256].tolist()
        if 2 * len(set(head)) > len(head) or pd.api.types.infer_dtype(values, skipna=False) != "string":
            continue  # mostly distinct (ids, dates, names) or not all text: left as read
        codes, distinct = pd.factorize(values)
        if 2 * len(distinct) < len(values):
            grid[:, col] = np.asarray(distinct, dtype=object)[codes]
    return grid.tolist()



_SUFFIX = {"xlsx": (".xlsx", ".xlsm"), "xlsb": (".xlsb",), "xls": (".xls",), "ods": (".ods",)}


def _open_calamine(workbook_class: Any, path: Path, fmt: str) -> Any:
    """Open with calamine as the content says, whatever the file's name (calamine goes by the suffix)."""
    if path.suffix.lower() in _SUFFIX[fmt]:
        return workbook_class.from_path(str(path))
    with tempfile.TemporaryDirectory(prefix="cchc-") as tmp:
        alias = Path(tmp) / f"workbook{_SUFFIX[fmt][0]}"
        try:
            alias.symlink_to(path.resolve())
        except OSError:  # no symbolic links (Windows without the right): read from memory instead
            return workbook_class.from_filelike(io.BytesIO(path.read_bytes()))
        return workbook_class.from_path(str(alias))


def read_xls(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    if xls_has_filepass(path):
        raise ReadError(_PROTECTED)
    try:
        return _read_calamine(path, fmt, skipped)
    except Exception as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or "filepass" in text:
            raise ReadError(_PROTECTED) from None
        raise


def _read_xlsx_with_fonts(path: Path, skipped: list[str], fonts: bool = True) -> list[RawSheet]:
    """Read a workbook with openpyxl: legacy fonts (each text converted by its cell's font) or a package
    whose workbook part is not where calamine looks for it (``fonts=False``)."""
    import openpyxl  # openpyxl uses defusedxml when it is installed (a project dependency)

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in workbook.worksheets:
            try:
                rows = _openpyxl_rows(ws, fonts)
            except MemoryError:
                raise
            except Exception as exc:  # noqa: BLE001 - one broken sheet does not sink the others
                log.info("%s#%s: %s: %s", printable(path.name), printable(ws.title), type(exc).__name__, exc)
                skipped.append(sheet_skipped(ws.title, exc))
                continue
            merged = []
            if hasattr(ws, "merged_cells"):
                merged = [((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1)) for r in ws.merged_cells.ranges]
            sheets.append(RawSheet(path, ws.title, rows, range(1, len(rows) + 1), "xlsx", merged))
        return sheets
    finally:
        workbook.close()


def _openpyxl_rows(ws: Any, fonts: bool) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for row in ws.iter_rows(min_row=1, min_col=1):
        values: list[Any] = []
        for cell in row:
            col = getattr(cell, "column", None)
            if col is None:  # an EmptyCell of read-only mode
                values.append("")
                continue
            values.extend([""] * (col - 1 - len(values)))
            values.append(_font_value(cell, fonts))
        rows.append(values)
    return rows


def _font_value(cell: Any, fonts: bool = True) -> Any:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str) and fonts:
        font = getattr(cell, "font", None)
        encoding = encoding_of_font(getattr(font, "name", None))
        return convert_legacy(value, encoding) if encoding else value
    return value
