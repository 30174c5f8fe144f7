"""No maximum: the log-likelihood monotone in its one unknown over the whole parameter domain.

Where the score keeps one sign on the whole domain there is no stationary point, and the likelihood rises towards an
end of the domain: the maximum-likelihood estimate does not exist. A Weibull sample with no spread (every
observation c) is the example: with the scale profiled out (α̂ = c), ℓ(β)/n = log β − log c − 1 rises without bound
as β → ∞, and the score 1/β never vanishes. The solver's local searches then stop "not converged"; this module says
why instead. Nothing is specific to a family: the profile log-likelihood is evaluated over 16 decades of the
unknown about the solver's start (a positive unknown: factors 1e-8 to 1e8; a real one: the start ± up to 1e8
times its size), and the estimate is refused only where it is strictly monotone at every step, finite over at least
half of them and −∞ (the likelihood 0, or underflowing) only beyond them at the low end, with the density nowhere
negative at each finite point (else the maximum may be on the boundary of the parameter space:
:mod:`symml.mle.boundary_search`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from symml.errors import DataError

__all__ = ["refuse_if_monotone"]

#: The decades of the unknown the profile log-likelihood is evaluated over, either side of the start
_DECADES = 8


def refuse_if_monotone(solver: Any, sample: np.ndarray, values: dict, start: np.ndarray,
                       end: np.ndarray | None = None) -> None:
    """A DataError where ``solver``'s one unknown has a profile mean log-likelihood that is strictly monotone over
    :data:`_DECADES` decades either side of ``start`` (see the module): its score keeps one sign there, no maximum
    exists, and the error names the end the likelihood rises towards (and a sample with no spread). Elsewhere,
    and with several unknowns, nothing is decided here. ``end``: a point a solver stopped at; the check runs only
    where it is :data:`_DECADES` decades or more from ``start`` (a root where the score rounds to 0 far out)."""
    if len(solver.unknowns) != 1:
        return
    (unknown,), (positive,), t0 = solver.unknowns, solver.positive, float(start[0])
    if end is not None and not _far(float(end[0]), t0, positive):
        return
    decades = 10.0 ** np.arange(-_DECADES, _DECADES + 1.0)
    if positive:
        points = max(t0, 1e-300) * decades
    else:
        size = max(abs(t0), 1.0) * decades[_DECADES:]
        points = np.concatenate([t0 - size[::-1], [t0], t0 + size])
    profile = np.array(solver._mean_log_likelihoods(sample, values, [np.array([t]) for t in points]))
    finite = np.isfinite(profile)
    if np.isnan(profile).any() or np.isposinf(profile).any() or finite.sum() <= _DECADES:
        return
    # -inf (the likelihood 0, or an evaluation that underflows far out) only beyond the finite run, at its low end
    (inside,) = np.nonzero(finite)
    if inside[-1] - inside[0] + 1 != inside.size:
        return
    if any(solver._density_invalid_at(sample, values, np.array([t])) is not None for t in points[inside]):
        return  # outside the parameter space somewhere along it: the boundary search decides (boundary_search)
    steps = np.diff(profile[inside])
    rounding = 1e-12 * (1.0 + float(np.max(np.abs(profile[inside]))))
    if np.all(steps > rounding) and inside[-1] == points.size - 1:
        towards, last, first = "∞", steps[-1], steps[0]
    elif np.all(steps < -rounding) and inside[0] == 0:
        towards, last, first = ("0" if positive else "−∞"), -steps[0], -steps[-1]
    else:
        return
    # the rise per step towards the end no longer shrinking (log β: the same at each decade) is a rise without
    # bound; a shrinking one approaches a supremum that no parameter value attains
    rising = "increases without bound" if last >= 0.5 * first else \
        "increases towards its supremum, attained by no value,"
    no_spread = sample.size and sample.min() == sample.max()
    reason = (f"every observation equals {float(sample.flat[0]):g}: the data have no spread" if no_spread
              else "a degenerate sample for this model")
    raise DataError(
        f"the maximum-likelihood estimate does not exist for this sample: the log-likelihood {rising} as "
        f"{unknown} → {towards} (its score in {unknown} keeps one sign from {points[0]:.3g} to {points[-1]:.3g}, so "
        f"no value of {unknown} is a maximum; {reason})")


def _far(t: float, t0: float, positive: bool) -> bool:
    """Whether ``t`` is :data:`_DECADES` decades or more from ``t0`` (by factors for a positive unknown)."""
    far = 10.0 ** _DECADES
    if positive:
        return t0 > 0 and (t >= far * t0 or t <= t0 / far)
    return abs(t - t0) >= far * max(abs(t0), 1.0)
