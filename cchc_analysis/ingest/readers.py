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

import csv
import io
import logging
import re
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.text import convert_legacy, detect_legacy, encoding_of_font

__all__ = ["ReadError", "read", "sniff", "printable", "MAX_UNPACKED_BYTES", "MAX_TEXT_BYTES"]

log = logging.getLogger(__name__)

#: Ceiling on the unpacked size of a zipped workbook (all members together).
MAX_UNPACKED_BYTES = 2 * 1024**3
#: Ceiling on the size of a text or HTML export read into memory.
MAX_TEXT_BYTES = 1024**3
#: A member inflating more than this many times its packed size, past 16 MB, is treated as a zip bomb.
MAX_RATIO = 400

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_OTHER_FORMATS = {
    b"%PDF": "một tệp PDF",
    b"\x89PNG": "một ảnh PNG",
    b"\xff\xd8\xff": "một ảnh JPEG",
    b"GIF8": "một ảnh GIF",
    b"Rar!": "một tệp nén RAR",
    b"7z\xbc\xaf": "một tệp nén 7z",
    b"\x1f\x8b": "một tệp nén gzip",
    b"MZ": "một chương trình Windows",
    b"\x7fELF": "một chương trình",
}
_PROTECTED = (
    "bảng tính được bảo vệ bằng mật khẩu (mã hóa), không đọc được; hãy mở bằng Excel, vào "
    "Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu rồi lưu lại (hoặc "
    "Lưu thành một bản .xlsx mới không đặt mật khẩu)"
)
_OLD_EXCEL = (
    "tệp Excel định dạng cũ (Excel 2.x–4.x, trước năm 1995), bộ đọc không hỗ trợ; hãy mở tệp bằng Excel "
    "hoặc LibreOffice Calc rồi chọn Lưu thành (Save As) > Sổ làm việc Excel (.xlsx) và đưa tệp .xlsx vào"
)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: object) -> str:
    r"""``text`` on one printable line: control, NUL, line-break and bidi characters escaped as ``\xNN``.

    Used for everything echoed to the analyst (file names, reasons), so that an ``error:`` line is
    always one line whatever a file is called or a reader says.

    >>> printable("bao cao\nthang 3\x00.xlsx")
    'bao cao\\nthang 3\\x00.xlsx'
    """
    named = {"\n": "\\n", "\r": "\\r", "\t": " "}
    return _CONTROL.sub(lambda m: named.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                            else f"\\u{ord(m.group()):04x}"), str(text))


class ReadError(Exception):
    """A file that cannot be read; ``str(err)`` is a one-sentence Vietnamese reason on one printable line.

    ``detail`` keeps what the underlying reader said (often English), for the log only.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(printable(reason))
        self.detail = detail


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
        return _sniff_zip(path)
    if head.startswith(_OLE2):
        return "encrypted" if _is_encrypted_ole(path) else "xls"
    if _is_old_biff(head):
        return "biff-old"
    for magic, what in _OTHER_FORMATS.items():
        if head.startswith(magic):
            return what
    if xml := _sniff_xml(head):
        return xml
    if _looks_like_html(head):
        return "html"
    if _looks_like_text(head):
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
    readers = {"xlsx": _read_zip_workbook, "xlsx-part": _read_zip_workbook, "xlsb": _read_zip_workbook,
               "ods": _read_zip_workbook, "xls": _read_xls, "html": _read_html, "text": _read_text,
               "xml2003": _read_xml2003, "fods": _read_fods}
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
            raise ReadError(_engine_error(exc), f"{type(exc).__name__}: {exc}") from None
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


# --- zip workbooks (xlsx, xlsm, ods) ---


_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "xlsb",
}
_OFFICE_DOCUMENT = "/officeDocument"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]:
                return "ods"
            part = _workbook_part(zf, names)
            if part is not None:
                return "xlsx-part" if part[1] == "xlsx" else part[1]
    except zipfile.BadZipFile:
        raise ReadError("tệp bảng tính bị hỏng hoặc không trọn vẹn (cấu trúc zip không đọc được)") from None
    return "zip"


def _workbook_part(zf: zipfile.ZipFile, names: set[str]) -> tuple[str, str] | None:
    """The main part of an OOXML package named anywhere (``_rels/.rels``, then ``[Content_Types].xml``).

    Returns ``(part name, "xlsx" | "xlsb")`` or None when the package holds no workbook.
    """
    from defusedxml import ElementTree

    def small(name: str) -> Any:
        info = zf.getinfo(name)
        if info.file_size > 4 * 1024**2:
            return None
        data = zf.read(info)
        if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
            return None
        try:
            return ElementTree.fromstring(data)
        except Exception:  # noqa: BLE001 - a broken manifest: not a workbook we can find
            return None

    types: dict[str, str] = {}
    if "[Content_Types].xml" in names and (root := small("[Content_Types].xml")) is not None:
        for node in root:
            if node.tag.endswith("Override") and node.get("ContentType") in _MAIN_TYPES:
                types[(node.get("PartName") or "").lstrip("/")] = _MAIN_TYPES[node.get("ContentType")]
    if "_rels/.rels" in names and (root := small("_rels/.rels")) is not None:
        for node in root:
            if (node.get("Type") or "").endswith(_OFFICE_DOCUMENT):
                target = (node.get("Target") or "").lstrip("/")
                if target in names and (target in types or not types):
                    return target, types.get(target, "xlsb" if target.endswith(".bin") else "xlsx")
    for part, kind in types.items():
        if part in names:
            return part, kind
    return None


def _check_zip(path: Path) -> bytes:
    """Refuse zip bombs and XML entity declarations; return ``xl/styles.xml`` (empty when absent).

    The declared sizes are checked first; then every member is inflated in chunks straight from the
    archive (nothing kept, the output bounded), so that its actual size is known whatever its header
    says, and compared with the declared size and the ceilings.
    """
    styles = b""
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNPACKED_BYTES:
            raise ReadError(_bomb_message(declared))
        total = 0
        for info in infos:
            if info.file_size > 16 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ReadError(_bomb_message(info.file_size))
            size = _inflated_size(fh, zf, info, MAX_UNPACKED_BYTES - total)
            if size > info.file_size:
                raise ReadError(_bomb_message(total + size))
            if size < info.file_size:
                raise ReadError("tệp bảng tính bị hỏng (một phần nén ngắn hơn kích thước khai báo)")
            total += size
            if info.filename == "xl/styles.xml":
                styles = zf.read(info)
    return styles


def _inflated_size(fh: Any, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """Actual inflated size of a member (stopping just past ``limit``); refuses XML entity declarations."""
    if info.compress_type != zipfile.ZIP_DEFLATED:  # stored (or rare methods): let zipfile count
        size = 0
        with zf.open(info) as member:
            while chunk := member.read(1 << 20):
                _refuse_entities(info, chunk, size)
                size += len(chunk)
        return size
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(info.filename)
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-15)
    left, size = info.compress_size, 0
    while left > 0 and size <= limit:
        chunk = fh.read(min(1 << 20, left))
        if not chunk:
            raise zipfile.BadZipFile(info.filename)
        left -= len(chunk)
        data = inflater.decompress(chunk, limit - size + 1)
        while True:
            _refuse_entities(info, data, size)
            size += len(data)
            if not inflater.unconsumed_tail or size > limit:
                break
            data = inflater.decompress(inflater.unconsumed_tail, limit - size + 1)
    return size


def _refuse_entities(info: zipfile.ZipInfo, data: bytes, offset: int) -> None:
    if offset == 0 and info.filename.endswith((".xml", ".rels")) and b"<!ENTITY" in data[:65536]:
        raise ReadError("tệp chứa khai báo thực thể XML (dấu hiệu tệp độc hại 'bom XML'), không được đọc")


def _bomb_message(size: int) -> str:
    return (f"tệp nén giải ra quá lớn ({size / 1024**2:,.0f} MB, vượt giới hạn "
            f"{MAX_UNPACKED_BYTES / 1024**2:,.0f} MB hoặc tỷ lệ nén bất thường): có thể là 'bom zip', không được đọc")


_LEGACY_FONT_RE = re.compile(rb'<(?:\w+:)?name\s+val="(\.vn[^"]*|vni[^"]*)"', re.IGNORECASE)


def _read_zip_workbook(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    styles = _check_zip(path)
    if fmt == "xlsx-part":  # a valid package whose workbook is not at xl/workbook.xml: openpyxl finds it
        return _read_xlsx_with_fonts(path, skipped, fonts=False)
    if fmt == "xlsx" and _LEGACY_FONT_RE.search(styles):
        return _read_xlsx_with_fonts(path, skipped)
    return _read_calamine(path, fmt, skipped)


def _read_calamine(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    sheets = []
    workbook = _open_calamine(CalamineWorkbook, path, fmt)
    try:
        for name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(name)
                rows = _shared_rows(sheet)
                merged = [tuple(r) for r in (getattr(sheet, "merged_cell_ranges", None) or [])]
                del sheet  # the engine's copy of the cells
            except MemoryError:
                raise
            except Exception as exc:  # noqa: BLE001 - one broken sheet (a chart sheet…) does not sink the others
                log.info("%s#%s: %s: %s", printable(path.name), printable(name), type(exc).__name__, exc)
                skipped.append(_sheet_skipped(name, exc))
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


def _sheet_skipped(name: str, exc: Exception) -> str:
    return f"trang tính «{printable(name)}» không đọc được ({_engine_reason(exc)}), đã bỏ qua; các trang khác vẫn được đọc"


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


def _read_xls(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    if _xls_has_filepass(path):
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
                skipped.append(_sheet_skipped(ws.title, exc))
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


# --- OLE2 (xls, encrypted OOXML) ---


def _is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(4 * 1024**2)
    return any(name in data for name in _ENCRYPTED_STREAMS)


_BIFF8_GLOBALS_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"
_FILEPASS = 0x002F


def _xls_has_filepass(path: Path) -> bool:
    """True when the workbook globals of a BIFF8 ``.xls`` carry a FILEPASS record (an encrypted workbook)."""
    with path.open("rb") as fh:
        data = fh.read(1024**2)
    start = data.find(_BIFF8_GLOBALS_BOF)
    if start < 0:
        return False
    pos = start
    for _ in range(64):  # FILEPASS comes right after BOF and a few early records
        if pos + 4 > len(data):
            return False
        rtype, length = struct.unpack_from("<HH", data, pos)
        if rtype == _FILEPASS:
            return True
        if rtype in (0x000A, 0x0085):  # EOF or the first sheet declaration: no FILEPASS
            return False
        pos += 4 + length
    return False


# --- text (CSV / TSV) ---


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if _utf16_without_bom(head):
        return True
    sample = head[:4096]
    first_line = sample.split(b"\n", 1)[0]
    if first_line and first_line.isascii() and all(32 <= b < 127 or b in (9, 13) for b in first_line) and any(
        d in first_line for d in (b",", b";", b"\t", b"|")
    ):
        return True  # a delimited header line: text, whatever follows (a bad encoding is told when decoding)
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls <= len(sample) // 100


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def decode_text(data: bytes) -> str:
    """Decode exported text: BOM first, then UTF-16 without BOM, strict UTF-8, then 8-bit encodings.

    8-bit text is Windows-1258 (decoded, then NFC), unless its bytes read as Latin-1 show legacy TCVN3
    or VNI letters: then the Latin-1 reading is kept, for the legacy conversion of each column.

    >>> decode_text("Hồ sơ".encode("utf-8-sig"))
    'Hồ sơ'
    >>> decode_text(b"Ha\\xcc s\\xf5")  # Windows-1258 keeps tones as combining marks: NFC after decoding
    'Hà sơ'
    >>> decode_text("Hå s¬".encode("latin-1"))  # TCVN3 bytes: converted later, column by column
    'Hå s¬'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        return data.decode(utf16)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not _C1_BYTES.search(data) and detect_legacy([data[:65536].decode("latin-1")]):
        return data.decode("latin-1")  # TCVN3/VNI fonts use no byte in 0x80-0x9F
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise ReadError("không nhận ra bảng mã của tệp văn bản (không phải UTF-8, UTF-16 hay Windows-1258); "
                        "hãy lưu lại tệp dạng CSV UTF-8") from None
    return unicodedata.normalize("NFC", text)


def _read_text(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ReadError(f"tệp văn bản quá lớn (trên {MAX_TEXT_BYTES // 1024**2} MB)")
    try:
        text = decode_text(path.read_bytes())
    except UnicodeDecodeError:
        raise ReadError("tệp văn bản có byte không hợp lệ trong bảng mã đã khai báo (tệp hỏng?)") from None
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise ReadError("tệp CSV sai cấu trúc (một ô có dấu ngoặc kép không đóng hoặc dòng quá dài)", str(exc)) from None
    return [RawSheet(path, None, rows, range(1, len(rows) + 1), "csv")]


def sniff_delimiter(text: str) -> str:
    """Pick the separator (``,`` ``;`` tab ``|``) that splits the first lines most consistently.

    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n"), sniff_delimiter("a,b\\n1,2\\n")
    (';', '\\t', ',')
    """
    lines = text[:65536].splitlines()[:50]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t", "|"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        width = max(set(counts), key=counts.count)
        if width < 2:
            continue
        score = width * counts.count(width) / len(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XML spreadsheets: Excel's XML Spreadsheet 2003 and flat OpenDocument (.fods) ---

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#: Ceilings on what repeated rows and cells of an XML spreadsheet may expand to.
MAX_XML_ROWS, MAX_XML_COLUMNS = 1_048_576, 16_384


def _sniff_xml(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<"):
        return None
    if _SS.encode() in head and (b"<Workbook" in head or b":Workbook" in head):
        return "xml2003"
    if _OFFICE.encode() in head and b"opendocument.spreadsheet" in head:
        return "fods"
    return None


def _xml_events(path: Path, tags: tuple[str, ...]) -> Any:
    """``(event, element)`` of ``tags`` from a size-checked XML file parsed by defusedxml (entities refused)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ReadError(f"tệp XML quá lớn (trên {MAX_TEXT_BYTES // 1024**2} MB)")
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if element.tag in tags:
                yield event, element
    except DefusedXmlException:
        raise ReadError("tệp chứa khai báo thực thể XML (dấu hiệu tệp độc hại 'bom XML'), không được đọc") from None
    except SyntaxError as exc:  # ElementTree.ParseError
        raise ReadError("tệp XML bị hỏng hoặc không trọn vẹn (có thể bị cắt ngang khi tải về)", str(exc)) from None


class _Grid:
    """Rows being built from XML cells: blank runs are kept pending, so that a repeated blank tail costs nothing."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.row: list[Any] = []
        self.blank_rows = 0
        self.blank_cells = 0

    def cell(self, value: Any, repeat: int = 1, across: int = 0, down: int = 0) -> None:
        if not _filled(value):
            self.blank_cells += repeat
            return
        if len(self.row) + self.blank_cells + repeat > MAX_XML_COLUMNS:
            raise ReadError(f"bảng tính XML có hơn {MAX_XML_COLUMNS:,} cột, không phải một bảng dữ liệu")
        self.row.extend([""] * self.blank_cells)
        self.blank_cells = 0
        if across or down:
            r, c = len(self.rows) + self.blank_rows, len(self.row)
            self.merged.append(((r, c), (r + down, c + across)))
        self.row.extend([value] * repeat)

    def skip_to(self, column: int) -> None:  # a cell placed at a 0-based column index
        self.blank_cells = max(column - len(self.row), self.blank_cells)

    def end_row(self, repeat: int = 1) -> None:
        self.blank_cells = 0
        if not self.row:
            self.blank_rows += repeat
            return
        if len(self.rows) + self.blank_rows + repeat > MAX_XML_ROWS:
            raise ReadError(f"bảng tính XML có hơn {MAX_XML_ROWS:,} dòng")
        self.rows.extend([] for _ in range(self.blank_rows))
        self.blank_rows = 0
        self.rows.extend(list(self.row) for _ in range(repeat))
        self.row = []


def _read_xml2003(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    """Excel's XML Spreadsheet 2003: ``Worksheet/Table/Row/Cell/Data`` with ``ss:Index`` and merges."""
    ns = f"{{{_SS}}}"
    tags = (f"{ns}Worksheet", f"{ns}Row", f"{ns}Cell")
    sheets: list[RawSheet] = []
    grid, name = _Grid(), None
    for event, element in _xml_events(path, tags):
        tag = element.tag[len(ns):]
        if tag == "Worksheet" and event == "start":
            grid, name = _Grid(), element.get(f"{ns}Name") or f"Sheet{len(sheets) + 1}"
        elif tag == "Row" and event == "start":
            if index := _int(element.get(f"{ns}Index")):
                grid.blank_rows = max(index - 1 - len(grid.rows), grid.blank_rows)
        elif tag == "Cell" and event == "end":
            if index := _int(element.get(f"{ns}Index")):
                grid.skip_to(index - 1)
            data = element.find(f"{ns}Data")
            across, down = _int(element.get(f"{ns}MergeAcross")), _int(element.get(f"{ns}MergeDown"))
            grid.cell(_ss_value(data, ns) if data is not None else "", 1, across, down)
            grid.blank_cells += across
        elif tag == "Row" and event == "end":
            grid.end_row()
            element.clear()
        elif tag == "Worksheet" and event == "end":
            sheets.append(RawSheet(path, name, grid.rows, range(1, len(grid.rows) + 1), fmt, grid.merged))
            element.clear()
    return sheets


def _ss_value(data: Any, ns: str) -> Any:
    text = "".join(data.itertext())
    kind = data.get(f"{ns}Type")
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 2**53 and "." not in text else number
    if kind == "DateTime":
        import datetime as dt

        try:
            return dt.datetime.fromisoformat(text.strip()[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() == "1"
    if kind == "Error":
        return ""
    return text


def _read_fods(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    """A flat OpenDocument spreadsheet: ``table:table/table-row/table-cell`` with repeats and spans."""
    t = f"{{{_TABLE}}}"
    cell_tags = (f"{t}table-cell", f"{t}covered-table-cell")
    tags = (f"{t}table", f"{t}table-row", *cell_tags)
    sheets: list[RawSheet] = []
    grid, name, depth = _Grid(), None, 0
    for event, element in _xml_events(path, tags):
        if element.tag == f"{t}table":
            if event == "start":
                depth += 1
                if depth == 1:
                    grid, name = _Grid(), element.get(f"{t}name") or f"Sheet{len(sheets) + 1}"
            else:
                depth -= 1
                if depth == 0:
                    sheets.append(RawSheet(path, name, grid.rows, range(1, len(grid.rows) + 1), "ods", grid.merged))
                    element.clear()
        elif depth != 1 or event != "end":
            continue
        elif element.tag in cell_tags:
            repeat = min(_int(element.get(f"{t}number-columns-repeated")) or 1, MAX_XML_COLUMNS)
            across = max((_int(element.get(f"{t}number-columns-spanned")) or 1) - 1, 0)
            down = max((_int(element.get(f"{t}number-rows-spanned")) or 1) - 1, 0)
            grid.cell(_ods_value(element) if element.tag == f"{t}table-cell" else "", repeat, across, down)
        elif element.tag == f"{t}table-row":
            grid.end_row(min(_int(element.get(f"{t}number-rows-repeated")) or 1, MAX_XML_ROWS))
            element.clear()
    return sheets


def _ods_value(cell: Any) -> Any:
    import datetime as dt

    o = f"{{{_OFFICE}}}"
    kind = cell.get(f"{o}value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            number = float(cell.get(f"{o}value") or "")
        except ValueError:
            return ""
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        try:
            return dt.datetime.fromisoformat((cell.get(f"{o}date-value") or "")[:19])
        except ValueError:
            pass
    if kind == "boolean":
        return (cell.get(f"{o}boolean-value") or "").lower() == "true"
    paragraphs = ["".join(_ods_text(p)) for p in cell.iter(f"{{{_TEXT}}}p")]
    return "\n".join(paragraphs)


def _ods_text(node: Any) -> Any:
    """The text of an ODF paragraph, with ``text:s`` (spaces), ``text:tab`` and ``text:line-break``."""
    x = f"{{{_TEXT}}}"
    if node.text:
        yield node.text
    for child in node:
        if child.tag == f"{x}s":
            yield " " * (_int(child.get(f"{x}c")) or 1)
        elif child.tag == f"{x}tab":
            yield "\t"
        elif child.tag == f"{x}line-break":
            yield "\n"
        else:
            yield from _ods_text(child)
        if child.tail:
            yield child.tail


def _int(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 0


# --- HTML tables ---


def _looks_like_html(head: bytes) -> bool:
    lowered = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) and b"<table" in head.lower():
        return True
    return lowered.startswith(b"<") and b"<table" in lowered


class _TableParser(HTMLParser):
    """Collect the cells of every top-level ``<table>``.

    A cell spanning columns (``colspan``) is followed by blanks; a cell spanning rows (``rowspan``)
    leaves blanks at its place in the rows below, so that every column keeps its position.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._below: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
        self._covered: set[int] = set()  # columns of the current row covered from above

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
                self._below = {}
        elif self._depth != 1:
            return
        elif tag == "tr":
            self._close_row()
            self._open_row()
        elif tag in ("td", "th"):
            self._close_cell()
            if self._row is None:
                self._open_row()
            self._cell = []
            found = dict(attrs)
            self._span = (_span(found.get("colspan")), _span(found.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self._depth == 1:
                self._close_row()
            self._depth = max(self._depth - 1, 0)
        elif self._depth != 1:
            return
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None and self._depth == 1:
            self._cell.append(data)

    def _open_row(self) -> None:
        self._row = []
        self._covered = {c for c, n in self._below.items() if n > 0}
        self._below = {c: n - 1 for c, n in self._below.items() if n > 1}

    def _skip_covered(self) -> None:
        while self._row is not None and len(self._row) in self._covered:
            self._row.append("")

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._skip_covered()
            value = "".join(self._cell).replace("\xa0", " ").strip()
            columns, rows = self._span
            start = len(self._row)
            self._row.append(value)
            self._row.extend([""] * (columns - 1))
            if rows > 1:
                for c in range(start, start + columns):
                    self._below[c] = max(self._below.get(c, 0), rows - 1)
        self._cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None and self.tables:
            self._skip_covered()  # columns covered from above at the end of the row
            self.tables[-1].append(self._row)
        self._row = None


def _span(value: str | None) -> int:
    return min(int(value), 1000) if value and value.strip().isdigit() and int(value) > 0 else 1


_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _read_html(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ReadError(f"tệp HTML quá lớn (trên {MAX_TEXT_BYTES // 1024**2} MB)")
    data = path.read_bytes()
    match = _CHARSET_RE.search(data[:4096])
    declared = match.group(1).decode("ascii", "replace").lower() if match else ""
    if declared and declared not in ("utf-8", "utf8"):
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            text = decode_text(data)
    else:
        text = decode_text(data)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [t for t in parser.tables if t]
    if not tables:
        raise ReadError("tệp HTML không chứa bảng dữ liệu nào (<table>)")
    if len(tables) == 1:
        return [RawSheet(path, None, tables[0], range(1, len(tables[0]) + 1), "html")]
    return [RawSheet(path, f"Bảng {i}", t, range(1, len(t) + 1), "html") for i, t in enumerate(tables, 1)]


# --- helpers ---


def _filled(value: Any) -> bool:
    return value is not None and value != ""


_ENGINE_REASONS = (  # what the reader says (lower case) -> what the analyst reads
    (("password", "encrypt"), None),
    (("cfb", "compound", "sector", "fat ", "difat", "ole"), "cấu trúc tệp Excel 97–2003 (.xls) bị hỏng"),
    (("cell limit", "too many cells", "exceeds", "dimension"), "bảng tính vượt giới hạn số ô mà Excel cho phép"),
    (("xml", "syntax", "tag", "attribute", "utf"), "nội dung XML bên trong tệp bị hỏng"),
    (("zip", "crc", "deflate", "archive", "eof", "end of"), "tệp bị cắt ngang hoặc bị hỏng khi tải về"),
    (("not found", "missing", "relationship", "no such"), "thiếu một phần bắt buộc của tệp Excel"),
    (("biff", "record", "unsupported", "unknown", "invalid"), "định dạng tệp Excel không hợp lệ hoặc không được hỗ trợ"),
)


def _engine_reason(exc: Exception) -> str:
    """A short Vietnamese account of a reader's failure (its English stays in the log)."""
    text = f"{type(exc).__name__} {exc}".lower()
    for words, reason in _ENGINE_REASONS:
        if any(w in text for w in words):
            return reason or "tệp được bảo vệ bằng mật khẩu"
    return "bộ đọc không giải mã được nội dung"


def _engine_error(exc: Exception) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return _PROTECTED
    return f"tệp bảng tính bị hỏng hoặc không đọc được ({_engine_reason(exc)}); hãy mở bằng Excel rồi lưu lại thành .xlsx"


def _without_leading_blanks(sheet: RawSheet) -> RawSheet:
    """Drop the blank rows above a sheet's first filled row (row numbers and merged ranges follow)."""
    rows = sheet.rows
    first = next((i for i, row in enumerate(rows) if any(_filled(c) for c in row)), len(rows))
    if first == 0:
        return sheet
    sheet.rows = rows[first:]
    sheet.row_numbers = sheet.row_numbers[first:]
    sheet.merged = [((max(r0 - first, 0), c0), (r1 - first, c1)) for (r0, c0), (r1, c1) in sheet.merged if r1 >= first]
    return sheet


# --- old binary Excel (BIFF2-4) ---

#: BOF record of BIFF2, BIFF3, BIFF4 and of a bare BIFF5/8 stream (no OLE2 container), by record type -> lengths.
_OLD_BOF = {0x0009: (4, 6), 0x0209: (6,), 0x0409: (6,), 0x0809: (8, 16)}


def _is_old_biff(head: bytes) -> bool:
    """True for an Excel 2.x–4.x file, or a bare BIFF5/8 stream without its OLE2 container: a BOF record first."""
    if len(head) < 8:
        return False
    rtype, length = struct.unpack_from("<HH", head)
    if length not in _OLD_BOF.get(rtype, ()):
        return False
    return struct.unpack_from("<H", head, 6)[0] in (0x0005, 0x0010, 0x0020, 0x0040, 0x0100)  # book, sheet, chart…

