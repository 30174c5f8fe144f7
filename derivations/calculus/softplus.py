"""The derivative of softplus log(1 + eᶻ) is the sigmoid σ(z)."""
import sympy as sp

import symml
from derivations.calculus._symbols import z


def derivation() -> symml.Derivation:
    return symml.derive.derivative(sp.log(1 + sp.exp(z)), z)
