"""The tables of a pack: the indicator table, computed once per run, and the scoreboard.

``indicators.parquet`` is the whole table as computed (every period of every year in the data): the
notebooks read it (parameter ``indicators_file``) instead of computing it again. ``indicators.csv``
holds the rows that belong in the pack (:func:`pack_rows`), for Excel; ``scoreboard.xlsx`` every
milestone on one page per area.

>>> t = pd.DataFrame({"period": ["2025", "2025-H1", "2026", "2026-H1", "2026-Q3"]})
>>> pack_rows(t, Period.parse("2025"))["period"].tolist()
['2025', '2025-H1']
>>> pack_rows(t, Period.parse("2026-H1"))["period"].tolist()
['2025', '2025-H1', '2026-H1']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cchc_analysis.io import write_csv_atomic
from cchc_analysis.periods import Period, PeriodError

INDICATORS_PARQUET = "indicators.parquet"
INDICATORS_CSV = "indicators.csv"
SCOREBOARD_XLSX = "scoreboard.xlsx"


def compute(processed: Path) -> pd.DataFrame:
    """The indicator table of the canonical tables in ``processed`` (every period)."""
    from cchc_analysis import indicators

    return indicators.compute(indicators.load_tables(processed))


def write_indicator_table(table: pd.DataFrame, folder: Path) -> Path:
    """Write the whole table as ``indicators.parquet`` into ``folder`` (what the notebooks read)."""
    from cchc_analysis.quality import write_parquet

    path = Path(folder) / INDICATORS_PARQUET
    write_parquet(path, table)
    return path


def pack_rows(table: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows of the indicator table that belong in the pack of ``period``: every period of the
    programme that ends by the period's end."""
    if table.empty:
        return table
    labels = table["period"].astype(str)
    ends = {}
    for label in labels.unique():
        try:
            ends[label] = Period.parse(label).end
        except (PeriodError, ValueError):  # not a period: kept out of the pack
            ends[label] = None
    keep = labels.map(lambda p: ends[p] is not None and ends[p] <= period.end)
    return table[keep.to_numpy(dtype=bool)].reset_index(drop=True)


def read_tasks(processed: Path) -> pd.DataFrame | None:
    """The task register of the cleaned tables (None when there is none)."""
    path = Path(processed) / "tasks.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def write_pack_tables(table: pd.DataFrame, folder: Path, period: Period,
                      tasks: pd.DataFrame | None = None, processed: Path | None = None) -> dict[str, Path]:
    """Write ``indicators.csv`` and ``scoreboard.xlsx`` of the pack of ``period`` into ``folder``.

    The scoreboard has one sheet per area of the programme (its clauses and tasks, from ``tasks``,
    the task register) and the yearly figures of every indicator
    (:func:`cchc_analysis.scoreboard_areas.write_programme_workbook`); with the ``processed`` folder,
    the yearly sheet says which years before the merger are not on the merged basis.
    """
    from cchc_analysis import indicators, scoreboard, scoreboard_areas
    from cchc_analysis.indicators import merger

    folder = Path(folder)
    rows = pack_rows(table, period).reindex(columns=indicators.COLUMNS)
    csv_path = write_csv_atomic(folder / INDICATORS_CSV, rows)
    basis = None if processed is None else scoreboard.merger_basis(merger.read_unit_tables(processed), period.year)
    xlsx_path = scoreboard_areas.write_programme_workbook(
        table, tasks, period.year, folder / SCOREBOARD_XLSX, period=None if period.kind == "year" else period.label,
        basis=basis)
    return {INDICATORS_CSV: csv_path, SCOREBOARD_XLSX: xlsx_path}
