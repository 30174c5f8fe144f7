"""Bayesian linear regression: the MAP estimate of w, ridge regression with λ = α/β, by the shared solving core."""
import sympy as sp

import symml
from symml.gaussian import Gaussian


def derivation() -> symml.Derivation:
    N, M = symml.dims("N M")
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    return symml.derive.map(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
