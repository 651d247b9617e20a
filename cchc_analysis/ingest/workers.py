"""A second process that reads part of the exports, and cleans some of their kinds, while ``cchc report`` cleans them.

Reading and recognising the files (:func:`cchc_analysis.ingest.pipeline._read_file`) is most of the
cleaning and each file is independent, so on a machine with more than one processor the pack forks a
:class:`ReadWorker` before it starts anything else (a fork is only safe while the process has a
single thread) and :func:`read_files` shares the files between this process and the worker. Each file
is read exactly as in one process; the outcomes (tables, errors, warnings) are applied in the files'
order, so the canonical tables, the counts and the messages are the same as without the worker.

Then the kinds are cleaned (:func:`cchc_analysis.ingest.pipeline._clean_kinds`): each kind on its own,
so the worker cleans every kind but the largest (by rows) while this process cleans that one, and the
results are put in place in the kinds' order, with the same pseudonym key.

If the worker cannot be used (no ``fork`` on this system, a thread already running, the worker gone),
this process reads the files, and cleans the kinds, itself.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["FileOutcome", "ReadWorker", "clean_outcome", "read_files", "read_outcome"]


@dataclass
class FileOutcome:
    """What reading one file adds to a run: errors, warnings (in order), files read, tables by kind."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_read: int = 0
    tables: list[tuple[str, Any]] = field(default_factory=list)


def read_outcome(path: Path, name: str, kind: str | None) -> FileOutcome:
    """Read one file as :func:`cchc_analysis.ingest.pipeline.clean` does, into a :class:`FileOutcome`."""
    pipeline = importlib.import_module("cchc_analysis.ingest.pipeline")

    kinds = pipeline.available_kinds()
    outcome = FileOutcome()
    run = pipeline._Run({kind: kinds[kind]} if kind else kinds, kind, pipeline.CleanReport(),
                        outcome.warnings.append, {path: name})
    pipeline._read_file(run, path)
    outcome.errors = list(run.report.errors)
    outcome.files_read = run.report.files_read
    outcome.tables = [(k, table) for k, tables in run.tables.items() for table in tables]
    return outcome


#: The first item of a job that cleans kinds (:meth:`ReadWorker.submit_kinds`) rather than reading files.
CLEAN_JOB = "clean kinds"


def clean_outcome(kind: str, tables: list[Any], secret: bytes) -> tuple[Any, bool]:
    """Clean the tables of one kind as :func:`cchc_analysis.ingest.pipeline.clean` does, pseudonymising
    applicants with ``secret``; return the kind's result and whether it used the key."""
    from cchc_analysis.ingest import privacy
    from cchc_analysis.ingest.base import CleanContext

    pipeline = importlib.import_module("cchc_analysis.ingest.pipeline")
    used: list[bool] = []

    def keys(ids: Any, names: Any, phones: Any) -> Any:
        used.append(True)
        return privacy.applicant_keys(ids, names, phones, key=secret)

    result = pipeline.available_kinds()[kind].clean(tables, CleanContext(applicant_key=keys))
    return result, bool(used)


def _clean_job(jobs: list[tuple[str, list[Any]]], secret: bytes,
               counter: Any = None) -> list[tuple[str, Any, bool, list[str]]] | None:
    """The worker's side of :meth:`ReadWorker.submit_kinds`: each kind cleaned and its tables checked
    against their schemas (those that pass are sent as the check returns them, and named); None when a
    kind fails (the main process then cleans them all itself, and meets the failure there). With
    ``counter`` (shared with the main process), only the kinds that nobody took yet, one by one
    (:func:`_claim`): the main process takes the others once its own kind is done."""
    pipeline = importlib.import_module("cchc_analysis.ingest.pipeline")
    try:
        out = []
        order = range(len(jobs)) if counter is None else iter(lambda: _claim(counter, len(jobs)), None)
        for i in order:
            kind, tables = jobs[i]
            result, used = clean_outcome(kind, tables, secret)
            passed = pipeline.check_tables(result.tables)
            result.tables.update(passed)
            out.append((kind, result, used, sorted(passed)))
        return out
    except Exception:  # noqa: BLE001
        return None


def _claim(counter: Any, total: int) -> int | None:
    """The index of the next file nobody took yet, or None when all are taken."""
    with counter.get_lock():
        i = counter.value
        if i >= total:
            return None
        counter.value = i + 1
    return i


def _serve(conn: Any, counter: Any) -> None:
    """The worker's loop: take files of the job (sharing ``counter`` with the main process), send their
    outcomes back by index, until told to stop."""
    import gc
    import signal

    gc.disable()  # as the cleaning does: many new objects and no cycles
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle: it stops this one
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        if job[0] == CLEAN_JOB:
            try:
                conn.send(_clean_job(*job[1:], counter=counter))
            except (OSError, ValueError):
                return
            except Exception:  # noqa: BLE001 - a result that cannot be sent: the main process cleans them
                with contextlib.suppress(OSError, ValueError):
                    conn.send(None)
            continue
        paths, names, kind = job
        reply: Any = []
        try:
            while (i := _claim(counter, len(paths))) is not None:
                reply.append((i, read_outcome(paths[i], names[i], kind)))
        except BaseException:  # noqa: BLE001 - the main process reads the files again and reports it
            reply = None
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class ReadWorker:
    """A process forked from this one that reads files for :func:`read_files` (one job at a time).

    Create it while this process has no other thread (:meth:`start` returns None otherwise, or when
    ``fork`` is not available); :meth:`close` stops it.
    """

    def __init__(self, process: Any, conn: Any, counter: Any) -> None:
        self._process, self._conn, self.counter = process, conn, counter

    @classmethod
    def start(cls) -> ReadWorker | None:
        """A running worker, or None when a fork is not possible or not safe here."""
        if (sys.platform != "linux" or (os.cpu_count() or 1) < 2 or threading.active_count() > 1
                or "fork" not in multiprocessing.get_all_start_methods()):
            return None
        try:
            from cchc_analysis.ingest import detect

            pipeline = importlib.import_module("cchc_analysis.ingest.pipeline")  # as refresh finds it
            for kind in pipeline.available_kinds().values():  # registries and header tables: loaded once, here
                detect.synonyms(kind.section)
        except (ImportError, AttributeError):  # the cleaning is not this package's (a test's stand-in)
            return None
        try:
            ctx = multiprocessing.get_context("fork")
            conn, child = ctx.Pipe()
            counter = ctx.Value("i", 0)
            process = ctx.Process(target=_serve, args=(child, counter), name="cchc-read", daemon=True)
            process.start()
        except OSError:
            return None
        child.close()
        return cls(process, conn, counter)

    def submit(self, paths: Sequence[Path], names: Sequence[str], kind: str | None) -> bool:
        """Start a job: the worker takes files of ``paths`` one by one (:meth:`claim` shares them out);
        False when it cannot take the job."""
        with self.counter.get_lock():
            self.counter.value = 0
        try:
            self._conn.send((list(paths), list(names), kind))
        except (OSError, ValueError):
            return False
        return True

    def submit_kinds(self, jobs: list[tuple[str, list[Any]]], secret: bytes) -> bool:
        """Start a job that cleans whole kinds (``(kind, tables)`` pairs) with the pseudonym key
        ``secret``, taking them one by one in this order as :meth:`claim` shares them out (this process
        may take some with ``claim(len(jobs))``); :meth:`outcomes` then gives ``(kind, result, used_key,
        checked)`` for each kind the worker cleaned (``checked``: the tables that passed their schema
        check; None when the worker failed). False when it cannot take the job."""
        with self.counter.get_lock():
            self.counter.value = 0
        try:
            self._conn.send((CLEAN_JOB, jobs, secret))
        except (OSError, ValueError, TypeError, AttributeError):  # a table that cannot be sent
            return False
        return True

    def claim(self, total: int) -> int | None:
        """The next file of the job for this process (None when every file is taken)."""
        return _claim(self.counter, total)

    def outcomes(self) -> list[Any] | None:
        """The worker's reply to the job: ``(index, outcome)`` pairs of a reading job (``(kind, result,
        used_key, checked)`` of a cleaning job); None when the worker failed."""
        try:
            reply = self._conn.recv()
        except (EOFError, OSError):
            return None
        return reply if isinstance(reply, list) else None

    def close(self) -> None:
        """Stop the worker (at once if it does not stop by itself); closing twice does nothing."""
        if self._conn.closed:
            return
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        with contextlib.suppress(OSError):
            self._conn.close()

    def __enter__(self) -> ReadWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_files(run: Any, files: Sequence[Path], worker: ReadWorker, on_file: Any = None) -> None:
    """Read ``files`` into ``run`` (a :func:`~cchc_analysis.ingest.pipeline.clean` run): this process and
    ``worker`` each take the next file nobody took yet; the outcomes are applied in the files' order, as
    a single process would."""
    from cchc_analysis.ingest.readers import printable

    names = [run.names.get(p) or printable(p) for p in files]
    outcomes: dict[int, FileOutcome] = {}
    if worker.submit(files, names, run.forced):
        while (i := worker.claim(len(files))) is not None:
            outcomes[i] = read_outcome(files[i], names[i], run.forced)
            if on_file is not None:
                on_file(files[i])
        for i, outcome in worker.outcomes() or []:
            outcomes[i] = outcome
            if on_file is not None:
                on_file(files[i])
    for i in range(len(files)):  # files nobody read (the worker stopped or was not there): read here
        if i not in outcomes:
            outcomes[i] = read_outcome(files[i], names[i], run.forced)
            if on_file is not None:
                on_file(files[i])
    for i in range(len(files)):
        outcome = outcomes[i]
        run.report.errors.extend(outcome.errors)
        for message in outcome.warnings:
            run.warn(message)
        run.report.files_read += outcome.files_read
        for kind, table in outcome.tables:
            run.tables.setdefault(kind, []).append(table)

