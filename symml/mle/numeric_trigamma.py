"""The trigamma function ``polygamma(1, x)`` of one Python float, fast (:func:`trigamma`): what the reduced
problem's compiled Newton slope and Hessian call for a derived ``polygamma(1, .)`` (symml.mle.reduced_problem).

SciPy evaluates it as the Hurwitz zeta ``zeta(2, x)``, ~1.75 us a call on a Python float (a ufunc's dispatch
and a general series), where the rest of a Newton step of a Gamma shape costs ~1 us. Here: the recurrence
``psi1(x) = psi1(x + 1) + 1/x^2`` up to x >= 8, then the asymptotic series
``1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)`` through B_18 (the next term is under 1e-17 of the value at x = 8):
within 1e-15 relative of mpmath over 1e-8..1e8 (the tests), ~0.5-1 us. This only evaluates a special function
the engine's derivative contains; no derivative is written here.

>>> round(trigamma(1.0), 15)  # pi^2 / 6
1.644934066848226
"""
from __future__ import annotations

import math

from scipy.special import zeta

__all__ = ["trigamma"]

#: The recurrence runs up to here; the asymptotic series from here on
_SERIES_FROM = 8.0

# Bernoulli numbers B_2 .. B_18: the asymptotic series' coefficients of x^-3, x^-5, ...
_B2, _B4, _B6, _B8, _B10 = 1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66
_B12, _B14, _B16, _B18 = -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798


def trigamma(x: float) -> float:
    """``polygamma(1, x)`` for a float x; for x not positive or nan, SciPy's ``zeta(2, x)`` as before."""
    if not x > 0.0:
        return float(zeta(2.0, x))
    if x == math.inf:
        return 0.0
    total = 0.0
    while x < _SERIES_FROM:
        total += 1.0 / (x * x)
        x += 1.0
    t = 1.0 / x
    z = t * t
    series = _B2 + z * (_B4 + z * (_B6 + z * (_B8 + z * (_B10 + z * (_B12 + z * (_B14 + z * (_B16 + z * _B18)))))))
    return total + t + z * (0.5 + t * series)
