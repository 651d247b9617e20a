"""The reporting period: a year, half, quarter, month, a span of whole years, or a date window.

A period is a closed range of calendar days with a *kind*. Its canonical text (``label``) is what the
indicator table stores in its ``period`` column (docs/contract.md section 3); ``label_vi`` is how an analyst
reads it. Dates are compared as calendar dates (a time of day is dropped).

>>> p = Period.parse("2024-Q3")
>>> p.start, p.end, p.kind
(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30), 'quarter')
>>> str(p), p.label_vi, p.months()
('2024-Q3', 'quý III/2024', ['2024-07', '2024-08', '2024-09'])
>>> Period.parse("2021-2025").label_vi
'giai đoạn 2021–2025'

The official reporting windows of Nghị định 09/2019/NĐ-CP (Art. 12) run from the 15th of the month
before a period to the 14th of its last month; form 06a titles state them:

>>> Period.parse("2025").official_window().label
'2024-12-15..2025-12-14'
>>> Period.from_official_window(datetime.date(2024, 12, 15), datetime.date(2025, 6, 14)).label
'2025-H1'
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["KINDS", "Period", "PeriodError", "by_day", "day_array", "month_ordinals", "periods_of_year"]

#: The kinds of period, in report order.
KINDS = ("span", "year", "half", "quarter", "month", "window")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: The day of the previous month an official reporting window opens on (it closes the day before).
OFFICIAL_DAY = 15

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SPAN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")
_FORMS = "2024, 2024-H1, 2024-Q3, 2024-07, 2021-2025 hoặc 2023-12-15..2024-12-14"


class PeriodError(ValueError):
    """A text or a date range that is not a reporting period (the message is Vietnamese)."""


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _as_date(day: Any) -> datetime.date | None:
    """A calendar date from a date, datetime, pandas Timestamp or ISO text; ``None`` when missing."""
    if day is None:
        return None
    if isinstance(day, str):
        text = day.strip()
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise PeriodError(f"không đọc được ngày {day!r} (dạng 2024-12-15)") from None
    try:
        if day != day:  # NaN, NaT
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(day, datetime.datetime):
        return day.date()
    if isinstance(day, datetime.date):
        return day
    to_pydatetime = getattr(day, "to_pydatetime", None)
    if to_pydatetime is not None:
        return to_pydatetime().date()
    if hasattr(day, "astype") and hasattr(day, "dtype"):  # numpy datetime64
        return _as_date(str(day.astype("datetime64[D]")))
    raise PeriodError(f"không đọc được ngày {day!r}")


def _date_vi(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: year, half, quarter, month, a date window, or a span of whole years.

    Parameters
    ----------
    start : datetime.date
        The first day.
    end : datetime.date
        The last day (inclusive).
    kind : str
        ``year``, ``half``, ``quarter``, ``month``, ``window`` or ``span``. Build periods with
        :meth:`parse` or :meth:`window` rather than directly, so that the kind matches the dates.

    Examples
    --------
    >>> Period.parse("2024-H1") < Period.parse("2024-Q3")
    True
    >>> Period.window("2024-04-01", "2024-06-30").label
    '2024-Q2'
    """

    start: datetime.date
    end: datetime.date
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError(f"loại kỳ báo cáo không hợp lệ: {self.kind!r}")
        if self.end < self.start:
            raise PeriodError(f"kỳ báo cáo kết thúc ({_date_vi(self.end)}) trước khi bắt đầu "
                              f"({_date_vi(self.start)})")

    # ---------------------------------------------------------------------------------------- build
    @classmethod
    def parse(cls, text: str) -> Period:
        """The period named by its canonical text.

        Parameters
        ----------
        text : str
            ``2024``, ``2024-H1``, ``2024-Q3``, ``2024-07``, ``2021-2025`` or
            ``2023-12-15..2024-12-14`` (a date window; one that is exactly a calendar period is
            returned as that period).

        Raises
        ------
        PeriodError
            On anything else, with a Vietnamese message.

        Examples
        --------
        >>> Period.parse("2024-07").label_vi, Period.parse(" 2024-q3 ").label
        ('tháng 7/2024', '2024-Q3')
        >>> Period.parse("2024-01-01..2024-06-30").kind
        'half'
        >>> Period.parse("2024-13")
        Traceback (most recent call last):
        ...
        cchc_analysis.periods.PeriodError: không nhận ra kỳ báo cáo '2024-13' (dạng 2024, 2024-H1, 2024-Q3, 2024-07, 2021-2025 hoặc 2023-12-15..2024-12-14)
        """
        if isinstance(text, Period):
            return text
        raw = text
        text = str(text).strip().upper()
        error = PeriodError(f"không nhận ra kỳ báo cáo {raw!r} (dạng {_FORMS})")
        if m := _YEAR.match(text):
            y = int(m[1])
            return cls(datetime.date(y, 1, 1), datetime.date(y, 12, 31), "year")
        if m := _HALF.match(text):
            y, h = int(m[1]), int(m[2])
            first = 1 if h == 1 else 7
            return cls(datetime.date(y, first, 1), _last_day(y, first + 5), "half")
        if m := _QUARTER.match(text):
            y, q = int(m[1]), int(m[2])
            first = 3 * (q - 1) + 1
            return cls(datetime.date(y, first, 1), _last_day(y, first + 2), "quarter")
        if m := _MONTH.match(text):
            y, mo = int(m[1]), int(m[2])
            if not 1 <= mo <= 12:
                raise error
            return cls(datetime.date(y, mo, 1), _last_day(y, mo), "month")
        if m := _SPAN.match(text):
            y0, y1 = int(m[1]), int(m[2])
            if y1 < y0:
                raise error
            return cls.window(datetime.date(y0, 1, 1), datetime.date(y1, 12, 31))
        if m := _WINDOW.match(text):
            try:
                start, end = datetime.date.fromisoformat(m[1]), datetime.date.fromisoformat(m[2])
            except ValueError:
                raise error from None
            return cls.window(start, end)
        raise error

    @classmethod
    def window(cls, start: Any, end: Any) -> Period:
        """The period from ``start`` to ``end`` (both included).

        When the range is exactly a calendar year, half, quarter, month or a span of whole years it
        is returned as that kind; otherwise it is a ``window``.

        Examples
        --------
        >>> Period.window("2023-12-15", "2024-12-14").label
        '2023-12-15..2024-12-14'
        >>> [Period.window(s, e).label for s, e in [("2024-07-01", "2024-12-31"),
        ...     ("2024-03-01", "2024-03-31"), ("2021-01-01", "2025-12-31"), ("2024-01-01", "2024-09-30")]]
        ['2024-H2', '2024-03', '2021-2025', '2024-01-01..2024-09-30']
        """
        s, e = _as_date(start), _as_date(end)
        if s is None or e is None:
            raise PeriodError("kỳ báo cáo thiếu ngày bắt đầu hoặc ngày kết thúc")
        if e < s:
            raise PeriodError(f"kỳ báo cáo kết thúc ({_date_vi(e)}) trước khi bắt đầu ({_date_vi(s)})")
        if s.day == 1 and e == _last_day(e.year, e.month):
            months = (e.year - s.year) * 12 + e.month - s.month + 1
            if s.month == 1 and e.month == 12:
                return cls(s, e, "year" if s.year == e.year else "span")
            if months == 6 and s.month in (1, 7):
                return cls(s, e, "half")
            if months == 3 and s.month in (1, 4, 7, 10):
                return cls(s, e, "quarter")
            if months == 1:
                return cls(s, e, "month")
        return cls(s, e, "window")

    # --------------------------------------------------------------------------------------- labels
    @property
    def label(self) -> str:
        """The canonical text: ``2024``, ``2024-H1``, ``2024-Q3``, ``2024-07``, ``2021-2025``,
        ``2023-12-15..2024-12-14``.

        >>> [p.label for p in periods_of_year(2024)[:4]]
        ['2024', '2024-H1', '2024-H2', '2024-Q1']
        """
        s, e = self.start, self.end
        if self.kind == "year":
            return str(s.year)
        if self.kind == "half":
            return f"{s.year}-H{1 if s.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{s.year}-{s.month:02d}"
        if self.kind == "span":
            return f"{s.year}-{e.year}"
        return f"{s.isoformat()}..{e.isoformat()}"

    def __str__(self) -> str:
        return self.label

    @property
    def label_vi(self) -> str:
        """The Vietnamese name, lower-case as inside a sentence.

        >>> [Period.parse(t).label_vi for t in ("2024", "2024-H1", "2024-H2", "2024-Q3", "2024-07")]
        ['năm 2024', '6 tháng đầu năm 2024', '6 tháng cuối năm 2024', 'quý III/2024', 'tháng 7/2024']
        >>> Period.parse("2023-12-15..2024-12-14").label_vi
        '15/12/2023–14/12/2024'
        """
        s, e = self.start, self.end
        if self.kind == "year":
            return f"năm {s.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if s.month == 1 else 'cuối'} năm {s.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[(s.month - 1) // 3 + 1]}/{s.year}"
        if self.kind == "month":
            return f"tháng {s.month}/{s.year}"
        if self.kind == "span":
            return f"giai đoạn {s.year}–{e.year}"
        return f"{_date_vi(s)}–{_date_vi(e)}"

    @property
    def label_short(self) -> str:
        """The short Vietnamese name, for axis ticks (a date window keeps its :attr:`label_vi`).

        >>> [Period.parse(t).label_short for t in ("2024", "2024-H1", "2024-H2", "2024-Q3", "2024-07", "2021-2025")]
        ['2024', '6T đầu/2024', '6T cuối/2024', 'Q3/2024', 'T7/2024', '2021–2025']
        """
        s, e = self.start, self.end
        if self.kind == "year":
            return str(s.year)
        if self.kind == "half":
            return f"6T {'đầu' if s.month == 1 else 'cuối'}/{s.year}"
        if self.kind == "quarter":
            return f"Q{(s.month - 1) // 3 + 1}/{s.year}"
        if self.kind == "month":
            return f"T{s.month}/{s.year}"
        if self.kind == "span":
            return f"{s.year}–{e.year}"
        return self.label_vi

    # ------------------------------------------------------------------------------------ questions
    def months(self) -> list[str]:
        """``YYYY-MM`` of every calendar month the period covers in full, in order.

        >>> Period.parse("2024-H2").months()[0], len(Period.parse("2021-2025").months())
        ('2024-07', 60)
        >>> Period.parse("2023-12-15..2024-03-14").months()
        ['2024-01', '2024-02']
        """
        y, m = self.start.year, self.start.month
        if self.start.day != 1:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        out = []
        while _last_day(y, m) <= self.end:
            out.append(f"{y}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def contains(self, day: Any) -> bool:
        """Whether a day (date, datetime, Timestamp or ISO text) falls in the period; missing is ``False``.

        >>> p = Period.parse("2024-Q1")
        >>> p.contains(datetime.datetime(2024, 3, 31, 23, 59)), p.contains("2024-04-01"), p.contains(None)
        (True, False, False)
        """
        d = _as_date(day)
        return d is not None and self.start <= d <= self.end

    @property
    def year(self) -> int:
        """The year of the last day.

        >>> Period.parse("2023-12-15..2024-12-14").year, Period.parse("2021-2025").year
        (2024, 2025)
        """
        return self.end.year

    # --------------------------------------------------------------------------- official windows
    def official_window(self) -> Period:
        """The Nghị định 09/2019/NĐ-CP reporting window of this period.

        The window opens on the 15th of the month before the period and closes on the 14th of its
        last month. Defined for a year, half, quarter, month and the first nine months of a year
        (QĐ 01/2023/QĐ-UBND of Khánh Hòa).

        Raises
        ------
        PeriodError
            For a span of years or any other window.

        Examples
        --------
        >>> [Period.parse(t).official_window().label for t in ("2025-Q1", "2025-H2", "2025-07")]
        ['2024-12-15..2025-03-14', '2025-06-15..2025-12-14', '2025-06-15..2025-07-14']
        >>> Period.window("2025-01-01", "2025-09-30").official_window().label
        '2024-12-15..2025-09-14'
        """
        if not self._has_official_window():
            raise PeriodError(f"{self.label_vi} không có kỳ báo cáo chính thức theo Nghị định 09/2019/NĐ-CP")
        y, m = self.start.year, self.start.month
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        start = datetime.date(y, m, OFFICIAL_DAY)
        end = datetime.date(self.end.year, self.end.month, OFFICIAL_DAY - 1)
        return Period(start, end, "window")

    def _has_official_window(self) -> bool:
        if self.kind in ("year", "half", "quarter", "month"):
            return True
        nine_months = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 9, 30)
        return self.kind == "window" and nine_months and self.start.year == self.end.year

    @classmethod
    def from_official_window(cls, start: Any, end: Any) -> Period | None:
        """The calendar period whose official window is exactly ``[start, end]``, else ``None``.

        The first nine months of a year come back as the window ``YYYY-01-01..YYYY-09-30``.

        Examples
        --------
        >>> Period.from_official_window("2023-12-15", "2024-12-14").label
        '2024'
        >>> Period.from_official_window("2024-06-15", "2024-09-14").label
        '2024-Q3'
        >>> Period.from_official_window("2024-01-01", "2024-12-31") is None
        True
        """
        s, e = _as_date(start), _as_date(end)
        if s is None or e is None or s.day != OFFICIAL_DAY or e.day != OFFICIAL_DAY - 1 or e < s:
            return None
        y, m = (s.year + 1, 1) if s.month == 12 else (s.year, s.month + 1)
        candidate = cls.window(datetime.date(y, m, 1), _last_day(e.year, e.month))
        if candidate._has_official_window() and candidate.official_window() == Period(s, e, "window"):
            return candidate
        return None


def periods_of_year(year: int) -> list[Period]:
    """The 19 periods of a year in report order: the year, two halves, four quarters, twelve months.

    >>> ps = periods_of_year(2025)
    >>> [p.label for p in ps[:4]], ps[-1].label, len(ps)
    (['2025', '2025-H1', '2025-H2', '2025-Q1'], '2025-12', 19)
    """
    labels = ([str(year), f"{year}-H1", f"{year}-H2"] + [f"{year}-Q{q}" for q in range(1, 5)]
              + [f"{year}-{m:02d}" for m in range(1, 13)])
    return [Period.parse(label) for label in labels]


def day_array(values: Any) -> np.ndarray:
    """Calendar days (``datetime64[D]``, NaT kept) of datetime values: a time of day is dropped.

    >>> day_array(np.array(["2024-07-31T23:59", "NaT"], dtype="datetime64[m]")).tolist()
    [datetime.date(2024, 7, 31), None]
    """
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        import pandas as pd

        arr = np.asarray(pd.to_datetime(values))
    return arr.astype("datetime64[D]")


def by_day(days: np.ndarray, func: Any, missing: int) -> np.ndarray:
    """``func(days)`` for ``datetime64[D]`` days, computed once per distinct day of their span and looked up
    (``missing`` for NaT): for functions of the day alone over many rows (``func`` maps an array of days
    to integers).

    >>> by_day(np.array(["2024-01-31", "NaT"], dtype="datetime64[D]"), lambda d: d.astype("int64") % 7, -1).tolist()
    [6, -1]
    """
    days = np.asarray(days).astype("datetime64[D]", copy=False)
    num = days.view("int64")  # NaT is the smallest int64
    hi = int(num.max()) if num.size else np.iinfo(np.int64).min
    if hi == np.iinfo(np.int64).min:  # nothing but NaT
        return np.full(days.shape, missing, dtype="int64")
    lo = int(np.min(num, where=~np.isnat(days), initial=hi))
    if hi - lo > 200_000:  # dates centuries apart: the table would be larger than the work
        out = np.full(days.shape, missing, dtype="int64")
        ok = ~np.isnat(days)
        out[ok] = func(days[ok])
        return out
    table = np.append(np.asarray(func(np.arange(lo, hi + 1).astype("datetime64[D]")), dtype="int64"), missing)
    # NaT minus lo wraps round to a huge unsigned offset, clipped onto the last slot (missing)
    offset = (num - lo).view("uint64")
    np.minimum(offset, hi - lo + 1, out=offset)
    return table[offset]


def month_ordinals(days: np.ndarray, missing: int = -1) -> np.ndarray:
    """Months since January 1970 (``datetime64[M]`` as integers) of ``datetime64[D]`` days; ``missing`` for NaT.

    The same figures as ``days.astype("datetime64[M]")``, through :func:`by_day` (one lookup per value
    instead of a calendar conversion: several times faster over a million rows).

    >>> month_ordinals(np.array(["1970-02-28", "NaT", "2024-07-31"], dtype="datetime64[D]")).tolist()
    [1, -1, 654]
    """
    return by_day(days, lambda d: d.astype("datetime64[M]").astype("int64"), missing)
