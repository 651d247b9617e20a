"""``cchc clean`` as a whole: errors that do not stop the run, folders, outputs that are safe and repeatable."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import DOSSIER_HEADER, dossier_row, dossier_sheet

from cchc_analysis.ingest import pipeline
from cchc_analysis.ingest.pipeline import clean, expand_inputs

pytestmark = pytest.mark.usefixtures("pii_key")
ROOT = Path(__file__).resolve().parents[1]


def _good(exports, name="ds.xlsx", n=3):
    return exports.xlsx(name, {"Danh sách": dossier_sheet([dossier_row(i) for i in range(1, n + 1)])})


def test_an_unreadable_file_is_named_and_the_others_are_still_cleaned(exports, tmp_path):
    good = _good(exports)
    bad = exports.folder / "hong.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a workbook")
    locked = exports.encrypted_ooxml("khoa.xlsx")
    report = clean([exports.folder], tmp_path / "out", progress=False)
    assert report.exit_code == 1
    assert {Path(name).name for name, _ in report.errors} == {"hong.xlsx", "khoa.xlsx"}
    assert all(reason.endswith(".") and "\n" not in reason for _, reason in report.errors)
    assert len(pd.read_parquet(tmp_path / "out" / "dossiers.parquet")) == 3
    assert good.exists() and locked.exists()


def test_a_sheet_without_a_known_header_names_what_it_saw(exports, tmp_path):
    path = exports.xlsx("la.xlsx", {"S": [["Mã hồ sơ x", "Ngày nhận hs", "Cột khác"], ["1", "2", "3"]]})
    report = clean([path], tmp_path / "out", progress=False)
    ((_, reason),) = report.errors
    assert "Cột khác" in reason and "gần nhất" in reason


def test_folders_are_walked_and_non_exports_skipped(exports):
    _good(exports, "a.xlsx")
    sub = exports.folder / "quy2"
    sub.mkdir()
    (sub / "b.csv").write_text("x", encoding="utf-8")
    for name in ("README.md", "manifest.json", ".hidden.xlsx", "~$a.xlsx", "notes.pdf"):
        (exports.folder / name).write_text("x", encoding="utf-8")
    files, errors = expand_inputs([exports.folder, exports.folder / "khong_co.xlsx"])
    assert sorted(f.name for f in files) == ["a.xlsx", "b.csv"]
    assert errors and "không tìm thấy" in errors[0][1]


def test_output_inside_an_input_folder_is_refused(exports):
    _good(exports)
    report = clean([exports.folder], exports.folder / "processed", progress=False)
    assert report.exit_code == 1 and not (exports.folder / "processed").exists()


def test_raw_files_are_never_touched(exports, tmp_path):
    _good(exports)
    before = {p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
              for p in exports.folder.iterdir()}
    clean([exports.folder], tmp_path / "out", progress=False)
    after = {p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
             for p in exports.folder.iterdir()}
    assert before == after


def test_two_runs_give_byte_identical_outputs(exports, tmp_path):
    rows = [dossier_row(i) for i in range(1, 6)] + [dossier_row(9, received="31/02/2024")]
    exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})
    exports.csv("b.csv", [DOSSIER_HEADER, *[dossier_row(i) for i in (2, 7)]])
    digests = []
    for run in ("one", "two"):
        clean([exports.folder], tmp_path / run, progress=False)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()})
    assert digests[0] == digests[1]
    assert {"dossiers.parquet", "report06a.parquet", "quarantine.csv", "reconciliation.csv"} <= set(digests[0])


def test_outputs_are_sorted_and_typed_by_the_schema(exports, tmp_path):
    rows = [dossier_row(i) for i in (5, 3, 9, 1)]
    clean([exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})], tmp_path / "out", progress=False)
    frame = pd.read_parquet(tmp_path / "out" / "dossiers.parquet")
    assert frame["dossier_id"].is_monotonic_increasing
    assert str(frame["received_at"].dtype).startswith("datetime64") and str(frame["fee_required"].dtype) == "boolean"


def test_quarantine_values_that_look_like_formulas_are_escaped(exports, tmp_path):
    rows = [dossier_row(1), dossier_row(2, channel='=HYPERLINK("http://x","bấm")'), dossier_row(3, channel="@SUM(1)")]
    clean([exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})], tmp_path / "out", progress=False)
    raw = (tmp_path / "out" / "quarantine.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    values = pd.read_csv(tmp_path / "out" / "quarantine.csv", encoding="utf-8-sig")["value"].tolist()
    assert values == ["'=HYPERLINK(\"http://x\",\"bấm\")", "'@SUM(1)"]


def test_reconciliation_lists_every_sheet_and_balances(exports, tmp_path):
    path = exports.xlsx("hai.xlsx", {"Q1": dossier_sheet([dossier_row(1), dossier_row(2)]),
                                     "Q2": dossier_sheet([dossier_row(2), dossier_row(3, received="")]),
                                     "Ghi chú": [["Số liệu tạm tính"]]})
    report = clean([path], tmp_path / "out", progress=False)
    recon = pd.read_csv(tmp_path / "out" / "reconciliation.csv", encoding="utf-8-sig")
    assert recon["sheet"].tolist() == ["Q1", "Q2"]
    assert (recon.rows_read == recon.rows_kept + recon.rows_quarantined + recon.rows_duplicate).all()
    assert recon[["rows_read", "rows_kept", "rows_quarantined", "rows_duplicate"]].sum().tolist() == [4, 2, 1, 1]
    assert any("Ghi chú" in w for w in report.warnings)  # a sheet without a table is named, not counted


def test_unknown_headers_are_warned_and_summarised(exports, tmp_path, capsys):
    header = [*DOSSIER_HEADER, "Cột lạ"]
    rows = [[*dossier_row(1), "?"]]
    report = clean([exports.xlsx("a.xlsx", {"S": dossier_sheet(rows, header=header)})], tmp_path / "out",
                   progress=False)
    assert "Cột lạ" in capsys.readouterr().err
    assert any("Cảnh báo" in line for line in report.summary_lines())


def test_summary_in_vietnamese(exports, tmp_path):
    rows = [dossier_row(1), dossier_row(1), dossier_row(2, dossier_id="")]
    report = clean([exports.xlsx("a.xlsx", {"S": dossier_sheet(rows)})], tmp_path / "out", progress=False)
    text = "\n".join(report.summary_lines())
    assert "3 đọc, 1 giữ lại, 1 cách ly, 1 trùng lặp" in text and "Thiếu mã hồ sơ" in text


def test_forced_kind(exports, tmp_path):
    path = _good(exports)
    assert clean([path], tmp_path / "a", kind="dossiers", progress=False).exit_code == 0
    report = clean([path], tmp_path / "b", kind="report06a", progress=False)
    assert report.exit_code == 1 and "report06a" in report.errors[0][1]


def test_an_absent_kind_module_is_skipped(monkeypatch, exports, tmp_path):
    monkeypatch.setattr(pipeline, "KIND_MODULES", ("dossiers", "no_such_kind_module"))
    report = clean([_good(exports)], tmp_path / "out", progress=False)
    assert report.exit_code == 0 and set(report.tables) == {"dossiers", "dossier_events", "dossier_facts"}


def test_command_line_exit_status_and_message(exports, tmp_path):
    _good(exports)
    (exports.folder / "hong.csv").write_bytes(b"\x00\x01\x02" * 100)
    env = {**os.environ, "TQDM_DISABLE": "1", "CCHC_PII_KEY": "k"}
    done = subprocess.run([sys.executable, "-m", "cchc_analysis", "clean", str(exports.folder), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 1
    assert "error: hong.csv: " in done.stderr and "Traceback" not in done.stderr  # named inside the folder given
    assert "Đã đọc" in done.stdout and (tmp_path / "out" / "dossiers.parquet").exists()


def test_the_empty_table_of_every_schema_is_canonical_as_made(exports, tmp_path):
    """An empty table (a kind the inputs do not have) is written without the schema check: the check would
    change nothing, for every schema, kinds' own included; the files written are those of checked tables."""
    from cchc_analysis import schemas
    from cchc_analysis.quality import write_parquet

    _good(exports)
    report = clean([exports.folder], tmp_path / "out", progress=False)
    empty = sorted(name for name, rows in report.tables.items() if rows == 0)
    assert "budget" in empty and "survey_comments" in empty and "dossiers" not in empty
    assert set(report.tables) == set(schemas.SCHEMAS)
    for name in schemas.SCHEMAS:
        made = schemas.empty(name)
        checked = schemas.validate(name, schemas.empty(name))
        pd.testing.assert_frame_equal(made, checked, check_exact=True)
        write_parquet(tmp_path / "checked.parquet", checked)
        if name in empty:
            assert (tmp_path / "out" / f"{name}.parquet").read_bytes() == (tmp_path / "checked.parquet").read_bytes()
