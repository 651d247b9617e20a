"""The pack key: an up-to-date pack is not built again, and never from stale tables.

One key says what a pack depends on::

    pack key = refresh.fingerprint(raw)             raw exports (+ the cleaning code and registries
                                                    that refresh covers): the re-clean decision
             + code of computation and presentation every other file of the package
             + the notebooks run
             + the parameters                       period, notebooks' names
             + library versions that draw and write

The first part is the fingerprint that :func:`cchc_analysis.refresh.ensure_processed` compares to
decide whether to clean again; the files that cleaning reads (``refresh.CODE_SOURCES`` where refresh
hashes its code, else :data:`CLEANING_CODE`) are left to it and kept out of the second part. So the pack is rebuilt exactly when the processed tables are stale or
something after cleaning changed: the re-clean decision and the pack decision cannot disagree. Folders
(where the data and the pack live) are left out of the key.

The key, the hash of every output and the exports that could not be read are recorded in
``.pack-key.json`` inside the pack.

>>> names = {p.relative_to(config.PACKAGE_DIR).as_posix() for p in cleaning_files()}
>>> "ingest/readers.py" in names, "registry/columns.yaml" in names, "charts.py" in names
(True, True, False)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cchc_analysis import __version__, config
from cchc_analysis.io import write_text_atomic
from cchc_analysis.pack.staging import LOGS

PACK_KEY = ".pack-key.json"
#: Libraries whose version can change the pack's bytes (distribution names): the tables and figures
#: (pandas, numpy, pyarrow, matplotlib and pillow, which writes its PNGs), the notebooks and
#: ``index.html`` (papermill, nbconvert with jinja2 and mistune), ``scoreboard.xlsx`` (xlsxwriter) and the
#: Word draft (python-docx, which serialises with lxml).
KEY_LIBRARIES = ("pandas", "numpy", "matplotlib", "pillow", "nbconvert", "jinja2", "mistune", "papermill",
                 "xlsxwriter", "pyarrow", "python-docx", "lxml")
#: Files of the package that cleaning reads (glob patterns under the package), used where
#: ``refresh`` does not name its own (``refresh.CODE_SOURCES``): the raw fingerprint's side of the key.
CLEANING_CODE = ("ingest/**/*.py", "schemas.py", "quality.py", "refresh.py", "registry/columns.yaml",
                 "registry/vocab.yaml")
CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json")


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cleaning_patterns() -> tuple[str, ...]:
    """The glob patterns of the cleaning code: those the raw fingerprint hashes (one list, in refresh)."""
    from cchc_analysis import refresh

    return tuple(getattr(refresh, "CODE_SOURCES", CLEANING_CODE))


def cleaning_files(package: Path | None = None) -> set[Path]:
    """The files of the package that cleaning reads: the raw fingerprint's side of the key."""
    package = Path(package or config.PACKAGE_DIR)
    return {p for pattern in cleaning_patterns() for p in package.glob(pattern)
            if p.is_file() and "__pycache__" not in p.parts}


def code_files(package: Path | None = None) -> list[Path]:
    """The files of the package the pack depends on beyond cleaning: code and registries of
    computation and presentation, sorted."""
    package = Path(package or config.PACKAGE_DIR)
    cleaning = cleaning_files(package)
    return sorted(p for p in package.rglob("*")
                  if p.is_file() and p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts
                  and p not in cleaning)


def pack_key(fingerprint: str, settings: Any, code: Iterable[Path] | None = None) -> str:
    """The pack key of a run (see the module's text), as one SHA-256.

    Parameters
    ----------
    fingerprint : str
        ``refresh.fingerprint(settings.raw)``.
    settings : cchc_analysis.pack.settings.Settings
        The run's settings (period and notebooks count; folders do not).
    code : iterable of path, optional
        The code files (default :func:`code_files`).
    """
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8") + b"\0")

    add(__version__, sys.version, fingerprint, settings.period.label, settings.period.kind)
    for lib in KEY_LIBRARIES:
        try:
            add(lib, importlib.metadata.version(lib))
        except importlib.metadata.PackageNotFoundError:
            add(lib, "-")
    for source in settings.sources:
        add(source.name, sha256(source))
    package = config.PACKAGE_DIR
    for path in code_files() if code is None else code:
        path = Path(path)
        name = path.relative_to(package).as_posix() if path.is_relative_to(package) else path.name
        add(name, sha256(path))
    return digest.hexdigest()


def _pack_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and LOGS not in p.relative_to(folder).parts
                  and p.name != PACK_KEY and not p.name.startswith("."))


def write_record(folder: Path, key: str, errors: Sequence[tuple[str, str]] = (), fingerprint: str = "") -> Path:
    """Record ``key``, the hash of every output of the pack in ``folder`` and the exports that could
    not be read (said again, with exit status 1, when the pack is found up to date)."""
    files = {p.relative_to(folder).as_posix(): sha256(p) for p in _pack_files(folder)}
    record = {"key": key, "fingerprint": fingerprint, "files": files, "errors": [list(e) for e in errors]}
    return write_text_atomic(folder / PACK_KEY, json.dumps(record, indent=1, ensure_ascii=False) + "\n")


def _stored(folder: Path) -> dict:
    try:
        stored = json.loads((folder / PACK_KEY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def earlier_errors(folder: Path, fingerprint: str) -> list[tuple[str, str]]:
    """The unreadable exports recorded by the previous pack, when it was built from the same raw data."""
    stored = _stored(folder)
    if stored.get("fingerprint") != fingerprint:
        return []
    return [(str(name), str(reason)) for name, reason in stored.get("errors") or []]


def current_record(folder: Path, key: str) -> dict | None:
    """The record of ``folder``'s pack when it was built from exactly what ``key`` describes and no
    output is missing, added or changed since; else ``None``."""
    stored = _stored(folder)
    if stored.get("key") != key:
        return None
    files = {p.relative_to(folder).as_posix(): p for p in _pack_files(folder)}
    expected = stored.get("files") or {}
    if set(files) != set(expected) or any(sha256(files[n]) != h for n, h in expected.items()):
        return None
    return stored
