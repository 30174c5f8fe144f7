"""The law of Σ(xᵢ − x̄)² of a Normal sample by Cochran's decomposition, and the exact intervals for a Normal
variance (or standard deviation) with the mean unknown that it gives: each against scipy.stats or Monte Carlo."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import UnsupportedOperationError
from symml.probability.centred_squares import centred_sum_law
from symml.probability.law import as_law

mu, sigma, v = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True), sp.Symbol("v", positive=True)
n = sp.Symbol("n", positive=True, integer=True)


def test_centred_sum_of_squares_has_the_law_of_sigma_squared_chi_square_n_minus_one():
    # Σ(xᵢ − x̄)² ~ Gamma((n − 1)/2, 2σ²). Oracle: 20 000 simulated samples of n = 5, σ = 1.5, by a KS test
    _, law, _ = centred_sum_law(as_law(st.Normal("X", mu, sigma)), n)
    shape, scale = (float(p.subs({n: 5, sigma: 1.5})) for p in law.parameters)
    draws = np.random.default_rng(11).normal(0.7, 1.5, size=(20_000, 5))
    sums = ((draws - draws.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    assert ss.kstest(sums, ss.gamma(shape, scale=scale).cdf).pvalue > 1e-3


def test_centred_sum_law_refuses_a_sample_that_is_not_normal():
    with pytest.raises(UnsupportedOperationError, match="not recognised as Normal"):
        centred_sum_law(as_law(st.Exponential("X", sigma)), n)


def test_variance_interval_with_the_mean_unknown_is_the_chi_square_n_minus_one_interval():
    # [Σ(xᵢ − x̄)²/χ²_{n−1, 0.95}, Σ(xᵢ − x̄)²/χ²_{n−1, 0.05}]; it was the Wald interval. Oracle: scipy's chi2
    estimate = symml.derive.mle(st.Normal("X", mu, sp.sqrt(v)), wrt=[mu, v])
    interval = symml.derive.confidence_interval(estimate, v, 0.9)
    assert interval.remarks[0].startswith("Exact")
    data = np.random.default_rng(5).normal(1.0, 2.0, 8)
    spread = np.sum((data - data.mean()) ** 2)
    expected = (spread / ss.chi2(7).ppf(0.95), spread / ss.chi2(7).ppf(0.05))
    assert interval.numpy()(x=data) == pytest.approx(expected, rel=1e-9)


def test_standard_deviation_interval_with_the_mean_unknown_covers_at_its_level():
    # Oracle: Monte Carlo coverage over 3 000 samples of n = 4 (the Wald interval covered 0.695 there)
    estimate = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
    interval = symml.derive.confidence_interval(estimate, sigma, 0.95).numpy()
    samples = np.random.default_rng(12).normal(-1.0, 0.8, size=(3_000, 4))
    hits = np.mean([low <= 0.8 <= high for low, high in map(interval, samples)])
    assert abs(hits - 0.95) < 4 * np.sqrt(0.95 * 0.05 / 3_000)


def test_bias_of_sigma_hat_is_the_exact_chi_mean_not_the_delta_method():
    # E[σ̂] − σ = σ(√(2/n) Γ(n/2)/Γ((n − 1)/2) − 1): −0.2389 at n = 5, σ = 1.5, where the delta method's −3σ/(4n)
    # gave −0.2250. Oracle: Monte Carlo over 200 000 samples of n = 5 (standard error 0.0011)
    estimate = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
    bias = symml.derive.bias(estimate, sigma)
    assert bias.remarks[0] == "The bias is exact."
    estimates = np.random.default_rng(13).normal(0.3, 1.5, size=(200_000, 5)).std(axis=1)
    simulated = estimates.mean() - 1.5
    assert abs(bias.numpy()(sigma=1.5, n=5) - simulated) < 4 * estimates.std() / np.sqrt(estimates.size)
    assert abs(-3 * 1.5 / 20 - simulated) > 8 * estimates.std() / np.sqrt(estimates.size)


def test_variance_of_sigma_hat_is_exact_through_the_same_law():
    # Var σ̂ = (n − 1)σ²/n − E[σ̂]². Oracle: Monte Carlo over 200 000 samples of n = 5
    estimate = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
    variance = symml.derive.variance(estimate, sigma)
    assert variance.remarks[0] == "The variance is exact."
    estimates = np.random.default_rng(14).normal(0.3, 1.5, size=(200_000, 5)).std(axis=1)
    assert variance.numpy()(sigma=1.5, n=5) == pytest.approx(estimates.var(), rel=4 * np.sqrt(2 / estimates.size) * 2)


def test_log_normal_sigma_interval_is_exact_through_the_centred_logs():
    # Σ(log xᵢ − mean(log x))² ~ σ²χ²_{n−1}: Cochran's decomposition applies to gᵢ = log xᵢ, whose MGF E[X^t] is a
    # Normal's. Oracle: scipy's chi2 quantiles on the logs
    estimate = symml.derive.mle(st.LogNormal("X", mu, sigma), wrt=[mu, sigma])
    interval = symml.derive.confidence_interval(estimate, sigma, 0.9)
    assert interval.remarks[0].startswith("Exact")
    logs = np.log(np.random.default_rng(15).lognormal(1.0, 0.7, 8))
    spread = np.sum((logs - logs.mean()) ** 2)
    expected = np.sqrt((spread / ss.chi2(7).ppf(0.95), spread / ss.chi2(7).ppf(0.05)))
    assert interval.numpy()(x=np.exp(logs)) == pytest.approx(tuple(expected), rel=1e-9)
