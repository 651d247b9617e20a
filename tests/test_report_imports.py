"""``cchc report`` keeps its process from loading an optional module it never uses (a grammar built at
import, ``pack.kernels.UNUSED_SLOW_IMPORTS``), and notebook validation still works without it."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

from cchc_analysis.pack import kernels

build = importlib.import_module("cchc_analysis.pack.build")  # the module (the package exports its function)

PROBE = """
import json, sys
from cchc_analysis.pack import kernels
{before}
skipped = kernels.skip_unused_slow_imports()
import papermill, nbformat
book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(book)
bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
bad.cells[0]["outputs"] = [{{"output_type": "nonsense"}}]
try:
    nbformat.validate(bad)
    refused = False
except nbformat.ValidationError:
    refused = True
print(json.dumps({{"skipped": skipped, "loaded": sys.modules.get("rfc3987_syntax") is not None,
                  "refused": refused}}))
"""


def _probe(before: str = "") -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE.format(before=before)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_unused_module_is_not_loaded_and_validation_still_works() -> None:
    result = _probe()
    assert result == {"skipped": list(kernels.UNUSED_SLOW_IMPORTS), "loaded": False, "refused": True}


def test_a_process_that_already_imported_jsonschema_is_left_alone() -> None:
    result = _probe("import jsonschema")
    assert result["skipped"] == []
    assert result["refused"] is True


def test_the_report_command_skips_them_before_building(monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(kernels, "skip_unused_slow_imports", lambda: calls.append("skip") or [])

    def fake_build(settings, progress=True, **kwargs):
        calls.append("build")
        raise build.ReportError("error: stop here")

    monkeypatch.setattr(build, "build", fake_build)
    assert build.run_cli(year=2025) == build.EXIT_ERROR
    assert calls == ["skip", "build"]
