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

Only the columns named below are read: nothing else of the inputs (and so no personal data) can reach
the document. The document's dates are fixed and the package is written with fixed timestamps, so that
two runs on the same inputs give the same bytes.

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

import dataclasses
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis.io import write_bytes_atomic

# --- the fixed texts of the document ------------------------------------------------------------

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_KIND = "BÁO CÁO"
SUMMARY_LINES = ("Sơ kết 5 năm thực hiện Chương trình cải cách hành chính",
                 "giai đoạn 2021–2030 của Sở Công Thương tỉnh Khánh Hòa")
#: The places the office writes, highlighted in the document.
PLACEHOLDERS = {
    "shortcomings": "[Văn phòng bổ sung: tồn tại, hạn chế …]",
    "causes": "[Văn phòng bổ sung: nguyên nhân của tồn tại, hạn chế …]",
    "directions": "[Văn phòng bổ sung: phương hướng, nhiệm vụ 2026–2030 …]",
    "proposals": "[Văn phòng bổ sung: kiến nghị, đề xuất …]",
    "area_other": "[Văn phòng bổ sung: kết quả nổi bật khác của lĩnh vực, nếu có …]",
    "signer": "[Họ và tên người ký]",
}
#: Status codes (docs/contract.md section 4) in the order a reading counts them, with their words.
STATUS_COUNT_WORDS_VI = {
    "met": "đã đạt",
    "on_track": "đúng lộ trình",
    "at_risk": "có nguy cơ không đạt",
    "off_track": "chậm so với lộ trình",
    "no_target": "chưa có mục tiêu bằng số",
    "no_data": "chưa có số liệu",
}
BEHIND = ("off_track", "at_risk")
MISSING = "–"

CLAUSE_COLUMNS = ("area", "clause_id", "part", "year", "text_vi", "quantitative", "applies", "reason",
                  "indicator_id", "value", "value_text", "target_text", "status", "status_vi",
                  "trend_text", "value_2021_2025_text")
TASK_COLUMNS = ("area", "lead_unit", "done", "late", "open")
AREA_COLUMNS = ("area", "title_vi")

#: Clauses longer than this are cut (at a word) where a reading names them.
SHORT_CLAUSE_CHARS = 110
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclasses.dataclass(frozen=True)
class DraftSettings:
    """What a department may change in the draft; the defaults are Khánh Hòa's Department.

    Margins and font sizes are checked against the ranges of Nghị định 30/2020/NĐ-CP.

    >>> DraftSettings().margins_mm
    (20.0, 20.0, 30.0, 15.0)
    >>> DraftSettings(margins_mm=(20, 20, 25, 15))
    Traceback (most recent call last):
    ...
    ValueError: left margin 25 mm is outside 30–35 mm (Nghị định 30/2020/NĐ-CP)
    """

    parent_agency: str = "UBND TỈNH KHÁNH HÒA"
    agency: str = "SỞ CÔNG THƯƠNG"
    agency_code: str = "SCT"
    place: str = "Khánh Hòa"
    #: Lines of the signer's authority (``("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")`` for a deputy).
    signer_title: tuple[str, ...] = ("GIÁM ĐỐC",)
    recipients: tuple[str, ...] = ("Sở Nội vụ (b/c);", "Giám đốc, các Phó Giám đốc Sở;",
                                   "Các phòng, đơn vị thuộc Sở;", "Lưu: VT, VP.")
    font_name: str = "Times New Roman"
    font_size_pt: float = 14.0
    table_font_size_pt: float = 11.0
    #: Top, bottom, left, right, in millimetres.
    margins_mm: tuple[float, float, float, float] = (20.0, 20.0, 30.0, 15.0)
    figure_width_cm: float = 15.0
    #: The document's creation and modification date (fixed: reruns give the same file).
    document_date: dt.datetime = dt.datetime(2025, 1, 1)
    author: str = "Văn phòng Sở Công Thương Khánh Hòa"

    def __post_init__(self) -> None:
        ranges = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
        for (side, (low, high)), value in zip(ranges.items(), self.margins_mm, strict=True):
            if not low <= value <= high:
                raise ValueError(f"{side} margin {value:g} mm is outside {low}–{high} mm "
                                 "(Nghị định 30/2020/NĐ-CP)")
        if not 13 <= self.font_size_pt <= 14:
            raise ValueError(f"body font size {self.font_size_pt:g} pt is outside 13–14 pt")
        object.__setattr__(self, "margins_mm", tuple(float(m) for m in self.margins_mm))

    @property
    def text_width_cm(self) -> float:
        """Width of the text between the margins on A4."""
        return (210.0 - self.margins_mm[2] - self.margins_mm[3]) / 10


# --- small helpers on values -----------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _text(value: Any, default: str = MISSING) -> str:
    """Printable text of a cell: NFC, no character XML refuses, an en dash when missing.

    >>> _text(None), _text(" 90,5%\\x00 "), _text(2025)
    ('–', '90,5%', '2025')
    """
    if _missing(value):
        return default
    text = unicodedata.normalize("NFC", _NOT_XML.sub("", str(value))).strip()
    return text or default


def _flag(value: Any, default: bool = True) -> bool:
    if _missing(value):
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "không", "")
    return bool(value)


def _applies(frame: pd.DataFrame) -> pd.Series:
    """Which rows of a clause frame apply to the Department (a missing flag counts as applying)."""
    return pd.Series([_flag(a) for a in frame["applies"]], index=frame.index, dtype=bool)


def _count(value: Any) -> int:
    return 0 if _missing(value) else int(value)


def short_clause(text: Any, limit: int = SHORT_CLAUSE_CHARS) -> str:
    """A clause's wording, cut at a word before ``limit`` characters (with an ellipsis).

    >>> short_clause("Mức độ hài lòng của người dân đạt tối thiểu 90%.")
    'Mức độ hài lòng của người dân đạt tối thiểu 90%'
    >>> short_clause("một hai ba bốn năm", limit=10)
    'một hai ba …'
    """
    words = _text(text, "").rstrip(" .;:")
    if len(words) <= limit:
        return words
    return words[:limit + 1].rsplit(" ", 1)[0] + " …"


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


# --- the document -------------------------------------------------------------------------------------


class _Writer:
    """Builds the python-docx document; one method per part of the report."""

    def __init__(self, settings: DraftSettings) -> None:
        import docx

        self.s = settings
        self.doc = docx.Document()
        self.figure_number = 0
        self.table_number = 0
        self._page_and_styles()

    # styles and page

    def _fonts(self, rpr: Any) -> None:
        from docx.oxml.ns import qn

        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), self.s.font_name)

    def _page_and_styles(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt, RGBColor

        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, bottom, left, right = self.s.margins_mm
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.header_distance = section.footer_distance = Mm(10)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.s.font_size_pt)
        rpr = normal.element.get_or_add_rPr()
        self._fonts(rpr)
        lang = rpr.makeelement(qn("w:lang"), {qn("w:val"): "vi-VN", qn("w:eastAsia"): "vi-VN"})
        rpr.append(lang)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.0
        for name, size in (("Heading 1", self.s.font_size_pt), ("Heading 2", self.s.font_size_pt)):
            style = self.doc.styles[name]
            self._fonts(style.element.get_or_add_rPr())
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(6), Pt(6), True
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Mm(10)
        # page numbers: centred in the top margin, from the second page on
        section.different_first_page_header_footer = True
        number = section.header.paragraphs[0]
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._field(number, "PAGE")

    def _field(self, paragraph: Any, code: str) -> None:
        from docx.oxml.ns import qn

        def fld(kind: str) -> Any:
            element = paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
            return element

        run = paragraph.add_run()
        run._r.append(fld("begin"))
        instr = paragraph.add_run()._r
        text = instr.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
        text.text = f" {code} "
        instr.append(text)
        paragraph.add_run()._r.append(fld("separate"))
        paragraph.add_run("2")
        paragraph.add_run()._r.append(fld("end"))

    # paragraphs

    def paragraph(self, text: str = "", *, container: Any = None, bold: bool = False, italic: bool = False,
                  size: float | None = None, align: str = "justify", indent: bool = True,
                  space_after: float | None = None, underline: bool = False) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        where = container if container is not None else self.doc
        para = where.add_paragraph()
        para.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                          "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        if indent and align == "justify":
            para.paragraph_format.first_line_indent = Mm(10)
        if space_after is not None:
            para.paragraph_format.space_after = Pt(space_after)
        if text:
            run = para.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if underline:
                run.underline = True
            if size:
                run.font.size = Pt(size)
        return para

    def placeholder(self, key: str, container: Any = None) -> Any:
        from docx.enum.text import WD_COLOR_INDEX

        para = self.paragraph(container=container)
        run = para.add_run(PLACEHOLDERS[key])
        run.italic = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return para

    def rule(self, width_cm: float, available_cm: float, container: Any = None) -> None:
        """A short centred line (the stroke under an agency name or a summary)."""
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        para = self.paragraph(container=container, align="center", indent=False, space_after=0)
        side = max((available_cm - width_cm) / 2, 0)
        para.paragraph_format.left_indent = para.paragraph_format.right_indent = Cm(side)
        para.paragraph_format.line_spacing = Pt(2)
        ppr = para._p.get_or_add_pPr()
        border = ppr.makeelement(qn("w:pBdr"), {})
        bottom = border.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "6",
                                                     qn("w:space"): "1", qn("w:color"): "000000"})
        border.append(bottom)
        ppr.insert_element_before(border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")

    # tables

    def _no_borders(self, table: Any) -> None:
        from docx.oxml.ns import qn

        tblpr = table._tbl.tblPr
        borders = tblpr.makeelement(qn("w:tblBorders"), {})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(borders.makeelement(qn(f"w:{side}"), {qn("w:val"): "nil"}))
        # in the schema's order (Word refuses a table whose properties are out of order)
        tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                    "w:tblCaption", "w:tblDescription", "w:tblPrChange")

    def _widths(self, table: Any, widths_cm: Sequence[float]) -> None:
        from docx.shared import Cm

        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):  # the grid LibreOffice reads
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)

    def _cell(self, cell: Any, text: str, *, bold: bool = False, align: str = "left",
              size: float | None = None) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        para = cell.paragraphs[0]
        para.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                          "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.first_line_indent = None
        run = para.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(size or self.s.table_font_size_pt)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
             aligns: Sequence[str], caption: str) -> Any:
        from docx.oxml.ns import qn

        self.table_number += 1
        self.paragraph(f"Bảng {self.table_number}. {caption}", bold=True, italic=True, align="center",
                       indent=False, size=self.s.table_font_size_pt + 1)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True, align="center")
        trpr = table.rows[0]._tr.get_or_add_trPr()  # the header row repeats on every page
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for row, values in zip(table.rows[1:], rows, strict=True):
            for cell, text, align in zip(row.cells, values, aligns, strict=True):
                self._cell(cell, text, align=align)
        self._widths(table, widths_cm)
        self.paragraph(space_after=0)
        return table

    # the parts of the report

    def header(self) -> None:
        from docx.shared import Cm

        left_cm = 6.3
        right_cm = self.s.text_width_cm - left_cm
        table = self.doc.add_table(rows=2, cols=2)
        self._no_borders(table)
        self._widths(table, (left_cm, right_cm))
        agency, motto = table.rows[0].cells
        size = self.s.font_size_pt - 1
        p = agency.paragraphs[0]
        p.alignment = _center()
        p.paragraph_format.space_after = Cm(0)
        run = p.add_run(self.s.parent_agency)
        run.font.size = _pt(size)
        run = p.add_run("\n" + self.s.agency)
        run.bold, run.font.size = True, _pt(size)
        self.rule(2.0, left_cm, container=agency)
        p = motto.paragraphs[0]
        p.alignment = _center()
        p.paragraph_format.space_after = Cm(0)
        run = p.add_run(QUOC_HIEU)
        run.bold, run.font.size = True, _pt(size)
        run = p.add_run("\n")
        run = p.add_run(TIEU_NGU)
        run.bold, run.underline, run.font.size = True, True, _pt(self.s.font_size_pt)
        number, place = table.rows[1].cells
        self.paragraph(f"Số: …/BC-{self.s.agency_code}", container=number, align="center", indent=False,
                       size=self.s.font_size_pt - 1)
        self.paragraph(f"{self.s.place}, ngày … tháng … năm …", container=place, italic=True,
                       align="center", indent=False)
        for cell in (number, place):  # python-docx leaves an empty first paragraph in a new cell
            first = cell.paragraphs[0]
            if not first.text:
                first._p.getparent().remove(first._p)
        self.paragraph(space_after=0)
        self.paragraph(DOCUMENT_KIND, bold=True, align="center", indent=False, space_after=0)
        para = self.paragraph(SUMMARY_LINES[0], bold=True, align="center", indent=False, space_after=0)
        para.add_run("\n" + SUMMARY_LINES[1]).bold = True
        self.rule(5.0, self.s.text_width_cm)
        self.paragraph(space_after=0)

    def figure(self, item: Any) -> None:
        from docx.shared import Cm

        path, caption = (item if isinstance(item, tuple | list) else (item, None))
        path = Path(path)
        self.figure_number += 1
        para = self.paragraph(align="center", indent=False, space_after=0)
        try:
            para.add_run().add_picture(str(path), width=Cm(self.s.figure_width_cm))
        except Exception:  # a missing or unreadable image leaves a marked gap, not a broken draft
            para.add_run(f"[Không đọc được hình {path.name}: Văn phòng chèn lại hình này]").italic = True
        label = f"Hình {self.figure_number}" + (f". {_text(caption)}" if caption else "")
        self.paragraph(label, italic=True, align="center", indent=False, size=self.s.table_font_size_pt + 1)

    def signature(self) -> None:
        text_cm = self.s.text_width_cm
        table = self.doc.add_table(rows=1, cols=2)
        self._no_borders(table)
        self._widths(table, (text_cm / 2, text_cm / 2))
        left, right = table.rows[0].cells
        p = left.paragraphs[0]
        run = p.add_run("Nơi nhận:")
        run.bold, run.italic, run.font.size = True, True, _pt(12)
        p.paragraph_format.space_after = _pt(0)
        for line in self.s.recipients:
            self.paragraph(f"- {_text(line)}", container=left, align="left", indent=False, size=11,
                           space_after=0)
        p = right.paragraphs[0]
        p.alignment = _center()
        run = p.add_run("\n".join(_text(t) for t in self.s.signer_title))
        run.bold = True
        for _ in range(4):
            self.paragraph(container=right, align="center", indent=False, space_after=0)
        para = self.placeholder("signer", container=right)
        para.alignment = _center()
        para.runs[0].bold = True

    def save(self) -> bytes:
        props = self.doc.core_properties
        props.title = " ".join((DOCUMENT_KIND.capitalize(), *SUMMARY_LINES))
        props.subject = "Sơ kết Chương trình cải cách hành chính 2021–2030"
        props.author = props.last_modified_by = self.s.author
        props.created = props.modified = props.last_printed = self.s.document_date
        props.revision = 1
        props.comments = props.keywords = props.category = ""
        _drop_thumbnail(self.doc)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return _fixed_zip(buffer.getvalue())


def _pt(size: float) -> Any:
    from docx.shared import Pt

    return Pt(size)


def _drop_thumbnail(document: Any) -> None:
    """Remove the template's preview picture (it shows another document in file browsers)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps and order, so that two runs give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _settings(settings: DraftSettings | Mapping[str, Any] | None) -> DraftSettings:
    if settings is None:
        return DraftSettings()
    if isinstance(settings, DraftSettings):
        return settings
    return DraftSettings(**dict(settings))


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
        ``value_2021_2025_text``. Rows without a measure are allowed (their cells show an en dash).
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
    conf = _settings(settings)
    areas = _frame(areas, AREA_COLUMNS, "areas", AREA_COLUMNS)
    clauses = _frame(clauses, CLAUSE_COLUMNS, "clauses", ("area", "text_vi"))
    tasks = _frame(tasks, TASK_COLUMNS, "tasks", TASK_COLUMNS)
    known = [_text(a) for a in areas["area"]]
    for name, used in (("clauses", clauses["area"]), ("tasks", tasks["area"]), ("figures", list(figures))):
        unknown = sorted({_text(a) for a in used} - set(known))
        if unknown:
            raise ValueError(f"{name} name areas that are not in `areas`: {unknown}")

    w = _Writer(conf)
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
            _clause_table(w, applies, year, code)
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


#: Columns of the results table: header, width (cm; the clause takes what is left) and alignment.
RESULT_COLUMNS = (("STT", 0.9, "center"), ("Mục tiêu, chỉ tiêu (trích Chương trình)", None, "left"),
                  ("Kết quả năm {year}", 2.0, "center"), ("Mục tiêu", 2.0, "center"),
                  ("Đánh giá", 2.1, "center"), ("Xu hướng từ 2021", 2.1, "center"),
                  ("Giai đoạn 2021–2025", 2.0, "center"))


def _clause_table(w: _Writer, rows: pd.DataFrame, year: int, code: str) -> None:
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


def _center() -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return WD_ALIGN_PARAGRAPH.CENTER
