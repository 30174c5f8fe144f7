"""QR of a 3 × 2 matrix by Gram–Schmidt: orthogonalise, normalise, R = QᵀA."""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    return symml.derive.qr(sp.Matrix([[1, 1], [1, 0], [0, 1]]))
