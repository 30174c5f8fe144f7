"""Spectral decomposition A = QΛQᵀ of a symmetric 3 × 3 matrix with a repeated eigenvalue."""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    return symml.derive.spectral_decomposition(sp.Matrix([[2, 1, 0], [1, 2, 0], [0, 0, 3]]))
