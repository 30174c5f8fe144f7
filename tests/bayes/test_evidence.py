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


def sherman_morrison_log_evidence(x, m0_, s_, t_):
    """x ~ N(m0 1, s² I + t² 1 1ᵀ) at 60 digits: log det and the quadratic form by Sherman–Morrison, where the
    raw-moment cancellation costs nothing."""
    import mpmath

    with mpmath.workdps(60):
        d = [mpmath.mpf(float(v)) - mpmath.mpf(m0_) for v in x]
        s2, t2, n = mpmath.mpf(s_) ** 2, mpmath.mpf(t_) ** 2, len(d)
        quadratic = (mpmath.fsum(v * v for v in d) - t2 * mpmath.fsum(d) ** 2 / (s2 + n * t2)) / s2
        log_det = n * mpmath.log(s2) + mpmath.log1p(n * t2 / s2)
        return float(-(n * mpmath.log(2 * mpmath.pi) + log_det + quadratic) / 2)


@settings(max_examples=12, deadline=None)
@given(hs.floats(0.0, 1e8), hs.floats(-1.0, 1.0), hs.floats(0.1, 1e3))
def test_normal_normal_evidence_keeps_its_digits_for_data_far_from_zero(offset, prior_gap, t_):
    # n mean(x²) − n x̄² cancelled terms of 1e16 (offset 1e6, n = 10⁴) and lost 2.08 nats; centred, the spread
    # and (x̄ − m₀)² are computed by subtracting first, whatever the offset and wherever the prior sits
    x = offset + np.random.default_rng(0).normal(size=300)
    m0_ = offset + prior_gap * 10.0
    got = derive_evidence(posterior("normal_normal")).numpy()(x=x, m_0=m0_, sigma=1.0, t=t_)
    assert got == pytest.approx(sherman_morrison_log_evidence(x, m0_, 1.0, t_), rel=1e-12, abs=1e-6)


def test_normal_normal_evidence_of_ten_thousand_points_near_a_million_prml_3_86():
    x = 1e6 + np.random.default_rng(0).normal(size=10_000)
    got = derive_evidence(posterior("normal_normal")).numpy()(x=x, m_0=0.0, sigma=1.0, t=100.0)
    assert got == pytest.approx(sherman_morrison_log_evidence(x, 0.0, 1.0, 100.0), rel=1e-13)
