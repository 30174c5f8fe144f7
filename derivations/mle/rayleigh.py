"""Rayleigh: the scale (the square root of half the mean square).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.mle(st.Rayleigh("X", sigma), wrt=[sigma])
