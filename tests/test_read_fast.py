"""The column-wise reader of big xlsx sheets gives exactly what the general reader gives, or steps aside.

Each workbook is made by code and cleaned twice: once with the column-wise path forced on (on small
files, with a small top part so that most rows come from the engine's columns) and once with it
off. Every written table, ``quarantine.csv`` and ``reconciliation.csv`` must be identical. Files the
column-wise path cannot read exactly (a number or a boolean in a text column below the top rows, date
cells) must fall back to the general reader, still with identical output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis.ingest import pipeline, read_checks, read_fast
from cchc_analysis.ingest.readers import read

pytest.importorskip("fastexcel")

HEADER = ["STT", "Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Chủ hồ sơ", "Số định danh cá nhân",
          "Số điện thoại", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp", "Trạng thái",
          "Có phí, lệ phí", "Thanh toán trực tuyến"]
STATUSES = ["Đã trả kết quả", "Đang xử lý", "Đã xử lý xong, đã trả kết quả", "Không được tiếp nhận", "Chờ"]
CHANNELS = ["Trực tuyến toàn trình", "Trực tiếp", "Nộp qua BCCI", "Trực tuyến (một phần)", "Fax"]


def _row(i: int) -> list[object]:
    """One dossier, with a few faults: a missing id, an impossible date, an unknown status, duplicates."""
    day = dt.datetime(2024, 1, 1, 7, 30) + dt.timedelta(hours=7 * i)
    resolved = "" if i % 5 == 1 else (day + dt.timedelta(days=i % 9)).strftime("%d/%m/%Y %H:%M")
    received = "31/02/2024" if i % 97 == 3 else day.strftime("%d/%m/%Y %H:%M")
    return [
        i + 1, "" if i % 89 == 7 else f"H-{i % 250:05d}", f"2.00{i % 7}019", f"Thủ tục số {i % 4}", "Công Thương",
        f"Nguyễn Văn {i % 13}", f"0790{i % 31:08d}", f"09{i:08d}", received,
        (day + dt.timedelta(days=10)).strftime("%d/%m/%Y"), resolved, CHANNELS[i % 5], STATUSES[i % 5],
        "Có" if i % 3 else "", "1" if i % 4 == 0 else ("Không" if i % 4 == 1 else ""),
    ]


def _workbook(path: Path, rows: int = 300, inline: bool = False, tweak=None) -> Path:
    """A dossier list: merged title, period line, header, data with a section row in the
    middle, a total and a signature footer; with ``tweak(sheet, first_data_row)`` changing some cells."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    ws = wb.add_worksheet("Danh sách")
    ws.merge_range(0, 0, 0, 6, "DANH SÁCH HỒ SƠ")
    ws.write_string(1, 0, "Từ ngày 01/01/2024 đến ngày 31/12/2024")
    ws.write_row(3, 0, HEADER)
    first = 5
    r = first
    for i in range(rows):
        if i == rows // 2:
            ws.write_string(r, 0, "II")
            ws.write_string(r, 1, "Lĩnh vực: Điện")
            r += 1
        values = _row(i)
        ws.write_number(r, 0, values[0])
        for c, value in enumerate(values[1:], start=1):
            if value != "":
                ws.write_string(r, c, value)
        r += 1
    ws.write_string(r, 0, f"Tổng số: {rows} hồ sơ")
    ws.write_string(r + 2, 12, "Người lập biểu")
    ws.write_string(r + 3, 12, "(Ký, ghi rõ họ tên)")
    if tweak:
        tweak(ws, first, wb)
    wb.close()
    return path


def _clean(path: Path, out: Path, fast: bool, monkeypatch) -> Path:
    monkeypatch.setenv("CCHC_PII_KEY", "test-key")
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 0 if fast else 10**15)
    report = pipeline.clean([path], out, progress=False)
    assert not report.errors
    return out


def _same_outputs(a: Path, b: Path) -> None:
    names = sorted(p.name for p in b.iterdir())
    assert names == sorted(p.name for p in a.iterdir())
    for name in names:
        if name.endswith(".parquet"):
            x, y = pd.read_parquet(a / name), pd.read_parquet(b / name)
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture
def small_top(monkeypatch):
    """A top part of a few kilobytes (some forty rows): most rows then come from the engine's columns."""
    monkeypatch.setattr(read_checks, "SCAN_HEAD_BYTES", 16 * 1024)
    monkeypatch.setattr(read_fast, "MIN_TOP_ROWS", 20)


@pytest.mark.parametrize("inline", [False, True], ids=["shared strings", "inline strings"])
def test_the_column_wise_reader_gives_the_general_readers_tables(tmp_path, monkeypatch, small_top, inline):
    path = _workbook(tmp_path / "ds.xlsx", inline=inline)
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 0)
    sheet = read(path)[0]
    assert sheet.tail is not None and 20 <= len(sheet.rows) < 100 and sheet.tail.length > 200
    assert sheet.merged == [((0, 0), (0, 6))]
    fast = _clean(path, tmp_path / "fast", True, monkeypatch)
    general = _clean(path, tmp_path / "general", False, monkeypatch)
    _same_outputs(fast, general)
    # The faults were seen (the comparison is not between two empty runs): worked out from _row.
    recon = pd.read_csv(general / "reconciliation.csv")
    quarantine = pd.read_csv(general / "quarantine.csv")
    assert recon["rows_read"].tolist() == [300]
    missing_id = sum(1 for i in range(300) if i % 89 == 7)
    assert (quarantine["reason"] == "Thiếu mã hồ sơ.").sum() == missing_id
    assert quarantine["reason"].str.contains("không phải là một ngày có thật").any()
    assert recon["rows_duplicate"].iloc[0] > 0


def test_the_cells_of_the_column_wise_sheet_are_the_general_readers(tmp_path, monkeypatch, small_top):
    """Below the top part, cell by cell: numbers as floats, texts as read, blanks as empty texts."""
    path = _workbook(tmp_path / "ds.xlsx")
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 0)
    fast = read(path)[0]
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 10**15)
    general = read(path)[0]
    assert general.tail is None and fast.row_numbers == general.row_numbers
    rows = [list(r) for r in fast.rows] + [fast.tail.row(i) for i in range(fast.tail.length)]
    width = len(general.rows[0])
    assert [r + [""] * (width - len(r)) for r in rows] == general.rows
    assert [[type(v) for v in r] for r in rows] == [[type(v) for v in r] for r in general.rows]
    total = next(r for r in rows if isinstance(r[0], str) and r[0].startswith("Tổng số"))
    assert total[0] == "Tổng số: 300 hồ sơ"  # a text in the numeric STT column, kept exactly


def _number_in_text_column(ws, first, wb):
    ws.write_number(first + 200, 2, 1.921)  # Mã TTHC as a number far below the top rows


def _bool_in_number_column(ws, first, wb):
    ws.write_boolean(first + 200, 0, True)


def _date_cells(ws, first, wb):
    fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for r in range(first + 150, first + 160):
        ws.write_datetime(r, 8, dt.datetime(2024, 5, 6, 7, 8), fmt)


def _quote_and_newline(ws, first, wb):
    ws.write_string(first + 220, 3, 'Thủ tục "đặc biệt" \\ dòng 1\ndòng 2')
    ws.write_string(first + 221, 0, "Ghi chú: 'x' & <y>")


@pytest.mark.parametrize(("tweak", "fast_path"), [
    (_number_in_text_column, False), (_bool_in_number_column, False), (_date_cells, False),
    (_quote_and_newline, True),
], ids=["number in a text column", "boolean", "date cells", "escaped texts"])
def test_unusual_cells_are_read_exactly_or_by_the_general_reader(tmp_path, monkeypatch, small_top, tweak, fast_path):
    path = _workbook(tmp_path / "ds.xlsx", tweak=tweak)
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 0)
    assert (read(path)[0].tail is not None) == fast_path
    _same_outputs(_clean(path, tmp_path / "fast", True, monkeypatch), _clean(path, tmp_path / "general", False, monkeypatch))


def test_a_small_sheet_keeps_the_general_reader(tmp_path):
    path = _workbook(tmp_path / "ds.xlsx", rows=50)
    assert read(path)[0].tail is None  # far below FAST_ABOVE_BYTES


def test_a_prefetched_workbook_reads_as_the_same_sheets(tmp_path, monkeypatch, small_top):
    path = _workbook(tmp_path / "ds.xlsx")
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 0)
    read_fast.prefetch(path)
    prefetched = read(path)[0]
    assert read_fast.take_prefetched(path) is None  # taken once
    direct = read(path)[0]
    assert prefetched.tail is not None and prefetched.rows == direct.rows
    assert [prefetched.tail.row(i) for i in range(prefetched.tail.length)] == \
        [direct.tail.row(i) for i in range(direct.tail.length)]


def test_a_prefetched_zip_bomb_is_refused_when_read(tmp_path, monkeypatch):
    import zipfile

    from cchc_analysis.ingest.readers import ReadError

    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024**2))
    monkeypatch.setattr(read_checks, "MAX_UNPACKED_BYTES", 4 * 1024**2)
    read_fast.prefetch(path)
    with pytest.raises(ReadError, match="bom zip"):
        read(path)


def _declare(path: Path, member: str, size: int) -> None:
    """Change the size the central directory declares for ``member`` (the packed bytes stay as they are)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")  # central directory entries: the declared size is at offset 24
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    data[at + 24:at + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("delta", "reason"), [(-1, "bom zip"), (+1, "hỏng")], ids=["bigger", "smaller"])
@pytest.mark.parametrize("prefetched", [False, True], ids=["direct", "prefetched"])
def test_a_big_part_whose_size_lies_is_refused_before_the_engine_sees_it(tmp_path, monkeypatch, small_top, delta,
                                                                         reason, prefetched):
    """A big sheet whose inflated size differs from its declared one is refused, and the column-wise engine
    (which reads past a part's declared size) never parses it."""
    import zipfile

    from cchc_analysis.ingest.readers import ReadError

    path = _workbook(tmp_path / "ds.xlsx")
    with zipfile.ZipFile(path) as zf:
        actual = zf.getinfo("xl/worksheets/sheet1.xml").file_size
    _declare(path, "xl/worksheets/sheet1.xml", actual + delta)
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 1000)
    facts = read_checks.check_zip(path, scan=True, defer_above=1000)
    assert "xl/worksheets/sheet1.xml" in facts.deferred  # only its head was inflated so far
    engine_calls = []
    monkeypatch.setattr(read_fast, "_load", lambda *a, **k: engine_calls.append(a))
    if prefetched:
        read_fast.prefetch(path)
    with pytest.raises(ReadError, match=reason):
        read(path)
    assert read_fast.take_prefetched(path) is None
    assert engine_calls == []


def test_the_scan_counts_patterns_cut_by_chunk_boundaries_once(monkeypatch):
    """Fed in chunks of every size, the scan counts as ``bytes.count`` on the whole, keeps the same head and tail."""
    import random

    rng = random.Random(7)
    data = b"".join(rng.choice([b'<c r="A1" t="s"><v>1</v></c>', b'<c t="b"><v>0</v></c>', b"<v>", b"t=", b'"s', b"x"])
                    for _ in range(3000))
    for size in (1, 2, 3, 5, 64, 1000, len(data)):
        scan = read_checks.PartScan((b"<v>", b't="s', b't="b'), head_bytes=100, tail_bytes=300)
        for at in range(0, len(data), size):
            scan.feed(data[at:at + size])
        assert scan.counts == {p: data.count(p) for p in (b"<v>", b't="s', b't="b')}
        assert (scan.head, scan.tail, scan.size) == (data[:100], data[-300:], len(data))


def test_the_zip_check_inflates_in_small_steps_to_the_exact_size(tmp_path, monkeypatch):
    """Inflated in steps far smaller than the part, every byte is counted: the inflater may hold bytes back
    after a full step with all its input taken (the part is not taken as short, nor refused)."""
    import zipfile

    monkeypatch.setattr(read_checks, "_OUT_CHUNK", 333)
    path = tmp_path / "x.xlsx"
    body = b"<row><c><v>1</v></c></row>" * 40960  # the last packed bytes expand past a full step
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", body)
    facts = read_checks.check_zip(path, scan=True)
    scan = facts.sheets["xl/worksheets/sheet1.xml"]
    assert (scan.size, scan.counts[b"<v>"]) == (len(body), 40960)


def test_the_counts_taken_beside_the_engine_are_the_sheets(tmp_path, monkeypatch, small_top):
    """The check leaves a big sheet's counts out; they are taken while the engine parses it, and are what
    ``bytes.count`` finds in the whole inflated part."""
    import zipfile

    path = _workbook(tmp_path / "ds.xlsx", inline=True)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        body = zf.read(part)
    monkeypatch.setattr(read_fast, "FAST_ABOVE_BYTES", 1000)
    facts = read_checks.check_zip(path, scan=True, defer_above=1000)
    read_checks.finish_zip(path, facts, count=False)
    scan = facts.sheets[part]
    assert (scan.counts, scan.size, scan.head) == ({}, len(body), body[:len(scan.head)])
    expected = {p: body.count(p) for p in facts.patterns}
    assert expected[b"<v>"] == 300 and expected[b't="b'] == 0  # the 300 row numbers (STT), the only number cells
    assert read_checks.count_patterns(path, part, facts.patterns, len(body)) == expected
    facts, ready = read_fast.checked_and_fast(path)
    assert list(ready) == ["Danh sách"] and facts.sheets[part].counts == expected


def test_a_part_that_changed_after_the_check_is_not_counted(tmp_path):
    """The second inflate is bounded by the checked size and must find it again."""
    path = _workbook(tmp_path / "ds.xlsx")
    facts = read_checks.check_zip(path, scan=True)
    size = facts.sheets["xl/worksheets/sheet1.xml"].size
    for wrong in (size - 1, size + 1):
        with pytest.raises(ValueError, match="second inflate"):
            read_checks.count_patterns(path, "xl/worksheets/sheet1.xml", facts.patterns, wrong)


def _sheet_xml(rows: int) -> bytes:
    """A worksheet part of ``rows`` rows (row ``n`` holds the number ``n`` and the text ``r<n>``), with markup
    after the cells."""
    body = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>r%d</t></is></c></row>'
                    % (n, n, n, n, n) for n in range(1, rows + 1))
    return (b'<?xml version="1.0"?><worksheet><dimension ref="A1:B%d"/><sheetData>' % rows + body
            + b'</sheetData><pageMargins left="0.7"/></worksheet>')


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096, 10**9])
def test_the_split_cuts_the_sheet_at_a_row_past_its_middle_whatever_the_chunks(tmp_path, chunk):
    """Fed in chunks of any size, the writer cuts after the first row that ends past the middle; the first
    half is the rows up to it, the second the same prefix, the last eight rows of the first half again, and
    the rest of the part."""
    import re
    import zipfile

    from cchc_analysis.ingest import sheet_split

    xml = _sheet_xml(500)
    source = tmp_path / "w.xlsx"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    split = sheet_split.SplitWriter(source, "xl/worksheets/sheet1.xml", len(xml))
    try:
        for at in range(0, len(xml), chunk):
            split.feed(xml[at:at + chunk])
        split.finish()
        assert split.ready
        cut = xml.index(b"</row>", len(xml) // 2) + len(b"</row>")
        last = int(re.findall(rb'<row r="(\d+)"', xml[:cut])[-1])
        assert (split.first_row, split.last_row) == (last - 7, last)
        prefix = xml[:xml.index(b"<row")]
        junction = xml.index(b'<row r="%d"' % (last - 7))
        with zipfile.ZipFile(split.paths[0]) as a, zipfile.ZipFile(split.paths[1]) as b:
            assert a.read("xl/worksheets/sheet1.xml") == xml[:cut] + b"</sheetData></worksheet>"
            assert b.read("xl/worksheets/sheet1.xml") == prefix + xml[junction:]
            assert a.read("xl/workbook.xml") == b.read("xl/workbook.xml") == b"<workbook/>"
            assert {i.compress_type for i in a.infolist() + b.infolist()} == {zipfile.ZIP_STORED}
    finally:
        split.remove()
    assert not split.folder.exists()


def test_a_big_sheet_parsed_in_two_gives_the_general_readers_tables(tmp_path, monkeypatch, small_top):
    """Cut in two and parsed by two engines at once, a sheet gives exactly the tables of the general reader;
    the two packages are gone once read; halves that do not line up give way to one engine."""
    from cchc_analysis.ingest import sheet_split

    path = _workbook(tmp_path / "ds.xlsx", rows=1200)
    monkeypatch.setattr(sheet_split, "SPLIT_ABOVE_BYTES", 1000)
    made, joined = [], []
    writer, parse = sheet_split.SplitWriter, sheet_split.parse_in_two

    def tracked(*args):
        made.append(writer(*args))
        return made[-1]

    monkeypatch.setattr(sheet_split, "SplitWriter", tracked)
    monkeypatch.setattr(sheet_split, "parse_in_two", lambda *a: joined.append(parse(*a)) or joined[-1])
    general = _clean(path, tmp_path / "general", False, monkeypatch)
    assert made == []
    _same_outputs(general, _clean(path, tmp_path / "halves", True, monkeypatch))
    assert len(made) == 1 and made[0].ready and joined[0] is not None and not made[0].folder.exists()
    assert 600 < made[0].first_row < 700  # near the middle of some 1,210 rows
    engine = read_fast._engine

    def shifted(source, name, skip, types):  # the second half's rows one row off: the junction differs
        columns, arrays, texts, length = engine(source, name, skip, types)
        if Path(source).name == "b.xlsx":
            return columns, {c: a.slice(1) for c, a in arrays.items()}, {}, length - 1
        return columns, arrays, texts, length

    monkeypatch.setattr(read_fast, "_engine", shifted)
    _same_outputs(general, _clean(path, tmp_path / "shifted", True, monkeypatch))
    assert len(made) == 2 and joined[1] is None and not made[1].folder.exists()


def test_tail_cells_with_none_for_blanks_are_the_cells_with_their_blanks_replaced():
    """Repeated texts (shared objects), distinct texts and numbers with their texts: ``blank=None`` gives the
    same cells, None where the cell is missing (an empty text stays ``""``: the table builder blanks it)."""
    import pyarrow as pa

    n = 3000
    repeated = pa.array([None if i % 7 == 0 else ["Có", "Không", ""][i % 3] for i in range(n)])
    distinct = pa.array([None if i % 5 == 0 else f"H-{i}" for i in range(n)])
    numbers = pa.array([None if i % 4 == 0 else float(i) for i in range(n)])
    tail = read_fast.ColumnTail({0: numbers, 1: repeated, 2: distinct}, {(4, 0): "Tổng"}, n, 4, {0})
    missing = {0: lambda i: i % 4 == 0 and i != 4, 1: lambda i: i % 7 == 0, 2: lambda i: i % 5 == 0, 3: lambda i: True}
    for col in range(4):
        for rows in (None, list(range(0, n, 3)), [5, 9]):
            at = range(n) if rows is None else rows
            plain = tail.cells(col, rows).tolist()
            assert tail.cells(col, rows, blank=None).tolist() == [None if missing[col](i) else v
                                                                  for i, v in zip(at, plain, strict=True)]
    assert tail.cells(0)[4] == "Tổng" and tail.cells(0, blank=None)[8] is None and tail.cells(1)[0] == ""
    assert tail.cells(1, blank=None)[2] == ""  # an empty text, not a missing cell
