"""Expectations, variances and moments of functions of several independent sympy.stats variables.

Oracles: Monte Carlo (2e5 draws, within 4 standard errors), scipy.integrate.dblquad, scipy.stats moments.
"""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy.integrate import dblquad

import symml
from symml.errors import ModelError

m1, m2 = sp.symbols("m1 m2", real=True)
s1, s2, a, b, k1, k2, theta, r = sp.symbols("s1 s2 a b k1 k2 theta r", positive=True)
DRAWS = 200_000


def within_monte_carlo(value: float, samples: np.ndarray) -> bool:
    return abs(value - samples.mean()) <= 4 * samples.std() / np.sqrt(samples.size)


def test_mean_of_a_product_of_independent_variables_factorises():
    X, Y = st.Normal("X", m1, s1), st.Exponential("Y", r)
    d = symml.derive.expectation(X * Y)
    rng = np.random.default_rng(1)
    x, y = rng.normal(0.7, 1.3, DRAWS), rng.exponential(1 / 2.0, DRAWS)
    assert within_monte_carlo(float(d.numpy()(m1=0.7, s1=1.3, r=2.0)), x * y)
    assert "Factorise over independent variables" in [step.title for step in d.steps]


def test_variance_of_a_sum_is_the_sum_of_the_variances():
    X, Y = st.Gamma("X", k1, theta), st.Normal("Y", m2, s2)
    d = symml.derive.variance(X + Y)
    oracle = ss.gamma(2.5, scale=0.8).var() + ss.norm(0.3, 1.7).var()
    assert float(d.numpy()(k1=2.5, theta=0.8, m2=0.3, s2=1.7)) == pytest.approx(oracle, rel=1e-10)


def test_mean_square_difference_against_a_double_integral():
    X, Y = st.Normal("X", m1, s1), st.Normal("Y", m2, s2)
    d = symml.derive.expectation((X - Y)**2)
    f, g = ss.norm(0.5, 1.2), ss.norm(-0.4, 0.7)
    oracle, _ = dblquad(lambda y, x: (x - y)**2 * f.pdf(x) * g.pdf(y), -15, 15, -15, 15)
    assert float(d.numpy()(m1=0.5, s1=1.2, m2=-0.4, s2=0.7)) == pytest.approx(oracle, rel=1e-7)


def test_moments_of_a_sum_of_poissons_are_those_of_a_poisson_of_the_summed_rate():
    d = symml.derive.moments(st.Poisson("X", a) + st.Poisson("Y", b))
    found = d.numpy()(a=1.3, b=2.4)
    mean, variance, skewness, kurtosis = ss.poisson(3.7).stats(moments="mvsk")
    assert [found[k] for k in ("mean", "variance", "skewness", "excess_kurtosis")] == pytest.approx(
        [mean, variance, skewness, kurtosis], rel=1e-10)
    assert any("Poisson}(a + b)" in remark for remark in d.remarks)


def test_sum_of_normals_is_recognised_as_normal_and_matches_monte_carlo():
    d = symml.derive.moments(st.Normal("X", m1, s1) + st.Normal("Y", m2, s2), upto=2)
    rng = np.random.default_rng(2)
    total = rng.normal(0.4, 0.9, DRAWS) + rng.normal(-1.1, 1.6, DRAWS)
    found = d.numpy()(m1=0.4, s1=0.9, m2=-1.1, s2=1.6)
    assert within_monte_carlo(found["mean"], total)
    assert within_monte_carlo(found["variance"], (total - total.mean())**2)
    assert any("Normal}" in remark for remark in d.remarks)


def test_sum_of_gammas_of_a_common_scale_is_recognised_as_gamma():
    d = symml.derive.moments(st.Gamma("X", k1, theta) + st.Gamma("Y", k2, theta), upto=3)
    found = d.numpy()(k1=1.5, k2=2.2, theta=0.6)
    mean, variance, skewness = ss.gamma(3.7, scale=0.6).stats(moments="mvs")
    assert [found["mean"], found["variance"], found["skewness"]] == pytest.approx([mean, variance, skewness], rel=1e-10)
    assert any("Gamma}(k_{1} + k_{2}" in remark for remark in d.remarks)


def test_non_polynomial_integrand_factorises_into_one_variable_expectations():
    X, Y = st.Normal("X", m1, s1), st.Gamma("Y", k2, theta)
    d = symml.derive.expectation(sp.exp(X) * Y**2)
    rng = np.random.default_rng(3)
    x, y = rng.normal(0.2, 0.5, DRAWS), rng.gamma(2.0, 0.7, DRAWS)
    assert within_monte_carlo(float(d.numpy()(m1=0.2, s1=0.5, k2=2.0, theta=0.7)), np.exp(x) * y**2)


def test_an_integrand_that_does_not_split_is_left_to_nested_quadrature_and_said():
    X, Y = st.Normal("X", m1, s1), st.Normal("Y", m2, s2)
    d = symml.derive.expectation(1 / (1 + X**2 + Y**2))
    assert any("does not split" in remark for remark in d.remarks)
    rng = np.random.default_rng(4)
    x, y = rng.normal(0.0, 1.0, DRAWS), rng.normal(1.0, 0.5, DRAWS)
    assert within_monte_carlo(float(d.numpy()(m1=0.0, s1=1.0, m2=1.0, s2=0.5)), 1 / (1 + x**2 + y**2))


def test_variables_built_jointly_are_refused():
    N = st.MultivariateNormal("N", [0, 0], [[1, sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
    with pytest.raises(ModelError, match="built jointly"):
        symml.derive.expectation(st.Normal("X", 0, 1) * N[0])


def test_a_discrete_integrand_that_does_not_split_is_an_iterated_sum_summed_numerically():
    d = symml.derive.expectation(1 / (1 + st.Poisson("X", a) + st.Poisson("Y", b)))
    k = np.arange(200)
    oracle = np.sum(ss.poisson(2.0 + 3.0).pmf(k) / (1 + k))  # X + Y ~ Poisson(a + b), summed by scipy
    assert float(d.numpy()(a=2.0, b=3.0)) == pytest.approx(oracle, rel=1e-8)


def test_a_constant_named_like_a_variables_value_stays_a_constant_in_the_iterated_integral():
    x = sp.Symbol("x", real=True)
    d = symml.derive.expectation(1 / (1 + (st.Normal("X", m1, s1) - x)**2 + st.Normal("Y", m2, s2)**2))
    rng = np.random.default_rng(5)
    u, v = rng.normal(0.5, 1.0, DRAWS), rng.normal(0.0, 2.0, DRAWS)
    assert within_monte_carlo(float(d.numpy()(m1=0.5, s1=1.0, m2=0.0, s2=2.0, x=-0.3)), 1 / (1 + (u + 0.3)**2 + v**2))
