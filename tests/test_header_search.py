"""The header search's shortcut (bound on the names a candidate header could match) finds the same
header as scoring every candidate column by column, and cached views follow their inputs."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from cchc_analysis import milestones, views
from cchc_analysis.ingest import detect
from cchc_analysis.ingest.base import RawSheet


def _every_candidate(raw: RawSheet, table) -> tuple | None:
    """The full search: every top row and depth scored through ``_header_at`` (fewer rows, earliest on ties)."""
    best, best_score = None, 1
    for top in range(min(len(raw.rows), detect.MAX_SCAN_ROWS)):
        if detect._filled(raw.rows[top]) < 2:
            continue
        for depth in range(1, 4):
            if top + depth > len(raw.rows):
                break
            header = detect._header_at(raw, top, depth, table)
            if header is not None and len(set(header.columns.values())) > best_score:
                best, best_score = header, len(set(header.columns.values()))
    return None if best is None else (best.rows, best.columns, best.personal)


def test_header_search_finds_what_scoring_every_candidate_finds():
    rng = random.Random(7)
    words = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Đơn vị", "Tên thủ tục", "Kênh nộp",
             "Số CCCD", "Ghi chú", "STT", "Tổng cộng", "ngày", "hồ sơ", "Tiêu chí 3", "Lĩnh vực", "x", ""]
    found = 0
    for _ in range(150):
        width = rng.randint(2, 9)
        rows = [[rng.choice(words) if rng.random() < 0.7 else rng.randint(1, 99) for _ in range(width)]
                for _ in range(rng.randint(1, 12))]
        raw = RawSheet(Path("x.xlsx"), "S", rows, range(1, len(rows) + 1))
        for section in ("dossiers", "evaluations"):
            table = detect.synonyms(section)
            header = detect.find_header(raw, table)
            expected = _every_candidate(RawSheet(Path("x.xlsx"), "S", rows, range(1, len(rows) + 1)), table)
            got = None if header is None else (header.rows, header.columns, header.personal)
            assert got == expected
            found += header is not None
    assert found > 20  # the random sheets do hold headers


def test_packaged_registry_copies_are_independent():
    first = milestones.load_registry()
    first["indicators"]["satisfaction_share"]["targets"].clear()
    first["programme"]["start_year"] = 1900
    again = milestones.load_registry()
    assert again["indicators"]["satisfaction_share"]["targets"]  # two clauses name it (2025, 2030)
    assert again["programme"]["start_year"] == 2021


def test_merger_notes_follow_new_frames():
    own = pd.DataFrame({"unit": ["Trung tâm Xúc tiến thương mại"], "year": [2023], "funding": ["state_budget"]})
    tables = {"payroll": own}
    assert views.merger_notes(tables, last_year=2025)["public_unit_headcount"].startswith("Số liệu năm 2023")
    merged = pd.DataFrame({"unit": ["Trung tâm Xúc tiến thương mại"], "year": [2026], "funding": ["state_budget"]})
    tables["payroll"] = merged  # same mapping, another frame: computed again
    assert views.merger_notes(tables, last_year=2030)["public_unit_headcount"] is None
    tables["payroll"] = own
    assert views.merger_notes(tables, last_year=2025)["public_unit_headcount"].startswith("Số liệu năm 2023")
