"""Budget and payroll sheets kept by the office: units × funding × years.

Both are *matrix* sheets: text columns on the left (STT, unit or category, funding) and, per year, one
or two value columns under a two-row header (``Quyết toán`` over ``Năm 2021 … 2025`` and ``Dự toán
2026``; ``Năm 2021`` over ``Biên chế được giao`` / ``Số có mặt``). A header naming a measure
(``registry/columns.yaml``: ``budget_stages``, ``payroll_measures``) and a year is a value column; a
measure without a year takes the single year of the title block.

Rows below the header:

- a *section* row (``I``, ``II``… in STT, or a lone label the header finder takes for a section)
  names the unit of the rows under it (budget) and may carry their subtotal; letters (``A``, ``B``)
  group the sections numbered ``I``, ``II``…;
- a *total* row (``Tổng cộng``) and the subtotals of section rows are checked against the data
  rows; a disagreement is reported in ``quarantine.csv`` (the rows themselves are kept);
- a *data* row is any other row with at least one figure: it is one row read, however many years it
  spans (it yields one record per non-blank value column). A blank unit cell is carried down from
  the row above (merged cells). Rows without figures (notes, signatures) are not data rows.

Amounts are read as numbers or as Vietnamese text (``2.838,0``, ``441,5``; see
:func:`~cchc_analysis.ingest.numbers.parse_numbers`) and converted to whole đồng with the ``Đơn vị
tính`` of the title block or of the header (``triệu đồng`` × 1 000 000; ``registry/vocab.yaml``:
``amount_unit``). A sheet that does not say its unit is quarantined rather than guessed. A sheet
without a category column (units × funding only) gives the category :data:`WHOLE_SPENDING`.
Funding: ``NSNN`` → ``state_budget``, ``Nguồn thu sự nghiệp`` / ``Tự chủ`` → ``own_revenue``,
anything else or blank → ``other`` (``vocab.yaml``: ``funding``); a payroll sheet without a funding
column is taken as state-funded (with a warning).

A row that repeats the key of a row of another sheet (same unit, category and funding; same unit
and funding for payroll) adds only what is new: identical figures make it a duplicate, different
figures for the same year quarantine it (see :func:`~cchc_analysis.ingest.kit.split_overlaps`).
Within one payroll sheet, two rows of the same unit and funding add up.

>>> parse_numbers(pd.Series(["2.838,0", "441,5", 3700.4, "1.921", "-", "x"], dtype=object))[0].tolist()
[2838.0, 441.5, 3700.4, 1921.0, nan, nan]
>>> format_vn(11838.2), format_vn(4094600000.0), format_vn(-0.5)
('11.838,2', '4.094.600.000', '-0,5')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, partial

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, RawSheet, SheetTable
from cchc_analysis.ingest.detect import find_header
from cchc_analysis.ingest.kit import PatternSynonyms, split_overlaps
from cchc_analysis.ingest.labels import map_vocab
from cchc_analysis.ingest.numbers import as_text, format_vn, parse_numbers
from cchc_analysis.ingest.text import fold, fold_key
from cchc_analysis.quality import QuarantineRecord, SheetCounts
from cchc_analysis.registry import load

__all__ = ["KINDS", "clean_budget", "clean_payroll", "money_factor", "value_column"]

BUDGET_COLUMNS = ["unit", "year", "category", "funding", "stage", "amount_vnd"]
PAYROLL_COLUMNS = ["unit", "year", "funding", "headcount_assigned", "headcount_actual"]
TEXT_COLUMNS = ("seq", "unit", "category", "funding", "note")
#: The category of a sheet that gives no spending category (units × funding only).
WHOLE_SPENDING = "Tổng kinh phí"

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# Words that may surround a measure and a year in one header cell ("Quyết toán năm 2021 (triệu đồng)").
_FILLER_RE = re.compile(r"(?:nam|kinhphi|sotien|trieudong|nghindong|tydong|dong|trd|nguoi)*")
_VALUE_NAME_RE = re.compile(r"^(?P<measure>[a-z_]+)_(?P<year>\d{4})$")
_ROMAN_SEQ_RE = re.compile(r"[IVXLC]{1,7}\.?")
_LETTER_SEQ_RE = re.compile(r"[A-Z]\.?")
_ROMAN_PREFIX_RE = re.compile(r"^(?:[IVXLC]{1,7}|[A-Z])\s*[.)/:-]\s+")
_BULLET_RE = re.compile(r"^[-+•*–—]+\s*")


# --- header: measure and year columns ---


@cache
def _measure_phrases(section: str) -> tuple[tuple[str, str], ...]:
    """(folded phrase, measure) of a ``columns.yaml`` section, longest phrase first."""
    entries = load("columns").get(section) or {}
    pairs = {(fold_key(str(s)), measure) for measure, spellings in entries.items() for s in spellings}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@cache
def _measure_finder(section: str) -> re.Pattern[str]:
    """A pattern found in a key exactly when one of the section's measure phrases is in it."""
    phrases = [phrase for phrase, _ in _measure_phrases(section)]
    return re.compile("|".join(map(re.escape, phrases))) if phrases else re.compile(r"(?!)")


def value_column(key: str, section: str, default_year: str | None = None) -> str | None:
    """The canonical name (``measure_year``) of a value column, from its folded header key.

    Parameters
    ----------
    key : str
        The header as :func:`~cchc_analysis.ingest.text.fold_key` gives it.
    section : str
        The ``columns.yaml`` section listing the measures (``budget_stages``, ``payroll_measures``).
    default_year : str, optional
        The year to use when the header names none (the single year of the title block).

    >>> value_column(fold_key("Quyết toán / Năm 2021"), "budget_stages")
    'actual_2021'
    >>> value_column(fold_key("Năm 2024 Số có mặt"), "payroll_measures")
    'headcount_actual_2024'
    >>> value_column(fold_key("Dự toán"), "budget_stages", "2026"), value_column("nam2021", "budget_stages")
    ('plan_2026', None)
    """
    named = _YEAR_RE.findall(key)
    years = set(named)
    if len(years) > 1:
        return None
    year = years.pop() if years else default_year
    if year is None:
        return None
    rest = _YEAR_RE.sub("", key) if named else key
    if not _measure_finder(section).search(rest):  # no measure phrase at all
        return None
    for phrase, measure in _measure_phrases(section):
        if phrase in rest and _FILLER_RE.fullmatch(rest.replace(phrase, "", 1)):
            return f"{measure}_{year}"
    return None


def _split_value(name: str) -> tuple[str, int] | None:
    match = _VALUE_NAME_RE.match(name)
    return (match["measure"], int(match["year"])) if match else None


def _title_year(raw: RawSheet) -> str | None:
    """The single year named in the rows above the table (rows with at most two filled cells)."""
    years: set[str] = set()
    for row in raw.rows[:30]:
        filled = [v for v in row if v not in ("", None)]
        if len(filled) > 2:
            break
        years.update(y for v in filled if isinstance(v, str) for y in _YEAR_RE.findall(v))
    return years.pop() if len(years) == 1 else None


def _locate(raw: RawSheet, synonyms: Mapping[str, str], measures: str) -> Header | None:
    resolve = partial(value_column, section=measures, default_year=_title_year(raw))
    header = find_header(raw, PatternSynonyms(synonyms, resolve))
    if header is None or not any(_split_value(n) for n in header.columns.values()):
        return None
    return header


def _score(header: Header, needs: frozenset[str]) -> float:
    names = set(header.columns.values())
    if not any(_split_value(n) for n in names) or not names & needs:
        return 0.0
    return float(len(names))


# --- the amount unit ---


@cache
def _unit_phrases() -> tuple[tuple[str, float], ...]:
    entry = load("vocab")["amount_unit"]["labels"]
    pairs = {(fold(str(s)), float(factor)) for factor, spellings in entry.items() for s in spellings}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


_UNIT_LINE_RE = re.compile(r"\b(?:don vi tinh|dvt|don vi)\b\s*(.*)")


def money_factor(lines: list[str]) -> float | None:
    """The factor to đồng named by an ``Đơn vị tính`` line or a header note ``(triệu đồng)``.

    >>> money_factor(["TỔNG HỢP KINH PHÍ", "Đơn vị tính: triệu đồng"]), money_factor(["Số tiền (đồng)"])
    (1000000.0, 1.0)
    >>> money_factor(["ĐVT: 1.000 đồng"]), money_factor(["Năm 2021"]) is None
    (1000.0, True)
    """
    for line in lines:
        candidates = [fold(p) for p in re.findall(r"\(([^()]*)\)", line)]
        if match := _UNIT_LINE_RE.search(fold(line)):
            candidates.insert(0, match.group(1))
        for text in candidates:
            for phrase, factor in _unit_phrases():
                if text == phrase or text.startswith(phrase + " "):
                    return factor
    return None


# --- reading the rows of a matrix sheet ---


@dataclass
class _Matrix:
    """The rows of one matrix sheet, classified, with the value columns parsed."""

    table: SheetTable
    frame: pd.DataFrame  # all body rows (data and layout), in sheet order
    value_cols: list[str]
    labels: dict[str, str]
    numbers: pd.DataFrame
    bad: pd.DataFrame
    data: pd.Series  # mask of data rows
    problems: dict[int, tuple[str | None, object, str]] = field(default_factory=dict)
    checks: list[QuarantineRecord] = field(default_factory=list)

    def quarantine(self, index: int, column: str | None, value: object, reason: str) -> None:
        """Note the first problem of a data row."""
        self.problems.setdefault(index, (column, value, reason))

    def record(self, index: int, column: str | None, value: object, reason: str) -> QuarantineRecord:
        t = self.table
        return QuarantineRecord(t.file.name, t.sheet, int(self.frame.at[index, "row"]), column, value, reason)


def _read_matrix(table: SheetTable, label: str) -> _Matrix:
    """Classify the body rows of a matrix sheet, carry units down and check subtotals and totals."""
    header = table.header
    names = list(dict.fromkeys(header.columns.values()))
    value_cols = [n for n in names if _split_value(n)]
    labels = {n: header.labels.get(c, n) for c, n in sorted(header.columns.items(), reverse=True)}
    parts = [p for p in (table.data.assign(role="data"), table.layout) if len(p)]
    frame = pd.concat(parts, ignore_index=True) if parts else table.data.assign(role="data")
    frame = frame.sort_values("row", kind="stable").reset_index(drop=True)
    for col in (*TEXT_COLUMNS, *value_cols):
        if col not in frame:
            frame[col] = None
    texts = {col: as_text(frame[col]).str.strip().replace("", pd.NA) for col in TEXT_COLUMNS}
    parsed = {col: parse_numbers(frame[col]) for col in value_cols}
    numbers = pd.DataFrame({c: p[0] for c, p in parsed.items()}, index=frame.index)
    bad = pd.DataFrame({c: p[1] for c, p in parsed.items()}, index=frame.index)

    seq = texts["seq"].fillna("")
    total = frame["role"].eq("total")
    roman = seq.str.fullmatch(_ROMAN_SEQ_RE)
    letter = seq.str.fullmatch(_LETTER_SEQ_RE) & ~roman  # A, B… group the units numbered I, II…
    section = ~total & (frame["role"].eq("section") | roman | letter)
    level = pd.Series(np.where(letter, 0, 1), index=frame.index)
    data = ~total & ~section & (numbers.notna() | bad).any(axis=1)
    matrix = _Matrix(table, frame, value_cols, labels, numbers, bad, data)

    heading = texts["unit"].fillna(texts["category"]).fillna(seq.where(seq.ne("")))
    heading = heading.str.replace(_ROMAN_PREFIX_RE, "", regex=True).where(section)
    top = section & level.eq(0)
    from_sections = heading.where(section & level.eq(1)).groupby(top.cumsum()).ffill().fillna(heading.where(top).ffill())
    carried = texts["unit"].where(data).groupby(section.cumsum()).ffill()
    frame["unit"] = carried.fillna(from_sections)
    frame["category"] = texts["category"].str.replace(_BULLET_RE, "", regex=True).replace("", pd.NA)
    frame["funding_text"] = texts["funding"]
    _check_sums(matrix, section, level, total, label)
    return matrix


def _check_sums(m: _Matrix, section: pd.Series, level: pd.Series, total: pd.Series, label: str) -> None:
    """Compare section subtotals and totals with the sum of their data rows (differences are reported).

    A section's rows run to the next section of the same or a higher level (``A`` above ``I``), or to
    a total row; a total row covers every data row of the sheet.
    """
    positions = list(m.frame.index)
    ends = [i for i in positions if section[i] or total[i]]
    for index in m.frame.index[(section | total) & m.numbers.notna().any(axis=1)]:
        if total[index]:
            members = m.data
            what = "Dòng tổng cộng"
        else:
            stop = next((j for j in ends if j > index and (total[j] or level[j] <= level[index])), len(positions))
            members = m.data & (m.frame.index > index) & (m.frame.index < stop)
            what = f"Dòng cộng của mục {m.frame.at[index, 'unit'] or m.frame.at[index, 'seq']}"
        expected = m.numbers[members].sum()
        for col in m.value_cols:
            shown = m.numbers.at[index, col]
            if pd.notna(shown) and not math.isclose(shown, expected[col], rel_tol=1e-9, abs_tol=1e-6):
                reason = (f"{what} ghi {format_vn(shown)} nhưng các dòng {label} cộng lại được "
                          f"{format_vn(expected[col])} (cột {m.labels[col]}); các dòng vẫn được giữ, hãy kiểm tra lại.")
                m.checks.append(m.record(index, m.labels[col], m.frame.at[index, col], reason))


def _value_problems(m: _Matrix, whole: bool, what: str) -> None:
    """Quarantine data rows whose figures are no number, negative, or (``whole``) not whole numbers."""
    for col in m.value_cols:
        nums = m.numbers[col]
        tests = [(m.bad[col], "không phải là số"), (nums < 0, "là số âm")]
        if whole:
            tests.append((nums.notna() & (nums % 1 != 0), "không phải là số nguyên"))
        for wrong, problem in tests:
            for index in m.frame.index[m.data & wrong]:
                value = m.frame.at[index, col]
                m.quarantine(index, m.labels[col], value, f"{what} ở cột {m.labels[col]} {problem}: «{value}».")


def _funding(m: _Matrix, default: str, warnings: list[str]) -> pd.Series:
    """Funding per row: NSNN → state_budget, Nguồn thu sự nghiệp / Tự chủ → own_revenue, else other."""
    if "funding" not in m.table.header.columns.values():
        warnings.append(f"{m.table.raw.label}: không có cột nguồn kinh phí; mọi dòng được coi là '{default}'.")
        return pd.Series(default, index=m.frame.index, dtype="string")
    mapped, unknown = map_vocab(m.frame["funding_text"].astype(object), "funding")
    odd = sorted(set(m.frame.loc[unknown & m.data, "funding_text"]))
    if odd:
        warnings.append(f"{m.table.raw.label}: nguồn kinh phí không có trong danh mục, coi là 'other': "
                        + ", ".join(odd) + ".")
    return mapped.fillna("other")


def _long(m: _Matrix, keep: pd.Series, id_cols: list[str]) -> pd.DataFrame:
    """Long records (id columns, measure, year, value, _index) of the kept data rows."""
    rows = m.frame.loc[keep, id_cols].assign(_index=m.frame.index[keep])
    values = m.numbers.loc[keep, m.value_cols]
    long = values.set_axis(m.value_cols, axis=1).stack(future_stack=True).dropna().rename("value").reset_index(level=1)
    long = long.rename(columns={"level_1": "name"}).join(rows)
    split = long["name"].str.extract(_VALUE_NAME_RE)
    return long.assign(measure=split["measure"], year=split["year"].astype("int64")).reset_index(drop=True)


@dataclass
class _Run:
    """What a matrix kind gathers over its sheets."""

    kind: str
    records: list[pd.DataFrame] = field(default_factory=list)
    matrices: list[_Matrix] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)
    result: KindResult = field(default_factory=KindResult)


def _finish(run: _Run, keys: list[str], values: list[str], what: str) -> pd.DataFrame:
    """Resolve overlaps between sheets, count every sheet's rows, and return the kept records."""
    offsets = np.cumsum([0] + [len(m.frame) for m in run.matrices])
    origin = {}
    frames = []
    for i, (m, records) in enumerate(zip(run.matrices, run.records, strict=True)):
        origin.update({int(offsets[i] + index): (m, index) for index in m.frame.index})
        frames.append(records.assign(_order=records["_index"] + offsets[i], _sheet=i))
    records = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if records.empty:
        return records
    status = split_overlaps(records, keys, values)
    rows = status.drop_duplicates("_order")
    for _, r in rows[rows["status"] == "conflict"].iterrows():
        m, index = origin[int(r["_order"])]
        ref_m, ref_index = origin[int(r["first"])]
        where = f"dòng {int(ref_m.frame.at[ref_index, 'row'])} của {ref_m.table.raw.label}"
        m.quarantine(index, None, None,
                     f"{what} trùng với {where} nhưng số liệu cùng năm khác nhau; kiểm tra lại bản nào đúng.")
    duplicates = rows[rows["status"] == "duplicate"].groupby("_sheet").size()
    run.duplicates = {int(i): int(n) for i, n in duplicates.items()}
    return status[(status["status"] == "kept") & status["new"]]


def _account(run: _Run) -> None:
    """Counts and quarantine records of every sheet of the run."""
    for i, m in enumerate(run.matrices):
        read = int(m.data.sum())
        quarantined = len(m.problems)
        duplicates = run.duplicates.get(i, 0)
        t = m.table
        run.result.counts.append(SheetCounts(t.file.name, t.sheet, run.kind, read,
                                             read - quarantined - duplicates, quarantined, duplicates))
        run.result.quarantine.extend(m.record(index, *problem) for index, problem in sorted(m.problems.items()))
        run.result.quarantine.extend(m.checks)


# --- budget ---


def clean_budget(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean budget sheets into ``budget`` (unit, year, category, funding, stage, amount_vnd).

    Parameters
    ----------
    tables : list of SheetTable
        The sheets won by the ``budget`` kind.
    ctx : CleanContext
        Progress reporting.

    Returns
    -------
    KindResult
        ``tables["budget"]``, quarantine (bad rows, disagreeing subtotals and totals) and counts.
    """
    run = _Run("budget")
    for table in tables:
        m = _read_matrix(table, "chi tiết")
        factor = money_factor(table.title + list(table.header.labels.values()))
        if factor is None:
            for index in m.frame.index[m.data]:
                m.quarantine(index, None, None, "Bảng không ghi đơn vị tính của số tiền (đồng, nghìn đồng, triệu "
                             "đồng…); thêm dòng 'Đơn vị tính: …' vào phần tiêu đề rồi làm sạch lại.")
        _value_problems(m, whole=False, what="Số tiền")
        for index in m.frame.index[m.data & m.frame["unit"].isna()]:
            m.quarantine(index, "unit", None, "Không xác định được đơn vị của dòng (không có dòng mục I, II… "
                         "hay ô Đơn vị nào phía trên).")
        if "category" not in table.header.columns.values():  # units × funding only: the unit's whole spending
            m.frame["category"] = WHOLE_SPENDING
        for index in m.frame.index[m.data & m.frame["category"].isna()]:
            m.quarantine(index, "category", None, "Thiếu nội dung chi của dòng.")
        m.frame["funding"] = _funding(m, "other", run.result.warnings)
        keep = m.data & ~m.frame.index.isin(list(m.problems))
        long = _long(m, keep, ["unit", "category", "funding"])
        long["amount_vnd"] = (long["value"] * (factor or 1.0)).round()  # whole đồng
        run.matrices.append(m)
        run.records.append(long)
        ctx.progress(int(m.data.sum()))
    kept = _finish(run, ["unit", "category", "funding", "measure", "year"], ["amount_vnd"],
                   "Dòng kinh phí (cùng đơn vị, nội dung chi, nguồn kinh phí)")
    _account(run)
    frame = kept.rename(columns={"measure": "stage"})
    run.result.tables["budget"] = _typed(frame, BUDGET_COLUMNS, {"year": "int64", "amount_vnd": "float64"})
    return run.result


# --- payroll ---


def clean_payroll(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean payroll sheets into ``payroll`` (unit, year, funding, headcount_assigned, headcount_actual).

    Parameters
    ----------
    tables : list of SheetTable
        The sheets won by the ``payroll`` kind.
    ctx : CleanContext
        Progress reporting.

    Returns
    -------
    KindResult
        ``tables["payroll"]``, quarantine (bad rows, a disagreeing total row) and counts.
    """
    run = _Run("payroll")
    for table in tables:
        m = _read_matrix(table, "đơn vị")
        _value_problems(m, whole=True, what="Số người")
        for index in m.frame.index[m.data & m.frame["unit"].isna()]:
            m.quarantine(index, "unit", None, "Thiếu tên đơn vị (và không có đơn vị ở dòng trên để lấy xuống).")
        m.frame["funding"] = _funding(m, "state_budget", run.result.warnings)
        keep = m.data & ~m.frame.index.isin(list(m.problems))
        run.matrices.append(m)
        run.records.append(_long(m, keep, ["unit", "funding"]))
        ctx.progress(int(m.data.sum()))
    kept = _finish(run, ["unit", "funding", "measure", "year"], ["value"],
                   "Dòng biên chế (cùng đơn vị, nguồn kinh phí)")
    _account(run)
    wide = pd.DataFrame(columns=PAYROLL_COLUMNS)
    if len(kept):  # two rows of one unit and funding in a sheet add up
        sums = kept.groupby(["unit", "year", "funding", "measure"], sort=False)["value"].sum(min_count=1)
        wide = sums.unstack("measure").rename_axis(columns=None).reset_index()
    dtypes = {"year": "int64", "headcount_assigned": "Int64", "headcount_actual": "Int64"}
    run.result.tables["payroll"] = _typed(wide, PAYROLL_COLUMNS, dtypes)
    return run.result


def _typed(frame: pd.DataFrame, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """The frame with exactly ``columns`` (absent ones empty), text as ``string`` and the given dtypes."""
    out = frame.reindex(columns=columns).reset_index(drop=True)
    for col in columns:
        out[col] = out[col].astype(dtypes.get(col, "string"))
    return out


KINDS = (
    Kind(name="budget", tables=("budget",), clean=clean_budget,
         locate=partial(_locate, measures="budget_stages"),
         score=partial(_score, needs=frozenset({"unit", "category"}))),
    Kind(name="payroll", tables=("payroll",), clean=clean_payroll,
         locate=partial(_locate, measures="payroll_measures"),
         score=partial(_score, needs=frozenset({"unit"}))),
)
