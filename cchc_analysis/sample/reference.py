"""Reference data of the simulated Department: fields, procedures, units, trends, vocabularies, headers.

Everything here is data: the labels and codes the real systems export, the trends the simulation
follows, and the invented name syllables and places applicants are drawn from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

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
    # fields the national service index (QĐ 766) reads, after the older columns
    "NgayYeuCauBoSung", "NgayHoanThanhBoSung", "HoSoCoThanhPhanSoHoa", "DuocTaiSuDung", "DuongDanTepTinKetQua",
)
#: Share of dossiers asked for a supplement, and of dossiers with digitised components, reused data.
SUPPLEMENT_SHARE = 0.12
COMPONENTS_DIGITIZED = (("2025-07-01", 0.62), ("2026-09-30", 0.90))
DATA_REUSED = (("2025-07-01", 0.30), ("2026-09-30", 0.65))
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
