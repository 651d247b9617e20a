"""The kind protocol: how a kind of export plugs into ``cchc clean``.

A *kind* is one family of exports (``dossiers``, ``report06a``, ``evaluations``, ``survey``,
``budget``, ``payroll``, ``manual``). The pipeline reads every file into :class:`RawSheet` objects
(cells with provenance), asks every registered kind to find its header in each sheet, gives the
sheet to the kind with the best score, and finally calls each kind's ``clean`` once with *all* the
sheets it won in the run (so a kind can de-duplicate across files).

Declaring a kind
----------------
A kind module (``cchc_analysis/ingest/<module>.py``) exposes a module-level tuple ``KINDS`` of
:class:`Kind` objects (a module may declare several kinds, e.g. ``finance`` declares ``budget`` and
``payroll``)::

    KINDS = (
        Kind(
            name="budget",                 # the --kind value and the reconciliation's ``kind``
            tables=("budget",),            # canonical tables it returns (``budget.parquet``)
            clean=clean_budget,            # see below
            required=("unit", "amount"),   # canonical columns that must be found for detection
        ),
    )

and the module is listed in :data:`cchc_analysis.ingest.pipeline.KIND_MODULES`. A module that is
absent (not written yet) is skipped; the other kinds still work.

Header synonyms
---------------
Each kind has a top-level section named after it (or ``Kind.columns``) in
``registry/columns.yaml``, mapping canonical column names to the header spellings seen in exports.
Spellings are compared after :func:`cchc_analysis.ingest.text.fold` (case, diacritics, đ→d,
spacing and punctuation ignored), so one spelling per word order is enough. The sections
``personal`` (names, ID numbers, phones, addresses: read so that a keyed pseudonym can be made,
never written) and ``ignore`` (columns known to carry nothing needed, such as ``STT``) are shared by
every kind. A header found in none of these is reported to the analyst as unknown.

Detection
---------
For each sheet the pipeline calls ``kind.locate(raw, synonyms)`` (default:
:func:`cchc_analysis.ingest.detect.find_header`), which returns a :class:`Header` or ``None``, then
``kind.score(header)`` (default: :func:`default_score`: the number of canonical columns matched, or
0 when a ``required`` column is missing). The highest positive score wins; ``--kind`` skips the
contest. A kind with an unusual layout (form 06a: a three-row merged header and a numbering row)
provides its own ``locate``.

Cleaning
--------
``kind.clean(tables, ctx)`` receives a list of :class:`SheetTable` (one per sheet won, in input
order; title, header, blank, section, total and footer rows already separated from the data rows)
and a :class:`CleanContext`, and returns a :class:`KindResult`:

- ``tables``: canonical frames by table name, with exactly the columns of
  :mod:`cchc_analysis.schemas` (the pipeline validates and writes them);
- ``quarantine``: the rows not kept, as :class:`cchc_analysis.quality.QuarantineRecord` items or a
  frame with :data:`cchc_analysis.quality.QUARANTINE_COLUMNS`; reasons are plain Vietnamese
  sentences;
- ``counts``: one :class:`cchc_analysis.quality.SheetCounts` per sheet received, with
  ``rows_read = rows_kept + rows_quarantined + rows_duplicate`` (the pipeline checks it);
- ``warnings``: sentences for the analyst (unknown headers are added by the pipeline).

A kind never writes files and never reads other kinds' results.

>>> k = Kind(name="demo", tables=("demo",), clean=lambda tables, ctx: KindResult())
>>> k.section
'demo'
>>> default_score(Header(rows=(3,), columns={0: "a", 1: "b"}), required=("a",))
2.0
>>> default_score(Header(rows=(3,), columns={1: "b"}), required=("a",))
0.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis.quality import QuarantineRecord, SheetCounts

__all__ = [
    "CleanContext",
    "Header",
    "Kind",
    "KindResult",
    "RawSheet",
    "SheetTable",
    "default_score",
]


@dataclass
class RawSheet:
    """One sheet (or the single table of a CSV/HTML file) as read, before any header is found.

    Attributes
    ----------
    file : Path
        The file read.
    sheet : str or None
        The sheet name; ``None`` for CSV and HTML files, which have no sheets.
    rows : list of list
        Cell values row by row, as read: ``str`` (blank cells are ``""``; legacy-font cells already
        converted when the file has fonts; other text is normalised column by column when the table
        is built), ``float``/``int``, ``bool``, ``datetime.datetime``/``datetime.date`` or ``None``.
        Rows may have different lengths. Released (emptied) once the table is built.
    row_numbers : Sequence[int]
        The 1-based row number, as the analyst sees it, of every element of ``rows``
        (spreadsheet row; CSV record number with the header as 1; HTML ``<tr>`` index).
    fmt : str
        What the content turned out to be: ``xlsx``, ``xls``, ``ods``, ``html``, ``csv``.
    merged : list of tuple
        Merged ranges ``((row0, col0), (row1, col1))`` as indexes into ``rows`` (0-based).
    cache : dict
        Scratch space of the header finder (header candidates shared between kinds).
    tail : ColumnTail or None
        For a big sheet read column-wise (:mod:`cchc_analysis.ingest.read_fast`), the rows below
        ``rows``, column by column; ``row_numbers`` then covers ``rows`` and the tail.
    """

    file: Path
    sheet: str | None
    rows: list[list[Any]]
    row_numbers: Sequence[int]
    fmt: str = ""
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    tail: Any = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        """``FILE#SHEET`` (``FILE`` alone without a sheet), the prefix of ``source`` values."""
        return self.file.name if self.sheet is None else f"{self.file.name}#{self.sheet}"


@dataclass
class Header:
    """Where a header was found in a :class:`RawSheet` and what its columns mean.

    Attributes
    ----------
    rows : tuple of int
        Indexes (0-based, into ``RawSheet.rows``) of the header rows; the data start after the last.
    columns : dict
        Column index → canonical name, for the kind's own columns.
    personal : dict
        Column index → canonical personal name (``applicant_name``, ``applicant_id``…).
    ignored : dict
        Column index → header text of columns known to carry nothing needed.
    unknown : dict
        Column index → header text (as written) of headers matched by no synonym.
    labels : dict
        Column index → the header text as written (flattened for multi-row headers).
    skip_rows : tuple of int
        Indexes of rows after the header that belong to it (e.g. a numbering row ``(1) (2) …``).
    """

    rows: tuple[int, ...]
    columns: dict[int, str]
    personal: dict[int, str] = field(default_factory=dict)
    ignored: dict[int, str] = field(default_factory=dict)
    unknown: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    skip_rows: tuple[int, ...] = ()

    @property
    def last_row(self) -> int:
        """Index of the last row belonging to the header (numbering rows included)."""
        return max(self.rows + self.skip_rows)


@dataclass
class SheetTable:
    """A sheet with its header found: what a kind's ``clean`` receives.

    Attributes
    ----------
    raw : RawSheet
        The sheet as read (provenance: ``raw.file``, ``raw.sheet``).
    header : Header
        The header found.
    data : pandas.DataFrame
        The data rows: one column per canonical name found, raw cell values (object dtype; text NFC,
        legacy encodings converted, invisible characters removed, spaces tidied; blank cells None),
        the personal columns ``applicant_id``, ``applicant_name`` and ``applicant_phone`` exactly as
        read (only to be keyed), and ``row``: the spreadsheet's own 1-based row number.
    layout : pandas.DataFrame
        Rows that are not data but that a kind may check (``section`` and ``total`` rows), same
        columns as ``data`` plus ``role`` (``section``/``total``). Titles, blanks and footers are dropped.
    title : list of str
        The texts of the rows above the header (report period, unit…), in order.
    """

    raw: RawSheet
    header: Header
    data: pd.DataFrame
    layout: pd.DataFrame
    title: list[str] = field(default_factory=list)

    @property
    def file(self) -> Path:
        return self.raw.file

    @property
    def sheet(self) -> str | None:
        return self.raw.sheet


@dataclass
class CleanContext:
    """What the pipeline lends to a kind's ``clean``.

    Attributes
    ----------
    applicant_key : callable
        ``applicant_key(id_numbers, names, phones) -> Series`` of keyed pseudonyms (see
        :mod:`cchc_analysis.ingest.privacy`); any argument may be ``None``.
    progress : callable
        ``progress(n)`` advances the row progress bar by ``n`` rows (no-op when quiet).
    """

    applicant_key: Callable[..., pd.Series]
    progress: Callable[[int], None] = lambda n: None


@dataclass
class KindResult:
    """What a kind's ``clean`` returns (see the module docstring)."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: list[QuarantineRecord] | pd.DataFrame = field(default_factory=list)
    counts: list[SheetCounts] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def default_score(header: Header, required: Sequence[str] = ()) -> float:
    """Score a found header: how many distinct canonical columns matched; 0 if a required one is missing.

    >>> default_score(Header(rows=(0,), columns={0: "x", 1: "x", 2: "y"}))
    2.0
    """
    found = set(header.columns.values())
    if any(name not in found for name in required):
        return 0.0
    return float(len(found))


@dataclass(frozen=True)
class Kind:
    """A kind of export: its name, the tables it makes, how it is detected and cleaned.

    Attributes
    ----------
    name : str
        ``dossiers``, ``report06a``, ``evaluations``, ``survey``, ``budget``, ``payroll``, ``manual``.
    tables : tuple of str
        The canonical tables ``clean`` returns (Parquet file stems).
    clean : callable
        ``clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult``.
    required : tuple of str
        Canonical columns that must be found for the kind to claim a sheet.
    columns : str or None
        The section of ``registry/columns.yaml`` holding the header synonyms (default: ``name``).
    locate : callable or None
        ``locate(raw: RawSheet, synonyms: Mapping[str, str]) -> Header | None``; ``None`` uses the
        generic header finder. ``synonyms`` maps folded spellings to canonical names.
    score : callable or None
        ``score(header: Header) -> float``; ``None`` uses :func:`default_score` with ``required``.
    """

    name: str
    tables: tuple[str, ...]
    clean: Callable[[list[SheetTable], CleanContext], KindResult]
    required: tuple[str, ...] = ()
    columns: str | None = None
    locate: Callable[[RawSheet, Mapping[str, str]], Header | None] | None = None
    score: Callable[[Header], float] | None = None

    @property
    def section(self) -> str:
        """The ``columns.yaml`` section of this kind."""
        return self.columns or self.name

    def header_score(self, header: Header) -> float:
        """Detection score of ``header`` for this kind (higher wins; 0 means not this kind)."""
        if self.score is not None:
            return float(self.score(header))
        return default_score(header, self.required)
