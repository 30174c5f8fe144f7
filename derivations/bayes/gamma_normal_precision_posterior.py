"""Gamma prior (shape a, scale b) on the precision tau of a Normal with known mean mu: the posterior is
Gamma(a + n/2, 2b/(b n mean((x - mu)^2) + 2)), half a unit of shape per observation (Bishop, PRML, eqs. 2.150-2.151).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    tau, mu = sp.Symbol("tau", positive=True), sp.Symbol("mu", real=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Normal("X", mu, 1 / sp.sqrt(tau)), st.Gamma("T", a, b), wrt=tau)
