"""The maximum likelihood over the parameter space, where the score's root lies outside it.

The parameter space is where the density is a density: nowhere negative on the support. (1 + θx)/2 on [−1, 1]
is one for θ ∈ [−1, 1]; with data near 1 the log-likelihood Σ log(1 + θxᵢ) rises up to θ = 1, the score has no
root inside, and the solver ran off to θ = 1.4e11 (a DataError). Calculus does not apply at an edge: the maximum
over a closed interval is at a stationary point inside or at an end. So the interval of valid values around a valid
start is found (each end by doubling steps until the density is negative somewhere, then bisection), the
log-likelihood is maximised over it by bounded Brent, and the interior maximum is compared with the ends' values.
With several unknowns the maximum may lie on a face where one of them sits at its bound given the others: each
unknown's face is searched by maximising the profile over the others with that unknown at its bound (found as in
one dimension), and compared with a search that stays inside the valid set.
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
_POINTS = 1025  # the density's grid, and the finer one about its lowest point (spacing ~4e-6 on [−1, 1])


class BoundaryMaximumWarning(UserWarning):
    """The maximum-likelihood estimate is on the boundary of the parameter space, where the score need not vanish."""


def maximum_on_the_parameter_space(solver: Any, sample: np.ndarray, values: dict,
                                   start: np.ndarray) -> np.ndarray | None:
    """The maximiser of the mean log-likelihood of ``solver``'s unknowns over the valid values about the best valid
    point among ``start`` and the multi-start candidates: for one unknown over its interval of valid values, for
    several the best of a search inside the valid set and each unknown's face (:func:`_on_a_face`); None with no
    valid point, or where the maximum runs off along an unbounded direction. Warns (BoundaryMaximumWarning) when the
    maximiser is on the boundary. On a bounded support, which the density check covers whole with its ends, or an
    unbounded one where the density's sign far out is derived (:func:`_valid_values`; a grid about the data alone
    would put a mixture weight's edge past w = 1 by up to ~1e-6, the tails' ratio)."""
    valid = _valid_values(solver, sample, values)
    if valid is None:
        return None

    def value(theta: np.ndarray) -> float:
        mean = solver._mean_log_likelihood(sample, values, theta)
        return mean if math.isfinite(mean) and valid(theta) else -math.inf

    seeds = [np.asarray(c, dtype=float) for c in [start, *solver._candidates(sample, start)]
             if np.all(np.isfinite(np.asarray(c, dtype=float)))]
    best, inside = max(((value(t), k) for k, t in enumerate(seeds)), default=(-math.inf, 0))
    if not math.isfinite(best):
        return None
    if len(solver.unknowns) > 1:
        return _on_a_face(solver, value, seeds[inside])
    found = _on_a_line(lambda t: value(np.array([t])), float(seeds[inside][0]))
    if found is None:
        return None
    estimate, low, high, at_an_end = found
    if at_an_end:  # an end beats the bounded search's best (ties go to the inside)
        warnings.warn(f"the maximum-likelihood estimate {solver.unknowns[0]} = {estimate:.12g} is on the boundary of "
                      f"the parameter space [{low:.12g}, {high:.12g}] (where the density is nowhere negative): the "
                      "log-likelihood rises up to it, and the score does not vanish there", BoundaryMaximumWarning,
                      stacklevel=3)
    return np.array([estimate])


def _valid_values(solver: Any, sample: np.ndarray, values: dict) -> Callable[[np.ndarray], bool] | None:
    """Whether the unknowns at θ make the density nowhere negative on the support: on a bounded support checked
    whole (:func:`_nowhere_negative`); on an unbounded one, on the solver's grid about the data and, exactly, far out
    (:func:`symml.mle.tail_signs.tail_coefficients`: the coefficient of the term dominating at each infinite end
    nowhere negative). None on an unbounded support where those coefficients are not derived: a grid's edge would
    be inexact."""
    support = solver.problem.support
    if isinstance(support, sp.Interval) and support.inf.is_number and support.sup.is_number \
            and support.measure.is_finite:
        low, high = float(support.inf), float(support.sup)
        return lambda theta: _nowhere_negative(solver, sample, values, theta, low, high)
    from symml.mle.tail_signs import tail_coefficients

    problem = solver.problem
    coefficients = tail_coefficients(sp.exp(problem.log_density), problem.observation, support)
    if coefficients is None:
        return None
    names = sorted(set().union(*(c.free_symbols for c in coefficients)), key=str)
    signs = sp.lambdify(names, coefficients, "numpy")

    def far_out_and_near(theta: np.ndarray) -> bool:
        at = solver._at(sample, values, theta, profiled=True)
        return all(float(c) >= 0 for c in signs(*(float(at[s]) for s in names))) \
            and solver._density_invalid_at(sample, values, theta) is None

    return far_out_and_near


def _nowhere_negative(solver: Any, sample: np.ndarray, values: dict, theta: np.ndarray, low: float,
                             high: float) -> bool:
    """Whether the density is nowhere negative on [low, high], its ends included, to ~1e-11: on a grid of
    :data:`_POINTS`, then on as many points between the lowest one's neighbours (each a single vectorised
    evaluation). The solver's own check, 2001 midpoints, misses a dip between two of them (a density negative by ~3e-7 between grid points on
    [−1, 1]), which left an edge found by bisection on it jagged at that level and a face's profile flat-topped."""
    coarse = np.linspace(low, high, _POINTS)
    terms = solver._terms(sample, values, theta, coarse, split=True)
    if np.isnan(terms).any():
        return False
    k = int(np.argmin(terms))
    fine = np.linspace(coarse[max(k - 1, 0)], coarse[min(k + 1, _POINTS - 1)], _POINTS)
    return not np.isnan(solver._terms(sample, values, theta, fine, split=True)).any()


def _on_a_line(value: Callable[[float], float], inside: float) -> tuple[float, float, float, bool] | None:
    """(the maximiser of ``value`` over the interval of valid values about ``inside``, the interval's ends,
    whether the maximiser is an end); None where it runs off along an unbounded direction."""
    from scipy import optimize

    (low, low_bounded), (high, high_bounded) = (_edge(value, inside, direction) for direction in (-1.0, 1.0))
    found = optimize.minimize_scalar(lambda t: -value(t) if math.isfinite(value(t)) else math.inf, bounds=(low, high),
                                     method="bounded", options={"xatol": 1e-12 * max(1.0, abs(low), abs(high))})
    candidates = [(value(t), -k, t) for k, t in enumerate((float(found.x), low, high))]
    top, position, estimate = max(candidates)
    if (position == -1 and not low_bounded) or (position == -2 and not high_bounded) or not math.isfinite(top):
        return None
    return estimate, low, high, position != 0


def _on_a_face(solver: Any, value: Callable[[np.ndarray], float], inside: np.ndarray) -> np.ndarray | None:
    """Several unknowns: the best of the maximum over the valid set found by a search that never leaves it
    (Nelder-Mead on the log-likelihood, −∞ where the density is negative) and, for each unknown k, the maximum of
    the profile over the others with k at the end of its valid interval (the end the search came nearest):
    θ_k = its bound given the others, found as in one dimension. Warns (BoundaryMaximumWarning) naming the unknown
    at its bound when a face wins."""
    from scipy import optimize

    def search(function: Callable[[np.ndarray], float], point: np.ndarray) -> np.ndarray:
        def negative(z: np.ndarray) -> float:
            found = function(z)
            return -found if math.isfinite(found) else math.inf

        return optimize.minimize(negative, point, method="Nelder-Mead",
                                 options={"xatol": 1e-11, "fatol": 1e-14, "maxiter": 4000}).x

    near = search(value, inside)
    if not math.isfinite(value(near)):
        return None
    results = [(value(near), -1, near)]
    for k in range(near.size):
        def along(t: float, others: np.ndarray, k: int = k) -> float:
            return value(np.insert(others, k, t))

        others = np.delete(near, k)
        ends = [_edge(lambda t: along(t, others), float(near[k]), direction) for direction in (-1.0, 1.0)]
        bounded = [(abs(end - near[k]), direction) for (end, is_bounded), direction in zip(ends, (-1.0, 1.0))
                   if is_bounded]
        if not bounded:
            continue
        _, direction = min(bounded)

        def at_the_bound(rest: np.ndarray, k: int = k, direction: float = direction) -> np.ndarray | None:
            start = float(near[k])
            if not math.isfinite(along(start, rest)):
                return None
            end, is_bounded = _edge(lambda t: along(t, rest), start, direction)
            return np.insert(rest, k, end) if is_bounded else None

        def profile(rest: np.ndarray) -> float:
            point = at_the_bound(rest)
            return -math.inf if point is None else value(point)

        best_rest = search(profile, others)
        point = at_the_bound(best_rest)
        if point is not None:
            results.append((value(point), k, point))
    top, k, estimate = max(results, key=lambda r: r[0])
    if not math.isfinite(top):
        return None
    if k >= 0 and top > results[0][0]:
        shown = ", ".join(f"{u} = {t:.12g}" for u, t in zip(solver.unknowns, estimate))
        warnings.warn(f"the maximum-likelihood estimate ({shown}) is on the boundary of the parameter space (where the "
                      f"density is nowhere negative), {solver.unknowns[k]} at its bound given the others: the "
                      "log-likelihood rises up to it, and the score does not vanish there", BoundaryMaximumWarning,
                      stacklevel=3)
    return estimate


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
