"""Hostile and broken files are refused quickly and clearly, and the other files are still cleaned.

Each hostile file is made by code, put in a folder beside one good export, and cleaned by the real
command in a fresh process (so that its peak memory can be read). The run must exit 1, name the file
in one ``error: FILE: REASON`` sentence, print no traceback, keep the good file's rows, and stay
within the bounds of the issue: 5 seconds and 500 MB for the refusal (measured beyond the cost of
cleaning the good file alone, which includes the interpreter's start-up).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

TIME_BOUND_S = 5.0
MEMORY_BOUND_MB = 500.0

# Runs the cleaner as the only child of a small wrapper, then reports the child's peak RSS.
WRAPPER = (
    "import json, resource, subprocess, sys, time\n"
    "t0 = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "wall = time.perf_counter() - t0\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(json.dumps({'rc': p.returncode, 'out': p.stdout, 'err': p.stderr, 'wall': wall, 'rss_mb': rss}))\n"
)


def run_clean(inputs: list[Path], out: Path) -> dict:
    cmd = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "cchc_analysis", "clean",
           *map(str, inputs), "--out", str(out), "-q"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


GOOD_ROWS = [
    ["MaHoSo", "TenTTHC", "TenLinhVuc", "KenhThucHien", "TrangThaiHoSoId", "NgayTiepNhan", "NgayHenTra",
     "NgayKetThucXuLy"],
    ["000.00.23.H32-240102-0001", "Cấp Giấy phép bán lẻ sản phẩm rượu", "Lưu thông hàng hóa trong nước", "2",
     "10", "2024-01-02 08:00:00", "2024-01-10 08:00:00", "2024-01-05 10:00:00"],
    ["000.00.23.H32-240102-0002", "Cấp Giấy phép hoạt động điện lực", "Điện", "1", "4",
     "2024-01-02 09:00:00", "2024-01-20 09:00:00", ""],
]


def good_csv(folder: Path) -> Path:
    path = folder / "ho_so_tot.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(GOOD_ROWS)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def workbook_bytes(rows: list[list[str]] | None = None) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Danh sách")
    for r, row in enumerate(rows or GOOD_ROWS):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return buf.getvalue()


def replace_member(xlsx: bytes, name: str, content: bytes | None = None, *, stream_bytes: int = 0) -> bytes:
    """Rebuild a zipped workbook with one member replaced (or inflated to ``stream_bytes`` of spaces)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info.filename))
            elif stream_bytes:
                with dst.open(name, "w", force_zip64=True) as fh:
                    fh.write(b'<?xml version="1.0"?><worksheet>')
                    chunk = b" " * (1 << 20)
                    for _ in range(stream_bytes >> 20):
                        fh.write(chunk)
            else:
                dst.writestr(name, content)
    return out.getvalue()


def entity_bomb() -> bytes:
    levels = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    xml = ('<?xml version="1.0"?><!DOCTYPE sst [' + "".join(levels) + ']>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           "<si><t>&lol9;</t></si></sst>")
    return replace_member(workbook_bytes(), "xl/sharedStrings.xml", xml.encode())


def zip_bomb() -> bytes:
    return replace_member(workbook_bytes(), "xl/worksheets/sheet1.xml", stream_bytes=256 << 20)


def password_protected() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(workbook_bytes())).encrypt("mat-khau", out)
    return out.getvalue()


def truncated() -> bytes:
    data = workbook_bytes()
    return data[: len(data) // 2]


def not_a_spreadsheet() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 20


def empty_workbook() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("Sheet1")
    wb.close()
    return buf.getvalue()


def undetectable_csv() -> bytes:
    # Invalid as UTF-8 and UTF-16, and 0x81/0x8A/0x8D are undefined in Windows-1258.
    return b"Ma ho so,Ngay\n" + b"\x81\x8a\x8d\x8e\x90\x9a\xff\xfe\x00\x81" * 50 + b"\n"


def no_header_csv() -> bytes:
    return "Cột A,Cột B,Ghi chu lung tung\n1,2,3\n4,5,6\n".encode()


HOSTILE = {
    # name: (file name, maker, words the reason must contain (any of))
    "entity_bomb": ("bom_thuc_the.xlsx", entity_bomb, ("thực thể", "XML")),
    "zip_bomb": ("bom_nen.xlsx", zip_bomb, ("giải nén", "nén")),
    "password": ("co_mat_khau.xlsx", password_protected, ("mật khẩu",)),
    "truncated": ("bi_cat_cut.xlsx", truncated, ("hỏng", "không đầy đủ", "bị cắt")),
    "not_spreadsheet": ("bao_cao.xls", not_a_spreadsheet, ("PDF", "không phải")),
    "empty_workbook": ("trong.xlsx", empty_workbook, ("trống", "không có dữ liệu", "không có dòng")),
    "undetectable_encoding": ("ma_loi.csv", undetectable_csv, ("mã hóa", "bảng mã", "encoding")),
    "no_header": ("khong_tieu_de.csv", no_header_csv, ("tiêu đề", "cột")),
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("good")
    return run_clean([good_csv(folder)], folder / "out")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_is_refused_quickly_and_the_rest_is_cleaned(case, tmp_path, baseline):
    name, make, words = HOSTILE[case]
    raw = tmp_path / "raw"
    raw.mkdir()
    good = good_csv(raw)
    hostile = raw / name
    hostile.write_bytes(make())
    before = {p.name: p.read_bytes() for p in raw.iterdir()}

    result = run_clean([good, hostile], tmp_path / "out")

    assert baseline["rc"] == 0, baseline["err"]
    assert result["rc"] == 1, result["err"]
    assert "Traceback" not in result["err"] + result["out"]
    # FILE is the file as named on the command line or its name alone; REASON one sentence
    pattern = re.compile(rf"^error: (?:.*/)?{re.escape(name)}: (.+)$")
    reasons = [m.group(1) for m in map(pattern.match, result["err"].splitlines()) if m]
    assert len(reasons) == 1, result["err"]
    reason = reasons[0]
    assert any(word.lower() in reason.lower() for word in words), reason
    assert result["wall"] - baseline["wall"] < TIME_BOUND_S
    assert result["rss_mb"] < MEMORY_BOUND_MB
    dossiers = pd.read_parquet(tmp_path / "out" / "dossiers.parquet")
    assert sorted(dossiers["dossier_id"]) == [GOOD_ROWS[1][0], GOOD_ROWS[2][0]]
    assert {p.name: p.read_bytes() for p in raw.iterdir()} == before  # raw files untouched
