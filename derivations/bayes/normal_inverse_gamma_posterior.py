"""Normal-Inverse-Gamma prior on a Normal's mean and variance: the posterior is again Normal-Inverse-Gamma, found as
a Normal for the mean given the variance times the Inverse-Gamma left when the mean is integrated out (Murphy,
Conjugate Bayesian analysis of the Gaussian distribution, 2007, section 6). The joint prior is a user log-density
over (mu, s2), unnormalised.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
    s2 = sp.Symbol("s2", positive=True)
    kappa, a, b = sp.symbols("kappa_0 a b", positive=True)
    prior = symml.Model(logpdf=-kappa * (mu - m0) ** 2 / (2 * s2) - sp.log(s2) / 2 - (a + 1) * sp.log(s2) - b / s2,
                        data=(mu, s2))
    return symml.derive.posterior(st.Normal("X", mu, sp.sqrt(s2)), prior=prior, wrt=(mu, s2))
