"""Exponential: the rate (one over the sample mean).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    return symml.derive.mle(st.Exponential("X", lam), wrt=[lam])
