"""Files from the wild: the kinds of file that public test suites of spreadsheet readers hold.

Each file is made by code: a binary Excel workbook in a folder, a valid package whose workbook part
is not under ``xl/``, a workbook with one broken chart sheet, an Excel 2–4 worksheet, Excel's XML
Spreadsheet 2003 and a flat OpenDocument sheet (both saved under a spreadsheet name), an ``.xls``
whose table starts below row 5,000, a reader failure in English and file names with control
characters. Each is read (or refused with one printable Vietnamese line) by the real reader, and
the command-line runs check what the analyst sees.
"""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cchc_analysis.ingest import read_workbook
from cchc_analysis.ingest.inputs import iter_inputs
from cchc_analysis.ingest.pipeline import clean, expand_inputs
from cchc_analysis.ingest.readers import ReadError, printable, read, sniff

ROWS = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"], ["00123", "02/03/2024", "Đã trả kết quả"],
        ["H-2", "15/03/2024 08:30", "Đang xử lý"]]
ENGLISH = ("error", "Error", "Cfb", "limit", "exceeded", "not found", "invalid")


def _one_line_vietnamese(message: str) -> None:
    assert "\n" not in message and "\r" not in message and "\x00" not in message
    assert all(ch.isprintable() for ch in message), repr(message)
    assert not any(word in message for word in ENGLISH), message


# --- minimal OOXML package whose workbook part is not xl/workbook.xml ---

_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _cell(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def minimal_package(path: Path, rows: list[list[object]], book: str = "book.xml", sheet: str = "data/s1.xml") -> Path:
    """A valid minimal xlsx package: the workbook part at ``book``, one sheet at ``sheet``, inline strings."""
    folder, _, name = book.rpartition("/")
    book_rels = f"{folder + '/' if folder else ''}_rels/{name}.rels"
    target = sheet[len(folder) + 1:] if folder and sheet.startswith(folder + "/") else sheet
    data = "".join(f'<row r="{r}">' + "".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, 1))
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{book}" ContentType="{_MAIN}"/><Override PartName="/{sheet}" ContentType="{_SHEET}"/>'
        "</Types>",
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="{book}"/></Relationships>',
        book: f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SML}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Hồ sơ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        book_rels: f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/worksheet" Target="{target}"/></Relationships>',
        sheet: f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SML}"><sheetData>{data}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name_, text in parts.items():
            zf.writestr(name_, text)
    return path


def test_a_minimal_package_with_its_workbook_anywhere_is_read(tmp_path):
    path = minimal_package(tmp_path / "goi_toi_gian.xlsx", ROWS)
    assert sniff(path) == "xlsx-part"
    (sheet,) = read(path)
    assert sheet.sheet == "Hồ sơ" and sheet.rows == ROWS and list(sheet.row_numbers) == [1, 2, 3]
    nested = minimal_package(tmp_path / "long.xlsx", ROWS, book="wb/main.xml", sheet="wb/sheets/a.xml")
    assert read(nested)[0].rows[1][0] == "00123"


def test_a_package_without_any_workbook_is_still_not_excel(tmp_path):
    path = tmp_path / "tai_lieu.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="x"/>')
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(ReadError, match="không phải là bảng tính Excel"):
        read(path)


# --- a workbook with one broken chart sheet ---


def _workbook_with_chart(path: Path, break_chart: bool) -> Path:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hồ sơ"
    for row in ROWS:
        ws.append(row)
    chart_sheet = wb.create_chartsheet("Biểu đồ")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=3))
    chart_sheet.add_chart(chart)
    good = path.with_suffix(".tmp")
    wb.save(good)
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if break_chart and info.filename.startswith("xl/chartsheets/sheet"):
                data = data[: len(data) // 2]  # the chart sheet's XML cut in the middle
            zout.writestr(info, data)
    good.unlink()
    return path


def test_one_unreadable_chart_sheet_is_named_and_the_other_sheets_are_read(tmp_path):
    path = _workbook_with_chart(tmp_path / "co_bieu_do.xlsx", break_chart=True)
    warnings: list[str] = []
    sheets = read(path, warnings)
    assert [s.sheet for s in sheets] == ["Hồ sơ"] and sheets[0].rows == ROWS
    (warning,) = warnings
    assert "«Biểu đồ»" in warning and "bỏ qua" in warning
    _one_line_vietnamese(warning)


def test_a_whole_chart_workbook_run_exits_0_with_a_warning(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    _workbook_with_chart(raw / "co_bieu_do.xlsx", break_chart=True)
    report = clean([raw], tmp_path / "out", progress=False)
    assert report.exit_code == 0 and report.files_read == 1
    assert any("Biểu đồ" in w for w in report.warnings)


# --- Excel 2-4 ---


@pytest.mark.parametrize(("record", "length"), [(0x0009, 4), (0x0209, 6), (0x0409, 6), (0x0809, 8)])
def test_excel_2_to_4_files_are_named_as_old_excel_with_advice(tmp_path, record, length):
    body = struct.pack("<HHHH", record, length, 0x0002, 0x0010) + b"\x00" * (length - 4)
    cell = struct.pack("<HH", 0x0004, 8) + b"\x00" * 8  # a LABEL-like record after the BOF
    path = tmp_path / "bao_cao_cu.xls"
    path.write_bytes(body + cell + struct.pack("<HH", 0x000A, 0))
    assert sniff(path) == "biff-old"
    with pytest.raises(ReadError) as info:
        read(path)
    message = str(info.value)
    assert "Excel định dạng cũ" in message and ".xlsx" in message and "Lưu thành" in message
    _one_line_vietnamese(message)


# --- XML Spreadsheet 2003 and flat ODS ---

XML2003 = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Danh sách"><Table>
  <Row><Cell ss:MergeAcross="1"><Data ss:Type="String">DANH SÁCH HỒ SƠ</Data></Cell><Cell><Data ss:Type="String">Q1</Data></Cell></Row>
  <Row ss:Index="3"><Cell><Data ss:Type="String">Mã hồ sơ</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">Ngày tiếp nhận</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">00123</Data></Cell><Cell><Data ss:Type="Number">1.5</Data></Cell>
   <Cell><Data ss:Type="DateTime">2024-03-05T08:15:00.000</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="Trống"><Table/></Worksheet>
</Workbook>"""


def test_xml_spreadsheet_2003_saved_as_xls_is_read_not_called_html(tmp_path):
    path = tmp_path / "xuat_excel.xls"
    path.write_text(XML2003, encoding="utf-8")
    assert sniff(path) == "xml2003"
    sheet = read(path)[0]
    assert sheet.sheet == "Danh sách"
    assert sheet.rows[0] == ["DANH SÁCH HỒ SƠ", "", "Q1"]  # MergeAcross covers column B
    assert sheet.merged == [((0, 0), (0, 1))]
    header = sheet.rows.index(["Mã hồ sơ", "", "Ngày tiếp nhận"])  # ss:Index on the row and on a cell
    assert sheet.row_numbers[header] == 3
    assert sheet.rows[header + 1] == ["00123", 1.5, dt.datetime(2024, 3, 5, 8, 15)]


FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="Hồ sơ">
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>Mã<text:s/>hồ sơ</text:p>
 </table:table-cell><table:covered-table-cell/><table:table-cell office:value-type="string"><text:p>Ngày tiếp nhận</text:p>
 </table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>00123</text:p></table:table-cell>
 <table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
 <table:table-cell office:value-type="date" office:date-value="2024-03-05T08:15:00"/></table:table-row>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document>"""


def test_flat_ods_is_read_not_parsed_as_csv(tmp_path):
    path = tmp_path / "bang.fods"
    path.write_text(FODS, encoding="utf-8")
    assert sniff(path) == "fods"
    (sheet,) = read(path)
    assert sheet.sheet == "Hồ sơ"
    assert sheet.rows == [["Mã hồ sơ", "", "Ngày tiếp nhận"], ["00123", 3, dt.datetime(2024, 3, 5, 8, 15)]]
    assert list(sheet.row_numbers) == [3, 4]  # two repeated blank rows above; the repeated blank tail costs nothing
    assert sheet.merged == [((0, 0), (0, 1))]


@pytest.mark.parametrize("text", [XML2003, FODS])
def test_xml_spreadsheets_with_entity_declarations_are_refused(tmp_path, text):
    head, rest = text.split("\n", 1)
    bomb = head + '\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n' + rest
    path = tmp_path / "bom.xls"
    path.write_text(bomb.replace("00123", "&b;"), encoding="utf-8")
    with pytest.raises(ReadError, match="thực thể XML"):
        read(path)


# --- a table far down a sheet ---


def test_an_xls_whose_table_starts_below_row_5000_is_read(exports):
    path = exports.xls("xa.xls", {"S": [[] for _ in range(5200)] + ROWS})
    (sheet,) = read(path)
    assert sheet.rows[0] == ROWS[0] and sheet.row_numbers[0] == 5201
    report = clean([path], exports.folder.parent / "out", progress=False)
    assert report.exit_code == 0, report.errors


# --- what the analyst reads ---


def test_the_readers_english_never_reaches_the_analyst(tmp_path):
    path = tmp_path / "hong.xls"  # an OLE2 header over garbage: the reader says "Cfb error…"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40)
    with pytest.raises(ReadError) as info:
        read(path)
    _one_line_vietnamese(str(info.value))
    assert info.value.detail  # the reader's own words are kept for the log


def test_a_multiline_english_engine_message_becomes_one_vietnamese_line(tmp_path, monkeypatch):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")

    def boom(*args, **kwargs):
        raise RuntimeError("Cell limit exceeded:\nrow 1048577 > 1048576\x00")

    monkeypatch.setattr(read_workbook, "_read_calamine", boom)
    with pytest.raises(ReadError) as info:
        read(path)
    message = str(info.value)
    _one_line_vietnamese(message)
    assert "vượt giới hạn số ô" in message


def test_printable_escapes_controls_and_keeps_vietnamese():
    assert printable("Hồ sơ\n2024\r\x00\x1b[31m\u202e.xlsx") == "Hồ sơ\\n2024\\r\\x00\\x1b[31m\\u202e.xlsx"
    assert printable("Đã trả kết quả") == "Đã trả kết quả"


def test_every_error_line_of_the_command_is_one_printable_line(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bao\ncao\x1b.xls").write_bytes(b"%PDF-1.4 " + b"x" * 100)
    (raw / "hong\r.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    done = subprocess.run([sys.executable, "-m", "cchc_analysis", "clean", str(raw), "--out", str(tmp_path / "out"),
                           "-q"], capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 2, done.stderr
    assert all(line.startswith(("error:", "cảnh báo:")) for line in lines), done.stderr
    assert "Traceback" not in done.stderr
    for line in errors:
        assert all(ch.isprintable() for ch in line), repr(line)
    assert any("bao\\ncao\\x1b.xls" in line for line in errors)


# --- one walker ---


def test_one_walker_for_cleaning_and_fingerprint(tmp_path):
    from cchc_analysis import refresh

    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    for name in ("a.xlsb", "b.xlsx", "~$b.xlsx", "README.txt", "ghi_chu.md", "sub/c.csv", "sub/d.fods"):
        (raw / name).write_bytes(b"x")
    (raw / "sub" / "excel2003.xml").write_text(XML2003, encoding="utf-8")
    (raw / "sub" / "cau_hinh.xml").write_text("<config/>", encoding="utf-8")
    (raw / ".an").mkdir()
    (raw / ".an" / "e.csv").write_bytes(b"x")
    files, errors = expand_inputs([raw])
    names = [p.relative_to(raw).as_posix() for p in files]
    assert names == ["a.xlsb", "b.xlsx", "sub/c.csv", "sub/d.fods", "sub/excel2003.xml"]
    assert refresh.export_files(raw) == files == list(iter_inputs([raw]))
    assert errors == []
