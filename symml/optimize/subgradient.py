"""A kink in the objective: the subgradient condition, solved regime by regime (a Laplace prior, an L1 penalty).

An objective maximised, ``s(theta) - w |theta - k|`` (s smooth, w > 0: a log posterior under a Laplace prior
centred at k), or minimised, ``s(theta) + w |theta - k|`` (a loss with an L1 penalty), is not differentiable at
theta = k. Its optimum satisfies the subgradient condition (Rockafellar, Convex Analysis, Thm 23.8)

    0 in s'(theta) -+ w d|theta - k|,   d|u| = {sign(u)} for u != 0, [-1, 1] at u = 0,

which splits into three regimes, each solved by the shared core's closed-form solver (written for a maximum;
a minimum is the maximum of the negated objective):

- theta > k: s'(theta) = w, whose root theta_+ holds when theta_+ > k;
- theta < k: s'(theta) = -w, whose root theta_- holds when theta_- < k;
- theta = k: holds when |s'(k)| <= w (zero is in the subdifferential there).

For a Normal likelihood this is the soft-threshold estimator: the sample mean shrunk towards k by sigma^2/(n b),
and exactly k while the sample mean is within that distance of it; for (x - a)^2/2 + lambda |x| it is the lasso's
soft-threshold, a -+ lambda outside [-lambda, lambda] and 0 inside (ESL 3.4.3, Table 3.4).

>>> x, a = sp.symbols("x a", real=True)
>>> lam = sp.Symbol("lambda", positive=True)
>>> from symml.optimize.core import Objective, Outcome
>>> subgradient_stage(Objective((x - a)**2/2 + lam*sp.Abs(x), (x,), maximise=False), Outcome()).solution[x]
Piecewise((a - lambda, a - lambda > 0), (a + lambda, a + lambda < 0), (0, True))
"""
from __future__ import annotations

import sympy as sp

from symml.calculus.nonsmooth import joins_smoothly, kink_in_region
from symml.derivation import Step
from symml.mle.statistics import statistic_symbols
from dataclasses import replace

from symml.optimize.core import Objective, Outcome, hat
from symml.optimize.scalar_solve import solve_stationarity
from symml.render.printer import latex

__all__ = ["subgradient_stage", "separable_subgradient_stage", "kinks"]


def _kink(expr: sp.Expr, theta: sp.Symbol) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """(smooth part, weight w, centre k) of ``smooth - w |theta - k|``, or None when the objective is not of that
    form (no Abs, several, a non-affine argument, a weight that is not negative-definite in sign)."""
    terms = [t for t in sp.Add.make_args(sp.expand(expr)) if t.has(sp.Abs)]
    if len(terms) != 1:
        return None
    coefficient, absolute = terms[0].as_independent(theta, as_Add=False)
    if not isinstance(absolute, sp.Abs) or coefficient.is_negative is not True:
        return None
    inner = absolute.args[0]
    slope = sp.diff(inner, theta)
    if slope.has(theta) or slope == 0:
        return None
    centre = sp.solve(inner, theta)
    if len(centre) != 1:
        return None
    return sp.expand(expr - terms[0]), -coefficient * sp.Abs(slope), centre[0]


def _above(estimate: sp.Expr, centre: sp.Expr) -> sp.Basic:
    """``estimate > centre``, written as a bound on the one statistic it involves when that is linear in it."""
    difference = sp.expand(estimate - centre)
    statistics = sorted(statistic_symbols(difference), key=str)
    if len(statistics) == 1 and difference.is_polynomial(statistics[0]) and sp.degree(difference, statistics[0]) == 1:
        slope = sp.diff(difference, statistics[0])
        bound = sp.solve(difference, statistics[0])[0]
        if slope.is_positive:
            return sp.StrictGreaterThan(statistics[0], bound)
        if slope.is_negative:
            return sp.StrictLessThan(statistics[0], bound)
    return sp.StrictGreaterThan(difference, 0)


def _lower_end(theta: sp.Symbol) -> sp.Expr | None:
    """0 for an unknown declared positive or non-negative (its domain a half line), else None."""
    return sp.S.Zero if theta.is_nonnegative else None


def subgradient_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """Settle the one unknown of a maximised ``s(theta) - w |theta - k|`` (or a minimised ``s(theta) + w |theta -
    k|``) by the subgradient condition."""
    if len(objective.wrt) != 1 or outcome.solution:
        return outcome
    theta = objective.wrt[0]
    orientation = 1 if objective.maximise else -1  # a minimum is the maximum of the negated objective
    split = _kink(orientation * objective.expr, theta)
    if split is None:
        return outcome
    smooth, weight, centre = split
    slope = sp.diff(smooth, theta)
    roots = {}
    for side in (1, -1):
        solved = solve_stationarity({theta: slope - side * weight}, list(objective.facts), tidy=objective.tidy,
                                    objective=smooth - side * weight * (theta - centre))
        if theta not in solved.closed:
            return outcome
        roots[side] = sp.factor_terms(solved.closed[theta])
    above, below = _above(roots[1], centre), _above(centre, roots[-1])
    written_slope, written_weight = orientation * slope, orientation * weight  # as the user's objective reads
    at_kink = sp.Le(sp.Abs(sp.factor_terms(slope.subs(theta, centre))), weight)
    regimes = [(roots[1], above), (roots[-1], below), (centre, True)]
    low = _lower_end(theta)
    if low is not None and sp.sympify(centre - low).is_positive:
        # on a half line the root below the kink counts only inside it (n/(nx̄ − 1) < 0 is no stationary point
        # of n log λ − n x̄ λ + λ), and where no regime holds the optimum is the end itself
        below = sp.And(below, _above(roots[-1], low))
        regimes = [(roots[1], above), (roots[-1], below), (centre, at_kink), (low, True)]
    estimate = sp.Piecewise(*regimes)
    u = sp.Symbol("u", real=True)
    kind, shape = ("maximum", "concave") if objective.maximise else ("minimum", "convex")
    steps = [
        Step("Subgradient condition", (
            sp.Eq(sp.Function("partial")(objective.written), sp.Add(written_slope, -written_weight * sp.Function(
                "partial")(sp.Abs(theta - centre)), evaluate=False), evaluate=False),
            sp.Eq(sp.Function("partial")(sp.Abs(u)), sp.Piecewise((sp.FiniteSet(sp.sign(u)), sp.Ne(u, 0)),
                                                                  (sp.Interval(-1, 1), True)), evaluate=False)),
             f"the {objective.name} has a kink at ${latex(theta)} = {latex(centre)}$; at its {kind} zero lies in "
             "its subdifferential (Rockafellar, Convex Analysis, Thm 23.8)"),
        Step("Regime above the kink", (sp.Eq(written_slope, written_weight), sp.Eq(hat(theta), roots[1]), above),
             f"for ${latex(theta)} > {latex(centre)}$ the subdifferential is the derivative with sign +1; its root "
             f"is the {kind}'s point when it lies above ${latex(centre)}$"),
        Step("Regime below the kink", (sp.Eq(written_slope, -written_weight), sp.Eq(hat(theta), roots[-1]), below),
             f"for ${latex(theta)} < {latex(centre)}$, with sign -1; its root is the {kind}'s point when it lies "
             f"below ${latex(centre)}$" + (f" and inside the domain, above ${latex(low)}$" if len(regimes) > 3 else "")),
        Step("Regime at the kink", (at_kink,),
             f"zero lies in the subdifferential $[{latex(written_slope.subs(theta, centre) - weight)}, "
             f"{latex(written_slope.subs(theta, centre) + weight)}]$ at the kink exactly when this holds: the two "
             "other regimes' conditions both fail"),
        Step("Soft-threshold", sp.Eq(hat(theta), estimate),
             f"the three regimes cover every sample; the estimate is shrunk towards ${latex(centre)}$ and equals "
             "it while the data are within the threshold" + (
                 f"; where none holds the {objective.name} is monotone on the whole domain and the {kind} is at its "
                 f"end ${latex(theta)} = {latex(low)}$" if len(regimes) > 3 else "")),
    ]
    curvature = sp.diff(smooth, theta, 2)
    remarks = () if curvature.is_negative else (
        f"The {'concavity' if objective.maximise else 'convexity'} of the smooth part was not decided symbolically; "
        f"the subgradient condition is sufficient for a {kind} only when the {objective.name} is {shape}.",)
    return outcome.settle({theta: estimate}, steps, remarks)


_KINKED = (sp.Abs, sp.Max, sp.Min, sp.sign)


def kinks(expr: sp.Expr, unknowns: tuple) -> list[sp.Expr]:
    """The non-differentiable nodes of ``expr`` (|u|, max, min, sign) whose argument holds one of ``unknowns``.

    A Piecewise whose cases join with equal value and slope (Huber: ``r²/2`` for ``|r| ≤ 1``, ``|r| − 1/2``
    otherwise) is differentiable across its boundaries, so the |r| in its conditions is no kink, nor is a |u| in a
    case whose region excludes u = 0 (Huber's linear case).
    """
    held = set(unknowns)
    found: list[sp.Expr] = []

    def visit(node: sp.Basic, region: sp.Basic) -> None:
        if not node.free_symbols & held:
            return
        if isinstance(node, sp.Piecewise) and node.has(*_KINKED) and all(
                joins_smoothly(node, u) for u in held & node.free_symbols):
            excluded: list[sp.Basic] = []
            for piece, condition in node.args:
                visit(piece, sp.And(region, condition, *map(sp.Not, excluded)))
                excluded.append(condition)
            return
        if isinstance(node, _KINKED) and not (isinstance(node, sp.Abs) and not any(
                kink_in_region(node, region, u) for u in held & node.free_symbols)):
            found.append(node)
        for arg in node.args:
            visit(arg, region)

    visit(expr, sp.true)
    return found


def _separated(expr: sp.Expr, unknowns: tuple) -> dict | None:
    """{unknown: the terms of ``expr`` that hold it}, when no term holds two unknowns (a separable objective)."""
    parts: dict = {u: sp.S.Zero for u in unknowns}
    for term in sp.Add.make_args(sp.expand(expr)):
        held = [u for u in unknowns if u in term.free_symbols]
        if len(held) > 1:
            return None
        if held:
            parts[held[0]] += term
    return parts


def separable_subgradient_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """Several unknowns, each in terms of its own with a kink (an L1 penalty λ Σ|θ_j| on a separable loss): the
    objective is a sum of one-unknown objectives, so each is settled by its own subgradient condition."""
    if len(objective.wrt) < 2 or outcome.solution or not kinks(objective.expr, objective.wrt):
        return outcome
    parts = _separated(objective.expr, objective.wrt)
    if parts is None:
        return outcome
    for unknown, part in parts.items():
        alone = replace(objective, expr=part, wrt=(unknown,), symbol=objective.written_in([unknown]),
                        substitute=None)
        found = subgradient_stage(alone, Outcome())
        outcome = outcome.settle(found.solution, found.steps, found.remarks)
    return outcome
