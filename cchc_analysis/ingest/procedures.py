"""Kind ``procedures``: the Department's catalogue of administrative procedures (danh mục TTHC) → ``procedures.parquet``.

The catalogue as the Department publishes it: STT, the procedure's code on the national database
(``Mã TTHC``, ``1.000409``), its name, its field (a column, or the section row above it: ``I. Lĩnh vực
Điện``), the online-service level (``Toàn trình`` / ``Một phần`` / ``DVC``, or mức độ 4 / 3 / 2, through
``registry/vocab.yaml``: ``procedure_level``), and yes/no columns: eligible for online provision (đủ
điều kiện DVCTT), fee or charge, online payment deployed, integrated on the national portal (Cổng
DVCQG), internal procedure between state bodies (TTHC nội bộ), published (``Công bố/công khai``: a
decision number such as ``QĐ 1234/QĐ-UBND`` counts as published). Flags are read from ``x`` / ``Có`` /
``Không`` / ``1`` / ``0`` (``vocab.yaml``: ``flag``, then ``procedure_flag``: ``Đủ điều kiện``, ``Đã tích
hợp``…); a fee column that gives an amount (``500.000 đồng``) means a fee. A blank cell stays unknown
(null), except that a part of the catalogue headed as internal procedures (``B. Danh mục TTHC nội
bộ``) marks its rows as internal.

Rows:

- quarantined (first failing check wins): no procedure code; no name; no field (neither a column
  nor a section row names one; procedures listed in a part of internal procedures may have none); a level the vocabulary does not know;
- duplicates, across every sheet of the run: a row repeating a procedure code already read with the
  same values is a duplicate; with different values it is quarantined, naming the row it
  contradicts (the first row read wins).

A flag cell that is no yes/no word is left empty with a warning naming the values. The legal handling
time (``Thời hạn giải quyết``: ``15 ngày làm việc``), when the catalogue gives it, goes to the side
table ``procedure_terms.parquet`` (not in the contract; read by the 766 index for dossiers without a
due date).

>>> procedure_codes(pd.Series([1.000409, "2.000633", 2.00062, None, "  KHA-01 "], dtype=object)).tolist()
['1.000409', '2.000633', '2.000620', <NA>, 'KHA-01']
>>> legal_days(pd.Series(["15 ngày làm việc", "30 ngày", 10.0, "Theo quy định"], dtype=object))[0].tolist()
[15.0, 30.0, 10.0, nan]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, SheetTable
from cchc_analysis.ingest.kit import Faults, settle_overlaps, sources, split_overlaps, typed_sheets
from cchc_analysis.ingest.labels import map_flags, map_vocab
from cchc_analysis.ingest.numbers import as_text
from cchc_analysis.ingest.sections import sentence_case, strip_numeral
from cchc_analysis.ingest.text import fold
from cchc_analysis.schemas import PROCEDURE_TERMS, PROCEDURES

__all__ = ["KINDS", "clean", "legal_days", "procedure_codes"]

OUTPUT_COLUMNS = list(PROCEDURES.columns)
TERM_COLUMNS = list(PROCEDURE_TERMS.columns)
FLAG_COLUMNS = ("eligible_online", "fee_required", "online_payment", "on_national_portal", "internal", "published")
CONTENT_COLUMNS = ("procedure_code", "procedure_name", "field", "level", *FLAG_COLUMNS)
#: Columns that only a catalogue has (a dossier list never does); one of them, or the level, marks a catalogue.
CATALOGUE_ONLY = frozenset({"level", "eligible_online", "on_national_portal", "internal", "published", "online_payment"})

#: How the columns are named in messages to analysts.
LABELS = {
    "procedure_code": "mã TTHC", "procedure_name": "tên TTHC", "field": "lĩnh vực", "level": "mức độ DVCTT",
    "eligible_online": "đủ điều kiện DVCTT", "fee_required": "phí, lệ phí", "online_payment": "thanh toán trực tuyến",
    "on_national_portal": "tích hợp Cổng DVCQG", "internal": "TTHC nội bộ", "published": "công bố, công khai",
}  # fmt: skip

_NATIONAL_CODE = re.compile(r"^\d\.\d{1,6}$")
_DECISION_RE = re.compile(r"\b(?:qd|quyet dinh|so)\b|\d+\s*/\s*\d{4}|\d+ qd")
_AMOUNT_RE = re.compile(r"\d|\bphi\b|\bdong\b|thong tu|quy dinh|nghi dinh")
_DAYS_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ngay|ngày)?(\s*lam viec|\s*làm việc)?", re.IGNORECASE)
_INTERNAL_WORDS = ("noi bo",)
_PART_WORDS = ("tthc", "thu tuc", "danh muc", "phan ")


def _column(data: pd.DataFrame, name: str) -> pd.Series:
    return data[name] if name in data.columns else pd.Series(None, index=data.index, dtype=object)


def _code_of(value: object) -> object:
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        text = f"{float(value):.6f}"
        return text if _NATIONAL_CODE.match(text) else repr(float(value))
    return value


def procedure_codes(values: pd.Series) -> pd.Series:
    """Procedure codes as text: a code read as a number (``2.00062``) gets back its six decimals (``2.000620``).

    National procedure codes are written ``d.dddddd``; a spreadsheet that took one for a number drops
    its trailing zeros, which are restored. Other codes are kept as written (trimmed).
    """
    return as_text(values.map(_code_of, na_action="ignore")).str.strip().replace("", pd.NA)


def legal_days(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The legal handling time in days and its kind (``working`` unless the text says plain days).

    ``15 ngày làm việc`` and a bare ``15`` are working days; ``30 ngày`` calendar days; text without a
    number is unknown (NaN).
    """
    def one(value: object) -> tuple[float, str | None]:
        if value is None or isinstance(value, bool) or (isinstance(value, float) and np.isnan(value)):
            return np.nan, None
        if isinstance(value, (int, float, np.integer, np.floating)):
            return float(value), "working"
        match = _DAYS_RE.search(fold(str(value)))
        if not match:
            return np.nan, None
        return float(match.group(1).replace(",", ".")), "calendar" if match.group(2) and not match.group(3) else "working"

    pairs = [one(v) for v in values]
    days = pd.Series([p[0] for p in pairs], index=values.index, dtype="float64")
    return days, pd.Series([p[1] for p in pairs], index=values.index, dtype="string")


def _flags(raw: pd.Series, name: str) -> tuple[pd.Series, pd.Series]:
    """Booleans of one catalogue column and the mask of cells that are no yes/no word."""
    flags, unknown = map_flags(raw)
    if unknown.any():
        extra, still = map_vocab(raw.where(unknown), "procedure_flag")
        flags = flags.mask(unknown & extra.notna(), extra.eq("true"))
        unknown = unknown & still
    if unknown.any() and name in ("published", "fee_required"):
        text = raw.where(unknown).map(lambda v: fold(str(v)), na_action="ignore")
        pattern = _DECISION_RE if name == "published" else _AMOUNT_RE
        says_yes = text.map(lambda t: bool(pattern.search(t)), na_action="ignore").fillna(False).astype(bool)
        flags = flags.mask(says_yes, True)
        unknown = unknown & ~says_yes
    return flags.astype("boolean"), unknown


def _sections(table: SheetTable) -> tuple[pd.Series, pd.Series]:
    """Field and internal-part context of each data row, from the section rows above it.

    A section naming a part of procedures (``B. DANH MỤC TTHC NỘI BỘ``, ``A. TTHC cấp tỉnh``) sets
    whether the rows below are internal and clears the field; any other section names the field of
    its rows (``I. Lĩnh vực Điện``), inside the current part.
    """
    index = table.data.index
    field = pd.Series(pd.NA, index=index, dtype="string")
    internal = pd.Series(pd.NA, index=index, dtype="boolean")
    layout = table.layout
    if layout.empty or "role" not in layout.columns:
        return field, internal
    sections = layout[layout["role"] == "section"].sort_values("row")
    order = [name for _, name in sorted(table.header.columns.items()) if name in sections.columns]
    contexts: list[tuple[str | None, bool | None]] = []
    current_part: bool | None = None
    current_field: str | None = None
    for _, row in sections.iterrows():
        text = strip_numeral(" ".join(str(row[c]).strip() for c in order
                                      if row[c] is not None and not pd.isna(row[c]) and str(row[c]).strip()))
        folded = fold(text)
        if any(w in folded for w in _INTERNAL_WORDS):
            current_part, current_field = True, None
        elif any(w in folded + " " for w in _PART_WORDS) and not folded.startswith("linh vuc"):
            current_part, current_field = False, None
        elif text:
            name = re.sub(r"^(?:lĩnh vực|linh vuc)\s*[:\-–]?\s*", "", sentence_case(text), flags=re.IGNORECASE)
            current_field = name[:1].upper() + name[1:] if name else None
        contexts.append((current_field, current_part))
    positions = sections["row"].searchsorted(table.data["row"].to_numpy(), side="right") - 1
    for i, p in zip(index, positions, strict=True):
        if p >= 0:
            field[i] = contexts[p][0]
            if contexts[p][1] is not None:
                internal[i] = contexts[p][1]
    return field, internal


def _typed(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame, int, list[str]]:
    """Type one sheet: candidate rows (checks passed), quarantine records, rows read, warnings."""
    present = [c for c in CONTENT_COLUMNS if c in table.data.columns]
    data = table.data[table.data[present].notna().any(axis=1)] if present else table.data.iloc[0:0]
    faults = Faults(data)
    out = pd.DataFrame(index=data.index)
    warnings: list[str] = []
    out["procedure_code"] = procedure_codes(_column(data, "procedure_code"))
    out["procedure_name"] = as_text(_column(data, "procedure_name"))
    section_field, section_internal = _sections(table)
    field = as_text(_column(data, "field"))
    out["field"] = field.fillna(section_field.reindex(data.index))
    faults.add(out["procedure_code"].isna(), "procedure_code", "Thiếu mã TTHC.")
    faults.add(out["procedure_name"].isna(), "procedure_name", "Thiếu tên TTHC.")
    internal_part = section_internal.reindex(data.index).fillna(False).astype(bool)
    faults.add(out["field"].isna() & ~internal_part, "field", "Thiếu lĩnh vực (không có cột lĩnh vực và không có "
                                                              "dòng mục «Lĩnh vực …» ở trên).")
    raw_level = _column(data, "level")
    out["level"], unknown_level = map_vocab(raw_level, "procedure_level")
    faults.add(unknown_level, "level", "Mức độ DVCTT không nhận ra (cần Toàn trình, Một phần, DVC hoặc mức độ 4, 3, "
                                       "2; thêm cách ghi này vào registry/vocab.yaml, mục procedure_level nếu đúng).")
    for name in FLAG_COLUMNS:
        raw = _column(data, name)
        out[name], unknown = _flags(raw, name)
        shown = unknown & ~faults.failed
        if shown.any():
            examples = ", ".join(f"«{v}»" for v in pd.unique(raw[shown].astype(str))[:3])
            warnings.append(f"{table.raw.label}: cột «{LABELS[name]}» có {int(shown.sum())} giá trị không phải "
                            f"có/không ({examples}), để trống.")
    out["internal"] = out["internal"].fillna(section_internal.reindex(data.index))
    out["source"] = sources(table, data["row"])
    out["row"] = data["row"]
    days, kind = legal_days(_column(data, "legal_days"))
    out["legal_days"], out["day_kind"] = days, kind
    return out[~faults.failed], faults.records(table), len(data), warnings


def _comparable(frame: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    """``frame`` with ``values`` as plain text (blank as None), so that repeats compare without NA logic."""
    out = frame.copy()
    for name in values:
        out[name] = [None if pd.isna(v) else str(v) for v in frame[name]]
    return out


def clean(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean every catalogue sheet of a run together (see the module docstring)."""
    result = KindResult()
    frame, quarantine, reads, warnings = typed_sheets(tables, ctx, _typed)
    result.warnings += warnings
    values = [c for c in OUTPUT_COLUMNS if c not in ("procedure_code", "source")]
    status = split_overlaps(_comparable(frame, values), ["procedure_code"], values, within_sheet=True)
    status[values] = frame[values]
    settle_overlaps(result, "procedures", tables, frame, status, quarantine, reads, column="procedure_code",
                    value="procedure_code", reason=lambda row, where: (
                        f"Mã TTHC {row['procedure_code']} đã có ở {where} với thông tin khác (tên, lĩnh vực, mức "
                        "độ hoặc các cột có/không): kiểm tra lại bản nào đúng."))
    kept = status[status["status"] == "kept"]
    result.tables["procedures"] = kept[OUTPUT_COLUMNS].reset_index(drop=True)
    terms = kept[kept["legal_days"].notna()]
    result.tables["procedure_terms"] = terms[TERM_COLUMNS].reset_index(drop=True)
    result.quarantine = pd.concat(quarantine, ignore_index=True)
    return result


def score(header: Header) -> float:
    """Detection score: columns matched, when a code, a name and a catalogue-only column are there."""
    names = set(header.columns.values())
    if not {"procedure_code", "procedure_name"} <= names or not names & CATALOGUE_ONLY:
        return 0.0
    return float(len(names))


KINDS = (Kind(name="procedures", tables=("procedures", "procedure_terms"), clean=clean,
              required=("procedure_code", "procedure_name"), score=score),)
