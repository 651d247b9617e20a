"""2.1 and 5.4 of the 766 index for many periods at once: the dossiers in hand, on time and disliked.

Split from :mod:`.rollup`, which prepares the arrays (``prep``) and calls :func:`in_hand`; the figures are
those of the item-by-item path of :mod:`.scoring` (``tests/test_index766_rollup.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cchc_analysis.index766 import rules
from cchc_analysis.periods import by_day

__all__ = ["in_hand"]


class _Rows(Mapping):
    """The judging arrays of :func:`_prepared` restricted to some rows, taken only when read; a supplement date
    missing for every dossier is a constant view rather than a copy."""

    def __init__(self, arrays: dict, rows: np.ndarray) -> None:
        self.arrays, self.rows, self.taken = arrays, rows, {}

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self.taken:
            values = self.arrays[key]
            if key in _SUPPLEMENT_DATES and self.arrays.get(f"{key}:none"):
                self.taken[key] = np.broadcast_to(values[:1], (len(self.rows),))
            else:
                self.taken[key] = values[self.rows]
        return self.taken[key]

    def __iter__(self):
        return iter(self.arrays)

    def __len__(self) -> int:
        return len(self.arrays)


_SUPPLEMENT_DATES = ("request1_at", "request2_at", "completed1_at")


def _first_late(j: dict, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For dossiers open from ``ends[lo]`` to before ``ends[hi]``: the index of the first of those days they
    are late on (``hi``: never), their lateness never falling while they stay open.

    Without a supplement request the verdict on an open dossier is plain: on time while the day is on
    or before its due date, always on time when withdrawn or without any deadline; those are found by
    one search. The others (supplements, legal time in working days) are judged by bisection.
    """
    left, right = lo.copy(), hi.copy()
    due = j["due_at"][rows]
    no_due = np.isnat(due)
    plain = np.isnat(j["request1_at"][rows]) & ~(no_due & ~np.isnan(j["legal_days"][rows]))
    never = plain & (j["withdrawn"][rows] | no_due)
    dated = plain & ~never
    left[never] = hi[never]
    found = by_day(due[dated], lambda days: np.searchsorted(ends, days, side="right"), len(ends))
    left[dated] = np.clip(found, lo[dated], hi[dated])
    right[plain] = left[plain]
    active = np.flatnonzero(left < right)
    while len(active):
        mid = (left[active] + right[active]) // 2
        on = rules.verdicts(_Rows(j, rows[active]), ends[mid], basis=False)[2]
        right[active] = np.where(on, right[active], mid)
        left[active] = np.where(on, mid + 1, left[active])
        active = active[left[active] < right[active]]
    return left


def in_hand(prep: dict, periods: list) -> dict[str, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """2.1 and 5.4 per period: dossiers in hand, on time and disliked, summed by procedure and by unit.

    A period's dossiers in hand are those received by its last day and not closed before its first
    (:func:`rules.judge_arrays`); the verdict depends on the last day only. So the dossiers closed in
    the period are judged once, at their closing date, and summed over the days between the periods'
    bounds (cumulative sums); the dossiers still open on a period's last day are judged at each of
    the periods' last days they are open on: a dossier open on a day is late from the first such day
    it is late on (its lateness never falls while it stays open), found by bisection, and summed by
    difference arrays. Dossiers whose supplement was requested before their reception may break that
    order: they are judged one by one at each day; dossiers closed before their reception, one by one
    for each period. The figures are those of
    the item-by-item path (``tests/test_index766_rollup.py``).
    """
    j = prep["judge"]
    n = len(j["received_at"])
    if not n or not periods:
        return {}
    keys = {"procedure": (prep["d_proc"], len(prep["proc_names"])), "unit": (prep["d_unit"], len(prep["unit_names"]))}
    dislike = prep["a"]["dislike"]
    received, resolved, req1 = j["received_at"], j["resolved_at"], j["request1_at"]
    held = ~j["not_received"] & ~np.isnat(received)
    closes = j["closing"] & ~np.isnat(resolved)
    firsts = np.array([np.datetime64(p.start, "D") for p in periods])
    lasts = np.array([np.datetime64(p.end, "D") for p in periods])

    def sums(rows: np.ndarray, slot: np.ndarray, slots: int, on: np.ndarray, dis: np.ndarray | None = None) -> dict:
        """Per key space: (count, on time, disliked) summed into ``slots`` × keys, for the ``rows`` given."""
        out = {}
        for by, (codes, size) in keys.items():
            cell = slot * size + codes[rows]
            count = np.bincount(cell, minlength=slots * size)[: slots * size].reshape(slots, size)
            ons = np.bincount(cell, weights=on, minlength=slots * size)[: slots * size].reshape(slots, size)
            bad = np.bincount(cell, weights=dislike[rows] if dis is None else dis,
                              minlength=slots * size)[: slots * size].reshape(slots, size)
            out[by] = (count.astype("float64"), ons, bad)
        return out

    # closed in the period: by closing day between the periods' bounds (received after closing: one by one)
    bounds = np.unique(np.concatenate([firsts, lasts + 1]))
    closed = np.flatnonzero(held & closes & (resolved >= bounds[0]) & (resolved < bounds[-1]))
    odd = closed[received[closed] > resolved[closed]]
    closed = closed[received[closed] <= resolved[closed]]
    final = rules.verdicts(_Rows(j, closed), resolved[closed], basis=False)[2]
    slot = by_day(resolved[closed], lambda days: np.searchsorted(bounds, days, side="right"), len(bounds)) - 1
    cum_closed = {by: tuple(np.vstack([np.zeros((1, c.shape[1])), np.cumsum(c, axis=0)]) for c in part)
                  for by, part in sums(closed, slot, len(bounds), final.astype("float64")).items()}
    odd_verdict = rules.verdicts(_Rows(j, odd), resolved[odd], basis=False)[2].astype("float64")

    # open on a period's last day: judged at each of those days (bisection where lateness only grows)
    ends = np.unique(lasts)
    lo = by_day(received, lambda days: np.searchsorted(ends, days, side="left"), len(ends))
    hi = np.where(closes, by_day(resolved, lambda days: np.searchsorted(ends, days, side="left"), len(ends)),
                  len(ends))
    open_ = held & (lo < hi)
    steady = open_ & (np.isnat(req1) | (req1 >= received))
    rows = np.flatnonzero(steady)
    first_late = _first_late(j, rows, lo[rows], hi[rows], ends)
    slots = len(ends) + 1
    begin, stop = lo[rows], hi[rows]
    dis = dislike[rows].astype("float64")
    open_sums = {}
    for by, (codes, size) in keys.items():
        k = codes[rows]
        at_begin, at_stop, at_late = begin * size + k, stop * size + k, first_late * size + k

        def count(cell: np.ndarray, weights: np.ndarray | None = None, size: int = size) -> np.ndarray:
            return np.bincount(cell, weights=weights, minlength=slots * size)[: slots * size].reshape(slots, size)

        entered = count(at_begin).astype("float64")
        diffs = (entered - count(at_stop), entered - count(at_late), count(at_begin, dis) - count(at_stop, dis))
        open_sums[by] = [np.cumsum(diff, axis=0)[:-1] for diff in diffs]
    rough = np.flatnonzero(open_ & ~steady)
    if len(rough):
        reps = (hi - lo)[rough]
        pair_rows = np.repeat(rough, reps)
        pair_end = np.repeat(lo[rough], reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
        on = rules.verdicts(_Rows(j, pair_rows), ends[pair_end], basis=False)[2].astype("float64")
        for by, part in sums(pair_rows, pair_end, len(ends), on).items():
            open_sums[by] = [o + p for o, p in zip(open_sums[by], part, strict=True)]

    out = {}
    for p, first, last in zip(periods, firsts, lasts, strict=True):
        i0 = int(np.searchsorted(bounds, first))
        i1 = int(np.searchsorted(bounds, last + 1))
        e = int(np.searchsorted(ends, last))
        mine = odd[(resolved[odd] >= first) & (resolved[odd] <= last) & (received[odd] <= last)]
        extra = sums(mine, np.zeros(len(mine), dtype="int64"), 1,
                     odd_verdict[np.searchsorted(odd, mine)]) if len(odd) else None
        per = {}
        for by in keys:
            got = [cum[i1] - cum[i0] + opened[e] for cum, opened in zip(cum_closed[by], open_sums[by], strict=True)]
            if extra is not None:
                got = [g + x[0] for g, x in zip(got, extra[by], strict=True)]
            per[by] = tuple(got)
        out[p.label] = per
    return out
