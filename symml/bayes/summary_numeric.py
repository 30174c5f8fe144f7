"""``numpy()`` of posterior summaries: ``summarise(x=data, a=2.0, b=3.0)`` -> ``{"mean": ..., "variance": ...,
"mode": ..., "lower": ..., "upper": ...}``.

Closed forms are evaluated; the others come from the posterior's normalised log-density (:mod:`symml.bayes.numeric`):
the moments by quadrature over the support (scipy.integrate.quad), the quantiles as roots of the cumulative
distribution (scipy.optimize.brentq on quad), the mode by bounded Brent; for a parameter on finitely many values or
on the integers, by sums over them.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp
from scipy import integrate, optimize
from scipy.special import logsumexp

from symml.bayes.discrete_normaliser import discrete_log_weights
from symml.bayes.numeric import is_discrete, log_density_given_data, named_values, sample_of, statistic_values, \
    taking_the_sample_first
from symml.bayes.summary import SummaryProblem
from symml.gaussian.overflow_safe import overflow_safe
from symml.mle.numeric import SampleFunction
from symml.operations import numpy_function

__all__ = ["summaries"]


def summaries(problem: SummaryProblem) -> Callable[..., dict[str, float]]:
    """The summaries as a NumPy function of the data and the other symbols, by name."""
    posterior = problem.posterior
    if is_discrete(posterior):
        return _summed(problem)
    theta, x = posterior.parameter, posterior.observation
    log_density = log_density_given_data(posterior)
    closed = {k: SampleFunction.of(overflow_safe(v)) for k, v in problem.closed.items() if v is not None}
    ends = (SampleFunction.of(posterior.support.inf), SampleFunction.of(posterior.support.sup))
    derived = {posterior.sample_size, theta} | {s.symbol for s in posterior.statistics}
    needed = ({a for f in (*closed.values(), *ends) for a in f.arguments}
              | {s for st in posterior.statistics for s in st.summand.free_symbols}) - derived - {x}
    level = float(problem.level)

    def summarise(**given: Any) -> dict[str, float]:
        values = statistic_values(posterior.statistics, x, posterior.sample_size, sample_of(given, x, posterior.kernel),
                                  named_values(needed, given, "the posterior summaries"))
        found = {k: float(f(values)) for k, f in closed.items()}
        low, high = float(ends[0](values)), float(ends[1](values))
        log_density_here = log_density(**given)
        density = lambda t: float(np.exp(log_density_here(**{theta.name: t})))  # noqa: E731 - a one-line integrand

        def moment(g: Callable[[float], float]) -> float:
            return sum(integrate.quad(lambda t: g(t) * density(t), a, b, limit=200, epsabs=1e-13, epsrel=1e-11)[0]
                       for a, b in _pieces(low, high, found.get("mean")))

        if "mean" not in found:
            found["mean"] = moment(lambda t: t)
        if "variance" not in found:
            found["variance"] = moment(lambda t: (t - found["mean"]) ** 2)
        if "mode" not in found:
            spread = np.sqrt(found["variance"])
            found["mode"] = float(optimize.minimize_scalar(
                lambda t: -log_density_here(**{theta.name: t}), method="bounded", options={"xatol": 1e-12},
                bounds=(max(low, found["mean"] - 20 * spread), min(high, found["mean"] + 20 * spread))).x)
        for name, probability in (("median", 0.5), ("lower", (1 - level) / 2), ("upper", (1 + level) / 2)):
            if name not in found:
                found[name] = _quantile(density, probability, low, high, found["mean"], np.sqrt(found["variance"]))
        return found

    return summarise


def _summed(problem: SummaryProblem) -> Callable[..., dict[str, float]]:
    """The summaries of a posterior on finitely many values or on the integers, by sums over them (the series cut
    where its terms are negligible, :mod:`symml.bayes.discrete_normaliser`): the mean Σ θ π(θ), the variance, the
    mode the value of largest probability, the quantiles the smallest values whose cumulative probability reaches
    theirs."""
    posterior, level = problem.posterior, float(problem.level)
    theta = posterior.parameter
    # unnormalised: the weights are normalised below, from the same sum (the normaliser summed it a second time)
    log_density = log_density_given_data(posterior, normalised=False)
    points = [float(p) for p in posterior.support.args] if isinstance(posterior.support, sp.FiniteSet) else None

    def summarise(**given: Any) -> dict[str, float]:
        at = log_density(**given)
        low = float(np.min(points)) if points else 0.0
        values, weights = discrete_log_weights(lambda t: at(**{theta.name: t}), points, low)
        order = np.argsort(values)
        values, probabilities = values[order], np.exp(weights[order] - logsumexp(weights))
        mean = float(probabilities @ values)
        cumulative = np.cumsum(probabilities)
        found = {"mean": mean, "variance": float(probabilities @ (values - mean) ** 2),
                 "mode": float(values[np.argmax(probabilities)])}
        for name, probability in (("median", 0.5), ("lower", (1 - level) / 2), ("upper", (1 + level) / 2)):
            reached = int(np.searchsorted(cumulative, probability * (1 - 1e-12)))
            found[name] = float(values[min(reached, len(values) - 1)])
        return found

    return summarise


def _pieces(low: float, high: float, middle: float | None) -> list[tuple[float, float]]:
    return [(low, middle), (middle, high)] if middle is not None and low < middle < high else [(low, high)]


def _quantile(density: Callable[[float], float], probability: float, low: float, high: float, mean: float,
              spread: float) -> float:
    """The point where the cumulative distribution reaches ``probability``: brentq on quad from the mean."""
    below_mean = integrate.quad(density, low, mean, limit=200, epsabs=1e-13, epsrel=1e-11)[0]

    def cdf_minus(t: float) -> float:
        return below_mean + integrate.quad(density, mean, t, limit=200, epsabs=1e-13, epsrel=1e-11)[0] - probability

    step = spread
    a, b = mean, mean
    while cdf_minus(a) > 0:
        a = max(low, a - step)
        step *= 2
    step = spread
    while cdf_minus(b) < 0:
        b = min(high, b + step)
        step *= 2
    return float(optimize.brentq(cdf_minus, a, b, xtol=1e-13, rtol=1e-13))


@numpy_function.register(SummaryProblem)
def _(problem: SummaryProblem, derivation: Any, **options: Any) -> Callable[..., dict[str, float]]:
    return taking_the_sample_first(summaries(problem), problem.posterior.observation)
