"""Chart functions: Vietnamese titles, milestones, status words, intervals; reproducible files."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from chart_data import SATISFACTION, amounts_table, evaluations, satisfaction_table  # noqa: E402
from matplotlib.container import ErrorbarContainer  # noqa: E402

from cchc_analysis import charts, indicators, milestones  # noqa: E402

REG = milestones.load_registry()


@pytest.fixture(autouse=True)
def _close_all():
    yield
    plt.close("all")


def line_labels(fig):
    return [line.get_label() for ax in fig.axes for line in ax.get_lines()]


def line_by_gid(fig, gid):
    return [line for ax in fig.axes for line in ax.get_lines() if line.get_gid() == gid]


def wilson_bars(fig):
    return [c for ax in fig.axes for c in ax.containers
            if isinstance(c, ErrorbarContainer) and c.get_label() == "Khoảng tin cậy 95% (Wilson)"]


def test_indicator_trend_has_title_milestones_path_break_status_and_intervals():
    table = satisfaction_table()
    fig = charts.indicator_trend(table, "satisfaction_share", data_date="2025-09-30", source="Phiếu đánh giá")
    texts = charts.figure_texts(fig)
    assert fig._suptitle.get_text() == REG["indicators"]["satisfaction_share"]["title_vi"]
    assert "Mốc 2025: ≥ 90,0%" in line_labels(fig) and "Mốc 2030: ≥ 95,0%" in line_labels(fig)
    assert "Mốc 2025: ≥ 90,0%" in texts                      # labelled on the chart, not only in the legend
    path = line_by_gid(fig, "path-2025")[0]
    assert list(path.get_ydata()) == pytest.approx([0.80, 0.90])   # from the 2021 value to the target
    assert line_by_gid(fig, "structural-break") and "Sáp nhập tỉnh 01/07/2025" in texts
    assert any("Trạng thái năm 2025: Đã đạt" in t for t in texts)
    assert milestones.STATUS_WORDS_VI["on_track"] in texts        # status words in the legend
    (bars,) = wilson_bars(fig)
    assert len(bars.lines[2][0].get_segments()) == 5
    assert "n = 250" in texts and "n = 200" in texts
    assert any("Nguồn: Phiếu đánh giá." in t and "30/09/2025" in t for t in texts)
    assert "Tỷ lệ (%)" in texts and "Năm" in texts
    assert "90%" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_indicator_trend_quarters_and_last_year():
    table = satisfaction_table()
    fig = charts.indicator_trend(table, "satisfaction_share", period_kind="quarter", first_year=2024, last_year=2024)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["Q1/2024", "Q2/2024", "Q3/2024", "Q4/2024"]
    assert any("Trạng thái quý I/2024" in t for t in charts.figure_texts(fig))


def test_indicator_trend_without_data_says_so():
    fig = charts.indicator_trend(indicators.compute({}), "satisfaction_share")
    assert any("Chưa có số liệu" in t for t in charts.figure_texts(fig))


def test_breakdown_puts_the_weakest_group_first_with_target_and_status():
    ev = evaluations({"2025-02-01": (45, 50), "2025-02-02": (30, 40)}, dossier_ids=[f"d{i}" for i in range(90)])
    dossiers = pd.DataFrame({"dossier_id": [f"d{i}" for i in range(90)],
                             "field": ["Điện"] * 50 + ["Hóa chất"] * 40,
                             "received_at": pd.Timestamp("2025-01-05"), "resolved_at": pd.NaT,
                             "status": "in_progress", "channel": "online", "service_level": "full",
                             "due_at": pd.NaT})
    table = indicators.compute({"evaluations": ev, "dossiers": dossiers})
    fig = charts.indicator_breakdown(table, "satisfaction_share", "2025", by="field")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Hóa chất", "Điện"]   # 75% before 90%
    assert fig._suptitle.get_text() == "Mức độ hài lòng về giải quyết TTHC"
    assert "Mốc 2025: ≥ 90,0%" in line_labels(fig)
    texts = charts.figure_texts(fig)
    assert "Đã đạt" in texts and "Chậm so với lộ trình" in texts
    assert "75,0% · n = 40 phiếu" in texts
    assert wilson_bars(fig)


def test_breakdown_by_aspect_uses_vietnamese_aspect_names():
    resp = pd.DataFrame({"respondent_id": ["1", "1", "2", "2"], "submitted_at": pd.Timestamp("2025-04-02"),
                         "aspect": ["access", "staff", "access", "staff"], "question": "q", "score": [5, 2, 4, 4]})
    table = indicators.compute({"survey_responses": resp})
    fig = charts.indicator_breakdown(table, "survey_satisfaction_share", "2025-Q2", by="aspect")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Công chức giải quyết công việc", "Tiếp cận dịch vụ"]
    assert any("Quý II/2025" in t for t in charts.figure_texts(fig))


def test_amount_trend_budget_baseline_target_plan_and_rate_needed():
    table, budget = amounts_table()
    fig = charts.amount_trend(table, "public_unit_budget_vnd", budget=budget, last_year=2025)
    texts = charts.figure_texts(fig)
    assert fig._suptitle.get_text() == REG["indicators"]["public_unit_budget_vnd"]["title_vi"]
    assert "Bình quân 2021–2025: 18,0 tỷ đồng" in line_labels(fig) + texts
    assert "Mốc 2030: ≤ 15,3 tỷ đồng" in line_labels(fig)
    rate = milestones.required_annual_change(16e9, 0.85 * 18e9, 5)
    assert any(f"Cần giảm bình quân {abs(rate) * 100:.1f}%/năm".replace(".", ",") in t for t in texts)
    assert "Dự toán (kế hoạch)" in texts and "Quyết toán (thực hiện)" in texts
    assert [p.get_hatch() for p in fig.axes[0].patches if p.get_height() == 15.5e9] == ["//"]
    assert any("Trạng thái năm 2025:" in t for t in texts)
    assert line_by_gid(fig, "path-2030")


def test_amount_trend_headcount_baselines():
    table, _ = amounts_table()
    fig = charts.amount_trend(table, "public_unit_headcount")
    labels = line_labels(fig) + charts.figure_texts(fig)
    assert "Năm gốc 2025: 46 người" in labels
    assert "Mốc 2030: ≤ 41,4 người" in labels and "Mốc 2025: < 50 người" in labels


def test_criteria_chart_weakest_first_and_empty():
    ev = evaluations({"2025-05-01": (9, 10)}, criteria={"c1": 9, "c2": 3, "c3": 6})
    fig = charts.criteria_chart(ev, period="2025")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Tiêu chí 2", "Tiêu chí 3", "Tiêu chí 1"]
    assert wilson_bars(fig)
    fig = charts.criteria_chart(None)
    assert any("Chưa có phiếu đánh giá" in t for t in charts.figure_texts(fig))


def test_coverage_chart():
    dossiers = pd.DataFrame({"dossier_id": ["a", "b", "c", "d"], "status": ["returned"] * 4,
                             "resolved_at": pd.to_datetime(["2025-01-05", "2025-02-05", "2025-04-05", "2025-04-06"])})
    ev = pd.DataFrame({"dossier_id": ["a", "c", "d"]})
    frame = charts.evaluation_coverage(dossiers, ev, "quarter")
    assert frame[["period", "numerator", "denominator"]].values.tolist() == [["2025-Q1", 1, 2], ["2025-Q2", 2, 2]]
    fig = charts.coverage_chart(dossiers, ev, period_kind="quarter")
    assert fig._suptitle.get_text() == "Tỷ lệ hồ sơ đã giải quyết được đánh giá mức độ hài lòng"
    assert "n = 2" in charts.figure_texts(fig) and wilson_bars(fig)


def test_save_figure_is_byte_identical_across_runs(tmp_path):
    table = satisfaction_table()
    first = charts.save_figure(charts.indicator_trend(table, "satisfaction_share"), tmp_path / "a", "x")
    second = charts.save_figure(charts.indicator_trend(table, "satisfaction_share"), tmp_path / "b", "x")
    for p1, p2 in zip(first, second, strict=True):
        assert p1.read_bytes() == p2.read_bytes()
    png, svg = first
    assert png.name == "x.png" and svg.name == "x.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    assert width == int(charts.FIGSIZE[0] * charts.PNG_DPI)
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    assert not plt.get_fignums()                  # closed
    assert not list((tmp_path / "a").glob(".*"))  # no temporary files left


def test_milestone_targets_match_the_table_and_registry():
    table = satisfaction_table()
    targets = charts.milestone_targets(table, "satisfaction_share")
    assert [(t["year"], t["value"], t["start_year"], t["start_value"]) for t in targets] == [
        (2025, 0.9, 2021, 0.8), (2030, 0.95, 2021, 0.8)]
    assert len(SATISFACTION) == 5


@pytest.mark.parametrize("make", [
    lambda t: charts.indicator_breakdown(t, "satisfaction_share", "2025", by="field"),
    lambda t: charts.amount_trend(t, "public_unit_budget_vnd"),
    lambda t: charts.coverage_chart(None, None),
    lambda t: charts.procedure_chart(None, None, period="2025"),
])
def test_charts_without_data_say_so_in_vietnamese(make):
    fig = make(indicators.compute({}))
    assert any(t.startswith("Chưa có") for t in charts.figure_texts(fig))
