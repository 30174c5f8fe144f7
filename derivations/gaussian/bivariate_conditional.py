"""The bivariate normal's conditional, p(x₁ | x₂) (Casella & Berger 4.5.10; Bishop PRML 2.3.1 in two dimensions),
from a ``sympy.stats`` MultivariateNormal written with scalar parameters σ₁, σ₂, ρ.

The block derivation runs at the parts' sizes (one component each); the blocks of the mean and covariance are
substituted last: μ₁ + ρσ₁(x₂ − μ₂)/σ₂ and σ₁²(1 − ρ²).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu1, mu2 = sp.symbols("mu1 mu2", real=True)
    sigma1, sigma2 = sp.symbols("sigma1 sigma2", positive=True)
    rho = sp.Symbol("rho", real=True)
    X = st.MultivariateNormal("X", [mu1, mu2], [[sigma1**2, rho * sigma1 * sigma2], [rho * sigma1 * sigma2, sigma2**2]])
    return symml.derive.conditional(X, given=X[1])
