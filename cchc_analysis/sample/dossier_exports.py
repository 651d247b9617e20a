"""The dossier exports: yearly xlsx lists, the html-as-xls list and the API dump, with planted problems."""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from dataclasses import dataclass

import numpy as np

from cchc_analysis.sample.reference import (
    _DAY,
    API_COLUMNS,
    API_OVERLAP_DAY,
    API_PROBLEM_COLUMNS,
    CHANNEL_LABELS,
    COMPONENTS_DIGITIZED,
    DATA_REUSED,
    HTML_COLUMNS,
    LAST_DAY,
    LEVEL_LABELS,
    LIST_COLUMNS,
    LIST_PROBLEM_COLUMNS,
    LIST_WIDTHS,
    PROCEDURES,
    SEED,
    STATUS_LABELS,
    SUPPLEMENT_SHARE,
    UNITS,
)
from cchc_analysis.sample.simulation import _day, _export_mask, _file_rng, _seconds, _snapshot, _trend, _World
from cchc_analysis.sample.writers import (
    _csv_bytes,
    _flag,
    _fmt_when,
    _html_bytes,
    _Output,
    _Sheet,
    _titled_table,
    _xlsx_bytes,
)


@dataclass(frozen=True)
class _ProblemSpec:
    """How one dossier export spells its planted problems."""

    impossible: str  # an impossible date written in the file's own style
    unknown_channel: object  # a channel label or code the vocabulary does not know
    extra_missing_id: bool = False


def _add_duplicates(records: list[dict], rng: np.random.Generator, count: int) -> list[dict]:
    """Copy ``count`` records to a row one to three places below the original (a re-export glitch)."""
    out = list(records)
    for pos in sorted(rng.choice(np.arange(10, len(records) - 10), size=count, replace=False), reverse=True):
        copy = dict(records[pos], _duplicate=True)
        out.insert(int(pos) + int(rng.integers(1, 4)), copy)
    return out


def _bad_record(kind: str, base: dict, world: _World, spec: _ProblemSpec) -> dict:
    """A copy of ``base`` under a fresh id, broken in the way ``kind`` says, with its manifest note."""
    rec = dict(base, id=world.fresh_id(base["day"]), _duplicate=False)
    if kind == "missing_id":
        rec["id"] = None
        note = ("id", None, "missing dossier id")
    elif kind == "impossible_date":
        rec["received"] = spec.impossible
        note = ("received", spec.impossible, "impossible date")
    elif kind == "resolved_before_received":
        rec["resolved"] = rec["received"] - dt.timedelta(days=3, hours=2)
        note = ("resolved", rec["resolved"], "resolved before received")
    elif kind == "far_future":
        shift = dt.timedelta(days=(dt.date(2042, 1, 1) - dt.date(rec["received"].year, 1, 1)).days)
        rec["received"] = rec["received"] + shift
        rec["due"] = rec["due"] + shift if rec["due"] else None
        note = ("received", rec["received"], "date years beyond the file's period")
    else:
        rec["channel"] = spec.unknown_channel
        note = ("channel", spec.unknown_channel, "unknown channel")
    rec["_problem"] = note
    return rec


def _plant_problems(records: list[dict], rng: np.random.Generator, world: _World,
                    spec: _ProblemSpec, duplicates: int) -> list[dict]:
    """Add exact duplicate rows, and one bad row of each kind just below the row it was copied from."""
    out = _add_duplicates(records, rng, duplicates)
    kinds = ["missing_id", "impossible_date", "resolved_before_received", "far_future", "unknown_channel"]
    if spec.extra_missing_id:
        kinds.append("missing_id")
    finished = [r for r in records if r["status"] in (9, 10) and r["received"].month != 2]
    open_ = [r for r in records if r["status"] in (2, 4, 5) and r["received"].month != 2]
    for kind in kinds:
        pool = finished if kind == "resolved_before_received" else open_ if kind == "far_future" else records
        base = pool[int(rng.integers(0, len(pool)))]
        bad = _bad_record(kind, base, world, spec)
        out.insert(next(i for i, r in enumerate(out) if r is base) + 1, bad)
    return out


def _problem_entries(records: list[dict], first_row: int, columns: dict[str, str], style: str,
                     sheet: str | None) -> tuple[list[dict], list[dict]]:
    """Manifest entries (bad rows, duplicate rows) of the records written from ``first_row`` on."""
    bad, dups, seen = [], [], {}
    for i, rec in enumerate(records):
        row = first_row + i
        if rec.get("_problem"):
            key, value, reason = rec["_problem"]
            text = _fmt_when(value, "text" if style == "excel" else style)
            bad.append({"sheet": sheet, "row": row, "dossier_id": rec["id"], "column": columns[key],
                        "value": None if text is None else str(text), "reason": reason})
        elif rec.get("_duplicate"):
            dups.append({"sheet": sheet, "row": row, "dossier_id": rec["id"], "first_row": seen[rec["id"]]})
        elif rec["id"] is not None:
            seen.setdefault(rec["id"], row)
    return bad, dups


def _list_cells(rec: dict, style: str, digitized_no: str | None) -> dict[str, object]:
    """The cells of one dossier in the list exports (xlsx or html), by header."""
    proc = PROCEDURES[rec["proc"]]
    online = rec["channel"] == 2
    channel = rec["channel"] if isinstance(rec["channel"], str) else CHANNEL_LABELS[rec["channel"]]
    finished = rec["status"] in (9, 10)
    return {
        "Mã hồ sơ": rec["id"], "Mã TTHC": proc.code, "Tên thủ tục hành chính": proc.name, "Lĩnh vực": proc.field,
        "Chủ hồ sơ": rec["name"], "Số định danh cá nhân": rec["id_number"], "Số điện thoại": rec["phone"],
        "Địa chỉ": rec["address"], "Ngày tiếp nhận": _fmt_when(rec["received"], style),
        "Ngày hẹn trả": _fmt_when(rec["due"], style), "Ngày có kết quả": _fmt_when(rec["resolved"], style),
        "Hình thức nộp": channel, "Mức độ": LEVEL_LABELS.get(rec["level"]),
        "Trạng thái": STATUS_LABELS[rec["status"]], "Có phí, lệ phí": _flag(rec["fee"]),
        "Thanh toán trực tuyến": _flag(rec["paid"]) if rec["fee"] else None,
        "Số hóa kết quả": ("x" if style != "date" else "Có") if rec["digitized"] else
        (digitized_no if finished else None),
        "Xác thực VNeID": _flag(rec["eid"]) if online else None,
    }


def _dossier_entry(kind_format: str, sheet: _Sheet, records: list[dict], period: tuple[str, str],
                   style: str, sheet_name: str | None, columns: dict[str, str]) -> dict:
    """Manifest entry of a dossier export."""
    first = sheet.first_row("data") if sheet.rows else 2
    bad, dups = _problem_entries(records, first, columns, style, sheet_name)
    carried = sum(1 for r in records if isinstance(r["received"], dt.datetime)
                  and r["received"].date() < dt.date.fromisoformat(period[0]) and not r.get("_problem"))
    return {"kind": "dossiers", "format": kind_format, "sheet": sheet_name, "period": list(period),
            "rows": len(records), "bad_rows": bad, "duplicate_rows": dups, "carried_over_rows": carried,
            "layout": {sheet_name or "": sheet.layout()} if sheet.rows else {"": {"header": [1]}}}


def _row_index(records: list[dict], first: int) -> dict[str, list[int]]:
    """Row numbers of each dossier id written from row ``first`` on."""
    index: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        if rec["id"] is not None and not rec.get("_problem"):
            index.setdefault(rec["id"], []).append(first + i)
    return index


def _dossier_list_xlsx(world: _World, year: int, style: str) -> _Output:
    """Yearly one-stop list: title block, personal data, a total line and a signature."""
    name = f"danh_sach_ho_so_{year}.xlsx"
    rng = _file_rng(name)
    start, end = f"{year}-01-01", f"{year}-12-31"
    records = _snapshot(world, _export_mask(world.dossiers, start, end), _seconds(end) + _DAY - 1)
    impossible = f"{29 if year % 4 else 31}/02/{year} 09:{int(rng.integers(10, 59))}"
    spec = _ProblemSpec(impossible=impossible, unknown_channel="Email")
    styles = np.where(rng.random(len(records)) < 0.3, "iso", "text") if style == "mixed" else [style] * len(records)
    for rec, row_style in zip(records, styles, strict=True):
        rec["_style"] = str(row_style)  # copies made below keep the style of their original
    records = _plant_problems(records, rng, world, spec, duplicates=int(rng.integers(2, 4)))
    body = []
    for i, rec in enumerate(records, start=1):
        cells = _list_cells(rec, rec["_style"], None)
        body.append([i] + [cells[h] for h in LIST_COLUMNS[1:]])
    title = "DANH SÁCH HỒ SƠ TIẾP NHẬN" if year == 2021 else "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT"
    sheet = _titled_table(
        "Danh sách hồ sơ",
        ["UBND TỈNH KHÁNH HÒA", "SỞ CÔNG THƯƠNG", title, f"Từ ngày 01/01/{year} đến ngày 31/12/{year}"],
        LIST_COLUMNS, body, widths=LIST_WIDTHS, total=f"Tổng số: {len(records)} hồ sơ",
        signature=("Người lập biểu", "(Ký, ghi rõ họ tên)"),
    )
    entry = _dossier_entry("xlsx", sheet, records, (start, end), "text" if style == "mixed" else style,
                           sheet.name, LIST_PROBLEM_COLUMNS)
    entry["date_style"] = {"text": "text dd/mm/yyyy HH:MM", "excel": "Excel date cells",
                           "mixed": "text, dd/mm/yyyy HH:MM mixed with yyyy-mm-dd HH:MM:SS"}[style]
    return _Output(name, _xlsx_bytes(sheet), entry, _row_index(records, sheet.first_row("data")))


def _dossier_list_html(world: _World) -> _Output:
    """2025-H1 list as an HTML table saved as .xls: other column order, dates without time."""
    name = "danh_sach_ho_so_2025_H1.xls"
    rng = _file_rng(name)
    start, end = "2025-01-01", "2025-06-30"
    records = _snapshot(world, _export_mask(world.dossiers, start, end), _seconds(end) + _DAY - 1)
    spec = _ProblemSpec(impossible="30/02/2025", unknown_channel="Qua Zalo")
    records = _plant_problems(records, rng, world, spec, duplicates=1)
    body = []
    for i, rec in enumerate(records, start=1):
        cells = _list_cells(rec, "date", "Không")
        body.append([i] + [cells[h] for h in HTML_COLUMNS[1:]])
    sheet = _titled_table(
        "", ["UBND TỈNH KHÁNH HÒA", "SỞ CÔNG THƯƠNG", "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT",
             "Từ ngày 01/01/2025 đến ngày 30/06/2025"],
        HTML_COLUMNS, body, total=f"Tổng số hồ sơ: {len(records)}",
    )
    entry = _dossier_entry("html-as-xls", sheet, records, (start, end), "date", None, LIST_PROBLEM_COLUMNS)
    entry["layout"] = {"": sheet.layout()}
    entry["date_style"] = "text dd/mm/yyyy (no time)"
    return _Output(name, _html_bytes(sheet, "DanhSachHoSo"), entry, _row_index(records, sheet.first_row("data")))


def _api_cells(rec: dict, rng: np.random.Generator) -> list:
    """One record of the API dump: codes, ISO dates, 0/1 and True/False flags."""
    proc = PROCEDURES[rec["proc"]]
    finished = rec["status"] in (9, 10)
    summary = "Đề nghị " + proc.name[0].lower() + proc.name[1:]
    if rng.random() < 0.03:
        summary += ' (nộp bổ sung "bản chụp giấy phép kinh doanh", lần 2)'
    return [
        str(uuid.UUID(bytes=rng.bytes(16), version=4)), rec["id"], proc.code, proc.name, proc.field,
        rec["channel"], rec["level"] or None, rec["status"], _fmt_when(rec["received"], "iso"),
        _fmt_when(rec["due"], "iso"), _fmt_when(rec["resolved"], "iso"), int(rec["fee"]),
        int(bool(rec["paid"])), int(bool(rec["digitized"] and finished)), str(bool(rec["eid"])), rec["name"],
        rec["id_number"], rec["phone"], rec["address"], summary, UNITS[rec["unit"]] if rec["unit"] >= 0 else None,
        *_index766_cells(rec, finished),
    ]


def _index766_cells(rec: dict, finished: bool) -> list:
    """Supplement request and completion, digitised components, reused data and the e-result's path.

    Drawn from a generator seeded by the dossier id (never from the file's own), so that the older
    columns keep their values; a supplement falls between reception and the result (or the export's
    end for a dossier still waiting for it, status 5).
    """
    key = rec["id"] or f"row-{rec['day']}"
    rng = np.random.default_rng((SEED, zlib.crc32(key.encode("utf-8")), 766))
    received = rec["received"] if isinstance(rec["received"], dt.datetime) else None
    resolved = rec["resolved"] if isinstance(rec["resolved"], dt.datetime) else None
    asked = done = None
    if received is not None and (rec["status"] == 5 or rng.random() < SUPPLEMENT_SHARE):
        limit = resolved or dt.datetime.fromisoformat(LAST_DAY) + dt.timedelta(hours=23)
        span = max((limit - received).total_seconds(), 0.0)
        asked = received + dt.timedelta(seconds=span * rng.uniform(0.05, 0.45))
        if rec["status"] != 5:
            done = asked + dt.timedelta(seconds=(limit - asked).total_seconds() * rng.uniform(0.2, 0.8))
    day = np.array([_day(received.date().isoformat())]) if received is not None else np.array([_day(LAST_DAY)])
    components = bool(rng.random() < _trend(COMPONENTS_DIGITIZED, day)[0])
    reused = components and bool(rng.random() < _trend(DATA_REUSED, day)[0])
    path = (f"/KetQua/{received:%Y}/{rec['id']}.pdf" if finished and rec["digitized"] and received and rec["id"]
            else None)
    return [_fmt_when(asked, "iso"), _fmt_when(done, "iso"), int(components), int(reused), path]


def _dossier_api_csv(world: _World) -> _Output:
    """API dump 2025-Q3..2026-Q3 with a receiving-unit column, overlapping the html list."""
    name = "ho_so_dong_bo_2025Q3_2026Q3.csv"
    rng = _file_rng(name)
    start, end = "2025-07-01", LAST_DAY
    records = _snapshot(world, _export_mask(world.dossiers, API_OVERLAP_DAY, end), _seconds(end) + _DAY - 1)
    spec = _ProblemSpec(impossible="2026-02-29 10:12:45", unknown_channel="0", extra_missing_id=True)
    records = _plant_problems(records, rng, world, spec, duplicates=0)
    rows = [_api_cells(rec, rng) for rec in records]
    for pos in sorted(rng.choice(np.arange(10, len(rows) - 10), size=4, replace=False), reverse=True):
        target = int(pos) + int(rng.integers(1, 30))
        rows.insert(target, list(rows[pos]))
        records.insert(target, dict(records[pos], _duplicate=True))
    sheet = _Sheet("", len(API_COLUMNS))
    entry = _dossier_entry("csv utf-8-sig", sheet, records, (start, end), "iso", None, API_PROBLEM_COLUMNS)
    entry["overlap_from"] = API_OVERLAP_DAY
    entry["date_style"] = "ISO yyyy-mm-dd HH:MM:SS"
    entry["notes"] = ("Record numbers count the header as record 1; no field contains a line break. "
                      "DonViTiepNhan is empty for dossiers received before 01/07/2025. "
                      "Duplicate rows are exact copies (same Id).")
    return _Output(name, _csv_bytes(API_COLUMNS, rows, "\n"), entry, _row_index(records, 2))
