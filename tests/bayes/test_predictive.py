"""The posterior predictive (a ratio of evidences) agrees with the quadrature of f(x_new | theta) against the
posterior, built from scipy.stats likelihood x prior."""
from __future__ import annotations

from functools import cache

import numpy as np
import scipy.stats as ss
from hypothesis import given, settings, strategies as hs
from scipy import integrate

from symml.bayes import derive_posterior_predictive
from tests.bayes.test_posterior_pairs import posterior

SETTINGS = settings(max_examples=10, deadline=None)


@cache
def predictive_density(pair):
    """The predictive's numpy() of a catalogued pair, derived once for all the hypothesis examples."""
    return derive_posterior_predictive(posterior(pair)).numpy()
hyper = hs.floats(1.0, 5.0)


def quadrature_predictive(log_joint, log_new, low, high):
    z = integrate.quad(lambda q: np.exp(log_joint(q)), low, high, limit=200, epsabs=0, epsrel=1e-11)[0]
    return integrate.quad(lambda q: np.exp(log_joint(q) + log_new(q)), low, high, limit=200, epsabs=0,
                          epsrel=1e-11)[0] / z


@SETTINGS
@given(hs.lists(hs.integers(0, 1), min_size=1, max_size=12), hyper, hyper)
def test_beta_bernoulli_predictive_probability_of_a_success(x, a_, b_):
    x = np.array(x, float)
    want = quadrature_predictive(lambda q: ss.bernoulli.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), np.log, 0, 1)
    got = predictive_density("beta_bernoulli")(x_new=1.0, x=x, a=a_, b=b_)
    assert abs(np.exp(got) - want) < 1e-8


@SETTINGS
@given(hs.lists(hs.integers(0, 6), min_size=1, max_size=8), hyper, hs.floats(0.3, 3.0), hs.integers(0, 8))
def test_gamma_poisson_predictive_is_the_posterior_average_of_the_poisson_pmf(x, a_, b_, new):
    x = np.array(x, float)
    want = quadrature_predictive(lambda q: ss.poisson.logpmf(x, q).sum() + ss.gamma.logpdf(q, a_, scale=b_),
                                 lambda q: ss.poisson.logpmf(new, q), 0, np.inf)
    got = predictive_density("gamma_poisson")(x_new=float(new), x=x, a=a_, b=b_)
    assert abs(np.exp(got) - want) < 1e-8


def test_the_predictive_of_a_normal_with_known_mean_and_unknown_variance_is_a_student_t_and_verifies():
    predictive = derive_posterior_predictive(posterior("inverse_gamma_normal_variance"))
    assert predictive.problem.family == "StudentT"
    assert predictive.verify()


def test_beta_binomial_predictive_is_written_without_the_reflection_formula_murphy_pml1_4_6_2():
    # Murphy PML1 4.6.2 (the beta-binomial): log p(k | x) = log C(m, k) + log B(a' + k, b' + m − k) − log B(a', b');
    # gammasimp wrote C(5, k) through π/sin(πk) with log(k − 5) and iπ before. Oracle: scipy.stats.betabinom
    import sympy as sp
    import sympy.stats as st

    import symml

    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    predictive = symml.derive.posterior_predictive(symml.derive.posterior(st.Binomial("X", 5, p), st.Beta("P", a, b),
                                                                          wrt=p))
    assert not predictive.result.has(sp.I, sp.sin)
    x = np.array([1.0, 2, 3, 0, 4, 5])
    law = ss.betabinom(5, 2.0 + x.sum(), 3.0 + 5 * x.size - x.sum())
    log_pmf = predictive.numpy()
    assert all(abs(log_pmf(x_new=float(k), x=x, a=2.0, b=3.0) - law.logpmf(k)) < 1e-10 for k in range(6))
