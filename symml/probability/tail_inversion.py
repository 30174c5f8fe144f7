"""Exact intervals for a discrete one-parameter family by inverting the tail probabilities of the sufficient sum.

A discrete sum S = Σ g(xᵢ) has no pivot, but where its law (recognised from its MGF by
:func:`symml.probability.pivots.identify_law`: a Poisson for Poisson counts, a Binomial for Bernoulli or Binomial
trials) is stochastically increasing in θ, the interval with ends

.. math:: P_{\\theta_L}(S \\ge s) = \\alpha/2, \\qquad P_{\\theta_U}(S \\le s) = \\alpha/2

covers θ with probability at least the level ℓ = 1 − α for every θ (Casella & Berger 9.2.3; Clopper–Pearson for a
proportion, Garwood for a Poisson rate). The ends are found at call time by root-finding in θ on the derived law's
CDF; where s is the smallest value S takes the lower end is the domain's (s = 0: 0), and where s is the largest
(all trials successes) the upper end is.

>>> import sympy as sp, sympy.stats as st, symml
>>> p = sp.Symbol("p", positive=True)
>>> ci = symml.derive.confidence_interval(symml.derive.mle(st.Bernoulli("X", p)), p, method="exact")
>>> lower, upper = ci.numpy()(x=[1, 0, 0, 1, 1, 1, 0, 1])
>>> round(lower, 4), round(upper, 4)
(0.2449, 0.9148)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.numeric import sample_by_its_name
from symml.mle.sample_data import as_sample
from symml.operations import numpy_function
from symml.probability.expectation import expect
from symml.probability.law import Law
from symml.probability.numeric import compile_expression
from symml.probability.pivots import Identified
from symml.probability.score_intervals import first_crossing, interval_ends

__all__ = ["derive_tail_inversion_interval", "TailInversionProblem"]


@dataclass(frozen=True)
class TailInversionProblem:
    """An exact interval of a discrete family: the sum's summand, its law in θ and n, θ's domain and the level."""

    title: str
    estimate: Derivation
    parameter: sp.Symbol
    summand: sp.Expr
    observation: sp.Symbol
    sample_size: sp.Symbol
    law_of_sum: Identified
    domain: sp.Interval
    level: float


def derive_tail_inversion_interval(estimate: Derivation, law: Law, theta: sp.Symbol, level: float, g: sp.Expr,
                                   law_of_sum: Identified, steps: list[Step]) -> Derivation:
    """The exact interval for ``theta`` from the sum S = Σ g(xᵢ) whose discrete law ``law_of_sum`` was recognised
    in ``steps`` (by :func:`symml.probability.pivots.derive_exact_interval`).

    Raises:
        UnsupportedOperationError: the mean of S does not increase or decrease in θ on its domain.
    """
    from symml.real_support import real_domain

    problem = estimate.problem
    n = problem.sample_size
    mean = expect(law, g)
    try:
        slope = within(SIMPLIFY_SECONDS, "the slope of the sum's mean", sp.simplify, sp.diff(n * mean.value, theta)) \
            if mean.closed else sp.S.NaN
    except BudgetExceededError:
        slope = sp.S.NaN
    if not slope.is_positive:
        raise UnsupportedOperationError(f"whether the law of the sum increases in {theta} is undecided: no exact "
                                        "interval by inverting its tails")
    s, alpha = sp.Symbol("s", integer=True, nonnegative=True), sp.Symbol("alpha", positive=True)
    probability = sp.Function("P_" + theta.name)
    S = sp.Symbol("S")
    at_least, at_most = sp.GreaterThan(S, s, evaluate=False), sp.LessThan(S, s, evaluate=False)
    steps = [*steps,
             Step("Stochastically increasing", sp.Eq(sp.Derivative(sp.Function("E")(S), theta), slope, evaluate=False),
                  f"the law of S is a one-parameter exponential family whose mean increases in "
                  f"${sp.latex(theta)}$, so each tail $P(S \\ge s)$ increases in it"),
             Step("Invert the tails", (sp.Eq(probability(at_least), alpha / 2, evaluate=False),
                                       sp.Eq(probability(at_most), alpha / 2, evaluate=False)),
                  f"the lower end solves the first, the upper end the second, at the observed sum s; "
                  f"$\\alpha = {1 - float(level):g}$; solved numerically on the CDF of the law of S")]
    record = TailInversionProblem(f"Exact {float(level):g} confidence interval for {theta} ({problem.title})",
                                  estimate, theta, g, law.variable, n, law_of_sum, real_domain(law.log_density, theta),
                                  float(level))
    shown = steps[-1].math
    return Derivation(record, tuple(steps), interval_ends(theta), shown, remarks=(
        "Exact: the coverage is at least the level for every parameter value (the sum is discrete, so it is "
        "conservative: above the level between the jumps). The score interval (the default) has coverage nearer "
        "the level on average.",))


@numpy_function.register(TailInversionProblem)
def _numpy(problem: TailInversionProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    summand = compile_expression(problem.summand)
    theta = problem.parameter
    low_end, high_end = float(problem.domain.inf), float(problem.domain.sup)
    tail = (1 - problem.level) / 2
    estimator = problem.estimate.numpy()

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        sample = as_sample(x)
        centre = float(estimator(x, **fixed)[theta.name])
        s = float(np.round(np.sum(np.broadcast_to(summand(**{problem.observation.name: sample}), sample.shape))))
        values = {**{k: float(v) for k, v in fixed.items()}, problem.sample_size.name: float(sample.size)}

        def law(at: float) -> Any:
            return problem.law_of_sum.scipy_law({**values, theta.name: at})

        def at_least(at: float) -> float:  # P(S ≥ s) at θ
            distribution, arguments = law(at)
            return float(distribution.sf(s - 1, *arguments))

        def at_most(at: float) -> float:  # P(S ≤ s) at θ
            distribution, arguments = law(at)
            return float(distribution.cdf(s, *arguments))

        distribution, arguments = law(centre)
        largest = float(distribution.support(*arguments)[1])
        lower = low_end if s <= 0 else first_crossing(lambda at: tail - at_least(at), centre, low_end)
        upper = high_end if s >= largest else first_crossing(lambda at: tail - at_most(at), centre, high_end)
        return lower, upper

    return sample_by_its_name(interval, problem.estimate.problem)
