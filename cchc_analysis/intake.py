"""What came in: the files read, their kinds, the periods they cover, what was quarantined and why.

Notebook ``01_clean`` shows these tables; they are read from the cleaning's own records
(``reconciliation.csv``, ``quarantine.csv``) and from the canonical tables, never from raw exports.

>>> rec = pd.DataFrame({"file": ["a.xlsx", "b.csv"], "sheet": ["S1", None], "kind": ["dossiers", "survey"],
...     "rows_read": [5, 3], "rows_kept": [3, 3], "rows_quarantined": [1, 0], "rows_duplicate": [1, 0]})
>>> unbalanced_rows(rec).empty
True
>>> kinds_summary(rec)["Số tệp"].tolist()
[1, 1]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis.quality import QUARANTINE_COLUMNS, RECONCILIATION_COLUMNS

#: Vietnamese names of the kinds of export (docs/contract.md section 1).
KIND_LABELS_VI = {
    "dossiers": "Danh sách hồ sơ TTHC",
    "report06a": "Biểu 06a (tình hình giải quyết TTHC)",
    "evaluations": "Phiếu đánh giá sự hài lòng",
    "survey": "Khảo sát sự hài lòng",
    "budget": "Kinh phí đơn vị sự nghiệp",
    "payroll": "Biên chế, số người làm việc",
    "manual": "Chỉ tiêu tổng hợp thủ công",
    "procedures": "Danh mục thủ tục hành chính",
    "tasks": "Nhiệm vụ của Chương trình CCHC",
}
RECONCILIATION_HEADERS_VI = {
    "file": "Tệp", "sheet": "Trang tính", "kind": "Loại dữ liệu", "rows_read": "Dòng đọc được",
    "rows_kept": "Dòng giữ lại", "rows_quarantined": "Dòng cách ly", "rows_duplicate": "Dòng trùng",
}
#: Canonical table -> (Vietnamese name, date column(s) or year column giving the period covered).
COVERAGE = {
    "dossiers": ("Hồ sơ TTHC (ngày tiếp nhận)", "received_at"),
    "report06a": ("Biểu 06a (kỳ báo cáo)", ("period_start", "period_end")),
    "evaluations": ("Phiếu đánh giá (ngày đánh giá)", "evaluated_at"),
    "survey_responses": ("Khảo sát (ngày trả lời)", "submitted_at"),
    "budget": ("Kinh phí (năm)", "year"),
    "payroll": ("Biên chế (năm)", "year"),
    "manual_indicators": ("Chỉ tiêu thủ công (kỳ)", "period"),
}


def read_reconciliation(processed: Path | str) -> pd.DataFrame:
    """``reconciliation.csv`` of a processed folder (empty frame with the contract's columns if absent)."""
    path = Path(processed) / "reconciliation.csv"
    if not path.is_file():
        return pd.DataFrame(columns=RECONCILIATION_COLUMNS)
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"file": "string", "sheet": "string",
                                                             "kind": "string"})
    return frame.reindex(columns=RECONCILIATION_COLUMNS)


def read_quarantine(processed: Path | str) -> pd.DataFrame:
    """``quarantine.csv`` of a processed folder, values read as text (empty frame if absent)."""
    path = Path(processed) / "quarantine.csv"
    if not path.is_file():
        return pd.DataFrame(columns=QUARANTINE_COLUMNS)
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype="string", keep_default_na=False, na_values=[""])
    return frame.reindex(columns=QUARANTINE_COLUMNS)


def unbalanced_rows(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Rows where ``rows_read != rows_kept + rows_quarantined + rows_duplicate`` (should be none)."""
    r = reconciliation
    total = r["rows_kept"].astype("int64") + r["rows_quarantined"].astype("int64") + r["rows_duplicate"].astype(
        "int64")
    return r[r["rows_read"].astype("int64") != total]


def files_table(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """The files and sheets read, with Vietnamese headers and kinds, plus a total row."""
    r = reconciliation.copy()
    r["kind"] = r["kind"].map(lambda k: KIND_LABELS_VI.get(str(k), str(k)), na_action="ignore")
    counts = list(RECONCILIATION_COLUMNS[3:])
    total = pd.DataFrame([{"file": "Tổng cộng", **{c: int(r[c].sum()) for c in counts}}])
    r = pd.concat([r, total], ignore_index=True)
    r[counts] = r[counts].astype("int64")
    return r.rename(columns=RECONCILIATION_HEADERS_VI)


def kinds_summary(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Files and rows by kind of export.

    >>> rec = pd.DataFrame({"file": ["a", "a"], "sheet": ["1", "2"], "kind": ["budget"] * 2,
    ...     "rows_read": [2, 2], "rows_kept": [2, 1], "rows_quarantined": [0, 1], "rows_duplicate": [0, 0]})
    >>> s = kinds_summary(rec)
    >>> s["Loại dữ liệu"].tolist(), s["Số tệp"].tolist(), s["Dòng đọc được"].tolist()
    (['Kinh phí đơn vị sự nghiệp'], [1], [4])
    """
    r = reconciliation
    grouped = r.groupby("kind", sort=True).agg(
        files=("file", "nunique"), rows_read=("rows_read", "sum"), rows_kept=("rows_kept", "sum"),
        rows_quarantined=("rows_quarantined", "sum"), rows_duplicate=("rows_duplicate", "sum")).reset_index()
    grouped["kind"] = grouped["kind"].map(lambda k: KIND_LABELS_VI.get(str(k), str(k)))
    grouped = grouped.astype({c: "int64" for c in grouped.columns if c != "kind"})
    return grouped.rename(columns={**RECONCILIATION_HEADERS_VI, "files": "Số tệp"})


def quarantine_by_reason(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows by reason (most frequent first), with the files they came from.

    >>> q = pd.DataFrame({"file": ["a", "b", "a"], "sheet": None, "row": [3, 4, 5], "column": None,
    ...     "value": None, "reason": ["Thiếu mã hồ sơ.", "Ngày không hợp lệ.", "Thiếu mã hồ sơ."]})
    >>> quarantine_by_reason(q).values.tolist()
    [['Thiếu mã hồ sơ.', 2, 'a'], ['Ngày không hợp lệ.', 1, 'b']]
    """
    if quarantine.empty:
        return pd.DataFrame(columns=["Lý do", "Số dòng", "Tệp"])
    grouped = quarantine.groupby("reason", sort=False).agg(
        rows=("reason", "size"), files=("file", lambda s: ", ".join(sorted(set(s.dropna().astype(str))))))
    grouped = grouped.reset_index().sort_values(["rows", "reason"], ascending=[False, True], kind="stable")
    grouped["rows"] = grouped["rows"].astype("int64")
    return grouped.rename(columns={"reason": "Lý do", "rows": "Số dòng", "files": "Tệp"}).reset_index(drop=True)


def vocabulary_gaps(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Unknown labels, one line each: the label, how many rows it kept out, the registry key to extend.

    >>> q = pd.DataFrame({"file": ["a"] * 3, "value": ["Fax"] * 3,
    ...     "reason": ["Hình thức nộp không nhận ra: nhãn chưa có trong danh mục (vocab.yaml: channel)."] * 3})
    >>> vocabulary_gaps(q).values.tolist()
    [['Fax', 3, 'vocab.yaml: channel']]
    """
    from cchc_analysis.quality import vocabulary_gaps as gaps_of

    gaps = gaps_of(quarantine)
    out = pd.DataFrame({"Nhãn": gaps["label"], "Số dòng": gaps["rows"].astype("int64"),
                        "Cần bổ sung vào": "vocab.yaml: " + gaps["key"].astype(str)})
    return out.reset_index(drop=True)


def _bounds(frame: pd.DataFrame, column: str | tuple[str, str]) -> tuple[str, str]:
    from cchc_analysis.formatting import MISSING, date_label

    if isinstance(column, tuple):
        first, last = pd.to_datetime(frame[column[0]]).min(), pd.to_datetime(frame[column[1]]).max()
    elif column == "year":
        years = pd.to_numeric(frame[column], errors="coerce").dropna()
        return (str(int(years.min())), str(int(years.max()))) if len(years) else (MISSING, MISSING)
    elif column == "period":
        periods = frame[column].dropna().astype(str).sort_values()
        return (periods.iloc[0], periods.iloc[-1]) if len(periods) else (MISSING, MISSING)
    else:
        dates = pd.to_datetime(frame[column]).dropna()
        first, last = (dates.min(), dates.max()) if len(dates) else (None, None)
    return date_label(first), date_label(last)


def coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The periods each canonical table covers: rows, first and last date (or year, or period).

    >>> d = pd.DataFrame({"received_at": pd.to_datetime(["2024-03-01", "2021-01-04"])})
    >>> coverage({"dossiers": d}).values.tolist()
    [['Hồ sơ TTHC (ngày tiếp nhận)', 2, '04/01/2021', '01/03/2024']]
    """
    rows = []
    for name, (label, column) in COVERAGE.items():
        frame = tables.get(name)
        if frame is None:
            continue
        first, last = _bounds(frame, column)
        rows.append({"Bảng dữ liệu": label, "Số dòng": len(frame), "Từ": first, "Đến": last})
    return pd.DataFrame(rows, columns=["Bảng dữ liệu", "Số dòng", "Từ", "Đến"])


def problems(reconciliation: pd.DataFrame, quarantine: pd.DataFrame, top: int = 10) -> list[str]:
    """Plain Vietnamese sentences about what needs a look: unbalanced sheets, sheets with many
    quarantined rows, and the most frequent reasons.

    >>> rec = pd.DataFrame({"file": ["a.xlsx"], "sheet": ["S"], "kind": ["dossiers"], "rows_read": [10],
    ...     "rows_kept": [7], "rows_quarantined": [3], "rows_duplicate": [0]})
    >>> problems(rec, pd.DataFrame(columns=["file", "reason"]))
    ['a.xlsx (S): 3/10 dòng bị cách ly (30,0%).']
    """
    from cchc_analysis.formatting import percent

    out = []
    for rec in unbalanced_rows(reconciliation).to_dict("records"):
        out.append(f"{rec['file']}: số dòng không cân (đọc {rec['rows_read']}, giữ {rec['rows_kept']}, "
                   f"cách ly {rec['rows_quarantined']}, trùng {rec['rows_duplicate']}).")
    for rec in reconciliation.to_dict("records"):
        read, bad = int(rec["rows_read"]), int(rec["rows_quarantined"])
        if read and bad / read >= 0.05:
            where = rec["file"] if pd.isna(rec["sheet"]) else f"{rec['file']} ({rec['sheet']})"
            out.append(f"{where}: {bad}/{read} dòng bị cách ly ({percent(bad / read, 1)}).")
    from cchc_analysis.quality import gap_lines
    from cchc_analysis.quality import vocabulary_gaps as gaps_of

    gaps = gaps_of(quarantine)
    out.extend(f"Nhãn chưa có trong danh mục: {line}" for line in gap_lines(gaps.head(top)))
    if not quarantine.empty and "reason" in quarantine.columns:
        quarantine = quarantine[~quarantine["reason"].astype(str).str.contains("(vocab.yaml: ", regex=False)]
    for rec in quarantine_by_reason(quarantine).head(top).to_dict("records"):
        out.append(f"{rec['Số dòng']} dòng: {rec['Lý do']}")
    return out


def styled_table(frame: pd.DataFrame, name: str) -> Any:
    """A table for reading in a notebook or the HTML report: no row numbers, Vietnamese number marks
    (``1.234``, ``0,5``), an en dash for missing values, and an HTML id fixed by ``name`` (so that the
    report does not change between runs).

    >>> html = styled_table(pd.DataFrame({"Số dòng": [1234], "Tệp": [None]}), "demo").to_html()
    >>> "1.234" in html and "–" in html and 'id="T_demo"' in html
    True
    """
    from cchc_analysis.formatting import MISSING

    return (frame.style.set_uuid(name).hide(axis="index")
            .format(na_rep=MISSING, thousands=".", decimal=",", precision=1))
