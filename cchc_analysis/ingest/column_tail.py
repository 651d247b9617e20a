"""The rows of a big sheet below its top part, column by column, as the column-wise reader
(:mod:`~cchc_analysis.ingest.read_fast`) gives them, and their cells as the general reader gives them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ColumnTail"]


@dataclass
class ColumnTail:
    """The rows of a sheet below its top part, column by column.

    ``columns`` maps a 0-based sheet column to an Arrow array (``double`` or ``string``) of
    ``length`` cells; ``texts`` holds the text cells of ``double`` columns by (row in the tail,
    column). A blank cell is null. ``width`` is the sheet's width from column A.
    """

    columns: dict[int, Any]
    texts: dict[tuple[int, int], str]
    length: int
    width: int
    numeric: set[int] = field(default_factory=set)

    def cells(self, col: int, rows: Any = None, blank: Any = "") -> Any:
        """Column ``col`` (at ``rows``, default all) as an object array of the cells the general reader
        gives (``""`` when blank), or with ``blank`` for the blank cells (the table builder takes None:
        it turns blanks to None anyway)."""
        import numpy as np

        rows = None if rows is None or len(rows) == self.length else np.asarray(rows, dtype="int64")
        size = self.length if rows is None else len(rows)
        array = self.columns.get(col)
        if array is None:
            return np.full(size, blank, dtype=object)
        if rows is not None and 2 * len(rows) > self.length:  # most rows: convert all, then pick
            return self.cells(col, blank=blank)[rows]
        if rows is not None:
            array = array.take(rows)
        if col in self.numeric:
            numbers = array.to_numpy(zero_copy_only=False)
            values = numbers.astype(object)
            values[np.isnan(numbers)] = blank
            texts = {r: t for (r, c), t in self.texts.items() if c == col}
            if texts:
                where = np.arange(self.length) if rows is None else rows
                for i in np.flatnonzero(np.isin(where, list(texts))):
                    values[i] = texts[int(where[i])]
            return values
        return _string_cells(array, blank)

    def row(self, index: int) -> list[Any]:
        """One row as the general reader gives it (from column A, ``width`` cells)."""
        out: list[Any] = [""] * self.width
        for col, array in self.columns.items():
            value = array[index].as_py()
            if value is None:
                value = self.texts.get((index, col), "")
            out[col] = value
        return out


def _string_cells(array: Any, blank: Any = "") -> Any:
    """An Arrow string array as objects (``blank`` for nulls), one object per distinct text when the texts
    repeat (memory)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    filled = pc.fill_null(array, blank) if blank is not None else array
    if isinstance(filled, pa.ChunkedArray):
        filled = filled.combine_chunks()
    if len(filled) > 1000 and 2 * len(pc.unique(filled.slice(0, 2000))) <= 2000:  # texts repeat (a sample says)
        encoded = pc.dictionary_encode(filled)  # nulls (blank None) stay null indexes
        if 2 * len(encoded.dictionary) < len(filled):
            distinct = np.asarray(encoded.dictionary.to_pylist() + [None], dtype=object)
            indexes = pc.fill_null(encoded.indices, len(distinct) - 1)
            return distinct[indexes.to_numpy(zero_copy_only=False)]
    return filled.to_numpy(zero_copy_only=False).astype(object, copy=False)
