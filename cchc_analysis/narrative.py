"""Short Vietnamese readings of the indicators, generated from the data.

Every number in a reading comes from the indicator table or a canonical table, formatted with
:mod:`cchc_analysis.formatting`; the status words are those of
:data:`cchc_analysis.milestones.STATUS_WORDS_VI`. Missing data give a sentence that says so.

>>> import pandas as pd
>>> from cchc_analysis import indicators
>>> ev = pd.DataFrame({"evaluation_id": list("abcd"), "dossier_id": [None] * 4,
...     "evaluated_at": pd.to_datetime(["2025-03-01"] * 4), "overall": ["satisfied"] * 3 + ["dissatisfied"]})
>>> print(describe_indicator(indicators.compute({"evaluations": ev}), "satisfaction_share", 2025))
Năm 2025, mức độ hài lòng về giải quyết TTHC đạt 75,0% (n = 4 phiếu), chưa đạt mốc 2025 (≥ 90,0%), còn thiếu 15,0 điểm %; trạng thái: Chậm so với lộ trình. Để đạt mốc 2030 (≥ 95,0%) cần tăng thêm 20,0 điểm % (bình quân 4,0 điểm %/năm trong 5 năm).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from cchc_analysis import formatting as fmt
from cchc_analysis import milestones, views

#: What the n of a share counts, by the registry's ``source``.
COUNT_NOUNS_VI = {"evaluations": "phiếu", "survey": "câu trả lời", "dossiers": "hồ sơ", "manual": ""}
#: Canonical tables, as an analyst knows them.
TABLE_NAMES_VI = {
    "dossiers": "danh sách hồ sơ TTHC",
    "evaluations": "phiếu đánh giá mức độ hài lòng",
    "survey_responses": "kết quả khảo sát sự hài lòng",
    "manual_indicators": "bảng chỉ tiêu nhập tay",
    "budget": "số liệu kinh phí đơn vị sự nghiệp",
    "payroll": "số liệu biên chế",
    "report06a": "báo cáo biểu 06a",
}
DATE_COLUMNS = {"dossiers": ("received_at", "resolved_at"), "evaluations": ("evaluated_at",),
                "survey_responses": ("submitted_at",)}


def _row(table: pd.DataFrame, indicator_id: str, period: str, breakdown: str = "all") -> pd.Series | None:
    if table is None or table.empty:
        return None
    rows = table[(table["indicator_id"] == indicator_id) & (table["period"] == str(period))
                 & (table["breakdown"] == breakdown)]
    return None if rows.empty else rows.iloc[0]


def _known(x: Any) -> bool:
    return x is not None and not pd.isna(x)


def _title(spec: Mapping[str, Any], indicator_id: str) -> str:
    return fmt.lower_first(spec.get("title_vi", indicator_id))


def _n_only(row: pd.Series, spec: Mapping[str, Any]) -> str:
    """``n = 1.234 phiếu`` for a share with a denominator, else ``""``."""
    if spec.get("unit") != "share" or not _known(row["denominator"]):
        return ""
    noun = COUNT_NOUNS_VI.get(spec.get("source", ""), "")
    return f"n = {fmt.number(row['denominator'])}{' ' + noun if noun else ''}"


def _n_text(row: pd.Series, spec: Mapping[str, Any]) -> str:
    """`` (n = 1.234 phiếu)`` or ``""``."""
    n = _n_only(row, spec)
    return f" ({n})" if n else ""


def _change(current: float, previous: float, indicator_id: str, registry: Mapping | None) -> str:
    """``tăng 3,2 điểm %`` for shares, ``giảm 3,7%`` for amounts."""
    spec = fmt.indicator_spec(indicator_id, registry)
    diff = current - previous
    if diff == 0:
        return "không đổi"
    verb = "tăng" if diff > 0 else "giảm"
    if spec.get("unit") == "share":
        return f"{verb} {fmt.points(abs(diff), sign=False)}"
    if previous:
        return f"{verb} {fmt.number(abs(diff) / abs(previous) * 100, 1)}%"
    return f"{verb} {fmt.value(abs(diff), indicator_id, registry)}"


def _target_clause(row: pd.Series, spec: Mapping[str, Any], indicator_id: str, registry: Mapping | None) -> str:
    """``đạt mốc 2025 (≥ 90,0%)`` or ``chưa đạt mốc 2025 (≥ 90,0%), còn thiếu 2,1 điểm %``."""
    if not _known(row["target_value"]):
        return ""
    target_year = int(row["target_year"])
    target = next(t for t in spec["targets"] if int(t["year"]) == target_year)
    words = fmt.target_text(target["operator"], float(row["target_value"]), indicator_id, registry)
    if row["status"] == "met":
        return f", đạt mốc {target_year} ({words})"
    gap = abs(float(row["target_value"]) - float(row["value"]))
    gap_text = fmt.points(gap, sign=False) if spec.get("unit") == "share" else fmt.value(gap, indicator_id, registry)
    short = "còn thiếu" if spec.get("direction") != "decrease" else "còn cao hơn mốc"
    return f", chưa đạt mốc {target_year} ({words}), {short} {gap_text}"


def _baseline_words(spec: Mapping[str, Any], period: str) -> str:
    """`` (năm 2024 thuộc kỳ gốc 2021–2025 của mốc 2030)``: why a value is not judged yet."""
    target = milestones.baseline_running(spec, period)
    if target is None:
        return ""
    first, last = (int(y) for y in target["baseline"]["years"])
    base = f"{first}–{last}" if first != last else str(first)
    return (f" ({fmt.lower_first(fmt.period_label(str(period)))} thuộc kỳ gốc {base} mà mốc {target['year']} "
            "được tính từ đó)")


def _basis(tables: Mapping[str, pd.DataFrame] | None, indicator_id: str, first_year: int | None,
           last_year: int) -> str:
    """`` Số liệu năm 2024 chỉ gồm …`` on the years compared that are not on the merged basis, else ``""``."""
    if not tables:
        return ""
    note = views.merger_note(tables, indicator_id, first_year=first_year, last_year=last_year)
    return f" {note}" if note else ""


def _outlook(table: pd.DataFrame, indicator_id: str, year: int, value: float, registry: Mapping | None,
             breakdown: str, judged_year: int | None = None) -> str:
    """What the last milestone after ``year`` still asks for (``judged_year``: one already met, left out)."""
    spec = fmt.indicator_spec(indicator_id, registry)
    future = [t for t in views.milestone_targets(views.until_year(table, year), indicator_id, breakdown, registry)
              if t["year"] > year and t["value"] is not None and t["year"] != judged_year]
    if not future:
        return ""
    t = future[-1]
    words = t["text"]
    if milestones.judge(value, t["value"], t["operator"], t["year"], t["year"], t["value"], 0.0) == "met":
        return f" Giá trị này đã đạt mức của mốc {t['year']} ({words}); cần duy trì."
    years_left = t["year"] - year
    if spec.get("unit") == "share":
        gap = t["value"] - value
        step = abs(gap) / years_left
        per_year = fmt.points(step, 1 if step >= 0.0005 else 2, sign=False).replace(" điểm %", "")
        verb = "tăng thêm" if gap > 0 else "giảm"
        return (f" Để đạt mốc {t['year']} ({words}) cần {verb} {fmt.points(abs(gap), sign=False)} "
                f"(bình quân {per_year} điểm %/năm trong {years_left} năm).")
    needed = views.required_change(table, indicator_id, registry, last_year=year)
    if needed is None or needed["from_year"] != year:
        return ""
    return (f" Để đạt mốc {needed['target_year']} ({needed['target_text']}) cần {needed['verb']} "
            f"bình quân {fmt.number(abs(needed['rate']) * 100, 1)}%/năm {needed['span']}.")


def describe_indicator(table: pd.DataFrame, indicator_id: str, year: int, registry: Mapping | None = None, *,
                       breakdown: str = "all", period: str = "",
                       tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """One paragraph on an indicator for a year (or a period of it).

    The value with n, the milestone it is judged against, the status in words, the change from the
    same period of the previous year (with, given ``tables``, the sentence on those two years not on
    the merged basis of 01/07/2025: :func:`cchc_analysis.views.merger_note`), and what the next
    milestone after ``year`` still asks for.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id : str
        The indicator.
    year : int
        The review year.
    registry : mapping, optional
        The milestone registry (default: the packaged one).
    breakdown : str
        ``all`` or e.g. ``field=Điện``.
    period : str
        ``""`` for the year, or a period of it (``2025-H1``, ``2025-Q3``, ``2025-07``).
    tables : mapping, optional
        The canonical tables with units (dossiers, budget, payroll), for the merger basis.

    Returns
    -------
    str
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    period = period or str(year)
    when = fmt.period_label(period)
    scope = "" if breakdown == "all" else f" ({fmt.BREAKDOWN_KINDS_VI.get(breakdown.split('=')[0], '')} "\
                                          f"{fmt.breakdown_label(breakdown)})"
    row = _row(table, indicator_id, period, breakdown)
    if row is None or not _known(row["value"]):
        return f"{when}, chưa có số liệu về {_title(spec, indicator_id)}{scope}."
    value = float(row["value"])
    verb = "đạt" if spec.get("unit") == "share" else "là"
    status = milestones.shown_status(row["status"], indicator_id, period, reg)
    judged = "" if status == "not_yet_due" else _target_clause(row, spec, indicator_id, reg)
    text = (f"{when}, {_title(spec, indicator_id)}{scope} {verb} {fmt.value(value, indicator_id, reg)}"
            f"{_n_text(row, spec)}{judged}")
    if status == "not_yet_due":
        text += f"; trạng thái: {milestones.STATUS_WORDS_VI[status]}{_baseline_words(spec, period)}."
    elif status == "no_target" and spec.get("targets"):
        text += "; mốc của Chương trình chưa được lượng hóa (chờ lộ trình), chưa đánh giá trạng thái."
    elif status == "no_target":
        text += "; chỉ số theo dõi, không có mốc của Chương trình."
    else:
        text += f"; trạng thái: {milestones.STATUS_WORDS_VI[status]}."
    previous = _row(table, indicator_id, f"{int(year) - 1}{period[4:]}", breakdown)
    if previous is not None and _known(previous["value"]):
        prev_value = float(previous["value"])
        text += (f" So với {fmt.lower_first(fmt.period_label(str(previous['period'])))} "
                 f"({fmt.value(prev_value, indicator_id, reg)}), {_change(value, prev_value, indicator_id, reg)}.")
        text += _basis(tables, indicator_id, int(year) - 1, int(year))
    if period == str(year):
        judged = int(row["target_year"]) if status == "met" and _known(row["target_year"]) else None
        text += _outlook(table, indicator_id, int(year), value, reg, breakdown, judged)
    return text


def describe_indicators(table: pd.DataFrame, indicator_ids: Iterable[str], year: int,
                        registry: Mapping | None = None, *, period: str = "",
                        tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """:func:`describe_indicator` for several indicators, as a Markdown bullet list.

    A merger-basis sentence that two or more readings would repeat word for word is said once, after
    the list, instead of in each of them."""
    ids = list(indicator_ids)
    texts = [describe_indicator(table, i, year, registry, period=period, tables=tables) for i in ids]
    notes = [_basis(tables, i, int(year) - 1, int(year)) for i in ids]
    shared = [n for n in dict.fromkeys(notes) if n and sum(n in t for n, t in zip(notes, texts, strict=True)) >= 2]
    for note in shared:
        texts = [t.replace(note, "", 1) if n == note else t for n, t in zip(notes, texts, strict=True)]
    lines = [f"- {t}" for t in texts]
    lines += [f"\n*Lưu ý cho các so sánh với năm trước ở trên:* {note.strip()}" for note in shared]
    return "\n".join(lines)


def join_vi(items: list[str]) -> str:
    """``a``, ``a và b``, ``a, b và c``.

    >>> join_vi(["A"]), join_vi(["A", "B", "C"])
    ('A', 'A, B và C')
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1] if items else ""


def _extremes(labels: list[str], texts: list[str], k: int) -> tuple[str, str]:
    """The first ``k`` (weakest) and the last ``k`` (strongest, not repeating the weakest) as text."""
    k = min(k, (len(labels) + 1) // 2)
    weakest = [f"{lab} ({txt})" for lab, txt in zip(labels[:k], texts[:k], strict=True)]
    rest = max(0, len(labels) - k)
    strongest = [f"{lab} ({txt})" for lab, txt in
                 list(zip(labels, texts, strict=True))[::-1][:min(k, rest)]]
    return join_vi(weakest), join_vi(strongest)


def describe_breakdown(table: pd.DataFrame, indicator_id: str, period: str, by: str = "field",
                       registry: Mapping | None = None, *, k: int = 2, min_n: int = 1) -> str:
    """The weakest and strongest groups of one period, and how many groups miss the milestone.

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id, period : str
        Which indicator and period.
    by : {"field", "aspect", "unit"}
        The breakdown.
    registry : mapping, optional
        The milestone registry.
    k : int
        How many groups to name at each end.
    min_n : int
        Groups with fewer answers or dossiers are left out.
    """
    reg = registry or milestones.load_registry()
    spec = fmt.indicator_spec(indicator_id, reg)
    kind = fmt.BREAKDOWN_KINDS_VI.get(by, by)
    when = fmt.period_label(str(period))
    rows = views.breakdown_rows(table, indicator_id, str(period), by=by, registry=reg, min_n=min_n)
    if rows.empty:
        return f"{when}, chưa có số liệu về {_title(spec, indicator_id)} theo {kind}."
    labels = rows["label"].tolist()
    texts = [", ".join(t for t in (fmt.value(float(r["value"]), indicator_id, reg), _n_only(r, spec)) if t)
             for _, r in rows.iterrows()]
    weakest, strongest = _extremes(labels, texts, k)
    low_word, high_word = ("thấp", "cao") if spec.get("direction", "increase") == "increase" else ("cao", "thấp")
    text = f"{when}, {_title(spec, indicator_id)} theo {kind}: {low_word} nhất là {weakest}"
    text += f"; {high_word} nhất là {strongest}." if strongest else "."
    judged = rows[rows["target_value"].notna()]
    if not judged.empty:
        missing = int((judged["status"] != "met").sum())
        target_year = int(judged["target_year"].iloc[0])
        target = next(t for t in spec["targets"] if int(t["year"]) == target_year)
        words = (f"mốc {target_year} "
                 f"({fmt.target_text(target['operator'], float(judged['target_value'].iloc[0]), indicator_id, reg)})")
        text += (f" {missing}/{len(judged)} {kind} chưa đạt {words}." if missing
                 else f" Tất cả {len(judged)} {kind} đều đạt {words}.")
    return text


def _share_list(frame: pd.DataFrame, noun: str) -> list[str]:
    return [f"{fmt.percent(float(v))}, n = {fmt.number(n)} {noun}" for v, n in zip(frame["value"], frame["denominator"],
                                                                                   strict=True)]


def describe_criteria(evaluations: pd.DataFrame | None, period: str | None = None, *, k: int = 2) -> str:
    """The evaluation criteria with the lowest and highest share of top scores."""
    when = fmt.period_label(period) if period else "Toàn bộ thời gian"
    frame = views.criteria_shares(evaluations, period)
    if frame.empty:
        return f"{when}, chưa có phiếu đánh giá có điểm theo tiêu chí."
    weakest, strongest = _extremes(frame["label"].tolist(), _share_list(frame, "phiếu"), k)
    text = f"{when}, tiêu chí có tỷ lệ phiếu đạt điểm tối đa thấp nhất: {weakest}"
    return text + (f"; cao nhất: {strongest}." if strongest else ".")


def describe_procedures(evaluations: pd.DataFrame | None, dossiers: pd.DataFrame | None,
                        period: str | None = None, *, k: int = 3, min_n: int = 10) -> str:
    """The procedures with the lowest satisfaction share (at least ``min_n`` answers each)."""
    when = fmt.period_label(period) if period else "Toàn bộ thời gian"
    frame = views.procedure_satisfaction(evaluations, dossiers, period, min_n)
    if frame.empty:
        return (f"{when}, chưa có thủ tục nào có từ {fmt.number(min_n)} phiếu đánh giá gắn với hồ sơ trở lên.")
    weakest = join_vi([f"{lab} ({txt})" for lab, txt in
                       zip(frame["label"][:k], _share_list(frame.head(k), "phiếu"), strict=True)])
    return (f"{when}, trong {fmt.number(len(frame))} thủ tục có từ {fmt.number(min_n)} phiếu trở lên, mức độ hài "
            f"lòng thấp nhất ở {weakest}.")


def describe_coverage(dossiers: pd.DataFrame | None, evaluations: pd.DataFrame | None, period: str) -> str:
    """How many of the dossiers resolved in ``period`` were evaluated."""
    when = fmt.period_label(str(period))
    frame = views.evaluation_coverage(dossiers, evaluations, fmt.period_kind(str(period)))
    row = frame[frame["period"] == str(period)]
    if row.empty:
        return f"{when}, chưa có hồ sơ đã giải quyết hoặc phiếu đánh giá gắn với hồ sơ."
    r = row.iloc[0]
    return (f"{when}, {fmt.number(r['numerator'])}/{fmt.number(r['denominator'])} hồ sơ đã giải quyết "
            f"({fmt.percent(float(r['value']))}) được người dân, doanh nghiệp đánh giá mức độ hài lòng.")


def describe_amount(table: pd.DataFrame, indicator_id: str, year: int, registry: Mapping | None = None, *,
                    budget: pd.DataFrame | None = None, tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """Budget or headcount of a year: the value and status (:func:`describe_indicator`), the baseline
    of the relative milestones, the yearly rate of change still needed, later plan years and, given
    ``tables``, the sentence on the years up to ``year`` not on the merged basis (the baselines and the
    trend span them: :func:`cchc_analysis.views.merger_note`).

    Parameters
    ----------
    table : pandas.DataFrame
        The indicator table.
    indicator_id : str
        ``public_unit_budget_vnd`` or ``public_unit_headcount``.
    year : int
        The review year.
    registry : mapping, optional
        The milestone registry.
    budget : pandas.DataFrame, optional
        The canonical budget table, to name plan (dự toán) years.
    tables : mapping, optional
        The canonical tables with units (budget, payroll), for the merger basis.
    """
    reg = registry or milestones.load_registry()
    text = describe_indicator(table, indicator_id, year, reg)
    baselines = []
    for t in views.milestone_targets(views.until_year(table, year), indicator_id, "all", reg):
        if t["baseline"] is None:
            continue
        first, last = t["baseline"]["years"]
        word = "bình quân" if t["baseline"]["statistic"] == "mean" else "năm gốc"
        span = f"{first}–{last}" if first != last else str(first)
        base = fmt.value(t["baseline_value"], indicator_id, reg) if t["baseline_value"] is not None else \
            "chưa đủ số liệu"
        words = t["text"]
        baselines.append(f"mốc {t['year']} ({words}) tính trên {word} {span}: {base}")
    if baselines:
        text += " Căn cứ: " + "; ".join(baselines) + "."
    stages = views.budget_stages(budget)
    plans = [y for y, s in sorted(stages.items()) if s == "plan" and y > int(year)]
    for y in plans:
        row = _row(table, indicator_id, str(y))
        if row is not None and _known(row["value"]):
            text += f" Dự toán năm {y}: {fmt.value(float(row['value']), indicator_id, reg)}."
    return text + _basis(tables, indicator_id, None, int(year))


def latest_date(tables: Mapping[str, pd.DataFrame]) -> date | None:
    """The last date found in the dated canonical tables (dossiers, evaluations, survey), or None.

    >>> latest_date({"evaluations": pd.DataFrame({"evaluated_at": pd.to_datetime(["2025-09-30 10:00", None])})})
    datetime.date(2025, 9, 30)
    """
    last = None
    for name, columns in DATE_COLUMNS.items():
        frame = tables.get(name)
        if frame is None:
            continue
        for col in columns:
            if col in frame:
                value = pd.to_datetime(frame[col]).max()
                if _known(value) and (last is None or value > last):
                    last = value
    return None if last is None else last.date()


def missing_tables(tables: Mapping[str, pd.DataFrame], names: Iterable[str]) -> str:
    """A sentence naming the tables a notebook needs that are absent or empty ("" when none).

    >>> missing_tables({}, ["evaluations"])
    'Chưa có dữ liệu: phiếu đánh giá mức độ hài lòng (evaluations.parquet). Các biểu đồ liên quan ghi "chưa có số liệu".'
    """
    absent = [n for n in names if tables.get(n) is None or tables[n].empty]
    if not absent:
        return ""
    listed = "; ".join(f"{TABLE_NAMES_VI.get(n, n)} ({n}.parquet)" for n in absent)
    return f'Chưa có dữ liệu: {listed}. Các biểu đồ liên quan ghi "chưa có số liệu".'
