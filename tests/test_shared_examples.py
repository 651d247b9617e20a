"""The shared example exports (p01–p04) cleaned as truth.json says, file by file and together.

Skipped when ``../shared/examples`` (beside the project) is absent. Every expected value is read from
truth.json; nothing here is a hard-coded count.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REQUIRES_SHARED
from conftest import SHARED_EXAMPLES as SHARED

from cchc_analysis.ingest.pipeline import clean

ROOT = Path(__file__).resolve().parents[1]
DOSSIER_FILES = ("p01_danh_sach_ho_so_2024.xlsx", "p02_danh_sach_ho_so_2025_Q1.xls", "p03_ho_so_dong_bo.csv")
REPORT_FILE = "p04_bao_cao_06a_2024.xlsx"
COUNT_KEYS = ("rows_read", "rows_kept", "rows_quarantined", "rows_duplicate")

pytestmark = REQUIRES_SHARED



@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> dict:
    """Each of p01–p04 cleaned alone: name -> (report, output folder)."""
    runs = {}
    for name in (*DOSSIER_FILES, REPORT_FILE):
        out = tmp_path_factory.mktemp(name.split("_")[0])
        runs[name] = (clean([SHARED / name], out, progress=False), out)
    return runs


@pytest.fixture(scope="module")
def together(tmp_path_factory) -> Path:
    """p01–p04 cleaned together through the command line, as an analyst runs it."""
    out = tmp_path_factory.mktemp("together")
    env = {**os.environ, "TQDM_DISABLE": "1", "CCHC_PII_KEY": "test-key"}
    args = [sys.executable, "-m", "cchc_analysis", "clean", *(str(SHARED / n) for n in (*DOSSIER_FILES, REPORT_FILE)),
            "--out", str(out)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return out


def _sheet_key(sheet) -> str:
    return "" if sheet is None or (isinstance(sheet, float) and pd.isna(sheet)) else str(sheet)


def _reconciliation(out: Path) -> dict:
    frame = pd.read_csv(out / "reconciliation.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    table: dict = {}
    for row in frame.itertuples(index=False):
        table.setdefault(row.file, {})[row.sheet] = {k: int(getattr(row, k)) for k in COUNT_KEYS}
    return table


def _source_rows(out: Path) -> set[tuple[str, str, int]]:
    sources = pd.read_parquet(out / "dossiers.parquet")["source"]
    parsed = sources.str.extract(r"^(?P<file>[^#:]+)(?:#(?P<sheet>.*))?:(?P<row>\d+)$")
    return {(f, _sheet_key(s), int(r)) for f, s, r in parsed.itertuples(index=False)}


@pytest.mark.parametrize("name", [*DOSSIER_FILES, REPORT_FILE])
def test_each_file_alone_reconciles_as_truth(truth, alone, name):
    expected = truth["files"][name]
    report, out = alone[name]
    assert report.exit_code == 0 and not report.errors
    actual = _reconciliation(out)[name]
    assert {sheet: counts for sheet, counts in actual.items()} == {
        sheet: {k: v[k] for k in COUNT_KEYS} for sheet, v in expected["sheets"].items()
    }
    assert sum(c[k] for c in actual.values() for k in ("rows_read",)) == expected["rows_read"]


@pytest.mark.parametrize("name", DOSSIER_FILES)
def test_each_dossier_file_alone_keeps_and_drops_the_right_rows(truth, alone, name):
    expected = truth["files"][name]
    _, out = alone[name]
    kept = _source_rows(out)
    for dup in expected["duplicate_rows"]:
        assert (name, _sheet_key(dup["sheet"]), dup["row"]) not in kept
    quarantine = pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert {(s, int(r)) for s, r in zip(quarantine["sheet"], quarantine["row"], strict=True)} == {
        (_sheet_key(b["sheet"]), b["row"]) for b in expected["bad_rows"]
    }


def test_report06a_records_match_truth(truth, alone):
    expected = truth["files"][REPORT_FILE]
    _, out = alone[REPORT_FILE]
    frame = pd.read_parquet(out / "report06a.parquet")
    rows = expected["report06a"]["rows"]
    data_rows = [r for r in rows if r["kind"] == "data"]
    counts = list(frame.columns[frame.columns.get_loc("received_total"):frame.columns.get_loc("source")])
    actual = {int(s.rsplit(":", 1)[1]): (g, list(map(int, v))) for s, g, v in
              zip(frame["source"], frame["group"], frame[counts].to_numpy(), strict=True)}
    assert actual == {r["row"]: (r["label"], r["values"]) for r in data_rows}
    assert set(frame["group_kind"]) == {expected["report06a"]["group_by"]}
    sections = {r["row"]: r["label"] for r in rows if r["kind"] == "section"}
    for source, section in zip(frame["source"], frame["section"], strict=True):
        row = int(source.rsplit(":", 1)[1])
        assert section == sections[max(k for k in sections if k < row)]
    period = expected["report06a"]["period"]
    assert frame["period_start"].dt.strftime("%d/%m/%Y").unique().tolist() == [period.split()[2]]
    assert frame["period_end"].dt.strftime("%d/%m/%Y").unique().tolist() == [period.split()[-1].rstrip(")")]
    quarantine = pd.read_csv(out / "quarantine.csv", encoding="utf-8-sig")
    assert quarantine.empty  # the totals and sections of the example agree with its rows


def test_together_reconciles_as_truth(truth, together):
    combined = truth["combined"]
    actual = _reconciliation(together)
    for name in (*DOSSIER_FILES, REPORT_FILE):
        assert actual[name] == {s: {k: c[k] for k in COUNT_KEYS} for s, c in combined["reconciliation"][name].items()}
    dossiers = pd.read_parquet(together / "dossiers.parquet")
    assert len(dossiers) == combined["unique_dossiers"]
    assert sum(c["rows_duplicate"] for f in DOSSIER_FILES for c in actual[f].values()) == combined["rows_duplicate_total"]
    assert dossiers["status"].value_counts().to_dict() == combined["status_counts"]
    years = dossiers["received_at"].dt.year.astype(str).value_counts().to_dict()
    assert years == combined["received_by_year"]


def test_together_cross_file_duplicates_keep_the_right_row(truth, together):
    sources = pd.read_parquet(together / "dossiers.parquet").set_index("dossier_id")["source"]
    for case in truth["combined"]["cross_file_duplicates"]:
        (winner,) = [r for r in case["rows"] if r["kept"]]
        sheet = f"#{winner['sheet']}" if winner["sheet"] else ""
        assert sources[case["dossier_id"]] == f"{winner['file']}{sheet}:{winner['row']}"


def test_together_dossier_rows_equal_expected(truth, together):
    spec = truth["expected_dossiers"]
    expected = pd.DataFrame(spec["rows"], columns=spec["columns"]).set_index("dossier_id").sort_index()
    actual = pd.read_parquet(together / "dossiers.parquet").set_index("dossier_id").sort_index()
    assert actual.index.equals(expected.index)
    for col in expected.columns.drop(["file", "sheet", "row"]):
        got = actual[col]
        if col.endswith("_at"):
            got = got.dt.strftime("%Y-%m-%d %H:%M:%S")
        got = got.astype(object).where(got.notna(), None)
        want = expected[col].astype(object).where(expected[col].notna(), None)
        mismatched = (got != want) & ~(got.isna() & want.isna())
        assert not mismatched.any(), (col, pd.DataFrame({"got": got[mismatched], "want": want[mismatched]}).head())
    sheets = expected["sheet"].map(lambda s: f"#{s}" if isinstance(s, str) and s else "")
    assert (actual["source"] == expected["file"] + sheets + ":" + expected["row"].astype(str)).all()


def test_no_personal_data_in_any_output(truth, together):
    planted = {p for p in truth["pii"] if len(p) >= 6}
    texts: set[str] = set()
    for path in together.iterdir():
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            for col in frame.columns:
                if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                    texts.update(frame[col].dropna().astype(str))
        else:
            texts.add(path.read_text(encoding="utf-8-sig"))
    blob = "\n".join(texts)
    leaked = [p for p in planted if p in blob]
    assert not leaked, leaked[:5]
