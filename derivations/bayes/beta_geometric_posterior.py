"""Beta prior on the success probability of a Geometric (trials up to the first success): the posterior is
Beta(a + n, b + n xbar - n), one success and x - 1 failures per observation.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Geometric("X", p), st.Beta("P", a, b), wrt=p)
