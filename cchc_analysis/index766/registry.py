"""The index's registry (``registry/index766.yaml``): groups, sub-indicators, maxima and source tags.

>>> sum(g["max"] for g in GROUPS.values())
100
>>> all(sum(s["max"] for s in SUBINDICATORS.values() if s["group"] == gid) == g["max"] for gid, g in GROUPS.items())
True
"""

from __future__ import annotations

import datetime
from typing import Any

from cchc_analysis.registry import load

__all__ = ["GROUPS", "SUBINDICATORS", "GROUP_ORDER", "in_force", "own_agency_names", "total_tolerance"]


def _subindicators() -> dict[str, dict[str, Any]]:
    out = {}
    for sid, entry in load("index766")["subindicators"].items():
        item = {"threshold": 1.0, "empty": "full", "method": None, **entry}
        if item["source"] not in ("own", "portal"):
            raise ValueError(f"index766.yaml: {sid}: source must be own or portal")
        out[str(sid)] = item
    return out


#: Group id → ``{"name", "max", "tag"}``, in the registry's order.
GROUPS: dict[str, dict[str, Any]] = dict(load("index766")["groups"])
#: Group ids in order.
GROUP_ORDER: tuple[str, ...] = tuple(GROUPS)
#: Sub-indicator id → ``{"group", "name", "max", "source", "method", "threshold", "empty", "tag"}``.
SUBINDICATORS: dict[str, dict[str, Any]] = _subindicators()


def own_agency_names() -> list[str]:
    """Texts that recognise the Department's row in a portal export listing several agencies."""
    return [str(s) for s in load("index766").get("own_agency", [])]


def total_tolerance() -> float:
    """How far an export's total may stray from the sum of its groups (rounding)."""
    return float(load("index766").get("total_tolerance", 0.05))


def in_force() -> datetime.date:
    """The day the Decision applies from (``in_force`` of the registry).

    >>> in_force().isoformat()
    '2022-08-01'
    """
    return datetime.date.fromisoformat(str(load("index766").get("in_force", "2022-08-01")))
