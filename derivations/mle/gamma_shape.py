"""Gamma: the shape and the scale jointly. No closed form for the shape.

The scale profiles out (theta = xbar / k); the shape solves log k - digamma(k) = log xbar - mean(log x)
(Minka, "Estimating a Gamma distribution", 2002), solved numerically by numpy().
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    k = sp.Symbol("k", positive=True)
    theta = sp.Symbol("theta", positive=True)
    return symml.derive.mle(st.Gamma("X", k, theta), wrt=[k, theta])
