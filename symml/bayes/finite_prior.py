"""The posterior and the MAP of a parameter whose prior puts its mass on finitely many values θ_1, ..., θ_K.

Bayes' theorem over a finite set is a finite sum (DeGroot & Schervish 7.2): each value's prior probability is
reweighted by the likelihood of the sample, w_j = log π₀(θ_j) + ℓ(θ_j), and the weights normalised,

.. math:: \\pi(\\theta_j \\mid x) = \\frac{e^{w_j}}{\\sum_k e^{w_k}}, \\qquad
          \\hat\\theta_{MAP} = \\operatorname{argmax}_j w_j

both written through the sample's statistics (a Bernoulli sample through n x̄). A value the sample rules out (a
support that moves with θ: Uniform(0, θ) below x_(n)) has weight 0.

>>> import sympy as sp, sympy.stats as st
>>> from symml.bayes.kernel import posterior_kernel
>>> p = sp.Symbol("p", positive=True)
>>> prior = st.FiniteRV("P", {sp.Rational(1, 4): sp.Rational(1, 2), sp.Rational(3, 4): sp.Rational(1, 2)})
>>> d = finite_posterior(posterior_kernel(st.Bernoulli("X", p), prior, p))
>>> table = d.result.pspace.distribution.dict
>>> sp.simplify(table[sp.Rational(3, 4)].subs({s: 1 for s in table[sp.Rational(3, 4)].free_symbols}))
3/4
"""
from __future__ import annotations

import sympy as sp
import sympy.stats as st

from symml.bayes.kernel import PosteriorKernel
from symml.derivation import Derivation, Step
from symml.mle.statistics import statistic_symbols
from symml.optimize.core import hat
from symml.render.printer import latex

__all__ = ["is_finite_prior", "finite_posterior", "finite_map"]


def is_finite_prior(kernel: PosteriorKernel) -> bool:
    """Whether the prior of the one parameter puts its mass on finitely many values."""
    return len(kernel.parameters) == 1 and isinstance(kernel.prior.support, sp.FiniteSet)


def _weights(kernel: PosteriorKernel) -> tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...], Step]:
    """(the values θ_j, their log-weights w_j = log-kernel at θ_j, -oo where the sample rules θ_j out), and the step."""
    theta = kernel.parameter
    points = tuple(sorted(kernel.prior.support.args, key=sp.default_sort_key))
    weights = []
    for point in points:
        weight = sp.expand(sp.expand_log(kernel.log_kernel.subs(theta, point), force=True))
        weight = sp.collect(weight, sorted(weight.free_symbols, key=sp.default_sort_key), sp.factor_terms)
        allowed = kernel.support.contains(point)  # the likelihood's support may rule the value out (x_(n) > θ_j)
        weights.append(weight if allowed == sp.true else sp.Piecewise((weight, allowed), (-sp.oo, True)))
    step = Step("Weigh each value", tuple(sp.Eq(sp.Symbol(f"w_{j + 1}"), w, evaluate=False)
                                         for j, w in enumerate(weights)),
                f"the log-kernel at each of the prior's values ${latex(kernel.prior.support)}$: the log of its prior "
                "probability plus the log-likelihood of the sample there")
    return points, tuple(weights), step


def finite_posterior(kernel: PosteriorKernel) -> Derivation:
    """π(θ_j | x) = e^{w_j} / Σ_k e^{w_k} over the prior's values, as a sympy.stats FiniteRV."""
    from symml.bayes.posterior import PosteriorProblem

    theta = kernel.parameter
    points, weights, step = _weights(kernel)
    total = sp.Add(*(sp.exp(w) for w in weights))
    probabilities = {point: sp.exp(w) / total for point, w in zip(points, weights)}
    # unnormalised: numpy() sums the weights' exponentials once per sample (symml.bayes.discrete_normaliser), shifted
    # by the largest; the normalised Piecewise held every weight in every case (20 values: past numpy()'s budget)
    log_density = sp.Piecewise(*((w, sp.Eq(theta, point)) for point, w in zip(points, weights)), (-sp.oo, True))
    symbol, evidence = sp.Function("pi")(theta), sp.Symbol("Z")
    steps = (*kernel.steps, step, Step(
        "Normalise over the values", tuple(sp.Eq(sp.Function("pi")(point), sp.exp(w) / evidence, evaluate=False)
                                           for point, w in zip(points, weights))
        + (sp.Eq(evidence, sp.Add(*(sp.exp(sp.Symbol(f"w_{j + 1}")) for j in range(len(points)))), evaluate=False),),
        "Bayes' theorem over a finite set: the evidence Z is the finite sum of the weights' exponentials"))
    variable = st.FiniteRV(f"{theta.name}|x", probabilities)
    used = statistic_symbols(log_density)
    problem = PosteriorProblem(
        title=f"Posterior of ${latex(theta)}$ on {len(points)} values for {kernel.likelihood.name}",
        parameters=(theta,), observation=kernel.likelihood.data, log_density=log_density,
        support=kernel.prior.support, statistics=kernel.table.records(used), sample_size=kernel.table.sample_size,
        normalised=False, family=None, hyperparameters=(), distribution=None, kernel=kernel)
    return Derivation(problem=problem, steps=steps, result=variable,
                      summary=steps[-1].lines,
                      assumptions=(f"the observations are independent draws from {kernel.likelihood.name} given "
                                   f"${latex(theta)}$",
                                   f"${latex(theta)}$ takes the values ${latex(kernel.prior.support)}$"))


def finite_map(kernel: PosteriorKernel) -> Derivation:
    """The value of largest weight: θ_j where w_j ≥ w_k for every k (the first such value on ties)."""
    from symml.bayes.map import MAPProblem

    theta = kernel.parameter
    points, weights, step = _weights(kernel)
    estimate, shown = (sp.Piecewise(*((point, sp.And(*(w >= other for other in ws[:j]), *(w >= other for other in ws[j + 1:])))
                                      for j, (point, w) in enumerate(zip(points, ws))), (sp.nan, True))
                        for ws in (weights, sp.symbols(f"w_1:{len(points) + 1}")))
    steps = (*kernel.steps, step, Step(
        "The largest weight", (sp.Eq(hat(theta), shown, evaluate=False),),
        "the posterior is proportional to e^{w_j}, so its mode is the value of largest weight: a comparison of "
        "finitely many numbers, no derivative (the parameter does not vary continuously)"))
    used = statistic_symbols(kernel.log_kernel) | statistic_symbols(estimate)
    problem = MAPProblem(
        title=f"MAP estimate of ${latex(theta)}$ on {len(points)} values for {kernel.likelihood.name}",
        parameters=(theta,), observation=kernel.likelihood.data, estimates={theta: estimate},
        log_kernel=kernel.log_kernel, support=kernel.prior.support, statistics=kernel.table.records(used),
        sample_size=kernel.table.sample_size, kernel=kernel)
    return Derivation(problem=problem, steps=steps, result={theta: kernel.table.over_sample(estimate)},
                      summary=(sp.Eq(hat(theta), estimate),),
                      assumptions=(f"the observations are independent draws from {kernel.likelihood.name}",))
