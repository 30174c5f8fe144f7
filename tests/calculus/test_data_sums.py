"""Scalar unknowns in a sum over data written with indices (Σᵢ (yᵢ − w xᵢ)²): the derivative goes through the sum,
numpy() takes the data as arrays, verify() differences the function on random data."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml

i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
w = sp.Symbol("w", real=True)
sigma = sp.Symbol("sigma", positive=True)
xs, ys = np.random.default_rng(6).normal(size=(2, 25))
normal_log_likelihood = sp.Sum(-sp.log(sigma) - (x[i] - w) ** 2 / (2 * sigma ** 2), (i, 1, n))


def _central(f, at, step=1e-6):
    return (f(at + step) - f(at - step)) / (2 * step)


def test_the_derivative_of_a_sum_over_data_is_the_sum_of_the_derivatives():
    gradient = symml.derive.gradient(sp.Sum((y[i] - w * x[i]) ** 2, (i, 1, n)), w)
    assert gradient.steps[1].title == "Sum over the data"
    numeric = _central(lambda v: np.sum((ys - v * xs) ** 2), 0.4)
    assert float(gradient.numpy()(x=xs, y=ys, w=0.4)) == pytest.approx(numeric, rel=1e-7)


def test_the_hessian_of_a_normal_log_likelihood_in_data_sums_agrees_with_finite_differences():
    hessian = symml.derive.hessian(normal_log_likelihood, [w, sigma]).numpy()(x=xs, w=0.2, sigma=1.3)
    log_likelihood = lambda m, s: np.sum(-np.log(s) - (xs - m) ** 2 / (2 * s ** 2))  # noqa: E731
    assert hessian[0, 0] == pytest.approx(-len(xs) / 1.3 ** 2, rel=1e-12)
    across = _central(lambda s: _central(lambda m: log_likelihood(m, s), 0.2, 1e-4), 1.3, 1e-4)
    assert hessian[0, 1] == pytest.approx(across, rel=1e-5)


def test_verify_differences_the_function_on_random_data():
    assert symml.derive.gradient(normal_log_likelihood, [w, sigma]).verify()
    assert symml.derive.hessian(normal_log_likelihood, [w, sigma]).verify()


def test_a_loss_typed_as_latex_with_a_scalar_unknown_goes_through_the_sum():
    gradient = symml.derive.gradient(r"\sum_{i=1}^n (y_i - w x_i)^2", wrt="w")
    assert float(gradient.numpy()(x=xs, y=ys, w=-0.3)) == pytest.approx(
        _central(lambda v: np.sum((ys - v * xs) ** 2), -0.3), rel=1e-7)
