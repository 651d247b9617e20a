"""Kind ``report06a``: form II.06a/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) → ``report06a.parquet``.

The form reports, per field (or per unit in the quarterly variant grouped by unit), the dossiers
received (total; in the period online and in person/postal; carried over), resolved (total, early,
on time, late) and pending (total, within the deadline, overdue): columns (3)–(13) of the form. Its
header spans three merged rows, with a numbering row ``(1) … (13)`` below; section rows (``I``,
``II``…) group the rows and a ``Tổng cộng`` row closes the table.

The column-numbering row ``(1) … (13)`` (or ``1 … 13``) anchors the form's 13 columns by position:
any number of header rows may sit above it, in any wording (``Trong kỳ``, ``Trong đó``, ``Kỳ trước``,
``Từ kỳ trước``, ``Số mới tiếp nhận``…), and columns after (13) (``Ghi chú``) are ignored. Without
a full numbering row, columns are matched by their flattened header path (``Tiếp nhận Trong kỳ Trực
tuyến``) through ``registry/columns.yaml``, and a count column the header does not name is taken
from a partial numbering row. The form is by field or by unit (the heading of column (2), else
what its cells name). Section and total rows are not data rows: they are checked against
the rows they sum, and a disagreement is reported in ``quarantine.csv`` (the rows are still kept).
A data row whose counts are not whole non-negative numbers, or do not add up within the row
((3) = (4)+(5)+(6), (7) = (8)+(9)+(10), (11) = (12)+(13)), is quarantined. A blank count is 0.

The period is read from the title block (``Từ ngày 01/01/2024 đến ngày 31/12/2024``, ``Quý II năm
2025``, ``Năm 2024``); a form without one is quarantined whole, since its rows cannot be placed in time.
A title may give the official reporting window of Nghị định 09/2019/NĐ-CP instead (``Từ ngày 15/12/2024
đến ngày 14/12/2025``, ``(Từ 15/12/2024 đến 14/3/2025)``): ``period_start``/``period_end`` keep the
window's own dates and :func:`window_period` names the period it reports (2025, 2025-Q1). A window
that matches no period is never dropped: its rows are kept with its dates, and ``reconciliation.csv``
(``period``, ``note``) and the ``cchc clean`` summary name it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, RawSheet, SheetTable
from cchc_analysis.ingest.dates import period_from_title
from cchc_analysis.ingest.detect import MAX_SCAN_ROWS, _label_options, find_header
from cchc_analysis.ingest.numbers import as_int, as_text
from cchc_analysis.ingest.text import fold
from cchc_analysis.periods import Period
from cchc_analysis.quality import QuarantineRecord, SheetCounts
from cchc_analysis.schemas import REPORT06A, REPORT06A_COUNTS

__all__ = ["KINDS", "clean", "locate", "window_period"]

OUTPUT_COLUMNS = list(REPORT06A.columns)
#: Form column number of each count column.
FORM_COLUMNS = dict(zip(REPORT06A_COUNTS, range(3, 14), strict=True))
#: Sums the form requires within a row: total column → its parts.
ROW_SUMS = {
    "received_total": ("received_online", "received_offline", "carried_over"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_within", "pending_overdue"),
}
_UNIT_WORDS = ("don vi", "co quan", "phong", "ubnd", "so nganh")
#: Words that name an agency in a group cell (``Sở Công Thương``, ``UBND phường …``, ``Chi cục …``).
_AGENCY_WORDS = re.compile(r"^(?:so|ubnd|uy ban|chi cuc|trung tam|phong|ban|van phong|cuc|thanh tra|don vi)\b")
_NUMBER_CELL_RE = re.compile(r"^\s*\(?(\d{1,2})(?:\.0)?\)?\s*$")


#: Form column number → canonical column (1 TT, 2 the field or unit, 3–13 the counts).
BY_NUMBER = {1: "tt", 2: "group", **{n: c for c, n in FORM_COLUMNS.items()}}
#: How many rows above the numbering row may belong to the header.
MAX_HEADER_ROWS = 6


def _number_of(value: object) -> int | None:
    """The column number a numbering cell shows (``3``, ``3.0``, ``(3)``), else None."""
    if isinstance(value, bool) or value in ("", None):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else None
    match = _NUMBER_CELL_RE.match(str(value))
    return int(match.group(1)) if match else None


def numbering_row(raw: RawSheet) -> tuple[int, dict[int, int]] | None:
    """The form's column-numbering row: its index and column → number, when it numbers 1…13 in order.

    Every filled cell of the row is a number (``1``, ``(1)``, ``1.0``), increasing from left to right,
    and the numbers 1 to 13 are all there (more columns, such as a note column (14), may follow).

    >>> from pathlib import Path
    >>> raw = RawSheet(Path("f.xlsx"), "S", [["TT", "Lĩnh vực"], [f"({i})" for i in range(1, 15)]], range(1, 3))
    >>> numbering_row(raw)[0], numbering_row(raw)[1][12], numbering_row(raw)[1][13]
    (1, 13, 14)
    """
    for index, row in enumerate(raw.rows[:MAX_SCAN_ROWS]):
        filled = [(col, v) for col, v in enumerate(row) if v not in ("", None)]
        if len(filled) < 13:
            continue
        numbers = [(col, _number_of(v)) for col, v in filled]
        if any(n is None for _, n in numbers):
            continue
        values = [n for _, n in numbers]
        if all(b > a for a, b in zip(values, values[1:], strict=False)) and set(range(1, 14)) <= set(values):
            return index, {col: n for col, n in numbers}
    return None


def _locate_by_numbering(raw: RawSheet) -> Header | None:
    """The 13 columns of the form by their position under the numbering row, whatever the header says.

    The header is the rows above the numbering row up to the nearest one naming the TT or the
    field/unit column (their cells are merged down over the header), at most :data:`MAX_HEADER_ROWS`.
    """
    found = numbering_row(raw)
    if found is None:
        return None
    index, numbers = found
    anchors = [col for col, n in numbers.items() if n in (1, 2)]
    top = None
    for row in range(index - 1, max(index - 1 - MAX_HEADER_ROWS, -1), -1):
        cells = raw.rows[row]
        if any(col < len(cells) and cells[col] not in ("", None) for col in anchors):
            top = row
            break
    if top is None:  # no heading over TT / field: the row right above the numbering
        top = index - 1
    if top < 0:
        return None
    options = _label_options(raw, top, index - top)
    header = Header(rows=tuple(range(top, index)), columns={}, skip_rows=(index,))
    for col, n in numbers.items():
        label = options[col][-1] if col < len(options) and options[col] else f"({n})"
        header.labels[col] = label
        if n in BY_NUMBER:
            header.columns[col] = BY_NUMBER[n]
        else:
            header.ignored[col] = label  # a note column (Ghi chú) or any column after (13)
    return header


def locate(raw: RawSheet, synonyms: Mapping[str, str]) -> Header | None:
    """Find the 06a header.

    The column-numbering row ``(1)…(13)`` (or ``1…13``) anchors the form's columns by position, with
    any number of header rows above it and any wording. Without one, columns are matched by their
    header path, and count columns the header does not name are filled from a partial numbering row
    (3)…(13).
    """
    if header := _locate_by_numbering(raw):
        return header
    header = find_header(raw, synonyms, max_depth=3)
    if header is None or not header.skip_rows:
        return header
    numbering = raw.rows[header.skip_rows[0]]
    named = set(header.columns.values())
    for col, value in enumerate(numbering):
        text = str(value).strip("() ") if value not in ("", None) else ""
        number = int(float(text)) if text.replace(".", "", 1).isdigit() else None
        canonical = {n: c for c, n in FORM_COLUMNS.items()}.get(number) if number else None
        if canonical and canonical not in named and col not in header.columns:
            header.columns[col] = canonical
            header.unknown.pop(col, None)
        elif number == 2 and "group" not in named:
            header.columns[col] = "group"
            header.unknown.pop(col, None)
    return header


def _score(header: Header) -> float:
    found = set(header.columns.values())
    counts = found.intersection(REPORT06A_COUNTS)
    if len(counts) < 6 or "group" not in found:
        return 0.0
    return float(len(found))


def _group_kind(header: Header, groups: pd.Series | None = None) -> str:
    """``unit`` when the group column's heading names units, or (a heading naming neither) when most
    group cells name an agency; else ``field``."""
    label = fold(next((header.labels.get(c, "") for c, n in header.columns.items() if n == "group"), ""))
    if any(w in label for w in _UNIT_WORDS):
        return "unit"
    if "linh vuc" in label or groups is None or groups.dropna().empty:
        return "field"
    names = groups.dropna().astype(str).map(fold)
    return "unit" if names.str.contains(_AGENCY_WORDS).mean() > 0.5 else "field"


def _counts(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Integer counts, the first bad column per row (or NA), and its raw value."""
    columns = {}
    first_bad = np.full(len(frame), None, dtype=object)
    for name in REPORT06A_COUNTS:
        raw = frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        numbers, bad = as_int(raw, blank=0)
        bad = bad.to_numpy(dtype=bool) | (numbers.to_numpy(dtype="float64", na_value=np.nan) < 0)
        first_bad[bad & (first_bad == None)] = name  # noqa: E711 - elementwise test of an object array
        columns[name] = numbers
    return pd.DataFrame(columns, index=frame.index), pd.Series(first_bad, index=frame.index, dtype="string"), frame


def _sections(layout: pd.DataFrame) -> pd.DataFrame:
    """Section rows in sheet order, with their label (the group text, else the ``TT`` numeral)."""
    sections = layout[layout["role"] == "section"].sort_values("row")
    label = as_text(sections["group"]) if "group" in sections.columns else pd.Series(pd.NA, index=sections.index)
    if "tt" in sections.columns:
        label = label.fillna(as_text(sections["tt"]))
    return sections.assign(label=label.astype("string"))


def _section_index(sections: pd.DataFrame, rows: pd.Series) -> pd.Series:
    """Position (in ``sections``) of the section row above each data row; -1 before the first."""
    positions = sections["row"].searchsorted(rows.to_numpy(), side="right") - 1
    return pd.Series(positions, index=rows.index)


def _check_sums(table: SheetTable, counts: pd.DataFrame, sections: pd.DataFrame,
                position: pd.Series) -> list[QuarantineRecord]:
    """Compare section and total rows with the sums of their data rows."""
    records: list[QuarantineRecord] = []
    layout = table.layout
    if layout.empty:
        return records
    layout_counts, _, _ = _counts(layout)
    # the data rows' counts (a blank or bad count adds nothing) and the counts each layout row states
    values = np.column_stack([counts[name].fillna(0).to_numpy(dtype="int64") for name in REPORT06A_COUNTS])
    stated_counts = [layout_counts[name].to_numpy(dtype=object, na_value=None) for name in REPORT06A_COUNTS]
    positions = position.to_numpy()
    for at, (i, role, row_number) in enumerate(zip(layout.index, layout["role"], layout["row"], strict=True)):
        if role == "total":
            sums = values.sum(axis=0)
            what = "Dòng tổng cộng"
        else:
            k = int(sections.index.get_loc(i))
            sums = values[positions == k].sum(axis=0)
            what = f"Dòng mục «{sections.at[i, 'label']}»"
        for j, name in enumerate(REPORT06A_COUNTS):
            stated = stated_counts[j][at]
            if stated is None or int(stated) == int(sums[j]):
                continue
            records.append(QuarantineRecord(
                table.file.name, table.sheet, int(row_number), name, int(stated),
                f"{what} ghi {int(stated)} ở cột ({FORM_COLUMNS[name]}) nhưng cộng các dòng được {int(sums[j])}: "
                "biểu không khớp, kiểm tra lại số liệu.",
            ))  # fmt: skip
    return records


def _letter_sections(table: SheetTable) -> None:
    """Rows numbered by a letter (``A``, ``B``: groups such as ``Cấp tỉnh``) are section rows, not data."""
    data = table.data
    if "tt" not in data.columns or data.empty:
        return
    letters = as_text(data["tt"]).str.strip().str.fullmatch(r"[A-Z]\.?").fillna(False).astype(bool)
    if letters.any():
        moved = data[letters].assign(role="section")
        table.layout = pd.concat([table.layout, moved], ignore_index=True).sort_values("row", ignore_index=True)
        table.data = data[~letters]


def _clean_table(table: SheetTable) -> tuple[pd.DataFrame, list[QuarantineRecord], int]:
    _letter_sections(table)
    data = table.data
    counts, bad_column, raw = _counts(data)
    group = as_text(data["group"]) if "group" in data.columns else pd.Series(pd.NA, index=data.index, dtype="string")
    sections = _sections(table.layout) if not table.layout.empty else pd.DataFrame(columns=["row", "label"])
    position = _section_index(sections, data["row"])
    section_label = pd.Series([sections["label"].iloc[p] if p >= 0 else pd.NA for p in position],
                              index=data.index, dtype="string")
    records = _check_sums(table, counts, sections, position)
    period = period_from_title(table.title)

    reason = pd.Series(pd.NA, index=data.index, dtype="string")
    column = pd.Series(pd.NA, index=data.index, dtype="string")
    if period is None:
        reason[:] = "Biểu không ghi kỳ báo cáo (ví dụ «Từ ngày 01/01/2024 đến ngày 31/12/2024»): không xếp được vào kỳ."
    missing_group = group.isna() & reason.isna()
    reason[missing_group], column[missing_group] = "Thiếu tên lĩnh vực hoặc đơn vị.", "group"
    bad = bad_column.notna() & reason.isna()
    reason[bad], column[bad] = "Số liệu không phải là số nguyên không âm.", bad_column[bad]
    for total, parts in ROW_SUMS.items():
        off = (counts[total] != counts[list(parts)].sum(axis=1)).fillna(False) & reason.isna()
        numbers = ", ".join(f"({FORM_COLUMNS[p]})" for p in parts)
        reason[off] = f"Cột ({FORM_COLUMNS[total]}) không bằng tổng các cột {numbers} trong cùng dòng."
        column[off] = total
    for i in reason[reason.notna()].index:
        name = column[i] if pd.notna(column[i]) else None
        records.append(QuarantineRecord(table.file.name, table.sheet, int(data.at[i, "row"]), name,
                                        raw.at[i, name] if name in raw.columns else None, str(reason[i])))
    good = reason.isna()
    out = counts[good].astype("int64")
    out["period_start"] = pd.Timestamp(period[0]) if period else pd.NaT
    out["period_end"] = pd.Timestamp(period[1]) if period else pd.NaT
    out["group_kind"] = _group_kind(table.header, group)
    out["group"] = group[good]
    out["section"] = section_label[good]
    out["source"] = (table.raw.label + ":" + data.loc[good, "row"].astype(str)).astype("string")
    return out[OUTPUT_COLUMNS], records, int((~good).sum())


def window_period(start: object, end: object) -> tuple[Period | None, str | None]:
    """The period a form's dates report, and a note for the analyst when they are not a plain calendar period.

    A calendar year, half, quarter or month is itself; an official reporting window (15th to 14th,
    Nghị định 09/2019/NĐ-CP; nine months too) gives the period it reports; anything else gives
    ``None`` and a note naming the window.

    >>> window_period("2025-01-01", "2025-03-31")
    (Period(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 3, 31), kind='quarter'), None)
    >>> period, note = window_period("2024-12-15", "2025-12-14")
    >>> period.label, note
    ('2025', 'Kỳ báo cáo chính thức 15/12/2024–14/12/2025 (Nghị định 09/2019/NĐ-CP): tính cho năm 2025.')
    >>> window_period("2025-03-01", "2025-05-20")[0] is None
    True
    """
    window = Period.window(start, end)
    if window.kind != "window":
        return window, None
    official = Period.from_official_window(window.start, window.end)
    if official is not None:
        return official, (f"Kỳ báo cáo chính thức {window.label_vi} (Nghị định 09/2019/NĐ-CP): "
                          f"tính cho {official.label_vi}.")
    return None, (f"Kỳ báo cáo {window.label_vi} không khớp năm, 6 tháng, quý hay tháng nào (kể cả kỳ báo cáo "
                  "chính thức từ ngày 15 đến ngày 14): các dòng vẫn được giữ với đúng ngày đầu, ngày cuối kỳ "
                  "này nhưng không được xếp vào kỳ nào khi tính chỉ tiêu.")


def _period_fields(table: SheetTable) -> tuple[str | None, str | None]:
    """``period`` and ``note`` of the reconciliation row of one form."""
    period = period_from_title(table.title)
    if period is None:
        return None, None
    matched, note = window_period(*period)
    return (matched.label if matched else Period.window(*period).label), note


def clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean every 06a sheet of a run (see the module docstring)."""
    result = KindResult()
    frames = []
    records: list[QuarantineRecord] = []
    for table in tables:
        frame, bad, n_bad = _clean_table(table)
        ctx.progress(len(table.data))
        frames.append(frame)
        records.extend(bad)
        period, note = _period_fields(table)
        result.counts.append(SheetCounts(table.file.name, table.sheet, "report06a", len(table.data),
                                         len(frame), n_bad, 0, period=period, note=note))
    ordered = sorted(zip(tables, frames, strict=True), key=lambda pair: (pair[0].file.name, pair[0].sheet or ""))
    frames = [frame for _, frame in ordered]
    result.tables["report06a"] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OUTPUT_COLUMNS)
    result.quarantine = records
    return result


KINDS = (Kind(name="report06a", tables=("report06a",), clean=clean, locate=locate, score=_score),)
