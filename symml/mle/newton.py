"""One equation in one unknown solved by Newton's method with its derived slope, safeguarded (:func:`newton_root`);
a small square system in positive unknowns by Newton's method with its derived Jacobian (:func:`newton_system`).

A step of Newton's method costs one evaluation of the equation and its slope (one pass over the data where the
equation keeps sums over it, none where it is in statistics only) and converges quadratically, where a bracketing
search (brentq) needs a pass per evaluation and about 30 of them to full precision. Safeguards: a positive unknown
is stepped in log t (it stays positive, and a step is at most a factor e); once the equation has changed sign,
a step that leaves the bracket it found is replaced by bisection; a non-finite value or a zero slope gives up
(None), and the caller falls back to bracketing.

>>> import math
>>> round(newton_root(lambda t: (math.log(t) - 1.0, 1.0 / t), 1.0, positive=True), 12)  # log t = 1
2.718281828459
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

__all__ = ["newton_root", "newton_system"]

_TOLERANCE = 4 * 2.220446049250313e-16  # relative, as the brentq fallback's rtol
_LARGEST_LOG_STEP = 1.0


def newton_root(f: Callable[..., tuple[float, float]], start: float, positive: bool,
                iterations: int = 60, args: tuple = ()) -> float | None:
    """A root of ``f`` near ``start``; ``f(t, *args)`` returns the value and slope at t (up to a common positive
    factor).

    Args:
        f: the equation and its derivative in t.
        start: the first point (positive if ``positive``).
        positive: whether the unknown is positive (then stepped in log t).
        iterations: the most Newton steps before giving up.
        args: further arguments of ``f`` (a compiled function's constants: no wrapper called at every step).

    Returns:
        the root to about 4 ulps (the last step under 4 ulps, or under 1e-3 of the step before and either under
        1e-10 relative or with the next one, step^3 / last^2, under 1e-16 relative), or None where Newton's method
        does not converge from ``start``.
    """
    # local names and no min/max calls: at n = 10 this loop's Python costs about what an evaluation does
    isfinite, exp, sqrt, largest = math.isfinite, math.exp, math.sqrt, _LARGEST_LOG_STEP
    t, below, above = start, None, None  # below / above: points where f < 0 / f > 0
    previous = older = math.inf  # the sizes of the last two steps (in log t for a positive unknown)
    for _ in range(iterations):
        value, slope = f(t, *args)
        if not (isfinite(value) and isfinite(slope)):
            return None
        if value == 0.0:
            return t
        if value < 0:
            below = t
        else:
            above = t
        if slope == 0.0:
            return None
        if positive:
            step = -value / (slope * t)
            step = largest if step > largest else -largest if step < -largest else step
            new = t * exp(step)
        else:
            step = -value / slope
            new = t + step
        size = step if step >= 0 else -step
        # Bisect (as rtsafe does) where Newton leaves the bracket found, or would step more than half as far as
        # the step before last (far from the root, where the equation bends, Newton creeps: Weibull's shape after
        # an overshoot from 1)
        bisected = below is not None and above is not None and (
                not (below < new < above or above < new < below) or size > older / 2)
        if bisected:
            new = sqrt(below * above) if positive else (below + above) / 2  # type: ignore[operator]
            step = math.log(new / t) if positive else new - t
            size = abs(step)
        change = abs(new - t)
        if change <= _TOLERANCE * abs(new) or new == t:
            return new
        # Quadratic convergence seen (this step under 1e-3 of the last): the next would be about step^3 / last^2;
        # under 1e-16 relative, no evaluation (a pass over the data) is spent on it
        if not bisected and size <= 1e-3 * previous:
            relative = change / abs(new) if new else math.inf
            if relative <= 1e-10 or previous < math.inf and relative * (size / previous) ** 2 <= 1e-16:
                return new
        previous, older = size, previous
        t = new
    return None


def newton_system(f: Callable[[list[float]], Sequence[float]], start: list[float],
                  iterations: int = 60) -> list[float] | None:
    """A root of a square system in positive unknowns near ``start``, by Newton's method in log coordinates.

    Args:
        f: ``f(t)`` returns the residuals and then their Jacobian row by row (rows: residuals, columns: unknowns),
            flat: ``r_1 .. r_d, J_11 .. J_1d, .., J_dd``.
        start: the first point, every component positive.
        iterations: the most Newton steps before giving up.

    Returns:
        the root (each component's last step under 4 ulps, or quadratic convergence seen and the next step
        predicted under 1e-16 relative), or None where the residuals or the Jacobian are not finite, the Jacobian
        is singular, or Newton's method does not converge from ``start`` (the caller then solves otherwise).
        A step is at most a factor e in each unknown (in log t, scaled down together): each unknown stays positive.

    >>> root = newton_system(lambda t: (t[0] * t[1] - 2.0, t[0] - t[1] ** 2, t[1], t[0], 1.0, -2 * t[1]), [1.0, 1.0])
    >>> [round(v, 12) for v in root]  # t0 t1 = 2, t0 = t1^2
    [1.587401051968, 1.259921049895]
    """
    t, size = list(start), len(start)
    if size == 2:
        return _newton_pair(f, t, iterations)
    previous = math.inf
    for _ in range(iterations):
        step = _log_step(f(t), t)
        if step is None:
            return None
        largest = max(map(abs, step))
        if largest > _LARGEST_LOG_STEP:
            step = [s * (_LARGEST_LOG_STEP / largest) for s in step]
        new = [tj * math.exp(s) for tj, s in zip(t, step)]
        size_of_step = max(abs(a - b) / a for a, b in zip(new, t))  # relative, as each unknown is positive
        if size_of_step <= _TOLERANCE:
            return new
        if previous < math.inf and largest <= 1e-3 * previous and (
                size_of_step <= 1e-10 or size_of_step * (largest / previous) ** 2 <= 1e-16):
            return new
        previous, t = largest, new
    return None


def _log_step(flat: Sequence[float], t: list[float]) -> list[float] | None:
    """Newton's step in log t from the residuals and Jacobian ``flat`` at ``t``: d r_i / d log t_j = J_ij t_j."""
    size = len(t)
    rows = [[flat[size + i * size + j] * t[j] for j in range(size)] + [-flat[i]] for i in range(size)]
    return _solved(rows)


def _newton_pair(f: Callable[[list[float]], Sequence[float]], t: list[float], iterations: int) -> list[float] | None:
    """:func:`newton_system` for two equations, the step by Cramer's rule and every scalar a local (Beta's two
    shapes: at n = 10 the general loop's lists and elimination cost as much as an evaluation of the equations)."""
    isfinite, exp, limit = math.isfinite, math.exp, _LARGEST_LOG_STEP
    t0, t1 = t
    previous = math.inf
    for _ in range(iterations):
        r0, r1, j00, j01, j10, j11 = f(t)
        a, b, c, d = j00 * t0, j01 * t1, j10 * t0, j11 * t1  # d r_i / d log t_j = J_ij t_j
        determinant = a * d - b * c
        if determinant == 0.0 or not isfinite(determinant):
            return None
        s0, s1 = (b * r1 - d * r0) / determinant, (c * r0 - a * r1) / determinant
        if not (isfinite(s0) and isfinite(s1)):
            return None
        largest = abs(s0) if abs(s0) >= abs(s1) else abs(s1)
        if largest > limit:
            s0, s1 = s0 * (limit / largest), s1 * (limit / largest)
        n0, n1 = t0 * exp(s0), t1 * exp(s1)
        change0, change1 = abs(n0 - t0) / n0, abs(n1 - t1) / n1  # relative, as each unknown is positive
        size_of_step = change0 if change0 >= change1 else change1
        if size_of_step <= _TOLERANCE:
            return [n0, n1]
        if previous < math.inf and largest <= 1e-3 * previous and (
                size_of_step <= 1e-10 or size_of_step * (largest / previous) ** 2 <= 1e-16):
            return [n0, n1]
        previous, t0, t1 = largest, n0, n1
        t = [n0, n1]
    return None


def _solved(rows: list[list[float]]) -> list[float] | None:
    """The solution of a small linear system given as augmented rows, by Gaussian elimination with partial
    pivoting in Python floats (a few unknowns: numpy.linalg.solve's dispatch costs more); None if singular."""
    size = len(rows)
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        if rows[pivot][column] == 0.0:
            return None
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(column + 1, size):
            factor = rows[r][column] / rows[column][column]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column])]
    solution = [0.0] * size
    for r in reversed(range(size)):
        known = sum(rows[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = (rows[r][size] - known) / rows[r][r]
    return solution if all(map(math.isfinite, solution)) else None
