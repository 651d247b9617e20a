"""A big worksheet parsed by two engines at once: its checked XML cut in two at a row boundary.

The column-wise engine (fastexcel) parses one sheet on one core. While the zip check inflates a big
worksheet part (it must inflate it whole before any engine opens the package, ``docs/assumptions.md``
W18), :class:`SplitWriter` writes the inflated bytes, as they come, into two small *stored*
(uncompressed) packages in a private temporary folder: the first holds the rows up to a row boundary
near the middle of the part, the second the rows from a few rows before that boundary to the end (the
rows both hold are compared, as the top part and the engine's rows are). The package's other parts are
copied once the whole check has passed. The two engines then run in two threads (each releases the
interpreter's lock) and their columns are joined. The engines only ever read bytes that the check
inflated and bounded itself; the folder is removed as soon as they are done (W20).

Anything unexpected (no row boundary, the junction rows not lining up, different columns) returns
``None``, and the sheet is parsed by one engine from the workbook itself, as before.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["JUNCTION_ROWS", "SPLIT_ABOVE_BYTES", "SplitWriter", "parse_in_two", "splitter"]

log = logging.getLogger("cchc_analysis.ingest.readers")

#: Worksheet parts bigger than this (inflated) are parsed in two halves at once.
SPLIT_ABOVE_BYTES = 64 * 1024**2
#: Rows the second half repeats from the end of the first (compared, then dropped).
JUNCTION_ROWS = 8
#: The junction rows must lie in this many last bytes of the first half.
_RECENT_BYTES = 256 * 1024
_CLOSE = b"</sheetData></worksheet>"
_ROW_NUMBER_RE = re.compile(rb'<row\b[^>]*?\br="(\d+)"')


class SplitWriter:
    """A sink of the zip check (``feed``) that writes one worksheet part into two stored packages.

    ``declared`` is the part's declared inflated size (the cut is sought past its middle). After the
    check, :meth:`finish` copies the package's other parts and closes both packages; :attr:`ready`
    then says whether the cut was made. :meth:`remove` deletes the folder (always call it).
    """

    def __init__(self, source: Path, part: str, declared: int) -> None:
        self.source, self.part, self.target = source, part, declared // 2
        self.folder = Path(tempfile.mkdtemp(prefix="cchc-split-"))  # private (mode 0700)
        self.paths = (self.folder / "a.xlsx", self.folder / "b.xlsx")
        self._zips = [zipfile.ZipFile(p, "w", compression=zipfile.ZIP_STORED, allowZip64=True) for p in self.paths]
        self._members = [z.open(part, "w", force_zip64=True) for z in self._zips]
        self._state = "prefix"
        self._prefix = b""
        self._recent = b""  # the last bytes written to the first half
        self._seen = 0
        self.first_row = 0  # the second half's first row number (1-based), once cut
        self.last_row = 0  # the first half's last row number
        self.ready = False

    def feed(self, data: bytes) -> None:
        """Take the next inflated bytes of the part (a write that fails turns the cut off: one engine)."""
        try:
            self._feed(data)
        except OSError as exc:
            log.info("%s: one engine (%s)", self.part, exc)
            self._state = "off"

    def _feed(self, data: bytes) -> None:
        if self._state == "off":
            return
        if self._state == "prefix":
            self._prefix += data
            at = self._prefix.find(b"<row", max(0, self._prefix.find(b"<sheetData")))
            if at < 0:
                if len(self._prefix) > 4 * 1024**2:
                    self._state = "off"
                return
            data, self._prefix = self._prefix, self._prefix[:at]
            self._members[1].write(self._prefix)
            self._state = "first"
        if self._state == "first":
            self._first(data)
        elif self._state == "second":
            self._members[1].write(data)

    def _first(self, data: bytes) -> None:
        before = self._seen
        self._seen += len(data)
        if self._seen < self.target:
            self._write_first(data)
            return
        # Past the middle: cut after the first complete row that ends beyond it (a closing tag may
        # straddle two chunks: the last five bytes written are searched again).
        carry = self._recent[-5:]
        window = carry + data
        end = window.find(b"</row>", max(0, self.target - before + len(carry)))
        if end < 0:
            self._write_first(data)
            return
        cut = end + len(b"</row>") - len(carry)
        self._write_first(data[:cut])
        rows = [m.start() for m in re.finditer(rb"<row\b", self._recent)]
        if len(rows) < JUNCTION_ROWS + 1:
            self._state = "off"
            return
        junction = self._recent[rows[-JUNCTION_ROWS]:]
        first, last = _ROW_NUMBER_RE.match(junction), _ROW_NUMBER_RE.match(self._recent[rows[-1]:])
        if first is None or last is None:
            self._state = "off"
            return
        self.first_row, self.last_row = int(first.group(1)), int(last.group(1))
        self._members[0].write(_CLOSE)
        self._members[1].write(junction + data[cut:])
        self._state = "second"

    def _write_first(self, data: bytes) -> None:
        self._members[0].write(data)
        self._recent = (self._recent + data[-_RECENT_BYTES:])[-_RECENT_BYTES:]

    def finish(self) -> None:
        """Close the worksheet parts and copy every other part (already checked) into both packages."""
        try:
            for member in self._members:
                member.close()
            if self._state == "second" and self.last_row >= self.first_row:
                with zipfile.ZipFile(self.source) as source:
                    for info in source.infolist():
                        if info.filename != self.part and not info.is_dir():
                            data = source.read(info)
                            for z in self._zips:
                                z.writestr(info.filename, data)
                for z in self._zips:
                    z.close()
                self.ready = True
        except OSError as exc:
            log.info("%s: one engine (%s)", self.part, exc)
            self.ready = False

    def remove(self) -> None:
        """Delete the two packages and their folder (again when the process ends, if a file was still open)."""
        for z in self._zips:
            if z.fp is not None:
                with contextlib.suppress(Exception):
                    z.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.folder.exists():
            import atexit

            atexit.register(shutil.rmtree, self.folder, ignore_errors=True)


def splitter(path: Path, facts: Any) -> SplitWriter | None:
    """A :class:`SplitWriter` for the one big worksheet part the zip check (``facts``)
    deferred, when it is over ``SPLIT_ABOVE_BYTES`` and the machine has two cores; else None."""
    import os

    if (os.cpu_count() or 1) < 2:
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            big = [zf.getinfo(p) for p in facts.deferred if p in facts.sheets]
        if len(big) != 1 or big[0].file_size <= SPLIT_ABOVE_BYTES:
            return None
        return SplitWriter(path, big[0].filename, big[0].file_size)
    except OSError as exc:  # no room for the two halves: one engine
        log.info("%s: one engine (%s)", path.name, exc)
        return None


def parse_in_two(split: SplitWriter, name: str, skip: int, types: dict[int, str], run: Any) -> Any:
    """The rows below ``skip`` of sheet ``name`` from the two halves, parsed at once and joined:
    ``(columns, arrays, texts, length)`` as ``run(source, name, skip, types)`` gives them for one
    source, or None when the halves do not line up (logged)."""
    import threading

    from cchc_analysis.ingest.column_tail import ColumnTail

    box: dict[str, Any] = {}

    def first() -> None:
        try:
            box["a"] = run(split.paths[0], name, skip, types)
        except BaseException as exc:  # noqa: BLE001 - raised below
            box["error"] = exc

    thread = threading.Thread(target=first, name="cchc-first-half", daemon=True)
    thread.start()
    try:
        second = run(split.paths[1], name, split.first_row - 1, types)
    finally:
        thread.join()
    if "error" in box:
        raise box["error"]
    (cols_a, arrays_a, texts_a, length_a), (cols_b, arrays_b, texts_b, length_b) = box["a"], second
    shared = split.last_row - split.first_row + 1
    if list(cols_a) != list(cols_b) or length_a < shared or length_b < shared:
        log.info("%s: the two halves differ in shape", name)
        return None
    a = ColumnTail(arrays_a, texts_a, length_a, 0)
    b = ColumnTail(arrays_b, texts_b, length_b, 0)
    a.width = b.width = max(cols_a) + 1
    for k in range(shared):
        got, expected = b.row(k), a.row(length_a - shared + k)
        if got != expected or [type(v) for v in got] != [type(v) for v in expected]:
            log.info("%s: the two halves do not line up", name)
            return None
    import pyarrow as pa

    # Chunked: the halves' columns are not copied into one buffer (the reader's consumers take chunked arrays).
    arrays = {c: pa.chunked_array([arrays_a[c], arrays_b[c].slice(shared)]) for c in cols_a}
    texts = dict(texts_a)
    texts.update({(r - shared + length_a, c): t for (r, c), t in texts_b.items() if r >= shared})
    return cols_a, arrays, texts, length_a + length_b - shared
