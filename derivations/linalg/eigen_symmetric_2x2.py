"""Eigenvalues a ± b and eigenvectors (1, ±1) of the symmetric matrix [[a, b], [b, a]]."""
import sympy as sp

import symml

a, b = sp.symbols("a b", real=True)


def derivation() -> symml.Derivation:
    return symml.derive.eigen(sp.Matrix([[a, b], [b, a]]))
