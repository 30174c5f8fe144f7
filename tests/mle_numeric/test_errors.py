"""Bad input to a numpy() estimator raises a symml error that names the problem."""
from __future__ import annotations

import numpy as np
import pytest

from symml.errors import DataError, ParameterError
from symml.mle.numeric import mle_estimator
from tests.mle_numeric.hand_built import CASES


def _estimator(name):
    return mle_estimator(CASES[name].problem)


def test_missing_fixed_parameter_is_named():
    with pytest.raises(ParameterError, match="missing value for the fixed parameter.*nu"):
        _estimator("student_t_location")([1.0, 2.0])


def test_unknown_keyword_lists_the_fixed_parameters():
    with pytest.raises(ParameterError, match="df is not a parameter of the model; the fixed parameters are: nu"):
        _estimator("student_t_location")([1.0, 2.0], nu=3.0, df=3.0)


def test_estimated_parameter_given_as_fixed_is_refused():
    with pytest.raises(ParameterError, match="mu is estimated, not fixed"):
        _estimator("normal")([1.0, 2.0], mu=1.0)


def test_fixed_value_that_breaks_the_parameter_assumptions():
    with pytest.raises(ParameterError, match="b must be positive"):
        _estimator("laplace_location")([1.0, 2.0], b=-1.0)


def test_empty_sample():
    with pytest.raises(DataError, match="empty"):
        _estimator("normal")([])


def test_nan_in_the_sample_is_located():
    with pytest.raises(DataError, match=r"x\[2\] = nan"):
        _estimator("normal")([1.0, 2.0, np.nan])


def test_two_dimensional_sample():
    with pytest.raises(DataError, match=r"one-dimensional.*\(2, 2\)"):
        _estimator("normal")(np.ones((2, 2)))


def test_non_numeric_sample():
    with pytest.raises(DataError, match="array of numbers"):
        _estimator("normal")(["a", "b"])


def test_negative_data_for_the_exponential_is_outside_the_support():
    with pytest.raises(DataError, match=r"outside the support Interval\(0, oo\).*x\[1\] = -1"):
        _estimator("exponential")([1.0, -1.0, 2.0])


def test_fractional_counts_for_the_poisson_are_outside_the_support():
    with pytest.raises(DataError, match="outside the support"):
        _estimator("poisson")([1.0, 2.5])


def test_degenerate_sample_without_a_finite_maximum():
    with pytest.raises(DataError, match="estimate of lambda is inf"):
        _estimator("exponential")([0.0, 0.0])


def test_one_laplace_observation_is_a_degenerate_sample_not_a_division_by_zero():
    import sympy as sp
    import sympy.stats as st

    import symml

    laplace = st.Laplace("X", sp.Symbol("mu", real=True), sp.Symbol("b", positive=True))
    with pytest.raises(DataError, match="estimate of b is 0.0.*degenerate sample"):
        symml.derive.mle(laplace).numpy()(x=np.array([3.0]))


def test_a_sample_of_failures_has_its_bernoulli_maximum_at_p_zero_not_an_unbounded_likelihood():
    import sympy as sp
    import sympy.stats as st

    import symml

    estimate = symml.derive.mle(st.Bernoulli("X", sp.Symbol("p", positive=True))).numpy()(x=np.zeros(10))
    grid = np.linspace(1e-9, 1 - 1e-9, 10001)
    assert estimate["p"] == pytest.approx(grid[np.argmax(10 * np.log1p(-grid))], abs=1e-6)  # n log(1 − p) on a grid
