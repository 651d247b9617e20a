"""The programme on one page: every milestone with its yearly values, targets, status and 2030 outlook.

:func:`scoreboard` turns the tidy indicator table (:mod:`cchc_analysis.indicators`) into one row per
indicator of the milestone registry: its Vietnamese title, clause(s), unit, the yearly values from the
programme's first year (2021) to the review year, the 2025 and 2030 targets, the status of the review
year (code and Vietnamese words) and what 2030 asks for (the value needed, and the change needed per
year, both in the indicator's unit and as a yearly rate). :func:`qualitative_targets` lists the targets
no number measures. :func:`write_scoreboard_xlsx` (:mod:`cchc_analysis.scoreboard_workbook`) writes one
formatted sheet per area (Vietnamese headers, percent formats, status cells coloured *and* worded, no
formula from any text, fixed metadata, A4 landscape one page wide). The pack's workbook puts the clause
sheets of :mod:`cchc_analysis.scoreboard_areas` first and this table last.

>>> import pandas as pd
>>> table = pd.DataFrame({"indicator_id": ["satisfaction_share"] * 2, "period": ["2024", "2025"],
...     "breakdown": "all", "value": [0.85, 0.92], "status": ["on_track", "met"]})
>>> row = scoreboard(table, year=2025).set_index("indicator_id").loc["satisfaction_share"]
>>> float(row["2025"]), float(row["target_2025"]), row["status"], row["status_vi"]
(0.92, 0.9, 'met', 'Đã đạt')
>>> round(float(row["change_per_year"]), 4)   # from 92% in 2025 to 95% in 2030: 0.6 points a year
0.006
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from cchc_analysis import milestones, views
from cchc_analysis.scoreboard_workbook import (  # noqa: F401  (part of this module's API)
    HEADERS_VI,
    QUALITATIVE_HEADERS_VI,
    QUALITATIVE_SHEET,
    STATUS_COLOURS,
    UNIT_WORDS_VI,
    WORKBOOK_DATE,
    _is_missing,
    workbook_bytes,
    write_scoreboard_xlsx,
)

OTHER_AREA = "Khác"


def headers_vi(registry: Mapping[str, Any] | None = None) -> dict[str, str]:
    """:data:`HEADERS_VI` with one target column per milestone year of the registry."""
    years = milestone_years(registry)
    out = {k: v for k, v in HEADERS_VI.items() if not k.startswith(("target_", "needed_"))}
    out.update({f"target_{y}": f"Mục tiêu {y}" for y in years})
    if years:
        last = years[-1]
        out.update({f"needed_{last}": f"Giá trị cần đạt năm {last}",
                    "change_per_year": f"Mức thay đổi cần mỗi năm đến {last}",
                    "rate_per_year": f"Tốc độ thay đổi cần mỗi năm đến {last}"})
    return out


def _yearly(table: pd.DataFrame, breakdown: str = "all") -> dict[str, dict[int, float]]:
    """Yearly values by indicator: ``{indicator_id: {year: value}}`` (missing values left out)."""
    periods = table["period"].astype(str)
    rows = table[(periods.str.len() == 4) & (table["breakdown"].astype(str) == breakdown)]
    out: dict[str, dict[int, float]] = {}
    for ind, period, value in zip(rows["indicator_id"].astype(str), rows["period"].astype(str),
                                  rows["value"], strict=True):
        if not _is_missing(value):
            out.setdefault(ind, {})[int(period)] = float(value)
    return out


def _status_of(table: pd.DataFrame, ind: str, period: str) -> str:
    rows = table[(table["indicator_id"].astype(str) == ind) & (table["period"].astype(str) == period)
                 & (table["breakdown"].astype(str) == "all")]
    if rows.empty or "status" not in rows or _is_missing(rows["status"].iloc[0]):
        return "no_data"
    return str(rows["status"].iloc[0])


def _target_for(spec: Mapping[str, Any], year: int) -> Mapping[str, Any] | None:
    return milestones.next_target({"targets": [t for t in spec.get("targets") or [] if t.get("year") == year]},
                                  year)


def headline_rows(table: pd.DataFrame, registry: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The table with each indicator's ``headline`` breakdown (registry; default ``all``) read as ``all``:
    the QĐ 766 index stands on the scoreboard by its total (``group=total``).

    >>> t = pd.DataFrame({"indicator_id": ["index766_score"] * 2, "breakdown": ["group=total", "group=TDGQ"]})
    >>> headline_rows(t)["breakdown"].tolist()
    ['all', 'group=TDGQ']
    """
    reg = registry or milestones.load_registry()
    heads = {i: str(s["headline"]) for i, s in (reg.get("indicators") or {}).items()
             if s.get("headline") not in (None, "all")}
    if not heads or table.empty:
        return table
    ids = table["indicator_id"].astype(str)
    hit = (table["breakdown"].astype(str) == ids.map(heads)).to_numpy(dtype=bool)
    if not hit.any():
        return table
    table = table.copy()
    table["breakdown"] = table["breakdown"].astype(object).where(~hit, "all")
    return table


def milestone_years(registry: Mapping[str, Any] | None = None) -> list[int]:
    """The programme's milestone years (``programme.milestone_years`` of the registry).

    >>> milestone_years()
    [2025, 2030]
    """
    reg = registry or milestones.load_registry()
    return sorted(int(y) for y in (reg.get("programme") or {}).get("milestone_years") or [])


def area_names(registry: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The programme's areas in its order: id -> the name of the sheet (``II.2 Cải cách thủ tục …``).

    Sheet names are cut between words to Excel's 31 characters.

    >>> list(area_names().values())[1]
    'II.2 Cải cách thủ tục hành'
    """
    reg = registry or milestones.load_registry()
    return {str(a["id"]): _sheet_name(f"{a['id']} {a.get('title_vi', '')}") for a in reg.get("areas") or []}


def area_titles(registry: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The programme's areas in its order: id -> ``II.2 Cải cách thủ tục hành chính`` (in full).

    >>> area_titles()["II.5"]
    'II.5 Cải cách tài chính công'
    """
    reg = registry or milestones.load_registry()
    return {str(a["id"]): " ".join(f"{a['id']} {a.get('title_vi', '')}".split()) for a in reg.get("areas") or []}


def _sheet_name(text: str, most: int = 31) -> str:
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    return text[:most + 1].rsplit(" ", 1)[0].rstrip(" ,")


def scoreboard(table: pd.DataFrame, year: int = 2025, registry: Mapping[str, Any] | None = None,
               period: str | None = None, basis: Mapping[str, str | None] | None = None) -> pd.DataFrame:
    """Every milestone of the registry on one page.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy indicator table (at least ``indicator_id``, ``period``, ``breakdown``, ``value``,
        ``status``); only the ``all`` breakdown is used.
    year : int
        The review year: values are shown for every year from the programme's start to ``year``.
    registry : mapping, optional
        The milestone registry (default: ``registry/milestones.yaml``).
    period : str, optional
        A period inside ``year`` (``2026-H1``): its value is added as a column and the status is the
        status of that period instead of the whole year.
    basis : mapping, optional
        Indicator id → the sentence on its years not on the merged basis (:func:`merger_basis`); given,
        a ``merger_basis`` column shows it (empty where every year is on the merged basis).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in registry order: ``area``, ``indicator_id``, ``title_vi``, ``clause``,
        ``unit``, ``decimals``, one column per year (``"2021"`` …), the period's column when given,
        ``target_2025``, ``target_2030`` (numbers; empty when not known yet), ``status``,
        ``status_vi``, ``latest_year`` (the last year with a value), ``needed_2030`` (the 2030 target
        value), ``change_per_year`` (in the indicator's unit, per year from the latest value to 2030)
        and ``rate_per_year`` (the constant yearly rate of change, for amounts and counts).

    Examples
    --------
    >>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    >>> board = scoreboard(empty, year=2023)
    >>> board.columns[6:9].tolist(), len(board) == len(milestones.load_registry()["indicators"])
    (['2021', '2022', '2023'], True)
    >>> board["status"].unique().tolist()
    ['no_data']
    """
    reg = registry or milestones.load_registry()
    start = int((reg.get("programme") or {}).get("start_year", 2021))
    years = list(range(start, int(year) + 1))
    period = period if period and period != str(year) else None
    table = headline_rows(table, reg)
    history = _yearly(table)
    until = views.until_year(table, int(year))
    targets_years = milestone_years(reg)
    last = targets_years[-1] if targets_years else int(year)
    names = area_names(reg)
    period_values: dict[str, float] = {}
    if period:
        sub = table[(table["period"].astype(str) == period) & (table["breakdown"].astype(str) == "all")]
        period_values = {str(i): float(v) for i, v in zip(sub["indicator_id"], sub["value"], strict=True)
                         if not _is_missing(v)}

    rows = []
    for ind, spec in (reg.get("indicators") or {}).items():
        hist = history.get(ind, {})
        known = {y: v for y, v in hist.items() if y <= int(year)}
        row: dict[str, Any] = {
            "area": names.get(str(spec.get("area")), spec.get("area") or OTHER_AREA),
            "indicator_id": ind,
            "title_vi": spec.get("title_vi", ind),
            "clause": ", ".join(dict.fromkeys(str(t["clause"]) for t in spec.get("targets") or []
                                              if t.get("clause"))),
            "unit": spec.get("unit", ""),
            "decimals": int(spec.get("decimals", 1)),
        }
        for y in years:
            row[str(y)] = known.get(y, math.nan)
        if period:
            row[period] = period_values.get(ind, math.nan)
        worked = {t["clause_id"]: t["value"] for t in views.milestone_targets(until, ind, "all", reg)}
        for ty in targets_years:
            target = _target_for(spec, ty)
            value = worked.get(target.get("clause_id")) if target else None
            row[f"target_{ty}"] = math.nan if value is None else value
        status = milestones.shown_status(_status_of(table, ind, period or str(year)), ind, period or str(year), reg)
        row["status"] = status
        row["status_vi"] = milestones.STATUS_WORDS_VI.get(status, status)
        latest = max(known) if known else None
        row["latest_year"] = latest if latest is not None else pd.NA
        needed = row.get(f"target_{last}", math.nan)
        row[f"needed_{last}"] = needed
        change = rate = math.nan
        if latest is not None and not _is_missing(needed) and latest < last:
            current = known[latest]
            change = (needed - current) / (last - latest)
            found = milestones.required_annual_change(current, needed, last - latest)
            rate = math.nan if found is None or spec.get("unit") == "share" else found
        row["change_per_year"] = change
        row["rate_per_year"] = rate
        if basis is not None:
            row["merger_basis"] = basis.get(ind) or ""
        rows.append(row)
    board = pd.DataFrame(rows)
    board["latest_year"] = board["latest_year"].astype("Int64")
    return board


def merger_basis(tables: Mapping[str, pd.DataFrame], year: int,
                 registry: Mapping[str, Any] | None = None) -> dict[str, str | None]:
    """Indicator id → the Vietnamese sentence on its years up to ``year`` not on the merged basis.

    >>> pay = pd.DataFrame({"unit": ["Trung tâm Xúc tiến thương mại"], "year": [2023], "funding": ["state_budget"]})
    >>> merger_basis({"payroll": pay}, 2025)["public_unit_headcount"][:16]
    'Số liệu năm 2023'
    """
    return views.merger_notes(tables, last_year=int(year), registry=registry or milestones.load_registry())


def qualitative_targets(registry: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The targets no number measures, with their clause.

    >>> qualitative_targets().columns.tolist()
    ['id', 'clause', 'title_vi', 'clause_text']
    """
    reg = registry or milestones.load_registry()
    items = reg.get("qualitative") or []
    return pd.DataFrame([{k: item.get(k) for k in QUALITATIVE_HEADERS_VI} for item in items],
                        columns=list(QUALITATIVE_HEADERS_VI))


def by_area(board: pd.DataFrame, registry: Mapping[str, Any] | None = None) -> dict[str, pd.DataFrame]:
    """Split a scoreboard into one frame per area (the programme's order), plus the qualitative
    targets under :data:`QUALITATIVE_SHEET`.

    >>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    >>> list(by_area(scoreboard(empty)))[:2], list(by_area(scoreboard(empty)))[-1]
    (['II.2 Cải cách thủ tục hành', 'II.3 Cải cách tổ chức bộ máy'], 'Mục tiêu định tính')
    """
    order = list(area_names(registry).values())
    areas = order + sorted(set(board["area"]) - set(order))
    frames = {a: board[board["area"] == a].reset_index(drop=True) for a in areas if (board["area"] == a).any()}
    frames[QUALITATIVE_SHEET] = qualitative_targets(registry)
    return frames

# --------------------------------------------------------------------------------------------------
# for the notebook: a readable table and a short reading


def display_table(board: pd.DataFrame, registry: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The scoreboard as text for reading: Vietnamese headers, values in their unit (``90,5%``),
    targets with their operator (``≥ 90,0%``).

    >>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    >>> display_table(scoreboard(empty, year=2022)).columns[:4].tolist()
    ['Lĩnh vực', 'Chỉ tiêu', 'Điều khoản', '2021']
    >>> display_table(scoreboard(empty, year=2022)).iloc[0]["2021"]
    '–'

    """
    from cchc_analysis import formatting

    reg = registry or milestones.load_registry()
    years = milestone_years(reg)
    value_cols = ([c for c in board.columns if c[:4].isdigit()] + [f"target_{y}" for y in years]
                  + [c for c in board.columns if c.startswith("needed_")])
    out = pd.DataFrame({"area": board["area"], "title_vi": board["title_vi"], "clause": board["clause"]})
    for col in value_cols:
        out[col] = [formatting.value(v, i, reg) for v, i in zip(board[col], board["indicator_id"], strict=True)]
    for ty in years:  # a target reads with its operator: "≥ 90,0%", "< 412 người"
        signs = [formatting.OPERATOR_SIGNS.get((_target_for(reg["indicators"].get(i, {}), ty) or {}).get(
            "operator"), "") for i in board["indicator_id"]]
        out[f"target_{ty}"] = [f"{s} {v}" if s and v != formatting.MISSING else v
                               for s, v in zip(signs, out[f"target_{ty}"], strict=True)]
    out["status_vi"] = board["status_vi"]
    changes = []
    for unit, change, rate in zip(board["unit"], board["change_per_year"], board["rate_per_year"], strict=True):
        if _is_missing(change):
            changes.append(formatting.MISSING)
        elif unit == "share":
            changes.append(formatting.points(change) + "/năm")
        else:
            if unit == "vnd":
                text = formatting.vnd(change)
            else:  # a fraction of a person a year still says which way to go
                text = formatting.number(change, 1, sign=True) + (" người" if unit == "persons" else "")
            if not _is_missing(rate):
                text += f" ({formatting.percent(rate, 1, sign=True)})"
            changes.append(text + "/năm")
    out["change_per_year"] = changes
    out = out.drop(columns=[c for c in out.columns if c.startswith("needed_")])
    return out.rename(columns=headers_vi(reg))


def reading(board: pd.DataFrame, year: int = 2025) -> str:
    """A short Vietnamese reading of the scoreboard: how many milestones stand where, and which ones
    need attention before 2030.

    >>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    >>> n = len(milestones.load_registry()["indicators"])
    >>> reading(scoreboard(empty, year=2025), 2025).split(".")[0] == f"Năm 2025, trong {n} chỉ tiêu của Chương trình: {n} chưa có số liệu"
    True
    """
    words = {"met": "đã đạt", "on_track": "đúng lộ trình", "at_risk": "có nguy cơ không đạt",
             "off_track": "chậm so với lộ trình", "not_yet_due": "chưa đến kỳ đánh giá",
             "no_target": "chưa có mục tiêu bằng số",
             "no_data": "chưa có số liệu"}
    counts = board["status"].value_counts()
    parts = [f"{int(counts[s])} {w}" for s, w in words.items() if s in counts]
    text = f"Năm {year}, trong {len(board)} chỉ tiêu của Chương trình: " + ", ".join(parts) + "."
    behind = board[board["status"].isin(["off_track", "at_risk"])]
    if len(behind):
        names = "; ".join(f"{t} ({s.lower()})" for t, s in zip(behind["title_vi"], behind["status_vi"],
                                                              strict=True))
        text += f" Cần tập trung: {names}."
    else:
        text += " Không có chỉ tiêu nào chậm hoặc có nguy cơ không đạt."
    return text


def styled(board: pd.DataFrame, name: str = "scoreboard") -> Any:
    """:func:`display_table` (without the area, which the section names) with the status cells
    coloured (and worded), for notebooks.

    The table's HTML id is fixed by ``name`` so that the report's HTML does not change between runs.

    >>> empty = pd.DataFrame(columns=["indicator_id", "period", "breakdown", "value", "status"])
    >>> "#F2F2F2" in styled(scoreboard(empty, year=2022)).to_html()
    True
    """
    from cchc_analysis.intake import styled_table

    table = display_table(board).drop(columns=HEADERS_VI["area"])
    column = HEADERS_VI["status_vi"]
    colours = {s: STATUS_COLOURS[s] for s in STATUS_COLOURS}
    css = [f"background-color: {colours.get(s, colours['no_data'])[0]}; "
           f"color: {colours.get(s, colours['no_data'])[1]}; font-weight: bold" for s in board["status"]]
    return styled_table(table, name).apply(lambda _: css, subset=[column], axis=0)
