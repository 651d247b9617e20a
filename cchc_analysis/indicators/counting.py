"""Counting by month and rolling up to every period: the shared machinery of the dated indicators.

Dated counts are first aggregated by calendar month with one ``numpy.bincount`` pass, then rolled up
to quarters, halves, years and the programme's spans of years, so the months of a quarter always add
up to the quarter. Period labels are those of :class:`cchc_analysis.periods.Period`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis import registry
from cchc_analysis.periods import Period, day_array, month_ordinals
from cchc_analysis.periods import periods_of_year as _periods_of_year

PERIOD_KINDS = ("year", "half", "quarter", "month")
KEYS = ["indicator_id", "period", "breakdown"]
COUNT_COLUMNS = ["indicator_id", "period", "breakdown", "numerator", "denominator"]
_NO_MONTH = np.iinfo(np.int64).min


def month_key(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` of each date (missing stays missing).

    >>> month_key(pd.Series(pd.to_datetime(["2024-07-31 23:59", None]))).tolist()
    ['2024-07', nan]
    """
    dates = pd.to_datetime(dates)
    out = dates.dt.strftime("%Y-%m")
    return out.where(dates.notna(), np.nan).astype(object)


def roll_up(month: pd.Series, kind: str) -> pd.Series:
    """Map ``YYYY-MM`` labels to the :class:`Period` label of ``kind`` (year, half, quarter, month).

    Vectorised twin of ``Period.parse(f"{m}").label`` for whole columns.

    >>> roll_up(pd.Series(["2024-01", "2024-07", "2024-12"]), "quarter").tolist()
    ['2024-Q1', '2024-Q3', '2024-Q4']
    >>> roll_up(pd.Series(["2024-06", "2024-07"]), "half").tolist()
    ['2024-H1', '2024-H2']
    """
    year = month.str[:4]
    m = month.str[5:7].astype(int)
    if kind == "month":
        return month
    if kind == "year":
        return year
    if kind == "quarter":
        return year + "-Q" + ((m - 1) // 3 + 1).astype(str)
    if kind == "half":
        return year + "-H" + np.where(m <= 6, "1", "2")
    raise ValueError(f"unknown period kind {kind!r}")


def periods_of_year(year: int) -> list[str]:
    """The labels of the 19 periods of a year (see :func:`cchc_analysis.periods.periods_of_year`).

    >>> periods_of_year(2025)[:4], len(periods_of_year(2025))
    (['2025', '2025-H1', '2025-H2', '2025-Q1'], 19)
    """
    return [p.label for p in _periods_of_year(year)]


def period_year(period: pd.Series) -> pd.Series:
    """The year of each period label (the year of its last day).

    >>> period_year(pd.Series(["2024", "2025-Q2", "2021-2025", "2023-12-15..2024-12-14"])).tolist()
    [2024, 2025, 2025, 2024]
    """
    labels = period.astype(str)
    years = {p: Period.parse(p).year for p in pd.unique(labels)}
    return labels.map(years).astype(int)


def programme_spans(reg: Mapping | None = None) -> list[Period]:
    """The programme's spans of whole years: start year to the first milestone, then on to the next.

    >>> [p.label for p in programme_spans()]
    ['2021-2025', '2026-2030']
    """
    prog = (reg or registry.load("programme")).get("programme") or {}
    first = int(prog.get("start_year", 2021))
    spans = []
    for last in sorted(int(y) for y in prog.get("milestone_years") or []):
        if last > first:
            spans.append(Period.parse(f"{first}-{last}"))
        first = last + 1
    return spans


def comparable_units(units: pd.Series, merges: list[Mapping] | None = None) -> pd.Series:
    """Map unit names to their successors (``registry/units.yaml``), so that series compare.

    >>> comparable_units(pd.Series(["TRUNG TÂM XÚC TIẾN THƯƠNG MẠI NINH THUẬN", "Khác", None])).tolist()[:2]
    ['Trung tâm Xúc tiến thương mại', 'Khác']
    """
    from cchc_analysis.ingest.text import fold

    merges = registry.load("units").get("merges") or [] if merges is None else merges
    mapping = {fold(m["from"]): m["to"] for m in merges}
    if not mapping:
        return units
    values = units.astype(object)
    lookup = {u: mapping.get(fold(u), u) for u in pd.unique(values.dropna())}
    return values.map(lookup)


def flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean array of a column where null counts as false (all false when the column is absent)."""
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].to_numpy(dtype=bool, na_value=False)


def month_index(dates: pd.Series) -> np.ndarray:
    """Months since January 1970 of each date, as integers (missing dates: a sentinel below all).

    >>> month_index(pd.Series(pd.to_datetime(["1970-02-28 00:00", "2024-07-31 23:59"]))).tolist()
    [1, 654]
    """
    return month_ordinals(day_array(dates), _NO_MONTH)


def value_masks(values: pd.Series, sets: Mapping[str, Iterable[str]]) -> dict[str, np.ndarray]:
    """Per name of ``sets``: whether each value is one of the set's (a missing value is in none), the
    column factorised once and each set looked up on its distinct values (no text compared per row).

    >>> value_masks(pd.Series(["resolved", None, "withdrawn"]), {"closed": ["resolved", "withdrawn"]})["closed"].tolist()
    [True, False, True]
    """
    codes, uniques = factorize(values)
    uniques = np.asarray(uniques, dtype=object)
    return {name: np.append(np.isin(uniques, list(members)), False)[codes] for name, members in sets.items()}


_FACTORISED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("factorised", default=None)


@contextlib.contextmanager
def factorisations():
    """Within the block, :func:`factorize` factorises each column once (the dossier status, channel, field
    and unit are read by several indicators and by the 766 model); forgotten when the block ends."""
    token = _FACTORISED.set({})
    try:
        yield
    finally:
        _FACTORISED.reset(token)


def factorize(values: pd.Series) -> tuple[np.ndarray, Any]:
    """``pandas.factorize`` of a column, computed once per column within :func:`factorisations`.

    >>> s = pd.Series(["b", None, "a", "b"], dtype="string")
    >>> with factorisations():
    ...     factorize(s)[0].tolist(), factorize(s)[1] is factorize(s)[1]
    ([0, -1, 1, 0], True)
    """
    memo = _FACTORISED.get()
    if memo is None:
        return pd.factorize(values)
    array = values.array
    if isinstance(array, pd.arrays.ArrowExtensionArray):  # its Arrow data, shared by the frames made from it
        array = array.__arrow_array__()
    hit = memo.get(id(array))  # the data is kept in the memo, so its id is not reused while the block runs
    if hit is None or hit[0] is not array:
        hit = memo[id(array)] = (array, *pd.factorize(values))
    return hit[1], hit[2]


def month_labels(index: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` labels of month indexes (see :func:`month_index`)."""
    years = 1970 + index // 12
    return np.char.add(np.char.add(years.astype(str), "-"), np.char.zfill((index % 12 + 1).astype(str), 2))


def groups(frame: pd.DataFrame, columns: Iterable[str],
           labels: Mapping[str, str] | None = None) -> dict[str, tuple[np.ndarray, pd.Series]]:
    """Factorise breakdown columns once: column -> (codes, -1 for missing; labels ``name=value``).

    Units are mapped to their successors (:func:`comparable_units`); merged units share a label.
    ``labels`` renames a column in the breakdown (``lead_unit`` -> ``unit``).
    """
    out = {}
    for col in columns:
        if col not in frame:
            continue
        codes, uniques = factorize(frame[col])
        name = (labels or {}).get(col, col)
        values = comparable_units(pd.Series(uniques)) if name == "unit" else pd.Series(uniques)
        out[col] = (np.asarray(codes), (f"{name}=" + values.astype(str)).reset_index(drop=True))
    return out


#: Largest (cells × flag combinations) array :func:`cell_counts` builds (32 MB of int64).
MAX_CELL_COMBOS = 1 << 22


def flag_patterns(bits: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Code each row by its combination of up to 16 boolean ``bits``: (code per row in 0..K-1, the K
    combinations seen as a K × len(bits) boolean array). A million rows carry only a few combinations.

    >>> code, combos = flag_patterns([np.array([True, False, True]), np.array([True, False, True])])
    >>> code.tolist(), combos.tolist()
    ([1, 0, 1], [[False, False], [True, True]])
    """
    k = len(bits)
    if not 0 < k <= 16:
        raise ValueError(f"between 1 and 16 flags, not {k}")
    dtype = np.uint8 if k <= 8 else np.uint16
    raw = np.zeros(len(bits[0]), dtype=dtype)
    for i, b in enumerate(bits):
        raw |= np.asarray(b, dtype=bool).view(np.uint8).astype(dtype, copy=False) << dtype(i)
    used = np.flatnonzero(np.bincount(raw, minlength=1))
    lookup = np.zeros(max(int(used[-1]) + 1 if len(used) else 1, 1), dtype=np.intp)
    lookup[used] = np.arange(len(used))
    combos = ((used[:, None] >> np.arange(k)) & 1).astype(bool)
    return lookup[raw], combos


def cell_counts(key: np.ndarray, size: int, code: np.ndarray, combos: np.ndarray) -> np.ndarray | None:
    """Rows counted by cell (``key`` in 0..size-1; ``size`` itself is a discarded cell) and flag combination (see
    :func:`flag_patterns`): a size × K int64 array, or None when it would exceed :data:`MAX_CELL_COMBOS`.
    The sum of any flag derived from the combinations is then ``counts @ flag_of_combination``.
    """
    k = len(combos)
    if (size + 1) * k > MAX_CELL_COMBOS:
        return None
    cells = key * k + code
    return np.bincount(cells, minlength=(size + 1) * k)[: size * k].reshape(size, k)


def _group_slots(grouping: Mapping[str, tuple[np.ndarray, pd.Series]], n: int) -> np.ndarray:
    """Each row's cell among the groups' combinations (row-major; a missing group in a last slot of its
    own), computed once per grouping within :func:`factorisations`. A fresh array when computed."""
    arrays = [codes for codes, _ in grouping.values()]
    memo = _FACTORISED.get()
    key = ("slots", *map(id, arrays))
    if memo is not None and key in memo and all(a is b for a, b in zip(memo[key][0], arrays, strict=True)):
        return memo[key][1]
    out = np.zeros(n, dtype=np.int64)
    stride = 1
    for codes, names in reversed(list(grouping.values())):
        slot = np.where(codes >= 0, codes, len(names))
        if stride != 1:
            slot *= stride
        out += slot
        stride *= len(names) + 1
    if memo is not None:
        memo[key] = (arrays, out)
    return out


def monthly_counts(month: np.ndarray, flags: Mapping[str, np.ndarray],
                   grouping: Mapping[str, tuple[np.ndarray, pd.Series]],
                   mask: np.ndarray | None = None) -> pd.DataFrame:
    """Sum boolean ``flags`` by month, overall (``all``) and by each breakdown (see :func:`groups`).

    Every row gets one integer cell key (month x each group's code, a missing group in a slot of its
    own) and each flag is summed into the cells with one ``numpy.bincount`` pass; the overall and
    per-breakdown counts are sums of that small cell array. Rows outside ``mask`` go to a discarded bin.

    Returns long rows: ``month`` (``YYYY-MM``), ``breakdown``, one integer column per flag; only
    months and groups with at least one event.
    """
    keep = month != _NO_MONTH
    if mask is not None:
        keep &= mask
    if not keep.any():
        return pd.DataFrame(columns=["month", "breakdown", *flags])
    low = int(month.min(where=keep, initial=np.iinfo(np.int64).max))
    span = int(month.max(where=keep, initial=np.iinfo(np.int64).min)) - low + 1
    labels = month_labels(np.arange(span) + low)
    shape = [len(names) + 1 for _, names in grouping.values()] + [span]
    size = int(np.prod(shape))
    key = _group_slots(grouping, len(month)) * span  # (group cell) x span + month offset
    key += month
    key -= low
    key[~keep] = size  # the discarded bin
    counts = None
    if 0 < len(flags) <= 16:  # one count by cell and combination of flags, then a product per flag
        code, combos = flag_patterns(list(flags.values()))
        counts = cell_counts(key, size, code, combos)
    if counts is not None:
        cells = {"events": counts.sum(axis=1).reshape(shape)}
        for i, name in enumerate(flags):
            cells[name] = (counts @ combos[:, i].astype(np.int64)).reshape(shape)
    else:
        cells = {"events": np.bincount(key, minlength=size + 1)[:size].reshape(shape)}
        for name, values in flags.items():
            cells[name] = np.bincount(key, weights=values, minlength=size + 1)[:size].reshape(shape)

    n_groups = len(grouping)
    parts = [_cell_rows({k: v.sum(axis=tuple(range(n_groups)))[None, :] for k, v in cells.items()},
                        labels, pd.Series(["all"]))]
    for axis, (_, names) in enumerate(grouping.values()):
        others = tuple(i for i in range(n_groups) if i != axis)
        summed = {k: v.sum(axis=others)[:-1] for k, v in cells.items()}  # drop the missing-group slot
        parts.append(_cell_rows(summed, labels, names))
    out = pd.concat(parts, ignore_index=True)
    # merged units may share a label: add them up
    return out.groupby(["month", "breakdown"], as_index=False, sort=False).sum()


def _cell_rows(cells: Mapping[str, np.ndarray], labels: np.ndarray, names: pd.Series) -> pd.DataFrame:
    """Long rows from (group x month) arrays, keeping the cells with at least one event."""
    events = cells["events"]
    group, month = np.nonzero(events)
    data = {"month": labels[month], "breakdown": names.to_numpy(dtype=object)[group]}
    for name, values in cells.items():
        if name != "events":
            data[name] = values[group, month].astype(np.int64)
    return pd.DataFrame(data)


def share_rows(monthly: pd.DataFrame, spec: Mapping[str, tuple[str, str]],
               spans: Iterable[Period] = ()) -> pd.DataFrame:
    """Roll monthly flag sums up to every period kind and shape them as indicator rows.

    ``spec`` maps an indicator id to its (numerator column, denominator column). A span of years
    (``2021-2025``) is added only when the data have events in every year of it: a span figure
    over part of its years would be read as the whole period's.
    """
    if monthly.empty or not spec:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    codes, uniq = pd.factorize(monthly["month"])
    uniq = pd.Series(np.asarray(uniq, dtype=object))
    b_codes, b_names = pd.factorize(monthly["breakdown"])
    b_names = np.asarray(b_names, dtype=object)
    years_seen = set(uniq.str[:4].astype(int))
    rollups = [roll_up(uniq, kind).to_numpy(dtype=object) for kind in PERIOD_KINDS]
    for span in spans:
        if set(range(span.start.year, span.end.year + 1)) <= years_seen:
            months = span.months()
            rollups.append(np.where(uniq.between(months[0], months[-1]).to_numpy(), span.label, None))
    columns = list(dict.fromkeys(c for pair in spec.values() for c in pair))
    values = {c: monthly[c].to_numpy(dtype="float64") for c in columns}
    rows = []
    for labels in rollups:  # each month's period of this kind (None: outside it); summed by (period, breakdown)
        p_codes, p_names = pd.factorize(labels)  # None gets -1
        row_period = p_codes[codes]
        inside = row_period >= 0
        cell = row_period[inside] * len(b_names) + b_codes[inside]
        # the (period, breakdown) cells with rows, in order of first appearance (as a groupby would give)
        cells, first = np.unique(cell, return_index=True)
        cells = cells[np.argsort(first, kind="stable")]
        sums = {c: np.bincount(cell, weights=v[inside], minlength=len(p_names) * len(b_names))[cells]
                for c, v in values.items()}
        period = np.asarray(p_names, dtype=object)[cells // len(b_names)]
        breakdown = b_names[cells % len(b_names)]
        for ind_id, (num, den) in spec.items():
            rows.append(pd.DataFrame({"indicator_id": ind_id, "period": period, "breakdown": breakdown,
                                      "numerator": sums[num].astype(monthly[num].dtype),
                                      "denominator": sums[den].astype(monthly[den].dtype)}))
    return pd.concat(rows, ignore_index=True)


def complete(counts: pd.DataFrame, ind_ids: list[str], years: list[int],
             extra_breakdowns: Iterable[str] = ()) -> pd.DataFrame:
    """Add the keys of every period of ``years`` and every breakdown seen or named, with zero counts."""
    if not years or not ind_ids:
        return counts
    breakdowns = sorted(set(counts["breakdown"]) | {"all"} | set(extra_breakdowns))
    periods = [p for y in years for p in periods_of_year(y)]
    grid = pd.MultiIndex.from_product([ind_ids, periods, breakdowns], names=KEYS).to_frame(index=False)
    merged = grid.merge(counts, on=KEYS, how="outer")
    merged[["numerator", "denominator"]] = merged[["numerator", "denominator"]].fillna(0)
    return merged


def years_of(*dates: pd.Series) -> list[int]:
    """Every year from the first to the last date of the series given.

    >>> years_of(pd.Series(pd.to_datetime(["2023-05-01", None, "2021-12-31"])), pd.Series([], dtype="datetime64[ns]"))
    [2021, 2022, 2023]
    """
    years: set[int] = set()
    for series in dates:
        s = pd.to_datetime(series)
        first, last = s.min(), s.max()  # missing dates skipped (no copy of the column without them)
        if pd.notna(first):
            years.update(range(int(first.year), int(last.year) + 1))
    return sorted(years)
