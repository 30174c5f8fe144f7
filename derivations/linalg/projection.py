"""The projection P = B(BᵀB)⁻¹Bᵀ onto the columns of B, shown symmetric and idempotent (MML 3.8)."""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    return symml.derive.projection(sp.Matrix([[1, 0], [1, 1], [1, 2]]))
