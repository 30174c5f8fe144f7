"""Normal with known mean: the standard deviation alone (root mean square deviation from the known mean).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.mle(st.Normal("X", mu, sigma), wrt=[sigma])
