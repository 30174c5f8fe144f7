"""Binary cross-entropy w.r.t. the logit: d/dz [−y log σ(z) − (1 − y) log(1 − σ(z))] = σ(z) − y (PRML 4.91)."""
import sympy as sp

import symml
from derivations.calculus._symbols import sigmoid, y, z


def derivation() -> symml.Derivation:
    return symml.derive.gradient(-y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z)), z)
