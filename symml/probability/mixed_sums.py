"""The density of S = X + h(N) for independent X continuous and N discrete, by the law of total probability.

Given N = k, S is X shifted by h(k), so

.. math:: f_S(s) = \\sum_k P(N = k) \\, f_X(s - h(k))

a series over the support of N (Normal + Poisson: a Poisson mixture of Normals). The sum is tried in closed form
under a budget; where SymPy finds none the density is the series itself, which ``compile_expression`` evaluates
by partial sums.

>>> import sympy as sp, sympy.stats as st
>>> lam = sp.Symbol("lambda", positive=True)
>>> found = mixed_sum_density(st.Normal("X", 0, 1) + st.Poisson("N", lam))
>>> found.closed, found.density.func
(False, <class 'sympy.concrete.summations.Sum'>)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.budget import INTEGRATE_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError
from symml.probability.independent import independent_variables
from symml.probability.law import as_law
from symml.render.printer import latex

__all__ = ["MixedSumDensity", "mixed_sum_density"]


@dataclass(frozen=True)
class MixedSumDensity:
    """The density of S in ``variable`` s: a closed form, or the series over the discrete variable."""

    variable: sp.Symbol
    density: sp.Expr
    closed: bool
    steps: tuple[Step, ...]


def mixed_sum_density(s: sp.Expr) -> MixedSumDensity | None:
    """f_S of ``s`` = X + h(N) (X continuous, N discrete, independent; X enters with coefficient 1), else None."""
    variables = independent_variables(s)
    laws = {v: as_law(v) for v in variables}
    continuous = [v for v, law in laws.items() if not law.discrete]
    discrete = [v for v, law in laws.items() if law.discrete]
    if len(continuous) != 1 or len(discrete) != 1:
        return None
    (X,), (N,) = continuous, discrete
    shift = sp.expand(s - X)
    if shift.has(X):
        return None
    x_law, n_law = laws[X], laws[N]
    value = sp.Symbol("s", real=True)
    k = sp.Symbol("k", integer=True)
    low, high = n_law.limits
    pmf = n_law.density.subs(n_law.variable, k)
    at = value - shift.subs(N, k)
    inside = x_law.density.subs(x_law.variable, at)
    x_low, x_high = x_law.limits
    on_support = sp.And(*(c for c in (x_low <= at, at <= x_high) if c is not sp.true))
    if on_support is not sp.true:  # f_X(s − h(k)) is 0 off X's support (an Exponential's s < k)
        inside = sp.Piecewise((inside, on_support), (0, True))
    series = sp.Sum(pmf * inside, (k, low, high))
    try:
        summed = within(INTEGRATE_SECONDS, "the sum over the discrete variable", lambda: series.doit())
    except (BudgetExceededError, NotImplementedError, ValueError):
        summed = series
    closed = not summed.has(sp.Sum)
    density = summed if closed else series
    f = sp.Function("f_S")(value)
    steps = (
        Step("Condition on the discrete variable", sp.Eq(f, series, evaluate=False),
             f"given ${latex(N)} = k$, $S$ is ${latex(X)}$ shifted by ${latex(shift.subs(N, k))}$; the law of total "
             f"probability sums these densities weighted by $P({latex(N)} = k)$ ({latex(X)} and {latex(N)} "
             "independent)"),
        Step("Density of the sum", sp.Eq(f, density, evaluate=False),
             "the series in closed form" if closed else
             "SymPy finds no closed form for the series: the density is the series itself (a mixture of shifted "
             f"densities of ${latex(X)}$), evaluated numerically by partial sums"),
    )
    return MixedSumDensity(value, density, closed, steps)
