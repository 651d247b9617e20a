"""``cchc report`` (:mod:`cchc_analysis.pack`): orchestration, failures, parameters, periods, the cache
key, and the whole pack on the sample.

Most tests run small notebooks made by code, or the real notebooks 01 and 05 on canonical tables made
by code: the cleaning step is replaced by a stand-in that copies those tables (in the test process by
monkeypatching, in the notebook kernels through a ``sitecustomize`` module on ``PYTHONPATH``). The
slow test at the end runs the real ``cchc report`` on the bundled sample.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from cchc_analysis import config, indicators, milestones, pack, refresh, scoreboard
from cchc_analysis.pack import cache, staging
from cchc_analysis.periods import Period

PARAMS_CELL = textwrap.dedent('''\
    year: int = 2025  # review year (năm đánh giá)
    period: str = ""  # empty means the whole year; or a period such as "2025-H1", "2025-Q3"
    raw_dir: str = "../data/raw"  # raw exports
    processed_dir: str = "../data/processed"  # canonical tables
    output_dir: str = "../reports/2025"  # where figures go (figures/ inside)
    indicators_file: str = ""  # indicator table written by the pack''')


# --------------------------------------------------------------------------------------------------
# canonical tables made by code, and a stand-in for the cleaning step


def make_tables(folder: Path, seed: int = 7) -> Path:
    """Write small canonical tables (2021-2026-06) with reconciliation and quarantine into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = 1200
    received = pd.Timestamp("2021-01-04") + pd.to_timedelta(np.sort(rng.integers(0, 2000, n)), unit="D")
    received = received[received < pd.Timestamp("2026-07-01")]
    n = len(received)
    years = received.year.to_numpy() - 2021
    online = rng.random(n) < 0.3 + 0.1 * years
    resolved = received + pd.to_timedelta(rng.integers(1, 20, n), unit="D")
    status = np.where(rng.random(n) < 0.9, "returned", "in_progress")
    dossiers = pd.DataFrame({
        "dossier_id": [f"{i:06d}" for i in range(n)],
        "procedure_code": "1.000",
        "procedure_name": "Cấp giấy phép",
        "field": rng.choice(["Điện", "Hóa chất", "=Thương mại"], n),
        "unit": None,
        "channel": np.where(online, "online", "in_person"),
        "service_level": np.where(online, "full", "none"),
        "received_at": received,
        "due_at": received + pd.Timedelta(days=15),
        "resolved_at": pd.Series(resolved).where(status == "returned").to_numpy(),
        "status": status,
        "fee_required": rng.random(n) < 0.5,
        "paid_online": rng.random(n) < 0.2 + 0.05 * years,
        "result_digitized": rng.random(n) < 0.6,
        "eid_verified": rng.random(n) < 0.7,
        "applicant_key": None,
        "source": [f"ds.xlsx#Sheet1:{i + 5}" for i in range(n)],
    })
    dossiers.to_parquet(folder / "dossiers.parquet", index=False)
    m = 600
    evaluations = pd.DataFrame({
        "evaluation_id": [f"e{i}" for i in range(m)],
        "dossier_id": dossiers["dossier_id"].sample(m, random_state=seed, replace=True).to_numpy(),
        "evaluated_at": pd.Timestamp("2021-02-01") + pd.to_timedelta(np.sort(rng.integers(0, 1900, m)), unit="D"),
        "overall": rng.choice(["very_satisfied", "satisfied", "dissatisfied"], m, p=[0.5, 0.4, 0.1]),
    })
    evaluations.to_parquet(folder / "evaluations.parquet", index=False)
    manual = pd.DataFrame({
        "indicator_id": ["internal_e_transfer_share"] * 5 + ["digital_inspection_share"] * 5,
        "period": [str(y) for y in range(2021, 2026)] * 2,
        "numerator": [50, 60, 70, 80, 85, 10, 20, 30, 40, 45],
        "denominator": [100] * 10, "value": [0.5, 0.6, 0.7, 0.8, 0.85, 0.1, 0.2, 0.3, 0.4, 0.45],
        "note": None})
    manual.to_parquet(folder / "manual_indicators.parquet", index=False)
    payroll = pd.DataFrame({"unit": "Trung tâm Khuyến công", "year": list(range(2021, 2026)),
                            "funding": "state_budget", "headcount_assigned": 50,
                            "headcount_actual": [48, 47, 46, 45, 44]})
    payroll.to_parquet(folder / "payroll.parquet", index=False)
    budget = pd.DataFrame({"unit": "Trung tâm Khuyến công", "year": list(range(2021, 2026)),
                           "category": "Chi thường xuyên", "funding": "state_budget", "stage": "actual",
                           "amount_vnd": [5.0e9, 4.9e9, 4.8e9, 4.6e9, 4.5e9]})
    budget.to_parquet(folder / "budget.parquet", index=False)
    pd.DataFrame({"file": ["ds.xlsx", "=HYPERLINK(\"x\").csv"], "sheet": ["Sheet1", None],
                  "kind": ["dossiers", "evaluations"], "rows_read": [n + 3, m + 1], "rows_kept": [n, m],
                  "rows_quarantined": [2, 1], "rows_duplicate": [1, 0]}).to_csv(
        folder / "reconciliation.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"file": ["ds.xlsx", "ds.xlsx", "=HYPERLINK(\"x\").csv"], "sheet": ["Sheet1", "Sheet1", None],
                  "row": [9, 12, 4], "column": ["received_at", "dossier_id", "overall"],
                  "value": ["31/02/2024", None, "=1+1"],
                  "reason": ["Ngày tiếp nhận không hợp lệ.", "Thiếu mã hồ sơ.", "Không rõ mức hài lòng."]}).to_csv(
        folder / "quarantine.csv", index=False, encoding="utf-8-sig")
    return folder


class FakeCleanReport:
    def __init__(self, errors=()):
        self.errors = list(errors)
        self.exit_code = 1 if self.errors else 0

    def summary_lines(self):
        return ["Đã làm sạch dữ liệu mẫu (giả lập)."]


SITECUSTOMIZE = '''
import os, shutil, sys, types
from pathlib import Path

def clean(inputs, out, kind=None, progress=False):
    src = Path(os.environ["CCHC_FAKE_TABLES"])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for p in src.iterdir():
        shutil.copyfile(p, out / p.name)
    class R:
        errors = []
        exit_code = 0
        def summary_lines(self):
            return ["fake"]
    return R()

mod = types.ModuleType("cchc_analysis.ingest.pipeline")
mod.clean = clean
sys.modules["cchc_analysis.ingest.pipeline"] = mod
'''


@pytest.fixture(scope="module")
def fake_tables(tmp_path_factory):
    return make_tables(tmp_path_factory.mktemp("tables"))


@pytest.fixture
def fake_clean(fake_tables, tmp_path, monkeypatch):
    """Replace the cleaning step by a copy of ``fake_tables``, here and in notebook kernels."""
    errors: list[tuple[str, str]] = []

    def clean(inputs, out, kind=None, progress=False):
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        for p in fake_tables.iterdir():
            shutil.copyfile(p, out / p.name)
        return FakeCleanReport(errors)

    import types
    module = types.ModuleType("cchc_analysis.ingest.pipeline")
    module.clean = clean
    monkeypatch.setitem(sys.modules, "cchc_analysis.ingest.pipeline", module)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), str(config.PROJECT_ROOT)]))
    monkeypatch.setenv("CCHC_FAKE_TABLES", str(fake_tables))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ds.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return {"raw": raw, "processed": tmp_path / "processed", "errors": errors}


def tiny_notebook(path: Path, body: str, markdown: str = "# Sổ tay thử") -> Path:
    cells = [nbformat.v4.new_markdown_cell(markdown), nbformat.v4.new_code_cell(PARAMS_CELL),
             nbformat.v4.new_code_cell(body)]
    cells[1].metadata["tags"] = ["parameters"]
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, str(path))
    return path


FIGURE_BODY = textwrap.dedent('''\
    from pathlib import Path
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [1, 4, 9])
    Path(output_dir, "figures").mkdir(parents=True, exist_ok=True)
    fig.savefig(Path(output_dir, "figures", "demo.png"))
    print("năm", year, "kỳ", period or "cả năm")
    plt.show()''')


def settings(fake_clean, tmp_path, notebooks, **kwargs):
    out = kwargs.pop("out", tmp_path / "reports" / "2025")
    kwargs.setdefault("notebooks_dir", tmp_path / "nb")
    return pack.resolve(raw=fake_clean["raw"], processed=fake_clean["processed"], out=out, notebooks=notebooks,
                        **kwargs)


def build(fake_clean, tmp_path, notebooks, stdout=None, stderr=None, **kwargs):
    return pack.build(settings(fake_clean, tmp_path, notebooks, **kwargs), progress=False,
                      stdout=stdout or io.StringIO(), stderr=stderr or io.StringIO())


@pytest.fixture
def nb_dir(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    tiny_notebook(folder / "a.ipynb", FIGURE_BODY, "# Phần A\n\n## Mục con")
    tiny_notebook(folder / "b.ipynb", "import pandas as pd\nprint('xong', len(pd.read_parquet(indicators_file)), 'dòng')",
                  "# Phần B")
    tiny_notebook(folder / "bad.ipynb", "x = 1\nassert x == 2, 'số liệu lệch'", "# Hỏng")
    return folder


# --------------------------------------------------------------------------------------------------
# small notebooks


@pytest.mark.slow
def test_pack_from_small_notebooks(fake_clean, fake_tables, tmp_path, nb_dir):
    result = build(fake_clean, tmp_path, ["a.ipynb", "b.ipynb"])
    out = result.out
    assert result.exit_code == 0 and result.cleaned
    assert sorted(p.name for p in out.iterdir()) == [".pack-key.json", "bao_cao_so_ket_2025.docx", "figures",
                                                     "index.html", "indicators.csv", "indicators.parquet", "logs",
                                                     "scoreboard.xlsx"]
    assert (out / "figures" / "demo.png").stat().st_size > 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in html and "Mục lục" in html and "Phần A" in html and "Mục con" in html
    assert "năm 2025 kỳ cả năm" in html
    # the notebooks get the indicator table computed once by the run (the whole table, every period)
    whole = indicators.compute(indicators.load_tables(fake_tables))
    assert f"xong {len(whole)} dòng" in html
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indicators.parquet"), whole)
    assert "plt.subplots" not in html  # no code
    assert "#phan-1" in html and 'id="phan-2"' in html
    images = image_sources(html)
    assert images and all(resolves(src, out) for src in images)
    log = next((out / "logs").glob("report-*.log")).read_text(encoding="utf-8")
    assert "a.ipynb: chạy xong" in log and "b.ipynb" in log
    assert not list(out.parent.glob(".staging-*"))
    # a second run does not clean again and keeps the earlier log
    again = build(fake_clean, tmp_path, ["b.ipynb"])
    assert not again.cleaned
    assert len(list((out / "logs").glob("report-*.log"))) == 2
    assert not (out / "figures" / "demo.png").exists()  # the pack is the new run's only


@pytest.mark.slow
def test_failed_notebook_keeps_previous_pack(fake_clean, tmp_path, nb_dir, capsys, monkeypatch):
    first = build(fake_clean, tmp_path, ["b.ipynb"])
    before = {p.relative_to(first.out): p.read_bytes() for p in first.out.rglob("*")
              if p.is_file() and "logs" not in p.parts}
    with pytest.raises(pack.NotebookFailure) as info:
        build(fake_clean, tmp_path, ["a.ipynb", "bad.ipynb"])
    failure = info.value
    text = failure.paragraph()
    assert "bad.ipynb" in text and "(`x = 1`)" in text and "ô số 3" in text and "AssertionError: số liệu lệch" in text
    assert "\n" not in text and "Traceback" not in text
    assert failure.kept_at == first.out / "logs" / "failed" / "bad.ipynb"
    kept = nbformat.read(str(failure.kept_at), as_version=4)
    assert any(o.get("output_type") == "error" for c in kept.cells for o in c.get("outputs", []))
    after = {p.relative_to(first.out): p.read_bytes() for p in first.out.rglob("*")
             if p.is_file() and "logs" not in p.parts}
    assert after == before
    assert not list(first.out.parent.glob(".staging-*"))
    logs = sorted((first.out / "logs").glob("report-*.log"))
    assert len(logs) == 2 and "bad.ipynb: LỖI" in logs[-1].read_text(encoding="utf-8")

    # the command line: one paragraph on stderr, exit status 1, no traceback
    monkeypatch.setattr(pack.settings, "NOTEBOOKS", ("bad.ipynb",))
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", tmp_path / "nb")
    monkeypatch.setattr(config, "PROCESSED_DIR", fake_clean["processed"])
    code = pack.run_cli(year=2025, raw=fake_clean["raw"], out=str(first.out), progress=False)
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: bad.ipynb: ") and "Traceback" not in err
    assert "vẫn giữ nguyên" in err


@pytest.mark.slow
def test_period_and_yaml_parameters(fake_clean, tmp_path, nb_dir, monkeypatch):
    params = tmp_path / "p.yaml"
    params.write_text("year: 2026\nperiod: 2026-H1\n", encoding="utf-8")
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    result = pack.build(pack.resolve(raw=fake_clean["raw"], processed=fake_clean["processed"], params=params,
                                     notebooks_dir=tmp_path / "nb", notebooks=["a.ipynb"], jobs=1),
                        progress=False, stdout=io.StringIO(), stderr=io.StringIO())
    assert result.out == (tmp_path / "reports" / "2026-H1").resolve()
    html = (result.out / "index.html").read_text(encoding="utf-8")
    assert "năm 2026 kỳ 2026-H1" in html and "6 tháng đầu năm 2026" in html
    table = pd.read_csv(result.out / "indicators.csv", encoding="utf-8-sig", dtype={"period": str})
    assert max(Period.parse(p).end for p in table["period"]) == Period.parse("2026-H1").end
    assert "2026" not in set(table["period"]) and "2026-07" not in set(table["period"])
    assert "2026-H1" in set(table["period"]) and "2026-Q3" not in set(table["period"])
    # the command line's --period alone gives the same folder
    assert pack.resolve(None, "2026-H1").out == (tmp_path / "reports" / "2026-H1").resolve()


@pytest.mark.slow
def test_an_up_to_date_pack_is_not_built_again(fake_clean, tmp_path, nb_dir):
    first = build(fake_clean, tmp_path, ["b.ipynb"])
    assert "b.ipynb" in first.durations
    out = io.StringIO()
    again = build(fake_clean, tmp_path, ["b.ipynb"], out=first.out, stdout=out)
    assert "b.ipynb" not in again.durations and "không cần lập lại" in out.getvalue()
    assert len(list((first.out / "logs").glob("report-*.log"))) == 2
    # an output changed by hand, the raw data changed, or force: built again
    (first.out / "indicators.csv").write_bytes(b"edited")
    assert "b.ipynb" in build(fake_clean, tmp_path, ["b.ipynb"]).durations
    assert "b.ipynb" in build(fake_clean, tmp_path, ["b.ipynb"], force=True).durations
    (fake_clean["raw"] / "more.csv").write_text("x\n1\n", encoding="utf-8")
    rebuilt = build(fake_clean, tmp_path, ["b.ipynb"])
    assert rebuilt.cleaned and "b.ipynb" in rebuilt.durations


def _rebuilt(result) -> bool:
    return "index.html" in result.durations


def test_a_new_raw_fingerprint_recleans_and_rebuilds(fake_clean, tmp_path, nb_dir, monkeypatch):
    """The pack key holds the raw fingerprint, which also decides the re-clean (and, with the cleaning
    code and registries in it, a change to them): the two decisions move together."""
    first = build(fake_clean, tmp_path, [])
    assert first.cleaned and _rebuilt(first)
    again = build(fake_clean, tmp_path, [])
    assert not again.cleaned and not _rebuilt(again)
    real = refresh.fingerprint
    monkeypatch.setattr(refresh, "fingerprint", lambda raw: "cleaning code changed " + real(raw))
    changed = build(fake_clean, tmp_path, [])
    assert changed.cleaned and _rebuilt(changed)
    assert not build(fake_clean, tmp_path, []).cleaned  # and then it is current again


def test_a_change_in_computation_code_rebuilds_without_recleaning(fake_clean, tmp_path, nb_dir, monkeypatch):
    code = tmp_path / "views.py"
    code.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "code_files", lambda: [code])
    build(fake_clean, tmp_path, [])
    assert not _rebuilt(build(fake_clean, tmp_path, []))
    code.write_text("x = 2\n", encoding="utf-8")
    changed = build(fake_clean, tmp_path, [])
    assert _rebuilt(changed) and not changed.cleaned


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package that the pack key and the raw fingerprint both read."""
    copy = tmp_path / "cchc_analysis"
    shutil.copytree(config.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", copy)
    monkeypatch.setattr(refresh, "CODE_ROOT", copy, raising=False)  # where refresh hashes its code
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ds.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return copy, raw


@pytest.mark.parametrize("changed", ["registry/columns.yaml", "registry/vocab.yaml", "ingest/readers.py",
                                     "schemas.py", "registry/milestones.yaml", "charts.py", "pack/html.py"])
def test_the_reclean_and_the_rebuild_never_disagree(package_copy, changed):
    """Edit one file of a copy of the package: when the raw fingerprint (the re-clean decision) moves,
    the pack key moves too; when only the pack key moves, the file is not one that cleaning reads; a
    file of computation or presentation always moves the pack key."""
    copy, raw = package_copy
    settings = pack.resolve(year=2025, notebooks_dir=config.NOTEBOOKS_DIR)
    fp = refresh.fingerprint(raw)
    key = cache.pack_key(fp, settings)
    assert cache.pack_key(fp, settings) == key and cache.pack_key("other", settings) != key
    target = copy / changed
    if not target.exists():
        pytest.skip(f"{changed} is not in this version of the package")
    with open(target, "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    new_fp = refresh.fingerprint(raw)
    new_key = cache.pack_key(new_fp, settings)
    recleans, rebuilds = new_fp != fp, new_key != key
    assert rebuilds or not recleans
    read_by_cleaning = target in cache.cleaning_files(copy)
    if rebuilds and not recleans:
        assert not read_by_cleaning, f"{changed}: rebuilt from tables that are not cleaned again"
    if not read_by_cleaning:
        assert rebuilds, f"{changed}: a change in computation or presentation must rebuild the pack"


def test_every_package_file_is_in_one_part_of_the_key():
    package = config.PACKAGE_DIR
    code = {p.relative_to(package).as_posix() for p in cache.code_files()}
    cleaning = {p.relative_to(package).as_posix() for p in cache.cleaning_files()}
    assert {"charts.py", "pack/cache.py", "pack/build.py"} <= code
    assert {"ingest/readers.py", "registry/columns.yaml", "registry/vocab.yaml", "schemas.py"} <= cleaning
    for path in package.rglob("*.py"):
        rel = path.relative_to(package).as_posix()
        if "__pycache__" not in rel:
            assert (rel in code) != (rel in cleaning), rel


def test_unreadable_files_are_named_and_exit_1(fake_clean, tmp_path, nb_dir):
    fake_clean["errors"].append(("hong.xlsx", "tệp bị hỏng, không mở được"))
    err = io.StringIO()
    result = build(fake_clean, tmp_path, [], stderr=err)
    assert result.exit_code == 1
    assert err.getvalue() == "error: hong.xlsx: tệp bị hỏng, không mở được\n"
    assert (result.out / "index.html").is_file() and (result.out / "scoreboard.xlsx").is_file()
    # later runs on the same raw data (no cleaning: up to date, or forced) still say so
    for force in (False, True):
        err = io.StringIO()
        again = build(fake_clean, tmp_path, [], out=result.out, force=force, stderr=err)
        assert again.exit_code == 1 and not again.cleaned
        assert err.getvalue() == "error: hong.xlsx: tệp bị hỏng, không mở được\n"


def test_wrong_period_or_params_exit_2(tmp_path, capsys):
    assert pack.run_cli(year=2025, period="2026-H3", raw=tmp_path, progress=False) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2025\ncolour: red\n", encoding="utf-8")
    assert pack.run_cli(year=2025, raw=tmp_path, params=str(bad), progress=False) == 2
    err = capsys.readouterr().err
    assert "2026-H3" in err and "colour" in err and "Traceback" not in err


def test_example_params_file_is_valid():
    settings = pack.resolve(params="review_2025.yaml")
    assert settings.year == 2025 and settings.period == Period.parse("2025") and settings.notebook_period == ""
    assert settings.out == (config.REPORTS_DIR / "2025").resolve()


def test_a_killed_run_is_tidied_and_its_set_aside_pack_put_back(tmp_path):
    final = tmp_path / "2025"
    dead = 2 ** 22 + 12345  # no such process
    (tmp_path / f".old-2025-{dead}").mkdir()
    (tmp_path / f".old-2025-{dead}" / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / f".staging-2025-{dead}").mkdir()
    staging.recover(final)
    assert (final / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]


def test_swap_in_restores_the_old_pack_when_the_rename_fails(tmp_path, monkeypatch):
    final, stage = tmp_path / "2025", tmp_path / ".staging"
    final.mkdir()
    (final / "index.html").write_text("old", encoding="utf-8")
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(src)
        if Path(src) == stage:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(staging.os, "replace", flaky)
    stage.mkdir()
    with pytest.raises(OSError):
        staging.swap_in(stage, final)
    assert (final / "index.html").read_text(encoding="utf-8") == "old"


# --------------------------------------------------------------------------------------------------
# the real notebooks 01 and 05 on tables made by code


@pytest.mark.slow
def test_real_notebooks_on_tables_made_by_code(fake_clean, tmp_path):
    real = ["01_clean.ipynb", "05_midterm_review.ipynb"]
    result = build(fake_clean, tmp_path, real, notebooks_dir=config.NOTEBOOKS_DIR)
    html = (result.out / "index.html").read_text(encoding="utf-8")
    for words in ("Dữ liệu đầu vào", "Dòng bị cách ly theo lý do", "Thiếu mã hồ sơ.", "Sơ kết theo lĩnh vực",
                  "Số liệu theo năm", "Nhận định chung", "Mục lục", "Đã đạt"):
        assert words in html, words
    assert "import " not in html
    # the table of contents lists the areas in the programme's order (headings the notebook generates)
    contents = html[html.index("Mục lục"):html.index("Nhận định chung", html.index("Mục lục") + 10) + 2000]
    titles = [f"{a['id']}. {' '.join(a['title_vi'].split())}" for a in milestones.load_registry()["areas"]]
    where = [contents.find(t) for t in titles]
    assert -1 not in where and where == sorted(where), where
    check_workbook(result.out / "scoreboard.xlsx")
    csv = check_indicators_csv(result.out / "indicators.csv")
    check_draft(result.out / "bao_cao_so_ket_2025.docx", csv)
    # a second run on the same tables writes the same bytes, the report page and the draft included
    before = {name: (result.out / name).read_bytes() for name in ("index.html", "indicators.csv",
                                                                   "scoreboard.xlsx", "bao_cao_so_ket_2025.docx")}
    again = build(fake_clean, tmp_path, real, notebooks_dir=config.NOTEBOOKS_DIR, out=result.out, force=True)
    assert "05_midterm_review.ipynb" in again.durations  # it did run again
    assert {name: (again.out / name).read_bytes() for name in before} == before


# --------------------------------------------------------------------------------------------------
# checks of a pack


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def image_sources(html: str) -> list[str]:
    parser = _Images()
    parser.feed(html)
    return parser.sources


def resolves(src: str, folder: Path) -> bool:
    """An ``<img src>`` is a real, non-empty picture: a PNG/SVG data URI or a file beside the page."""
    match = re.match(r"data:image/(png|svg\+xml)(;base64)?,(.*)", src, re.S)
    if match:
        data = base64.b64decode(match.group(3)) if match.group(2) else match.group(3).encode()
        return data.startswith(b"\x89PNG\r\n\x1a\n") if match.group(1) == "png" else b"<svg" in data[:2000]
    if not src or src.startswith(("http:", "https:", "data:")):
        return False
    path = folder / src
    return path.is_file() and path.stat().st_size > 0


def check_workbook(path: Path) -> dict:
    """Open with openpyxl: no cell holds a formula; return the cell values by sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    cells = {}
    for sheet in book.worksheets:
        values = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} holds a formula"
                assert not (isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type != "s")
                values.append(cell.value)
        cells[sheet.title] = values
    book_names = list(cells)
    assert book_names == [*scoreboard.area_names().values(), "Số liệu theo năm"]  # the programme's order
    return cells


def check_draft(path: Path, csv: pd.DataFrame) -> None:
    """The Word draft opens with python-docx, has the areas in the programme's order, and the value its
    clause table shows for each 2025 clause with one measure is the one indicators.csv holds."""
    import docx

    from cchc_analysis import formatting

    document = docx.Document(str(path))
    reg = milestones.load_registry()
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    expected = [f"{n}. {' '.join(a['title_vi'].split())}" for n, a in enumerate(reg["areas"], start=1)]
    assert [h for h in headings if h in expected] == expected
    shown = {}
    for table in document.tables:
        for r in table.rows:
            texts = [c.text for c in r.cells]
            if len(texts) == 7:
                shown[texts[1]] = texts[2]
    yearly = csv[(csv["period"].astype(str) == "2025") & (csv["breakdown"] == "all")].set_index("indicator_id")
    compared = 0
    for clause in reg["clauses"]:
        targets = clause.get("targets") or []
        if clause.get("year") != 2025 or len(targets) != 1:
            continue
        ind = targets[0]["indicator"]
        value = yearly["value"].get(ind)
        text = f"Đến năm 2025: {' '.join(clause['text_vi'].split())}"
        assert shown[text] == formatting.value(value, ind, reg), clause["id"]
        compared += value is not None and value == value
    assert compared >= 1


def check_indicators_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(path, encoding="utf-8-sig")
    assert table.columns.tolist() == indicators.COLUMNS
    assert not table.empty
    return table


# --------------------------------------------------------------------------------------------------
# the whole command on the bundled sample


def _sample_ready() -> str | None:
    try:
        import cchc_analysis.ingest.pipeline  # noqa: F401
    except ImportError:
        return "the cleaning pipeline (cchc_analysis.ingest.pipeline) is not available yet"
    if not refresh.export_files(config.RAW_DIR):
        return "data/raw holds no exports (run `cchc sample`)"
    return None


def run_report(out: Path, processed: Path) -> subprocess.CompletedProcess:
    """``cchc report --year 2025`` into ``out``, cleaning into ``processed`` (set by a YAML file)."""
    params = out.parent / "params.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(f"year: 2025\nprocessed_dir: {str(processed)!r}\n", encoding="utf-8")
    env = {**os.environ, "TQDM_DISABLE": "1", "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "cchc_analysis", "report", "--year", "2025", "--params",
                           str(params), "--out", str(out), "-q"],
                          capture_output=True, text=True, env=env, cwd=config.PROJECT_ROOT, timeout=900)


@pytest.fixture(scope="module")
def sample_packs(tmp_path_factory):
    reason = _sample_ready()
    if reason:
        pytest.skip(f"whole-report test skipped: {reason}")
    base = tmp_path_factory.mktemp("packs")
    processed = base / "processed"
    runs = []
    for name in ("first", "second"):
        done = run_report(base / name / "2025", processed)
        assert "Traceback" not in done.stderr
        assert done.returncode == 0 and (base / name / "2025" / "index.html").is_file(), done.stderr[-3000:]
        runs.append(base / name / "2025")
    return runs


@pytest.mark.slow
def test_whole_report_on_the_sample(sample_packs):
    out = sample_packs[0]
    html = (out / "index.html").read_text(encoding="utf-8")
    images = image_sources(html)
    assert images, "the report shows no figure"
    bad = [src[:60] for src in images if not resolves(src, out)]
    assert not bad, f"images that do not resolve: {bad}"
    pngs = sorted(p.stem for p in (out / "figures").glob("*.png"))
    svgs = sorted(p.stem for p in (out / "figures").glob("*.svg"))
    assert pngs and pngs == svgs
    check_workbook(out / "scoreboard.xlsx")
    check_draft(out / "bao_cao_so_ket_2025.docx", check_indicators_csv(out / "indicators.csv"))
    assert list((out / "logs").glob("report-*.log"))
    if sys.platform == "linux":  # the kernels were forked by the server the command started first
        log = next((out / "logs").glob("report-*.log")).read_text(encoding="utf-8")
        assert "Nhân (kernel) của sổ tay: tách (fork)" in log
    # the draft is written before the last notebooks end: it still has every area figure of the pack
    import docx

    from cchc_analysis import views_programme

    area_figures = views_programme.area_figures(out / "figures")
    expected = sum(len(figures) for figures in area_figures.values())
    assert expected >= 10
    assert len(docx.Document(str(out / "bao_cao_so_ket_2025.docx")).inline_shapes) == expected


@pytest.mark.slow
def test_two_runs_give_the_same_pack(sample_packs):
    first, second = sample_packs
    assert (first / "indicators.csv").read_bytes() == (second / "indicators.csv").read_bytes()
    figures = sorted(p.name for p in (first / "figures").iterdir())
    assert figures == sorted(p.name for p in (second / "figures").iterdir())
    for name in figures:
        assert (first / "figures" / name).read_bytes() == (second / "figures" / name).read_bytes(), name
    assert check_workbook(first / "scoreboard.xlsx") == check_workbook(second / "scoreboard.xlsx")
    name = "bao_cao_so_ket_2025.docx"
    assert (first / name).read_bytes() == (second / name).read_bytes()
    # not required, but cheap to keep: the report page is the same too
    assert (first / "index.html").read_bytes() == (second / "index.html").read_bytes()


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.slow
def test_screenshot_in_headless_chromium(sample_packs, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("screenshot test skipped: Chromium is not installed (/usr/bin/chromium or chromium)")
    shot = tmp_path / "shot.png"
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                           f"--screenshot={shot}", "--window-size=1280,2400",
                           (sample_packs[0] / "index.html").as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000, done.stderr[-500:]
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").resize((64, 120)).getcolors(64 * 120)
    assert colours is not None and len(colours) > 20  # not a blank page


def test_every_module_the_kernels_warm_up_exists():
    """The warm-up swallows import errors (a kernel must start anyway), so a module that moved would
    silently stop being warmed: each name must resolve."""
    import importlib.util

    from cchc_analysis.pack.kernels import WARM_IMPORTS

    missing = [name for name in WARM_IMPORTS if importlib.util.find_spec(name) is None]
    assert missing == []
