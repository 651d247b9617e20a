"""Text of exports: Unicode NFC, legacy Vietnamese encodings, and folding for header matching.

Old office spreadsheets store Vietnamese in 8-bit *font* encodings: TCVN3 (ABC; fonts ``.VnTime``,
``.VnArial``…, upper-case fonts ending in ``H``) and VNI (fonts ``VNI-Times``…). Read as Unicode
they look like ``Hå s¬`` or ``Hoà sô``. :func:`convert_legacy` turns them into Unicode, by the cell's
font when the file has fonts and by :func:`detect_legacy` (content) when it has not. TCVN3's ``ư``
is U+00AD (soft hyphen), so conversion always comes before :func:`clean_text` strips invisible
characters.

>>> convert_legacy("Hå s¬ TTHC", "tcvn3")
'Hồ sơ TTHC'
>>> convert_legacy("Sôû Coâng Thöông", "vni")
'Sở Công Thương'
>>> fold("  NGÀY tiếp-nhận  ") == fold("Ngay Tiep Nhan") == "ngay tiep nhan"
True
>>> fold_key("NgayTiepNhan") == fold_key("ngày tiếp nhận")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "clean_text",
    "convert_legacy",
    "detect_legacy",
    "encoding_of_font",
    "fold",
    "inspect_texts",
    "fold_key",
    "is_clean",
    "legacy_of_joined",
]

# --- legacy tables (built from the structure of the encodings, not typed by hand letter by letter) ---

_TONES = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303", "dot": "\u0323"}
_TONE_ORDER = ("grave", "acute", "hook", "tilde", "dot")


def _compose(base: str, tone: str | None) -> str:
    return unicodedata.normalize("NFC", base + (_TONES[tone] if tone else ""))


# TCVN3 (ABC), lower case: for each vowel, the code points of (plain, grave, acute, hook, tilde, dot).
_TCVN3_VOWELS = {
    "a": ("a", "\xb5", "\xb8", "\xb6", "\xb7", "\xb9"),
    "ă": ("\xa8", "\xbb", "\xbe", "\xbc", "\xbd", "\xc6"),
    "â": ("\xa9", "\xc7", "\xca", "\xc8", "\xc9", "\xcb"),
    "e": ("e", "\xcc", "\xd0", "\xce", "\xcf", "\xd1"),
    "ê": ("\xaa", "\xd2", "\xd5", "\xd3", "\xd4", "\xd6"),
    "i": ("i", "\xd7", "\xdd", "\xd8", "\xdc", "\xde"),
    "o": ("o", "\xdf", "\xe3", "\xe1", "\xe2", "\xe4"),
    "ô": ("\xab", "\xe5", "\xe8", "\xe6", "\xe7", "\xe9"),
    "ơ": ("\xac", "\xea", "\xed", "\xeb", "\xec", "\xee"),
    "u": ("u", "\xef", "\xf3", "\xf1", "\xf2", "\xf4"),
    "ư": ("\xad", "\xf5", "\xf8", "\xf6", "\xf7", "\xf9"),
    "y": ("y", "\xfa", "\xfd", "\xfb", "\xfc", "\xfe"),
}
_TCVN3_CAPITALS = {"\xa1": "Ă", "\xa2": "Â", "\xa3": "Ê", "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư", "\xa7": "Đ"}


def _tcvn3_table() -> dict[int, str]:
    table = {0xAE: "đ"}
    for base, codes in _TCVN3_VOWELS.items():
        for tone, code in zip((None, *_TONE_ORDER), codes, strict=True):
            if code != base:
                table[ord(code)] = _compose(base, tone)
    table.update({ord(k): v for k, v in _TCVN3_CAPITALS.items()})
    return table


# VNI Windows: a base letter followed by a mark character (lower case; upper case uses the upper marks).
_VNI_MARKS = {  # mark -> (vowel shape, tone)
    "ù": ("", "acute"), "ø": ("", "grave"), "û": ("", "hook"), "õ": ("", "tilde"), "ï": ("", "dot"),
    "â": ("^", None), "á": ("^", "acute"), "à": ("^", "grave"), "å": ("^", "hook"), "ã": ("^", "tilde"),
    "ä": ("^", "dot"), "ê": ("(", None), "é": ("(", "acute"), "è": ("(", "grave"), "ú": ("(", "hook"),
    "ü": ("(", "tilde"), "ë": ("(", "dot"),
}  # fmt: skip
_VNI_SHAPES = {("a", "^"): "â", ("a", "("): "ă", ("e", "^"): "ê", ("o", "^"): "ô"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_TONE_BASES = ("a", "e", "o", "u", "y", "ô", "ö")  # letters a tone mark may follow (ô = ơ, ö = ư)


def _vni_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for base in _VNI_TONE_BASES:
        vowel = _VNI_SINGLE.get(base, base)
        for mark, (shape, tone) in _VNI_MARKS.items():
            shaped = _VNI_SHAPES.get((base, shape)) if shape else vowel
            if shaped is None:
                continue
            lower = _compose(shaped, tone)
            for b, m in ((base, mark), (base.upper(), mark.upper()), (base.upper(), mark)):
                pairs[b + m] = lower.upper() if b.isupper() else lower
    singles = {k: v for k, v in _VNI_SINGLE.items() if k != v}
    singles.update({k.upper(): v.upper() for k, v in singles.items()})
    pairs.update(singles)
    return pairs


_TCVN3 = _tcvn3_table()
_VNI = _vni_pairs()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))

# Characters that never occur in Unicode Vietnamese text but do in legacy-encoded text.
_TCVN3_ONLY = frozenset("\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xb5\xb6\xb7\xb8\xb9\xbb\xbc\xbd\xbe")
_LATIN1_NOT_VN = frozenset("äåæçëîïñöøûüÄÅÆÇËÎÏÑÖØÛÜ")
_VN_UNICODE_RE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_VNI_MARK_AFTER_VOWEL_RE = re.compile("[aeouyôöAEOUYÔÖ][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]")


def encoding_of_font(font_name: str | None) -> str | None:
    """The legacy encoding implied by a font name: ``tcvn3``, ``tcvn3h`` (upper-case font), ``vni`` or None.

    >>> encoding_of_font(".VnTime"), encoding_of_font(".VnTimeH"), encoding_of_font("VNI-Times")
    ('tcvn3', 'tcvn3h', 'vni')
    >>> encoding_of_font("Times New Roman") is None
    True
    """
    if not font_name:
        return None
    name = font_name.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3h" if name.endswith("h") else "tcvn3"
    if name.startswith("vni"):
        return "vni"
    return None


def convert_legacy(text: str, encoding: str | None) -> str:
    """Convert TCVN3 (``tcvn3``/``tcvn3h``) or VNI (``vni``) text to Unicode NFC; ``None`` only normalises.

    >>> convert_legacy("Ng\\xadêi lËp biÓu", "tcvn3")
    'Người lập biểu'
    >>> convert_legacy("h\\xa5 s¬", "tcvn3h")
    'HƠ SƠ'
    >>> convert_legacy("Ñaõ traû keát quaû", "vni")
    'Đã trả kết quả'
    """
    if encoding in ("tcvn3", "tcvn3h"):
        out = text.translate(_TCVN3)
        if encoding == "tcvn3h":
            out = out.upper()
    elif encoding == "vni":
        out = _VNI_RE.sub(lambda m: _VNI[m.group(0)], text)
    else:
        out = text
    return unicodedata.normalize("NFC", out)


def detect_legacy(texts: Iterable[str]) -> str | None:
    """Guess whether texts are TCVN3 or VNI encoded (``"tcvn3"``, ``"vni"``) or plain Unicode (None).

    Texts holding any genuinely Unicode Vietnamese letter (ư, ạ, đ…) are Unicode. Otherwise TCVN3 shows
    its letters in the range U+00A1–U+00BE, and VNI shows tone marks right after vowels together with
    Latin-1 letters that Vietnamese never uses (ö, ñ, ø, û, ï…). The texts are examined together (a
    whole column at once), so that short cells are judged with their neighbours.

    >>> detect_legacy(["Hå s¬", "Lo¹i"]), detect_legacy(["Hoà sô", "Ñaõ xöû lyù"]), detect_legacy(["Hồ sơ"])
    ('tcvn3', 'vni', None)
    >>> detect_legacy(["Có", "Trà", "Không"]) is None
    True
    """
    return legacy_of_joined("\x1e".join(t for t in texts if isinstance(t, str)))


def legacy_of_joined(joined: str, fallback: str | None = None) -> str | None:
    """:func:`detect_legacy` of texts already joined by ``\\x1e``; ``fallback`` when the texts cannot tell."""
    if joined.isascii():
        return None
    if not unicodedata.is_normalized("NFC", joined):
        joined = unicodedata.normalize("NFC", joined)
    if _VN_UNICODE_RE.search(joined):
        return None
    chars = set(joined)
    tcvn = len(chars & _TCVN3_ONLY)
    vni = 0
    if chars & _LATIN1_NOT_VN:
        vni = len(_VNI_MARK_AFTER_VOWEL_RE.findall(joined)) + len(chars & set("ñöÑÖ"))
    if tcvn and tcvn >= vni:
        return "tcvn3"
    if vni:
        return "vni"
    return fallback


def inspect_texts(texts: list[str], fallback: str | None = None) -> tuple[str | None, bool]:
    """The legacy encoding of a column of texts (or None) and whether all of it is already clean.

    One join of the column serves both tests (see :func:`detect_legacy` and :func:`is_clean`).
    ``fallback`` is the encoding of the rest of the sheet: a column too short to tell on its own
    (``Trùc tuyÕn`` could be Latin-1 Unicode) follows it, unless it holds Unicode Vietnamese.

    >>> inspect_texts(["Hồ sơ", "ok"]), inspect_texts(["Hå s¬"]), inspect_texts([" x", ""])
    ((None, True), ('tcvn3', False), (None, False))
    >>> inspect_texts(["Trùc tuyÕn"]), inspect_texts(["Trùc tuyÕn"], "tcvn3"), inspect_texts(["Hồ"], "tcvn3")
    ((None, True), ('tcvn3', False), (None, True))
    """
    joined = "\x1e".join(texts)
    encoding = legacy_of_joined(joined, fallback)
    return encoding, encoding is None and _joined_is_clean(joined)


# --- cleaning and folding ---

_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NEEDS_WORK_RE = re.compile("[\u00ad\u2000-\u200f\u205f\u3000\u2028-\u202f\u2060-\u2064\ufeff\u00a0\x00-\x1d\x1f\x7f]")


def clean_text(text: str, encoding: str | None = None) -> str:
    """Unicode NFC text with legacy letters converted, invisible characters removed and spaces tidied.

    Conversion comes first (TCVN3's ``ư`` is the soft hyphen this function otherwise removes).

    >>> clean_text("  Hồ\\u00a0sơ\\u200b  mới ")
    'Hồ sơ mới'
    >>> clean_text("Ng\\xadêi", "tcvn3")
    'Người'
    """
    if encoding:
        text = convert_legacy(text, encoding)
    elif not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).strip()


def is_clean(texts: list[str]) -> bool:
    """True when every text is already NFC, trimmed, single-spaced and free of invisible characters.

    Checked on the joined texts in one pass (fast for whole columns).

    >>> is_clean(["a b", "Hồ sơ"]), is_clean([" a"]), is_clean(["Ho\u0302\u0300"]), is_clean(["a\x0b"])
    (True, False, False, False)
    """
    return _joined_is_clean("\x1e".join(texts))


def _joined_is_clean(joined: str) -> bool:
    if "  " in joined or "\x1e " in joined or " \x1e" in joined or joined[:1] == " " or joined[-1:] == " ":
        return False
    if joined.isascii():
        return not joined.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return not _NEEDS_WORK_RE.search(joined) and unicodedata.is_normalized("NFC", joined)


_PRINTABLE_ASCII = bytes(range(32, 127)) + b"\x1e"


_STRIP_MARKS = {ord("đ"): "d", ord("Đ"): "d"}
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold text for comparisons: no case, no diacritics (đ→d), punctuation as spaces, single spaces.

    >>> fold("Đã trả KẾT QUẢ!"), fold("Số định danh\\tcá nhân"), fold("Ngày (hẹn) trả")
    ('da tra ket qua', 'so dinh danh ca nhan', 'ngay hen tra')
    """
    if text.isascii():  # nothing to strip: the same as below, without the decomposition
        return _NON_ALNUM_RE.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFD", text.translate(_STRIP_MARKS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM_RE.sub(" ", text.translate(_STRIP_MARKS)).strip()


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """A header key: :func:`fold` without any space, so ``NgayTiepNhan`` meets ``Ngày tiếp nhận``.

    >>> fold_key("Ngày tiếp nhận"), fold_key("NGAY_TIEP_NHAN"), fold_key("NgayTiepNhan")
    ('ngaytiepnhan', 'ngaytiepnhan', 'ngaytiepnhan')
    """
    return fold(text).replace(" ", "")
