"""Gamma-family functions of a parameter shifted by a whole number, written through the unshifted one.

Γ(θ + 2) = θ(θ + 1)Γ(θ), ψ(θ + 1) = ψ(θ) + 1/θ, B(θ, 1) = Γ(θ)/Γ(θ + 1) = 1/θ: a density or a score written with
such a shift (SymPy's Beta(θ, 1) has the normaliser 1/B(θ, 1)) hides a rational function of θ, and SymPy's
``solve`` finds no closed form through the special functions while the rational one solves at once. A function of
an unshifted parameter (Γ(k), B(a, b)) is left as it is.

>>> theta = sp.Symbol("theta", positive=True)
>>> integer_shifts_expanded(1/sp.beta(theta, 1), {theta})
theta
>>> integer_shifts_expanded(sp.polygamma(0, theta + 1) - sp.polygamma(0, theta), {theta})
1/theta
"""
from __future__ import annotations

import sympy as sp

__all__ = ["integer_shifts_expanded"]


def integer_shifts_expanded(expr: sp.Expr, symbols: set) -> sp.Expr:
    """``expr`` with each Γ, log Γ or polygamma of one of ``symbols`` plus a nonzero whole number, and each beta
    function of such a shift or with a whole-number argument, expanded through the unshifted function."""
    def shifted(f: sp.Basic) -> bool:
        if isinstance(f, sp.beta):
            return any(f.has(s) for s in symbols) and any(a.is_Integer or _shift(a, symbols) for a in f.args)
        return isinstance(f, (sp.polygamma, sp.gamma, sp.loggamma)) and _shift(f.args[-1], symbols)

    if not any(expr.has(s) for s in symbols):
        return expr
    return expr.replace(shifted, lambda f: sp.expand_func(f).replace(shifted, sp.expand_func))


def _shift(argument: sp.Expr, symbols: set) -> bool:
    """Whether ``argument`` is one of ``symbols`` plus a nonzero whole number (θ + 1, θ − 2)."""
    held = argument.free_symbols & symbols
    if len(held) != 1:
        return False
    shift = argument - next(iter(held))
    return shift.is_Integer and shift != 0
