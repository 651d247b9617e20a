"""Exports of the programme's v2 inputs: the procedure catalogue, the task register, and the national
portal's monthly service-index table (QĐ 766) for 2025.

Each file draws from a generator of its own (:func:`~cchc_analysis.sample.simulation._file_rng`), so
adding them leaves every older file byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from cchc_analysis.sample.reference import FIELDS, LAST_DAY, PROCEDURES, SECTIONS
from cchc_analysis.sample.simulation import _file_rng, _World
from cchc_analysis.sample.writers import _Output, _Sheet, _xlsx_bytes

# --- the procedure catalogue ------------------------------------------------------------------

#: Procedures of the catalogue that no dossier of the sample uses: (field, name, days, fee), by field.
EXTRA_PROCEDURES = (
    (FIELDS[0], "Cấp lại Giấy phép bán buôn sản phẩm rượu", 10, True),
    (FIELDS[0], "Cấp sửa đổi, bổ sung Giấy phép bán buôn sản phẩm rượu", 10, True),
    (FIELDS[0], "Cấp lại Giấy phép bán buôn sản phẩm thuốc lá", 10, True),
    (FIELDS[0], "Cấp sửa đổi, bổ sung Giấy phép bán buôn sản phẩm thuốc lá", 10, True),
    (FIELDS[0], "Cấp điều chỉnh Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", 10, True),
    (FIELDS[0], "Cấp Giấy xác nhận đủ điều kiện làm tổng đại lý kinh doanh xăng dầu", 15, True),
    (FIELDS[0], "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", 10, True),
    (FIELDS[0], "Cấp Giấy phép kinh doanh bán buôn, bán lẻ hàng hóa của tổ chức kinh tế có vốn đầu tư nước ngoài",
     15, True),
    (FIELDS[1], "Thông báo thực hiện khuyến mại", 3, False),
    (FIELDS[1], "Đăng ký sửa đổi, bổ sung nội dung chương trình khuyến mại", 5, False),
    (FIELDS[1], "Thông báo sửa đổi, bổ sung nội dung chương trình khuyến mại", 3, False),
    (FIELDS[1], "Đăng ký hoạt động bán hàng đa cấp tại địa phương", 15, False),
    (FIELDS[2], "Cấp sửa đổi, bổ sung Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", 7, True),
    (FIELDS[2], "Cấp lại Giấy chứng nhận đủ điều kiện trạm nạp LPG vào chai", 7, True),
    (FIELDS[2], "Cấp Giấy chứng nhận đủ điều kiện trạm nạp LPG vào xe bồn", 15, True),
    (FIELDS[2], "Cấp Giấy chứng nhận đủ điều kiện trạm cấp LPG", 15, True),
    (FIELDS[3], "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh thực phẩm",
     20, True),
    (FIELDS[3], "Kiểm tra và cấp Giấy xác nhận kiến thức an toàn thực phẩm cho người trực tiếp sản xuất", 5, True),
    (FIELDS[4], "Cấp lại Giấy phép hoạt động điện lực do bị mất hoặc bị hỏng", 5, True),
    (FIELDS[4], "Cấp thẻ Kiểm tra viên điện lực", 10, False),
    (FIELDS[4], "Cấp lại thẻ Kiểm tra viên điện lực", 5, False),
    (FIELDS[4], "Cấp Giấy phép hoạt động tư vấn chuyên ngành điện", 15, True),
    (FIELDS[4], "Huấn luyện và cấp mới thẻ an toàn điện", 10, False),
    (FIELDS[4], "Thỏa thuận đấu nối nhà máy điện vào hệ thống điện", 15, False),
    (FIELDS[5], "Cấp điều chỉnh Giấy chứng nhận đủ điều kiện kinh doanh hóa chất", 10, True),
    (FIELDS[5], "Cấp lại Giấy chứng nhận đủ điều kiện sản xuất hóa chất", 10, True),
    (FIELDS[5], "Xác nhận Biện pháp phòng ngừa, ứng phó sự cố hóa chất", 10, False),
    (FIELDS[5], "Cấp Giấy phép sản xuất, kinh doanh hóa chất hạn chế sản xuất, kinh doanh", 15, True),
    (FIELDS[6], "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp (điều chỉnh)", 7, True),
    (FIELDS[6], "Cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn tiền chất thuốc nổ", 10, True),
    (FIELDS[6], "Cấp Giấy phép kinh doanh tiền chất thuốc nổ", 15, True),
    (FIELDS[7], "Cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh", 15, False),
    (FIELDS[7], "Hỗ trợ kinh phí khuyến công địa phương", 20, False),
    ("Thương mại quốc tế", "Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
     7, True),
    ("Thương mại quốc tế", "Cấp lại Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài", 7, True),
    ("Thương mại quốc tế", "Cấp sửa đổi, bổ sung Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài",
     7, True),
    ("Thương mại quốc tế", "Gia hạn Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài", 7, True),
    ("Thương mại quốc tế", "Chấm dứt hoạt động Văn phòng đại diện của thương nhân nước ngoài", 5, False),
    ("Quản lý cạnh tranh", "Đăng ký tổ chức hoạt động bán hàng đa cấp tại địa phương", 15, False),
    ("Quản lý cạnh tranh", "Đăng ký sửa đổi, bổ sung nội dung hoạt động bán hàng đa cấp tại địa phương", 10, False),
    ("Quản lý cạnh tranh", "Chấm dứt hoạt động bán hàng đa cấp tại địa phương", 5, False),
    ("An toàn đập, hồ chứa thủy điện", "Phê duyệt phương án ứng phó thiên tai cho công trình vùng hạ du đập thủy điện",
     20, False),
    ("An toàn đập, hồ chứa thủy điện", "Phê duyệt phương án ứng phó với tình huống khẩn cấp hồ chứa thủy điện", 20,
     False),
    ("An toàn đập, hồ chứa thủy điện", "Phê duyệt quy trình vận hành hồ chứa thủy điện", 20, False),
)
#: Internal procedures between state bodies (TTHC nội bộ), announced separately (1085/QĐ-TTg).
INTERNAL_PROCEDURES = (
    "Thẩm định kế hoạch phát triển ngành công thương hằng năm",
    "Góp ý dự thảo quy hoạch phát triển mạng lưới kinh doanh xăng dầu",
    "Thẩm định đề án khuyến công địa phương",
    "Phê duyệt kế hoạch xúc tiến thương mại của tỉnh",
    "Thẩm định danh mục dự án điện trung áp, hạ áp",
    "Xác nhận khối lượng hoàn thành chương trình khuyến công",
    "Giao chỉ tiêu biên chế cho đơn vị sự nghiệp công lập trực thuộc Sở",
    "Phê duyệt phương án tự chủ tài chính của đơn vị sự nghiệp công lập trực thuộc Sở",
)
CATALOGUE_NAME = "danh_muc_tthc_so_cong_thuong.xlsx"
CATALOGUE_HEADER = ("STT", "Mã TTHC", "Tên thủ tục hành chính", "Mức độ DVCTT", "Đủ điều kiện DVCTT",
                    "Phí, lệ phí", "Thanh toán trực tuyến", "Tích hợp Cổng DVCQG", "Thời hạn giải quyết",
                    "Công bố/công khai")
_PUBLISHED = "QĐ số 1862/QĐ-UBND ngày 14/7/2025"
_PUBLISHED_INTERNAL = "QĐ số 2411/QĐ-UBND ngày 30/9/2025"


def _roman(k: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[k - 1]


def _catalogue_rows(rng: np.random.Generator) -> list[dict]:
    """Every catalogue procedure with its flags: the sample's own procedures first, by field."""
    rows = []
    for p in PROCEDURES:  # the procedures dossiers use: mostly full online, fee ones mostly payable online
        level = "Toàn trình" if rng.random() < 0.8 else "Một phần"
        rows.append({"code": p.code, "name": p.name, "field": p.field, "level": level, "eligible": True,
                     "fee": p.fee, "payment": bool(p.fee and rng.random() < 0.85), "portal": True,
                     "days": f"{p.deadline} ngày làm việc", "internal": False, "published": _PUBLISHED})
    for k, (field, name, days, fee) in enumerate(EXTRA_PROCEDURES):
        u = rng.random()
        level = "Toàn trình" if u < 0.45 else ("Một phần" if u < 0.8 else "DVC")
        eligible = level != "DVC" or rng.random() < 0.3  # a few eligible but not yet provided online
        rows.append({"code": f"2.{1101 + 7 * k:06d}", "name": name, "field": field, "level": level,
                     "eligible": eligible, "fee": fee, "payment": bool(fee and eligible and rng.random() < 0.7),
                     "portal": level != "DVC" and rng.random() < 0.93, "days": f"{days} ngày làm việc",
                     "internal": False, "published": _PUBLISHED})
    for k, name in enumerate(INTERNAL_PROCEDURES):
        rows.append({"code": f"KHA-NB-{k + 1:02d}", "name": name, "field": None, "level": None, "eligible": None,
                     "fee": False, "payment": None, "portal": None, "days": f"{10 + 5 * (k % 3)} ngày làm việc",
                     "internal": True, "published": _PUBLISHED_INTERNAL if k < 6 else "Chưa công bố"})
    return rows


def _yes(value: bool | None, yes: str = "x", no: str | None = None) -> str | None:
    return None if value is None else (yes if value else no)


def procedure_catalogue(world: _World) -> _Output:
    """The Department's published catalogue (danh mục TTHC): parts A (by field) and B (internal)."""
    rng = _file_rng(CATALOGUE_NAME)
    rows = _catalogue_rows(rng)
    ncols = len(CATALOGUE_HEADER)
    sheet = _Sheet("Danh mục TTHC", ncols, widths=(5.7, 11.7, 60.7, 13.7, 11.7, 30.7, 11.7, 11.7, 17.7, 32.7))
    sheet.add("title", ["UBND TỈNH KHÁNH HÒA"], merge_to=ncols - 1)
    sheet.add("title", ["SỞ CÔNG THƯƠNG"], merge_to=ncols - 1)
    sheet.add("title", ["DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ CÔNG THƯƠNG"],
              merge_to=ncols - 1)
    sheet.add("title", [f"(Cập nhật đến ngày {dt.date.fromisoformat(LAST_DAY):%d/%m/%Y})"], merge_to=ncols - 1)
    sheet.add("blank")
    sheet.add("header", list(CATALOGUE_HEADER))
    sheet.add("section", ["A. DANH MỤC THỦ TỤC HÀNH CHÍNH CẤP TỈNH"], merge_to=ncols - 1)
    fields = [f for _, _, names in SECTIONS for f in names]
    fields += sorted({r["field"] for r in rows if r["field"] and r["field"] not in fields})
    records = []
    for number, field in enumerate(fields, start=1):
        sheet.add("section", [f"{_roman(number)}. LĨNH VỰC {field.upper()}"], merge_to=ncols - 1)
        for k, r in enumerate((r for r in rows if r["field"] == field), start=1):
            fee_text = "Theo quy định tại Thông tư của Bộ Tài chính" if r["fee"] and k % 3 else (
                f"{(k % 5 + 1) * 300:,}.000 đồng/hồ sơ".replace(",", ".") if r["fee"] else "Không")
            row = sheet.add("data", [k, r["code"], r["name"], r["level"], _yes(r["eligible"]), fee_text,
                                     _yes(r["payment"], "Có", "Không") if r["fee"] else None, _yes(r["portal"]),
                                     r["days"], r["published"]])
            records.append(_record(r, row + 1))
    sheet.add("section", ["B. DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ GIỮA CÁC CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC"],
              merge_to=ncols - 1)
    for k, r in enumerate((r for r in rows if r["internal"]), start=1):
        row = sheet.add("data", [k, r["code"], r["name"], None, None, "Không", None, None, r["days"], r["published"]])
        records.append(_record(r, row + 1))
    sheet.add("blank")
    sheet.add("footer", [None] * 7 + ["GIÁM ĐỐC"])
    entry = {"kind": "procedures", "format": "xlsx", "sheet": sheet.name, "rows": len(records),
             "records": records, "layout": {sheet.name: sheet.layout()},
             "notes": "Fields come from the section rows (no field column); part B lists internal procedures "
                      "(TTHC nội bộ), two of them not yet published. Flags: x or blank; payment Có/Không for "
                      "procedures with a fee. The procedures the dossier exports use are all listed."}
    return _Output(CATALOGUE_NAME, _xlsx_bytes(sheet), entry)


def _record(r: dict, row: int) -> dict:
    """The catalogue row as the contract's procedures table should hold it (x-or-blank: true or null)."""
    level = {"Toàn trình": "full", "Một phần": "partial", "DVC": "none", None: None}[r["level"]]
    return {"row": row, "procedure_code": r["code"], "procedure_name": r["name"], "field": r["field"],
            "level": level, "eligible_online": True if r["eligible"] else None, "fee_required": r["fee"],
            "online_payment": r["payment"] if r["fee"] else None, "on_national_portal": True if r["portal"] else None,
            "internal": r["internal"], "published": r["published"] != "Chưa công bố"}


# --- the task register ------------------------------------------------------------------------

UNITS_OF_THE_DEPARTMENT = ("Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý Thương mại",
                           "Phòng Quản lý Công nghiệp", "Phòng Quản lý Năng lượng",
                           "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", "Trung tâm Xúc tiến thương mại")
#: (area, title of the area's section row, tasks as (task, lead unit index, deadline or None when recurring)).
TASKS = (
    ("II.1", "Cải cách thể chế", (
        ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực công thương", 1, "2021-12-31"),
        ("Tham mưu văn bản quy định chức năng, nhiệm vụ của Sở sau hợp nhất tỉnh", 0, "2025-09-30"),
        ("Kiểm tra việc thi hành pháp luật trong lĩnh vực công thương", 1, None),
        ("Đề xuất sửa đổi quy định về quản lý cụm công nghiệp trên địa bàn tỉnh", 4, "2024-06-30"),
        ("Rà soát quy định phân cấp quản lý nhà nước lĩnh vực công thương sau sắp xếp chính quyền hai cấp", 0,
         "2026-06-30"))),
    ("II.2", "Cải cách thủ tục hành chính", (
        ("Công bố, công khai danh mục TTHC thuộc thẩm quyền giải quyết của Sở", 0, "2022-06-30"),
        ("Rà soát, đơn giản hóa TTHC lĩnh vực lưu thông hàng hóa", 3, "2023-12-31"),
        ("Triển khai thanh toán trực tuyến đối với TTHC có nghĩa vụ tài chính", 0, "2025-06-30"),
        ("Số hóa kết quả giải quyết TTHC còn hiệu lực", 0, "2025-12-31"),
        ("Công bố danh mục TTHC nội bộ giữa các cơ quan hành chính nhà nước", 0, "2023-12-31"),
        ("Tiếp nhận, trả kết quả TTHC không phụ thuộc địa giới hành chính", 0, "2026-12-31"),
        ("Kiểm soát việc giải quyết TTHC đúng hạn tại Bộ phận một cửa", 0, None))),
    ("II.3", "Cải cách tổ chức bộ máy hành chính nhà nước", (
        ("Sắp xếp các phòng chuyên môn thuộc Sở theo quy định mới", 0, "2022-12-31"),
        ("Kiện toàn tổ chức Sở Công Thương sau hợp nhất với Sở Công Thương Ninh Thuận", 0, "2025-08-31"),
        ("Sắp xếp lại các đơn vị sự nghiệp công lập trực thuộc Sở", 2, "2025-12-31"),
        ("Xây dựng đề án vị trí việc làm của Sở", 0, "2023-06-30"))),
    ("II.4", "Cải cách chế độ công vụ", (
        ("Tuyển dụng công chức theo vị trí việc làm", 0, "2022-12-31"),
        ("Đánh giá, xếp loại công chức, viên chức hằng năm theo kết quả công việc", 0, None),
        ("Đào tạo, bồi dưỡng kỹ năng số cho công chức, viên chức", 0, "2024-12-31"),
        ("Ban hành quy chế văn hóa công vụ của Sở", 0, "2023-03-31"),
        ("Rà soát cơ cấu ngạch công chức theo vị trí việc làm", 0, "2026-03-31"))),
    ("II.5", "Cải cách tài chính công", (
        ("Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập giai đoạn 2022-2025", 2, "2022-06-30"),
        ("Rà soát định mức chi thường xuyên của các đơn vị trực thuộc", 2, "2023-12-31"),
        ("Xây dựng phương án tự chủ tài chính giai đoạn 2026-2030", 2, "2026-06-30"),
        ("Công khai dự toán, quyết toán ngân sách hằng năm", 2, None))),
    ("II.6", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", (
        ("Xử lý hồ sơ công việc trên môi trường mạng", 0, "2022-12-31"),
        ("Kết nối hệ thống một cửa điện tử với Cổng Dịch vụ công quốc gia", 0, "2021-12-31"),
        ("Triển khai xác thực định danh điện tử VNeID khi thực hiện dịch vụ công trực tuyến", 0, "2024-12-31"),
        ("Cung cấp dịch vụ công trực tuyến mức độ 4 trên nhiều phương tiện truy cập", 0, "2025-12-31"),
        ("Khai thác kho dữ liệu dùng chung của tỉnh cho dịch vụ công trực tuyến", 0, "2026-12-31"),
        ("Thanh tra, kiểm tra qua môi trường số", 1, "2025-12-31"))),
    ("III", "Giải pháp thực hiện chương trình", (
        ("Ban hành kế hoạch cải cách hành chính hằng năm của Sở", 0, None),
        ("Kiện toàn bộ phận tham mưu, giúp việc về cải cách hành chính của Sở", 0, "2022-03-31"),
        ("Tuyên truyền về cải cách hành chính", 0, None),
        ("Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị", 1, None),
        ("Sơ kết 05 năm thực hiện Chương trình cải cách hành chính giai đoạn 2021-2025", 0, "2025-12-31"),
        ("Nghiên cứu sáng kiến, mô hình mới nâng cao chất lượng cải cách hành chính", 6, "2026-12-31"))),
)
TASKS_NAME = "nhiem_vu_cchc_2021_2030.xlsx"
TASKS_HEADER = ("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Tình trạng", "Ngày hoàn thành",
                "Ghi chú")
#: Tasks whose state is set rather than drawn: one dropped, and future ones not started yet.
FIXED_STATES = {
    "Đề xuất sửa đổi quy định về quản lý cụm công nghiệp trên địa bàn tỉnh": "cancelled",
    "Khai thác kho dữ liệu dùng chung của tỉnh cho dịch vụ công trực tuyến": "not_started",
    "Xây dựng phương án tự chủ tài chính giai đoạn 2026-2030": "not_started",
}
_STATUS_TEXT = {"done": "Đã hoàn thành", "late": "Hoàn thành trễ hạn", "in_progress": "Đang thực hiện",
                "not_started": "Chưa thực hiện", "cancelled": "Hủy bỏ"}


def _task_state(rng: np.random.Generator, deadline: dt.date | None, as_of: dt.date) -> tuple[str, dt.date | None]:
    """Status on ``as_of`` and completion date: most past tasks done (some late), recent ones open."""
    if deadline is None:
        return "in_progress", None
    u = rng.random()
    if deadline <= as_of:
        if u < 0.68:
            return "done", deadline - dt.timedelta(days=int(rng.integers(0, 45)))
        if u < 0.84:
            late = deadline + dt.timedelta(days=int(rng.integers(10, 120)))
            return ("late", late) if late <= as_of else ("in_progress", None)
        if u < 0.96:
            return "in_progress", None
        return "cancelled", None
    if u < 0.25:
        return "done", as_of - dt.timedelta(days=int(rng.integers(5, 60)))
    return ("in_progress", None) if u < 0.75 else ("not_started", None)


def task_register(world: _World) -> _Output:
    """The office's register of the programme's tasks, area by area, as at the end of the sample."""
    rng = _file_rng(TASKS_NAME)
    as_of = dt.date.fromisoformat(LAST_DAY)
    ncols = len(TASKS_HEADER)
    sheet = _Sheet("Nhiệm vụ", ncols, widths=(5.7, 70.7, 28.7, 20.7, 12.7, 20.7, 14.7, 30.7))
    sheet.add("title", ["SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA"], merge_to=ncols - 1)
    sheet.add("title", ["THEO DÕI THỰC HIỆN NHIỆM VỤ CHƯƠNG TRÌNH CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2021 - 2030"],
              merge_to=ncols - 1)
    sheet.add("title", [f"(Kèm theo Quyết định số 09/QĐ-SCT ngày 28/01/2022; số liệu đến ngày {as_of:%d/%m/%Y})"],
              merge_to=ncols - 1)
    sheet.add("blank")
    sheet.add("header", list(TASKS_HEADER))
    records = []
    for area, title, tasks in TASKS:
        sheet.add("section", [f"{area}. {title.upper()}"], merge_to=ncols - 1)
        for k, (task, unit, deadline) in enumerate(tasks, start=1):
            due = dt.date.fromisoformat(deadline) if deadline else None
            state, done = _task_state(rng, due, as_of)
            if task in FIXED_STATES:
                state, done = FIXED_STATES[task], None
            due_cell = f"{due:%d/%m/%Y}" if due and rng.random() < 0.7 else (
                f"Quý {('I', 'II', 'III', 'IV')[(due.month - 1) // 3]}/{due.year}" if due and due.month % 3 == 0
                and due.day >= 30 else (f"{due:%d/%m/%Y}" if due else ("Hằng năm" if k % 2 else "Thường xuyên")))
            support = "Các phòng, đơn vị thuộc Sở" if unit == 0 else "Văn phòng Sở"
            note = {"late": "Chậm do chờ hướng dẫn của Bộ", "cancelled": "Không còn phù hợp sau sắp xếp chính quyền "
                    "hai cấp"}.get(state)
            row = sheet.add("data", [k, task, UNITS_OF_THE_DEPARTMENT[unit], support, due_cell, _STATUS_TEXT[state],
                                     f"{done:%d/%m/%Y}" if done else None, note])
            records.append({"row": row + 1, "area": area, "task": task, "lead_unit": UNITS_OF_THE_DEPARTMENT[unit],
                            "deadline": deadline, "status": "done" if state == "late" else state,
                            "done_at": done.isoformat() if done else None, "late": state == "late"})
    sheet.add("blank")
    sheet.add("footer", [None] * 5 + ["NGƯỜI LẬP BIỂU"])
    entry = {"kind": "tasks", "format": "xlsx", "sheet": sheet.name, "rows": len(records), "records": records,
             "layout": {sheet.name: sheet.layout()},
             "notes": "Areas come from the section rows (II.1 … II.6, III); deadlines as dates or Quý N/YYYY "
                      "(the quarter's last day), or Hằng năm / Thường xuyên (no deadline). Late completions are "
                      "'Hoàn thành trễ hạn' (status done, done_at after the deadline)."}
    return _Output(TASKS_NAME, _xlsx_bytes(sheet), entry)


# --- the national portal's service index (QĐ 766), monthly, 2025 -------------------------------

#: Group maxima of the index (QĐ 766/QĐ-TTg), in the export's column order after the agency columns.
INDEX766_GROUPS = (("TDGQ", 20.0), ("MDHL", 18.0), ("MDSH", 22.0), ("TTTT", 10.0), ("CLGQ", 12.0), ("CKMB", 18.0))
INDEX766_HEADER = ("ID", "TEN", "MA_COQUAN", "LOAI_COQUAN", "CAPDONVIID", *[g for g, _ in INDEX766_GROUPS],
                   "TONG_SCORE")
#: (name, agency code, typical share of each group's maximum); the Department first.
INDEX766_AGENCIES = (
    ("Sở Công Thương tỉnh Khánh Hòa", "000.00.23.H32", (0.93, 0.96, 0.74, 0.58, 0.90, 0.88)),
    ("Sở Tư pháp tỉnh Khánh Hòa", "000.00.15.H32", (0.97, 0.97, 0.80, 0.72, 0.93, 0.90)),
    ("Sở Xây dựng tỉnh Khánh Hòa", "000.00.25.H32", (0.90, 0.94, 0.70, 0.66, 0.88, 0.86)),
    ("Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa", "000.00.21.H32", (0.91, 0.95, 0.72, 0.61, 0.89, 0.87)),
    ("Sở Tài chính tỉnh Khánh Hòa", "000.00.18.H32", (0.95, 0.96, 0.78, 0.70, 0.91, 0.89)),
    ("Sở Y tế tỉnh Khánh Hòa", "000.00.27.H32", (0.89, 0.93, 0.69, 0.55, 0.87, 0.85)),
)


def _index766_month(month: int) -> _Output:
    """One month of the portal's table for the province's departments (scores within each group's maximum)."""
    name = f"chi_so_phuc_vu_766_2025_{month:02d}.xlsx"
    rng = _file_rng(name)
    ncols = len(INDEX766_HEADER)
    sheet = _Sheet("Sheet1", ncols, widths=(8.7, 45.7, 16.7, 12.7, 12.7) + (9.7,) * 7, float_format="0.00")
    sheet.add("header", list(INDEX766_HEADER))
    records = []
    drift = (month - 1) / 11
    for k, (agency, code, shares) in enumerate(INDEX766_AGENCIES, start=1):
        scores = []
        for (_group, maximum), share in zip(INDEX766_GROUPS, shares, strict=True):
            value = share + 0.03 * drift + rng.normal(0, 0.015)
            scores.append(round(float(np.clip(value, 0.0, 1.0)) * maximum, 2))
        total = round(sum(scores), 2)
        sheet.add("data", [1000 + k, agency, code, "SO", 2, *scores, total])
        records.append({"agency": agency, "code": code, **{g: s for (g, _), s in zip(INDEX766_GROUPS, scores,
                                                                                       strict=True)},
                        "TONG_SCORE": total})
    entry = {"kind": "portal766", "format": "xlsx", "sheet": sheet.name, "rows": len(records),
             "period": f"2025-{month:02d}", "records": records, "layout": {sheet.name: sheet.layout()},
             "notes": "Export of the national portal's service index (QĐ 766) table for one month of 2025 "
                      "(calendar month, year to date as the portal shows it); the month is in the file name. "
                      "Group maxima: TDGQ 20, MDHL 18, MDSH 22, TTTT 10, CLGQ 12, CKMB 18; TONG_SCORE is their sum."}
    return _Output(name, _xlsx_bytes(sheet), entry)


def index766_months() -> list[tuple[str, object]]:
    """Builders of the twelve monthly portal exports of 2025."""
    return [(f"portal 766 2025-{m:02d}", lambda w, m=m: _index766_month(m)) for m in range(1, 13)]
