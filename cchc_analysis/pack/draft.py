"""The Word draft of the pack: ``bao_cao_so_ket_YEAR.docx`` (:mod:`cchc_analysis.docx_draft`).

Written after the notebooks, from the views by area (:func:`cchc_analysis.views_programme.area_clauses`
and :func:`~cchc_analysis.views_programme.area_tasks`) and the pack's PNG figures of each area's
indicators; the draft's dates and package timestamps are fixed, so reruns give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cchc_analysis.periods import Period

#: The parts of a clause the draft's tables show (objectives, dated targets, section III's solutions).
DRAFT_PARTS = ("objective", "target", "solution")


def draft_name(period: Period) -> str:
    """The file name of the draft of a pack.

    >>> draft_name(Period.parse("2025")), draft_name(Period.parse("2026-H1"))
    ('bao_cao_so_ket_2025.docx', 'bao_cao_so_ket_2026-H1.docx')
    """
    return f"bao_cao_so_ket_{period.label}.docx"


def period_words(period: Period, start_year: int = 2021) -> str:
    """What the draft covers, as it reads in a sentence.

    >>> period_words(Period.parse("2025")), period_words(Period.parse("2021-2025"))
    ('giai đoạn 2021–2025', 'giai đoạn 2021–2025')
    >>> period_words(Period.parse("2026-H1"))
    'giai đoạn 2021–2026 (đến hết 6 tháng đầu năm 2026)'
    """
    from cchc_analysis import formatting as fmt

    span = f"giai đoạn {start_year}–{period.year}"
    if period.kind in ("year", "span"):
        return span
    return f"{span} (đến hết {fmt.lower_first(fmt.period_label(period.label))})"


def write_pack_draft(table: pd.DataFrame, tasks: pd.DataFrame | None, folder: Path, period: Period,
                     processed: Path | None = None) -> Path:
    """Write the draft of the pack of ``period`` into ``folder`` (figures from ``folder/figures``).

    With the ``processed`` folder, each area's table is followed by the sentence on the years up to the
    review year not on the merged basis of 01/07/2025 (:func:`cchc_analysis.views.merger_notes`).
    """
    from cchc_analysis import docx_draft, milestones, views, views_programme
    from cchc_analysis.indicators import merger

    reg = milestones.load_registry()
    start = int((reg.get("programme") or {}).get("start_year", 2021))
    basis = (None if processed is None
             else views.merger_notes(merger.read_unit_tables(processed), last_year=period.year, registry=reg))
    clauses = views_programme.area_clauses(table, period.year, reg, basis=basis)
    clauses = clauses[clauses["part"].isin(DRAFT_PARTS)]  # the programme's own task bullets stay out
    counted = views_programme.area_tasks(tasks, period.label if period.kind != "year" else period.year, reg)
    figures = views_programme.area_figures(Path(folder) / "figures", reg)
    return docx_draft.write_draft(Path(folder) / draft_name(period), year=period.year,
                                  period_label_vi=period_words(period, start),
                                  areas=views_programme.programme_areas(reg), clauses=clauses,
                                  tasks=counted, figures=figures)
