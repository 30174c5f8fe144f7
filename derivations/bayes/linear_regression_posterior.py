"""Bayesian linear regression: the posterior of w under N(0, α⁻¹I) with noise precision β (PRML 3.49-3.54).

Completing the square in w of the log likelihood plus the log prior: S_N⁻¹ = αI + βΦᵀΦ, m_N = β S_N Φᵀ t.
"""
import sympy as sp

import symml
from symml.gaussian import Gaussian


def derivation() -> symml.Derivation:
    N, M = symml.dims("N M")
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    return symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
