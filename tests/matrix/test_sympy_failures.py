"""One test per failure of plain SymPy 1.14 named in issue 4, each checked numerically."""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import expit

import symml
from symml.testing import check_gradient
from tests.textbook import agree_numerically

n, d = symml.dims("n d")
X = symml.matrix("X", n, d)
w, y = symml.vector("w", d), symml.vector("y", n)
logistic = symml.sum(symml.softplus(X @ w)) - y.T @ X @ w
rng = np.random.default_rng(4)


def test_log_det_gradient_is_the_inverse_transpose_where_sympy_returns_zero():
    # SymPy #28618/#27406: log(Determinant(A)).diff(A) == 0. Matrix Cookbook (57): d log det A / dA = A^-T.
    A = sp.MatrixSymbol("A", d, d)
    assert sp.log(sp.Determinant(A)).diff(A) == sp.ZeroMatrix(d, d)  # the failure, still there
    gradient = symml.derive.gradient(sp.log(sp.Determinant(A)), A)
    value = np.eye(4) + 0.3 * rng.normal(size=(4, 4))
    numeric = gradient.numpy()(A=value)
    assert np.allclose(numeric, np.linalg.inv(value).T)
    assert check_gradient(lambda a: np.linalg.slogdet(a)[1], lambda a: gradient.numpy()(A=a), value) < 1e-8


def test_gaussian_log_det_plus_trace_keeps_the_trace_term_sympy_loses():
    # SymPy returns 0 for (log det Σ + tr(Σ^-1 S)).diff(Σ); the gradient is Σ^-1 - Σ^-1 S Σ^-1.
    Sigma, S = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("S", d, d, symmetric=True)
    gradient = symml.derive.gradient(symml.logdet(Sigma) + symml.trace(symml.inv(Sigma) @ S), Sigma)
    noise = rng.normal(size=(3, 3))
    sigma, s = noise @ noise.T + np.eye(3), np.cov(rng.normal(size=(3, 20)))
    inverse = np.linalg.inv(sigma)
    assert np.allclose(gradient.numpy()(Sigma=sigma, S=s), inverse - inverse @ s @ inverse)


def test_logistic_gradient_is_readable_and_correct():
    # SymPy gives ArrayAdd(PermuteDims(ArrayContraction(...))); symml gives X^T (σ(Xw) - y).
    gradient = symml.derive.gradient(logistic, w)
    text = str(gradient.result)
    assert "Array" not in text and "PermuteDims" not in text
    assert agree_numerically(gradient.result, X.T @ (symml.sigmoid(X @ w) - y))
    Xv, wv, yv = rng.normal(size=(30, 4)), rng.normal(size=4), rng.integers(0, 2, 30)
    assert np.allclose(gradient.numpy()(X=Xv, w=wv, y=yv), Xv.T @ (expit(Xv @ wv) - yv))


def test_logistic_hessian_exists_where_sympy_raises():
    # SymPy #9840: the Hessian of an applyfunc(sigmoid) loss raises AttributeError.
    # Here: X^T diag(σ(Xw) ⊙ (1 - σ(Xw))) X.
    hessian = symml.derive.hessian(logistic, w)
    sigma = symml.sigmoid(X @ w)
    assert agree_numerically(hessian.result, X.T @ symml.diag(symml.hadamard(sigma, sp.OneMatrix(n, 1) - sigma)) @ X)
    Xv, wv, yv = rng.normal(size=(30, 4)), rng.normal(size=4), rng.integers(0, 2, 30)
    p = expit(Xv @ wv)
    assert np.allclose(hessian.numpy()(X=Xv, w=wv, y=yv), Xv.T @ ((p * (1 - p))[:, None] * Xv))


def test_symbolic_shapes_hold_for_every_size():
    # Results are derived once for symbolic n, d and evaluated at any size.
    gradient = symml.derive.gradient(symml.sq_norm(X @ w - y), w).numpy()
    for rows, cols in [(3, 2), (7, 5), (50, 1)]:
        Xv, wv, yv = rng.normal(size=(rows, cols)), rng.normal(size=cols), rng.normal(size=rows)
        assert np.allclose(gradient(X=Xv, w=wv, y=yv), 2 * Xv.T @ (Xv @ wv - yv))


def test_identity_is_not_printed_as_the_imaginary_unit():
    # SymPy #17006: lambdify prints Identity as I (= 1j). The ridge Hessian 2λI + 2XᵀX must be real.
    lam = sp.Symbol("lam", positive=True)
    hessian = symml.derive.hessian(symml.sq_norm(X @ w - y) + lam * symml.sq_norm(w), w)
    Xv = rng.normal(size=(10, 3))
    value = hessian.numpy()(X=Xv, w=np.zeros(3), y=np.zeros(10), lam=0.5)
    assert value.dtype == np.float64
    assert np.allclose(value, np.eye(3) + 2 * Xv.T @ Xv)
