"""Moments of a LogNormal: every moment exists, but the moment generating function does not (the tail)."""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.moments(st.LogNormal("X", mu, sigma), upto=4)
