"""Normal-Gamma prior (sympy.stats' NormalGamma) on a Normal's mean and precision: the kernel in (mu, tau) is matched
as a whole against the prior's own joint family, whose hyperparameters are updated (Murphy, Conjugate Bayesian
analysis of the Gaussian distribution, 2007, section 8).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
    tau, kappa, a, b = sp.Symbol("tau", positive=True), *sp.symbols("kappa_0 a b", positive=True)
    return symml.derive.posterior(st.Normal("X", mu, 1 / sp.sqrt(tau)), st.NormalGamma("P", m0, kappa, a, b),
                                  wrt=(mu, tau))
