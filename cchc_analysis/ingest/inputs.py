"""Which files are exports: the one walker used by ``cchc clean`` and by the raw data's fingerprint.

A file named directly is always taken (its content decides later whether it is a spreadsheet). A
folder is walked recursively, in sorted order, taking files whose name ends with one of
:data:`EXPORT_SUFFIXES`, plus ``.xml`` files whose first bytes say they are a spreadsheet (Excel's XML
Spreadsheet 2003 or a flat OpenDocument sheet). Hidden files and folders (``.name``), Office lock
files (``~$name``), READMEs and the ``exclude`` folder (the output of a run) are skipped.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("b.xlsx", "a.csv", "c.xlsb", "~$b.xlsx", ".hidden.csv", "README.txt", "notes.md", "sub/d.fods"):
...     (root / name).parent.mkdir(parents=True, exist_ok=True)
...     _ = (root / name).write_bytes(b"x")
>>> [p.relative_to(root).as_posix() for p in iter_inputs([root])]
['a.csv', 'b.xlsx', 'c.xlsb', 'sub/d.fods']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["EXPORT_SUFFIXES", "iter_inputs", "is_export_name"]

#: Files taken when walking a folder (a file named on the command line is always tried).
EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".fods", ".csv", ".tsv", ".txt", ".htm", ".html")
#: Taken from a folder only when the content says it is a spreadsheet.
_XML_SUFFIXES = (".xml",)
_SKIPPED_NAMES = {"readme", "readme.md", "readme.txt", "readme.html", "readme.htm"}
_SPREADSHEET_XML = (b"urn:schemas-microsoft-com:office:spreadsheet", b"opendocument.spreadsheet")


def is_export_name(name: str) -> bool:
    """True when a file of this name, found in a folder, is taken as an export (``.xml`` aside).

    >>> is_export_name("Bao cao.XLSB"), is_export_name("~$Bao cao.xlsx"), is_export_name("README.txt")
    (True, False, False)
    """
    lowered = name.lower()
    if name.startswith((".", "~$")) or lowered in _SKIPPED_NAMES:
        return False
    return lowered.endswith(EXPORT_SUFFIXES)


def _is_spreadsheet_xml(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and any(m in head for m in _SPREADSHEET_XML)


def iter_inputs(paths: Iterable[Path | str], exclude: Path | None = None,
                missing: list[Path] | None = None) -> Iterator[Path]:
    """The export files named by ``paths`` (files as given, folders walked), each once, in order.

    Parameters
    ----------
    paths : iterable of path
        Files and folders.
    exclude : Path, optional
        A folder not to walk into (resolved path; the output folder of a run).
    missing : list, optional
        Receives the paths that are neither a file nor a folder.
    """
    excluded = Path(exclude).resolve() if exclude is not None else None
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        if path.is_file():
            found: Iterable[Path] = [path]
        elif path.is_dir():
            found = _walk(path, excluded)
        else:
            if missing is not None:
                missing.append(path)
            continue
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def _walk(folder: Path, exclude: Path | None) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (exclude is None or (root_path / d).resolve() != exclude))
        for name in sorted(names):
            path = root_path / name
            if is_export_name(name):
                yield path
            elif (name.lower().endswith(_XML_SUFFIXES) and not name.startswith((".", "~$"))
                  and _is_spreadsheet_xml(path)):
                yield path
