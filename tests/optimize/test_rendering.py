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


def _reconstruction_error():
    n, d = symml.dims("n d")
    X, w = symml.matrix("X", n, d), symml.vector("w", d)
    return symml.derive.minimize(symml.sq_norm(X - X @ w @ w.T), w, subject_to=[symml.Eq(w.T @ w, 1)])


def _trust_region():
    d = symml.dims("d")
    p, g, B = symml.vector("p", d), symml.vector("g", d), symml.matrix("B", d, d, symmetric=True)
    return symml.derive.minimize(g.T @ p + p.T @ B @ p / 2, p, subject_to=[symml.Le(symml.norm(p), sp.Symbol("Delta",
                                                                                                        positive=True))])


def _simplex_projection():
    d = symml.dims("d")
    x, v = symml.vector("x", d), symml.vector("v", d)
    return symml.derive.minimize(symml.sq_norm(x - v) / 2, x, subject_to=[symml.Eq(sp.OneMatrix(d, 1).T @ x, 1),
                                                                          symml.Ge(x, 0)])


def _canonical_correlation():
    n, d = symml.dims("n d")
    a, b, C = symml.vector("a", d), symml.vector("b", n), symml.matrix("Sigma_xy", d, n)
    A, B = symml.matrix("Sigma_xx", d, d, symmetric=True), symml.matrix("Sigma_yy", n, n, symmetric=True)
    return symml.derive.maximize(a.T @ C @ b, [a, b], subject_to=[symml.Eq(a.T @ A @ a, 1), symml.Eq(b.T @ B @ b, 1)])


@pytest.mark.parametrize("build", [_rank_one, _pca_lagrangian, _one_by_one, _symmetric_uniform, _ball_projection,
                                   _orthant_projection, _bordered_hessian, _quadratic_conjugate,
                                   _nonnegative_least_squares, _qp_dual, _reconstruction_error, _trust_region,
                                   _simplex_projection, _canonical_correlation])
def test_derivation_renders_in_katex_and_text(build, katex):
    derivation = build()
    assert katex.errors(derivation.markdown()) == []
    assert derivation.text()
