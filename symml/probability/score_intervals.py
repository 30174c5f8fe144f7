"""Score (Rao) confidence intervals: the values of θ that the score test does not reject.

At the true θ the score of the sample U(θ) = Σᵢ ∂ log f(xᵢ; θ)/∂θ has mean 0 and variance n I(θ), so

.. math:: \\{\\theta : U(\\theta)^2 \\le z^2_{(1 + \\ell)/2} \\, n I(\\theta)\\}

has coverage tending to the level ℓ (Casella & Berger 10.4.2; for a Bernoulli it is Wilson's interval). Unlike the
Wald interval, which evaluates the variance at θ̂, it never leaves the parameter's domain and keeps its width when θ̂
lies on the domain's edge (no successes, no events: the Wald interval is then the single point θ̂).

Where the score of one observation is a sum a₁(θ) g₁(x) + … + a_k(θ) g_k(x), the sample's score is n times the same
sum with each g_j replaced by its sample mean, and the score equation U² = z² n I is solved for θ in closed form
(the solving is bounded; past its budget, or with no closed form, the ends are found numerically at call time and
the derivation says so). Either way ``numpy()`` returns the roots nearest θ̂ on each side, or the domain's end
where the score statistic stays below z² up to it.

>>> import sympy as sp, sympy.stats as st, symml
>>> lam = sp.Symbol("lambda", positive=True)
>>> ci = symml.derive.confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="score")
>>> lower, upper = ci.numpy()(x=[0, 0, 0, 0])  # no events: the interval is [0, z²/n], not the point 0
>>> round(lower, 6), round(upper, 4)
(0.0, 0.9604)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.likelihood import expand_log_density
from symml.mle.numeric import sample_by_its_name
from symml.mle.sample_data import as_sample
from symml.mle.statistics import StatisticSymbol, StatisticTable, interval_support
from symml.operations import numpy_function
from symml.probability.estimators import estimated_source
from symml.probability.fisher import derive_fisher_information
from symml.probability.law import Law, with_real_parameters
from symml.probability.numeric import compile_expression

__all__ = ["derive_score_interval", "ScoreIntervalProblem", "terms_in_means", "interval_ends", "first_crossing"]


@dataclass(frozen=True)
class ScoreIntervalProblem:
    """A score interval: the MLE derivation, the parameter, the score and Fisher information of one observation,
    the closed-form roots of the score equation in the sample means (empty: solved at call time) and θ's domain."""

    title: str
    estimate: Derivation
    parameter: sp.Symbol
    variable: sp.Symbol
    score: sp.Expr
    information: sp.Expr
    roots: tuple[sp.Expr, ...]
    means: tuple[StatisticSymbol, ...]
    domain: sp.Interval
    quantile: float
    quantile_symbol: sp.Symbol
    sample_size: sp.Symbol


def derive_score_interval(estimate: Derivation, law: Law, theta: sp.Symbol, level: float) -> Derivation:
    """The score interval for ``theta``, the one parameter ``estimate`` (an MLE derivation of ``law``) estimates.

    Raises:
        UnsupportedOperationError: several parameters are estimated (the score interval of one of them needs the
            profile score), or the support depends on ``theta``.
    """
    from scipy.stats import norm

    from symml.real_support import real_domain

    problem = estimate.problem
    if len(problem.wrt) != 1:
        raise UnsupportedOperationError("a score interval for one of several estimated parameters needs the profile "
                                        "score")
    if any(end.has(theta) for end in law.limits):
        raise UnsupportedOperationError(f"the support depends on {theta}: the score test does not apply")
    fisher = derive_fisher_information(estimated_source(problem), wrt=[theta])
    # a location typed as Symbol("theta") is complex to SymPy: d|x − θ|/dθ of a Laplace brought re(θ) and im(θ)
    law, typed = with_real_parameters(law)
    theta = next((real for real, user in typed.items() if user == theta), theta)
    information = fisher.result[0, 0].xreplace({user: real for real, user in typed.items()})
    x, n, z = law.variable, problem.sample_size, sp.Symbol("z", positive=True)
    score = sp.expand(sp.diff(expand_log_density(law.log_density), theta))
    domain = real_domain(law.log_density, theta)
    table = StatisticTable(x, sp.IndexedBase(x.name)[sp.Symbol("i", integer=True)], n, law.support)
    in_means = _in_sample_means(score, x, theta, table)
    steps = [Step("Score of one observation", sp.Eq(sp.Symbol("s"), score, evaluate=False),
                  f"$s(x; {sp.latex(theta)}) = \\partial \\log f / \\partial {sp.latex(theta)}$"),
             Step("Fisher information", sp.Eq(sp.Symbol("I"), information, evaluate=False),
                  "the variance of the score, derived")]
    roots: tuple[sp.Expr, ...] = ()
    remark = ""
    if in_means is None:
        remark = (f"The score is not a sum of functions of {theta} times functions of the observation: the score "
                  "equation is solved numerically at call time.")
        test = sp.Eq(sp.Symbol("U") ** 2, z ** 2 * n * information, evaluate=False)
    else:
        steps.append(Step("Score of the sample", sp.Eq(sp.Symbol("U"), n * in_means, evaluate=False),
                          "each function of the observation summed over the sample is n times its sample mean"))
        test = sp.Eq(n * in_means ** 2, z ** 2 * information, evaluate=False)
        try:
            roots = _solved(test.lhs - test.rhs, theta)
        except (BudgetExceededError, UnsupportedOperationError) as unsolved:
            remark = f"The score equation was not solved in closed form ({unsolved}): solved numerically at call time."
    steps.append(Step("Score test", test,
                      f"$U^2 / (n I)$ is asymptotically $\\chi^2_1$ at the true ${sp.latex(theta)}$: the interval holds "
                      "the values the test does not reject, z the standard normal quantile at "
                      f"{(1 + float(level)) / 2:g}"))
    means = tuple(sorted(set().union(*(r.atoms(StatisticSymbol) for r in roots)), key=sp.default_sort_key))
    quantile = float(norm.ppf((1 + float(level)) / 2))
    ordered = _ordered(roots, means, n, z, quantile, law.support)
    if ordered is not None:
        ends: tuple[sp.Expr, ...] = ordered
        shown = (sp.Eq(sp.Symbol("lower"), ordered[0], evaluate=False),
                 sp.Eq(sp.Symbol("upper"), ordered[1], evaluate=False))
        steps.append(Step("Solve for the ends", shown, f"the roots of the score equation on each side of "
                                                       f"$\\hat{{{sp.latex(theta)}}}$"))
    else:
        ends = interval_ends(theta) if not roots else roots
        shown = (test,) if not roots else tuple(sp.Eq(theta, r, evaluate=False) for r in roots)
        if roots:
            steps.append(Step("Solve for the ends", shown, "the ends are the roots nearest "
                                                           f"$\\hat{{{sp.latex(theta)}}}$ on each side"))
    record = ScoreIntervalProblem(f"Score {float(level):g} confidence interval for {theta} ({problem.title})",
                                  estimate, theta, x, score, information, roots, means, domain, quantile, z, n)
    remarks = ("Asymptotic: the coverage tends to the level as n grows. It inverts the score test, so unlike the Wald "
               "interval it stays in the parameter's domain and keeps its width when the estimate lies on the "
               "domain's edge.", *((remark,) if remark else ()), *fisher.remarks)
    return Derivation(record, tuple(steps), ends, shown, remarks=remarks)


def interval_ends(theta: sp.Symbol) -> tuple[sp.Symbol, sp.Symbol]:
    """The ends (θ_L, θ_U) of an interval found numerically at call time, as symbols: the result of its derivation,
    which a monotone map g carries to (g(θ_L), g(θ_U))."""
    return sp.Symbol(f"{theta.name}_L", **theta.assumptions0), sp.Symbol(f"{theta.name}_U", **theta.assumptions0)


def _in_sample_means(score: sp.Expr, x: sp.Symbol, theta: sp.Symbol, table: StatisticTable) -> sp.Expr | None:
    """The score of one observation with each function of x replaced by its sample mean (a₁(θ) mean(g₁) + …), or
    None when a term mixes x and θ (the Cauchy's (x − θ)/(1 + (x − θ)²))."""
    terms = terms_in_means(score, x, (theta,), table)
    return None if terms is None else sp.Add(*(coefficient * mean for coefficient, mean in terms))


def terms_in_means(expr: sp.Expr, x: sp.Symbol, parameters: tuple[sp.Symbol, ...],
                   table: StatisticTable) -> list[tuple[sp.Expr, sp.Expr]] | None:
    """``expr``, a function of one observation x, as a₁(θ) g₁(x) + … with each g_j replaced by its sample mean:
    [(a_j, mean(g_j))] (the mean 1 for a term free of x), or None when a term mixes x and the ``parameters``."""
    by_function: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(expr):
        coefficient, of_x = term.as_independent(x, as_Add=False)
        if of_x.has(*parameters) or coefficient.has(x):
            return None
        by_function[of_x] = by_function.get(of_x, sp.S.Zero) + coefficient
    return [(coefficient, sp.S.One if of_x == 1 else table.mean(of_x))
            for of_x, coefficient in sorted(by_function.items(), key=lambda item: sp.default_sort_key(item[0]))]


def _solved(equation: sp.Expr, theta: sp.Symbol) -> tuple[sp.Expr, ...]:
    numerator, denominator = sp.fraction(sp.together(equation))
    roots = within(SOLVE_SECONDS, "solve the score equation", sp.solve, numerator, theta)
    if not roots or any(root.has(theta) for root in roots):
        raise UnsupportedOperationError("no root free of the parameter")
    # clearing the denominators θ(1 − θ) adds their zeros as roots, which the score equation does not have
    kept = [root for root in roots if not within(SIMPLIFY_SECONDS, "the denominator at a root of the score equation",
                                                 sp.simplify, denominator.subs(theta, root)).is_zero]
    return tuple(within(SIMPLIFY_SECONDS, "simplify the ends of the score interval", sp.simplify, root)
                 for root in kept)


def _ordered(roots: tuple[sp.Expr, ...], means: tuple[StatisticSymbol, ...], n: sp.Symbol, z: sp.Symbol,
             quantile: float, support: sp.Set) -> tuple[sp.Expr, sp.Expr] | None:
    """Two roots as (lower, upper), ordered where they are real at a probe (n = 10, each mean at a point of the
    support): a display order only, as numpy() picks the ends around θ̂ from every root at call time."""
    if len(roots) != 2:
        return None
    point = _inner_point(support)
    probe = {n: 10, z: quantile, **{m: m.summand.xreplace({s: point for s in m.summand.free_symbols})
                                     for m in means}}
    try:
        values = [complex(sp.N(root.xreplace(probe))) for root in roots]
    except TypeError:  # a fixed parameter (a Binomial's N) left in the roots: shown as roots, not ordered
        return None
    if any(abs(v.imag) > 1e-12 * (1 + abs(v.real)) for v in values) or values[0].real == values[1].real:
        return None
    return (roots[0], roots[1]) if values[0].real < values[1].real else (roots[1], roots[0])


def _inner_point(support: sp.Set) -> sp.Expr:
    """A point inside the support (:func:`symml.probability.case_split.point_inside` of its ends known finite); on
    the whole line 1/2, not that function's 0."""
    from symml.probability.case_split import point_inside

    held = interval_support(support)
    low, high = (held[0].inf, held[0].sup) if held is not None else (-sp.oo, sp.oo)
    if not (low.is_finite or high.is_finite):
        return sp.Rational(1, 2)
    return point_inside(low if low.is_finite else -sp.oo, high if high.is_finite else sp.oo)


@numpy_function.register(ScoreIntervalProblem)
def _numpy(problem: ScoreIntervalProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    estimator = problem.estimate.numpy()
    theta, low_end, high_end = problem.parameter, float(problem.domain.inf), float(problem.domain.sup)
    mean_of = [(m, compile_expression(m.summand)) for m in problem.means]
    roots = [(compile_expression(r), {s.name for s in r.free_symbols}) for r in problem.roots]
    score, information = compile_expression(problem.score), compile_expression(problem.information)
    score_needs, information_needs = ({s.name for s in e.free_symbols} for e in (problem.score, problem.information))

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        sample = as_sample(x)
        centre = float(estimator(x, **fixed)[theta.name])
        values = {**{k: float(v) for k, v in fixed.items()}, problem.sample_size.name: float(sample.size),
                  problem.quantile_symbol.name: problem.quantile}
        if roots:
            values.update({m.name: float(np.mean(np.broadcast_to(f(**{problem.variable.name: sample}), sample.shape)))
                           for m, f in mean_of})
            found = [complex(f(**{k: v for k, v in values.items() if k in names})) for f, names in roots]
            # a root outside the domain (a Geometric's 1 − z²/n at x̄ = 1, n = 3) bounds nothing: the statistic
            # stays below z² up to the domain's end
            real = [v.real for v in found if np.isfinite(v.real) and abs(v.imag) <= 1e-9 * (1 + abs(v.real))
                    and low_end <= v.real <= high_end]
            # the statistic is 0 < z² at θ̂, so each end lies strictly beside it (or is the domain's end)
            return (max((v for v in real if v < centre), default=low_end),
                    min((v for v in real if v > centre), default=high_end))

        def statistic(at: float) -> float:  # U(θ)² − z² n I(θ): below 0 inside the interval
            given = {**values, theta.name: at, problem.variable.name: sample}
            total = float(np.sum(np.broadcast_to(score(**{k: given[k] for k in score_needs}), sample.shape)))
            return total ** 2 - problem.quantile ** 2 * sample.size * float(information(
                **{k: given[k] for k in information_needs}))

        return (first_crossing(statistic, centre, low_end), first_crossing(statistic, centre, high_end))

    return sample_by_its_name(interval, problem.estimate.problem)


def first_crossing(statistic: Callable[[float], float], centre: float, end: float) -> float:
    """The root of ``statistic`` nearest ``centre`` toward ``end``: points moving out from the centre (doubling
    steps, then halving what is left of the way to a finite end), Brent's method between the last point inside
    and the first outside; ``end`` when the statistic stays negative up to it."""
    from scipy.optimize import brentq

    sign = 1.0 if end > centre else -1.0
    step = 1e-6 * max(abs(centre), 1.0)
    fractions = [1e-6 * 2.0 ** k for k in range(19)] + [1 - 0.5 ** k for k in range(2, 60)]
    points = ((centre + (end - centre) * t for t in fractions) if np.isfinite(end) else
              (centre + sign * step * 2.0 ** k for k in range(1100)))
    inside = centre
    for point in points:
        with np.errstate(all="ignore"):
            value = statistic(point)
        if np.isfinite(value) and value >= 0:
            with np.errstate(all="ignore"):
                return float(brentq(statistic, inside, point)) if statistic(inside) < 0 else inside
        inside = point
    return end
