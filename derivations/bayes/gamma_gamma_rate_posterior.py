"""Gamma prior (shape a, scale b) on the rate beta of a Gamma likelihood with known shape k: the posterior is
Gamma(a + n k, b/(n b xbar + 1)) (Fink, A Compendium of Conjugate Priors, 1997). The likelihood is sympy.stats'
Gamma(k, 1/beta), written with a scale; the kernel is matched against a Gamma in beta.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    beta, k = sp.Symbol("beta", positive=True), sp.Symbol("k", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Gamma("X", k, 1 / beta), st.Gamma("B", a, b), wrt=beta)
