"""numpy(backend="jax"): the generated code run by jax.numpy under jax.jit, checked against the NumPy export and
against JAX's own autodiff of the value. JAX is optional: these tests skip where it is not installed (also in CI)."""
from __future__ import annotations

import sys

import numpy as np
import pytest

import symml
from symml.errors import ParameterError, UnsupportedOperationError

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)


@pytest.fixture(scope="module")
def jax():
    jax = pytest.importorskip("jax", reason="JAX is not installed: numpy(backend='jax') is untested (pip install jax)")
    jax.config.update("jax_enable_x64", True)  # compare with NumPy in float64
    return jax


@pytest.fixture(scope="module")
def logistic(jax):
    gradient = symml.derive.gradient(symml.losses.logistic(X, w, y), w)
    return gradient, gradient.numpy(outputs=("value", "gradient", "hessian"), backend="jax")


@pytest.mark.parametrize("rows, columns, flat", [(7, 3, True), (2, 5, False)])  # each shape compiles once: few
def test_jax_value_gradient_and_hessian_equal_the_numpy_export(logistic, rows, columns, flat):
    derivation, together = logistic
    rng = np.random.default_rng(rows)
    Xv, wv, yv = rng.standard_normal((rows, columns)), rng.standard_normal(columns), (rng.random(rows) < 0.5) * 1.0
    wv = wv if flat else wv[:, None]
    expected = derivation.numpy(outputs=("value", "gradient", "hessian"))(X=Xv, w=wv, y=yv)
    value, gradient, hessian = together(X=Xv, w=wv, y=yv)
    assert np.ndim(value) == 0 and float(value) == pytest.approx(expected[0], rel=1e-12, abs=1e-12)
    assert gradient.shape == wv.shape and np.allclose(gradient, expected[1], rtol=1e-12, atol=1e-12)
    assert np.allclose(hessian, expected[2], rtol=1e-12, atol=1e-12)


def test_jax_gradient_is_the_autodiff_gradient_of_the_jax_value(jax, logistic):
    # an independent check: jax.grad of the exported value against the derived gradient
    _, together = logistic
    rng = np.random.default_rng(3)
    Xv, wv, yv = rng.standard_normal((20, 4)), rng.standard_normal(4), (rng.random(20) < 0.5) * 1.0
    autodiff = jax.grad(lambda v: together(X=Xv, w=v, y=yv)[0])(wv)
    assert np.allclose(autodiff, together(X=Xv, w=wv, y=yv)[1], rtol=1e-10, atol=1e-10)


def test_jax_gaussian_sigma_gradient_solves_instead_of_inverting(jax):
    mu, Sigma = symml.vector("mu", d), symml.matrix("Sigma", d, d, symmetric=True)
    derivation = symml.derive.gradient(symml.losses.gaussian_nll(X, mu, Sigma), Sigma)
    rng = np.random.default_rng(4)
    Xv, muv, root = rng.standard_normal((30, 3)), rng.standard_normal(3), rng.standard_normal((3, 3))
    Sv = root @ root.T + np.eye(3)
    result = derivation.numpy(backend="jax")(X=Xv, mu=muv, Sigma=Sv)
    assert np.allclose(result, derivation.numpy()(X=Xv, mu=muv, Sigma=Sv), rtol=1e-10, atol=1e-10)


def test_jax_arguments_are_checked_by_name(logistic):
    _, together = logistic
    with pytest.raises(ParameterError, match="missing: \\['y'\\]"):
        together(X=np.ones((2, 2)), w=np.ones(2))


def test_without_jax_the_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)  # import jax now raises ImportError
    with pytest.raises(UnsupportedOperationError, match="pip install jax"):
        symml.derive.gradient(symml.sq_norm(w), w).numpy(backend="jax")


def test_an_unknown_backend_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown backend 'torch'"):
        symml.derive.gradient(symml.sq_norm(w), w).numpy(backend="torch")
