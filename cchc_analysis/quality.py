"""Quarantine and reconciliation records: every input row accounted for.

A row read from an export is either kept, quarantined (``quarantine.csv``: where it was, which
value, why, in a plain Vietnamese sentence) or a duplicate of a kept row. ``reconciliation.csv``
balances the three for every file and sheet.

>>> c = SheetCounts("a.xlsx", "Sheet1", "dossiers", rows_read=5, rows_kept=3, rows_quarantined=1,
...                 rows_duplicate=1)
>>> c.balanced
True
>>> quarantine_frame([QuarantineRecord("a.csv", None, 7, "dossier_id", None, "Thiếu mã hồ sơ.")]).shape
(1, 6)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from cchc_analysis.io import write_bytes_atomic, write_csv_atomic

QUARANTINE_COLUMNS = ["file", "sheet", "row", "column", "value", "reason"]
RECONCILIATION_COLUMNS = ["file", "sheet", "kind", "rows_read", "rows_kept", "rows_quarantined", "rows_duplicate"]
#: Columns after the counts: the period a sheet's rows were placed in (form 06a: its reporting period or,
#: when it matches none, its window as written) and a note for the analyst (a plain Vietnamese sentence).
RECONCILIATION_EXTRA = ["period", "note"]


@dataclass(frozen=True)
class QuarantineRecord:
    """One input row not kept.

    Attributes
    ----------
    file, sheet : str, str or None
        File name and sheet (``None`` for CSV and HTML).
    row : int
        The spreadsheet's own 1-based row number.
    column : str or None
        The canonical column at fault (``None`` when the whole row is at fault).
    value : object
        The raw value at fault, as read.
    reason : str
        A plain Vietnamese sentence.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    reason: str


@dataclass
class SheetCounts:
    """Rows read, kept, quarantined and duplicated for one file and sheet."""

    file: str
    sheet: str | None
    kind: str
    rows_read: int = 0
    rows_kept: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    period: str | None = None
    note: str | None = None

    @property
    def balanced(self) -> bool:
        """``rows_read == rows_kept + rows_quarantined + rows_duplicate``."""
        return self.rows_read == self.rows_kept + self.rows_quarantined + self.rows_duplicate


def quarantine_frame(records: Iterable[QuarantineRecord] | pd.DataFrame | None) -> pd.DataFrame:
    """Return quarantine records as a frame with :data:`QUARANTINE_COLUMNS` (values as text).

    >>> quarantine_frame(None).columns.tolist()
    ['file', 'sheet', 'row', 'column', 'value', 'reason']
    """
    if isinstance(records, pd.DataFrame):
        frame = records.reindex(columns=QUARANTINE_COLUMNS)
    else:
        frame = pd.DataFrame([asdict(r) for r in records or ()], columns=QUARANTINE_COLUMNS)
    frame = frame.astype({"row": "Int64"})
    frame["value"] = frame["value"].map(_value_text, na_action="ignore").astype("string")
    for col in ("file", "sheet", "column", "reason"):
        frame[col] = frame[col].astype("string")
    return frame


def _value_text(value: object) -> str | None:
    """Text of a raw value for the quarantine list (``2.0`` → ``2``; dates as ``dd/mm/yyyy HH:MM:SS``).

    >>> _value_text(2.0), _value_text("31/02/2024")
    ('2', '31/02/2024')
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


def reconciliation_frame(counts: Iterable[SheetCounts]) -> pd.DataFrame:
    """Return counts as a frame with :data:`RECONCILIATION_COLUMNS`, one row per file and sheet.

    >>> reconciliation_frame([SheetCounts("a.csv", None, "dossiers", 2, 2)]).rows_read.tolist()
    [2]
    """
    frame = pd.DataFrame([asdict(c) for c in counts], columns=RECONCILIATION_COLUMNS + RECONCILIATION_EXTRA)
    for col in RECONCILIATION_COLUMNS[3:]:
        frame[col] = frame[col].astype("int64")
    return frame


def unbalanced(counts: Iterable[SheetCounts]) -> list[SheetCounts]:
    """The counts that do not balance (should always be empty).

    >>> unbalanced([SheetCounts("a", None, "k", 3, 1)])[0].rows_read
    3
    """
    return [c for c in counts if not c.balanced]


# --- vocabulary gaps ---

_GAP_RE = r"\(vocab\.yaml: ([A-Za-z_]+)\)"


def vocabulary_gaps(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Rows quarantined for an unknown label, one line per label: ``label``, ``rows``, ``key``.

    An unknown label is a gap in ``registry/vocab.yaml``, not N bad rows: the reasons of such rows
    name the key to extend (``(vocab.yaml: channel)``), and this groups them by value and key, most
    rows first.

    >>> q = pd.DataFrame({"value": ["Fax", "Fax", "x"], "reason": [
    ...     "Hình thức nộp không nhận ra: nhãn chưa có trong danh mục (vocab.yaml: channel).",
    ...     "Hình thức nộp không nhận ra: nhãn chưa có trong danh mục (vocab.yaml: channel).", "Thiếu mã hồ sơ."]})
    >>> vocabulary_gaps(q).values.tolist()
    [['Fax', 2, 'channel']]
    """
    columns = ["label", "rows", "key"]
    if quarantine is None or quarantine.empty:
        return pd.DataFrame(columns=columns)
    key = quarantine["reason"].astype("string").str.extract(_GAP_RE, expand=False)
    hit = key.notna()
    if not hit.any():
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"label": quarantine.loc[hit, "value"].astype("string").fillna(""), "key": key[hit]})
    gaps = frame.groupby(["label", "key"], sort=False).size().rename("rows").reset_index()
    gaps = gaps.sort_values(["rows", "key", "label"], ascending=[False, True, True], kind="stable")
    return gaps[columns].reset_index(drop=True)


def gap_lines(gaps: pd.DataFrame) -> list[str]:
    """One Vietnamese line per unknown label: ``«X»: 25 dòng (vocab.yaml: channel)``.

    >>> gap_lines(pd.DataFrame({"label": ["Fax"], "rows": [1200], "key": ["channel"]}))
    ['«Fax»: 1.200 dòng (vocab.yaml: channel)']
    """
    return [f"«{g['label']}»: {int(g['rows']):,} dòng (vocab.yaml: {g['key']})".replace(",", ".")
            for g in gaps.to_dict("records")]


# --- outputs (atomic and formula-safe writing lives in cchc_analysis.io) ---


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write a CSV for analysts (UTF-8 with BOM, formulas escaped, atomic): quarantine, reconciliation.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "q.csv"
    >>> write_csv(p, pd.DataFrame({"value": ["=HYPERLINK(1)"]}))
    >>> p.read_bytes()
    b"\\xef\\xbb\\xbfvalue\\n'=HYPERLINK(1)\\n"
    """
    write_csv_atomic(path, frame)


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write a Parquet file deterministically (no index, no wall-clock metadata), atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    write_bytes_atomic(path, sink.getvalue().to_pybytes())
