"""Normal prior on a Normal mean with known variance: the posterior is Normal, its precision the sum of the
prior's and the data's (Bishop, PRML, eqs. 2.141-2.142).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
    sigma, t = sp.Symbol("sigma", positive=True), sp.Symbol("t", positive=True)
    return symml.derive.posterior(st.Normal("X", mu, sigma), st.Normal("M", m0, t), wrt=mu)
