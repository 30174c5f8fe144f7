"""The numeric twin of a textbook comparison accepts a rewrite of the same function and refuses a wrong one."""
from __future__ import annotations

import sympy as sp

import symml
from tests.textbook import agree_numerically

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
S = symml.matrix("S", d, d, symmetric=True)
lam = sp.Symbol("lambda", positive=True)


def test_a_harmless_rewrite_agrees():
    # (XᵀX + λI)⁻¹Xᵀy written with the product expanded the other way round
    ridge = sp.Inverse(X.T * X + lam * sp.Identity(d)) * X.T * y
    assert agree_numerically(ridge, sp.Inverse(lam * sp.Identity(d) + X.T * X) * (X.T * y))
    assert agree_numerically(S / n, S * n**-1)


def test_a_wrong_form_disagrees():
    assert not agree_numerically(S / n, S / (n - 1))
    assert not agree_numerically(sp.Inverse(X.T * X) * X.T * y, sp.Inverse(X.T * X + lam * sp.Identity(d)) * X.T * y)


def test_sums_over_data_are_evaluated():
    x, i = sp.IndexedBase("x", real=True), sp.Symbol("i", integer=True, positive=True)
    assert agree_numerically(sp.Sum(x[i], (i, 1, n)) / n, sp.Sum(x[i] / n, (i, 1, n)))
    assert not agree_numerically(sp.Sum(x[i], (i, 1, n)) / n, sp.Sum(x[i], (i, 1, n)) / (n - 1))


def test_elementwise_nodes_are_evaluated():
    sigma = symml.sigmoid(X @ w)
    assert agree_numerically(X.T @ (sigma - y), X.T @ sigma - X.T @ y)
    assert not agree_numerically(X.T @ (sigma - y), X.T @ (y - sigma))
