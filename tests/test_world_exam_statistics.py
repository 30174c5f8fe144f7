"""University statistics exam questions (Cambridge Tripos IB Statistics, Oxford Part A, Warwick ST218/ST219, PhD
qualifying exams) posed as a candidate types them, through the public API, each checked against an independent
numeric oracle (scipy.stats quantiles, scipy.optimize, Monte Carlo). The round's table is in the branch's report;
these are the problems that failed before and were fixed."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import optimize

import symml

x, y = sp.symbols("x y", real=True)
theta = sp.Symbol("theta", positive=True)


def test_power_density_as_a_beta_theta_one_has_its_closed_form_mle_cambridge_ib():
    # X ~ Beta(θ, 1), f = θx^{θ−1} on (0, 1): SymPy's normaliser 1/B(θ, 1) hid θ, the score held ψ(θ + 1) − ψ(θ)
    # and the engine said "no closed form". θ̂ = −n/Σ log xᵢ. Oracle: scipy's bounded maximum of the likelihood
    estimate = symml.derive.mle(st.Beta("X", theta, 1), wrt=[theta])
    assert not estimate.result[theta].has(sp.polygamma)
    data = np.random.default_rng(1).beta(2.5, 1.0, 30)
    best = optimize.minimize_scalar(lambda t: -ss.beta(t, 1).logpdf(data).sum(), bounds=(0.01, 50),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert estimate.numpy()(x=data)["theta"] == pytest.approx(best, rel=1e-7)


def test_bias_of_minus_n_over_the_sum_of_logs_is_exact_cambridge_ib():
    # Σ(−log Xᵢ) ~ Gamma(n, 1/θ), so E[θ̂] = nθ/(n − 1): bias θ/(n − 1), exact (the delta method gave θ/n).
    # Oracle: Monte Carlo over 40 000 samples of n = 6
    estimate = symml.derive.mle(st.Beta("X", theta, 1), wrt=[theta])
    bias = symml.derive.bias(estimate, theta)
    assert "exact" in " ".join(bias.remarks)
    draws = np.random.default_rng(2).beta(2.0, 1.0, size=(40_000, 6))
    estimates = -6 / np.log(draws).sum(axis=1)
    standard_error = estimates.std() / np.sqrt(estimates.size)
    assert abs(bias.numpy()(theta=2.0, n=6) - (estimates.mean() - 2.0)) < 4 * standard_error


def test_interval_for_a_normal_variance_with_known_mean_has_its_ends_in_order_cambridge_ib():
    # S/v ~ χ²_n decreases in v: the lower quantile gives the upper end. The ends came out swapped (lower 14.46,
    # upper 2.29). Oracle: S/χ²_n quantiles from scipy
    v = sp.Symbol("v", positive=True)
    estimate = symml.derive.mle(st.Normal("X", 0, sp.sqrt(v)), wrt=[v])
    data = np.random.default_rng(3).normal(0.0, 2.0, 10)
    total = np.sum(data**2)
    lower, upper = symml.derive.confidence_interval(estimate, v).numpy()(x=data)
    assert (lower, upper) == pytest.approx((total / ss.chi2(10).ppf(0.975), total / ss.chi2(10).ppf(0.025)), rel=1e-9)


def test_rayleigh_scale_gets_the_exact_chi_square_interval_oxford_part_a():
    # Σxᵢ²/σ² ~ χ²_{2n}: inverting it for σ > 0 has one root (the pivot "could not be inverted", Wald instead).
    # Oracle: scipy's chi2 quantiles
    sigma = sp.Symbol("sigma", positive=True)
    interval = symml.derive.confidence_interval(symml.derive.mle(st.Rayleigh("X", sigma), wrt=[sigma]), sigma)
    assert interval.remarks[0].startswith("Exact")
    data = np.random.default_rng(4).rayleigh(1.5, 10)
    total = np.sum(data**2)
    expected = (np.sqrt(total / ss.chi2(20).ppf(0.975)), np.sqrt(total / ss.chi2(20).ppf(0.025)))
    assert interval.numpy()(x=data) == pytest.approx(expected, rel=1e-9)


def test_exact_interval_for_an_exponential_mean_typed_as_a_density_cambridge_ib():
    # f(x) = e^{−x/θ}/θ typed by hand: confidence_interval refused Models. 2S/θ ~ χ²_{2n}. Oracle: scipy
    model = symml.Model(sp.Piecewise((-sp.log(theta) - x / theta, x > 0), (-sp.oo, True)), x)
    interval = symml.derive.confidence_interval(symml.derive.mle(model, wrt=[theta]), theta)
    data = np.random.default_rng(5).exponential(2.0, 6)
    expected = (2 * data.sum() / ss.chi2(12).ppf(0.975), 2 * data.sum() / ss.chi2(12).ppf(0.025))
    assert interval.numpy()(x=data) == pytest.approx(expected, rel=1e-9)


def test_exact_interval_for_a_shifted_exponential_location_typed_as_a_density_cambridge_ib():
    # f(x) = e^{θ − x} for x ≥ θ: n(X₍₁₎ − θ) ~ Exp(1). Oracle: the exponential's quantiles, −log(1 − p)
    location = sp.Symbol("theta", real=True)
    model = symml.Model(sp.Piecewise((location - x, x >= location), (-sp.oo, True)), x)
    interval = symml.derive.confidence_interval(symml.derive.mle(model, wrt=[location]), location)
    data = 1.0 + np.random.default_rng(6).exponential(1.0, 10)
    expected = (data.min() - ss.expon.ppf(0.975) / 10, data.min() - ss.expon.ppf(0.025) / 10)
    assert interval.numpy()(x=data) == pytest.approx(expected, rel=1e-12)



@pytest.mark.parametrize("support", [sp.Range(1, sp.Symbol("N", positive=True, integer=True) + 1), None],
                         ids=["range_to_n", "piecewise"])
def test_discrete_uniform_on_one_to_n_is_estimated_by_the_sample_maximum_cambridge_ib(support):
    # German tank: X uniform on {1, ..., N}, typed with support=Range(1, N + 1) (SymPy's Range of a symbolic end has
    # no inf: a ValueError from SymPy) or as a Piecewise of an integer x (read as the interval [1, N]: "the
    # density does not integrate to 1"). Oracle: the likelihood N^{−n} over the integers N ≥ max x, by numpy
    n_max, k = sp.Symbol("N", positive=True, integer=True), sp.Symbol("x", integer=True)
    logpdf = -sp.log(n_max) if support is not None else sp.Piecewise((-sp.log(n_max), (k >= 1) & (k <= n_max)),
                                                                      (-sp.oo, True))
    estimate = symml.derive.mle(symml.Model(logpdf, k, support=support), wrt=[n_max])
    serials = np.array([19.0, 40.0, 42.0, 60.0, 7.0])
    likelihood = [0.0 if m < serials.max() else m ** -float(serials.size) for m in range(1, 200)]
    assert estimate.numpy()(x=serials)["N"] == 1 + int(np.argmax(likelihood))


def test_bayes_estimator_under_absolute_loss_is_the_posterior_median_cambridge_part_ii():
    # Principles of Statistics: under |θ − a| loss the Bayes estimator is the posterior median; the summary had the
    # mean (squared loss) and the mode (0-1 loss) only. Poisson counts, Gamma(2, 1) prior: Gamma(2 + Σx, 1 + n).
    # Oracle: scipy's gamma median
    lam = sp.Symbol("lambda", positive=True)
    posterior = symml.derive.posterior(st.Poisson("X", lam), st.Gamma("L", 2, 1), wrt=lam)
    counts = np.array([1.0, 4.0, 2.0])
    found = symml.derive.posterior_summary(posterior).numpy()(x=counts)
    assert found["median"] == pytest.approx(ss.gamma(2 + counts.sum(), scale=1 / (1 + counts.size)).median(), rel=1e-9)


def test_beta_theta_two_mle_is_the_root_of_its_quadratic_score_oxford_part_a():
    # f = θ(θ + 1)x^{θ−1}(1 − x): the score 1/θ + 1/(θ + 1) + mean(log x) is a quadratic with one positive root once
    # mean(log x) < 0 on (0, 1) is known (it was "no closed form"). Oracle: scipy's bounded maximum
    estimate = symml.derive.mle(st.Beta("X", theta, 2), wrt=[theta])
    assert theta in estimate.result
    data = np.random.default_rng(8).beta(2.0, 2.0, 30)
    best = optimize.minimize_scalar(lambda t: -ss.beta(t, 2).logpdf(data).sum(), bounds=(0.01, 50),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert estimate.numpy()(x=data)["theta"] == pytest.approx(best, rel=1e-7)



def test_second_moment_of_a_student_t_location_skips_the_generating_function_it_lacks_phd_qualifier():
    # t₃ location typed as a density: E[X²] = μ² + ν/(ν − 2) = μ² + 3. The expectation first tried E[e^{tX}] under
    # its budget, which a polynomially decaying density does not have (16 s CPU; the Fisher information, several
    # such terms, 35 s, past 60 s on a loaded machine); now 2 s. Oracle: scipy's t mean and variance
    mu = sp.Symbol("mu", real=True)
    constant = sp.log(sp.gamma(2) / (sp.sqrt(3 * sp.pi) * sp.gamma(sp.Rational(3, 2))))
    model = symml.Model(-2 * sp.log(1 + (x - mu)**2 / 3) + constant, x)
    second_moment = symml.derive.expectation(model, x**2).numpy()(mu=0.5)
    assert second_moment == pytest.approx(ss.t(3, loc=0.5).var() + 0.5**2, rel=1e-12)
