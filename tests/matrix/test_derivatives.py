"""Jacobians, Laplacians, directional derivatives, symmetric arguments, bad input, cost independent of d, LaTeX."""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from scipy.special import softmax

import symml
from symml.errors import ShapeError, UnsupportedOperationError
from symml.testing import check_jacobian
from tests.textbook import agree_numerically
from tests.matrix.cases import CASES

n, d, k = symml.dims("n d k")
X, W = symml.matrix("X", n, d), symml.matrix("W", k, d)
w, x, y, v = symml.vector("w", d), symml.vector("x", d), symml.vector("y", n), symml.vector("v", d)
Sigma, S = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("S", d, d, symmetric=True)
logistic = symml.sum(symml.softplus(X @ w)) - y.T @ X @ w
rng = np.random.default_rng(7)


def test_softmax_jacobian_is_diag_s_minus_s_s_transpose_times_w():
    # ∂softmax(Wx)/∂xᵀ = (diag(s) − s sᵀ) W, checked against differences of scipy's softmax
    jacobian = symml.derive.jacobian(symml.softmax(W @ x), x)
    Wv, xv = rng.normal(size=(4, 3)), rng.normal(size=3)
    s = softmax(Wv @ xv)
    assert np.allclose(jacobian.numpy()(W=Wv, x=xv), (np.diag(s) - np.outer(s, s)) @ Wv)
    assert check_jacobian(lambda z: softmax(Wv @ z), lambda z: jacobian.numpy()(W=Wv, x=z), xv) < 1e-8


def test_jacobian_with_respect_to_a_matrix_is_kronecker_structured():
    # vec(d(W x)) = (xᵀ ⊗ I) vec(dW)
    jacobian = symml.derive.jacobian(symml.softmax(W @ x), W)
    assert jacobian.result.has(sp.KroneckerProduct)
    Wv, xv = rng.normal(size=(3, 4)), rng.normal(size=4)
    assert check_jacobian(lambda M: softmax(M @ xv), lambda M: jacobian.numpy()(W=M, x=xv), Wv) < 1e-8


def test_laplacian_is_the_trace_of_the_hessian():
    # Δ ‖Xw − y‖² = 2 tr(XᵀX) = 2 ‖X‖²_F
    laplacian = symml.derive.laplacian(symml.sq_norm(X @ w - y), w)
    Xv = rng.normal(size=(6, 3))
    assert laplacian.numpy()(X=Xv, w=np.ones(3), y=np.ones(6)) == pytest.approx(2 * np.sum(Xv**2))
    assert symml.derive.laplacian(logistic, w).verify()


def test_directional_derivative_is_the_gradient_paired_with_the_direction():
    derivation = symml.derive.directional_derivative(logistic, w, v)
    assert derivation.verify()
    Xv, wv, yv, vv = rng.normal(size=(8, 3)), rng.normal(size=3), rng.integers(0, 2, 8), rng.normal(size=3)
    gradient = symml.derive.gradient(logistic, w).numpy()(X=Xv, w=wv, y=yv)
    assert derivation.numpy()(X=Xv, w=wv, y=yv, v=vv) == pytest.approx(gradient @ vv)


def test_directional_derivative_of_a_vector_function_is_the_jacobian_times_the_direction():
    derivation = symml.derive.directional_derivative(symml.softmax(W @ x), x, v)
    assert derivation.verify()


def test_symmetric_gradient_of_the_gaussian_likelihood_is_stated_and_symmetric():
    # ∇_Σ [n log det Σ + tr(Σ⁻¹S)] = nΣ⁻¹ − Σ⁻¹SΣ⁻¹, symmetric already, convention in the assumptions
    gradient = symml.derive.gradient(n * symml.logdet(Sigma) + symml.trace(symml.inv(Sigma) @ S), Sigma)
    assert gradient.problem.symmetric
    assert any("symmetric" in a and "(G + Gᵀ)/2" in a for a in gradient.assumptions)
    inverse = sp.Inverse(Sigma)
    assert agree_numerically(gradient.result, n * inverse - inverse @ S @ inverse)
    assert gradient.verify()


def test_symmetric_flag_symmetrises_a_nonsymmetric_gradient():
    # d/dA tr(B A) = Bᵀ unconstrained; on symmetric A: (B + Bᵀ)/2
    A, B = symml.matrix("A", d, d), symml.matrix("B", d, d)
    gradient = symml.derive.gradient(symml.trace(B @ A), A, symmetric=True)
    Bv = rng.normal(size=(3, 3))
    assert np.allclose(gradient.numpy()(B=Bv, A=np.eye(3)), (Bv + Bv.T) / 2)
    assert gradient.verify()


def test_layout_convention_is_printed_in_every_result():
    for kind in ("gradient", "hessian", "laplacian"):
        derivation = getattr(symml.derive, kind)(logistic, w)
        assert any("denominator layout" in remark for remark in derivation.remarks)
        assert any("denominator layout" in a for a in derivation.assumptions)


def test_plain_sympy_matrix_expressions_are_accepted():
    Xs, ws, ys = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("y", n, 1)
    gradient = symml.derive.gradient((Xs * ws - ys).T * (Xs * ws - ys), ws)
    assert agree_numerically(gradient.result, 2 * Xs.T * (Xs * ws - ys))


@pytest.mark.parametrize("make, message", [
    (lambda: symml.logdet(X), "square"),
    (lambda: symml.hadamard(X, w), "equal shapes"),
    (lambda: symml.softmax(X, axis=2), "axis 0"),
    (lambda: symml.derive.gradient(X @ w, w), "scalar"),
    (lambda: symml.matrix_calculus.gradient(sp.Symbol("t") ** 2, sp.Symbol("t")), "matrix or vector symbol"),
    (lambda: symml.derive.gradient(symml.trace(X.T @ X), X, symmetric=True), "square"),
    (lambda: symml.matrix("X", -2, 3), "positive integer"),
    (lambda: symml.vector("w", None), "positive integer.*not None"),
])
def test_bad_shapes_raise_a_shape_error_naming_the_problem(make, message):
    with pytest.raises(ShapeError, match=message):
        make()


def test_induced_matrix_norms_are_refused_with_the_alternative_named():
    with pytest.raises(UnsupportedOperationError, match="norm\\(A, 'fro'\\)"):
        symml.norm(X, 2)


def _median_time(function, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def test_derivation_cost_does_not_depend_on_the_dimension():
    # The same logistic Hessian with d = 3 and d = 3000: symbolic shapes, never expanded into components.
    def derive(size: int):
        Xd, wd = symml.matrix("X", n, size), symml.vector("w", size)
        return lambda: symml.derive.hessian(symml.sum(symml.softplus(Xd @ wd)) - y.T @ Xd @ wd, wd)

    small, large = _median_time(derive(3)), _median_time(derive(3000))
    assert large / small < 3, (small, large)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case.name for case in CASES])
def test_every_derivation_renders_in_katex(katex, index):
    case = CASES[index]
    for kind in ("gradient", "hessian"):
        derivation = getattr(symml.derive, kind)(case.expr, case.wrt)
        assert katex.errors(derivation.latex()) == []
        assert katex.errors(derivation.markdown()) == []


def test_jacobian_laplacian_and_directional_derivations_render_in_katex(katex):
    for derivation in (symml.derive.jacobian(symml.softmax(W @ x), x), symml.derive.jacobian(symml.softmax(W @ x), W),
                       symml.derive.laplacian(logistic, w), symml.derive.directional_derivative(logistic, w, v)):
        assert katex.errors(derivation.latex()) == []
        assert katex.errors(derivation.markdown()) == []
        assert str(derivation)  # the text renderer prints too


def test_a_function_that_does_not_depend_on_the_argument_has_zero_gradient():
    gradient = symml.derive.gradient(symml.sq_norm(y), w)
    assert gradient.result == sp.ZeroMatrix(d, 1)
    assert np.array_equal(gradient.numpy()(y=np.ones(3), w=np.ones(2)), np.zeros(2))
    assert gradient.verify()
