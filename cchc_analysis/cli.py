"""The ``cchc`` command (also ``python -m cchc_analysis``).

Sub-commands follow docs/contract.md section 1: ``clean``, ``indicators``, ``report`` and ``sample``.
Exit status: 0 when every input was read, 1 when a file could not be read (each named on standard
error as ``error: FILE: REASON``), 2 for a wrong command line.
Bad input never produces a traceback: unexpected failures are reported in one sentence.

>>> build_parser().parse_args(["sample", "--out", "x"]).out
'x'
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from cchc_analysis import __version__, config

EXIT_OK = 0
EXIT_UNREADABLE = 1
EXIT_USAGE = 2


def _cmd_clean(args: argparse.Namespace) -> int:
    if len(args.inputs) == 1 and Path(args.inputs[0]).is_file():  # one workbook: its parse starts now,
        from cchc_analysis.ingest.read_fast import prefetch  # while the modules below are imported

        prefetch(Path(args.inputs[0]))
    from cchc_analysis.ingest.pipeline import available_kinds, clean

    kinds = list(available_kinds())
    if args.kind is not None and args.kind not in kinds:
        print(f"error: cchc clean: loại dữ liệu {args.kind!r} không có; dùng một trong: {', '.join(kinds)}.",
              file=sys.stderr)
        return EXIT_USAGE
    inputs = [Path(p) for p in args.inputs] or [config.RAW_DIR]
    report = clean(inputs, Path(args.out), kind=args.kind, progress=not args.quiet)
    for name, reason in report.errors:
        print(f"error: {name}: {reason}", file=sys.stderr)
    for line in report.summary_lines():
        print(line)
    return int(report.exit_code)


def _cmd_indicators(args: argparse.Namespace) -> int:
    from cchc_analysis.indicators import run_cli as run

    return int(run(processed=Path(args.processed), year=args.year, fmt=args.format, out=args.out))


def _cmd_report(args: argparse.Namespace) -> int:
    from cchc_analysis.kernel_server import KernelServer

    # in the cchc process (run), forked before the imports below while a processor is idle: it imports
    # what the notebook kernels need meanwhile, and is stopped at once if the pack is up to date
    server = KernelServer.start() if getattr(args, "whole_process", False) else None
    try:
        from cchc_analysis.pack import run_cli as run

        return int(run(year=args.year, period=args.period, raw=args.raw, out=args.out, params=args.params,
                       progress=not args.quiet, server=server))
    finally:
        if server is not None:
            server.close()


def _cmd_sample(args: argparse.Namespace) -> int:
    from cchc_analysis.sample import generate

    out = Path(args.out)
    paths = generate(out, progress=not args.quiet)
    print(f"Đã tạo {len(paths)} tệp dữ liệu mẫu (tổng hợp, không phải dữ liệu thật) trong {out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``cchc`` command."""
    parser = argparse.ArgumentParser(
        prog="cchc",
        description="Phân tích cải cách hành chính Sở Công Thương Khánh Hòa (cchc-analysis): "
        "làm sạch dữ liệu, tính chỉ tiêu, lập báo cáo sơ kết.",
    )
    parser.add_argument("--version", action="version", version=f"cchc-analysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("clean", help="làm sạch các tệp xuất (clean exports into canonical tables)")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="tệp hoặc thư mục (mặc định data/raw)")
    p.add_argument("--out", default=str(config.PROCESSED_DIR), help="thư mục kết quả (data/processed)")
    p.add_argument("--kind", metavar="KIND", help="buộc loại dữ liệu cho mọi tệp (một loại khai báo trong "
                   "cchc_analysis/ingest; gõ sai thì lệnh liệt kê các loại có)")
    p.add_argument("-q", "--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser("indicators", help="bảng chỉ tiêu (the tidy indicator table)")
    p.add_argument("--processed", default=str(config.PROCESSED_DIR), help="thư mục bảng đã làm sạch")
    p.add_argument("--year", type=int, help="năm (mặc định: mọi năm)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--out", help="tệp kết quả (mặc định: in ra màn hình)")
    p.set_defaults(func=_cmd_indicators)

    p = sub.add_parser("report", help="lập bộ báo cáo sơ kết (build the review pack)")
    p.add_argument("--year", type=int, help="năm báo cáo (mặc định: theo tệp tham số, nếu không thì 2025)")
    p.add_argument("--period", help="kỳ báo cáo: 2026-H1, 2026-Q3, 2026-07, 2021-2025 "
                   "hoặc 2025-12-15..2026-12-14 (mặc định: cả năm)")
    p.add_argument("--raw", help="thư mục dữ liệu thô (mặc định: theo tệp tham số, nếu không thì data/raw)")
    p.add_argument("--out", help="thư mục báo cáo (mặc định reports/KỲ, ví dụ reports/2025)")
    p.add_argument("--params", help="tệp YAML tham số (thư mục params/); tham số dòng lệnh được ưu tiên")
    p.add_argument("-q", "--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("sample", help="tạo lại dữ liệu mẫu tổng hợp (regenerate the synthetic sample)")
    p.add_argument("--out", default=str(config.SAMPLE_DIR), help="thư mục đích (data/raw/sample)")
    p.add_argument("-q", "--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.set_defaults(func=_cmd_sample)
    return parser


def main(argv: Sequence[str] | None = None, *, whole_process: bool = False) -> int:
    """Run the command line; return the exit status (never raises for bad input).

    ``whole_process``: this call is the whole ``cchc`` process (:func:`run`), so ``cchc report`` may fork
    its kernel server (:mod:`cchc_analysis.kernel_server`) before anything else.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return int(exc.code or 0) and EXIT_USAGE
    args.whole_process = whole_process
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; các kết quả trước đó vẫn giữ nguyên.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one sentence, no traceback
        print(f"error: cchc {args.command}: lỗi không mong đợi ({type(exc).__name__}: {exc}). "
              "Hãy báo lại cho nhóm phát triển kèm lệnh đã chạy.", file=sys.stderr)
        return EXIT_UNREADABLE


def run(argv: Sequence[str] | None = None) -> int:
    """The ``cchc`` process: :func:`main`, then :func:`settle_for_exit`; return the exit status.

    The console script and ``python -m cchc_analysis`` call this; a program that calls the command
    line in its own process uses :func:`main`, which leaves the process as it is.
    """
    code = main(argv, whole_process=True)
    settle_for_exit()
    return code


def settle_for_exit() -> None:
    """Spare the interpreter's last garbage collections: move every object to the collector's permanent
    generation (:func:`gc.freeze`), which the collections at exit skip.

    At exit Python runs its cyclic garbage collector over every object still alive (pandas, Matplotlib,
    nbconvert and the tables of a run: millions of objects), which took 0.4–0.6 s after ``cchc report``
    had written the pack. Memory is still given back as the modules are torn down; only cycles
    are left to the end of the process. Call it only when the process is about to exit: afterwards the
    collector never looks at these objects again.
    """
    gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run())
