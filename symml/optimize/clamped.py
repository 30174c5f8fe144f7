"""The optimum of a concave (convex) function of one unknown on an interval: its stationary point clamped to the ends.

Where the objective's second derivative has one sign on the whole interval, its derivative is monotone there, so
the objective rises up to its one stationary point and falls after it (for a maximum). A stationary point below the
interval's lower end leaves the objective decreasing on the whole interval, and the optimum is that end; above the
upper end, the upper end. The optimum is then

    θ̂ = low   where t ≤ low,   high   where t ≥ high,   t   otherwise,

each condition reduced by the factors of known sign (x̄n/(n + 1) ≤ 0 is x̄ ≤ 0). At an open end (the 0 of a
parameter declared positive) the value is the supremum, approached but not attained: the mode of the density on the
closed interval. Where the second derivative's sign is not decided, nothing is returned (the caller keeps the
stationary point with the condition under which it is interior).

>>> m, n = sp.Symbol("m", real=True), sp.Symbol("n", positive=True)
>>> mu = sp.Symbol("mu", positive=True)
>>> clamped(n*(m*mu - mu**2/2), mu, m, sp.Interval.open(0, sp.oo)).value
Piecewise((0, m <= 0), (m, True))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError
from symml.optimize.core import hat
from symml.optimize.signs import sign_given
from symml.render.printer import latex

__all__ = ["Clamped", "clamped"]


@dataclass(frozen=True)
class Clamped:
    """The clamped optimum and the step that derives it.

    Attributes:
        value: a ``Piecewise`` of the ends and the stationary point, with the conditions.
        step: the step stating the concavity and the regimes.
    """

    value: sp.Piecewise
    step: Step


def clamped(objective: sp.Expr, unknown: sp.Symbol, stationary: sp.Expr, interval: sp.Set,
            facts: Sequence[sp.Expr] = (), maximise: bool = True) -> Clamped | None:
    """The optimum of ``objective`` over ``interval`` from its one ``stationary`` point, when the objective is
    concave there (convex, to minimise); None when no end can bind or the curvature's sign is not decided.

    Args:
        objective: a scalar expression in ``unknown`` (and statistics and hyperparameters held fixed).
        unknown: the scalar unknown.
        stationary: the stationary point, free of ``unknown``.
        interval: the unknown's domain, an Interval.
        facts: expressions known to be positive (for :func:`symml.optimize.signs.sign_given`).
        maximise: maximise (concave needed) or minimise (convex needed).
    """
    try:  # signs and factorisations of the gap, each small; bounded all the same
        return within(SIMPLIFY_SECONDS, "the clamp of the optimum to its domain", _clamped, objective, unknown,
                      stationary, interval, facts, maximise)
    except BudgetExceededError:
        return None


def _clamped(objective: sp.Expr, unknown: sp.Symbol, stationary: sp.Expr, interval: sp.Set,
             facts: Sequence[sp.Expr], maximise: bool) -> Clamped | None:
    if not isinstance(interval, sp.Interval):
        return None
    ends = [(end, side) for end, side in ((interval.inf, -1), (interval.sup, 1))
            if end.is_finite and not end.has(unknown)]
    # an end binds for some data only: one that the stationary point is known to stay on the right side of is dropped
    binding = [(end, side) for end, side in ends if sign_given(side * (end - stationary), facts) != 1]
    if not binding:
        return None
    inside = [unknown - end if side < 0 else end - unknown for end, side in ends]
    curvature = sp.diff(objective, unknown, 2)
    if sign_given(curvature, [*facts, *inside]) != (-1 if maximise else 1):
        return None
    pieces = [(end, _reduced(side * (stationary - end) >= 0, facts)) for end, side in binding]
    value = sp.Piecewise(*pieces, (stationary, True))
    shape = "concave" if maximise else "convex"
    rising = "rises" if maximise else "falls"
    open_ends = [end for end, _ in binding if end in (interval.inf if interval.left_open else None,
                                                      interval.sup if interval.right_open else None)]
    why = (f"the objective is {shape} on ${latex(interval)}$ (its second derivative ${latex(curvature)}$ has one "
           f"sign there), so it {rising} up to its one stationary point ${latex(stationary)}$ and the other way after "
           "it; where that point lies beyond an end of the interval, the optimum over the interval is that end")
    if open_ends:
        why += (" (" + ", ".join(f"${latex(e)}$" for e in open_ends) + ": an open end, where the optimum is a "
                "supremum approached but not attained, the optimum on the closed interval)")
    return Clamped(value, Step("Clamp to the domain", sp.Eq(hat(unknown), value, evaluate=False), why))


def _reduced(condition: sp.Rel, facts: Sequence[sp.Expr]) -> sp.Basic:
    """``g ≥ 0`` with the factors of ``g`` of known sign divided out (the relation flipped for a negative one)."""
    gap = sp.factor(sp.together(condition.lhs - condition.rhs))
    numerator, denominator = sp.fraction(gap)
    kept, flip = sp.S.One, False
    for factor in (*sp.Mul.make_args(numerator), *sp.Mul.make_args(denominator)):
        sign = sign_given(factor, facts) if factor.free_symbols else (1 if factor > 0 else -1)
        if sign == 1:
            continue
        if sign == -1:
            flip = not flip
            continue
        kept *= factor if factor in sp.Mul.make_args(numerator) else 1 / factor
    relation = type(condition)
    reduced = (sp.Le if relation is sp.Ge else sp.Ge)(kept, 0) if flip else relation(kept, 0)
    if isinstance(reduced, sp.Rel) and reduced.lhs.is_Add:
        # a difference on one side reads as a comparison: 1/x̄ − 5 ≥ 0 is 1/x̄ ≥ 5
        constant, rest = reduced.lhs.as_independent(*reduced.lhs.free_symbols, as_Add=True)
        if constant != 0:
            reduced = type(reduced)(rest, -constant)
    return reduced
