"""Marginal posterior of a Normal mean under a Normal-Inverse-Gamma prior: the variance integrated out leaves a
Student-t with 2 a_n degrees of freedom, location m_n and squared scale b_n/(a_n kappa_n) (Murphy, Conjugate
Bayesian analysis of the Gaussian distribution, 2007, eq. 90). The variance given the mean is recognised as an
Inverse-Gamma, and the joint divided by it is the marginal.
"""
import sympy as sp

import symml
from derivations.bayes.normal_inverse_gamma_posterior import derivation as posterior


def derivation() -> symml.Derivation:
    return symml.derive.marginal_posterior(posterior(), wrt=sp.Symbol("mu", real=True))
