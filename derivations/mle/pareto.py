"""Pareto with a known scale x_m: the shape (one over the mean of log(x / x_m)).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    x_m = sp.Symbol("x_m", positive=True)
    alpha = sp.Symbol("alpha", positive=True)
    return symml.derive.mle(st.Pareto("X", x_m, alpha), wrt=[alpha])
