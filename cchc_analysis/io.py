"""Atomic, reproducible and Excel-safe writing of output files.

Every output is written to a temporary file in the destination folder and renamed over the target,
so an interrupted run leaves the previous file whole. Text that starts like a formula (``=``, ``+``,
``-``, ``@``, tab, carriage return) is prefixed with an apostrophe in CSV files meant for Excel.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text_atomic(folder / "a.csv", "x\\n", bom=True).read_bytes()
b'\\xef\\xbb\\xbfx\\n'
>>> excel_safe("=SUM(A1)"), excel_safe("-5"), excel_safe("ok")
("'=SUM(A1)", "'-5", 'ok')
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename; return ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str, *, bom: bool = False) -> Path:
    """Write UTF-8 text atomically (with a byte-order mark for Excel when ``bom``)."""
    return write_bytes_atomic(path, text.encode("utf-8-sig" if bom else "utf-8"))


def excel_safe(value: object) -> object:
    """Prefix text that Excel would read as a formula with an apostrophe; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv_atomic(path: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as an Excel-friendly CSV (UTF-8 with BOM, formula-safe text), atomically."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(excel_safe, na_action="ignore")
    text = safe.to_csv(index=False, lineterminator="\n", float_format="%.12g")
    return write_text_atomic(path, text, bom=True)
