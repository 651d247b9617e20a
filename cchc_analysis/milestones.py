"""The programme's milestones: the registry of targets, its validation and the target values.

The targets live in ``registry/milestones.yaml`` (data, not code). This module checks that the
registry is complete and consistent with docs/contract.md section 4, and turns a target (absolute,
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

#: Every indicator id of docs/contract.md section 4, with its unit there.
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
            problems.append(f"{ind_id}: unknown indicator id (not in docs/contract.md section 4)")
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
    stat = baseline_statistic(target, history)
    factor = baseline.get("factor", factor_setting)
    if stat is None or factor is None:
        return None
    return float(stat) * float(factor)


def baseline_statistic(target: Mapping[str, Any], history: Mapping[int, float] | None) -> float | None:
    """The baseline a relative target is a factor of (e.g. the 2021-2025 mean), or ``None``.

    ``None`` when the target is absolute or a year of its baseline window has no value yet.

    >>> rule = {"baseline": {"statistic": "mean", "years": [2021, 2022], "factor": 0.85}}
    >>> baseline_statistic(rule, {2021: 10.0, 2022: 20.0}), baseline_statistic({"value": 1}, {})
    (15.0, None)
    """
    baseline = target.get("baseline")
    if baseline is None:
        return None
    history = history or {}
    first, last = baseline["years"]
    values = [history.get(y) for y in range(int(first), int(last) + 1)]
    if any(v is None for v in values):
        return None
    return {"value": values[-1], "mean": sum(values) / len(values), "sum": sum(values)}[baseline["statistic"]]


def path_start(target: Mapping[str, Any], history: Mapping[int, float], baseline_year: int) -> int:
    """The year the straight path to ``target`` starts from.

    A relative target's path starts at the last year of its baseline window; an absolute one at
    the first year with a value from the programme's baseline year on.

    >>> path_start({"baseline": {"years": [2021, 2025]}}, {2021: 1.0}, 2021)
    2025
    >>> path_start({"value": 0.9}, {2020: 0.1, 2022: 0.5}, 2021)
    2022
    """
    if target.get("baseline"):
        return int(target["baseline"]["years"][1])
    known = sorted(y for y in history if y >= baseline_year)
    return known[0] if known else baseline_year


# --------------------------------------------------------------------------------------------------
# status against the milestones

STATUS_WORDS_VI = {
    "met": "Đã đạt",
    "on_track": "Đúng lộ trình",
    "at_risk": "Có nguy cơ không đạt",
    "off_track": "Chậm so với lộ trình",
    "no_target": "Không có chỉ tiêu",
    "no_data": "Chưa có số liệu",
}


def _compare(value: float, operator: str, target: float) -> bool:
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}[operator]


def next_target(spec: Mapping[str, Any], year: int) -> Mapping[str, Any] | None:
    """The target a value of ``year`` is judged against: the first one due in or after that year,
    else the last one.

    >>> spec = {"targets": [{"year": 2025}, {"year": 2030}]}
    >>> next_target(spec, 2024)["year"], next_target(spec, 2026)["year"], next_target(spec, 2031)["year"]
    (2025, 2030, 2030)
    >>> next_target({"targets": []}, 2024) is None
    True
    """
    targets = sorted(spec.get("targets") or [], key=lambda t: t["year"])
    if not targets:
        return None
    for target in targets:
        if target["year"] >= year:
            return target
    return targets[-1]


def path_value(year: int, start_year: int, start_value: float | None, target_year: int, target: float) -> float:
    """The straight path from ``(start_year, start_value)`` to ``(target_year, target)`` at ``year``.

    Without a start value the path is the target itself.

    >>> path_value(2023, 2021, 0.5, 2025, 0.9)
    0.7
    >>> path_value(2020, 2021, 0.5, 2025, 0.9), path_value(2027, 2021, 0.5, 2025, 0.9)
    (0.5, 0.9)
    """
    if start_value is None or target_year <= start_year:
        return target
    frac = min(max((year - start_year) / (target_year - start_year), 0.0), 1.0)
    return round(start_value + (target - start_value) * frac, 12)


def judge(value: float | None, target: float | None, operator: str, year: int, target_year: int,
          path: float, band: float) -> str:
    """Status of one value: ``met``, ``on_track``, ``at_risk``, ``off_track`` (or ``no_data``/``no_target``).

    ``band`` is how far short of the path (in the indicator's own unit) still counts as at risk.

    >>> judge(0.92, 0.9, ">=", 2024, 2025, 0.85, 0.05)
    'met'
    >>> judge(0.86, 0.9, ">=", 2024, 2025, 0.85, 0.05), judge(0.81, 0.9, ">=", 2024, 2025, 0.85, 0.05)
    ('on_track', 'at_risk')
    >>> judge(0.70, 0.9, ">=", 2024, 2025, 0.85, 0.05), judge(0.89, 0.9, ">=", 2025, 2025, 0.9, 0.05)
    ('off_track', 'off_track')
    >>> judge(110, 100, "<=", 2027, 2030, 112, 5.6)   # a falling target, below its path
    'on_track'
    >>> judge(0.8547008547008547, 0.9, ">=", 2021, 2025, 0.854700854701, 0.05)   # the path's first year
    'on_track'
    """
    if value is None or value != value:
        return "no_data"
    if target is None:
        return "no_target"
    if _compare(value, operator, target):
        return "met"
    if year >= target_year:
        return "off_track"
    rising = operator.startswith(">")
    slack = 1e-9 * max(1.0, abs(path))  # the path's own rounding never makes a value fall short of it
    if (value >= path - slack) if rising else (value <= path + slack):
        return "on_track"
    if (value >= path - band) if rising else (value <= path + band):
        return "at_risk"
    return "off_track"


def required_annual_change(current: float, target: float, years_left: int) -> float | None:
    """The constant yearly rate of change that takes ``current`` to ``target`` in ``years_left`` years.

    >>> round(required_annual_change(100.0, 81.0, 2), 4)
    -0.1
    >>> required_annual_change(100.0, 90.0, 0) is None
    True
    """
    if years_left <= 0 or not current or current <= 0 or target <= 0:
        return None
    return (target / current) ** (1.0 / years_left) - 1.0


def assess(table: Any, registry_data: Mapping[str, Any] | None = None) -> Any:
    """Add ``target_value``, ``target_year`` and ``status`` to an indicator table.

    Each (indicator, breakdown) series is judged with its own yearly history: relative targets use
    that history for their baseline, and the path starts at the baseline year's value (or at the
    last year of a relative target's baseline window).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with ``indicator_id``, ``period``, ``breakdown``, ``value`` and ``unit``.
    registry_data : mapping, optional
        The milestone registry (default: the packaged one).
    """
    import pandas as pd

    reg = registry_data or registry.load("milestones")
    settings = reg.get("settings") or {}
    rules = reg.get("status_rules") or {}
    base_year = int(rules.get("baseline_year", 2021))
    table = table.copy()
    years = table["period"].astype(str).str[:4].astype(int)
    is_year = table["period"].astype(str).str.len() == 4
    history: dict[tuple[str, str], dict[int, float]] = {}
    for (ind, bd, yr, val) in zip(table.loc[is_year, "indicator_id"], table.loc[is_year, "breakdown"],
                                  years[is_year], table.loc[is_year, "value"], strict=True):
        if val == val and val is not None:
            history.setdefault((ind, bd), {})[int(yr)] = float(val)

    keys = pd.DataFrame({"indicator_id": table["indicator_id"], "breakdown": table["breakdown"], "year": years})
    facts = {}
    for ind, bd, yr in keys.drop_duplicates().itertuples(index=False):
        spec = (reg.get("indicators") or {}).get(ind) or {}
        target = next_target(spec, int(yr))
        if target is None:
            facts[(ind, bd, yr)] = (None, None, None, None, None)
            continue
        hist = history.get((ind, bd), {})
        tval = target_value(target, hist, settings)
        if tval is None:
            facts[(ind, bd, yr)] = (None, target["year"], None, None, None)
            continue
        start = path_start(target, hist, base_year)
        if target.get("baseline") and int(yr) <= start:
            # a year inside the baseline window is what the target is measured from, not judged
            facts[(ind, bd, yr)] = (tval, int(target["year"]), None, None, None)
            continue
        path = path_value(int(yr), start, hist.get(start), int(target["year"]), tval)
        if spec.get("unit") == "share":
            band = float(rules.get("at_risk_band_share", 0.05))
        else:
            band = float(rules.get("at_risk_band_relative", 0.05)) * abs(path)
        facts[(ind, bd, yr)] = (tval, int(target["year"]), target["operator"], path, band)

    status, tvals, tyears = [], [], []
    for ind, bd, yr, val in zip(table["indicator_id"], table["breakdown"], years, table["value"], strict=True):
        tval, tyear, op, path, band = facts[(ind, bd, yr)]
        tvals.append(tval)
        tyears.append(tyear)
        if val is None or val != val:
            status.append("no_data")
        elif tval is None or op is None:
            status.append("no_target")
        else:
            status.append(judge(float(val), tval, op, int(yr), tyear, path, band))
    table["target_value"] = tvals
    table["target_year"] = tyears
    table["status"] = status
    return table
