"""cchc_analysis: trusted tables, indicators and review charts for the CCHC programme 2021-2030.

The package turns one-stop-shop exports, satisfaction evaluations and surveys, budget and payroll
sheets into canonical tables (:mod:`cchc_analysis.ingest`), computes the programme's indicators and
their status against the 2025 and 2030 milestones, and regenerates the mid-term review pack.

>>> from cchc_analysis import __version__
>>> __version__.count(".")
2
"""

__version__ = "0.1.0"
