"""Each posterior is recognised by kernel matching; its numpy() log-density equals likelihood x prior (scipy.stats)
normalised by quadrature, for random hyperparameters and data."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs

from symml.bayes import derive_posterior
from symml.model import Model
from tests.bayes.oracle import normalised_log_posterior

a, b = sp.symbols("a b", positive=True)
p = sp.Symbol("p", positive=True)
lam = sp.Symbol("lambda", positive=True)
m = sp.Symbol("m", integer=True, positive=True)
r = sp.Symbol("r", positive=True)
mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
sigma, tau, t = sp.Symbol("sigma", positive=True), sp.Symbol("tau", positive=True), sp.Symbol("t", positive=True)
v, k, theta = sp.Symbol("v", positive=True), sp.Symbol("k", positive=True), sp.Symbol("theta", positive=True)
x_m, alpha = sp.Symbol("x_m", positive=True), sp.Symbol("alpha", positive=True)
x_pos = sp.Symbol("x", positive=True)
rate = sp.Symbol("beta", positive=True)

# Shapes >= 1 keep the integrand bounded, so quad (the oracle) is accurate to 1e-10 at the support's ends.
hyper = hs.floats(1.0, 6.0)
SETTINGS = settings(max_examples=10, deadline=None)


@functools.lru_cache(maxsize=None)
def posterior(name: str):
    likelihood, prior, wrt = {
        "beta_bernoulli": (st.Bernoulli("X", p), st.Beta("P", a, b), p),
        "beta_binomial": (st.Binomial("X", m, p), st.Beta("P", a, b), p),
        "beta_geometric": (st.Geometric("X", p), st.Beta("P", a, b), p),
        "beta_negative_binomial": (st.NegativeBinomial("X", r, p), st.Beta("P", a, b), p),
        "gamma_poisson": (st.Poisson("X", lam), st.Gamma("L", a, b), lam),
        "gamma_exponential": (st.Exponential("X", lam), st.Gamma("L", a, b), lam),
        "normal_normal": (st.Normal("X", mu, sigma), st.Normal("M", m0, t), mu),
        "normal_lognormal": (st.LogNormal("X", mu, sigma), st.Normal("M", m0, t), mu),
        "gamma_normal_precision": (st.Normal("X", mu, 1 / sp.sqrt(tau)), st.Gamma("T", a, b), tau),
        "inverse_gamma_normal_variance": (st.Normal("X", mu, sp.sqrt(v)), st.GammaInverse("V", a, b), v),
        "gamma_pareto_shape": (st.Pareto("X", x_m, alpha), st.Gamma("A", a, b), alpha),
        "gamma_gamma_rate": (st.Gamma("X", k, 1 / rate), st.Gamma("B", a, b), rate),
        "inverse_gamma_weibull_scale": (
            Model(logpdf=sp.log(k) - sp.log(theta) + (k - 1) * sp.log(x_pos) - x_pos**k / theta, data=x_pos,
                  support=sp.Interval(0, sp.oo)), st.GammaInverse("T", a, b), theta),
        "pareto_uniform": (st.Uniform("X", 0, theta), st.Pareto("T", x_m, alpha), theta),
    }[name]
    return derive_posterior(likelihood, prior, wrt)


def agrees(name, log_joint, support, bracket, points, **values):
    derived = posterior(name).numpy()
    oracle = normalised_log_posterior(log_joint, support, bracket)
    got = derived(np.asarray(points), **values)
    want = np.array([oracle(q) for q in points])
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-7)


bits = hs.lists(hs.integers(0, 1), min_size=1, max_size=12)
counts = hs.lists(hs.integers(0, 9), min_size=1, max_size=10)
positives = hs.lists(hs.floats(0.1, 5.0), min_size=1, max_size=10)
reals = hs.lists(hs.floats(-3.0, 3.0), min_size=1, max_size=10)
UNIT = [0.05, 0.3, 0.5, 0.8, 0.97]


@SETTINGS
@given(bits, hyper, hyper)
def test_beta_bernoulli_posterior_is_normalised_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    agrees("beta_bernoulli", lambda q: ss.bernoulli.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), (0, 1),
           (1e-9, 1 - 1e-9), UNIT, x=x, a=a_, b=b_)


@SETTINGS
@given(counts, hyper, hyper)
def test_beta_binomial_posterior_is_normalised_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    agrees("beta_binomial", lambda q: ss.binom.logpmf(x, 9, q).sum() + ss.beta.logpdf(q, a_, b_), (0, 1),
           (1e-9, 1 - 1e-9), UNIT, x=x, a=a_, b=b_, m=9)


@SETTINGS
@given(hs.lists(hs.integers(1, 8), min_size=1, max_size=10), hyper, hyper)
def test_beta_geometric_posterior_is_normalised_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    agrees("beta_geometric", lambda q: ss.geom.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), (0, 1),
           (1e-9, 1 - 1e-9), UNIT, x=x, a=a_, b=b_)


@SETTINGS
@given(counts, hyper, hyper, hs.floats(0.5, 4.0))
def test_beta_negative_binomial_posterior_is_normalised_likelihood_times_prior(x, a_, b_, r_):
    x = np.array(x, float)
    # sympy.stats' NegativeBinomial(r, p) counts successes x before the r-th failure: pmf ∝ p^x... check by density
    density = sp.lambdify((sp.Symbol("xx"), p), st.density(st.NegativeBinomial("Y", r_, p))(sp.Symbol("xx")))
    agrees("beta_negative_binomial",
           lambda q: float(np.sum(np.log([density(xi, q) for xi in x]))) + ss.beta.logpdf(q, a_, b_), (0, 1),
           (1e-9, 1 - 1e-9), UNIT, x=x, a=a_, b=b_, r=r_)


@SETTINGS
@given(counts, hyper, hyper)
def test_gamma_poisson_posterior_is_normalised_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    agrees("gamma_poisson", lambda q: ss.poisson.logpmf(x, q).sum() + ss.gamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-9, 50), [0.2, 1.0, 3.0, 7.5], x=x, a=a_, b=b_)


@SETTINGS
@given(positives, hyper, hyper)
def test_gamma_exponential_posterior_is_normalised_likelihood_times_prior(x, a_, b_):
    x = np.array(x, float)
    agrees("gamma_exponential", lambda q: ss.expon.logpdf(x, scale=1 / q).sum() + ss.gamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-9, 80), [0.1, 0.7, 2.0, 5.0], x=x, a=a_, b=b_)


@SETTINGS
@given(reals, hs.floats(-2, 2), hyper, hyper)
def test_normal_normal_posterior_is_normalised_likelihood_times_prior(x, m0_, s_, t_):
    x = np.array(x, float)
    agrees("normal_normal", lambda q: ss.norm.logpdf(x, q, s_).sum() + ss.norm.logpdf(q, m0_, t_),
           (-np.inf, np.inf), (-20, 20), [-1.0, 0.0, 0.4, 1.5], x=x, m_0=m0_, sigma=s_, t=t_)


@SETTINGS
@given(positives, hs.floats(-2, 2), hyper, hyper)
def test_normal_prior_on_the_log_mean_of_a_lognormal(x, m0_, s_, t_):
    x = np.array(x, float)
    agrees("normal_lognormal", lambda q: (ss.norm.logpdf(np.log(x), q, s_) - np.log(x)).sum() + ss.norm.logpdf(q, m0_, t_),
           (-np.inf, np.inf), (-20, 20), [-1.0, 0.0, 0.4, 1.5], x=x, m_0=m0_, sigma=s_, t=t_)


@SETTINGS
@given(reals, hs.floats(-1, 1), hyper, hyper)
def test_gamma_prior_on_a_normal_precision(x, mu_, a_, b_):
    x = np.array(x, float)
    agrees("gamma_normal_precision",
           lambda q: ss.norm.logpdf(x, mu_, 1 / np.sqrt(q)).sum() + ss.gamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-9, 100), [0.1, 0.5, 1.0, 3.0], x=x, mu=mu_, a=a_, b=b_)


@SETTINGS
@given(reals, hs.floats(-1, 1), hyper, hyper)
def test_inverse_gamma_prior_on_a_normal_variance(x, mu_, a_, b_):
    x = np.array(x, float)
    agrees("inverse_gamma_normal_variance",
           lambda q: ss.norm.logpdf(x, mu_, np.sqrt(q)).sum() + ss.invgamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-6, 100), [0.2, 0.8, 2.0, 6.0], x=x, mu=mu_, a=a_, b=b_)


@SETTINGS
@given(hs.lists(hs.floats(1.0, 6.0), min_size=1, max_size=10), hyper, hyper)
def test_gamma_prior_on_a_pareto_shape(x, a_, b_):
    x = np.array(x, float)
    agrees("gamma_pareto_shape", lambda q: ss.pareto.logpdf(x, q, scale=0.9).sum() + ss.gamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-9, 100), [0.2, 0.8, 2.0, 4.0], x=x, x_m=0.9, a=a_, b=b_)


@SETTINGS
@given(positives, hyper, hyper, hs.floats(0.5, 3.0))
def test_gamma_prior_on_a_gamma_rate_with_known_shape(x, a_, b_, k_):
    x = np.array(x, float)
    agrees("gamma_gamma_rate", lambda q: ss.gamma.logpdf(x, k_, scale=1 / q).sum() + ss.gamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-9, 100), [0.1, 0.5, 1.5, 4.0], x=x, k=k_, a=a_, b=b_)


@SETTINGS
@given(positives, hyper, hyper, hs.floats(0.5, 3.0))
def test_inverse_gamma_prior_on_a_weibull_scale_to_the_shape(x, a_, b_, k_):
    x = np.array(x, float)
    # theta = scale**k: f(x) = (k/theta) x^(k-1) exp(-x^k/theta)
    agrees("inverse_gamma_weibull_scale",
           lambda q: ss.weibull_min.logpdf(x, k_, scale=q ** (1 / k_)).sum() + ss.invgamma.logpdf(q, a_, scale=b_),
           (0, np.inf), (1e-6, 200), [0.3, 1.0, 2.5, 7.0], x=x, a=a_, b=b_, k=k_)


@SETTINGS
@given(hs.lists(hs.floats(0.1, 4.0), min_size=1, max_size=10), hs.floats(0.5, 3.0), hyper)
def test_pareto_prior_on_a_uniform_width_is_cut_at_the_sample_maximum(x, xm_, alpha_):
    x = np.array(x, float)
    start = max(xm_, x.max())
    agrees("pareto_uniform", lambda q: ss.uniform.logpdf(x, 0, q).sum() + ss.pareto.logpdf(q, alpha_, scale=xm_),
           (start, np.inf), (start, start + 1e-9), [start * 1.01, start * 1.5, start * 3], x=x, x_m=xm_,
           alpha=alpha_)


def test_pareto_uniform_posterior_is_zero_below_the_sample_maximum():
    density = posterior("pareto_uniform").numpy()
    assert density(np.array([2.9]), x=np.array([1.0, 3.0]), x_m=0.5, alpha=2.0)[0] == -np.inf


@pytest.mark.parametrize("name, family", [("beta_bernoulli", "Beta"), ("gamma_poisson", "Gamma"),
                                          ("inverse_gamma_normal_variance", "GammaInverse"),
                                          ("normal_normal", "Normal"), ("pareto_uniform", "Pareto")])
def test_the_matched_family_is_a_sympy_stats_distribution(name, family):
    assert type(posterior(name).result.pspace.distribution).__name__ == f"{family}Distribution"


eta, s = sp.Symbol("eta", real=True), sp.Symbol("s", positive=True)


@functools.lru_cache(maxsize=None)
def logit_posterior():
    return derive_posterior(st.Bernoulli("X", 1 / (1 + sp.exp(-eta))), st.Normal("H", 0, s), eta)


def test_a_normal_prior_on_a_logit_is_not_conjugate_and_the_breaking_term_is_named():
    derivation = logit_posterior()
    assert derivation.problem.family is None and not derivation.problem.normalised
    assert "breaks conjugacy" in derivation.steps[-1].why
    assert "\\log(e^{\\eta} + 1)" in derivation.remarks[0] and "not conjugate" in derivation.remarks[0]


@SETTINGS
@given(bits, hyper)
def test_the_unmatched_posterior_is_normalised_numerically(x, s_):
    x = np.array(x, float)

    def log_joint(q):
        return ss.bernoulli.logpmf(x, 1 / (1 + np.exp(-q))).sum() + ss.norm.logpdf(q, 0, s_)

    oracle = normalised_log_posterior(log_joint, (-np.inf, np.inf), (-30, 30))
    points = [-2.0, 0.0, 0.5, 3.0]
    np.testing.assert_allclose(logit_posterior().numpy()(np.array(points), x=x, s=s_),
                               [oracle(q) for q in points], rtol=1e-6, atol=1e-6)
