"""Cleaning with a second reading process gives what one process gives: tables, counts, messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dossier_row, dossier_sheet

from cchc_analysis.ingest import pipeline
from cchc_analysis.ingest.workers import ReadWorker, read_outcome

pytestmark = pytest.mark.usefixtures("pii_key")


def _folder(exports) -> Path:
    """Exports whose order matters: the same dossier in two files (the first one read is kept), a file
    that cannot be read, a sheet with an unknown column (a warning) and a file with no known header."""
    for k in range(4):
        rows = [dossier_row(10 * k + i) for i in range(1, 4)] + [dossier_row(99, dossier_id="000.00.23.H32-DUP")]
        exports.xlsx(f"ho_so_{k}.xlsx", {"Danh sách": dossier_sheet(rows)})
    (exports.folder / "hong.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    header = ["Mã hồ sơ", "Ngày tiếp nhận", "Cột lạ của đơn vị"]
    exports.xlsx("cot_la.xlsx", {"S": [header, ["000.00.23.H32-X1", "02/01/2024 07:41", "x"]]})
    exports.xlsx("khong_ro.xlsx", {"S": [["Tiêu đề gì đó", "Cột khác"], ["1", "2"]]})
    return exports.folder


def _run(folder: Path, out: Path, worker: ReadWorker | None, capsys) -> tuple[pipeline.CleanReport, str]:
    report = pipeline.clean([folder], out, progress=False, worker=worker)
    return report, capsys.readouterr().err


def _worker() -> ReadWorker:
    worker = ReadWorker.start()
    if worker is None:
        pytest.skip("no second reading process here (not Linux, one processor, or a thread already running)")
    return worker


def _same(one: tuple[pipeline.CleanReport, str], two: tuple[pipeline.CleanReport, str], a: Path, b: Path) -> None:
    (r1, err1), (r2, err2) = one, two
    assert r1.errors == r2.errors and r1.errors
    assert r1.warnings == r2.warnings and r1.warnings
    assert err1 == err2
    assert r1.files_read == r2.files_read == 5
    assert [line.replace(str(a), "OUT") for line in r1.summary_lines()] == \
        [line.replace(str(b), "OUT") for line in r2.summary_lines()]
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) and "dossiers.parquet" in names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_second_reading_process_gives_the_same_tables_counts_and_messages(exports, tmp_path, capsys):
    folder = _folder(exports)
    alone = _run(folder, tmp_path / "alone", None, capsys)
    with _worker() as worker:
        shared = _run(folder, tmp_path / "shared", worker, capsys)
        again = _run(folder, tmp_path / "again", worker, capsys)  # a worker serves job after job
    _same(alone, shared, tmp_path / "alone", tmp_path / "shared")
    _same(alone, again, tmp_path / "alone", tmp_path / "again")
    assert sum(c.rows_duplicate for c in alone[0].counts) == 3  # the dossier in four files: kept once


def test_files_are_read_here_when_the_worker_is_gone(exports, tmp_path, capsys):
    folder = _folder(exports)
    alone = _run(folder, tmp_path / "alone", None, capsys)
    worker = _worker()
    worker._process.kill()
    worker._process.join()
    shared = _run(folder, tmp_path / "shared", worker, capsys)
    worker.close()
    worker.close()  # twice: nothing happens
    _same(alone, shared, tmp_path / "alone", tmp_path / "shared")


def test_the_worker_reads_a_file_as_this_process_does(exports, tmp_path):
    folder = _folder(exports)
    files = sorted(folder.iterdir())
    names = [p.name for p in files]
    with _worker() as worker:
        assert worker.submit(files, names, None)
        got = worker.outcomes()  # this process takes no file: the worker reads them all, in order
    assert [i for i, _ in got] == list(range(len(files)))
    for path, name, (_, theirs) in zip(files, names, got, strict=True):
        mine = read_outcome(path, name, None)
        assert (theirs.errors, theirs.warnings, theirs.files_read) == (mine.errors, mine.warnings, mine.files_read)
        assert [k for k, _ in theirs.tables] == [k for k, _ in mine.tables]
        for (_, a), (_, b) in zip(theirs.tables, mine.tables, strict=True):
            assert a.data.equals(b.data) and a.raw.rows == b.raw.rows
    assert sum(o.files_read for _, o in got) == 5 and any(o.errors for _, o in got)


# --- kinds cleaned in the worker ---

EVAL_HEADER = ["STT", "Mã hồ sơ", "Ngày đánh giá", *[f"Tiêu chí {i}" for i in range(1, 10)], "Đánh giá chung"]


def _kinds_folder(exports, evaluations: int) -> Path:
    """Three kinds: a small dossier list (with personal columns: pseudonymised), a larger evaluation
    export (the largest kind: cleaned here) and a task list; one dossier row is quarantined."""
    rows = [dossier_row(i) for i in range(1, 4)] + [dossier_row(4, received="31/02/2024 08:00")]
    rows.append(dossier_row(5, id_number="079061887669", name="Lê Thị Hoa", phone="0905123456"))
    exports.xlsx("ho_so.xlsx", {"Danh sách": dossier_sheet(rows)})
    answers = ["Hài lòng", "Rất hài lòng", "Không hài lòng", "Hài lòng (đã xác minh)"]
    header_rows = [["KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG NĂM 2024", *[""] * 12], [""] * 13, EVAL_HEADER]
    data = [[n, f"H-{n:04d}", f"{n % 28 + 1:02d}/03/2024 09:30", *[2] * 9, answers[n % 4]]
            for n in range(1, evaluations + 1)]
    exports.xlsx("danh_gia.xlsx", {"S": header_rows + data})
    tasks = [["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng"],
             [1, "Rà soát thủ tục", "Văn phòng Sở", "30/06/2024", "Đã hoàn thành"],
             [2, "Số hóa hồ sơ", "Phòng Quản lý thương mại", "31/12/2024", "Đang thực hiện"]]
    exports.xlsx("nhiem_vu.xlsx", {"S": tasks})
    return exports.folder


def _spy_on_kinds(worker: ReadWorker) -> list[list[str]]:
    """The kinds of each cleaning job the worker is given (recorded as they are sent)."""
    sent: list[list[str]] = []
    submit = worker.submit_kinds

    def spy(jobs, secret):
        sent.append([kind for kind, _ in jobs])
        return submit(jobs, secret)

    worker.submit_kinds = spy
    return sent


def test_kinds_cleaned_in_the_worker_give_what_one_process_gives(exports, tmp_path, capsys):
    folder = _kinds_folder(exports, evaluations=30)
    alone = _run(folder, tmp_path / "alone", None, capsys)
    assert {"dossiers", "evaluations", "tasks"} <= set(alone[0].tables) and alone[0].tables["dossiers"] == 4
    with _worker() as worker:
        sent = _spy_on_kinds(worker)
        shared = _run(folder, tmp_path / "shared", worker, capsys)
    assert sent == [["dossiers", "tasks"]]  # all but the largest kind (the evaluations), in the kinds' order
    (r1, err1), (r2, err2) = alone, shared
    assert (r1.errors, r1.warnings, err1) == (r2.errors, r2.warnings, err2)
    assert r1.summary_lines()[0] == r2.summary_lines()[0] and r1.counts == r2.counts
    for name in sorted(p.name for p in (tmp_path / "alone").iterdir()):
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes(), name


def test_without_a_key_the_worker_uses_this_process_key_and_it_is_said_once(exports, tmp_path, capsys,
                                                                            monkeypatch):
    import pandas as pd

    from cchc_analysis.ingest import privacy

    monkeypatch.delenv(privacy.ENV_VAR, raising=False)
    monkeypatch.setattr(privacy, "KEY_FILE", tmp_path / "no-such-key")
    folder = _kinds_folder(exports, evaluations=30)  # the dossiers (with applicants) go to the worker
    secrets: list[bytes] = []
    real = privacy.load_key
    monkeypatch.setattr(privacy, "load_key", lambda: secrets.append(real()[0]) or (secrets[-1], real()[1]))
    with _worker() as worker:
        sent = _spy_on_kinds(worker)
        report, err = _run(folder, tmp_path / "shared", worker, capsys)
    assert sent == [["dossiers", "tasks"]]
    assert len(secrets) == 1  # one key for the run
    assert report.warnings.count(privacy.MISSING_KEY_WARNING) == 1
    assert err.count(privacy.MISSING_KEY_WARNING) == 1
    keys = pd.read_parquet(tmp_path / "shared" / "dossiers.parquet")["applicant_key"]
    expected = privacy.applicant_keys(pd.Series(["079061887668"]), pd.Series(["Đỗ Đình Khoa"]),
                                      pd.Series(["0386980597"]), key=secrets[0]).iloc[0]
    assert keys.iloc[0] == expected and keys.nunique() == 2


def test_no_key_sentence_when_no_kind_has_applicants(exports, tmp_path, capsys, monkeypatch):
    from cchc_analysis.ingest import privacy

    monkeypatch.delenv(privacy.ENV_VAR, raising=False)
    monkeypatch.setattr(privacy, "KEY_FILE", tmp_path / "no-such-key")
    folder = _kinds_folder(exports, evaluations=30)
    (folder / "ho_so.xlsx").unlink()
    with _worker() as worker:
        report, err = _run(folder, tmp_path / "shared", worker, capsys)
    assert privacy.MISSING_KEY_WARNING not in report.warnings and privacy.MISSING_KEY_WARNING not in err


def test_a_table_failing_its_schema_in_the_worker_is_reported_as_in_one_process(exports, tmp_path, capsys,
                                                                               monkeypatch):
    from cchc_analysis import schemas

    folder = _kinds_folder(exports, evaluations=30)
    real = schemas.validate
    checks: list[str] = []

    def failing(name, frame):
        checks.append(name)
        if name == "tasks":  # cleaned by the worker
            raise ValueError("cột deadline sai kiểu\nchi tiết")
        return real(name, frame)

    monkeypatch.setattr(schemas, "validate", failing)  # before the fork: the worker has it too
    alone = _run(folder, tmp_path / "alone", None, capsys)
    checks.clear()
    with _worker() as worker:
        sent = _spy_on_kinds(worker)
        worker.claim = lambda total: None  # this process takes nothing of the worker's: it cleans the tasks
        shared = _run(folder, tmp_path / "shared", worker, capsys)
    assert sent == [["dossiers", "tasks"]]
    # here: the largest kind's table, checked once while the worker worked, and the table that failed
    # there, checked again to be reported; the worker's passing tables are not checked twice
    assert sorted(c for c in checks if c != "manual_indicators") == ["evaluations", "tasks"]  # (the warm-up's)
    error = ("tasks.parquet", "bảng không đạt lược đồ, không ghi: cột deadline sai kiểu")
    assert error in alone[0].errors and alone[0].errors == shared[0].errors
    assert not (tmp_path / "shared" / "tasks.parquet").exists() and (tmp_path / "shared" / "dossiers.parquet").exists()
    for name in sorted(p.name for p in (tmp_path / "alone").iterdir()):
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes(), name


def test_this_process_takes_the_kinds_the_worker_has_not_started(exports, tmp_path, capsys, monkeypatch):
    from cchc_analysis.ingest import pipeline, workers

    folder = _kinds_folder(exports, evaluations=30)
    alone = _run(folder, tmp_path / "alone", None, capsys)
    real = workers.clean_outcome

    def slow(kind, tables, secret):  # the worker (forked below) spends a while on its first kind
        import time

        time.sleep(3)
        return real(kind, tables, secret)

    monkeypatch.setattr(workers, "clean_outcome", slow)
    here: list[str] = []
    real_one = pipeline._clean_one
    monkeypatch.setattr(pipeline, "_clean_one", lambda kind, *a: here.append(kind.name) or real_one(kind, *a))
    with _worker() as worker:
        sent = _spy_on_kinds(worker)
        shared = _run(folder, tmp_path / "shared", worker, capsys)
    assert sent == [["dossiers", "tasks"]]  # the larger first
    assert here == ["evaluations", "tasks"]  # the largest, then what the busy worker had not started
    (r1, err1), (r2, err2) = alone, shared
    assert (r1.errors, r1.warnings, err1) == (r2.errors, r2.warnings, err2) and r1.counts == r2.counts
    for name in sorted(p.name for p in (tmp_path / "alone").iterdir()):
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes(), name
