"""The scoreboard: every milestone on one page, and its Excel workbook."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from cchc_analysis import milestones, scoreboard


def indicator_table() -> pd.DataFrame:
    rows = []
    for year, sat, pay, head, budget in [(2021, 0.80, 0.05, 100, 5.0e9), (2022, 0.84, 0.10, 98, 4.8e9),
                                         (2023, 0.86, 0.15, 96, 4.6e9), (2024, 0.88, 0.20, 95, 4.4e9),
                                         (2025, 0.91, 0.22, 94, 4.2e9)]:
        rows += [("satisfaction_share", str(year), sat, "share"), ("online_payment_share", str(year), pay, "share"),
                 ("public_unit_headcount", str(year), head, "persons"),
                 ("public_unit_budget_vnd", str(year), budget, "vnd")]
    rows.append(("satisfaction_share", "2026-H1", 0.93, "share"))
    table = pd.DataFrame(rows, columns=["indicator_id", "period", "value", "unit"])
    table["breakdown"] = "all"
    # a breakdown row that must not be mixed with the whole department
    table = pd.concat([table, pd.DataFrame([{"indicator_id": "satisfaction_share", "period": "2025",
                                             "value": 0.10, "unit": "share", "breakdown": "field=Điện"}])])
    return milestones.assess(table)


@pytest.fixture(scope="module")
def board():
    return scoreboard.scoreboard(indicator_table(), year=2025).set_index("indicator_id")


def test_every_milestone_on_one_page(board):
    reg = milestones.load_registry()
    assert list(board.index) == list(reg["indicators"])
    assert [c for c in board.columns if c.isdigit()] == ["2021", "2022", "2023", "2024", "2025"]
    assert set(board["area"]) <= set(scoreboard.area_names().values())
    assert board.loc["satisfaction_share", "title_vi"] == reg["indicators"]["satisfaction_share"]["title_vi"]
    assert board.loc["satisfaction_share", "clause"] == "II.2"
    assert board.loc["eid_applicant_share", "clause"] == "II.6, II.2"  # judged by two clauses
    assert board.loc["full_online_procedure_share", "clause"] == ""  # v2: monitoring
    assert board.loc["dossier_online_share", "clause"] == ""


def test_values_targets_and_status(board):
    sat = board.loc["satisfaction_share"]
    assert sat["2021"] == 0.80 and sat["2025"] == 0.91  # the breakdown row is not used
    assert sat["target_2025"] == 0.90 and sat["target_2030"] == 0.95
    assert sat["status"] == "met" and sat["status_vi"] == "Đã đạt"
    pay = board.loc["online_payment_share"]
    assert pay["status"] == "off_track" and pay["status_vi"] == milestones.STATUS_WORDS_VI["off_track"]
    assert board.loc["dossier_online_share", "status"] == "no_data"
    assert math.isnan(board.loc["dossier_online_share", "target_2025"])


def test_relative_targets_are_computed_from_the_history(board):
    head = board.loc["public_unit_headcount"]
    assert head["target_2025"] == pytest.approx(100.0)  # lower than 2021 (factor 1.0)
    assert head["target_2030"] == pytest.approx(0.9 * 94)
    budget = board.loc["public_unit_budget_vnd"]
    assert budget["target_2030"] == pytest.approx(0.85 * (5.0 + 4.8 + 4.6 + 4.4 + 4.2) / 5 * 1e9)


def test_outlook_to_2030(board):
    sat = board.loc["satisfaction_share"]
    assert sat["latest_year"] == 2025 and sat["needed_2030"] == 0.95
    assert sat["change_per_year"] == pytest.approx((0.95 - 0.91) / 5)
    assert math.isnan(sat["rate_per_year"])  # shares: the change in points is what matters
    head = board.loc["public_unit_headcount"]
    assert head["change_per_year"] == pytest.approx((0.9 * 94 - 94) / 5)
    assert head["rate_per_year"] == pytest.approx(0.9 ** (1 / 5) - 1)


def test_period_column_and_status():
    board = scoreboard.scoreboard(indicator_table(), year=2026, period="2026-H1").set_index("indicator_id")
    assert "2026-H1" in board.columns and board.loc["satisfaction_share", "2026-H1"] == 0.93
    assert board.loc["satisfaction_share", "status"] == "on_track"  # judged against 2030 (95%)
    assert math.isnan(board.loc["satisfaction_share", "2026"])


def test_qualitative_targets_listed_with_their_clause():
    qual = scoreboard.qualitative_targets()
    reg = milestones.load_registry()
    assert len(qual) == len(reg["qualitative"]) and qual["clause"].notna().all()
    frames = scoreboard.by_area(scoreboard.scoreboard(indicator_table()))
    assert list(frames)[-1] == scoreboard.QUALITATIVE_SHEET


def test_reading_and_display():
    board = scoreboard.scoreboard(indicator_table())
    text = scoreboard.reading(board, 2025)
    n = len(milestones.load_registry()["indicators"])
    assert text.startswith(f"Năm 2025, trong {n} chỉ tiêu") and "Tỷ lệ giao dịch thanh toán trực tuyến" in text
    shown = scoreboard.display_table(board).set_index("Chỉ tiêu")
    row = shown.loc["Mức độ hài lòng về giải quyết TTHC"]
    assert row["2025"] == "91,0%" and row["Mục tiêu 2030"] == "≥ 95,0%" and row["Trạng thái"] == "Đã đạt"
    assert row[scoreboard.HEADERS_VI["change_per_year"]] == "+0,8 điểm %/năm"


def test_workbook_is_formatted_and_holds_no_formula(tmp_path):
    reg = milestones.load_registry()
    reg["indicators"]["satisfaction_share"]["title_vi"] = "=HYPERLINK(\"http://x\",\"bấm\")"
    reg["indicators"]["satisfaction_share"]["targets"][0]["clause"] = "+II.2"
    reg["qualitative"][0]["clause_text"] = "@SUM(A1:A9)"
    board = scoreboard.scoreboard(indicator_table(), registry=reg)
    path = scoreboard.write_scoreboard_xlsx(scoreboard.by_area(board, reg), tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == scoreboard.QUALITATIVE_SHEET
    assert book.sheetnames[:-1] == [a for a in scoreboard.area_names().values() if a in book.sheetnames]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    sheet = book[scoreboard.area_names()["II.2"]]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Lĩnh vực", "Mã chỉ tiêu", "Chỉ tiêu", "Điều khoản"]
    assert "Trạng thái" in headers and "Mục tiêu 2030" in headers
    assert sheet.freeze_panes == "D2"
    col = {h: i + 1 for i, h in enumerate(headers)}
    r = next(i for i in range(2, sheet.max_row + 1) if sheet.cell(i, col["Mã chỉ tiêu"]).value == "satisfaction_share")
    first = [sheet.cell(r, c).value for c in range(1, len(headers) + 1)]
    assert first[col["Chỉ tiêu"] - 1] == "=HYPERLINK(\"http://x\",\"bấm\")"  # stored as text
    assert sheet.cell(r, col["2025"]).number_format == "0.0%"
    status = sheet.cell(r, col["Trạng thái"])
    assert status.value == "Đã đạt" and status.fill.fgColor.rgb.endswith("C6EFCE")
    assert sheet.column_dimensions["C"].width >= 40
    money = book[scoreboard.area_names()["II.5"]]  # the budget (đồng)
    assert money.cell(2, col["2025"]).number_format == "#,##0"
    assert book[scoreboard.QUALITATIVE_SHEET]["D2"].value == "@SUM(A1:A9)"
    assert book.properties.created.year == scoreboard.WORKBOOK_DATE.year


def test_two_writes_give_the_same_bytes(tmp_path):
    frames = scoreboard.by_area(scoreboard.scoreboard(indicator_table()))
    a = scoreboard.write_scoreboard_xlsx(frames, tmp_path / "a.xlsx").read_bytes()
    b = scoreboard.write_scoreboard_xlsx(frames, tmp_path / "b.xlsx").read_bytes()
    assert a == b
