"""Personal data: keyed pseudonyms instead of names, ID-card numbers, phones and addresses.

Exports name the applicant (Chủ hồ sơ), with ID-card number, phone and address. None of that may
reach a processed table or a report (Nghị định 13/2023/NĐ-CP on personal data protection). The only
trace kept is ``applicant_key``: an HMAC-SHA256 of the normalised ID-card number (or, without one,
of the folded name with the phone number), under a secret key that is never in the repository:

- the environment variable ``CCHC_PII_KEY``, or
- the file ``~/.config/cchc/pii.key`` (its content, stripped).

Without either, a random key is drawn for the run and a warning says so: the keys are then still
pseudonyms, but they cannot be linked across runs.

>>> key = b"k" * 32
>>> keys = applicant_keys(pd.Series(["079 061 887 668", None]), pd.Series(["Lê Văn A", "Bùi Mỹ Diễm"]),
...                       pd.Series(["0386980597", "+84 974 275 701"]), key=key)
>>> keys.str.len().tolist(), keys[0] == applicant_keys(pd.Series(["079061887668"]), None, None, key=key)[0]
([32, 32], True)
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_analysis.ingest.text import fold

__all__ = ["ENV_VAR", "KEY_FILE", "applicant_keys", "load_key"]

ENV_VAR = "CCHC_PII_KEY"
KEY_FILE = Path("~/.config/cchc/pii.key")
KEY_HEX_CHARS = 32

MISSING_KEY_WARNING = (
    "chưa có khóa bí danh hóa dữ liệu cá nhân (biến môi trường CCHC_PII_KEY hoặc tệp ~/.config/cchc/pii.key): "
    "lần chạy này dùng một khóa ngẫu nhiên, nên applicant_key không so được giữa các lần chạy"
)


def load_key() -> tuple[bytes, str | None]:
    """The secret key for applicant pseudonyms, and a warning sentence when a random one is used.

    >>> os.environ[ENV_VAR] = "secret"; load_key()
    (b'secret', None)
    >>> del os.environ[ENV_VAR]
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return value.encode("utf-8"), None
    path = KEY_FILE.expanduser()
    try:
        content = path.read_bytes().strip()
    except OSError:
        content = b""
    if content:
        return content, None
    return secrets.token_bytes(32), MISSING_KEY_WARNING


_NOT_DIGIT = re.compile(r"\D+")


def _digits(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    digits = _NOT_DIGIT.sub("", str(value))
    return digits or None


#: Lengths of ID numbers that lost their leading zero (typed as a number, or copied from one): a
#: 12-digit CCCD seen with 11 digits, a 9-digit CMND with 8.
_LOST_ZERO = {11: 12, 8: 9}


def _id_digits(digits: pd.Series) -> pd.Series:
    """ID digits with the leading zero restored where a CCCD (12) or CMND (9) lost it.

    >>> _id_digits(pd.Series(["79123456789", "079123456789", "25123456"], dtype="string")).tolist()
    ['079123456789', '079123456789', '025123456']
    """
    lengths = digits.str.len()
    for short, full in _LOST_ZERO.items():
        digits = digits.mask(lengths == short, digits.str.zfill(full))
    return digits


def _phone(value: object) -> str | None:
    digits = _digits(value)
    if digits and digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif digits and len(digits) == 9:
        digits = "0" + digits
    return digits


def _id_numbers(ids: pd.Series) -> pd.Series:
    """Digits of ID numbers as text (vectorised for text cells; numeric cells one by one)."""
    if pd.api.types.infer_dtype(ids, skipna=True) in ("string", "empty"):
        digits = ids.astype("string[pyarrow]").str.replace(r"\D+", "", regex=True)
    else:
        digits = ids.map(_digits, na_action="ignore").astype("string[pyarrow]")
    return _id_digits(digits.mask(digits == ""))


def _identity(ids: pd.Series | None, names: pd.Series | None, phones: pd.Series | None, n: int) -> pd.Series:
    index = next((s.index for s in (ids, names, phones) if s is not None), pd.RangeIndex(n))
    out = pd.Series(pd.NA, index=index, dtype="string[pyarrow]")
    if ids is not None:
        number = _id_numbers(ids)
        out = ("id:" + number).astype("string[pyarrow]")
    if names is not None and phones is not None:
        missing = out.isna()
        if missing.any():
            name = names[missing].map(lambda v: fold(str(v)) if isinstance(v, str) and v.strip() else None)
            phone = phones[missing].map(_phone)
            both = name.notna() & phone.notna()
            out[both[both].index] = "np:" + name[both] + "|" + phone[both]
    return out


def applicant_keys(ids: pd.Series | None, names: pd.Series | None, phones: pd.Series | None, *,
                   key: bytes) -> pd.Series:
    """Keyed pseudonyms (hex, 32 characters) of applicants; NA when nothing identifies the applicant.

    Parameters
    ----------
    ids, names, phones : Series or None
        Raw ID-card numbers, names and phone numbers (any may be None when the export lacks it).
    key : bytes
        The secret key (:func:`load_key`).
    """
    n = max((len(s) for s in (ids, names, phones) if s is not None), default=0)
    identity = _identity(ids, names, phones, n)
    codes, distinct = pd.factorize(identity)  # many dossiers share an applicant: hash each identity once
    digests = np.array(_hmac_hex(key, [str(v) for v in np.asarray(distinct, dtype=object)]) + [None], dtype=object)
    out = digests[codes]  # code -1 (no identity) picks the trailing None
    return pd.Series(out, index=identity.index, dtype="string")


def _hmac_hex(key: bytes, messages: list[str]) -> list[str]:
    """HMAC-SHA256 (RFC 2104) of each message, hex, truncated to :data:`KEY_HEX_CHARS`.

    The inner and outer hash states are computed once and copied per message: the same result as
    :func:`hmac.digest`, about twice as fast on long columns.

    >>> import hmac
    >>> _hmac_hex(b"k", ["a"])[0] == hmac.new(b"k", b"a", hashlib.sha256).hexdigest()[:KEY_HEX_CHARS]
    True
    """
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    out = []
    for message in messages:
        i = inner.copy()
        i.update(message.encode("utf-8"))
        o = outer.copy()
        o.update(i.digest())
        out.append(o.hexdigest()[:KEY_HEX_CHARS])
    return out
