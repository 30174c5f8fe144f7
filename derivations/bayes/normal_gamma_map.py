"""Normal-Gamma joint MAP of a Normal's mean and precision (Bishop PRML 2.154 as the prior; sympy.stats
NormalGamma): the stationary point of the log posterior in (μ, τ) by the shared solving core,
μ̂ = (κ₀m₀ + n x̄)/(κ₀ + n) and τ̂ = (2a + n − 1)/(2b + Σ(xᵢ − x̄)² + κ₀n(x̄ − m₀)²/(κ₀ + n)), where τ̂ > 0.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
    tau, kappa, a, b = sp.symbols("tau kappa_0 a b", positive=True)
    return symml.derive.map(st.Normal("X", mu, 1 / sp.sqrt(tau)), st.NormalGamma("P", m0, kappa, a, b), wrt=(mu, tau))
