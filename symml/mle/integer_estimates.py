"""``numpy()`` and ``verify()`` of a maximum-likelihood derivation over integer parameters
(:mod:`symml.mle.integer_parameters`).

The estimator rounds the real maximiser to whichever of its floor and ceiling has the larger log-likelihood, or
(:mod:`symml.mle.likelihood_ratio`) finds where the ratio of successive likelihoods crosses 1;
``verify()`` scans the integers around the truth on simulated samples, a search that knows nothing of the
derived maximiser.
"""
from __future__ import annotations

import itertools
import math
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.errors import DataError, ParameterError
from symml.mle.integer_parameters import IntegerMLEProblem
from symml.mle.likelihood_ratio import RatioMLEProblem
from symml.mle.numeric import SampleFunction, log_likelihood, mle_estimator, outside_support
from symml.mle.sample_data import check_support, fixed_values, validated
from symml.mle.verification import combined, draw_sample, true_values
from symml.operations import numpy_function, verify

__all__ = ["integer_estimator", "ratio_estimator", "verify_integer_mle"]

#: Integers scanned either side of the true value by ``verify()``, and the number of simulated samples.
_SCAN = 60
_SAMPLES = 3
_DEFAULT = 3
#: The largest N the ratio search doubles to before saying the likelihood has no maximum.
_LARGEST = 2**52


@numpy_function.register(IntegerMLEProblem)
def integer_estimator(problem: IntegerMLEProblem, derivation: Any = None,
                      **options: Any) -> Callable[..., dict[str, float]]:
    """``est(x=sample, **fixed) -> {name: integer estimate}``: the real maximiser's floor or ceiling, the better."""
    real = mle_estimator(problem, derivation, **options)
    likelihood = _log_likelihood(problem)

    def estimator(*sample: Any, **fixed: Any) -> dict[str, float]:
        estimates = real(*sample, **fixed)
        data = np.asarray(sample[0] if sample else fixed.pop(problem.observation.name, fixed.pop("x", None)),
                          dtype=float)
        values = {**fixed_values(problem, fixed), **{p: estimates[p.name] for p in problem.wrt}}
        choices = [[float(c) for c in {math.floor(estimates[p.name]), math.ceil(estimates[p.name])} if c >= lowest]
                   or [lowest] for p, lowest in zip(problem.integers, problem.lowest)]
        best = max(itertools.product(*choices),
                   key=lambda combination: likelihood(data, {**values, **dict(zip(problem.integers, combination))}))
        return {**estimates, **{p.name: value for p, value in zip(problem.integers, best)}}

    estimator.__name__ = estimator.__qualname__ = "mle_estimator"
    estimator.__doc__ = real.__doc__
    return estimator


@numpy_function.register(RatioMLEProblem)
def ratio_estimator(problem: RatioMLEProblem, derivation: Any = None,
                    **options: Any) -> Callable[..., dict[str, float]]:
    """``est(x=sample, **fixed) -> {name: integer estimate}``: the last integer from the sample's smallest allowed
    value where the likelihood still rises (Σ log r(xᵢ; N) ≥ 0), by doubling then bisection."""
    (N,), (lowest,) = problem.integers, problem.lowest
    terms = SampleFunction.of(problem.log_ratio, leading=(problem.observation,))
    smallest = SampleFunction.of(problem.smallest)
    support_symbols = frozenset(problem.support.free_symbols)

    def estimator(*sample: Any, **fixed: Any) -> dict[str, float]:
        data = sample[0] if sample else fixed.pop(problem.observation.name, fixed.pop("x", None))
        observed, _, integral = validated(data)
        values = fixed_values(problem, fixed)
        start = max(math.ceil(float(smallest({**values, problem.largest: float(np.max(observed))}))), int(lowest))
        check_support(problem, observed, {**values, N: start}, integral, support_symbols)
        points = np.asarray(observed, dtype=float)

        def rises(at: int) -> bool:  # L(at) ≥ L(at − 1)
            with np.errstate(all="ignore"):
                return float(np.sum(np.broadcast_to(terms({**values, N: float(at), problem.observation: points}),
                                                    points.shape))) >= 0

        low, step = start, 1  # the likelihood rises up to low; doubling finds an N past the crossing
        while rises(low + step):
            low, step = low + step, 2 * step
            if low > _LARGEST:
                raise DataError(f"the likelihood still rises at {problem.integers[0]} = {low}: no maximum on these "
                                "data")
        high = low + step
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if rises(middle) else (low, middle)
        return {N.name: float(low)}

    estimator.__name__ = estimator.__qualname__ = "mle_estimator"
    return estimator


def _log_likelihood(problem: IntegerMLEProblem) -> Callable[[np.ndarray, Mapping[sp.Symbol, float]], float]:
    """The log-likelihood, -inf where an observation leaves the support at those parameter values."""
    loglik = log_likelihood(problem)

    def bounded(sample: np.ndarray, values: Mapping[sp.Symbol, float]) -> float:
        outside = outside_support(problem.support, sample, values)
        return -math.inf if outside is not None and outside.any() else loglik(sample, dict(values))

    return bounded


@verify.register(IntegerMLEProblem)
def verify_integer_mle(problem: IntegerMLEProblem, derivation: Any = None, *, at: Mapping[Any, float] | None = None,
                       seed: int = 0, sample_size: int = 200) -> Verification:
    """Check the integer estimates against the best integer of a scan around the truth, on simulated samples."""
    if int(sample_size) < 2:
        raise ParameterError(f"sample_size must be at least 2, got {sample_size}")
    # whole numbers to simulate at: the defaults of the relaxed (real) parameters are not
    truth = true_values(problem, {**{p: _DEFAULT for p in problem.integers}, **(at or {})})
    estimator = numpy_function(problem, derivation)
    likelihood = _log_likelihood(problem)
    fixed = {str(p): truth[p] for p in problem.fixed}
    reports = []
    for k in range(_SAMPLES):
        sample, sampler = draw_sample(problem, truth, int(sample_size), seed + k)
        derived = estimator(sample, **fixed)
        grids = [np.arange(max(lowest, round(truth[p]) - _SCAN), round(truth[p]) + _SCAN + 1)
                 for p, lowest in zip(problem.integers, problem.lowest)]
        best = max(itertools.product(*grids),
                   key=lambda combination: likelihood(sample, {**truth, **dict(zip(problem.integers, combination))}))
        comparisons = [Comparison(p.name, derived[p.name], float(b), relative_error(derived[p.name], float(b)))
                       for p, b in zip(problem.integers, best)]
        reports.append(Verification.from_comparisons(
            comparisons, method=f"the log-likelihood at every integer within {_SCAN} of the truth, the best kept",
            tolerance=0.0, sample_size=int(sample_size), seed=seed + k,
            details=(("true parameters", ", ".join(f"{p} = {v:g}" for p, v in truth.items())), ("sampler", sampler))))
    return combined(reports, seed, int(sample_size), 0.0)
