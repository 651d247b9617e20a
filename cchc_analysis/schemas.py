"""Pandera models of the canonical tables (docs/contract.md §2), checked on every write.

:data:`SCHEMAS` maps a table name (the Parquet file stem) to its schema and :data:`SORT_KEYS` to
the columns that order its rows (Parquet files are written sorted, so that two runs give the same
bytes). :func:`validate` checks a frame, coercing dtypes where that loses nothing, and returns it
in schema column order, sorted. A kind whose table is not listed here may :func:`register` one.

>>> import pandas as pd
>>> frame = validate("manual_indicators", pd.DataFrame({"indicator_id": ["x"], "period": ["2024"],
...     "numerator": [1.0], "denominator": [2.0], "value": [0.5], "note": [None]}))
>>> frame.dtypes.astype(str).tolist()
['string', 'string', 'float64', 'float64', 'float64', 'string']
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

__all__ = ["SCHEMAS", "SORT_KEYS", "empty", "register", "validate", "CHANNELS", "STATUSES", "SERVICE_LEVELS"]

CHANNELS = ("online", "in_person", "postal")
SERVICE_LEVELS = ("full", "partial", "none")
STATUSES = ("registered", "in_progress", "supplement", "awaiting_payment", "rejected", "withdrawn", "suspended",
            "resolved", "returned")
DATETIME = "datetime64[us]"
STRING = pd.StringDtype("pyarrow")


def _text(nullable: bool = False, **kwargs: object) -> pa.Column:
    return pa.Column("string", nullable=nullable, **kwargs)


def _one_of(values: tuple[str, ...], nullable: bool = False) -> pa.Column:
    return pa.Column("string", pa.Check.isin(values), nullable=nullable)


def _count() -> pa.Column:
    return pa.Column("int64", pa.Check.ge(0))


def _schema(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, strict=True, ordered=True, coerce=True)


DOSSIERS = _schema("dossiers", {
    "dossier_id": _text(unique=True),
    "procedure_code": _text(nullable=True),
    "procedure_name": _text(),
    "field": _text(),
    "unit": _text(nullable=True),
    "channel": _one_of(CHANNELS),
    "service_level": _one_of(SERVICE_LEVELS, nullable=True),
    "received_at": pa.Column(DATETIME),
    "due_at": pa.Column(DATETIME, nullable=True),
    "resolved_at": pa.Column(DATETIME, nullable=True),
    "status": _one_of(STATUSES),
    "fee_required": pa.Column("boolean", nullable=True),
    "paid_online": pa.Column("boolean", nullable=True),
    "result_digitized": pa.Column("boolean", nullable=True),
    "eid_verified": pa.Column("boolean", nullable=True),
    "applicant_key": _text(nullable=True),
    "source": _text(),
})  # fmt: skip

REPORT06A_COUNTS = ("received_total", "received_online", "received_offline", "carried_over", "resolved_total",
                    "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_within",
                    "pending_overdue")
REPORT06A = _schema("report06a", {
    "period_start": pa.Column(DATETIME),
    "period_end": pa.Column(DATETIME),
    "group_kind": _one_of(("field", "unit")),
    "group": _text(),
    "section": _text(nullable=True),
    **{name: _count() for name in REPORT06A_COUNTS},
    "source": _text(),
})  # fmt: skip

EVALUATIONS = _schema("evaluations", {
    "evaluation_id": _text(),
    "dossier_id": _text(nullable=True),
    "evaluated_at": pa.Column(DATETIME),
    "overall": _one_of(("very_satisfied", "satisfied", "dissatisfied")),
    **{f"c{i}": pa.Column("Int64", pa.Check.isin([0, 1, 2]), nullable=True) for i in range(1, 10)},
    "source": _text(),
})  # fmt: skip

SURVEY_RESPONSES = _schema("survey_responses", {
    "respondent_id": _text(),
    "submitted_at": pa.Column(DATETIME),
    "aspect": _one_of(("access", "procedure", "staff", "result", "feedback", "overall")),
    "question": _text(),
    "score": pa.Column("Int64", pa.Check.between(1, 5)),
    "source": _text(),
})  # fmt: skip

BUDGET = _schema("budget", {
    "unit": _text(),
    "year": pa.Column("int64"),
    "category": _text(),
    "funding": _one_of(("state_budget", "own_revenue", "other")),
    "stage": _one_of(("plan", "actual")),
    "amount_vnd": pa.Column("float64"),
})  # fmt: skip

PAYROLL = _schema("payroll", {
    "unit": _text(),
    "year": pa.Column("int64"),
    "funding": _one_of(("state_budget", "own_revenue", "other")),
    "headcount_assigned": pa.Column("Int64", nullable=True),
    "headcount_actual": pa.Column("Int64", nullable=True),
})  # fmt: skip

MANUAL_INDICATORS = _schema("manual_indicators", {
    "indicator_id": _text(),
    "period": _text(),
    "numerator": pa.Column("float64", nullable=True),
    "denominator": pa.Column("float64", nullable=True),
    "value": pa.Column("float64", nullable=True),
    "note": _text(nullable=True),
})  # fmt: skip

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "dossiers": DOSSIERS,
    "report06a": REPORT06A,
    "evaluations": EVALUATIONS,
    "survey_responses": SURVEY_RESPONSES,
    "budget": BUDGET,
    "payroll": PAYROLL,
    "manual_indicators": MANUAL_INDICATORS,
}

SORT_KEYS: dict[str, list[str]] = {
    "dossiers": ["dossier_id"],
    "report06a": ["period_start", "period_end"],  # then the order of the form (file, row), kept from the kind
    "evaluations": ["evaluation_id", "source"],
    "survey_responses": ["respondent_id", "aspect", "question", "source"],
    "budget": ["unit", "year", "category", "funding", "stage"],
    "payroll": ["unit", "year", "funding"],
    "manual_indicators": ["indicator_id", "period"],
}


def register(name: str, schema: pa.DataFrameSchema, sort_keys: list[str] | None = None) -> None:
    """Add the schema of a table not listed above (a kind module may call it at import)."""
    SCHEMAS[name] = schema
    if sort_keys:
        SORT_KEYS[name] = sort_keys


def empty(name: str) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of a table.

    >>> empty("dossiers").shape
    (0, 17)
    """
    schema = SCHEMAS[name]
    return pd.DataFrame({col: pd.Series(dtype=str(c.dtype)) for col, c in schema.columns.items()})


def validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Check a table against its schema; return it coerced, in schema column order, sorted by its keys.

    Raises
    ------
    KeyError
        For a table without a schema.
    pandera.errors.SchemaError
        When the frame breaks the schema.
    """
    schema = SCHEMAS[name]
    frame = schema.validate(frame)
    for col, column in schema.columns.items():  # one string dtype whatever pandas inferred (str or string)
        if str(column.dtype).startswith("string") and frame[col].dtype != STRING:
            frame[col] = frame[col].astype(STRING)
    keys = [k for k in SORT_KEYS.get(name, []) if k in frame.columns] or list(frame.columns)
    if len(keys) == 1 and frame[keys[0]].notna().all() and frame[keys[0]].is_monotonic_increasing:
        return frame.reset_index(drop=True)  # already in order (a kind may sort while de-duplicating)
    return frame.sort_values(keys, kind="stable", na_position="last", ignore_index=True)


# --- survey_comments (kind survey): free text, masked and safe to open in Excel ---
# The comment may not start like a formula (=, +, -, @, tab, CR) and may hold no run of nine digits or
# more (phone, CMND/CCCD): cleaning masks them as "[đã ẩn]" and prefixes an apostrophe.
SURVEY_COMMENTS = _schema("survey_comments", {
    "respondent_id": _text(),
    "submitted_at": pa.Column(DATETIME),
    "comment": _text(checks=[
        pa.Check.str_matches(r"^[^=+\-@\t\r]", error="comment starts like a formula"),
        pa.Check(lambda s: ~s.str.contains(r"(?<!\d)\d(?:[\s.-]?\d){8,}(?!\d)", regex=True),
                 error="comment holds an unmasked phone or ID number"),
    ]),
    "source": _text(),
})  # fmt: skip
register("survey_comments", SURVEY_COMMENTS, ["respondent_id", "source"])


# --- procedures and tasks (docs/contract.md v2): the procedure catalogue and the programme's task register ---
PROCEDURE_LEVELS = SERVICE_LEVELS
PROCEDURES = _schema("procedures", {
    "procedure_code": _text(unique=True),
    "procedure_name": _text(),
    "field": _text(nullable=True),  # an internal procedure (TTHC nội bộ) may belong to no field
    "level": _one_of(PROCEDURE_LEVELS, nullable=True),
    "eligible_online": pa.Column("boolean", nullable=True),
    "fee_required": pa.Column("boolean", nullable=True),
    "online_payment": pa.Column("boolean", nullable=True),
    "on_national_portal": pa.Column("boolean", nullable=True),
    "internal": pa.Column("boolean", nullable=True),
    "published": pa.Column("boolean", nullable=True),
    "source": _text(),
})  # fmt: skip
register("procedures", PROCEDURES, ["procedure_code"])

#: Legal handling time of each catalogue procedure (not in the contract: a side table for the 766 index,
#: which judges a dossier without a due date against it).
PROCEDURE_TERMS = _schema("procedure_terms", {
    "procedure_code": _text(unique=True),
    "legal_days": pa.Column("float64", pa.Check.ge(0)),
    "day_kind": _one_of(("working", "calendar")),
    "source": _text(),
})  # fmt: skip
register("procedure_terms", PROCEDURE_TERMS, ["procedure_code"])

TASK_AREAS = ("II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III")
TASK_STATUSES = ("done", "in_progress", "not_started", "cancelled")
TASKS = _schema("tasks", {
    "task_id": _text(unique=True),
    "area": _one_of(TASK_AREAS),
    "task": _text(),
    "lead_unit": _text(nullable=True),
    "deadline": pa.Column(DATETIME, nullable=True),
    "status": _one_of(TASK_STATUSES),
    "done_at": pa.Column(DATETIME, nullable=True),
    "note": _text(nullable=True),
    "source": _text(),
})  # fmt: skip
register("tasks", TASKS, ["task_id"])
