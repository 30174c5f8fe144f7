"""An integer parameter whose support moves with it (a Binomial's number of trials N): the MLE where the ratio of
successive likelihoods crosses 1, against a brute-force search over N with scipy.stats' pmf."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings, strategies as hs
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import DataError

N = sp.Symbol("N", positive=True, integer=True)
p = sp.Symbol("p", positive=True)


@pytest.fixture(scope="module")
def half():
    return symml.derive.mle(st.Binomial("X", N, sp.Rational(1, 2)), wrt=[N])


def _log_likelihood(data: np.ndarray, trials: Any, success: float) -> np.ndarray:
    return ss.binom.logpmf(np.asarray(data)[:, None], np.atleast_1d(trials)[None, :], success).sum(axis=0)


def _brute_force(data: np.ndarray, success: float) -> int:
    candidates = np.arange(max(int(data.max()), 1), 20 * int(data.max()) + 50)
    return int(candidates[np.argmax(_log_likelihood(data, candidates, success))])


def test_binomial_number_of_trials_is_where_the_likelihood_ratio_crosses_one(half):
    # it was refused ("the relaxed likelihood has none"); N̂ = max{N ≥ x₍ₙ₎ : Σ log(N(1 − p)/(N − xᵢ)) ≥ 0}
    estimate = half
    assert "calculus does not apply" in estimate.remarks[0]
    assert estimate.verify().passed  # its own brute force over N on simulated samples
    rng = np.random.default_rng(21)
    for trials, size in ((7, 5), (40, 12), (150, 30)):
        data = rng.binomial(trials, 0.5, size)
        assert estimate.numpy()(x=data)["N"] == _brute_force(data, 0.5)


def test_binomial_number_of_trials_with_a_known_success_probability_given_by_name():
    estimate = symml.derive.mle(st.Binomial("X", N, p), wrt=[N])
    data = np.random.default_rng(22).binomial(60, 0.2, 8)
    assert estimate.numpy()(x=data, p=0.2)["N"] == _brute_force(data, 0.2)


def test_binomial_number_of_trials_from_all_zero_counts_is_the_smallest_allowed(half):
    # L(N) = (1 − p)^{nN} falls from N = 1
    assert half.numpy()(x=[0, 0, 0])["N"] == _brute_force(np.zeros(3), 0.5) == 1


def test_binomial_number_of_trials_refuses_a_negative_count(half):
    with pytest.raises(DataError, match="outside the support"):
        half.numpy()(x=[2, -1, 3])


@settings(max_examples=30, deadline=None)
@given(hs.lists(hs.integers(0, 60), min_size=1, max_size=15))
def test_binomial_number_of_trials_attains_the_brute_force_maximum_for_every_sample(half, counts):
    # a tie L(N) = L(N − 1) (x = [1]: both 1/2) has two maximisers: the likelihood values are compared
    data = np.array(counts)
    found, best = half.numpy()(x=data)["N"], _brute_force(data, 0.5)
    assert _log_likelihood(data, found, 0.5)[0] == pytest.approx(_log_likelihood(data, best, 0.5)[0], abs=1e-9)
