"""The scoring rules of the 766 index as pure functions (no files, no registry look-ups).

Every rule here rests on the portal operator's description of the index (or on a vendor's
reconstruction of the live figures), not on the text of Decision 766/QĐ-TTg, whose annex was not
found: each score is an estimate (ước tính). See ``docs/index766.md``.

>>> share_score(90, 100, 20)            # linear: 20 × 90/100
18.0
>>> round(share_score(40, 100, 6, threshold=0.5), 6)   # 6 × (0.40 / 0.50)
4.8
>>> payment_score(0.5, 0.4, 0.2)        # 6·0.5 + min(2, 2.5·0.4) + 2.5·0.2
4.5
>>> round(satisfaction_score(satisfaction_ratio(0.05, 0.10)), 4)   # r = 85%: 6 × 0.85/0.9
5.6667
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = [
    "CLOSING_STATUSES",
    "NOT_RECEIVED",
    "judge_arrays",
    "judge_on_time",
    "payment_score",
    "satisfaction_ratio",
    "satisfaction_score",
    "share_score",
    "verdicts",
]

#: Statuses of dossiers never received (out of every dossier rule).
NOT_RECEIVED = ("registered", "rejected")
#: Statuses that close a dossier at ``resolved_at`` (finished, returned, stopped, withdrawn).
CLOSING_STATUSES = ("resolved", "returned", "suspended", "withdrawn")


def share_score(numerator: float, denominator: float, max_points: float, threshold: float = 1.0,
                empty: str = "full") -> float:
    """Points of a share-based sub-indicator: ``max × min(1, (N/D) / threshold)``.

    Parameters
    ----------
    numerator, denominator : float
        N and D (N may be negative for 5.4, whose ratio subtracts two shares).
    max_points : float
        The sub-indicator's maximum.
    threshold : float, default 1
        The share from which full points are given; 1 makes the score linear.
    empty : {"full", "none"}
        The score when D is 0: the maximum (the portal's rule when nothing was due) or NaN.

    Returns
    -------
    float
        Between 0 and ``max_points`` (NaN for an empty denominator with ``empty="none"``).

    >>> share_score(0, 0, 6), share_score(0, 0, 6, empty="none")
    (6.0, nan)
    >>> share_score(-5, 10, 6, threshold=0.9)
    0.0
    """
    if not denominator:
        return float(max_points) if empty == "full" else float("nan")
    ratio = numerator / denominator
    return float(max_points) * float(min(1.0, max(0.0, ratio / threshold)))


def payment_score(a: float, b: float, c: float) -> float:
    """The online-payment group (TTTT, 10 points): ``6·A + min(2, 2.5·B) + min(2, 2.5·C)``.

    A = dossiers paid online ÷ dossiers with a fee; B = procedures with at least one online payment ÷
    procedures with a fee; C = procedures with a fee offered with payment on the national portal ÷
    procedures with a fee. The vendor's reconstruction writes the last term ``2.5·C``; the operator's
    point table gives that metric 2 points, so it is capped at 2 (the group cannot pass 10).

    >>> round(payment_score(0.8, 0.6, 0.4), 6)   # 4.8 + 1.5 + 1.0
    7.3
    >>> payment_score(1, 1, 1)
    10.0
    """
    return 6.0 * a + min(2.0, 2.5 * b) + min(2.0, 2.5 * c)


def satisfaction_ratio(overdue_share: float, complaint_share: float) -> float:
    """5.4: ``100% − (share of dossiers overdue + share with a complaint or a dislike)``.

    >>> round(satisfaction_ratio(0.1162, 0.0), 4)
    0.8838
    """
    return 1.0 - (overdue_share + complaint_share)


def satisfaction_score(ratio: float, max_points: float = 6.0) -> float:
    """5.4 points: ``6 · min(1, r / 0.9)`` (88.38% gives 5.89 on the portal).

    >>> round(satisfaction_score(0.8838), 2)
    5.89
    """
    return max_points * min(1.0, max(0.0, ratio) / 0.9)


def _day(values: pd.Series) -> np.ndarray:
    """Calendar days (``datetime64[D]``, NaT kept): flooring the timestamps is the normalisation."""
    return np.asarray(pd.to_datetime(values)).astype("datetime64[D]")


def judge_on_time(dossiers: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Sub-indicator 2.1 for one period: which dossiers count and whether each was handled on time.

    Scope: the dossiers in hand during the period, finished and in progress together: received by
    its last day (never-received statuses excluded) and not closed before its first day. Rules (the
    operator's description, verbatim logic):

    - the end time is the closing date (``resolved_at`` of a resolved, returned, stopped or withdrawn
      dossier) when it falls in the period, else the period's last day;
    - a dossier waiting on a supplement (one request made, not completed by the end) stops the clock
      on the request date;
    - more than one supplement request by the end makes it late;
    - after a completed supplement, the days between request and completion are subtracted;
    - on time when ``end − pause ≤ due date``; without a due date, when the working days from reception
      to the end, less the pause, stay within the procedure's legal time; with neither, on time
      (nothing to judge against); a withdrawn dossier is on time.

    Parameters
    ----------
    dossiers : pandas.DataFrame
        ``dossier_id``, ``status``, ``received_at``, ``due_at``, ``resolved_at``, and optionally
        ``request1_at``, ``request2_at`` (first and second supplement requests), ``completed1_at``
        (completion of the first request), ``supplement_count`` (a count given by the export),
        ``legal_days`` (the procedure's legal time in working days) and ``legal_calendar`` (True where
        that time counts calendar days).
    start, end : datetime.date
        The period.

    Returns
    -------
    pandas.DataFrame
        The dossiers in scope, same index: ``end_day``, ``pause_days``, ``on_time`` (bool),
        ``days_late`` (0 when on time; working days on the legal-time basis), ``basis`` (``due``,
        ``legal``, ``no_deadline``, ``withdrawn``, ``many_supplements``).

    Examples
    --------
    >>> d = pd.DataFrame({"dossier_id": ["a", "b"], "status": ["resolved", "in_progress"],
    ...     "received_at": pd.to_datetime(["2025-03-03", "2025-03-10"]),
    ...     "due_at": pd.to_datetime(["2025-03-10", "2025-03-20"]),
    ...     "resolved_at": pd.to_datetime(["2025-03-12", None])})
    >>> judge_on_time(d, dt.date(2025, 3, 1), dt.date(2025, 3, 31))[["on_time", "days_late"]].values.tolist()
    [[False, 2], [False, 11]]
    """
    frame = dossiers
    nat = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")

    def col(name: str) -> np.ndarray:
        return _day(frame[name]) if name in frame.columns else nat.copy()

    def num(name: str) -> np.ndarray:
        return frame[name].to_numpy(dtype="float64", na_value=np.nan) if name in frame.columns \
            else np.full(len(frame), np.nan)

    arrays = {"status": frame["status"].astype(str).to_numpy(),
              **{c: col(c) for c in ("received_at", "due_at", "resolved_at", "request1_at", "request2_at",
                                     "completed1_at")},
              "supplement_count": num("supplement_count"), "legal_days": num("legal_days"),
              "legal_calendar": frame["legal_calendar"].fillna(False).to_numpy(dtype=bool)
              if "legal_calendar" in frame.columns else np.zeros(len(frame), dtype=bool)}
    scope, end_day, pause, on_time, days_late, basis = judge_arrays(arrays, start, end)
    out = pd.DataFrame({"end_day": end_day, "pause_days": pause, "on_time": on_time, "days_late": days_late,
                        "basis": pd.Series(basis, dtype=object, index=frame.index, copy=False)}, index=frame.index)
    return out[scope]


def judge_arrays(a: dict[str, np.ndarray], start: dt.date, end: dt.date) -> tuple[np.ndarray, ...]:
    """The rules of :func:`judge_on_time` on NumPy arrays, for every dossier at once.

    ``a`` holds ``status`` (str), the day arrays (``datetime64[D]``) ``received_at``, ``due_at``,
    ``resolved_at``, ``request1_at``, ``request2_at``, ``completed1_at``, and the float arrays
    ``supplement_count``, ``legal_days`` with the bool ``legal_calendar`` (the legal time counts
    calendar days, not working days). Returns ``(in_scope, end_day, pause_days, on_time, days_late,
    basis)``, each over all the dossiers (the caller keeps those in scope).
    """
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    received, resolved = a["received_at"], a["resolved_at"]
    closing = (a["closing"] if "closing" in a else np.isin(a["status"], CLOSING_STATUSES)) & ~np.isnat(resolved)
    not_received = a["not_received"] if "not_received" in a else np.isin(a["status"], NOT_RECEIVED)
    closed_before = closing & (resolved < first)
    in_scope = ~not_received & ~np.isnat(received) & (received <= last) & ~closed_before
    return (in_scope, *verdicts(a, last))


def verdicts(a: dict[str, np.ndarray], last: np.datetime64 | np.ndarray, basis: bool = True) -> tuple[np.ndarray, ...]:
    """2.1's verdict on every dossier of ``a`` for a period ending on ``last`` (a day, or one day per dossier).

    The verdict depends on the period's last day only (its first day decides the scope, not the
    verdict): ``(end_day, pause_days, on_time, days_late, basis)``, each over all the dossiers of ``a``
    (see :func:`judge_arrays` for ``a``; ``closing``, ``withdrawn`` may be given as bool arrays
    instead of being read from ``status``). A dossier closed by ``last`` is judged at its closing
    date, whatever ``last``. With ``basis=False`` the last item is None (saves the text labels).

    >>> day = lambda *s: np.array(s, dtype="datetime64[D]")
    >>> a = {"status": np.array(["in_progress"] * 2), "received_at": day("2025-03-03", "2025-03-03"),
    ...      "due_at": day("2025-03-10", "2025-03-10"), "resolved_at": day("NaT", "NaT"),
    ...      **{c: day("NaT", "NaT") for c in ("request1_at", "request2_at", "completed1_at")},
    ...      "supplement_count": np.full(2, np.nan), "legal_days": np.full(2, np.nan),
    ...      "legal_calendar": np.zeros(2, dtype=bool)}
    >>> verdicts(a, day("2025-03-10", "2025-03-12"))[2].tolist()   # on time on the 10th, 2 days late on the 12th
    [True, False]
    """
    due, resolved = a["due_at"], a["resolved_at"]
    received = a["received_at"]
    closing = (a["closing"] if "closing" in a else np.isin(a["status"], CLOSING_STATUSES)) & ~np.isnat(resolved)
    closed_in = closing & (resolved <= last)
    end_day = np.where(closed_in, resolved, last)

    req1, done1 = a["request1_at"], a["completed1_at"]
    asked = ~np.isnat(req1) & (req1 <= end_day)
    if asked.any():
        req2, counted = a["request2_at"], a["supplement_count"]
        many = (asked & ~np.isnat(req2) & (req2 <= end_day)) | (asked & (np.nan_to_num(counted) >= 2))
        waiting = asked & ~closed_in & (np.isnat(done1) | (done1 > end_day))
        end_day = np.where(waiting & ~many, req1, end_day)
        resumed = asked & ~np.isnat(done1) & (done1 <= end_day) & (done1 >= req1)
        pause = np.where(resumed & ~many, (done1 - req1).astype("int64"), 0)
    else:  # no supplement requested by the end: no pause, never many requests
        many = resumed = asked
        pause = np.zeros(len(asked), dtype="int64")

    late_days = np.where(np.isnat(due), 0, (end_day - due).astype("int64") - pause)
    legal = a["legal_days"]
    use_legal = np.isnat(due) & ~np.isnan(legal)
    if use_legal.any():  # working days are counted only where the legal time is the basis
        at = np.flatnonzero(use_legal)
        got = received[at]
        start_day = np.where(np.isnat(got), end_day[at], got)
        stop = np.maximum(end_day[at], start_day)
        calendar = a["legal_calendar"][at]
        worked = np.where(calendar, (stop - start_day).astype("int64"), np.busday_count(start_day, stop))
        from_day = np.where(resumed[at], req1[at], end_day[at])
        to_day = np.where(resumed[at], done1[at], end_day[at])
        paused = np.where(pause[at] > 0, np.where(calendar, pause[at], np.busday_count(from_day, to_day)), 0)
        late_days = late_days.copy()
        late_days[at] = worked - paused - legal[at]

    withdrawn = a["withdrawn"] if "withdrawn" in a else a["status"] == "withdrawn"
    # without a deadline (no due date, no legal time) late_days is 0: on time, as a withdrawn dossier
    on_time = withdrawn | (~many & (late_days <= 0))
    days_late = np.where(on_time, 0, np.maximum(late_days, 0)).astype("int64")
    if not basis:
        return end_day, pause, on_time, days_late, None
    labels = np.select([withdrawn, many, ~np.isnat(due), use_legal],
                       ["withdrawn", "many_supplements", "due", "legal"], "no_deadline")
    return end_day, pause, on_time, days_late, labels
