"""Merger-comparable series: on what basis each year before the merger of 01/07/2025 is computed.

From 01/07/2025 Khánh Hòa merged with Ninh Thuận; ``registry/units.yaml`` maps each unit of the former
Ninh Thuận department to its successor. Totals of dossiers, budget and payroll add the merged-in units
in every year where their rows are present (their names are mapped by
:func:`cchc_analysis.indicators.counting.comparable_units`), so baselines are on the merged basis where
the data allow. This module says, year by year, whether they do:

* ``merged``   every merged-in unit expected in the table has rows in the year (or the year is after
  the merger): the figure covers the merged Department;
* ``partial``  some merged-in units have rows in the year, not all;
* ``own_only`` none has: the figure covers the Khánh Hòa units alone.

A merged-in unit is expected in a table when it or its successor appears in that table (a payroll list
with the successor centre expects the predecessor centre before the merger; a dossier list whose
receiving units are the Khánh Hòa ones only expects nothing and is ``own_only`` before the merger).

>>> import pandas as pd
>>> merges = [{"from": "TT A Ninh Thuận", "to": "TT A", "effective": "2025-07-01"}]
>>> pay = pd.DataFrame({"unit": ["TT A", "TT A Ninh Thuận", "TT A", "TT A"], "year": [2023, 2023, 2024, 2025]})
>>> year_basis(pay["unit"], pay["year"], merges)
{2023: 'merged', 2024: 'own_only', 2025: 'own_only'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cchc_analysis import registry
from cchc_analysis.ingest.text import fold

__all__ = ["BASIS_VI", "COLUMNS", "basis_sentence", "comparability", "read_unit_tables", "year_basis"]

COLUMNS = ["indicator_id", "period", "comparable", "note_vi"]

#: The basis of a year, as the analyst reads it (charts' footnotes, the scoreboard).
BASIS_VI = {
    "merged": "đã gồm các đơn vị sáp nhập từ Ninh Thuận",
    "partial": "chỉ gồm một phần các đơn vị sáp nhập từ Ninh Thuận",
    "own_only": "chỉ gồm các đơn vị của Khánh Hòa (chưa có số liệu các đơn vị sáp nhập từ Ninh Thuận)",
}

#: Tables with a unit column, and how their rows are dated.
_SOURCES = {"dossiers": ("unit", "received_at"), "budget": ("unit", "year"), "payroll": ("unit", "year")}


def _merges(merges: Sequence[Mapping] | None) -> list[Mapping]:
    return list(registry.load("units").get("merges") or []) if merges is None else list(merges)


def year_basis(units: pd.Series, years: pd.Series, merges: Sequence[Mapping] | None = None) -> dict[int, str]:
    """The basis of each year of a table: ``merged``, ``partial`` or ``own_only`` (see the module docstring).

    Parameters
    ----------
    units : pandas.Series
        The unit of each row, as written (names are compared after folding).
    years : pandas.Series
        The year of each row.
    merges : list of mapping, optional
        ``from``, ``to``, ``effective`` (ISO date); default ``registry/units.yaml``.
    """
    merges = _merges(merges)
    year_values = pd.to_numeric(years, errors="coerce")
    present = sorted({int(y) for y in year_values.dropna()})
    # each distinct (unit, year) once: a dossier list repeats a few names over thousands of rows
    pairs = pd.DataFrame({"unit": units.astype("string"), "year": year_values}).drop_duplicates()
    folds = {u: fold(u) for u in pairs["unit"].fillna("").unique()}
    names = set(folds.values())
    seen = {(folds[u], float(y)) for u, y in zip(pairs["unit"].fillna(""), pairs["year"], strict=True) if pd.notna(y)}
    expected = [m for m in merges if fold(m["to"]) in names or fold(m["from"]) in names]
    out = {}
    for year in present:
        before = [m for m in expected if _before_merger(year, m)]
        if not [m for m in merges if _before_merger(year, m)]:
            out[year] = "merged"
            continue
        have = [m for m in before if (fold(m["from"]), float(year)) in seen]
        if before and len(have) == len(before):
            out[year] = "merged"
        else:
            out[year] = "partial" if have else "own_only"
    return out


def _before_merger(year: int, merge: Mapping) -> bool:
    """Whether ``year`` has days before the merge took effect."""
    effective = pd.Timestamp(str(merge.get("effective") or "1900-01-01"))
    return year < effective.year or (year == effective.year and (effective.month, effective.day) != (1, 1))


def basis_sentence(basis: Mapping[int, str]) -> str | None:
    """One Vietnamese sentence on the years not on the merged basis; None when every year is.

    >>> basis_sentence({2021: "own_only", 2022: "own_only", 2023: "partial", 2025: "merged"})
    'Số liệu năm 2021, 2022 chỉ gồm các đơn vị của Khánh Hòa (chưa có số liệu các đơn vị sáp nhập từ Ninh Thuận); năm 2023 chỉ gồm một phần các đơn vị sáp nhập từ Ninh Thuận: so sánh với các năm sau ngày sáp nhập 01/07/2025 chưa cùng phạm vi.'
    >>> basis_sentence({2024: "merged"}) is None
    True
    """
    parts = []
    for flag in ("own_only", "partial"):
        years = sorted(y for y, f in basis.items() if f == flag)
        if years:
            parts.append(f"năm {', '.join(str(y) for y in years)} {BASIS_VI[flag]}")
    if not parts:
        return None
    return f"Số liệu {'; '.join(parts)}: so sánh với các năm sau ngày sáp nhập 01/07/2025 chưa cùng phạm vi."


def comparability(tables: Mapping[str, pd.DataFrame], registry_data: Mapping[str, Any] | None = None,
                  merges: Sequence[Mapping] | None = None) -> pd.DataFrame:
    """One row per indicator and year of a table with units: ``comparable`` and a Vietnamese ``note_vi``.

    Indicators read their table from the registry's ``source`` (dossiers, budget, payroll); others
    (manual sheet, catalogue, tasks) have no unit to compare and get no row.
    """
    reg = registry_data if registry_data is not None else registry.load("indicators")
    rows = []
    for table_name, (unit_col, date_col) in _SOURCES.items():
        frame = tables.get(table_name)
        if frame is None or frame.empty or unit_col not in frame or date_col not in frame:
            continue
        years = frame[date_col] if date_col == "year" else pd.to_datetime(frame[date_col]).dt.year
        basis = year_basis(frame[unit_col], years, merges)
        for ind, spec in (reg.get("indicators") or {}).items():
            if spec.get("source") != table_name:
                continue
            rows += [{"indicator_id": ind, "period": str(y), "comparable": f, "note_vi": BASIS_VI[f]}
                     for y, f in basis.items()]
    return pd.DataFrame(rows, columns=COLUMNS)


def read_unit_tables(processed: Any) -> dict[str, pd.DataFrame]:
    """The unit and date columns of the canonical tables in ``processed`` (what :func:`comparability` reads).

    Missing or unreadable tables are left out (the pack then shows no basis for them).
    """
    from pathlib import Path

    out = {}
    for name, columns in _SOURCES.items():
        path = Path(processed) / f"{name}.parquet"
        if not path.exists():
            continue
        try:
            out[name] = pd.read_parquet(path, columns=list(columns))
        except (OSError, ValueError, KeyError):
            continue
    return out
