"""The programme registry quotes the programme's text verbatim and misses none of its clauses.

``cchc_analysis/registry/programme.yaml`` is held against the text of the programme kept in the project
(``docs/programme/qd-09-sct-2022.md``, Quyết định 09/QĐ-SCT ngày 28/01/2022). What the registry must
contain is read here from the TEXT's own structure (its numbered headings, "Mục tiêu" paragraphs, "Đến
năm" bullets, "Nhiệm vụ" bullets and section III's numbered solutions), never from the registry itself.

Each check is a function returning a list of problems: the registry must give none, and a copy of the
registry broken on purpose must give some (the ``*_bites`` tests), so every check is seen to fail when
the behaviour it names breaks.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "cchc_analysis" / "registry" / "programme.yaml"
TEXT = ROOT / "docs" / "programme" / "qd-09-sct-2022.md"
SHARED_TEXT = ROOT.parent / "shared" / "programme" / "000_e74da70bfae17c50.txt"
PROJECT_CONTRACT = ROOT / "docs" / "contract.md"
MARKER = "<!-- programme text begins -->"

#: The indicator ids of docs/contract.md section 4 (v2), written out here so that a typo in the registry or
#: an id the contract does not know fails.
CONTRACT_INDICATOR_IDS = frozenset({
    "dossier_online_share", "dossier_full_online_share", "dossier_on_time_share", "online_payment_share",
    "result_digitized_share", "eid_verified_share", "eid_applicant_share", "satisfaction_share",
    "survey_satisfaction_share", "online_procedure_share", "online_payment_procedure_share",
    "internal_procedures_published_share", "full_online_procedure_share", "internal_e_transfer_share",
    "work_records_online_share", "digital_inspection_share", "eid_citizen_share",
    "dvc_level4_multi_device_share", "dvc_level4_shared_data_share", "task_completion_share",
    "public_unit_headcount", "public_unit_headcount_actual", "public_unit_budget_vnd",
    "index766_score", "index766_points_lost",  # project addition to v2 (issue #13)
})
OPERATORS = {">=", ">", "<=", "<"}
PARTS = {"objective", "target", "task", "solution"}
STATISTICS = {"mean", "value", "sum"}
TOP_KEYS = {"programme", "settings", "status_rules", "areas", "clauses"}
PROGRAMME_KEYS = {"title_vi", "decision", "start_year", "milestone_years", "structural_break"}
CLAUSE_KEYS = {"id", "area", "part", "year", "text_vi", "quantitative", "applies", "reason", "targets"}
AREA_IDS = ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III"]


# --------------------------------------------------------------------------- reading the text


def norm(text: str) -> str:
    """Whitespace normalisation, the only difference allowed between a quotation and the text."""
    return re.sub(r"\s+", " ", text).strip()


def bare(text: str) -> str:
    """A quotation or segment compared without its closing punctuation."""
    return norm(text).rstrip(".;").rstrip()


def programme_text() -> str:
    """The programme as given (below the marker of the project's copy)."""
    head, marker, body = TEXT.read_text(encoding="utf-8").partition(MARKER)
    assert marker, f"{TEXT} has no line {MARKER}"
    return body


def paragraphs(text: str) -> list[str]:
    """Paragraphs without Markdown emphasis or heading marks, whitespace normalised."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        p = norm(block.replace("*", "")).lstrip("#").strip()
        if p:
            out.append(p)
    return out


def starts_lower(p: str) -> bool:
    """A paragraph that continues the previous one (the text breaks some sentences across lines)."""
    return p[:1].islower()


def parse_structure(text: str) -> dict:
    """Areas, objectives, dated targets, tasks and section III's solutions, read from the text alone.

    >>> s = parse_structure("II. X\\n\\n1. Thể chế\\n\\na) Mục tiêu:\\n\\nA.\\n\\n- Đến năm 2025:\\n\\n+ 9% b;"
    ...                     " c\\n\\nd.\\n\\nb) Nhiệm vụ:\\n\\n- T1\\n\\nT2 tiếp\\n\\nIII. GIẢI PHÁP\\n\\n1. S1\\n\\nP1"
    ...                     "\\n\\nIV. KINH PHÍ")
    >>> s["areas"], s["objectives"], s["targets"]
    ([('II.1', 'Thể chế'), ('III', 'GIẢI PHÁP')], {'II.1': ['A.']}, [('II.1', 2025, '+ 9% b; c d.')])
    >>> s["tasks"], s["solutions"]
    ({'II.1': ['T1', 'T2 tiếp']}, [('solution', 'S1'), ('task', 'P1')])
    """
    paras = paragraphs(text)
    areas: list[tuple[str, str]] = []
    objectives: dict[str, list[str]] = {}
    targets: list[tuple[str, int, str]] = []
    tasks: dict[str, list[str]] = {}
    solutions: list[tuple[str, str]] = []
    section = area = mode = None
    year = 0
    for p in paras:
        roman = re.match(r"^(I|II|III|IV|V)\. (.+)$", p)
        if roman:
            section = roman.group(1)
            area = mode = None
            if section == "III":
                areas.append(("III", roman.group(2)))
            continue
        numbered = re.match(r"^(\d+)\. (.+)$", p)
        if section == "II":
            if numbered:
                n = int(numbered.group(1))
                area = f"II.{n}" if n <= 6 else None
                mode = None
                if area:
                    areas.append((area, numbered.group(2)))
                continue
            if area is None:
                continue
            if re.match(r"^[a-z]\) ", p):
                mode = "objective" if "Mục tiêu" in p else "task"
                continue
            dated = re.match(r"^(?:- )?Đến năm (\d{4}):$", p)
            if dated:
                mode, year = "target", int(dated.group(1))
                continue
            inline = re.match(r"^Đến năm (\d{4}),", p)
            if mode == "objective" and inline:
                targets.append((area, int(inline.group(1)), p))
            elif mode == "objective":
                objectives.setdefault(area, []).append(p)
            elif mode == "target":
                if starts_lower(p) and targets:
                    a, y, previous = targets[-1]
                    targets[-1] = (a, y, f"{previous} {p}")
                else:
                    targets.append((area, year, p))
            elif mode == "task":
                items = tasks.setdefault(area, [])
                if starts_lower(p) and items:
                    items[-1] = f"{items[-1]} {p}"
                else:
                    items.append(p.removeprefix("- "))
        elif section == "III":
            if numbered:
                solutions.append(("solution", numbered.group(2)))
            elif starts_lower(p) and solutions:
                part, previous = solutions[-1]
                solutions[-1] = (part, f"{previous} {p}")
            else:
                solutions.append(("task", p))
    return {"areas": areas, "objectives": objectives, "targets": targets, "tasks": tasks,
            "solutions": solutions}


def target_segments(structure: dict) -> list[tuple[str, int, str]]:
    """Every dated target of section II: a bullet, or each part of a bullet that lists several with ";".

    >>> target_segments({"targets": [("II.6", 2025, "+ 100% a; 90% b (c); d.")]})
    [('II.6', 2025, '100% a'), ('II.6', 2025, '90% b (c)'), ('II.6', 2025, 'd')]
    """
    out = []
    for area, year, bullet in structure["targets"]:
        body = re.sub(r"^(?:- )?\+ ", "", bullet)
        out.extend((area, year, bare(part)) for part in body.split(";") if bare(part))
    return out


# --------------------------------------------------------------------------- the checks


def check_schema(reg: dict) -> list[str]:
    """The registry keeps exactly the agreed schema."""
    problems = []
    if set(reg) != TOP_KEYS:
        problems.append(f"top-level keys {sorted(reg)}")
    if set(reg.get("programme") or {}) != PROGRAMME_KEYS:
        problems.append(f"programme keys {sorted(reg.get('programme') or {})}")
    for area in reg.get("areas") or []:
        if set(area) != {"id", "title_vi"}:
            problems.append(f"area keys {sorted(area)}")
    for clause in reg.get("clauses") or []:
        if set(clause) != CLAUSE_KEYS:
            problems.append(f"{clause.get('id')}: keys {sorted(clause)}")
        if clause.get("part") not in PARTS:
            problems.append(f"{clause.get('id')}: part {clause.get('part')!r}")
        if clause.get("area") not in AREA_IDS:
            problems.append(f"{clause.get('id')}: area {clause.get('area')!r}")
    return problems


def check_verbatim(reg: dict, text: str) -> list[str]:
    """Every quotation (and the programme's title and decision) appears in the text."""
    whole = norm(text)
    problems = [f"{c['id']}: text_vi is not in the programme's text" for c in reg["clauses"]
                if not norm(c["text_vi"]) or norm(c["text_vi"]) not in whole]
    plain = norm(text.replace("*", "")).casefold()
    if norm(reg["programme"]["title_vi"]).casefold() not in plain:
        problems.append("the programme's title is not in the text")
    number = re.search(r"\d+/QĐ-SCT ngày \d{2}/\d{2}/\d{4}", reg["programme"]["decision"])
    if not number or f"Quyết định số {number.group(0)}" not in whole:
        problems.append("the decision is not the one the text names")
    return problems


def check_areas(reg: dict, structure: dict) -> list[str]:
    """The areas are the text's six contents of section II and section III, in order, headings verbatim."""
    have = [(a["id"], a["title_vi"]) for a in reg["areas"]]
    return [] if have == structure["areas"] else [f"areas {have} != the text's {structure['areas']}"]


def check_clause_order(reg: dict) -> list[str]:
    """Clauses are grouped by area in the programme's order."""
    order = [a["id"] for a in reg["areas"]]
    seen = [c["area"] for c in reg["clauses"]]
    ranks = [order.index(a) if a in order else -1 for a in seen]
    return [] if ranks == sorted(ranks) and -1 not in ranks else ["clauses are not in the areas' order"]


def check_ids(reg: dict) -> list[str]:
    """Ids are unique, readable and start with their area."""
    problems = []
    ids = [c["id"] for c in reg["clauses"]]
    problems += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for c in reg["clauses"]:
        readable = re.fullmatch(r"(II\.[1-6]|III)(\.[1-9])?(-[a-z0-9]+)*", str(c["id"]))
        if not readable:
            problems.append(f"{c['id']}: not a readable id")
        elif readable.group(1) != c["area"]:
            problems.append(f"{c['id']}: does not start with its area {c['area']}")
    return problems


def check_objectives_and_tasks(reg: dict, structure: dict) -> list[str]:
    """Each area's "Mục tiêu" paragraph and every "Nhiệm vụ" bullet is a clause, in the text's order."""
    problems = []
    for area in AREA_IDS[:-1]:
        want = structure["objectives"].get(area, [])
        have = [norm(c["text_vi"]) for c in reg["clauses"] if c["area"] == area and c["part"] == "objective"]
        if have != ([" ".join(want)] if want else []):
            problems.append(f"{area}: objective clauses {have} != the text's {want}")
        tasks = [norm(c["text_vi"]) for c in reg["clauses"] if c["area"] == area and c["part"] == "task"]
        if tasks != structure["tasks"].get(area, []):
            problems.append(f"{area}: task clauses differ from the text's Nhiệm vụ bullets")
    have3 = [(c["part"], norm(c["text_vi"])) for c in reg["clauses"] if c["area"] == "III"]
    if have3 != structure["solutions"]:
        problems.append("III: solutions and their paragraphs differ from the text")
    return problems


def check_targets_complete(reg: dict, structure: dict) -> list[str]:
    """Every dated target of section II is a clause (area, year) quoting it, and nothing else is a target;
    every percentage of a target is the value (or the reduction) of a target, or the clause does not
    apply and its reason names the percentage."""
    problems = []
    segments = target_segments(structure)
    clauses = [c for c in reg["clauses"] if c["part"] == "target"]
    for area, year, seg in segments:
        quoting = [c for c in clauses if bare(c["text_vi"]) == seg]
        if not any(c["area"] == area and c["year"] == year for c in quoting):
            problems.append(f"{area} {year}: no target clause quotes «{seg[:60]}…»")
            continue
        if "%" in seg and not all(c["quantitative"] for c in quoting):
            problems.append(f"{area} {year}: «{seg[:40]}…» states a number but a clause quoting it is qualitative")
        for pct in re.findall(r"(\d+)%", seg):
            share = int(pct) / 100
            found = False
            for c in quoting:
                if not c["applies"]:
                    found |= f"{pct}%" in (c["reason"] or "")
                for t in c["targets"]:
                    factor = (t.get("baseline") or {}).get("factor")
                    found |= t.get("value") == pytest.approx(share)
                    found |= factor is not None and "giảm" in seg and factor == pytest.approx(1 - share)
            if not found:
                problems.append(f"{area} {year}: the {pct}% of «{seg[:40]}…» is judged by no target")
    known = {seg for _, _, seg in segments}
    problems += [f"{c['id']}: a target clause that is no dated target of section II" for c in clauses
                 if bare(c["text_vi"]) not in known]
    return problems


def check_targets_valid(reg: dict) -> list[str]:
    """Targets name contract indicators with a valid operator and exactly one kind of target value;
    quantitative clauses that apply have targets, the others none; reductions use < or <=."""
    problems = []
    settings = reg.get("settings") or {}
    milestone_years = reg["programme"]["milestone_years"]
    for c in reg["clauses"]:
        where = c["id"]
        if c["part"] == "target" and c["year"] not in milestone_years:
            problems.append(f"{where}: a target without a milestone year")
        if c["part"] != "target" and c["year"] is not None:
            problems.append(f"{where}: only targets have a year")
        if c["applies"] is not True and c["applies"] is not False:
            problems.append(f"{where}: applies must be true or false")
        if c["applies"] is False and not (isinstance(c["reason"], str) and len(c["reason"].split()) >= 5):
            problems.append(f"{where}: does not apply but gives no reason")
        if c["applies"] is True and c["reason"] is not None:
            problems.append(f"{where}: applies, so it needs no reason")
        should_have = bool(c["quantitative"]) and c["applies"] is True
        if bool(c["targets"]) != should_have:
            problems.append(f"{where}: targets {'missing' if should_have else 'where none belong'}")
        for t in c["targets"] or []:
            if t.get("indicator") not in CONTRACT_INDICATOR_IDS:
                problems.append(f"{where}: unknown indicator {t.get('indicator')!r}")
            if t.get("operator") not in OPERATORS:
                problems.append(f"{where}: invalid operator {t.get('operator')!r}")
            falling = "giảm" in c["text_vi"]
            if t.get("operator") in OPERATORS and (t["operator"].startswith("<") != falling):
                problems.append(f"{where}: operator {t['operator']} against the clause's direction")
            has = [k for k in ("value", "setting", "baseline") if t.get(k) is not None]
            if has not in (["value"], ["setting"], ["baseline"], ["setting", "baseline"]):
                problems.append(f"{where}: target needs a value, a setting or a baseline, has {has}")
            if "value" in has and not (0 < t["value"] <= 1):
                problems.append(f"{where}: share {t['value']} outside 0-1")
            if "setting" in has and t["setting"] not in settings:
                problems.append(f"{where}: unknown setting {t['setting']!r}")
            base = t.get("baseline")
            if base is not None:
                years = base.get("years")
                if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)
                        and years[0] <= years[1]):
                    problems.append(f"{where}: baseline years must be [first, last]")
                if base.get("statistic") not in STATISTICS:
                    problems.append(f"{where}: baseline statistic {base.get('statistic')!r}")
                if base.get("factor") is None and "setting" not in has:
                    problems.append(f"{where}: baseline without a factor")
    return problems


# --------------------------------------------------------------------------- fixtures and tests


@pytest.fixture(scope="module")
def reg() -> dict:
    return yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def text() -> str:
    return programme_text()


@pytest.fixture(scope="module")
def structure(text) -> dict:
    return parse_structure(text)


def by_id(reg: dict, clause_id: str) -> dict:
    return next(c for c in reg["clauses"] if c["id"] == clause_id)


def test_the_text_is_read_as_the_programme_is_built(structure):
    """The parser sees what a reader sees: 6 areas and section III, the dated targets, the tasks."""
    assert [a for a, _ in structure["areas"]] == AREA_IDS
    assert {a: len(v) for a, v in structure["tasks"].items()} == {
        "II.1": 5, "II.2": 5, "II.3": 3, "II.4": 7, "II.5": 2, "II.6": 2}
    years = [(a, y) for a, y, _ in structure["targets"]]
    assert years.count(("II.2", 2025)) == 8 and years.count(("II.2", 2030)) == 3
    assert years.count(("II.3", 2025)) == 2 and years.count(("II.3", 2030)) == 2
    assert ("II.5", 2030) in years and years.count(("II.6", 2025)) == 2 and years.count(("II.6", 2030)) == 1
    assert [p for p, _ in structure["solutions"]].count("solution") == 7


def test_schema(reg):
    assert check_schema(reg) == []


def test_every_quotation_is_verbatim(reg, text):
    assert check_verbatim(reg, text) == []


def test_areas_in_the_programmes_order_with_their_headings(reg, structure):
    assert check_areas(reg, structure) == []
    assert check_clause_order(reg) == []


def test_ids_unique_and_readable(reg):
    assert check_ids(reg) == []


def test_every_objective_task_and_solution_is_a_clause(reg, structure):
    assert check_objectives_and_tasks(reg, structure) == []


def test_every_dated_target_of_section_ii_is_a_clause(reg, structure):
    assert check_targets_complete(reg, structure) == []


def test_targets_are_valid(reg):
    assert check_targets_valid(reg) == []


def test_key_readings_of_the_contract(reg):
    """The mappings docs/contract.md v2 section 4 prescribes, worked out by hand from the clauses."""
    def targets(cid):
        return {(t["indicator"], t["operator"], t.get("value")) for t in by_id(reg, cid)["targets"]}

    assert targets("II.2-2025-online-procedures") == {("online_procedure_share", ">=", 1.0)}
    assert targets("II.2-2025-payment") == {("online_payment_procedure_share", ">=", 1.0),
                                            ("online_payment_share", ">=", 0.30)}
    assert targets("II.2-2030-payment") == {("online_payment_procedure_share", ">=", 1.0),
                                            ("online_payment_share", ">=", 0.50)}
    assert targets("II.2-2025-internal-procedures-published") == {
        ("internal_procedures_published_share", ">=", 1.0)}
    assert targets("II.2-2030-eid") == {("eid_applicant_share", ">=", 0.90)}
    assert targets("II.6-2025-eid") == {("eid_applicant_share", ">=", 1.0)}
    assert targets("II.6-2025-level4-multi-device") == {("dvc_level4_multi_device_share", ">=", 1.0)}
    assert targets("II.6-2030-level4-shared-data") == {("dvc_level4_shared_data_share", ">=", 1.0)}
    head = by_id(reg, "II.3-2030-headcount")["targets"][0]
    assert head["indicator"] == "public_unit_headcount"
    assert head["baseline"] == {"years": [2025, 2025], "statistic": "value", "factor": 0.90}
    budget = by_id(reg, "II.5-2030-budget")["targets"][0]
    assert budget["indicator"] == "public_unit_budget_vnd" and budget["operator"] == "<="
    assert budget["baseline"] == {"years": [2021, 2025], "statistic": "mean", "factor": 0.85}
    assert {c["id"] for c in reg["clauses"] if c["applies"] is False} == {
        "II.6-2025-work-records-district", "II.6-2025-work-records-commune"}


def test_settings_and_status_rules_carry_over(reg):
    assert "result_digitized_target_2025" in reg["settings"]
    assert reg["settings"]["result_digitized_target_2025"] is None
    assert reg["programme"]["milestone_years"] == [2025, 2030]
    assert reg["programme"]["structural_break"] == "2025-07-01"
    assert {"path", "baseline_year", "at_risk_band_share", "at_risk_band_relative"} <= set(reg["status_rules"])


def test_the_indicator_ids_written_here_are_the_contracts():
    """The ids above are the first column of docs/contract.md section 4's table (some cells list several)."""
    contract = PROJECT_CONTRACT.read_text(encoding="utf-8")
    section = contract.split("## 4.", 1)[1].split("\n## ", 1)[0]
    ids = set()
    rows = section.split("| --- |", 1)[1].splitlines()[1:]  # the table's rows, below its header
    for line in rows:
        cells = line.split("|")
        if len(cells) > 2:
            ids |= set(re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", cells[1]))
    mentioned = set(re.findall(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`", section))
    assert CONTRACT_INDICATOR_IDS == ids | (mentioned & {"public_unit_headcount_actual"})


@pytest.mark.skipif(not SHARED_TEXT.is_file(), reason="../shared/programme is absent")
def test_the_projects_copy_is_the_text_as_given():
    assert programme_text().strip() == SHARED_TEXT.read_text(encoding="utf-8").strip()


# --------------------------------------------------------------------------- the checks bite


def broken(reg: dict, change) -> dict:
    out = copy.deepcopy(reg)
    change(out)
    return out


def _reword(r):
    by_id(r, "II.2-2025-payment")["text_vi"] = by_id(r, "II.2-2025-payment")["text_vi"].replace("30%", "35%")


def _drop_target(r):
    r["clauses"] = [c for c in r["clauses"] if c["id"] != "II.6-2025-digital-inspection"]


def _wrong_value(r):
    by_id(r, "II.3-2030-satisfaction")["targets"][0]["value"] = 0.90


def _wrong_year(r):
    by_id(r, "II.2-2030-satisfaction")["year"] = 2025


def _swap_areas(r):
    r["areas"][1], r["areas"][2] = r["areas"][2], r["areas"][1]


def _drop_task(r):
    r["clauses"] = [c for c in r["clauses"] if c["id"] != "II.4-task-3"]


def _drop_solution_paragraph(r):
    r["clauses"] = [c for c in r["clauses"] if c["id"] != "III.6-task-3"]


@pytest.mark.parametrize(("change", "check"), [
    (_reword, "verbatim"), (_reword, "targets_complete"), (_drop_target, "targets_complete"),
    (_wrong_value, "targets_complete"), (_wrong_year, "targets_complete"), (_swap_areas, "areas"),
    (_drop_task, "objectives_and_tasks"), (_drop_solution_paragraph, "objectives_and_tasks"),
])
def test_text_checks_bite(reg, text, structure, change, check):
    bad = broken(reg, change)
    run = {"verbatim": lambda r: check_verbatim(r, text), "areas": lambda r: check_areas(r, structure),
           "targets_complete": lambda r: check_targets_complete(r, structure),
           "objectives_and_tasks": lambda r: check_objectives_and_tasks(r, structure)}[check]
    assert run(reg) == [] and run(bad) != []


def _set(cid, key, value, target=None):
    def change(r):
        obj = by_id(r, cid) if target is None else by_id(r, cid)["targets"][target]
        obj[key] = value
    return change


@pytest.mark.parametrize("change", [
    _set("II.2-2025-payment", "indicator", "online_payments_share", target=1),     # unknown indicator
    _set("II.2-2025-payment", "operator", "=>", target=1),                         # invalid operator
    _set("II.3-2030-headcount", "operator", ">=", target=0),                       # against "giảm"
    _set("II.6-2025-work-records-district", "reason", None),                       # no reason
    _set("II.6-2025-work-records-province", "targets", []),                         # quantitative, no target
    _set("II.2-2025-once-only", "targets", [{"indicator": "dossier_online_share", "operator": ">=",
                                             "value": 1.0}]),                       # qualitative with one
    _set("II.2-2025-result-digitized", "setting", "digitized_roadmap", target=0),   # unknown setting
    _set("II.5-2030-budget", "baseline", {"years": [2021], "statistic": "mean", "factor": 0.85}, target=0),
    _set("II.1-task-1", "year", 2025),                                              # a task with a year
])
def test_target_checks_bite(reg, change):
    assert check_targets_valid(reg) == []
    assert check_targets_valid(broken(reg, change)) != []


@pytest.mark.parametrize("change", [
    lambda r: r["clauses"].append(copy.deepcopy(by_id(r, "II.1-task-1"))),          # duplicate id
    _set("II.1-task-1", "id", "II.1 task 1"),                                        # unreadable
    _set("II.1-task-1", "id", "II.2-task-9"),                                        # not its area
])
def test_id_checks_bite(reg, change):
    assert check_ids(reg) == []
    assert check_ids(broken(reg, change)) != []


def test_schema_check_bites(reg):
    assert check_schema(broken(reg, lambda r: by_id(r, "II.1-task-1").update(lead_unit="VP"))) != []
    assert check_schema(broken(reg, lambda r: r["programme"].pop("structural_break"))) != []
    assert check_schema(broken(reg, _set("II.1-task-1", "part", "goal"))) != []
