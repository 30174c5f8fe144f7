"""Bias, variance and MSE of the MLE of U(−θ, θ), θ̂ = Max(max x, −min x) = max |xᵢ|: the maximum of the n
i.i.d. folded observations |xᵢ|, whose law (density f(t) + f(−t) on [0, θ]) is derived, then the order
statistic's as for any maximum. It was refused ("uses the order statistic min(x) (with min(x), max(x))").
Oracle: Monte Carlo of max |xᵢ| over U(−θ, θ) samples (numpy).
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st

import symml

theta = sp.Symbol("theta", positive=True)


@pytest.fixture(scope="module")
def estimate():
    return symml.derive.mle(st.Uniform("X", -theta, theta), wrt=[theta])


@pytest.fixture(scope="module")
def draws():
    return np.abs(np.random.default_rng(74).uniform(-2.0, 2.0, size=(200_000, 5))).max(axis=1)


def test_the_bias_of_the_largest_distance_from_zero_matches_monte_carlo(estimate, draws):
    bias = symml.derive.bias(estimate, theta)
    assert float(bias.numpy()(theta=2.0, n=5)) == pytest.approx(draws.mean() - 2.0, abs=4 * draws.std() / 447)
    assert "The estimator is the largest |xᵢ|" in [step.title for step in bias.steps]


def test_the_variance_and_mse_match_monte_carlo(estimate, draws):
    variance, mse = symml.derive.variance(estimate, theta), symml.derive.mse(estimate, theta)
    assert float(variance.numpy()(theta=2.0, n=5)) == pytest.approx(draws.var(), rel=0.02)
    assert float(mse.numpy()(theta=2.0, n=5)) == pytest.approx(np.mean((draws - 2.0)**2), rel=0.02)
    assert "The mse is exact." in mse.remarks


