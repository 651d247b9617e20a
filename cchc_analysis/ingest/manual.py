"""Kind ``manual``: the indicator sheet the office fills by hand → ``manual_indicators.parquet``.

One row per indicator and period: STT, the indicator's Vietnamese name (``Chỉ tiêu``: the registry title of a
manual indicator, the programme's wording of the clause judging it, or a label of ``registry/vocab.yaml``
``manual_indicators``, see :func:`match_indicator`; a ``Mã chỉ tiêu`` column with the id itself works too), the year or period (``2025``, ``Năm 2025``, ``2025-H1``, ``6 tháng đầu năm
2025``, ``Quý II/2025``, ``Tháng 6/2025``…, see :func:`period_code`), the numerator and denominator
(numbers or Vietnamese text: ``1.921`` is 1921) and a note. ``value`` is numerator / denominator, empty
when the denominator is 0. A ``Tỷ lệ`` column, if any, is not read: the value is always recomputed.

A row is quarantined, with a plain Vietnamese reason, when its indicator name is unknown (the reason names
the nearest registry titles), names another concept (``quy trình nội bộ``, not ``TTHC nội bộ``) or is missing,
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

import difflib
import re
from functools import cache

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, SheetTable
from cchc_analysis.ingest.dates import period_from_title
from cchc_analysis.ingest.kit import Faults, free_text, settle_overlaps, split_overlaps, typed_sheets
from cchc_analysis.ingest.numbers import parse_numbers
from cchc_analysis.ingest.text import fold
from cchc_analysis.registry import load
from cchc_analysis.schemas import MANUAL_INDICATORS

__all__ = ["KINDS", "YEARS", "clean", "match_indicator", "period_code"]

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
    report titles (read by :func:`cchc_analysis.ingest.dates.period_from_title`).

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
    span = period_from_title([str(value)])
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


#: A title shorter than this many words is not looked up inside the programme's longer wordings.
MIN_PART_WORDS = 5


def _folded(text: str) -> str:
    """:func:`fold` with the written-out wordings of ``vocab.yaml`` abbreviated (``thủ tục hành chính`` → tthc)."""
    out = f" {fold(text)} "
    for long, short in _abbreviations():
        out = out.replace(long, short)
    return out.strip()


@cache
def _abbreviations() -> tuple[tuple[str, str], ...]:
    entry = load("vocab")["manual_indicators"].get("abbreviations") or {}
    return tuple((f" {fold(k)} ", f" {fold(v)} ") for k, v in entry.items())


@cache
def manual_titles() -> dict[str, str]:
    """The manual sheet's indicators (``method: manual`` or ``fallback: manual``) and their ``title_vi``."""
    specs = load("indicators")["indicators"]
    return {ind: spec["title_vi"] for ind, spec in specs.items()
            if spec.get("method") == "manual" or spec.get("fallback") == "manual"}


@cache
def _names() -> tuple[tuple[str, str], ...]:
    """(folded wording, indicator id): ids, registry titles, vocab labels, the clauses judging each indicator.

    A clause's wording is taken whole and without its leading figure ("80% hồ sơ …" → "hồ sơ …").
    """
    titles = manual_titles()
    labels = load("vocab")["manual_indicators"].get("labels") or {}
    pairs = set()
    for ind, title in titles.items():
        for text in (ind, title, *(labels.get(ind) or [])):
            pairs.add((_folded(str(text)), ind))
    for clause in load("programme").get("clauses") or []:
        for target in clause.get("targets") or []:
            if target.get("indicator") in titles:
                text = _folded(" ".join(str(clause["text_vi"]).split()))
                pairs.add((text, target["indicator"]))
                pairs.add((re.sub(r"^\d+(?: \d+)?\s+", "", text), target["indicator"]))
    return tuple(sorted(p for p in pairs if p[0]))


@cache
def _excluded() -> tuple[tuple[str, str], ...]:
    entry = load("vocab")["manual_indicators"].get("excluded") or []
    return tuple((_folded(e["contains"]), " ".join(str(e["reason"]).split())) for e in entry)


def nearest_titles(text: str, n: int = 2) -> list[str]:
    """The registry titles of manual indicators closest to ``text`` (folded), best first.

    >>> nearest_titles("Tỷ lệ hồ sơ công việc xử lý qua mạng", 1)
    ['Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng']
    """
    titles = manual_titles()
    key = _folded(text)
    scored = sorted(titles.values(), key=lambda t: -difflib.SequenceMatcher(None, key, _folded(t)).ratio())
    return scored[:n]


def match_indicator(text: object) -> tuple[str | None, str | None]:
    """The manual indicator a title names: ``(indicator id, None)`` or ``(None, the reason it is refused)``.

    A title is the indicator's id, its registry ``title_vi``, a label of ``vocab.yaml`` or the wording of a
    programme clause judging it, compared after folding (case, diacritics, punctuation, ``thủ tục hành
    chính`` = ``TTHC``). A title that contains such a wording (a qualifier such as ``(%)`` or ``năm
    2025`` around it) names it too, the longest wording contained deciding; a title of at least
    :data:`MIN_PART_WORDS` words found inside one indicator's wordings names that indicator.

    >>> match_indicator("TỶ LỆ HỒ SƠ CÔNG VIỆC ĐƯỢC XỬ LÝ TRÊN MÔI TRƯỜNG MẠNG (%) năm 2025")
    ('work_records_online_share', None)
    >>> match_indicator("100% thủ tục hành chính nội bộ giữa cơ quan hành chính nhà nước được công bố, công khai")[0]
    'internal_procedures_published_share'
    >>> match_indicator("Tỷ lệ TTHC được ban hành quy trình nội bộ")[0]  # the office's title of that row
    'internal_procedures_published_share'
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None, "Thiếu tên chỉ tiêu."
    key = _folded(str(text))
    if not key:
        return None, "Thiếu tên chỉ tiêu."
    def nearest() -> str:  # the nearest titles, worded only for a refusal
        return "; ".join(f"«{t}»" for t in nearest_titles(str(text)))

    for phrase, reason in _excluded():
        if f" {phrase} " in f" {key} ":
            return None, f"{reason} Tên gần nhất trong danh mục: {nearest()}."
    names = _names()
    found = {ind for name, ind in names if name == key}
    if not found:
        inside = [(len(name), ind) for name, ind in names if f" {name} " in f" {key} "]
        if inside:
            longest = max(n for n, _ in inside)
            found = {ind for n, ind in inside if n == longest}
    if not found and len(key.split()) >= MIN_PART_WORDS:
        found = {ind for name, ind in names if f" {key} " in f" {name} "}
    if len(found) == 1:
        return found.pop(), None
    if len(found) > 1:
        return None, (f"Tên chỉ tiêu khớp với nhiều chỉ tiêu ({', '.join(sorted(found))}): ghi đúng tên một chỉ "
                      f"tiêu. Tên gần nhất trong danh mục: {nearest()}.")
    return None, (f"Tên chỉ tiêu không có trong danh mục chỉ tiêu của Chương trình; tên gần nhất: {nearest()}. "
                  "Sửa lại cho đúng tên (hoặc ghi mã chỉ tiêu).")


def _indicator_ids(data: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Indicator ids from the id column or the name column; (ids, refusal reasons, the raw text shown)."""
    raw = _column(data, "indicator_id").where(_column(data, "indicator_id").notna(), _column(data, "indicator"))
    answers = {value: match_indicator(value) for value in raw.dropna().unique()}
    ids = raw.map(lambda v: answers[v][0] if v in answers else None).astype("string")
    reasons = raw.map(lambda v: answers[v][1] if v in answers else None)
    return ids, reasons, raw


def _typed(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Type one sheet: the rows passing every check, the quarantine frame, and the rows read."""
    content = ["indicator", "indicator_id", "period", "numerator", "denominator"]
    present = [c for c in content if c in table.data.columns]
    data = table.data[table.data[present].notna().any(axis=1)] if present else table.data.iloc[0:0]
    faults = Faults(data)
    out = pd.DataFrame(index=data.index)
    ids, reasons, raw = _indicator_ids(data)
    out["indicator_id"] = ids
    faults.add(raw.isna(), "indicator", "Thiếu tên chỉ tiêu.")
    faults.add(raw.notna() & reasons.notna(), "indicator", reasons)
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
    frame, quarantine, reads, _ = typed_sheets(tables, ctx, _typed)
    status = split_overlaps(frame, ["indicator_id", "period"], ["numerator", "denominator"], within_sheet=True)
    settle_overlaps(result, "manual", tables, frame, status, quarantine, reads, column="indicator",
                    value="indicator_id", reason=lambda row, where: (
                        f"Chỉ tiêu {row['indicator_id']} kỳ {row['period']} đã có ở {where} với số liệu khác: "
                        "kiểm tra lại bản nào đúng."))
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
