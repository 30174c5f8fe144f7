"""The sphere wᵀw = c at a numeric d = 1 is the two points ±√c (PCA on one feature). The quadratic form wᵀSw and
the reconstruction error ‖X − Xwwᵀ‖²_F are constant there (S c and tr(XᵀX)(1 − c)²): both points are optimal. It
was refused ("every feasible point is optimal" / "neither an eigenproblem"). Oracle: the objective evaluated by
numpy at both feasible points (the whole feasible set).
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml

n = symml.dims("n")
RNG = np.random.default_rng(71)


def _on_both_points(objective, c: float) -> list[float]:
    return [float(np.ravel(objective(np.array([sign * np.sqrt(c)])))[0]) for sign in (-1.0, 1.0)]


@pytest.mark.parametrize("level", [1, 3])
def test_the_top_direction_of_a_one_by_one_covariance_is_plus_or_minus_root_c(level):
    w, S = symml.vector("w", 1), symml.matrix("S", 1, 1, symmetric=True)
    derivation = symml.derive.maximize(w.T @ S @ w, wrt=w, subject_to=[symml.Eq(w.T @ w, level)])
    S0 = np.array([[2.5]])
    found = derivation.numpy()(S=S0)
    assert abs(found) == pytest.approx([np.sqrt(level)], abs=1e-12)
    values = _on_both_points(lambda v: v @ S0 @ v, level)
    assert float(found @ S0 @ found) == pytest.approx(max(values), rel=1e-12) == pytest.approx(min(values))
    assert "At d = 1 the sphere is two points" in [step.title for step in derivation.steps]
    assert derivation.verify()


def test_the_least_reconstruction_error_on_one_feature_is_zero_at_both_points():
    X, w = symml.matrix("X", n, 1), symml.vector("w", 1)
    derivation = symml.derive.minimize(symml.sq_norm(X - X @ w @ w.T), wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    X0 = RNG.normal(size=(20, 1))
    found = derivation.numpy()(X=X0)
    error = np.sum((X0 - np.outer(X0 @ found, found))**2)
    assert abs(found) == pytest.approx([1.0]) and error == pytest.approx(0.0, abs=1e-12)
    assert _on_both_points(lambda v: np.sum((X0 - np.outer(X0 @ v, v))**2), 1.0) == pytest.approx([0.0, 0.0])
    assert derivation.verify()


def test_the_error_written_as_a_trace_at_d_1_takes_the_same_route():
    """tr((X − Xwwᵀ)ᵀ(X − Xwwᵀ)) as SymPy users write ‖·‖²_F, on wᵀw = 2: the error is tr(XᵀX) at both points
    ±√2 (the factor (1 − c)² = 1). Oracle: numpy at both feasible points."""
    X, w = symml.matrix("X", n, 1), symml.vector("w", 1)
    derivation = symml.derive.minimize(sp.Trace((X - X @ w @ w.T).T @ (X - X @ w @ w.T)), wrt=w,
                                       subject_to=[symml.Eq(w.T @ w, 2)])
    X0 = RNG.normal(size=(20, 1))
    found = derivation.numpy()(X=X0)
    error = np.sum((X0 - np.outer(X0 @ found, found))**2)
    assert error == pytest.approx(min(_on_both_points(lambda v: np.sum((X0 - np.outer(X0 @ v, v))**2), 2.0)))
    assert error == pytest.approx(np.sum(X0**2))
