"""Gamma with a known shape k: the rate (k over the sample mean), written with rate beta = 1/theta.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    k = sp.Symbol("k", positive=True)
    beta = sp.Symbol("beta", positive=True)
    return symml.derive.mle(st.Gamma("X", k, 1 / beta), wrt=[beta])
