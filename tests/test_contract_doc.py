"""The contract lives in the project (``docs/contract.md``): a user's clone has nothing beside it, so
nothing may cite a contract file outside the project, and the command line it documents is the one the
``cchc`` command has."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from cchc_analysis import cli

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "docs" / "contract.md"
OUTSIDE = "CONTRACT" + ".md"  # written in two parts so that this file does not cite it


def _tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        paths = [ROOT / line for line in listed.splitlines()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        paths = [p for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts]
    return [p for p in paths if p.is_file() and p.suffix in (".py", ".md", ".yaml", ".yml", ".ipynb", ".cfg",
                                                               ".toml", ".txt")]


def test_the_contract_is_in_the_project_with_its_sections():
    text = CONTRACT.read_text(encoding="utf-8")
    assert "(v2)" in text.splitlines()[0]
    headings = re.findall(r"^## (\d)\. ", text, flags=re.M)
    assert headings[:5] == ["1", "2", "3", "4", "5"]
    for table in ("dossiers.parquet", "procedures.parquet", "tasks.parquet", "quarantine.csv", "reconciliation.csv"):
        assert f"`{table}`" in text, table


def test_nothing_cites_a_contract_outside_the_project():
    citing = [p.relative_to(ROOT).as_posix() for p in _tracked_text_files()
              if OUTSIDE in p.read_text(encoding="utf-8", errors="replace")]
    assert not citing, f"cite docs/contract.md instead in: {citing}"


def test_the_documented_sub_commands_are_the_commands():
    text = CONTRACT.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `cchc (\w+)", text, flags=re.M))
    parser = cli.build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    assert documented == set(actions[0].choices)
    for option in ("--period", "--params", "--raw", "--out", "--year"):
        assert option in text
