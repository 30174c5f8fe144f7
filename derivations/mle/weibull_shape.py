"""Weibull: the shape and the scale jointly. No closed form for the shape.

The scale profiles out given the shape; the shape solves a transcendental equation, solved numerically.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    alpha = sp.Symbol("alpha", positive=True)  # scale
    beta = sp.Symbol("beta", positive=True)  # shape
    return symml.derive.mle(st.Weibull("X", alpha, beta), wrt=[alpha, beta])
