"""Posterior predictive of a Normal with a Normal-Inverse-Gamma prior on its mean and variance: a Student-t with
2 a_n degrees of freedom (Murphy, Conjugate Bayesian analysis of the Gaussian distribution, 2007, eq. 100), here
as the ratio of the evidences of the sample with and without the new point.
"""
import symml
from derivations.bayes.normal_inverse_gamma_posterior import derivation as posterior


def derivation() -> symml.Derivation:
    return symml.derive.posterior_predictive(posterior())
