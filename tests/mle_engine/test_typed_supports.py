"""A model's support typed as bounds on the data ('x > 1', '0 < x < 1', 'x >= 1'), and a typed density beside a
data Symbol declared by the user. Estimates checked against scipy.optimize on the log-likelihood written by hand."""
import numpy as np
import pytest
import sympy as sp
from scipy import optimize
from scipy.special import gammaln

import symml
from symml.errors import ModelError


def test_a_pareto_support_typed_as_text():
    # Model(..., support="x > 1") raised a raw AttributeError: 'str' object has no attribute 'free_symbols'
    sample = np.array([1.5, 2.0, 3.3, 1.1])
    estimate = symml.derive.mle(symml.Model(pdf=r"\frac{\theta}{x^{\theta+1}}", data="x", support="x > 1"))
    by_hand = optimize.minimize_scalar(lambda t: -np.sum(np.log(t) - (t + 1) * np.log(sample)), bounds=(1e-6, 50),
                                       method="bounded", options={"xatol": 1e-12}).x
    assert estimate.numpy()(sample)["theta"] == pytest.approx(by_hand, rel=1e-7)


def test_a_typed_pmf_with_a_factorial_is_over_the_integers_of_its_typed_support():
    # a zero-truncated Poisson typed with 'x >= 1' ran out of its 30 s budget integrating over the reals
    model = symml.Model(pdf="lam**x*exp(-lam)/(factorial(x)*(1-exp(-lam)))", data="x", support="x >= 1")
    assert model.support == sp.Intersection(sp.Interval(1, sp.oo), sp.S.Integers)
    sample = np.array([1, 1, 2, 3, 1])
    log_likelihood = lambda lam: np.sum(sample * np.log(lam) - lam - gammaln(sample + 1) - np.log1p(-np.exp(-lam)))  # noqa: E731
    by_hand = optimize.minimize_scalar(lambda lam: -log_likelihood(lam), bounds=(1e-6, 20), method="bounded",
                                       options={"xatol": 1e-12}).x
    assert symml.derive.mle(model).numpy()(sample)["lam"] == pytest.approx(by_hand, rel=1e-7)


def test_a_typed_density_uses_the_data_symbol_the_user_declared():
    # the typed x stayed apart from the user's integer x and was estimated as a parameter
    x = sp.Symbol("x", integer=True, nonnegative=True)
    model = symml.Model(pdf="lam**x*exp(-lam)/(factorial(x)*(1-exp(-lam)))", data=x, support=sp.Range(1, sp.oo))
    assert model.data is x and [p.name for p in model.parameters] == ["lam"]


def test_a_two_sided_typed_support():
    model = symml.Model(logpdf="log(a) + (a - 1)*log(x)", data="x", support="0 < x < 1")
    assert model.support == sp.Interval.open(0, 1)


def test_a_typed_support_that_does_not_bound_the_data_is_refused():
    with pytest.raises(ModelError, match="bounds on x"):
        symml.Model(logpdf="log(a) - a*x", data="x", support="a > 0")
