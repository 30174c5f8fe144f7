"""NumPy export: matrix-level, no dense diagonal matrices, solve not inv, stable at |z| = 800, inputs by name."""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

import symml
from symml.errors import ParameterError, ShapeError

n, d = symml.dims("n d")
X = symml.matrix("X", n, d)
w, y, v = symml.vector("w", d), symml.vector("y", n), symml.vector("v", n)
A, b = symml.matrix("A", d, d), symml.vector("b", d)
logistic = symml.sum(symml.softplus(X @ w)) - y.T @ X @ w


def test_diag_times_matrix_broadcasts_instead_of_building_n_by_n():
    # diag(v) X -> v[:, None] * X: at n = 1e5 a dense diag would need 80 GB.
    from symml.matrix_calculus.numpy_export import numpy_function

    f = numpy_function(symml.diag(v) @ X, [v, X])
    assert "diagflat" not in f.source
    vv, Xv = np.arange(100_000.0), np.ones((100_000, 3))
    start = time.perf_counter()
    out = f(v=vv, X=Xv)
    assert time.perf_counter() - start < 1.0
    assert np.array_equal(out, vv[:, None] * Xv)


def test_inverse_times_vector_is_a_solve():
    # A^-1 b -> np.linalg.solve(A, b), never inv(A) @ b.
    from symml.matrix_calculus.numpy_export import numpy_function

    f = numpy_function(symml.inv(A) @ b, [A, b])
    assert "solve" in f.source and "inv(" not in f.source
    Av = np.eye(3) + 0.1 * np.arange(9.0).reshape(3, 3)
    assert np.allclose(f(A=Av, b=np.ones(3)).ravel(), np.linalg.solve(Av, np.ones(3)))


@pytest.mark.parametrize("z", [800.0, -800.0])
def test_logistic_loss_gradient_and_hessian_are_finite_at_extreme_margins(z):
    Xv, wv, yv = np.array([[1.0], [-1.0]]), np.array([z]), np.array([1.0, 0.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # an overflow or NaN anywhere would raise
        loss = symml.derive.gradient(logistic, w).problem.function
        from symml.matrix_calculus.numpy_export import numpy_function

        value = numpy_function(loss, [X, w, y])(X=Xv, w=wv, y=yv)
        gradient = symml.derive.gradient(logistic, w).numpy()(X=Xv, w=wv, y=yv)
        hessian = symml.derive.hessian(logistic, w).numpy()(X=Xv, w=wv, y=yv)
    assert np.isfinite(value) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))
    assert value == pytest.approx(np.logaddexp(0, z) + np.logaddexp(0, -z) - z)


def test_log_sigmoid_and_log_softmax_are_stable():
    from symml.matrix_calculus.numpy_export import numpy_function

    z = np.array([-800.0, 0.0, 800.0])
    log_sigmoid = numpy_function(symml.log(symml.sigmoid(v)), [v])(v=z)
    log_softmax = numpy_function(symml.log(symml.softmax(v)), [v])(v=z)
    assert np.allclose(log_sigmoid.ravel(), [-800.0, -np.log(2), 0.0])
    assert np.allclose(log_softmax.ravel(), z - 800.0)


def test_vectors_may_be_one_dimensional_or_columns_and_the_gradient_keeps_the_shape_given():
    gradient = symml.derive.gradient(symml.sq_norm(X @ w - y), w).numpy()
    Xv, wv, yv = np.ones((4, 2)), np.array([1.0, 2.0]), np.zeros(4)
    flat, column = gradient(X=Xv, w=wv, y=yv), gradient(X=Xv, w=wv[:, None], y=yv[:, None])
    assert flat.shape == (2,) and column.shape == (2, 1)
    assert np.allclose(flat, column.ravel())


def test_inconsistent_sizes_raise_a_shape_error_naming_the_dimension():
    gradient = symml.derive.gradient(symml.sq_norm(X @ w - y), w).numpy()
    with pytest.raises(ShapeError, match="d = 2"):
        gradient(X=np.ones((4, 2)), w=np.ones(3), y=np.zeros(4))


def test_unknown_or_missing_inputs_raise_a_parameter_error_naming_them():
    gradient = symml.derive.gradient(symml.sq_norm(X @ w - y), w).numpy()
    with pytest.raises(ParameterError, match="missing: \\['y'\\]"):
        gradient(X=np.ones((4, 2)), w=np.ones(2))
    with pytest.raises(ParameterError, match="unknown: \\['z'\\]"):
        gradient(X=np.ones((4, 2)), w=np.ones(2), y=np.ones(4), z=1)


def test_scalar_parameters_are_passed_by_name_even_when_python_keywords():
    lam = sp.Symbol("lambda", positive=True)
    gradient = symml.derive.gradient(lam * symml.sq_norm(w), w).numpy()
    assert np.allclose(gradient(w=np.ones(2), **{"lambda": 3.0}), 6.0)


def test_common_subexpressions_are_computed_once():
    # X w appears in the loss twice; σ(Xw) twice in the Hessian.
    hessian = symml.derive.hessian(logistic, w).numpy()
    for kernel in hessian.source.split("\ndef "):  # over blocks of rows, and whole
        assert kernel.count("@ w") == 1 and kernel.count("_expit(") == 1
