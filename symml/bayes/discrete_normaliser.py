"""The values of a discrete parameter and their posterior log-weights, for a normalising constant that is a sum.

On finitely many values (a table prior) the sum is finite: every value is weighed. On the integers from the
support's lower end (the N of a Binomial(N, p) under a Poisson or geometric prior) it is a series: the integers are
weighed in chunks, from the lower end up, until the terms have passed their largest and fallen e^{-40} below it
with the ratio r of successive terms below 1; past that point a tail whose ratios keep falling (a log-concave tail:
a Poisson prior's 1/N! beside a polynomial likelihood) is below a geometric series, term·r/(1 − r), which is
checked negligible too. A series that has not settled within ten million terms is refused (DataError).

>>> import numpy as np
>>> values, weights = discrete_log_weights(lambda k: -k * np.log(2.0), None, 0.0)  # Σ 2^{-k} = 2
>>> round(float(np.log(np.exp(weights).sum())), 12) == round(float(np.log(2.0)), 12)
True
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from symml.errors import DataError

__all__ = ["discrete_log_weights"]

#: log-weights this far below the largest are negligible (e^{-40} ~ 4e-18, below double rounding)
_NEGLIGIBLE = 40.0
_CHUNK = 512
_MOST_TERMS = 10_000_000


def discrete_log_weights(log_weight: Callable[[np.ndarray], np.ndarray], points: Sequence[float] | None,
                         low: float) -> tuple[np.ndarray, np.ndarray]:
    """(values, log-weights): at every point of ``points`` when given, else at the integers from ``low`` up to where
    the series' tail is negligible (see the module)."""
    if points is not None:
        values = np.asarray(points, dtype=float)
        return values, np.asarray(log_weight(values), dtype=float)
    start = float(np.ceil(low)) if np.isfinite(low) else 0.0
    chunks_values, chunks_weights, largest = [], [], -np.inf
    while True:
        values = start + np.arange(_CHUNK, dtype=float)
        weights = np.asarray(log_weight(values), dtype=float) * np.ones(_CHUNK)
        chunks_values.append(values)
        chunks_weights.append(weights)
        largest = max(largest, float(np.max(weights)))
        last, ratio = weights[-1], weights[-1] - weights[-2]
        if np.isfinite(largest) and last < largest - _NEGLIGIBLE and ratio < 0 and \
                last + ratio - np.log1p(-np.exp(ratio)) < largest - _NEGLIGIBLE:
            return np.concatenate(chunks_values), np.concatenate(chunks_weights)
        start += _CHUNK
        if start - low > _MOST_TERMS:
            raise DataError(f"the posterior's normalising series over the integers has not settled within "
                            f"{_MOST_TERMS} terms from {low:g}: its terms do not decrease (an improper posterior?)")
