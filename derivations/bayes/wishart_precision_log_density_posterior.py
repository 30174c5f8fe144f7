"""Wishart prior on the precision of Gaussian rows, both given as log-densities over matrices (PRML 2.155): the
prior (ν − d − 1)/2 log det Λ − tr(W⁻¹Λ)/2 is read as a Wishart by matching its gradient in Λ to a Wishart kernel's,
the likelihood N/2 log det Λ − tr((X − 1μᵀ)Λ(X − 1μᵀ)ᵀ)/2 as i.i.d. Gaussian rows (its stationary point in X is
1μᵀ), and the posterior is matched the same way: ν_N = ν + N, W_N⁻¹ = W⁻¹ + (X − 1μᵀ)ᵀ(X − 1μᵀ).
"""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    N, d = symml.dims("N d")
    X, mu, L = symml.matrix("X", N, d), symml.vector("mu", d), symml.matrix("Lambda", d, d)
    W, nu = symml.matrix("W", d, d, symmetric=True), sp.Symbol("nu", positive=True)
    residual = X - sp.OneMatrix(N, 1) * mu.T
    likelihood = symml.Model(logpdf=N / 2 * sp.log(sp.det(L)) - sp.trace(residual * L * residual.T) / 2, data=X)
    prior = symml.Model(logpdf=(nu - d - 1) / 2 * sp.log(sp.det(L)) - sp.trace(W**-1 * L) / 2, data=L)
    return symml.derive.posterior(likelihood, prior, wrt=L)
