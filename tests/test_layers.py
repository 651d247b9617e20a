"""Computation never imports presentation: the ingest, the indicators and the 766 index's model, rules,
scoring, roll-up and explanations import no chart, view, reading, scoreboard or pack module (read
from the source, imports inside functions included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cchc_analysis import config

COMPUTATION = ["ingest", "indicators", "index766"]
PRESENTATION = {"charts", "chart_base", "charts_index766", "views", "views_index766", "views_programme",
                "narrative", "scoreboard", "scoreboard_areas", "pack", "docx_draft", "xlsx_print"}


def imported_modules(path: Path) -> set[str]:
    """Every ``cchc_analysis`` module a source file imports, as dotted names below the package."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {n.removeprefix("cchc_analysis.") for n in names if n.startswith("cchc_analysis.")}


def test_the_reader_sees_imports_inside_functions(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from cchc_analysis import charts_index766 as c\n    import cchc_analysis.pack.build\n")
    assert {"charts_index766", "pack.build"} <= imported_modules(src)


@pytest.mark.parametrize("part", COMPUTATION)
def test_computation_imports_no_presentation(part):
    files = sorted((config.PACKAGE_DIR / part).rglob("*.py"))
    assert files
    for path in files:
        bad = {m for m in imported_modules(path) if m.split(".")[0] in PRESENTATION}
        assert not bad, f"{path.relative_to(config.PACKAGE_DIR)} imports presentation: {sorted(bad)}"


def test_the_index766_presentation_lives_outside_the_computation_package():
    assert not (config.PACKAGE_DIR / "index766" / "charts.py").exists()
    assert not (config.PACKAGE_DIR / "index766" / "views.py").exists()
    assert (config.PACKAGE_DIR / "views_index766.py").is_file() and (config.PACKAGE_DIR / "charts_index766.py").is_file()
