"""Estimates that are sets: where the likelihood is flat along a parameter, every point of an interval maximises it.

Uniform(θ, θ + 1): the likelihood is 1 where x₍ₙ₎ − 1 ≤ θ ≤ x₍₁₎ and 0 elsewhere, so the maximum-likelihood
estimate is the interval [x₍ₙ₎ − 1, x₍₁₎]. The engine derives it from the support's constraints
(:func:`symml.optimize.active_set.flat_constraints`) and records it in a :class:`MaximiserSetProblem`.

``numpy()`` contract: the estimator returns, for a parameter whose estimate is an interval, the pair
``(low, high)`` of its ends (floats, ``low <= high`` on a sample inside the support); for every other parameter a
float, as for any MLE derivation.

``verify()`` draws samples from the model and checks on each, numerically: the log-likelihood takes the same value
at 11 points across the interval, it is -inf just outside both ends, no point an independent grid search finds
beats it, and the interval's ends agree with the interval of maximisers that search finds.

>>> import sympy as sp, sympy.stats as st
>>> from symml.mle import mle
>>> theta = sp.Symbol("theta", real=True)
>>> derivation = mle(st.Uniform("X", theta, theta + 1))
>>> derivation.summary
(Contains(thetahat, Interval(max(x) - 1, min(x))),)
>>> derivation.numpy()(x=[0.3, 0.9, 0.5])
{'theta': (-0.09999999999999998, 0.3)}
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping

import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.mle.problem import MLEProblem
from symml.operations import numpy_function, verify

__all__ = ["MaximiserSetProblem"]

#: Points of the interval at which the log-likelihood is compared.
_POINTS = 11


@dataclass(frozen=True)
class MaximiserSetProblem(MLEProblem):
    """An :class:`MLEProblem` in which some estimators are Intervals: the likelihood is flat on each."""

    @property
    def set_valued(self) -> tuple[sp.Symbol, ...]:
        """The parameters whose estimate is an interval."""
        return tuple(p for p, v in self.estimators.items() if isinstance(v, sp.Set))

    def end(self, which: str) -> MLEProblem:
        """The point problem whose estimators are the lower (``"inf"``) or upper (``"sup"``) ends of the intervals."""
        estimators = {p: getattr(v, which) if isinstance(v, sp.Set) else v for p, v in self.estimators.items()}
        return MLEProblem(**{**{f.name: getattr(self, f.name) for f in fields(MLEProblem)}, "estimators": estimators})


@numpy_function.register(MaximiserSetProblem)
def interval_estimator(problem: MaximiserSetProblem, derivation: Any = None,
                       **options: Any) -> Callable[..., dict[str, Any]]:
    """``est(x=sample, **fixed)``: ``(low, high)`` for each set-valued parameter, a float for the others."""
    from symml.mle.numeric import mle_estimator, sample_by_its_name

    lower, upper = mle_estimator(problem.end("inf"), **options), mle_estimator(problem.end("sup"), **options)
    intervals = {str(p) for p in problem.set_valued}

    def estimator(x: Any, **fixed: Any) -> dict[str, Any]:
        lows, highs = lower(x, **fixed), upper(x, **fixed)
        return {name: (low, highs[name]) if name in intervals else low for name, low in lows.items()}

    estimator = sample_by_its_name(estimator, problem)
    estimator.__name__ = estimator.__qualname__ = "mle_estimator"
    estimator.__doc__ = (f"Maximum-likelihood estimates for: {problem.title}.\n\nCall as est(x=sample, **fixed); "
                         f"{', '.join(sorted(intervals))}: (low, high), the ends of the interval of maximisers.\n")
    return estimator


@verify.register(MaximiserSetProblem)
def verify_maximiser_set(
    problem: MaximiserSetProblem,
    derivation: Any = None,
    *,
    at: Mapping[Any, float] | None = None,
    seed: int = 0,
    sample_size: int = 1000,
    tolerance: float = 1e-6,
) -> Verification:
    """Check, on simulated samples, that the log-likelihood is flat and maximal on each derived interval and -inf
    just outside it, and that the interval's ends are those an independent grid search finds (see the module).

    Args: as :func:`symml.mle.verification.verify_mle`.
    """
    from symml.errors import ParameterError
    from symml.mle.verification import NON_SMOOTH_SAMPLES, combined, true_values

    if int(sample_size) < 2:
        raise ParameterError(f"sample_size must be at least 2, got {sample_size}")
    truth = true_values(problem, at)
    reports = [_verify_sample(problem, truth, int(sample_size), seed + k, tolerance) for k in range(NON_SMOOTH_SAMPLES)]
    return combined(reports, seed, int(sample_size), tolerance)


def _verify_sample(problem: MaximiserSetProblem, truth: dict, sample_size: int, seed: int,
                   tolerance: float) -> Verification:
    import numpy as np

    from symml.mle.numeric import log_likelihood
    from symml.mle.verification import draw_sample, numeric_maximum

    sample, sampler = draw_sample(problem, truth, sample_size, seed)
    loglik = log_likelihood(problem)
    derived = interval_estimator(problem)(sample, **{str(p): truth[p] for p in problem.fixed})
    numeric, method, searched = numeric_maximum(problem, sample, truth, loglik)
    best = loglik(sample, {**truth, **dict(zip(problem.wrt, numeric))})
    at_estimates = {**truth, **{p: derived[str(p)] for p in problem.wrt if p not in problem.set_valued}}
    comparisons = []
    for parameter, found in zip(problem.wrt, numeric):
        estimate, scale = derived[str(parameter)], abs(truth[parameter])
        if parameter not in problem.set_valued:
            comparisons.append(Comparison(str(parameter), estimate, found, relative_error(estimate, found, scale=scale)))
            continue
        low, high = estimate
        across = [loglik(sample, {**at_estimates, parameter: t}) for t in np.linspace(low, high, _POINTS)]
        spread = max(across) - min(across) if all(map(math.isfinite, across)) else math.inf
        shortfall = max(best - min(across), 0.0)
        step = 1e-9 * max(abs(low), abs(high), 1.0)
        outside = [loglik(sample, {**at_estimates, parameter: t}) for t in (low - step, high + step)]
        comparisons += [
            Comparison(f"{parameter}: spread of the log-likelihood across the interval", spread, 0.0,
                       spread / max(abs(best), 1.0)),
            Comparison(f"{parameter}: shortfall of the log-likelihood on the interval from the numeric maximum", shortfall, 0.0,
                       shortfall / max(abs(best), 1.0)),
            *(Comparison(f"{parameter}: log-likelihood just {side} the interval", value, -math.inf,
                         0.0 if value == -math.inf else math.inf)
              for side, value in zip(("below", "above"), outside)),
            *(Comparison(f"{parameter}: {end} end", mine, theirs, relative_error(mine, theirs, scale=scale))
              for end, mine, theirs in zip(("low", "high"), estimate, searched[parameter])),
        ]
    details = (("true parameters", ", ".join(f"{p} = {v:g}" for p, v in truth.items())), ("sampler", sampler),
               ("log-likelihood at the numeric maximum", f"{best:.12g}"))
    return Verification.from_comparisons(comparisons, method=method + "; the log-likelihood at 11 points across each "
                                         "interval and just outside it", tolerance=tolerance,
                                         sample_size=sample_size, seed=seed, details=details)
