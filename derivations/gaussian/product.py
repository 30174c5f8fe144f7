"""The product of two Gaussian densities in the same vector, N(x | a, A⁻¹) N(x | b, B⁻¹) = Z N(x | c, C).

Completing the square: C = (A + B)⁻¹, c = C(A a + B b); Z is the normaliser of the completed square.
"""
import symml
from symml.gaussian import Gaussian, derive_gaussian_product


def derivation() -> symml.Derivation:
    d = symml.dims("d")
    x, a, b = symml.vector("x", d), symml.vector("a", d), symml.vector("b", d)
    A, B = symml.matrix("A", d, d, symmetric=True), symml.matrix("B", d, d, symmetric=True)
    return derive_gaussian_product(Gaussian(x, a, A), Gaussian(x, b, B))
