"""Numerical stability of the exported losses at extreme scores, and clear errors for inputs of the wrong shape."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml
from symml import losses
from symml.matrix_calculus.numpy_export import numpy_function
from tests.losses.cases import CASES, X, w, y
from tests.losses.oracles import max_relative_error

EXTREME = np.array([[800.0], [-800.0], [1.0]])  # rows of X; with w = [1] the scores are z = ±800 and 1


def _logistic_inputs(labels: list[float]) -> dict:
    return {"X": EXTREME, "w": np.array([1.0]), "y": np.array(labels)}


def test_logistic_loss_is_finite_and_exact_at_scores_of_800():
    # softplus(800) = 800 to double precision and softplus(−800) = e^−800 ≈ 0: log(1 + e^z) would overflow
    loss = numpy_function(losses.logistic(X, w, y), [X, w, y])
    value = loss(**_logistic_inputs([0.0, 1.0, 1.0]))
    expected = 800.0 + 800.0 + np.log1p(np.exp(-1.0))  # softplus(800) + (softplus(−800) + 800) + (softplus(1) − 1)
    assert np.isfinite(value) and abs(value - expected) < 1e-9 * expected


def test_logistic_gradient_and_hessian_are_finite_at_scores_of_800():
    # σ(±800) via expit is exactly 1 or 0: no exp(z)/(exp(z)+1) = inf/inf = NaN
    inputs = _logistic_inputs([1.0, 0.0, 1.0])
    loss = CASES["logistic"].loss
    g = symml.derive.gradient(loss, w).numpy()(**inputs)
    H = symml.derive.hessian(loss, w).numpy()(**inputs)
    assert np.all(np.isfinite(g)) and np.all(np.isfinite(H))
    sigma_1 = 1 / (1 + np.exp(-1.0))
    assert max_relative_error(g, [sigma_1 - 1.0]) < 1e-12
    assert max_relative_error(H, [[sigma_1 * (1 - sigma_1)]]) < 1e-12


def test_softmax_cross_entropy_is_finite_at_scores_of_800():
    loss = CASES["softmax_cross_entropy"].loss
    symbols = sorted(loss.atoms(sp.MatrixSymbol), key=lambda s: s.name)
    scores = {"X": np.array([[1.0]]), "W": np.array([[800.0, -800.0]]), "Y": np.array([[0.0, 1.0]])}
    assert numpy_function(loss, symbols)(**scores) == pytest.approx(1600.0)  # logsumexp(800, −800) − (−800)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: losses.least_squares(X, symml.vector("v", 7), y), "w must have shape"),
        (lambda: losses.logistic(X, w, symml.vector("t", 3)), "y must have shape"),
        (lambda: losses.ridge(X, w, y, symml.matrix("L", 2, 2)), "lam must be a scalar"),
        (lambda: losses.huber(X, w, y, "not a number"), "delta must be a scalar"),
        (lambda: losses.hinge(3.0, w, y), "X must be a matrix"),
        (lambda: losses.gaussian_nll(X, None, symml.matrix("Sigma", 4, 4)), "sample size n is needed"),
        (lambda: losses.gaussian_nll(X, symml.vector("mu", 5), symml.matrix("Sigma", 4, 4)), "X must be"),
        (lambda: losses.softmax_cross_entropy(X, symml.matrix("W", 2, 4), symml.matrix("Y", 3, 4)), "W must be"),
    ],
)
def test_inputs_of_the_wrong_shape_raise_a_shape_error_naming_the_loss(build, message):
    with pytest.raises(symml.ShapeError, match=message):
        build()
