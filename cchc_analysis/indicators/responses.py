"""Satisfaction indicators: per-dossier evaluations (``evaluation_share``) and the survey (``survey_share``)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cchc_analysis.indicators import counting
from cchc_analysis.periods import Period

SURVEY_ASPECTS = ("access", "procedure", "staff", "result", "feedback", "overall")


def evaluation_counts(ind: str, evaluations: pd.DataFrame, dossiers: pd.DataFrame | None = None,
                      breakdowns: Iterable[str] = ("field",), spans: Iterable[Period] = ()) -> pd.DataFrame:
    """Evaluations ``very_satisfied`` or ``satisfied`` over evaluations answered, by ``evaluated_at``.

    Broken down by the field of the linked dossier. An evaluation without an overall answer is in
    neither count.
    """
    ev = evaluations
    answered = ev["overall"].notna().to_numpy(dtype=bool)
    ok = ev["overall"].isin(("very_satisfied", "satisfied")).fillna(False).to_numpy(dtype=bool)
    grouping = {}
    if "field" in breakdowns and dossiers is not None and "dossier_id" in ev and "field" in dossiers:
        fields = dossiers.drop_duplicates("dossier_id").set_index("dossier_id")["field"]
        grouping = counting.groups(pd.DataFrame({"field": ev["dossier_id"].map(fields)}), ("field",))
    monthly = counting.monthly_counts(counting.month_index(ev["evaluated_at"]),
                                      {"n": np.ones(len(ev), bool), "ok": ok}, grouping, mask=answered)
    return counting.share_rows(monthly, {ind: ("ok", "n")}, spans)


def survey_counts(ind: str, responses: pd.DataFrame, breakdowns: Iterable[str] = ("aspect",),
                  spans: Iterable[Period] = ()) -> pd.DataFrame:
    """Survey answers scoring 4 or 5 over answers, overall and by aspect, by ``submitted_at``."""
    r = responses
    score = pd.to_numeric(r["score"], errors="coerce")
    monthly = counting.monthly_counts(
        counting.month_index(r["submitted_at"]),
        {"n": np.ones(len(r), bool), "ok": (score >= 4).fillna(False).to_numpy(dtype=bool)},
        counting.groups(r, [b for b in breakdowns if b == "aspect"]), mask=score.notna().to_numpy(dtype=bool))
    return counting.share_rows(monthly, {ind: ("ok", "n")}, spans)
