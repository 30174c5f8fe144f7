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
