"""Bayesian linear regression: the log evidence log p(t | α, β) (PRML 3.86), the normaliser of the completed square.
"""
import sympy as sp

import symml
from symml.gaussian import Gaussian


def derivation() -> symml.Derivation:
    N, M = symml.dims("N M")
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    return symml.derive.evidence(symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w))
