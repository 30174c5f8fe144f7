"""Likelihood-ratio confidence intervals: the values of θ the likelihood-ratio test does not reject.

.. math:: \\{\\theta : D(\\theta) = 2(\\ell(\\hat\\theta, \\hat\\psi) - \\ell_p(\\theta)) \\le \\chi^2_{1, \\ell}\\}

with ℓ_p the profile log-likelihood (the other estimated parameters ψ maximised at each θ,
:mod:`symml.probability.profile_likelihood`) and χ²₁,ℓ the chi-square quantile at the level ℓ: by Wilks' theorem
D(θ) at the true θ is asymptotically χ²₁ (Pawitan, *In All Likelihood*, 5.3; Casella & Berger 10.4.1). Unlike
the score interval it works with nuisance parameters (the Normal mean with σ unknown, a Gamma shape with its rate
profiled out), and like it the interval stays in the parameter's domain and follows the likelihood's skew.
``numpy()`` finds the ends by root-finding outward from θ̂ (the domain's end where D stays below the quantile).

>>> import sympy as sp, sympy.stats as st, symml
>>> lam = sp.Symbol("lambda", positive=True)
>>> ci = symml.derive.confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="likelihood_ratio")
>>> lower, upper = ci.numpy()(x=[0, 0, 0, 0])  # no events: D(λ) = 2nλ, so the interval is [0, χ²₁/(2n)]
>>> round(lower, 6), round(upper, 4)
(0.0, 0.4802)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Derivation, Step
from symml.mle.numeric import sample_by_its_name
from symml.operations import numpy_function
from symml.probability.profile_likelihood import Profile, derive_profile, deviance_steps
from symml.probability.score_intervals import first_crossing, interval_ends

__all__ = ["derive_likelihood_ratio_interval", "LikelihoodRatioIntervalProblem"]


@dataclass(frozen=True)
class LikelihoodRatioIntervalProblem:
    """A likelihood-ratio interval: the profile of the parameter, its domain and the chi-square quantile."""

    title: str
    estimate: Derivation
    parameter: sp.Symbol
    profile: Profile
    domain: sp.Interval
    quantile: float
    level: float


def derive_likelihood_ratio_interval(estimate: Derivation, theta: sp.Symbol, level: float) -> Derivation:
    """The likelihood-ratio interval for ``theta``, one of the parameters ``estimate`` (an MLE derivation)
    estimates.

    Raises:
        UnsupportedOperationError: the support depends on a parameter.
    """
    from scipy.stats import chi2

    from symml.real_support import real_domain

    profile = derive_profile(estimate, (theta,))
    quantile = float(chi2.ppf(float(level), 1))
    steps = (*profile.steps, *deviance_steps(profile)[0],
             Step("Likelihood-ratio test inverted",
                  sp.LessThan(sp.Function("D")(theta), sp.Float(quantile, 6), evaluate=False),
                  f"$D({sp.latex(theta)})$ is asymptotically $\\chi^2_1$ at the true ${sp.latex(theta)}$ (Wilks): the "
                  f"interval holds the values the test at level {1 - float(level):g} does not reject; "
                  f"{quantile:.4f} is the $\\chi^2_1$ quantile at {float(level):g}"))
    record = LikelihoodRatioIntervalProblem(
        f"Likelihood-ratio {float(level):g} confidence interval for {theta} ({estimate.problem.title})", estimate,
        theta, profile, real_domain(profile.law.log_density, theta), quantile, float(level))
    shown = steps[-1].math
    return Derivation(record, steps, interval_ends(theta), (shown,), remarks=(
        "Asymptotic: the coverage tends to the level as n grows. The ends are found numerically at call time, by "
        "root-finding outward from the estimate; where the deviance stays below the quantile, the domain's end.",
        *profile.remarks))


@numpy_function.register(LikelihoodRatioIntervalProblem)
def _numpy(problem: LikelihoodRatioIntervalProblem, derivation: Any,
           **options: Any) -> Callable[..., tuple[float, float]]:
    low_end, high_end = float(problem.domain.inf), float(problem.domain.sup)
    estimator = problem.estimate.numpy()

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        deviance = problem.profile.deviance(x, **fixed)
        centre = float(estimator(x, **fixed)[problem.parameter.name])

        def statistic(at: float) -> float:  # below 0 inside the interval
            return deviance(at) - problem.quantile

        return first_crossing(statistic, centre, low_end), first_crossing(statistic, centre, high_end)

    return sample_by_its_name(interval, problem.estimate.problem)
