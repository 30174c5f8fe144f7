"""Where "set the derivative to zero" is wrong for a likelihood: absolute deviations of the data.

(Support limits that depend on a parameter are inequality constraints for the solving core:
:mod:`symml.optimize.active_set`.)

- **Absolute deviations** (subgradient condition, Rockafellar, Convex Analysis, Thm 23.8). When theta enters the
  log-likelihood only as c * sum_i |g(x_i) - theta| with c < 0, the condition 0 in the subdifferential says at
  most half of the g(x_i) lie on either side of theta: theta_hat is their median (Laplace location).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symml.derivation import Step
from symml.optimize.core import hat
from symml.optimize.signs import sign_given
from symml.mle.statistics import StatisticTable
from symml.render.printer import latex

__all__ = ["Resolved", "absolute_deviation"]


@dataclass(frozen=True)
class Resolved:
    """A parameter whose estimator a rule found, with the steps that show why and remarks for the reader."""

    parameter: sp.Symbol
    estimator: sp.Expr
    steps: tuple[Step, ...]
    remarks: tuple[str, ...] = ()


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
