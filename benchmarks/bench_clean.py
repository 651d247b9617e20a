"""Speed and memory of ``cchc clean`` against a bare ``pandas.read_excel`` of the same file.

Makes a 200,000-row dossier list in the layout of a one-stop-shop export (title block, header,
``dd/mm/yyyy HH:MM`` text dates, labels, personal columns, total and signature footer), then measures,
several times each and interleaved:

(a) ``pandas.read_excel(path, engine="calamine")`` in a fresh Python process (the reference);
(b) ``python -m cchc_analysis clean FILE --out TMP`` in a fresh Python process;
(c) for information, the bare Arrow reader (``fastexcel``) that (b) uses for big sheets
    (``ingest/read_fast.py``: the top rows parsed from the sheet's XML, the rest typed column by column).

Each measurement runs the command under a small wrapper process that reports the wall time and the
peak resident memory of its only child (``resource.getrusage(RUSAGE_CHILDREN)``), so that every
figure comes from a fresh process; its CPU seconds (user + system, all threads) are printed too. The runs are interleaved (so that a change of load on a shared
machine touches every command alike); the medians and the ratios to (a) are printed; the targets
for (b) are time ≤ 0.6× and memory ≤ 0.7×.

Usage::

    python benchmarks/bench_clean.py [--rows 200000] [--runs 3] [--keep FILE | --file EXPORT]

``--keep FILE`` makes the export once and keeps it for later runs; ``--file EXPORT`` measures an
existing export (any dossier list) as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIME_TARGET = 0.6
MEMORY_TARGET = 0.7

HEADER = ["STT", "Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Chủ hồ sơ", "Số định danh cá nhân",
          "Số điện thoại", "Địa chỉ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp", "Mức độ",
          "Trạng thái", "Có phí, lệ phí", "Thanh toán trực tuyến", "Số hóa kết quả", "Xác thực VNeID"]
PROCEDURES = [
    ("2.000535", "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm"),
    ("2.000633", "Cấp Giấy phép bán lẻ sản phẩm rượu", "Lưu thông hàng hóa trong nước"),
    ("2.000208", "Cấp lại Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", "Kinh doanh khí"),
    ("2.000019", "Cấp Giấy xác nhận đăng ký tổ chức hội chợ, triển lãm thương mại", "Xúc tiến thương mại"),
    ("2.000418", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hóa chất", "Hóa chất"),
]
STATUSES = ["Đã trả kết quả"] * 6 + ["Đã xử lý xong", "Đang xử lý", "Yêu cầu bổ sung", "Không được tiếp nhận"]
CHANNELS = [("Trực tuyến", "Toàn trình"), ("Trực tuyến", "Một phần"), ("Trực tiếp", ""), ("Dịch vụ bưu chính công ích", "")]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đỗ", "Bùi", "Đặng", "Huỳnh"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quốc Khánh", "Mỹ Linh", "Hữu Phước"]


def make_export(path: Path, rows: int, seed: int = 20250106) -> None:
    """Write a dossier list of ``rows`` rows in the one-stop-shop export layout (deterministic)."""
    import xlsxwriter

    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Danh sách hồ sơ")
    for r, title in enumerate(["UBND TỈNH KHÁNH HÒA", "SỞ CÔNG THƯƠNG", "DANH SÁCH HỒ SƠ TIẾP NHẬN",
                               "Từ ngày 01/01/2024 đến ngày 31/12/2024"]):
        sheet.write_string(r, 0, title)
    sheet.write_row(5, 0, HEADER)
    start = dt.datetime(2024, 1, 2, 7, 30)
    fmt = "%d/%m/%Y %H:%M"
    for i in range(rows):
        received = start + dt.timedelta(minutes=rng.randrange(0, 362 * 24 * 60))
        due = received + dt.timedelta(days=rng.choice((5, 7, 10, 15)))
        status = rng.choice(STATUSES)
        resolved = "" if status in ("Đang xử lý", "Yêu cầu bổ sung") else \
            (received + dt.timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(600))).strftime(fmt)
        code, name, field = rng.choice(PROCEDURES)
        channel, level = rng.choice(CHANNELS)
        fee = rng.random() < 0.8
        sheet.write_row(6 + i, 0, [
            i + 1, f"000.00.23.H32-{received:%y%m%d}-{i:06d}", code, name, field,
            f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", f"0{rng.randrange(10**10, 10**11)}",
            f"09{rng.randrange(10**7, 10**8)}", f"{rng.randrange(1, 300)} Trần Phú, Phường Lộc Thọ, TP. Nha Trang",
            received.strftime(fmt), due.strftime(fmt), resolved, channel, level, status,
            "Có" if fee else "Không", (rng.choice(("Có", "Không")) if fee else ""), rng.choice(("x", "")),
            rng.choice(("Có", "Không", "")),
        ])  # fmt: skip
    last = 6 + rows
    sheet.write_string(last, 0, f"Tổng số: {rows} hồ sơ")
    sheet.write_string(last + 2, 15, "Người lập biểu")
    sheet.write_string(last + 3, 15, "(Ký, ghi rõ họ tên)")
    workbook.close()


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system, all threads) of ``command``, run as the
    only child of a fresh wrapper process."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "code = subprocess.run(json.loads(sys.argv[1]), stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - t\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([code, wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime]))\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper, json.dumps(command)], capture_output=True, text=True,
                          env=env, check=True)
    code, wall, peak_kib, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise SystemExit(f"command failed ({code}): {' '.join(command)}")
    return wall, peak_kib / 1024, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="reuse (or create) the generated export at this path")
    parser.add_argument("--file", type=Path, help="measure this existing export (never made nor changed)")
    args = parser.parse_args(argv)
    if args.file is not None and not args.file.is_file():
        parser.error(f"no such export: {args.file}")

    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        export = args.file or args.keep or Path(tmp) / "danh_sach_ho_so.xlsx"
        if not export.is_file():
            t = time.perf_counter()
            make_export(export, args.rows)
            print(f"made {export.name}: {args.rows:,} rows, {export.stat().st_size / 1024**2:.1f} MiB "
                  f"in {time.perf_counter() - t:.1f} s")
        env = {**os.environ, "TQDM_DISABLE": "1", "CCHC_PII_KEY": "benchmark-key"}
        bare = [sys.executable, "-c",
                f"import pandas as pd; pd.read_excel({str(export)!r}, engine='calamine')"]
        ours = [sys.executable, "-m", "cchc_analysis", "clean", str(export), "--out", str(Path(tmp) / "out")]
        arrow = [sys.executable, "-c", f"import fastexcel; fastexcel.read_excel({str(export)!r})"
                 ".load_sheet(0, header_row=None, eager=True)"]
        commands = [("read_excel", bare), ("cchc clean", ours)]
        try:
            import fastexcel  # noqa: F401
        except ImportError:
            pass
        else:
            commands.append(("fastexcel", arrow))
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in commands}
        for run in range(args.runs):
            for name, command in commands:
                wall, peak, cpu = measure(command, env)
                results[name].append((wall, peak, cpu))
                print(f"run {run + 1}: {name:<11} {wall:6.2f} s  {peak:7.0f} MiB  cpu {cpu:6.2f} s", flush=True)

    medians = {name: tuple(statistics.median(m[i] for m in r) for i in range(3)) for name, r in results.items()}
    for name, (wall, peak, cpu) in medians.items():
        print(f"median {name:<11} {wall:6.2f} s  {peak:7.0f} MiB  cpu {cpu:6.2f} s")
    time_ratio = medians["cchc clean"][0] / medians["read_excel"][0]
    memory_ratio = medians["cchc clean"][1] / medians["read_excel"][1]
    if "fastexcel" in medians:
        print(f"fastexcel alone: time {medians['fastexcel'][0] / medians['read_excel'][0]:.2f}×, "
              f"memory {medians['fastexcel'][1] / medians['read_excel'][1]:.2f}× (for information)")
    print(f"cpu ratio    {medians['cchc clean'][2] / medians['read_excel'][2]:.2f} (user + system seconds, all "
          "threads; for information: less sensitive than wall time to other work on the machine)")
    print(f"time ratio   {time_ratio:.2f} (target ≤ {TIME_TARGET})")
    print(f"memory ratio {memory_ratio:.2f} (target ≤ {MEMORY_TARGET})")
    return 0 if time_ratio <= TIME_TARGET and memory_ratio <= MEMORY_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
