"""The rows of a big sheet read column-wise (:class:`~cchc_analysis.ingest.column_tail.ColumnTail`):
their roles and their cells, as :func:`~cchc_analysis.ingest.rows.build_table` needs them.

Roles follow :func:`~cchc_analysis.ingest.rows.classify_rows` exactly: a row with more than
``SPARSE`` filled cells none of whose first three cells is a text starting like a total or a Roman
numeral is data, found for all rows at once on the columns; every other row (blank rows, totals,
sections, the footer) is built as a list of cells and classified one by one by the same rules, in
order, so that a footer that has started carries over to the sparse rows below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["tail_roles"]

#: Above this many rows to classify one by one, their cells are taken from whole columns at once.
_BULK_ROWS = 2000


def _filled_and_lead(tail: Any, lead_chars: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the number of filled cells, and whether one of the first three cells is a text starting
    with one of ``lead_chars``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    filled = np.zeros(tail.length, dtype=np.int64)
    lead = np.zeros(tail.length, dtype=bool)
    text_rows: dict[int, list[int]] = {}
    for (row, col), text in tail.texts.items():
        if text != "":
            text_rows.setdefault(col, []).append(row)
    chars = pa.array(sorted(lead_chars))
    for col, array in tail.columns.items():
        if col in tail.numeric:
            mask = pc.is_valid(array).to_numpy(zero_copy_only=False).copy()
            rows = text_rows.get(col, [])
            mask[rows] = True
            if col < 3:
                for row in rows:
                    if tail.texts[(row, col)][:1] in lead_chars:
                        lead[row] = True
        else:
            mask = pc.fill_null(pc.not_equal(array, ""), False).to_numpy(zero_copy_only=False)
            if col < 3:
                first = pc.utf8_slice_codeunits(array, 0, 1)
                lead |= pc.fill_null(pc.is_in(first, value_set=chars), False).to_numpy(zero_copy_only=False)
        filled += mask
    return filled, lead


def tail_roles(tail: Any, keys: Sequence[int], in_footer: bool, sparse: int, lead_chars: frozenset[str],
               classify: Any) -> np.ndarray:
    """The role of every tail row (an object array of ``data``, ``blank``, ``section``, ``total``, ``footer``).

    ``classify(rows, keys, in_footer)`` is :func:`~cchc_analysis.ingest.rows.classify_more`;
    ``in_footer`` says whether a footer started in the rows above the tail.
    """
    filled, lead = _filled_and_lead(tail, lead_chars)
    roles = np.full(tail.length, "data", dtype=object)
    others = np.flatnonzero(~((filled > sparse) & ~lead))
    if not len(others):
        return roles
    if len(others) > _BULK_ROWS:
        columns = [tail.cells(col, others) for col in range(tail.width)]
        rows = [list(r) for r in zip(*columns, strict=True)]
    else:
        rows = [tail.row(int(i)) for i in others]
    # A dense data row between two of these rows ends a footer; classify each run of adjacent rows in turn.
    breaks = np.flatnonzero(np.diff(others) > 1) + 1
    start = 0
    for stop in [*breaks.tolist(), len(others)]:
        if start > 0 or others[0] > 0:
            in_footer = False
        run, in_footer = classify(rows[start:stop], keys, in_footer)
        roles[others[start:stop]] = run
        start = stop
    return roles
