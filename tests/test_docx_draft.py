"""The Word draft of the sơ kết report: layout of Nghị định 30/2020/NĐ-CP, areas in order, values as given.

Inputs are made by code below; expected texts are written out by hand, not taken from the module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm, Pt

from cchc_analysis import docx_draft

AREAS = [("II.1", "Cải cách thể chế"), ("II.2", "Cải cách thủ tục hành chính"),
         ("II.3", "Cải cách tổ chức bộ máy hành chính nhà nước"), ("II.4", "Cải cách chế độ công vụ"),
         ("II.5", "Cải cách tài chính công"), ("II.6", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
         ("III", "Giải pháp thực hiện Chương trình")]
E_TRANSFER = ("80% hồ sơ giải quyết TTHC được luân chuyển trong nội bộ giữa các cơ quan có thẩm quyền giải quyết "
              "hoặc các cơ quan có liên quan được thực hiện bằng phương thức điện tử.")
PAYMENT = ("Thủ tục hành chính có yêu cầu nghĩa vụ tài chính đủ điều kiện được triển khai thanh toán trực tuyến, "
           "trong đó, tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên.")
SATISFACTION_2030 = "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt tối thiểu 95%."
HEADCOUNT = ("Thực hiện giảm số lượng người làm việc trong đơn vị sự nghiệp công lập hưởng lương từ ngân sách "
             "nhà nước theo lộ trình của tỉnh.")
DISTRICT = "80% hồ sơ công việc tại cấp huyện"
PERSONAL = ("Nguyễn Văn An", "0905123456", "079201001234", "an.nguyen@example.com")


def clause(area, cid, year, text, value_text=None, target=None, status="no_data", status_vi="Chưa có số liệu",
           trend=None, span=None, applies=True, reason=None, quantitative=True):
    return {"area": area, "clause_id": cid, "part": "target", "year": year, "text_vi": text,
            "quantitative": quantitative, "applies": applies, "reason": reason, "indicator_id": cid,
            "value": None, "value_text": value_text, "target_text": target, "status": status,
            "status_vi": status_vi, "trend_text": trend, "value_2021_2025_text": span,
            # a column the draft must never print
            "note": f"{PERSONAL[0]}, CCCD {PERSONAL[2]}"}


def make_inputs(tmp_path: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([2021, 2025], [0.6, 0.85])
    png = tmp_path / "e_transfer.png"
    fig.savefig(png, dpi=50)
    plt.close(fig)
    clauses = pd.DataFrame([
        clause("II.2", "e_transfer_2025", 2025, E_TRANSFER, "85,2%", "≥ 80%", "met", "Đã đạt",
               "+20,1 điểm % so với 2021", "78,4%"),
        clause("II.2", "payment_2025", 2025, PAYMENT, "22,0%", "≥ 30%", "off_track", "Chậm so với lộ trình",
               "+4,0 điểm % so với 2021", "17,5%"),
        clause("II.2", "satisfaction_2030", 2030, SATISFACTION_2030, "91,0%", "≥ 95%", "on_track",
               "Đúng lộ trình", "+11,0 điểm % so với 2021", "88,6%"),
        clause("II.3", "headcount_2025", 2025, HEADCOUNT),
        clause("II.6", "records_district_2025", 2025, DISTRICT, applies=False,
               reason="Sở không quản lý hồ sơ công việc cấp huyện"),
    ])
    tasks = pd.DataFrame({
        "area": ["II.1", "II.2", "II.2", "II.2", "III"],
        "lead_unit": ["Văn phòng", "Văn phòng", "Phòng Quản lý thương mại", "Văn phòng", "Văn phòng"],
        "done": [2, 3, 1, 1, 4], "late": [0, 1, 0, 1, 0], "open": [1, 0, 2, 0, 0],
        # columns the draft must never print
        "assignee": [PERSONAL[0]] * 5, "phone": [PERSONAL[1]] * 5, "email": [PERSONAL[3]] * 5,
    })
    return {"year": 2025, "period_label_vi": "giai đoạn 2021–2025",
            "areas": pd.DataFrame(AREAS, columns=["area", "title_vi"]),
            "clauses": clauses, "tasks": tasks, "figures": {"II.2": [png]}}


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("draft")
    return docx_draft.write_draft(folder / "so-ket.docx", **make_inputs(folder))


@pytest.fixture(scope="module")
def document(draft):
    return docx.Document(str(draft))


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_after(document, caption: str):  # tables are numbered through the draft: II.1's tasks are Bảng 1
    """The table that follows the paragraph ``caption`` in the body."""
    body = document.element.body
    found = False
    for child in body.iterchildren():
        if child.tag.endswith("}p") and docx.text.paragraph.Paragraph(child, document).text == caption:
            found = True
        elif found and child.tag.endswith("}tbl"):
            return docx.table.Table(child, document)
    raise AssertionError(f"no table after {caption!r}")


def test_areas_appear_in_the_programmes_order(document):
    texts = body_texts(document)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    titles = [f"{n}. {title}" for n, (_, title) in enumerate(AREAS, start=1)]
    assert headings[:7] == titles
    parts = ["I. KẾT QUẢ THỰC HIỆN", "1. Cải cách thể chế", "7. Giải pháp thực hiện Chương trình",
             "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2026–2030"]
    assert [texts.index(p) for p in parts] == sorted(texts.index(p) for p in parts)


def test_header_of_an_administrative_document(document):
    header = document.tables[0]
    left = header.cell(0, 0).text + "\n" + header.cell(1, 0).text
    right = header.cell(0, 1).text + "\n" + header.cell(1, 1).text
    assert "UBND TỈNH KHÁNH HÒA" in left and "SỞ CÔNG THƯƠNG" in left
    assert "Số: …/BC-SCT" in left  # number left blank for the office
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    motto = [r for p in header.cell(0, 1).paragraphs for r in p.runs if r.text == "Độc lập - Tự do - Hạnh phúc"]
    assert motto and motto[0].underline and motto[0].bold
    dated = [r for p in header.cell(1, 1).paragraphs for r in p.runs
             if r.text == "Khánh Hòa, ngày … tháng … năm …"]
    assert dated and dated[0].italic
    texts = body_texts(document)
    kind = texts.index("BÁO CÁO")
    assert document.paragraphs[kind].runs[0].bold
    assert texts[kind + 1].startswith("Sơ kết 5 năm thực hiện Chương trình cải cách hành chính")
    assert "giai đoạn 2021–2030" in texts[kind + 1]


def test_page_and_font_follow_the_decree(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert 20 <= round(section.top_margin.mm, 1) <= 25 and 20 <= round(section.bottom_margin.mm, 1) <= 25
    # Word stores margins in twentieths of a point: compare to a tenth of a millimetre
    assert 30 <= round(section.left_margin.mm, 1) <= 35 and 15 <= round(section.right_margin.mm, 1) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    assert document.styles["Heading 1"].font.name == "Times New Roman"
    # page number field in the header, not on the first page
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml


def test_results_table_shows_the_inputs(document):
    table = table_after(document, "Bảng 2. Kết quả thực hiện mục tiêu lĩnh vực II.2")
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Mục tiêu, chỉ tiêu (trích Chương trình)", "Kết quả năm 2025", "Mục tiêu",
                      "Đánh giá", "Xu hướng từ 2021", "Giai đoạn 2021–2025"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows == [
        ["1", "Đến năm 2025: " + E_TRANSFER, "85,2%", "≥ 80%", "Đã đạt", "+20,1 điểm % so với 2021", "78,4%"],
        ["2", "Đến năm 2025: " + PAYMENT, "22,0%", "≥ 30%", "Chậm so với lộ trình", "+4,0 điểm % so với 2021",
         "17,5%"],
        ["3", "Đến năm 2030: " + SATISFACTION_2030, "91,0%", "≥ 95%", "Đúng lộ trình",
         "+11,0 điểm % so với 2021", "88,6%"],
    ]
    headcount = table_after(document, "Bảng 4. Kết quả thực hiện mục tiêu lĩnh vực II.3")
    assert [c.text for c in headcount.rows[1].cells] == ["1", "Đến năm 2025: " + HEADCOUNT, "–", "–",
                                                         "Chưa có số liệu", "–", "–"]
    # a clause that does not apply is named with its reason, not judged
    texts = body_texts(document)
    assert f"Không áp dụng đối với Sở: “{DISTRICT}” (Sở không quản lý hồ sơ công việc cấp huyện)." in texts
    assert not any(DISTRICT in c.text for t in document.tables for r in t.rows for c in r.cells)


def test_readings_say_what_was_met_and_what_was_not(document):
    texts = body_texts(document)
    assert "Trong 3 mục tiêu, chỉ tiêu của lĩnh vực: 1 đã đạt, 1 đúng lộ trình, 1 chậm so với lộ trình." in texts
    behind = next(t for t in texts if t.startswith("Chưa đạt hoặc chậm so với lộ trình:"))
    assert "22,0%" in behind and "≥ 30%" in behind and "85,2%" not in behind
    met = next(t for t in texts if t.startswith("Đã đạt:"))
    assert "85,2%, mục tiêu năm 2025 ≥ 80%" in met
    assert any(t.startswith("Chưa có số liệu để đánh giá: “Thực hiện giảm số lượng người làm việc") for t in texts)
    overall = next(t for t in texts if t.startswith("Trong 4 mục tiêu"))
    assert overall.endswith("; 1 mục tiêu không áp dụng đối với Sở.")  # 5 clauses, one does not apply
    shortcomings = next(t for t in texts if t.startswith("Theo số liệu theo dõi"))
    assert "22,0% so với mục tiêu ≥ 30%" in shortcomings and E_TRANSFER[:30] not in shortcomings
    directions = next(t for t in texts if t.startswith("Các mục tiêu đến năm 2030"))
    assert "Mức độ hài lòng của người dân, doanh nghiệp" in directions and "≥ 95%" in directions


def test_no_number_is_invented(document):
    """Every percentage and every decimal number in the draft comes from the inputs."""
    given = {"85,2%", "≥ 80%", "78,4%", "22,0%", "17,5%", "91,0%", "88,6%", "20,1", "4,0", "11,0"}
    given_numbers = {m for g in given for m in re.findall(r"\d+,\d+", g)}
    clauses_text = " ".join([E_TRANSFER, PAYMENT, SATISFACTION_2030, HEADCOUNT, DISTRICT])
    everything = "\n".join(body_texts(document) + [c.text for t in document.tables for r in t.rows
                                                    for c in r.cells])
    for number in re.findall(r"\d+,\d+", everything):
        assert number in given_numbers, number
    for share in re.findall(r"\d+(?:,\d+)?%", everything):
        assert share in " ".join(given) + clauses_text, share


def test_tasks_by_lead_unit_with_totals_worked_by_hand(document):
    texts = body_texts(document)
    # II.2: Văn phòng 3+1 done, 1+1 late, 0 open; Phòng Quản lý thương mại 1 done, 0 late, 2 open
    assert ("Kết quả thực hiện nhiệm vụ: lĩnh vực có 9 nhiệm vụ theo dõi: 5 đã hoàn thành, 2 trễ hạn, "
            "2 đang thực hiện. Đơn vị có nhiệm vụ trễ hạn: Văn phòng (2).") in texts
    table = table_after(document, "Bảng 3. Tình hình thực hiện nhiệm vụ lĩnh vực II.2")
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Đơn vị chủ trì", "Đã hoàn thành", "Trễ hạn", "Đang thực hiện", "Tổng"],
        ["Văn phòng", "4", "2", "0", "6"],
        ["Phòng Quản lý thương mại", "1", "0", "2", "3"],
        ["Tổng cộng", "5", "2", "2", "9"],
    ]
    assert ("Kết quả thực hiện nhiệm vụ: chưa có nhiệm vụ nào của lĩnh vực trong sổ theo dõi nhiệm vụ."
            in texts)  # II.3 has none


def test_marked_places_for_the_office(document):
    wanted = ["[Văn phòng bổ sung: tồn tại, hạn chế …]", "nguyên nhân", "phương hướng, nhiệm vụ 2026–2030"]
    runs = [r for p in document.paragraphs for r in p.runs if r.text.startswith("[Văn phòng bổ sung")]
    for text in wanted:
        marked = [r for r in runs if text in r.text]
        assert marked, text
        assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in marked), text
    # one place per area for its other results
    assert sum("kết quả nổi bật khác của lĩnh vực" in r.text for r in runs) == len(AREAS)


def test_recipients_and_signature_at_the_end(document):
    last = document.tables[-1]
    left, right = last.cell(0, 0), last.cell(0, 1)
    assert left.paragraphs[0].text == "Nơi nhận:" and left.paragraphs[0].runs[0].bold
    assert left.paragraphs[-1].text == "- Lưu: VT, VP."
    assert right.paragraphs[0].text == "GIÁM ĐỐC"
    assert right.paragraphs[-1].text == "[Họ và tên người ký]"
    assert document.element.body[-2] is last._tbl  # last before the section properties


def test_figures_are_embedded(draft):
    with zipfile.ZipFile(draft) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media == ["word/media/image1.png"]
        assert "docProps/thumbnail.jpeg" not in package.namelist()
    assert "Hình 1" in body_texts(docx.Document(str(draft)))


def test_a_missing_figure_leaves_a_marked_gap(tmp_path):
    inputs = make_inputs(tmp_path)
    inputs["figures"] = {"II.6": [(tmp_path / "absent.png", "Hồ sơ công việc trên môi trường mạng")]}
    path = docx_draft.write_draft(tmp_path / "d.docx", **inputs)
    texts = body_texts(docx.Document(str(path)))
    assert "[Không đọc được hình absent.png: Văn phòng chèn lại hình này]" in texts
    assert "Hình 1. Hồ sơ công việc trên môi trường mạng" in texts


def test_no_personal_data_anywhere_in_the_package(draft):
    document = docx.Document(str(draft))
    assert document.core_properties.author == "Văn phòng Sở Công Thương Khánh Hòa"
    assert document.core_properties.last_modified_by == "Văn phòng Sở Công Thương Khánh Hòa"
    with zipfile.ZipFile(draft) as package:
        xml = "\n".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith((".xml", ".rels")))
    for value in PERSONAL:
        assert value not in xml, value
    assert not re.search(r"\b0\d{9}\b|\b\d{12}\b|[\w.]+@[\w.]+\.\w+", re.sub(r"<[^>]+>", " ", xml))


def test_two_runs_give_the_same_bytes(tmp_path, monkeypatch):
    inputs = make_inputs(tmp_path)
    first = docx_draft.write_draft(tmp_path / "a.docx", **inputs).read_bytes()
    later = time.time() + 3 * 24 * 3600  # a run three days later
    monkeypatch.setattr(time, "time", lambda: later)
    second = docx_draft.write_draft(tmp_path / "b.docx", **inputs).read_bytes()
    assert first == second
    props = docx.Document(str(tmp_path / "b.docx")).core_properties
    assert props.created.year == 2025 and props.modified == props.created


def test_inputs_naming_unknown_areas_are_refused(tmp_path):
    inputs = make_inputs(tmp_path)
    inputs["figures"] = {"II.9": []}
    with pytest.raises(ValueError, match="II.9"):
        docx_draft.write_draft(tmp_path / "x.docx", **inputs)
    inputs = make_inputs(tmp_path)
    inputs["tasks"] = inputs["tasks"].drop(columns="late")
    with pytest.raises(ValueError, match="late"):
        docx_draft.write_draft(tmp_path / "x.docx", **inputs)
    with pytest.raises(ValueError, match="left margin"):
        docx_draft.DraftSettings(margins_mm=(20, 20, 20, 15))


def test_text_xml_refuses_is_dropped_and_settings_apply(tmp_path):
    inputs = make_inputs(tmp_path)
    inputs["clauses"].loc[0, "value_text"] = "85,2%\x0b"
    settings = {"signer_title": ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), "recipients": ("UBND tỉnh (b/c);",)}
    path = docx_draft.write_draft(tmp_path / "d.docx", settings=settings, **inputs)
    document = docx.Document(str(path))
    table = table_after(document, "Bảng 2. Kết quả thực hiện mục tiêu lĩnh vực II.2")
    assert table.cell(1, 2).text == "85,2%"
    signature = document.tables[-1]
    assert signature.cell(0, 1).paragraphs[0].text == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert [p.text for p in signature.cell(0, 0).paragraphs] == ["Nơi nhận:", "- UBND tỉnh (b/c);"]


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(_office() is None, reason="LibreOffice (soffice) is not installed: the PDF check is skipped")
def test_libreoffice_converts_the_draft_to_pdf(draft, tmp_path):
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run([_office(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(draft)],
                          capture_output=True, text=True, timeout=600, check=False)
    pdf = tmp_path / "so-ket.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595(\.\d+)? 841", data)  # A4 in points
