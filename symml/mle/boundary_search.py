"""The maximum likelihood of one unknown over its parameter space, where the score's root lies outside it.

The parameter space is where the density is a density: nowhere negative on the support. (1 + θx)/2 on [−1, 1]
is one for θ ∈ [−1, 1]; with data near 1 the log-likelihood Σ log(1 + θxᵢ) rises up to θ = 1, the score has no
root inside, and the solver ran off to θ = 1.4e11 (a DataError). Calculus does not apply at an edge: the maximum
over a closed interval is at a stationary point inside or at an end. So the interval of valid values around a valid
start is found (each end by doubling steps until the density is negative somewhere, then bisection), the
log-likelihood is maximised over it by bounded Brent, and the interior maximum is compared with the ends' values.
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np
import sympy as sp

__all__ = ["BoundaryMaximumWarning", "maximum_on_the_parameter_space"]

_DOUBLINGS = 64  # 2^64 steps from the start: beyond, the direction is taken as unbounded
_BISECTIONS = 200  # to the last representable double (each halves the gap; stops when it no longer changes)


class BoundaryMaximumWarning(UserWarning):
    """The maximum-likelihood estimate is on the boundary of the parameter space, where the score need not vanish."""


def maximum_on_the_parameter_space(solver: Any, sample: np.ndarray, values: dict,
                                   start: np.ndarray) -> np.ndarray | None:
    """The maximiser of the mean log-likelihood of ``solver``'s one unknown over the interval of valid values
    around the best valid point among ``start`` and the multi-start candidates; None with several unknowns, with no
    valid point, or where the maximum runs off along an unbounded direction. Warns (BoundaryMaximumWarning) when the
    maximiser is an end of the interval. Only on a bounded support, which the density check covers whole with its
    ends (a mixture weight's density on the real line is checked on a grid around the data, whose edge lies past
    w = 1 by ~1e-8: refused there as before)."""
    from scipy import optimize

    support = solver.problem.support
    if len(solver.unknowns) != 1 or not (isinstance(support, sp.Interval) and support.inf.is_number
                                          and support.sup.is_number and support.measure.is_finite):
        return None  # on an unbounded support the density is checked on a finite grid: its edge would be inexact

    def value(t: float) -> float:
        theta = np.array([t])
        mean = solver._mean_log_likelihood(sample, values, theta)
        if not math.isfinite(mean) or solver._density_invalid_at(sample, values, theta, closed_ends=True) is not None:
            return -math.inf
        return mean

    seeds = [float(c[0]) for c in [start, *solver._candidates(sample, start)] if math.isfinite(float(c[0]))]
    best, inside = max(((value(t), t) for t in seeds), default=(-math.inf, 0.0))
    if not math.isfinite(best):
        return None
    (low, low_bounded), (high, high_bounded) = (_edge(value, inside, direction) for direction in (-1.0, 1.0))
    found = optimize.minimize_scalar(lambda t: -value(t) if math.isfinite(value(t)) else math.inf, bounds=(low, high),
                                     method="bounded", options={"xatol": 1e-12 * max(1.0, abs(low), abs(high))})
    candidates = [(value(t), -k, t) for k, t in enumerate((float(found.x), low, high))]
    top, position, estimate = max(candidates)
    if (position == -1 and not low_bounded) or (position == -2 and not high_bounded) or not math.isfinite(top):
        return None
    if position != 0:  # an end beats the bounded search's best (ties go to the inside)
        name = solver.unknowns[0]
        warnings.warn(f"the maximum-likelihood estimate {name} = {estimate:.12g} is on the boundary of the parameter "
                      f"space [{low:.12g}, {high:.12g}] (where the density is nowhere negative): the log-likelihood "
                      "rises up to it, and the score does not vanish there", BoundaryMaximumWarning, stacklevel=2)
    return np.array([estimate])


def _edge(value: Callable[[float], float], inside: float, direction: float) -> tuple[float, bool]:
    """The last valid value from ``inside`` in ``direction`` and whether an invalid one was found beyond it."""
    step = max(abs(inside), 1.0)
    last = inside
    for k in range(_DOUBLINGS):
        probe = inside + direction * step * 2.0**k
        if not math.isfinite(value(probe)):
            outside = probe
            for _ in range(_BISECTIONS):
                middle = (last + outside) / 2
                if middle in (last, outside):
                    break
                if math.isfinite(value(middle)):
                    last = middle
                else:
                    outside = middle
            return last, True
        last = probe
    return last, False
