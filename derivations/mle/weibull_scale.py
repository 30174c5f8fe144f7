"""Weibull with a known shape: the scale (the k-th root of the mean of x^k).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    alpha = sp.Symbol("alpha", positive=True)  # scale
    beta = sp.Symbol("beta", positive=True)  # shape
    return symml.derive.mle(st.Weibull("X", alpha, beta), wrt=[alpha])
