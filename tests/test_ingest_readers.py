"""Reading exports safely: every format and encoding, told by content; refusals in one sentence."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from cchc_analysis.ingest import read_checks, read_text
from cchc_analysis.ingest.readers import ReadError, read, sniff

ROWS = [["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"], ["00123", "02/03/2024", "Đã trả kết quả"],
        ["H-2", "15/03/2024 08:30", "Đang xử lý"]]


def _cells(path):
    (sheet,) = read(path)
    return sheet


@pytest.mark.parametrize("name", ["danh_sach.xlsx", "danh_sach.xlsm", "danh_sach.xls", "danh_sach.txt"])
def test_xlsx_is_read_by_content_whatever_its_name(exports, name):
    path = exports.xlsx(name, {"Danh sách": ROWS})
    assert sniff(path) == "xlsx"
    sheet = _cells(path)
    assert sheet.sheet == "Danh sách" and sheet.fmt == "xlsx"
    assert sheet.rows[1][0] == "00123"  # a text ID keeps its leading zeros
    assert list(sheet.row_numbers)[:3] == [1, 2, 3]


def test_every_sheet_of_a_workbook_is_read(exports):
    path = exports.xlsx("hai_trang.xlsx", {"Quý 1": ROWS, "Quý 2": ROWS[:2]})
    assert [s.sheet for s in read(path)] == ["Quý 1", "Quý 2"]


def test_date_cells_come_back_as_datetimes(exports):
    path = exports.xlsx("ngay.xlsx", {"S": [["Mã hồ sơ", "Ngày tiếp nhận"], ["A", dt.datetime(2024, 3, 2, 7, 41)]]})
    assert _cells(path).rows[1][1] == dt.datetime(2024, 3, 2, 7, 41)


def test_spreadsheet_row_numbers_count_leading_blank_rows(exports):
    path = exports.xlsx("trong.xlsx", {"S": [[], [], *ROWS]})
    sheet = _cells(path)
    header = next(i for i, r in enumerate(sheet.rows) if r and r[0] == "Mã hồ sơ")
    assert sheet.row_numbers[header] == 3


def test_genuine_xls(exports):
    path = exports.xls("cu.xls", {"Danh sách": ROWS})
    assert sniff(path) == "xls"
    sheet = _cells(path)
    assert sheet.sheet == "Danh sách" and sheet.rows[1][0] == "00123" and sheet.rows[2][2] == "Đang xử lý"


def test_ods(exports):
    path = exports.ods("bang.ods", {"Danh sách": ROWS})
    assert sniff(path) == "ods"
    assert _cells(path).rows[1] == ROWS[1]


def test_html_table_saved_as_xls(exports):
    rows = [["DANH SÁCH HỒ SƠ", "", ""], *ROWS]
    path = exports.html("web.xls", rows)
    assert sniff(path) == "html"
    sheet = _cells(path)
    assert sheet.sheet is None and sheet.fmt == "html"
    assert sheet.rows[0] == ["DANH SÁCH HỒ SƠ", "", ""]  # a colspan title is padded to the table's width
    assert sheet.rows[2] == ROWS[1] and list(sheet.row_numbers) == [1, 2, 3, 4]


def test_html_entities_and_nbsp_are_blank(exports):
    path = exports.folder / "nbsp.xls"
    path.write_text("<table><tr><td>A &amp; B</td><td>&nbsp;</td></tr></table>", encoding="utf-8")
    assert _cells(path).rows == [["A & B", ""]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_text_exports_in_any_encoding_and_separator(exports, encoding, delimiter):
    path = exports.csv("xuat.csv", ROWS, encoding=encoding, delimiter=delimiter)
    assert sniff(path) == "text"
    sheet = _cells(path)
    assert sheet.sheet is None
    assert sheet.rows == ROWS  # Windows-1258 decodes to decomposed text: it comes back NFC


def test_windows_1258_decodes_to_nfc():
    assert read_text.decode_text(b"Ng\xfd\xf5\xecc") == "Ngước"  # ư + ớ as base letters and combining tones


def test_csv_record_numbers_count_a_multiline_field_once(exports):
    rows = [["Mã hồ sơ", "Ghi chú"], ["A", "dòng 1\ndòng 2"], ["B", "x"]]
    sheet = _cells(exports.csv("nhieu_dong.csv", rows))
    assert sheet.rows[2] == ["B", "x"] and sheet.row_numbers[2] == 3


def test_password_protected_workbooks_are_refused_with_advice(exports):
    for path in (exports.encrypted_ooxml("mat_khau.xlsx"), exports.xls("mat_khau.xls", {"S": ROWS}, encrypted=True)):
        with pytest.raises(ReadError, match="mật khẩu") as err:
            read(path)
        assert "lưu lại" in str(err.value).lower()


@pytest.mark.parametrize(("content", "words"), [
    (b"%PDF-1.7\n...", "PDF"),
    (b"\x89PNG\r\n\x1a\n....", "PNG"),
    (bytes(range(256)) * 4, "không phải là bảng tính"),
    (b"", "rỗng"),
])  # fmt: skip
def test_not_a_spreadsheet_is_refused(exports, content, words):
    path = exports.folder / "bao_cao.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=words):
        read(path)


def test_truncated_workbook_is_refused(exports):
    path = exports.xlsx("cut.xlsx", {"S": ROWS})
    path.write_bytes(path.read_bytes()[:700])
    with pytest.raises(ReadError, match="hỏng|không trọn vẹn"):
        read(path)


def test_other_zip_is_not_a_workbook(exports):
    path = exports.folder / "nen.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "x")
    with pytest.raises(ReadError, match="zip"):
        read(path)


def test_zip_bomb_is_refused_before_parsing(exports, monkeypatch):
    path = exports.folder / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024**2))
    monkeypatch.setattr(read_checks, "MAX_UNPACKED_BYTES", 4 * 1024**2)
    with pytest.raises(ReadError, match="bom zip"):
        read(path)


def test_zip_member_larger_than_declared_is_refused(exports):
    path = exports.xlsx("lie.xlsx", {"S": ROWS * 50})
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")  # central directory entries: the declared size is at offset 24
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    data[at + 24:at + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError, match="bom zip"):
        read(path)


def test_xml_entity_declarations_are_refused(exports):
    path = exports.xlsx("bomxml.xlsx", {"S": ROWS})
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["xl/sharedStrings.xml"] = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                                       + members.get("xl/sharedStrings.xml", b"<sst/>").split(b"?>", 1)[-1])
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    with pytest.raises(ReadError, match="thực thể XML"):
        read(path)


def test_empty_workbook_is_refused(exports):
    path = exports.xlsx("rong.xlsx", {"S": []})
    with pytest.raises(ReadError, match="không có dữ liệu"):
        read(path)


def test_undetectable_text_encoding_is_refused(exports):
    path = exports.folder / "la.csv"
    path.write_bytes("Mã;Ngày\n".encode() + b"\x81\x8d\x8f\x90;\x9d\n")
    with pytest.raises(ReadError, match="bảng mã"):
        read(path)


def test_legacy_font_cells_are_converted_by_their_font(exports):
    rows = [[], ["M· hå s¬", "Ngµy tiÕp nhËn", "Tr¹ng th¸i"], ["H-1", "02/03/2024", "§· tr¶ kÕt qu¶"]]
    path = exports.xlsx("tcvn3.xlsx", {"S": rows}, font=".VnTime")
    sheet = _cells(path)
    assert sheet.rows[0] == ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"] and sheet.row_numbers[0] == 2
    assert sheet.rows[1][2] == "Đã trả kết quả"
    vni = exports.xlsx("vni.xlsx", {"S": [["Maõ hoà sô", "Tröïc tuyeán"]]}, font="VNI-Times")
    assert _cells(vni).rows[0] == ["Mã hồ sơ", "Trực tuyến"]
