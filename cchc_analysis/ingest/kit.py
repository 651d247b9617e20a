"""Helpers shared by the kind modules (:mod:`~cchc_analysis.ingest.dossiers`,
:mod:`~cchc_analysis.ingest.surveys`, :mod:`~cchc_analysis.ingest.finance`,
:mod:`~cchc_analysis.ingest.manual`), which import no other kind module.

- :class:`Faults` keeps the first failing check of each row and turns it into quarantine records;
  :func:`date_reason` words the reason for an unreadable or impossible date.
- :func:`sources` names each row's place in the run (``FILE#SHEET:ROW``).
- :class:`PatternSynonyms` lets the header finder recognise columns whose headers follow a pattern.
- :func:`split_overlaps` decides what to do with rows that repeat a key an earlier row gave.
- :func:`free_text` and :func:`mask_contacts` make free-text cells (comments, notes) safe to publish.

>>> mask_contacts("Gọi 0935 598 336 hoặc CCCD 001089189405, email a.b@gmail.com.")
'Gọi [đã ẩn] hoặc CCCD [đã ẩn], email [đã ẩn].'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cchc_analysis.ingest.base import SheetTable
from cchc_analysis.ingest.numbers import as_text
from cchc_analysis.ingest.text import clean_text
from cchc_analysis.io import excel_safe
from cchc_analysis.quality import QUARANTINE_COLUMNS

__all__ = ["MASK", "Faults", "PatternSynonyms", "conflict_reason", "date_reason", "free_text", "mask_contacts",
           "settle_overlaps", "sources", "split_overlaps", "typed_sheets", "unknown_label_reason"]

# --- checks and quarantine ---


class Faults:
    """The first failing check of each row: column, raw value and reason.

    Checks are added in order of precedence; a row keeps the reason of the first check it fails.

    Parameters
    ----------
    data : pandas.DataFrame
        The sheet's rows, with a ``row`` column (the row number in the sheet) and the raw cells.

    >>> data = pd.DataFrame({"row": [7, 8, 9], "a": [None, "x", "y"], "b": [1, -2, -3]})
    >>> faults = Faults(data)
    >>> faults.add(data["a"].isna(), "a", "Thiếu a.")
    >>> faults.add(data["b"] < 0, "b", "b âm.")
    >>> faults.failed.tolist(), faults.reason.tolist()
    ([True, True, True], ['Thiếu a.', 'b âm.', 'b âm.'])
    """

    def __init__(self, data: pd.DataFrame) -> None:
        self.data = data
        self._index = data.index
        # per row: the failing column and the reason (None: no fault yet), and whether the row is still open
        self._column = np.full(len(data), None, dtype=object)
        self._reason = np.full(len(data), None, dtype=object)
        self._open = np.ones(len(data), dtype=bool)

    @property
    def column(self) -> pd.Series:
        """Per row, the column of its first failing check (``string``; NA when none or for the row as a whole)."""
        return pd.Series(self._column, index=self._index, dtype="string")

    @property
    def reason(self) -> pd.Series:
        """Per row, the reason of its first failing check (``string``; NA when none)."""
        return pd.Series(self._reason, index=self._index, dtype="string")

    def add(self, mask: pd.Series, column: str | None, reason: str | pd.Series) -> None:
        """Record ``reason`` (one text, or one per row) for the rows of ``mask`` without a fault yet.

        Parameters
        ----------
        mask : pandas.Series
            Rows failing the check (NA counts as passing).
        column : str or None
            The column the check is about (None for the row as a whole).
        reason : str or pandas.Series
            The reason shown to analysts.
        """
        new = self._rows(mask) & self._open
        if not new.any():
            return
        self._column[new] = column
        if isinstance(reason, pd.Series):
            if not reason.index.equals(self._index):  # aligned on the labels, as pandas would
                reason = reason.reindex(self._index)
            values = reason.to_numpy(dtype=object)[new]
            missing = pd.isna(values)  # a row given no reason stays open
            self._reason[new] = np.where(missing, None, values)
            self._open[new] = missing
        elif pd.isna(reason):
            self._reason[new] = None
        else:
            self._reason[new] = reason
            self._open[new] = False

    def _rows(self, mask: pd.Series) -> np.ndarray:
        """``mask`` as a boolean array over the rows (NA as False; a mask on other labels aligned on them)."""
        if not mask.index.equals(self._index):
            mask = mask.reindex(self._index)
        if mask.dtype == bool:
            return mask.to_numpy()
        return mask.fillna(False).astype(bool).to_numpy()

    @property
    def failed(self) -> pd.Series:
        """Mask of the rows that failed a check."""
        return pd.Series(~self._open, index=self._index)

    def records(self, table: SheetTable) -> pd.DataFrame:
        """The failed rows as quarantine records (``QUARANTINE_COLUMNS``) of ``table``.

        Parameters
        ----------
        table : SheetTable
            The sheet the rows come from (file and sheet names).

        Returns
        -------
        pandas.DataFrame
            One record per failed row, with the raw value of the failing column.
        """
        at = np.flatnonzero(~self._open)
        column = pd.Series(self._column[at], index=self._index[at], dtype="string")
        values = [self.data.at[i, c] if c in self.data.columns else None for i, c in zip(column.index, column, strict=True)]
        return pd.DataFrame({
            "file": table.file.name, "sheet": table.sheet, "row": self.data["row"].to_numpy()[at],
            "column": column.to_numpy(), "value": values,
            "reason": pd.Series(self._reason[at], dtype="string").to_numpy(),
        }, columns=QUARANTINE_COLUMNS)  # fmt: skip


_MONTH_FIRST = r"^\s*(0?[1-9]|1[0-2])[/.-](1[3-9]|2\d|3[01])[/.-]\d{4}"  # a pattern for ``Series.str.match``


def date_reason(label: str, problem: pd.Series, raw: pd.Series) -> pd.Series:
    """The Vietnamese reason for each bad date: unreadable, impossible, or probably month first.

    Parameters
    ----------
    label : str
        How the column is named to analysts (``ngày tiếp nhận``).
    problem : pandas.Series
        Per cell, ``impossible`` or ``unreadable`` (as :func:`~cchc_analysis.ingest.dates.parse_dates`
        gives them).
    raw : pandas.Series
        The raw cells; an impossible ``mm/dd/yyyy``-looking text gets a reason saying so.

    Returns
    -------
    pandas.Series
        One reason per cell (``string``).

    >>> reasons = date_reason("ngày nhận", pd.Series(["unreadable", "impossible", "impossible"]),
    ...                       pd.Series(["hôm qua", "31/02/2024", "02/13/2024"]))
    >>> reasons[1], reasons.str.contains("mm/dd/yyyy").tolist()
    ('Ngày nhận không phải là một ngày có thật (ví dụ 31/02).', [False, False, True])
    """
    unreadable = (f"Không đọc được {label}: cần dạng ngày/tháng/năm (dd/mm/yyyy) hoặc năm-tháng-ngày "
                  "(yyyy-mm-dd), hoặc một ô ngày của Excel.")
    impossible = f"{label.capitalize()} không phải là một ngày có thật (ví dụ 31/02)."
    swapped = (f"{label.capitalize()} không có thật nếu đọc theo ngày/tháng/năm; tệp có thể ghi tháng trước "
               "ngày (mm/dd/yyyy): không đoán, hãy xuất lại theo dd/mm/yyyy.")
    is_impossible = problem.eq("impossible").fillna(False).to_numpy(dtype=bool)
    month_first = np.zeros(len(is_impossible), dtype=bool)  # only an impossible date can be month first
    where = np.flatnonzero(is_impossible)
    if len(where):
        month_first[where] = raw.iloc[where].astype(str).str.match(_MONTH_FIRST).to_numpy(dtype=bool)
    reason = np.where(is_impossible, impossible, unreadable)
    reason = np.where(is_impossible & month_first, swapped, reason)
    return pd.Series(reason, index=problem.index, dtype="string")


def unknown_label_reason(label: str, section: str, expected: str = "") -> str:
    """The reason of a label the vocabulary does not know, naming the registry key to extend.

    The key is written ``(vocab.yaml: SECTION)``: :func:`cchc_analysis.quality.vocabulary_gaps` reads
    it back to show one line per unknown label instead of one per row.

    >>> unknown_label_reason("hình thức nộp", "channel")
    'Hình thức nộp không nhận ra: nhãn chưa có trong danh mục (vocab.yaml: channel).'
    """
    return f"{label[:1].upper()}{label[1:]} không nhận ra: nhãn chưa có trong danh mục (vocab.yaml: {section}).{expected}"


def conflict_reason(label: str, candidates: pd.Series) -> pd.Series:
    """Per row, the reason of a value whose contained labels disagree, naming the candidates.

    >>> conflict_reason("trạng thái", pd.Series(["«Đã xử lý xong» (resolved) và «Đã trả» (returned)"]))[0]
    'Trạng thái ghi nhiều nhãn mâu thuẫn: «Đã xử lý xong» (resolved) và «Đã trả» (returned); không đoán, hãy sửa lại.'
    """
    head = f"{label[:1].upper()}{label[1:]} ghi nhiều nhãn mâu thuẫn: "
    return (head + candidates.astype("string") + "; không đoán, hãy sửa lại.").astype("string")


def sources(table: SheetTable, rows: pd.Series) -> pd.Series:
    """Each row's place in the run, ``FILE#SHEET:ROW`` (the sheet's label and the row number).

    Parameters
    ----------
    table : SheetTable
        The sheet the rows come from.
    rows : pandas.Series
        Row numbers in the sheet.

    Returns
    -------
    pandas.Series
        ``string`` series on the index of ``rows``.
    """
    prefix = table.raw.label
    return (prefix + ":" + rows.astype("int64").astype(str)).astype("string")


# --- headers ---


class PatternSynonyms(Mapping[str, str]):
    """Header synonyms with a fallback: folded spellings first, then ``resolve(key)`` for the rest.

    Lets :func:`cchc_analysis.ingest.detect.find_header` recognise columns whose headers follow a
    pattern rather than a list (``Quyết toán năm 2021``, ``[Tiếp cận dịch vụ] …``).

    Parameters
    ----------
    exact : Mapping
        Folded header spelling → canonical column name.
    resolve : callable
        ``resolve(key)`` → canonical name or None, for keys not in ``exact``.

    >>> table = PatternSynonyms({"stt": "seq"}, lambda key: "y" if key.endswith("2021") else None)
    >>> table.get("stt"), table.get("nam2021"), table.get("abc")
    ('seq', 'y', None)
    """

    def __init__(self, exact: Mapping[str, str], resolve: Callable[[str], str | None]):
        self._exact = exact
        self._resolve = resolve
        self._resolved: dict[str, str | None] = {}  # header search asks for the same keys many times

    def get(self, key: str, default: str | None = None) -> str | None:
        hit = self._exact.get(key)
        if hit is None:
            if key not in self._resolved:
                self._resolved[key] = self._resolve(key)
            hit = self._resolved[key]
        return hit or default

    def found(self, keys: set[str]) -> dict[str, str]:
        """The keys of ``keys`` that name a canonical column, with that name (``get`` of each, at once).

        The exact spellings are looked up as a set; only the other keys go through ``resolve``.

        >>> PatternSynonyms({"stt": "seq"}, lambda key: "y" if key.endswith("2021") else None).found(
        ...     {"stt", "nam2021", "abc"}) == {"stt": "seq", "nam2021": "y"}
        True
        """
        exact = self._exact
        if not isinstance(exact, dict):
            return {k: hit for k in keys if (hit := self.get(k))}
        out: dict[str, str] = {}
        rest = keys - exact.keys()
        for k in keys & exact.keys():
            hit = exact[k]
            if hit is None:
                rest.add(k)
            elif hit:
                out[k] = hit
        resolved, resolve = self._resolved, self._resolve
        for k in rest:
            if k not in resolved:
                resolved[k] = resolve(k)
            if hit := resolved[k]:
                out[k] = hit
        return out

    def __getitem__(self, key: str) -> str:
        hit = self.get(key)
        if hit is None:
            raise KeyError(key)
        return hit

    def __iter__(self) -> Iterator[str]:
        return iter(self._exact)

    def __len__(self) -> int:
        return len(self._exact)


def merged_synonyms(extra: Mapping[str, str], table: Mapping[str, str]) -> Mapping[str, str]:
    """``table`` with the spellings of ``extra`` added underneath (``table`` wins on a shared key).

    Keeps the structural fallback of a :class:`PatternSynonyms` (a plain ``{**extra, **table}`` would
    drop it).

    >>> rules = PatternSynonyms({"stt": "seq"}, lambda key: "digitised" if key == "sohoa" else None)
    >>> merged = merged_synonyms({"ngaybosung": "supplement", "stt": "other"}, rules)
    >>> merged.get("stt"), merged.get("ngaybosung"), merged.get("sohoa")
    ('seq', 'supplement', 'digitised')
    """
    if isinstance(table, PatternSynonyms):
        return PatternSynonyms({**extra, **table._exact}, table._resolve)
    return {**extra, **table}


# --- overlaps between rows and sheets ---


def typed_sheets(tables: list, ctx: Any, typed: Callable[[Any], tuple]) -> tuple[pd.DataFrame, list, list[int], list[str]]:
    """Type every sheet of a kind with ``typed(table)`` → ``(kept, bad, read[, warnings])``.

    Returns the kept rows of all sheets in reading order (with ``_sheet``, the sheet's position, and
    ``_order``, the row's position in the run, as :func:`split_overlaps` wants them), the quarantine frame
    of each sheet, the rows read per sheet and the warnings. Progress is reported per sheet.
    """
    frames, quarantine, reads, warnings = [], [], [], []
    for position, table in enumerate(tables):
        kept, bad, read, *more = typed(table)
        ctx.progress(read)
        frames.append(kept.assign(_sheet=position))
        quarantine.append(bad)
        reads.append(read)
        warnings += more[0] if more else []
    frame = pd.concat(frames).reset_index(drop=True)
    frame["_order"] = np.arange(len(frame))
    return frame, quarantine, reads, warnings


def settle_overlaps(result: Any, kind: str, tables: list, frame: pd.DataFrame, status: pd.DataFrame,
                    quarantine: list, reads: list[int], *, column: str, value: str,
                    reason: Callable[[Mapping[str, Any], str], str]) -> None:
    """After :func:`split_overlaps`: quarantine each conflicting repeat and count every sheet.

    A conflict is quarantined in ``column`` with the row's ``value`` and ``reason(row, where)``, where
    ``where`` names the first row (``dòng 7 của tệp#sheet``). ``result.counts`` gets one
    :class:`~cchc_analysis.quality.SheetCounts` per sheet: read, kept, quarantined (the sheet's own
    quarantine plus its conflicts) and duplicates.
    """
    from cchc_analysis.quality import SheetCounts

    for row in status[status["status"] == "conflict"].to_dict("records"):
        first = frame.loc[int(row["first"])]
        table = tables[int(row["_sheet"])]
        where = f"dòng {int(first['row'])} của {tables[int(first['_sheet'])].raw.label}"
        quarantine.append(pd.DataFrame([{"file": table.file.name, "sheet": table.sheet, "row": row["row"],
                                         "column": column, "value": row[value], "reason": reason(row, where)}]))
    for position, (table, read) in enumerate(zip(tables, reads, strict=True)):
        mine = status[status["_sheet"] == position]["status"]
        bad = len(quarantine[position]) + int((mine == "conflict").sum())
        dups = int((mine == "duplicate").sum())
        result.counts.append(SheetCounts(table.file.name, table.sheet, kind, read, read - bad - dups, bad, dups))


def split_overlaps(records: pd.DataFrame, keys: list[str], values: list[str], *,
                   within_sheet: bool = False) -> pd.DataFrame:
    """Decide, per input row, what to do with records whose key an earlier row already gave.

    ``records`` holds one record per row and key, with ``_order`` (the row's position in the run),
    ``_sheet`` (its file and sheet) and the ``values`` to compare. The first row giving a key wins: a
    later row whose every record repeats an earlier one with the same values is a ``duplicate``, one
    that gives a key different values is a ``conflict`` (its ``first`` is the order of the row it
    contradicts), and otherwise it is ``kept`` with only its new records (``new`` marks them). Rows of
    the first row's own sheet all count, unless ``within_sheet`` (then a row is compared with every
    earlier row).

    Parameters
    ----------
    records : pandas.DataFrame
        The records, with ``keys``, ``values``, ``_order`` and ``_sheet``.
    keys : list of str
        The columns identifying a record.
    values : list of str
        The columns that must agree between repeats.
    within_sheet : bool, default False
        Compare rows of one sheet with each other too.

    Returns
    -------
    pandas.DataFrame
        ``records`` with ``new`` (bool), plus per row ``status`` and ``first``.

    >>> r = pd.DataFrame({"k": ["a", "b", "a", "a", "c"], "v": [1, 2, 1, 5, 3], "_order": [0, 0, 1, 2, 2],
    ...                   "_sheet": ["s1", "s1", "s2", "s3", "s3"]})
    >>> split_overlaps(r, ["k"], ["v"])[["_order", "new", "status"]].values.tolist()
    [[0, True, 'kept'], [0, True, 'kept'], [1, False, 'duplicate'], [2, False, 'conflict'], [2, True, 'conflict']]
    """
    out = records.copy()
    first = out.groupby(keys, dropna=False, sort=False)["_order"].transform("min")
    unit = "_order" if within_sheet else "_sheet"
    repeat = out[unit].ne(out.groupby(keys, dropna=False, sort=False)[unit].transform("first"))
    firsts = out[~repeat].drop_duplicates(keys).set_index(keys)[values]
    reference = firsts.reindex(pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else out[keys[0]])
    same = pd.Series(True, index=out.index)
    for col in values:
        ref = pd.Series(reference[col].to_numpy(), index=out.index)
        same &= (out[col] == ref).fillna(False) | (out[col].isna() & ref.isna())
    out["new"] = ~repeat
    conflict_rows = set(out.loc[repeat & ~same, "_order"])
    has_new = out.groupby("_order")["new"].transform("any")
    out["status"] = np.where(out["_order"].isin(conflict_rows), "conflict",
                             np.where(has_new, "kept", "duplicate"))
    out["first"] = first.where(repeat & ~same)
    return out


# --- free text ---

#: What replaces a masked contact in free text.
MASK = "[đã ẩn]"

# Nine or more digits, possibly split by spaces, dots or dashes (phones, CMND/CCCD, tax codes), and
# e-mail addresses. Dates (01/10/2024) and short numbers stay.
_CONTACT_RE = re.compile(r"(?<!\d)(?:\+\s?84[\s.-]?)?\d(?:[\s.-]?\d){8,}(?!\d)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_contacts(text: str) -> str:
    """Replace phone-, ID-like digit runs (9 digits or more) and e-mail addresses by ``[đã ẩn]``.

    Parameters
    ----------
    text : str
        One free-text value.

    Returns
    -------
    str
        The text with every contact replaced by :data:`MASK`.

    >>> mask_contacts("SĐT 0568002201, ngày 30/6/2025, 2 lần")
    'SĐT [đã ẩn], ngày 30/6/2025, 2 lần'
    """
    return _CONTACT_RE.sub(MASK, text)


def free_text(values: pd.Series) -> pd.Series:
    """Free text for a table: NFC, contacts masked, formula-like starts escaped; blank is NA.

    Parameters
    ----------
    values : pandas.Series
        Raw cells (comments, notes).

    Returns
    -------
    pandas.Series
        ``string`` series, safe to publish and to open in Excel.

    >>> free_text(pd.Series(["=1+1", "- Nhanh", "  ", None, "Gọi 0912345678", 84912345678.0], dtype=object)).tolist()
    ["'=1+1", "'- Nhanh", <NA>, <NA>, 'Gọi [đã ẩn]', '[đã ẩn]']
    """
    def one(text: str) -> str | None:
        text = "\n".join(clean_text(line) for line in text.splitlines()).strip()
        return excel_safe(mask_contacts(text)) if text else None

    return as_text(values).map(one, na_action="ignore").astype("string")
