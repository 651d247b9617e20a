"""``cchc report``: the review pack as a package, one module per concern.

- :mod:`~cchc_analysis.pack.settings`: the run's settings (a frozen dataclass; the period is a
  :class:`~cchc_analysis.periods.Period`) from the command line, a YAML file and the defaults;
- :mod:`~cchc_analysis.pack.cache`: the pack key (raw fingerprint + code + notebooks + parameters);
- :mod:`~cchc_analysis.pack.tables`: the indicator table, computed once per run, and the scoreboard;
- :mod:`~cchc_analysis.pack.kernels`: the notebooks run by papermill on a pool of warm kernels;
- :mod:`~cchc_analysis.pack.html`: ``index.html`` from the executed notebooks;
- :mod:`~cchc_analysis.pack.staging`: staging folder, atomic swap, recovery of an interrupted run;
- :mod:`~cchc_analysis.pack.build`: :func:`build`, the list of steps, and ``run_cli``.

>>> from cchc_analysis.pack import resolve
>>> resolve(period="2026-Q3").out.name
'2026-Q3'
"""

from cchc_analysis.pack.build import build, run_cli
from cchc_analysis.pack.errors import (
           EXIT_ERROR,
           EXIT_OK,
           EXIT_USAGE,
           NotebookFailure,
           PackResult,
           ReportError,
           UsageError,
)
from cchc_analysis.pack.settings import NOTEBOOKS, Settings, resolve

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "NOTEBOOKS", "NotebookFailure", "PackResult", "ReportError",
           "Settings", "UsageError", "build", "resolve", "run_cli"]
