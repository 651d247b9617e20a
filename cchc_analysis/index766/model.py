"""The Department's records prepared for the index: per-dossier facts (:func:`build`) and their arrays.

:func:`build` puts the canonical tables (dossiers, catalogue, evaluations, supplement events, dossier
facts, the portal's export) into a :class:`Model`; :func:`dossier_arrays` and :func:`flag_arrays` give
its dossier columns as NumPy arrays for the ledgers (:mod:`.scoring`) and the roll-up (:mod:`.rollup`).

>>> import pandas as pd
>>> d = pd.DataFrame({"dossier_id": ["a", "b"], "procedure_code": ["P1", None], "procedure_name": ["X", "Y"],
...     "field": ["F", "F"], "unit": ["U", None], "channel": ["online", "in_person"], "service_level": ["full", "none"],
...     "received_at": pd.to_datetime(["2025-03-03", "2025-03-04"]), "due_at": pd.to_datetime(["2025-03-10"] * 2),
...     "resolved_at": pd.to_datetime(["2025-03-05", "2025-03-12"]), "status": ["resolved", "resolved"]})
>>> m = build({"dossiers": d})
>>> m.dossiers[["procedure", "unit"]].values.tolist()
[['P1', 'U'], ['Y', '(không rõ đơn vị)']]
>>> flag_arrays(m)["online"].tolist()
[True, False]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_analysis.index766 import rules
from cchc_analysis.index766.registry import own_agency_names
from cchc_analysis.indicators.counting import value_masks
from cchc_analysis.ingest.text import fold
from cchc_analysis.periods import Period, day_array

__all__ = ["Model", "build", "load_tables", "as_period", "dossier_arrays", "flag_arrays", "status_masks", "NO_UNIT",
           "PROCEDURE_LEVEL", "PORTAL_PART", "TABLES"]

#: The canonical tables the index reads (all optional but ``dossiers``).
TABLES = ("dossiers", "procedures", "procedure_terms", "evaluations", "dossier_events", "dossier_facts",
          "portal766")
#: Unit label of a dossier without a receiving unit.
NO_UNIT = "(không rõ đơn vị)"
#: Unit label of points lost by procedure-level sub-indicators (a procedure has no receiving unit).
PROCEDURE_LEVEL = "(chỉ tiêu tính theo thủ tục)"
#: The sub-indicator id of a group's part taken from the portal's export.
PORTAL_PART = "cổng"


def load_tables(processed: Path | str) -> dict[str, pd.DataFrame]:
    """Read the tables the index uses from a folder of canonical tables (absent ones are left out)."""
    out = {}
    for name in TABLES:
        path = Path(processed) / f"{name}.parquet"
        if path.is_file():
            out[name] = pd.read_parquet(path)
    return out


def as_period(period: Period | str) -> Period:
    """A :class:`~cchc_analysis.periods.Period` from itself or its text (``2025``, ``2025-Q3``, ``2025-07``)."""
    return period if isinstance(period, Period) else Period.parse(str(period))


@dataclass
class Model:
    """The Department's records prepared for the index (built by :func:`build`).

    Attributes
    ----------
    dossiers : pandas.DataFrame
        One row per dossier with what the rules need (flags as booleans with NA, supplement dates).
    catalogue : pandas.DataFrame or None
        The procedure catalogue (``procedures.parquet``), internal procedures left out.
    portal : pandas.DataFrame
        The portal's figures for the Department: ``period``, ``group``, ``points``.
    agency : str or None
        The portal row taken as the Department's.
    notes : list of str
        What the data lacked (Vietnamese sentences).
    """

    dossiers: pd.DataFrame
    catalogue: pd.DataFrame | None
    portal: pd.DataFrame
    agency: str | None = None
    notes: list[str] = field(default_factory=list)
    #: What :func:`per_model` functions computed from this model (freed with it).
    cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __hash__(self) -> int:  # cached ledgers are keyed by the model's identity
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


def per_model(func):
    """Cache ``func(model, *args)`` on the model itself: computed once per model and freed with it
    (a module-level cache would keep every model built, with its million-row arrays, alive)."""

    @functools.wraps(func)
    def wrapper(model: Model, *args):
        key = (func.__module__, func.__qualname__, *args)
        if key not in model.cache:
            model.cache[key] = func(model, *args)
        return model.cache[key]

    return wrapper


def _flag(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("boolean")
    return pd.Series(pd.NA, index=frame.index, dtype="boolean")


def _procedure_key(frame: pd.DataFrame) -> pd.Series:
    code = frame["procedure_code"].astype("string") if "procedure_code" in frame.columns else None
    name = frame["procedure_name"].astype("string")
    return name if code is None else code.fillna(name)


def _events(events: pd.DataFrame | None) -> pd.DataFrame:
    """First and second supplement requests and the first completion after the first request, per dossier."""
    cols = ["request1_at", "request2_at", "completed1_at"]
    out = pd.DataFrame({c: pd.Series(dtype="datetime64[us]") for c in cols},
                       index=pd.Index([], name="dossier_id", dtype="string"))
    if events is None or events.empty:
        return out
    ev = events[["dossier_id", "event", "at"]].dropna()
    ev = ev.assign(dossier_id=ev["dossier_id"].astype(str), at=pd.to_datetime(ev["at"]))
    ev = ev.sort_values(["dossier_id", "at"], kind="stable").reset_index(drop=True)
    req = ev[(ev["event"] == "supplement_requested").to_numpy(dtype=bool)]
    if req.empty:
        return out
    rank = req.groupby("dossier_id").cumcount().to_numpy()
    first = req[rank == 0].set_index("dossier_id")["at"]
    second = req[rank == 1].set_index("dossier_id")["at"]
    done = ev[(ev["event"] == "supplement_completed").to_numpy(dtype=bool)]
    asked = pd.to_datetime(done["dossier_id"].map(first))
    done = done[(done["at"] >= asked).fillna(False).to_numpy(dtype=bool)].groupby("dossier_id")["at"].min()
    found = pd.DataFrame({"request1_at": first, "request2_at": second.reindex(first.index),
                          "completed1_at": done.reindex(first.index)})
    found.index.name = "dossier_id"
    return found


def build(tables: dict[str, pd.DataFrame], agency: str | None = None) -> Model:
    """Prepare the Department's records for the index.

    Parameters
    ----------
    tables : dict of DataFrame
        ``dossiers`` (CONTRACT §2), and optionally ``procedures`` (catalogue), ``evaluations``,
        ``dossier_events`` (supplement requests and completions, complaints), ``dossier_facts``
        (result files, reuse, payment channel, legal time…) and ``portal766`` (the portal's export).
    agency : str, optional
        The portal row to compare with (text contained in its name or code); default: the only
        agency of the export, else the one named in ``registry/index766.yaml`` (``own_agency``).

    Returns
    -------
    Model
    """
    notes: list[str] = []
    raw = tables.get("dossiers")
    if raw is None:
        raw = pd.DataFrame(columns=["dossier_id", "procedure_code", "procedure_name", "field", "unit", "channel",
                                    "service_level", "received_at", "due_at", "resolved_at", "status"])
        notes.append("Không có bảng hồ sơ: các chỉ số tính từ hồ sơ không có số liệu.")
    missing_cols = [c for c in ("dossier_id", "procedure_name", "field", "channel", "status") if c not in raw.columns]
    if missing_cols:  # a table made by hand may lack descriptive columns: they stay empty
        raw = raw.assign(**{c: pd.Series(pd.NA, index=raw.index, dtype="string") for c in missing_cols})
    d = pd.DataFrame({
        "dossier_id": raw["dossier_id"].astype("string"),
        "procedure": _procedure_key(raw),
        "procedure_name": raw["procedure_name"].astype("string"),
        "field": raw["field"].astype("string"),
        "unit": raw["unit"].astype("string").fillna(NO_UNIT) if "unit" in raw.columns else NO_UNIT,
        "channel": raw["channel"].astype("string"),
        "service_level": raw["service_level"].astype("string") if "service_level" in raw.columns else pd.NA,
        "status": raw["status"].astype("string"),
        **{c: pd.to_datetime(raw[c]) if c in raw.columns else pd.NaT
           for c in ("received_at", "due_at", "resolved_at")},
        "fee": _flag(raw, "fee_required"),
        "paid": _flag(raw, "paid_online"),
        "result_file": _flag(raw, "result_digitized"),
        "eid": _flag(raw, "eid_verified"),
    })  # fmt: skip
    catalogue = tables.get("procedures")
    if catalogue is not None and len(catalogue):
        catalogue = catalogue.copy()
        if "internal" in catalogue.columns:
            catalogue = catalogue[~catalogue["internal"].astype("boolean").fillna(False)]
        catalogue["procedure"] = catalogue["procedure_code"].astype("string")
        fees = catalogue.set_index("procedure")["fee_required"].astype("boolean") \
            if "fee_required" in catalogue.columns else None
        if fees is not None:
            d["fee"] = d["fee"].fillna(d["procedure"].map(fees).astype("boolean"))
    else:
        catalogue = None
        notes.append("Chưa có danh mục TTHC (procedures.parquet): danh sách thủ tục suy từ hồ sơ (ước tính), "
                     "chỉ số 3 (thanh toán trên Cổng) của nhóm thanh toán không tính được.")
    facts = tables.get("dossier_facts")
    d = d.set_index("dossier_id", drop=False)
    for name in ("components_digitized", "data_reused", "national_store", "complaint"):
        d[name] = pd.Series(pd.NA, index=d.index, dtype="boolean")
    d["supplement_count"] = np.nan
    d["legal_days"] = np.nan
    if facts is not None and len(facts):
        f = facts.drop_duplicates("dossier_id").set_index("dossier_id").reindex(d.index)
        for name in ("components_digitized", "data_reused", "national_store"):
            if name in f.columns:
                d[name] = f[name].astype("boolean")
        if "result_file" in f.columns:
            d["result_file"] = f["result_file"].astype("boolean").fillna(d["result_file"])
        if "paid_channel" in f.columns:
            paid = f["paid_channel"].notna() & f["paid_channel"].isin(["national_portal", "local_portal"])
            d["paid"] = d["paid"].mask(paid, True)
        for name in ("supplement_count", "legal_days"):
            if name in f.columns:
                d[name] = pd.to_numeric(f[name], errors="coerce").astype("float64")
    d["legal_calendar"] = False
    terms = _terms(tables.get("procedure_terms"), catalogue)
    if terms is not None:
        from_catalogue = d["legal_days"].isna()
        d["legal_days"] = d["legal_days"].fillna(d["procedure"].map(terms["legal_days"]).astype("float64"))
        calendar = d["procedure"].map(terms["day_kind"] == "calendar").astype("boolean").fillna(False)
        d["legal_calendar"] = (from_catalogue & calendar).to_numpy(dtype=bool)
    events = tables.get("dossier_events")
    found = _events(events)
    if found.empty:  # nothing to join on a million dossier ids: the dates are simply missing
        for col in found.columns:
            d[col] = pd.Series(pd.NaT, index=d.index, dtype=found[col].dtype)
    else:
        d = d.join(found, how="left")
    if events is not None and len(events):
        complained = set(events.loc[events["event"] == "complaint", "dossier_id"].astype(str))
        d["complaint"] = d["complaint"].mask(d["dossier_id"].isin(complained), True)
    else:
        notes.append("Không có ngày yêu cầu/hoàn thành bổ sung (dossier_events): thời gian chờ bổ sung không "
                     "được trừ và không nhận ra hồ sơ bổ sung nhiều lần.")
    evaluations = tables.get("evaluations")
    d["dislike"] = False
    if evaluations is not None and len(evaluations) and "dossier_id" in evaluations.columns:
        bad = evaluations.loc[evaluations["overall"] == "dissatisfied", "dossier_id"].dropna().astype(str)
        d["dislike"] = d["dossier_id"].isin(set(bad)).to_numpy()
    d["dislike"] = d["dislike"] | d["complaint"].fillna(False).to_numpy(dtype=bool)
    d = d.reset_index(drop=True)
    portal, chosen = _portal(tables.get("portal766"), agency, notes)
    return Model(dossiers=d, catalogue=catalogue, portal=portal, agency=chosen, notes=notes)


def _terms(terms: pd.DataFrame | None, catalogue: pd.DataFrame | None) -> pd.DataFrame | None:
    """The legal handling time by procedure code: ``legal_days`` and ``day_kind`` (``working`` or
    ``calendar``), from ``procedure_terms.parquet`` (kind ``procedures``), else a catalogue column."""
    if terms is not None and len(terms) and {"procedure_code", "legal_days"} <= set(terms.columns):
        frame = terms.dropna(subset=["procedure_code", "legal_days"])
    elif catalogue is not None and "legal_days" in catalogue.columns:
        frame = catalogue.dropna(subset=["procedure_code", "legal_days"])
    else:
        return None
    kind = frame["day_kind"].astype("string") if "day_kind" in frame.columns else "working"
    out = pd.DataFrame({"procedure": frame["procedure_code"].astype(str), "legal_days":
                        pd.to_numeric(frame["legal_days"], errors="coerce").astype("float64"), "day_kind": kind})
    return out.drop_duplicates("procedure").set_index("procedure")


def _portal(frame: pd.DataFrame | None, agency: str | None, notes: list[str]) -> tuple[pd.DataFrame, str | None]:
    empty = pd.DataFrame({"period": pd.Series(dtype="string"), "group": pd.Series(dtype="string"),
                          "points": pd.Series(dtype="float64")})
    if frame is None or frame.empty:
        notes.append("Chưa có tệp xuất chỉ số 766 của Cổng DVC quốc gia: phần chỉ số Sở không có dữ liệu "
                     "(công khai, phản ánh kiến nghị…) để trống; không đối chiếu được với Cổng.")
        return empty, None
    names = frame["agency"].astype(str)
    agencies = list(dict.fromkeys(names))
    wanted = [agency] if agency else own_agency_names()
    keys = frame.get("agency_code", pd.Series("", index=frame.index)).astype(str)
    if len(agencies) == 1 and not agency:
        chosen = agencies[0]
    else:
        hits = [a for a in agencies if any(fold(w) in fold(a) for w in wanted)]
        hits += [a for a, k in zip(names, keys, strict=True) if any(fold(w) == fold(k) for w in wanted) and a not in hits]
        if not hits:
            notes.append(f"Tệp của Cổng không có dòng nào của đơn vị «{', '.join(wanted)}»: không đối chiếu được.")
            return empty, None
        chosen = hits[0]
    rows = frame[names == chosen]
    return rows[["period", "group", "points"]].astype({"period": "string", "group": "string",
                                                     "points": "float64"}).reset_index(drop=True), chosen


# --- arrays ---


def _strings(values: pd.Series) -> np.ndarray:
    return values.astype(object).where(values.notna(), None).to_numpy(dtype=object)


@per_model
def dossier_arrays(model: Model) -> dict[str, np.ndarray]:
    """The dossier columns the ledgers read, as NumPy arrays: the text columns (None for a missing value)
    and :func:`flag_arrays`. Cached per model: treat as read-only."""
    d = model.dossiers
    out = {c: _strings(d[c]) for c in ("dossier_id", "procedure", "procedure_name", "field", "unit")}
    return {**out, **flag_arrays(model)}


@per_model
def flag_arrays(model: Model) -> dict[str, np.ndarray]:
    """The dossier flags as NumPy bool arrays (filled with False, plus a ``<flag>_known`` mask), ``online``,
    ``dislike``, ``received_day`` and ``received_ok`` (a received status), without the text columns
    (which cost more to convert than all the rest). Cached per model: treat as read-only."""
    d = model.dossiers
    out = {}
    for flag in ("fee", "paid", "result_file", "eid", "components_digitized", "data_reused", "national_store"):
        out[flag] = d[flag].to_numpy(dtype=bool, na_value=False)
        out[f"{flag}_known"] = d[flag].notna().to_numpy(dtype=bool)
    out["online"] = status_masks(d["channel"], {"online": ("online",)})["online"]
    out["dislike"] = d["dislike"].to_numpy(dtype=bool)
    out["received_day"] = day_array(d["received_at"])
    out["received_ok"] = ~status_masks(d["status"], {"no": rules.NOT_RECEIVED})["no"]
    return out


def status_masks(values: pd.Series, sets: dict[str, tuple[str, ...]]) -> dict[str, np.ndarray]:
    """Per name of ``sets``: whether each value is one of the set's (a missing value is in none).

    The column is factorised once and each set looked up on its few distinct values (no text compared
    per row).

    >>> status_masks(pd.Series(["resolved", None, "withdrawn"]), {"closing": ("resolved", "withdrawn")})
    {'closing': array([ True, False,  True])}
    """
    return value_masks(values, sets)
