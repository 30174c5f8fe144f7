"""Wikipedia's distribution articles against symml: what each infobox states (mean, variance, entropy, Fisher
information, KL divergence, maximum-likelihood estimators, conjugate posterior predictive), posed through the
public API as a user would ask it.

The oracle is never the infobox: scipy.stats (.stats(), .entropy(), samplers), scipy.integrate.quad,
scipy.optimize on the log-likelihood, finite differences of the log-density. The oracles live here only.
Parametrisations: sympy.stats' (rate λ for the Exponential, scale x_m and shape α for the Pareto, scale a for the
Maxwell–Boltzmann); each test says where Wikipedia's differs.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml

positive = {name: sp.Symbol(name, positive=True) for name in ("a", "b", "p", "lambda", "a1", "a2", "x_m", "k")}
RNG = np.random.default_rng(20261126)


def kl_by_quadrature(p, q, low, high):
    return integrate.quad(lambda t: p.pdf(t) * (p.logpdf(t) - q.logpdf(t)), low, high, limit=200)[0]


def fisher_by_differences(logpdf, theta, low, high, step=1e-5):
    """E[score²] of one parameter: the score by central differences, the expectation by quadrature."""
    def score(t):
        return (logpdf(t, theta + step) - logpdf(t, theta - step)) / (2 * step)
    return integrate.quad(lambda t: np.exp(logpdf(t, theta)) * score(t) ** 2, low, high, limit=200)[0]


def test_exponential_entropy_is_one_minus_log_rate():
    """https://en.wikipedia.org/wiki/Exponential_distribution (infobox: entropy 1 − ln λ)."""
    derivation = symml.derive.entropy(st.Exponential("X", positive["lambda"]))
    for rate in (1e-3, 1.7, 1e3):
        assert derivation.numpy()(**{"lambda": rate}) == pytest.approx(ss.expon(scale=1 / rate).entropy(), rel=1e-12)


def test_exponential_kl_between_two_rates():
    """https://en.wikipedia.org/wiki/Exponential_distribution#Kullback%E2%80%93Leibler_divergence
    (from λ₀ to λ: ln λ₀ − ln λ + λ/λ₀ − 1)."""
    a1, a2 = positive["a1"], positive["a2"]
    derivation = symml.derive.kl(st.Exponential("P", a1), st.Exponential("Q", a2))
    oracle = kl_by_quadrature(ss.expon(scale=1 / 2.5), ss.expon(scale=1 / 1.5), 0, np.inf)
    assert derivation.numpy()(a1=2.5, a2=1.5) == pytest.approx(oracle, rel=1e-9)


def test_poisson_kl_between_two_rates():
    """https://en.wikipedia.org/wiki/Poisson_distribution (KL: λ₀ log(λ₀/λ) + λ − λ₀)."""
    a1, a2 = positive["a1"], positive["a2"]
    derivation = symml.derive.kl(st.Poisson("P", a1), st.Poisson("Q", a2))
    k = np.arange(0, 200)
    oracle = np.sum(ss.poisson(2.5).pmf(k) * (ss.poisson(2.5).logpmf(k) - ss.poisson(1.5).logpmf(k)))
    assert derivation.numpy()(a1=2.5, a2=1.5) == pytest.approx(oracle, rel=1e-10)


def test_poisson_fisher_information_is_one_over_the_rate():
    """https://en.wikipedia.org/wiki/Poisson_distribution (infobox: Fisher information 1/λ)."""
    derivation = symml.derive.fisher_information(st.Poisson("X", positive["lambda"]), wrt=[positive["lambda"]])
    k = np.arange(0, 200)
    score = k / 1.7 - 1
    assert float(np.asarray(derivation.numpy()(**{"lambda": 1.7}))[0, 0]) == pytest.approx(
        np.sum(ss.poisson(1.7).pmf(k) * score**2), rel=1e-10)


def test_pareto_entropy():
    """https://en.wikipedia.org/wiki/Pareto_distribution (infobox: log((x_m/α) e^{1 + 1/α}))."""
    derivation = symml.derive.entropy(st.Pareto("X", positive["x_m"], positive["a"]))
    assert derivation.numpy()(x_m=1.5, a=4.5) == pytest.approx(ss.pareto(4.5, scale=1.5).entropy(), rel=1e-10)


def test_pareto_kl_between_two_shapes_with_the_same_scale():
    """https://en.wikipedia.org/wiki/Pareto_distribution (the shape α; Wikipedia's KL section, same x_m)."""
    a1, a2 = positive["a1"], positive["a2"]
    derivation = symml.derive.kl(st.Pareto("P", 1, a1), st.Pareto("Q", 1, a2))
    oracle = kl_by_quadrature(ss.pareto(2.5), ss.pareto(1.5), 1, np.inf)
    assert derivation.numpy()(a1=2.5, a2=1.5) == pytest.approx(oracle, rel=1e-9)


def test_pareto_fisher_information_in_the_shape():
    """https://en.wikipedia.org/wiki/Pareto_distribution (Fisher information: 1/α² in α, known x_m)."""
    a = positive["a"]
    derivation = symml.derive.fisher_information(st.Pareto("X", 1.5, a), wrt=[a])
    oracle = fisher_by_differences(lambda t, alpha: ss.pareto.logpdf(t, alpha, scale=1.5), 4.5, 1.5, np.inf)
    assert float(np.asarray(derivation.numpy()(a=4.5))[0, 0]) == pytest.approx(oracle, rel=1e-6)


def test_pareto_mle_is_the_minimum_and_n_over_the_log_sum():
    """https://en.wikipedia.org/wiki/Pareto_distribution#Estimation_of_parameters"""
    x_m, a = positive["x_m"], positive["a"]
    estimator = symml.derive.mle(st.Pareto("X", x_m, a), wrt=[x_m, a]).numpy()
    data = ss.pareto.rvs(3.0, scale=2.0, size=300, random_state=RNG)
    estimate = estimator(x=data)
    scale = data.min()  # the likelihood rises with x_m up to the smallest observation
    shape = optimize.minimize_scalar(lambda s: -np.sum(ss.pareto.logpdf(data, s, scale=scale)),
                                     bounds=(0.1, 20), method="bounded", options={"xatol": 1e-10}).x
    assert (estimate["x_m"], estimate["a"]) == pytest.approx((scale, shape), rel=1e-7)


def test_maxwell_boltzmann_mle_of_the_scale():
    """https://en.wikipedia.org/wiki/Maxwell%E2%80%93Boltzmann_distribution (scale a; â = √(Σx²/(3n)))."""
    estimator = symml.derive.mle(st.Maxwell("X", positive["a"]), wrt=[positive["a"]]).numpy()
    data = ss.maxwell.rvs(scale=1.7, size=300, random_state=RNG)
    oracle = optimize.minimize_scalar(lambda s: -np.sum(ss.maxwell.logpdf(data, scale=s)), bounds=(0.1, 10),
                                      method="bounded", options={"xatol": 1e-12}).x
    assert estimator(x=data)["a"] == pytest.approx(oracle, rel=1e-7)


def test_geometric_mle_on_the_number_of_trials():
    """https://en.wikipedia.org/wiki/Geometric_distribution (trials on {1, 2, ...}: p̂ = 1/x̄)."""
    estimator = symml.derive.mle(st.Geometric("X", positive["p"]), wrt=[positive["p"]]).numpy()
    data = RNG.geometric(0.3, 300)
    oracle = optimize.minimize_scalar(lambda q: -np.sum(ss.geom.logpmf(data, q)), bounds=(1e-6, 1 - 1e-6),
                                      method="bounded", options={"xatol": 1e-12}).x
    assert estimator(x=data)["p"] == pytest.approx(oracle, rel=1e-7)


def test_negative_binomial_mle_of_p_with_known_r():
    """https://en.wikipedia.org/wiki/Negative_binomial_distribution#Maximum_likelihood_estimation
    (sympy.stats' pmf is p^r (1 − p)^x C(x + r − 1, x): failures x before the r-th success, p = success)."""
    estimator = symml.derive.mle(st.NegativeBinomial("X", 3, positive["p"]), wrt=[positive["p"]]).numpy()
    data = RNG.negative_binomial(3, 0.3, 300)
    oracle = optimize.minimize_scalar(lambda q: -np.sum(ss.nbinom.logpmf(data, 3, q)), bounds=(1e-6, 1 - 1e-6),
                                      method="bounded", options={"xatol": 1e-12}).x
    assert estimator(x=data)["p"] == pytest.approx(oracle, rel=1e-7)


def test_laplace_mle_is_the_median_and_the_mean_absolute_deviation():
    """https://en.wikipedia.org/wiki/Laplace_distribution#Statistical_inference"""
    mu, b = sp.Symbol("mu", real=True), positive["b"]
    estimator = symml.derive.mle(st.Laplace("X", mu, b), wrt=[mu, b]).numpy()
    data = ss.laplace.rvs(0.3, 1.7, size=301, random_state=RNG)
    oracle = optimize.minimize(lambda t: -np.sum(ss.laplace.logpdf(data, t[0], np.exp(t[1]))), [0.0, 0.0],
                               method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-13, "maxiter": 4000}).x
    estimate = estimator(x=data)
    assert (estimate["mu"], estimate["b"]) == pytest.approx((oracle[0], np.exp(oracle[1])), rel=1e-6)


def test_log_normal_entropy():
    """https://en.wikipedia.org/wiki/Log-normal_distribution (infobox: log₂(σ e^{μ + 1/2} √(2π)), in bits)."""
    mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    derivation = symml.derive.entropy(st.LogNormal("X", mu, sigma))
    assert derivation.numpy()(mu=0.3, sigma=0.7) == pytest.approx(ss.lognorm(0.7, scale=np.exp(0.3)).entropy(),
                                                                  rel=1e-12)


def test_lomax_mean_and_variance():
    """https://en.wikipedia.org/wiki/Lomax_distribution (shape α, scale λ: mean λ/(α − 1))."""
    derivation = symml.derive.moments(st.Lomax("X", positive["a"], positive["lambda"]), upto=2)
    found = derivation.numpy()(a=4.5, **{"lambda": 1.5})
    mean, variance = ss.lomax(4.5, scale=1.5).stats("mv")
    assert (found["mean"], found["variance"]) == pytest.approx((mean, variance), rel=1e-12)


def test_von_mises_kl_between_two_concentrations():
    """https://en.wikipedia.org/wiki/Von_Mises_distribution (sympy.stats' support is [0, 2π); the law is periodic)."""
    a1, a2 = positive["a1"], positive["a2"]
    derivation = symml.derive.kl(st.VonMises("P", 0, a1), st.VonMises("Q", 0, a2))
    oracle = kl_by_quadrature(ss.vonmises(2.0), ss.vonmises(1.0), -np.pi, np.pi)
    assert derivation.numpy()(a1=2.0, a2=1.0) == pytest.approx(oracle, rel=1e-10)


def test_gamma_poisson_posterior_predictive_is_a_negative_binomial():
    """https://en.wikipedia.org/wiki/Conjugate_prior#Table_of_conjugate_distributions (Poisson row: Gamma(α, β) with
    rate β; predictive NB(α + Σx, 1/(1 + β + n)) in Wikipedia's failure-probability convention)."""
    lam, a, b = positive["lambda"], positive["a"], positive["b"]
    posterior = symml.derive.posterior(likelihood=st.Poisson("X", lam), prior=st.Gamma("L", a, 1 / b), wrt=lam)
    predictive = symml.derive.posterior_predictive(posterior).numpy()
    data = np.array([2, 0, 3, 1, 4])
    for new in (0, 2, 9):
        oracle = ss.nbinom.logpmf(new, 2.0 + data.sum(), (1.5 + 5) / (1.5 + 5 + 1))
        assert predictive(x=data, a=2.0, b=1.5, x_new=new) == pytest.approx(oracle, rel=1e-10)
