"""``Faults`` (kept in arrays) records what the first pandas version recorded: the first failing check of
each row, its column and reason, NA masks as passing, a row given no reason left open."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from cchc_analysis.ingest.base import Header, RawSheet, SheetTable
from cchc_analysis.ingest.kit import Faults


class _SeriesFaults:
    """The reference: column and reason kept as ``string`` Series, every check aligned by pandas."""

    def __init__(self, data: pd.DataFrame) -> None:
        self.column = pd.Series(pd.NA, index=data.index, dtype="string")
        self.reason = pd.Series(pd.NA, index=data.index, dtype="string")

    def add(self, mask, column, reason) -> None:
        new = mask.fillna(False).astype(bool) & self.reason.isna()
        if not new.any():
            return
        self.column[new] = column
        self.reason[new] = reason[new] if isinstance(reason, pd.Series) else reason


def _mask(rng: random.Random, index: pd.Index) -> pd.Series:
    values = [rng.choice([True, False, False, None]) for _ in index]
    kind = rng.choice(["bool", "boolean", "object"])
    if kind == "bool":
        return pd.Series([bool(v) for v in values], index=index)
    return pd.Series(values, index=index, dtype="boolean" if kind == "boolean" else object)


def _reason(rng: random.Random, index: pd.Index, step: int):
    if rng.random() < 0.5:
        return f"Lỗi {step}."
    return pd.Series([rng.choice([f"Lỗi {step} dòng {i}.", None]) for i in range(len(index))], index=index,
                     dtype="string")


def test_faults_keep_the_first_failing_check_like_the_series_version():
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(0, 12)
        index = pd.Index(rng.sample(range(100), n)) if rng.random() < 0.5 else pd.RangeIndex(n)
        data = pd.DataFrame({"row": range(2, n + 2), "a": [rng.choice(["x", None]) for _ in range(n)]}, index=index)
        faults, reference = Faults(data), _SeriesFaults(data)
        for step in range(rng.randint(1, 5)):
            mask, reason = _mask(rng, index), _reason(rng, index, step)
            column = rng.choice(["a", "b", None])
            faults.add(mask, column, reason)
            reference.add(mask, column, reason)
        pd.testing.assert_series_equal(faults.reason, reference.reason)
        pd.testing.assert_series_equal(faults.column, reference.column)
        pd.testing.assert_series_equal(faults.failed, reference.reason.notna())
        table = SheetTable(RawSheet(Path("t.xlsx"), "S", [], []), Header(rows=(0,), columns={}), data, pd.DataFrame())
        pd.testing.assert_frame_equal(faults.records(table), _records(reference, data, table))


def _records(reference: _SeriesFaults, data: pd.DataFrame, table: SheetTable) -> pd.DataFrame:
    """The quarantine records as first made, from the reference's Series."""
    from cchc_analysis.quality import QUARANTINE_COLUMNS

    failed = reference.reason.notna()
    column = reference.column[failed]
    values = [data.at[i, c] if c in data.columns else None for i, c in zip(column.index, column, strict=True)]
    return pd.DataFrame({
        "file": table.file.name, "sheet": table.sheet, "row": data.loc[failed, "row"].to_numpy(),
        "column": column.to_numpy(), "value": values, "reason": reference.reason[failed].to_numpy(),
    }, columns=QUARANTINE_COLUMNS)  # fmt: skip


def test_faults_records_name_the_failing_cells():
    data = pd.DataFrame({"row": [4, 5, 6], "a": ["x", None, "z"]}, index=[10, 11, 12])
    faults = Faults(data)
    faults.add(pd.Series([False, True, True], index=data.index), "a", "Thiếu a.")
    faults.add(pd.Series([True, True, False], index=data.index), None, pd.Series(["Dòng lỗi.", "Khác.", None],
                                                                                  index=data.index, dtype="string"))
    table = SheetTable(RawSheet(Path("t.xlsx"), "S", [], []), Header(rows=(0,), columns={}), data, pd.DataFrame())
    records = faults.records(table)
    assert records["row"].tolist() == [4, 5, 6]
    assert records["reason"].tolist() == ["Dòng lỗi.", "Thiếu a.", "Thiếu a."]
    assert records["value"].isna().tolist() == [True, True, False] and records["value"][2] == "z"
    assert records["column"].isna().tolist() == [True, False, False]
