"""One equation in one unknown solved by Newton's method with its derived slope, safeguarded (:func:`newton_root`).

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
from typing import Callable

__all__ = ["newton_root"]

_TOLERANCE = 4 * 2.220446049250313e-16  # relative, as the brentq fallback's rtol
_LARGEST_LOG_STEP = 1.0


def newton_root(f: Callable[[float], tuple[float, float]], start: float, positive: bool,
                iterations: int = 60) -> float | None:
    """A root of ``f`` near ``start``; ``f(t)`` returns the value and slope at t (up to a common positive factor).

    Args:
        f: the equation and its derivative in t.
        start: the first point (positive if ``positive``).
        positive: whether the unknown is positive (then stepped in log t).
        iterations: the most Newton steps before giving up.

    Returns:
        the root to about 4 ulps (the last step under 4 ulps, or under 1e-3 of the step before and either under
        1e-10 relative or with the next one, step^3 / last^2, under 1e-16 relative), or None where Newton's method
        does not converge from ``start``.
    """
    t, below, above = start, None, None  # below / above: points where f < 0 / f > 0
    previous = older = math.inf  # the sizes of the last two steps (in log t for a positive unknown)
    for _ in range(iterations):
        value, slope = f(t)
        if not (math.isfinite(value) and math.isfinite(slope)):
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
            step = max(-_LARGEST_LOG_STEP, min(_LARGEST_LOG_STEP, -value / (slope * t)))
            new = t * math.exp(step)
        else:
            step = -value / slope
            new = t + step
        # Bisect (as rtsafe does) where Newton leaves the bracket found, or would step more than half as far as
        # the step before last (far from the root, where the equation bends, Newton creeps: Weibull's shape after
        # an overshoot from 1)
        bisected = below is not None and above is not None and (
                not min(below, above) < new < max(below, above) or abs(step) > older / 2)
        if bisected:
            new = math.sqrt(below * above) if positive else (below + above) / 2  # type: ignore[operator]
            step = math.log(new / t) if positive else new - t
        if abs(new - t) <= _TOLERANCE * abs(new) or new == t:
            return new
        # Quadratic convergence seen (this step under 1e-3 of the last): the next would be about step^3 / last^2;
        # under 1e-16 relative, no evaluation (a pass over the data) is spent on it
        relative = abs(new - t) / abs(new) if new else math.inf
        if not bisected and abs(step) <= 1e-3 * previous and (
                relative <= 1e-10 or previous < math.inf and relative * (abs(step) / previous) ** 2 <= 1e-16):
            return new
        previous, older = abs(step), previous
        t = new
    return None
