"""numpy() of a posterior over a joint model's parameters (:mod:`symml.bayes.joint_posterior`).

The data arrays and known parameters are read and checked as for the joint maximum likelihood
(:mod:`symml.mle.joint_numeric`), each statistic is one mean over its sample, then:

- one parameter: ``logpdf(phi=grid, x=..., y=..., alpha=2.0, beta=3.0)``, the recognised family's normalised
  log-density at the parameter's values (-inf off its support);
- several (a Normal): ``posterior(x=..., y=..., v=0.3, tau=1.0)`` -> ``{"mean": (k,), "covariance": (k, k)}``,
  from Λ and g evaluated on the data: the covariance Λ⁻¹ and the mean Λ⁻¹g by a Cholesky factorisation of Λ, which
  is also the check that the posterior is proper (Λ positive definite; else a DataError).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.bayes.joint_posterior import JointPosteriorProblem
from symml.bayes.numeric import log_special
from symml.errors import DataError, ParameterError
from symml.gaussian.overflow_safe import overflow_safe
from symml.mle.joint_numeric import data_arrays, known_values, statistic_values
from symml.mle.sample_function import SampleFunction
from symml.operations import numpy_function

__all__: list[str] = []


def _on_the_data(problem: JointPosteriorProblem, values: dict) -> dict[sp.Symbol, float]:
    """The statistics, sample sizes and known parameters, by symbol, from the arrays and values by name."""
    likelihood = problem.likelihood
    assert likelihood is not None  # scalar parameters: the joint model's record (a vector's posterior has moments)
    arrays = data_arrays(likelihood, values)
    numbers = statistic_values(likelihood, arrays, known_values(likelihood, values, arrays))
    symbols = {s.symbol for _, s in likelihood.statistics} | set(likelihood.fixed) | {
        sample.size for sample in likelihood.samples}
    return {s: np.float64(numbers[s.name]) for s in symbols}


def _log_density(problem: JointPosteriorProblem) -> Callable[..., Any]:
    (theta,) = problem.parameters
    log_density = SampleFunction.of(overflow_safe(log_special(problem.log_density)))
    support = problem.support
    ends = [SampleFunction.of(e) for e in (support.inf, support.sup)] if isinstance(support, sp.Interval) else None

    def logpdf(**given: Any) -> Any:
        if theta.name not in given:
            raise ParameterError(f"pass the values of {theta.name} at which to evaluate the posterior log-density")
        at = np.asarray(given.pop(theta.name), dtype=float)
        values = {**_on_the_data(problem, given), theta: at}
        with np.errstate(divide="ignore", invalid="ignore"):
            inner = np.asarray(log_density(values), dtype=float) * np.ones(at.shape)
        if ends is not None:
            inner = np.where((at >= ends[0](values)) & (at <= ends[1](values)), inner, -np.inf)
        return inner if inner.ndim else float(inner)

    return logpdf


def _normal(problem: JointPosteriorProblem) -> Callable[..., dict[str, np.ndarray]]:
    entries = [SampleFunction.of(e) for e in [*problem.precision, *problem.shift]]  # type: ignore[misc]
    k = len(problem.parameters)

    def posterior(**given: Any) -> dict[str, np.ndarray]:
        values = _on_the_data(problem, given)
        numbers = np.array([float(f(values)) for f in entries])
        precision, shift = numbers[:k * k].reshape(k, k), numbers[k * k:]
        if not np.all(np.isfinite(numbers)):
            raise DataError("the posterior's precision or its shift is not finite on these data")
        try:
            factor = np.linalg.cholesky(precision)
        except np.linalg.LinAlgError:
            raise DataError("the posterior's precision Λ_N is not positive definite on these data: the posterior is "
                            "not a proper Normal (a flat prior on a direction the data do not inform)") from None
        inverse = np.linalg.solve(factor, np.eye(k))
        covariance = inverse.T @ inverse
        return {"mean": covariance @ shift, "covariance": covariance}

    return posterior


@numpy_function.register(JointPosteriorProblem)
def _numpy(problem: JointPosteriorProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    if problem.moments is not None:  # a vector of weights: m_N and S_N at matrix level, from each sample's means
        from symml.mle.joint_vectors_numeric import vector_estimator

        return vector_estimator(problem.vector_samples, problem.moments, problem.fixed)
    return _normal(problem) if problem.precision is not None else _log_density(problem)

