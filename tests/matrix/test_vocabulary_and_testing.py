"""The expression vocabulary evaluates on explicit matrices (for checking claims), and symml.testing catches
wrong derivatives."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml
from symml.testing import check_gradient, check_hessian, check_jacobian

n, d = symml.dims("n d")
X, w = symml.matrix("X", n, d), symml.vector("w", d)
explicit_X = sp.ImmutableMatrix([[1, 2], [3, -1], [0, 1]])
explicit_w = sp.ImmutableMatrix([1, -2])


def _at(expr):
    """The expression at explicit X (3 x 2) and w (2 x 1), as floats."""
    value = expr.subs({X: explicit_X, w: explicit_w}).doit()
    if not isinstance(value, sp.MatrixBase):  # SymPy's HadamardPower evaluates through as_explicit only
        value = value.as_explicit()
    return np.array(sp.N(value).tolist(), dtype=float)


@pytest.mark.parametrize("make, reference", [
    (lambda: symml.sigmoid(X @ w), lambda z: 1 / (1 + np.exp(-z))),
    (lambda: symml.softplus(X @ w), lambda z: np.logaddexp(0, z)),
    (lambda: symml.relu(X @ w), lambda z: np.maximum(z, 0)),
    (lambda: symml.abs(X @ w), np.abs),
    (lambda: symml.tanh(X @ w), np.tanh),
    (lambda: symml.power(X @ w, 2), np.square),
    (lambda: symml.softmax(X @ w), lambda z: np.exp(z) / np.exp(z).sum()),
    (lambda: symml.sum(symml.exp(X @ w)), lambda z: np.exp(z).sum()),
    (lambda: symml.logsumexp(X @ w), lambda z: np.log(np.exp(z).sum())),
])
def test_nodes_evaluate_on_explicit_matrices(make, reference):
    z = np.array([[1 * 1 + 2 * -2], [3 * 1 - 1 * -2], [0 + 1 * -2]], dtype=float)
    assert np.allclose(_at(make()).ravel(), np.ravel(reference(z)))


def test_determinant_nodes_evaluate_on_explicit_matrices():
    A = symml.matrix("A", 2, 2)
    value = sp.ImmutableMatrix([[2, 1], [1, 3]])
    assert symml.det(A).subs(A, value).doit()[0, 0] == 5
    assert symml.logdet(A).subs(A, value).doit()[0, 0] == sp.log(5)
    assert symml.trace(A).subs(A, value).doit()[0, 0] == 5


def test_scalar_arguments_give_scalar_functions():
    t = sp.Symbol("t", real=True)
    assert symml.exp(t) == sp.exp(t)
    assert symml.sigmoid(t).diff(t) == symml.sigmoid(t) * (1 - symml.sigmoid(t))
    assert symml.softplus(t).diff(t) == symml.sigmoid(t)
    assert float(symml.sigmoid(sp.Integer(2)).evalf()) == pytest.approx(1 / (1 + np.exp(-2)))


def test_check_gradient_catches_a_transposed_gradient():
    # ∇ tr(A X) = Aᵀ; the untransposed A is wrong and must be caught.
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    f = lambda M: np.trace(A @ M)  # noqa: E731
    point = rng.normal(size=(3, 3))
    assert check_gradient(f, lambda M: A.T, point) < 1e-9
    assert check_gradient(f, lambda M: A, point) > 1e-2


def test_check_hessian_and_jacobian_catch_a_factor_of_two():
    # ∇² (½ xᵀ A x) = A for symmetric A; 2A is wrong. The Jacobian of A x is A.
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    x = np.array([0.3, -1.2])
    f = lambda z: 0.5 * z @ A @ z  # noqa: E731
    assert check_hessian(f, lambda z: A, x) < 1e-6
    assert check_hessian(f, lambda z: 2 * A, x) > 0.1
    assert check_jacobian(lambda z: A @ z, lambda z: A, x) < 1e-9
    assert check_jacobian(lambda z: A @ z, lambda z: 2 * A, x) > 0.1


def test_verify_reports_a_wrong_derivation_as_failed():
    # A derivation whose result was tampered with must not pass verify().
    from dataclasses import replace

    derivation = symml.derive.gradient(symml.sum(symml.softplus(X @ w)), w)
    tampered = replace(derivation, result=X.T @ symml.sigmoid(X @ w) * 2)
    assert derivation.verify()
    assert not tampered.verify()
