"""Generated Vietnamese readings: every number comes from the table; status words are right."""

from __future__ import annotations

import re

import pandas as pd
from chart_data import amounts_table, evaluations, satisfaction_table

from cchc_analysis import formatting as fmt
from cchc_analysis import indicators, milestones, narrative

PERCENT = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?%")


def row(table, ind, period, breakdown="all"):
    return table[(table.indicator_id == ind) & (table.period == period) & (table.breakdown == breakdown)].iloc[0]


def test_met_reading_uses_the_table_numbers():
    table = satisfaction_table()
    text = narrative.describe_indicator(table, "satisfaction_share", 2025)
    r, prev = row(table, "satisfaction_share", "2025"), row(table, "satisfaction_share", "2024")
    assert text.startswith("Năm 2025, mức độ hài lòng về giải quyết TTHC đạt 92,0% (n = 250 phiếu)")
    assert fmt.percent(r.value) in text and fmt.number(r.denominator) in text
    assert f"So với năm 2024 ({fmt.percent(prev.value)}), tăng {fmt.points(r.value - prev.value, sign=False)}" in text
    assert "đạt mốc 2025 (≥ 90,0%)" in text
    assert f"trạng thái: {milestones.STATUS_WORDS_VI['met']}." in text
    assert "Để đạt mốc 2030 (≥ 95,0%) cần tăng thêm 3,0 điểm %" in text
    allowed = {fmt.percent(v) for v in (r.value, prev.value, 0.90, 0.95)}
    assert set(PERCENT.findall(text)) <= allowed


def test_off_track_and_at_risk_words():
    # 2021: 80%; 2024: path = 0.80 + 0.10 * 3/4 = 0.875
    off = indicators.compute({"evaluations": evaluations({"2021-01-05": (80, 100), "2024-01-05": (75, 100)})})
    assert "trạng thái: Chậm so với lộ trình." in narrative.describe_indicator(off, "satisfaction_share", 2024)
    assert "còn thiếu 15,0 điểm %" in narrative.describe_indicator(off, "satisfaction_share", 2024)
    risk = indicators.compute({"evaluations": evaluations({"2021-01-05": (80, 100), "2024-01-05": (85, 100)})})
    assert "trạng thái: Có nguy cơ không đạt." in narrative.describe_indicator(risk, "satisfaction_share", 2024)
    on = indicators.compute({"evaluations": evaluations({"2021-01-05": (80, 100), "2024-01-05": (88, 100)})})
    assert "trạng thái: Đúng lộ trình." in narrative.describe_indicator(on, "satisfaction_share", 2024)


def test_period_reading_compares_with_the_same_period_a_year_before():
    table = satisfaction_table()
    text = narrative.describe_indicator(table, "satisfaction_share", 2025, period="2025-H1")
    assert text.startswith("6 tháng đầu năm 2025, mức độ hài lòng")
    assert "So với 6 tháng đầu năm 2024 (89,0%)" in text


def test_no_data_and_no_target():
    table = satisfaction_table()
    assert narrative.describe_indicator(table, "satisfaction_share", 2025, period="2025-Q3") == (
        "Quý III/2025, chưa có số liệu về mức độ hài lòng về giải quyết TTHC.")
    d = pd.DataFrame({"dossier_id": ["a"], "field": ["Điện"], "unit": [None], "channel": ["online"],
                      "service_level": ["full"], "received_at": pd.to_datetime(["2025-01-02"]), "due_at": pd.NaT,
                      "resolved_at": pd.NaT, "status": ["in_progress"]})
    text = narrative.describe_indicator(indicators.compute({"dossiers": d}), "dossier_online_share", 2025)
    assert "đạt 100,0% (n = 1 hồ sơ); chỉ số theo dõi, không có mốc của Chương trình." in text


def test_breakdown_names_weakest_and_strongest():
    ev = evaluations({"2025-02-01": (95, 100)}, dossier_ids=[f"d{i}" for i in range(100)])
    ev.loc[:59, "dossier_id"] = [f"d{i}" for i in range(60)]
    fields = ["Điện"] * 40 + ["Hóa chất"] * 30 + ["Xăng dầu"] * 30
    d = pd.DataFrame({"dossier_id": [f"d{i}" for i in range(100)], "field": fields, "channel": "online",
                      "service_level": "full", "received_at": pd.Timestamp("2025-01-02"), "due_at": pd.NaT,
                      "resolved_at": pd.NaT, "status": "in_progress"})
    ev["overall"] = ["dissatisfied" if i in (40, 41, 42, 43, 70) else "satisfied" for i in range(100)]
    table = indicators.compute({"evaluations": ev, "dossiers": d})
    text = narrative.describe_breakdown(table, "satisfaction_share", "2025", "field", k=1)
    assert text == ("Năm 2025, mức độ hài lòng về giải quyết TTHC theo lĩnh vực: thấp nhất là Hóa chất "
                    "(86,7%, n = 30 phiếu); cao nhất là Điện (100,0%, n = 40 phiếu). "
                    "1/3 lĩnh vực chưa đạt mốc 2025 (≥ 90,0%).")


def test_amount_reading_gives_the_rate_still_needed():
    table, budget = amounts_table()
    text = narrative.describe_amount(table, "public_unit_budget_vnd", 2025, budget=budget)
    rate = milestones.required_annual_change(16e9, 0.85 * 18e9, 5)
    assert text.startswith("Năm 2025, chi trực tiếp từ NSNN cho đơn vị sự nghiệp công lập là 16,0 tỷ đồng")
    assert f"cần giảm bình quân {fmt.number(abs(rate) * 100, 1)}%/năm giai đoạn 2026–2030" in text
    assert "bình quân 2021–2025: 18,0 tỷ đồng" in text
    assert "Dự toán năm 2026: 15,5 tỷ đồng." in text
    assert "So với năm 2024 (17,0 tỷ đồng), giảm 5,9%." in text


def test_amount_reading_before_the_baseline_year_uses_no_later_data():
    table, _ = amounts_table()
    text = narrative.describe_amount(table, "public_unit_headcount", 2023)
    assert "46 người" not in text            # the 2025 value is not known in 2023
    assert "mốc 2025 (< 50 người)" in text


def test_criteria_coverage_and_missing_tables():
    ev = evaluations({"2025-05-01": (9, 10)}, criteria={"c1": 9, "c2": 3})
    assert narrative.describe_criteria(ev, "2025") == (
        "Năm 2025, tiêu chí có tỷ lệ phiếu đạt điểm tối đa thấp nhất: Tiêu chí 2 (30,0%, n = 10 phiếu); "
        "cao nhất: Tiêu chí 1 (90,0%, n = 10 phiếu).")
    assert narrative.describe_criteria(None, "2025").endswith("chưa có phiếu đánh giá có điểm theo tiêu chí.")
    dossiers = pd.DataFrame({"dossier_id": ["a", "b"], "status": ["returned", "resolved"],
                             "resolved_at": pd.to_datetime(["2025-01-05", "2025-02-05"])})
    assert narrative.describe_coverage(dossiers, pd.DataFrame({"dossier_id": ["a"]}), "2025-Q1") == (
        "Quý I/2025, 1/2 hồ sơ đã giải quyết (50,0%) được người dân, doanh nghiệp đánh giá mức độ hài lòng.")
    assert narrative.missing_tables({"evaluations": ev}, ["evaluations"]) == ""
    assert "survey_responses.parquet" in narrative.missing_tables({}, ["survey_responses"])


def test_target_left_to_a_roadmap_is_not_called_a_monitoring_indicator():
    d = pd.DataFrame({"dossier_id": ["a"], "field": ["Điện"], "channel": ["online"], "service_level": ["full"],
                      "received_at": pd.to_datetime(["2025-01-02"]), "due_at": pd.NaT,
                      "resolved_at": pd.to_datetime(["2025-01-05"]), "status": ["returned"],
                      "result_digitized": [True]})
    text = narrative.describe_indicator(indicators.compute({"dossiers": d}), "result_digitized_share", 2025)
    assert "mốc của Chương trình chưa được lượng hóa" in text
