"""Wishart prior on the precision matrix of Gaussian rows with known mean (PRML 2.155, exercise 2.45).

The gradient of the log posterior in Λ is matched term by term against that of a Wishart log kernel with unknown
hyperparameters: ν_N = ν + N and W_N⁻¹ = W⁻¹ + (X − 1μᵀ)ᵀ(X − 1μᵀ).
"""
import sympy as sp

import symml
from symml.gaussian import Gaussian, Wishart


def derivation() -> symml.Derivation:
    N, d = symml.dims("N d")
    X, mu, Lam = symml.matrix("X", N, d), symml.vector("mu", d), symml.matrix("Lambda", d, d)
    W, nu = symml.matrix("W", d, d, symmetric=True), sp.Symbol("nu", positive=True)
    return symml.derive.posterior(Gaussian(X, mu, Lam), Wishart(Lam, W, nu), wrt=Lam)
