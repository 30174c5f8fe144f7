"""Normal prior on the log-mean mu of a LogNormal with known sigma: the posterior is Normal, as for a Normal mean with
the log-data in place of the data (the kernel is quadratic in mu with mean(log x) as the statistic).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
    sigma, t = sp.Symbol("sigma", positive=True), sp.Symbol("t", positive=True)
    return symml.derive.posterior(st.LogNormal("X", mu, sigma), st.Normal("M", m0, t), wrt=mu)
