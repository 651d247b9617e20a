"""Speed levers of ``cchc clean`` that must not change a single value (issue 10, speed and memory).

The speed itself is measured by ``benchmarks/bench_clean.py``, never by a timed test; these tests check
that each lever gives exactly what the plain computation gives.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from cchc_analysis.ingest import privacy


def _by_hand(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def test_applicant_keys_hash_each_distinct_identity_once(monkeypatch):
    seen: list[list[str]] = []
    real = privacy._hmac_hex

    def spy(key: bytes, messages: list[str]) -> list[str]:
        seen.append(list(messages))
        return real(key, messages)

    monkeypatch.setattr(privacy, "_hmac_hex", spy)
    ids = pd.Series(["079 061 887 668", "079061887668", None, "001122334455", 79061887668.0, None], dtype=object)
    names = pd.Series(["A", "A", "Lê Văn B", "C", "A", None], dtype=object)
    phones = pd.Series(["1", "1", "0386980597", "2", "1", None], dtype=object)
    keys = privacy.applicant_keys(ids, names, phones, key=b"k")
    # Three identities: one ID written three ways (spaces, plain, a number that lost its leading zero),
    # another ID, and a name with a phone; the last row names nobody.
    assert sorted(m for batch in seen for m in batch) == ["id:001122334455", "id:079061887668",
                                                          "np:le van b|0386980597"]
    first = _by_hand(b"k", "id:079061887668")
    assert keys.tolist() == [first, first, _by_hand(b"k", "np:le van b|0386980597"),
                             _by_hand(b"k", "id:001122334455"), first, pd.NA]
    assert str(keys.dtype) == "string"


def test_applicant_keys_of_rows_that_name_nobody_are_missing():
    keys = privacy.applicant_keys(pd.Series([None, None], dtype=object), None, None, key=b"k")
    assert keys.isna().tolist() == [True, True]
    assert len(privacy.applicant_keys(pd.Series([], dtype=object), None, None, key=b"k")) == 0
