"""The hinge loss max(0, 1 − yz): derivative −y where yz < 1, 0 beyond, a kink with its subdifferential at yz = 1."""
import sympy as sp

import symml
from derivations.calculus._symbols import y, z


def derivation() -> symml.Derivation:
    return symml.derive.gradient(sp.Max(0, 1 - y * z), z)
