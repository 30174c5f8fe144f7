"""A product or sum whose sizes differ is refused before it is differentiated: SymPy accepts X*y for X (n, d) and
y (n, 1) when the sizes are symbols, and the gradient with respect to w would silently be 0."""
import numpy as np
import pytest
import sympy as sp

import symml

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)


def test_a_product_with_different_inner_sizes_is_a_shape_error_naming_them():
    with pytest.raises(symml.ShapeError, match="inner sizes"):
        symml.derive.gradient(symml.sq_norm(X @ y) + symml.sq_norm(w), w)


def test_a_sum_of_different_shapes_is_a_shape_error():
    with pytest.raises(symml.ShapeError, match="shapes differ"):
        symml.derive.gradient(symml.sq_norm(X @ w + w), w)


def test_a_one_by_one_product_inside_a_longer_one_acts_as_a_scalar():
    # (wᵀw)(yᵀXw) written as one product: its 1 x 1 run wᵀw acts as a scalar (numeric sizes SymPy checks itself)
    derivation = symml.derive.gradient(sp.MatMul(w.T, w, y.T, X, w), w)
    rng = np.random.default_rng(0)
    X_, w_, y_ = rng.normal(size=(5, 3)), rng.normal(size=3), rng.normal(size=5)
    value = lambda v: (v @ v) * (y_ @ X_ @ v)  # noqa: E731
    numeric = [(value(w_ + 1e-6 * e) - value(w_ - 1e-6 * e)) / 2e-6 for e in np.eye(3)]
    np.testing.assert_allclose(np.ravel(derivation.numpy()(X=X_, w=w_, y=y_)), numeric, rtol=1e-6)


def test_sizes_named_in_strings_are_the_dimensions_of_those_names():
    # symml.matrix("X", "n", "d") as users type it: the same shapes as dims("n d"), and a working gradient
    X_, w_, y_ = symml.matrix("X", "n", "d"), symml.vector("w", "d"), symml.vector("y", "n")
    assert X_.shape == (n, d) and w_ == w
    derivation = symml.derive.gradient(symml.sq_norm(X_ @ w_ - y_), w_)
    rng = np.random.default_rng(1)
    X1, w1, y1 = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=6)
    value = lambda v: np.sum((X1 @ v - y1) ** 2)  # noqa: E731
    numeric = [(value(w1 + 1e-6 * e) - value(w1 - 1e-6 * e)) / 2e-6 for e in np.eye(3)]
    np.testing.assert_allclose(np.ravel(derivation.numpy()(X=X1, w=w1, y=y1)), numeric, rtol=1e-6)


@pytest.mark.parametrize("size", ["n+1", "-1", "", "2.5", "__import__('os')"])
def test_a_size_string_that_is_not_a_name_or_a_count_is_a_shape_error(size):
    with pytest.raises(symml.ShapeError, match="dimension name"):
        symml.matrix("X", size, 2)


def test_a_sympy_scalar_function_of_a_matrix_is_a_shape_error_naming_the_entrywise_function():
    # sp.exp(X*w) is one opaque scalar to SymPy; a numpy user means exp entrywise
    with pytest.raises(symml.ShapeError, match=r"symml\.exp\(X\*w\)"):
        symml.derive.gradient(symml.sum(sp.exp(X @ w)), w)


def test_a_sympy_scalar_function_of_a_one_by_one_product_is_the_scalar_function():
    derivation = symml.derive.gradient(sp.log(w.T @ w), w)
    w1 = np.array([0.3, -1.2, 2.0])
    numeric = [(np.log((w1 + 1e-6 * e) @ (w1 + 1e-6 * e)) - np.log((w1 - 1e-6 * e) @ (w1 - 1e-6 * e))) / 2e-6
               for e in np.eye(3)]
    np.testing.assert_allclose(np.ravel(derivation.numpy()(w=w1)), numeric, rtol=1e-6)
