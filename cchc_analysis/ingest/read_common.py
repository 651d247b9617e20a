"""What every reader shares: the one-line Vietnamese :class:`ReadError`, :func:`printable`, the size
limits and the plain account of an engine's failure (its English stays in the log)."""

from __future__ import annotations

import re
from typing import Any

#: Ceiling on the size of a text or HTML export read into memory.
MAX_TEXT_BYTES = 1024**3

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_OTHER_FORMATS = {
    b"%PDF": "một tệp PDF",
    b"\x89PNG": "một ảnh PNG",
    b"\xff\xd8\xff": "một ảnh JPEG",
    b"GIF8": "một ảnh GIF",
    b"Rar!": "một tệp nén RAR",
    b"7z\xbc\xaf": "một tệp nén 7z",
    b"\x1f\x8b": "một tệp nén gzip",
    b"MZ": "một chương trình Windows",
    b"\x7fELF": "một chương trình",
}
_PROTECTED = (
    "bảng tính được bảo vệ bằng mật khẩu (mã hóa), không đọc được; hãy mở bằng Excel, vào "
    "Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu rồi lưu lại (hoặc "
    "Lưu thành một bản .xlsx mới không đặt mật khẩu)"
)
_OLD_EXCEL = (
    "tệp Excel định dạng cũ (Excel 2.x–4.x, trước năm 1995), bộ đọc không hỗ trợ; hãy mở tệp bằng Excel "
    "hoặc LibreOffice Calc rồi chọn Lưu thành (Save As) > Sổ làm việc Excel (.xlsx) và đưa tệp .xlsx vào"
)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: object) -> str:
    r"""``text`` on one printable line: control, NUL, line-break and bidi characters escaped as ``\xNN``.

    Used for everything echoed to the analyst (file names, reasons), so that an ``error:`` line is
    always one line whatever a file is called or a reader says.

    >>> printable("bao cao\nthang 3\x00.xlsx")
    'bao cao\\nthang 3\\x00.xlsx'
    """
    named = {"\n": "\\n", "\r": "\\r", "\t": " "}
    return _CONTROL.sub(lambda m: named.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                            else f"\\u{ord(m.group()):04x}"), str(text))


class ReadError(Exception):
    """A file that cannot be read; ``str(err)`` is a one-sentence Vietnamese reason on one printable line.

    ``detail`` keeps what the underlying reader said (often English), for the log only.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(printable(reason))
        self.detail = detail



def sheet_skipped(name: str, exc: Exception) -> str:
    return f"trang tính «{printable(name)}» không đọc được ({engine_reason(exc)}), đã bỏ qua; các trang khác vẫn được đọc"



def filled_cell(value: Any) -> bool:
    return value is not None and value != ""


_ENGINE_REASONS = (  # what the reader says (lower case) -> what the analyst reads
    (("password", "encrypt"), None),
    (("cfb", "compound", "sector", "fat ", "difat", "ole"), "cấu trúc tệp Excel 97–2003 (.xls) bị hỏng"),
    (("cell limit", "too many cells", "exceeds", "dimension"), "bảng tính vượt giới hạn số ô mà Excel cho phép"),
    (("xml", "syntax", "tag", "attribute", "utf"), "nội dung XML bên trong tệp bị hỏng"),
    (("zip", "crc", "deflate", "archive", "eof", "end of"), "tệp bị cắt ngang hoặc bị hỏng khi tải về"),
    (("not found", "missing", "relationship", "no such"), "thiếu một phần bắt buộc của tệp Excel"),
    (("biff", "record", "unsupported", "unknown", "invalid"), "định dạng tệp Excel không hợp lệ hoặc không được hỗ trợ"),
)


def engine_reason(exc: Exception) -> str:
    """A short Vietnamese account of a reader's failure (its English stays in the log)."""
    text = f"{type(exc).__name__} {exc}".lower()
    for words, reason in _ENGINE_REASONS:
        if any(w in text for w in words):
            return reason or "tệp được bảo vệ bằng mật khẩu"
    return "bộ đọc không giải mã được nội dung"


def engine_error(exc: Exception) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return _PROTECTED
    return f"tệp bảng tính bị hỏng hoặc không đọc được ({engine_reason(exc)}); hãy mở bằng Excel rồi lưu lại thành .xlsx"
