"""Exact bias, variance and MSE where the question asks for them (Cross Validated, Math Stack Exchange): through
the quantile of an order statistic, through the MGF of a sufficient sum; and the coverage check of a Wald interval.
Oracles: Monte Carlo, sums of the exact Poisson law of the sum (scipy.stats)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml

theta = sp.Symbol("theta", positive=True)
lam = sp.Symbol("lambda", positive=True)


def test_mse_of_half_the_maximum_of_a_uniform_theta_two_theta_is_exact_by_the_quantile_transform():
    # θ̂ = x₍ₙ₎/2 for U(θ, 2θ) (stats.stackexchange.com/questions/465477): the density route left
    # ∫ n x ((x − θ)/θ)ⁿ⁻¹/θ dx unevaluated after minutes; in v = F(x) it is a polynomial
    estimate = symml.derive.mle(st.Uniform("X", theta, 2 * theta), wrt=[theta])
    mse = symml.derive.mse(estimate, theta)
    assert not mse.result.has(sp.Integral) and "The mse is exact." in mse.remarks
    draws = ss.uniform(1.5, 1.5).rvs(size=(200_000, 7), random_state=1).max(axis=1) / 2
    assert float(mse.numpy()(theta=1.5, n=7)) == pytest.approx(np.mean((draws - 1.5) ** 2), rel=0.02)
    (mean,) = [step.math.rhs for step in mse.steps if step.title == "Expectation"]
    assert float(mean.subs({theta: 1.5, estimate.problem.sample_size: 7})) == pytest.approx(draws.mean(), abs=4 * draws.std() / 447)


def test_bias_and_variance_of_e_to_the_minus_sample_mean_are_exact_from_the_poisson_mgf_cross_validated_443941():
    # E[e^{−x̄}] = M_x(−1/n)ⁿ = e^{nλ(e^{−1/n} − 1)}: the delta method answered e^{−λ}(1 + λ/(2n))
    estimate = symml.derive.mle(st.Poisson("X", lam))
    bias = symml.derive.bias(estimate, sp.exp(-lam))
    variance = symml.derive.variance(estimate, sp.exp(-lam))
    assert "The bias is exact." in bias.remarks and "The variance is exact." in variance.remarks
    n, rate = 6, 1.3
    totals = np.arange(0, 200)
    weights = ss.poisson(n * rate).pmf(totals)  # oracle: the exact law of S = Σx, summed term by term
    first, second = weights @ np.exp(-totals / n), weights @ np.exp(-2 * totals / n)
    assert float(bias.numpy()(**{"lambda": rate, "n": n})) == pytest.approx(first - np.exp(-rate), rel=1e-10)
    assert float(variance.numpy()(**{"lambda": rate, "n": n})) == pytest.approx(second - first**2, rel=1e-10)


def test_a_wald_interval_verifies_by_its_coverage_mathhelpforum_rayleigh():
    # verify() had no implementation for a Wald interval (UnsupportedOperationError)
    estimate = symml.derive.mle(st.Rayleigh("X", theta))
    interval = symml.derive.confidence_interval(estimate, theta, method="wald")
    report = interval.verify(size=200, replications=400)
    assert report and "coverage" in report.method
    data = ss.rayleigh.rvs(scale=2.0, size=400, random_state=5)
    centre = np.sqrt(np.mean(data**2) / 2)  # oracle: the MLE and 1/√(n I), I = 4/θ²
    half = ss.norm.ppf(0.975) * centre / np.sqrt(4 * 400)
    assert interval.numpy()(x=data) == pytest.approx((centre - half, centre + half), rel=1e-10)


def test_bias_and_variance_of_the_pareto_shape_mle_are_exact_through_the_shifted_sum():
    # θ̂ = n/Σ log(xᵢ/k) with Σ log(xᵢ/k) ~ Gamma(n, 1/θ): E θ̂ = nθ/(n − 1) (the delta method answered θ(1 + 1/n)).
    # Oracle: Monte Carlo of θ̂ over Pareto samples (scipy.stats)
    x, k = sp.Symbol("x", real=True), sp.Symbol("k", positive=True)
    model = symml.Model(sp.log(theta) + theta * sp.log(k) - (theta + 1) * sp.log(x), x, support=sp.Interval(k, sp.oo))
    estimate = symml.derive.mle(model, wrt=[theta])
    bias, variance = symml.derive.bias(estimate, theta), symml.derive.variance(estimate, theta)
    assert "The bias is exact." in bias.remarks and "The variance is exact." in variance.remarks
    draws = ss.pareto(b=2.5, scale=1.3).rvs(size=(200_000, 8), random_state=2)
    estimates = 8 / np.log(draws / 1.3).sum(axis=1)
    assert float(bias.numpy()(theta=2.5, k=1.3, n=8)) == pytest.approx(estimates.mean() - 2.5, abs=4 * estimates.std() / 447)
    assert float(variance.numpy()(theta=2.5, k=1.3, n=8)) == pytest.approx(estimates.var(), rel=0.03)
