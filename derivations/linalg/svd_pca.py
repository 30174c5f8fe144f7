"""SVD via AᵀA of a centred 4 × 2 data matrix, its rank-1 approximation error, and the PCA reading (MML 10)."""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    return symml.derive.svd(sp.Matrix([[2, 1], [1, 2], [-1, -2], [-2, -1]]), rank=1)
