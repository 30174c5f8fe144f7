"""An estimate whose density is negative somewhere on a bounded support is outside the parameter space, even where
every observation has a positive density: (1 + θx)/2 on [−1, 1] with data near 1. Its maximum over the parameter
space is then on the boundary (θ = 1), returned with a warning."""
import warnings

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize_scalar

import symml
from symml.mle.boundary_search import BoundaryMaximumWarning

theta, x = sp.Symbol("theta", real=True), sp.Symbol("x", real=True)
ESTIMATOR = symml.derive.mle(symml.Model(logpdf=sp.log((1 + theta * x) / 2), data=x, support=sp.Interval(-1, 1)),
                             wrt=[theta]).numpy()


@pytest.mark.parametrize("data", [np.array([0.9, 0.95, 0.99, 0.8, 0.7]), -np.array([0.9, 0.5, 0.99, 0.8])])
def test_an_estimate_past_the_parameter_space_is_its_end_with_a_warning(data):
    # the log-likelihood grows without bound as θ → ∞ for positive data; over valid θ ∈ [−1, 1] its maximum is θ = 1
    # (the solver ran off to θ = 1.4e11 and raised DataError); the oracle: scipy's bounded minimisation over [−1, 1]
    oracle = minimize_scalar(lambda t: -np.sum(np.log1p(t * data)), bounds=(-1, 1), method="bounded",
                             options={"xatol": 1e-12}).x
    with pytest.warns(BoundaryMaximumWarning, match="on the boundary of the parameter space"):
        found = ESTIMATOR(x=data)["theta"]
    assert found == pytest.approx(oracle, abs=1e-6) and abs(found) == 1.0


def test_an_interior_estimate_warns_of_no_boundary():
    sample = np.random.default_rng(1).uniform(-1, 1, 50)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ESTIMATOR(x=sample)


def test_an_interior_estimate_on_a_bounded_support_is_the_likelihood_maximum():
    sample = np.random.default_rng(0).uniform(-1, 1, 50)
    best = minimize_scalar(lambda t: -np.sum(np.log1p(t * sample)), bounds=(-0.999, 0.999), method="bounded",
                           options={"xatol": 1e-10})
    assert np.isclose(ESTIMATOR(x=sample)["theta"], best.x, atol=1e-6)
