"""The numbers of a pack against figures worked out by hand, from raw exports written by code.

A small dossier list (CSV, as the one-stop system exports it) goes through the real ``cchc report``:
cleaning, the indicator table computed once, the notebooks, ``indicators.csv``, ``scoreboard.xlsx`` and
``index.html``. Every expected figure below is counted by hand from the rows of :data:`DOSSIERS`.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from cchc_analysis import pack

HEADER = ("Mã hồ sơ,Tên thủ tục hành chính,Lĩnh vực,Hình thức nộp,Mức độ,Ngày tiếp nhận,Ngày hẹn trả,"
          "Ngày có kết quả,Trạng thái,Có phí,Thanh toán trực tuyến")
#: id, channel, level, received, due, resolved, status, fee, paid online
DOSSIERS = [
    ("HS001", "Trực tuyến", "Toàn trình", "06/01/2025", "20/01/2025", "15/01/2025", "Đã trả kết quả", "Có", "Có"),
    ("HS002", "Trực tuyến", "Toàn trình", "10/02/2025", "24/02/2025", "24/02/2025", "Đã trả kết quả", "Có", "Có"),
    ("HS003", "Trực tuyến", "Một phần", "03/03/2025", "17/03/2025", "19/03/2025", "Đã trả kết quả", "Có", "Không"),
    ("HS004", "Trực tuyến", "Một phần", "07/04/2025", "21/04/2025", "18/04/2025", "Đã trả kết quả", "Có", "Không"),
    ("HS005", "Trực tuyến", "Toàn trình", "05/05/2025", "19/05/2025", "12/05/2025", "Đã trả kết quả", "Không", "Không"),
    ("HS006", "Trực tuyến", "Toàn trình", "07/07/2025", "21/07/2025", "14/07/2025", "Đã trả kết quả", "Không", "Không"),
    ("HS007", "Trực tiếp", "Không", "04/08/2025", "18/08/2025", "11/08/2025", "Đã trả kết quả", "Không", "Không"),
    ("HS008", "Trực tiếp", "Không", "08/09/2025", "22/09/2025", "30/09/2025", "Đã trả kết quả", "Không", "Không"),
    ("HS009", "Trực tiếp", "Không", "06/10/2025", "20/10/2025", "", "Đang xử lý", "Không", "Không"),
    ("HS010", "Trực tiếp", "Không", "03/11/2025", "17/11/2025", "", "Đang xử lý", "Không", "Không"),
]
# Counted by hand (CONTRACT definitions, docs/contract.md §3):
#   2025: 10 received, 6 online (HS001-006)                        -> online share 6/10 = 0.6
#         8 resolved, 2 late (HS003 19/03 > 17/03, HS008 30/09 > 22/09) -> on time 6/8 = 0.75
#         4 with a fee, 2 paid online (HS001, HS002)               -> online payment 2/4 = 0.5
#   2025-H1: 5 received (HS001-005), all online                     -> 5/5 = 1.0
#   2025-H2: 5 received (HS006-010), 1 online                       -> 1/5 = 0.2
EXPECTED = {
    ("dossier_online_share", "2025"): (6, 10, 0.6),
    ("dossier_online_share", "2025-H1"): (5, 5, 1.0),
    ("dossier_online_share", "2025-H2"): (1, 5, 0.2),
    ("dossier_on_time_share", "2025"): (6, 8, 0.75),
    ("online_payment_share", "2025"): (2, 4, 0.5),
}


def write_exports(raw):
    raw.mkdir(parents=True, exist_ok=True)
    lines = [HEADER]
    for d in DOSSIERS:
        ident, channel, level, received, due, resolved, status, fee, paid = d
        lines.append(",".join([ident, "Cấp giấy phép kinh doanh LPG", "Kinh doanh khí", channel, level, received,
                               due, resolved, status, fee, paid]))
    (raw / "danh_sach_ho_so_2025.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("numbers")
    raw = write_exports(base / "raw")
    settings = pack.resolve(year=2025, raw=raw, processed=base / "processed", out=base / "reports" / "2025",
                            notebooks=["03_digital.ipynb", "05_midterm_review.ipynb"], force=True)
    err = io.StringIO()
    result = pack.build(settings, progress=False, stdout=io.StringIO(), stderr=err)
    assert result.exit_code == 0, err.getvalue()
    return result.out


@pytest.mark.slow
def test_indicators_csv_holds_the_hand_counted_figures(small_pack):
    table = pd.read_csv(small_pack / "indicators.csv", encoding="utf-8-sig", dtype={"period": str})
    overall = table[table["breakdown"] == "all"].set_index(["indicator_id", "period"])
    for key, (num, den, value) in EXPECTED.items():
        row = overall.loc[key]
        assert (row["numerator"], row["denominator"]) == (num, den), key
        assert row["value"] == pytest.approx(value), key
    assert not table["period"].str.startswith("2026").any()  # the 2025 pack stops at 2025


@pytest.mark.slow
def test_the_notebooks_read_the_table_the_run_wrote(small_pack):
    written = pd.read_parquet(small_pack / "indicators.parquet")
    row = written[(written["indicator_id"] == "dossier_online_share") & (written["period"] == "2025")
                  & (written["breakdown"] == "all")]
    assert row["value"].tolist() == [pytest.approx(0.6)]


def scoreboard_rows(path):
    """Rows of every sheet as dicts keyed by the header row, by indicator id (``Mã chỉ tiêu``)."""
    book = openpyxl.load_workbook(path)
    rows = {}
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        header = [str(v) for v in values[0]]
        if "Mã chỉ tiêu" not in header:
            continue
        for row in values[1:]:
            record = dict(zip(header, row, strict=False))
            rows[record["Mã chỉ tiêu"]] = record
    return rows


@pytest.mark.slow
def test_scoreboard_shows_the_hand_counted_figures(small_pack):
    rows = scoreboard_rows(small_pack / "scoreboard.xlsx")
    assert rows["dossier_online_share"]["2025"] == pytest.approx(0.6)
    assert rows["dossier_on_time_share"]["2025"] == pytest.approx(0.75)
    # online AND full: HS001, HS002, HS005, HS006 of 10 received
    assert rows["dossier_full_online_share"]["2025"] == pytest.approx(0.4)
    # 2/4 paid online against the programme's 2025 target of at least 30%: met
    payment = rows["online_payment_share"]
    assert payment["2025"] == pytest.approx(0.5) and payment["Mã trạng thái"] == "met"


def sentences(html: str) -> list[str]:
    """The page's text, cut into sentences (pictures, styles and tags dropped)."""
    import html as html_lib
    import re

    text = re.sub(r"<(img|style|script)\b.*?(>|</style>|</script>)", " ", html, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    return [" ".join(s.split()) for s in re.split(r"(?<=[.;])\s", text)]


@pytest.mark.slow
def test_index_html_says_the_hand_counted_figures(small_pack):
    said = sentences((small_pack / "index.html").read_text(encoding="utf-8"))
    assert any("Năm 2025" in s and "trực tuyến" in s and "60,0%" in s and "n = 10" in s for s in said)
    assert any("Năm 2025" in s and "đúng hạn" in s and "75,0%" in s and "n = 8" in s for s in said)
    assert not any("HS00" in s for s in said)  # dossier ids stay out of the report
