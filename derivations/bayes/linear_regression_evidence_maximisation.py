"""Bayesian linear regression: type-II maximum likelihood of α and β (PRML 3.92, 3.95).

The stationarity conditions of the log evidence, derived by the engine, solved for the hyperparameters outside
S_N: α = γ / m_Nᵀm_N, 1/β = ‖t − Φm_N‖² / (N − γ) with γ = Σᵢ λᵢ/(α + λᵢ); numpy() iterates them.
"""
import sympy as sp

import symml
from symml.gaussian import Gaussian


def derivation() -> symml.Derivation:
    N, M = symml.dims("N M")
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    posterior = symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
    return symml.derive.evidence_maximization(posterior, [alpha, beta])
