"""Evaluations, the yearly survey, and the sheets kept by the office (budget, payroll, manual indicators)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from cchc_analysis.sample.reference import (
    _DAY,
    _REJECTED,
    _RESOLVED,
    AGE_GROUPS,
    BUDGET_UNITS,
    COMMENTS,
    CRITERIA_GIVEN_OVERALL,
    DISSATISFIED,
    E_TRANSFER_SHARE,
    EVALUATED,
    GIVEN_NAMES,
    LAST_DAY,
    LIKERT,
    MANUAL_FIXED,
    MANUAL_NAMES,
    MANUAL_NOTES,
    OVERALL_LABELS,
    PAYROLL_UNITS,
    SURVEY_MEAN,
    SURVEY_QUESTIONS,
    VERY_SATISFIED,
)
from cchc_analysis.sample.simulation import _day, _file_rng, _phones, _seconds, _to_datetimes, _trend, _World
from cchc_analysis.sample.writers import _csv_bytes, _Output, _Sheet, _titled_table, _vn_number, _xlsx_bytes


def _overall_label(text: str, case: int, decompose: bool) -> str:
    """An overall answer in the casing (and Unicode form) a system happens to write.

    >>> _overall_label("Rất hài lòng", 0, False), _overall_label("Hài lòng", 2, False)
    ('RẤT HÀI LÒNG', 'Hài Lòng')
    """
    out = (text.upper(), text, text.title())[case]
    return unicodedata.normalize("NFD", out) if decompose else out


def _evaluations(world: _World, year: int) -> _Output:
    """Per-dossier evaluations of dossiers resolved in the year: criteria 1-9, overall."""
    name = f"danh_gia_hai_long_{year}.xlsx"
    rng = _file_rng(name)
    d = world.dossiers
    end_at = d["end"].to_numpy()
    limit = _seconds(LAST_DAY) + _DAY - 1
    chosen = ((d["outcome"].to_numpy() == _RESOLVED) & (end_at >= _seconds(f"{year}-01-01"))
              & (end_at < _seconds(f"{year + 1}-01-01")) & (end_at <= limit))
    chosen &= rng.random(len(d)) < _trend(EVALUATED, end_at // _DAY)
    picked = d[chosen]
    when = picked["end"].to_numpy() + (rng.uniform(0.05, 12, len(picked)) * _DAY).astype(np.int64)
    keep = when <= limit
    picked, when = picked[keep], when[keep]
    order = np.argsort(when, kind="stable")
    picked, when = picked.iloc[order], when[order]
    n = len(picked)
    day = when // _DAY
    p_very, p_dis = _trend(VERY_SATISFIED, day), _trend(DISSATISFIED, day)
    u = rng.random(n)
    overall = np.where(u < p_very, "very_satisfied", np.where(u < 1 - p_dis, "satisfied", "dissatisfied"))
    cases = rng.choice(3, size=n, p=(0.55, 0.30, 0.15))
    nfd = rng.random(n) < 0.04
    body, counts, blanks, nfd_rows = [], dict.fromkeys(OVERALL_LABELS, 0), 0, []
    for i, (dossier_id, moment, level) in enumerate(
            zip(picked["dossier_id"], _to_datetimes(when), overall, strict=True)):
        scores = rng.choice(3, size=9, p=CRITERIA_GIVEN_OVERALL[level])
        blank = rng.random(9) < 0.02
        blanks += int(blank.sum())
        criteria = [None if b else int(s) for s, b in zip(scores, blank, strict=True)]
        label = _overall_label(OVERALL_LABELS[level], int(cases[i]), bool(nfd[i]))
        body.append([i + 1, dossier_id, moment.replace(second=0)] + criteria + [label])
        counts[level] += 1
        if nfd[i]:
            nfd_rows.append(i + 5)
    suffix = " (đến ngày 30/09/2026)" if year == 2026 else ""
    sheet = _titled_table(
        "Đánh giá", ["SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA",
                     f"KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG CỦA TỔ CHỨC, CÁ NHÂN NĂM {year}{suffix}"],
        ["STT", "Mã hồ sơ", "Ngày đánh giá"] + [f"Tiêu chí {k}" for k in range(1, 10)] + ["Đánh giá chung"],
        body, widths=(6.7, 28.7, 17.7) + (9.7,) * 9 + (18.7,),
    )
    satisfied = counts["very_satisfied"] + counts["satisfied"]
    entry = {"kind": "evaluations", "format": "xlsx", "sheet": "Đánh giá", "rows": n, "overall": counts,
             "satisfaction_share": round(satisfied / n, 4), "blank_criteria_cells": blanks,
             "nfd_overall_rows": nfd_rows, "layout": {"Đánh giá": sheet.layout()},
             "notes": "Ngày đánh giá is a real datetime cell; evaluations of dossiers resolved in the year."}
    return _Output(name, _xlsx_bytes(sheet), entry)


def _planted_comments(year: int, rng: np.random.Generator,
                      applicants: pd.DataFrame) -> list[tuple[tuple[str, ...], str]]:
    """Comments that carry personal numbers, formula-like text or a line break: (tags, text)."""
    phones = _phones(rng, 3)
    spaced = f"{phones[1][:4]} {phones[1][4:7]} {phones[1][7:]}"
    given = GIVEN_NAMES[0][int(rng.integers(0, len(GIVEN_NAMES[0])))]
    out = [
        (("number",), f"Tôi nộp hồ sơ 2 lần vẫn bị trả lại, đề nghị cán bộ liên hệ số {phones[0]} để hướng dẫn."),
        (("number",), f"Liên hệ: {spaced} (anh {given}) nếu cần bổ sung giấy tờ."),
    ]
    if year in (2021, 2024, 2026):
        card = applicants["id_number"].iloc[int(rng.integers(0, len(applicants)))]
        out.append((("number",), f"CCCD {card} của tôi bị sai thông tin trên hệ thống, đề nghị kiểm tra lại."))
    if year == 2023:
        out.append((("formula",), '=HYPERLINK("https://dichvucong.khanhhoa.gov.vn","Xem hướng dẫn")'))
    if year == 2025:
        zalo = f"+84 {phones[2][1:4]} {phones[2][4:7]} {phones[2][7:]}"
        out.append((("formula", "number"), f"{zalo} là số Zalo của tôi, xin gọi lại."))
    if year in (2022, 2025):
        out.append((("multiline",), "Cán bộ tiếp nhận nhiệt tình.\nTuy nhiên thời gian chờ lấy số còn lâu."))
    if year == 2022:
        out.append((("formula",), "- Thủ tục nhanh gọn, đúng hẹn"))
    return out


def _survey(world: _World, year: int) -> _Output:
    """Yearly questionnaire: Google-Forms CSV, five aspects and an overall question."""
    name = f"khao_sat_{year}.csv"
    rng = _file_rng(name)
    n = int(rng.integers(250, 400))
    first, last = (_seconds(f"{year}-10-01"), _seconds(f"{year}-12-01")) if year < 2026 else \
        (_seconds("2026-08-01"), _seconds("2026-10-01"))
    stamps = np.sort(rng.integers(first + 6 * 3600, last - 3600, n))
    stamps = stamps - np.where(stamps % _DAY < 6 * 3600, 6 * 3600, 0)
    moments = _to_datetimes(stamps)
    latent = rng.normal(_trend(SURVEY_MEAN, np.array([_day(f"{year}-06-30")]))[0], 0.6, n)
    rows = []
    for i in range(n):
        answers = np.clip(np.rint(latent[i] + rng.normal(0, 0.55, len(SURVEY_QUESTIONS))), 1, 5).astype(int)
        blank_p = [0.09 if aspect == "feedback" else (0.0 if aspect == "overall" else 0.01)
                   for aspect, _ in SURVEY_QUESTIONS]
        cells = [None if rng.random() < p else LIKERT[a - 1] for a, p in zip(answers, blank_p, strict=True)]
        comment = COMMENTS[int(rng.integers(0, len(COMMENTS)))] if rng.random() < 0.28 else None
        rows.append([moments[i].strftime("%d/%m/%Y %H:%M:%S"), "Nữ" if rng.random() < 0.52 else "Nam",
                     AGE_GROUPS[int(rng.choice(4, p=(0.12, 0.42, 0.37, 0.09)))]] + cells + [comment])
    planted = _planted_comments(year, rng, world.applicants)
    positions = sorted(rng.choice(np.arange(3, n - 3), size=len(planted), replace=False).tolist())
    notes: dict[str, list] = {"number": [], "formula": [], "multiline": []}
    for pos, (tags, text) in zip(positions, planted, strict=True):
        rows[pos][-1] = text
        for tag in tags:
            notes[tag].append({"row": pos + 2, "value": text})
    header = ["Dấu thời gian", "Giới tính", "Độ tuổi"] + [q for _, q in SURVEY_QUESTIONS] + \
        ["Góp ý, kiến nghị (nếu có)"]
    entry = {"kind": "survey", "format": "csv utf-8-sig", "rows": n, "layout": {"": {"header": [1]}},
             "comments_with_numbers": notes["number"], "comments_formula_like": notes["formula"],
             "comments_multiline": notes["multiline"],
             "notes": "Record numbers count the header as record 1; blank answers are not answers."}
    return _Output(name, _csv_bytes(header, rows, "\r\n"), entry)


# --- budget, payroll, manual sheets ----------------------------------------------------------


def _budget(world: _World) -> _Output:
    """Budget of the public service units in triệu đồng, some numbers as Vietnamese text."""
    name = "kinh_phi_don_vi_su_nghiep.xlsx"
    rng = _file_rng(name)
    sheet = _Sheet("Kinh phí", 10, widths=(6.7, 50.7, 20.7) + (12.7,) * 6 + (32.7,), float_format="#,##0.0")
    sheet.add("title", ["SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA"], merge_to=9)
    sheet.add("title", ["TỔNG HỢP KINH PHÍ HOẠT ĐỘNG CỦA CÁC ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP TRỰC THUỘC SỞ"], merge_to=9)
    sheet.add("title", ["Giai đoạn 2021 - 2025 và dự toán năm 2026"], merge_to=9)
    sheet.add("title", [None] * 8 + ["Đơn vị tính: triệu đồng"])
    sheet.merges.append((3, 8, 3, 9))
    sheet.add("header", ["STT", "Đơn vị / Nội dung chi", "Nguồn kinh phí", "Quyết toán", None, None, None, None,
                         "Dự toán 2026", "Ghi chú"])
    sheet.add("header", [None, None, None] + [f"Năm {y}" for y in range(2021, 2026)])
    sheet.merges += [(4, 0, 5, 0), (4, 1, 5, 1), (4, 2, 5, 2), (4, 3, 4, 7), (4, 8, 5, 8), (4, 9, 5, 9)]
    records, text_cells, total = [], [], np.zeros(6)
    for numeral, (unit, lines) in zip(("I", "II"), BUDGET_UNITS, strict=True):
        values = [[None if v is None else round(v * (1 + rng.normal(0, 0.015)), 1) for v in actual] + [plan]
                  for _, _, actual, plan, _ in lines]
        subtotal = [round(sum(v[i] or 0.0 for v in values), 1) for i in range(6)]
        sheet.add("section", [numeral, unit, None] + subtotal)
        total += subtotal
        for k, ((category, funding, _, _, note), vals) in enumerate(zip(lines, values, strict=True), start=1):
            as_text = rng.random(6) < 0.3
            cells = [None if v is None else (_vn_number(v) if t else float(v)) for v, t in
                     zip(vals, as_text, strict=True)]
            row = sheet.add("data", [k, category, funding] + cells + [note]) + 1
            text_cells += [[row, "DEFGHI"[i]] for i, c in enumerate(cells) if isinstance(c, str)]
            canon = "state_budget" if funding == "NSNN" else "own_revenue"
            records += [{"unit": unit, "year": 2021 + i, "category": category, "funding": canon,
                         "stage": "plan" if i == 5 else "actual", "amount_vnd": int(round(v * 1_000_000))}
                        for i, v in enumerate(vals) if v is not None]
    sheet.add("total", [None, "Tổng cộng", None] + [round(float(t), 1) for t in total])
    sheet.add("blank")
    sheet.add("footer", [None, "NGƯỜI LẬP BIỂU"] + [None] * 5 + ["THỦ TRƯỞNG ĐƠN VỊ"])
    rows = sum(role == "data" for role, _ in sheet.rows)
    entry = {"kind": "budget", "format": "xlsx", "sheet": "Kinh phí", "rows": rows, "records": records,
             "text_number_cells": text_cells, "layout": {"Kinh phí": sheet.layout()},
             "notes": "Section rows carry unit subtotals; 2026 is a plan (dự toán), 2021-2025 actuals. One blank "
                      "cell (Trung tâm Xúc tiến thương mại, Nguồn thu sự nghiệp, 2021) is no record."}
    return _Output(name, _xlsx_bytes(sheet), entry)


def _payroll(world: _World) -> _Output:
    """Headcount assigned and actual by unit, funding and year 2021-2026."""
    name = "bien_che.xlsx"
    years = range(2021, 2027)
    sheet = _Sheet("Biên chế", 15, widths=(5.7, 50.7, 14.7) + (10.7,) * 12)
    sheet.add("title", ["SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA"], merge_to=14)
    sheet.add("title", ["TÌNH HÌNH BIÊN CHẾ, SỐ NGƯỜI LÀM VIỆC TẠI CÁC ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP GIAI ĐOẠN "
                        "2021 - 2026"], merge_to=14)
    sheet.add("blank")
    top = [None] * 15
    top[:3] = ["STT", "Đơn vị", "Nguồn kinh phí"]
    for k, year in enumerate(years):
        top[3 + 2 * k] = f"Năm {year}"
    sheet.add("header", top)
    sheet.add("header", [None] * 3 + ["Biên chế được giao", "Số có mặt"] * 6)
    sheet.merges += [(3, c, 4, c) for c in range(3)] + [(3, 3 + 2 * k, 3, 4 + 2 * k) for k in range(6)]
    records, total = [], np.zeros(12, dtype=int)
    for k, (unit, lines) in enumerate(PAYROLL_UNITS, start=1):
        first = len(sheet.rows)
        for j, (funding, pairs) in enumerate(lines):
            flat = [v for pair in pairs for v in pair]
            sheet.add("data", ([k, unit] if j == 0 else [None, None]) + [funding] + flat)
            total += flat
            canon = "state_budget" if funding == "NSNN" else "own_revenue"
            records += [{"unit": unit, "year": y, "funding": canon, "headcount_assigned": a,
                         "headcount_actual": b} for y, (a, b) in zip(years, pairs, strict=True)]
        sheet.merges += [(first, 0, first + 1, 0), (first, 1, first + 1, 1)]
    sheet.add("total", [None, "Tổng cộng", None] + [int(t) for t in total])
    sheet.add("blank")
    sheet.add("note", [None, "Ghi chú: Số có mặt năm 2026 tính đến ngày 30/09/2026; từ 01/7/2025 tỉnh Khánh Hòa "
                             "hợp nhất với tỉnh Ninh Thuận."])
    rows = sum(role == "data" for role, _ in sheet.rows)
    entry = {"kind": "payroll", "format": "xlsx", "sheet": "Biên chế", "rows": rows, "records": records,
             "layout": {"Biên chế": sheet.layout()},
             "notes": "STT and Đơn vị are merged over the NSNN and Tự chủ rows of each unit (forward-fill). "
                      "\"Tự chủ\" is own_revenue."}
    return _Output(name, _xlsx_bytes(sheet), entry)


def _manual_values(world: _World) -> dict[str, list[tuple[int, int, int]]]:
    """Numerator and denominator per year of the six manual indicators."""
    d = world.dossiers
    year = (d["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
    accepted = d["outcome"].to_numpy() != _REJECTED
    online = d["channel"].to_numpy() == 2
    eid = d["eid"].to_numpy()
    values: dict[str, list[tuple[int, int, int]]] = {}
    dens = [int((accepted & (year == y)).sum()) for y in range(2021, 2027)]
    values["internal_e_transfer_share"] = [(y, int(round(den * s)), den)
                                           for y, den, s in zip(range(2021, 2027), dens, E_TRANSFER_SHARE,
                                                                strict=True)]
    for key, pairs in MANUAL_FIXED.items():
        values[key] = [(y, a, b) for y, (a, b) in zip(range(2021, 2027), pairs, strict=True)]
    values["eid_citizen_share"] = [(y, int((online & eid & (year == y)).sum()), int((online & (year == y)).sum()))
                                   for y in range(2022, 2027)]
    return values


def _manual(world: _World) -> _Output:
    """The indicator sheet the office fills by hand, some counts as text ("1.921")."""
    name = "chi_tieu_nhap_tay.xlsx"
    rng = _file_rng(name)
    body, records, text_cells = [], [], []
    for key, rows in _manual_values(world).items():
        for y, num, den in rows:
            cells = [_vn_number(v, 0) if v >= 1000 and rng.random() < 0.35 else v for v in (num, den)]
            note = MANUAL_NOTES.get((key, y), "Số liệu đến 30/9/2026" if y == 2026 else None)
            body.append([len(body) + 1, MANUAL_NAMES[key], y] + cells + [note])
            text_cells += [[len(body) + 4, "DE"[i]] for i, c in enumerate(cells) if isinstance(c, str)]
            records.append({"indicator_id": key, "period": str(y), "numerator": num, "denominator": den,
                            "note": note})
    sheet = _titled_table("Chỉ tiêu", ["CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH THEO DÕI THỦ CÔNG",
                                       "(Số liệu do các phòng chuyên môn cung cấp)"],
                          ["STT", "Chỉ tiêu", "Năm", "Tử số", "Mẫu số", "Ghi chú"], body,
                          widths=(5.7, 70.7, 7.7, 10.7, 10.7, 40.7))
    entry = {"kind": "manual", "format": "xlsx", "sheet": "Chỉ tiêu", "rows": len(body), "records": records,
             "indicator_names": MANUAL_NAMES, "text_number_cells": text_cells,
             "layout": {"Chỉ tiêu": sheet.layout()},
             "notes": "Counts of 1,000 or more are sometimes text with Vietnamese thousands separators."}
    return _Output(name, _xlsx_bytes(sheet), entry)
