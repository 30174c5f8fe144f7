"""The evidence by the candidate's identity agrees with the quadrature of likelihood x prior (scipy.stats)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings, strategies as hs
from scipy import integrate

from symml.bayes import derive_evidence
from tests.bayes.test_posterior_pairs import posterior

SETTINGS = settings(max_examples=10, deadline=None)
hyper = hs.floats(1.0, 5.0)


def quadrature_log_evidence(log_joint, low, high):
    return float(np.log(integrate.quad(lambda q: np.exp(log_joint(q)), low, high, limit=200, epsabs=0,
                                       epsrel=1e-11)[0]))


@SETTINGS
@given(hs.lists(hs.integers(0, 1), min_size=1, max_size=12), hyper, hyper)
def test_beta_bernoulli_evidence_is_the_integral_of_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    want = quadrature_log_evidence(lambda q: ss.bernoulli.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), 0, 1)
    got = derive_evidence(posterior("beta_bernoulli")).numpy()(x=x, a=a_, b=b_)
    assert abs(got - want) < 1e-8


@SETTINGS
@given(hs.lists(hs.integers(0, 6), min_size=1, max_size=8), hyper, hs.floats(0.3, 3.0))
def test_gamma_poisson_evidence_is_the_integral_of_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    want = quadrature_log_evidence(lambda q: ss.poisson.logpmf(x, q).sum() + ss.gamma.logpdf(q, a_, scale=b_),
                                   0, np.inf)
    got = derive_evidence(posterior("gamma_poisson")).numpy()(x=x, a=a_, b=b_)
    assert abs(got - want) < 1e-7


PAIRS = ["beta_bernoulli", "beta_binomial", "beta_geometric", "beta_negative_binomial", "gamma_poisson",
         "gamma_exponential", "normal_normal", "normal_lognormal", "gamma_normal_precision",
         "inverse_gamma_normal_variance", "gamma_pareto_shape", "gamma_gamma_rate", "inverse_gamma_weibull_scale",
         "pareto_uniform"]


@pytest.mark.parametrize("name", PAIRS)
def test_the_evidence_of_every_pair_verifies_against_the_quadrature_of_likelihood_times_prior(name):
    assert derive_evidence(posterior(name)).verify()
