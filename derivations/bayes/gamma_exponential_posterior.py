"""Gamma prior (shape a, scale b) on the rate of an Exponential: the posterior is Gamma(a + n, b/(n b xbar + 1)),
one unit of shape per observation and the sum of the data added to the inverse scale.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Exponential("X", lam), st.Gamma("L", a, b), wrt=lam)
