"""Page setup of worksheets, so that a workbook prints as an analyst prints it.

:func:`print_setup` makes a worksheet print on A4 in landscape, one page wide (as many pages down as
the rows need), with its header rows repeated on every page, sensible margins, the table centred
across the page and a footer with the sheet name and ``Trang 2/5``. It works on a worksheet of
either writer the project uses: an ``xlsxwriter`` worksheet (before the workbook is closed) or an
``openpyxl`` worksheet (before the workbook is saved).

>>> import openpyxl
>>> sheet = openpyxl.Workbook().active
>>> print_setup(sheet, header_rows=2)
>>> sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight
('landscape', 1, 0)
>>> sheet.print_title_rows
'$1:$2'
"""

from __future__ import annotations

from typing import Any

#: Paper size code of A4 in the spreadsheet format (both writers use the same code).
PAPER_A4 = 9
#: Margins in inches (the unit of the spreadsheet format): about 1.5 cm at the sides, 2 cm at top
#: and bottom, with 0.8 cm for the footer.
MARGINS_IN = {"left": 0.6, "right": 0.6, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
#: Footer: the sheet's name on the left, "Trang N/M" on the right (``&A``, ``&P``, ``&N`` are the
#: codes of the sheet name, the page number and the number of pages).
FOOTER_LEFT = "&A"
FOOTER_RIGHT = "Trang &P/&N"


def print_setup(worksheet: Any, *, header_rows: int = 1) -> None:
    """Set a worksheet to print on A4 landscape, one page wide, header rows repeated, pages numbered.

    Parameters
    ----------
    worksheet : xlsxwriter or openpyxl worksheet
        The sheet to set up (xlsxwriter: before ``Workbook.close``; openpyxl: before ``save``).
    header_rows : int
        How many rows at the top are the header, repeated on every printed page (0: none).

    Examples
    --------
    >>> import io, xlsxwriter
    >>> book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    >>> sheet = book.add_worksheet("Bảng")
    >>> print_setup(sheet)
    >>> sheet.orientation, sheet.paper_size, sheet.fit_width, sheet.fit_height
    (0, 9, 1, 0)
    >>> book.close()
    """
    if header_rows < 0:
        raise ValueError(f"header_rows must be 0 or more, not {header_rows}")
    if hasattr(worksheet, "set_landscape"):  # xlsxwriter
        _xlsxwriter_setup(worksheet, header_rows)
    elif hasattr(worksheet, "page_setup"):  # openpyxl
        _openpyxl_setup(worksheet, header_rows)
    else:
        raise TypeError(f"not a worksheet of xlsxwriter or openpyxl: {type(worksheet).__name__}")


def _xlsxwriter_setup(sheet: Any, header_rows: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(PAPER_A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages down as needed
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    sheet.set_margins(left=MARGINS_IN["left"], right=MARGINS_IN["right"], top=MARGINS_IN["top"],
                      bottom=MARGINS_IN["bottom"])
    sheet.set_footer(f"&L{FOOTER_LEFT}&R{FOOTER_RIGHT}", {"margin": MARGINS_IN["footer"]})
    sheet.center_horizontally()


def _openpyxl_setup(sheet: Any, header_rows: int) -> None:
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        sheet.print_title_rows = f"1:{header_rows}"
    sheet.page_margins = PageMargins(**MARGINS_IN)
    sheet.oddFooter.left.text = FOOTER_LEFT
    sheet.oddFooter.right.text = FOOTER_RIGHT
    sheet.print_options.horizontalCentered = True
