"""PCA as the least reconstruction error: min ‖X − X w wᵀ‖²_F s.t. wᵀw = 1 (Bishop PRML 12.1.2, Murphy PML1 20.1.2).

The objective is quartic in w; expanded by trace algebra it is tr(XᵀX) − 2wᵀXᵀXw + (wᵀXᵀXw)(wᵀw), and on the
constraint −wᵀXᵀXw + tr(XᵀX): the smallest error is at the top eigenvector of XᵀX. Oracles: the top right singular
vector of X (numpy.linalg.svd) and BFGS on the error at w/‖w‖.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

n, d = symml.dims("n d")
RNG = np.random.default_rng(26)


def _error(X0: np.ndarray, w0: np.ndarray) -> float:
    return float(np.sum((X0 - np.outer(X0 @ w0, w0))**2))


def _least_error_direction(X0: np.ndarray) -> np.ndarray:
    found = optimize.minimize(lambda v: _error(X0, v / np.linalg.norm(v)), np.ones(X0.shape[1]), method="BFGS",
                              options={"gtol": 1e-10})
    return found.x / np.linalg.norm(found.x)


@pytest.mark.parametrize("size", [3, d])
def test_the_least_reconstruction_error_is_the_top_right_singular_vector(size):
    X, w = symml.matrix("X", n, size), symml.vector("w", size)
    derivation = symml.derive.minimize(symml.sq_norm(X - X @ w @ w.T), wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    X0 = RNG.normal(size=(30, 3)) * [3.0, 1.0, 0.5]
    found = derivation.numpy()(X=X0)
    top = np.linalg.svd(X0)[2][0]
    assert abs(found @ top) == pytest.approx(1.0, abs=1e-10)
    assert abs(found @ _least_error_direction(X0)) == pytest.approx(1.0, abs=1e-6)
    assert derivation.verify()


def test_the_reduction_is_shown_step_by_step_and_ends_in_an_eigenproblem():
    X, w = symml.matrix("X", n, d), symml.vector("w", d)
    written = sp.Trace((X - X @ w @ w.T).T @ (X - X @ w @ w.T))  # as SymPy users write ‖·‖²_F
    derivation = symml.derive.minimize(written, wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    titles = [step.title for step in derivation.steps]
    assert titles[:2] == ["Expand the objective (trace algebra)", "Use the constraint"]
    assert "lambda_max" in str(derivation.result) and "X.T*X" in str(derivation.result)
    assert not any("PCA" in step.why for step in derivation.steps)


def test_a_negated_quadratic_form_is_minimised_at_the_top_eigenvector():
    """min −wᵀSw on the sphere: the condition reads S w = −λ w, and the minimum is at the largest eigenvalue of S
    (it returned the smallest). Oracle: numpy.linalg.eigh."""
    w, S = symml.vector("w", d), symml.matrix("S", d, d, symmetric=True)
    derivation = symml.derive.minimize(-(w.T @ S @ w), wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    root = RNG.normal(size=(4, 4))
    S0 = root @ root.T
    assert abs(derivation.numpy()(S=S0) @ np.linalg.eigh(S0)[1][:, -1]) == pytest.approx(1.0, abs=1e-10)
    assert derivation.verify()


def test_the_radius_decides_the_sign_of_the_reduced_form():
    """On wᵀw = c the error is tr(XᵀX) + (c − 2)wᵀXᵀXw: at c = 3 the least error is at the smallest eigenvector
    (scaled to √3), at c = 2 every feasible w is optimal. Oracle: BFGS on the error at √c w/‖w‖."""
    X, w = symml.matrix("X", n, d), symml.vector("w", d)
    error = symml.sq_norm(X - X @ w @ w.T)
    X0 = RNG.normal(size=(30, 3)) * [3.0, 1.0, 0.5]
    found = symml.derive.minimize(error, wrt=w, subject_to=[symml.Eq(w.T @ w, 3)]).numpy()(X=X0)
    best = optimize.minimize(lambda v: _error(X0, np.sqrt(3) * v / np.linalg.norm(v)), np.ones(3), method="BFGS",
                             options={"gtol": 1e-10}).x
    assert abs(found @ best) / (np.sqrt(3) * np.linalg.norm(best)) == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(symml.NotIdentifiableError, match="every feasible point"):
        symml.derive.minimize(error, wrt=w, subject_to=[symml.Eq(w.T @ w, 2)])


def test_a_power_of_the_norm_beside_a_quadratic_form_reduces_too():
    """(wᵀw)² + wᵀXᵀXw on the sphere is 1 + wᵀXᵀXw: its maximum is the top eigenvector. Oracle: numpy.linalg.eigh."""
    X, w = symml.matrix("X", n, d), symml.vector("w", d)
    derivation = symml.derive.maximize((w.T @ w) * (w.T @ w) + w.T @ X.T @ X @ w, wrt=w,
                                       subject_to=[symml.Eq(w.T @ w, 1)])
    X0 = RNG.normal(size=(12, 4))
    assert abs(derivation.numpy()(X=X0) @ np.linalg.eigh(X0.T @ X0)[1][:, -1]) == pytest.approx(1.0, abs=1e-10)
