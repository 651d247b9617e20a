"""The header search's shared keys and quick lookups give what folding every label and asking the
synonyms key by key give: label keys made by concatenation, ``PatternSynonyms.found``, the survey
wordings looked up by their first letters, and the whole search on pattern synonyms and merged headers."""

from __future__ import annotations

import random
from functools import partial
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_header_search import _every_candidate  # the full search, scored candidate by candidate

from cchc_analysis.ingest import detect, finance, surveys
from cchc_analysis.ingest.base import RawSheet
from cchc_analysis.ingest.kit import PatternSynonyms
from cchc_analysis.ingest.text import fold_key

WORDS = ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Đơn vị", "Quyết toán", "Năm 2021", "Dự toán 2026", "Biên chế",
         "Số có mặt", "[Tiếp cận dịch vụ] Nơi tiếp nhận dễ tìm", "Tiếp cận dịch vụ", "Thủ tục", "Nơi nhận", "Góp ý",
         "Dấu thời gian", "Nhìn chung, hài lòng", "I. Kết quả giải quyết", "Hå s¬", "Sôû", "Tiêu chí 3", "x", "", "",
         " ", "—"]


def _sheet(rng: random.Random, merged: bool) -> RawSheet:
    width = rng.randint(2, 8)
    rows = [[rng.choice(WORDS) if rng.random() < 0.75 else rng.choice([rng.randint(1, 99), 2.0, None])
             for _ in range(width)] for _ in range(rng.randint(1, 9))]
    spans = []
    if merged:
        for _ in range(rng.randint(0, 4)):
            r0, c0 = rng.randrange(len(rows)), rng.randrange(width)
            spans.append(((r0, c0), (min(r0 + rng.randint(0, 2), len(rows) - 1), min(c0 + rng.randint(0, 3), width - 1))))
    return RawSheet(Path("x.xlsx"), "S", rows, range(1, len(rows) + 1), "xlsx", spans)


def test_label_keys_are_the_folded_labels():
    rng = random.Random(11)
    for i in range(300):
        raw = _sheet(rng, merged=i % 2 == 0)
        for top in range(len(raw.rows)):
            for depth in range(1, min(3, len(raw.rows) - top) + 1):
                labels = detect._label_options(raw, top, depth)
                assert detect._label_keys(raw, top, depth) == [[fold_key(o) for o in options] for options in labels]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=6), min_size=1, max_size=3))
def test_a_space_never_changes_how_its_neighbours_fold(parts):
    assert fold_key(" ".join(parts)) == "".join(fold_key(p) for p in parts)


def test_found_is_get_of_every_key():
    table = PatternSynonyms({"stt": "seq", "gone": None, "blank": ""},
                            lambda key: "year" if key.endswith("2021") else None)
    keys = {"stt", "gone", "blank", "nam2021", "gone2021", "abc"}
    expected = {k: table.get(k) for k in keys if table.get(k)}
    assert PatternSynonyms(table._exact, table._resolve).found(keys) == expected == {"stt": "seq", "nam2021": "year", "gone2021": "year"}


def _every_guess(key: str) -> str | None:
    """The survey wording search as first written: every wording, longest first, at each possible start."""
    starts = dict.fromkeys((0, surveys._ENUMERATOR_RE.match(key).end()))
    for phrase, aspect in surveys._aspect_phrases()[1]:
        for start in starts:
            if key.startswith(phrase, start) and len(key) > start + len(phrase):
                return f"{aspect}|{key}"
    return None


_PHRASES = [p for p, _ in surveys._aspect_phrases()[1]]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["", "i", "iv", "phan2", "nhomiii", "muc", "a", "12", "linhvuc", "x"]),
       st.sampled_from(["", *_PHRASES]), st.integers(0, 40),
       st.sampled_from(["", "x", "dichvu", "tiepcan", "ketqua", *_PHRASES]))
def test_survey_wordings_by_first_letters_match_every_wording(prefix, phrase, cut, tail):
    key = prefix + phrase[:cut] + tail
    assert surveys._guess_question(key) == _every_guess(key)


def test_survey_wording_longest_at_any_start_wins(monkeypatch):
    """A longer wording at the key's start beats a shorter one after an enumerator (``d`` reads as one)."""
    ordered = (("dketquax", "staff"), ("ketqua", "result"))
    monkeypatch.setattr(surveys, "_aspect_phrases", lambda: (dict(ordered), ordered))
    surveys._phrase_heads.cache_clear()
    try:
        for key in ("dketquaxyz", "dketquay", "ketquay", "dketqua"):
            assert surveys._guess_question(key) == _every_guess(key)
        assert surveys._guess_question("dketquaxyz") == "staff|dketquaxyz"
    finally:
        surveys._phrase_heads.cache_clear()


def test_header_search_on_pattern_synonyms_and_merged_headers():
    rng = random.Random(5)
    tables = {
        "survey": lambda: PatternSynonyms(detect.synonyms("survey"), surveys._guess_question),
        "budget": lambda: PatternSynonyms(detect.synonyms("budget"),
                                          partial(finance.value_column, section="budget_stages", default_year="2024")),
        "payroll": lambda: PatternSynonyms(detect.synonyms("payroll"),
                                           partial(finance.value_column, section="payroll_measures")),
        "dossiers": lambda: detect.synonyms("dossiers"),
    }
    found = 0
    for i in range(200):
        raw = _sheet(rng, merged=i % 2 == 0)
        for make in tables.values():
            header = detect.find_header(raw, make())
            got = None if header is None else (header.rows, header.columns, header.personal)
            fresh = RawSheet(raw.file, raw.sheet, raw.rows, raw.row_numbers, raw.fmt, raw.merged)
            assert got == _every_candidate(fresh, make())
            found += header is not None
    assert found > 40


def test_window_encoding_is_the_encoding_of_its_rows():
    from cchc_analysis.ingest.rows import sheet_encoding

    rng = random.Random(12)
    texts = ["Hå s¬", "Sôû Coâng Thöông", "Hồ sơ", "Trùc tuyÕn", "abc", "", "Ñaõ", "Lo¹i"]
    for _ in range(300):
        rows = [[rng.choice(texts) if rng.random() < 0.6 else rng.choice([None, 3, 2.5]) for _ in range(rng.randint(0, 4))]
                for _ in range(rng.randint(1, 6))]
        raw = RawSheet(Path("x.xlsx"), "S", rows, range(1, len(rows) + 1))
        for top in range(len(rows)):
            for depth in range(1, len(rows) - top + 1):
                assert detect._window_encoding(raw, top, depth) == sheet_encoding(rows[top : top + depth])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
def test_ascii_text_folds_as_by_decomposition(text):
    import unicodedata

    from cchc_analysis.ingest import text as T

    decomposed = unicodedata.normalize("NFD", text.translate(T._STRIP_MARKS))
    decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    assert T.fold(text) == T._NON_ALNUM_RE.sub(" ", decomposed.translate(T._STRIP_MARKS)).strip()


def _value_column_every_phrase(key: str, section: str, default_year: str | None = None) -> str | None:
    """The first version of ``finance.value_column``: every measure phrase tried on every key."""
    years = set(finance._YEAR_RE.findall(key))
    if len(years) > 1:
        return None
    year = years.pop() if years else default_year
    if year is None:
        return None
    rest = finance._YEAR_RE.sub("", key)
    for phrase, measure in finance._measure_phrases(section):
        if phrase in rest and finance._FILLER_RE.fullmatch(rest.replace(phrase, "", 1)):
            return f"{measure}_{year}"
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["nam", "2021", "2024", "quyettoan", "dutoan", "du", "toan", "bienche", "comat", "th",
                                 "trieudong", "x", "12", "soduocgiao", "kinhphi"]), max_size=5),
       st.sampled_from(["budget_stages", "payroll_measures"]), st.sampled_from([None, "2025"]))
def test_measure_columns_found_as_by_every_phrase(parts, section, default_year):
    key = "".join(parts)
    assert finance.value_column(key, section, default_year) == _value_column_every_phrase(key, section, default_year)
