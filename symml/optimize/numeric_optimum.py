"""The best of the stationary points, where the stationarity equations have no closed form.

A root of the stationarity equations is only a stationary point: (x − 2)² + 3 exp(−4x²) has three, and Newton's
method from 0 lands on a local minimum (x ≈ −0.23, f = 7.4) while the global one is near x = 2 (f ≈ 3e-7). So the
candidates are collected — for one unknown, every sign change of the residual on a grid covering its domain (dense
near 0, geometric out to ±1e8; (0, 1e8] for a positive unknown), each refined by Brent's method, beside Newton's
root; for several, the roots from several fixed starts — the objective is evaluated at each candidate point, and
the best is returned. Where the unknowns left are the optimisation variables themselves, the objective at the grid's
far ends is compared too: better there than at every root means no optimum inside the grid (unbounded, or beyond
it), which is refused rather than answered with a point that is not the optimum.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from symml.errors import NotIdentifiableError

__all__ = ["line_grid", "sign_change_roots", "fixed_starts", "multistart_roots", "best_candidate"]

REACH = 1e8  # the grid covers |t| ≤ REACH
GRID_POINTS = 2001  # sinh-spaced: steps of 0.02 near 0, about 2 % of |t| beyond 1


def line_grid(unknown: sp.Symbol) -> np.ndarray:
    """Grid points covering the unknown's domain, dense near 0 and geometric far out."""
    if unknown.is_positive or unknown.is_nonnegative:
        grid = np.geomspace(1.0 / REACH, REACH, GRID_POINTS)
        return grid if unknown.is_positive else np.concatenate(([0.0], grid))
    return np.sinh(np.linspace(-math.asinh(REACH), math.asinh(REACH), GRID_POINTS))


def sign_change_roots(f: Callable[[float], float], grid: np.ndarray, values: np.ndarray) -> list[float]:
    """Every root of f that the grid brackets (``values`` is f on the grid, NaN where it is not defined): exact zeros
    on the grid, and Brent's method in each cell where f changes sign. A sign change across a pole is not a root:
    there |f| at Brent's point exceeds |f| at both ends of the cell."""
    from scipy.optimize import brentq

    roots = [float(t) for t in grid[values == 0.0]]
    signs = np.sign(values)  # NaN where f is not defined, and NaN compares false
    for i in np.flatnonzero(signs[:-1] * signs[1:] < 0):
        a, b = float(grid[i]), float(grid[i + 1])
        try:
            t = float(brentq(f, a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps))
        except (ValueError, RuntimeError):  # NaN inside the cell
            continue
        if abs(f(t)) <= min(abs(values[i]), abs(values[i + 1])):
            roots.append(t)
    return roots


def fixed_starts(start: Sequence[float] | np.ndarray, positive: Sequence[bool]) -> list[np.ndarray]:
    """The given start and eight fixed others: ± 1 and ± 4 along the all-ones and the alternating direction
    (multiplicative for a positive unknown, so that it stays positive)."""
    n = len(start)
    directions = [np.ones(n), np.array([(-1.0) ** j for j in range(n)])]
    base, scaled = np.asarray(start, dtype=float), np.asarray(positive, dtype=bool)
    return [base] + [np.where(scaled, base * np.exp(s * d), base + s * d)
                     for s in (1.0, -1.0, 4.0, -4.0) for d in directions]


def multistart_roots(residual: Callable[[np.ndarray], np.ndarray], start: Sequence[float],
                     positive: Sequence[bool]) -> list[np.ndarray]:
    """Roots of a system from each of :func:`fixed_starts`."""
    from scipy.optimize import root

    found = []
    for z0 in fixed_starts(start, positive):
        with np.errstate(all="ignore"):
            result = root(residual, z0, method="hybr")
        if result.success and np.all(np.isfinite(result.x)):
            found.append(result.x)
    return found


def best_candidate(candidates: list, values: Sequence[float], maximise: bool, unknowns: Sequence[sp.Symbol],
                   ends: Sequence[float] = ()) -> int:
    """The index of the candidate with the best objective value (the first of equal ones); refused when there is
    none, or when the objective at the grid's ``ends`` is better than at every candidate (no optimum found)."""
    sign = -1.0 if maximise else 1.0
    scored = [(sign * v, i) for i, v in enumerate(values) if math.isfinite(v)]
    if not scored:
        names = ", ".join(map(str, unknowns))
        raise NotIdentifiableError(f"the stationarity equations in {names} were not solved numerically (no root "
                                   f"found where the objective is defined, {len(candidates)} candidates tried)")
    best, index = min(scored)
    for end in ends:
        if math.isfinite(end) and sign * end < best - 1e-12 * (1.0 + abs(best)):
            names, wanted = ", ".join(map(str, unknowns)), "maximum" if maximise else "minimum"
            raise NotIdentifiableError(
                f"the objective is {'larger' if maximise else 'smaller'} at the end of the search grid ({names} up to "
                f"±{REACH:g}) than at every stationary point found: it has no {wanted} there (unbounded, or the "
                f"{wanted} lies beyond the grid); numpy() does not return a stationary point that is not the {wanted}")
    return index
