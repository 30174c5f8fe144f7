"""Moments of a random variable, derived twice: directly as E[X^k], and from the moment generating function.

.. math:: M(t) = E[e^{tX}], \\qquad E[X^k] = M^{(k)}(0), \\qquad
          \\mu_k = E[(X - m)^k] = \\sum_{j=0}^{k} \\binom{k}{j} E[X^j] (-m)^{k-j}

The MGF exists only if E[e^{tX}] is finite on a neighbourhood of 0. Its existence is decided from the tail:
when t x + log f(x) → ∞ as x → ∞ for every t > 0 (the LogNormal, the Cauchy) the integral diverges, so there is
no MGF, and the derivation says why; the moments then come from the direct route alone.

>>> import sympy as sp, sympy.stats as st
>>> lam = sp.Symbol("lambda", positive=True)
>>> d = derive_moments(st.Poisson("X", lam), upto=2)
>>> d.result["variance"]
lambda
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.budget import DERIVATION_SECONDS, SIMPLIFY_SECONDS, SharedBudget, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, ParameterError
from symml.probability.expectation import Expect, defining_integral, expect, is_closed, simplified, support_bounds, checked_variables
from symml.probability.integration import LIMIT_FAILURES
from symml.probability.law import Law, as_law
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["derive_moments"]

_MGF_SECONDS = 4.0
#: CPU seconds for all the raw moments of one call together.
MOMENTS_SECONDS = 60.0


def _no_mgf_reason(law: Law, t: sp.Symbol) -> str | None:
    """Why E[e^{tX}] is infinite for every t ≠ 0 on one side, from the log-integrand's limit in the tails."""
    if law.discrete:
        return None
    lower, upper = law.limits
    tails = [(upper, t, "t > 0")] if upper == sp.oo else []
    tails += [(lower, -t, "t < 0")] if lower == -sp.oo else []
    for end, rate, side in tails:
        try:
            growth = within(SIMPLIFY_SECONDS, "the tail of the MGF integrand", sp.limit,
                            rate * law.variable + law.log_density, law.variable, end)
        except LIMIT_FAILURES:  # SymPy's limit of a Piecewise tail: TypeError (skew Laplace)
            continue
        if growth == sp.oo:
            return (f"$t x + \\log f(x) \\to \\infty$ as $x \\to {latex(end)}$ for every ${side}$, so "
                    "$\\mathbb{E}[e^{tX}]$ diverges on every neighbourhood of 0: the moment generating function "
                    "does not exist")
    return None


def derive_moments(source: Any, upto: int = 4) -> Derivation:
    """Raw and central moments up to ``upto``, mean, variance, skewness and excess kurtosis, by two routes.

    Args:
        source: a univariate sympy.stats random variable, a :class:`symml.Model` or a family name; or an
            expression in independent sympy.stats variables (X + Y, or w·X of one), whose law is recognised from
            its MGF where it can be (:mod:`symml.probability.combination_moments`).
        upto: the highest moment, at least 2.

    Returns:
        A Derivation whose ``result`` is a dict with ``"mean"``, ``"variance"``, ``"skewness"`` (upto >= 3),
        ``"excess_kurtosis"`` (upto >= 4), ``"raw_moment_k"`` for 1 <= k <= upto and ``"central_moment_k"``
        for 2 <= k <= upto; ``numpy()`` returns the same keys as numbers.
    """
    if not isinstance(upto, int) or upto < 2:
        raise ParameterError(f"upto must be an integer of at least 2, not {upto!r}")
    from symml.probability.combination_moments import derive_combination_moments, is_combination

    if is_combination(source):

        return derive_combination_moments(source, upto)
    law = as_law(source)
    x = law.variable
    steps: list[Step] = []
    remarks: list[str] = []
    direct: dict[int, Any] = {}

    def raw_moments() -> dict[int, sp.Expr]:
        direct.update({k: expect(law, x**k, use_mgf=False) for k in range(1, upto + 1)})
        return {k: moment.value for k, moment in direct.items()}

    # the symbolic steps of both routes share one budget (past it each falls back, said so); how many moments
    # there are is the caller's, so their loop also has a hard budget, outside the share (not cut short by it)
    share = SharedBudget(DERIVATION_SECONDS)
    raw = within(MOMENTS_SECONDS, f"the raw moments up to order {upto}", share.run, raw_moments)
    steps.append(Step("Raw moments directly", tuple(sp.Eq(Expect(x**k), raw[k], evaluate=False) for k in raw),
                      "$\\mathbb{E}[X^k]$ by the expectation operator, without the MGF"))
    t = sp.Symbol("t", positive=True)
    reason = share.run(_no_mgf_reason, law, t)
    if reason is not None:
        remarks.append(reason + "; the moments come from the direct route only.")
        steps.append(Step("No moment generating function", sp.Eq(sp.Function("M")(t), sp.oo, evaluate=False), reason))
    else:
        steps.extend(share.run(_via_mgf, law, raw, remarks))
    # the direct route's remarks (a sum left to numerics) for the moments it still gives
    remarks[:0] = [remark for k, moment in direct.items() if raw[k] is moment.value for remark in moment.remarks]
    m = raw[1]
    central, results = share.run(central_moments, raw, upto)
    steps.append(Step("Central moments by the binomial theorem",
                      tuple(sp.Eq(Expect((x - sp.Symbol("m"))**k), v, evaluate=False) for k, v in central.items()),
                      "$\\mathbb{E}[(X - m)^k] = \\sum_j \\binom{k}{j} \\mathbb{E}[X^j] (-m)^{k-j}$ with $m = \\mathbb{E}[X]$"))
    reference_mean = defining_integral(law, x)
    reference = {f"raw_moment_{k}": defining_integral(law, x**k) for k in raw}
    reference.update({f"central_moment_{k}": defining_integral(law, (x - m)**k) for k in central})
    reference["mean"] = reference_mean
    problem = ProbabilityProblem(f"Moments of {law.name}", results, with_standardised(reference, upto), "dict",
                                 law.parameters, support_bounds(law), checked_variables(law))
    return Derivation(problem, tuple(steps), results, moment_summary(results), remarks=tuple(dict.fromkeys(remarks)))


def with_standardised(reference: dict[str, sp.Expr], upto: int) -> dict[str, sp.Expr]:
    """The references of the variance, skewness and excess kurtosis from those of the central moments."""
    reference["variance"] = reference["central_moment_2"]
    if upto >= 3:
        reference["skewness"] = reference["central_moment_3"] / reference["central_moment_2"]**sp.Rational(3, 2)
    if upto >= 4:
        reference["excess_kurtosis"] = reference["central_moment_4"] / reference["central_moment_2"]**2 - 3
    return reference


def moment_summary(results: dict[str, sp.Expr]) -> tuple[sp.Eq, ...]:
    """The summary lines: mean, variance, skewness, excess kurtosis (those derived)."""
    return tuple(sp.Eq(sp.Symbol(name.replace("_", " ")), results[name], evaluate=False)
                 for name in ("mean", "variance", "skewness", "excess_kurtosis") if name in results)


def central_moments(raw: dict[int, sp.Expr], upto: int) -> tuple[dict[int, sp.Expr], dict[str, sp.Expr]]:
    """The central moments from the raw ones, and the results: mean, variance, skewness, excess kurtosis, moments."""
    m = raw[1]
    central = {k: simplified(sp.Add(*(sp.binomial(k, j) * (raw[j] if j else 1) * (-m)**(k - j) for j in range(k + 1))))
               for k in range(2, upto + 1)}
    results = {"mean": m, "variance": central[2]}
    if upto >= 3:
        results["skewness"] = simplified(central[3] / central[2]**sp.Rational(3, 2))
    if upto >= 4:
        results["excess_kurtosis"] = simplified(central[4] / central[2]**2 - 3)
    results.update({f"raw_moment_{k}": v for k, v in raw.items()})
    results.update({f"central_moment_{k}": v for k, v in central.items()})
    return central, results


def _via_mgf(law: Law, raw: dict[int, sp.Expr], remarks: list[str]) -> list[Step]:
    """M(t) by the expectation operator, its derivatives at 0, and the check that both routes agree; a raw moment
    the direct route left unevaluated is replaced, in ``raw``, by the MGF's."""
    x = law.variable
    t = sp.Symbol("t", real=True)
    generating = expect(law, sp.exp(t * x), seconds=_MGF_SECONDS, use_mgf=False)
    if not generating.closed:
        remarks.append("The moment generating function has no closed form within its budget; the moments come "
                       "from the direct route only.")
        return []
    remarks.extend(generating.remarks)
    M = generating.value
    steps = [Step("Moment generating function", sp.Eq(sp.Function("M")(t), M, evaluate=False),
                  "$M(t) = \\mathbb{E}[e^{tX}]$"), *generating.steps]
    lines, agree, taylor = [], [], None
    for k in raw:
        at_zero = sp.diff(M, t, k).subs(t, 0)
        if at_zero.has(sp.nan, sp.zoo) or not is_closed(at_zero):
            # 0/0 at t = 0 (the Uniform's (e^{tb} − e^{ta})/(t(b − a))): M^{(k)}(0) is k! times the t^k coefficient
            # of one Taylor series, 5x faster than a limit of each derivative (3.6 s each for the Uniform)
            if taylor is None:
                try:
                    taylor = within(SIMPLIFY_SECONDS, "the Taylor series of M at t = 0",
                                    lambda: sp.series(M, t, 0, max(raw) + 1).removeO())
                except BudgetExceededError:  # the fatigue-life law's M: the direct route's moments stand alone
                    remarks.append("$M^{(k)}(t)$ is $0/0$ at $t = 0$ and the Taylor series of $M$ at 0 did not finish "
                                   "within its budget; the moments come from the direct route only.")
                    return steps
                remarks.append("$M^{(k)}(t)$ is $0/0$ at $t = 0$: $M^{(k)}(0)$ is read off the Taylor series of $M$ at "
                               "0 ($k!$ times the coefficient of $t^k$).")
            at_zero = sp.factorial(k) * sp.expand(taylor).coeff(t, k)
        at_zero = simplified(at_zero)
        lines.append(sp.Eq(sp.Subs(sp.Derivative(sp.Function("M")(t), (t, k)), t, 0), at_zero, evaluate=False))
        if not is_closed(raw[k]) and is_closed(at_zero):  # the direct sum stayed a Sum (the Negative Binomial's
            # E[X²]): the MGF's derivative is the moment
            remarks.append(f"$\\mathbb{{E}}[X^{k}]$ has no closed form by the direct route within its budget: it is "
                           f"$M^{{({k})}}(0)$.")
            raw[k] = at_zero
            continue
        difference = simplified(at_zero - raw[k]) if is_closed(raw[k]) else None
        agree.append(difference == 0)
    steps.append(Step("Raw moments from the MGF", tuple(lines), "$\\mathbb{E}[X^k] = M^{(k)}(0)$"))
    if all(agree):
        steps.append(Step("The two routes agree", tuple(sp.Eq(Expect(x**k), raw[k], evaluate=False) for k in raw),
                          "$M^{(k)}(0) - \\mathbb{E}[X^k]$ simplifies to 0 for every $k$"))
    else:
        remarks.append("The MGF route and the direct route could not be shown equal symbolically for every moment "
                       "(k = " + ", ".join(str(k) for k, ok in zip(raw, agree) if not ok) + "); verify() compares "
                       "them with the defining integrals numerically.")
    return steps
