"""Small statistics shared by the replay report, the console and the benchmarks' callers: one percentile."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0–100, linear interpolation) of ``values``; 0.0 for no values."""
    arr = np.fromiter(values, dtype=np.float64)
    if arr.size == 0:
        return 0.0
    return float(np.percentile(arr, q))
