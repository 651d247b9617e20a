"""What the draft says: the readings of each area and the tables of its clauses and tasks.

The readings are built only from the inputs (their texts are printed as given: no number is computed
here); only the columns named below are read, so nothing else of the inputs (and so no personal data)
can reach the document. The layout is :mod:`cchc_analysis.docx_draft.layout`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cchc_analysis.docx_draft.layout import Writer
from cchc_analysis.docx_draft.text import _count, _flag, _missing, _text, short_clause

#: Status codes (docs/contract.md section 4) in the order a reading counts them, with their words.
STATUS_COUNT_WORDS_VI = {
    "met": "đã đạt",
    "on_track": "đúng lộ trình",
    "at_risk": "có nguy cơ không đạt",
    "off_track": "chậm so với lộ trình",
    "not_yet_due": "chưa đến kỳ đánh giá",
    "no_target": "chưa có mục tiêu bằng số",
    "no_data": "chưa có số liệu",
}
BEHIND = ("off_track", "at_risk")
MISSING = "–"

CLAUSE_COLUMNS = ("area", "clause_id", "part", "year", "text_vi", "quantitative", "applies", "reason",
                  "indicator_id", "value", "value_text", "target_text", "status", "status_vi",
                  "trend_text", "value_2021_2025_text", "indicator_title", "basis_note")
TASK_COLUMNS = ("area", "lead_unit", "done", "late", "open")
AREA_COLUMNS = ("area", "title_vi")


def _applies(frame: pd.DataFrame) -> pd.Series:
    """Which rows of a clause frame apply to the Department (a missing flag counts as applying)."""
    return pd.Series([_flag(a) for a in frame["applies"]], index=frame.index, dtype=bool)


def _frame(frame: pd.DataFrame | None, columns: Sequence[str], name: str,
           required: Sequence[str]) -> pd.DataFrame:
    """Only the named columns of ``frame`` (missing optional ones empty); other columns are dropped."""
    frame = pd.DataFrame() if frame is None else frame
    if len(frame) and (missing := [c for c in required if c not in frame.columns]):
        raise ValueError(f"{name} lacks the columns {missing}")
    out = pd.DataFrame({c: frame[c] if c in frame.columns else pd.Series([None] * len(frame), dtype=object)
                        for c in columns}, index=frame.index)
    return out.reset_index(drop=True)


# --- the readings ------------------------------------------------------------------------------------


def area_reading(clauses: pd.DataFrame) -> list[str]:
    """Vietnamese sentences on what an area met and what it did not, from its clauses' inputs only.

    Parameters
    ----------
    clauses : pandas.DataFrame
        The area's clauses (the columns of :data:`CLAUSE_COLUMNS`; ``applies`` false ones are left
        out of the counts).

    Returns
    -------
    list of str
        A count by status, then the clauses met, those behind (with their value and target as given)
        and those without data.

    Examples
    --------
    >>> rows = pd.DataFrame({"text_vi": ["Tỷ lệ A đạt 30%.", "Tỷ lệ B đạt 90%."],
    ...     "year": [2025, 2025], "value_text": ["35,0%", "80,0%"], "target_text": ["≥ 30%", "≥ 90%"],
    ...     "status": ["met", "off_track"], "status_vi": ["Đã đạt", "Chậm so với lộ trình"],
    ...     "applies": [True, True]})
    >>> for line in area_reading(rows): print(line)
    Trong 2 mục tiêu, chỉ tiêu của lĩnh vực: 1 đã đạt, 1 chậm so với lộ trình.
    Đã đạt: “Tỷ lệ A đạt 30%” (35,0%, mục tiêu năm 2025 ≥ 30%).
    Chưa đạt hoặc chậm so với lộ trình: “Tỷ lệ B đạt 90%” (80,0%, mục tiêu năm 2025 ≥ 90%; chậm so với lộ trình).
    """
    rows = _frame(clauses, CLAUSE_COLUMNS, "clauses", ())
    rows = rows[_applies(rows)]
    if rows.empty:
        return ["Lĩnh vực này không có mục tiêu, chỉ tiêu cụ thể áp dụng đối với Sở; kết quả được đánh giá "
                "qua việc thực hiện các nhiệm vụ dưới đây."]
    statuses = [_text(s, "no_data") for s in rows["status"]]
    counts: dict[str, int] = {}
    for status, words in zip(statuses, rows["status_vi"], strict=True):
        key = status if status in STATUS_COUNT_WORDS_VI else _text(words, status).lower()
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{n} {STATUS_COUNT_WORDS_VI.get(k, k)}" for k, n in
             sorted(counts.items(), key=lambda kv: list(STATUS_COUNT_WORDS_VI).index(kv[0])
                    if kv[0] in STATUS_COUNT_WORDS_VI else len(STATUS_COUNT_WORDS_VI))]
    lines = [f"Trong {len(rows)} mục tiêu, chỉ tiêu của lĩnh vực: " + ", ".join(parts) + "."]

    def described(rec: Mapping[str, Any], with_status: bool) -> str:
        facts = []
        if not _missing(rec["value_text"]):  # the value is the review year's; the year is the target's
            facts.append(_text(rec["value_text"]))
        if not _missing(rec["target_text"]):
            year = "" if _missing(rec["year"]) else f"năm {_text(rec['year'])} "
            facts.append(f"mục tiêu {year}{_text(rec['target_text'])}")
        text = ", ".join(facts)
        if with_status and not _missing(rec["status_vi"]):
            text += ("; " if text else "") + _text(rec["status_vi"]).lower()
        return f"“{short_clause(rec['text_vi'])}”" + (f" ({text})" if text else "")

    records = rows.to_dict("records")
    groups = [("Đã đạt", ("met",), False), ("Đúng lộ trình", ("on_track",), False),
              ("Chưa đạt hoặc chậm so với lộ trình", BEHIND, True)]
    for label, codes, with_status in groups:
        chosen = [described(r, with_status) for r, s in zip(records, statuses, strict=True) if s in codes]
        if chosen:
            lines.append(f"{label}: " + "; ".join(chosen) + ".")
    no_data = [f"“{short_clause(r['text_vi'])}”" for r, s in zip(records, statuses, strict=True)
               if s == "no_data"]
    if no_data:
        lines.append("Chưa có số liệu để đánh giá: " + "; ".join(no_data) + ".")
    return lines


def task_summary(tasks: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The tasks of an area: one sentence and a table by lead unit (with a total row).

    ``done``, ``late`` and ``open`` are read as separate counts (a task is in one of them).

    >>> text, table = task_summary(pd.DataFrame({"lead_unit": ["Văn phòng", "Phòng QLTM"],
    ...     "done": [3, 1], "late": [0, 2], "open": [1, 0]}))
    >>> text
    'Lĩnh vực có 7 nhiệm vụ theo dõi: 4 đã hoàn thành, 2 trễ hạn, 1 đang thực hiện. Đơn vị có nhiệm vụ trễ hạn: Phòng QLTM (2).'
    >>> table.iloc[-1].astype(str).tolist()
    ['Tổng cộng', '4', '2', '1', '7']
    """
    rows = _frame(tasks, TASK_COLUMNS, "tasks", ())
    columns = ["Đơn vị chủ trì", "Đã hoàn thành", "Trễ hạn", "Đang thực hiện", "Tổng"]
    if rows.empty:
        return ("Chưa có nhiệm vụ nào của lĩnh vực trong sổ theo dõi nhiệm vụ.", pd.DataFrame(columns=columns))
    records = []
    for unit, group in rows.groupby(rows["lead_unit"].map(lambda u: _text(u, "Chưa xác định")), sort=False):
        done, late, open_ = (sum(_count(v) for v in group[c]) for c in ("done", "late", "open"))
        records.append([unit, int(done), int(late), int(open_), int(done + late + open_)])
    table = pd.DataFrame(records, columns=columns)
    totals = [int(table[c].sum()) for c in columns[1:]]
    table.loc[len(table)] = ["Tổng cộng", *totals]
    text = (f"Lĩnh vực có {totals[3]} nhiệm vụ theo dõi: {totals[0]} đã hoàn thành, {totals[1]} trễ hạn, "
            f"{totals[2]} đang thực hiện.")
    late_units = [f"{u} ({n})" for u, n in zip(table["Đơn vị chủ trì"][:-1], table["Trễ hạn"][:-1], strict=True)
                  if n]
    if late_units:
        text += " Đơn vị có nhiệm vụ trễ hạn: " + ", ".join(late_units) + "."
    return text, table


#: Columns of the results table: header, width (cm; the clause takes what is left) and alignment.
RESULT_COLUMNS = (("STT", 0.9, "center"), ("Mục tiêu, chỉ tiêu (trích Chương trình)", None, "left"),
                  ("Kết quả năm {year}", 2.0, "center"), ("Mục tiêu", 2.0, "center"),
                  ("Đánh giá", 2.1, "center"), ("Xu hướng từ 2021", 2.1, "center"),
                  ("Giai đoạn 2021–2025", 2.0, "center"))


def clause_table(w: Writer, rows: pd.DataFrame, year: int, code: str) -> None:
    header = [h.format(year=year) for h, _, _ in RESULT_COLUMNS]
    fixed = sum(width for _, width, _ in RESULT_COLUMNS if width)
    widths = [width or (w.s.text_width_cm - fixed) for _, width, _ in RESULT_COLUMNS]
    values = []
    for n, rec in enumerate(rows.to_dict("records"), start=1):
        clause = _text(rec["text_vi"])
        if not _missing(rec["year"]):
            clause = f"Đến năm {_text(rec['year'])}: {clause}"
        values.append([str(n), clause, _text(rec["value_text"]), _text(rec["target_text"]),
                       _text(rec["status_vi"]), _text(rec["trend_text"]), _text(rec["value_2021_2025_text"])])
    w.grid(header, values, widths, [a for _, _, a in RESULT_COLUMNS], f"Kết quả thực hiện mục tiêu lĩnh vực {code}")


def basis_lines(rows: pd.DataFrame) -> list[str]:
    """The sentences on the merger basis of the measures of an area's clauses, one per sentence, naming
    the measures it is about (``basis_note`` as given; none when every year is on the merged basis).

    >>> rows = pd.DataFrame({"indicator_title": ["Biên chế", "Biên chế", "Kinh phí"],
    ...     "basis_note": ["Số liệu năm 2024 chỉ gồm …", "Số liệu năm 2024 chỉ gồm …", None]})
    >>> basis_lines(rows)
    ['Phạm vi số liệu (Biên chế): Số liệu năm 2024 chỉ gồm …']
    """
    notes: dict[str, list[str]] = {}
    for rec in _frame(rows, CLAUSE_COLUMNS, "clauses", ()).to_dict("records"):
        note = _text(rec["basis_note"], "")
        if note:
            titles = notes.setdefault(note, [])
            title = _text(rec["indicator_title"], "")
            if title and title not in titles:
                titles.append(title)
    return [f"Phạm vi số liệu ({'; '.join(titles)}): {note}" if titles else f"Phạm vi số liệu: {note}"
            for note, titles in notes.items()]
