"""Bad input gets a symml error that names the problem."""
from __future__ import annotations

import pytest
import sympy as sp
import sympy.stats as st

import symml
from symml.mle import mle
from symml.mle.families import family_names, random_variable


def test_a_non_sympy_stats_object_is_a_model_error():
    with pytest.raises(symml.ModelError, match="sympy.stats random variable"):
        mle(42)


def test_a_parameter_not_in_the_model_names_it_and_lists_the_models():
    with pytest.raises(symml.ParameterError, match=r"'tau' is not a parameter.*mu, sigma"):
        mle(random_variable("Normal"), wrt=["tau"])


def test_an_unknown_family_lists_the_available_names_sorted_on_one_line():
    with pytest.raises(symml.UnknownFamilyError) as error:
        mle("Gaussian")
    message = str(error.value)
    assert "'Gaussian'" in message and ", ".join(family_names()) in message and "\n" not in message


def test_a_non_identifiable_model_is_refused():
    # mu and m enter only through mu + m: the likelihood is flat along mu + m = constant
    x, mu, m = sp.symbols("x mu m", real=True)
    with pytest.raises(symml.NotIdentifiableError, match="not identifiable"):
        mle(symml.Model(logpdf=-(x - mu - m) ** 2 / 2, data=x))


def test_a_multivariate_random_variable_is_univariate_only():
    X = st.MultivariateNormal("X", [0, 0], [[1, 0], [0, 1]])
    with pytest.raises(symml.ModelError, match="univariate only.*matrix form"):
        mle(X)


def test_a_model_whose_log_density_ignores_the_data_is_refused():
    x, mu = sp.symbols("x mu", real=True)
    with pytest.raises(symml.ModelError, match="does not depend on the data"):
        symml.Model(logpdf=-mu**2, data=x)


def test_family_names_come_from_sympy_stats_and_exclude_multivariate_ones():
    names = family_names()
    assert {"Normal", "Poisson", "Bernoulli", "Beta", "StudentT"} <= set(names)
    assert "MultivariateNormal" not in names and list(names) == sorted(names)


def test_random_variable_names_parameters_conventionally_with_their_assumptions():
    mu, sigma = random_variable("Normal").pspace.distribution.args
    assert (mu.name, sigma.name, mu.is_real, sigma.is_positive) == ("mu", "sigma", True, True)


def test_an_empty_wrt_is_a_parameter_error():
    with pytest.raises(symml.ParameterError, match="nothing to estimate"):
        mle(random_variable("Normal"), wrt=[])


def test_a_die_whose_pmf_decreases_in_its_sides_is_estimated_by_the_support_rule():
    # Die(sides): the pmf 1/sides decreases in sides, the score never vanishes; the support {1, ..., sides} (integers
    # in an interval whose end moves) bounds it below by x₍ₙ₎. Oracle: the likelihood over the integers 1..30
    import numpy as np

    rolls = np.array([2.0, 5.0, 3.0, 5.0, 1.0])
    likelihood = [0.0 if k < rolls.max() else k ** -float(rolls.size) for k in range(1, 31)]
    assert mle("Die").numpy()(x=rolls)["sides"] == 1 + int(np.argmax(likelihood))


def test_a_family_name_is_read_in_any_case_and_gives_the_same_estimators():
    import numpy as np

    sample = np.random.default_rng(3).normal(2.0, 3.0, size=500)
    lower = mle("normal").numpy()(x=sample)
    assert np.isclose(lower["mu"], sample.mean()) and np.isclose(lower["sigma"], sample.std())
