"""Text exports: CSV/TSV in any of the encodings seen (UTF-8, UTF-16, Windows-1258, legacy TCVN3/VNI
bytes) and HTML tables saved as ``.xls``."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.read_common import MAX_TEXT_BYTES, ReadError
from cchc_analysis.ingest.text import detect_legacy

# --- text (CSV / TSV) ---


def looks_like_text(head: bytes) -> bool:
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


def read_text(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
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



# --- HTML tables ---


def looks_like_html(head: bytes) -> bool:
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


# The plain markup of exported tables, told token by token without html.parser (several times faster on
# a big export): start tags with well-formed attributes, end tags, comments, one doctype, processing
# instructions, and text without "<". Anything else (a stray "<", a marked section, odd spacing in a
# tag…) leaves the document to html.parser. The events given to the table collector are those
# html.parser gives for this markup: lower-case names, attribute values unquoted and unescaped, text
# unescaped between tags, a ``<x/>`` tag started and ended, script and style content passed over.
_SPACE = "[ \t\n\r\f]"
_ATTRIBUTE_RE = re.compile(rf"""{_SPACE}+([a-zA-Z_:][-.a-zA-Z0-9_:]*)(?:{_SPACE}*={_SPACE}*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_MARKUP_RE = re.compile(
    rf"""<(?:([a-zA-Z][-.a-zA-Z0-9:_]*)((?:{_SPACE}+[a-zA-Z_:][-.a-zA-Z0-9_:]*(?:{_SPACE}*={_SPACE}*(?:"[^"]*"|'[^']*'|"""
    rf"""[^\s"'=<>`]+))?)*){_SPACE}*(/?)>"""  # a start tag: name, attributes, "/" of a <x/> tag
    rf"""|/([a-zA-Z][-.a-zA-Z0-9:_]*){_SPACE}*>"""  # an end tag
    r"""|!--.*?--\s*>|![dD][oO][cC][tT][yY][pP][eE][^>]*>|\?[^>]*>)""",  # comment, doctype, instruction
    re.DOTALL,
)
_RAW_TEXT_ELEMENTS = ("script", "style")


def _feed_plain(parser: _TableParser, text: str) -> bool:
    """Give ``parser`` the events of ``text`` when it is plain markup (see above); False when it is not (the
    parser, partly fed, is then dropped) and html.parser must read it."""
    start_tag, end_tag, data = parser.handle_starttag, parser.handle_endtag, parser.handle_data
    position = 0
    for match in _MARKUP_RE.finditer(text):
        start = match.start()
        if start < position:  # inside a script or style element
            continue
        if start > position:
            chunk = text[position:start]
            if "<" in chunk:
                return False
            data(unescape(chunk) if "&" in chunk else chunk)
        position = match.end()
        tag, attributes, closed, closing = match.groups()
        if closing is not None:
            end_tag(closing.lower())
        elif tag is not None:
            tag = tag.lower()
            attrs = [_attribute(name, value) for name, value in _ATTRIBUTE_RE.findall(attributes)] if attributes else []
            start_tag(tag, attrs)
            if closed:
                end_tag(tag)
            elif tag in _RAW_TEXT_ELEMENTS:
                close = re.compile(rf"</\s*{tag}\s*>", re.IGNORECASE).search(text, position)
                if close is None:
                    return False
                if close.start() > position:
                    data(text[position : close.start()])
                position = close.end()
                end_tag(tag)
    if "<" in text[position:]:
        return False
    if position < len(text):
        data(unescape(text[position:]))
    return True


def _attribute(name: str, value: str) -> tuple[str, str | None]:
    """An attribute as html.parser gives it: lower-case name; value unquoted and unescaped, None when absent."""
    if not value:
        return name.lower(), None
    if value[:1] in ("'", '"'):
        value = value[1:-1]
    return name.lower(), unescape(value) if value else value


def _span(value: str | None) -> int:
    return min(int(value), 1000) if value and value.strip().isdigit() and int(value) > 0 else 1


_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def read_html(path: Path, fmt: str, skipped: list[str]) -> list[RawSheet]:
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
    if not _feed_plain(parser, text):
        parser = _TableParser()
        parser.feed(text)
        parser.close()
    tables = [t for t in parser.tables if t]
    if not tables:
        raise ReadError("tệp HTML không chứa bảng dữ liệu nào (<table>)")
    if len(tables) == 1:
        return [RawSheet(path, None, tables[0], range(1, len(tables[0]) + 1), "html")]
    return [RawSheet(path, f"Bảng {i}", t, range(1, len(t) + 1), "html") for i, t in enumerate(tables, 1)]
