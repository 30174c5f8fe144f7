"""The maximum likelihood of several unknowns on a face of the parameter space (symml.mle.boundary_search): the
Legendre density (1 + θx + φ(3x² − 1)/2)/2 on [−1, 1] with data piled near 1, whose score's root makes the density
negative; the maximum over valid (θ, φ) has one of them at its bound given the other. Oracle: scipy.optimize
(SLSQP) with the density's minimum over [−1, 1] (scipy's bounded scalar minimisation, and the ends) constrained
non-negative."""
import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml
from symml.mle.boundary_search import BoundaryMaximumWarning

x = sp.Symbol("x", real=True)
THETA, PHI = sp.symbols("theta phi", real=True)
DATA = np.clip(1 - np.random.default_rng(3).exponential(0.08, 40), -1, 0.999)


def _density(q: np.ndarray, at: np.ndarray) -> np.ndarray:
    return (1 + q[0] * at + q[1] * (3 * at ** 2 - 1) / 2) / 2


def _log_likelihood(q: np.ndarray) -> float:
    return float(np.sum(np.log(_density(q, DATA))))


@pytest.fixture(scope="module")
def estimate():
    model = symml.Model(logpdf=sp.log((1 + THETA * x + PHI * (3 * x ** 2 - 1) / 2) / 2), data=x,
                        support=sp.Interval(-1, 1))
    with pytest.warns(BoundaryMaximumWarning, match="at its bound given the others"):
        found = symml.derive.mle(model).numpy()(x=DATA)
    return np.array([found["theta"], found["phi"]])


def _lowest_density(q: np.ndarray) -> float:
    inside = optimize.minimize_scalar(lambda t: _density(q, t), bounds=(-1.0, 1.0), method="bounded",
                                      options={"xatol": 1e-12})
    return float(min(inside.fun, _density(q, -1.0), _density(q, 1.0)))


def test_two_unknowns_with_one_at_its_bound_reach_scipys_constrained_maximum(estimate):
    reference = optimize.minimize(lambda q: -_log_likelihood(q), [0.0, 0.0], method="SLSQP",
                                  constraints=[{"type": "ineq", "fun": _lowest_density}],
                                  options={"ftol": 1e-15, "maxiter": 1000})
    assert _log_likelihood(estimate) == pytest.approx(-reference.fun, rel=1e-10)
    np.testing.assert_allclose(estimate, reference.x, atol=2e-5)  # the face is flat along itself


def test_the_estimate_on_the_face_is_inside_the_parameter_space(estimate):
    assert _lowest_density(estimate) > -1e-10
