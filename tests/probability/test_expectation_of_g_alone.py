"""derive.expectation(g) with g in one sympy.stats random variable, as sympy.stats.E(g) is written."""
import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import integrate, stats

import symml
from symml.errors import ParameterError

rate = sp.Symbol("lambda", positive=True)
E = st.Exponential("E", rate)


def test_expectation_of_g_alone_matches_quadrature():
    derived = symml.derive.expectation(1 / (1 + E)).numpy()(**{"lambda": 1.7})
    numeric, _ = integrate.quad(lambda x: stats.expon.pdf(x, scale=1 / 1.7) / (1 + x), 0, np.inf)
    assert np.isclose(derived, numeric, rtol=1e-9)


def test_expectation_of_g_without_a_random_variable_asks_which():
    with pytest.raises(ParameterError, match="name the random variable"):
        symml.derive.expectation(rate)


def test_expectation_in_an_exponential_integral_is_finite_where_its_exponential_overflows():
    import mpmath

    derived = symml.derive.expectation(1 / (1 + E)).numpy()(**{"lambda": 800.0})
    exact = float(800 * mpmath.exp(800) * mpmath.e1(800))
    assert np.isclose(derived, exact, rtol=1e-12)
