"""Finite-difference checks of derivatives, for symml's own verify() and for users checking their own work.

Each check compares a derivative with central differences of the function along random directions:
for a gradient G, ⟨G, V⟩ against (f(x + hV) − f(x − hV)) / 2h (Richardson-extrapolated, error O(h⁴));
for a Jacobian J, J vec(V) against the difference of vec(f); for a Hessian H, uᵀ H v against the mixed second
difference of f. Errors are relative to the size the compared quantity could have (‖G‖ ‖V‖ by Cauchy–Schwarz),
so that a derivative that is nearly orthogonal to V is not judged by its rounding noise.

>>> import numpy as np
>>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
>>> f = lambda x: 0.5 * x @ A @ x
>>> check_gradient(f, lambda x: A @ x, np.array([1.0, -2.0])) < 1e-8
True
>>> check_hessian(f, lambda x: A, np.array([1.0, -2.0])) < 1e-6
True
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from symml.derivation import relative_error

__all__ = [
    "directional_difference",
    "second_difference_sum",
    "random_direction",
    "gradient_errors",
    "jacobian_errors",
    "hessian_errors",
    "check_gradient",
    "check_jacobian",
    "check_hessian",
    "random_matrix",
    "random_spd",
]

#: A function of one array: a scalar function returns a float (or a 0-d array), a vector or matrix one an array.
Function = Callable[[np.ndarray], "float | np.ndarray"]


def _step(x: np.ndarray, relative: float) -> float:
    """A step proportional to the size of x, so that small and large points are probed alike."""
    size = float(np.max(np.abs(x))) if x.size else 0.0
    return relative * (size if size > 0 else 1.0)


def random_direction(shape: tuple, rng: np.random.Generator, *, symmetric: bool = False) -> np.ndarray:
    """A random direction of the given shape with entries of order 1 (symmetric for symmetric arguments)."""
    direction = rng.normal(size=shape)
    if symmetric:
        direction = (direction + direction.T) / 2
    return direction


def _settled(estimate: Callable[[float], np.ndarray], h: float, shrinks: int = 4) -> tuple[np.ndarray, float]:
    """The estimate at the step where it has settled: of h, h/4, h/16, ... the one that agrees best with the
    next smaller step (Ridders' idea). Large steps are not local where the function turns sharply; small
    ones drown in rounding; this picks between the two without knowing the function's scale."""
    steps = [h / 4**k for k in range(shrinks + 1)]
    values = [np.asarray(estimate(step), dtype=float) for step in steps]
    gaps = [float(np.max(np.abs(a - b))) if a.size else 0.0 for a, b in zip(values, values[1:])]
    best = int(np.argmin(gaps))
    return values[best + 1], steps[best + 1]


def directional_difference(f: Function, x: np.ndarray, direction: np.ndarray, step: float | None = None) -> np.ndarray:
    """d/dt f(x + t V) at t = 0 by the fourth-order central difference [8(f₁ − f₋₁) − (f₂ − f₋₂)] / 12h.

    With no ``step``, the step is chosen among 10⁻² |x|, 10⁻²|x|/4, ... where the estimate has settled.

    >>> round(float(directional_difference(np.exp, np.array(0.0), np.array(1.0))), 10)
    1.0
    """
    value = lambda t: np.asarray(f(x + t * direction), dtype=float)  # noqa: E731 - a local shorthand

    def at(h: float) -> np.ndarray:
        return (8 * (value(h) - value(-h)) - (value(2 * h) - value(-2 * h))) / (12 * h)

    return at(step) if step is not None else _settled(at, _step(x, 1e-2))[0]


def _mixed_second_difference(f: Function, x: np.ndarray, u: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """(uᵀ ∇²f v, the step used) by mixed central differences at h and 2h, Richardson-combined (error O(h⁴))."""
    value = lambda a, b: float(f(x + a * u + b * v))  # noqa: E731 - a local shorthand

    def plain(step: float) -> float:
        return (value(step, step) - value(step, -step) - value(-step, step) + value(-step, -step)) / (4 * step * step)

    estimate, h = _settled(lambda step: np.array((4 * plain(step) - plain(2 * step)) / 3), _step(x, 1e-2), 3)
    return float(estimate), h


def _rounding_floor(f: Function, x: np.ndarray, h: float) -> float:
    """What a second difference with step h cannot resolve: the rounding of f, with a wide safety factor."""
    return 1e-10 * abs(float(f(x))) / (h * h)


def gradient_errors(f: Function, grad: Function, x: np.ndarray, *, directions: int = 3, seed: int = 0,
                    symmetric: bool = False) -> list[tuple[float, float, float]]:
    """(derived ⟨G, V⟩, numeric, relative error) along random directions V; f scalar, G of x's shape."""
    rng = np.random.default_rng(seed)
    x = np.asarray(x, dtype=float)
    G = np.asarray(grad(x), dtype=float).reshape(x.shape)
    # what rounding of f leaves resolvable by the differences (eps |f| / step): a saturated softmax has a gradient
    # of 1e-189 whose differences are exactly 0, agreement rather than a relative error of 1
    resolution = 64 * np.finfo(float).eps * abs(float(np.asarray(f(x), dtype=float).sum())) / _step(x, 1e-2)
    results = []
    for _ in range(directions):
        V = random_direction(x.shape, rng, symmetric=symmetric)
        derived = float(np.sum(G * V))
        numeric = float(directional_difference(f, x, V))
        scale = max(float(np.linalg.norm(G) * np.linalg.norm(V)), resolution * float(np.max(np.abs(V))))
        results.append((derived, numeric, relative_error(derived, numeric, scale)))
    return results


def jacobian_errors(f: Function, jac: Function, x: np.ndarray, *, directions: int = 3,
                    seed: int = 0) -> list[tuple[float, float, float]]:
    """(‖J vec V‖, ‖numeric‖, relative error of the difference) along random V; J is (size f, size x), vec by columns."""
    rng = np.random.default_rng(seed)
    x = np.asarray(x, dtype=float)
    J = np.asarray(jac(x), dtype=float)
    results = []
    for _ in range(directions):
        V = random_direction(x.shape, rng)
        derived = J @ V.reshape(-1, order="F")
        numeric = np.asarray(directional_difference(f, x, V)).reshape(-1, order="F")
        scale = max(np.linalg.norm(J) * np.linalg.norm(V), np.linalg.norm(derived), np.linalg.norm(numeric))
        error = float(np.linalg.norm(derived - numeric) / scale) if scale > 0 else 0.0
        results.append((float(np.linalg.norm(derived)), float(np.linalg.norm(numeric)), error))
    return results


def hessian_errors(f: Function, hess: Function, x: np.ndarray, *, directions: int = 3, seed: int = 0,
                   symmetric: bool = False) -> list[tuple[float, float, float]]:
    """(derived uᵀ H v, numeric mixed second difference, relative error) for random u, v; H acts on vec(x)."""
    rng = np.random.default_rng(seed)
    x = np.asarray(x, dtype=float)
    H = np.asarray(hess(x), dtype=float).reshape(x.size, x.size)
    results = []
    for _ in range(directions):
        u, v = (random_direction(x.shape, rng, symmetric=symmetric) for _ in range(2))
        Hv = H @ v.reshape(-1, order="F")
        derived = float(u.reshape(-1, order="F") @ Hv)
        numeric, h = _mixed_second_difference(f, x, u, v)
        scale = max(float(np.linalg.norm(H) * np.linalg.norm(u) * np.linalg.norm(v)), _rounding_floor(f, x, h))
        results.append((derived, numeric, relative_error(derived, numeric, scale)))
    return results


def second_difference_sum(f: Function, x: np.ndarray) -> tuple[float, float]:
    """(Σᵢ ∂²f/∂xᵢ², the part of it a difference cannot resolve): the Laplacian by Richardson-combined differences."""
    x = np.asarray(x, dtype=float)
    center = float(f(x))

    def plain(step: float) -> float:
        total = 0.0
        for index in np.ndindex(x.shape):
            axis = np.zeros_like(x)
            axis[index] = step
            total += (float(f(x + axis)) - 2 * center + float(f(x - axis))) / step**2
        return total

    estimate, h = _settled(lambda step: np.array((4 * plain(step) - plain(2 * step)) / 3), _step(x, 1e-2), 3)
    return float(estimate), x.size * _rounding_floor(f, x, h)


def check_gradient(f: Function, grad: Function, x: np.ndarray, *, directions: int = 3, seed: int = 0,
                   symmetric: bool = False) -> float:
    """The worst relative error of the gradient ``grad`` of the scalar function ``f`` at ``x`` (any shape).

    Options: ``directions`` (3), ``seed`` (0), ``symmetric`` (False: directions symmetric matrices).
    """
    found = gradient_errors(f, grad, x, directions=directions, seed=seed, symmetric=symmetric)
    return float(max(error for _, _, error in found))


def check_jacobian(f: Function, jac: Function, x: np.ndarray, *, directions: int = 3, seed: int = 0) -> float:
    """The worst relative error of the Jacobian ``jac`` (shape (size f, size x), vec by columns) of ``f`` at ``x``.

    >>> W = np.arange(6.0).reshape(2, 3)
    >>> check_jacobian(lambda x: W @ x, lambda x: W, np.ones(3)) < 1e-10
    True
    """
    found = jacobian_errors(f, jac, x, directions=directions, seed=seed)
    return float(max(error for _, _, error in found))


def check_hessian(f: Function, hess: Function, x: np.ndarray, *, directions: int = 3, seed: int = 0,
                  symmetric: bool = False) -> float:
    """The worst relative error of the Hessian ``hess`` (acting on vec(x)) of the scalar ``f`` at ``x``."""
    found = hessian_errors(f, hess, x, directions=directions, seed=seed, symmetric=symmetric)
    return float(max(error for _, _, error in found))


def random_spd(rng: np.random.Generator, size: int) -> np.ndarray:
    """A random symmetric positive-definite matrix, shape (size, size), eigenvalues of order 1: RRᵀ/size + I.

    >>> bool(np.all(np.linalg.eigvalsh(random_spd(np.random.default_rng(0), 4)) >= 1))
    True
    """
    root = rng.standard_normal((size, size))
    return root @ root.T / size + np.eye(size)


def random_matrix(symbol: Any, shape: tuple[int, ...], rng: np.random.Generator, *, positive: bool = False) -> np.ndarray:
    """A random value of the matrix symbol ``symbol`` at the concrete ``shape``: positive definite for a symmetric
    symbol, I + noise for another square one (so inverses and log-determinants exist), otherwise normal entries
    (positive, |z| + 0.1, with ``positive`` for the domains of log and sqrt).

    >>> import symml
    >>> Sigma = symml.matrix("Sigma", 3, 3, symmetric=True)
    >>> value = random_matrix(Sigma, (3, 3), np.random.default_rng(0))
    >>> bool(np.allclose(value, value.T) and np.all(np.linalg.eigvalsh(value) > 0))
    True
    """
    from symml.matrix_calculus.expressions import SymmetricMatrixSymbol

    rows, _ = shape
    if symbol.shape[0] == symbol.shape[1]:  # square by declaration, not by the sizes drawn
        if isinstance(symbol, SymmetricMatrixSymbol):
            return random_spd(rng, rows)
        return np.eye(rows) + 0.3 * rng.normal(size=shape) / np.sqrt(rows)
    values = rng.normal(size=shape)
    return np.abs(values) + 0.1 if positive else values
