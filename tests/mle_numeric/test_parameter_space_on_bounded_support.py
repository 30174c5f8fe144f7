"""An estimate whose density is negative somewhere on a bounded support is outside the parameter space, even where
every observation has a positive density: (1 + θx)/2 on [−1, 1] with data near 1."""
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize_scalar

import symml
from symml.errors import DataError

theta, x = sp.Symbol("theta", real=True), sp.Symbol("x", real=True)
ESTIMATOR = symml.derive.mle(symml.Model(logpdf=sp.log((1 + theta * x) / 2), data=x, support=sp.Interval(-1, 1)),
                             wrt=[theta]).numpy()


def test_an_estimate_past_the_parameter_space_is_refused_not_returned():
    # the log-likelihood grows without bound as θ → ∞ for positive data; over valid θ ∈ [−1, 1] its maximum is θ = 1
    with pytest.raises(DataError, match="outside the parameter space"):
        ESTIMATOR(x=np.array([0.9, 0.8, 0.95, 0.7, 0.99]))


def test_an_interior_estimate_on_a_bounded_support_is_the_likelihood_maximum():
    sample = np.random.default_rng(0).uniform(-1, 1, 50)
    best = minimize_scalar(lambda t: -np.sum(np.log1p(t * sample)), bounds=(-0.999, 0.999), method="bounded",
                           options={"xatol": 1e-10})
    assert np.isclose(ESTIMATOR(x=sample)["theta"], best.x, atol=1e-6)
