"""A Word draft of the sơ kết report, laid out as an administrative document (Nghị định 30/2020/NĐ-CP).

:func:`write_draft` takes tidy inputs (the programme's areas, its clauses with their measures and
statuses, the task counts and the figures of each area) and writes a ``.docx`` the office finishes by
hand:

- the header of an administrative document: a two-column table with the issuing body on the left
  (``UBND TỈNH KHÁNH HÒA`` / ``SỞ CÔNG THƯƠNG`` and ``Số: …/BC-SCT``, number left blank) and the national
  motto on the right (quốc hiệu, tiêu ngữ underlined, ``Khánh Hòa, ngày … tháng … năm …`` in italics);
  the kind of document (``BÁO CÁO``) and its summary (trích yếu) centred below;
- A4 with the decree's margins (top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm), Times New
  Roman 13–14 pt, page numbers centred at the top from the second page;
- one section per area of the programme, in the order given: a table of its clauses (the programme's
  wording, the value of the review year, the target, the status in words, the trend and the 2021–2025
  figure), its figures, a generated reading of what was met and what was not (built only from the
  inputs: no number is computed here), and the summary of its tasks by lead unit;
- highlighted places for the office to write: shortcomings, their causes, the directions for
  2026–2030, proposals, other results of each area and the name of the signer;
- the ``Nơi nhận:`` block and the signature block at the end.

The package is split by concern: :mod:`~cchc_analysis.docx_draft.layout` (the decree's page, styles,
header, signature block and the writing primitives), :mod:`~cchc_analysis.docx_draft.content` (the
readings and tables of each area) and :mod:`~cchc_analysis.docx_draft.text` (cell values as printed);
:func:`write_draft` puts the sections together. Only the columns named below are read: nothing else of
the inputs (and so no personal data) can reach the document. The document's dates are fixed and the
package is written with fixed timestamps, so that two runs on the same inputs give the same bytes.

>>> import tempfile
>>> import docx
>>> areas = pd.DataFrame({"area": ["II.1"], "title_vi": ["Cải cách thể chế"]})
>>> path = write_draft(Path(tempfile.mkdtemp()) / "so-ket.docx", year=2025,
...     period_label_vi="giai đoạn 2021–2025", areas=areas, clauses=pd.DataFrame(),
...     tasks=pd.DataFrame(), figures={})
>>> document = docx.Document(str(path))
>>> [p.text for p in document.paragraphs if p.style.name == "Heading 2"][0]
'1. Cải cách thể chế'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis.docx_draft.content import (
    AREA_COLUMNS,
    BEHIND,
    CLAUSE_COLUMNS,
    RESULT_COLUMNS,
    STATUS_COUNT_WORDS_VI,
    TASK_COLUMNS,
    _applies,
    _frame,
    area_reading,
    basis_lines,
    clause_table,
    task_summary,
)
from cchc_analysis.docx_draft.layout import (
    DOCUMENT_KIND,
    PLACEHOLDERS,
    QUOC_HIEU,
    SUMMARY_LINES,
    TIEU_NGU,
    DraftSettings,
    Writer,
    settings_of,
)
from cchc_analysis.docx_draft.text import MISSING, SHORT_CLAUSE_CHARS, _missing, _text, short_clause
from cchc_analysis.io import write_bytes_atomic

__all__ = ["AREA_COLUMNS", "BEHIND", "CLAUSE_COLUMNS", "DOCUMENT_KIND", "MISSING", "PLACEHOLDERS", "QUOC_HIEU",
           "RESULT_COLUMNS", "SHORT_CLAUSE_CHARS", "STATUS_COUNT_WORDS_VI", "SUMMARY_LINES", "TASK_COLUMNS",
           "TIEU_NGU", "DraftSettings", "area_reading", "short_clause", "task_summary", "write_draft"]


def write_draft(path: Path | str, *, year: int, period_label_vi: str, areas: pd.DataFrame,
                clauses: pd.DataFrame, tasks: pd.DataFrame, figures: Mapping[str, Sequence[Any]],
                settings: DraftSettings | Mapping[str, Any] | None = None) -> Path:
    """Write the Word draft of the sơ kết report; return ``path``.

    Parameters
    ----------
    path : path
        The ``.docx`` to write (atomically: an interrupted run keeps the previous file).
    year : int
        The review year (the year of the values shown).
    period_label_vi : str
        What the report covers, as it reads in a sentence (``"giai đoạn 2021–2025"``).
    areas : pandas.DataFrame
        ``area`` (``"II.1"`` … ``"II.6"``, ``"III"``) and ``title_vi``, in the programme's order: one
        section each, in that order.
    clauses : pandas.DataFrame
        One row per clause: ``area``, ``clause_id``, ``part``, ``year``, ``text_vi`` (verbatim),
        ``quantitative``, ``applies``, ``reason`` (why it does not apply), ``indicator_id``,
        ``value``, ``value_text``, ``target_text``, ``status``, ``status_vi``, ``trend_text``,
        ``value_2021_2025_text`` and, optionally, ``indicator_title`` and ``basis_note`` (the sentence on
        the years of the trend not on the merged basis of 01/07/2025, printed under the area's table).
        Rows without a measure are allowed (their cells show an en dash).
        The texts are printed as given: no number is computed here.
    tasks : pandas.DataFrame
        ``area``, ``lead_unit``, ``done``, ``late``, ``open`` (counts of tasks).
    figures : mapping
        Area → list of PNG paths (or ``(path, caption)`` pairs), shown under the area's table.
    settings : DraftSettings or mapping, optional
        The agency, signer, recipients, fonts and margins (default: :class:`DraftSettings`).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        When an input lacks a column it needs, or names an area that ``areas`` does not have.
    """
    conf = settings_of(settings)
    areas = _frame(areas, AREA_COLUMNS, "areas", AREA_COLUMNS)
    clauses = _frame(clauses, CLAUSE_COLUMNS, "clauses", ("area", "text_vi"))
    tasks = _frame(tasks, TASK_COLUMNS, "tasks", TASK_COLUMNS)
    known = [_text(a) for a in areas["area"]]
    for name, used in (("clauses", clauses["area"]), ("tasks", tasks["area"]), ("figures", list(figures))):
        unknown = sorted({_text(a) for a in used} - set(known))
        if unknown:
            raise ValueError(f"{name} name areas that are not in `areas`: {unknown}")

    w = Writer(conf)
    w.header()
    w.paragraph("Thực hiện Quyết định số 09/QĐ-SCT ngày 28/01/2022 của Sở Công Thương ban hành Chương trình "
                "cải cách hành chính của Sở Công Thương tỉnh Khánh Hòa giai đoạn 2021–2030, Sở Công Thương "
                f"báo cáo kết quả sơ kết {_text(period_label_vi)} như sau:")
    w.doc.add_heading("I. KẾT QUẢ THỰC HIỆN", level=1)
    applying = clauses[_applies(clauses)]
    overall = area_reading(applying)[0].replace("của lĩnh vực", "của Chương trình áp dụng đối với Sở")
    if len(applying):
        skipped = len(clauses) - len(applying)
        w.paragraph(overall[:-1] + (f"; {skipped} mục tiêu không áp dụng đối với Sở." if skipped else "."))

    for number, area in enumerate(areas.to_dict("records"), start=1):
        code = _text(area["area"])
        w.doc.add_heading(f"{number}. {_text(area['title_vi'])}", level=2)
        rows = clauses[clauses["area"].map(_text) == code]
        applies = rows[_applies(rows)]
        if len(applies):
            clause_table(w, applies, year, code)
            for line in basis_lines(applies):  # the trend column compares years on different bases
                w.paragraph(line, italic=True, size=conf.table_font_size_pt + 1)
        for rec in rows[~_applies(rows)].to_dict("records"):
            w.paragraph(f"Không áp dụng đối với Sở: “{short_clause(rec['text_vi'])}”"
                        + (f" ({_text(rec['reason'])})" if not _missing(rec["reason"]) else "") + ".",
                        italic=True)
        for item in figures.get(code) or figures.get(area["area"]) or []:
            w.figure(item)
        for line in area_reading(rows):
            w.paragraph(line)
        text, table = task_summary(tasks[tasks["area"].map(_text) == code])
        w.paragraph("Kết quả thực hiện nhiệm vụ: " + text[0].lower() + text[1:])
        if len(table):
            wide = conf.text_width_cm - 4 * 2.3
            w.grid(list(table.columns), [[_text(v) for v in r] for r in table.itertuples(index=False)],
                   (wide, 2.3, 2.3, 2.3, 2.3), ("left", "center", "center", "center", "center"),
                   f"Tình hình thực hiện nhiệm vụ lĩnh vực {code}")
        w.placeholder("area_other")

    w.doc.add_heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", level=1)
    w.doc.add_heading("1. Tồn tại, hạn chế", level=2)
    behind = applying[applying["status"].map(lambda s: _text(s, "")).isin(BEHIND)]
    if len(behind):
        w.paragraph("Theo số liệu theo dõi, các mục tiêu chưa đạt hoặc chậm so với lộ trình: "
                    + "; ".join(f"“{short_clause(t)}” ({_text(v)} so với mục tiêu {_text(g)})"
                                for t, v, g in zip(behind["text_vi"], behind["value_text"], behind["target_text"],
                                                   strict=True)) + ".")
    w.placeholder("shortcomings")
    w.doc.add_heading("2. Nguyên nhân", level=2)
    w.placeholder("causes")
    w.doc.add_heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2026–2030", level=1)
    ahead = applying[(applying["year"].map(lambda y: _text(y, "")) == "2030")
                     & (applying["status"].map(lambda s: _text(s, "")) != "met")]
    if len(ahead):
        w.paragraph("Các mục tiêu đến năm 2030 cần tiếp tục tập trung thực hiện: "
                    + "; ".join(f"“{short_clause(t)}”" + (f" (mục tiêu {_text(g)})" if not _missing(g) else "")
                                for t, g in zip(ahead["text_vi"], ahead["target_text"], strict=True)) + ".")
    w.placeholder("directions")
    w.doc.add_heading("IV. KIẾN NGHỊ, ĐỀ XUẤT", level=1)
    w.placeholder("proposals")
    w.paragraph("Trên đây là báo cáo sơ kết 5 năm thực hiện Chương trình cải cách hành chính giai đoạn "
                "2021–2030 của Sở Công Thương tỉnh Khánh Hòa./.")
    w.signature()
    return write_bytes_atomic(Path(path), w.save())
