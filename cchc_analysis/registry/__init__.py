"""Data-driven registries: header synonyms, vocabularies and the programme's milestones.

The registries are YAML files beside this module. They are data, not code: an analyst can add a
header spelling or a status label without touching Python. :func:`load` reads one of them (cached).

>>> {"status", "channel", "flag"} <= set(load("vocab"))
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

REGISTRY_DIR = Path(__file__).resolve().parent
#: libyaml's parser when PyYAML has it (ten times faster; same documents), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed content of ``registry/<name>.yaml``.

    Parameters
    ----------
    name : str
        ``"columns"``, ``"vocab"`` or ``"milestones"`` (any YAML file of the folder).

    Returns
    -------
    dict
        The YAML mapping. The result is cached; treat it as read-only.
    """
    path = REGISTRY_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise ValueError(f"registry {path.name} must hold a mapping at the top level")
    return data
