"""The independent side of the tests: maximum likelihood by scipy.optimize on scipy.stats log-densities.

Nothing here reads the derivation: the log-likelihood is scipy.stats' own, maximised numerically (Nelder-Mead,
restarted, for smooth problems; a brute-force grid zoomed round by round for the non-smooth ones).
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np
from scipy import optimize


def scipy_log_likelihood(distribution: Any, sample: np.ndarray) -> float:
    """sum log f(x_i) of a frozen scipy.stats distribution (pdf or pmf)."""
    logpdf = getattr(distribution, "logpdf", None) or distribution.logpmf
    try:
        return float(np.sum(logpdf(sample)))
    except AttributeError:
        return float(np.sum(distribution.logpmf(sample)))


def numeric_mle(
    freeze: Callable[[dict[str, float]], Any],
    sample: np.ndarray,
    truth: dict[str, float],
    names: Sequence[str],
    positive: Sequence[bool],
    smooth: bool = True,
) -> dict[str, float]:
    """The maximiser of the scipy.stats log-likelihood in ``names`` (the other parameters at ``truth``)."""

    def values(z: np.ndarray) -> dict[str, float]:
        return {**truth, **{name: math.exp(v) if pos else v for name, v, pos in zip(names, z, positive)}}

    def negative(z: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            total = scipy_log_likelihood(freeze(values(z)), sample)
        return -total / sample.size if math.isfinite(total) else math.inf

    centre = np.array([math.log(truth[n]) if pos else truth[n] for n, pos in zip(names, positive)])
    if smooth:
        start = centre - 0.3  # below the truth: inside the support of upper-bounded parameters such as p
        for _ in range(2):
            # an explicit simplex of steps 0.1: Nelder-Mead scales its default one by the start, so a start of
            # 5.6e-17 (log of a rate e^0.3, minus 0.3) gave a simplex below xatol and no step at all
            simplex = np.vstack([start, start + 0.1 * np.eye(len(start))])
            start = optimize.minimize(negative, start, method="Nelder-Mead",
                                      options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 4_000,
                                               "initial_simplex": simplex}).x
        return {name: values(start)[name] for name in names}
    half = np.full(len(names), 3.0)
    points = 21 if len(names) == 1 else 11  # the next round spans two cells either side of the best point
    while np.any(half > 1e-11 * np.maximum(np.abs(centre), 1.0)):
        ranges = tuple(slice(c - h, c + h, complex(points)) for c, h in zip(centre, half))
        centre = np.atleast_1d(optimize.brute(negative, ranges, finish=None))
        half = half * 4.0 / (points - 1)
    return {name: values(centre)[name] for name in names}


def rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-300)
