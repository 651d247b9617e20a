"""Running the notebooks: papermill on a pool of kernels started (and warmed up) ahead of time.

Starting a kernel and importing pandas and Matplotlib costs about as much as a short notebook; the pool
pays it once per kernel, while the raw data are being cleaned, and each kernel takes the next notebook
(the longest first) as soon as it is free, reset in between (:class:`KernelPool`). ``CCHC_JOBS`` sets how many
kernels run at once (default: one per processor, at most 4).

>>> run_order([Path("a")] * 3)
[0, 1, 2]
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from cchc_analysis.kernel_server import INLINE_BACKEND, KERNEL_IMPORTS
from cchc_analysis.pack.errors import NotebookFailure

KERNEL_NAME = "python3"


#: Optional modules that a report run never uses but that its imports would load at great cost:
#: jsonschema (imported by nbformat, itself imported by papermill and nbconvert) loads
#: ``rfc3987_syntax`` when it is installed (it comes with jupyter-events) to check the JSON-schema
#: formats ``iri`` and ``iri-reference``; that module builds its grammar at import, about 1.7 s of
#: processor time, more than papermill's other imports together. The notebook schema that nbformat
#: validates has no such format, so nothing checked in a run depends on it.
UNUSED_SLOW_IMPORTS = ("rfc3987_syntax",)


def skip_unused_slow_imports() -> list[str]:
    """Keep this process from loading :data:`UNUSED_SLOW_IMPORTS` (an ``import`` of one then raises
    ImportError, which jsonschema expects of an optional module); return the names skipped.

    Called by ``cchc report`` (:func:`cchc_analysis.pack.build.run_cli`) before anything imports
    jsonschema, and only then: a process that already imported jsonschema, or one of these modules,
    is left as it is, and a program that uses the suite as a library keeps its own imports.
    """
    if "jsonschema" in sys.modules:
        return []
    skipped = [name for name in UNUSED_SLOW_IMPORTS if name not in sys.modules]
    for name in skipped:
        sys.modules[name] = None  # type: ignore[assignment]
    return skipped


def _first_line(source: str) -> str:
    for line in str(source).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "…"
    return ""


#: Seconds a new connection to a running kernel waits for stray broadcast (IOPub) messages before a
#: notebook starts. Jupyter waits 0.2 s; each notebook and each reset opens a connection, and the wait
#: is idle time on the kernel's turn. Messages of a notebook's cells are matched to their request, so a
#: stray message arriving later is ignored anyway.
IOPUB_SETTLE = 0.02


def _quick_client_class() -> type:
    """A kernel client that waits :data:`IOPUB_SETTLE` seconds, not 0.2, for the IOPub channel to settle
    once the kernel answered (the wait of :meth:`wait_for_ready`, unchanged otherwise)."""
    from jupyter_client.asynchronous import AsyncKernelClient

    class QuickKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            channel = self.iopub_channel
            get_msg = channel.get_msg

            def settle(*args: Any, timeout: float | None = None, **kw: Any) -> Any:
                return get_msg(*args, timeout=None if timeout is None else min(timeout, IOPUB_SETTLE), **kw)

            channel.get_msg = settle
            try:
                await super().wait_for_ready(timeout)
            finally:
                del channel.get_msg  # the class's method again

    return QuickKernelClient


def _kernel_manager_class(stderr_path: Path, server: Any = None) -> type:
    """A kernel manager whose kernels show figures inline (so that the HTML report embeds them) and
    write their own messages (start-up warnings, crashes) to ``stderr_path`` instead of the terminal;
    its clients wait only briefly for the IOPub channel to settle (:func:`_quick_client_class`). With
    ``server`` (a :class:`~cchc_analysis.kernel_server.KernelServer`), an ipykernel kernel is forked
    by it, and started the usual way when it cannot."""
    from jupyter_client import AsyncKernelManager
    from traitlets import default

    from cchc_analysis.kernel_server import kernel_arguments

    client_class = _quick_client_class()

    class QuietKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _client_factory_default(self) -> type:
            return client_class

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw["env"] = {**(kw.get("env") or os.environ), "MPLBACKEND": INLINE_BACKEND}
            args = kernel_arguments(kernel_cmd)
            forked = None if server is None or args is None else server.launch(args, kw["env"], kw.get("cwd"),
                                                                                stderr_path)
            if forked is not None:  # what LocalProvisioner.launch_kernel records of a started process
                provisioner = self.provisioner
                provisioner.process, provisioner.pid, provisioner.pgid = forked, forked.pid, forked.pid
                provisioner.cwd = kw.get("cwd") or Path.cwd()
                self._reconcile_connection_info(provisioner.connection_info)
                return
            with open(stderr_path, "ab") as sink:
                kw["stderr"] = sink
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def run_notebook(source: Path, target: Path, parameters: Mapping[str, Any], cwd: Path,
                 progress: bool | dict = True, km: Any = None) -> None:
    """Execute one notebook with papermill into ``target``; raise :class:`NotebookFailure` on an error
    in a cell (the executed notebook, with the error, is saved at ``target``).

    The kernel starts in ``cwd`` (given to the kernel, not by changing this process's folder, so that
    several notebooks can run at once). ``km``: a running kernel to use (see :class:`KernelPool`);
    by default papermill starts a kernel for the notebook and stops it afterwards.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    bar: bool | dict = False
    if progress:
        bar = {"desc": source.stem, "leave": True, **(progress if isinstance(progress, dict) else {})}
    extra: dict[str, Any] = {"resources": {"metadata": {"path": str(cwd)}}}
    if km is not None:
        extra["km"] = km
    try:
        papermill.execute_notebook(str(source), str(target), parameters=dict(parameters),
                                   kernel_name=KERNEL_NAME, progress_bar=bar, log_output=False,
                                   request_save_on_cell_execute=False, **extra)
    except PapermillExecutionError as exc:
        message = f"{exc.ename}: {_first_line(exc.evalue) or '(không có thông điệp)'}".rstrip(".")
        raise NotebookFailure(source.name, exc.exec_count, _first_line(exc.source), message) from None


def _code_cells(path: Path) -> int:
    """Number of code cells of a notebook (a cheap guess of how long it runs)."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return 0
    return sum(1 for cell in cells if cell.get("cell_type") == "code")


def default_jobs(count: int) -> int:
    """How many kernels run the notebooks: ``CCHC_JOBS`` when set, else one per processor (at most 4).

    >>> 1 <= default_jobs(5) <= 4, default_jobs(1)
    (True, 1)
    """
    wanted = os.environ.get("CCHC_JOBS", "").strip()
    jobs = int(wanted) if wanted.isdigit() and int(wanted) > 0 else min(os.cpu_count() or 1, 4)
    return max(1, min(count, jobs))


def reads_indicator_table(path: Path) -> bool:
    """True when the notebook's parameters cell names ``indicators_file`` (it reads the indicator
    table the run writes, so it waits for it); a notebook that cannot be read is assumed to read it."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return True
    for cell in cells:
        if "parameters" in (cell.get("metadata") or {}).get("tags", []):
            source = cell.get("source", "")
            return "indicators_file" in ("".join(source) if isinstance(source, list) else str(source))
    return True


def run_order(sources: Sequence[Path], costs: Mapping[str, float] | None = None,
              first: Collection[str] = ()) -> list[int]:
    """The order in which the kernels take the notebooks: those named in ``first`` before the others, and
    in each group the longest first (``costs``, expected seconds by file name, else a tenth of a second
    per code cell), so that the short ones fill in at the end; ties keep the report's order.

    >>> run_order([Path("a"), Path("b"), Path("c")], {"b": 5.0, "c": 2.0})
    [1, 2, 0]
    >>> run_order([Path("a"), Path("b"), Path("c")], {"a": 1.0, "b": 5.0, "c": 2.0}, first={"a", "c"})
    [2, 0, 1]
    """
    costs = costs or {}

    def cost(i: int) -> float:
        name = Path(sources[i]).name
        return float(costs[name]) if name in costs else float(max(_code_cells(sources[i]), 0)) / 10

    return sorted(range(len(sources)), key=lambda i: (Path(sources[i]).name not in first, -cost(i)))


#: Imported once by each kernel before the notebooks run (the notebooks' own imports are then instant).
WARM_IMPORTS = KERNEL_IMPORTS
#: Run in a kernel before each notebook: the notebook starts as in a fresh kernel (empty namespace,
#: Matplotlib settings and figures as at start-up, cell numbers from 1). The first time, a small figure
#: is drawn and saved as PNG and SVG in the charts' style, so that fonts and renderers are loaded while
#: the data are being cleaned rather than in the first chart of a notebook.
RESET_CODE = """\
import importlib as _importlib
for _name in {imports!r}:
    try:
        _importlib.import_module(_name)
    except Exception:
        pass
import matplotlib as _mpl
import matplotlib.pyplot as _plt
if not hasattr(_mpl, "_cchc_start_rc"):
    _mpl._cchc_start_rc = _mpl.rcParams.copy()
    try:
        import contextlib as _contextlib
        import io as _io
        import sys as _sys
        _charts = _sys.modules.get("cchc_analysis.charts")
        with getattr(_charts, "style", _contextlib.nullcontext)():
            _fig, _ax = _plt.subplots(figsize=(4, 2))
            _ax.plot([0, 1], [0, 1], label="Tỷ lệ")
            _ax.set_title("Tỷ lệ hồ sơ trực tuyến, 90,5%")
            _ax.legend()
            _fig.savefig(_io.BytesIO(), format="png", dpi=100)
            _fig.savefig(_io.BytesIO(), format="svg")
    except Exception:
        pass
_plt.close("all")
_mpl.rcParams.update(_mpl._cchc_start_rc)
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""


class KernelPool:
    """Kernels started (and warmed up) ahead of time that run notebooks one after the other.

    Starting a kernel and importing pandas and Matplotlib costs about as much as a short notebook;
    the pool pays it once per kernel, while the raw data are being cleaned. Before each notebook the
    kernel's namespace and Matplotlib settings are reset (:data:`RESET_CODE`), so a notebook sees what
    it would see in a fresh kernel. Use as a context manager; kernels are stopped on exit.
    """

    def __init__(self, size: int, cwd: Path, log_dir: Path, server: Any = None) -> None:
        self.size, self.cwd, self.log_dir, self.server = size, Path(cwd), Path(log_dir), server
        self.errors: list[BaseException] = []
        self._managers: list[Any] = [None] * size
        self._ready = [threading.Event() for _ in range(size)]
        self._threads: list[Any] = []

    def _reset_notebook(self) -> Any:
        import nbformat

        book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            RESET_CODE.format(imports=WARM_IMPORTS))])
        book.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
        return book

    def reset(self, k: int) -> None:
        """Reset kernel ``k`` (starting it the first time)."""
        import papermill

        km = self._managers[k]
        if km is None:
            km = _kernel_manager_class(self.log_dir / f"kernel-{k}.stderr.txt", self.server)(kernel_name=KERNEL_NAME)
            self._managers[k] = km
        papermill.execute_notebook(self._reset_notebook(), None, kernel_name=KERNEL_NAME, progress_bar=False,
                                   log_output=False, request_save_on_cell_execute=False, km=km,
                                   resources={"metadata": {"path": str(self.cwd)}})

    def start(self) -> KernelPool:
        """Start and warm up every kernel in the background."""
        def warm(k: int) -> None:
            try:
                self.reset(k)
            except BaseException as exc:  # reported when the kernel is used
                self.errors.append(exc)
            finally:
                self._ready[k].set()

        self._threads = [threading.Thread(target=warm, args=(k,), daemon=True) for k in range(self.size)]
        for thread in self._threads:
            thread.start()
        return self

    def manager(self, k: int) -> Any:
        """The kernel manager of kernel ``k``, once it is warm."""
        self._ready[k].wait()
        return self._managers[k]

    def shutdown(self, k: int) -> None:
        """Stop kernel ``k`` (nothing when it is not running)."""
        from jupyter_core.utils import run_sync

        km = self._managers[k]
        if km is not None and km.has_kernel:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)

    def close(self) -> None:
        """Stop every kernel."""
        for thread in self._threads:
            thread.join()
        for k in range(self.size):
            self.shutdown(k)

    def __enter__(self) -> KernelPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_notebooks(sources: Sequence[Path], executed_dir: Path, parameters: Mapping[str, Any], cwd: Path,
                  *, progress: bool = True, jobs: int | None = None, pool: KernelPool | None = None,
                  durations: dict[str, float] | None = None, costs: Mapping[str, float] | None = None,
                  first: Collection[str] = (), table_ready: threading.Event | None = None,
                  stop: threading.Event | None = None, on_done: Callable[[str], None] | None = None) -> list[Path]:
    """Run notebooks into ``executed_dir`` on the kernels of ``pool`` (a pool of ``jobs`` kernels is
    started when none is given); return the executed notebooks in order.

    Each kernel takes the next notebook as soon as it is free, the longest first (:func:`run_order`
    with ``costs``, the expected seconds by file name, and ``first``, names taken before the others), so
    the kernels finish at about the same time whatever the notebooks' lengths. With ``table_ready``, a
    notebook that reads the indicator table (:func:`reads_indicator_table`) starts only once the event
    is set; the others may start before. ``on_done`` is called with the file name of each notebook that
    ran without error, as soon as it is done (from a kernel's thread).
    The notebooks must not depend on each other (each one reads the canonical tables and writes its
    own figures). After a failure, or once ``stop`` is set, no further notebook is started, and the
    failure of the first notebook in order is raised (:class:`NotebookFailure`). Each kernel is stopped as soon as no
    notebook is left for it, so that its processor is free for those still running.
    """
    durations = durations if durations is not None else {}
    if pool is None:
        jobs = default_jobs(len(sources)) if jobs is None else max(1, int(jobs))
        with KernelPool(jobs, cwd, executed_dir) as own:
            return run_notebooks(sources, executed_dir, parameters, cwd, progress=progress, pool=own,
                                 durations=durations, costs=costs, first=first, table_ready=table_ready,
                                 stop=stop, on_done=on_done)
    stop = stop if stop is not None else threading.Event()
    failures: dict[int, NotebookFailure] = {}
    crashes: list[BaseException] = []
    pending = run_order(sources, costs, first)
    waits = {i: table_ready is not None and reads_indicator_table(sources[i]) for i in pending}
    lock = threading.Lock()

    def next_notebook() -> int | None:
        while True:
            with lock:
                if stop.is_set() or not pending:
                    return None
                ready = table_ready is None or table_ready.is_set()
                runnable = [i for i in pending if ready or not waits[i]]
                if runnable:
                    pending.remove(runnable[0])
                    return runnable[0]
            table_ready.wait(0.05)  # type: ignore[union-attr]  # only reached while it is unset

    def work(k: int) -> None:
        try:
            km = pool.manager(k)
            n = 0
            while (i := next_notebook()) is not None:
                if n:
                    pool.reset(k)
                n += 1
                source = sources[i]
                start = time.perf_counter()
                bar = {"position": k} if progress and pool.size > 1 else progress
                try:
                    run_notebook(source, executed_dir / source.name, parameters, cwd, bar, km=km)
                except NotebookFailure as failure:
                    failures[i] = failure
                    stop.set()
                    continue
                finally:
                    durations[source.name] = time.perf_counter() - start
                if on_done is not None:
                    on_done(source.name)
            pool.shutdown(k)  # no notebook left for it: its processor is free for the others
        except BaseException as exc:
            crashes.append(exc)
            stop.set()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(min(pool.size, len(sources)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[min(failures)]
    if crashes:
        raise crashes[0]
    if pool.errors:
        raise pool.errors[0]
    return [executed_dir / source.name for source in sources]
