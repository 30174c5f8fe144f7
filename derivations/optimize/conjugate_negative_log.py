"""The convex conjugate of −log x: sup over x > 0 of yx + log x is attained at x = −1/y, which lies in the domain
only for y < 0, giving f*(y) = −1 − log(−y) (Boyd & Vandenberghe, example 3.21)."""
import sympy as sp

import symml

x = sp.Symbol("x", positive=True)


def derivation() -> symml.Derivation:
    return symml.derive.conjugate(-sp.log(x), x)
