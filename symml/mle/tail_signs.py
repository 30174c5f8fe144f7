"""The density's sign far out on an unbounded support: the coefficient of its dominant term at each infinite end.

A density that is a sum of terms cₖ(θ) hₖ(x) with positive hₖ (a mixture w N(x; 0, 1) + (1 − w) N(x; 3, 1)) is
negative somewhere far out unless, at each infinite end of the support, the coefficient of the term that dominates
there is nowhere negative: with w > 1 the density is negative for x large, where e^{3x} N(x; 0, 1) outgrows
N(x; 0, 1), however small 1 − w is. A grid of the density about the data cannot see this (the tails underflow long
before 1 − w = −1e-6 shows), so these conditions, derived once by SymPy's limits of the terms' ratios, are the
exact edge of the parameter space there.

>>> import sympy as sp
>>> x, w = sp.Symbol("x", real=True), sp.Symbol("w", real=True)
>>> density = w*sp.exp(-x**2/2) + (1 - w)*sp.exp(-(x - 3)**2/2)
>>> tail_coefficients(density, x, sp.Reals)  # at −∞, then at +∞
(w, -(w - 1)*exp(-9/2))
"""
from __future__ import annotations

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.errors import BudgetExceededError

__all__ = ["tail_coefficients"]


def tail_coefficients(density: sp.Expr, x: sp.Symbol, support: sp.Set) -> tuple[sp.Expr, ...] | None:
    """The coefficients that must be nowhere negative for ``density`` to be nowhere negative far out at each
    infinite end of ``support``: at each, the coefficient (free of ``x``) of the term that outgrows every other
    one. None where this is not derived: a term whose x-part is not provably positive, two terms growing alike (a
    finite nonzero limit of their ratio), a limit SymPy does not find within its budget, or no infinite end."""
    ends = [end for end in (support.inf, support.sup) if end in (sp.oo, -sp.oo)] if isinstance(
        support, sp.Interval) else []
    groups = _terms_by_x_part(density, x)
    if not ends or groups is None:
        return None
    try:
        dominant = [within(SIMPLIFY_SECONDS, "the density's dominant term far out on the support",
                           _dominant, list(groups), x, end) for end in ends]
    except BudgetExceededError:
        return None
    if None in dominant:
        return None
    return tuple(dict.fromkeys(sp.factor(groups[h]) for h in dominant))


def _terms_by_x_part(density: sp.Expr, x: sp.Symbol) -> dict[sp.Expr, sp.Expr] | None:
    """{positive x-part h: its coefficient} of the expanded density; None where an x-part is not provably positive."""
    groups: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(density)):
        coefficient, part = term.as_independent(x, as_Add=False)
        if not part.has(x):
            part, coefficient = sp.S.One, term
        groups[part] = groups.get(part, sp.S.Zero) + coefficient
    if any(h.is_positive is not True for h in groups):
        return None
    return {h: c for h, c in groups.items() if c != 0}


def _dominant(parts: list[sp.Expr], x: sp.Symbol, end: sp.Expr) -> sp.Expr | None:
    """The x-part that outgrows every other one as x → ``end`` (each ratio to it tends to 0); None where none does."""
    leader = parts[0]
    for part in parts[1:]:
        if sp.limit(part / leader, x, end) in (sp.oo, -sp.oo):
            leader = part
    return leader if all(sp.limit(part / leader, x, end) == 0 for part in parts if part != leader) else None
