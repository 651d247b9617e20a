"""The programme's milestones: the registry of targets, its validation and the target values.

The targets live in ``registry/milestones.yaml`` (data, not code). This module checks that the
registry is complete and consistent with CONTRACT.md section 4, and turns a target (absolute,
relative to a baseline, or left to a roadmap setting) into a number for a given history.

>>> reg = load_registry()
>>> validate(reg)
[]
>>> [t["year"] for t in reg["indicators"]["satisfaction_share"]["targets"]]
[2025, 2030]
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from cchc_analysis import registry

#: Every indicator id of CONTRACT.md section 4, with its unit there.
CONTRACT_INDICATORS: dict[str, str] = {
    "dossier_online_share": "share",
    "dossier_full_online_share": "share",
    "dossier_on_time_share": "share",
    "online_payment_share": "share",
    "result_digitized_share": "share",
    "eid_verified_share": "share",
    "satisfaction_share": "share",
    "survey_satisfaction_share": "share",
    "internal_e_transfer_share": "share",
    "work_records_online_share": "share",
    "digital_inspection_share": "share",
    "internal_procedures_published_share": "share",
    "full_online_procedure_share": "share",
    "eid_citizen_share": "share",
    "public_unit_headcount": "persons",
    "public_unit_budget_vnd": "vnd",
}

DIRECTIONS = ("increase", "decrease")
OPERATORS = (">=", ">", "<=", "<")
STATISTICS = ("value", "mean", "sum")
REQUIRED_FIELDS = ("title_vi", "unit", "decimals", "direction", "source", "targets")


def load_registry() -> dict[str, Any]:
    """Return a deep copy of the milestone registry (safe to modify)."""
    return copy.deepcopy(registry.load("milestones"))


def validate(reg: Mapping[str, Any]) -> list[str]:
    """Check a milestone registry; return one English sentence per problem (empty when valid).

    Parameters
    ----------
    reg : mapping
        The parsed ``milestones.yaml``.

    Examples
    --------
    >>> bad = load_registry()
    >>> del bad["indicators"]["satisfaction_share"]["targets"][0]["clause"]
    >>> validate(bad)
    ['satisfaction_share: the 2025 target has no clause']
    """
    problems: list[str] = []
    indicators = reg.get("indicators") or {}
    settings = reg.get("settings") or {}
    for missing in sorted(set(CONTRACT_INDICATORS) - set(indicators)):
        problems.append(f"{missing}: indicator of the contract missing from the registry")
    for ind_id, spec in indicators.items():
        if ind_id not in CONTRACT_INDICATORS:
            problems.append(f"{ind_id}: unknown indicator id (not in CONTRACT.md section 4)")
            continue
        problems.extend(_validate_indicator(ind_id, spec or {}, settings))
    for item in reg.get("qualitative") or []:
        for key in ("id", "clause", "clause_text", "title_vi"):
            if not item.get(key):
                problems.append(f"qualitative target {item.get('id', '?')}: missing {key}")
    return problems


def _validate_indicator(ind_id: str, spec: Mapping[str, Any], settings: Mapping[str, Any]) -> list[str]:
    problems = [f"{ind_id}: missing {field}" for field in REQUIRED_FIELDS if field not in spec]
    if spec.get("direction") is not None and spec["direction"] not in DIRECTIONS:
        problems.append(f"{ind_id}: direction must be one of {', '.join(DIRECTIONS)}")
    if "unit" in spec and spec["unit"] != CONTRACT_INDICATORS[ind_id]:
        problems.append(f"{ind_id}: unit {spec['unit']} differs from the contract's {CONTRACT_INDICATORS[ind_id]}")
    if "decimals" in spec and not isinstance(spec["decimals"], int):
        problems.append(f"{ind_id}: decimals must be a whole number")
    for target in spec.get("targets") or []:
        problems.extend(_validate_target(ind_id, target, settings))
    return problems


def _validate_target(ind_id: str, target: Mapping[str, Any], settings: Mapping[str, Any]) -> list[str]:
    year = target.get("year")
    where = f"{ind_id}: the {year} target"
    problems = []
    if not isinstance(year, int):
        problems.append(f"{ind_id}: a target has no year")
    if not target.get("clause"):
        problems.append(f"{where} has no clause")
    if not target.get("clause_text"):
        problems.append(f"{where} has no clause text")
    if target.get("operator") not in OPERATORS:
        problems.append(f"{where} has no valid operator")
    kinds = [k for k in ("value", "baseline", "setting") if k in target]
    if not kinds:
        problems.append(f"{where} has neither a value, a baseline rule nor a setting")
    if "setting" in target and target["setting"] not in settings:
        problems.append(f"{where} names the unknown setting {target['setting']}")
    baseline = target.get("baseline")
    if baseline is not None:
        years = baseline.get("years")
        if baseline.get("statistic") not in STATISTICS:
            problems.append(f"{where} has a baseline without a valid statistic")
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
            problems.append(f"{where} has a baseline without years [first, last]")
        if "factor" not in baseline and "setting" not in target:
            problems.append(f"{where} has a baseline without a factor")
    return problems


def target_value(target: Mapping[str, Any], history: Mapping[int, float] | None = None,
                 settings: Mapping[str, Any] | None = None) -> float | None:
    """Return the number a target asks for, or ``None`` when it cannot be known yet.

    Parameters
    ----------
    target : mapping
        One entry of an indicator's ``targets`` list.
    history : mapping of year to value, optional
        Yearly values of the indicator, used by baseline rules.
    settings : mapping, optional
        The registry's ``settings`` (roadmap values filled in by the office).

    Examples
    --------
    >>> target_value({"value": 0.9})
    0.9
    >>> rule = {"baseline": {"statistic": "mean", "years": [2021, 2025], "factor": 0.85}}
    >>> round(target_value(rule, {2021: 100, 2022: 100, 2023: 100, 2024: 100, 2025: 100}), 6)
    85.0
    >>> target_value(rule, {2021: 100}) is None   # the baseline years are not all known yet
    True
    """
    settings = settings or {}
    factor_setting = settings.get(target["setting"]) if "setting" in target else None
    baseline = target.get("baseline")
    if baseline is None:
        if "value" in target:
            return float(target["value"])
        return None if factor_setting is None else float(factor_setting)
    history = history or {}
    first, last = baseline["years"]
    values = [history.get(y) for y in range(first, last + 1)]
    if any(v is None for v in values):
        return None
    stat = {"value": values[-1], "mean": sum(values) / len(values), "sum": sum(values)}[baseline["statistic"]]
    factor = baseline.get("factor", factor_setting)
    if factor is None:
        return None
    return float(stat) * float(factor)
