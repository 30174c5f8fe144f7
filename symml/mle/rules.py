"""Where "set the derivative to zero" is wrong: parameters in the support's limits, and absolute deviations.

Two rules, found from the model's form, never from its name:

- **Support boundary** (Casella & Berger, Statistical Inference, Example 7.2.7). When a limit of the support
  depends on theta, the likelihood is zero unless every observation lies in the support: L(theta) <= x_(1) and
  x_(n) <= U(theta). If on that region the score has one sign, the log-likelihood is monotone in theta, and the
  maximum is where the constraint binds: an order statistic (Uniform -> min/max, shifted Exponential -> min).
- **Absolute deviations** (subgradient condition, Rockafellar, Convex Analysis, Thm 23.8). When theta enters the
  log-likelihood only as c * sum_i |g(x_i) - theta| with c < 0, the condition 0 in the subdifferential says at
  most half of the g(x_i) lie on either side of theta: theta_hat is their median (Laplace location).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.mle.naming import hat
from symml.mle.signs import sign_given
from symml.mle.statistics import StatisticTable
from symml.render.printer import latex

__all__ = ["Resolved", "support_boundary", "absolute_deviation"]


@dataclass(frozen=True)
class Resolved:
    """A parameter whose estimator a rule found, with the steps that show why and remarks for the reader."""

    parameter: sp.Symbol
    estimator: sp.Expr
    steps: tuple[Step, ...]
    remarks: tuple[str, ...] = ()


def _solve_one(equation: sp.Expr, unknown: sp.Symbol) -> sp.Expr | None:
    solutions = within(SOLVE_SECONDS, f"solve for {unknown} at the support boundary", sp.solve, equation, unknown)
    return solutions[0] if len(solutions) == 1 else None


def support_boundary(
    parameter: sp.Symbol,
    loglik: sp.Expr,
    support: sp.Interval,
    table: StatisticTable,
    loglik_symbol: sp.Expr,
    positive_facts: list[sp.Expr],
    show_support: bool = True,
) -> Resolved | None:
    """The estimator of ``parameter`` if it sits at a limit of the support, else None.

    Args:
        parameter: a parameter that appears in a limit of ``support``.
        loglik: the log-likelihood on the region where the sample lies in the support (through statistics).
        support: the support, an Interval whose limits depend on the parameters.
        table: the statistics of this derivation (the order statistics are registered there).
        loglik_symbol: how the log-likelihood is written in the steps, e.g. l(a, b).
        positive_facts: expressions known to be positive (the support's width, ...).
        show_support: whether to show the step that restricts the likelihood to the support (once suffices).
    """
    lower, upper = support.inf, support.sup
    score = sp.diff(loglik, parameter)
    facts = list(positive_facts)
    if lower.is_finite and upper.is_finite:
        facts.append(upper - lower)
    sign = sign_given(score, facts)
    if not sign:
        return None
    smallest, largest = table.order("min"), table.order("max")
    moves_lower = sign_given(sp.diff(lower, parameter), facts) if lower.is_finite else 0
    moves_upper = sign_given(sp.diff(upper, parameter), facts) if upper.is_finite else 0
    # Moving theta the way the likelihood grows, which constraint is reached first?
    if moves_lower == sign:
        limit, bound, binding = lower, smallest, sp.Le(lower, smallest)
    elif moves_upper == -sign:
        limit, bound, binding = upper, largest, sp.Le(largest, upper)
    else:
        return None
    estimator = _solve_one(limit - bound, parameter)
    if estimator is None:
        return None
    feasible = sp.And(*(c for c in (sp.Le(lower, smallest), sp.Le(largest, upper)) if c is not sp.true))
    direction = "increases" if sign > 0 else "decreases"
    limit_words = "smallest" if bound == smallest else "largest"
    support_step = (
        Step(
            "The support depends on the parameters",
            sp.Eq(loglik_symbol, sp.Piecewise((loglik, feasible), (-sp.oo, True))),
            "the likelihood is zero unless every observation lies in the support, that is, unless "
            f"${latex(feasible)}$",
        ),
    )
    steps = (support_step if show_support else ()) + (
        Step(
            f"The log-likelihood is monotone in ${latex(parameter)}$ there",
            (sp.Eq(sp.Derivative(loglik_symbol, parameter), score), (sp.Gt if sign > 0 else sp.Lt)(score, 0)),
            f"the score has one sign on the feasible region, so the log-likelihood {direction} with "
            f"${latex(parameter)}$ and setting it to zero has no solution",
        ),
        Step(
            "The maximum is on the boundary",
            sp.Eq(hat(parameter), estimator),
            f"${latex(parameter)}$ moves until the constraint ${latex(binding)}$ binds: the {limit_words} "
            "observation",
        ),
    )
    remark = (
        f"The estimator of ${latex(parameter)}$ is an order statistic, found from the support, not from a "
        "zero of the score; it is biased (the sample never reaches the true limit of the support)."
    )
    return Resolved(parameter, estimator, steps, (remark,))


def absolute_deviation(
    parameter: sp.Symbol,
    loglik: sp.Expr,
    entangled: sp.Expr,
    x: sp.Symbol,
    table: StatisticTable,
    loglik_symbol: sp.Expr,
    positive_facts: list[sp.Expr],
) -> Resolved | None:
    """The median estimator when ``parameter`` enters only through c |g(x) - parameter| terms with c < 0.

    Args:
        parameter: an estimated parameter.
        loglik: the log-likelihood (through statistics; the entangled terms as sums over i).
        entangled: the summand, in ``x``, of the terms where data and parameters do not factor.
    """
    terms = [t for t in sp.Add.make_args(entangled) if parameter in t.free_symbols]
    data_functions, weights = set(), []
    for term in terms:
        coefficient, absolute = term.as_independent(x, as_Add=False)
        if not isinstance(absolute, sp.Abs) or parameter in coefficient.free_symbols:
            return None
        inside = sp.expand(absolute.args[0])
        slope = inside.coeff(parameter)
        if slope == 0 or (slope.free_symbols & {x, parameter}) or parameter in (inside - slope * parameter).free_symbols:
            return None
        data_functions.add(sp.simplify(-(inside - slope * parameter) / slope))
        weights.append(coefficient * sp.Abs(slope))
    if len(data_functions) != 1 or any(sign_given(w, positive_facts) != -1 for w in weights):
        return None
    others = loglik.xreplace({s: 0 for s in loglik.atoms(sp.Sum) if parameter in s.free_symbols})
    if parameter in others.free_symbols:
        return None
    (data_function,) = data_functions
    weight = sp.Add(*weights)
    at_i = data_function.subs(x, table.indexed)
    subgradient = sp.Sum(-weight * sp.sign(at_i - parameter), (table.index, 1, table.sample_size))
    median = table.order("median", data_function)
    steps = (
        Step(
            f"The log-likelihood is a sum of absolute deviations in ${latex(parameter)}$",
            sp.Eq(loglik_symbol, loglik),
            f"${latex(parameter)}$ appears only inside $|\\cdot|$, multiplied by a negative constant: "
            "the log-likelihood is concave and piecewise linear in it, not differentiable at the data",
        ),
        Step(
            "Subgradient condition",
            (sp.Eq(sp.Derivative(loglik_symbol, parameter), subgradient), sp.Contains(0, sp.Interval(
                sp.Symbol("n_{>}") - sp.Symbol("n_{<}") - sp.Symbol("n_{=}"),
                sp.Symbol("n_{>}") - sp.Symbol("n_{<}") + sp.Symbol("n_{=}"),
            ))),
            "at a data point sign is replaced by the interval [-1, 1]; with n_<, n_= and n_> the counts of "
            f"observations below, at and above ${latex(parameter)}$, zero is a subgradient exactly when "
            "at most half of the observations lie on either side",
        ),
        Step(
            "The maximum is at the median",
            sp.Eq(hat(parameter), median),
            "a point with at most n/2 observations on each side is a median of the sample",
        ),
    )
    remark = (
        f"For even n every ${latex(parameter)}$ between the two middle observations maximises the likelihood; "
        "the estimator takes the midpoint (the usual sample median)."
    )
    return Resolved(parameter, median, steps, (remark,))
