"""A measure whose target is measured from a baseline still running reads "Chưa đến kỳ đánh giá";
a measure without any target keeps "Không có chỉ tiêu". The indicator table keeps the contract's
six statuses (``no_target`` in both cases): only the words and the views' codes differ."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cchc_analysis import charts, docx_draft, indicators, milestones, narrative, scoreboard, views_programme  # noqa: E402

NOT_YET = "Chưa đến kỳ đánh giá"
NO_TARGET = "Không có chỉ tiêu"
BUDGET = "public_unit_budget_vnd"   # II.5 2030: ≤ 0.85 × the yearly mean of 2021–2025
#: State-budget spending by year (VND): the mean of 2021–2025 is 96 bn, the 2030 target 81.6 bn.
SPENT = {2021: 100e9, 2022: 98e9, 2023: 96e9, 2024: 94e9, 2025: 92e9, 2026: 90e9}


@pytest.fixture(scope="module")
def table():
    budget = pd.DataFrame([{"unit": "Trung tâm Khuyến công", "year": y, "category": "chi thường xuyên",
                            "funding": "state_budget", "stage": "actual", "amount_vnd": v} for y, v in SPENT.items()])
    computed = indicators.compute({"budget": budget})
    online = pd.DataFrame({"indicator_id": "dossier_online_share", "period": ["2024"], "breakdown": "all",
                           "numerator": [50.0], "denominator": [100.0], "value": [0.5], "unit": "share"})
    both = pd.concat([computed.drop(columns=["target_value", "target_year", "status"]), online], ignore_index=True)
    yield milestones.assess(both)
    plt.close("all")


def _status(table, ind, period):
    return table.loc[(table.indicator_id == ind) & (table.period == period) & (table.breakdown == "all"),
                     "status"].item()


def test_the_indicator_table_keeps_the_contract_vocabulary(table):
    for period in ["2021", "2023", "2025", "2021-2025"]:
        assert _status(table, BUDGET, period) == "no_target"
    assert _status(table, "dossier_online_share", "2024") == "no_target"
    # 2026: 90 bn against the path from 92 bn (2025) to 81.6 bn (2030): 92 - 10.4 / 5 = 89.92 bn, within 5%
    assert _status(table, BUDGET, "2026") == "at_risk"


def test_shown_status_tells_a_running_baseline_from_a_measure_without_target(table):
    reg = milestones.load_registry()
    assert milestones.shown_status("no_target", BUDGET, "2021-2025", reg) == "not_yet_due"
    assert milestones.shown_status("no_target", BUDGET, "2024-Q3", reg) == "not_yet_due"
    assert milestones.shown_status("no_target", BUDGET, "2026-2030", reg) == "no_target"
    assert milestones.shown_status("no_target", "dossier_online_share", "2024", reg) == "no_target"
    assert milestones.STATUS_WORDS_VI["not_yet_due"] == NOT_YET
    assert milestones.STATUS_WORDS_VI["no_target"] == NO_TARGET


def test_scoreboard_words_and_reading(table):
    board = scoreboard.scoreboard(table, year=2024).set_index("indicator_id")
    assert (board.loc[BUDGET, "status"], board.loc[BUDGET, "status_vi"]) == ("not_yet_due", NOT_YET)
    assert board.loc["dossier_online_share", "status_vi"] == NO_TARGET
    assert "1 chưa đến kỳ đánh giá" in scoreboard.reading(board.reset_index(), 2024)
    later = scoreboard.scoreboard(table, year=2026).set_index("indicator_id")
    assert later.loc[BUDGET, "status_vi"] == milestones.STATUS_WORDS_VI["at_risk"]


def test_narrative_says_not_yet_due_and_does_not_judge_against_the_2030_target(table):
    text = narrative.describe_amount(table, BUDGET, 2024)
    assert f"trạng thái: {NOT_YET} (năm 2024 thuộc kỳ gốc 2021–2025 mà mốc 2030 được tính từ đó)." in text
    assert "chưa đạt mốc" not in text and NO_TARGET not in text and "chờ lộ trình" not in text
    monitored = narrative.describe_indicator(table, "dossier_online_share", 2024)
    assert "không có mốc của Chương trình" in monitored and NOT_YET not in monitored


def test_chart_legend_uses_the_shown_words(table):
    fig = charts.amount_trend(table, BUDGET, last_year=2025)
    texts = charts.figure_texts(fig)
    assert NOT_YET in texts and NO_TARGET not in texts
    assert any(f"Trạng thái năm 2025: {NOT_YET}" in t for t in texts)


def test_clause_view_and_draft_reading(table):
    clauses = views_programme.area_clauses(table, 2024).set_index("clause_id")
    budget = clauses.loc["II.5-2030-budget"]
    assert (budget["status"], budget["status_vi"]) == ("not_yet_due", NOT_YET)
    assert views_programme.area_clauses(table, 2026).set_index("clause_id").loc["II.5-2030-budget",
                                                                                 "status"] == "at_risk"
    lines = docx_draft.area_reading(clauses.reset_index()[lambda f: f["clause_id"] == "II.5-2030-budget"])
    assert lines[0] == "Trong 1 mục tiêu, chỉ tiêu của lĩnh vực: 1 chưa đến kỳ đánh giá."
