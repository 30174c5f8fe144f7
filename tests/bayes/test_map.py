"""MAP estimates through the shared core: numpy() agrees with scipy.optimize on the log posterior (scipy.stats
likelihood x prior); the existence conditions and the pseudo-observation relation to the MLE are derived."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy import optimize

import symml
from symml.bayes import derive_map
from tests.bayes.oracle import log_posterior_mode

a, b = sp.symbols("a b", positive=True)
p, lam = sp.Symbol("p", positive=True), sp.Symbol("lambda", positive=True)
mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
sigma, t = sp.Symbol("sigma", positive=True), sp.Symbol("t", positive=True)
theta, x_m, alpha = sp.Symbol("theta", positive=True), sp.Symbol("x_m", positive=True), sp.Symbol("alpha", positive=True)

SETTINGS = settings(max_examples=10, deadline=None)
above_one = hs.floats(1.2, 6.0)


@functools.lru_cache(maxsize=None)
def mode(name: str):
    likelihood, prior, wrt = {
        "beta_bernoulli": (st.Bernoulli("X", p), st.Beta("P", a, b), p),
        "gamma_poisson": (st.Poisson("X", lam), st.Gamma("L", a, b), lam),
        "normal_normal": (st.Normal("X", mu, sigma), st.Normal("M", m0, t), mu),
        "pareto_uniform": (st.Uniform("X", 0, theta), st.Pareto("T", x_m, alpha), theta),
    }[name]
    return derive_map(likelihood, prior, wrt)


@SETTINGS
@given(hs.lists(hs.integers(0, 1), min_size=1, max_size=15), above_one, above_one)
def test_beta_bernoulli_map_is_the_maximiser_of_the_log_posterior(x, a_, b_):
    x = np.array(x, float)
    want = log_posterior_mode(lambda q: ss.bernoulli.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), 1e-12, 1 - 1e-12)
    assert abs(mode("beta_bernoulli").numpy()(x=x, a=a_, b=b_)["p"] - want) < 1e-7


@SETTINGS
@given(hs.lists(hs.integers(0, 9), min_size=1, max_size=10), above_one, hs.floats(0.2, 5.0))
def test_gamma_poisson_map_is_the_maximiser_of_the_log_posterior(x, a_, b_):
    x = np.array(x, float)
    want = log_posterior_mode(lambda q: ss.poisson.logpmf(x, q).sum() + ss.gamma.logpdf(q, a_, scale=b_), 1e-9, 50)
    assert abs(mode("gamma_poisson").numpy()(x=x, a=a_, b=b_)["lambda"] - want) < 1e-7


@SETTINGS
@given(hs.lists(hs.floats(-3, 3), min_size=1, max_size=10), hs.floats(-2, 2), hs.floats(0.5, 3), hs.floats(0.5, 3))
def test_normal_normal_map_is_the_maximiser_of_the_log_posterior(x, m0_, s_, t_):
    x = np.array(x, float)
    want = log_posterior_mode(lambda q: ss.norm.logpdf(x, q, s_).sum() + ss.norm.logpdf(q, m0_, t_), -10, 10)
    assert abs(mode("normal_normal").numpy()(x=x, m_0=m0_, sigma=s_, t=t_)["mu"] - want) < 1e-7


@SETTINGS
@given(hs.lists(hs.floats(0.1, 4.0), min_size=1, max_size=10), hs.floats(0.5, 3.0), hs.floats(0.5, 4.0))
def test_pareto_uniform_map_sits_on_the_support_boundary(x, xm_, alpha_):
    x = np.array(x, float)
    start = max(xm_, x.max())
    want = log_posterior_mode(lambda q: ss.uniform.logpdf(x, 0, q).sum() + ss.pareto.logpdf(q, alpha_, scale=xm_),
                              start, start + 10)
    assert abs(mode("pareto_uniform").numpy()(x=x, x_m=xm_, alpha=alpha_)["theta"] - want) < 1e-6


def test_beta_bernoulli_map_exists_for_every_sample_when_a_and_b_exceed_one():
    condition = next(s for s in mode("beta_bernoulli").steps if s.title == "For every sample").math
    assert {sp.Gt(a - 1, 0), sp.Gt(b - 1, 0)} <= set(condition.args)


def test_the_beta_prior_acts_as_a_plus_b_minus_two_pseudo_observations():
    step = next(s for s in mode("beta_bernoulli").steps if s.title == "The prior as pseudo-observations")
    assert sp.Eq(sp.Symbol("n_0", positive=True), a + b - 2) in step.lines


def test_the_map_is_the_mle_of_the_pooled_sample():
    relation = next(s for s in mode("normal_normal").steps if s.title == "Relation to the MLE")
    xbar = next(iter(mode("normal_normal").problem.statistics)).symbol
    assert sp.Eq(sp.Symbol("muhat_MLE"), xbar) in relation.lines


probabilities = sp.symbols("p1:4", positive=True)
alphas = sp.symbols("a1:4", positive=True)


@functools.lru_cache(maxsize=None)
def simplex_mode():
    x = sp.Symbol("x", real=True)
    categorical = symml.Model(sum(sp.KroneckerDelta(x, k + 1) * sp.log(probabilities[k]) for k in range(3)), x,
                              support=sp.FiniteSet(1, 2, 3))
    return derive_map(categorical, st.MultivariateBeta("D", list(alphas)), probabilities)


@SETTINGS
@given(hs.lists(hs.integers(1, 3), min_size=1, max_size=15), hs.tuples(above_one, above_one, above_one))
def test_dirichlet_categorical_map_is_the_maximiser_on_the_simplex(sample, alpha):
    counts = np.bincount(sample, minlength=4)[1:] + np.array(alpha) - 1

    def negative_log_posterior(q):  # counts + alpha - 1 times log q: likelihood x Dirichlet prior, up to a constant
        return -float(np.sum(counts * np.log(np.clip(q, 1e-300, None))))

    found = optimize.minimize(negative_log_posterior, np.full(3, 1 / 3), method="SLSQP", bounds=[(1e-12, 1)] * 3,
                              constraints=[{"type": "eq", "fun": lambda q: q.sum() - 1}],
                              options={"ftol": 1e-15, "maxiter": 500})
    got = simplex_mode().numpy()(x=np.array(sample, float), a1=alpha[0], a2=alpha[1], a3=alpha[2])
    np.testing.assert_allclose([got["p1"], got["p2"], got["p3"]], found.x, atol=1e-6)


def test_the_simplex_map_goes_through_the_lagrangian_and_states_alpha_above_one():
    derivation = simplex_mode()
    assert any(s.title == "Lagrangian" for s in derivation.steps)
    condition = next(s for s in derivation.steps if s.title == "Where the mode exists").lines
    assert set(condition) == {sp.Gt(a_k - 1, 0) for a_k in alphas}


b_scale = sp.Symbol("b", positive=True)


@functools.lru_cache(maxsize=None)
def laplace_mode(form: str):
    prior = st.Laplace("M", m0, b_scale) if form == "sympy.stats" else symml.Model(-sp.Abs(mu - m0) / b_scale, mu)
    return derive_map(st.Normal("X", mu, sigma), prior, mu)


@SETTINGS
@given(hs.lists(hs.floats(-3, 3), min_size=1, max_size=10), hs.floats(-1, 1), hs.floats(0.5, 3), hs.floats(0.05, 3),
       hs.sampled_from(["sympy.stats", "user"]))
def test_a_laplace_prior_on_a_normal_mean_gives_the_maximiser_of_the_log_posterior(x, m0_, s_, b_, form):
    x = np.array(x, float)
    want = log_posterior_mode(lambda q: ss.norm.logpdf(x, q, s_).sum() + ss.laplace.logpdf(q, m0_, b_), -10, 10)
    got = laplace_mode(form).numpy()(x=x, m_0=m0_, sigma=s_, b=b_)["mu"]
    assert abs(got - want) < 1e-6


def test_the_laplace_prior_gives_a_soft_threshold_with_a_condition_on_the_data_for_each_regime():
    steps = {s.title: s.lines for s in laplace_mode("sympy.stats").steps}
    xbar = next(iter(laplace_mode("sympy.stats").problem.statistics)).symbol
    n = laplace_mode("sympy.stats").problem.sample_size
    threshold = sigma**2 / (b_scale * n)
    assert sp.Gt(xbar, m0 + threshold) in steps["Regime above the kink"]
    assert sp.Lt(xbar, m0 - threshold) in steps["Regime below the kink"]
    assert "Soft-threshold" in steps and "Regime at the kink" in steps


def test_inside_the_threshold_the_laplace_map_is_exactly_the_prior_centre():
    assert laplace_mode("sympy.stats").numpy()(x=np.array([0.1, -0.05]), m_0=0.0, sigma=1.0, b=1.0)["mu"] == 0.0


def test_the_simplex_map_denominator_is_the_pooled_count_since_the_value_fractions_sum_to_one():
    n = simplex_mode().problem.sample_size
    for estimate in simplex_mode().problem.estimates.values():
        assert sp.expand(sp.fraction(estimate)[1]) == n + sum(alphas) - 3


def test_a_scale_under_a_gaussian_prior_has_the_positive_root_of_its_quartic_in_closed_form():
    # -n/σ + n S/σ³ - σ = 0 is quadratic in σ²: one root is positive once mean(x²) - 2μx̄ + μ² is seen as
    # mean((x - x̄)²) + (x̄ - μ)² >= 0 (it was left to a numeric maximisation as "no closed form")
    likelihood = symml.Model(logpdf=r"-\log\sigma - \frac{(x-\mu)^2}{2\sigma^2}", data="x")
    prior = symml.Model(logpdf=r"-\frac{\sigma^2}{2}", data="sigma", support=sp.Interval(0, sp.oo))
    derived = derive_map(likelihood, prior, "sigma")
    sample = np.random.default_rng(6).normal(1e3 + 1.5, 2.0, 30)
    mode = optimize.minimize_scalar(lambda s: -(np.sum(ss.norm.logpdf(sample, 1e3, s)) - s**2 / 2),
                                    bounds=(1e-3, 100), method="bounded", options={"xatol": 1e-12}).x
    assert derived.result and derived.numpy()(x=sample, mu=1e3)["sigma"] == pytest.approx(mode, rel=1e-6)


@functools.lru_cache(maxsize=None)
def positive_mean_under_a_laplace_prior():
    positive = sp.Symbol("mu", positive=True)
    return derive_map(st.Normal("X", positive, 1), st.Laplace("M", 0, 1), positive)


@SETTINGS
@given(hs.lists(hs.floats(-3, 3), min_size=1, max_size=8))
def test_a_prior_over_the_reals_on_a_positive_parameter_is_cut_to_the_positive_values(x):
    # Stan's reading of a declared bound: a Laplace prior on a positive mean is its half-law; the MAP was
    # x̄ − 1/n, negative (−0.27 on [0.1, 0.2, −0.1]) for a parameter declared positive
    x = np.array(x, float)
    want = log_posterior_mode(lambda q: ss.norm.logpdf(x, q, 1).sum() + ss.laplace.logpdf(q, 0, 1), 0, 10)
    got = positive_mean_under_a_laplace_prior().numpy()(x=x)["mu"]
    assert got >= 0 and abs(got - want) < 1e-6
