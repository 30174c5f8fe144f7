"""Maxwell-Boltzmann: the scale (the square root of a third of the mean square).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    a = sp.Symbol("a", positive=True)
    return symml.derive.mle(st.Maxwell("X", a), wrt=[a])
