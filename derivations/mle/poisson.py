"""Poisson: the rate (the sample mean; Casella & Berger, Exercise 7.2).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    return symml.derive.mle(st.Poisson("X", lam), wrt=[lam])
