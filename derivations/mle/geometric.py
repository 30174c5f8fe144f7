"""Geometric on 1, 2, ...: the success probability (one over the sample mean).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    return symml.derive.mle(st.Geometric("X", p), wrt=[p])
