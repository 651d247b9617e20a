"""Statistics for the indicators: the Wilson score interval of a share.

The Wilson interval stays inside [0, 1] and behaves well for shares near 0 or 1 and for small
samples, which is where satisfaction shares of a single field or month often are.

>>> low, high = wilson_interval(45, 50)
>>> round(float(low), 4), round(float(high), 4)
(0.7864, 0.9565)
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def wilson_interval(k, n, z: float = 1.96):
    """Wilson score interval of the share ``k / n``.

    Parameters
    ----------
    k, n : number, array-like or pandas.Series
        Successes and trials (element-wise). ``n = 0`` (or missing) gives NaN bounds.
    z : float
        The normal quantile (1.96 for a 95% interval).

    Returns
    -------
    (low, high)
        Floats for scalar input, NumPy arrays for arrays, Series (same index as ``k``) for Series.

    Examples
    --------
    >>> [round(float(b), 4) for b in wilson_interval(0, 10)]
    [0.0, 0.2775]
    >>> low, high = wilson_interval(pd.Series([5, 0]), pd.Series([10, 0]))
    >>> low.round(4).tolist(), high.isna().tolist()
    ([0.2366, nan], [False, True])
    """
    index = k.index if isinstance(k, pd.Series) else (n.index if isinstance(n, pd.Series) else None)
    kk = pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(k, dtype=object))), errors="coerce")
    nn = pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(n, dtype=object))), errors="coerce")
    kk = kk.astype("float64").to_numpy()
    nn = nn.astype("float64").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        valid = nn > 0
        safe_n = np.where(valid, nn, 1.0)
        p = kk / safe_n
        z2 = z * z
        denom = 1.0 + z2 / safe_n
        centre = (p + z2 / (2.0 * safe_n)) / denom
        half = z * np.sqrt(np.clip(p * (1.0 - p) / safe_n + z2 / (4.0 * safe_n * safe_n), 0.0, None)) / denom
        low = np.where(valid, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(valid, np.clip(centre + half, 0.0, 1.0), np.nan)
    if index is not None:
        return pd.Series(low, index=index), pd.Series(high, index=index)
    if np.ndim(k) == 0 and np.ndim(n) == 0:
        return float(low[0]), float(high[0])
    return low, high
