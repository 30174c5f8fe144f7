"""Every conjugate pair also derives from users' own log-densities (``symml.Model(logpdf=..., data=...)``), the
prior normalised or not: the same family is recognised, and numpy() equals likelihood x prior (scipy.stats)
normalised by quadrature, for random hyperparameters and data."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from hypothesis import given, settings, strategies as hs

from symml.bayes import derive_posterior
from symml.model import Model
from tests.bayes.oracle import normalised_log_posterior

a, b = sp.symbols("a b", positive=True)
p, lam = sp.Symbol("p", positive=True), sp.Symbol("lambda", positive=True)
m, r = sp.Symbol("m", integer=True, positive=True), sp.Symbol("r", positive=True)
mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
sigma, tau, t = sp.Symbol("sigma", positive=True), sp.Symbol("tau", positive=True), sp.Symbol("t", positive=True)
v, k, theta = sp.Symbol("v", positive=True), sp.Symbol("k", positive=True), sp.Symbol("theta", positive=True)
x_m, alpha = sp.Symbol("x_m", positive=True), sp.Symbol("alpha", positive=True)
x, x_pos = sp.Symbol("x", real=True), sp.Symbol("x", positive=True)
rate = sp.Symbol("beta", positive=True)
log = sp.log

#: The priors as users write them: the kernel, and the log normalising constant a normalised prior adds.
PRIORS = {
    "beta": (p, (a - 1) * log(p) + (b - 1) * log(1 - p), -log(sp.beta(a, b)), None),
    "gamma": (lam, (a - 1) * log(lam) - lam / b, -a * log(b) - sp.loggamma(a), None),
    "gamma_tau": (tau, (a - 1) * log(tau) - tau / b, -a * log(b) - sp.loggamma(a), None),
    "gamma_alpha": (alpha, (a - 1) * log(alpha) - alpha / b, -a * log(b) - sp.loggamma(a), None),
    "gamma_rate": (rate, (a - 1) * log(rate) - rate / b, -a * log(b) - sp.loggamma(a), None),
    "normal": (mu, -(mu - m0) ** 2 / (2 * t**2), -log(t) - log(2 * sp.pi) / 2, None),
    "inverse_gamma_v": (v, -(a + 1) * log(v) - b / v, a * log(b) - sp.loggamma(a), None),
    "inverse_gamma_theta": (theta, -(a + 1) * log(theta) - b / theta, a * log(b) - sp.loggamma(a), None),
    "pareto": (theta, -(alpha + 1) * log(theta), log(alpha) + alpha * log(x_m), sp.Interval(x_m, sp.oo)),
}


@dataclass(frozen=True)
class Pair:
    likelihood: Model
    prior: str
    family: str
    data: hs.SearchStrategy
    values: hs.SearchStrategy  # the other symbols' values, by name
    log_joint: Callable[[np.ndarray, dict], Callable[[float], float]]  # scipy.stats likelihood x prior
    support: Callable[[np.ndarray, dict], tuple[float, float]]
    points: Callable[[np.ndarray, dict], list[float]]


hyper = hs.floats(1.0, 6.0)
bits = hs.lists(hs.integers(0, 1), min_size=1, max_size=12)
counts = hs.lists(hs.integers(0, 9), min_size=1, max_size=10)
positives = hs.lists(hs.floats(0.1, 5.0), min_size=1, max_size=10)
reals = hs.lists(hs.floats(-3.0, 3.0), min_size=1, max_size=10)
UNIT, POSITIVE, REAL = [0.05, 0.3, 0.5, 0.8, 0.97], [0.2, 0.8, 2.0, 4.0], [-1.0, 0.0, 0.4, 1.5]


def ab(**more):
    return hs.fixed_dictionaries({"a": hyper, "b": hyper, **more})


def unit(*_):
    return (0.0, 1.0)


def half_line(*_):
    return (0.0, np.inf)


def real_line(*_):
    return (-np.inf, np.inf)


PAIRS = {
    "beta_bernoulli": Pair(
        Model(x * log(p) + (1 - x) * log(1 - p), x, support=sp.FiniteSet(0, 1)), "beta", "Beta", bits, ab(),
        lambda d, g: lambda q: ss.bernoulli.logpmf(d, q).sum() + ss.beta.logpdf(q, g["a"], g["b"]), unit,
        lambda *_: UNIT),
    "beta_binomial": Pair(
        Model(log(sp.binomial(m, x)) + x * log(p) + (m - x) * log(1 - p), x, support=sp.Range(0, m + 1)), "beta",
        "Beta", counts, ab(m=hs.just(9)),
        lambda d, g: lambda q: ss.binom.logpmf(d, 9, q).sum() + ss.beta.logpdf(q, g["a"], g["b"]), unit,
        lambda *_: UNIT),
    "beta_geometric": Pair(
        Model(log(p) + (x - 1) * log(1 - p), x, support=sp.Naturals), "beta", "Beta",
        hs.lists(hs.integers(1, 8), min_size=1, max_size=10), ab(),
        lambda d, g: lambda q: ss.geom.logpmf(d, q).sum() + ss.beta.logpdf(q, g["a"], g["b"]), unit,
        lambda *_: UNIT),
    "beta_negative_binomial": Pair(  # failures x before the r-th success, success probability p
        Model(log(sp.binomial(x + r - 1, x)) + r * log(p) + x * log(1 - p), x, support=sp.Naturals0), "beta", "Beta",
        counts, ab(r=hs.floats(0.5, 4.0)),
        lambda d, g: lambda q: ss.nbinom.logpmf(d, g["r"], q).sum() + ss.beta.logpdf(q, g["a"], g["b"]), unit,
        lambda *_: UNIT),
    "gamma_poisson": Pair(
        Model(x * log(lam) - lam - sp.loggamma(x + 1), x, support=sp.Naturals0), "gamma", "Gamma", counts,
        ab(b=hs.floats(0.3, 3.0)),
        lambda d, g: lambda q: ss.poisson.logpmf(d, q).sum() + ss.gamma.logpdf(q, g["a"], scale=g["b"]),
        half_line, lambda *_: [0.2, 1.0, 3.0, 7.5]),
    "gamma_exponential": Pair(
        Model(log(lam) - lam * x_pos, x_pos, support=sp.Interval(0, sp.oo)), "gamma", "Gamma", positives, ab(),
        lambda d, g: lambda q: ss.expon.logpdf(d, scale=1 / q).sum() + ss.gamma.logpdf(q, g["a"], scale=g["b"]),
        half_line, lambda *_: [0.1, 0.7, 2.0, 5.0]),
    "normal_normal": Pair(
        Model(-(x - mu) ** 2 / (2 * sigma**2) - log(sigma) - log(2 * sp.pi) / 2, x), "normal", "Normal", reals,
        hs.fixed_dictionaries({"m_0": hs.floats(-2, 2), "sigma": hyper, "t": hyper}),
        lambda d, g: lambda q: ss.norm.logpdf(d, q, g["sigma"]).sum() + ss.norm.logpdf(q, g["m_0"], g["t"]),
        real_line, lambda *_: REAL),
    "normal_lognormal": Pair(
        Model(-(log(x_pos) - mu) ** 2 / (2 * sigma**2) - log(x_pos) - log(sigma), x_pos,
              support=sp.Interval.open(0, sp.oo)), "normal", "Normal", positives,
        hs.fixed_dictionaries({"m_0": hs.floats(-2, 2), "sigma": hyper, "t": hyper}),
        lambda d, g: lambda q: (ss.norm.logpdf(np.log(d), q, g["sigma"]) - np.log(d)).sum()
        + ss.norm.logpdf(q, g["m_0"], g["t"]), real_line, lambda *_: REAL),
    "gamma_normal_precision": Pair(
        Model(log(tau) / 2 - tau * (x - mu) ** 2 / 2, x), "gamma_tau", "Gamma", reals,
        ab(mu=hs.floats(-1, 1)),
        lambda d, g: lambda q: ss.norm.logpdf(d, g["mu"], 1 / np.sqrt(q)).sum()
        + ss.gamma.logpdf(q, g["a"], scale=g["b"]), half_line, lambda *_: [0.1, 0.5, 1.0, 3.0]),
    "inverse_gamma_normal_variance": Pair(
        Model(-log(v) / 2 - (x - mu) ** 2 / (2 * v), x), "inverse_gamma_v", "GammaInverse", reals,
        ab(mu=hs.floats(-1, 1)),
        lambda d, g: lambda q: ss.norm.logpdf(d, g["mu"], np.sqrt(q)).sum()
        + ss.invgamma.logpdf(q, g["a"], scale=g["b"]), half_line, lambda *_: [0.2, 0.8, 2.0, 6.0]),
    "gamma_pareto_shape": Pair(
        Model(log(alpha) + alpha * log(x_m) - (alpha + 1) * log(x_pos), x_pos, support=sp.Interval(x_m, sp.oo)),
        "gamma_alpha", "Gamma", hs.lists(hs.floats(1.0, 6.0), min_size=1, max_size=10), ab(x_m=hs.just(0.9)),
        lambda d, g: lambda q: ss.pareto.logpdf(d, q, scale=0.9).sum() + ss.gamma.logpdf(q, g["a"], scale=g["b"]),
        half_line, lambda *_: [0.2, 0.8, 2.0, 4.0]),
    "gamma_gamma_rate": Pair(
        Model(k * log(rate) - sp.loggamma(k) + (k - 1) * log(x_pos) - rate * x_pos, x_pos,
              support=sp.Interval(0, sp.oo)), "gamma_rate", "Gamma", positives, ab(k=hs.floats(0.5, 3.0)),
        lambda d, g: lambda q: ss.gamma.logpdf(d, g["k"], scale=1 / q).sum() + ss.gamma.logpdf(q, g["a"], scale=g["b"]),
        half_line, lambda *_: [0.1, 0.5, 1.5, 4.0]),
    "inverse_gamma_weibull_scale": Pair(
        Model(log(k) - log(theta) + (k - 1) * log(x_pos) - x_pos**k / theta, x_pos, support=sp.Interval(0, sp.oo)),
        "inverse_gamma_theta", "GammaInverse", positives, ab(k=hs.floats(0.5, 3.0)),
        lambda d, g: lambda q: ss.weibull_min.logpdf(d, g["k"], scale=q ** (1 / g["k"])).sum()
        + ss.invgamma.logpdf(q, g["a"], scale=g["b"]), half_line, lambda *_: [0.3, 1.0, 2.5, 7.0]),
    "pareto_uniform": Pair(
        Model(sp.Piecewise((-log(theta), (x_pos >= 0) & (x_pos <= theta)), (-sp.oo, True)), x_pos), "pareto",
        "Pareto", hs.lists(hs.floats(0.1, 4.0), min_size=1, max_size=10),
        hs.fixed_dictionaries({"x_m": hs.floats(0.5, 3.0), "alpha": hyper}),
        lambda d, g: lambda q: ss.uniform.logpdf(d, 0, q).sum() + ss.pareto.logpdf(q, g["alpha"], scale=g["x_m"]),
        lambda d, g: (max(g["x_m"], d.max()), np.inf),
        lambda d, g: [c * max(g["x_m"], d.max()) for c in (1.01, 1.5, 3.0)]),
}


@functools.lru_cache(maxsize=None)
def user_posterior(name: str, normalised: bool):
    pair = PAIRS[name]
    parameter, kernel, constant, support = PRIORS[pair.prior]
    prior = Model(kernel + constant if normalised else kernel, parameter, support=support)
    return derive_posterior(pair.likelihood, prior, parameter)


@pytest.mark.parametrize("normalised", [True, False], ids=["normalised", "unnormalised"])
@pytest.mark.parametrize("name", PAIRS)
def test_a_user_log_density_pair_recognises_the_same_family(name, normalised):
    assert user_posterior(name, normalised).problem.family == PAIRS[name].family


@pytest.mark.parametrize("name", PAIRS)
@settings(max_examples=6, deadline=None)
@given(data=hs.data())
def test_a_user_log_density_posterior_is_normalised_likelihood_times_prior(name, data):
    pair = PAIRS[name]
    sample = np.array(data.draw(pair.data), float)
    values = data.draw(pair.values)
    normalised = data.draw(hs.booleans())
    low, high = pair.support(sample, values)
    finite = (low if np.isfinite(low) else -30.0, high if np.isfinite(high) else 200.0)
    bracket = (finite[0] + 1e-9, finite[1] - 1e-9) if name != "pareto_uniform" else (low, low + 1e-9)
    oracle = normalised_log_posterior(pair.log_joint(sample, values), (low, high), bracket)
    points = pair.points(sample, values)
    got = user_posterior(name, normalised).numpy()(np.asarray(points), x=sample, **values)
    np.testing.assert_allclose(got, [oracle(q) for q in points], rtol=1e-7, atol=1e-7)


def test_a_user_pmf_likelihood_whose_sum_depends_on_the_parameter_is_refused_before_the_posterior():
    # theta e^(-theta k) on {0, 1, ...} sums to theta/(1 - e^(-theta)) (checked: a numpy partial sum): the kernel
    # would have missed the log(1 - e^(-theta)) term and given a wrong Gamma posterior
    import re

    import sympy.stats as st

    from symml.errors import ModelError

    k = sp.Symbol("k", integer=True, nonnegative=True)
    theta = sp.Symbol("theta", positive=True)
    with pytest.raises(ModelError, match="normalising constant depends") as raised:
        derive_posterior(Model(log(theta) - theta * k, k, support=sp.Range(0, sp.oo)), st.Gamma("T", 2, 1), theta)
    quoted = re.findall(r"to (\S+) at theta = ([0-9/]+)", str(raised.value))
    assert len(quoted) == 2
    for value, at in quoted:
        t_ = float(sp.Rational(at))
        assert float(value) == pytest.approx((t_ * np.exp(-t_ * np.arange(2000))).sum(), rel=1e-5)


def test_a_piecewise_support_keeps_the_bound_a_positive_data_symbol_makes_true():
    # x >= 0 of a positive x evaluates to True, which left the support (-oo, theta]: the density check then
    # integrated 1/theta over a half line and refused the Uniform(0, theta) likelihood
    theta = sp.Symbol("theta", positive=True)
    model = Model(sp.Piecewise((-log(theta), (x_pos >= 0) & (x_pos <= theta)), (-sp.oo, True)), x_pos)
    assert model.support == sp.Interval.Lopen(0, theta)
