"""Stationary points of a normalised log-likelihood: score equations, their solution, and what to do without one.

- :func:`solve_scores` solves the score equations jointly (under a time budget), and when that fails profiles
  out each parameter whose own equation it can solve given the others (Gamma: theta = xbar/k). What is left is
  a system with no closed form; it is returned as stationarity equations for a numeric solver.
- :func:`centre_moments` rewrites raw second moments as centred ones (mean(x^2) - xbar^2 = mean((x - xbar)^2)),
  which is both the textbook form and the numerically stable one.
- :func:`second_order` evaluates the Hessian at the solution and decides its definiteness from the leading
  principal minors (Sylvester's criterion).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.errors import BudgetExceededError
from symml.mle.signs import sign_given
from symml.mle.statistics import StatisticTable, statistic_symbols

__all__ = ["Solution", "solve_scores", "centre_moments", "second_order", "is_trapped", "log_arguments"]

#: Budget of each one-parameter solve while profiling: several may run, and a start need not be found.
_PROFILE_SECONDS = SOLVE_SECONDS / 4

#: Functions that no rearrangement isolates their argument from (digamma, Gamma, Beta, ...).
_TRAPPING = (sp.polygamma, sp.gamma, sp.loggamma, sp.beta, sp.zeta, sp.LambertW, sp.erf, sp.besselj, sp.besseli)


def is_trapped(equation: sp.Expr, unknown: sp.Symbol) -> bool:
    """Whether ``unknown`` sits inside a special function or a sum over the data: no closed form to solve for.

    >>> k = sp.Symbol("k", positive=True)
    >>> is_trapped(sp.log(k) - sp.polygamma(0, k) - 1, k), is_trapped(sp.log(k) - 1, k)
    (True, False)
    """
    inside = [f for f in equation.atoms(sp.Function, sp.Sum) if unknown in f.free_symbols]
    return any(isinstance(f, _TRAPPING + (sp.Sum,)) for f in inside)


@dataclass
class Solution:
    """What the score equations gave.

    Attributes:
        closed: estimators in closed form ``{parameter: expression in statistics}``.
        stationarity: the equations left for a numeric solver.
        how: one sentence on how the system was solved, for the steps.
        over_budget: the solves that ran past their time budget (then treated as having no closed form).
    """

    closed: dict = field(default_factory=dict)
    stationarity: tuple = ()
    how: str = ""
    over_budget: tuple = ()


def _valid(value: sp.Expr, unknowns: set, sums_allowed: bool = False) -> bool:
    """Free of the unknowns (and, for a closed form, of sums over the data), finite, not provably complex."""
    return (
        not (value.free_symbols & unknowns)
        and (sums_allowed or not value.has(sp.Sum, sp.Indexed))
        and not value.has(sp.nan, sp.zoo, sp.oo, -sp.oo)
        and value.is_real is not False
    )


def _admissible(parameter: sp.Symbol, value: sp.Expr, facts: list) -> bool:
    """A candidate is dropped when it provably lies outside the parameter's domain (a negative sigma)."""
    if parameter.is_positive:
        return sign_given(value, facts) not in (-1, 0)
    if parameter.is_nonnegative:
        return sign_given(value, facts) != -1
    return True


def _pick(candidates: list[dict], unknowns: list, table: StatisticTable, facts: list,
          sums_allowed: bool = False) -> dict | None:
    """The one admissible solution among ``candidates`` (None when there is none, or several)."""
    kept = []
    for candidate in candidates:
        if set(candidate) != set(unknowns):
            continue
        candidate = {p: centre_moments(v, table) for p, v in candidate.items()}
        if all(_valid(v, set(unknowns), sums_allowed) and _admissible(p, v, facts) for p, v in candidate.items()):
            kept.append(candidate)
    return kept[0] if len(kept) == 1 else None


def _solve(equations: list, unknowns: list, what: str, seconds: float, over_budget: list) -> list[dict]:
    """``sp.solve`` under a budget; what ran past it is appended to ``over_budget`` (said in the remarks)."""
    try:
        solutions = within(seconds, what, sp.solve, equations, unknowns, dict=True)
    except BudgetExceededError as exceeded:
        over_budget.append(str(exceeded))
        return []
    except (NotImplementedError, ValueError, TypeError):
        return []
    return solutions if isinstance(solutions, list) else []


def solve_scores(scores: dict, table: StatisticTable, facts: list) -> Solution:
    """Solve ``{parameter: score}`` = 0 for the parameters: jointly, else by profiling, else leave them.

    Args:
        scores: the derivative of the log-likelihood with respect to each unknown parameter.
        table: the statistics of the derivation (centred moments are registered there).
        facts: expressions known to be positive, to drop inadmissible roots.

    >>> x, n = sp.Symbol("x", real=True), sp.Symbol("n", positive=True)
    >>> k, theta = sp.symbols("k theta", positive=True)
    >>> table = StatisticTable(x, sp.IndexedBase("x")[sp.Symbol("i")], n, sp.Interval(0, sp.oo))
    >>> xbar, logbar = table.mean(x), table.mean(sp.log(x))
    >>> loglik = n*((k - 1)*logbar - xbar/theta - k*sp.log(theta) - sp.loggamma(k))
    >>> solution = solve_scores({k: loglik.diff(k), theta: loglik.diff(theta)}, table, [])
    >>> solution.closed, solution.stationarity[1]
    ({}, Eq(theta, mean(x)/k))
    """
    unknowns = list(scores)
    equations = {p: sp.together(s) for p, s in scores.items()}
    over_budget: list[str] = []
    if not any(is_trapped(e, p) for p, e in equations.items()):
        joint = _pick(_solve([sp.numer(e) for e in equations.values()], unknowns, "solve of the score equations",
                             SOLVE_SECONDS, over_budget), unknowns, table, facts)
        if joint is not None:
            return Solution(closed=_shortest(joint), how="solve the system of score equations",
                            over_budget=tuple(over_budget))
    profiled: dict = {}
    progress = True
    while progress:
        progress = False
        for parameter in [p for p in unknowns if p not in profiled]:
            equation = sp.together(equations[parameter])
            if is_trapped(equation, parameter):
                continue
            candidates = _solve([sp.numer(equation)], [parameter], f"solve of the score equation for {parameter}",
                                _PROFILE_SECONDS, over_budget)
            # A profile may keep sums over the data that involve the other parameters (Weibull: mean(x^k)).
            value = _pick(candidates, [parameter], table, facts, sums_allowed=True)
            if value is None or value[parameter].free_symbols & {parameter}:
                continue
            profiled[parameter] = value[parameter]
            equations = {p: e.subs(parameter, value[parameter]) for p, e in equations.items() if p != parameter}
            progress = True
    closed = {}
    for parameter, value in profiled.items():
        for earlier in profiled:
            value = value.subs(earlier, profiled[earlier]) if earlier != parameter else value
        if not (value.free_symbols & set(unknowns)):
            closed[parameter] = centre_moments(value, table)
    left = [p for p in unknowns if p not in profiled]
    stationarity = tuple(
        sp.Eq(_tidy(sp.numer(sp.together(equations[p])), set(unknowns)), 0) for p in left
    ) + tuple(sp.Eq(p, v) for p, v in profiled.items() if p not in closed)
    return Solution(
        closed=_shortest(closed),
        stationarity=stationarity,
        how="solve each score equation that can be solved, given the others, and substitute",
        over_budget=tuple(over_budget),
    )


def _shortest(estimators: dict) -> dict:
    """Each estimator as written or simplified (under a budget), whichever is shorter: 1/(mean(log x) - log a)
    rather than -1/(-mean(log x) + log a)."""
    tidy = {}
    for parameter, value in estimators.items():
        try:
            simpler = within(SIMPLIFY_SECONDS, f"simplify of the estimator of {parameter}", sp.simplify, value)
        except BudgetExceededError:
            simpler = value
        tidy[parameter] = simpler if sp.count_ops(simpler) < sp.count_ops(value) else value
    return tidy


def _tidy(expr: sp.Expr, unknowns: set) -> sp.Expr:
    """An equation's left side (= 0) with logs split and positive factors free of the unknowns (n, 2) dropped;
    sums over the data keep their summands as written (expanding them would only lengthen them)."""
    if expr.has(sp.Sum):
        # Profiled values such as (S/n)**(1/k) come back raised to k and inside logs: undo that first.
        expr = sp.expand(sp.expand_log(sp.powdenest(expr, force=True), force=True))
        factored = sp.factor_terms(expr.replace(lambda e: isinstance(e, sp.Sum),
                                                lambda e: sp.Sum(sp.together(e.function), *e.limits)))
    else:
        factored = sp.factor_terms(sp.expand(sp.expand_log(expr, force=True)))
    if not isinstance(factored, sp.Mul):
        return factored
    kept = [f for f in factored.args if f.free_symbols & unknowns or f.is_zero is not False]
    return sp.Mul(*kept)


def centre_moments(expr: sp.Expr, table: StatisticTable) -> sp.Expr:
    """Rewrite mean(g^2) through a centred moment mean((g - a)^2) when that shortens ``expr``.

    mean(g^2) = mean((g - a)^2) + 2 a mean(g) - a^2 for any a; the candidates for a are mean(g) and the other
    symbols of ``expr`` (a known location). For the Normal: sqrt(mean(x^2) - xbar^2) = sqrt(mean((x - xbar)^2)),
    which is also what keeps the NumPy estimator accurate when the mean is large.

    >>> x, n = sp.Symbol("x", real=True), sp.Symbol("n", positive=True)
    >>> table = StatisticTable(x, sp.IndexedBase("x")[sp.Symbol("i")], n)
    >>> centre_moments(sp.sqrt(table.mean(x**2) - table.mean(x)**2), table)
    sqrt(mean((-mean(x) + x)**2))
    """
    for square in sorted(statistic_symbols(expr), key=str):
        summand = square.summand
        if square.reduction != "mean" or not (summand.is_Pow and summand.exp == 2):
            continue
        base = summand.base
        first = table.mean(base)
        shifts = [first] + sorted(expr.free_symbols - statistic_symbols(expr) - {table.sample_size}, key=str)
        best = expr
        for shift in shifts:
            centred = table.mean((base - shift) ** 2)
            candidate = sp.expand(expr.subs(square, centred + 2 * shift * first - shift**2)) if expr.is_Add else \
                expr.subs(square, centred + 2 * shift * first - shift**2)
            candidate = candidate.replace(lambda e: e.is_Pow and e.base.is_Add, lambda e: sp.expand(e.base) ** e.exp)
            if sp.count_ops(candidate) < sp.count_ops(best) and square not in candidate.free_symbols:
                best = candidate
        expr = best
    return expr


def second_order(loglik: sp.Expr, solution: dict, facts: list, table: StatisticTable) -> tuple[sp.Matrix, bool | None]:
    """The Hessian of ``loglik`` at ``solution`` and whether it is negative definite (None: undecided).

    Sylvester's criterion: negative definite iff the k-th leading principal minor has sign (-1)^k.

    >>> x, n, lam = sp.Symbol("x", real=True), sp.Symbol("n", positive=True), sp.Symbol("lambda", positive=True)
    >>> table = StatisticTable(x, sp.IndexedBase("x")[sp.Symbol("i")], n, sp.Interval(0, sp.oo))
    >>> second_order(n*(sp.log(lam) - lam*table.mean(x)), {lam: 1/table.mean(x)}, [], table)
    (Matrix([[-mean(x)**2*n]]), True)
    """
    parameters = list(solution)
    hessian = sp.hessian(loglik, parameters).subs(solution)
    hessian = hessian.applyfunc(lambda e: sp.factor(sp.cancel(sp.together(centre_moments(sp.expand(e), table)))))
    verdicts = []
    for k in range(1, len(parameters) + 1):
        minor = hessian[:k, :k].det() if k > 1 else hessian[0, 0]
        verdicts.append(sign_given((-1) ** k * minor, facts))
    if all(v == 1 for v in verdicts):
        return hessian, True
    if any(v in (-1, 0) for v in verdicts):
        return hessian, False
    return hessian, None


def log_arguments(loglik: sp.Expr, parameters: set) -> list[sp.Expr]:
    """The arguments of the logs that involve the parameters: positive wherever the likelihood is positive.

    >>> p, n = sp.Symbol("p", positive=True), sp.Symbol("n", positive=True)
    >>> log_arguments(n*sp.log(1 - p) + sp.log(n), {p})
    [1 - p]
    """
    return [f.args[0] for f in loglik.atoms(sp.log) if f.args[0].free_symbols & parameters]

