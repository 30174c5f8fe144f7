"""A Laplace prior on the weights of a linear-Gaussian model: the MAP estimate is the lasso with λ = 1/(βb), which
has no closed form; the shared core derives the soft-threshold and solves it by proximal gradient descent."""
import sympy as sp

import symml
from symml.gaussian import Gaussian, Laplace


def derivation() -> symml.Derivation:
    N, M = symml.dims("N M")
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    beta, b = sp.symbols("beta b", positive=True)
    return symml.derive.map(Gaussian(t, Phi @ w, beta), Laplace(w, b), wrt=w)
