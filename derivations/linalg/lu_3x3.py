"""LU factorisation of a 3 × 3 matrix by Gaussian elimination, the multipliers shown."""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    return symml.derive.lu(sp.Matrix([[2, 1, 1], [4, -6, 0], [-2, 7, 2]]))
