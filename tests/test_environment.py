"""One environment, three files: pyproject.toml (what the package needs), requirements.lock (exact
versions and hashes, written by `make lock`, installed by `make setup`) and environment.yml (conda, for
analysts on Windows): same packages, the lock's versions, each within pyproject's ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")
#: The Python of the conda environment (environment.yml pins it): the lock's versions for it.
CONDA_PYTHON = {"python_version": "3.11", "python_full_version": "3.11.9", "sys_platform": "win32",
                "os_name": "nt", "platform_system": "Windows", "implementation_name": "cpython",
                "platform_python_implementation": "CPython"}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _split(requirement: str) -> tuple[str, str]:
    name, spec = REQ.match(requirement).groups()
    return _name(name), spec.replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    return dict(_split(r) for r in reqs)


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    return dict(_split(dep) for dep in env["dependencies"] if not isinstance(dep, dict))


def _lock() -> list[tuple[str, str, str, list[str]]]:
    """(name, version, marker, hashes) of every requirement of requirements.lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        lines = [line for line in block.splitlines() if not line.lstrip().startswith("#")]
        if not lines:
            continue
        head = lines[0].rstrip(" \\")
        requirement = Requirement(head)
        pins = [str(s) for s in requirement.specifier]
        assert len(pins) == 1 and pins[0].startswith("=="), f"not an exact pin: {head}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        entries.append((_name(requirement.name), pins[0][2:], str(requirement.marker or ""), hashes))
    return entries


def _lock_for(env: dict[str, str]) -> dict[str, str]:
    return {name: version for name, version, marker, _ in _lock() if not marker or Marker(marker).evaluate(env)}


def test_every_locked_requirement_has_an_exact_version_and_hashes():
    entries = _lock()
    assert len(entries) > 50
    for name, version, _, hashes in entries:
        assert hashes, f"{name}=={version} has no hash"


def test_the_lock_holds_every_dependency_within_pyproject_ranges():
    locked = _lock_for(CONDA_PYTHON)
    for name, spec in _pyproject().items():
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
        assert locked[name] in SpecifierSet(spec), f"{name}=={locked[name]} outside {spec}: run `make lock`"


def test_conda_has_the_same_packages_at_the_locked_versions():
    conda = _conda()
    conda.pop("pip")
    assert conda.pop("python") == "=3.11"
    assert set(conda) == set(_pyproject())
    locked = _lock_for(CONDA_PYTHON)
    wrong = {name: (spec, locked.get(name)) for name, spec in conda.items() if spec != f"=={locked.get(name)}"}
    assert not wrong, f"environment.yml differs from requirements.lock: {wrong}"


def test_conda_installs_the_project_itself_last():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    assert env["dependencies"][-1] == {"pip": ["-e ."]}


def test_make_setup_installs_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r $(LOCK)" in makefile and "--no-deps -e ." in makefile
    assert "LOCK := requirements.lock" in makefile and "\nlock:" in makefile
