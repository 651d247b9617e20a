"""The milestone registry is complete, consistent with the contract, and its validator bites."""

from __future__ import annotations

import pytest

from cchc_analysis import milestones


@pytest.fixture()
def reg():
    return milestones.load_registry()


def test_registry_is_valid(reg):
    assert milestones.validate(reg) == []


def test_every_contract_indicator_is_in_the_registry(reg):
    assert set(reg["indicators"]) == set(milestones.CONTRACT_INDICATORS)


# The table of the foundation issue: (indicator, year) -> absolute target value.
ABSOLUTE_TARGETS = {
    ("internal_e_transfer_share", 2025): 0.80,
    ("online_payment_share", 2025): 0.30,
    ("online_payment_share", 2030): 0.50,
    ("full_online_procedure_share", 2025): 1.0,
    ("full_online_procedure_share", 2030): 1.0,
    ("satisfaction_share", 2025): 0.90,
    ("satisfaction_share", 2030): 0.95,
    ("internal_procedures_published_share", 2025): 1.0,
    ("eid_citizen_share", 2030): 0.90,
    ("survey_satisfaction_share", 2025): 0.90,
    ("survey_satisfaction_share", 2030): 0.95,
    ("work_records_online_share", 2025): 0.90,
    ("digital_inspection_share", 2025): 0.50,
    ("digital_inspection_share", 2030): 0.70,
    ("eid_verified_share", 2025): 1.0,
}


@pytest.mark.parametrize(("key", "expected"), sorted(ABSOLUTE_TARGETS.items()))
def test_absolute_targets_match_the_programme(reg, key, expected):
    ind, year = key
    targets = {t["year"]: t for t in reg["indicators"][ind]["targets"]}
    assert targets[year]["value"] == pytest.approx(expected)
    assert targets[year]["operator"] == ">="


def test_relative_targets(reg):
    budget = {t["year"]: t for t in reg["indicators"]["public_unit_budget_vnd"]["targets"]}[2030]
    history = {2021: 10.0, 2022: 12.0, 2023: 14.0, 2024: 16.0, 2025: 18.0}
    assert milestones.target_value(budget, history) == pytest.approx(0.85 * 14.0)
    head = {t["year"]: t for t in reg["indicators"]["public_unit_headcount"]["targets"]}
    assert milestones.target_value(head[2030], {2025: 50}) == pytest.approx(45.0)
    assert milestones.target_value(head[2025], {2021: 30}, reg["settings"]) == pytest.approx(30.0)
    assert head[2025]["operator"] == "<"


def test_roadmap_setting_without_a_number_gives_no_target(reg):
    digit = reg["indicators"]["result_digitized_share"]["targets"][0]
    assert milestones.target_value(digit, {}, reg["settings"]) is None
    assert milestones.target_value(digit, {}, {"result_digitized_target_2025": 0.6}) == pytest.approx(0.6)


def test_monitoring_indicators_have_no_target(reg):
    for ind in ("dossier_online_share", "dossier_full_online_share", "dossier_on_time_share"):
        assert reg["indicators"][ind]["targets"] == []


def test_every_target_names_a_clause_with_vietnamese_text(reg):
    for ind, spec in reg["indicators"].items():
        for target in spec["targets"]:
            assert target["clause"].startswith("II."), ind
            assert any(ch in target["clause_text"] for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ"), ind


def test_qualitative_targets_are_listed(reg):
    ids = {q["id"] for q in reg["qualitative"]}
    assert {"once_only_documents", "open_data_platform", "shared_data_warehouse"} <= ids


def test_validator_rejects_a_target_without_clause(reg):
    reg["indicators"]["online_payment_share"]["targets"][1]["clause"] = ""
    assert milestones.validate(reg) == ["online_payment_share: the 2030 target has no clause"]


def test_validator_rejects_an_unknown_indicator(reg):
    reg["indicators"]["made_up_share"] = dict(reg["indicators"]["satisfaction_share"])
    assert milestones.validate(reg) == ["made_up_share: unknown indicator id (not in docs/contract.md section 4)"]


def test_validator_rejects_a_missing_direction(reg):
    del reg["indicators"]["public_unit_budget_vnd"]["direction"]
    assert milestones.validate(reg) == ["public_unit_budget_vnd: missing direction"]


def test_validator_rejects_a_wrong_direction_and_missing_indicator(reg):
    reg["indicators"]["satisfaction_share"]["direction"] = "up"
    del reg["indicators"]["eid_citizen_share"]
    problems = milestones.validate(reg)
    assert "eid_citizen_share: indicator of the contract missing from the registry" in problems
    assert any(p.startswith("satisfaction_share: direction must be") for p in problems)


def test_validator_rejects_a_target_with_nothing_to_measure(reg):
    target = reg["indicators"]["satisfaction_share"]["targets"][0]
    del target["value"]
    assert milestones.validate(reg) == [
        "satisfaction_share: the 2025 target has neither a value, a baseline rule nor a setting"]
