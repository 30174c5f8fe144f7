"""Hand-written NumPy oracles for the loss library: each loss, its gradient and its Hessian, written by a person.

These are the independent side of every check in ``tests/losses``: known answers may live only here, in the tests
(the library derives its results; see the team's non-negotiable 1). Conventions: the parameter ``w`` is a 1-D array
of length d, data ``X`` is (n, d) and a target ``y`` is (n,); softmax cross-entropy takes a class weight matrix
``W`` (d, k) and one-hot targets ``Y`` (n, k). A Hessian with respect to a vector is (d, d); with
respect to a matrix it is on ``vec`` (column-major), so it matches :func:`central_hessian` of ``W.ravel(order="F")``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.special import expit, logsumexp, softmax

Array = np.ndarray


# --- central finite differences: the independent numeric method --------------------------------------------
def central_gradient(f: Callable[[Array], float], x: Array, step: float = 1e-6) -> Array:
    """(f(x + h e_j) − f(x − h e_j)) / 2h for every coordinate, with h scaled to |x_j|; same shape as ``x``."""
    x = np.asarray(x, dtype=float)
    flat = x.ravel(order="F")
    gradient = np.empty_like(flat)
    for j in range(flat.size):
        h = step * max(1.0, abs(flat[j]))
        plus, minus = flat.copy(), flat.copy()
        plus[j] += h
        minus[j] -= h
        gradient[j] = (f(plus.reshape(x.shape, order="F")) - f(minus.reshape(x.shape, order="F"))) / (2 * h)
    return gradient.reshape(x.shape, order="F")


def central_hessian(gradient: Callable[[Array], Array], x: Array, step: float = 1e-6) -> Array:
    """Central differences of a gradient: a (size, size) matrix over ``x.ravel(order="F")``."""
    x = np.asarray(x, dtype=float)
    flat = x.ravel(order="F")
    columns = []
    for j in range(flat.size):
        h = step * max(1.0, abs(flat[j]))
        plus, minus = flat.copy(), flat.copy()
        plus[j] += h
        minus[j] -= h
        g_plus = np.asarray(gradient(plus.reshape(x.shape, order="F"))).ravel(order="F")
        g_minus = np.asarray(gradient(minus.reshape(x.shape, order="F"))).ravel(order="F")
        columns.append((g_plus - g_minus) / (2 * h))
    return np.column_stack(columns)


def max_relative_error(derived: Array, numeric: Array) -> float:
    """max |derived − numeric| / max(max|numeric|, 1): one scale for the whole array, so tiny entries do not dominate."""
    derived, numeric = np.asarray(derived, dtype=float), np.asarray(numeric, dtype=float)
    scale = max(float(np.max(np.abs(numeric), initial=0.0)), 1.0)
    return float(np.max(np.abs(derived - numeric), initial=0.0) / scale)


# --- the losses, by hand -----------------------------------------------------------------------------------
def least_squares(X: Array, w: Array, y: Array) -> float:
    return float(np.sum((X @ w - y) ** 2))


def least_squares_gradient(X: Array, w: Array, y: Array) -> Array:
    return 2 * X.T @ (X @ w - y)


def least_squares_hessian(X: Array, w: Array, y: Array) -> Array:
    return 2 * X.T @ X


def mse(X: Array, w: Array, y: Array) -> float:
    return least_squares(X, w, y) / len(y)


def mse_gradient(X: Array, w: Array, y: Array) -> Array:
    return least_squares_gradient(X, w, y) / len(y)


def mse_hessian(X: Array, w: Array, y: Array) -> Array:
    return least_squares_hessian(X, w, y) / len(y)


def ridge(X: Array, w: Array, y: Array, lam: float) -> float:
    return least_squares(X, w, y) + lam * float(w @ w)


def ridge_gradient(X: Array, w: Array, y: Array, lam: float) -> Array:
    return least_squares_gradient(X, w, y) + 2 * lam * w


def ridge_hessian(X: Array, w: Array, y: Array, lam: float) -> Array:
    return least_squares_hessian(X, w, y) + 2 * lam * np.eye(len(w))


def lasso(X: Array, w: Array, y: Array, lam: float) -> float:
    return least_squares(X, w, y) + lam * float(np.sum(np.abs(w)))


def lasso_gradient(X: Array, w: Array, y: Array, lam: float) -> Array:
    """The subgradient with sign(0) = 0 (the minimum-norm element of the subdifferential of |.| at 0)."""
    return least_squares_gradient(X, w, y) + lam * np.sign(w)


def lasso_hessian(X: Array, w: Array, y: Array, lam: float) -> Array:
    return least_squares_hessian(X, w, y)


def logistic(X: Array, w: Array, y: Array) -> float:
    z = X @ w
    return float(np.sum(np.logaddexp(0.0, z)) - y @ z)


def logistic_gradient(X: Array, w: Array, y: Array) -> Array:
    return X.T @ (expit(X @ w) - y)


def logistic_hessian(X: Array, w: Array, y: Array) -> Array:
    p = expit(X @ w)
    return X.T @ ((p * (1 - p))[:, None] * X)


def softmax_cross_entropy(X: Array, W: Array, Y: Array) -> float:
    Z = X @ W
    return float(np.sum(logsumexp(Z, axis=1)) - np.sum(Y * Z))


def softmax_cross_entropy_gradient(X: Array, W: Array, Y: Array) -> Array:
    return X.T @ (softmax(X @ W, axis=1) - Y)


def softmax_cross_entropy_hessian(X: Array, W: Array, Y: Array) -> Array:
    """On vec(W) (column-major): sum_i (diag(p_i) − p_i p_iᵀ) ⊗ x_i x_iᵀ, from vec(A dW B) = (Bᵀ ⊗ A) vec(dW)."""
    P = softmax(X @ W, axis=1)
    return sum(np.kron(np.diag(p) - np.outer(p, p), np.outer(x, x)) for x, p in zip(X, P))


def huber(X: Array, w: Array, y: Array, delta: float) -> float:
    r = np.abs(X @ w - y)
    return float(np.sum(np.where(r <= delta, r**2 / 2, delta * (r - delta / 2))))


def huber_gradient(X: Array, w: Array, y: Array, delta: float) -> Array:
    return X.T @ np.clip(X @ w - y, -delta, delta)


def huber_hessian(X: Array, w: Array, y: Array, delta: float) -> Array:
    inside = (np.abs(X @ w - y) < delta).astype(float)
    return X.T @ (inside[:, None] * X)


def hinge(X: Array, w: Array, y: Array) -> float:
    return float(np.sum(np.maximum(0.0, 1 - y * (X @ w))))


def hinge_gradient(X: Array, w: Array, y: Array) -> Array:
    """The subgradient that takes 0 where a margin is exactly 1."""
    active = (1 - y * (X @ w) > 0).astype(float)
    return -X.T @ (active * y)


def hinge_hessian(X: Array, w: Array, y: Array) -> Array:
    return np.zeros((len(w), len(w)))


def poisson_regression(X: Array, w: Array, y: Array) -> float:
    """The negative log-likelihood without the constant sum(log y_i!)."""
    z = X @ w
    return float(np.sum(np.exp(z)) - y @ z)


def poisson_regression_gradient(X: Array, w: Array, y: Array) -> Array:
    return X.T @ (np.exp(X @ w) - y)


def poisson_regression_hessian(X: Array, w: Array, y: Array) -> Array:
    return X.T @ (np.exp(X @ w)[:, None] * X)


def gaussian_nll(X: Array, mu: Array, Sigma: Array) -> float:
    """−sum_i log N(x_i | mu, Sigma) for the rows x_i of X, with its constant (n d / 2) log 2π."""
    n, d = X.shape
    D = X - mu
    _, logdet = np.linalg.slogdet(Sigma)
    quadratic = np.sum(D * np.linalg.solve(Sigma, D.T).T)
    return float(0.5 * n * logdet + 0.5 * quadratic + 0.5 * n * d * np.log(2 * np.pi))


def gaussian_nll_mu_gradient(X: Array, mu: Array, Sigma: Array) -> Array:
    return -np.linalg.solve(Sigma, (X - mu).sum(axis=0))


def gaussian_nll_mu_hessian(X: Array, mu: Array, Sigma: Array) -> Array:
    return X.shape[0] * np.linalg.inv(Sigma)


def gaussian_nll_sigma_gradient(X: Array, mu: Array, Sigma: Array) -> Array:
    """Unconstrained matrix gradient (every entry of Sigma an independent variable): (n/2)Σ⁻¹ − ½Σ⁻¹SΣ⁻¹."""
    n = X.shape[0]
    S = (X - mu).T @ (X - mu)
    inverse = np.linalg.inv(Sigma)
    return 0.5 * n * inverse - 0.5 * inverse @ S @ inverse


def gaussian_nll_precision(X: Array, mu: Array, Lambda: Array) -> float:
    """The same negative log-likelihood written in the precision matrix Λ = Σ⁻¹."""
    return gaussian_nll(X, mu, np.linalg.inv(Lambda))


def gaussian_nll_precision_gradient(X: Array, mu: Array, Lambda: Array) -> Array:
    """−(n/2)Λ⁻¹ + ½S."""
    n = X.shape[0]
    S = (X - mu).T @ (X - mu)
    return -0.5 * n * np.linalg.inv(Lambda) + 0.5 * S
