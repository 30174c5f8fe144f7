"""Beta prior on the probability p of a Negative Binomial with known r (sympy.stats' convention: the pmf is
proportional to p^r (1 - p)^x, x failures before the r-th success): the posterior is Beta(a + n r, b + n xbar).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p, r = sp.Symbol("p", positive=True), sp.Symbol("r", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.NegativeBinomial("X", r, p), st.Beta("P", a, b), wrt=p)
