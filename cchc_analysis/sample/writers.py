"""Writers: one sheet model for xlsx and html, a CSV helper, cell formats, atomic writes.

Nothing here knows what a dossier is: a :class:`_Sheet` is rows tagged with their role (title,
header, data, total, footer ...), written with fixed document properties so that two runs give the
same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xlsxwriter

from cchc_analysis.sample.reference import CREATED, DATE_STYLES


@dataclass
class _Sheet:
    """Rows of one export sheet, each tagged with its role (title, header, data, total, footer ...)."""

    name: str
    ncols: int
    rows: list[tuple[str, list]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    widths: Sequence[float] = ()
    float_format: str = "General"

    def add(self, role: str, cells: Sequence = (), merge_to: int | None = None) -> int:
        """Append a row (padded to the sheet width); ``merge_to`` merges its first cell that far."""
        row = list(cells) + [None] * (self.ncols - len(cells))
        self.rows.append((role, row))
        r = len(self.rows) - 1
        if merge_to is not None:
            self.merges.append((r, 0, r, merge_to))
        return r

    def first_row(self, role: str) -> int:
        """1-based number of the first row with ``role``."""
        return next(i for i, (r, _) in enumerate(self.rows) if r == role) + 1

    def layout(self) -> dict[str, list]:
        """Non-data rows by role, 1-based, runs written as [first, last]."""
        out: dict[str, list] = {}
        for role, rows in self._runs():
            if role != "data":
                out.setdefault(role, []).append(rows[0] if rows[0] == rows[1] else list(rows))
        return out

    def _runs(self) -> list[tuple[str, tuple[int, int]]]:
        runs: list[tuple[str, tuple[int, int]]] = []
        for i, (role, _) in enumerate(self.rows, start=1):
            if runs and runs[-1][0] == role and runs[-1][1][1] == i - 1:
                runs[-1] = (role, (runs[-1][1][0], i))
            else:
                runs.append((role, (i, i)))
        return runs


_ROLE_FORMATS = {
    "title": {"bold": True, "align": "center"},
    "header": {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1,
               "bg_color": "#DDEBF7"},
    "numbering": {"italic": True, "align": "center", "border": 1},
    "section": {"bold": True, "border": 1},
    "data": {"border": 1},
    "total": {"bold": True, "border": 1},
    "footer": {"bold": True, "align": "center"},
    "note": {"italic": True},
    "blank": {},
}


def _titled_table(name: str, titles: Sequence[str], header: Sequence[str], body: Sequence[Sequence],
                  *, widths: Sequence[float] = (), total: str | None = None,
                  signature: Sequence[str] = ()) -> _Sheet:
    """The usual titled export: title lines, a blank row, a header, data rows, then an optional total
    line ("Tổng số: ..."), a blank row and a signature block on the right.

    >>> sheet = _titled_table("S", ["TITLE"], ["A", "B"], [[1, "x"]], total="Tổng số: 1")
    >>> sheet.layout()
    {'title': [1], 'blank': [2], 'header': [3], 'footer': [5]}
    """
    ncols = len(header)
    sheet = _Sheet(name, ncols, widths=widths)
    for line in titles:
        sheet.add("title", [line], merge_to=ncols - 1)
    sheet.add("blank")
    sheet.add("header", header)
    for cells in body:
        sheet.add("data", cells)
    if total is not None:
        sheet.add("footer", [total], merge_to=min(3, ncols - 1))
    if signature:
        sheet.add("blank")
        col = max(ncols - 4, 0)
        for line in signature:
            sheet.add("footer", [None] * col + [line])
    return sheet


def _xlsx_bytes(sheet: _Sheet, date_format: str = "dd/mm/yyyy hh:mm") -> bytes:
    """The sheet as an xlsx workbook with fixed document properties and zip timestamps."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": CREATED, "author": "Sở Công Thương tỉnh Khánh Hòa"})
    ws = workbook.add_worksheet(sheet.name)
    cache: dict[tuple[str, str], object] = {}

    def fmt(role: str, kind: str):
        if (role, kind) not in cache:
            props = dict(_ROLE_FORMATS[role])
            if kind == "date":
                props["num_format"] = date_format
            elif kind == "float":
                props["num_format"] = sheet.float_format
            cache[(role, kind)] = workbook.add_format(props)
        return cache[(role, kind)]

    anchors = {(m[0], m[1]): m for m in sheet.merges}
    covered = {(r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, (role, cells) in enumerate(sheet.rows):
        for c, value in enumerate(cells):
            if (r, c) in anchors:
                ws.merge_range(*anchors[(r, c)], "", fmt(role, "text"))
            elif (r, c) in covered or value is None:
                continue
            _write_cell(ws, r, c, value, fmt, role)
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    workbook.close()
    return buffer.getvalue()


def _write_cell(ws, r: int, c: int, value: object, fmt: Callable, role: str) -> None:
    """Write one cell by its Python type: text stays text (never a formula), numbers, Excel dates."""
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(r, c, value, fmt(role, "text"))
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt(role, "date"))
    elif isinstance(value, float | np.floating):
        ws.write_number(r, c, float(value), fmt(role, "float"))
    else:
        ws.write_number(r, c, int(value), fmt(role, "text"))


def _html_bytes(sheet: _Sheet, title: str) -> bytes:
    """The sheet as the HTML table some systems save with an .xls name (UTF-8, CRLF, &nbsp; blanks)."""
    span = sheet.ncols
    lines = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">',
        "<head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        '<style>td{mso-number-format:"\\@";font-family:"Times New Roman";font-size:12pt} '
        '.num{mso-number-format:"0"} th{background:#DDEBF7}</style>',
        "</head>",
        "<body>",
        '<table border="1" cellspacing="0" cellpadding="2">',
    ]
    for role, cells in sheet.rows:
        text = [None if v is None else html.escape(str(v), quote=False) for v in cells]
        if role == "title":
            lines.append(f'<tr><td colspan="{span}" align="center" style="font-weight:bold;border:none">'
                         f"<b>{text[0]}</b></td></tr>")
        elif role == "blank":
            lines.append(f'<tr><td colspan="{span}">&nbsp;</td></tr>')
        elif role == "footer":
            lines.append(f'<tr><td colspan="{span}" style="border:none">{text[0]}</td></tr>')
        elif role == "header":
            lines.append("<tr>" + "".join(f"<th>{v}</th>" for v in text) + "</tr>")
        else:
            tds = [f'<td class="num">{text[0]}</td>'] + [f"<td>{'&nbsp;' if v is None else v}</td>"
                                                         for v in text[1:]]
            lines.append("<tr>" + "".join(tds) + "</tr>")
    lines += ["</table>", "</body>", "</html>", ""]
    return "\r\n".join(lines).encode("utf-8")


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence], line_end: str) -> bytes:
    """A CSV in UTF-8 with BOM and an explicit line terminator (blank for None)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def _vn_number(value: float, decimals: int = 1) -> str:
    """Write a number the Vietnamese way: dot for thousands, comma for decimals.

    >>> _vn_number(2838.0), _vn_number(1921, 0)
    ('2.838,0', '1.921')
    """
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def _fmt_when(value: object, style: str) -> object:
    """A date cell in an export style: text in the style's pattern, a datetime for Excel date cells."""
    if value is None or isinstance(value, str):
        return value
    if style == "excel":
        return value.replace(second=0)
    return value.strftime(DATE_STYLES[style])


def _atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to path through a temporary file in the same folder and an atomic rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class _Output:
    """One generated file: its name, bytes and manifest entry."""

    name: str
    data: bytes
    entry: dict
    dossier_rows: dict[str, list[int]] = field(default_factory=dict)


def _flag(value: bool | None, yes: str = "Có", no: str = "Không") -> str | None:
    """A yes/no cell as the lists write it (None stays blank).

    >>> _flag(True), _flag(False), _flag(None)
    ('Có', 'Không', None)
    """
    return None if value is None else (yes if value else no)
