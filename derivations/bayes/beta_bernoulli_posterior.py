"""Beta prior, Bernoulli likelihood: the posterior is Beta(a + n xbar, b + n - n xbar) (Bishop, PRML, eq. 2.18).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Bernoulli("X", p), st.Beta("P", a, b), wrt=p)
