"""Merger-comparable series (issue #12): years before 01/07/2025 on the merged basis, said where they are not.

Frames are made by code with the unit names of ``registry/units.yaml``; every figure is worked out by hand.
"""

from __future__ import annotations

import pandas as pd
from merger_data import KH_CENTRE, KH_EXT, NT_CENTRE, NT_EXT, budget, payroll

from cchc_analysis import indicators, views
from cchc_analysis.indicators.merger import basis_sentence, comparability, year_basis

# Both units present before the merger: Khánh Hòa 10, 11, 12, 12, 12 and Ninh Thuận 6, 6, 5, 5, 5 in
# 2021-2025; from 2026 the merged centre only, 16.
BOTH = payroll([(KH_CENTRE, y, k) for y, k in zip(range(2021, 2026), (10, 11, 12, 12, 12), strict=True)]
               + [(NT_CENTRE, y, n) for y, n in zip(range(2021, 2026), (6, 6, 5, 5, 5), strict=True)]
               + [(KH_CENTRE, 2026, 16)])
# Only the province's own unit before the merger.
OWN = payroll([(KH_CENTRE, y, 10) for y in range(2021, 2026)] + [(KH_CENTRE, 2026, 16)])


def test_both_units_before_the_merger_are_on_the_merged_basis():
    assert year_basis(BOTH["unit"], BOTH["year"]) == {y: "merged" for y in range(2021, 2027)}
    table = indicators.compute({"payroll": BOTH})
    rows = table[(table["indicator_id"] == "public_unit_headcount") & (table["breakdown"] == "all")]
    totals = dict(zip(rows["period"], rows["value"], strict=True))
    assert totals["2021"] == 16 and totals["2023"] == 17 and totals["2026"] == 16   # 10+6, 12+5, merged
    # II.3 2025: below the 2021 figure (factor 1.0) on the merged basis, 16 persons (not Khánh Hòa's 10)
    assert rows.loc[rows["period"] == "2025", "target_value"].item() == 16
    # the merged-in unit is counted under its successor
    units = table[(table["indicator_id"] == "public_unit_headcount") & (table["period"] == "2021")]["breakdown"]
    assert units.tolist() == ["all", f"unit={KH_CENTRE}"]
    assert views.merger_note({"payroll": BOTH}, "public_unit_headcount") is None


def test_own_unit_only_is_flagged_and_said_plainly():
    assert year_basis(OWN["unit"], OWN["year"]) == {**{y: "own_only" for y in range(2021, 2026)}, 2026: "merged"}
    flags = comparability({"payroll": OWN})
    mine = flags[flags["indicator_id"] == "public_unit_headcount"]
    assert mine["period"].tolist() == ["2021", "2022", "2023", "2024", "2025", "2026"]
    assert mine["comparable"].tolist() == ["own_only"] * 5 + ["merged"]
    note = views.merger_note({"payroll": OWN}, "public_unit_headcount")
    assert note.startswith("Số liệu năm 2021, 2022, 2023, 2024, 2025 chỉ gồm các đơn vị của Khánh Hòa")
    assert "01/07/2025" in note
    assert views.merger_note({"payroll": OWN}, "public_unit_headcount", first_year=2026) is None


def test_some_merged_units_missing_is_partial():
    frame = payroll([(KH_CENTRE, 2023, 10), (KH_EXT, 2023, 8), (NT_CENTRE, 2023, 4),   # one of two present
                     (KH_CENTRE, 2024, 10), (KH_EXT, 2024, 8), (NT_CENTRE, 2024, 4), (NT_EXT, 2024, 3)])
    assert year_basis(frame["unit"], frame["year"]) == {2023: "partial", 2024: "merged"}
    assert basis_sentence({2023: "partial", 2024: "merged"}) == (
        "Số liệu năm 2023 chỉ gồm một phần các đơn vị sáp nhập từ Ninh Thuận: so sánh với các năm sau ngày sáp "
        "nhập 01/07/2025 chưa cùng phạm vi.")


def test_budget_baseline_of_2021_2025_is_on_the_merged_basis():
    # Khánh Hòa 100 a year, Ninh Thuận 50 a year 2021-2025: the 2021-2025 yearly average is 150 (not 100)
    frame = budget([(KH_CENTRE, y, 100.0) for y in range(2021, 2026)] + [(NT_CENTRE, y, 50.0) for y in range(2021, 2026)])
    table = indicators.compute({"budget": frame})
    rows = table[(table["indicator_id"] == "public_unit_budget_vnd") & (table["breakdown"] == "all")]
    assert rows.loc[rows["period"] == "2021-2025", "value"].item() == 150.0
    flags = comparability({"budget": frame})
    assert set(flags.loc[flags["indicator_id"] == "public_unit_budget_vnd", "comparable"]) == {"merged"}
    # the same budget without the Ninh Thuận rows: own_only, and the average is Khánh Hòa's 100
    own = frame[frame["unit"] == KH_CENTRE]
    assert set(comparability({"budget": own})["comparable"]) == {"own_only"}


def test_dossiers_are_dated_by_reception():
    one_stop_nt = "Bộ phận một cửa Sở Công Thương Ninh Thuận"
    dossiers = pd.DataFrame({"unit": ["Bộ phận một cửa Sở Công Thương", one_stop_nt, "Bộ phận một cửa Sở Công Thương",
                                      "Bộ phận một cửa Sở Công Thương (cơ sở Phan Rang)"],
                             "received_at": pd.to_datetime(["2024-03-01", "2024-05-02", "2025-02-01", "2025-08-01"])})
    flags = comparability({"dossiers": dossiers})
    mine = flags[flags["indicator_id"] == "dossier_online_share"]
    # 2024: both one-stop units; 2025: before 01/07 only the Khánh Hòa unit (the Phan Rang one is after)
    assert dict(zip(mine["period"], mine["comparable"], strict=True)) == {"2024": "merged", "2025": "own_only"}


def test_scoreboard_and_chart_footnote_show_the_basis():
    from cchc_analysis import charts, scoreboard

    table = indicators.compute({"payroll": OWN})
    basis = scoreboard.merger_basis({"payroll": OWN}, 2025)
    board = scoreboard.scoreboard(table, year=2025, basis=basis)
    by_id = dict(zip(board["indicator_id"], board["merger_basis"], strict=True))
    assert by_id["public_unit_headcount"].startswith("Số liệu năm 2021, 2022, 2023, 2024, 2025 chỉ gồm")
    assert by_id["satisfaction_share"] == ""                      # no unit to compare: nothing said
    assert "merger_basis" not in scoreboard.scoreboard(table, year=2025).columns  # only when asked
    note = views.merger_note({"payroll": OWN}, "public_unit_headcount", last_year=2025)
    fig = charts.amount_trend(table, "public_unit_headcount", last_year=2025, basis_note=note)
    text = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    assert "chỉ gồm các đơn vị của Khánh Hòa" in text
