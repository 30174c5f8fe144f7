"""Projection onto a half-space {w : aᵀw ≤ b} by the KKT conditions at matrix level: two active sets, w = v when
aᵀv ≤ b (inactive), else w = v − (aᵀv − b) a / aᵀa (active, multiplier 2(aᵀv − b)/aᵀa ≥ 0) (Boyd & Vandenberghe
8.1.1)."""
import sympy as sp

import symml
from derivations.optimize._symbols import d, v, w

a = symml.vector("a", d)
b = sp.Symbol("b", real=True)


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.sq_norm(w - v), wrt=w, subject_to=[symml.Le(a.T @ w, b)])
