"""Benchmark of ``cchc report`` on the bundled sample (a script, not a timed test).

Measures, as medians of a few runs, the wall time of:

* ``first``: ``cchc report --year 2025`` from the raw exports into a fresh (empty) processed folder
  and a fresh pack folder;
* ``second``: the same command again with unchanged raw data: the pack is up to date, nothing runs;
* ``forced``: the same again with ``CCHC_REPORT_FORCE=1``: no cleaning, but every notebook runs;
* ``floor``: running the same number of empty notebooks (one code cell) through papermill with the same
  kernel, from a fresh interpreter: kernel start-up is the floor no report can go under.

and prints the ratios against the floor (targets: first ≤ 2×, the rerun on unchanged data well under
the floor) and the peak memory of the child processes. The floor, a chain of kernel start-ups, moves
with the machine's load more than the report does; the first run's ratio is therefore also printed run
by run, each over the floor measured just before it.

Usage::

    .venv/bin/python benchmarks/bench_report.py [--runs 3] [--raw data/raw]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc_analysis.pack import NOTEBOOKS  # noqa: E402

FLOOR_SCRIPT = """
import sys, papermill
for src in sys.argv[2:]:
    papermill.execute_notebook(src, src + ".out.ipynb", kernel_name="python3", cwd=sys.argv[1],
                               progress_bar=False, request_save_on_cell_execute=False)
"""


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "TQDM_DISABLE": "1", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    env.pop("CCHC_REPORT_FORCE", None)
    return {**env, **extra}


def _timed(cmd: list[str], cwd: Path, **extra: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=_env(**extra), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"command failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return elapsed


def empty_notebooks(folder: Path, count: int) -> list[Path]:
    """``count`` notebooks with one code cell each."""
    import nbformat

    paths = []
    for i in range(count):
        book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"empty_{i}.ipynb"
        nbformat.write(book, str(path))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (median)")
    parser.add_argument("--raw", default=str(ROOT / "data" / "raw"), help="raw exports")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    try:
        processed, out = work / "processed", work / "reports" / "2025"
        params = work / "params.yaml"
        params.write_text(json.dumps({"year": 2025, "raw_dir": str(Path(args.raw).resolve()),
                                      "processed_dir": str(processed)}), encoding="utf-8")
        command = [sys.executable, "-m", "cchc_analysis", "report", "--params", str(params), "--out", str(out),
                   "-q"]
        nb_folder = work / "empty"
        nb_folder.mkdir()
        notebooks = empty_notebooks(nb_folder, len(NOTEBOOKS))
        floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(nb_folder), *map(str, notebooks)]

        times: dict[str, list[float]] = {"floor": [], "first": [], "second": [], "forced": []}
        for run in range(args.runs):
            times["floor"].append(_timed(floor_cmd, ROOT))
            shutil.rmtree(processed, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            times["first"].append(_timed(command, ROOT))
            times["second"].append(_timed(command, ROOT))
            times["forced"].append(_timed(command, ROOT, CCHC_REPORT_FORCE="1"))
            print(f"run {run + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
                  flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print()
        print(f"notebooks: {len(NOTEBOOKS)}; runs: {args.runs}")
        print(f"floor  (empty notebooks through papermill): median {med['floor']:.2f} s")
        print(f"first  (cchc report from raw exports):      median {med['first']:.2f} s")
        print(f"second (cchc report, raw data unchanged):   median {med['second']:.2f} s")
        print(f"forced (second run, every notebook re-run): median {med['forced']:.2f} s")
        print(f"ratio first/floor:  {med['first'] / med['floor']:.2f}  (target ≤ 2)")
        pairs = [f / g for f, g in zip(times["first"], times["floor"], strict=True)]
        print(f"  run by run (each first run over the floor measured just before it): median "
              f"{statistics.median(pairs):.2f}; {', '.join(f'{r:.2f}' for r in pairs)}")
        print(f"ratio second/floor: {med['second'] / med['floor']:.2f}  (the pack is up to date: nothing runs)")
        print(f"ratio forced/floor: {med['forced'] / med['floor']:.2f}  (same target, without the up-to-date check)")
        print(f"processors: {os.cpu_count()}; load average at the end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"peak memory of a child process: {peak_mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
