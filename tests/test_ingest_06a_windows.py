"""Form 06a titled with an official reporting window (Nghị định 09/2019: the 15th to the 14th)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_ingest_layout import FORM_06A, MERGES_06A

from cchc_analysis.ingest.dates import period_from_title
from cchc_analysis.ingest.pipeline import clean
from cchc_analysis.ingest.report06a import window_period


def _form(title_lines: list[str]) -> list[list]:
    """FORM_06A with its two period lines (rows 2 and 3) replaced."""
    rows = [list(r) for r in FORM_06A]
    rows[1][3], rows[2][3] = title_lines
    return rows


def _clean(exports, tmp_path, name: str, title_lines: list[str]):
    path = exports.xlsx(name, {"06a": _form(title_lines)}, merges=MERGES_06A)
    report = clean([path], tmp_path / "out", progress=False)
    assert report.exit_code == 0, report.errors
    frame = pd.read_parquet(tmp_path / "out" / "report06a.parquet")
    recon = pd.read_csv(tmp_path / "out" / "reconciliation.csv", encoding="utf-8-sig", keep_default_na=False,
                        dtype={"period": str})
    return report, frame, recon


@pytest.mark.parametrize(("lines", "expected"), [
    (["Từ ngày 15/12/2024 đến ngày 14/12/2025"], ("2024-12-15", "2025-12-14")),
    (["(Từ 15/12/2024 đến 14/3/2025)"], ("2024-12-15", "2025-03-14")),
    (["Kỳ báo cáo: 15/12/2024 - 14/06/2025"], ("2024-12-15", "2025-06-14")),
    (["Kỳ báo cáo: từ ngày 15 tháng 6 năm 2025 đến hết ngày 14 tháng 9 năm 2025"], ("2025-06-15", "2025-09-14")),
    (["Kỳ báo cáo: Năm 2025", "(Từ ngày 15/12/2024 đến ngày 14/12/2025)"], ("2024-12-15", "2025-12-14")),
])
def test_title_windows_are_read_as_written(lines, expected):
    assert period_from_title(lines) == tuple(dt.date.fromisoformat(d) for d in expected)


def test_a_reversed_range_is_no_period():
    assert period_from_title(["Từ ngày 14/12/2025 đến ngày 15/12/2024"]) is None


@pytest.mark.parametrize(("start", "end", "label"), [
    ("2024-12-15", "2025-12-14", "2025"),      # year: 15/12 of the year before to 14/12
    ("2024-12-15", "2025-06-14", "2025-H1"),   # six months
    ("2025-06-15", "2025-12-14", "2025-H2"),
    ("2024-12-15", "2025-03-14", "2025-Q1"),   # quarter: 15th of the month before it to the 14th of its last
    ("2025-06-15", "2025-09-14", "2025-Q3"),
    ("2025-02-15", "2025-03-14", "2025-03"),   # month
    ("2025-01-01", "2025-12-31", "2025"),      # a calendar year is itself, without a note
])
def test_windows_name_the_period_they_report(start, end, label):
    period, note = window_period(start, end)
    assert period.label == label
    assert (note is None) == (start[-2:] == "01")


def test_official_window_form_is_counted_for_its_period_and_keeps_its_dates(exports, tmp_path):
    report, frame, recon = _clean(exports, tmp_path, "06a_2025.xlsx",
                                  ["Kỳ báo cáo: Năm 2025", "(Từ ngày 15/12/2024 đến ngày 14/12/2025)"])
    assert len(frame) == 3
    assert set(frame["period_start"]) == {pd.Timestamp("2024-12-15")}
    assert set(frame["period_end"]) == {pd.Timestamp("2025-12-14")}
    row = recon.iloc[0]
    assert (row["period"], row["rows_read"], row["rows_kept"]) == ("2025", 3, 3)
    assert "15/12/2024–14/12/2025" in row["note"] and "năm 2025" in row["note"]


def test_window_matching_no_period_is_kept_and_named(exports, tmp_path):
    report, frame, recon = _clean(exports, tmp_path, "06a_le.xlsx",
                                  ["Kỳ báo cáo: đột xuất", "(Từ ngày 01/03/2025 đến ngày 20/05/2025)"])
    assert len(frame) == 3  # never dropped
    assert set(frame["period_start"]) == {pd.Timestamp("2025-03-01")}
    assert set(frame["period_end"]) == {pd.Timestamp("2025-05-20")}
    row = recon.iloc[0]
    assert row["period"] == "2025-03-01..2025-05-20"
    assert "không khớp" in row["note"]
    summary = "\n".join(report.summary_lines())
    assert "06a_le.xlsx#06a" in summary and "01/03/2025–20/05/2025" in summary and "không khớp" in summary


def test_calendar_form_has_its_period_and_no_note(exports, tmp_path):
    report, _, recon = _clean(exports, tmp_path, "06a_q2.xlsx",
                              ["Kỳ báo cáo: Quý II năm 2025", "(Từ ngày 01/04/2025 đến ngày 30/06/2025)"])
    assert (recon.iloc[0]["period"], recon.iloc[0]["note"]) == ("2025-Q2", "")
    assert not any("Ghi chú theo tệp" in line for line in report.summary_lines())
