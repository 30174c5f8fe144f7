"""Method-of-moments starting points for parameters whose maximum-likelihood estimator has no closed form.

The model's mean and variance come from sympy.stats (``E``, ``variance``) or, for a user's log-density, from
integrating against the density; both run under a time budget. Equating the first k of (mean, variance) to the
sample mean and the centred second moment gives k equations for the k parameters without a closed form
(Casella & Berger, Statistical Inference, 7.2.1). When that fails and the density is symmetric about a location
parameter (f(theta + t) = f(theta - t)), the centre of symmetry is the median, so the sample median is the start.
"""
from __future__ import annotations

import functools
from typing import Callable

import sympy as sp
import sympy.stats as stats

from symml.budget import within
from symml.errors import BudgetExceededError
from symml.mle.stationary import is_trapped
from symml.mle.statistics import StatisticTable, statistic_symbols
from symml.model import Model

__all__ = ["method_of_moments"]

#: Budget, in seconds, for each moment and for solving the moment equations: a start need not be exact.
_MOMENT_SECONDS = 2.0


def _moments(model: Model, x: sp.Symbol, wanted: list[sp.Symbol]) -> list[sp.Expr]:
    """The first len(wanted) of [mean, variance] of one observation, as far as SymPy computes them in the budget
    and no further than the first that traps a wanted parameter inside a special function."""
    found: list[sp.Expr] = []
    calculations: list[Callable[[], sp.Expr]]
    if model.random_variable is not None:
        calculations = [functools.partial(stats.E, model.random_variable),
                        functools.partial(stats.variance, model.random_variable)]
    else:
        density = sp.exp(model.log_density_on_support)
        try:
            limits = (x, model.support.inf, model.support.sup)
        except NotImplementedError:  # the integers of an interval with a symbolic end, {1, ..., N}: SymPy has no inf
            return found
        calculations = [functools.partial(sp.integrate, x**k * density, limits, conds="none") for k in (1, 2)]
    for calculation in calculations[: len(wanted)]:
        try:
            value = within(_MOMENT_SECONDS, "a moment of the model", calculation)
        except (BudgetExceededError, NotImplementedError, ValueError, TypeError):
            break
        if value.has(sp.Integral, sp.Piecewise, sp.nan):
            break
        if model.random_variable is None and found:  # the second raw moment: the variance is E[x²] − E[x]²
            value = value - found[0] ** 2
        found.append(value)
        if any(is_trapped(value, p) for p in wanted):
            break
    return found


def _symmetric_location(logf: sp.Expr, x: sp.Symbol, parameter: sp.Symbol) -> bool:
    """Whether the density depends on x and the parameter through x - parameter and is symmetric about it."""
    t = sp.Dummy("t", real=True)
    shifted = logf.subs(x, parameter + t)
    return parameter not in shifted.free_symbols and sp.expand(shifted - shifted.subs(t, -t)) == 0


def _involves(expr: sp.Expr, parameters: set[sp.Symbol]) -> bool:
    """Whether ``expr`` depends on one of ``parameters``, also through a statistic's summand (the profile
    mean((x - m)**2) of a scale given a location m)."""
    return bool(expr.free_symbols & parameters) or any(_involves(s.summand, parameters)
                                                       for s in statistic_symbols(expr))


def method_of_moments(model: Model, unknowns: list[sp.Symbol], known: dict, table: StatisticTable) -> dict:
    """``{parameter: start}`` for the ``unknowns``, through the table's statistics; parameters it cannot start
    are absent.

    Args:
        model: the :class:`~symml.model.Model`.
        unknowns: the parameters without a closed form.
        known: closed-form estimators of other estimated parameters, substituted into the moments; one that is
            closed only given an unknown (a profiled scale) is solved for with the unknowns instead.

    >>> from symml.model import as_model
    >>> model = as_model("Gamma")
    >>> table = StatisticTable(model.data, sp.IndexedBase("x")[sp.Symbol("i")], sp.Symbol("n", positive=True))
    >>> method_of_moments(model, list(model.parameters), {}, table)
    {k: mean(x)**2/mean((-mean(x) + x)**2), theta: mean((-mean(x) + x)**2)/mean(x)}
    """
    x = model.data
    starts = {p: table.order("median") for p in unknowns if _symmetric_location(model.log_density_on_support, x, p)}
    wanted = [p for p in unknowns if p not in starts]
    if not wanted:
        return starts
    # A start must be a statistic: a known estimator written through a wanted parameter (a Rayleigh scale given
    # its location, sqrt(mean((x - m)**2)/2)) would put that parameter into its own start.
    profiled = [p for p, v in known.items() if _involves(sp.sympify(v), set(wanted))]
    known = {p: v for p, v in known.items() if p not in profiled}
    solve_for = wanted + profiled
    moments = _moments(model, x, solve_for)
    if len(moments) < len(solve_for):
        return starts
    first = table.mean(x)
    sample = [first, table.mean((x - first) ** 2)]
    equations = [sp.numer(sp.together((m - s).subs(known))) for m, s in zip(moments, sample)]
    if any(is_trapped(e, p) for e in equations for p in solve_for):  # Weibull shape: inside Gamma(1 + 1/k)
        return starts
    try:
        solutions = within(_MOMENT_SECONDS, "solve of the moment equations", sp.solve, equations, solve_for,
                           dict=True)
    except (BudgetExceededError, NotImplementedError, ValueError, TypeError):
        return starts
    for solution in solutions:
        if set(solution) == set(solve_for) and all(
            not _involves(v, set(solve_for)) and v.is_negative is not True for v in solution.values()
        ):
            return {**starts, **{p: solution[p] for p in wanted}}
    return starts
