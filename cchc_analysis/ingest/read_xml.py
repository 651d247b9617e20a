"""XML spreadsheets: Excel's XML Spreadsheet 2003 and flat OpenDocument (``.fods``), parsed with
``defusedxml`` (entities refused), repeated rows and cells bounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.read_common import MAX_TEXT_BYTES, ReadError, filled_cell

# --- XML spreadsheets: Excel's XML Spreadsheet 2003 and flat OpenDocument (.fods) ---

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#: Ceilings on what repeated rows and cells of an XML spreadsheet may expand to.
MAX_XML_ROWS, MAX_XML_COLUMNS = 1_048_576, 16_384


def sniff_xml(head: bytes) -> str | None:
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
        if not filled_cell(value):
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


def read_xml2003(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
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


def read_fods(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
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
