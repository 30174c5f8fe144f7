"""Optima on the boundary: when the objective is monotone in an unknown, the inequality constraints decide.

If on the feasible region the derivative of the objective in u has one sign, no interior point is optimal: u moves
the way the objective improves until a constraint binds. Every constraint that moving that way tightens bounds u;
the first one reached is active, so the optimum is the minimum (moving up) or the maximum (moving down) of their
bounds. A support limit that depends on a parameter is such a constraint (Casella & Berger, Statistical
Inference, Example 7.2.7): Uniform(0, θ) gives x₍ₙ₎, Uniform(−θ, θ) gives max(−x₍₁₎, x₍ₙ₎), because both limits
bound θ from below.

If instead the objective does not depend on u at all on the feasible region (its derivative is identically zero),
every u the constraints allow is optimal: the optimum is the set between the tightest lower and upper limits
(:func:`flat_constraints`; Uniform(θ, θ + 1) gives θ̂ ∈ [x₍ₙ₎ − 1, x₍₁₎]).

>>> theta, lo, hi = sp.Symbol("theta", positive=True), sp.Symbol("lo", real=True), sp.Symbol("hi", real=True)
>>> found = active_constraints(theta, -sp.log(2*theta), [sp.Le(-theta, lo), sp.Le(hi, theta)], [], sp.Symbol("l"))
>>> found.value
Max(hi, -lo)
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.optimize.signs import sign_given
from symml.render.printer import latex

__all__ = ["Bound", "active_constraints", "flat_constraints"]


@dataclass(frozen=True)
class Bound:
    """An unknown fixed by its active constraints.

    Attributes:
        unknown: the unknown.
        value: its optimal value (a Max or Min when several constraints bound it the same way), or the Interval of
            optimal values when the objective is flat in it (:func:`flat_constraints`).
        active: the constraints that bound it in the direction the objective improves.
        steps: the monotonicity and boundary steps.
    """

    unknown: sp.Symbol
    value: sp.Expr
    active: tuple[sp.Rel, ...]
    steps: tuple[Step, ...]


def _limit(residual: sp.Expr, unknown: sp.Symbol) -> sp.Expr | None:
    solutions = within(SOLVE_SECONDS, f"solve for {unknown} on a constraint", sp.solve, residual, unknown)
    return solutions[0] if len(solutions) == 1 else None


def active_constraints(
    unknown: sp.Symbol,
    objective: sp.Expr,
    constraints: list[sp.Rel],
    positive_facts: list[sp.Expr],
    objective_symbol: sp.Expr,
    *,
    maximise: bool = True,
    estimate: sp.Expr | None = None,
) -> Bound | None:
    """The optimal ``unknown`` when the objective is monotone in it on the feasible region, else None.

    Args:
        unknown: a scalar unknown that appears in some constraints.
        objective: the objective on the feasible region.
        constraints: inequalities ``Le(lhs, rhs)`` the feasible region satisfies.
        positive_facts: expressions known to be positive there.
        objective_symbol: how the objective is written in the steps, e.g. l(θ).
        maximise: whether the objective is maximised.
        estimate: how the optimal value is written (θ̂); default the unknown.
    """
    derivative = sp.diff(objective, unknown)
    sign = sign_given(derivative, positive_facts)
    if not sign:
        return None
    improving = sign if maximise else -sign
    blocking, limits = [], []
    for constraint in constraints:
        residual = constraint.lhs - constraint.rhs  # <= 0 on the feasible region
        if unknown not in residual.free_symbols:
            continue
        if sign_given(sp.diff(residual, unknown), positive_facts) != improving:
            continue
        limit = _limit(residual, unknown)
        if limit is None:
            return None
        blocking.append(constraint)
        limits.append(limit)
    if not blocking:
        return None
    value = sp.Min(*limits) if improving > 0 else sp.Max(*limits)
    direction = "increases" if sign > 0 else "decreases"
    names = ", ".join(f"${latex(c)}$" for c in blocking)
    first = "; the first one reached binds" if len(blocking) > 1 else ""
    steps = (
        Step(
            f"The {'log-likelihood' if maximise else 'objective'} is monotone in ${latex(unknown)}$ there",
            (sp.Eq(sp.Derivative(objective_symbol, unknown), derivative),
             (sp.Gt if sign > 0 else sp.Lt)(derivative, 0, evaluate=False)),
            f"the derivative has one sign on the feasible region, so the objective {direction} with "
            f"${latex(unknown)}$ and setting it to zero has no solution",
        ),
        Step(
            "The maximum is on the boundary" if maximise else "The minimum is on the boundary",
            sp.Eq(estimate if estimate is not None else unknown, value),
            f"${latex(unknown)}$ moves the way the objective improves until a constraint binds; the active set is "
            f"every constraint that this move tightens: {names}{first}",
        ),
    )
    return Bound(unknown, value, tuple(blocking), steps)


def flat_constraints(
    unknown: sp.Symbol,
    objective: sp.Expr,
    constraints: list[sp.Rel],
    objective_symbol: sp.Expr,
    *,
    maximise: bool = True,
    estimate: sp.Expr | None = None,
) -> Bound | None:
    """The Interval of optimal ``unknown`` when the objective does not depend on it and the constraints bound it on
    both sides, else None. Each constraint ``Le(lhs, rhs)`` is a lower limit on the unknown where its residual
    decreases in it and an upper limit where it increases; the optimal set lies between the tightest of each.

    Args: as :func:`active_constraints`; the limits must be free of other unknowns (substitute those first).

    >>> theta, lo, hi = sp.Symbol("theta", real=True), sp.Symbol("lo", real=True), sp.Symbol("hi", real=True)
    >>> flat_constraints(theta, sp.Integer(0), [sp.Le(theta, lo), sp.Le(hi, theta + 1)], sp.Symbol("l")).value
    Interval(hi - 1, lo)
    """
    derivative = sp.diff(objective, unknown)
    if derivative != 0:
        return None
    lower: list[sp.Expr] = []
    upper: list[sp.Expr] = []
    binding: list[sp.Rel] = []
    for constraint in constraints:
        residual = constraint.lhs - constraint.rhs  # <= 0 on the feasible region
        if unknown not in residual.free_symbols:
            continue
        slope = sign_given(sp.diff(residual, unknown))
        limit = _limit(residual, unknown)
        if not slope or limit is None:
            return None
        (upper if slope > 0 else lower).append(limit)
        binding.append(constraint)
    if not (lower and upper):
        return None
    value = sp.Interval(sp.Max(*lower), sp.Min(*upper))
    kind = "maximum" if maximise else "minimum"
    names = ", ".join(f"${latex(c)}$" for c in binding)
    steps = (
        Step(
            f"The {'log-likelihood' if maximise else 'objective'} does not depend on ${latex(unknown)}$ there",
            sp.Eq(sp.Derivative(objective_symbol, unknown), 0),
            f"${latex(unknown)}$ appears only in the constraints, so the objective is flat in it on the feasible "
            "region: no single point is singled out",
        ),
        Step(
            f"The {kind} is attained on a set",
            sp.Contains(estimate if estimate is not None else unknown, value, evaluate=False),
            f"every ${latex(unknown)}$ that satisfies the constraints {names} attains the same {kind}; they bound it "
            "from both sides, so the optimal values form this interval",
        ),
    )
    return Bound(unknown, value, tuple(binding), steps)
