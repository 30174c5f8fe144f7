"""Confidence intervals for an MLE derivation: exact from a pivot where one is found
(:mod:`symml.probability.pivots`: the normal mean with known or unknown variance, the normal variance with
known or unknown mean, the exponential rate), else the score interval where one parameter is estimated
(:mod:`symml.probability.score_intervals`: it inverts the score test, Wilson's interval for a Bernoulli), else
the Wald interval from the Fisher information, said in the remarks. On request: ``method="likelihood_ratio"``
inverts the profile deviance (:mod:`symml.probability.likelihood_ratio_intervals`, nuisance parameters allowed),
and ``method="exact"`` for a Poisson rate or a Bernoulli or Binomial proportion inverts the tails of the sufficient
sum (:mod:`symml.probability.tail_inversion`: Garwood, Clopper–Pearson). The Wald interval is

.. math:: \\hat\\theta_i \\pm z_{(1 + \\ell)/2} \\sqrt{[I(\\hat\\theta)^{-1}]_{ii} / n}

with I the Fisher information of one observation (:mod:`symml.probability.fisher`, derived) evaluated at the
estimates, and z the standard normal quantile at the level ℓ (Casella & Berger, 10.4.1). The interval is
asymptotic: its coverage tends to ℓ as n grows. ``numpy()`` takes the sample (and any fixed parameters) and
returns (lower, upper); the estimates come from the MLE derivation's own ``numpy()``, so parameters without a
closed form work too.

>>> import sympy as sp, sympy.stats as st, symml
>>> lam = sp.Symbol("lambda", positive=True)
>>> ci = derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="wald")
>>> lower, upper = ci.numpy()(x=[2, 3, 1, 4, 2, 3, 2, 5, 3, 2])
>>> round(lower, 3), round(upper, 3)
(1.682, 3.718)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Literal

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification
from symml.errors import ModelError, ParameterError, UnsupportedOperationError
from symml.mle.numeric import sample_by_its_name
from symml.operations import numpy_function, verify
from symml.probability.estimators import estimated_source
from symml.probability.fisher import derive_fisher_information, expression_in_parameters, parameters_named
from symml.probability.law import as_law
from symml.probability.likelihood_ratio_intervals import LikelihoodRatioIntervalProblem, \
    derive_likelihood_ratio_interval
from symml.probability.mapped_intervals import derive_mapped_interval
from symml.probability.numeric import compile_expression
from symml.probability.order_statistics import derive_order_statistic_interval, extreme_statistic
from symml.probability.pivots import derive_exact_interval
from symml.probability.score_intervals import ScoreIntervalProblem, derive_score_interval

__all__ = ["derive_confidence_interval", "WaldIntervalProblem"]


@dataclass(frozen=True)
class WaldIntervalProblem:
    """A Wald interval: the MLE derivation, the parameter, the squared standard error in the parameters and n."""

    title: str
    estimate: Derivation
    parameter: sp.Symbol
    squared_error: sp.Expr
    quantile: float
    sample_size: sp.Symbol


def derive_confidence_interval(estimate: Derivation, parameter: Any = None, level: float = 0.95,
                               method: Literal["exact", "score", "likelihood_ratio", "wald"] | None = None) -> Derivation:
    """A confidence interval for ``parameter`` at confidence ``level``: exact from a pivot
    (:mod:`symml.probability.pivots`), the score interval (:mod:`symml.probability.score_intervals`) or the Wald
    interval from the Fisher information.

    Args:
        estimate: a ``symml.derive.mle`` derivation of a sympy.stats random variable or of a Model whose
            density integrates to 1.
        parameter: one of its estimated parameters (Symbol or name), or a function of one that is monotone on its
            domain (sigma**2: the interval for sigma mapped through it); by default the one parameter estimated.
        level: the confidence level, in (0, 1).
        method: ``"exact"`` (a pivot, the tails of a discrete sum, or UnsupportedOperationError), ``"score"`` (one estimated parameter),
            ``"likelihood_ratio"`` (the deviance of the profile log-likelihood below the χ²₁ quantile), ``"wald"``, or None: exact where a pivot is found, else the score interval where one parameter is
            estimated, else Wald, said in the remarks.

    Returns:
        A Derivation whose ``result`` is the pair (lower, upper) in the estimators; ``numpy()(x=sample, **fixed)``
        returns the pair as floats.
    """
    problem = getattr(estimate, "problem", None)
    if problem is None or not hasattr(problem, "estimators") or not hasattr(problem, "random_variable"):
        raise ModelError("a confidence interval needs a symml.derive.mle derivation of one sample's model")
    if not 0.0 < float(level) < 1.0:
        raise ParameterError(f"the confidence level must lie in (0, 1), not {level}")
    if method not in (None, "exact", "score", "likelihood_ratio", "wald"):
        raise ParameterError(f"method must be 'exact', 'score', 'likelihood_ratio', 'wald' or None (exact where a "
                             f"pivot exists), not {method!r}")
    if parameter is None:  # the one parameter estimated, if there is one
        if len(problem.wrt) != 1:
            raise ParameterError(f"a confidence interval for which parameter? Pass parameter=, one of "
                                 f"{', '.join(map(str, problem.wrt))}")
        (parameter,) = problem.wrt
    law = as_law(estimated_source(problem))
    if not isinstance(parameter, (str, sp.Symbol)) or isinstance(parameter, str) and \
            parameter not in {p.name for p in law.parameters}:  # a function of a parameter: sigma**2
        target = expression_in_parameters(parameter, law.parameters, "the quantity of the interval")
        return derive_mapped_interval(estimate, target,
                                      lambda theta: derive_confidence_interval(estimate, theta, level, method))
    (theta,) = parameters_named(law, [parameter])
    if theta not in problem.wrt:
        raise ParameterError(f"{theta} is not estimated in this derivation; it estimates {', '.join(map(str, problem.wrt))}")
    if method == "likelihood_ratio":
        return derive_likelihood_ratio_interval(estimate, theta, level)
    reasons = []
    if method in (None, "exact"):
        try:
            if extreme_statistic(problem, problem.estimators.get(theta, sp.S.Zero)) is not None:
                return derive_order_statistic_interval(estimate, law, theta, level)
            # a discrete sum's exact interval is conservative (coverage above the level between the jumps): the
            # score interval, nearer the level on average, stays the default there
            if method == "exact" or not law.discrete:
                return derive_exact_interval(estimate, theta, level)
            reasons.append("For a discrete sample the exact interval (method='exact', where the law of the sum is "
                           "recognised) is conservative: its coverage lies above the level between the jumps.")
        except UnsupportedOperationError as no_pivot:
            if method == "exact":
                raise
            reasons.append(f"No exact interval ({no_pivot}).")
    if method in (None, "score"):
        try:
            found = derive_score_interval(estimate, law, theta, level)
        except UnsupportedOperationError as no_score:
            if method == "score":
                raise
            reasons.append(f"No score interval ({no_score}).")
        else:
            return replace(found, remarks=(" ".join(reasons + ["The score interval instead."]), *found.remarks)) \
                if reasons else found
    wald = _wald(estimate, problem, law, theta, level)
    return replace(wald, remarks=(" ".join(reasons + ["The Wald interval instead."]), *wald.remarks)) \
        if reasons else wald


def _wald(estimate: Derivation, problem: Any, law: Any, theta: sp.Symbol, level: float) -> Derivation:
    from scipy.stats import norm

    if any(end.has(theta) for end in law.limits):
        raise UnsupportedOperationError(
            f"the support depends on {theta}: its MLE is not asymptotically normal, so a Wald interval has no stated "
            "coverage (an exact interval comes from the pivot of a sample maximum or minimum, method='exact')")
    fisher = derive_fisher_information(estimated_source(problem), wrt=list(problem.wrt))
    information = fisher.result
    n = problem.sample_size
    i = list(problem.wrt).index(theta)
    squared_error = sp.simplify(information.inv()[i, i] / n)
    z = sp.Symbol("z")
    estimates = dict(problem.estimators)
    theta_hat = estimates.get(theta, sp.Symbol(f"{theta.name}_hat"))
    plug_in = squared_error.xreplace(estimates)
    lower, upper = theta_hat - z * sp.sqrt(plug_in), theta_hat + z * sp.sqrt(plug_in)
    quantile = float(norm.ppf((1 + float(level)) / 2))
    steps = (
        Step("Fisher information", sp.Eq(sp.Symbol("I"), information, evaluate=False),
             "the variance of the score, derived"),
        Step("Asymptotic variance of the estimator", sp.Eq(sp.Function("Var")(sp.Symbol(f"{theta.name}_hat")),
                                                           squared_error, evaluate=False),
             "$\\sqrt{n}(\\hat\\theta - \\theta) \\to \\mathcal{N}(0, I(\\theta)^{-1})$"),
        Step("Wald interval", (sp.Eq(sp.Symbol("lower"), lower, evaluate=False),
                               sp.Eq(sp.Symbol("upper"), upper, evaluate=False)),
             f"the variance evaluated at the estimates; z = {quantile:.4f} is the standard normal quantile at "
             f"{(1 + float(level)) / 2:g}"),
    )
    record = WaldIntervalProblem(f"Wald {float(level):g} confidence interval for {theta} ({problem.title})",
                                 estimate, theta, squared_error, quantile, n)
    return Derivation(record, steps, (lower, upper), (sp.Eq(sp.Symbol("lower"), lower, evaluate=False),
                                                      sp.Eq(sp.Symbol("upper"), upper, evaluate=False)),
                      remarks=("Asymptotic: the coverage tends to the level as n grows.", *fisher.remarks))


@numpy_function.register(WaldIntervalProblem)
def _numpy(problem: WaldIntervalProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    estimator = problem.estimate.numpy()
    error = compile_expression(problem.squared_error)
    needed = {s.name for s in problem.squared_error.free_symbols}

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        estimates = estimator(x, **fixed)
        values = {**{k: float(v) for k, v in fixed.items()}, **estimates, problem.sample_size.name: float(np.size(x))}
        width = problem.quantile * float(np.sqrt(error(**{k: v for k, v in values.items() if k in needed})))
        centre = estimates[problem.parameter.name]
        return centre - width, centre + width

    return sample_by_its_name(interval, problem.estimate.problem)


@verify.register(ScoreIntervalProblem)
@verify.register(WaldIntervalProblem)
@verify.register(LikelihoodRatioIntervalProblem)
def _verify(problem: WaldIntervalProblem | ScoreIntervalProblem | LikelihoodRatioIntervalProblem, derivation: Any, values: dict[str, float] | None = None, seed: int = 0,
            size: int = 400, replications: int = 1000, **options: Any) -> Verification:
    """The coverage over simulated samples of ``size`` against the level. The interval is asymptotic, so the band
    is 4 binomial standard errors of the simulation plus 5/size for the O(1/n) coverage error at that n."""
    from scipy.stats import norm

    from symml.mle.verification import draw_sample

    estimated = problem.estimate.problem
    chosen = values or {p.name: (1.3 if p.is_positive else 0.4) for p in estimated.parameters}
    drawn, _ = draw_sample(estimated, {p: chosen[p.name] for p in estimated.parameters}, replications * size, seed)
    samples = drawn.reshape(replications, size)
    interval = derivation.numpy()
    fixed = {p.name: chosen[p.name] for p in estimated.fixed}
    truth = chosen[problem.parameter.name]
    hits = float(np.mean([low <= truth <= high for low, high in (interval(x, **fixed) for x in samples)]))
    level = problem.level if isinstance(problem, LikelihoodRatioIntervalProblem) else \
        float(2 * norm.cdf(problem.quantile) - 1)
    band = 4 * np.sqrt(level * (1 - level) / replications) + 5 / size
    return Verification.from_comparisons(
        [Comparison("coverage", level, hits, abs(hits - level) / band)],
        method=f"coverage of {replications} simulated samples of size {size}, in units of 4 binomial standard "
               f"errors plus 5/{size} (the interval is asymptotic)", tolerance=1.0, seed=seed,
        details=(("parameters", ", ".join(f"{k}={v:g}" for k, v in chosen.items())),))
