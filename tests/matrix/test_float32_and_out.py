"""Exported functions in float32 (no silent upcast, still stable) and with ``out=`` buffers; each result checked
against hand-written float64 NumPy of the same maths at float32 tolerance."""
from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

import symml
from symml.errors import ParameterError, ShapeError

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)


@functools.cache
def _logistic() -> tuple:
    loss = symml.losses.logistic(X, w, y)
    gradient = symml.derive.gradient(loss, w)
    return gradient.numpy(), symml.derive.hessian(loss, w).numpy(), gradient.numpy(outputs=("value", "gradient", "hessian"))


def _hand(Xv: np.ndarray, wv: np.ndarray, yv: np.ndarray) -> tuple:
    Xv, wv, yv = (np.asarray(a, dtype=np.float64) for a in (Xv, wv, yv))
    z = Xv @ wv
    p = expit(z)
    return np.sum(np.logaddexp(0, z)) - yv @ z, Xv.T @ (p - yv), Xv.T @ ((p * (1 - p))[:, None] * Xv)


def _close32(result: np.ndarray, expected: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(expected))))
    return bool(np.max(np.abs(result - expected), initial=0.0) <= 1e-5 * scale)


@settings(max_examples=20, deadline=None)
@given(rows=st.integers(1, 12), columns=st.integers(1, 15), layout=st.sampled_from(["C", "F", "strided"]),
       seed=st.integers(0, 2**16))
def test_float32_inputs_give_float32_results_equal_to_float64_at_float32_tolerance(rows, columns, layout, seed):
    # any shape (n < d included), contiguous or not; the second call of a signature takes the compiled plan
    gradient, hessian, together = _logistic()
    rng = np.random.default_rng(seed)
    Xv = rng.standard_normal((rows, columns)).astype(np.float32)
    Xv = {"C": Xv, "F": np.asfortranarray(Xv), "strided": np.repeat(Xv, 2, axis=1)[:, ::2]}[layout]
    wv, yv = rng.standard_normal(columns).astype(np.float32), (rng.random(rows) < 0.5).astype(np.float32)
    expected = _hand(Xv, wv, yv)
    for _ in range(2):
        g, H = gradient(X=Xv, w=wv, y=yv), hessian(X=Xv, w=wv, y=yv)
        value, g_together, H_together = together(X=Xv, w=wv, y=yv)
        assert g.dtype == H.dtype == g_together.dtype == H_together.dtype == np.float32
        assert _close32(g, expected[1]) and _close32(H, expected[2]) and _close32(g_together, expected[1])
        assert value == pytest.approx(expected[0], rel=1e-5, abs=1e-5)


def test_float32_stays_stable_at_large_margins():
    # softplus(±200) and σ(±200) in float32: no overflow to inf, no nan
    _, _, together = _logistic()
    Xv = np.array([[200.0], [-200.0]], dtype=np.float32)
    value, g, H = together(X=Xv, w=np.ones(1, dtype=np.float32), y=np.array([0.0, 1.0], dtype=np.float32))
    assert value == pytest.approx(400.0) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))
    assert g.dtype == np.float32


def test_float32_with_a_float64_input_computes_in_float64():
    gradient, _, _ = _logistic()
    rng = np.random.default_rng(0)
    result = gradient(X=rng.standard_normal((5, 2)).astype(np.float32), w=rng.standard_normal(2), y=np.zeros(5))
    assert result.dtype == np.float64


def test_float32_gaussian_sigma_gradient_by_syrk_and_solve_stays_float32():
    mu, Sigma = symml.vector("mu", d), symml.matrix("Sigma", d, d, symmetric=True)
    gradient = symml.derive.gradient(symml.losses.gaussian_nll(X, mu, Sigma), Sigma).numpy()
    rng = np.random.default_rng(1)
    Xv, muv = rng.standard_normal((2100, 40)), rng.standard_normal(40)  # large enough for syrk
    root = rng.standard_normal((40, 40))
    Sv = root @ root.T / 40 + np.eye(40)
    D, inverse = Xv - muv, np.linalg.inv(Sv)
    expected = 2100 / 2 * inverse - 0.5 * inverse @ (D.T @ D) @ inverse
    result = gradient(X=Xv.astype(np.float32), mu=muv.astype(np.float32), Sigma=Sv.astype(np.float32))
    assert result.dtype == np.float32
    assert np.max(np.abs(result - expected)) <= 1e-3 * np.max(np.abs(expected))


@settings(max_examples=10, deadline=None)
@given(rows=st.integers(1, 12), columns=st.integers(1, 6), dtype=st.sampled_from([np.float32, np.float64]),
       seed=st.integers(0, 2**16))
def test_out_buffers_receive_the_gradient_and_hessian_and_are_returned(rows, columns, dtype, seed):
    gradient, hessian, together = _logistic()
    rng = np.random.default_rng(seed)
    Xv, wv, yv = (rng.standard_normal((rows, columns)).astype(dtype), rng.standard_normal(columns).astype(dtype),
                  (rng.random(rows) < 0.5).astype(dtype))
    expected = _hand(Xv, wv, yv)
    g_buffer, H_buffer = np.empty(columns, dtype), np.empty((columns, columns), dtype)
    for _ in range(2):
        assert gradient(X=Xv, w=wv, y=yv, out=g_buffer) is g_buffer and _close32(g_buffer, expected[1])
        assert hessian(X=Xv, w=wv, y=yv, out=H_buffer) is H_buffer and _close32(H_buffer, expected[2])
        g_buffer[:], H_buffer[:] = 0.0, 0.0
        value, g, H = together(X=Xv, w=wv, y=yv, out=(None, g_buffer, H_buffer))
        assert g is g_buffer and H is H_buffer and _close32(H_buffer, expected[2])
        assert value == pytest.approx(expected[0], rel=1e-5, abs=1e-5)


def test_out_of_the_wrong_shape_or_kind_is_a_clear_error():
    gradient, _, together = _logistic()
    Xv, wv, yv = np.ones((4, 2)), np.zeros(2), np.zeros(4)
    with pytest.raises(ShapeError, match="out= has shape \\(3,\\)"):
        gradient(X=Xv, w=wv, y=yv, out=np.empty(3))
    with pytest.raises(ParameterError, match="tuple of 3 entries"):
        together(X=Xv, w=wv, y=yv, out=np.empty(2))
    with pytest.raises(ParameterError, match="out= takes an array"):
        together(X=Xv, w=wv, y=yv, out=(np.empty(1), None, None))  # the value is a float
