"""Moments, directly and through the MGF, checked against scipy.stats (an independent implementation)."""
import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ParameterError

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
a, b = sp.symbols("a b", positive=True)
lam = sp.Symbol("lambda", positive=True)
p = sp.Symbol("p", positive=True)

@functools.lru_cache(maxsize=None)
def moments_of(rv):
    """Each family's derivation once per session (they are immutable)."""
    return symml.derive.moments(rv, upto=4)


CASES = [
    ("normal", st.Normal("X", mu, sigma), {"mu": 0.4, "sigma": 1.3}, ss.norm(0.4, 1.3)),
    ("exponential", st.Exponential("X", lam), {"lambda": 1.7}, ss.expon(scale=1 / 1.7)),
    ("gamma", st.Gamma("X", a, b), {"a": 2.5, "b": 0.7}, ss.gamma(2.5, scale=0.7)),
    ("poisson", st.Poisson("X", lam), {"lambda": 3.1}, ss.poisson(3.1)),
    ("bernoulli", st.Bernoulli("X", p), {"p": 0.3}, ss.bernoulli(0.3)),
    ("geometric", st.Geometric("X", p), {"p": 0.35}, ss.geom(0.35)),
    ("lognormal", st.LogNormal("X", mu, sigma), {"mu": 0.2, "sigma": 0.5}, ss.lognorm(0.5, scale=np.exp(0.2))),
    ("laplace", st.Laplace("X", mu, b), {"mu": -0.3, "b": 0.8}, ss.laplace(-0.3, 0.8)),
    ("uniform", st.Uniform("X", a, b), {"a": 0.5, "b": 2.0}, ss.uniform(0.5, 1.5)),
    # closed by the probability integral transform (E[x^k] as Beta-function derivatives): numeric before, 50 s
    ("logistic", st.Logistic("X", mu, sigma), {"mu": 0.4, "sigma": 1.3}, ss.logistic(0.4, 1.3)),
]


@pytest.mark.parametrize("name, rv, values, oracle", CASES, ids=[c[0] for c in CASES])
def test_moments_match_scipy(name, rv, values, oracle):
    got = moments_of(rv).numpy()(**values)
    mean, variance, skewness, kurtosis = oracle.stats(moments="mvsk")
    assert got["mean"] == pytest.approx(float(mean), rel=1e-9, abs=1e-12)
    assert got["variance"] == pytest.approx(float(variance), rel=1e-9)
    assert got["skewness"] == pytest.approx(float(skewness), rel=1e-8, abs=1e-9)
    assert got["excess_kurtosis"] == pytest.approx(float(kurtosis), rel=1e-8, abs=1e-9)
    assert got["raw_moment_3"] == pytest.approx(oracle.moment(3), rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("rv", [CASES[0][1], CASES[3][1], CASES[2][1]], ids=["normal", "poisson", "gamma"])
def test_mgf_and_direct_routes_are_both_shown_and_agree(rv):
    titles = [step.title for step in moments_of(rv).steps]
    assert {"Raw moments directly", "Moment generating function", "Raw moments from the MGF",
            "The two routes agree"} <= set(titles)


def test_lognormal_has_moments_but_no_mgf_and_says_why():
    d = symml.derive.moments(st.LogNormal("X", mu, sigma), upto=3)
    assert "No moment generating function" in [step.title for step in d.steps]
    assert any("does not exist" in remark for remark in d.remarks)
    assert d.numpy()(mu=0.0, sigma=0.5)["mean"] == pytest.approx(np.exp(0.125), rel=1e-12)


def test_verify_checks_every_moment_by_quadrature():
    assert moments_of(CASES[2][1]).verify()


def test_moments_need_upto_at_least_two():
    with pytest.raises(ParameterError, match="at least 2"):
        symml.derive.moments(st.Normal("X", mu, sigma), upto=1)


def test_binomial_moments_via_the_mgf_agree_with_scipy():
    # e^{tx} p^x (1-p)^{n-x} is the Binomial(n, p') kernel with p' = p e^t/(1 - p + p e^t): M(t) = (1 - p + p e^t)^n
    n, p = sp.Symbol("n", positive=True, integer=True), sp.Symbol("p", positive=True)
    d = symml.derive.moments(st.Binomial("X", n, p), upto=3)
    assert "The two routes agree" in [step.title for step in d.steps]
    values = d.numpy()(n=7.0, p=0.3)
    assert values["raw_moment_3"] == pytest.approx(ss.binom(7, 0.3).moment(3), rel=1e-12)


def test_moments_up_to_an_order_past_the_budget_stop_with_a_budget_error(monkeypatch):
    import symml.probability.moments as moments
    from symml.errors import BudgetExceededError

    monkeypatch.setattr(moments, "MOMENTS_SECONDS", 0.5)  # upto = 10**6 ran for minutes before the loop had one
    with pytest.raises(BudgetExceededError, match="raw moments up to order 1000000"):
        moments.derive_moments(st.Normal("X", 0, 1), upto=10**6)


def test_negative_binomial_moments_left_as_sums_by_the_direct_route_close_through_the_mgf_stat_110():
    # SymPy sums Σ k² p³(1 − p)^k C(k + 2, k) to an unevaluated Sum; M''(0) is closed. Oracle: scipy.stats.nbinom
    # (SymPy 1.14's pmf is p^r (1 − p)^k C(k + r − 1, k): scipy's nbinom(r, p))
    p = sp.Symbol("p", positive=True)
    derivation = symml.derive.moments(st.NegativeBinomial("X", 3, p), upto=3)
    assert not any(v.has(sp.Sum) for v in derivation.result.values())
    got = derivation.numpy()(p=0.4)
    mean, variance, skewness = ss.nbinom(3, 0.4).stats("mvs")
    assert [got["mean"], got["variance"], got["skewness"]] == pytest.approx([mean, variance, skewness], rel=1e-12)


def test_a_gaussian_mixtures_moments_are_its_components_weighted_by_linearity_in_seconds():
    """A two-component mixture typed as one density: each component integrated with its weight taken out (3.4 s
    CPU; 8.8 s when SymPy integrated the sum whole, its E[X] a page of erf terms). Oracle: scipy quadrature of
    x^k f(x) with f from scipy.stats.norm."""
    import time

    from scipy import integrate

    x, w = sp.Symbol("x", real=True), sp.Symbol("w", positive=True)
    m1, m2, s1, s2 = sp.Symbol("mu_1", real=True), sp.Symbol("mu_2", real=True), *sp.symbols("sigma_1 sigma_2",
                                                                                               positive=True)
    normal = lambda m, s: sp.exp(-(x - m)**2 / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s)  # noqa: E731
    model = symml.Model(logpdf=sp.log(w * normal(m1, s1) + (1 - w) * normal(m2, s2)), data=x, support=sp.Reals)
    started = time.process_time()
    derivation = symml.derive.moments(model, upto=2)
    assert time.process_time() - started < 10.0
    assert any("linearity" in step.why for step in derivation.steps)
    values = {"w": 0.3, "mu_1": -1.0, "mu_2": 2.0, "sigma_1": 0.5, "sigma_2": 1.5}
    found = derivation.numpy()(**values)
    pdf = lambda t: 0.3 * ss.norm(-1.0, 0.5).pdf(t) + 0.7 * ss.norm(2.0, 1.5).pdf(t)  # noqa: E731
    mean = integrate.quad(lambda t: t * pdf(t), -np.inf, np.inf, epsabs=1e-13)[0]
    second = integrate.quad(lambda t: t * t * pdf(t), -np.inf, np.inf, epsabs=1e-13)[0]
    assert (found["mean"], found["variance"]) == pytest.approx((mean, second - mean**2), rel=1e-10)


def test_beta_binomial_moments_left_as_sums_are_finite_at_many_trials():
    """The summand C(n, k) B(a + k, b + n − k)/B(a, b) as one exponential of log-gammas: at n = 10⁴ the binomial
    overflowed and the Beta function underflowed term by term (inf · 0), and the mean summed to 0.0 for 3750.
    Oracle: scipy's betabinom.stats."""
    n = sp.Symbol("n", positive=True, integer=True)
    a, b = sp.symbols("a b", positive=True)
    found = symml.derive.moments(st.BetaBinomial("X", n, a, b), upto=2).numpy()(n=10**4, a=1.5, b=2.5)
    assert (found["mean"], found["variance"]) == pytest.approx(ss.betabinom(10**4, 1.5, 2.5).stats("mv"), rel=1e-8)
