"""Log-normal: the mean and standard deviation of log X (the Normal estimators applied to log x).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.mle(st.LogNormal("X", mu, sigma), wrt=[mu, sigma])
