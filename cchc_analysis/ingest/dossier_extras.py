"""Extra dossier facts the 766 index needs, read from the same dossier sheets (not in the contract).

The contract's ``dossiers`` table has no supplement dates, no result file, no reuse or payment-channel
flags. Exports that carry them (``NgayYeuCauBoSung``, ``NgayHoanThanhBoSung``, ``SoLanBoSung``,
``DuocTaiSuDung``, ``HoSoCoThanhPhanSoHoa``, ``DuongDanTepTinKetQua``, ``DuocLayTuKhoDMQG``…; header
synonyms in the ``dossier_extras`` section of ``registry/columns.yaml``) give two more tables, written
beside ``dossiers.parquet`` by the dossier kind:

- ``dossier_events.parquet``: ``dossier_id``, ``event`` (``supplement_requested``,
  ``supplement_completed``, ``complaint``), ``at``, ``source``;
- ``dossier_facts.parquet``: one row per dossier with at least one fact: ``dossier_id``,
  ``supplement_count``, ``components_digitized``, ``data_reused``, ``result_file``, ``national_store``,
  ``paid_channel`` (``national_portal`` for code 1, ``local_portal`` for code 2 of
  ``DuocThanhToanTrucTuyen``), ``legal_days`` (the procedure's legal time, working days), ``source``.

Only the row kept for a dossier (see :mod:`cchc_analysis.ingest.dossiers`) gives its facts. A fact that
cannot be read is left empty (the dossier itself is kept); no personal data is read here.

>>> from cchc_analysis.ingest.detect import synonyms
>>> synonyms("dossier_extras")["ngayyeucaubosung"], synonyms("dossier_extras")["duoctaisudung"]
('supplement_requested_at', 'data_reused')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cchc_analysis import schemas
from cchc_analysis.ingest.base import Header, RawSheet, SheetTable
from cchc_analysis.ingest.dates import parse_dates
from cchc_analysis.ingest.detect import find_header, synonyms
from cchc_analysis.ingest.kit import merged_synonyms, sources
from cchc_analysis.ingest.labels import map_flags
from cchc_analysis.ingest.numbers import as_text, parse_numbers

__all__ = ["EVENTS", "FACTS", "SECTION", "extract", "locate", "tables"]

#: The ``registry/columns.yaml`` section of the extra columns.
SECTION = "dossier_extras"
FACT_FLAGS = ("components_digitized", "data_reused", "result_file", "national_store")
PAID_CODES = {"1": "national_portal", "2": "local_portal"}

EVENTS = pa.DataFrameSchema({
    "dossier_id": pa.Column("string"),
    "event": pa.Column("string", pa.Check.isin(["supplement_requested", "supplement_completed", "complaint"])),
    "at": pa.Column(schemas.DATETIME),
    "source": pa.Column("string"),
}, name="dossier_events", strict=True, ordered=True, coerce=True)  # fmt: skip
FACTS = pa.DataFrameSchema({
    "dossier_id": pa.Column("string", unique=True),
    "supplement_count": pa.Column("Int64", pa.Check.ge(0), nullable=True),
    **{name: pa.Column("boolean", nullable=True) for name in FACT_FLAGS},
    "paid_channel": pa.Column("string", pa.Check.isin(list(PAID_CODES.values())), nullable=True),
    "legal_days": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "source": pa.Column("string"),
}, name="dossier_facts", strict=True, ordered=True, coerce=True)  # fmt: skip
schemas.register("dossier_events", EVENTS, ["dossier_id", "at", "event"])
schemas.register("dossier_facts", FACTS, ["dossier_id"])


def locate(raw: RawSheet, table: Mapping[str, str]) -> Header | None:
    """The dossier header finder, with the extra columns recognised too."""
    return find_header(raw, merged_synonyms(synonyms(SECTION), table))


def _col(data: pd.DataFrame, name: str) -> pd.Series:
    return data[name] if name in data.columns else pd.Series(None, index=data.index, dtype=object)


def extract(table: SheetTable) -> pd.DataFrame | None:
    """The extra facts of one dossier sheet, one row per data row (``None`` when it has none).

    Returns
    -------
    pandas.DataFrame or None
        ``dossier_id``, ``source`` and the facts and event dates found.
    """
    data = table.data
    found = [c for c in synonyms(SECTION).values() if c in data.columns]
    if not found or "dossier_id" not in data.columns:
        return None
    out = pd.DataFrame({"dossier_id": as_text(data["dossier_id"]), "source": sources(table, data["row"])})
    for name in ("supplement_requested_at", "supplement_completed_at", "complaint_at"):
        out[name] = parse_dates(_col(data, name)).values
    count, _ = parse_numbers(_col(data, "supplement_count"))
    out["supplement_count"] = pd.to_numeric(count, errors="coerce").where(lambda s: s >= 0).round().astype("Int64")
    for name in FACT_FLAGS:
        out[name], _ = map_flags(_col(data, name))
    result_ref = as_text(_col(data, "result_reference"))
    out["result_file"] = out["result_file"].fillna(result_ref.notna().where(result_ref.notna()).astype("boolean"))
    codes = as_text(_col(data, "paid_online")).str.replace(r"\.0$", "", regex=True)
    out["paid_channel"] = codes.map(PAID_CODES).astype("string")
    legal, _ = parse_numbers(_col(data, "legal_days"))
    out["legal_days"] = pd.to_numeric(legal, errors="coerce").where(lambda s: s >= 0).astype("float64")
    return out


def tables(extracts: list[pd.DataFrame | None], kept_sources: pd.Series) -> dict[str, pd.DataFrame]:
    """``dossier_events`` and ``dossier_facts`` from the rows kept in ``dossiers`` (matched by ``source``)."""
    frames = [f for f in extracts if f is not None and len(f)]
    if not frames:
        return {"dossier_events": schemas.empty("dossier_events"), "dossier_facts": schemas.empty("dossier_facts")}
    rows = pd.concat(frames, ignore_index=True)
    kept = set(kept_sources.astype(str).to_numpy(dtype=object))
    rows = rows[np.fromiter((source in kept for source in rows["source"].to_numpy(dtype=object)), bool, len(rows))]
    events = []
    for column, event in (("supplement_requested_at", "supplement_requested"),
                          ("supplement_completed_at", "supplement_completed"), ("complaint_at", "complaint")):
        has = rows[rows[column].notna().to_numpy(dtype=bool)]
        events.append(pd.DataFrame({"dossier_id": has["dossier_id"], "event": event, "at": has[column],
                                    "source": has["source"]}))
    fact_cols = ["supplement_count", *FACT_FLAGS, "paid_channel", "legal_days"]
    any_fact = np.zeros(len(rows), dtype=bool)
    for col in fact_cols:
        any_fact |= rows[col].notna().to_numpy(dtype=bool)
    facts = rows.loc[any_fact, ["dossier_id", *fact_cols, "source"]]
    return {"dossier_events": pd.concat(events, ignore_index=True), "dossier_facts": facts.reset_index(drop=True)}
