"""Binomial with a known number of trials m: the success probability (the mean over m).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    m = sp.Symbol("m", positive=True, integer=True)
    p = sp.Symbol("p", positive=True)
    return symml.derive.mle(st.Binomial("X", m, p), wrt=[p])
