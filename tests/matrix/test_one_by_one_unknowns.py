"""A derivative with respect to a 1 x 1 matrix has the unknown's shape (1, 1), not a bare number."""
from __future__ import annotations

import numpy as np

import symml
from symml.testing import check_gradient, check_hessian

a = symml.matrix("a", 1, 1)
f = symml.trace(a @ a @ a) + symml.sum(symml.exp(a))


def test_gradient_with_respect_to_a_one_by_one_matrix_has_its_shape_and_central_difference_values():
    both = symml.derive.gradient(f, a).numpy(outputs=("value", "gradient"))
    gradient = symml.derive.gradient(f, a).numpy()
    point = np.array([[0.7]])
    assert gradient(a=point).shape == (1, 1) and both(a=point)[1].shape == (1, 1)
    assert isinstance(both(a=point)[0], float)  # the function's value stays a number
    assert check_gradient(lambda x: both(a=x)[0], lambda x: gradient(a=x), point) < 1e-7


def test_hessian_with_respect_to_a_one_by_one_matrix_has_its_shape_and_central_difference_values():
    both = symml.derive.hessian(f, a).numpy(outputs=("value", "hessian"))
    point = np.array([[-0.4]])
    assert both(a=point)[1].shape == (1, 1)
    assert check_hessian(lambda x: both(a=x)[0], lambda x: both(a=x)[1], point) < 1e-5
