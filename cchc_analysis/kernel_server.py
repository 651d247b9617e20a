"""Kernels forked from a process that has already imported what the notebooks use.

A notebook kernel is a new Python process: it imports ipykernel, pandas, Matplotlib and this package
before it runs the first cell, about 1.3 s of processor time for each kernel of a report, and the
report starts two while the exports are being cleaned, when both processors are busy.
:class:`KernelServer` pays those imports once: ``cchc report`` forks it as the command starts, before
its own imports (one processor is idle then; the process has no other thread yet); it imports ipykernel
and :data:`KERNEL_IMPORTS`, then forks one kernel per request. This module imports nothing but the
standard library, so that the fork costs nothing when the pack turns out to be up to date. A forked kernel is
the same ipykernel as the one the kernel specification starts (``python -m ipykernel_launcher -f
CONNECTION_FILE``): same arguments, environment, working folder and standard error; it has its own
session and process group, so the kernel manager stops it as it stops any kernel.

Anything unexpected (no ``fork``, another thread running, a kernel specification that does not start
ipykernel, a server that does not answer) makes the kernel manager start the kernel the usual way
(:func:`cchc_analysis.pack.kernels.run_notebook` works either way); the notebooks' outputs are the same.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

#: Matplotlib backend of the notebook kernels during a report run: figures shown inline, so that the
#: HTML report embeds them.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Imported once by each kernel before the notebooks run (by the server, for the kernels it forks), so
#: that the notebooks' own imports are instant.
KERNEL_IMPORTS = ("pandas", "pyarrow.parquet", "matplotlib.pyplot", "IPython.display", "cchc_analysis.periods",
                  "cchc_analysis.indicators", "cchc_analysis.refresh", "cchc_analysis.views", "cchc_analysis.charts",
                  "cchc_analysis.narrative", "cchc_analysis.scoreboard", "cchc_analysis.intake",
                  "cchc_analysis.scoreboard_areas", "cchc_analysis.views_programme", "cchc_analysis.docx_draft",
                  "cchc_analysis.index766", "cchc_analysis.charts_index766", "cchc_analysis.views_index766",
                  "pandas.io.formats.style", "docx")
#: Seconds to wait for the server to fork a kernel (it answers once its imports are done).
LAUNCH_TIMEOUT = 60.0
#: The module a kernel specification runs for an ipykernel kernel.
LAUNCHER = "ipykernel_launcher"


def kernel_arguments(kernel_cmd: Sequence[str]) -> list[str] | None:
    """The ipykernel arguments of a kernel command (``… -m ipykernel_launcher ARGS``), or None when the
    command starts something else.

    >>> kernel_arguments(["/v/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json"])
    ['-f', 'k.json']
    >>> kernel_arguments(["/usr/bin/R", "--slave", "-e", "IRkernel::main()"]) is None
    True
    """
    cmd = list(kernel_cmd)
    for i in range(len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == LAUNCHER:
            return cmd[i + 2:]
    return None


class ForkedKernel:
    """The kernel manager's handle on a forked kernel: what it uses of a ``subprocess.Popen``.

    The kernel is the server's child, not this process's: it is alive while its process id is (the
    server ignores ``SIGCHLD``, so the system reaps it at once), and its exit status is not known.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # the id was given to another user's process: ours is gone
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                import subprocess

                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelServer:
    """A process forked from this one that forks kernels (see the module's text); :meth:`close` stops it.

    Create it while this process has no other thread (:meth:`start` returns None otherwise, or where
    ``fork`` is not available).
    """

    def __init__(self, process: Any, conn: Any) -> None:
        self._process, self._conn = process, conn
        self._lock = threading.Lock()

    @classmethod
    def start(cls, imports: Sequence[str] = KERNEL_IMPORTS,
              env: Mapping[str, str] | None = None) -> KernelServer | None:
        """A running server that imports ipykernel and ``imports`` with ``env`` set (the variables the
        kernels' imports read; by default ``MPLBACKEND`` = :data:`INLINE_BACKEND`); None when a fork is
        not possible or not safe."""
        env = {"MPLBACKEND": INLINE_BACKEND} if env is None else env
        if (sys.platform != "linux" or threading.active_count() > 1 or _figures_drawn_here()
                or "fork" not in multiprocessing.get_all_start_methods()):
            return None
        try:
            ctx = multiprocessing.get_context("fork")
            conn, child = ctx.Pipe()
            process = ctx.Process(target=_serve, args=(child, conn, tuple(imports), dict(env or {}), os.getpid()),
                                  name="cchc-kernels", daemon=True)
            process.start()
        except OSError:
            return None
        child.close()
        return cls(process, conn)

    def launch(self, args: Sequence[str], env: Mapping[str, str], cwd: str | os.PathLike | None,
               stderr_path: Path | None) -> ForkedKernel | None:
        """Fork a kernel run as ``python -m ipykernel_launcher ARGS`` with ``env`` in ``cwd``, its standard
        error appended to ``stderr_path``; None when the server cannot (the caller starts it otherwise)."""
        request = (list(args), dict(env), None if cwd is None else str(cwd),
                   None if stderr_path is None else str(stderr_path))
        with self._lock:
            try:
                self._conn.send(request)
                if not self._conn.poll(LAUNCH_TIMEOUT):
                    self.close()  # it hangs: no more kernels from it
                    return None
                pid = self._conn.recv()
            except (OSError, EOFError, ValueError):
                return None
        return ForkedKernel(pid) if isinstance(pid, int) and pid > 0 else None

    def close(self) -> None:
        """Stop the server at once, even in the middle of its imports (the kernels it forked are stopped by
        their managers, or stop with it); twice does nothing."""
        if self._conn.closed:
            return
        with contextlib.suppress(OSError, ValueError):
            self._conn.close()
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self._process.terminate()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    def __enter__(self) -> KernelServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _figures_drawn_here() -> bool:
    """True when this process has chosen Matplotlib's backend (a figure was made) or loaded the inline
    backend: a kernel forked from it would keep that choice instead of the kernel's own."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    return "matplotlib_inline.backend_inline" in sys.modules or getattr(pyplot, "_backend_mod", None) is not None


def _backend_from_environment() -> None:
    """Matplotlib's backend as its import sets it from ``MPLBACKEND`` (it may have been imported before
    the variable was set here); the backend itself is loaded at the first figure, in the kernel."""
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None and os.environ.get("MPLBACKEND"):
        matplotlib.rcParams["backend"] = os.environ["MPLBACKEND"]


def _serve(conn: Any, other_end: Any, imports: tuple[str, ...], env: dict[str, str], parent: int) -> None:
    """The server: import, then fork a kernel for each request until this process's parent closes the pipe
    (``other_end``, its end, copied here by the fork, is closed first: the pipe then ends with the parent's)."""
    other_end.close()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system as they end
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the command's to handle: it stops the server
    os.environ.update(env)
    os.environ["JPY_PARENT_PID"] = str(parent)  # read once, at ipykernel's import, as a kernel does at start
    _backend_from_environment()
    with contextlib.suppress(Exception):
        importlib.import_module("ipykernel.kernelapp")
    for name in imports:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()  # what is imported stays shared with the kernels, and their collections skip it
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            os._exit(0)
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            conn.close()
            _run_kernel(*request)  # never returns
        try:
            conn.send(pid)
        except (OSError, ValueError):
            os._exit(0)


def _run_kernel(args: list[str], env: dict[str, str], cwd: str | None, stderr_path: str | None) -> None:
    """In the forked child: become the kernel ``python -m ipykernel_launcher ARGS`` would be, run it, exit."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the notebooks' own subprocesses are waited for as usual
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # its own process group, as a kernel started by the kernel manager has
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        if stderr_path is not None:
            err = os.open(stderr_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.dup2(err, 2)
            os.close(err)
        os.environ.clear()
        os.environ.update(env)
        _backend_from_environment()
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = [LAUNCHER, *args]
        sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]  # as ipykernel_launcher does
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # it stops when the server does (whose parent is this run), as a started kernel stops with its parent
        app.initialize([*args, f"--IPKernelApp.parent_handle={os.getppid()}"])
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - written where the kernel's standard error goes
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
