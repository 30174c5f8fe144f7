"""Bayesian linear regression stated in sympy.stats (PRML 3.49-3.51): each target tᵢ ~ Normal((Φw)ᵢ, β^(-1/2)) and
each weight ~ Normal(0, α^(-1/2)). SymPy's MultivariateNormal refuses the covariance I/β (its check asks the product
whether it is positive semidefinite), so the model is stated per element; symml reads the element Σ_k Φ_ik w_k
back as the product Φw, and the posterior comes from completing the square: S_N = (αI + βΦᵀΦ)⁻¹, m_N = βS_NΦᵀt.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    N, M = symml.dims("N M")
    Phi, w = symml.matrix("Phi", N, M), symml.vector("w", M)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    i = sp.Symbol("i", integer=True)
    targets = st.Normal("t", (Phi * w)[i, 0], 1 / sp.sqrt(beta))
    return symml.derive.posterior(targets, st.Normal("W", 0, 1 / sp.sqrt(alpha)), wrt=w)
