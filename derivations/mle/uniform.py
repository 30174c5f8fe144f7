"""Uniform on [a, b]: both ends, the sample minimum and maximum (a boundary argument, not calculus).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    a = sp.Symbol("a", real=True)
    b = sp.Symbol("b", real=True)
    return symml.derive.mle(st.Uniform("X", a, b), wrt=[a, b])
