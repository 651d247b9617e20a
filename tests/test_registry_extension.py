"""An indicator is one registry entry: a new dossier-flag ratio and a new manual indicator, added to a
copy of the registry files and nothing else, reach the indicator table, the scoreboard and a figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml

from cchc_analysis import charts, indicators, milestones, scoreboard
from cchc_analysis.registry import REGISTRY_DIR

NEW_RATIO = {
    "title_vi": "Tỷ lệ hồ sơ trực tuyến có phí được thanh toán trực tuyến",
    "title_en": "Share of online fee-bearing dossiers paid online",
    "area": "II.6", "unit": "share", "decimals": 1, "direction": "increase", "source": "dossiers",
    "method": "dossier_ratio",
    "numerator": {"scope": "received", "flags": ["online", "fee_required", "paid_online"]},
    "denominator": {"scope": "received", "flags": ["online", "fee_required"]},
    "breakdowns": ["field"], "chart": "trend", "chart_breakdowns": ["field"], "section": "digital",
}
NEW_MANUAL = {
    "title_vi": "Tỷ lệ cán bộ được bồi dưỡng về CCHC", "title_en": "Share of staff trained on reform",
    "area": "II.4", "unit": "share", "decimals": 1, "direction": "increase", "source": "manual",
    "method": "manual", "breakdowns": [], "chart": "trend", "section": "none",
}
NEW_CLAUSE = {"id": "II.4-2025-training", "area": "II.4", "part": "target", "year": 2025,
              "text_vi": "Đến năm 2025, 80% cán bộ được bồi dưỡng.", "quantitative": True, "applies": True,
              "reason": None, "targets": [{"indicator": "staff_trained_share", "operator": ">=", "value": 0.8}]}


def registry_copy(tmp_path: Path) -> dict:
    folder = tmp_path / "registry"
    folder.mkdir()
    for name in ("indicators", "programme"):
        shutil.copy(REGISTRY_DIR / f"{name}.yaml", folder / f"{name}.yaml")
    data = yaml.safe_load((folder / "indicators.yaml").read_text(encoding="utf-8"))
    data["indicators"]["online_fee_paid_share"] = NEW_RATIO
    data["indicators"]["staff_trained_share"] = NEW_MANUAL
    (folder / "indicators.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    programme = yaml.safe_load((folder / "programme.yaml").read_text(encoding="utf-8"))
    programme["clauses"].append(NEW_CLAUSE)
    (folder / "programme.yaml").write_text(yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8")
    return milestones.load_registry(folder)


def tables() -> dict[str, pd.DataFrame]:
    def d(i, day, channel, fee, paid):
        return {"dossier_id": i, "field": "Điện", "unit": None, "channel": channel, "service_level": "full",
                "received_at": pd.Timestamp(day), "due_at": pd.NaT, "resolved_at": pd.NaT,
                "status": "in_progress", "fee_required": fee, "paid_online": paid, "result_digitized": None,
                "eid_verified": None}
    dossiers = pd.DataFrame([d("a", "2025-01-02", "online", True, True), d("b", "2025-01-03", "online", True, None),
                             d("c", "2025-01-04", "online", False, None), d("e", "2025-01-05", "in_person", True, True),
                             d("f", "2025-02-01", "online", True, True)])
    manual = pd.DataFrame({"indicator_id": ["staff_trained_share"] * 2, "period": ["2024", "2025"],
                           "numerator": [30, 45], "denominator": [50, 50], "value": [0.6, 0.9], "note": None})
    return {"dossiers": dossiers, "manual_indicators": manual}


def test_new_entries_reach_the_table_the_scoreboard_and_a_figure(tmp_path):
    reg = registry_copy(tmp_path)
    assert milestones.validate(reg) == []
    table = indicators.compute(tables(), registry=reg)

    def row(ind, period):
        r = table[(table.indicator_id == ind) & (table.period == period) & (table.breakdown == "all")]
        return r.iloc[0]

    # online with a fee: a, b (Jan), f (Feb); paid online: a, f -> 2 of 3 in the year, 1 of 2 in January
    assert (row("online_fee_paid_share", "2025").numerator, row("online_fee_paid_share", "2025").denominator) == (2, 3)
    assert (row("online_fee_paid_share", "2025-01").numerator, row("online_fee_paid_share", "2025-01").denominator) \
        == (1, 2)
    assert table[(table.indicator_id == "online_fee_paid_share") & (table.breakdown == "field=Điện")].shape[0] > 0
    trained = row("staff_trained_share", "2025")
    assert trained.value == 0.9 and trained.target_value == 0.8 and trained.status == "met"

    board = scoreboard.scoreboard(table, year=2025, registry=reg).set_index("indicator_id")
    assert board.loc["staff_trained_share", "status"] == "met"
    assert board.loc["staff_trained_share", "clause"] == "II.4"
    assert board.loc["staff_trained_share", "area"] == scoreboard.area_names(reg)["II.4"]
    assert float(board.loc["online_fee_paid_share", "2025"]) == 2 / 3

    fig = charts.indicator_trend(table, "online_fee_paid_share", registry=reg, last_year=2025)
    assert fig._suptitle.get_text() == NEW_RATIO["title_vi"]
    fig = charts.indicator_trend(table, "staff_trained_share", registry=reg, last_year=2025)
    assert any("Mốc 2025: ≥ 80,0%" in t for t in charts.figure_texts(fig) + [
        line.get_label() for line in fig.axes[0].get_lines()])


def test_new_ratio_gets_its_section_in_the_digital_notebook(tmp_path):
    """The digital notebook's section cell, run on the registry copy, shows the new entry with its figure."""
    import json
    import types

    from cchc_analysis import narrative, views

    reg = registry_copy(tmp_path)
    notebook = json.loads((Path(__file__).resolve().parents[1] / "notebooks/03_digital.ipynb").read_text("utf-8"))
    cell = next(c for c in notebook["cells"] if c.get("id") == "digital-sections")
    shown: list = []
    namespace = {
        "milestones": types.SimpleNamespace(load_registry=lambda: reg), "views": views, "charts": charts,
        "narrative": narrative, "indicators": indicators, "table": indicators.compute(tables(), registry=reg),
        "tables": tables(),
        "year": 2025, "period": "", "focus": "2025", "figures": tmp_path / "figures", "data_date": None,
        "display": shown.append, "Markdown": lambda text: ("md", text), "Image": lambda **kw: ("img", kw["filename"]),
    }
    exec("".join(cell["source"]), namespace)  # noqa: S102 - the notebook's own cell
    headings = [text for kind, text in shown if kind == "md" and text.startswith("###")]
    assert any(NEW_RATIO["title_vi"] in h for h in headings), headings[-3:]
    assert (tmp_path / "figures" / "online_fee_paid_share.png").is_file()
    assert (tmp_path / "figures" / "online_fee_paid_share_by_field.png").is_file()
    assert not any("staff_trained_share" in str(item) for item in shown)  # section "none" stays out
