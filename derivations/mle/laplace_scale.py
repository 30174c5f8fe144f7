"""Laplace with a known location: the scale (the mean absolute deviation from the location).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    b = sp.Symbol("b", positive=True)
    return symml.derive.mle(st.Laplace("X", mu, b), wrt=[b])
