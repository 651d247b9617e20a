"""The merger-basis sentence where a trend over years is stated: the narrative and the Word draft.

Payroll frames are made by code with the unit names of ``registry/units.yaml``: a series whose years
before 01/07/2025 hold the Khánh Hòa centre only (own_only) gets the sentence; one whose years hold the
Ninh Thuận centre too (merged) does not.
"""

from __future__ import annotations

import docx
import pytest
from merger_data import KH_CENTRE, NT_CENTRE, payroll

from cchc_analysis import indicators, narrative
from cchc_analysis.pack import draft
from cchc_analysis.periods import Period

HEADCOUNT = "public_unit_headcount"
TITLE = "Biên chế (số người làm việc được giao) hưởng lương từ NSNN tại đơn vị sự nghiệp công lập"
OWN_ONLY = "chỉ gồm các đơn vị của Khánh Hòa (chưa có số liệu các đơn vị sáp nhập từ Ninh Thuận)"
TAIL = "so sánh với các năm sau ngày sáp nhập 01/07/2025 chưa cùng phạm vi."


# The centre alone before the merger (10 a year), the merged centre from 2026 (16).
OWN = payroll([(KH_CENTRE, y, 10) for y in range(2021, 2026)] + [(KH_CENTRE, 2026, 16)])
# Both centres before the merger (10 + 6), the merged centre from 2026 (16).
BOTH = payroll([(KH_CENTRE, y, 10) for y in range(2021, 2026)] + [(NT_CENTRE, y, 6) for y in range(2021, 2026)]
               + [(KH_CENTRE, 2026, 16)])
SERIES = {"own": OWN, "both": BOTH}


@pytest.fixture(scope="module", params=["own", "both"])
def case(request):
    frame = SERIES[request.param]
    return request.param, frame, indicators.compute({"payroll": frame})


def test_the_narrative_says_on_what_basis_earlier_years_are(case):
    name, frame, table = case
    tables = {"payroll": frame}
    amount = narrative.describe_amount(table, HEADCOUNT, 2025, tables=tables)
    compared = narrative.describe_indicator(table, HEADCOUNT, 2026, tables=tables)
    assert "So với năm 2025" in compared
    if name == "own":
        # the baselines and the trend span 2021–2025, all on the centre alone
        assert amount.endswith(f" Số liệu năm 2021, 2022, 2023, 2024, 2025 {OWN_ONLY}: {TAIL}")
        # 2026 compared with 2025: only 2025 is said
        assert compared.count("Số liệu năm") == 1 and f"Số liệu năm 2025 {OWN_ONLY}: {TAIL}" in compared
    else:
        assert "sáp nhập" not in amount and "sáp nhập" not in compared
    # without the unit tables nothing is said (the notebooks pass them)
    assert "sáp nhập" not in narrative.describe_amount(table, HEADCOUNT, 2025)


def test_the_word_draft_says_it_under_the_area_table(case, tmp_path):
    name, frame, table = case
    processed = tmp_path / "processed"
    processed.mkdir()
    frame.to_parquet(processed / "payroll.parquet")
    path = draft.write_pack_draft(table, None, tmp_path, Period.parse("2025"), processed=processed)
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    notes = [t for t in texts if t.startswith("Phạm vi số liệu")]
    if name == "own":
        assert notes == [f"Phạm vi số liệu ({TITLE}): Số liệu năm 2021, 2022, 2023, 2024, 2025 {OWN_ONLY}: {TAIL}"]
        # under the table of area II.3 (the headcount clauses), before its reading
        heading = next(i for i, t in enumerate(texts) if "tổ chức bộ máy" in t.lower() and t[:2] == "3.")
        assert heading < texts.index(notes[0]) < next(i for i, t in enumerate(texts) if t.startswith("4."))
    else:
        assert notes == []


def test_a_list_of_readings_says_a_shared_basis_sentence_once():
    """Two payroll measures compared with 2025 share the same basis sentence: the list says it once, after
    the bullets; each reading alone still says it."""
    tables = {"payroll": OWN}
    table = indicators.compute(tables)
    ids = [HEADCOUNT, "public_unit_headcount_actual"]
    alone = [narrative.describe_indicator(table, i, 2026, tables=tables) for i in ids]
    assert all(text.count(OWN_ONLY) == 1 for text in alone)
    listed = narrative.describe_indicators(table, ids, 2026, tables=tables)
    assert listed.count(OWN_ONLY) == 1
    bullets, after = listed.split("\n\n", 1)
    assert bullets.count("\n- ") == 1 and OWN_ONLY not in bullets
    assert OWN_ONLY in after and TAIL in after
    # a list of one keeps its sentence inside the reading
    assert narrative.describe_indicators(table, ids[:1], 2026, tables=tables) == f"- {alone[0]}"
