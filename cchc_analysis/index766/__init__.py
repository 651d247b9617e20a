"""The national service-quality index (Bộ chỉ số 766) estimated from the Department's own records.

Tidy frames in, tidy frames out; nothing here reads or writes files except :func:`load_tables`.

- :func:`build` prepares the records (dossiers, catalogue, evaluations, supplement events, dossier
  facts, the portal's export) into a :class:`Model`;
- :func:`scores` gives sub-indicator and group scores per period (month, quarter, half, year);
- :func:`reconcile` puts the estimate beside the portal's figure, with the difference explained;
- :func:`points_lost`, :func:`lost_dossiers` and :func:`what_if` say where the points are lost
  (by procedure, by receiving unit, dossier by dossier) and what fixing the worst procedures gains;
- :func:`indicator_rows` gives ``index766_score`` and ``index766_points_lost`` rows in the shape of the
  indicator table (CONTRACT §4).

Every figure below the group level rests on the portal operator's description of the index, not on
the Decision's text: it is an estimate (``estimate=True``, ước tính). See ``docs/index766.md``.
"""

from cchc_analysis.index766.explain import (
    indicator_rows,
    lost_dossiers,
    points_lost,
    reconcile,
    what_if,
)
from cchc_analysis.index766.model import PORTAL_PART, PROCEDURE_LEVEL, Model, build, load_tables
from cchc_analysis.index766.registry import GROUP_ORDER, GROUPS, SUBINDICATORS
from cchc_analysis.index766.scoring import ledger, scores

__all__ = [
    "GROUPS",
    "GROUP_ORDER",
    "Model",
    "PORTAL_PART",
    "PROCEDURE_LEVEL",
    "SUBINDICATORS",
    "build",
    "indicator_rows",
    "ledger",
    "load_tables",
    "lost_dossiers",
    "points_lost",
    "reconcile",
    "scores",
    "what_if",
]
