"""Bayesian linear regression: the Gaussian predictive at new inputs Φ_new (PRML 3.57-3.59).

The posterior plays the prior of a linear-Gaussian model: mean Φ_new m_N, covariance β⁻¹I + Φ_new S_N Φ_newᵀ
(for one input φ: variance 1/β + φᵀ S_N φ).
"""
import sympy as sp

import symml
from symml.gaussian import Gaussian


def derivation() -> symml.Derivation:
    N, M, K = symml.dims("N M K")
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    Phi_new, t_new = symml.matrix("Phi_new", K, M), symml.vector("t_new", K)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    posterior = symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
    return symml.derive.posterior_predictive(posterior, new=Gaussian(t_new, Phi_new @ w, beta))
