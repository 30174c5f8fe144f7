"""Maximum likelihood over an integer parameter by the ratio of successive likelihoods, where calculus does not
apply: the number of trials N of a Binomial(N, p), whose support {0, ..., N} moves with N.

The likelihood is defined only at integers N ≥ x₍ₙ₎ (it is 0 below, an observation would lie outside the support),
so there is no derivative in N to set to zero. Its discrete analogue is the ratio of successive likelihoods:

.. math:: \\frac{L(N)}{L(N - 1)} = \\prod_i r(x_i; N), \\qquad r(x; N) = \\frac{f(x; N)}{f(x; N - 1)}
          \\quad (\\text{Binomial: } r = \\frac{N (1 - p)}{N - x})

derived from the log-density and simplified. Where log r decreases in N (its derivative in N, relaxed to a real,
is shown ≤ 0 for N > x on the support), Δ(N) = Σᵢ log r(xᵢ; N) crosses 0 once: L increases while Δ ≥ 0 and
decreases after, so N̂ = max{N ≥ x₍ₙ₎ : Δ(N) ≥ 0} (Feldman & Fox 1968; DeGroot & Schervish, exercise 7.5.11).
Δ(N) = 0 has no closed form in general (a polynomial of degree n in N); ``numpy()`` finds the crossing over the
integers by doubling then bisection, each step one evaluation of Δ (:mod:`symml.mle.integer_estimates`).

>>> import sympy as sp, sympy.stats as st, symml
>>> N = sp.Symbol("N", positive=True, integer=True)
>>> estimate = symml.derive.mle(st.Binomial("X", N, sp.Rational(1, 2)), wrt=[N])
>>> estimate.numpy()(x=[3, 5, 4, 6, 2])
{'N': 8.0}
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.integer_parameters import IntegerMLEProblem
from symml.mle.problem import MLEProblem
from symml.mle.statistics import interval_support, support_assumptions
from symml.optimize.core import hat

__all__ = ["RatioMLEProblem", "ratio_mle"]

@dataclass(frozen=True)
class RatioMLEProblem(IntegerMLEProblem):
    """An integer MLE found where the ratio of successive likelihoods crosses 1.

    Attributes:
        log_ratio: log r(x; N) = log f(x; N) − log f(x; N − 1) of one observation x.
        smallest: the smallest N the sample allows, in ``largest`` (x₍ₙ₎): the support's upper end reaches x₍ₙ₎.
        largest: the symbol of the sample maximum in ``smallest``.
    """

    log_ratio: sp.Expr = sp.S.Zero
    smallest: sp.Expr = sp.S.Zero
    largest: sp.Symbol = sp.Symbol("x_(n)")


def ratio_mle(relaxed: Derivation, integer: sp.Symbol, parameter: sp.Symbol, lowest: float) -> Derivation:
    """The MLE of the integer ``parameter`` (``integer`` is the same parameter relaxed to a real in the
    ``relaxed`` derivation, which found no closed form) through the ratio of successive likelihoods.

    Raises:
        UnsupportedOperationError: the support does not move with the parameter, or log r is not shown monotone.
    """
    problem: MLEProblem = relaxed.problem
    x, N = problem.observation, integer
    bounds = interval_support(problem.support)
    if bounds is None or not bounds[0].sup.has(N):
        raise UnsupportedOperationError(f"the support {problem.support} does not move with {parameter}: no ratio of "
                                        "successive likelihoods is needed (the relaxed likelihood has no closed form)")
    largest = sp.Symbol("x_(n)", real=True)
    reach = within(SOLVE_SECONDS, f"solve the support's upper end for {parameter}", sp.solve,
                   sp.Eq(bounds[0].sup, largest), N)
    if len(reach) != 1:
        raise UnsupportedOperationError(f"the support's upper end {bounds[0].sup} is not inverted for {parameter}")
    ratio = _simplified(sp.exp(problem.log_density - problem.log_density.subs(N, N - 1)))
    log_ratio = sp.expand_log(sp.log(ratio))  # split only where the factors are known positive
    # log r decreasing in N over N > x: checked at N = (the smallest N with x on the support) + 1 + u, u ≥ 0
    u, on_support = sp.Symbol("u", nonnegative=True), sp.Symbol(x.name, **support_assumptions(problem.support))
    slope = _simplified(sp.diff(log_ratio, N).subs(N, reach[0].subs(largest, x) + 1 + u).subs(x, on_support))
    if not slope.is_nonpositive:
        raise UnsupportedOperationError(f"log f(x; {parameter})/f(x; {parameter} − 1) = {log_ratio} is not shown to "
                                        f"decrease in {parameter}: the crossing of the likelihood ratio may not be "
                                        "unique")
    record = RatioMLEProblem(**{f.name: getattr(problem, f.name) for f in fields(MLEProblem)},
                             integers=(N,), lowest=(lowest,), log_ratio=log_ratio, smallest=reach[0],
                             largest=largest)
    i = sp.Symbol("i", integer=True)
    sample = sp.IndexedBase("x")
    f, L = sp.Function("f"), sp.Function("L")
    delta = sp.Sum(log_ratio.subs(x, sample[i]), (i, 1, problem.sample_size))
    estimate = hat(parameter)
    characterised = (sp.Ge(estimate, reach[0], evaluate=False), sp.Ge(delta.subs(N, estimate), 0, evaluate=False),
                     sp.Lt(delta.subs(N, estimate + 1), 0, evaluate=False))
    crossing = sp.ConditionSet(N, sp.Ge(delta, 0), sp.Range(reach[0], sp.oo))
    kept = tuple(s for s in relaxed.steps if s.title in ("Model", "Likelihood", "Log-likelihood"))
    steps = (*kept,
             Step("Calculus does not apply", sp.Contains(N, sp.Range(reach[0], sp.oo), evaluate=False),
                  f"${sp.latex(parameter)}$ is an integer and the support ${sp.latex(problem.support)}$ moves with it: "
                  f"the likelihood is 0 unless ${sp.latex(parameter)} \\ge {sp.latex(reach[0])}$ "
                  f"($x_{{(n)}}$ the sample maximum), so there is no derivative to set to zero; successive "
                  "likelihoods are compared instead"),
             Step("Ratio of successive likelihoods", (
                 sp.Eq(f(x, N) / f(x, N - 1), ratio, evaluate=False),
                 sp.Eq(sp.log(L(N) / L(N - 1)), delta, evaluate=False)),
                  "the discrete derivative: $L(N) \\ge L(N - 1)$ exactly where the sum is $\\ge 0$"),
             Step("The ratio decreases", sp.Eq(sp.Derivative(log_ratio, N), sp.diff(log_ratio, N), evaluate=False),
                  f"$\\le 0$ for every $N > x$ on the support (checked at $N = {sp.latex(reach[0].subs(largest, x))}"
                  " + 1 + u$, $u \\ge 0$): the likelihood rises while the sum is $\\ge 0$ and falls after"),
             Step("Maximiser over the integers", characterised,
                  "the last integer from the sample maximum's bound where the likelihood still rises (where the sum "
                  "is 0 exactly, $\\hat N - 1$ has the same likelihood and maximises too); no closed form "
                  "(the sum's root solves a polynomial of degree n): numpy() finds it by doubling, then bisection"))
    return Derivation(
        problem=record, steps=steps, result={parameter: crossing}, summary=characterised,
        assumptions=relaxed.assumptions,
        remarks=(f"{parameter} is an integer and the support moves with it: the calculus does not apply; the MLE is "
                 "where the ratio of successive likelihoods crosses 1, found over the integers by numpy().",))


def _simplified(expr: sp.Expr) -> sp.Expr:
    try:
        return within(SIMPLIFY_SECONDS, "simplify the ratio of successive likelihoods",
                      lambda: sp.simplify(sp.gammasimp(sp.expand_func(expr))))
    except BudgetExceededError:
        raise UnsupportedOperationError("the ratio of successive likelihoods did not simplify within the "
                                        "budget") from None
