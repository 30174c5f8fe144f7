"""KL divergence of an exponential from a normal: infinite, because the exponential is zero on (-oo, 0)."""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    m = sp.Symbol("m", real=True)
    s, r = sp.symbols("s r", positive=True)
    return symml.derive.kl(st.Normal("P", m, s), st.Exponential("Q", r))
