"""Normal: the mean and the standard deviation jointly.

The estimators are the sample mean and the square root of the biased sample variance (Bishop, PRML,
eqs. 2.121-2.122; Casella & Berger, Example 7.2.11).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
