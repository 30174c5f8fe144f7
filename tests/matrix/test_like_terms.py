"""Like terms are combined up to the order of Hadamard factors (a ⊙ b + b ⊙ a is 2 a ⊙ b)."""
import numpy as np
import sympy as sp

import symml

n, d = sp.symbols("n d", integer=True, positive=True)
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
delta = sp.Symbol("delta", positive=True)


def _huber(residual, delta_):
    small = np.abs(residual) <= delta_
    return np.sum(np.where(small, residual**2 / 2, delta_ * (np.abs(residual) - delta_ / 2)))


def test_the_huber_gradient_has_one_hadamard_term_and_agrees_with_finite_differences():
    derivation = symml.derive.gradient(symml.losses.huber(X, w, y, delta), w)
    assert len(derivation.result.atoms(sp.HadamardProduct)) == 1
    rng = np.random.default_rng(1)
    X_, w_, y_ = rng.normal(size=(20, 3)), rng.normal(size=3), 3 * rng.normal(size=20)
    gradient = np.ravel(derivation.numpy()(X=X_, w=w_, y=y_, delta=1.0))
    step = 1e-6
    numeric = [(_huber(X_ @ (w_ + step * e) - y_, 1.0) - _huber(X_ @ (w_ - step * e) - y_, 1.0)) / (2 * step)
               for e in np.eye(3)]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-8)


def test_a_step_beside_its_relu_is_absorbed_and_the_huber_gradient_is_the_clipped_residual():
    # relu(u) ⊙ H(u) = relu(u): the gradient reads Xᵀ(r - relu(|r| - δ) ⊙ sign(r)), Xᵀ clip(r, -δ, δ)
    derivation = symml.derive.gradient(symml.losses.huber(X, w, y, delta), w)
    assert not any(getattr(node, "name", None) == "step" for node in sp.preorder_traversal(derivation.result))
    rng = np.random.default_rng(2)
    X_, w_, y_ = rng.normal(size=(30, 4)), rng.normal(size=4), 3 * rng.normal(size=30)
    clipped = X_.T @ np.clip(X_ @ w_ - y_, -0.7, 0.7)
    np.testing.assert_allclose(np.ravel(derivation.numpy()(X=X_, w=w_, y=y_, delta=0.7)), clipped, rtol=1e-10)


def test_the_norm_of_a_residual_prints_as_a_norm_in_the_gradient():
    # SymPy distributes (Xw - y)ᵀ into wᵀXᵀ - yᵀ; the printer reads rᵀr back as ‖r‖², and its square root as ‖r‖
    derivation = symml.derive.gradient(symml.norm(X @ w - y), w)
    assert r"\|X w - y\|" in derivation.latex() and "w^{\\top} X^{\\top} X" not in derivation.latex()
    rng = np.random.default_rng(3)
    X_, w_, y_ = rng.normal(size=(8, 3)), rng.normal(size=3), rng.normal(size=8)
    residual = X_ @ w_ - y_
    np.testing.assert_allclose(np.ravel(derivation.numpy()(X=X_, w=w_, y=y_)),
                               X_.T @ residual / np.linalg.norm(residual), rtol=1e-10)
