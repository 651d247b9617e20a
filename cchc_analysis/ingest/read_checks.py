"""Telling a file's content from its first bytes, and refusing dangerous archives before any parser.

Zip packages (``xlsx``, ``xlsm``, ``ods``) are checked for zip bombs (declared and actual sizes, a
ceiling and a compression ratio) and XML entity declarations; OLE2 files for encryption
(``EncryptionInfo``, BIFF8 ``FILEPASS``); Excel 2.x–4.x files are recognised by their BOF record.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc_analysis.ingest.read_common import _ENCRYPTED_STREAMS, ReadError

#: Ceiling on the unpacked size of a zipped workbook (all members together).
MAX_UNPACKED_BYTES = 2 * 1024**3
#: A member inflating more than this many times its packed size, past 16 MB, is treated as a zip bomb.
MAX_RATIO = 400


# --- zip workbooks (xlsx, xlsm, ods) ---


_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "xlsb",
}
_OFFICE_DOCUMENT = "/officeDocument"


def sniff_zip(path: Path) -> str:
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


@dataclass
class PartScan:
    """What the zip check saw of one worksheet part while inflating it: its size, its first and last
    bytes, and how often a few byte patterns occur (cell types and styles; see :mod:`read_fast`).

    With ``count=False`` the patterns are not counted (``counts`` stays empty until filled otherwise)."""

    patterns: tuple[bytes, ...]
    head_bytes: int = 384 * 1024
    tail_bytes: int = 256 * 1024
    count: bool = True
    size: int = 0
    head: bytes = b""
    counts: dict[bytes, int] = field(default_factory=dict)
    _chunks: list[bytes] = field(default_factory=list, repr=False)
    _kept: int = field(default=0, repr=False)
    _last: bytes = field(default=b"", repr=False)

    def feed(self, data: bytes) -> None:
        if not data:
            return
        if len(self.head) < self.head_bytes:
            self.head += data[: self.head_bytes - len(self.head)]
        if self.patterns and self.count:
            for pattern in self.patterns:
                # A pattern cut in two by the chunk boundary lies wholly in the window around it.
                edge = len(pattern) - 1
                window = self._last[-edge:] + data[:edge] if self._last and edge else b""
                self.counts[pattern] = self.counts.get(pattern, 0) + data.count(pattern) + window.count(pattern)
        if self.tail_bytes:  # the last chunks, joined once (when read), not at every chunk
            self._chunks.append(data)
            self._kept += len(data)
            while self._kept - len(self._chunks[0]) >= self.tail_bytes:
                self._kept -= len(self._chunks.pop(0))
        self._last = (self._last + data[-16:])[-16:]  # the stream's last bytes, whatever the chunks' sizes
        self.size += len(data)

    @property
    def tail(self) -> bytes:
        """The last ``tail_bytes`` bytes fed."""
        return b"".join(self._chunks)[-self.tail_bytes:] if self.tail_bytes else b""


@dataclass
class ZipFacts:
    """``xl/styles.xml`` (empty when absent), the head of ``xl/sharedStrings.xml`` and a scan of each worksheet."""

    styles: bytes = b""
    shared_head: bytes = b""
    sheets: dict[str, PartScan] = field(default_factory=dict)
    #: Big parts checked so far by their declared sizes and first bytes only (see :func:`check_zip`).
    deferred: list[str] = field(default_factory=list)
    inflated: int = 0
    patterns: tuple[bytes, ...] = ()


#: How many first bytes of each worksheet part are kept (the top rows, for :mod:`read_fast`).
SCAN_HEAD_BYTES = 384 * 1024
#: Byte patterns counted in every worksheet (see :func:`cchc_analysis.ingest.read_fast.cell_counts`).
SCAN_PATTERNS = (b"<v>", b't="s', b't="b')


def check_zip(path: Path, scan: bool = False, defer_above: int | None = None) -> ZipFacts:
    """Refuse zip bombs and XML entity declarations; return what was seen (styles, and with ``scan`` the
    worksheets' scans and the head of the shared strings).

    The declared sizes are checked first; then every member is inflated in chunks straight from the
    archive (nothing kept but the scans, the output bounded), so that its actual size is known whatever
    its header says, and compared with the declared size and the ceilings.

    With ``defer_above``, a worksheet or shared-string part declared bigger than that (deflated, and
    not declared smaller than its packed bytes) is only inflated as far as its scan's head here: it
    passes the declared-size and ratio checks and the entity check of its first bytes, and is listed
    in ``deferred``; :func:`finish_zip` inflates it whole (the same checks) while a parser reads it.
    """
    facts = ZipFacts()
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNPACKED_BYTES:
            raise ReadError(_bomb_message(declared))
        total = 0
        # Without a shared-string table, a t="s…" cell cannot be a text: not counted, it counts as a number.
        patterns = SCAN_PATTERNS if any(i.filename == "xl/sharedStrings.xml" for i in infos) else \
            tuple(p for p in SCAN_PATTERNS if p != b't="s')
        facts.patterns = patterns
        for info in infos:
            if info.file_size > 16 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ReadError(_bomb_message(info.file_size))
            sink = None
            if scan and _is_sheet(info.filename):
                sink = facts.sheets[info.filename] = PartScan(patterns, head_bytes=SCAN_HEAD_BYTES)
            elif scan and info.filename == "xl/sharedStrings.xml":
                shared = PartScan((), head_bytes=SHARED_HEAD_BYTES, tail_bytes=0)
                sink = shared
            if defer_above is not None and _deferrable(info, defer_above):
                head = sink.head_bytes if sink is not None else 65536
                total += _inflated_size(fh, zf, info, head - 1, sink)
                facts.deferred.append(info.filename)
                if sink is not None and not sink.patterns:
                    facts.shared_head = sink.head
                continue
            size = _inflated_size(fh, zf, info, MAX_UNPACKED_BYTES - total, sink)
            _same_size(info, size, total)
            total += size
            if info.filename == "xl/styles.xml":
                facts.styles = zf.read(info)
            elif sink is not None and not sink.patterns:
                facts.shared_head = sink.head
    facts.inflated = total
    return facts


#: How many first bytes of the shared strings are kept (the texts of the top rows, for :mod:`read_fast`).
SHARED_HEAD_BYTES = 4 * 1024**2


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _deferrable(info: zipfile.ZipInfo, above: int) -> bool:
    return (info.file_size > above and info.compress_type == zipfile.ZIP_DEFLATED
            and info.compress_size <= info.file_size
            and (_is_sheet(info.filename) or info.filename == "xl/sharedStrings.xml"))


def _same_size(info: zipfile.ZipInfo, size: int, total: int) -> None:
    if size > info.file_size:
        raise ReadError(_bomb_message(total + size))
    if size < info.file_size:
        raise ReadError("tệp bảng tính bị hỏng (một phần nén ngắn hơn kích thước khai báo)")


def finish_zip(path: Path, facts: ZipFacts, count: bool = True, also: dict[str, Any] | None = None) -> None:
    """Inflate the parts :func:`check_zip` deferred, whole and bounded, with the same checks (actual
    against declared size, the ceiling on the total); a worksheet's scan is replaced by the whole one.

    With ``count=False`` the byte patterns of those worksheets are not counted here (their scans keep
    the head, the tail and the size, and no counts): :func:`count_patterns` counts them later, in a
    second inflate that can run beside the engine's parse instead of before it. ``also`` maps a part
    to a second sink fed the same bytes (:class:`~cchc_analysis.ingest.sheet_split.SplitWriter`).

    Inflating releases the interpreter's lock, so that this runs alongside the command's imports."""
    if not facts.deferred:
        return
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        total = facts.inflated
        for name in facts.deferred:
            info = zf.getinfo(name)
            sink = PartScan(facts.patterns, head_bytes=SCAN_HEAD_BYTES, count=count) if name in facts.sheets else None
            if also and name in also:
                sink = _Both(sink, also[name]) if sink is not None else also[name]
            # The head inflated before is counted again here: the ceiling errs on the safe side.
            size = _inflated_size(fh, zf, info, MAX_UNPACKED_BYTES - total, sink)
            _same_size(info, size, total)
            total += size
            if isinstance(sink, _Both):
                sink = sink.first
            if sink is not None and name in facts.sheets:
                facts.sheets[name] = sink
    facts.deferred = []
    facts.inflated = total


class _Both:
    """Two sinks fed the same bytes."""

    def __init__(self, first: Any, second: Any) -> None:
        self.first, self.second = first, second

    def feed(self, data: bytes) -> None:
        self.first.feed(data)
        self.second.feed(data)


def count_patterns(path: Path, name: str, patterns: tuple[bytes, ...], size: int) -> dict[bytes, int]:
    """How often each of ``patterns`` occurs in the part ``name``, already inflated whole and checked
    (:func:`finish_zip`) at ``size`` bytes: inflated again, bounded by that size, and counted chunk by
    chunk (nothing kept). A part that is no longer ``size`` bytes (the file changed) raises ``ValueError``."""
    sink = PartScan(patterns, head_bytes=0, tail_bytes=0)
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        inflated = _inflated_size(fh, zf, zf.getinfo(name), size, sink)
    if inflated != size:
        raise ValueError(f"{name}: {inflated} bytes on the second inflate, {size} on the check")
    return sink.counts


class Counting:
    """The cell counts of one checked worksheet part (:func:`count_patterns`),
    taken in a background thread when the check left them out."""

    def __init__(self, path: Path, part: str, facts: ZipFacts) -> None:
        import threading

        scan = facts.sheets[part]
        self.box: dict[str, Any] = {}
        self.thread = None
        if not scan.count:
            self.thread = threading.Thread(target=self._run, args=(path, part, facts.patterns, scan.size),
                                           name="cchc-counts", daemon=True)
            self.thread.start()

    def _run(self, path: Path, part: str, patterns: tuple[bytes, ...], size: int) -> None:
        try:
            self.box["counts"] = count_patterns(path, part, patterns, size)
        except BaseException as exc:  # noqa: BLE001 - handed over to finish()
            self.box["error"] = exc

    def finish(self, scan: PartScan) -> bool:
        """Wait for the counts and put them in ``scan`` (True); their error is raised here."""
        if self.thread is not None:
            self.thread.join()
            if "error" in self.box:
                raise self.box["error"]
            scan.counts, scan.count = self.box["counts"], True
        return True


#: Most bytes one inflate step gives (the check runs alongside a parser: its own memory stays small).
_OUT_CHUNK = 4 * 1024**2


def _inflated_size(fh: Any, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sink: Any = None) -> int:
    """Actual inflated size of a member (stopping just past ``limit``); refuses XML entity declarations.

    ``sink`` (a :class:`PartScan`), when given, is fed every inflated chunk."""
    if info.compress_type != zipfile.ZIP_DEFLATED:  # stored (or rare methods): let zipfile count
        size = 0
        with zf.open(info) as member:
            while chunk := member.read(1 << 20):
                _refuse_entities(info, chunk, size)
                if sink is not None:
                    sink.feed(chunk)
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
        want = min(limit - size + 1, _OUT_CHUNK)
        data = inflater.decompress(chunk, want)
        while True:
            _refuse_entities(info, data, size)
            if sink is not None:
                sink.feed(data)
            size += len(data)
            # A full output may leave bytes inside the inflater even with all input taken: ask again.
            if size > limit or (not inflater.unconsumed_tail and len(data) < want):
                break
            want = min(limit - size + 1, _OUT_CHUNK)
            data = inflater.decompress(inflater.unconsumed_tail, want)
    return size


def _refuse_entities(info: zipfile.ZipInfo, data: bytes, offset: int) -> None:
    if offset == 0 and info.filename.endswith((".xml", ".rels")) and b"<!ENTITY" in data[:65536]:
        raise ReadError("tệp chứa khai báo thực thể XML (dấu hiệu tệp độc hại 'bom XML'), không được đọc")


def _bomb_message(size: int) -> str:
    return (f"tệp nén giải ra quá lớn ({size / 1024**2:,.0f} MB, vượt giới hạn "
            f"{MAX_UNPACKED_BYTES / 1024**2:,.0f} MB hoặc tỷ lệ nén bất thường): có thể là 'bom zip', không được đọc")


# --- OLE2 (xls, encrypted OOXML) ---


def is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(4 * 1024**2)
    return any(name in data for name in _ENCRYPTED_STREAMS)


_BIFF8_GLOBALS_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"
_FILEPASS = 0x002F


def xls_has_filepass(path: Path) -> bool:
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


# --- old binary Excel (BIFF2-4) ---

#: BOF record of BIFF2, BIFF3, BIFF4 and of a bare BIFF5/8 stream (no OLE2 container), by record type -> lengths.
_OLD_BOF = {0x0009: (4, 6), 0x0209: (6,), 0x0409: (6,), 0x0809: (8, 16)}


def is_old_biff(head: bytes) -> bool:
    """True for an Excel 2.x–4.x file, or a bare BIFF5/8 stream without its OLE2 container: a BOF record first."""
    if len(head) < 8:
        return False
    rtype, length = struct.unpack_from("<HH", head)
    if length not in _OLD_BOF.get(rtype, ()):
        return False
    return struct.unpack_from("<H", head, 6)[0] in (0x0005, 0x0010, 0x0020, 0x0040, 0x0100)  # book, sheet, chart…
