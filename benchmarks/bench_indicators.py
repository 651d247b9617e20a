"""Benchmark of the indicator table (issue: indicators against milestones).

Prints two figures:

1. ``cchc indicators`` over the bundled sample (five-plus years of a department's data), wall time
   including interpreter start-up, median of several runs (target: under 3 seconds);
2. over 1,000,000 synthetic dossiers: the time of the indicator computation itself against the time
   of reading ``dossiers.parquet`` (target: at most 2x), medians of several runs, each run reading
   then computing (after one warm-up computation), and the median of the runs' ratios.

Run from the project root: ``.venv/bin/python benchmarks/bench_indicators.py [--rows 1000000] [--runs 5]``.
Only public tools are used (subprocess, time.perf_counter).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc_analysis import indicators, schemas  # noqa: E402

FIELDS = ["Lưu thông hàng hóa trong nước", "An toàn thực phẩm", "Điện", "Hóa chất", "Vật liệu nổ công nghiệp",
          "Công nghiệp địa phương", "Xúc tiến thương mại", "Kinh doanh khí"]
STATUSES = ["returned", "resolved", "in_progress", "withdrawn", "rejected", "registered", "supplement"]


def synthetic_dossiers(rows: int, seed: int = 7) -> pd.DataFrame:
    """A canonical dossiers table of ``rows`` rows over 2021-2026 (vectorised, a few seconds)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2021-01-01T00:00")
    received = start + rng.integers(0, 6 * 365 * 24 * 60, rows).astype("timedelta64[m]")
    due = received + rng.integers(3, 30, rows).astype("timedelta64[D]")
    resolved = received + rng.integers(1, 40, rows).astype("timedelta64[D]")
    status = rng.choice(STATUSES, rows, p=[0.6, 0.2, 0.08, 0.04, 0.04, 0.02, 0.02])
    open_ = np.isin(status, ["in_progress", "registered", "supplement", "rejected"])
    frame = pd.DataFrame({
        "dossier_id": pd.Series(np.char.add("000.00.23.H32-", np.arange(rows).astype(str)), dtype="string"),
        "procedure_code": "2.000633",
        "procedure_name": "Cấp Giấy phép bán lẻ sản phẩm rượu",
        "field": rng.choice(FIELDS, rows),
        "unit": rng.choice(["Cơ sở Nha Trang", "Cơ sở Phan Rang", None], rows),
        "channel": rng.choice(["online", "in_person", "postal"], rows, p=[0.7, 0.25, 0.05]),
        "service_level": rng.choice(["full", "partial", "none"], rows),
        "received_at": received,
        "due_at": due,
        "resolved_at": pd.Series(resolved).where(~open_),
        "status": status,
        "fee_required": rng.random(rows) < 0.8,
        "paid_online": rng.random(rows) < 0.5,
        "result_digitized": rng.random(rows) < 0.7,
        "eid_verified": rng.random(rows) < 0.6,
        "applicant_key": None,
        "source": "bench.xlsx#Sheet1:1",
    })
    return schemas.validate("dossiers", frame)


def median_time(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_sample(runs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "cchc_analysis", "clean", str(ROOT / "data/raw/sample"),
                        "--out", tmp, "-q"], check=True, capture_output=True, cwd=ROOT)
        cmd = [sys.executable, "-m", "cchc_analysis", "indicators", "--processed", tmp,
               "--out", str(Path(tmp) / "indicators.csv")]
        return median_time(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT), runs)


def bench_large(rows: int, runs: int) -> tuple[float, float, float]:
    """Medians of the read and of the computation, and of their ratio run by run: each run reads then
    computes, so that a change in the machine's load weighs on both sides of a ratio alike."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dossiers.parquet"
        synthetic_dossiers(rows).to_parquet(path, index=False)
        table = pd.read_parquet(path)
        indicators.compute({"dossiers": table})  # warm-up: imports, registry
        reads, computes = [], []
        for _ in range(runs):
            reads.append(median_time(lambda: pd.read_parquet(path), 1))
            computes.append(median_time(lambda: indicators.compute({"dossiers": table}), 1))
        ratios = [c / r for c, r in zip(computes, reads, strict=True)]
        return statistics.median(reads), statistics.median(computes), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-only", action="store_true", help="skip the bundled-sample figure")
    args = parser.parse_args()
    if not args.large_only:
        sample = bench_sample(args.runs)
        print(f"cchc indicators on the bundled sample (with start-up): median {sample:.2f} s "
              f"(target < 3 s) over {args.runs} runs")
    read, compute, ratio = bench_large(args.rows, args.runs)
    print(f"{args.rows:,} dossiers: read dossiers.parquet median {read:.3f} s; "
          f"indicator computation median {compute:.3f} s")
    print(f"ratio computation / read = {compute / read:.2f} (medians); median of the runs' ratios "
          f"{ratio:.2f} (target <= 2.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
