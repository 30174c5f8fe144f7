"""The Huber loss's derivative: r where |r| ≤ δ, δ sign(r) beyond; differentiable where the cases meet."""
import sympy as sp

import symml
from derivations.calculus._symbols import delta, r


def derivation() -> symml.Derivation:
    huber = sp.Piecewise((r**2 / 2, sp.Abs(r) <= delta), (delta * (sp.Abs(r) - delta / 2), True))
    return symml.derive.gradient(huber, r)
