"""Speed levers of ``cchc clean`` that must not change a single value (issue 10, speed and memory).

The speed itself is measured by ``benchmarks/bench_clean.py``, never by a timed test; these tests check
that each lever gives exactly what the plain computation gives.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from cchc_analysis.ingest import privacy


def _by_hand(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def test_applicant_keys_hash_each_distinct_identity_once(monkeypatch):
    seen: list[list[str]] = []
    real = privacy._hmac_hex

    def spy(key: bytes, messages: list[str]) -> list[str]:
        seen.append(list(messages))
        return real(key, messages)

    monkeypatch.setattr(privacy, "_hmac_hex", spy)
    ids = pd.Series(["079 061 887 668", "079061887668", None, "001122334455", 79061887668.0, None], dtype=object)
    names = pd.Series(["A", "A", "Lê Văn B", "C", "A", None], dtype=object)
    phones = pd.Series(["1", "1", "0386980597", "2", "1", None], dtype=object)
    keys = privacy.applicant_keys(ids, names, phones, key=b"k")
    # Three identities: one ID written three ways (spaces, plain, a number that lost its leading zero),
    # another ID, and a name with a phone; the last row names nobody.
    assert sorted(m for batch in seen for m in batch) == ["id:001122334455", "id:079061887668",
                                                          "np:le van b|0386980597"]
    first = _by_hand(b"k", "id:079061887668")
    assert keys.tolist() == [first, first, _by_hand(b"k", "np:le van b|0386980597"),
                             _by_hand(b"k", "id:001122334455"), first, pd.NA]
    assert str(keys.dtype) == "string"


def test_applicant_keys_of_rows_that_name_nobody_are_missing():
    keys = privacy.applicant_keys(pd.Series([None, None], dtype=object), None, None, key=b"k")
    assert keys.isna().tolist() == [True, True]
    assert len(privacy.applicant_keys(pd.Series([], dtype=object), None, None, key=b"k")) == 0


def _tricky_workbook(path):
    """Data from C3 (blank rows and columns before it), a merged title, numbers and numeric-looking text,
    a leading zero, a real date and a text date, a formula with its cached value, a bool, blank rows."""
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Danh sách")
    ws.merge_range(2, 2, 2, 6, "DANH SÁCH HỒ SƠ")
    ws.write_row(4, 2, ["Mã hồ sơ", "Số tiền", "Ngày tiếp nhận", "Trạng thái", "Ghi chú"])
    ws.write_string(5, 2, "000123")
    ws.write_number(5, 3, 1.921)
    ws.write_datetime(5, 4, dt.datetime(2024, 3, 5, 8, 15), wb.add_format({"num_format": "dd/mm/yyyy hh:mm"}))
    ws.write_string(5, 5, "Đã trả kết quả")
    ws.write_boolean(5, 6, True)
    ws.write_string(6, 2, "H-2")
    ws.write_string(6, 3, "1.921")
    ws.write_string(6, 4, "05/03/2024 08:15")
    ws.write_string(6, 5, "Đã trả kết quả")
    ws.write_formula(6, 6, "=1+1", None, 2)
    ws.write_string(8, 5, "Đã trả kết quả")  # after a blank row
    wb.add_worksheet("Trống")
    wb.close()


@pytest.mark.parametrize("chunk", [3, 16_384])
def test_calamine_rows_are_read_exactly_with_each_text_shared(tmp_path, monkeypatch, chunk):
    from python_calamine import CalamineWorkbook

    from cchc_analysis.ingest import read_workbook, readers

    monkeypatch.setattr(read_workbook, "SHARE_ABOVE_CELLS", 0)  # the path of big sheets, on a small one
    monkeypatch.setattr(read_workbook, "_SHARE_CHUNK", chunk)  # chunk boundaries inside the table, or one chunk
    path = tmp_path / "tricky.xlsx"
    _tricky_workbook(path)
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_name("Danh sách")
    exact, shared = sheet.to_python(skip_empty_area=False), read_workbook._shared_rows(sheet)
    assert shared == exact and [[type(v) for v in r] for r in shared] == [[type(v) for v in r] for r in exact]
    assert len(shared) == 9 and all(len(r) == 7 for r in shared) and shared[0] == [""] * 7
    sheets = readers.read(path)
    assert [(s.sheet, len(s.rows) > 0) for s in sheets] == [("Danh sách", True), ("Trống", False)]
    rows = sheets[0].rows  # leading blank rows dropped; the spreadsheet's row numbers kept
    assert list(sheets[0].row_numbers[:4]) == [3, 4, 5, 6]
    # By hand: the cells as written, from column A (two blank columns before the table).
    assert rows[0] == ["", "", "DANH SÁCH HỒ SƠ", "", "", "", ""]
    assert rows[3][2:] == ["000123", 1.921, rows[3][4], "Đã trả kết quả", True]
    assert rows[3][4].year == 2024 and rows[3][4].hour == 8 and rows[3][4].minute == 15
    assert rows[4][2:] == ["H-2", "1.921", "05/03/2024 08:15", "Đã trả kết quả", 2.0]
    assert isinstance(rows[4][3], str) and isinstance(rows[3][3], float)
    # The same label down a text column is one object (memory on big lists), never copied per cell.
    if chunk > 9:  # one chunk (with chunks of 3 only the values are checked, across chunk boundaries)
        assert rows[3][5] is rows[4][5] is rows[6][5]


def test_the_background_step_hands_back_its_result_or_its_error():
    """The dossiers' dates are parsed beside the applicant keys: the result, or the error, comes back whole."""
    from cchc_analysis.ingest import dossiers

    cells = pd.Series(["02/03/2024 07:41", "31/02/2024", None], dtype=object)
    parsed = dossiers._Background(dossiers._parse_date_columns, {"received_at": cells}).result()
    assert parsed["received_at"].values.dt.strftime("%d/%m/%Y %H:%M").fillna("-").tolist() == ["02/03/2024 07:41", "-", "-"]
    assert parsed["received_at"].problems.fillna("-").tolist() == ["-", "impossible", "-"]
    with pytest.raises(ZeroDivisionError):
        dossiers._Background(lambda n: n / 0, 1).result()
