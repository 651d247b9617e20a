"""Benchmark of the 766 index (issue #13) on the bundled sample.

Prints, as medians of several runs: building the model from the canonical tables; the scores of every
month, quarter, half and year of the review year; and ``index766.indicator_rows`` for that year (scores
plus points lost by procedure and by unit for each of its 19 periods, through ``index766.rollup``) and
for every year of the data (what ``cchc indicators`` adds); and the item-by-item ``points_lost`` of one
period the notebook's lists use. ``cchc indicators`` as a whole: ``benchmarks/bench_indicators.py``.

Run from the project root after ``cchc clean`` (default folder ``data/processed``):
``.venv/bin/python benchmarks/bench_index766.py [--processed DIR] [--year 2025] [--repeat 3]``.
Only public tools are used (time.perf_counter, statistics).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc_analysis import index766 as ix  # noqa: E402
from cchc_analysis.periods import periods_of_year  # noqa: E402


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processed", default=str(ROOT / "data" / "processed"))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tables = ix.load_tables(args.processed)
    if "dossiers" not in tables:
        sys.exit(f"error: {args.processed}: không có dossiers.parquet; hãy chạy `cchc clean` trước.")
    periods = periods_of_year(args.year)
    build = _timed(lambda: ix.build(tables), args.repeat)
    scores = _timed(lambda: ix.scores(ix.build(tables), periods), args.repeat)
    rows = _timed(lambda: ix.indicator_rows(tables, args.year), args.repeat)
    years = sorted(set(tables["dossiers"]["received_at"].dropna().dt.year.astype(int)))
    every = _timed(lambda: ix.indicator_rows(tables, years), args.repeat)
    model = ix.build(tables)
    one = _timed(lambda: [ix.points_lost(model, p, by=by) for p in periods[:1] for by in ("procedure", "unit")],
                 args.repeat)
    print(f"dossiers: {len(tables['dossiers']):,}; periods of {args.year}: {len(periods)}")
    print(f"build model            median {build:6.2f} s")
    print(f"scores, 19 periods     median {scores:6.2f} s (build included)")
    print(f"indicator_rows (year)  median {rows:6.2f} s (build, roll-up of scores and points lost by procedure and unit)")
    print(f"indicator_rows, every year {years[0]}-{years[-1]} ({len(years) * len(periods)} periods) median {every:6.2f} s")
    print(f"item-by-item points_lost of one period (procedure and unit) median {one:6.2f} s (notebook lists)")


if __name__ == "__main__":
    main()
