"""Bernoulli: the success probability (the sample proportion; Bishop, PRML, eq. 2.8).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    return symml.derive.mle(st.Bernoulli("X", p), wrt=[p])
