"""The programme's targets: the registries of indicators and clauses, their validation, target values.

An indicator is one entry of ``registry/indicators.yaml`` (title, area, unit, method and its inputs);
its targets come from the programme's clauses in ``registry/programme.yaml`` (each clause quotes the
programme and says how it is judged: ``targets: [{indicator, operator, value | setting | baseline}]``).
:func:`load_registry` joins the two into one mapping that every module reads; :func:`validate` checks it.
This module also turns a target (absolute, relative to a baseline, or left to a roadmap setting) into
a number for a given history, and judges values against the straight path to it.

>>> reg = load_registry()
>>> validate(reg)
[]
>>> [(t["year"], t["clause_id"]) for t in reg["indicators"]["satisfaction_share"]["targets"]]
[(2025, 'II.2-2025-satisfaction'), (2030, 'II.2-2030-satisfaction')]
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

from cchc_analysis import registry
from cchc_analysis.registry.schema import METHODS, validate  # noqa: F401  (part of this module's API)


def assemble(indicator_reg: Mapping[str, Any], programme: Mapping[str, Any]) -> dict[str, Any]:
    """Join the indicator registry and the programme's clauses into the registry every module reads.

    Each indicator gets ``targets``: one entry per clause target naming it, with the clause's
    ``year``, ``clause`` (its area), ``clause_id`` and ``clause_text``. Clauses without targets
    (qualitative ones that apply) are listed under ``qualitative``.

    >>> reg = assemble({"indicators": {"x": {"unit": "share"}}},
    ...     {"clauses": [{"id": "c", "area": "II.2", "year": 2025, "text_vi": "…", "quantitative": True,
    ...                   "targets": [{"indicator": "x", "operator": ">=", "value": 0.9}]}]})
    >>> reg["indicators"]["x"]["targets"]
    [{'operator': '>=', 'value': 0.9, 'year': 2025, 'clause': 'II.2', 'clause_id': 'c', 'clause_text': '…'}]
    """
    out: dict[str, Any] = {key: copy.deepcopy(programme.get(key)) for key in
                           ("programme", "settings", "status_rules", "areas", "clauses")}
    out["settings"] = out["settings"] or {}
    out["status_rules"] = out["status_rules"] or {}
    out["areas"] = out["areas"] or []
    out["clauses"] = out["clauses"] or []
    indicators = copy.deepcopy(dict(indicator_reg.get("indicators") or {}))
    for spec in indicators.values():
        spec.setdefault("targets", [])
    qualitative = []
    for clause in out["clauses"]:
        targets = clause.get("targets") or []
        if not targets and clause.get("part") in ("target", None) and clause.get("applies", True):
            qualitative.append({"id": clause.get("id"), "clause": clause.get("area"),
                                "clause_text": " ".join(str(clause.get("text_vi", "")).split()),
                                "title_vi": _short_title(clause.get("text_vi", "")), "year": clause.get("year")})
        for target in targets:
            spec = indicators.get(target.get("indicator"))
            if spec is None:
                continue  # validate() names it
            entry = {k: v for k, v in target.items() if k != "indicator"}
            entry.update(year=clause.get("year"), clause=clause.get("area"), clause_id=clause.get("id"),
                         clause_text=" ".join(str(clause.get("text_vi", "")).split()))
            spec["targets"].append(entry)
    for spec in indicators.values():
        spec["targets"].sort(key=lambda t: (t["year"] is None, t["year"] or 0))
    out["indicators"] = indicators
    out["qualitative"] = qualitative
    return out


def _short_title(text: str, words: int = 12) -> str:
    parts = str(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def load_registry(folder: Any = None) -> dict[str, Any]:
    """The registry: ``indicators.yaml`` joined with ``programme.yaml`` (a fresh copy).

    Parameters
    ----------
    folder : path, optional
        A folder holding the two files (default: the packaged registry).
    """
    if folder is None:
        return _tree_copy(_packaged())
    from pathlib import Path

    import yaml

    def read(name: str) -> dict[str, Any]:
        with (Path(folder) / f"{name}.yaml").open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}

    return assemble(read("indicators"), read("programme"))


@functools.cache
def _packaged() -> dict[str, Any]:
    """The packaged registry, assembled once per process (:func:`load_registry` hands out copies)."""
    return assemble(registry.load("indicators"), registry.load("programme"))


def _tree_copy(value: Any) -> Any:
    """A copy of parsed YAML (dicts and lists of scalars) as deep as :func:`copy.deepcopy`, about five
    times faster (no memo: the registry has no shared or cyclic parts).

    >>> tree = {"a": [{"b": 1}], "c": (2, [3])}
    >>> twin = _tree_copy(tree)
    >>> twin == tree, twin["a"][0] is tree["a"][0], twin["c"][1] is tree["c"][1]
    (True, False, False)
    """
    kind = type(value)
    if kind is dict:
        return {k: _tree_copy(v) for k, v in value.items()}
    if kind is list:
        return [_tree_copy(v) for v in value]
    if kind is tuple:
        return tuple(_tree_copy(v) for v in value)
    if kind in (str, int, float, bool, type(None)):
        return value
    return copy.deepcopy(value)


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

#: The statuses as the analyst reads them. The indicator table carries the six statuses of the contract
#: (docs/contract.md section 4); ``not_yet_due`` is how the pack shows a ``no_target`` row of a measure
#: whose target is measured from a baseline still running (:func:`shown_status`).
STATUS_WORDS_VI = {
    "met": "Đã đạt",
    "on_track": "Đúng lộ trình",
    "at_risk": "Có nguy cơ không đạt",
    "off_track": "Chậm so với lộ trình",
    "not_yet_due": "Chưa đến kỳ đánh giá",
    "no_target": "Không có chỉ tiêu",
    "no_data": "Chưa có số liệu",
}


def baseline_running(spec: Mapping[str, Any], period: str) -> Mapping[str, Any] | None:
    """The relative target a value of ``period`` is measured *for*, when ``period`` lies in that
    target's baseline (its window, or the span of the whole window); else ``None``.

    Such a value is not judged (:func:`assess` gives it ``no_target``): it is what the target will be
    computed from.

    >>> spec = {"targets": [{"year": 2030, "operator": "<=",
    ...                      "baseline": {"years": [2021, 2025], "statistic": "mean", "factor": 0.85}}]}
    >>> [baseline_running(spec, p) is not None for p in ("2023", "2025-H1", "2021-2025", "2026", "2026-2030")]
    [True, True, True, False, False]
    >>> baseline_running({"targets": [{"year": 2025, "operator": ">=", "value": 0.9}]}, "2023") is None
    True
    """
    from cchc_analysis.periods import Period

    p = Period.parse(str(period))
    if p.kind == "span":
        for target in spec.get("targets") or []:
            years = (target.get("baseline") or {}).get("years")
            if years and (p.start.year, p.end.year) == (int(years[0]), int(years[1])):
                return target
        return None
    target = next_target(spec, p.end.year)
    if target and target.get("baseline") and p.end.year <= int(target["baseline"]["years"][1]):
        return target
    return None


def shown_status(status: Any, indicator_id: str, period: str, registry_data: Mapping[str, Any] | None = None
                 ) -> str:
    """The status as the pack shows it: the table's status, except that a ``no_target`` of a measure
    whose target is measured from a baseline still running (:func:`baseline_running`) reads
    ``not_yet_due`` ("Chưa đến kỳ đánh giá"). A measure without any target stays ``no_target``.

    The indicator table keeps ``no_target`` (the contract's vocabulary); only what is shown changes.

    >>> reg = load_registry()
    >>> shown_status("no_target", "public_unit_budget_vnd", "2024", reg)
    'not_yet_due'
    >>> shown_status("no_target", "dossier_online_share", "2024", reg), shown_status(None, "x", "2024", reg)
    ('no_target', 'no_data')
    """
    import pandas as pd

    if status is None or pd.isna(status):
        return "no_data"
    status = str(status)
    if status != "no_target":
        return status
    reg = registry_data or load_registry()
    spec = (reg.get("indicators") or {}).get(indicator_id) or {}
    return "not_yet_due" if baseline_running(spec, period) is not None else status


def _compare(value: float, operator: str, target: float) -> bool:
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}[operator]


def next_target(spec: Mapping[str, Any], year: int) -> Mapping[str, Any] | None:
    """The target a value of ``year`` is judged against: the first one due in or after that year,
    else the last one. When two clauses set targets for the same year, the stricter absolute one is
    taken, so that a measure judged by two clauses gets one consistent status.

    >>> spec = {"targets": [{"year": 2025}, {"year": 2030}]}
    >>> next_target(spec, 2024)["year"], next_target(spec, 2026)["year"], next_target(spec, 2031)["year"]
    (2025, 2030, 2030)
    >>> two = {"targets": [{"year": 2025, "operator": ">=", "value": 0.8},
    ...                    {"year": 2025, "operator": ">=", "value": 0.9}]}
    >>> next_target(two, 2024)["value"], next_target({"targets": []}, 2024) is None
    (0.9, True)
    """
    targets = sorted((t for t in spec.get("targets") or [] if isinstance(t.get("year"), int)),
                     key=lambda t: t["year"])
    if not targets:
        return None
    due = [t for t in targets if t["year"] >= year]
    chosen_year = due[0]["year"] if due else targets[-1]["year"]
    same = [t for t in targets if t["year"] == chosen_year]
    absolute = [t for t in same if "value" in t and "baseline" not in t]
    if len(absolute) > 1:
        rising = str(absolute[0].get("operator", ">=")).startswith(">")
        return (max if rising else min)(absolute, key=lambda t: float(t["value"]))
    return same[0]


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
    last year of a relative target's baseline window). A row of a span of years (``2026-2030``) is
    judged only for an indicator with ``span_average`` (a yearly average against an average target), as
    of its column ``judge_year`` when present (the last year with data), else its last year; a span
    that is a relative target's own baseline window is not judged.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with ``indicator_id``, ``period``, ``breakdown``, ``value`` and ``unit``.
    registry_data : mapping, optional
        The registry (default: :func:`load_registry`).
    """
    import pandas as pd

    from cchc_analysis.periods import Period

    reg = registry_data or load_registry()
    settings = reg.get("settings") or {}
    rules = reg.get("status_rules") or {}
    base_year = int(rules.get("baseline_year", 2021))
    table = table.copy()
    parsed = {p: Period.parse(p) for p in pd.unique(table["period"].astype(str))}
    periods = table["period"].astype(str)
    years = periods.map(lambda p: parsed[p].year).astype(int)
    if "judge_year" in table:
        years = table["judge_year"].fillna(years).astype(int)
    is_year = periods.map(lambda p: parsed[p].kind == "year")
    is_span = periods.map(lambda p: parsed[p].kind == "span")
    history: dict[tuple[str, str], dict[int, float]] = {}
    for (ind, bd, yr, val) in zip(table.loc[is_year, "indicator_id"], table.loc[is_year, "breakdown"],
                                  years[is_year], table.loc[is_year, "value"], strict=True):
        if val == val and val is not None:
            history.setdefault((ind, bd), {})[int(yr)] = float(val)

    keys = pd.DataFrame({"indicator_id": table["indicator_id"], "breakdown": table["breakdown"], "year": years})
    facts = {}
    for ind, bd, yr in keys.drop_duplicates().itertuples(index=False):
        spec = (reg.get("indicators") or {}).get(ind) or {}
        facts[(ind, bd, yr)] = _facts(spec, history.get((ind, bd), {}), int(yr), settings, rules, base_year)

    status, tvals, tyears = [], [], []
    for ind, bd, yr, val, period, span in zip(table["indicator_id"], table["breakdown"], years, table["value"],
                                              periods, is_span, strict=True):
        tval, tyear, op, path, band = facts[(ind, bd, yr)]
        if span and op is not None and (_is_baseline_span(parsed[period], ind, reg) or not
                                        ((reg.get("indicators") or {}).get(ind) or {}).get("span_average")):
            op = None  # a span is judged only as a yearly average against an average target
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
    return table.drop(columns=["judge_year"], errors="ignore")


def _facts(spec: Mapping[str, Any], hist: Mapping[int, float], yr: int, settings: Mapping[str, Any],
           rules: Mapping[str, Any], base_year: int) -> tuple:
    """(target value, target year, operator, path value, at-risk band) of one series in one year."""
    target = next_target(spec, yr)
    if target is None:
        return (None, None, None, None, None)
    tval = target_value(target, hist, settings)
    if tval is None:
        return (None, target["year"], None, None, None)
    start = path_start(target, hist, base_year)
    if target.get("baseline") and yr <= start:
        # a year inside the baseline window is what the target is measured from, not judged
        return (tval, int(target["year"]), None, None, None)
    path = path_value(yr, start, hist.get(start), int(target["year"]), tval)
    if spec.get("unit") == "share":
        band = float(rules.get("at_risk_band_share", 0.05))
    else:
        band = float(rules.get("at_risk_band_relative", 0.05)) * abs(path)
    return (tval, int(target["year"]), target["operator"], path, band)


def _is_baseline_span(period: Any, ind: str, reg: Mapping[str, Any]) -> bool:
    for target in (reg.get("indicators") or {}).get(ind, {}).get("targets") or []:
        years = (target.get("baseline") or {}).get("years")
        if years and (period.start.year, period.end.year) == (int(years[0]), int(years[1])):
            return True
    return False
