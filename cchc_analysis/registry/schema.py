"""The shape of the indicator and programme registries, checked (see :func:`validate`).

Each indicator names a known method with the inputs it needs, a unit, a direction and an area of the
programme; each clause has a unique id, a known area and part, and targets that name known indicators
with an operator and a value, a baseline rule or a setting. Targets belong to clauses only.

>>> from cchc_analysis import milestones
>>> validate(milestones.load_registry())
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNITS = ("share", "count", "vnd", "persons", "points")
DIRECTIONS = ("increase", "decrease")
OPERATORS = (">=", ">", "<=", "<")
STATISTICS = ("value", "mean", "sum")
PARTS = ("target", "objective", "task", "solution")
CHARTS = ("trend", "amount", "none")
SECTIONS = ("satisfaction", "digital", "budget_payroll", "none")
REQUIRED_FIELDS = ("title_vi", "title_en", "area", "unit", "decimals", "direction", "source", "method")
#: The methods an indicator may name, with the inputs each requires.
METHODS: dict[str, tuple[str, ...]] = {
    "dossier_ratio": ("numerator", "denominator"),
    "applicant_ratio": ("numerator", "denominator"),
    "evaluation_share": (),
    "survey_share": (),
    "catalogue_ratio": ("numerator", "denominator"),
    "task_completion": (),
    "amount": (),
    "headcount": ("column",),
    "manual": (),
    "index766": (),
}
DOSSIER_SCOPES = ("received", "resolved", "closed")
DOSSIER_FLAGS = ("online", "full", "partial", "fee_required", "paid_online", "result_digitized",
                 "eid_verified", "on_time", "resolved")
CATALOGUE_FLAGS = ("eligible_online", "fee_required", "online_payment", "on_national_portal", "internal",
                   "published", "level_full", "level_online")
MEASURES_06A = ("received", "received_online", "resolved", "resolved_in_time", "resolved_late")


def validate(reg: Mapping[str, Any]) -> list[str]:
    """Check an assembled registry; return one English sentence per problem (empty when valid).

    Parameters
    ----------
    reg : mapping
        As :func:`load_registry` returns it.

    Examples
    --------
    >>> from cchc_analysis.milestones import load_registry
    >>> bad = load_registry()
    >>> bad["indicators"]["satisfaction_share"]["method"] = "guess"
    >>> bad["clauses"][0].update(id="demo", targets=[{"indicator": "nobody", "operator": ">=", "value": 1}])
    >>> validate(bad)  # doctest: +NORMALIZE_WHITESPACE
    ['satisfaction_share: unknown method guess',
     'clause demo: a target names the unknown indicator nobody']
    """
    problems: list[str] = []
    indicators = reg.get("indicators") or {}
    settings = reg.get("settings") or {}
    areas = {a.get("id") for a in reg.get("areas") or []}
    for ind_id, spec in indicators.items():
        problems.extend(_validate_indicator(ind_id, spec or {}, areas))
    problems.extend(_validate_clauses(reg.get("clauses") or [], indicators, settings, areas))
    return problems


def _validate_indicator(ind_id: str, spec: Mapping[str, Any], areas: set) -> list[str]:
    problems = [f"{ind_id}: missing {field}" for field in REQUIRED_FIELDS if field not in spec]
    checks = (("unit", UNITS), ("direction", DIRECTIONS), ("chart", CHARTS), ("section", SECTIONS))
    for key, allowed in checks:
        if spec.get(key) is not None and spec[key] not in allowed:
            problems.append(f"{ind_id}: {key} must be one of {', '.join(allowed)}")
    if spec.get("area") is not None and areas and spec["area"] not in areas:
        problems.append(f"{ind_id}: unknown area {spec['area']}")
    if "decimals" in spec and not isinstance(spec["decimals"], int):
        problems.append(f"{ind_id}: decimals must be a whole number")
    method = spec.get("method")
    if method is not None and method not in METHODS:
        problems.append(f"{ind_id}: unknown method {method}")
        return problems
    problems.extend(f"{ind_id}: method {method} needs {need}" for need in METHODS.get(method, ()) if need not in spec)
    if method in ("dossier_ratio", "applicant_ratio") and "numerator" in spec and "denominator" in spec:
        problems.extend(_validate_ratio(ind_id, spec, DOSSIER_FLAGS, DOSSIER_SCOPES))
    if method == "catalogue_ratio" and "numerator" in spec and "denominator" in spec:
        problems.extend(_validate_ratio(ind_id, spec, CATALOGUE_FLAGS, None))
    for key in ("numerator", "denominator"):
        measure = (spec.get("report06a") or {}).get(key)
        if spec.get("report06a") is not None and measure not in MEASURES_06A:
            problems.append(f"{ind_id}: report06a {key} must be one of {', '.join(MEASURES_06A)}")
    if spec.get("targets"):
        problems.extend(f"{ind_id}: a target without a clause (targets belong to programme.yaml clauses)"
                        for t in spec["targets"] if not t.get("clause_id"))
    return problems


def _validate_ratio(ind_id: str, spec: Mapping[str, Any], flags: tuple[str, ...],
                    scopes: tuple[str, ...] | None) -> list[str]:
    problems = []
    num, den = spec["numerator"] or {}, spec["denominator"] or {}
    for side, part in (("numerator", num), ("denominator", den)):
        for flag in part.get("flags") or []:
            if flag not in flags:
                problems.append(f"{ind_id}: unknown {side} flag {flag}")
        if scopes is not None and part.get("scope") not in scopes:
            problems.append(f"{ind_id}: {side} scope must be one of {', '.join(scopes)}")
    if scopes is not None and num.get("scope") != den.get("scope"):
        problems.append(f"{ind_id}: numerator and denominator must share one scope")
    if not set(den.get("flags") or []) <= set(num.get("flags") or []):
        problems.append(f"{ind_id}: the numerator must keep every flag of the denominator")
    return problems


def _validate_clauses(clauses: list, indicators: Mapping[str, Any], settings: Mapping[str, Any],
                      areas: set) -> list[str]:
    problems: list[str] = []
    seen: set = set()
    for clause in clauses:
        cid = clause.get("id")
        where = f"clause {cid}"
        if not cid:
            problems.append("a clause has no id")
        elif cid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(cid)
        if areas and clause.get("area") not in areas:
            problems.append(f"{where}: unknown area {clause.get('area')}")
        if clause.get("part") not in PARTS:
            problems.append(f"{where}: part must be one of {', '.join(PARTS)}")
        if not str(clause.get("text_vi") or "").strip():
            problems.append(f"{where}: no text_vi")
        year = clause.get("year")
        if year is not None and not isinstance(year, int):
            problems.append(f"{where}: year must be a whole number or null")
        if clause.get("applies") is False and not clause.get("reason"):
            problems.append(f"{where}: does not apply but gives no reason")
        for target in clause.get("targets") or []:
            problems.extend(_validate_target(where, clause, target, indicators, settings))
    return problems


def _validate_target(where: str, clause: Mapping[str, Any], target: Mapping[str, Any],
                     indicators: Mapping[str, Any], settings: Mapping[str, Any]) -> list[str]:
    ind = target.get("indicator")
    if ind not in indicators:
        return [f"{where}: a target names the unknown indicator {ind}"]
    problems = []
    if not isinstance(clause.get("year"), int):
        problems.append(f"{where}: a clause with targets needs a year")
    if target.get("operator") not in OPERATORS:
        problems.append(f"{where}: the {ind} target has no valid operator")
    if not any(k in target for k in ("value", "baseline", "setting")):
        problems.append(f"{where}: the {ind} target has neither a value, a baseline rule nor a setting")
    if "setting" in target and target["setting"] not in settings:
        problems.append(f"{where}: the {ind} target names the unknown setting {target['setting']}")
    baseline = target.get("baseline")
    if baseline is not None:
        years = baseline.get("years")
        if baseline.get("statistic") not in STATISTICS:
            problems.append(f"{where}: the {ind} baseline has no valid statistic")
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
            problems.append(f"{where}: the {ind} baseline has no years [first, last]")
        if "factor" not in baseline and "setting" not in target:
            problems.append(f"{where}: the {ind} baseline has no factor")
    return problems
