"""``cchc clean``: read every export, detect its kind, clean it, write the canonical tables.

>>> report = clean([], Path("unused"), progress=False)  # nothing to read: nothing written
>>> report.exit_code, report.summary_lines()[0]
(0, 'Đã đọc 0 tệp.')

Flow: :func:`expand_inputs` lists the files (folders walked recursively); each file is read by
:func:`cchc_analysis.ingest.readers.read`; each sheet goes to the kind whose header matches best
(see :mod:`cchc_analysis.ingest.base`); each kind cleans all its sheets at once; the tables are
validated (:mod:`cchc_analysis.schemas`) and written atomically with ``quarantine.csv`` and
``reconciliation.csv``. A file that cannot be read is named in ``report.errors`` with a Vietnamese
reason, and the others are still cleaned.

Every table of every available kind is written at each run (empty when no input of that kind was
given), so that the output folder always describes exactly the inputs of the last run.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import importlib
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis import schemas
from cchc_analysis.ingest import privacy
from cchc_analysis.ingest.base import CleanContext, Kind, KindResult, RawSheet, SheetTable
from cchc_analysis.ingest.detect import find_header, known_headers, synonyms
from cchc_analysis.ingest.inputs import EXPORT_SUFFIXES, iter_inputs
from cchc_analysis.ingest.readers import ReadError, printable, read
from cchc_analysis.ingest.rows import build_table
from cchc_analysis.ingest.text import fold
from cchc_analysis.quality import (
    QUARANTINE_COLUMNS,
    SheetCounts,
    gap_lines,
    quarantine_frame,
    reconciliation_frame,
    unbalanced,
    vocabulary_gaps,
    write_csv,
    write_parquet,
)

__all__ = ["CleanReport", "KIND_MODULES", "SPREADSHEET_SUFFIXES", "available_kinds", "clean", "expand_inputs"]

#: Modules (under ``cchc_analysis.ingest``) that declare kinds; an absent one is skipped.
KIND_MODULES = ("dossiers", "report06a", "surveys", "finance", "manual", "procedures", "tasks", "portal766")
#: Files taken when walking a folder (see :mod:`cchc_analysis.ingest.inputs`, the one walker).
SPREADSHEET_SUFFIXES = EXPORT_SUFFIXES


def available_kinds() -> dict[str, Kind]:
    """The kinds whose modules are present, by name, in :data:`KIND_MODULES` order."""
    kinds: dict[str, Kind] = {}
    for module_name in KIND_MODULES:
        qualified = f"cchc_analysis.ingest.{module_name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name == qualified:
                continue
            raise
        for kind in getattr(module, "KINDS", ()):
            kinds[kind.name] = kind
    return kinds


def expand_inputs(inputs: Iterable[Path], exclude: Path | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to read (:func:`cchc_analysis.ingest.inputs.iter_inputs`) and input errors (names printable)."""
    missing: list[Path] = []
    files = list(iter_inputs(inputs, exclude, missing))
    return files, [(printable(path), "không tìm thấy tệp hoặc thư mục này.") for path in missing]


@dataclass
class CleanReport:
    """What a run did: files read, errors, warnings, per-sheet counts, quarantine and tables written."""

    files: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: list[SheetCounts] = field(default_factory=list)
    quarantine: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=QUARANTINE_COLUMNS))
    tables: dict[str, int] = field(default_factory=dict)
    out_dir: Path | None = None
    files_read: int = 0

    @property
    def exit_code(self) -> int:
        """1 when any input could not be read, else 0."""
        return 1 if self.errors else 0

    def summary_lines(self) -> list[str]:
        """A short Vietnamese summary: files, rows kept, quarantined, duplicates, problems by kind."""
        sheets = len(self.counts)
        line = f"Đã đọc {_n(self.files_read)} tệp"
        if self.errors:
            line += f" ({_n(len(self.errors))} tệp không đọc được)"
        lines = [line + (f", {_n(sheets)} bảng dữ liệu." if sheets else ".")]
        if sheets:
            read_ = sum(c.rows_read for c in self.counts)
            kept = sum(c.rows_kept for c in self.counts)
            quarantined = sum(c.rows_quarantined for c in self.counts)
            dups = sum(c.rows_duplicate for c in self.counts)
            lines.append(f"Dòng dữ liệu: {_n(read_)} đọc, {_n(kept)} giữ lại, {_n(quarantined)} cách ly, "
                         f"{_n(dups)} trùng lặp.")
        if self.tables and self.out_dir is not None:
            written = ", ".join(f"{name} {_n(n)} dòng" for name, n in self.tables.items() if n)
            lines.append(f"Bảng đã ghi vào {self.out_dir}: {written or 'không có dòng nào'}.")
        if len(self.quarantine):
            gaps = vocabulary_gaps(self.quarantine)
            lines.append(f"Cách ly (xem quarantine.csv): {_n(len(self.quarantine))} dòng:")
            in_gaps = self.quarantine["reason"].astype(str).str.contains("(vocab.yaml: ", regex=False)
            for reason, n in Counter(self.quarantine.loc[~in_gaps, "reason"].astype(str)).most_common(8):
                lines.append(f"  - {_n(n)} × {reason}")
            if len(gaps):
                lines.append(f"Nhãn chưa có trong danh mục ({_n(len(gaps))} nhãn; bổ sung vào "
                             "registry/vocab.yaml nếu đúng):")
                lines.extend(f"  - {line}" for line in gap_lines(gaps.head(20)))
                if len(gaps) > 20:
                    lines.append(f"  - … và {_n(len(gaps) - 20)} nhãn khác (xem quarantine.csv).")
        noted = [c for c in self.counts if c.note]
        if noted:
            lines.append("Ghi chú theo tệp (xem reconciliation.csv, cột note):")
            lines += [f"  - {c.file}{'#' + c.sheet if c.sheet else ''}: {c.note}" for c in noted]
        if self.warnings:
            lines.append(f"Cảnh báo: {_n(len(self.warnings))} (đã in ở trên).")
        return lines


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass
class _Run:
    kinds: dict[str, Kind]
    forced: str | None
    report: CleanReport
    warn: Callable[[str], None]
    names: dict[Path, str] = field(default_factory=dict)
    tables: dict[str, list[SheetTable]] = field(default_factory=dict)


def clean(inputs: list[Path], out_dir: Path, kind: str | None = None, progress: bool = True,
          worker: object = None) -> CleanReport:
    """Clean exports into the canonical tables of ``out_dir``.

    Parameters
    ----------
    inputs : list of Path
        Files or folders (walked recursively); default (empty list from the CLI) is up to the caller.
    out_dir : Path
        Output folder (created when needed). It may not lie inside an input folder.
    kind : str, optional
        Force every sheet to this kind instead of detecting it.
    progress : bool
        Show progress bars on long runs (also off when ``TQDM_DISABLE`` is set).
    worker : cchc_analysis.ingest.workers.ReadWorker, optional
        A second process that reads part of the files (same tables, counts and messages).

    Returns
    -------
    CleanReport
    """
    report = CleanReport()
    out_dir = Path(out_dir)
    kinds = available_kinds()
    if kind is not None and kind not in kinds:
        report.errors.append((kind, f"không có loại dữ liệu «{kind}»; các loại có: {', '.join(kinds)}."))
        return report
    if clash := _output_inside_input(inputs, out_dir):
        report.errors.append((str(out_dir), f"thư mục kết quả nằm trong thư mục dữ liệu gốc {clash}: "
                                            "không ghi vào dữ liệu gốc, hãy chọn thư mục khác."))
        return report
    files, input_errors = expand_inputs(inputs, exclude=out_dir.resolve())
    report.files = files
    run_names = _display_names(inputs, files)
    report.errors.extend(input_errors)
    if not files:
        return report
    seen_warnings: set[str] = set()

    def warn(message: str) -> None:
        message = printable(message)
        if message not in seen_warnings:
            seen_warnings.add(message)
            report.warnings.append(message)
            print(f"cảnh báo: {message}", file=sys.stderr)

    run = _Run({kind: kinds[kind]} if kind else kinds, kind, report, warn, run_names)
    quiet = not progress or bool(os.environ.get("TQDM_DISABLE"))
    warm = threading.Thread(target=_warm_up, name="cchc-warm-up", daemon=True)
    warm.start()  # runs while the first workbook is parsed (the parser releases the GIL)
    with _bars(len(files), quiet) as (file_bar, row_bar), _no_cyclic_gc():
        if worker is not None and len(files) > 1:  # part of the files read by a second process
            from cchc_analysis.ingest import workers

            workers.read_files(run, files, worker, on_file=lambda _path: file_bar.update(1))
        else:
            for path in files:
                file_bar.set_postfix_str(path.name[-40:], refresh=False)
                _read_file(run, path)
                file_bar.update(1)
        outputs, quarantine, checked = _clean_kinds(run, kinds, row_bar.update, worker)
    warm.join()
    _write(report, out_dir, outputs, quarantine, checked)
    return report


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a big sheet is millions of new objects and no cycles, and the
    collector would otherwise rescan them again and again (reference counting still frees memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _warm_up() -> None:
    """Load what writing needs (the schema checker's backends, the Parquet writer) ahead of time."""
    with contextlib.suppress(Exception):
        import pyarrow.parquet  # noqa: F401

        schemas.validate("manual_indicators", schemas.empty("manual_indicators"))


def _display_names(inputs: Iterable[Path], files: list[Path]) -> dict[Path, str]:
    """How each file is named in messages: its name when named directly, else its path inside the folder given."""
    folders = [Path(i) for i in inputs if Path(i).is_dir()]
    names = {}
    for path in files:
        folder = next((f for f in folders if f in path.parents), None)
        names[path] = printable(path.relative_to(folder).as_posix() if folder else path.name)
    return names


def _output_inside_input(inputs: Iterable[Path], out_dir: Path) -> str | None:
    target = out_dir.resolve()
    for item in inputs:
        folder = Path(item).resolve()
        if Path(item).is_dir() and (target == folder or folder in target.parents):
            return str(item)
    return None


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, *args: object, **kwargs: object) -> None:
        pass

    def close(self) -> None:
        pass


class _bars:
    """A bar over files and one over rows, shown on a terminal for runs longer than a second."""

    def __init__(self, n_files: int, quiet: bool) -> None:
        self.n_files, self.quiet = n_files, quiet

    def __enter__(self) -> tuple[object, object]:
        if self.quiet:
            self.bars = (_NoBar(), _NoBar())
        else:
            from tqdm import tqdm

            options = {"delay": 1.0, "leave": False, "file": sys.stderr, "disable": None}  # None: off when not a terminal
            self.bars = (tqdm(total=self.n_files, desc="Tệp", unit="tệp", **options),
                         tqdm(desc="Dòng", unit="dòng", position=1, **options))
        return self.bars

    def __exit__(self, *exc: object) -> None:
        for bar in self.bars:
            bar.close()


def _read_file(run: _Run, path: Path) -> None:
    name = run.names.get(path) or printable(path)
    skipped: list[str] = []
    try:
        sheets = read(path, skipped)
    except ReadError as exc:
        run.report.errors.append((name, _sentence(str(exc))))
        return
    for message in skipped:
        run.warn(f"{name}: {message}.")
    found: list[tuple[RawSheet, Kind, object]] = []
    unrecognised: list[RawSheet] = []
    for raw in sheets:
        best = _detect(run, raw)
        if best is None:
            if any(any(v not in ("", None) for v in row) for row in raw.rows[:200]):
                unrecognised.append(raw)
            continue
        found.append((raw, *best))
    if not found:
        run.report.errors.append((name, printable(_no_header_reason(sheets, run))))
        return
    for raw in unrecognised:
        run.warn(f"{raw.label}: không tìm thấy dòng tiêu đề nào nhận ra, bỏ qua trang tính này.")
    run.report.files_read += 1
    for raw, kind, header in found:
        if header.unknown:
            names = ", ".join(f"«{v}»" for v in header.unknown.values())
            run.warn(f"{raw.label}: cột không nhận ra, bỏ qua: {names} (thêm vào registry/columns.yaml nếu cần).")
        table = build_table(raw, header, keys=kind.required)
        run.tables.setdefault(kind.name, []).append(table)


def _detect(run: _Run, raw: RawSheet) -> tuple[Kind, object] | None:
    best: tuple[float, Kind, object] | None = None
    for kind in run.kinds.values():
        table = synonyms(kind.section)
        header = kind.locate(raw, table) if kind.locate else find_header(raw, table)
        if header is None:
            continue
        score = kind.header_score(header)
        if score > 0 and (best is None or score > best[0]):
            best = (score, kind, header)
    return (best[1], best[2]) if best else None


_NUMBERISH = re.compile(r"^\s*[\d.,:/ -]*\s*$")  # data values, not header texts


def _no_header_reason(sheets: list[RawSheet], run: _Run) -> str:
    seen: list[str] = []
    for raw in sheets:
        for row in raw.rows[:30]:
            seen.extend(str(v).strip() for v in row if isinstance(v, str) and v.strip() and len(v) < 60
                        and not _NUMBERISH.match(v))
    seen = list(dict.fromkeys(seen))[:8]
    known = {fold(h): h for k in run.kinds.values() for h in known_headers(k.section)}
    nearest = []
    for text in seen:
        nearest.extend(known[m] for m in difflib.get_close_matches(fold(text), list(known), n=1, cutoff=0.6))
    nearest = list(dict.fromkeys(nearest))[:6]
    what = f"«{run.forced}»" if run.forced else "nào đã biết"
    reason = f"không tìm thấy dòng tiêu đề của bảng {what}"
    if seen:
        reason += "; các ô đầu bảng thấy được: " + ", ".join(f"«{s}»" for s in seen)
    if nearest:
        reason += "; gần nhất với các tên cột đã biết: " + ", ".join(f"«{s}»" for s in nearest)
    return reason + "."


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else text + "."


def _clean_kinds(run: _Run, kinds: dict[str, Kind], progress: Callable[[int], None],
                 worker: Any = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, pd.DataFrame]]:
    """Clean each kind's tables; with ``worker`` (:mod:`cchc_analysis.ingest.workers`), the worker cleans
    the other kinds meanwhile, the larger first, while this process cleans the largest (by rows) and then
    takes, one by one, those the worker has not started. The results are then taken in the kinds' order, so the
    tables, counts and messages are those of one process; the pseudonym key is the same in both, and the
    sentence on a missing key is said once, where the first kind that used it stands (never when no kind
    has personal data). Each process also checks its kinds' tables against their schemas while the other
    works (:func:`check_tables`): the third result, the tables :func:`_write` need not check again."""
    secret, key_warning = privacy.load_key()
    jobs = {name: run.tables.pop(name, []) for name in kinds}
    present = {name: sum(len(t.data) for t in tables) for name, tables in jobs.items() if tables}
    elsewhere: set[str] = set()
    shared: list[str] = []  # the kinds the worker takes one by one, the larger first
    if worker is not None and len(present) > 1:
        shared = sorted(present, key=lambda name: (-present[name], name))[1:]
        elsewhere = set(shared)
        if not worker.submit_kinds([(name, jobs[name]) for name in shared], secret):
            elsewhere = set()
    results: dict[str, tuple[KindResult, bool]] = {}
    checked: dict[str, pd.DataFrame] = {}  # tables already checked against their schemas (as _write would)
    for name, kind in kinds.items():
        if name in present and name not in elsewhere:
            results[name] = _clean_one(kind, jobs[name], secret, progress)
            if elsewhere:  # while the worker still works: check these tables now, not after it
                checked.update(check_tables(results[name][0].tables))
    if elsewhere:
        while (i := worker.claim(len(shared))) is not None:  # what the worker has not started yet
            results[shared[i]] = _clean_one(kinds[shared[i]], jobs[shared[i]], secret, progress)
            checked.update(check_tables(results[shared[i]][0].tables))
        reply = worker.outcomes()
        for name, result, used, passed in reply or []:
            results[name] = (result, used)
            checked.update({table: result.tables[table] for table in passed})
            progress(present[name])
        for name in elsewhere - results.keys():  # the worker failed: clean them here
            results[name] = _clean_one(kinds[name], jobs[name], secret, progress)
    outputs: dict[str, pd.DataFrame] = {}
    quarantines: list[pd.DataFrame] = []
    warned = False
    for name, kind in kinds.items():
        if name not in results:
            for table_name in kind.tables:
                outputs.setdefault(table_name, None)
            continue
        result, used_key = results[name]
        if used_key and key_warning and not warned:
            run.warn(key_warning)
            warned = True
        for message in result.warnings:
            run.warn(message)
        for counts in unbalanced(result.counts):
            run.warn(f"{counts.file}: số dòng không cân ({counts.rows_read} đọc ≠ {counts.rows_kept} + "
                     f"{counts.rows_quarantined} + {counts.rows_duplicate}).")
        run.report.counts.extend(result.counts)
        frame = quarantine_frame(result.quarantine)
        if len(frame):
            quarantines.append(frame)
        for table_name in kind.tables:
            outputs[table_name] = result.tables.get(table_name)
    quarantine = pd.concat(quarantines, ignore_index=True) if quarantines else quarantine_frame(None)
    return outputs, quarantine, checked


def check_tables(tables: dict[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    """The tables that pass their schema check, as the check returns them (``schemas.validate``, which
    coerces); a table that fails, or has no schema, is left to :func:`_write`, which checks it again and
    reports it in its place."""
    passed = {}
    for name, frame in tables.items():
        if frame is None or name not in schemas.SCHEMAS:
            continue
        try:
            passed[name] = schemas.validate(name, frame)
        except Exception:  # noqa: BLE001 - reported by _write
            continue
    return passed


def _clean_one(kind: Kind, tables: list[SheetTable], secret: bytes,
               progress: Callable[[int], None]) -> tuple[KindResult, bool]:
    """``kind.clean(tables)`` with applicants pseudonymised by ``secret``; the result and whether the
    kind used the key."""
    used: list[bool] = []

    def keys(ids: pd.Series | None, names: pd.Series | None, phones: pd.Series | None) -> pd.Series:
        used.append(True)
        return privacy.applicant_keys(ids, names, phones, key=secret)

    result = kind.clean(tables, CleanContext(applicant_key=keys, progress=progress))
    return result, bool(used)


def _write(report: CleanReport, out_dir: Path, outputs: dict[str, pd.DataFrame | None], quarantine: pd.DataFrame,
           checked: dict[str, pd.DataFrame] | None = None) -> None:
    """Validate and write every table, then ``quarantine.csv`` and ``reconciliation.csv``; ``checked``:
    tables already checked (:func:`check_tables`), written as they are.

    The table of a kind the run's inputs do not have is the schema's own empty table
    (:func:`cchc_analysis.schemas.empty`), written as made: checking it against its schema changes
    nothing (tested for every schema), and would cost as much as the checks of the tables read."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in outputs.items():
        if name not in schemas.SCHEMAS:
            report.warnings.append(f"bảng {name} chưa có lược đồ trong schemas.py: không ghi.")
            continue
        if frame is None:
            write_parquet(out_dir / f"{name}.parquet", schemas.empty(name))
            report.tables[name] = 0
            continue
        try:
            frame = checked[name] if checked and name in checked else schemas.validate(name, frame)
        except Exception as exc:  # noqa: BLE001 - a schema failure is a bug, reported and not written
            report.errors.append((f"{name}.parquet", f"bảng không đạt lược đồ, không ghi: {str(exc).splitlines()[0]}"))
            continue
        write_parquet(out_dir / f"{name}.parquet", frame)
        report.tables[name] = len(frame)
    quarantine = quarantine.sort_values(["file", "sheet", "row"], kind="stable", na_position="first", ignore_index=True)
    write_csv(out_dir / "quarantine.csv", quarantine)
    recon = reconciliation_frame(report.counts).sort_values(["file", "sheet"], kind="stable", ignore_index=True)
    write_csv(out_dir / "reconciliation.csv", recon)
    report.quarantine = quarantine
    report.out_dir = out_dir
