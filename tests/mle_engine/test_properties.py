"""Property tests: for random true parameters and sample sizes the derived estimator is the numeric maximum."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats

from symml.mle import mle
from symml.mle.families import random_variable
from tests.mle_engine.sample_statistics import estimates, numeric_mle, relative_gap


@pytest.fixture(scope="module")
def normal():
    return mle(random_variable("Normal"))


@pytest.fixture(scope="module")
def poisson():
    return mle(random_variable("Poisson"))


@pytest.fixture(scope="module")
def weibull_scale():
    return mle(random_variable("Weibull"), wrt=["alpha"])


sizes = st.integers(min_value=20, max_value=2000)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=15)
@given(mu=st.floats(-50, 50), sigma=st.floats(0.05, 20), n=sizes, seed=seeds)
def test_normal_mle_is_the_numeric_maximum(normal, mu, sigma, n, seed):
    data = np.random.default_rng(seed).normal(mu, sigma, n)
    derived = estimates(normal, data)
    # optimise over (mu, log sigma), in units of the true sigma, so the simplex is well scaled for any sigma
    numeric = numeric_mle(lambda q: -stats.norm.logpdf(data, mu + sigma * q[0], sigma * np.exp(q[1])).sum(), [1.0, 0.7])
    assert abs(derived["mu"] - (mu + sigma * numeric[0])) < 1e-6 * sigma
    assert relative_gap(derived["sigma"], sigma * np.exp(numeric[1])) < 1e-6


@settings(max_examples=15)
@given(rate=st.floats(0.1, 40), n=sizes, seed=seeds)
def test_poisson_mle_is_the_numeric_maximum(poisson, rate, n, seed):
    data = np.random.default_rng(seed).poisson(rate, n).astype(float)
    if data.sum() == 0:  # the maximum is on the boundary lambda = 0, outside the parameter space
        return
    derived = estimates(poisson, data)["lambda"]
    numeric = numeric_mle(lambda q: -stats.poisson.logpmf(data, abs(q[0])).sum(), [2 * rate])
    assert relative_gap(derived, abs(numeric[0])) < 1e-6


@settings(max_examples=15)
@given(scale=st.floats(0.1, 10), shape=st.floats(0.5, 4), n=sizes, seed=seeds)
def test_weibull_scale_mle_is_the_numeric_maximum(weibull_scale, scale, shape, n, seed):
    data = scale * np.random.default_rng(seed).weibull(shape, n)
    derived = estimates(weibull_scale, data, beta=shape)["alpha"]
    numeric = numeric_mle(lambda q: -stats.weibull_min.logpdf(data, shape, scale=abs(q[0])).sum(), [2 * scale])
    assert relative_gap(derived, abs(numeric[0])) < 1e-6
