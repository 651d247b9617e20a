"""Clean the raw exports again only when they or the cleaning changed (content fingerprints, not timestamps).

The fingerprint of a raw folder is a SHA-256 over the relative path and the bytes of every export
in it (the files ``cchc clean`` reads from a folder: one walker, :mod:`cchc_analysis.ingest.inputs`)
and over the source of the cleaning (:func:`code_fingerprint`: ``ingest/**``, ``schemas.py``,
``quality.py`` and the registries ``registry/*.yaml``), so that a fix in cleaning code or in a
registry re-cleans without a version bump. It is stored beside the canonical tables as
``.fingerprint.json``; :func:`ensure_processed` re-cleans when the fingerprint differs, when a table
is missing, or when the suite's version changed. Notebooks call it so that each one can run on its
own in JupyterLab, and ``cchc report`` calls it before running them (its pack key includes it).

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
from cchc_analysis.ingest.inputs import EXPORT_SUFFIXES, iter_inputs
from cchc_analysis.io import write_text_atomic

__all__ = ["EXPORT_SUFFIXES", "CODE_ROOT", "CODE_SOURCES", "code_fingerprint", "ensure_processed", "export_files",
           "fingerprint", "is_current"]

FINGERPRINT_FILE = ".fingerprint.json"
REQUIRED_TABLES = ("dossiers.parquet", "reconciliation.csv", "quarantine.csv")
#: The package folder whose cleaning sources are hashed (a test may point it at a copy).
CODE_ROOT = Path(__file__).resolve().parent
#: Glob patterns, relative to :data:`CODE_ROOT`, of everything that decides the canonical tables.
CODE_SOURCES = ("ingest/**/*.py", "schemas.py", "quality.py", "registry/*.yaml", "registry/*.py")


def export_files(folder: Path) -> list[Path]:
    """The exports ``cchc clean`` would read from ``folder`` (the same walker), in its order."""
    return list(iter_inputs([Path(folder)]))


def code_fingerprint(root: Path | None = None) -> str:
    """SHA-256 of the cleaning code and registries (:data:`CODE_SOURCES` under ``root``).

    >>> len(code_fingerprint()) == 64
    True
    """
    root = Path(root or CODE_ROOT)
    digest = hashlib.sha256()
    files = sorted({p for pattern in CODE_SOURCES for p in root.glob(pattern) if p.is_file()
                    and "__pycache__" not in p.parts})
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def fingerprint(folder: Path) -> str:
    """SHA-256 of the relative paths and contents of the exports under ``folder`` and of the cleaning code."""
    folder = Path(folder)
    digest = hashlib.sha256()
    digest.update(code_fingerprint().encode("ascii") + b"\0")
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
                     *, progress: bool = False, force: bool = False, worker: Any = None) -> RefreshResult:
    """Clean ``raw`` into ``processed`` unless the stored fingerprint says it is already done.

    Parameters
    ----------
    raw, processed : path
        The raw exports (folder) and the folder of canonical tables.
    progress : bool
        Show progress bars while cleaning.
    force : bool
        Clean even when the fingerprint matches.
    worker : cchc_analysis.ingest.workers.ReadWorker, optional
        A second process that reads part of the exports (see :mod:`cchc_analysis.ingest.workers`).
    """
    raw, processed = Path(raw), Path(processed)
    fp = fingerprint(raw)
    if not force and is_current(raw, processed, fp):
        return RefreshResult(cleaned=False, fingerprint=fp)
    from cchc_analysis.ingest.pipeline import clean  # imported only to clean: a notebook's check stays light

    report = clean([raw], processed, progress=progress, **({} if worker is None else {"worker": worker}))
    write_text_atomic(processed / FINGERPRINT_FILE,
                      json.dumps({"fingerprint": fp, "version": __version__}, indent=1) + "\n")
    return RefreshResult(cleaned=True, fingerprint=fp, report=report)
