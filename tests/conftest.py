"""Shared fixtures of the test suite."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from cchc_analysis.ingest.base import CleanContext, KindResult, RawSheet, SheetTable

# --- the optional acceptance examples beside the project (a user's clone has none) ---

#: ``../shared/examples`` beside the project root.
SHARED_EXAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "examples"
#: Marks of a test module that needs the shared examples: skipped, saying why, where they are absent.
REQUIRES_SHARED = [
    pytest.mark.shared,
    pytest.mark.skipif(not (SHARED_EXAMPLES / "truth.json").is_file(), reason="../shared/examples is absent"),
]


@pytest.fixture(scope="session")
def truth() -> dict:
    """The ground truth of the shared examples (``truth.json``)."""
    return json.loads((SHARED_EXAMPLES / "truth.json").read_text(encoding="utf-8"))


# --- kinds of satisfaction, budget, payroll and manual indicators: sheets made by code ---


def _kind(name: str):
    from cchc_analysis.ingest.pipeline import available_kinds

    return available_kinds()[name]


@pytest.fixture
def sheet_table() -> Callable[..., SheetTable | None]:
    """``sheet_table(kind, rows, file="t.xlsx", sheet="S", merged=())``: a sheet made by code, its header
    found by the kind (as the pipeline does) and its rows split; None when the kind does not see one."""
    from cchc_analysis.ingest.detect import find_header, synonyms
    from cchc_analysis.ingest.rows import build_table

    def make(kind: str, rows: Sequence[Sequence[Any]], file: str = "t.xlsx", sheet: str | None = "S",
             merged: Sequence = ()) -> SheetTable | None:
        k = _kind(kind)
        raw = RawSheet(Path(file), sheet, [list(r) for r in rows], range(1, len(rows) + 1), "xlsx", list(merged))
        table = synonyms(k.section)
        header = k.locate(raw, table) if k.locate else find_header(raw, table)
        if header is None or k.header_score(header) <= 0:
            return None
        return build_table(raw, header, keys=k.required)

    return make


@pytest.fixture
def clean_kind() -> Callable[[str, list[SheetTable]], KindResult]:
    """``clean_kind(kind, tables)``: run a kind's ``clean`` and check that every sheet's counts balance."""

    def run(kind: str, tables: list[SheetTable]) -> KindResult:
        result = _kind(kind).clean(tables, CleanContext(applicant_key=lambda *args: None))
        assert all(c.balanced for c in result.counts), result.counts
        return result

    return run


# --- exports of every format, made by code in a temporary folder (ingest tests) ---

DOSSIER_HEADER = ["STT", "Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Chủ hồ sơ",
                  "Số định danh cá nhân", "Số điện thoại", "Địa chỉ", "Ngày tiếp nhận", "Ngày hẹn trả",
                  "Ngày có kết quả", "Hình thức nộp", "Mức độ", "Trạng thái", "Có phí, lệ phí",
                  "Thanh toán trực tuyến", "Số hóa kết quả", "Xác thực VNeID"]


def dossier_row(i: int, *, dossier_id: str | None = None, received: str = "02/01/2024 07:41",
                due: str = "09/01/2024 07:41", resolved: str = "05/01/2024 11:20", channel: str = "Trực tuyến",
                level: str = "Toàn trình", status: str = "Đã trả kết quả", name: str = "Đỗ Đình Khoa",
                id_number: str = "079061887668", phone: str = "0386980597",
                address: str = "Thôn Tây, Xã Diên Phú, Huyện Diên Khánh") -> list[Any]:
    """One data row of a one-stop-shop list export, in :data:`DOSSIER_HEADER` order."""
    return [float(i), dossier_id if dossier_id is not None else f"000.00.23.H32-240102-{i:04d}", "2.000535",
            "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", name, id_number,
            phone, address, received, due, resolved, channel, level, status, "Có", "Có", "x", "Không"]


def dossier_sheet(rows: Sequence[Sequence[Any]], *, period: str = "Từ ngày 01/01/2024 đến ngày 31/12/2024",
                  header: Sequence[str] = DOSSIER_HEADER) -> list[list[Any]]:
    """A list export around data rows: title block, blank, header, rows, total, blank and signature footer.

    The header is on row 6, so the data row ``k`` (0-based) is on spreadsheet row ``7 + k``.
    """
    width = len(header)
    pad = lambda *cells: list(cells) + [""] * (width - len(cells))  # noqa: E731
    return [pad("UBND TỈNH KHÁNH HÒA"), pad("SỞ CÔNG THƯƠNG"), pad("DANH SÁCH HỒ SƠ TIẾP NHẬN"), pad(period),
            pad(), list(header), *[list(r) + [""] * (width - len(r)) for r in rows],
            pad(f"Tổng số: {len(rows)} hồ sơ"), pad(), pad(*[""] * 15, "Người lập biểu"),
            pad(*[""] * 15, "(Ký, ghi rõ họ tên)")]


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 does (base letters precomposed, tones as combining marks)."""
    import unicodedata

    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = [m for m in marks if m in "\u0302\u0306\u031b"]  # circumflex, breve, horn: part of the letter
        if shape:
            base = unicodedata.normalize("NFC", base + shape[0])
        out += base.encode("cp1258") + "".join(m for m in marks if m not in shape).encode("cp1258")
    return out


class ExportWriter:
    """Write exports of every supported format into a folder (see the ``exports`` fixture)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def xlsx(self, name: str, sheets: dict[str, Sequence[Sequence[Any]]], merges: Sequence[str] = (),
             font: str | None = None) -> Path:
        """An xlsx (openpyxl); ``merges`` like ``"A5:A7"`` apply to the first sheet; ``font`` to every cell."""
        import openpyxl
        from openpyxl.styles import Font

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r, row in enumerate(rows, 1):
                for c, value in enumerate(row, 1):
                    if value in ("", None):
                        continue
                    cell = ws.cell(r, c, value)
                    if isinstance(value, str):
                        cell.data_type = "s"
                    if font:
                        cell.font = Font(name=font)
        for ref in merges:
            wb.worksheets[0].merge_cells(ref)
        path = self.folder / name
        wb.save(path)
        return path

    def csv(self, name: str, rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig", delimiter: str = ",",
            lineterminator: str = "\r\n") -> Path:
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
        text = buffer.getvalue()
        data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
        path = self.folder / name
        path.write_bytes(data)
        return path

    def html(self, name: str, rows: Sequence[Sequence[Any]], width: int | None = None) -> Path:
        """An HTML table saved as .xls (as one-stop-shop systems do): a lone title cell spans the row."""
        from html import escape

        width = width or max(len(r) for r in rows)
        lines = ['<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
                 '<body><table border="1">']
        for row in rows:
            filled = [v for v in row if v not in ("", None)]
            if len(filled) == 1 and row[0] not in ("", None):
                lines.append(f'<tr><td colspan="{width}">{escape(str(row[0]))}</td></tr>')
            else:
                cells = "".join(f"<td>{escape(str(v)) if v not in ('', None) else '&nbsp;'}</td>" for v in row)
                lines.append(f"<tr>{cells}</tr>")
        lines.append("</table></body></html>")
        path = self.folder / name
        path.write_text("\r\n".join(lines), encoding="utf-8")
        return path

    def ods(self, name: str, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
        import zipfile
        from xml.sax.saxutils import escape

        def cell(v: Any) -> str:
            if v in ("", None):
                return "<table:table-cell/>"
            if isinstance(v, (int, float)):
                return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
            return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

        tables = "".join(f'<table:table table:name="{escape(t)}">' + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
            + "</table:table>" for t, rows in sheets.items())
        content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                   f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
                   "</office:document-content>")
        path = self.folder / name
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
            zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        return path

    def xls(self, name: str, sheets: dict[str, Sequence[Sequence[Any]]], encrypted: bool = False) -> Path:
        """A genuine BIFF8 .xls in an OLE2 compound file (text cells in a shared string table)."""
        workbook = _biff8_workbook(list(sheets.items()), encrypted=encrypted)
        path = self.folder / name
        path.write_bytes(_compound_file([("Workbook", workbook)]))
        return path

    def encrypted_ooxml(self, name: str = "mat_khau.xlsx") -> Path:
        """What Excel writes for a workbook with a password: an OLE2 file with EncryptionInfo/EncryptedPackage."""
        path = self.folder / name
        path.write_bytes(_compound_file([("EncryptionInfo", b"\x04\x00\x04\x00" + b"\x00" * 60),
                                         ("EncryptedPackage", b"\x10" * 512)]))
        return path


_ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                 '<manifest:file-entry manifest:full-path="/" '
                 'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                 '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                 "</manifest:manifest>")


def _biff_record(rtype: int, data: bytes) -> bytes:
    import struct

    return struct.pack("<HH", rtype, len(data)) + data


def _biff_string(text: str, length_bytes: int = 2) -> bytes:
    import struct

    return struct.pack("<H" if length_bytes == 2 else "<B", len(text)) + b"\x01" + text.encode("utf-16-le")


def _biff8_workbook(sheets: list[tuple[str, Sequence[Sequence[Any]]]], encrypted: bool = False) -> bytes:
    import struct

    strings: dict[str, int] = {}
    for _, rows in sheets:
        for row in rows:
            for v in row:
                if isinstance(v, str) and v and v not in strings:
                    strings[v] = len(strings)

    def bof(kind: int) -> bytes:
        return _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    streams = []
    for _, rows in sheets:
        body = bof(0x0010) + _biff_record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows)), 0))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str) and v:
                    body += _biff_record(0x00FD, struct.pack("<HHHI", r, c, 15, strings[v]))
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    body += _biff_record(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))
        streams.append(body + _biff_record(0x000A, b""))

    def globals_(offsets: list[int]) -> bytes:
        head = bof(0x0005)
        if encrypted:
            head += _biff_record(0x002F, struct.pack("<HHH", 0, 0x1234, 0x5678))
        head += _biff_record(0x0042, struct.pack("<H", 1200))
        head += _biff_record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
                             + _biff_string("Arial", 1)) * 5
        head += _biff_record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)) * 16
        for (title, _), offset in zip(sheets, offsets, strict=True):
            head += _biff_record(0x0085, struct.pack("<IBB", offset, 0, 0) + _biff_string(title, 1))
        sst = struct.pack("<II", len(strings), len(strings)) + b"".join(_biff_string(s) for s in strings)
        return head + _biff_record(0x00FC, sst) + _biff_record(0x000A, b"")

    start = len(globals_([0] * len(sheets)))
    offsets = []
    for stream in streams:
        offsets.append(start)
        start += len(stream)
    return globals_(offsets) + b"".join(streams)


def _compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """A version-3 OLE2 compound file holding the named streams (each padded past the mini-stream cutoff)."""
    import struct

    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    data = [(n, s.ljust(max(4096, len(s)), b"\0")) for n, s in streams]
    counts = [(len(s) + 511) // 512 for _, s in data]
    n_dir = (len(data) + 1 + 3) // 4
    n_fat = 1
    while n_fat * 128 < n_fat + n_dir + sum(counts):
        n_fat += 1
    fat = [fat_sector] * n_fat + [n_fat + i + 1 for i in range(n_dir - 1)] + [end]
    starts = []
    for count in counts:
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
    fat += [free] * (n_fat * 128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", none, right, child)
                + b"\0" * 36 + struct.pack("<III", start, size, 0))

    entries = [entry("Root Entry", 5, 1 if data else none, none, end, 0)]
    for i, ((name, s), start) in enumerate(zip(data, starts, strict=True)):
        entries.append(entry(name, 2, none, i + 2 if i + 1 < len(data) else none, start, len(s)))
    while len(entries) % 4:
        entries.append(entry("", 0, none, none, 0, 0))
    difat = list(range(n_fat)) + [free] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<9I", 0, n_fat, n_fat, 0, 4096, end, 0, end, 0) + struct.pack("<109I", *difat))
    sectors = b"".join(s.ljust(c * 512, b"\0") for (_, s), c in zip(data, counts, strict=True))
    return header + struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries) + sectors


@pytest.fixture
def exports(tmp_path: Path) -> ExportWriter:
    """Write exports (xlsx, xls, ods, html-as-xls, csv in any encoding) into a fresh folder ``raw``."""
    folder = tmp_path / "raw"
    folder.mkdir()
    return ExportWriter(folder)


@pytest.fixture
def pii_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fixed secret for applicant pseudonyms (so runs are comparable and no warning is printed)."""
    monkeypatch.setenv("CCHC_PII_KEY", "test-secret-key")
    return "test-secret-key"
