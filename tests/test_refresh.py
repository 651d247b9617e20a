"""One cache key for the processed tables: raw content + the cleaning code + the registries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cchc_analysis import refresh

PACKAGE = Path(refresh.__file__).resolve().parent


@pytest.fixture
def code_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the package's cleaning sources that the fingerprint reads instead of the real ones."""
    root = tmp_path / "pkg"
    shutil.copytree(PACKAGE / "ingest", root / "ingest", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PACKAGE / "registry", root / "registry", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("schemas.py", "quality.py", "charts.py"):
        shutil.copy2(PACKAGE / name, root / name)
    monkeypatch.setattr(refresh, "CODE_ROOT", root)
    return root


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "ho_so.csv").write_text(
        "Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái,Hình thức nộp\n"
        "H-1,02/01/2024 08:00,09/01/2024 08:00,Đang xử lý,Trực tuyến\n", encoding="utf-8")
    (folder / "README.md").write_text("ghi chú", encoding="utf-8")
    return folder


def _append(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode("utf-8"))


@pytest.mark.parametrize("changed", ["registry/vocab.yaml", "registry/columns.yaml", "ingest/dossiers.py",
                                     "ingest/readers.py", "schemas.py", "quality.py"])
def test_a_change_to_cleaning_code_or_a_registry_makes_the_tables_stale(code_copy, raw, changed):
    before = refresh.fingerprint(raw)
    assert refresh.fingerprint(raw) == before  # stable
    _append(code_copy / changed, "\n# a fix\n")
    assert refresh.fingerprint(raw) != before


def test_presentation_code_and_notes_beside_the_exports_do_not(code_copy, raw):
    before = refresh.fingerprint(raw)
    _append(code_copy / "charts.py", "\n# a new colour\n")
    (raw / "README.md").write_text("ghi chú khác", encoding="utf-8")
    assert refresh.fingerprint(raw) == before


def test_ensure_processed_recleans_after_a_registry_change(code_copy, raw, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_PII_KEY", "test-key")
    processed = tmp_path / "processed"
    first = refresh.ensure_processed(raw, processed)
    assert first.cleaned and refresh.is_current(raw, processed)
    again = refresh.ensure_processed(raw, processed)
    assert not again.cleaned  # unchanged: nothing to do
    _append(code_copy / "registry" / "vocab.yaml", "\n# a new label\n")
    assert not refresh.is_current(raw, processed)
    third = refresh.ensure_processed(raw, processed)
    assert third.cleaned and third.fingerprint != first.fingerprint
