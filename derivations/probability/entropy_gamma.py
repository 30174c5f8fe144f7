"""Differential entropy of a Gamma(k, theta): E[log x] by differentiating the normaliser, E[x] by its shift."""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    k, theta = sp.symbols("k theta", positive=True)
    return symml.derive.entropy(st.Gamma("X", k, theta))
