"""The layout of the draft: an administrative document of Nghị định 30/2020/NĐ-CP.

:class:`DraftSettings` holds what a department may change (agency, signer, recipients, fonts and
margins, checked against the decree's ranges); :class:`Writer` builds the python-docx document with
its primitives (A4 page and styles, paragraphs, highlighted placeholders, bordered grids with a
repeated header row, pictures with captions) and the fixed parts of the document: the two-column
header (issuing body and national motto), the ``Nơi nhận:`` and signature block, and the package
written with fixed metadata and timestamps (:meth:`Writer.save`), so that two runs give the same bytes.
What the report says is in :mod:`cchc_analysis.docx_draft.content`.

>>> DraftSettings().text_width_cm
16.5
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cchc_analysis.docx_draft.text import _text

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


class Writer:
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


def settings_of(settings: DraftSettings | Mapping[str, Any] | None) -> DraftSettings:
    if settings is None:
        return DraftSettings()
    if isinstance(settings, DraftSettings):
        return settings
    return DraftSettings(**dict(settings))


def _center() -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return WD_ALIGN_PARAGRAPH.CENTER
