"""Kind ``portal766``: the national portal's export of the 766 index → ``portal766.parquet``.

The portal (Cổng Dịch vụ công quốc gia) exports the service-quality index as a monthly workbook, one
row per agency or province: ``ID, TEN, MA_COQUAN, LOAI_COQUAN, CAPDONVIID`` then the six group columns
``TDGQ, MDHL, MDSH, TTTT, CLGQ, CKMB`` and ``TONG_SCORE`` (header synonyms: ``portal766`` in
``registry/columns.yaml``). The period is read from the title rows (``Tháng 10/2025``, ``Quý III năm
2025``, ``Năm 2025``) or, failing that, from the file name (``…_T10_2025.xlsx``, ``…_2025-10.xlsx``,
``…_Q3_2025…``, ``…_nam_2025…``).

The table is long: ``agency_id``, ``agency``, ``agency_code``, ``agency_type``, ``level``, ``period``
(``2025-10``, ``2025-Q3``, ``2025``), ``period_start``, ``period_end``, ``group`` (the six groups and
``total``), ``points``, ``source``. A row is quarantined, with a Vietnamese reason, when its agency is
missing, the period cannot be found, a group score is missing, not a number, negative or above the
group's maximum (``registry/index766.yaml``: CKMB 18, TDGQ 20, CLGQ 12, TTTT 10, MDSH 22, MDHL 18), or
the total differs from the sum of the groups by more than the rounding tolerance. An agency given
twice for one period is a duplicate when the figures agree and quarantined when they differ.

>>> period_from_name("bao_cao_766_T10_2025.xlsx"), period_from_name("chi-so-766-2025-09.xlsx")
('2025-10', '2025-09')
>>> period_from_name("766_Q3_2025.xlsx"), period_from_name("766_nam_2024.xlsx"), period_from_name("x.xlsx")
('2025-Q3', '2024', None)
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from cchc_analysis import schemas
from cchc_analysis.index766.registry import GROUPS, total_tolerance
from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, SheetTable
from cchc_analysis.ingest.dates import period_from_title
from cchc_analysis.ingest.kit import Faults, sources
from cchc_analysis.ingest.numbers import as_text, parse_numbers
from cchc_analysis.ingest.text import fold
from cchc_analysis.periods import Period, PeriodError
from cchc_analysis.quality import SheetCounts

__all__ = ["KINDS", "PORTAL766", "clean", "period_from_name"]

GROUP_COLUMNS = {gid.lower(): gid for gid in GROUPS}
PORTAL766 = pa.DataFrameSchema({
    "agency_id": pa.Column("string", nullable=True),
    "agency": pa.Column("string"),
    "agency_code": pa.Column("string", nullable=True),
    "agency_type": pa.Column("string", nullable=True),
    "level": pa.Column("string", nullable=True),
    "period": pa.Column("string"),
    "period_start": pa.Column(schemas.DATETIME),
    "period_end": pa.Column(schemas.DATETIME),
    "group": pa.Column("string", pa.Check.isin([*GROUPS, "total"])),
    "points": pa.Column("float64", pa.Check.ge(0)),
    "source": pa.Column("string"),
}, name="portal766", strict=True, ordered=True, coerce=True)  # fmt: skip
schemas.register("portal766", PORTAL766, ["period_start", "period_end", "agency", "group"])

_NAME_PATTERNS = (
    (re.compile(r"(?:^|[^a-z0-9])t(?:hang)?_?(\d{1,2})_+(\d{4})(?:[^0-9]|$)"), "month_first"),
    (re.compile(r"(?:^|[^0-9])(\d{4})_(\d{2})(?:[^0-9]|$)"), "year_first"),
    (re.compile(r"(?:^|[^a-z0-9])q(?:uy)?_?([1-4])_+(\d{4})(?:[^0-9]|$)"), "quarter"),
    (re.compile(r"(?:^|[^a-z0-9])nam_?(\d{4})(?:[^0-9]|$)"), "year"),
)


def period_from_name(name: str) -> str | None:
    """The period a file name states (month, quarter or year), as a period label; None when none.

    Parameters
    ----------
    name : str
        The file name.
    """
    text = fold(name.rsplit(".", 1)[0]).replace(" ", "_") if name else ""
    for pattern, kind in _NAME_PATTERNS:
        if m := pattern.search(text):
            if kind == "month_first":
                month, year = int(m.group(1)), int(m.group(2))
            elif kind == "year_first":
                year, month = int(m.group(1)), int(m.group(2))
            elif kind == "quarter":
                return f"{m.group(2)}-Q{m.group(1)}"
            else:
                return m.group(1)
            if 1 <= month <= 12 and 2000 <= year <= 2099:
                return f"{year}-{month:02d}"
    return None


def _period(table: SheetTable) -> Period | None:
    span = period_from_title(table.title)
    if span:
        try:
            return Period.window(*span)
        except PeriodError:
            return None
    label = period_from_name(table.file.name)
    try:
        return Period.parse(label) if label else None
    except PeriodError:
        return None


def _col(data: pd.DataFrame, name: str) -> pd.Series:
    return data[name] if name in data.columns else pd.Series(None, index=data.index, dtype=object)


def _vn(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _typed(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = table.data
    faults = Faults(data)
    out = pd.DataFrame(index=data.index)
    for name in ("agency_id", "agency", "agency_code", "agency_type", "level"):
        out[name] = as_text(_col(data, name)).str.replace(r"\.0$", "", regex=True)
    faults.add(out["agency"].isna(), "agency", "Thiếu tên đơn vị (cột TEN).")
    period = _period(table)
    if period is None:
        faults.add(pd.Series(True, index=data.index), None,
                   "Không xác định được kỳ của tệp: ghi kỳ ở dòng tiêu đề (ví dụ «Tháng 10/2025») hoặc trong tên "
                   "tệp (ví dụ …_T10_2025.xlsx).")
    total = pd.Series(0.0, index=data.index)
    for col, gid in GROUP_COLUMNS.items():
        raw = _col(data, col)
        numbers, bad = parse_numbers(raw)
        top = float(GROUPS[gid]["max"])
        faults.add(raw.isna(), col, f"Thiếu điểm nhóm {gid}.")
        faults.add(bad, col, f"Điểm nhóm {gid} không phải là số.")
        faults.add(numbers < 0, col, f"Điểm nhóm {gid} là số âm.")
        above = numbers > top + 1e-9
        if above.any():
            faults.add(above, col, pd.Series(
                [f"Điểm nhóm {gid} ({_vn(v)}) vượt điểm tối đa của nhóm ({_vn(top)})." if v > top + 1e-9 else None
                 for v in numbers.tolist()], index=data.index, dtype="string"))
        out[gid] = numbers
        total = total + numbers.fillna(0.0)
    given, bad_total = parse_numbers(_col(data, "total"))
    faults.add(bad_total, "total", "Tổng điểm không phải là số.")
    off = given.notna() & ((given - total).abs() > total_tolerance())
    if off.any():
        faults.add(off, "total", pd.Series([f"Tổng điểm ({_vn(g)}) khác tổng điểm sáu nhóm ({_vn(round(t, 2))})."
                                            for g, t in zip(given, total, strict=True)], index=data.index,
                                           dtype="string"))
    out["total"] = given.fillna(total)
    out["period"] = period.label if period else None
    out["period_start"] = pd.Timestamp(period.start) if period else pd.NaT
    out["period_end"] = pd.Timestamp(period.end) if period else pd.NaT
    out["source"] = sources(table, data["row"])
    out["row"] = data["row"]
    return out[~faults.failed], faults.records(table)


def clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean the portal's exports into ``portal766`` (see the module docstring)."""
    result = KindResult()
    kept, quarantine = [], []
    seen: dict[tuple[str, str], tuple[tuple[float, ...], str]] = {}
    values = [*GROUPS, "total"]
    for table in tables:
        rows, bad = _typed(table)
        ctx.progress(len(table.data))
        dups = conflicts = 0
        keep = []
        for i, row in rows.iterrows():
            key = (fold(str(row["agency_code"] if pd.notna(row["agency_code"]) else row["agency"])), row["period"])
            figures = tuple(round(float(row[v]), 4) for v in values)
            if key in seen:
                if seen[key][0] == figures:
                    dups += 1
                else:
                    conflicts += 1
                    quarantine.append(pd.DataFrame([{
                        "file": table.file.name, "sheet": table.sheet, "row": row["row"], "column": "agency",
                        "value": row["agency"], "reason": f"Đơn vị này đã có điểm kỳ {row['period']} ở {seen[key][1]} "
                        "với số liệu khác: kiểm tra lại bản nào đúng."}]))
                continue
            seen[key] = (figures, str(row["source"]))
            keep.append(i)
        kept.append(rows.loc[keep])
        quarantine.append(bad)
        read = len(table.data)
        failed = len(bad) + conflicts
        result.counts.append(SheetCounts(table.file.name, table.sheet, "portal766", read, read - failed - dups,
                                         failed, dups))
    wide = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    ids = ["agency_id", "agency", "agency_code", "agency_type", "level", "period", "period_start", "period_end",
           "source"]
    if len(wide):
        long = wide.melt(id_vars=ids, value_vars=values, var_name="group", value_name="points")
        result.tables["portal766"] = long[list(PORTAL766.columns)]
    result.quarantine = pd.concat(quarantine, ignore_index=True) if quarantine else []
    return result


def score(header: Header) -> float:
    """Detection score: the columns matched, when an agency column and three group columns are there."""
    names = set(header.columns.values())
    if "agency" not in names or len(names & set(GROUP_COLUMNS)) < 3:
        return 0.0
    return float(len(names))


KINDS = (Kind(name="portal766", tables=("portal766",), clean=clean, required=("agency",), score=score),)
