"""Paths of the project, and nothing else.

Every path is derived from the project root; importing this module has no side effect (no folder
is created, no file read). The root is the folder that holds ``pyproject.toml`` next to the package,
or the current folder when the package is installed elsewhere; ``CCHC_PROJECT_ROOT`` overrides both.

>>> from cchc_analysis import config
>>> config.RAW_DIR.name, config.PROCESSED_DIR.name, config.REPORTS_DIR.name
('raw', 'processed', 'reports')
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REGISTRY_DIR = PACKAGE_DIR / "registry"


def _find_root() -> Path:
    env = os.environ.get("CCHC_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd()


PROJECT_ROOT = _find_root()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
SAMPLE_DIR = RAW_DIR / "sample"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PARAMS_DIR = PROJECT_ROOT / "params"
