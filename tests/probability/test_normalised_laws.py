"""A user's density under an expectation must integrate to one: the normaliser and score routes rest on it."""
import pytest
import scipy.stats as ss
import sympy as sp

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
