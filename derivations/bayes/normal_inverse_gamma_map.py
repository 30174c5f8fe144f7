"""Normal-Inverse-Gamma joint MAP of a Normal's mean and variance (Murphy, Machine Learning: A Probabilistic
Perspective, 4.6.3.4): the stationary point of the log posterior in (μ, σ²) by the shared solving core,

    μ̂ = (κ₀m₀ + n x̄)/(κ₀ + n),   σ̂² = (2b + Σ(xᵢ − x̄)² + κ₀n(x̄ − m₀)²/(κ₀ + n))/(2a + n + 3),

written through the sample moments, with the Hessian's check and where the mode exists (σ̂² > 0). The prior is the
user's log-density (SymPy has no Normal-Inverse-Gamma).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
    s2, kappa, a, b = sp.symbols("s2 kappa_0 a b", positive=True)
    prior = symml.Model(-kappa * (mu - m0) ** 2 / (2 * s2) - sp.log(s2) / 2 - (a + 1) * sp.log(s2) - b / s2, (mu, s2))
    return symml.derive.map(st.Normal("X", mu, sp.sqrt(s2)), prior, wrt=(mu, s2))
