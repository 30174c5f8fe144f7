"""The optimisation derivations outside the catalog render in KaTeX (Markdown math blocks) and as plain text."""
from __future__ import annotations

import pytest
import sympy as sp

import symml


def _rank_one():
    m, k = symml.dims("m k")
    W, u, v = symml.matrix("W", m, k), symml.vector("u", k), symml.vector("v", m)
    return symml.derive.stationary_point(symml.sq_norm(v - W @ u), W)


def _pca_lagrangian():
    d = symml.dims("d")
    w, S = symml.vector("w", d), symml.matrix("S", d, d, symmetric=True)
    return symml.derive.stationary_point(w.T @ S @ w - sp.Symbol("lambda") * (w.T @ w - sp.Identity(1)), w)


def _one_by_one():
    z = symml.matrix("z", 1, 1)
    return symml.derive.stationary_point(sp.Symbol("a", positive=True) * symml.log(z) - z, z)


def _symmetric_uniform():
    import sympy.stats as st

    return symml.derive.mle(st.Uniform("X", -sp.Symbol("theta", positive=True), sp.Symbol("theta", positive=True)))


def _ball_projection():
    d = symml.dims("d")
    w, v = symml.vector("w", d), symml.vector("v", d)
    return symml.derive.minimize(symml.sq_norm(w - v), w, subject_to=[symml.Le(w.T @ w, sp.Symbol("rho", positive=True))])


def _orthant_projection():
    d = symml.dims("d")
    w, v = symml.vector("w", d), symml.vector("v", d)
    return symml.derive.minimize(symml.sq_norm(w - v), w, subject_to=[symml.Ge(w, 0)])


def _bordered_hessian():
    x, y = sp.symbols("x y", positive=True)
    return symml.derive.maximize(x * y, [x, y], subject_to=[x + y - 2])


def _quadratic_conjugate():
    d = symml.dims("d")
    Q, x = symml.matrix("Q", d, d, symmetric=True), symml.vector("x", d)
    return symml.derive.conjugate(x.T @ Q @ x / 2, x)


def _nonnegative_least_squares():
    d = symml.dims("d")
    w, X, y = symml.vector("w", d), symml.matrix("X", 8, d), symml.vector("y", 8)
    return symml.derive.minimize(symml.sq_norm(y - X @ w), w, subject_to=[symml.Ge(w, 0)])


def _qp_dual():
    d, k = symml.dims("d k")
    x, q, A, b = symml.vector("x", d), symml.vector("q", d), symml.matrix("A", k, d), symml.vector("b", k)
    P = symml.matrix("P", d, d, symmetric=True)
    return symml.derive.dual(x.T @ P @ x / 2 + q.T @ x, x, subject_to=[symml.Eq(A @ x, b), symml.Ge(x, 0)])


@pytest.mark.parametrize("build", [_rank_one, _pca_lagrangian, _one_by_one, _symmetric_uniform, _ball_projection,
                                   _orthant_projection, _bordered_hessian, _quadratic_conjugate,
                                   _nonnegative_least_squares, _qp_dual])
def test_derivation_renders_in_katex_and_text(build, katex):
    derivation = build()
    assert katex.errors(derivation.markdown()) == []
    assert derivation.text()
