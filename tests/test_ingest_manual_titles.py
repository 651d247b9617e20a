"""The manual sheet reads every registry title and the programme's wording (issue #12), made by code.

Titles come from the registry itself (``title_vi`` of each manual indicator, the ``text_vi`` of the
clauses judging one); the numbers of the sheet below are worked out by hand.
"""

from __future__ import annotations

import pytest

from cchc_analysis import indicators
from cchc_analysis.ingest.manual import manual_titles, match_indicator
from cchc_analysis.quality import quarantine_frame
from cchc_analysis.registry import load

HEADER = ["STT", "Chỉ tiêu", "Năm", "Tử số", "Mẫu số", "Ghi chú"]
WORKFLOW = "Tỷ lệ TTHC được ban hành quy trình nội bộ giải quyết TTHC"


def sheet(*rows: list) -> list[list]:
    return [["CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH THEO DÕI THỦ CÔNG", "", "", "", "", ""], [""] * 6, HEADER, *rows]


def _manual_specs() -> dict[str, dict]:
    specs = load("indicators")["indicators"]
    return {i: s for i, s in specs.items() if s.get("method") == "manual" or s.get("fallback") == "manual"}


def test_the_manual_indicators_are_those_of_the_registry():
    assert set(manual_titles()) == set(_manual_specs())
    assert len(manual_titles()) >= 6


@pytest.mark.parametrize("qualify", [lambda t: t, lambda t: f"{t} (%)", lambda t: f"{t.upper()} năm 2025",
                                     lambda t: f"Năm 2025 - {t}"])
def test_every_registry_title_is_accepted_with_or_without_a_qualifier(qualify):
    for ind, spec in _manual_specs().items():
        assert match_indicator(qualify(spec["title_vi"])) == (ind, None), spec["title_vi"]


def test_the_programme_wording_of_each_clause_names_its_indicator():
    manual = set(_manual_specs())
    judged = [(c["text_vi"], t["indicator"]) for c in load("programme")["clauses"]
              for t in c.get("targets") or [] if t["indicator"] in manual]
    assert len(judged) >= 6
    for text, ind in judged:
        assert match_indicator(text)[0] == ind, text
    # the clause without its figure, as a title: "Tỷ lệ " + the sentence, written-out TTHC
    assert match_indicator("Tỷ lệ thủ tục hành chính nội bộ giữa cơ quan hành chính nhà nước được công bố, "
                           "công khai và cập nhật kịp thời")[0] == "internal_procedures_published_share"


def test_the_offices_workflow_title_counts_as_the_acceptance_examples_count_it():
    """The office titles the TTHC nội bộ row with "quy trình nội bộ" wording (docs/programme.md, reading 10)."""
    assert match_indicator(WORKFLOW) == ("internal_procedures_published_share", None)


def test_an_excluded_wording_is_refused_with_its_reason(monkeypatch):
    from cchc_analysis.ingest import manual

    monkeypatch.setattr(manual, "_excluded", lambda: (("quy trinh noi bo", "Khái niệm khác."),))
    ind, reason = match_indicator(WORKFLOW)
    assert ind is None and reason.startswith("Khái niệm khác. Tên gần nhất trong danh mục: «")


def test_a_sheet_with_every_case(sheet_table, clean_kind):
    titles = {i: s["title_vi"] for i, s in _manual_specs().items()}
    rows = [
        [1, f"{titles['dvc_level4_multi_device_share']} (%)", 2025, 45, 50, ""],          # kept: 0.9
        [2, titles["internal_procedures_published_share"], 2025, 12, 16, ""],            # kept: 0.75
        [3, "Tỷ lệ văn bản điện tử", 2025, 139, 139, ""],                                 # too vague
        [4, "Tỷ lệ hồ sơ công việc xử lý qua mạng", 2025, 5, 10, ""],                    # unknown
        [5, "100% dịch vụ công trực tuyến mức độ 4 được cung cấp trên cơ sở khai thác kho dữ liệu trực tuyến "
            "dùng chung của tỉnh", 2030, 3, 12, ""],                                       # clause wording: 0.25
    ]
    result = clean_kind("manual", [sheet_table("manual", sheet(*rows))])
    table = result.tables["manual_indicators"]
    assert table["indicator_id"].tolist() == ["dvc_level4_multi_device_share", "internal_procedures_published_share",
                                              "dvc_level4_shared_data_share"]
    assert table["value"].tolist() == [0.9, 0.75, 0.25]
    q = quarantine_frame(result.quarantine)
    assert q["row"].tolist() == [6, 7] and set(q["column"]) == {"indicator"}
    assert q["reason"][0].startswith("Tên chỉ tiêu không có trong danh mục chỉ tiêu của Chương trình; tên gần nhất:")
    # the reason names the nearest registry title
    assert "«Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng»" in q["reason"][1]
    counts = result.counts[0]
    assert (counts.rows_read, counts.rows_kept, counts.rows_quarantined) == (5, 3, 2)


def test_the_workflow_row_feeds_the_internal_procedures_indicator(sheet_table, clean_kind):
    result = clean_kind("manual", [sheet_table("manual", sheet([1, WORKFLOW, 2025, 12, 16, ""]))])
    table = indicators.compute({"manual_indicators": result.tables["manual_indicators"]})
    mine = table[(table["indicator_id"] == "internal_procedures_published_share") & (table["period"] == "2025")]
    assert mine[["numerator", "denominator", "value"]].values.tolist() == [[12, 16, 0.75]]


def test_short_or_shared_words_are_not_enough():
    assert match_indicator("Tỷ lệ")[0] is None
    assert match_indicator("Tỷ lệ hồ sơ")[0] is None
    assert match_indicator(None) == (None, "Thiếu tên chỉ tiêu.")
