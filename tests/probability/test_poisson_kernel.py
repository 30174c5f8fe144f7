"""Expectations under a Cauchy law by the Poisson integral of the upper half-plane, each checked by quadrature."""
import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy.integrate import quad

import symml
from symml.probability.expectation import expect, foreign_log
from symml.probability.law import as_law
from symml.probability.poisson_kernel import harmonic_expectation, poisson_point

m, c = sp.symbols("m c", real=True)
g, d = sp.symbols("g d", positive=True)
locations = hs.floats(-3, 3)
scales = hs.floats(0.2, 3)


def cauchy_expectation(h, location, scale):
    """E[h(X)] for X ~ Cauchy(location, scale) by quadrature over the quantiles (no tail to truncate)."""
    law = ss.cauchy(location, scale)
    return quad(lambda u: h(law.ppf(u)), 0.0, 1.0, limit=400)[0]


@functools.lru_cache(maxsize=None)
def log_quadratic():
    law = as_law(st.Cauchy("X", m, g))
    return law, expect(law, sp.log((law.variable - c) ** 2 + d**2))


def test_the_cauchy_density_is_recognised_as_the_poisson_kernel_at_location_plus_i_scale():
    assert poisson_point(as_law(st.Cauchy("X", m, g))) == m + sp.I * g
    assert poisson_point(as_law(st.Normal("X", m, g))) is None


def test_the_log_of_a_quadratic_without_real_roots_needs_no_integral():
    law, found = log_quadratic()
    assert [step.title for step in found.steps] == ["Recognise the Poisson kernel of the upper half-plane"]
    assert not found.value.has(sp.Integral)


@settings(max_examples=10, deadline=None)
@given(locations, scales, locations, scales)
def test_expectation_of_a_log_quadratic_matches_quadrature(location, scale, centre, width):
    _, found = log_quadratic()
    derived = float(found.value.subs({m: location, g: scale, c: centre, d: width}))
    oracle = cauchy_expectation(lambda x: np.log((x - centre) ** 2 + width**2), location, scale)
    assert derived == pytest.approx(oracle, rel=1e-7, abs=1e-9)


def test_a_quartic_pairs_each_root_below_the_axis_with_its_conjugate():
    law = as_law(st.Cauchy("X", m, g))
    value, _ = harmonic_expectation(law, sp.log(law.variable**4 + 1))
    derived = float(value.subs({m: 0.4, g: 0.7}))
    assert derived == pytest.approx(cauchy_expectation(lambda x: np.log1p(x**4), 0.4, 0.7), rel=1e-8)


def test_a_log_with_a_real_root_is_not_the_real_part_of_an_analytic_function_of_the_form():
    law = as_law(st.Cauchy("X", m, g))
    assert harmonic_expectation(law, sp.log(law.variable**2 + 2 * law.variable)) is None


@functools.lru_cache(maxsize=None)
def cauchy_kl():
    m1, m2 = sp.symbols("m1 m2", real=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)
    return symml.derive.kl(st.Cauchy("X", m1, s1), st.Cauchy("X", m2, s2))


def test_cauchy_kl_is_closed_from_two_poisson_integrals():
    d = cauchy_kl()
    assert not d.result.has(sp.Integral)
    assert sum(step.title == "Recognise the Poisson kernel of the upper half-plane" for step in d.steps) == 2


@settings(max_examples=10, deadline=None)
@given(locations, scales, locations, scales)
def test_cauchy_kl_matches_quadrature(m1, s1, m2, s2):
    p, q = ss.cauchy(m1, s1), ss.cauchy(m2, s2)
    oracle = quad(lambda u: p.logpdf(p.ppf(u)) - q.logpdf(p.ppf(u)), 0.0, 1.0, limit=400)[0]
    assert cauchy_kl().numpy()(m1=m1, s1=s1, m2=m2, s2=s2) == pytest.approx(oracle, rel=1e-7, abs=1e-9)


def test_a_log_the_density_does_not_contain_is_foreign():
    normal = as_law(st.Normal("X", m, g))
    x = normal.variable
    assert foreign_log(normal, sp.log(1 + sp.exp(-x))) == sp.log(1 + sp.exp(-x))
    assert foreign_log(normal, sp.log(x**2 + 1)) is not None
    assert foreign_log(normal, sp.log(3 * x**2)) is None  # a power of x: moments close


def test_a_log_the_density_contains_is_not_foreign():
    logistic = as_law(st.Logistic("X", m, g))
    assert foreign_log(logistic, sp.log(sp.exp((m - logistic.variable) / g) + 1)) is None


def test_a_foreign_term_without_a_closed_form_is_said_and_shown_as_an_integral():
    kl = symml.derive.kl(st.Normal("X", m, g), st.Logistic("X", c, d))
    assert kl.result.has(sp.Integral)
    assert any("the budget of such terms" in remark for remark in kl.remarks)


@settings(max_examples=10, deadline=None)
@given(locations, scales, locations, scales)
def test_a_rational_function_bounded_on_the_line_is_the_real_part_of_its_lower_principal_parts(
        location, scale, centre, width):
    law = as_law(st.Cauchy("X", m, g))
    x = law.variable
    value, _ = rational_expectations(law, x)
    derived = float(value.subs({m: location, g: scale, c: centre, d: width}))
    oracle = cauchy_expectation(lambda t: (t**2 + t) / ((t - centre) ** 2 + width**2), location, scale)
    assert derived == pytest.approx(oracle, rel=1e-7, abs=1e-9)


@functools.lru_cache(maxsize=None)
def rational_expectations(law, x):
    return harmonic_expectation(law, (x**2 + x) / ((x - c) ** 2 + d**2))


def test_a_polynomial_is_not_bounded_and_has_no_poisson_integral():
    law = as_law(st.Cauchy("X", m, g))
    assert harmonic_expectation(law, law.variable**2 / (law.variable**2 + 1) * law.variable) is None


def test_cauchy_fisher_information_closes_and_matches_quadrature_of_the_squared_score():
    d = symml.derive.fisher_information(st.Cauchy("X", m, g), wrt=[m, g])
    assert not d.result.has(sp.Integral)
    score = [lambda t: 2 * (t - 0.3) / (0.8**2 + (t - 0.3) ** 2),
             lambda t: -1 / 0.8 + 2 * (t - 0.3) ** 2 / (0.8 * (0.8**2 + (t - 0.3) ** 2))]
    oracle = [[cauchy_expectation(lambda t: a(t) * b(t), 0.3, 0.8) for b in score] for a in score]
    assert np.allclose(d.numpy()(m=0.3, g=0.8), oracle, rtol=1e-7, atol=1e-10)
