"""numpy() of a posterior over a joint model's parameters (:mod:`symml.bayes.joint_posterior`).

The data arrays and known parameters are read and checked as for the joint maximum likelihood
(:mod:`symml.mle.joint_numeric`), each statistic is one mean over its sample, then:

- one parameter: ``logpdf(phi=grid, x=..., y=..., alpha=2.0, beta=3.0)``, the recognised family's normalised
  log-density at the parameter's values (-inf off its support);
- several (a Normal): ``posterior(x=..., y=..., v=0.3, tau=1.0)`` -> ``{"mean": (k,), "covariance": (k, k)}``,
  from Λ and g evaluated on the data: the covariance Λ⁻¹ and the mean Λ⁻¹g by a Cholesky factorisation of Λ, which
  is also the check that the posterior is proper (Λ positive definite; else a DataError).

``verify()`` draws data in each variable's support and writes the log posterior from the models (likelihood plus
log prior, lambdified apart from the derivation): one parameter, its log-density normalised by scipy.integrate.quad
at the mode and either side of it; a Normal, its mean as scipy.optimize's maximiser and its covariance as the
inverse of minus the central-difference Hessian there (exact for a quadratic up to rounding).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.bayes.joint_posterior import JointPosteriorProblem
from symml.bayes.numeric import log_special
from symml.errors import DataError, ParameterError
from symml.gaussian.overflow_safe import overflow_safe
from symml.mle.joint_numeric import data_arrays, joint_log_likelihood, known_values, random_instance, statistic_values
from symml.mle.sample_function import SampleFunction
from symml.derivation import Comparison, Verification
from symml.errors import UnsupportedOperationError
from symml.operations import numpy_function, verify

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



def _mode_and_curvature(log_joint: Callable[[np.ndarray], float], k: int) -> tuple[np.ndarray, np.ndarray]:
    """scipy.optimize's maximiser of ``log_joint`` and minus its central-difference Hessian there."""
    from scipy.optimize import minimize

    found = minimize(lambda q: min(-log_joint(q), 1e300), np.full(k, 0.5), method="Nelder-Mead",
                     options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 20000, "maxfev": 20000})
    mode = minimize(lambda q: min(-log_joint(q), 1e300), found.x, method="BFGS", options={"gtol": 1e-10}).x
    step = 1e-3 * np.maximum(1.0, np.abs(mode))
    hessian = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            def at(sa: float, sb: float) -> float:
                q = mode.copy()
                q[a] += sa * step[a]
                q[b] += sb * step[b]
                return log_joint(q)
            hessian[a, b] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * step[a] * step[b])
    return mode, -hessian


@verify.register(JointPosteriorProblem)
def _verify(problem: JointPosteriorProblem, derivation: Any, seed: int = 0, instances: int = 2,
            tolerance: float = 1e-5) -> Verification:
    from scipy import integrate

    likelihood = problem.likelihood
    if likelihood is None:  # a weight vector's Normal, at matrix level: a grid of the log posterior at d = 2
        from symml.bayes.vector_posterior_check import verify_vector_posterior

        return verify_vector_posterior(problem, derivation, seed=seed, instances=instances, tolerance=tolerance)
    rng = np.random.default_rng(seed)
    function = derivation.numpy()
    comparisons: list[Comparison] = []
    k = len(problem.parameters)
    for instance in range(instances):
        arrays, scalars = random_instance(likelihood, rng)
        log_joint = joint_log_likelihood(likelihood, arrays, scalars)
        mode, precision = _mode_and_curvature(log_joint, k)
        label = f"(instance {instance + 1})"
        if problem.precision is not None:
            derived = function(**arrays, **scalars)
            covariance = np.linalg.inv(precision)
            pairs = [(f"mean[{a}]", derived["mean"][a], mode[a]) for a in range(k)] + [
                (f"covariance[{a}, {b}]", derived["covariance"][a, b], covariance[a, b])
                for a in range(k) for b in range(k)]
            scale = max(1.0, float(np.max(np.abs(covariance))))
        else:
            (theta,) = problem.parameters
            support = problem.support
            low, high = (float(support.inf), float(support.sup)) if isinstance(support, sp.Interval) and \
                support.inf.is_number and support.sup.is_number else (-np.inf, np.inf)
            shift = log_joint(mode)
            area = sum(integrate.quad(lambda t: np.exp(log_joint(np.array([t])) - shift), *ends, limit=200)[0]
                       for ends in ((low, float(mode[0])), (float(mode[0]), high)))
            width = 0.5 / np.sqrt(max(float(precision[0, 0]), 1e-12))
            points = [float(np.clip(mode[0] + u * width, low + 1e-9 * (high - low) if np.isfinite(low) else -np.inf,
                                    high - 1e-9 * (high - low) if np.isfinite(high) else np.inf)) for u in (-1, 0, 1)]
            pairs = [(f"log density at {theta.name} = {t:.6g}", float(function(**{theta.name: t}, **arrays, **scalars)),
                      log_joint(np.array([t])) - shift - float(np.log(area))) for t in points]
            scale = 1.0
        comparisons.extend(Comparison(f"{name} {label}", float(mine), float(theirs),
                                      abs(float(mine) - float(theirs)) / max(scale, abs(float(theirs))))
                           for name, mine, theirs in pairs)
    return Verification.from_comparisons(
        comparisons, method="the log posterior written from the models on random data: one parameter normalised by "
        "scipy.integrate.quad; a Normal's mean by scipy.optimize and covariance by the inverse of minus a "
        "central-difference Hessian", tolerance=tolerance, seed=seed)
