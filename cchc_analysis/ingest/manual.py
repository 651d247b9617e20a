"""Kind ``manual``: the indicator sheet the office fills by hand → ``manual_indicators.parquet``.

One row per indicator and period: STT, the indicator's Vietnamese name (``Chỉ tiêu``, mapped to an
indicator id through ``registry/vocab.yaml``: ``manual_indicators``; a ``Mã chỉ tiêu`` column with the
id itself works too), the year or period (``2025``, ``Năm 2025``, ``2025-H1``, ``6 tháng đầu năm
2025``, ``Quý II/2025``, ``Tháng 6/2025``…, see :func:`period_code`), the numerator and denominator
(numbers or Vietnamese text: ``1.921`` is 1921) and a note. ``value`` is numerator / denominator, empty
when the denominator is 0. A ``Tỷ lệ`` column, if any, is not read: the value is always recomputed.

A row is quarantined, with a plain Vietnamese reason, when its indicator name is unknown or missing,
its period is missing or unreadable, a number is missing, unreadable or negative, or the numerator of
a share exceeds its denominator. Rows that hold nothing but STT (a pre-numbered template) are not
data rows. The same indicator and period given again (in the same sheet or another) is a duplicate when
the numbers agree and is quarantined when they differ (the first row read wins; see
:func:`cchc_analysis.ingest.kit.split_overlaps`).

>>> period_code(2024.0), period_code("6 tháng đầu năm 2025"), period_code("Quý III/2024"), period_code("2025-h2")
('2024', '2025-H1', '2024-Q3', '2025-H2')
>>> period_code("Tháng 6/2025"), period_code("06/2025"), period_code("năm ngoái") is None
('2025-06', '2025-06', True)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, SheetTable
from cchc_analysis.ingest.kit import Faults, free_text, split_overlaps
from cchc_analysis.ingest.values import map_vocab, parse_numbers, parse_period
from cchc_analysis.quality import SheetCounts
from cchc_analysis.schemas import MANUAL_INDICATORS

__all__ = ["KINDS", "YEARS", "clean", "period_code"]

#: Years accepted as periods of the programme's data (a typing error such as 2205 is quarantined).
YEARS = (2000, 2099)
OUTPUT_COLUMNS = list(MANUAL_INDICATORS.columns)

_CODE_RE = re.compile(r"^(\d{4})(?:\s*-\s*(h[12]|q[1-4]|\d{1,2}))?$")
_MONTH_YEAR_RE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")


def _year_ok(year: int) -> bool:
    return YEARS[0] <= year <= YEARS[1]


def period_code(value: object) -> str | None:
    """The period of a cell as ``YYYY``, ``YYYY-H1``, ``YYYY-Q3`` or ``YYYY-MM``; None when unreadable.

    Accepts years as numbers or text, the codes themselves, ``MM/YYYY`` and the Vietnamese wordings of
    report titles (read by :func:`cchc_analysis.ingest.values.parse_period`).

    >>> period_code("Năm 2023"), period_code("2025-Q1"), period_code(1999), period_code("2024-13")
    ('2023', '2025-Q1', None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not float(value).is_integer():
            return None
        return str(int(value)) if _year_ok(int(value)) else None
    text = str(value).strip().lower()
    if match := _MONTH_YEAR_RE.match(text):
        text = f"{match.group(2)}-{match.group(1)}"
    if match := _CODE_RE.match(text):
        year, part = int(match.group(1)), match.group(2)
        if not _year_ok(year):
            return None
        if part is None:
            return str(year)
        if part[0] in "hq":
            return f"{year}-{part.upper()}"
        return f"{year}-{int(part):02d}" if 1 <= int(part) <= 12 else None
    span = parse_period([str(value)])
    return _span_code(span) if span and _year_ok(span[0].year) else None


def _span_code(span: tuple) -> str | None:
    """A (first day, last day) span as a period code, when it is a whole year, half, quarter or month."""
    first, last = span
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if first.day != 1 or first.year != last.year or (last + pd.Timedelta(days=1)).day != 1:
        return None
    if months == 12:
        return str(first.year)
    if months == 6 and first.month in (1, 7):
        return f"{first.year}-H{1 if first.month == 1 else 2}"
    if months == 3 and first.month % 3 == 1:
        return f"{first.year}-Q{first.month // 3 + 1}"
    return f"{first.year}-{first.month:02d}" if months == 1 else None


def _column(data: pd.DataFrame, name: str) -> pd.Series:
    return data[name] if name in data.columns else pd.Series(None, index=data.index, dtype=object)


def _indicator_ids(data: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Indicator ids from the id column or the name column; (ids, unknown mask, the raw text shown)."""
    raw = _column(data, "indicator_id").where(_column(data, "indicator_id").notna(), _column(data, "indicator"))
    ids, unknown = map_vocab(raw, "manual_indicators")
    return ids, unknown, raw


def _typed(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Type one sheet: the rows passing every check, the quarantine frame, and the rows read."""
    content = ["indicator", "indicator_id", "period", "numerator", "denominator"]
    present = [c for c in content if c in table.data.columns]
    data = table.data[table.data[present].notna().any(axis=1)] if present else table.data.iloc[0:0]
    faults = Faults(data)
    out = pd.DataFrame(index=data.index)
    ids, unknown, raw = _indicator_ids(data)
    out["indicator_id"] = ids
    faults.add(raw.isna(), "indicator", "Thiếu tên chỉ tiêu.")
    faults.add(unknown, "indicator", "Tên chỉ tiêu không có trong danh mục (vocab.yaml: "
               "manual_indicators): sửa lại cho đúng tên hoặc bổ sung tên này vào danh mục.")
    periods = _column(data, "period")
    out["period"] = periods.map(period_code, na_action="ignore").astype("string")
    faults.add(periods.isna(), "period", "Thiếu năm (kỳ) của số liệu.")
    faults.add(periods.notna() & out["period"].isna(), "period",
               f"Năm (kỳ) không đọc được: cần một năm từ {YEARS[0]} đến {YEARS[1]} (ví dụ 2025) hoặc một kỳ "
               "như 2025-H1, 2025-Q3, 2025-07, 6 tháng đầu năm 2025.")
    for name, label in (("numerator", "tử số"), ("denominator", "mẫu số")):
        numbers, bad = parse_numbers(_column(data, name))
        out[name] = numbers
        faults.add(_column(data, name).isna(), name, f"Thiếu {label}.")
        faults.add(bad, name, f"{label.capitalize()} không phải là số.")
        faults.add(numbers < 0, name, f"{label.capitalize()} là số âm.")
    share = out["indicator_id"].str.endswith("_share").fillna(False).astype(bool)
    faults.add(share & (out["numerator"] > out["denominator"]), "numerator",
               "Tử số lớn hơn mẫu số: một tỷ lệ không thể vượt 100%.")
    out["value"] = (out["numerator"] / out["denominator"]).where(out["denominator"] != 0)
    out["note"] = free_text(_column(data, "note"))
    out["row"] = data["row"]
    return out[~faults.failed], faults.records(table), len(data)


def clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean hand-kept indicator sheets into ``manual_indicators`` (see the module docstring)."""
    result = KindResult()
    frames, quarantine, reads = [], [], []
    for position, table in enumerate(tables):
        kept, bad, read = _typed(table)
        ctx.progress(read)
        frames.append(kept.assign(_sheet=position))
        quarantine.append(bad)
        reads.append(read)
    frame = pd.concat(frames).reset_index(drop=True)
    frame["_order"] = np.arange(len(frame))
    status = split_overlaps(frame, ["indicator_id", "period"], ["numerator", "denominator"], within_sheet=True)
    for row in status[status["status"] == "conflict"].to_dict("records"):
        first = frame.loc[int(row["first"])]
        table = tables[int(row["_sheet"])]
        where = f"dòng {int(first['row'])} của {tables[int(first['_sheet'])].raw.label}"
        quarantine.append(pd.DataFrame([{
            "file": table.file.name, "sheet": table.sheet, "row": row["row"], "column": "indicator",
            "value": row["indicator_id"], "reason": f"Chỉ tiêu {row['indicator_id']} kỳ {row['period']} đã có ở "
            f"{where} với số liệu khác: kiểm tra lại bản nào đúng."}]))
    for position, (table, read) in enumerate(zip(tables, reads, strict=True)):
        mine = status[status["_sheet"] == position]["status"]
        bad = len(quarantine[position]) + int((mine == "conflict").sum())
        dups = int((mine == "duplicate").sum())
        result.counts.append(SheetCounts(table.file.name, table.sheet, "manual", read, read - bad - dups, bad, dups))
    kept = status[status["status"] == "kept"]
    result.tables["manual_indicators"] = kept[OUTPUT_COLUMNS].reset_index(drop=True)
    result.quarantine = pd.concat(quarantine, ignore_index=True)
    return result


def score(header: Header) -> float:
    """Detection score: columns matched, when numerator, denominator and an indicator column are there."""
    names = set(header.columns.values())
    if not {"numerator", "denominator"} <= names or not names & {"indicator", "indicator_id"}:
        return 0.0
    return float(len(names))


KINDS = (Kind(name="manual", tables=("manual_indicators",), clean=clean, required=("numerator", "denominator"),
              score=score),)
