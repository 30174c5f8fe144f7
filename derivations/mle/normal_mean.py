"""Normal with known standard deviation: the mean alone (the sample mean; Bishop, PRML, eq. 2.121).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu])
