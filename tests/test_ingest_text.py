"""Text: NFC, legacy TCVN3 and VNI, invisible characters, and header folding (with hypothesis)."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.detect import find_header, synonyms
from cchc_analysis.ingest.text import clean_text, convert_legacy, detect_legacy, fold, fold_key, is_clean
from cchc_analysis.registry import load

# Written by hand from the TCVN3 (ABC) and VNI Windows code charts, independently of the converter.
LEGACY = [
    ("Ngµy tiÕp nhËn", "Ng\u00e0y ti\u1ebfp nh\u1eadn", "Ngaøy tieáp nhaän"),
    ("M· hå s¬", "M\u00e3 h\u1ed3 s\u01a1", "Maõ hoà sô"),
    ("§· tr¶ kÕt qu¶", "\u0110\u00e3 tr\u1ea3 k\u1ebft qu\u1ea3", "Ñaõ traû keát quaû"),
    ("Trùc tuyÕn", "Tr\u1ef1c tuy\u1ebfn", "Tröïc tuyeán"),
    ("H×nh thøc nép", "H\u00ecnh th\u1ee9c n\u1ed9p", "Hình thöùc noäp"),
    ("Ng\u00adêi lËp biÓu", "Ng\u01b0\u1eddi l\u1eadp bi\u1ec3u", "Ngöôøi laäp bieåu"),
]


@pytest.mark.parametrize(("tcvn3", "unicode", "vni"), LEGACY)
def test_tcvn3_and_vni_convert_to_unicode(tcvn3, unicode, vni):
    assert convert_legacy(tcvn3, "tcvn3") == unicode
    assert convert_legacy(vni, "vni") == unicode


def test_tcvn3_upper_case_font():
    assert convert_legacy("h\u00a5 s\u00ac", "tcvn3h") == "HƠ SƠ"


def test_content_detection_tells_the_encodings_apart():
    assert detect_legacy([t for t, _, _ in LEGACY]) == "tcvn3"
    assert detect_legacy([v for _, _, v in LEGACY]) == "vni"
    assert detect_legacy([u for _, u, _ in LEGACY]) is None
    assert detect_legacy(["Có", "Không", "Trà", "x", "1"]) is None  # Unicode that happens to be Latin-1


def test_tcvn3_u_horn_survives_cleaning_because_conversion_comes_first():
    # TCVN3's ư is U+00AD, the soft hyphen that cleaning removes: convert first.
    assert clean_text("Ng\u00adêi", "tcvn3") == "Người"
    assert clean_text("Ng\u00adêi") == "Ngêi"


def test_clean_text_nfc_spaces_and_invisible_characters():
    nfd = unicodedata.normalize("NFD", "Hồ sơ")
    assert clean_text(f"  {nfd}\u00a0\u200bmới\ufeff ") == "Hồ sơ mới"
    assert is_clean(["Hồ sơ", "a b"]) and not is_clean([nfd]) and not is_clean(["a\u200b"]) and not is_clean(["a  b"])


def test_fold_ignores_case_diacritics_spacing_and_punctuation():
    assert fold("NGÀY TIẾP NHẬN") == fold("Ngày  tiếp-nhận:") == "ngay tiep nhan"
    assert fold("Đơn vị") == "don vi"
    assert fold_key("NgayTiepNhan") == fold_key("ngay_tiep_nhan") == fold_key("Ngày tiếp nhận")


# --- hypothesis: any spelling of the known headers finds the same columns ---

DOSSIER_SYNONYMS = load("columns")["dossiers"]
CANONICAL = sorted(DOSSIER_SYNONYMS)


def _strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


@st.composite
def spellings(draw, canonical: str) -> str:
    words = draw(st.sampled_from(DOSSIER_SYNONYMS[canonical]))
    if draw(st.booleans()):
        words = _strip_marks(words)
    case = draw(st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
    words = case(words)
    joiner = draw(st.sampled_from([" ", "  ", "_", "", " - ", "\u00a0"]))
    words = joiner.join(words.split())
    if draw(st.booleans()):
        words = f" {words}: "
    form = draw(st.sampled_from(["NFC", "NFD"]))
    return unicodedata.normalize(form, words)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_spelling_of_known_headers_finds_the_same_columns(data):
    chosen = data.draw(st.lists(st.sampled_from(CANONICAL), min_size=2, max_size=len(CANONICAL), unique=True))
    header = [data.draw(spellings(c)) for c in chosen]
    order = data.draw(st.permutations(range(len(chosen))))
    header = [header[i] for i in order]
    expected = {pos: chosen[i] for pos, i in enumerate(order)}
    rows = [["DANH SÁCH HỒ SƠ"], [], header, ["x"] * len(header)]
    found = find_header(RawSheet(Path("t.xlsx"), "S", rows, range(1, 5)), synonyms("dossiers"))
    assert found is not None and found.rows == (2,)
    assert found.columns == expected


def test_synonym_sections_have_no_spelling_twice():
    for section in ("dossiers", "report06a", "personal"):
        assert synonyms(section)  # raises on a spelling that names two columns


def test_unknown_headers_are_reported_not_guessed():
    rows = [["Mã hồ sơ", "Ngày tiếp nhận", "Cột lạ", "Trạng thái"], ["A", "02/03/2024", "?", "Mới"]]
    found = find_header(RawSheet(Path("t.xlsx"), "S", rows, range(1, 3)), synonyms("dossiers"))
    assert found.unknown == {2: "Cột lạ"} and 2 not in found.columns


def test_random_legacy_round_trip():
    rng = random.Random(7)
    table = {u: t for t, u, _ in LEGACY}
    for _ in range(20):
        pick = rng.sample(sorted(table), 3)
        assert convert_legacy(" ".join(table[p] for p in pick), "tcvn3") == " ".join(pick)
