"""1 x 1 factors inside Hadamard products (issue 16's crash, issue 9's two-layer network): a run aᵀ M b inside a
product that sits in a Hadamard product is a scalar, and the pull-back must treat it as one.

The law: for random compositions of bilinear forms, outer products, matrix products, sums and Hadamard products
around X, the derived gradient agrees with finite differences of the same function evaluated by a small NumPy
interpreter written here (independent of symml's export).
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symml
from symml.testing import check_gradient

k = symml.dims("k")
X = symml.matrix("X", k, k)
A, B = symml.matrix("A", k, k), symml.matrix("B", k, k)
a, b, c = (symml.vector(name, k) for name in "abc")


def evaluate(expr, values: dict) -> np.ndarray:
    """The value of a matrix expression built from MatMul, MatAdd, HadamardProduct, Transpose and symbols."""
    if isinstance(expr, sp.MatrixSymbol):
        return values[expr.name]
    if isinstance(expr, sp.Transpose):
        return evaluate(expr.arg, values).T
    parts = [evaluate(arg, values) if isinstance(arg, sp.MatrixExpr) else float(arg) for arg in expr.args]
    if isinstance(expr, sp.MatMul):
        out = parts[0]
        for part in parts[1:]:
            out = out * part if np.isscalar(out) or np.isscalar(part) else out @ part
        return out
    if isinstance(expr, sp.MatAdd):
        return sum(parts)
    if isinstance(expr, sp.HadamardProduct):
        return np.prod(parts, axis=0)
    raise TypeError(type(expr))


LEAVES = [
    X, X.T, A, B,
    sp.MatMul(X, a, b.T),                        # an outer product carrying X
    sp.MatMul(a, b.T, X, c, c.T),                # a 1 x 1 run bᵀ X c in the middle of a product
    sp.MatMul(X, a, c.T, X.T, b, a.T),           # a 1 x 1 run cᵀ Xᵀ b between two outer factors
]


def compositions(depth: int):
    leaf = st.sampled_from(LEAVES)
    if depth == 0:
        return leaf
    inner = compositions(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda p, q: sp.HadamardProduct(p, q), inner, inner),
        st.builds(lambda p, q: sp.MatMul(p, q), inner, inner),
        st.builds(lambda p, q: sp.MatAdd(p, q), inner, inner),
        st.builds(lambda p: sp.MatMul(a, b.T, p, c, c.T), inner),
    )


def _values(size: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    values = {name: rng.normal(size=(size, size)) / np.sqrt(size) for name in "XAB"}
    values.update({name: rng.normal(size=(size, 1)) for name in "abc"})
    return values


@settings(max_examples=30, deadline=None)
@given(inner=compositions(2), outer=st.sampled_from(["bilinear", "trace"]), size=st.integers(2, 4),
       seed=st.integers(0, 2**16))
def test_gradient_of_bilinear_and_hadamard_compositions_agrees_with_differences(inner, outer, size, seed):
    # aᵀ M(X) b and tr M(X): d⟨C, M⟩ pulled back through products, transposes and Hadamard factors
    expr = a.T * inner * b if outer == "bilinear" else sp.Trace(inner)
    if not expr.has(X):
        return
    gradient = symml.derive.gradient(expr, X).numpy()
    values = _values(size, seed)
    used = {name: values[name] for name in sorted(s.name for s in expr.atoms(sp.MatrixSymbol))}

    def function(x: np.ndarray) -> float:
        M = evaluate(inner, {**values, "X": x})
        return float((values["a"].T @ M @ values["b"]).item() if outer == "bilinear" else np.trace(M))

    error = check_gradient(function, lambda x: gradient(**{**used, "X": x}), values["X"], seed=seed)
    assert error < 1e-6, (expr, error)


def test_bilinear_form_around_a_hadamard_product_is_the_weighted_outer_product():
    # aᵀ (A ∘ X) b = tr((a bᵀ ∘ A)ᵀ X): the gradient is (a bᵀ) ∘ A, where a plain ValueError was raised
    gradient = symml.derive.gradient(a.T * sp.HadamardProduct(A, X) * b, X)
    values = _values(3, 1)
    expected = (values["a"] @ values["b"].T) * values["A"]
    assert np.allclose(gradient.numpy()(**{name: values[name] for name in "XAab"}), expected)


def test_two_layer_network_gradient_in_the_first_layer():
    # ‖tanh(X W₁) w₂ − y‖²: the run w₂ᵀ inside the Hadamard product with 1 − tanh² was refused (issue 9)
    n, d, h = symml.dims("n d h")
    Xn, W1, w2, y = symml.matrix("X", n, d), symml.matrix("W1", d, h), symml.vector("w2", h), symml.vector("y", n)
    derivation = symml.derive.gradient(symml.sq_norm(symml.tanh(Xn @ W1) @ w2 - y), W1)
    rng = np.random.default_rng(9)
    Xv, W1v, w2v, yv = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 1)), rng.normal(size=(6, 1))

    def loss(W: np.ndarray) -> float:
        return float(np.sum((np.tanh(Xv @ W) @ w2v - yv) ** 2))

    error = check_gradient(loss, lambda W: derivation.numpy()(X=Xv, W1=W, w2=w2v, y=yv), W1v)
    assert error < 1e-8
    assert derivation.verify()
