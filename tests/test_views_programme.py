"""The programme by area: clauses with their measures, tasks by lead unit, the area sheets, the contents.

Every expected figure below is worked out by hand in the comments.
"""

from __future__ import annotations

import nbformat
import openpyxl
import pandas as pd

from cchc_analysis import milestones, scoreboard_areas
from cchc_analysis import views_programme as vp
from cchc_analysis.pack import html
from cchc_analysis.periods import Period


def indicator_table() -> pd.DataFrame:
    rows = [("satisfaction_share", "2021", 0.80), ("satisfaction_share", "2024", 0.86),
            ("satisfaction_share", "2025", 0.99),  # after the review year 2024: never read for it
            ("satisfaction_share", "2021-2025", 0.83)]
    return pd.DataFrame([{"indicator_id": i, "period": p, "breakdown": "all", "value": v} for i, p, v in rows])


def test_clauses_follow_the_programme_and_are_judged_against_their_own_target():
    rows = vp.area_clauses(indicator_table(), 2024)
    reg = milestones.load_registry()
    assert rows["area"].drop_duplicates().tolist() == ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III"]
    assert set(rows["clause_id"]) == {c["id"] for c in reg["clauses"]}
    by_id = rows.drop_duplicates("clause_id").set_index("clause_id")
    # 2025 clause: path 2021 → 2025 from 80% to 90%: 2024 on the path is 80 + 10 × 3/4 = 87.5%;
    # 86% is 1.5 points short, within the 5-point band: at risk
    s25 = by_id.loc["II.2-2025-satisfaction"]
    assert (s25["value_text"], s25["target_text"], s25["status"], s25["status_vi"]) == \
        ("86,0%", "≥ 90,0%", "at_risk", "Có nguy cơ không đạt")
    # 2030 clause: path from 80% to 95% over 9 years: 2024 is 80 + 15 × 3/9 = 85%; 86% is above: on track
    s30 = by_id.loc["II.2-2030-satisfaction"]
    assert (s30["target_text"], s30["status"]) == ("≥ 95,0%", "on_track")
    assert s25["trend_text"] == "2021: 80,0% → 2024: 86,0% (+6,0 điểm %)"
    assert s25["value_2021_2025_text"] == "83,0%"
    # a clause that is not the Department's, and a qualitative one
    not_ours = rows[~rows["applies"]]
    assert len(not_ours) and set(not_ours["status"]) == {"not_applicable"}
    assert by_id.loc["II.1-objective", "status"] == "qualitative"
    # a measure without data
    assert rows.set_index("clause_id").loc["II.6-2025-eid", "status"] == "no_data"


def test_the_review_year_value_is_the_one_shown():
    rows = vp.area_clauses(indicator_table(), 2025).drop_duplicates("clause_id").set_index("clause_id")
    # 2025: 99% against "≥ 90%": met; the 2030 clause (95%) is met early too
    assert rows.loc["II.2-2025-satisfaction", ["value_text", "status"]].tolist() == ["99,0%", "met"]
    assert rows.loc["II.2-2030-satisfaction", "status"] == "met"


def test_a_clause_status_agrees_with_the_indicator_table_for_the_same_milestone():
    table = milestones.assess(indicator_table())
    row = table[(table["period"] == "2024")].iloc[0]
    assert int(row["target_year"]) == 2025
    clause = vp.area_clauses(indicator_table(), 2024).set_index("clause_id").loc["II.2-2025-satisfaction"]
    assert clause["status"] == row["status"] == "at_risk"


def tasks() -> pd.DataFrame:
    rows = [  # id, area, unit, status, deadline, done_at
        ("A", "II.2", "Văn phòng", "done", "2025-06-30", "2025-03-01"),       # done on time
        ("B", "II.2", "Văn phòng", "done", "2025-06-30", "2025-08-01"),       # done late: late
        ("C", "II.2", "Thanh tra", "in_progress", "2025-06-30", None),        # past deadline: late
        ("D", "II.1", "Văn phòng", "not_started", "2026-06-30", None),        # not due yet: open
        ("E", "II.1", "Văn phòng", "in_progress", None, None),                # no deadline: open
        ("F", "II.1", "Văn phòng", "cancelled", "2024-01-01", None),          # counted nowhere
        ("G", "III", "Văn phòng", "done", "2025-12-31", "2026-02-01"),        # done after the year: open then
        ("H", "II.6", "Thanh tra", "done", "2024-01-01", None),               # done, no date: done
    ]
    frame = pd.DataFrame(rows, columns=["task_id", "area", "lead_unit", "status", "deadline", "done_at"])
    frame["deadline"] = pd.to_datetime(frame["deadline"])
    frame["done_at"] = pd.to_datetime(frame["done_at"])
    return frame


def test_tasks_by_area_and_lead_unit():
    got = vp.area_tasks(tasks(), 2025).values.tolist()
    assert got == [["II.1", "Văn phòng", 0, 0, 2, 2],
                   ["II.2", "Thanh tra", 0, 1, 0, 1],
                   ["II.2", "Văn phòng", 1, 1, 0, 2],
                   ["II.6", "Thanh tra", 1, 0, 0, 1],
                   ["III", "Văn phòng", 0, 0, 1, 1]]
    # as of 30/06/2025: B not done yet and its deadline not passed (the same day): open; C open too
    half = vp.area_tasks(tasks(), "2025-H1").set_index(["area", "lead_unit"])
    assert half.loc[("II.2", "Văn phòng")].tolist() == [1, 0, 1, 2]
    assert half.loc[("II.2", "Thanh tra")].tolist() == [0, 0, 1, 1]
    # as of 2026: G was done on 01/02/2026, after its deadline: late
    assert vp.area_tasks(tasks(), 2026).set_index("area").loc["III", "late"] == 1


def test_area_sheets_in_order_with_clauses_tasks_and_print_setup(tmp_path):
    path = scoreboard_areas.write_programme_workbook(indicator_table(), tasks(), 2024, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    reg = milestones.load_registry()
    assert [n.split(" ")[0] for n in book.sheetnames[:-1]] == [a["id"] for a in reg["areas"]]
    assert book.sheetnames[-1] == scoreboard_areas.YEARLY_SHEET
    sheet = book.worksheets[1]  # II.2
    header = [c.value for c in sheet[1]]
    assert "Giá trị 2024" in header and "Mã chỉ tiêu" not in header  # technical codes stay out
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    text = " ".join(reg["clauses"][[c["id"] for c in reg["clauses"]].index("II.2-2025-satisfaction")]["text_vi"].split())
    row = next(r for r in rows if r[header.index("Nội dung (nguyên văn Chương trình)")] == text)
    assert row[header.index("Giá trị 2024")] == "86,0%" and row[header.index("Trạng thái")] == "Có nguy cơ không đạt"
    status_cell = sheet.cell(rows.index(row) + 2, header.index("Trạng thái") + 1)
    assert status_cell.fill.fgColor.rgb.endswith("FFEB9C")
    # the tasks block as of 31/12/2024: A and B were done in 2025 and C is due 30/06/2025, so all open
    units = {r[2]: r[3:7] for r in rows if r[2] in ("Văn phòng", "Thanh tra", "Tổng cộng")}
    assert units == {"Văn phòng": [0, 0, 2, 2], "Thanh tra": [0, 0, 1, 1], "Tổng cộng": [0, 0, 3, 3]}
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0  # one page wide
    assert sheet.print_title_rows == "$1:$1"


def test_generated_area_headings_enter_the_table_of_contents(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Sơ kết"),
        nbformat.v4.new_code_cell("x", outputs=[
            nbformat.v4.new_output("display_data", data={"text/markdown": "## II.1. Cải cách thể chế\n\nĐoạn."}),
            nbformat.v4.new_output("display_data", data={"text/markdown": "## II.2. Cải cách TTHC"}),
            nbformat.v4.new_output("display_data", data={"text/markdown": "**Nhiệm vụ.** không là tiêu đề"})]),
    ])
    path = tmp_path / "05.ipynb"
    nbformat.write(nb, str(path))
    combined = html.combine_notebooks([path], Period.parse("2025"))
    contents = combined.cells[1].source
    assert contents.index("II.1. Cải cách thể chế") < contents.index("II.2. Cải cách TTHC")
    assert "Nhiệm vụ" not in contents
    shown = combined.cells[-1].outputs[0]["data"]["text/markdown"]
    anchor = contents.split("II.1. Cải cách thể chế](#")[1].split(")")[0]
    assert f'id="{anchor}"' in shown
