"""Integer samples (counts) are reduced as they are: no float copy of the data, the same estimates as floats."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings, strategies as st
from scipy import optimize

from symml.mle.numeric import mle_estimator
from tests.mle_numeric.hand_built import CASES


@settings(max_examples=10, deadline=None)
@given(rate=st.floats(0.1, 50), size=st.integers(1, 2000), seed=st.integers(0, 10**6),
       dtype=st.sampled_from([np.int64, np.int32, np.uint16]))
def test_an_integer_poisson_sample_gives_the_likelihood_maximum(rate, size, seed, dtype):
    # the estimate from int counts is where scipy.optimize finds the maximum of scipy.stats' Poisson log-likelihood
    case = CASES["poisson"]
    counts = np.random.default_rng(seed).poisson(rate, size).astype(dtype)
    if counts.sum() == 0:
        return  # the estimate 0 is on the edge, checked elsewhere
    estimate = mle_estimator(case.problem)(counts)
    negative = lambda log_rate: -np.sum(ss.poisson(np.exp(log_rate)).logpmf(counts))  # noqa: E731
    reference = np.exp(optimize.minimize_scalar(negative, bracket=(-5.0, 5.0), tol=1e-12).x)
    assert abs(estimate["lambda"] - reference) < 1e-6 * reference


def test_an_int64_sample_is_not_copied():
    # 1e6 int64 counts are 8 MB: the estimator's peak allocation stays far below a float copy
    estimator = mle_estimator(CASES["poisson"].problem)
    counts = np.random.default_rng(0).poisson(3.0, 1_000_000)
    estimator(counts[:10])
    tracemalloc.start()
    estimate = estimator(counts)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000 and estimate["lambda"] == pytest.approx(counts.mean(), rel=1e-12)


def test_a_summand_of_integers_is_evaluated_in_floats():
    # the Exponential's rate from int data: 1/mean, and any x**-1 style summand must not raise on integers
    case = CASES["exponential"]
    data = np.array([1, 2, 3, 4], dtype=np.int64)
    assert mle_estimator(case.problem)(data)["lambda"] == pytest.approx(1 / 2.5)
    gamma = CASES["gamma"]
    counts = np.random.default_rng(1).poisson(5.0, 200) + 1
    assert mle_estimator(gamma.problem)(counts) == pytest.approx(mle_estimator(gamma.problem)(counts.astype(float)))
