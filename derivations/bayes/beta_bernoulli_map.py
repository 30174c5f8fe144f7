"""Beta-Bernoulli MAP: (a - 1 + n xbar)/(a + b - 2 + n), which exists for every sample when a, b > 1; the prior
acts as a + b - 2 pseudo-observations (Murphy, Machine Learning: A Probabilistic Perspective, eq. 3.21).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.map(st.Bernoulli("X", p), prior=st.Beta("P", a, b), wrt=p)
