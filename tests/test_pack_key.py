"""The pack key follows the versions of the libraries that write the pack's bytes."""

from __future__ import annotations

import importlib.metadata

import pytest

from cchc_analysis import config, pack
from cchc_analysis.pack import cache

#: What writes each output of the pack (the draft, the workbook, the figures, the page).
WRITERS = ("python-docx", "lxml", "xlsxwriter", "matplotlib", "pillow", "nbconvert", "mistune", "jinja2")


@pytest.fixture()
def settings():
    return pack.resolve(year=2025, notebooks_dir=config.NOTEBOOKS_DIR)


@pytest.mark.parametrize("library", WRITERS)
def test_a_new_version_of_a_writing_library_changes_the_key(library, settings, monkeypatch):
    real = importlib.metadata.version
    code = cache.code_files()[:3]  # the code part is the same in both keys; a few files keep this quick
    before = cache.pack_key("fp", settings, code)

    def version(name: str) -> str:
        return "0.0.0-other" if name == library else real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    assert cache.pack_key("fp", settings, code) != before


def test_an_unrelated_library_leaves_the_key_alone(settings, monkeypatch):
    real = importlib.metadata.version
    code = cache.code_files()[:3]
    before = cache.pack_key("fp", settings, code)
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "0.0.0-other" if name == "hypothesis" else real(name))
    assert cache.pack_key("fp", settings, code) == before
