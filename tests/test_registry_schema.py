"""Every registry file has the shape the code expects, and the validator of indicators and clauses bites."""

from __future__ import annotations

import copy

import pytest

from cchc_analysis import milestones, registry

# docs/contract.md section 4 (v2): every indicator id with its unit.
CONTRACT_V2 = {
    "dossier_online_share": "share", "dossier_full_online_share": "share", "dossier_on_time_share": "share",
    "online_payment_share": "share", "result_digitized_share": "share", "eid_verified_share": "share",
    "eid_applicant_share": "share", "satisfaction_share": "share", "survey_satisfaction_share": "share",
    "online_procedure_share": "share", "online_payment_procedure_share": "share",
    "internal_procedures_published_share": "share", "full_online_procedure_share": "share",
    "internal_e_transfer_share": "share", "work_records_online_share": "share",
    "digital_inspection_share": "share", "eid_citizen_share": "share", "dvc_level4_multi_device_share": "share",
    "dvc_level4_shared_data_share": "share", "task_completion_share": "share", "public_unit_headcount": "persons",
    "public_unit_headcount_actual": "persons", "public_unit_budget_vnd": "vnd",
    "index766_score": "points", "index766_points_lost": "points",  # project addition (issue #13)
}


@pytest.fixture()
def reg():
    return milestones.load_registry()


def test_packaged_registry_is_valid_and_covers_the_contract(reg):
    assert milestones.validate(reg) == []
    assert {i: s["unit"] for i, s in reg["indicators"].items()} == CONTRACT_V2


@pytest.mark.parametrize("name", ["indicators", "programme", "columns", "vocab", "units"])
def test_every_registry_file_is_a_mapping_of_the_expected_sections(name):
    data = registry.load(name)
    expected = {"indicators": {"indicators"}, "programme": {"programme", "settings", "status_rules", "areas",
                                                            "clauses"},
                "units": {"merges"}}.get(name, set())
    assert isinstance(data, dict) and data and expected <= set(data)


def test_columns_and_vocab_hold_lists_of_text():
    for name in ("columns", "vocab"):
        for section, entries in registry.load(name).items():
            assert isinstance(entries, dict | list), (name, section)


def test_programme_areas_in_order_and_clause_ids_unique(reg):
    assert [a["id"] for a in reg["areas"]] == ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III"]
    ids = [c["id"] for c in reg["clauses"]]
    assert len(ids) == len(set(ids))


def test_targets_come_from_clauses(reg):
    # worked by hand from the clauses: online payment 30% in 2025 and 50% in 2030, both in II.2
    pay = reg["indicators"]["online_payment_share"]["targets"]
    assert [(t["year"], t["value"], t["clause"]) for t in pay] == [(2025, 0.30, "II.2"), (2030, 0.50, "II.2")]
    assert all(t["clause_text"] and t["clause_id"] for i in reg["indicators"].values() for t in i["targets"])
    assert reg["indicators"]["full_online_procedure_share"]["targets"] == []  # monitoring in v2


def test_validator_rejects_an_unknown_method(reg):
    reg["indicators"]["satisfaction_share"]["method"] = "guess"
    assert milestones.validate(reg) == ["satisfaction_share: unknown method guess"]


def test_validator_rejects_a_clause_naming_an_unknown_indicator(reg):
    reg["clauses"][0]["targets"].append({"indicator": "nobody_share", "operator": ">=", "value": 1})
    assert any("unknown indicator nobody_share" in p for p in milestones.validate(reg))


def test_validator_rejects_a_target_without_a_clause(reg):
    reg["indicators"]["dossier_online_share"]["targets"] = [{"year": 2025, "operator": ">=", "value": 0.5}]
    assert any("target without a clause" in p for p in milestones.validate(reg))


def test_validator_rejects_bad_ratio_inputs_and_units(reg):
    spec = reg["indicators"]["online_payment_share"]
    spec["numerator"] = {"scope": "resolved", "flags": ["paid_online", "teleported"]}
    reg["indicators"]["dossier_online_share"]["unit"] = "percent"
    problems = milestones.validate(reg)
    assert "online_payment_share: unknown numerator flag teleported" in problems
    assert "online_payment_share: numerator and denominator must share one scope" in problems
    assert "online_payment_share: the numerator must keep every flag of the denominator" in problems
    assert any(p.startswith("dossier_online_share: unit must be one of") for p in problems)


def test_validator_rejects_a_target_with_nothing_to_measure_and_unknown_setting(reg):
    clause = next(c for c in reg["clauses"] if c["targets"])
    clause["targets"] = [{"indicator": "satisfaction_share", "operator": ">="},
                         {"indicator": "satisfaction_share", "operator": "~", "setting": "nowhere"}]
    problems = milestones.validate(reg)
    assert any("neither a value" in p for p in problems)
    assert any("no valid operator" in p for p in problems)
    assert any("unknown setting nowhere" in p for p in problems)


def test_two_clauses_for_one_year_give_one_consistent_status():
    spec = {"targets": [{"year": 2025, "operator": ">=", "value": 0.8}, {"year": 2025, "operator": ">=", "value": 0.9}]}
    assert milestones.next_target(copy.deepcopy(spec), 2024)["value"] == 0.9
