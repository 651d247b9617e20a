"""Open any export safely and return its sheets with provenance.

The kind of file is told from its content (magic bytes, then sniffing), never from its name: a
workbook saved as ``.xls`` may be an HTML table, and a ``.csv`` may be UTF-16. Supported:

- ``xlsx``/``xlsm`` and ``ods`` (zip): the unpacked size is checked (declared *and* actual, with a
  ceiling) and XML entity declarations refused before any parser sees the content;
- genuine ``xls`` (OLE2 compound file); an OLE2 file holding ``EncryptionInfo`` is a
  password-protected workbook and is refused with a sentence saying how to save it without one;
- an HTML table saved as ``.xls``; an XML Spreadsheet 2003 (Excel's "XML" format, often saved as ``.xls``)
  and a flat OpenDocument spreadsheet (``.fods``), both parsed with ``defusedxml``;
- CSV/TSV text in UTF-8 (with or without BOM), UTF-16 or Windows-1258, separated by ``,`` ``;``
  or tab.

Every sheet is read. Cells come back as read (text is normalised later, column by column); rows
keep the spreadsheet's own 1-based row numbers (CSV: record number with the header as 1; HTML:
the ``<tr>`` index of the table). Workbooks whose styles use legacy Vietnamese fonts (``.VnTime``,
``VNI-Times``) are read cell by cell with openpyxl so that each text is converted by its font.

A workbook whose main part is not ``xl/workbook.xml`` (a valid package written by another tool) is
found through ``_rels/.rels`` and ``[Content_Types].xml`` and read with openpyxl. A sheet that cannot
be read (a broken chart sheet, say) is named in ``warnings`` and the other sheets are still read.
Leading blank rows are dropped (row numbers kept), so a table that starts far down a sheet is found.

Anything that cannot be read raises :class:`ReadError` with a one-sentence Vietnamese reason on one
printable line (control characters escaped); the reader's own English, if any, is kept in
``ReadError.detail`` and in the log (logger ``cchc_analysis.ingest.readers``), never in the reason.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.xls"
>>> _ = p.write_text("Mã hồ sơ;Ngày tiếp nhận\\n00123;02/03/2024\\n", encoding="utf-8")
>>> [s.rows for s in read(p)], sniff(p)
([[['Mã hồ sơ', 'Ngày tiếp nhận'], ['00123', '02/03/2024']]], 'text')
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import Path

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.read_checks import MAX_UNPACKED_BYTES, is_encrypted_ole, is_old_biff, sniff_zip
from cchc_analysis.ingest.read_common import (
    _OLD_EXCEL,
    _OLE2,
    _OTHER_FORMATS,
    _PROTECTED,
    _ZIP,
    MAX_TEXT_BYTES,
    ReadError,
    engine_error,
    filled_cell,
    printable,
)
from cchc_analysis.ingest.read_text import looks_like_html, looks_like_text, read_html, read_text
from cchc_analysis.ingest.read_workbook import read_xls, read_zip_workbook
from cchc_analysis.ingest.read_xml import read_fods, read_xml2003, sniff_xml

__all__ = ["ReadError", "read", "sniff", "printable", "MAX_UNPACKED_BYTES", "MAX_TEXT_BYTES"]

log = logging.getLogger(__name__)


def sniff(path: Path) -> str:
    """Tell what a file holds from its first bytes.

    Returns one of ``xlsx`` (``xlsx-part`` when the workbook part is not ``xl/workbook.xml``), ``xlsb``,
    ``ods``, ``xls``, ``encrypted``, ``xml2003`` (XML Spreadsheet 2003), ``fods`` (flat ODS), ``biff-old``
    (Excel 2–4), ``html``, ``text``, ``zip`` (another zip), ``empty`` or a description of another format
    (``"một tệp PDF"``…) / ``binary``.
    """
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        return "empty"
    if head.startswith(_ZIP):
        return sniff_zip(path)
    if head.startswith(_OLE2):
        return "encrypted" if is_encrypted_ole(path) else "xls"
    if is_old_biff(head):
        return "biff-old"
    for magic, what in _OTHER_FORMATS.items():
        if head.startswith(magic):
            return what
    if xml := sniff_xml(head):
        return xml
    if looks_like_html(head):
        return "html"
    if looks_like_text(head):
        return "text"
    return "binary"


def read(path: Path, warnings: list[str] | None = None) -> list[RawSheet]:
    """Read every sheet of an export.

    Parameters
    ----------
    path : Path
        The file; its name is not trusted.
    warnings : list of str, optional
        Receives a Vietnamese sentence for each sheet that could not be read (the others are returned).

    Returns
    -------
    list of RawSheet
        One per sheet (one for CSV and HTML files, with ``sheet=None``).

    Raises
    ------
    ReadError
        With a one-sentence Vietnamese reason, for anything that is not a readable spreadsheet.
    """
    path = Path(path)
    try:
        fmt = sniff(path)
    except OSError as exc:
        raise ReadError(f"không mở được tệp ({exc.strerror or exc})") from None
    readers = {"xlsx": read_zip_workbook, "xlsx-part": read_zip_workbook, "xlsb": read_zip_workbook,
               "ods": read_zip_workbook, "xls": read_xls, "html": read_html, "text": read_text,
               "xml2003": read_xml2003, "fods": read_fods}
    if fmt in readers:
        skipped: list[str] = []
        try:
            sheets = readers[fmt](path, fmt, skipped)
        except ReadError as exc:
            if exc.detail:
                log.info("%s: %s", printable(path), exc.detail)
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            log.info("%s: %s", printable(path), exc)
            raise ReadError("tệp bảng tính bị hỏng hoặc không trọn vẹn (có thể bị cắt ngang khi tải về)",
                            str(exc)) from None
        except MemoryError:
            raise ReadError("tệp quá lớn để đọc trong bộ nhớ") from None
        except Exception as exc:  # noqa: BLE001 - any parser failure becomes a plain sentence
            log.info("%s: %s: %s", printable(path), type(exc).__name__, exc)
            raise ReadError(engine_error(exc), f"{type(exc).__name__}: {exc}") from None
        sheets = [_without_leading_blanks(sheet) for sheet in sheets]
        if not any(sheet.rows for sheet in sheets):
            if skipped:
                raise ReadError("không đọc được trang tính nào của tệp: " + "; ".join(skipped))
            raise ReadError("bảng tính không có dữ liệu (mọi trang tính đều trống)")
        if warnings is not None:
            warnings.extend(skipped)
        return sheets
    if fmt == "biff-old":
        raise ReadError(_OLD_EXCEL)
    if fmt == "encrypted":
        raise ReadError(_PROTECTED)
    if fmt == "empty":
        raise ReadError("tệp rỗng (0 byte)")
    if fmt == "zip":
        raise ReadError("tệp nén zip này không phải là bảng tính Excel (.xlsx) hay OpenDocument (.ods)")
    if fmt == "binary":
        raise ReadError("tệp không phải là bảng tính (nội dung nhị phân không nhận ra), dù tên tệp có đuôi bảng tính")
    raise ReadError(f"tệp không phải là bảng tính mà là {fmt}")



def _without_leading_blanks(sheet: RawSheet) -> RawSheet:
    """Drop the blank rows above a sheet's first filled row (row numbers and merged ranges follow)."""
    rows = sheet.rows
    first = next((i for i, row in enumerate(rows) if any(filled_cell(c) for c in row)), len(rows))
    if first == 0:
        return sheet
    sheet.rows = rows[first:]
    sheet.row_numbers = sheet.row_numbers[first:]
    sheet.merged = [((max(r0 - first, 0), c0), (r1 - first, c1)) for (r0, c0), (r1, c1) in sheet.merged if r1 >= first]
    return sheet
