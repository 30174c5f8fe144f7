"""Norms, their gradients, Hessians and Mahalanobis distances in numpy() are exact at entries of 1e-300 (the squared norm
underflows to 0 there; the norm is computed scaled by the largest entry), checked against mpmath derivatives at
high precision."""
from __future__ import annotations

import mpmath
import numpy as np

import symml

mpmath.mp.dps = 40


def _mp_gradient(f, point: np.ndarray) -> np.ndarray:
    """The gradient of f (a function of an mpmath list) at ``point``, entry by entry by mpmath's differentiation."""
    flat = [mpmath.mpf(float(v)) for v in point.ravel(order="F")]
    scale = max(abs(v) for v in flat)

    def along(i: int):
        return lambda t: f([v + t * scale if j == i else v for j, v in enumerate(flat)])

    entries = [mpmath.diff(along(i), 0) / scale for i in range(len(flat))]
    return np.array([float(e) for e in entries]).reshape(point.shape, order="F")


def _mp_norm(values):
    return mpmath.sqrt(mpmath.fsum(v * v for v in values))


def test_frobenius_norm_gradient_at_entries_of_1e_300_matches_mpmath():
    X = symml.matrix("X", 3, 3)
    gradient = symml.derive.gradient(symml.norm(X, "fro"), X).numpy()
    point = 1e-300 * np.array([[1.0, -2.0, 3.0], [0.5, 1.0, 1.0], [1.0, 1.0, -4.0]])
    assert np.allclose(gradient(X=point), _mp_gradient(_mp_norm, point), rtol=1e-12, atol=0)
    assert np.allclose(gradient(X=1e-300 * np.ones((3, 3))), np.full((3, 3), 1 / 3), rtol=1e-14, atol=0)


def test_euclidean_norm_value_and_gradient_at_entries_of_1e_200_match_mpmath():
    x = symml.vector("x", 3)
    both = symml.derive.gradient(symml.norm(x), x).numpy(outputs=("value", "gradient"))
    point = 1e-200 * np.array([1.0, -2.0, 3.0])
    value, gradient = both(x=point)
    assert np.isclose(value, float(_mp_norm([mpmath.mpf(v) for v in point])), rtol=1e-14, atol=0)
    assert np.allclose(gradient, _mp_gradient(_mp_norm, point), rtol=1e-12, atol=0)


def test_mahalanobis_distance_gradient_at_a_tiny_offset_matches_mpmath():
    x, mu, S = symml.vector("x", 2), symml.vector("mu", 2), symml.matrix("S", 2, 2)
    distance = symml.power((x - mu).T @ symml.inv(S) @ (x - mu), "1/2")
    gradient = symml.derive.gradient(distance, x).numpy()
    Sv, muv = np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([1.0, -1.0])
    offset = 1e-250 * np.array([3.0, -1.0])  # x − μ itself, so that it is not rounded away against μ

    def mp_distance(values):
        inverse = mpmath.inverse(mpmath.matrix(Sv.tolist()))
        d = mpmath.matrix(values)
        return mpmath.sqrt((d.T * inverse * d)[0, 0])

    got = gradient(x=offset, mu=np.zeros(2), S=Sv)
    assert np.allclose(got, _mp_gradient(mp_distance, offset), rtol=1e-12, atol=0)
    # moved by μ, the same distance at ordinary scale: the scaling leaves ordinary inputs' values as they were
    ordinary = gradient(x=muv + 1e249 * offset, mu=muv, S=Sv)
    assert np.allclose(ordinary, _mp_gradient(mp_distance, 1e249 * offset), rtol=1e-12, atol=0)


def test_norm_gradient_at_zero_is_nan_where_the_remark_says_it_does_not_exist():
    X = symml.matrix("X", 2, 2)
    derivation = symml.derive.gradient(symml.norm(X, "fro"), X)
    assert any("not differentiable" in remark for remark in derivation.remarks)
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan(derivation.numpy()(X=np.zeros((2, 2)))).all()


def _mp_hessian(f, point: np.ndarray) -> np.ndarray:
    """The Hessian of f at ``point`` (entries in column-major order), by mpmath's mixed partial differences."""
    flat = [mpmath.mpf(float(v)) for v in point.ravel(order="F")]
    scale = max(abs(v) for v in flat)

    def along(i: int, j: int):
        return lambda s, t: f([v + (s if k == i else 0) * scale + (t if k == j else 0) * scale
                               for k, v in enumerate(flat)])

    size = len(flat)
    return np.array([[float(mpmath.diff(along(i, j), (0, 0), (1, 1)) / scale**2) for j in range(size)]
                     for i in range(size)])


def test_euclidean_norm_hessian_and_jacobian_of_its_gradient_at_1e_300_match_mpmath():
    x = symml.vector("x", 3)
    point = 1e-300 * np.array([1.0, -2.0, 3.0])
    expected = _mp_hessian(_mp_norm, point)  # I/‖x‖ − x xᵀ/‖x‖³: entries near 1e299, finite
    hessian = symml.derive.hessian(symml.norm(x), x).numpy()
    of_gradient = symml.derive.jacobian(symml.derive.gradient(symml.norm(x), x).result, x).numpy()
    assert np.allclose(hessian(x=point), expected, rtol=1e-12, atol=0)
    assert np.allclose(of_gradient(x=point), expected, rtol=1e-12, atol=0)


def test_residual_norm_hessian_at_a_residual_of_1e_300_matches_mpmath():
    A, x, b = symml.matrix("A", 3, 2), symml.vector("x", 2), symml.vector("b", 3)
    Av, bv = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 1.0]]), 1e-300 * np.array([1.0, 2.0, -1.0])

    def mp_residual_norm(values):  # ‖A x − b‖ with b exact in mpmath
        residual = mpmath.matrix(Av.tolist()) * mpmath.matrix(values) - mpmath.matrix([mpmath.mpf(v) for v in bv])
        return mpmath.norm(residual)

    point = 1e-300 * np.array([0.25, 0.5])  # A x − b of entries near 1e-300
    got = symml.derive.hessian(symml.norm(A @ x - b), x).numpy()(A=Av, x=point, b=bv)
    expected = _mp_hessian(mp_residual_norm, point)
    assert np.allclose(got, expected, rtol=1e-10, atol=1e-12 * np.abs(expected).max())


def test_frobenius_norm_hessian_at_entries_of_1e_300_matches_mpmath_and_reads_vec_x_vec_x_transposed():
    X = symml.matrix("X", 2, 2)
    derivation = symml.derive.hessian(symml.norm(X, "fro"), X)
    point = 1e-300 * np.array([[1.0, -2.0], [0.5, 3.0]])
    assert np.allclose(derivation.numpy()(X=point), _mp_hessian(_mp_norm, point), rtol=1e-12, atol=0)
    assert "Vec(X)*Vec(X).T" in str(derivation.result)  # not vec(I)ᵀ(I ⊗ Xᵀ + (Xᵀ ⊗ I)K)
