"""Moments of a Poisson(lambda) up to the fourth, directly as sums and from the moment generating function."""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    return symml.derive.moments(st.Poisson("X", lam), upto=4)
