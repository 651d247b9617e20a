"""Kind ``dossiers``: one-stop-shop dossier lists (Danh sách hồ sơ) → ``dossiers.parquet``.

Rows come from list exports (title block, labels, ``dd/mm/yyyy`` dates, a signature footer), HTML
tables saved as ``.xls`` and database dumps (ASCII column names, status codes 1–10, channel codes
1–3, ISO dates, 0/1 flags). Every row is typed column by column (vectorised), checked, and then
either kept, quarantined with a Vietnamese reason, or counted as a duplicate:

- quarantined (first failing check wins): no dossier id; reception date missing, unreadable or not a
  real date (``31/02``); another date unreadable or impossible; resolution before reception
  (calendar dates); a reception or resolution date after the day of the run; a date more than :data:`PERIOD_MARGIN_YEARS` years outside the data's own period
  (the period named in the title block, else the median reception date, widened over the reception
  dates that follow on from it without such a gap); channel missing or
  unknown; status missing or unknown; procedure name or field missing;
- duplicates, across all files and sheets of the run: rows sharing a ``dossier_id`` describe one
  dossier; the kept row is the most advanced one (resolved or returned over open, then the latest
  ``resolved_at``, then the latest ``received_at``; on a full tie the first row read).

A blank service level means ``none`` for a dossier not submitted online (no online service was
used) and stays null for an online one. Personal columns become ``applicant_key`` and are dropped.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cchc_analysis.ingest import dossier_extras
from cchc_analysis.ingest.base import CleanContext, Kind, KindResult, SheetTable
from cchc_analysis.ingest.dates import parse_dates, period_from_title
from cchc_analysis.ingest.kit import Faults, conflict_reason, date_reason, sources, unknown_label_reason
from cchc_analysis.ingest.labels import map_flags, map_vocab, match_vocab
from cchc_analysis.ingest.numbers import as_text
from cchc_analysis.quality import SheetCounts
from cchc_analysis.schemas import DOSSIERS

__all__ = ["KINDS", "clean", "deduplicate", "PERIOD_MARGIN_YEARS"]

#: A date further than this from the data's own period is taken for a typing error.
PERIOD_MARGIN_YEARS = 2
FINAL_STATUSES = ("resolved", "returned")
DATE_COLUMNS = ("received_at", "due_at", "resolved_at")
FLAG_COLUMNS = ("fee_required", "paid_online", "result_digitized", "eid_verified")
TEXT_COLUMNS = ("dossier_id", "procedure_code", "procedure_name", "field", "unit")
OUTPUT_COLUMNS = list(DOSSIERS.columns)
#: Columns a kept row cannot do without (the contract's non-null columns that come from the export).
REQUIRED_COLUMNS = ("dossier_id", "procedure_name", "field", "channel", "received_at", "status")

#: How the columns are named in messages to analysts.
LABELS = {
    "dossier_id": "mã hồ sơ", "procedure_code": "mã thủ tục", "procedure_name": "tên thủ tục hành chính",
    "field": "lĩnh vực", "unit": "đơn vị tiếp nhận", "channel": "hình thức nộp", "service_level": "mức độ",
    "received_at": "ngày tiếp nhận", "due_at": "ngày hẹn trả", "resolved_at": "ngày có kết quả",
    "status": "trạng thái hồ sơ", "fee_required": "có phí, lệ phí", "paid_online": "thanh toán trực tuyến",
    "result_digitized": "số hóa kết quả", "eid_verified": "xác thực VNeID",
}  # fmt: skip


def _column(data: pd.DataFrame, name: str) -> pd.Series:
    if name in data.columns:
        return data[name]
    return pd.Series(None, index=data.index, dtype=object)


def _period(table: SheetTable, received: pd.Series) -> tuple[dt.date, dt.date] | None:
    """The data's own period: the one named in the title block (else the median reception date),
    widened over reception dates that follow on from it without a gap of :data:`PERIOD_MARGIN_YEARS`
    years. A date far from this block (a typed 2042 for 2024) stands out; a long export does not."""
    named = period_from_title(table.title)
    stamps = np.sort(received.dropna().to_numpy(dtype="datetime64[us]").astype("int64"))
    if not len(stamps):
        return named
    if named:
        low, high = (int(np.datetime64(d, "us").astype("int64")) for d in named)
    else:
        low = high = int(stamps[(len(stamps) - 1) // 2])
    high = _follow_on(high, stamps[stamps > high])
    low = -_follow_on(-low, -stamps[stamps < low][::-1])
    as_date = lambda us: pd.Timestamp(us, unit="us").date()  # noqa: E731
    return as_date(low), as_date(high)


def _follow_on(bound: int, later: np.ndarray) -> int:
    """The last of the ascending ``later`` values reached from ``bound`` in steps shorter than the margin.

    >>> day = 86_400_000_000
    >>> _follow_on(0, np.array([300, 600, 2000]) * day) == 600 * day
    True
    """
    if not len(later):
        return bound
    step = 365 * PERIOD_MARGIN_YEARS * 86_400_000_000  # microseconds
    breaks = np.flatnonzero(np.diff(np.concatenate([[bound], later])) > step)
    if not len(breaks):
        return int(later[-1])
    return bound if breaks[0] == 0 else int(later[breaks[0] - 1])


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _typed(table: SheetTable, ctx: CleanContext) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Type one sheet's rows; return the candidates (checks passed), the quarantine frame and warnings."""
    data = table.data
    missing = [LABELS[c] for c in REQUIRED_COLUMNS if c not in data.columns]
    warnings = [f"{table.raw.label}: không có cột {', '.join(missing)}; mọi dòng của bảng bị cách ly."] if missing else []
    faults = Faults(data)
    # The dates are parsed in a thread of their own (their Arrow kernels release the interpreter's lock)
    # while this one keys the applicants; the checks are still added in their order below.
    parsing = _Background(_parse_date_columns, {name: _column(data, name) for name in DATE_COLUMNS})
    applicant = ctx.applicant_key(data.get("applicant_id"), data.get("applicant_name"), data.get("applicant_phone"))
    out = pd.DataFrame(index=data.index)
    for name in TEXT_COLUMNS:
        out[name] = as_text(_column(data, name))

    faults.add(out["dossier_id"].isna(), "dossier_id", "Thiếu mã hồ sơ.")
    dates = parsing.result()
    for name, parsed in dates.items():
        out[name] = parsed.values
    faults.add(out["received_at"].isna() & dates["received_at"].problems.isna(), "received_at", "Thiếu ngày tiếp nhận.")
    for name, parsed in dates.items():
        bad = parsed.problems.notna()
        if bad.any():
            faults.add(bad, name, date_reason(LABELS[name], parsed.problems, _column(data, name)))

    received_day = out["received_at"].dt.normalize()
    faults.add(out["resolved_at"].dt.normalize() < received_day, "resolved_at",
               "Ngày có kết quả trước ngày tiếp nhận.")
    period = _period(table, out["received_at"][~faults.failed])
    if period:
        low = pd.Timestamp(_shift_years(period[0], -PERIOD_MARGIN_YEARS))
        high = pd.Timestamp(_shift_years(period[1], PERIOD_MARGIN_YEARS)) + pd.Timedelta(days=1)
        span = f"{period[0]:%d/%m/%Y}–{period[1]:%d/%m/%Y}"
        for name in DATE_COLUMNS:
            outside = (out[name] < low) | (out[name] >= high)
            faults.add(outside, name, f"{LABELS[name].capitalize()} lệch quá {PERIOD_MARGIN_YEARS} năm so với "
                                      f"kỳ của dữ liệu ({span}): có thể gõ nhầm năm.")
    tomorrow = pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    for name in ("received_at", "resolved_at"):  # facts already happened: never after the run's day
        faults.add(out[name] >= tomorrow, name, f"{LABELS[name].capitalize()} ở tương lai "
                                                f"(sau ngày chạy {pd.Timestamp.now():%d/%m/%Y}): có thể gõ nhầm năm.")

    for name, section in (("channel", "channel"), ("status", "status")):
        raw = _column(data, name)
        matched = match_vocab(raw, section)
        out[name] = matched.values
        faults.add(raw.isna(), name, f"Thiếu {LABELS[name]}.")
        faults.add(matched.conflict.notna(), name, conflict_reason(LABELS[name], matched.conflict))
        faults.add(matched.unknown, name, unknown_label_reason(LABELS[name], section))
    for name in ("procedure_name", "field"):
        faults.add(out[name].isna(), name, f"Thiếu {LABELS[name]}.")

    level, unknown_level = map_vocab(_column(data, "service_level"), "service_level")
    out["service_level"] = level.mask(level.isna() & ~unknown_level & (out["channel"] != "online"), "none")
    warnings += _unknown_warning(table, "service_level", _column(data, "service_level"), unknown_level, faults.failed)
    for name in FLAG_COLUMNS:
        raw = paid_codes(_column(data, name)) if name == "paid_online" else _column(data, name)
        out[name], unknown = map_flags(raw)
        warnings += _unknown_warning(table, name, _column(data, name), unknown, faults.failed)

    out["applicant_key"] = applicant
    out["source"] = sources(table, data["row"])
    out["row"] = data["row"]
    failed = faults.failed
    kept = out[~failed] if failed.any() else out
    return kept, faults.records(table), warnings


def _parse_date_columns(columns: dict[str, pd.Series]) -> dict[str, object]:
    """:func:`parse_dates` of each column, by name."""
    return {name: parse_dates(values) for name, values in columns.items()}


class _Background:
    """``function(argument)`` run in a thread of its own; :meth:`result` waits for it (its error is raised there)."""

    def __init__(self, function: object, argument: object) -> None:
        import threading

        self._box: dict[str, object] = {}
        self._thread = threading.Thread(target=self._run, args=(function, argument), name="cchc-dates", daemon=True)
        self._thread.start()

    def _run(self, function: object, argument: object) -> None:
        try:
            self._box["result"] = function(argument)  # type: ignore[operator]
        except BaseException as exc:  # noqa: BLE001 - raised by result()
            self._box["error"] = exc

    def result(self) -> object:
        """The function's result, once it is done."""
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]  # type: ignore[misc]
        return self._box["result"]


def paid_codes(values: pd.Series) -> pd.Series:
    """The payment codes of the online-payment column (``DuocThanhToanTrucTuyen``) as flags, before the
    yes/no words: ``vocab.yaml`` ``paid_online_code`` (1 = paid on the national portal, 2 = paid through the
    province's payment portal: both paid online; 3 = meaning unknown: left blank, no warning).

    >>> paid_codes(pd.Series([1, "2", 3.0, 0, "Có", None], dtype=object)).tolist()
    [True, True, None, 0, 'Có', None]
    """
    from cchc_analysis.ingest.numbers import code_text
    from cchc_analysis.registry import load

    codes = load("vocab")["paid_online_code"]
    true, unknown = {str(c) for c in codes["true"]}, {str(c) for c in codes["unknown"]}
    cells = values.to_numpy(dtype=object)
    positions, distinct = pd.factorize(cells, use_na_sentinel=True)  # each distinct cell read once
    texts = [code_text(v) for v in distinct]
    out = cells.copy()
    for marks, value in ((true, True), (unknown, None)):
        hits = np.flatnonzero(np.isin(positions, [i for i, t in enumerate(texts) if t in marks]))
        out[hits] = value
    return pd.Series(out, index=values.index, dtype=object)


def _unknown_warning(table: SheetTable, name: str, raw: pd.Series, unknown: pd.Series, failed: pd.Series) -> list[str]:
    unknown = unknown & ~failed
    if not unknown.any():
        return []
    examples = ", ".join(f"«{v}»" for v in pd.unique(raw[unknown].astype(str))[:3])
    return [f"{table.raw.label}: cột «{LABELS[name]}» có {int(unknown.sum())} giá trị không nhận ra ({examples}), "
            "để trống."]


def deduplicate(candidates: pd.DataFrame) -> pd.Series:
    """Mask of duplicate rows by the contract's rule (the kept row is False).

    ``candidates`` needs ``dossier_id``, ``status``, ``resolved_at``, ``received_at`` and ``order``
    (reading order, breaking full ties in favour of the first row read).

    >>> frame = pd.DataFrame({"dossier_id": ["A", "A", "A", "B"],
    ...     "status": ["in_progress", "returned", "resolved", "resolved"],
    ...     "resolved_at": pd.to_datetime([None, "2025-01-02", "2025-01-05", None]),
    ...     "received_at": pd.to_datetime(["2024-12-01"] * 4), "order": [0, 1, 2, 3]})
    >>> deduplicate(frame).tolist()
    [True, True, False, False]
    """
    order, first = _ranked(candidates)
    duplicate = np.empty(len(order), dtype=bool)
    duplicate[order] = ~first
    return pd.Series(duplicate, index=candidates.index)


def _ranked(candidates: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions sorted by dossier id, best row first within an id; and which of them come first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    nat = np.iinfo("int64").min  # NaT sorts as the earliest
    ids = candidates["dossier_id"]
    if isinstance(ids.dtype, pd.StringDtype) and ids.dtype.storage == "pyarrow":
        id_array = pa.array(ids.array)  # the Arrow texts themselves (sorted as the same bytes)
    else:
        id_array = pa.array(ids.to_numpy(dtype=object), type=pa.string())
    keys = pa.table({
        "id": id_array,
        "final": candidates["status"].isin(FINAL_STATUSES).to_numpy(dtype=bool).astype("int8"),
        "resolved": _as_int64(candidates["resolved_at"], nat),
        "received": _as_int64(candidates["received_at"], nat),
        "order": candidates["order"].to_numpy(dtype="int64"),
    })  # fmt: skip
    # Within an id: a final status first, then the latest resolution, the latest reception, the first row read.
    order = pc.sort_indices(keys, sort_keys=[("id", "ascending"), ("final", "descending"), ("resolved", "descending"),
                                             ("received", "descending"), ("order", "ascending")])
    sorted_ids = pc.take(keys["id"], order)
    first = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        first[1:] = pc.not_equal(sorted_ids[1:], sorted_ids[:-1]).to_numpy()
    return order.to_numpy(), first


def _as_int64(stamps: pd.Series, missing: int) -> np.ndarray:
    values = stamps.to_numpy(dtype="datetime64[us]")
    return np.where(np.isnat(values), missing, values.astype("int64"))


def clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean all dossier sheets of a run together (see the module docstring)."""
    result = KindResult()
    candidates: list[pd.DataFrame] = []
    read_counts: list[tuple[str, str | None, int, int]] = []
    quarantine: list[pd.DataFrame] = []
    extras = [dossier_extras.extract(table) for table in tables]  # 766 index facts (not in the contract)
    for position, table in enumerate(tables):
        kept, bad, warnings = _typed(table, ctx)
        ctx.progress(len(table.data))
        kept["order"] = position * (1 << 32) + kept["row"].astype("int64")
        kept["sheet_index"] = position
        candidates.append(kept)
        quarantine.append(bad)
        read_counts.append((table.file.name, table.sheet, len(table.data), len(bad)))
        result.warnings += warnings
        table.data = table.data.iloc[0:0]  # release the raw cells
    frame = pd.concat(candidates, ignore_index=True) if len(candidates) > 1 else candidates[0].reset_index(drop=True)
    order, first = _ranked(frame)
    dropped = frame["sheet_index"].to_numpy(dtype="int64")[order[~first]]
    per_sheet = np.bincount(dropped, minlength=len(tables))
    for position, (file, sheet, read, bad) in enumerate(read_counts):
        dups = int(per_sheet[position])
        result.counts.append(SheetCounts(file, sheet, "dossiers", read, read - bad - dups, bad, dups))
    result.tables["dossiers"] = frame.iloc[order[first]][OUTPUT_COLUMNS].reset_index(drop=True)  # sorted by id
    result.quarantine = pd.concat(quarantine, ignore_index=True) if quarantine else []
    result.tables.update(dossier_extras.tables(extras, result.tables["dossiers"]["source"]))
    return result


KINDS = (Kind(name="dossiers", tables=("dossiers", "dossier_events", "dossier_facts"), clean=clean,
              required=("dossier_id", "received_at"), locate=dossier_extras.locate),)
