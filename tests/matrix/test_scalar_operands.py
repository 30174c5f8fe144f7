"""A scalar beside a matrix expression, as users type losses: added to a 1 x 1 matrix it is c·I₁, to a vector
c on every entry (NumPy's broadcasting), and beside a square matrix a ShapeError asks which is meant. The
gradients are checked against central finite differences."""
import numpy as np
import pytest
import sympy as sp

import symml
from symml.errors import ShapeError

n, d = symml.dims("n d")
X, w = symml.matrix("X", n, d), symml.vector("w", d)
rng = np.random.default_rng(4)
X_value, w_value = rng.normal(size=(7, 3)), rng.normal(size=3)


def finite_difference(loss, at, step=1e-6):
    basis = np.eye(at.size)
    return np.array([(loss(at + step * e) - loss(at - step * e)) / (2 * step) for e in basis])


def test_one_plus_a_vector_is_added_to_every_entry():
    loss = symml.sum(symml.log(1 + symml.exp(-(X @ w))))
    gradient = symml.derive.gradient(loss, w).numpy()(X=X_value, w=w_value)
    by_hand = lambda v: np.sum(np.log1p(np.exp(-(X_value @ v))))  # noqa: E731
    assert gradient == pytest.approx(finite_difference(by_hand, w_value), abs=1e-6)


def test_a_vector_minus_a_scalar_is_taken_entrywise():
    gradient = symml.derive.gradient(symml.sq_norm(X @ w - 2), w).numpy()(X=X_value, w=w_value)
    by_hand = lambda v: np.sum((X_value @ v - 2) ** 2)  # noqa: E731
    assert gradient == pytest.approx(finite_difference(by_hand, w_value), rel=1e-6)


def test_a_scalar_beside_a_square_matrix_asks_which_is_meant():
    with pytest.raises(ShapeError, match="Identity.*OneMatrix"):
        1 + symml.matrix("A", d, d)


def test_a_scalar_beside_a_one_by_one_matrix_stays_one_by_one():
    assert (w.T @ w + 1).shape == (1, 1)
