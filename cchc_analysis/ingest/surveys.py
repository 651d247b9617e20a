"""Kinds ``evaluations`` and ``survey``: satisfaction with the handling of dossiers and with the service.

**Evaluations** (one-stop counter, public-service portal): one row per evaluation, with the dossier
id where the export gives it (so that satisfaction can be broken down by field and procedure), the
date, criteria 1–9 scored 2/1/0 and the overall answer, written ``RẤT HÀI LÒNG / HÀI LÒNG / KHÔNG
HÀI LÒNG`` in any case or Unicode form, or as the codes 2/1/0 (``registry/vocab.yaml``:
``satisfaction``). A row without an overall answer is no answer: it is quarantined, never counted
as dissatisfied. Without an evaluation id column the row's place (``FILE#SHEET:ROW``) stands for it.

**Surveys** (online forms, SIPAS-style questionnaires): one row per respondent, with a timestamp,
demographics (read, then dropped: they are not in the contract), Likert questions whose header names
the aspect in brackets (``[Tiếp cận dịch vụ] …``, ``registry/columns.yaml``: ``survey_aspects``),
the overall question, and a free-text comment. Answers become scores 1–5 (``vocab.yaml``:
``likert``); a blank answer is no answer (no row). ``survey_responses`` is the long form, one row
per answer; ``survey_comments`` keeps the comments with phone- and ID-like numbers and e-mail
addresses masked and formula-like starts escaped (``'=…``; :func:`~cchc_analysis.ingest.kit.free_text`),
so the table is safe to open in Excel. ``respondent_id`` is a hash of the row's content (timestamp,
answers, masked comment): stable when the same form is exported again, and never personal.

Duplicates, across all sheets of a run: an evaluation repeating an evaluation id, or (without one)
the same dossier, date and answers; a respondent whose timestamp, answers and comment repeat an
earlier row (the same form exported twice).

>>> question_aspect("[Tiếp cận dịch vụ] Nơi tiếp nhận hồ sơ dễ tìm"), question_aspect("Giới tính")
('access', None)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import CleanContext, Header, Kind, KindResult, RawSheet, SheetTable
from cchc_analysis.ingest.dates import ParsedDates, parse_dates
from cchc_analysis.ingest.detect import MAX_SCAN_ROWS, _label_options, _merged_parents, find_header
from cchc_analysis.ingest.kit import Faults, PatternSynonyms, date_reason, free_text, sources
from cchc_analysis.ingest.labels import map_vocab
from cchc_analysis.ingest.numbers import as_text, plain_cells
from cchc_analysis.ingest.text import fold, fold_key
from cchc_analysis.io import excel_safe
from cchc_analysis.quality import SheetCounts
from cchc_analysis.registry import load
from cchc_analysis.schemas import EVALUATIONS, SURVEY_RESPONSES

__all__ = ["KINDS", "clean_evaluations", "clean_survey", "locate_survey", "question_aspect", "score_survey"]

CRITERIA = [f"c{i}" for i in range(1, 10)]
SCORES = {"very_satisfied": 2, "satisfied": 1, "dissatisfied": 0}
EVALUATION_COLUMNS = list(EVALUATIONS.columns)
RESPONSE_COLUMNS = list(SURVEY_RESPONSES.columns)
COMMENT_COLUMNS = ["respondent_id", "submitted_at", "comment", "source"]

_BRACKET_RE = re.compile(r"^\s*\[([^\]]+)\]\s*")


# --- survey questions in headers ---


@cache
def _aspect_phrases() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Exact folded wordings → aspect, and (wording, aspect) pairs longest first."""
    entries = load("columns").get("survey_aspects") or {}
    exact = {fold_key(str(s)): aspect for aspect, spellings in entries.items() for s in spellings}
    return exact, tuple(sorted(exact.items(), key=lambda p: (-len(p[0]), p[0])))


#: What may stand before an aspect heading: a part word and a number (``I.``, ``Phần 2``, ``Nhóm III``).
_ENUMERATOR_RE = re.compile(r"^(?:phan|nhom|yeuto|linhvuc|muc)?(?:[ivx]{1,4}|\d{1,2}|[a-e])?")


def _guess_question(key: str) -> str | None:
    """For header finding: a folded header that starts with an aspect wording (after an enumerator such
    as ``I.`` or ``Phần 2``) and goes on.

    The wordings are tried longest first (:func:`_aspect_phrases`); only those sharing the key's first
    letters at a possible start are looked at (:func:`_phrase_heads`).
    """
    size, heads = _phrase_heads()
    end = _ENUMERATOR_RE.match(key).end()
    starts = (0, end) if end else (0,)
    best: tuple[int, str] | None = None
    for start in starts:
        for rank, phrase, aspect in heads.get(key[start : start + size], ()):
            if (best is None or rank < best[0]) and key.startswith(phrase, start) and len(key) > start + len(phrase):
                best = (rank, aspect)
                break  # the bucket is in rank order: the first fitting wording is this start's best
    return f"{best[1]}|{key}" if best else None


@cache
def _phrase_heads() -> tuple[int, dict[str, tuple[tuple[int, str, str], ...]]]:
    """The length of the shortest aspect wording, and the wordings by their first letters of that length
    (``(rank, wording, aspect)``, in the order :func:`_aspect_phrases` tries them)."""
    ordered = _aspect_phrases()[1]
    size = min((len(phrase) for phrase, _ in ordered), default=1)
    heads: dict[str, list[tuple[int, str, str]]] = {}
    for rank, (phrase, aspect) in enumerate(ordered):
        heads.setdefault(phrase[:size], []).append((rank, phrase, aspect))
    return size, {head: tuple(group) for head, group in heads.items()}


def question_aspect(label: str) -> str | None:
    """The aspect of a question header: the bracketed wording, or ``overall`` for an overall question.

    >>> question_aspect("Nhìn chung, Ông/Bà hài lòng ở mức độ nào?"), question_aspect("[Khác] Câu hỏi")
    ('overall', None)
    """
    exact, ordered = _aspect_phrases()
    if match := _BRACKET_RE.match(label):
        return exact.get(fold_key(match.group(1)))
    key = fold_key(label)
    overall = [p for p, a in ordered if a == "overall"]
    return "overall" if any(key.startswith(p) for p in overall) else None


def _question_text(label: str) -> str:
    return excel_safe(_BRACKET_RE.sub("", label).strip() or label.strip())


def locate_survey(raw: RawSheet, synonyms: Mapping[str, str]) -> Header | None:
    """Find a questionnaire header: the kind's columns plus one column per question.

    Question columns get the canonical name ``aspect|folded header`` (unique per question).
    """
    by_order = _questions_in_sipas_order(raw)
    guess = (lambda key: by_order.get(key) or _guess_question(key)) if by_order else _guess_question
    header = find_header(raw, PatternSynonyms(synonyms, guess))
    if header is None:
        return None
    options = _label_options(raw, header.rows[0], len(header.rows))
    for col, name in list(header.columns.items()):
        if not _is_question(name) and name != "overall":
            continue
        label = header.labels.get(col, "")
        aspect = question_aspect(label)
        grouped = col < len(options) and len(options[col]) > 1  # a question under an aspect heading
        if aspect is None and _is_question(name) and grouped:
            aspect = name.split("|", 1)[0]
            deepest = options[col][0]
            if not _BARE_NUMBER_RE.match(fold(deepest)):
                header.labels[col] = deepest  # the question itself, without its heading
        if aspect is None and name == "overall":
            aspect = "overall"
        if aspect is None:
            del header.columns[col]
            header.unknown[col] = label
        else:
            header.columns[col] = f"{aspect}|{fold_key(label)}"
    return header


#: The aspects of a SIPAS questionnaire, in the order its parts come (then, if any, the overall part).
SIPAS_ORDER = ("access", "procedure", "staff", "result", "feedback", "overall")


def _questions_in_sipas_order(raw: RawSheet) -> dict[str, str]:
    """Questions under aspect headings worded in no known way, placed by the order of the headings.

    A two-row header whose upper row groups the questions below it into five (or six) runs of
    columns is a SIPAS questionnaire: the runs are, in order, access, procedure, staff, result,
    feedback (and overall). Used only when no heading contradicts that order. Returns folded header
    key → ``aspect|key`` for the question columns (empty when the sheet has no such header).
    """
    for top in range(min(len(raw.rows) - 1, MAX_SCAN_ROWS)):
        upper, lower = raw.rows[top], raw.rows[top + 1]
        if sum(v not in ("", None) for v in lower) < 5 or sum(v not in ("", None) for v in upper) < 5:
            continue
        width = max(len(upper), len(lower))
        grid = _merged_parents(raw, top, 2, width)
        runs: list[tuple[str, list[int]]] = []
        for col in range(width):
            heading, question = grid[0][col], grid[1][col]
            if not heading or not question or heading == question:
                continue
            if runs and runs[-1][0] == heading and runs[-1][1][-1] == col - 1:
                runs[-1][1].append(col)
            else:
                runs.append((heading, [col]))
        if len(runs) not in (5, 6) or len({h for h, _ in runs}) != len(runs):
            continue
        if sum(len(cols) >= 2 for _, cols in runs) < len(runs) - 1:
            continue  # headings group questions: all but (perhaps) the overall part hold several
        known = [_guess_question(fold_key(h) + "x") for h, _ in runs]
        if any(k and k.split("|")[0] != aspect for k, aspect in zip(known, SIPAS_ORDER, strict=False)):
            continue
        out = {}
        for (heading, cols), aspect in zip(runs, SIPAS_ORDER, strict=False):
            for col in cols:
                key = fold_key(f"{heading} {grid[1][col]}")
                out[key] = f"{aspect}|{key}"
        return out
    return {}


_BARE_NUMBER_RE = re.compile(r"^(?:cau(?: hoi)?(?: so)?)? ?\d{1,2}$")


def _is_question(name: str) -> bool:
    return "|" in name


def score_survey(header: Header) -> float:
    """Detection score: the distinct columns matched, when at least one is a question."""
    names = set(header.columns.values())
    return float(len(names)) if any(_is_question(n) for n in names) else 0.0


# --- evaluations ---


def _column(data: pd.DataFrame, name: str) -> pd.Series:
    return data[name] if name in data.columns else pd.Series(None, index=data.index, dtype=object)


def _date_faults(faults: Faults, dates: ParsedDates, raw: pd.Series, column: str, label: str) -> None:
    """Quarantine unreadable and impossible dates with the reason the dossier kind gives."""
    bad = dates.problems.notna()
    if bad.any():
        faults.add(bad, column, date_reason(label, dates.problems.fillna(""), raw))


def _content(data: pd.DataFrame, names: list[str]) -> pd.Series:
    """Rows with anything besides STT (pre-numbered template rows are not data)."""
    present = [n for n in names if n in data.columns]
    return data[present].notna().any(axis=1) if present else pd.Series(False, index=data.index)


_POINTS_RE = re.compile(r"^(?:diem )?([012])(?: diem)?(?: |$)")


def _criterion_cells(values: pd.Series) -> pd.Series:
    """Criterion scores written with their unit (``2 điểm``, ``Điểm 1 khi …``) as the bare score.

    >>> _criterion_cells(pd.Series(["2 điểm", "Điểm 1 khi tổng thời gian bằng quy định", 0, "Hài lòng"])).tolist()
    ['2', '1', 0, 'Hài lòng']
    """
    return values.map(_criterion_cell, na_action="ignore")


def _criterion_cell(value: object) -> object:
    """One criterion cell as :func:`_criterion_cells` reads it."""
    if not isinstance(value, str):
        return value
    match = _POINTS_RE.match(fold(value))
    return match.group(1) if match else value


def _criteria(data: pd.DataFrame) -> list[tuple[pd.Series, pd.Series]]:
    """Per criterion (c1–c9), :func:`~cchc_analysis.ingest.labels.map_vocab` (``satisfaction``) of its cells
    (:func:`_criterion_cells`): the canonical values and the cells off the scale.

    The nine columns are read together, as one column, when their cells are plain
    (:func:`~cchc_analysis.ingest.numbers.plain_cells`: each cell then reads as the same value whatever
    type the column's cells would share), else column by column.
    """
    columns = [_column(data, name) for name in CRITERIA]
    arrays = [c.to_numpy(dtype=object) for c in columns]
    if not all(plain_cells(a) for a in arrays):
        return [map_vocab(_criterion_cells(c), "satisfaction") for c in columns]
    arrays = [np.array([_criterion_cell(v) for v in a], dtype=object) for a in arrays]
    n = len(data)
    mapped, unknown = map_vocab(pd.Series(np.concatenate(arrays), dtype=object), "satisfaction")
    flags = unknown.to_numpy(dtype=bool)
    return [(mapped.iloc[k * n : (k + 1) * n].set_axis(data.index), pd.Series(flags[k * n : (k + 1) * n], index=data.index))
            for k in range(len(CRITERIA))]


def _criterion_scores(mapped: pd.Series) -> pd.Series:
    """The scores 2/1/0 (``Int64``) of canonical satisfaction values (NA when blank or another value)."""
    values = mapped.to_numpy(dtype=object, na_value=None)
    return pd.Series(pd.array([None if v is None else SCORES.get(v) for v in values], dtype="Int64"),
                     index=mapped.index)


def _typed_evaluations(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Type one evaluation sheet; return the candidates, the quarantine frame and the rows read."""
    data = table.data[_content(table.data, ["evaluation_id", "dossier_id", "evaluated_at", "overall", *CRITERIA])]
    faults = Faults(data)
    out = pd.DataFrame(index=data.index)
    out["source"] = sources(table, data["row"])
    explicit = as_text(_column(data, "evaluation_id")).str.strip()
    out["evaluation_id"] = explicit.fillna(out["source"])
    out["explicit_id"] = explicit.notna()
    out["dossier_id"] = as_text(_column(data, "dossier_id")).str.strip().replace("", pd.NA)
    dates = parse_dates(_column(data, "evaluated_at"))
    out["evaluated_at"] = dates.values
    overall, unknown = map_vocab(_column(data, "overall"), "satisfaction")
    out["overall"] = overall
    faults.add(overall.isna() & ~unknown, "overall", "Thiếu câu trả lời đánh giá chung: không phải một câu trả "
               "lời, không tính vào tỷ lệ hài lòng (cũng không tính là không hài lòng).")
    faults.add(unknown, "overall", "Câu trả lời đánh giá chung không nhận ra: cần RẤT HÀI LÒNG, HÀI LÒNG, KHÔNG "
               "HÀI LÒNG hoặc mã 2/1/0 (vocab.yaml: satisfaction).")
    faults.add(dates.values.isna() & dates.problems.isna(), "evaluated_at", "Thiếu ngày đánh giá.")
    _date_faults(faults, dates, _column(data, "evaluated_at"), "evaluated_at", "ngày đánh giá")
    for i, (name, (mapped, unknown)) in enumerate(zip(CRITERIA, _criteria(data), strict=True), start=1):
        out[name] = _criterion_scores(mapped)
        faults.add(unknown, name, f"Tiêu chí {i} có giá trị ngoài thang 2/1/0 (hoặc Rất hài lòng / Hài lòng / "
                   "Không hài lòng) (vocab.yaml: satisfaction).")
    return out[~faults.failed], faults.records(table), len(data)


def clean_evaluations(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean evaluation exports into ``evaluations`` (see the module docstring)."""
    result = KindResult()
    frames, reads, quarantine = [], [], []
    for position, table in enumerate(tables):
        kept, bad, read = _typed_evaluations(table)
        ctx.progress(read)
        frames.append(kept.assign(_sheet=position))
        reads.append((read, len(bad)))
        quarantine.append(bad)
    frame = pd.concat(frames, ignore_index=True)
    same_id = frame["explicit_id"] & frame.duplicated(["evaluation_id"])
    same_content = (~frame["explicit_id"] & frame["dossier_id"].notna()
                    & frame.duplicated(["explicit_id", "dossier_id", "evaluated_at", "overall", *CRITERIA]))
    duplicate = same_id | same_content
    _count(result, tables, reads, frame.loc[duplicate, "_sheet"], "evaluations")
    result.tables["evaluations"] = frame.loc[~duplicate, EVALUATION_COLUMNS].reset_index(drop=True)
    result.quarantine = pd.concat(quarantine, ignore_index=True)
    return result


def _count(result: KindResult, tables: list[SheetTable], reads: list[tuple[int, int]], dup_sheets: pd.Series,
           kind: str) -> None:
    per_sheet = np.bincount(dup_sheets.astype("int64"), minlength=len(tables))
    for position, (table, (read, bad)) in enumerate(zip(tables, reads, strict=True)):
        dups = int(per_sheet[position])
        result.counts.append(SheetCounts(table.file.name, table.sheet, kind, read, read - bad - dups, bad, dups))


# --- surveys ---


def _respondent_ids(submitted: pd.Series, scores: pd.DataFrame, comment: pd.Series) -> pd.Series:
    """A content hash per respondent (timestamp, answers in question order, masked comment): ``KS-…``."""
    content = pd.concat([submitted, scores[sorted(scores.columns)], comment], axis=1)
    hashes = pd.util.hash_pandas_object(content, index=False)
    return pd.Series([f"KS-{h:016x}" for h in hashes], index=content.index, dtype="string")


def _likert_scores(data: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The scores (``Int64``) of the question columns ``names`` and, per question, its cells that are no answer
    on the scale: :func:`~cchc_analysis.ingest.labels.map_vocab` (``likert``) of each column.

    The columns are read together, as one column (each distinct answer is read once for the sheet),
    when their cells are plain (:func:`~cchc_analysis.ingest.numbers.plain_cells`); otherwise (a boolean:
    ``True`` equals ``1`` as a distinct value but does not read the same) column by column.
    """
    if not names:
        return pd.DataFrame(index=data.index), {}
    block = data[names].to_numpy(dtype=object)
    if not plain_cells(block):
        read = [map_vocab(data[name], "likert") for name in names]
        scores = {name: pd.to_numeric(mapped, errors="coerce").astype("Int64") for name, (mapped, _) in zip(names, read, strict=True)}
        return pd.DataFrame(scores, index=data.index), {name: unknown for name, (_, unknown) in zip(names, read, strict=True)}
    n = len(data)
    mapped, unknown = map_vocab(pd.Series(block.ravel(order="F"), dtype=object), "likert")
    numbers = pd.to_numeric(mapped, errors="coerce").astype("Int64").array
    flags = unknown.to_numpy(dtype=bool)
    scores = {name: pd.Series(numbers[k * n : (k + 1) * n], index=data.index) for k, name in enumerate(names)}
    return (pd.DataFrame(scores, index=data.index),
            {name: pd.Series(flags[k * n : (k + 1) * n], index=data.index) for k, name in enumerate(names)})


def _typed_survey(table: SheetTable) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], pd.DataFrame]:
    """Type one questionnaire sheet: the respondents kept, their scores, question texts, quarantine."""
    data = table.data
    questions = {name: col for col, name in table.header.columns.items() if _is_question(name)}
    faults = Faults(data)
    scores, unknown = _likert_scores(data, list(questions))
    for name, col in questions.items():
        faults.add(unknown[name], name, "Câu trả lời không thuộc thang 5 mức (Rất hài lòng … Rất không hài lòng, hoặc "
                   f"1–5) ở câu «{_question_text(table.header.labels[col])}» (vocab.yaml: likert).")
    dates = parse_dates(_column(data, "submitted_at"))
    faults.add(dates.values.isna() & dates.problems.isna(), "submitted_at", "Thiếu thời gian gửi phiếu (Dấu thời gian).")
    _date_faults(faults, dates, _column(data, "submitted_at"), "submitted_at", "thời gian gửi phiếu")
    comment = free_text(_column(data, "comment"))
    faults.add(scores.isna().all(axis=1) & comment.isna(), None, "Phiếu không có câu trả lời nào.")
    out = pd.DataFrame({"submitted_at": dates.values, "comment": comment,
                        "source": sources(table, data["row"])}, index=data.index)
    out["respondent_id"] = _respondent_ids(out["submitted_at"], scores, comment)
    texts = {name: _question_text(table.header.labels[col]) for name, col in questions.items()}
    keep = ~faults.failed
    return out[keep], scores[keep], texts, faults.records(table)


def clean_survey(tables: list[SheetTable], ctx: CleanContext) -> KindResult:
    """Clean questionnaire exports into ``survey_responses`` and ``survey_comments``."""
    result = KindResult()
    respondents, answers, reads, quarantine = [], [], [], []
    for position, table in enumerate(tables):
        kept, scores, texts, bad = _typed_survey(table)
        ctx.progress(len(table.data))
        respondents.append(kept.assign(_sheet=position))
        long = scores.rename_axis("_index").reset_index().melt("_index", var_name="name", value_name="score")
        long = long.dropna(subset=["score"])
        long["aspect"] = long["name"].str.split("|").str[0]
        long["question"] = long["name"].map(texts)
        answers.append(long.join(kept[["respondent_id", "submitted_at", "source"]], on="_index"))
        reads.append((len(table.data), len(bad)))
        quarantine.append(bad)
    people = pd.concat(respondents, ignore_index=True)
    duplicate = people["respondent_id"].duplicated()
    _count(result, tables, reads, people.loc[duplicate, "_sheet"], "survey")
    people = people[~duplicate]
    responses = pd.concat(answers, ignore_index=True)
    kept = set(people["source"].to_numpy(dtype=object))
    responses = responses[np.fromiter((s in kept for s in responses["source"].to_numpy(dtype=object)), bool,
                                      len(responses))]
    types = {"aspect": "string", "question": "string", "score": "Int64"}
    result.tables["survey_responses"] = responses[RESPONSE_COLUMNS].astype(types).reset_index(drop=True)
    result.tables["survey_comments"] = people.loc[people["comment"].notna(), COMMENT_COLUMNS].reset_index(drop=True)
    result.quarantine = pd.concat(quarantine, ignore_index=True)
    return result


KINDS = (
    Kind(name="evaluations", tables=("evaluations",), clean=clean_evaluations, required=("overall",)),
    Kind(name="survey", tables=("survey_responses", "survey_comments"), clean=clean_survey,
         locate=locate_survey, score=score_survey),
)
