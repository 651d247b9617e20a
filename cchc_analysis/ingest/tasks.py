"""Kind ``tasks``: the programme's task register (nhiệm vụ) → ``tasks.parquet``.

The register the office keeps of the tasks the programme (QĐ 09/QĐ-SCT) assigns: STT, the task, its
area of reform (a column ``Lĩnh vực/nội dung CCHC``, or the section row above it: ``II.3. Cải cách tổ
chức bộ máy``), the lead unit (đơn vị chủ trì), the deadline, the status, the date done and a note.

- **Area**: a code ``II.1`` … ``II.6`` or ``III`` written in the cell, else the area's Vietnamese name
  (``registry/vocab.yaml``: ``cchc_area``; the longest name contained in the text wins), else the
  section row above the task.
- **Deadline** (``Thời hạn``): a date (``31/12/2025``, a date cell), a period (``Quý IV/2025``, ``Năm
  2025``, ``6/2025``, ``2025``: its last day) or a recurring wording (``Thường xuyên``, ``Hằng năm``:
  no deadline, the wording kept in the note).
- **Status**: ``Đã hoàn thành`` / ``Đang thực hiện`` / ``Chưa thực hiện`` / ``Hủy bỏ`` and their
  variants (``vocab.yaml``: ``task_status``) → ``done`` / ``in_progress`` / ``not_started`` /
  ``cancelled``; a blank status with a completion date is ``done``.
- **task_id**: the register's own id column (``Mã nhiệm vụ``) when there is one, else ``AREA-NN``
  numbered in reading order within the area (``II.3-02``).

A row is quarantined (first failing check wins) when it has no task text, no recognisable area, a
deadline or completion date that cannot be read, or a status that is missing or unknown. A task read
twice (same id; without ids, the same area, text and lead unit) is a duplicate when it agrees and is
quarantined when it does not (the first row read wins).

>>> area_code("II.3. Cải cách tổ chức bộ máy"), area_code("Cải cách chế độ công vụ"), area_code("III - Giải pháp")
('II.3', 'II.4', 'III')
>>> area_code("Chính quyền số"), area_code("Khác") is None
('II.6', True)
>>> [str(d.date()) if d is not pd.NaT else None for d in deadlines(pd.Series(["31/12/2025", "Quý IV/2025", "6/2024", 2023.0, "Thường xuyên"], dtype=object))[0]]
['2025-12-31', '2025-12-31', '2024-06-30', '2023-12-31', None]
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, SheetTable
from cchc_analysis.ingest.dates import parse_dates, period_from_title
from cchc_analysis.ingest.kit import (
    Faults,
    date_reason,
    free_text,
    settle_overlaps,
    sources,
    split_overlaps,
    typed_sheets,
)
from cchc_analysis.ingest.labels import map_vocab
from cchc_analysis.ingest.numbers import as_text
from cchc_analysis.ingest.sections import section_labels
from cchc_analysis.ingest.text import fold
from cchc_analysis.periods import Period, PeriodError
from cchc_analysis.registry import load
from cchc_analysis.schemas import TASKS

__all__ = ["KINDS", "area_code", "clean", "deadlines"]

OUTPUT_COLUMNS = list(TASKS.columns)
CONTENT_COLUMNS = ("task_id", "task", "area", "lead_unit", "deadline", "status", "done_at")
_CODE_RE = re.compile(r"(?<![A-Z])(III|II)(?:\s*[.\-]\s*([1-6]))?(?![A-Z\d])")
_RECURRING = ("thuong xuyen", "hang nam", "hang quy", "hang thang", "dinh ky", "lien tuc", "ca giai doan")
_MONTH_YEAR_RE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


@cache
def _area_names() -> tuple[tuple[str, str], ...]:
    """(folded name, area) of ``vocab.yaml: cchc_area``, longest name first."""
    labels = load("vocab")["cchc_area"]["labels"]
    pairs = {(fold(str(name)), str(area)) for area, names in labels.items() for name in names}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@cache
def area_code(text: str) -> str | None:
    """The programme area (``II.1`` … ``II.6``, ``III``) a text names by code or by name; None if none."""
    match = _CODE_RE.search(text.upper())
    if match and (match.group(1) == "III" or match.group(2)):
        return "III" if match.group(1) == "III" else f"II.{match.group(2)}"
    folded = f" {fold(text)} "
    for name, area in _area_names():
        if f" {name} " in folded:
            return area
    return None


def _deadline_of(value: object) -> tuple[object, str | None]:
    """One deadline cell: (last day or NaT, problem): problem is ``recurring``, ``unreadable`` or None."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if float(value).is_integer() and 2000 <= value <= 2100:
            return pd.Timestamp(dt.date(int(value), 12, 31)), None
        return pd.NaT, "number"
    text = str(value).strip()
    folded = fold(text)
    if any(word in folded for word in _RECURRING):
        return pd.NaT, "recurring"
    if match := _MONTH_YEAR_RE.match(text):
        text = f"{match.group(2)}-{int(match.group(1)):02d}"
    try:
        return pd.Timestamp(Period.parse(text).end), None
    except (PeriodError, ValueError):
        pass
    span = period_from_title([text])
    if span is not None:
        return pd.Timestamp(span[1]), None
    return pd.NaT, "unreadable"


def deadlines(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Deadlines (datetime, NaT when none) and per cell NA, ``recurring``, ``impossible`` or ``unreadable``."""
    parsed = parse_dates(values)
    out = parsed.values.copy()
    problems = parsed.problems.astype(object).copy()
    retry = problems.notna() | (values.notna() & out.isna() & problems.isna())
    for i in values.index[retry.to_numpy()]:
        day, problem = _deadline_of(values[i])
        if problem is None:
            out[i], problems[i] = day, None
        elif problem == "recurring":
            problems[i] = "recurring"
        elif problem == "number":
            problems[i] = problems[i] or "unreadable"
    return out, problems.astype("string")


def _areas(data: pd.DataFrame, table: SheetTable) -> pd.Series:
    """Area per row: the area column's code or name first, then the section row above."""
    column = data["area"] if "area" in data.columns else pd.Series(None, index=data.index, dtype=object)
    _, whole = section_labels(table)
    areas = []
    for cell, section in zip(as_text(column).tolist(), whole.reindex(data.index).tolist(), strict=True):
        area = area_code(cell) if isinstance(cell, str) else None
        if area is None and isinstance(section, str):
            area = area_code(section)
        areas.append(area)
    return pd.Series(areas, index=data.index, dtype="string")


def _typed(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Type one sheet: candidate rows (checks passed), quarantine records and rows read."""
    present = [c for c in CONTENT_COLUMNS if c in table.data.columns]
    data = table.data[table.data[present].notna().any(axis=1)] if present else table.data.iloc[0:0]
    faults = Faults(data)
    out = pd.DataFrame(index=data.index)
    col = lambda name: data[name] if name in data.columns else pd.Series(None, index=data.index, dtype=object)  # noqa: E731
    out["task_id"] = as_text(col("task_id"))
    out["task"] = free_text(col("task"))
    faults.add(out["task"].isna(), "task", "Thiếu nội dung nhiệm vụ.")
    out["area"] = _areas(data, table)
    faults.add(out["area"].isna(), "area", "Không xác định được lĩnh vực CCHC của nhiệm vụ: cần mã II.1 … II.6, III "
               "hoặc tên lĩnh vực (ví dụ «Cải cách thủ tục hành chính»), trong cột hoặc ở dòng mục phía trên.")
    out["lead_unit"] = as_text(col("lead_unit"))
    out["deadline"], problems = deadlines(col("deadline"))
    bad_deadline = problems.isin(["unreadable", "impossible"]).fillna(False)
    faults.add(bad_deadline, "deadline", "Thời hạn không đọc được: cần một ngày (31/12/2025), một kỳ (Quý IV/2025, "
               "Năm 2025, 6/2025) hoặc «Thường xuyên».")
    done = parse_dates(col("done_at"))
    out["done_at"] = done.values
    if done.problems.notna().any():
        faults.add(done.problems.notna(), "done_at", date_reason("ngày hoàn thành", done.problems, col("done_at")))
    raw_status = col("status")
    status, unknown = map_vocab(raw_status, "task_status")
    out["status"] = status.mask(raw_status.isna() & out["done_at"].notna(), "done")
    faults.add(out["status"].isna() & ~unknown, "status", "Thiếu tình trạng thực hiện (và không có ngày hoàn thành).")
    faults.add(unknown, "status", "Tình trạng không nhận ra (cần Đã hoàn thành, Đang thực hiện, Chưa thực hiện, Hủy "
               "bỏ…; thêm cách ghi này vào registry/vocab.yaml, mục task_status nếu đúng).")
    note = free_text(col("note"))
    recurring = problems.eq("recurring").fillna(False).astype(bool)
    wording = as_text(col("deadline")).where(recurring)
    joined = ("Thời hạn: " + wording).where(recurring)
    out["note"] = note.where(~recurring | note.isna(), note + "; " + joined).fillna(joined).astype("string")
    out["source"] = sources(table, data["row"])
    out["row"] = data["row"]
    return out[~faults.failed], faults.records(table), len(data)


def _number_ids(frame: pd.DataFrame) -> pd.Series:
    """``AREA-NN`` ids numbered in reading order within each area, avoiding ids the register gives."""
    taken = set(frame["task_id"].dropna())
    ids = frame["task_id"].copy()
    counters: dict[str, int] = {}
    for i in frame.index[frame["task_id"].isna()]:
        area = frame.at[i, "area"]
        while True:
            counters[area] = counters.get(area, 0) + 1
            candidate = f"{area}-{counters[area]:02d}"
            if candidate not in taken:
                break
        taken.add(candidate)
        ids[i] = candidate
    return ids.astype("string")


def _comparable(frame: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    """``frame`` with ``values`` as plain text (blank as None), so that repeats compare without NA logic."""
    out = frame.copy()
    for name in values:
        out[name] = [None if pd.isna(v) else str(v) for v in frame[name]]
    return out


def clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean every task-register sheet of a run together (see the module docstring)."""
    result = KindResult()
    frame, quarantine, reads, _ = typed_sheets(tables, ctx, _typed)
    frame["_key"] = frame["task_id"].where(frame["task_id"].notna(), frame["area"] + "|" + frame["task"].map(
        lambda t: fold(str(t)), na_action="ignore") + "|" + frame["lead_unit"].fillna(""))
    frame = frame.rename(columns={"status": "task_status"})  # split_overlaps writes its own ``status``
    values = ["area", "task", "lead_unit", "deadline", "task_status", "done_at"]
    status = split_overlaps(_comparable(frame, values), ["_key"], values, within_sheet=True)
    status[values] = frame[values]
    settle_overlaps(result, "tasks", tables, frame, status, quarantine, reads, column="task", value="task",
                    reason=lambda row, where: f"Nhiệm vụ này đã có ở {where} với thời hạn, tình trạng hoặc đơn vị "
                                              "chủ trì khác: kiểm tra lại bản nào đúng.")
    kept = status[status["status"] == "kept"].drop(columns="status").rename(columns={"task_status": "status"})
    kept["task_id"] = _number_ids(kept)
    result.tables["tasks"] = kept[OUTPUT_COLUMNS].reset_index(drop=True)
    result.quarantine = pd.concat(quarantine, ignore_index=True)
    return result


def score(header: Header) -> float:
    """Detection score: columns matched, when a task column and a lead unit, deadline or status are there."""
    names = set(header.columns.values())
    if "task" not in names or not names & {"lead_unit", "deadline", "status"}:
        return 0.0
    return float(len(names))


KINDS = (Kind(name="tasks", tables=("tasks",), clean=clean, required=("task",), score=score),)
