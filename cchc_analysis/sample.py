"""Bundled synthetic exports: realistic, reproducible stand-ins for the Department's real data.

:func:`generate` simulates every dossier received by the Department of Industry and Trade of
Khánh Hòa (Sở Công Thương) from 01/01/2021 to 30/09/2026 over its eight fields, follows each one
through its life (registered, accepted, resolved or withdrawn, returned) and writes what the real
systems would have exported at the end of each period:

* yearly dossier lists 2021-2024 (titled xlsx, text dates, Excel date cells or mixed styles),
* the 2025-H1 list as an HTML table saved as ``.xls``,
* the API dump from 07/2025 to 09/2026 (CSV with codes, ISO dates, a receiving-unit column),
* form II.06a per year 2021-2025 (by field) and for 2026-Q3 (by receiving unit),
* per-dossier satisfaction evaluations and the yearly SIPAS-style survey,
* the budget, payroll and manual indicator sheets kept by the office.

The exports overlap the way real ones do (dossiers open at the end of a period appear again in the
next export), and a few rows in each dossier export carry the problems real exports have. The
``manifest.json`` written beside the files says where each planted problem is.

Everything derives from one seed: two runs write the same bytes (fixed workbook timestamps, explicit
encodings and line terminators, no wall-clock time, no hash ordering).

Examples
--------
>>> from pathlib import Path
>>> paths = generate(Path("data/raw/sample"))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import tempfile
import unicodedata
import uuid
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import xlsxwriter
from tqdm import tqdm

__all__ = ["SEED", "generate"]

# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------

SEED = 20210101
CREATED = dt.datetime(2026, 1, 1)
FIRST_DAY = "2021-01-01"
LAST_DAY = "2026-09-30"
MERGER_DAY = "2025-07-01"
API_OVERLAP_DAY = "2025-06-16"
ID_PREFIX = "000.00.23.H32"

SECTIONS = (
    ("I", "Lĩnh vực thương mại",
     ("Lưu thông hàng hóa trong nước", "Xúc tiến thương mại", "Kinh doanh khí", "An toàn thực phẩm")),
    ("II", "Lĩnh vực công nghiệp",
     ("Điện", "Hóa chất", "Vật liệu nổ công nghiệp", "Công nghiệp địa phương")),
)
FIELDS = tuple(name for _, _, names in SECTIONS for name in names)


class Procedure(NamedTuple):
    """One administrative procedure: code, name, field, deadline in working days, fee, relative volume."""

    code: str
    name: str
    field: str
    deadline: int
    fee: bool
    weight: float


_LT, _XT, _KK, _AT = FIELDS[:4]
_DI, _HC, _VL, _CN = FIELDS[4:]
PROCEDURES = (
    Procedure("2.000633", "Cấp Giấy phép bán lẻ sản phẩm rượu", _LT, 10, True, 227),
    Procedure("2.000620", "Cấp Giấy phép bán buôn sản phẩm rượu", _LT, 15, True, 51),
    Procedure("2.000636", "Cấp sửa đổi, bổ sung Giấy phép bán lẻ sản phẩm rượu", _LT, 10, True, 57),
    Procedure("2.000648", "Cấp Giấy phép bán buôn sản phẩm thuốc lá", _LT, 15, True, 28),
    Procedure("2.000674", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", _LT, 15, True, 86),
    Procedure("2.000664", "Cấp lại Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", _LT, 10, True, 30),
    Procedure("1.000409", "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi trên địa bàn 01 tỉnh",
              _XT, 5, False, 114),
    Procedure("2.000019", "Cấp Giấy xác nhận đăng ký tổ chức hội chợ, triển lãm thương mại", _XT, 7, False, 58),
    Procedure("2.000009", "Đăng ký sửa đổi, bổ sung nội dung tổ chức hội chợ, triển lãm thương mại",
              _XT, 5, False, 17),
    Procedure("2.000195", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", _KK, 15, True, 101),
    Procedure("2.000208", "Cấp lại Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", _KK, 7, True, 45),
    Procedure("2.000210", "Cấp Giấy chứng nhận đủ điều kiện trạm nạp LPG vào chai", _KK, 15, True, 28),
    Procedure("2.000591", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", _AT, 20, True, 191),
    Procedure("2.000535", "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", _AT, 5, True, 82),
    Procedure("2.000355", "Cấp Giấy xác nhận kiến thức về an toàn thực phẩm cho tổ chức và cá nhân sản xuất, "
              "kinh doanh thực phẩm", _AT, 5, True, 122),
    Procedure("2.000176", "Cấp Giấy phép hoạt động điện lực", _DI, 15, True, 88),
    Procedure("2.000180", "Cấp sửa đổi, bổ sung Giấy phép hoạt động điện lực", _DI, 10, True, 34),
    Procedure("2.000183", "Cấp lại Giấy phép hoạt động điện lực do hết hạn", _DI, 10, True, 15),
    Procedure("2.000412", "Cấp Giấy chứng nhận đủ điều kiện sản xuất hóa chất sản xuất, kinh doanh có điều kiện "
              "trong lĩnh vực công nghiệp", _HC, 12, True, 23),
    Procedure("2.000418", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hóa chất sản xuất, kinh doanh có điều kiện "
              "trong lĩnh vực công nghiệp", _HC, 12, True, 25),
    Procedure("2.000428", "Thẩm định Kế hoạch phòng ngừa, ứng phó sự cố hóa chất trong lĩnh vực công nghiệp",
              _HC, 20, True, 10),
    Procedure("2.000230", "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp", _VL, 10, True, 26),
    Procedure("2.000234", "Cấp lại Giấy phép sử dụng vật liệu nổ công nghiệp", _VL, 7, True, 16),
    Procedure("2.000242", "Cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp",
              _VL, 10, True, 9),
    Procedure("2.000056", "Đăng ký tham gia bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh",
              _CN, 20, False, 44),
    Procedure("2.000131", "Cấp Giấy xác nhận ưu đãi dự án sản xuất sản phẩm công nghiệp hỗ trợ đối với doanh "
              "nghiệp nhỏ và vừa", _CN, 15, False, 16),
)

STATUS_LABELS = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ", 8: "Dừng xử lý",
    9: "Đã xử lý xong", 10: "Đã trả kết quả",
}
STATUS_CANONICAL = {
    1: "registered", 2: "in_progress", 3: "rejected", 4: "in_progress", 5: "supplement",
    6: "awaiting_payment", 7: "withdrawn", 8: "suspended", 9: "resolved", 10: "returned",
}
OPEN_CODES = (1, 2, 4, 5, 6)
FINISHED_CODES = (7, 9, 10)
CHANNEL_LABELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Dịch vụ bưu chính công ích"}
CHANNEL_CANONICAL = {1: "in_person", 2: "online", 3: "postal"}
LEVEL_LABELS = {3: "Một phần", 4: "Toàn trình"}
UNITS = (
    "Bộ phận một cửa Sở Công Thương (cơ sở Nha Trang)",
    "Bộ phận một cửa Sở Công Thương (cơ sở Phan Rang)",
)

# Trends: (date, value) anchors, interpolated linearly by day and flat outside.
VOLUME = (  # dossiers a year, per receiving unit
    (("2021-07-01", 3300), ("2022-07-01", 3650), ("2023-07-01", 4000), ("2024-07-01", 4350),
     ("2025-06-30", 4550), ("2026-07-01", 4700)),
    (("2025-07-01", 1750), ("2026-07-01", 1950)),
)
ONLINE = (  # probability that a dossier is submitted online, per receiving unit
    (("2021-01-01", 0.36), ("2021-12-31", 0.45), ("2022-12-31", 0.62), ("2023-12-31", 0.73),
     ("2024-12-31", 0.81), ("2025-06-30", 0.85), ("2026-09-30", 0.95)),
    (("2025-07-01", 0.55), ("2025-12-31", 0.78), ("2026-09-30", 0.91)),
)
FULL_GIVEN_ONLINE = (("2021-01-01", 0.20), ("2023-01-01", 0.40), ("2025-01-01", 0.60), ("2026-09-30", 0.75))
PAID_GIVEN_ONLINE = (("2021-01-01", 0.20), ("2022-06-30", 0.30), ("2024-01-01", 0.50), ("2026-09-30", 0.68))
EID_GIVEN_ONLINE = (("2022-06-30", 0.0), ("2022-07-01", 0.05), ("2023-12-31", 0.45), ("2025-06-30", 0.75),
                    ("2026-09-30", 0.90))
DIGITIZED = (("2021-01-01", 0.25), ("2023-01-01", 0.55), ("2025-01-01", 0.80), ("2026-09-30", 0.95))
LATE = (("2021-01-01", 0.13), ("2023-01-01", 0.10), ("2025-06-30", 0.07), ("2025-09-30", 0.11),
        ("2026-09-30", 0.06))
EVALUATED = (("2021-01-01", 0.12), ("2026-09-30", 0.18))
VERY_SATISFIED = (("2021-01-01", 0.50), ("2026-09-30", 0.60))
DISSATISFIED = (("2021-01-01", 0.12), ("2026-09-30", 0.08))
TET_DAYS = ("2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17")

# Invented personal data: syllables and places.
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Cao", "Lương", "Mai", "Trương")
FAMILY_WEIGHTS = (30, 11, 9, 7, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1)
MIDDLE_NAMES = (("Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Gia", "Đình", "Công", "Ngọc", "Xuân", "Anh"),
                ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Bích", "Kim", "Thùy", "Hồng", "Phương", "Minh", "Diệu"))
GIVEN_NAMES = (
    ("An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang", "Khoa", "Kiên",
     "Long", "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Thịnh",
     "Toàn", "Trung", "Tuấn", "Việt", "Vinh"),
    ("Anh", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Loan",
     "Mai", "My", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trinh", "Tuyết",
     "Uyên", "Vân", "Vy", "Yến"),
)
COMPANY_FORMS = ("Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã")
TRADES = ("Thương mại Dịch vụ", "Xăng dầu", "Gas", "Thực phẩm", "Yến sào", "Nước mắm", "Điện mặt trời",
          "Xây lắp điện", "Năng lượng Xanh", "Siêu thị", "Tạp hóa", "Khai thác đá", "Hóa chất", "Nông sản",
          "Rượu vang", "Đồ uống", "Muối", "Thủy sản", "Vật liệu xây dựng")
PHONE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
                  "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096",
                  "097", "098")
VILLAGES = ("Thôn Đông Hải", "Thôn Tân Thành", "Thôn Phú Bình", "Thôn Xuân Lạc", "Thôn Trung", "Thôn Bắc",
            "Thôn Tây", "Thôn Mỹ Thanh", "Thôn Hòa Thạnh")


@dataclass(frozen=True)
class _Region:
    """Where applicants of one receiving unit live: brands, streets, wards and ID-card province codes."""

    province: str
    brands: tuple[str, ...]
    streets: tuple[str, ...]
    wards: tuple[tuple[str, str], ...]
    id_codes: tuple[str, ...]
    id_weights: tuple[float, ...]


REGIONS = (
    _Region(
        "Khánh Hòa",
        ("Hải Long", "Nam Khánh", "Cam Ranh", "Vạn Giã", "Minh Châu", "Phước Thịnh", "Ninh Hòa", "Diên Khánh",
         "Tân Phát", "Khánh Hòa", "Hòn Tre", "Nha Trang", "An Phú", "Thành Đạt", "Hưng Thịnh", "Sông Cái"),
        ("Trần Phú", "Lê Thánh Tôn", "Quang Trung", "Hùng Vương", "Lê Lợi", "2 Tháng 4", "Nguyễn Trọng Kỷ",
         "Tô Hiến Thành", "Phan Bội Châu", "Lê Duẩn", "Võ Thị Sáu", "Trần Quý Cáp", "Lê Hồng Phong"),
        (("Phường Vạn Thạnh", "TP. Nha Trang"), ("Phường Phương Sài", "TP. Nha Trang"),
         ("Phường Lộc Thọ", "TP. Nha Trang"), ("Phường Vĩnh Nguyên", "TP. Nha Trang"),
         ("Phường Tân Lập", "TP. Nha Trang"), ("Xã Phước Đồng", "TP. Nha Trang"),
         ("Phường Cam Lộc", "TP. Cam Ranh"), ("Phường Ba Ngòi", "TP. Cam Ranh"),
         ("Phường Ninh Hiệp", "Thị xã Ninh Hòa"), ("Xã Ninh Xuân", "Thị xã Ninh Hòa"),
         ("Xã Diên Phú", "Huyện Diên Khánh"), ("Xã Suối Hiệp", "Huyện Diên Khánh"),
         ("Xã Cam Hải Tây", "Huyện Cam Lâm"), ("Xã Vạn Thắng", "Huyện Vạn Ninh"),
         ("Xã Vạn Hưng", "Huyện Vạn Ninh")),
        ("056", "054", "079", "052", "001", "058"),
        (70, 7, 8, 5, 5, 5),
    ),
    _Region(
        "Ninh Thuận",
        ("Phan Rang", "Ninh Thuận", "Ninh Chữ", "Cà Ná", "Tháp Chàm", "Phước Dân", "Ninh Sơn", "Thuận Nam",
         "Ninh Hải", "Sơn Hải", "Đầm Nại", "Mỹ Tân"),
        ("Thống Nhất", "21 Tháng 8", "Ngô Gia Tự", "Lê Duẩn", "Trần Phú", "16 Tháng 4", "Nguyễn Văn Cừ",
         "Yên Ninh"),
        (("Phường Phủ Hà", "TP. Phan Rang - Tháp Chàm"), ("Phường Thanh Sơn", "TP. Phan Rang - Tháp Chàm"),
         ("Phường Đài Sơn", "TP. Phan Rang - Tháp Chàm"), ("Phường Mỹ Hương", "TP. Phan Rang - Tháp Chàm"),
         ("Phường Đô Vinh", "TP. Phan Rang - Tháp Chàm"), ("Thị trấn Khánh Hải", "Huyện Ninh Hải"),
         ("Xã Tri Hải", "Huyện Ninh Hải"), ("Thị trấn Phước Dân", "Huyện Ninh Phước"),
         ("Xã Phước Nam", "Huyện Thuận Nam"), ("Thị trấn Tân Sơn", "Huyện Ninh Sơn"),
         ("Xã Công Hải", "Huyện Thuận Bắc")),
        ("058", "056", "079", "060"),
        (75, 10, 8, 7),
    ),
)

# Column headers, exactly as the systems export them.
LIST_COLUMNS = (
    "STT", "Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Chủ hồ sơ", "Số định danh cá nhân",
    "Số điện thoại", "Địa chỉ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp", "Mức độ",
    "Trạng thái", "Có phí, lệ phí", "Thanh toán trực tuyến", "Số hóa kết quả", "Xác thực VNeID",
)
LIST_WIDTHS = (6.7, 28.7, 11.7, 50.7, 26.7, 30.7, 15.7, 13.7, 45.7, 17.7, 17.7, 17.7, 14.7, 11.7, 20.7, 9.7,
               11.7, 9.7, 9.7)
HTML_COLUMNS = (
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Mã TTHC", "Lĩnh vực", "Hình thức nộp", "Mức độ", "Trạng thái",
    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Chủ hồ sơ", "Số định danh cá nhân", "Số điện thoại",
    "Địa chỉ", "Có phí, lệ phí", "Thanh toán trực tuyến", "Số hóa kết quả", "Xác thực VNeID",
)
API_COLUMNS = (
    "Id", "MaHoSo", "MaTTHC", "TenTTHC", "TenLinhVuc", "KenhThucHien", "MucDo", "TrangThaiHoSoId",
    "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "CoPhiLePhi", "DuocThanhToanTrucTuyen", "DaSoHoaKetQua",
    "TaiKhoanDuocXacThucVoiVNeID", "ChuHoSo", "SoGiayToChuHoSo", "SoDienThoaiChuHoSo", "DiaChiChuHoSo",
    "TrichYeuHoSo", "DonViTiepNhan",
)
# Where the cells planted with problems live, per dossier export style (record key -> header).
LIST_PROBLEM_COLUMNS = {"id": "Mã hồ sơ", "received": "Ngày tiếp nhận", "resolved": "Ngày có kết quả",
                        "channel": "Hình thức nộp"}
API_PROBLEM_COLUMNS = {"id": "MaHoSo", "received": "NgayTiepNhan", "resolved": "NgayKetThucXuLy",
                       "channel": "KenhThucHien"}
DATE_STYLES = {"text": "%d/%m/%Y %H:%M", "iso": "%Y-%m-%d %H:%M:%S", "date": "%d/%m/%Y"}

SURVEY_QUESTIONS = (
    ("access", "[Tiếp cận dịch vụ] Nơi tiếp nhận hồ sơ dễ tìm, thuận tiện"),
    ("access", "[Tiếp cận dịch vụ] Trang thiết bị phục vụ người dân, doanh nghiệp đầy đủ, dễ sử dụng"),
    ("procedure", "[Thủ tục hành chính] Thủ tục hành chính được niêm yết công khai, đầy đủ, chính xác"),
    ("procedure", "[Thủ tục hành chính] Thành phần hồ sơ, phí, lệ phí và thời hạn giải quyết đúng quy định"),
    ("staff", "[Công chức giải quyết công việc] Công chức có thái độ lịch sự, tận tình khi tiếp nhận hồ sơ"),
    ("staff", "[Công chức giải quyết công việc] Công chức hướng dẫn kê khai hồ sơ đầy đủ, dễ hiểu"),
    ("result", "[Kết quả dịch vụ] Kết quả giải quyết đúng quy định, thông tin chính xác"),
    ("result", "[Kết quả dịch vụ] Hồ sơ được giải quyết đúng hẹn"),
    ("feedback", "[Tiếp nhận góp ý phản ánh] Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị"),
    ("feedback", "[Tiếp nhận góp ý phản ánh] Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý và phản hồi kịp thời"),
    ("overall", "Nhìn chung, Ông/Bà hài lòng với chất lượng phục vụ của Sở Công Thương ở mức độ nào?"),
)
LIKERT = ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng")
SURVEY_MEAN = (("2021-06-30", 3.85), ("2026-06-30", 4.25))
AGE_GROUPS = ("Dưới 25", "25 - 40", "41 - 60", "Trên 60")
COMMENTS = (
    "Nên bố trí thêm ghế ngồi chờ tại bộ phận một cửa.", "Rất hài lòng, cảm ơn Sở.",
    "Nên gửi tin nhắn khi hồ sơ có kết quả.", "Biểu mẫu trên cổng dịch vụ công khó tìm.", "Không có ý kiến.",
    "Đề nghị rút ngắn thời gian cấp giấy phép bán lẻ rượu.",
    "Đề nghị cho phép nộp bản sao điện tử thay cho bản giấy.", "Thời gian trả kết quả đúng hẹn, tốt.",
    "Hệ thống dịch vụ công đôi khi bị lỗi khi thanh toán trực tuyến.", "Cán bộ hướng dẫn nhiệt tình, chu đáo.",
    "Cần hướng dẫn cụ thể hơn về thành phần hồ sơ an toàn thực phẩm.",
    "Phí thẩm định hơi cao so với hộ kinh doanh nhỏ.",
)
OVERALL_LABELS = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "dissatisfied": "Không hài lòng"}
CRITERIA_GIVEN_OVERALL = {"very_satisfied": (0.01, 0.14, 0.85), "satisfied": (0.05, 0.50, 0.45),
                          "dissatisfied": (0.40, 0.45, 0.15)}  # P(score 0, 1, 2)

BUDGET_UNITS = (  # unit, rows of (category, funding label, actuals 2021-2025, plan 2026, note); triệu đồng
    ("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", (
        ("Chi thường xuyên", "NSNN", (3950, 3890, 3760, 3700, 3580), 3350, None),
        ("Chi không thường xuyên", "NSNN", (2400, 2310, 2250, 2120, 2060), 1900, "Kinh phí khuyến công địa phương"),
        ("Chi thường xuyên", "Nguồn thu sự nghiệp", (400, 430, 445, 500, 520), 540, None))),
    ("Trung tâm Xúc tiến thương mại", (
        ("Chi thường xuyên", "NSNN", (3100, 2980, 2900, 2760, 2650), 2350, None),
        ("Chi không thường xuyên", "NSNN", (2900, 2800, 2650, 2500, 2380), 2050,
         "Chương trình xúc tiến thương mại tỉnh"),
        ("Chi thường xuyên", "Nguồn thu sự nghiệp", (None, 210, 250, 280, 320), 355, None))),
)
PAYROLL_UNITS = (  # unit, rows of (funding label, (assigned, actual) for 2021-2026)
    ("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", (
        ("NSNN", ((15, 15), (15, 14), (14, 13), (14, 13), (13, 12), (12, 11))),
        ("Tự chủ", ((4, 3), (4, 3), (4, 4), (4, 3), (4, 4), (4, 4))))),
    ("Trung tâm Xúc tiến thương mại", (
        ("NSNN", ((12, 12), (12, 11), (11, 10), (11, 10), (10, 10), (9, 9))),
        ("Tự chủ", ((2, 1), (2, 2), (2, 2), (2, 2), (2, 2), (2, 1))))),
)
MANUAL_NAMES = {
    "internal_e_transfer_share": "Tỷ lệ hồ sơ TTHC luân chuyển nội bộ bằng phương thức điện tử",
    "work_records_online_share": "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng",
    "digital_inspection_share": "Tỷ lệ cuộc thanh tra, kiểm tra được thực hiện qua môi trường số",
    "internal_procedures_published_share": "Tỷ lệ TTHC được ban hành quy trình nội bộ giải quyết TTHC",
    "full_online_procedure_share": "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình",
    "eid_citizen_share": "Tỷ lệ hồ sơ trực tuyến của người dân sử dụng tài khoản định danh điện tử VNeID",
}
MANUAL_FIXED = {  # numerator, denominator for 2021-2026 (2026: to 30/09)
    "work_records_online_share": ((2725, 3920), (3288, 4180), (3875, 4512), (4528, 4875), (5005, 5230),
                                  (4290, 4380)),
    "digital_inspection_share": ((2, 22), (4, 25), (7, 28), (12, 30), (15, 26), (14, 20)),
    "internal_procedures_published_share": ((112, 128), (120, 131), (131, 133), (136, 137), (139, 139),
                                            (141, 141)),
    "full_online_procedure_share": ((28, 128), (41, 131), (58, 133), (74, 137), (92, 139), (118, 141)),
}
MANUAL_NOTES = {
    ("digital_inspection_share", 2021): "Chưa có phần mềm quản lý thanh tra",
    ("full_online_procedure_share", 2025): "Danh mục TTHC sau sáp nhập tỉnh từ 01/7/2025",
    ("eid_citizen_share", 2022): "Bắt đầu tích hợp VNeID từ tháng 7/2022",
}
E_TRANSFER_SHARE = (0.62, 0.74, 0.86, 0.94, 0.99, 1.0)

_RESOLVED, _WITHDRAWN, _SUSPENDED, _REJECTED = 0, 1, 2, 3
_NEVER = np.int64(2**62)
_DAY = 86_400


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _day(text: str) -> int:
    """Day number (days since 1970-01-01) of an ISO date.

    >>> _day("1970-01-02")
    1
    """
    return int(np.datetime64(text, "D").astype(np.int64))


def _seconds(text: str) -> int:
    """Seconds since 1970-01-01 of an ISO date (midnight) or datetime."""
    return int(np.datetime64(text, "s").astype(np.int64))


def _trend(anchors: Sequence[tuple[str, float]], days: np.ndarray) -> np.ndarray:
    """Interpolate (date, value) anchors at the given day numbers, flat outside the anchors.

    >>> float(_trend((("2021-01-01", 0.0), ("2021-01-11", 1.0)), np.array([_day("2021-01-06")]))[0])
    0.5
    """
    xs = np.array([_day(d) for d, _ in anchors], dtype=float)
    ys = np.array([v for _, v in anchors], dtype=float)
    return np.interp(np.asarray(days, dtype=float), xs, ys)


def _dossier_id(day: int, seq: int) -> str:
    """The one-stop-shop dossier id of the seq-th dossier received on a day.

    >>> _dossier_id(_day("2024-01-02"), 1)
    '000.00.23.H32-240102-0001'
    """
    d = dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
    return f"{ID_PREFIX}-{d:%y%m%d}-{seq:04d}"


def _vn_number(value: float, decimals: int = 1) -> str:
    """Write a number the Vietnamese way: dot for thousands, comma for decimals.

    >>> _vn_number(2838.0), _vn_number(1921, 0)
    ('2.838,0', '1.921')
    """
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def _to_datetimes(seconds: np.ndarray) -> list[dt.datetime | None]:
    """Python datetimes of epoch seconds; the never-sentinel gives None."""
    values = np.where(seconds >= _NEVER, np.datetime64("NaT"), seconds.astype("datetime64[s]"))
    return list(values.astype("datetime64[s]").astype(object))


def _fmt_when(value: object, style: str) -> object:
    """A date cell in an export style: text in the style's pattern, a datetime for Excel date cells."""
    if value is None or isinstance(value, str):
        return value
    if style == "excel":
        return value.replace(second=0)
    return value.strftime(DATE_STYLES[style])


def _file_rng(name: str) -> np.random.Generator:
    """A generator of its own for each output file, so files do not shift one another's draws."""
    return np.random.default_rng((SEED, zlib.crc32(name.encode("utf-8"))))


def _atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to path through a temporary file in the same folder and an atomic rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# Simulation: applicants, dossiers and their life
# ---------------------------------------------------------------------------------------------


@dataclass
class _World:
    """The simulated truth every export is cut from."""

    dossiers: pd.DataFrame
    applicants: pd.DataFrame
    calendar: np.busdaycalendar
    last_seq: dict[int, int]

    def fresh_id(self, day: int) -> str:
        """A dossier id not used by any simulated dossier (the next number of that day)."""
        self.last_seq[day] = self.last_seq.get(day, 0) + 1
        return _dossier_id(day, self.last_seq[day])


def _holidays() -> np.ndarray:
    """Public holidays (New Year, Tết week, 30/4, 1/5, 2/9) of 2021-2026."""
    days = [f"{year}-{md}" for year in range(2021, 2028) for md in ("01-01", "04-30", "05-01", "09-02")]
    tet = [np.datetime64(t) + k for t in TET_DAYS for k in range(-2, 5)]
    return np.unique(np.concatenate([np.array(days, dtype="datetime64[D]"), np.array(tet)]))


def _person_names(rng: np.random.Generator, female: np.ndarray) -> list[str]:
    """Random Vietnamese full names (family, middle, given) for each gender flag."""
    fam_p = np.array(FAMILY_WEIGHTS, dtype=float) / sum(FAMILY_WEIGHTS)
    family = rng.choice(len(FAMILY_NAMES), size=female.size, p=fam_p)
    middle = rng.integers(0, 1000, female.size)
    given = rng.integers(0, 1000, female.size)
    names = []
    for f, a, b, c in zip(female, family, middle, given, strict=True):
        mids, givens = MIDDLE_NAMES[int(f)], GIVEN_NAMES[int(f)]
        names.append(f"{FAMILY_NAMES[a]} {mids[b % len(mids)]} {givens[c % len(givens)]}")
    return names


def _id_numbers(rng: np.random.Generator, region: _Region, female: np.ndarray, birth: np.ndarray) -> list[str]:
    """12-digit citizen ID numbers: province code, gender-and-century digit, birth year, six digits."""
    p = np.array(region.id_weights, dtype=float) / sum(region.id_weights)
    codes = rng.choice(len(region.id_codes), size=female.size, p=p)
    tails = rng.integers(0, 1_000_000, female.size)
    return [f"{region.id_codes[c]}{int(f) + (2 if y >= 2000 else 0)}{y % 100:02d}{t:06d}"
            for c, f, y, t in zip(codes, female, birth, tails, strict=True)]


def _phones(rng: np.random.Generator, n: int) -> list[str]:
    """10-digit mobile numbers starting 03, 07, 08 or 09."""
    prefixes = rng.integers(0, len(PHONE_PREFIXES), n)
    tails = rng.integers(0, 10_000_000, n)
    return [f"{PHONE_PREFIXES[p]}{t:07d}" for p, t in zip(prefixes, tails, strict=True)]


def _addresses(rng: np.random.Generator, region: _Region, n: int) -> list[str]:
    """House-and-street or village addresses in the region's wards, with or without the province."""
    ward = rng.integers(0, len(region.wards), n)
    street = rng.integers(0, len(region.streets), n)
    number = rng.integers(1, 300, n)
    alley = rng.integers(0, 20, n)
    village = rng.integers(0, len(VILLAGES), n)
    suffix = rng.random(n) < 0.5
    out = []
    for w, s, num, al, v, suf in zip(ward, street, number, alley, village, suffix, strict=True):
        ward_name, district = region.wards[w]
        if ward_name.startswith("Xã"):
            head = VILLAGES[v]
        else:
            house = f"{num}/{al}" if al < 4 else (f"{num}A" if al == 4 else f"{num}")
            head = f"{house} {region.streets[s]}"
        out.append(f"{head}, {ward_name}, {district}" + (f", {region.province}" if suf else ""))
    return out


def _simulate_applicants(rng: np.random.Generator, sizes: tuple[int, int]) -> pd.DataFrame:
    """Applicant pools of the two regions: individuals, household businesses and companies."""
    frames = []
    for region, n in zip(REGIONS, sizes, strict=True):
        female = rng.random(n) < 0.48
        birth = rng.integers(1955, 2005, n)
        person = _person_names(rng, female)
        kind = rng.choice(3, size=n, p=(0.45, 0.20, 0.35))
        forms = rng.choice(len(COMPANY_FORMS), size=n, p=(0.45, 0.15, 0.2, 0.15, 0.05))
        trades = rng.integers(0, len(TRADES), n)
        brands = rng.integers(0, len(region.brands), n)
        names = [
            p if k == 0 else (f"Hộ kinh doanh {p}" if k == 1
                              else f"{COMPANY_FORMS[f]} {TRADES[t]} {region.brands[b]}")
            for p, k, f, t, b in zip(person, kind, forms, trades, brands, strict=True)
        ]
        frames.append(pd.DataFrame({
            "name": names,
            "id_number": _id_numbers(rng, region, female, birth),
            "phone": _phones(rng, n),
            "address": _addresses(rng, region, n),
        }))
    return pd.concat(frames, ignore_index=True)


def _arrivals(rng: np.random.Generator, calendar: np.busdaycalendar) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers and receiving units of every dossier, drawn day by day from the volume trends."""
    days = np.arange(np.datetime64(FIRST_DAY), np.datetime64(LAST_DAY) + 1)
    dn = days.astype(np.int64)
    open_day = np.is_busday(days, busdaycal=calendar)
    saturday = (dn + 3) % 7 == 5
    factor = np.where(open_day, 1.0, np.where(saturday, 0.12, 0.05))
    factor = factor * np.where(days.astype("datetime64[M]").astype(np.int64) % 12 == 11, 1.1, 1.0)
    merged = dn >= _day(MERGER_DAY)
    rates = [_trend(VOLUME[0], dn), np.where(merged, _trend(VOLUME[1], dn), 0.0)]
    counts = [rng.poisson(rate * factor / 255) for rate in rates]
    day = np.concatenate([np.repeat(dn, c) for c in counts])
    unit = np.concatenate([np.full(int(c.sum()), k) for k, c in enumerate(counts)])
    return day, unit


def _clock(rng: np.random.Generator, online: np.ndarray) -> np.ndarray:
    """Seconds after midnight: office hours at the counter, most of the day online."""
    n = online.size
    hours = np.array([0, 0, 0, 0, 0, 0, 1, 3, 8, 9, 9, 7, 4, 5, 8, 8, 7, 5, 3, 3, 3, 2, 1, 0], dtype=float)
    online_sec = rng.choice(24, size=n, p=hours / hours.sum()) * 3600 + rng.integers(0, 3600, n)
    minute = rng.integers(0, 435, n)
    office_min = np.where(minute < 240, 450 + minute, 810 + minute - 240)
    office_sec = office_min * 60 + rng.integers(0, 60, n)
    return np.where(online, online_sec, office_sec)


def _simulate_dossiers(rng: np.random.Generator, calendar: np.busdaycalendar,
                       pool_sizes: tuple[int, int]) -> pd.DataFrame:
    """Every dossier of 2021-01-01..2026-09-30 with its attributes, in order of reception, with ids."""
    day, unit = _arrivals(rng, calendar)
    n = day.size
    open_day = np.is_busday(day.astype("datetime64[D]"), busdaycal=calendar)
    p_online = np.where(unit == 0, _trend(ONLINE[0], day), _trend(ONLINE[1], day))
    online = (rng.random(n) < p_online) | ~open_day
    channel = np.where(online, 2, np.where(rng.random(n) < 0.14, 3, 1))
    received = day * _DAY + _clock(rng, online)
    weights = np.array([p.weight for p in PROCEDURES], dtype=float)
    proc = rng.choice(len(PROCEDURES), size=n, p=weights / weights.sum())
    fee = np.array([p.fee for p in PROCEDURES])[proc]
    level = np.where(online, np.where(rng.random(n) < _trend(FULL_GIVEN_ONLINE, day), 4, 3), 0)
    paid = fee & online & (rng.random(n) < _trend(PAID_GIVEN_ONLINE, day))
    eid = online & (rng.random(n) < _trend(EID_GIVEN_ONLINE, day))
    digitized = rng.random(n) < _trend(DIGITIZED, day)
    ranks = [np.arange(size) for size in pool_sizes]
    picks = [rng.choice(size, size=n, p=(r + 1.0) ** -0.7 / ((r + 1.0) ** -0.7).sum())
             for size, r in zip(pool_sizes, ranks, strict=True)]
    applicant = np.where(unit == 0, picks[0], pool_sizes[0] + picks[1])
    frame = pd.DataFrame({
        "day": day, "unit": unit, "channel": channel, "received": received, "proc": proc, "fee": fee,
        "level": level, "paid": paid, "eid": eid, "digitized": digitized, "applicant": applicant,
    })
    frame = frame.sort_values(["received"], kind="stable").reset_index(drop=True)
    starts = np.r_[0, np.flatnonzero(np.diff(frame["day"].to_numpy()) != 0) + 1]
    lengths = np.diff(np.r_[starts, n])
    frame["seq"] = np.arange(n) - np.repeat(starts, lengths) + 1
    frame["dossier_id"] = [_dossier_id(d, s) for d, s in zip(frame["day"], frame["seq"], strict=True)]
    return _lifecycle(rng, frame, calendar)


def _lifecycle(rng: np.random.Generator, frame: pd.DataFrame, calendar: np.busdaycalendar) -> pd.DataFrame:
    """Acceptance, due date, outcome, end and return times of every dossier (epoch seconds)."""
    n = len(frame)
    recv = frame["received"].to_numpy()
    recv_day = frame["day"].to_numpy().astype("datetime64[D]")
    tod = recv - frame["day"].to_numpy() * _DAY
    deadline = np.array([p.deadline for p in PROCEDURES])[frame["proc"].to_numpy()]
    online = frame["channel"].to_numpy() == 2

    def offset(days: np.ndarray, k: np.ndarray) -> np.ndarray:
        return np.busday_offset(days, k, roll="forward", busdaycal=calendar).astype(np.int64)

    def office_time(size: int) -> np.ndarray:
        return rng.integers(7 * 3600 + 1800, 17 * 3600, size)

    due_day = offset(recv_day, deadline)
    accept = recv + np.where(online, (rng.uniform(0.2, 30, n) * 3600).astype(np.int64), 0)
    u = rng.random(n)
    outcome = np.select([u < 0.025, u < 0.045, u < 0.055], [_REJECTED, _WITHDRAWN, _SUSPENDED], _RESOLVED)
    late = rng.random(n) < _trend(LATE, frame["day"].to_numpy())
    on_due = rng.random(n) < 0.22
    early_k = 1 + np.floor(rng.beta(1.6, 2.4, n) * (deadline - 1)).astype(np.int64)
    late_k = rng.geometric(0.25, n)
    finish_day = np.where(late, offset(due_day.astype("datetime64[D]"), late_k),
                          np.where(on_due, due_day, offset(recv_day, early_k)))
    stop_day = offset(recv_day, rng.integers(1, deadline + 1))
    finish = np.maximum(finish_day * _DAY + office_time(n), accept + 3600)
    stop = np.maximum(stop_day * _DAY + office_time(n), accept + 3600)
    reject = recv + (rng.uniform(0.5, 40, n) * 3600).astype(np.int64)
    end = np.select([outcome == _RESOLVED, outcome == _REJECTED], [finish, reject], stop)
    accept = np.where(outcome == _REJECTED, reject, accept)
    returned = end + (rng.exponential(1.2, n) * _DAY).astype(np.int64)
    returned = np.where((outcome == _RESOLVED) & (rng.random(n) > 0.05), returned, _NEVER)
    open_code = rng.choice(np.array([4, 2, 5, 6]), size=n, p=(0.68, 0.10, 0.14, 0.08))
    open_code = np.where((open_code == 6) & ~frame["fee"].to_numpy(), 4, open_code)
    return frame.assign(due=due_day * _DAY + tod, accept=accept, outcome=outcome, end=end, returned=returned,
                        open_code=open_code)


def _simulate() -> _World:
    """The whole simulated world, from the module seed."""
    rng = np.random.default_rng(SEED)
    calendar = np.busdaycalendar(holidays=_holidays())
    sizes = (3500, 1400)
    applicants = _simulate_applicants(rng, sizes)
    dossiers = _simulate_dossiers(rng, calendar, sizes)
    last_seq = dossiers.groupby("day")["seq"].max().astype(int).to_dict()
    return _World(dossiers, applicants, calendar, {int(k): v for k, v in last_seq.items()})


def _status_at(d: pd.DataFrame, at: int) -> np.ndarray:
    """Status code (1-10) of each dossier as the system showed it at epoch second ``at``."""
    outcome, end = d["outcome"].to_numpy(), d["end"].to_numpy()
    code = np.where(at < d["accept"].to_numpy(), 1, d["open_code"].to_numpy())
    ended = at >= end
    code = np.where(ended & (outcome == _REJECTED), 3, code)
    code = np.where(ended & (outcome == _WITHDRAWN), 7, code)
    code = np.where(ended & (outcome == _SUSPENDED), 8, code)
    done = np.where(at >= d["returned"].to_numpy(), 10, 9)
    return np.where(ended & (outcome == _RESOLVED), done, code)


def _export_mask(d: pd.DataFrame, start: str, end: str) -> np.ndarray:
    """Dossiers an export of [start, end] lists: received in it, or received before and still open."""
    s, e = _seconds(start), _seconds(end) + _DAY
    recv = d["received"].to_numpy()
    carried = (recv < s) & np.isin(_status_at(d, s - 1), OPEN_CODES)
    return ((recv >= s) & (recv < e)) | carried


def _snapshot(world: _World, mask: np.ndarray, at: int) -> list[dict]:
    """Records of the masked dossiers as the system showed them at epoch second ``at``."""
    d = world.dossiers[mask]
    status = _status_at(d, at)
    due = np.where(np.isin(status, (1, 3)), _NEVER, d["due"].to_numpy())
    resolved = np.where(np.isin(status, FINISHED_CODES), d["end"].to_numpy(), _NEVER)
    apps = world.applicants.iloc[d["applicant"].to_numpy()]
    columns = {
        "id": d["dossier_id"].tolist(), "day": d["day"].tolist(), "proc": d["proc"].tolist(),
        "unit": np.where(d["received"].to_numpy() >= _seconds(MERGER_DAY), d["unit"].to_numpy(), -1).tolist(),
        "channel": d["channel"].tolist(), "level": d["level"].tolist(), "status": status.tolist(),
        "received": _to_datetimes(d["received"].to_numpy()), "due": _to_datetimes(due),
        "resolved": _to_datetimes(resolved), "fee": d["fee"].tolist(), "paid": d["paid"].tolist(),
        "digitized": (d["digitized"].to_numpy() & np.isin(status, (9, 10))).tolist(), "eid": d["eid"].tolist(),
        "name": apps["name"].tolist(), "id_number": apps["id_number"].tolist(), "phone": apps["phone"].tolist(),
        "address": apps["address"].tolist(),
    }
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


# ---------------------------------------------------------------------------------------------
# Planted problems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ProblemSpec:
    """How one dossier export spells its planted problems."""

    impossible: str  # an impossible date written in the file's own style
    unknown_channel: object  # a channel label or code the vocabulary does not know
    extra_missing_id: bool = False


def _add_duplicates(records: list[dict], rng: np.random.Generator, count: int) -> list[dict]:
    """Copy ``count`` records to a row one to three places below the original (a re-export glitch)."""
    out = list(records)
    for pos in sorted(rng.choice(np.arange(10, len(records) - 10), size=count, replace=False), reverse=True):
        copy = dict(records[pos], _duplicate=True)
        out.insert(int(pos) + int(rng.integers(1, 4)), copy)
    return out


def _bad_record(kind: str, base: dict, world: _World, spec: _ProblemSpec) -> dict:
    """A copy of ``base`` under a fresh id, broken in the way ``kind`` says, with its manifest note."""
    rec = dict(base, id=world.fresh_id(base["day"]), _duplicate=False)
    if kind == "missing_id":
        rec["id"] = None
        note = ("id", None, "missing dossier id")
    elif kind == "impossible_date":
        rec["received"] = spec.impossible
        note = ("received", spec.impossible, "impossible date")
    elif kind == "resolved_before_received":
        rec["resolved"] = rec["received"] - dt.timedelta(days=3, hours=2)
        note = ("resolved", rec["resolved"], "resolved before received")
    elif kind == "far_future":
        shift = dt.timedelta(days=(dt.date(2042, 1, 1) - dt.date(rec["received"].year, 1, 1)).days)
        rec["received"] = rec["received"] + shift
        rec["due"] = rec["due"] + shift if rec["due"] else None
        note = ("received", rec["received"], "date years beyond the file's period")
    else:
        rec["channel"] = spec.unknown_channel
        note = ("channel", spec.unknown_channel, "unknown channel")
    rec["_problem"] = note
    return rec


def _plant_problems(records: list[dict], rng: np.random.Generator, world: _World,
                    spec: _ProblemSpec, duplicates: int) -> list[dict]:
    """Add exact duplicate rows, and one bad row of each kind just below the row it was copied from."""
    out = _add_duplicates(records, rng, duplicates)
    kinds = ["missing_id", "impossible_date", "resolved_before_received", "far_future", "unknown_channel"]
    if spec.extra_missing_id:
        kinds.append("missing_id")
    finished = [r for r in records if r["status"] in (9, 10) and r["received"].month != 2]
    open_ = [r for r in records if r["status"] in (2, 4, 5) and r["received"].month != 2]
    for kind in kinds:
        pool = finished if kind == "resolved_before_received" else open_ if kind == "far_future" else records
        base = pool[int(rng.integers(0, len(pool)))]
        bad = _bad_record(kind, base, world, spec)
        out.insert(next(i for i, r in enumerate(out) if r is base) + 1, bad)
    return out


def _problem_entries(records: list[dict], first_row: int, columns: dict[str, str], style: str,
                     sheet: str | None) -> tuple[list[dict], list[dict]]:
    """Manifest entries (bad rows, duplicate rows) of the records written from ``first_row`` on."""
    bad, dups, seen = [], [], {}
    for i, rec in enumerate(records):
        row = first_row + i
        if rec.get("_problem"):
            key, value, reason = rec["_problem"]
            text = _fmt_when(value, "text" if style == "excel" else style)
            bad.append({"sheet": sheet, "row": row, "dossier_id": rec["id"], "column": columns[key],
                        "value": None if text is None else str(text), "reason": reason})
        elif rec.get("_duplicate"):
            dups.append({"sheet": sheet, "row": row, "dossier_id": rec["id"], "first_row": seen[rec["id"]]})
        elif rec["id"] is not None:
            seen.setdefault(rec["id"], row)
    return bad, dups


# ---------------------------------------------------------------------------------------------
# Writers: one sheet model for xlsx and html, a csv helper
# ---------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """Rows of one export sheet, each tagged with its role (title, header, data, total, footer ...)."""

    name: str
    ncols: int
    rows: list[tuple[str, list]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    widths: Sequence[float] = ()
    float_format: str = "General"

    def add(self, role: str, cells: Sequence = (), merge_to: int | None = None) -> int:
        """Append a row (padded to the sheet width); ``merge_to`` merges its first cell that far."""
        row = list(cells) + [None] * (self.ncols - len(cells))
        self.rows.append((role, row))
        r = len(self.rows) - 1
        if merge_to is not None:
            self.merges.append((r, 0, r, merge_to))
        return r

    def first_row(self, role: str) -> int:
        """1-based number of the first row with ``role``."""
        return next(i for i, (r, _) in enumerate(self.rows) if r == role) + 1

    def layout(self) -> dict[str, list]:
        """Non-data rows by role, 1-based, runs written as [first, last]."""
        out: dict[str, list] = {}
        for role, rows in self._runs():
            if role != "data":
                out.setdefault(role, []).append(rows[0] if rows[0] == rows[1] else list(rows))
        return out

    def _runs(self) -> list[tuple[str, tuple[int, int]]]:
        runs: list[tuple[str, tuple[int, int]]] = []
        for i, (role, _) in enumerate(self.rows, start=1):
            if runs and runs[-1][0] == role and runs[-1][1][1] == i - 1:
                runs[-1] = (role, (runs[-1][1][0], i))
            else:
                runs.append((role, (i, i)))
        return runs


_ROLE_FORMATS = {
    "title": {"bold": True, "align": "center"},
    "header": {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1,
               "bg_color": "#DDEBF7"},
    "numbering": {"italic": True, "align": "center", "border": 1},
    "section": {"bold": True, "border": 1},
    "data": {"border": 1},
    "total": {"bold": True, "border": 1},
    "footer": {"bold": True, "align": "center"},
    "note": {"italic": True},
    "blank": {},
}


def _titled_table(name: str, titles: Sequence[str], header: Sequence[str], body: Sequence[Sequence],
                  *, widths: Sequence[float] = (), total: str | None = None,
                  signature: Sequence[str] = ()) -> _Sheet:
    """The usual titled export: title lines, a blank row, a header, data rows, then an optional total
    line ("Tổng số: ..."), a blank row and a signature block on the right.

    >>> sheet = _titled_table("S", ["TITLE"], ["A", "B"], [[1, "x"]], total="Tổng số: 1")
    >>> sheet.layout()
    {'title': [1], 'blank': [2], 'header': [3], 'footer': [5]}
    """
    ncols = len(header)
    sheet = _Sheet(name, ncols, widths=widths)
    for line in titles:
        sheet.add("title", [line], merge_to=ncols - 1)
    sheet.add("blank")
    sheet.add("header", header)
    for cells in body:
        sheet.add("data", cells)
    if total is not None:
        sheet.add("footer", [total], merge_to=min(3, ncols - 1))
    if signature:
        sheet.add("blank")
        col = max(ncols - 4, 0)
        for line in signature:
            sheet.add("footer", [None] * col + [line])
    return sheet


def _xlsx_bytes(sheet: _Sheet, date_format: str = "dd/mm/yyyy hh:mm") -> bytes:
    """The sheet as an xlsx workbook with fixed document properties and zip timestamps."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": CREATED, "author": "Sở Công Thương tỉnh Khánh Hòa"})
    ws = workbook.add_worksheet(sheet.name)
    cache: dict[tuple[str, str], object] = {}

    def fmt(role: str, kind: str):
        if (role, kind) not in cache:
            props = dict(_ROLE_FORMATS[role])
            if kind == "date":
                props["num_format"] = date_format
            elif kind == "float":
                props["num_format"] = sheet.float_format
            cache[(role, kind)] = workbook.add_format(props)
        return cache[(role, kind)]

    anchors = {(m[0], m[1]): m for m in sheet.merges}
    covered = {(r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, (role, cells) in enumerate(sheet.rows):
        for c, value in enumerate(cells):
            if (r, c) in anchors:
                ws.merge_range(*anchors[(r, c)], "", fmt(role, "text"))
            elif (r, c) in covered or value is None:
                continue
            _write_cell(ws, r, c, value, fmt, role)
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    workbook.close()
    return buffer.getvalue()


def _write_cell(ws, r: int, c: int, value: object, fmt: Callable, role: str) -> None:
    """Write one cell by its Python type: text stays text (never a formula), numbers, Excel dates."""
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(r, c, value, fmt(role, "text"))
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt(role, "date"))
    elif isinstance(value, float | np.floating):
        ws.write_number(r, c, float(value), fmt(role, "float"))
    else:
        ws.write_number(r, c, int(value), fmt(role, "text"))


def _html_bytes(sheet: _Sheet, title: str) -> bytes:
    """The sheet as the HTML table some systems save with an .xls name (UTF-8, CRLF, &nbsp; blanks)."""
    span = sheet.ncols
    lines = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">',
        "<head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        '<style>td{mso-number-format:"\\@";font-family:"Times New Roman";font-size:12pt} '
        '.num{mso-number-format:"0"} th{background:#DDEBF7}</style>',
        "</head>",
        "<body>",
        '<table border="1" cellspacing="0" cellpadding="2">',
    ]
    for role, cells in sheet.rows:
        text = [None if v is None else html.escape(str(v), quote=False) for v in cells]
        if role == "title":
            lines.append(f'<tr><td colspan="{span}" align="center" style="font-weight:bold;border:none">'
                         f"<b>{text[0]}</b></td></tr>")
        elif role == "blank":
            lines.append(f'<tr><td colspan="{span}">&nbsp;</td></tr>')
        elif role == "footer":
            lines.append(f'<tr><td colspan="{span}" style="border:none">{text[0]}</td></tr>')
        elif role == "header":
            lines.append("<tr>" + "".join(f"<th>{v}</th>" for v in text) + "</tr>")
        else:
            tds = [f'<td class="num">{text[0]}</td>'] + [f"<td>{'&nbsp;' if v is None else v}</td>"
                                                         for v in text[1:]]
            lines.append("<tr>" + "".join(tds) + "</tr>")
    lines += ["</table>", "</body>", "</html>", ""]
    return "\r\n".join(lines).encode("utf-8")


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence], line_end: str) -> bytes:
    """A CSV in UTF-8 with BOM and an explicit line terminator (blank for None)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------


@dataclass
class _Output:
    """One generated file: its name, bytes and manifest entry."""

    name: str
    data: bytes
    entry: dict
    dossier_rows: dict[str, list[int]] = field(default_factory=dict)


def _flag(value: bool | None, yes: str = "Có", no: str = "Không") -> str | None:
    """A yes/no cell as the lists write it (None stays blank).

    >>> _flag(True), _flag(False), _flag(None)
    ('Có', 'Không', None)
    """
    return None if value is None else (yes if value else no)


def _list_cells(rec: dict, style: str, digitized_no: str | None) -> dict[str, object]:
    """The cells of one dossier in the list exports (xlsx or html), by header."""
    proc = PROCEDURES[rec["proc"]]
    online = rec["channel"] == 2
    channel = rec["channel"] if isinstance(rec["channel"], str) else CHANNEL_LABELS[rec["channel"]]
    finished = rec["status"] in (9, 10)
    return {
        "Mã hồ sơ": rec["id"], "Mã TTHC": proc.code, "Tên thủ tục hành chính": proc.name, "Lĩnh vực": proc.field,
        "Chủ hồ sơ": rec["name"], "Số định danh cá nhân": rec["id_number"], "Số điện thoại": rec["phone"],
        "Địa chỉ": rec["address"], "Ngày tiếp nhận": _fmt_when(rec["received"], style),
        "Ngày hẹn trả": _fmt_when(rec["due"], style), "Ngày có kết quả": _fmt_when(rec["resolved"], style),
        "Hình thức nộp": channel, "Mức độ": LEVEL_LABELS.get(rec["level"]),
        "Trạng thái": STATUS_LABELS[rec["status"]], "Có phí, lệ phí": _flag(rec["fee"]),
        "Thanh toán trực tuyến": _flag(rec["paid"]) if rec["fee"] else None,
        "Số hóa kết quả": ("x" if style != "date" else "Có") if rec["digitized"] else
        (digitized_no if finished else None),
        "Xác thực VNeID": _flag(rec["eid"]) if online else None,
    }


def _dossier_entry(kind_format: str, sheet: _Sheet, records: list[dict], period: tuple[str, str],
                   style: str, sheet_name: str | None, columns: dict[str, str]) -> dict:
    """Manifest entry of a dossier export."""
    first = sheet.first_row("data") if sheet.rows else 2
    bad, dups = _problem_entries(records, first, columns, style, sheet_name)
    carried = sum(1 for r in records if isinstance(r["received"], dt.datetime)
                  and r["received"].date() < dt.date.fromisoformat(period[0]) and not r.get("_problem"))
    return {"kind": "dossiers", "format": kind_format, "sheet": sheet_name, "period": list(period),
            "rows": len(records), "bad_rows": bad, "duplicate_rows": dups, "carried_over_rows": carried,
            "layout": {sheet_name or "": sheet.layout()} if sheet.rows else {"": {"header": [1]}}}


def _row_index(records: list[dict], first: int) -> dict[str, list[int]]:
    """Row numbers of each dossier id written from row ``first`` on."""
    index: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        if rec["id"] is not None and not rec.get("_problem"):
            index.setdefault(rec["id"], []).append(first + i)
    return index


def _dossier_list_xlsx(world: _World, year: int, style: str) -> _Output:
    """Yearly one-stop list: title block, personal data, a total line and a signature."""
    name = f"danh_sach_ho_so_{year}.xlsx"
    rng = _file_rng(name)
    start, end = f"{year}-01-01", f"{year}-12-31"
    records = _snapshot(world, _export_mask(world.dossiers, start, end), _seconds(end) + _DAY - 1)
    impossible = f"{29 if year % 4 else 31}/02/{year} 09:{int(rng.integers(10, 59))}"
    spec = _ProblemSpec(impossible=impossible, unknown_channel="Email")
    styles = np.where(rng.random(len(records)) < 0.3, "iso", "text") if style == "mixed" else [style] * len(records)
    for rec, row_style in zip(records, styles, strict=True):
        rec["_style"] = str(row_style)  # copies made below keep the style of their original
    records = _plant_problems(records, rng, world, spec, duplicates=int(rng.integers(2, 4)))
    body = []
    for i, rec in enumerate(records, start=1):
        cells = _list_cells(rec, rec["_style"], None)
        body.append([i] + [cells[h] for h in LIST_COLUMNS[1:]])
    title = "DANH SÁCH HỒ SƠ TIẾP NHẬN" if year == 2021 else "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT"
    sheet = _titled_table(
        "Danh sách hồ sơ",
        ["UBND TỈNH KHÁNH HÒA", "SỞ CÔNG THƯƠNG", title, f"Từ ngày 01/01/{year} đến ngày 31/12/{year}"],
        LIST_COLUMNS, body, widths=LIST_WIDTHS, total=f"Tổng số: {len(records)} hồ sơ",
        signature=("Người lập biểu", "(Ký, ghi rõ họ tên)"),
    )
    entry = _dossier_entry("xlsx", sheet, records, (start, end), "text" if style == "mixed" else style,
                           sheet.name, LIST_PROBLEM_COLUMNS)
    entry["date_style"] = {"text": "text dd/mm/yyyy HH:MM", "excel": "Excel date cells",
                           "mixed": "text, dd/mm/yyyy HH:MM mixed with yyyy-mm-dd HH:MM:SS"}[style]
    return _Output(name, _xlsx_bytes(sheet), entry, _row_index(records, sheet.first_row("data")))


def _dossier_list_html(world: _World) -> _Output:
    """2025-H1 list as an HTML table saved as .xls: other column order, dates without time."""
    name = "danh_sach_ho_so_2025_H1.xls"
    rng = _file_rng(name)
    start, end = "2025-01-01", "2025-06-30"
    records = _snapshot(world, _export_mask(world.dossiers, start, end), _seconds(end) + _DAY - 1)
    spec = _ProblemSpec(impossible="30/02/2025", unknown_channel="Qua Zalo")
    records = _plant_problems(records, rng, world, spec, duplicates=1)
    body = []
    for i, rec in enumerate(records, start=1):
        cells = _list_cells(rec, "date", "Không")
        body.append([i] + [cells[h] for h in HTML_COLUMNS[1:]])
    sheet = _titled_table(
        "", ["UBND TỈNH KHÁNH HÒA", "SỞ CÔNG THƯƠNG", "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT",
             "Từ ngày 01/01/2025 đến ngày 30/06/2025"],
        HTML_COLUMNS, body, total=f"Tổng số hồ sơ: {len(records)}",
    )
    entry = _dossier_entry("html-as-xls", sheet, records, (start, end), "date", None, LIST_PROBLEM_COLUMNS)
    entry["layout"] = {"": sheet.layout()}
    entry["date_style"] = "text dd/mm/yyyy (no time)"
    return _Output(name, _html_bytes(sheet, "DanhSachHoSo"), entry, _row_index(records, sheet.first_row("data")))


def _api_cells(rec: dict, rng: np.random.Generator) -> list:
    """One record of the API dump: codes, ISO dates, 0/1 and True/False flags."""
    proc = PROCEDURES[rec["proc"]]
    finished = rec["status"] in (9, 10)
    summary = "Đề nghị " + proc.name[0].lower() + proc.name[1:]
    if rng.random() < 0.03:
        summary += ' (nộp bổ sung "bản chụp giấy phép kinh doanh", lần 2)'
    return [
        str(uuid.UUID(bytes=rng.bytes(16), version=4)), rec["id"], proc.code, proc.name, proc.field,
        rec["channel"], rec["level"] or None, rec["status"], _fmt_when(rec["received"], "iso"),
        _fmt_when(rec["due"], "iso"), _fmt_when(rec["resolved"], "iso"), int(rec["fee"]),
        int(bool(rec["paid"])), int(bool(rec["digitized"] and finished)), str(bool(rec["eid"])), rec["name"],
        rec["id_number"], rec["phone"], rec["address"], summary, UNITS[rec["unit"]] if rec["unit"] >= 0 else None,
    ]


def _dossier_api_csv(world: _World) -> _Output:
    """API dump 2025-Q3..2026-Q3 with a receiving-unit column, overlapping the html list."""
    name = "ho_so_dong_bo_2025Q3_2026Q3.csv"
    rng = _file_rng(name)
    start, end = "2025-07-01", LAST_DAY
    records = _snapshot(world, _export_mask(world.dossiers, API_OVERLAP_DAY, end), _seconds(end) + _DAY - 1)
    spec = _ProblemSpec(impossible="2026-02-29 10:12:45", unknown_channel="0", extra_missing_id=True)
    records = _plant_problems(records, rng, world, spec, duplicates=0)
    rows = [_api_cells(rec, rng) for rec in records]
    for pos in sorted(rng.choice(np.arange(10, len(rows) - 10), size=4, replace=False), reverse=True):
        target = int(pos) + int(rng.integers(1, 30))
        rows.insert(target, list(rows[pos]))
        records.insert(target, dict(records[pos], _duplicate=True))
    sheet = _Sheet("", len(API_COLUMNS))
    entry = _dossier_entry("csv utf-8-sig", sheet, records, (start, end), "iso", None, API_PROBLEM_COLUMNS)
    entry["overlap_from"] = API_OVERLAP_DAY
    entry["date_style"] = "ISO yyyy-mm-dd HH:MM:SS"
    entry["notes"] = ("Record numbers count the header as record 1; no field contains a line break. "
                      "DonViTiepNhan is empty for dossiers received before 01/07/2025. "
                      "Duplicate rows are exact copies (same Id).")
    return _Output(name, _csv_bytes(API_COLUMNS, rows, "\n"), entry, _row_index(records, 2))


# --- form 06a --------------------------------------------------------------------------------


def _form06a_counts(d: pd.DataFrame, start: str, end: str, groups: np.ndarray,
                    names: Sequence[str]) -> dict[str, list[int]]:
    """Form 06a columns (3)-(13) per group for the period, from the simulated lifecycle."""
    s, e = _seconds(start), _seconds(end) + _DAY - 1
    recv, end_at, outcome = d["received"].to_numpy(), d["end"].to_numpy(), d["outcome"].to_numpy()
    accepted = outcome != _REJECTED
    in_period = (recv >= s) & (recv <= e) & accepted & (d["accept"].to_numpy() <= e)
    carried = (recv < s) & accepted & (end_at >= s)
    population = in_period | carried
    fin = population & np.isin(outcome, (_RESOLVED, _WITHDRAWN)) & (end_at >= s) & (end_at <= e)
    end_day, due_day = end_at // _DAY, d["due"].to_numpy() // _DAY
    resolved = fin & (outcome == _RESOLVED)
    early, late = resolved & (end_day < due_day), resolved & (end_day > due_day)
    pending = population & ~fin
    overdue = pending & (due_day < e // _DAY)
    online = d["channel"].to_numpy() == 2
    out = {}
    for k, label in enumerate(names):
        g = groups == k
        cols = [in_period & online & g, in_period & ~online & g, carried & g, fin & g, early & g,
                fin & ~early & ~late & g, late & g, pending & g, pending & ~overdue & g, overdue & g]
        c = [int(x.sum()) for x in cols]
        out[label] = [c[0] + c[1] + c[2]] + c
    return out


def _form06a_sheet(period_label: str, start: str, end: str, group_header: str,
                   sections: Sequence[tuple[str | None, str | None, Sequence[str]]],
                   counts: dict[str, list[int]]) -> tuple[_Sheet, list[dict]]:
    """Form II.06a/VPCP/KSTT: three merged header rows, numbering row, sections, rows, total, footer."""
    sheet = _Sheet("06a", 13, widths=(5.7, 42.7) + (11.7,) * 11)
    a = dt.date.fromisoformat(start)
    b = dt.date.fromisoformat(end)
    sheet.add("title", ["Biểu số II.06a/VPCP/KSTT", None, None,
                        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA"] +
              [None] * 6 + ["Đơn vị báo cáo: Sở Công Thương tỉnh Khánh Hòa"])
    sheet.add("title", ["Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020", None, None,
                        f"Kỳ báo cáo: {period_label}"] + [None] * 6 +
              ["Đơn vị nhận báo cáo: Văn phòng UBND tỉnh Khánh Hòa"])
    sheet.add("title", ["Ngày nhận báo cáo (BC): theo quy định", None, None,
                        f"(Từ ngày {a:%d/%m/%Y} đến ngày {b:%d/%m/%Y})"])
    sheet.add("title", [None] * 10 + ["Đơn vị tính: Số hồ sơ TTHC"])
    sheet.merges += [(r, c1, r, c2) for r in range(3) for c1, c2 in ((0, 2), (3, 9), (10, 12)) if
                     sheet.rows[r][1][c1] is not None] + [(3, 10, 3, 12)]
    sheet.add("header", ["TT", group_header, "Tiếp nhận", None, None, None, "Số lượng hồ sơ đã giải quyết",
                         None, None, None, "Số lượng hồ sơ đang giải quyết"])
    sheet.add("header", [None, None, "Tổng số", "Trong kỳ", None, "Từ kỳ trước", "Tổng số", "Trước hạn",
                         "Đúng hạn (bao gồm cả hồ sơ chờ Bổ sung và Trả lại/Xin rút)", "Quá hạn", "Tổng số",
                         "Trong hạn (bao gồm cả hồ sơ chờ bổ sung và hồ sơ khác)", "Quá hạn"])
    sheet.add("header", [None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính"])
    sheet.merges += [(4, 0, 6, 0), (4, 1, 6, 1), (4, 2, 4, 5), (4, 6, 4, 9), (4, 10, 4, 12), (5, 3, 5, 4)]
    sheet.merges += [(5, c, 6, c) for c in (2, 5, 6, 7, 8, 9, 10, 11, 12)]
    sheet.add("numbering", list(range(1, 14)))
    records = []
    total = [0] * 11
    for numeral, label, groups in sections:
        if numeral is not None:
            subtotal = [sum(counts[g][i] for g in groups) for i in range(11)]
            sheet.add("section", [numeral, label] + subtotal)
        for k, group in enumerate(groups, start=1):
            row = sheet.add("data", [k, group] + counts[group])
            records.append({"row": row + 1, "section": label, "group": group, "values": counts[group]})
            total = [t + v for t, v in zip(total, counts[group], strict=True)]
    sheet.add("total", [None, "Tổng cộng"] + total)
    sheet.add("blank")
    r = sheet.add("footer", [None, "NGƯỜI LẬP BIỂU"] + [None] * 8 + ["THỦ TRƯỞNG ĐƠN VỊ"])
    sheet.add("footer", [None, "(Ký, ghi rõ họ tên)"] + [None] * 8 + ["(Ký, đóng dấu)"])
    sheet.merges += [(r, 10, r, 12), (r + 1, 10, r + 1, 12)]
    return sheet, records


def _form06a_year(world: _World, year: int) -> _Output:
    """Yearly form 06a by field, computed from the simulated dossiers (2023 carries a small hand edit)."""
    d = world.dossiers
    field_index = {f: k for k, f in enumerate(FIELDS)}
    groups = np.array([field_index[p.field] for p in PROCEDURES])[d["proc"].to_numpy()]
    start, end = f"{year}-01-01", f"{year}-12-31"
    counts = _form06a_counts(d, start, end, groups, FIELDS)
    entry_extra = {}
    if year == 2023:
        edited = counts["Kinh doanh khí"]
        for col in (0, 1, 4, 6):  # received total and online, resolved total and on time: +3 each
            edited[col] += 3
        entry_extra["differs_from_dossiers"] = {
            "group": "Kinh doanh khí", "columns": ["(3)", "(4)", "(7)", "(9)"], "difference": 3,
            "note": "Hand-edited form: three more dossiers received online and resolved on time than the lists."}
    sheet, rows = _form06a_sheet(f"Năm {year}", start, end, "Lĩnh vực, công việc giải quyết theo cấp",
                                 SECTIONS, counts)
    name = f"bao_cao_06a_{year}.xlsx"
    entry = {"kind": "report06a", "format": "xlsx", "sheet": "06a", "group_kind": "field",
             "period": [start, end], "rows": len(rows), "records": rows, "layout": {"06a": sheet.layout()},
             **entry_extra}
    return _Output(name, _xlsx_bytes(sheet), entry)


def _form06a_units(world: _World) -> _Output:
    """Quarterly form 06a for 2026-Q3 grouped by receiving unit instead of field."""
    d = world.dossiers
    start, end = "2026-07-01", "2026-09-30"
    counts = _form06a_counts(d, start, end, d["unit"].to_numpy(), UNITS)
    sheet, rows = _form06a_sheet("Quý III năm 2026", start, end, "Đơn vị tiếp nhận", [(None, None, UNITS)],
                                 counts)
    name = "bao_cao_06a_2026_Q3_theo_don_vi.xlsx"
    entry = {"kind": "report06a", "format": "xlsx", "sheet": "06a", "group_kind": "unit",
             "period": [start, end], "rows": len(rows), "records": rows, "layout": {"06a": sheet.layout()}}
    return _Output(name, _xlsx_bytes(sheet), entry)


# --- evaluations and survey ------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Manifest and entry point
# ---------------------------------------------------------------------------------------------


def _story(world: _World) -> dict:
    """Per-year headline numbers of the simulated truth (what a correct cleaning should find)."""
    d = world.dossiers
    final = _status_at(d, _seconds(LAST_DAY) + _DAY - 1)
    received = ~np.isin(final, (1, 3))
    year = d["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    online = d["channel"].to_numpy() == 2
    fee = d["fee"].to_numpy()
    out: dict[str, dict] = {"dossiers_received": {}, "online_share": {}, "full_online_share": {},
                            "online_payment_share": {}}
    for y in range(2021, 2027):
        m = received & (year == y)
        out["dossiers_received"][str(y)] = int(m.sum())
        out["online_share"][str(y)] = round(float(online[m].mean()), 4)
        out["full_online_share"][str(y)] = round(float((d["level"].to_numpy()[m] == 4).mean()), 4)
        out["online_payment_share"][str(y)] = round(float(d["paid"].to_numpy()[m & fee].mean()), 4)
    out["unique_dossiers"] = int(len(d))
    out["merger_date"] = MERGER_DAY
    return out


def _cross_file_duplicates(outputs: Sequence[_Output]) -> list[dict]:
    """Dossier ids that appear in more than one export, with every (file, row) they appear at."""
    seen: dict[str, list[dict]] = {}
    for out in outputs:
        for dossier_id, rows in out.dossier_rows.items():
            seen.setdefault(dossier_id, []).extend({"file": out.name, "row": r} for r in rows)
    return [{"dossier_id": k, "rows": v} for k, v in sorted(seen.items())
            if len({r["file"] for r in v}) > 1]


def _manifest(world: _World, outputs: Sequence[_Output]) -> bytes:
    """manifest.json: per-file kind, rows, layout and planted problems; sorted keys, stable bytes."""
    manifest = {
        "generator": "cchc_analysis.sample",
        "seed": SEED,
        "conventions": {
            "rows": "1-based sheet rows for xlsx, <tr> index of the single table for html, CSV record "
                    "numbers with the header as record 1.",
            "rows_count": "`rows` counts data rows only (title, header, numbering, section, total, blank and "
                          "footer rows are not data rows), including bad and duplicate rows.",
            "bad_rows": "Rows planted with a problem a cleaner should quarantine; they are extra rows, not "
                        "copies of a real dossier's only row.",
            "duplicate_rows": "Exact copies of an earlier row of the same file (first_row).",
            "cross_file_duplicates": "Dossiers listed in more than one export (carried over while open, or "
                                     "the two-week overlap of the html list and the API dump).",
            "carried_over_rows": "Rows of dossiers received before the file's period (still open at its "
                                 "start; for the API dump also the two weeks it overlaps the html list).",
            "story": "Headline numbers of the simulated truth under the data contract's definitions (final status).",
        },
        "files": {out.name: out.entry for out in outputs},
        "cross_file_duplicates": _cross_file_duplicates(outputs),
        "story": _story(world),
    }
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _builders() -> list[tuple[str, Callable[[_World], _Output]]]:
    """Every export to write, in a fixed order, as (description, builder)."""
    out: list[tuple[str, Callable[[_World], _Output]]] = []
    for year, style in ((2021, "text"), (2022, "excel"), (2023, "mixed"), (2024, "text")):
        out.append((f"dossier list {year}", lambda w, y=year, s=style: _dossier_list_xlsx(w, y, s)))
    out.append(("dossier list 2025-H1 (html)", _dossier_list_html))
    out.append(("API dump 2025-Q3..2026-Q3", _dossier_api_csv))
    out += [(f"form 06a {y}", lambda w, y=y: _form06a_year(w, y)) for y in range(2021, 2026)]
    out.append(("form 06a 2026-Q3 by unit", _form06a_units))
    out += [(f"evaluations {y}", lambda w, y=y: _evaluations(w, y)) for y in range(2021, 2027)]
    out += [(f"survey {y}", lambda w, y=y: _survey(w, y)) for y in range(2021, 2027)]
    out += [("budget", _budget), ("payroll", _payroll), ("manual indicators", _manual)]
    return out


def generate(out_dir: Path, *, progress: bool = False) -> list[Path]:
    """Write the synthetic exports into out_dir (created if needed) and return the paths written, sorted.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into; existing files of the same names are replaced atomically, other files
        (such as a README) are left alone.
    progress : bool, default False
        Show a progress bar over the files.

    Returns
    -------
    list of pathlib.Path
        The exports and ``manifest.json``, sorted by path. The same version writes the same bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
    ...     paths = generate(Path(tmp))
    ...     [p.name for p in paths][:2]
    ['bao_cao_06a_2021.xlsx', 'bao_cao_06a_2022.xlsx']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = _simulate()
    outputs, paths = [], []
    for _, build in tqdm(_builders(), desc="cchc sample", unit="file", disable=not progress):
        output = build(world)
        _atomic_write(out_dir / output.name, output.data)
        outputs.append(output)
        paths.append(out_dir / output.name)
    _atomic_write(out_dir / "manifest.json", _manifest(world, outputs))
    paths.append(out_dir / "manifest.json")
    return sorted(paths)
