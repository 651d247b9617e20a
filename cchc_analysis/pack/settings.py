"""The settings of one run of ``cchc report``: a frozen value settled once from the command line, a
YAML parameter file and the defaults (in that order of precedence).

>>> s = resolve(period="2026-H1")
>>> s.year, s.label, s.out.name, s.notebook_period
(2026, '2026-H1', '2026-H1', '2026-H1')
>>> resolve(year=2025).notebook_period
''
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc_analysis import config
from cchc_analysis.pack.errors import UsageError
from cchc_analysis.periods import Period, PeriodError

#: The notebooks of the pack, in the report's order (in ``notebooks/``).
NOTEBOOKS = ("01_clean.ipynb", "02_satisfaction.ipynb", "03_digital.ipynb", "04_budget_payroll.ipynb",
             "05_midterm_review.ipynb", "06_index766.ipynb")
#: About how many seconds each notebook runs on the bundled sample: the kernels take the longest first,
#: so that they finish together (a notebook not named here counts a tenth of a second per code cell).
NOTEBOOK_COSTS = {"03_digital.ipynb": 5.0, "02_satisfaction.ipynb": 3.0, "06_index766.ipynb": 2.0,
                  "04_budget_payroll.ipynb": 1.0, "01_clean.ipynb": 0.9, "05_midterm_review.ipynb": 0.7}
#: The notebooks that draw the figures the Word draft embeds (``figures/INDICATOR.png`` of each area's
#: indicators): they run first, and the draft is written as soon as they are done, while the others run.
DRAFT_FIGURES_FROM = ("02_satisfaction.ipynb", "03_digital.ipynb", "04_budget_payroll.ipynb")
#: Keys a YAML parameter file may hold (``params/review_2025.yaml``).
PARAMETER_NAMES = ("year", "period", "raw_dir", "processed_dir", "output_dir")
DEFAULT_YEAR = 2025


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on, settled before it starts.

    Attributes
    ----------
    period : Period
        The pack's period: a year (``2025``), a half, quarter or month (``2026-H1``), a span of years
        (``2021-2025``) or an official window.
    raw, processed, out : pathlib.Path
        The raw exports, the canonical tables, the pack's folder (absolute).
    params_file : pathlib.Path or None
        The YAML parameter file read, if any.
    jobs : int or None
        Kernels running notebooks at once (``None``: one per processor, see ``CCHC_JOBS``).
    force : bool
        Build even when the pack is up to date.
    notebooks_dir : pathlib.Path
        Where the notebooks are (their kernels start there).
    notebooks : tuple of str
        The notebooks to run, in the report's order.
    """

    period: Period
    raw: Path
    processed: Path
    out: Path
    params_file: Path | None = None
    jobs: int | None = None
    force: bool = False
    notebooks_dir: Path = field(default_factory=lambda: config.NOTEBOOKS_DIR)
    notebooks: tuple[str, ...] = NOTEBOOKS

    @property
    def year(self) -> int:
        """The review year: the year in which the period ends."""
        return self.period.year

    @property
    def label(self) -> str:
        """The pack's name: ``2025``, ``2026-H1``, ``2021-2025``."""
        return self.period.label

    @property
    def notebook_period(self) -> str:
        """The notebooks' ``period`` parameter: empty for a whole year, else the period's label."""
        return "" if self.period.kind == "year" else self.period.label

    @property
    def sources(self) -> list[Path]:
        """The notebooks' files."""
        return [self.notebooks_dir / name for name in self.notebooks]

    def notebook_parameters(self, output_dir: Path, indicators_file: Path) -> dict[str, Any]:
        """The papermill parameters of every notebook of the run.

        >>> p = resolve(year=2025).notebook_parameters(Path("/o"), Path("/o/indicators.parquet"))
        >>> sorted(p), p["year"], p["indicators_file"]
        (['indicators_file', 'output_dir', 'period', 'processed_dir', 'raw_dir', 'year'], 2025, '/o/indicators.parquet')
        """
        return {"year": self.year, "period": self.notebook_period, "raw_dir": str(self.raw),
                "processed_dir": str(self.processed), "output_dir": str(output_dir),
                "indicators_file": str(indicators_file)}

    def describe(self) -> str:
        """One line for the run's log (Vietnamese)."""
        text = (f"Tham số: {self.period.label_vi}; dữ liệu thô {self.raw}; bảng đã làm sạch {self.processed}; "
                f"bộ báo cáo {self.out}")
        return text + (f"; tệp tham số {self.params_file}" if self.params_file else "")


def parse_period(text: str | int) -> Period:
    """A period from its label, with a Vietnamese :class:`UsageError` when it is not one.

    >>> parse_period("2026-Q3").label_vi
    'quý III/2026'
    >>> parse_period("2025-H3")
    Traceback (most recent call last):
    ...
    cchc_analysis.pack.errors.UsageError: kỳ báo cáo '2025-H3' không hợp lệ: dùng dạng 2026, 2026-H1, 2026-Q3, 2026-07, 2021-2025 hoặc 2025-12-15..2026-12-14.
    """
    try:
        return Period.parse(str(text).strip())
    except (PeriodError, ValueError):
        raise UsageError(f"kỳ báo cáo {str(text)!r} không hợp lệ: dùng dạng 2026, 2026-H1, 2026-Q3, 2026-07, "
                         "2021-2025 hoặc 2025-12-15..2026-12-14.") from None


def load_params(path: Path | str) -> dict[str, Any]:
    """Read a YAML parameter file (looked up as given, then in ``params/``).

    Known keys: ``year``, ``period`` and the folders ``raw_dir``, ``processed_dir``, ``output_dir``
    (relative folders are read from the project root). Unknown keys are refused.
    """
    import yaml

    path = Path(path)
    if not path.is_file() and (config.PARAMS_DIR / path).is_file():
        path = config.PARAMS_DIR / path
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise UsageError(f"không có tệp tham số {path} (tìm cả trong {config.PARAMS_DIR}).") from None
    except OSError as exc:
        raise UsageError(f"không đọc được tệp tham số {path} ({type(exc).__name__}).") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"tệp tham số {path} không đúng cú pháp YAML ({exc.__class__.__name__}).") from None
    if not isinstance(data, dict):
        raise UsageError(f"tệp tham số {path} phải là một bảng khóa: giá trị.")
    unknown = sorted(set(map(str, data)) - set(PARAMETER_NAMES))
    if unknown:
        raise UsageError(f"tệp tham số {path} có khóa không biết: {', '.join(unknown)} "
                         f"(chỉ dùng {', '.join(PARAMETER_NAMES)}).")
    return data


def _project_path(value: str | Path) -> Path:
    path = Path(value)
    return (path if path.is_absolute() else config.PROJECT_ROOT / path).resolve()


def _env_force() -> bool:
    return os.environ.get("CCHC_REPORT_FORCE", "") not in ("", "0")


def resolve(year: int | None = None, period: str | None = None, raw: Path | str | None = None,
            out: Path | str | None = None, params: Path | str | None = None,
            processed: Path | str | None = None, *, jobs: int | None = None, force: bool | None = None,
            notebooks_dir: Path | str | None = None, notebooks: tuple[str, ...] | list[str] | None = None,
            ) -> Settings:
    """Settle the run's settings: the command line's values, else the YAML file's, else the defaults.

    The period is ``period`` when given (its year is the review year: ``--period 2026-H1`` alone reports
    on 2026), else the year (default 2025). The pack goes to ``reports/LABEL/`` unless ``out`` or the
    file's ``output_dir`` says otherwise. ``force`` defaults to ``CCHC_REPORT_FORCE=1`` in the environment.

    >>> s = resolve(2025, "2025")
    >>> s.period.kind, s.label
    ('year', '2025')
    """
    from_file = load_params(params) if params else {}
    if period is None and year is None:
        period = from_file.get("period") or None
        year = from_file.get("year")
    chosen = parse_period(period) if period else parse_period(year if year is not None else DEFAULT_YEAR)
    if out is None and from_file.get("output_dir"):
        out = from_file["output_dir"]
    return Settings(
        period=chosen,
        raw=_project_path(raw if raw is not None else from_file.get("raw_dir", config.RAW_DIR)),
        processed=_project_path(processed if processed is not None
                                else from_file.get("processed_dir", config.PROCESSED_DIR)),
        out=_project_path(out) if out is not None else (config.REPORTS_DIR / chosen.label).resolve(),
        params_file=Path(params) if params else None,
        jobs=None if jobs is None else max(1, int(jobs)),
        force=_env_force() if force is None else bool(force),
        notebooks_dir=Path(notebooks_dir) if notebooks_dir is not None else config.NOTEBOOKS_DIR,
        notebooks=tuple(NOTEBOOKS if notebooks is None else notebooks),
    )
