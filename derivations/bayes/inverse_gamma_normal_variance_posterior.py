"""Inverse-Gamma prior on the variance v of a Normal with known mean mu: the posterior is
Inverse-Gamma(a + n/2, b + n mean((x - mu)^2)/2) (Murphy, Conjugate Bayesian analysis of the Gaussian
distribution, 2007, section 4).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    v, mu = sp.Symbol("v", positive=True), sp.Symbol("mu", real=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Normal("X", mu, sp.sqrt(v)), st.GammaInverse("V", a, b), wrt=v)
