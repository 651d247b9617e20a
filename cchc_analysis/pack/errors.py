"""What a run of ``cchc report`` can end with: exit statuses, the errors told to the analyst, the result.

>>> EXIT_OK, EXIT_ERROR, EXIT_USAGE
(0, 1, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class ReportError(Exception):
    """A problem that stops the report, told in one Vietnamese paragraph (no traceback)."""


class UsageError(ReportError):
    """A wrong parameter (exit status 2)."""


@dataclass
class NotebookFailure(ReportError):
    """A notebook stopped on an error.

    Attributes
    ----------
    notebook : str
        File name of the notebook.
    cell : int or None
        The execution count of the failing cell (``In [N]`` in the executed notebook).
    first_line : str
        The first non-empty line of the cell's source.
    error : str
        The error's name and message (first line).
    kept_at : pathlib.Path or None
        Where the executed notebook was kept for inspection.
    previous : pathlib.Path or None
        The pack left untouched.
    """

    notebook: str
    cell: int | None
    first_line: str
    error: str
    kept_at: Path | None = None
    previous: Path | None = None

    def paragraph(self) -> str:
        """The one-paragraph message.

        >>> NotebookFailure("05.ipynb", 7, "assert x", "AssertionError: lệch").paragraph()[:54]
        'error: 05.ipynb: sổ tay dừng ở ô số 7 (`assert x`): As'
        """
        cell = f"ô số {self.cell}" if self.cell is not None else "một ô"
        text = f"error: {self.notebook}: sổ tay dừng ở {cell} (`{self.first_line}`): {self.error}."
        if self.kept_at is not None:
            text += f" Sổ tay đã chạy được giữ lại để xem: {self.kept_at}."
        if self.previous is not None and self.previous.exists():
            text += f" Bộ báo cáo trước đó trong {self.previous} vẫn giữ nguyên."
        else:
            text += " Chưa có bộ báo cáo nào được ghi."
        return text

    def __str__(self) -> str:
        return self.paragraph()


@dataclass
class PackResult:
    """What :func:`cchc_analysis.pack.build` did.

    Attributes
    ----------
    out : pathlib.Path
        The pack's folder.
    exit_code : int
        0, or 1 when an export could not be read (the pack is still written).
    log : pathlib.Path or None
        The run's log file.
    durations : dict
        Seconds taken by each step and each notebook (a notebook that did not run is absent).
    cleaned : bool
        True when the raw exports were cleaned in this run.
    """

    out: Path
    exit_code: int = EXIT_OK
    log: Path | None = None
    durations: dict[str, float] = field(default_factory=dict)
    cleaned: bool = False
    settings: Any = None
