"""Clean the raw exports again only when they changed (a content fingerprint, not timestamps).

The fingerprint of a raw folder is a SHA-256 over the relative path and the bytes of every export
in it (the same files ``cchc clean`` would read from a folder). It is stored beside the canonical
tables as ``.fingerprint.json``; :func:`ensure_processed` re-cleans when the fingerprint differs, when
a table is missing, or when the suite's version changed. Notebooks call it so that each one can run
on its own in JupyterLab, and ``cchc report`` calls it before running them.

>>> import tempfile, pathlib
>>> raw = pathlib.Path(tempfile.mkdtemp())
>>> _ = (raw / "a.csv").write_text("x,y\\n1,2\\n", encoding="utf-8")
>>> _ = (raw / "README.md").write_text("not an export", encoding="utf-8")
>>> first = fingerprint(raw)
>>> _ = (raw / "README.md").write_text("changed notes", encoding="utf-8")
>>> fingerprint(raw) == first
True
>>> _ = (raw / "a.csv").write_text("x,y\\n1,3\\n", encoding="utf-8")
>>> fingerprint(raw) == first
False
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc_analysis import __version__, config
from cchc_analysis.io import write_text_atomic

EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".htm", ".html")
FINGERPRINT_FILE = ".fingerprint.json"
REQUIRED_TABLES = ("dossiers.parquet", "reconciliation.csv", "quarantine.csv")


def export_files(folder: Path) -> list[Path]:
    """Spreadsheet-like files under ``folder`` (recursively), sorted; hidden files are skipped."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def fingerprint(folder: Path) -> str:
    """SHA-256 of the relative paths and contents of the exports under ``folder``."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in export_files(folder):
        rel = path.name if folder.is_file() else path.relative_to(folder).as_posix()
        digest.update(rel.encode("utf-8") + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class RefreshResult:
    """What :func:`ensure_processed` did.

    Attributes
    ----------
    cleaned : bool
        True when the raw data were cleaned in this call.
    fingerprint : str
        The raw folder's fingerprint.
    report : object or None
        The cleaning report (:func:`cchc_analysis.ingest.pipeline.clean`) when ``cleaned``.
    """

    cleaned: bool
    fingerprint: str
    report: Any = None

    @property
    def exit_code(self) -> int:
        return 0 if self.report is None else int(self.report.exit_code)


def _stored(processed: Path) -> dict:
    try:
        return json.loads((processed / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_current(raw: Path, processed: Path, fp: str | None = None) -> bool:
    """True when ``processed`` holds the tables of exactly this raw content and suite version."""
    processed = Path(processed)
    stored = _stored(processed)
    fp = fp or fingerprint(raw)
    return (stored.get("fingerprint") == fp and stored.get("version") == __version__
            and all((processed / name).is_file() for name in REQUIRED_TABLES))


def ensure_processed(raw: Path | str = config.RAW_DIR, processed: Path | str = config.PROCESSED_DIR,
                     *, progress: bool = False, force: bool = False) -> RefreshResult:
    """Clean ``raw`` into ``processed`` unless the stored fingerprint says it is already done.

    Parameters
    ----------
    raw, processed : path
        The raw exports (folder) and the folder of canonical tables.
    progress : bool
        Show progress bars while cleaning.
    force : bool
        Clean even when the fingerprint matches.
    """
    from cchc_analysis.ingest.pipeline import clean

    raw, processed = Path(raw), Path(processed)
    fp = fingerprint(raw)
    if not force and is_current(raw, processed, fp):
        return RefreshResult(cleaned=False, fingerprint=fp)
    report = clean([raw], processed, progress=progress)
    write_text_atomic(processed / FINGERPRINT_FILE,
                      json.dumps({"fingerprint": fp, "version": __version__}, indent=1) + "\n")
    return RefreshResult(cleaned=True, fingerprint=fp, report=report)
