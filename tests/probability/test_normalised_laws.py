"""A user's density under an expectation must integrate to one: the normaliser and score routes rest on it."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats

import symml


def test_a_truncated_density_with_its_normaliser_has_the_truncated_mean():
    """Exponential(θ) truncated to [0, 5]: scipy's truncexpon with b = 5θ and scale 1/θ."""
    model = symml.Model(logpdf="log(theta) - theta*x - log(1 - exp(-5*theta))", data="x", support=sp.Interval(0, 5))
    mean = symml.derive.expectation(model, model.data).numpy()(theta=0.5)
    assert mean == pytest.approx(ss.truncexpon(5 * 0.5, scale=2).mean(), rel=1e-12)


def test_a_truncated_density_without_its_normaliser_is_refused_by_name():
    """θe^{−θx} on [0, 5] integrates to 1 − e^{−5θ}: the kernel route took it for the Exponential and gave
    E[X] = 1/θ (2 at θ = 0.5, where the integral of x θe^{−θx} over [0, 5] is 1.42)."""
    model = symml.Model(logpdf="log(theta) - theta*x", data="x", support=sp.Interval(0, 5))
    with pytest.raises(symml.ModelError, match="does not integrate to 1 over the support Interval"):
        symml.derive.moments(model)


def test_a_density_missing_a_constant_factor_is_refused_for_an_expectation():
    """exp(−x²/2) integrates to √(2π): its 'mean of X²' would be √(2π) times the Normal's."""
    model = symml.Model(logpdf="-x**2/2", data="x", support=sp.Interval(-sp.oo, sp.oo))
    with pytest.raises(symml.ModelError, match=r"integrates to 2\.50663 .*not to 1"):
        symml.derive.expectation(model, model.data**2)


def test_a_finite_pmf_whose_normaliser_sums_over_other_points_is_summed_term_by_term():
    """k^(−a)/H(12, a) typed over k = 1..10 (a normaliser that does not fit the support): the normaliser route took
    H(12, a) for the sum of the kernel and summed E[k] over 1..12; the expectation is the literal sum over 1..10."""
    model = symml.Model(logpdf="-a*log(k) - log(harmonic(12, a))", data="k", support=sp.Range(1, 11))
    mean = symml.derive.expectation(model, model.data).numpy()(a=1.3)
    k = np.arange(1, 13)
    assert mean == pytest.approx(np.sum(k[:10] ** -0.3) / np.sum(k ** -1.3), rel=1e-12)


def test_a_typed_density_takes_the_symbols_of_its_support_by_name():
    """H(N, a) typed over the support Range(1, N + 1) with N a positive integer: the text made a second N, so the
    model had parameters (N, N, a) and the expectation's numeric sum raised KeyError N."""
    n = sp.Symbol("N", positive=True, integer=True)
    model = symml.Model(logpdf="-a*log(k) - log(harmonic(N, a))", data="k", support=sp.Range(1, n + 1))
    assert [p.name for p in model.parameters] == ["N", "a"]


def test_two_symbols_of_one_name_in_a_model_are_refused_by_name():
    x, n = sp.Symbol("x", real=True), sp.Symbol("N", positive=True, integer=True)
    with pytest.raises(symml.ModelError, match="two different symbols are named N"):
        symml.Model(logpdf=sp.log(2 / sp.Symbol("N")), data=x, support=sp.Interval(0, n))


def test_a_location_named_x_is_not_the_observation():
    # the observation was the Symbol("x") the location is: the density in x − x = 0, and E[X²] came out ∞
    location = sp.Symbol("x", real=True)
    found = symml.derive.expectation(sympy.stats.Normal("X", location, 1) ** 2).numpy()(x=1.5)
    draws = np.random.default_rng(4).normal(1.5, 1.0, 200_000)
    assert found == pytest.approx(np.mean(draws**2), rel=4 * np.std(draws**2) / np.sqrt(draws.size) / 3.25)
