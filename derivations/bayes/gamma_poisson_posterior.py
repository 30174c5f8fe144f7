"""Gamma prior (shape a, scale b), Poisson likelihood: the posterior is Gamma(a + n xbar, b/(n b + 1)).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Poisson("X", lam), st.Gamma("L", a, b), wrt=lam)
