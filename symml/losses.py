"""The loss functions of machine learning, built from symml's matrix expressions; their derivatives are derived.

Each function here only BUILDS a loss as a scalar (1 x 1) matrix expression out of the engine's constructors; it
states no derivative. Differentiate with :func:`symml.derive.gradient` and :func:`symml.derive.hessian`, solve
with :func:`symml.derive.stationary_point`. Shapes are symbolic: results hold for every n, d, k.

Shapes (denominator layout): data ``X`` is (n, d), one example per row; weights ``w`` are (d, 1); targets ``y``
are (n, 1); a class weight matrix ``W`` is (d, k) with one-hot targets ``Y`` (n, k); ``Sigma`` and ``Lambda``
are symmetric (d, d). Scalars (``lam``, ``delta``) may be numbers or SymPy symbols. Additive constants that do not
depend on the parameters (``sum(log y_i!)``, ``(nd/2) log 2π``) are left out, and each docstring says so.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
>>> symml.losses.logistic(X, w, y).shape
(1, 1)

References: Bishop, *Pattern Recognition and Machine Learning* (PRML) 3.1, 4.3, 2.3.4; Hastie, Tibshirani &
Friedman, *The Elements of Statistical Learning* (ESL) 3.4, 10.6, 12.3; Petersen & Pedersen, *The Matrix
Cookbook* (2012) 2.1-2.2.
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.errors import ShapeError
from symml.matrix_calculus import expressions as mx

__all__ = [
    "least_squares",
    "mse",
    "ridge",
    "lasso",
    "logistic",
    "softmax_cross_entropy",
    "huber",
    "hinge",
    "poisson_regression",
    "gaussian_nll",
]


# --- argument checks: a wrong shape is named before SymPy's own error could surface ---------------------------
def _matrix(loss: str, name: str, value: Any) -> MatrixExpr:
    if not mx.is_matrix(value):
        raise ShapeError(f"{loss}: {name} must be a matrix or vector from symml.matrix/symml.vector, not {value!r}")
    return value


def _scalar(loss: str, name: str, value: Any) -> sp.Expr:
    if mx.is_matrix(value):
        raise ShapeError(f"{loss}: {name} must be a scalar (a number or a SymPy symbol), not a matrix")
    try:
        return sp.sympify(value, strict=True)
    except sp.SympifyError:
        raise ShapeError(f"{loss}: {name} must be a scalar (a number or a SymPy symbol), not {value!r}") from None


def _regression(loss: str, X: Any, w: Any, y: Any) -> tuple[MatrixExpr, MatrixExpr, MatrixExpr]:
    """Check X (n, d), w (d, 1), y (n, 1), and return them."""
    X, w, y = _matrix(loss, "X", X), _matrix(loss, "w", w), _matrix(loss, "y", y)
    n, d = X.shape
    if tuple(w.shape) != (d, 1):
        raise ShapeError(f"{loss}: w must have shape (d, 1) = ({d}, 1) to match X of shape {X.shape}; got {w.shape}")
    if tuple(y.shape) != (n, 1):
        raise ShapeError(f"{loss}: y must have shape (n, 1) = ({n}, 1) to match X of shape {X.shape}; got {y.shape}")
    return X, w, y


def _ones(rows: Any) -> MatrixExpr:
    return sp.OneMatrix(rows, 1)


# --- regression losses ----------------------------------------------------------------------------------
def least_squares(X: Any, w: Any, y: Any) -> MatrixExpr:
    r"""The residual sum of squares :math:`\|Xw - y\|^2 = (Xw - y)^\top (Xw - y)` (ESL 3.2).

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: targets, shape (n, 1).

    >>> import symml
    >>> X, w, y = symml.matrix("X", 5, 3), symml.vector("w", 3), symml.vector("y", 5)
    >>> symml.derive.gradient(least_squares(X, w, y), w).result
    2*X.T*(X*w - y)
    """
    X, w, y = _regression("least_squares", X, w, y)
    return mx.sq_norm(X @ w - y)


def mse(X: Any, w: Any, y: Any) -> MatrixExpr:
    r"""The mean squared error :math:`\frac{1}{n}\|Xw - y\|^2`.

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: targets, shape (n, 1).

    >>> import symml
    >>> n, d = symml.dims("n d")
    >>> w = symml.vector("w", d)
    >>> symml.derive.hessian(mse(symml.matrix("X", n, d), w, symml.vector("y", n)), w).result
    (2/n)*X.T*X
    """
    X, w, y = _regression("mse", X, w, y)
    return least_squares(X, w, y) / X.shape[0]


def ridge(X: Any, w: Any, y: Any, lam: Any) -> MatrixExpr:
    r"""Ridge regression :math:`\|Xw - y\|^2 + \lambda \|w\|^2` (ESL 3.4.1, eq. 3.41).

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: targets, shape (n, 1).
        lam: the penalty weight :math:`\lambda \ge 0`, a scalar.

    >>> import symml, sympy as sp
    >>> X, w, y = symml.matrix("X", 8, 2), symml.vector("w", 2), symml.vector("y", 8)
    >>> symml.derive.gradient(ridge(X, w, y, sp.Symbol("lambda")), w).result
    (2*lambda)*w + 2*X.T*(X*w - y)
    """
    X, w, y = _regression("ridge", X, w, y)
    return least_squares(X, w, y) + _scalar("ridge", "lam", lam) * mx.sq_norm(w)


def lasso(X: Any, w: Any, y: Any, lam: Any) -> MatrixExpr:
    r"""The lasso :math:`\|Xw - y\|^2 + \lambda \|w\|_1` (ESL 3.4.2, eq. 3.52).

    The L1 norm is not differentiable where a weight is 0: its derivative is the subgradient
    :math:`\lambda\,\mathrm{sign}(w)` with sign(0) = 0, the element of the subdifferential the engine uses.

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: targets, shape (n, 1).
        lam: the penalty weight :math:`\lambda \ge 0`, a scalar.

    >>> import symml
    >>> d = symml.dims("d")
    >>> lasso(symml.matrix("X", 10, d), symml.vector("w", d), symml.vector("y", 10), 0.5).shape
    (1, 1)
    """
    X, w, y = _regression("lasso", X, w, y)
    return least_squares(X, w, y) + _scalar("lasso", "lam", lam) * mx.norm(w, 1)


def huber(X: Any, w: Any, y: Any, delta: Any) -> MatrixExpr:
    r"""The Huber loss :math:`\sum_i \rho_\delta(r_i)` of the residuals :math:`r = Xw - y` (ESL 10.6, eq. 10.23).

    :math:`\rho_\delta(r) = r^2/2` for :math:`|r| \le \delta` and :math:`\delta(|r| - \delta/2)` beyond. It is
    built as :math:`\tfrac12\|r\|^2 - \tfrac12\|\mathrm{relu}(|r| - \delta)\|^2`: the two agree, since for
    :math:`|r| > \delta`, :math:`\tfrac12 r^2 - \tfrac12(|r| - \delta)^2 = \delta|r| - \tfrac12\delta^2`. The loss is
    once continuously differentiable; its second derivative jumps at :math:`|r_i| = \delta`, where the Hessian is
    a one-sided one.

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: targets, shape (n, 1).
        delta: the threshold :math:`\delta > 0`, a scalar.

    >>> import symml, sympy as sp
    >>> n = symml.dims("n")
    >>> huber(symml.matrix("X", n, 4), symml.vector("w", 4), symml.vector("y", n), sp.Symbol("delta")).shape
    (1, 1)
    """
    X, w, y = _regression("huber", X, w, y)
    delta = _scalar("huber", "delta", delta)
    residual = X @ w - y
    excess = mx.relu(mx.abs(residual) - delta * _ones(X.shape[0]))
    return mx.sq_norm(residual) / 2 - mx.sq_norm(excess) / 2


# --- classification and count losses -----------------------------------------------------------------------
def logistic(X: Any, w: Any, y: Any) -> MatrixExpr:
    r"""Binary cross-entropy of logistic regression, labels :math:`y_i \in \{0, 1\}` (PRML 4.3.2, eq. 4.90).

    :math:`-\sum_i [y_i \log\sigma(z_i) + (1 - y_i)\log(1 - \sigma(z_i))]` with :math:`z = Xw` equals
    :math:`\sum_i \mathrm{softplus}(z_i) - y^\top z` (because :math:`\log\sigma(z) = z - \mathrm{softplus}(z)` and
    :math:`\log(1 - \sigma(z)) = -\mathrm{softplus}(z)`); that form is the one built, as it stays finite for any z.

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: labels in {0, 1}, shape (n, 1).

    >>> import symml
    >>> n, d = symml.dims("n d")
    >>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    >>> symml.derive.gradient(logistic(X, w, y), w).result
    X.T*(sigmoid(X*w) - y)
    """
    X, w, y = _regression("logistic", X, w, y)
    return mx.sum(mx.softplus(X @ w)) - y.T @ X @ w


def softmax_cross_entropy(X: Any, W: Any, Y: Any) -> MatrixExpr:
    r"""Cross-entropy of multinomial logistic regression with one-hot targets (PRML 4.3.4, eq. 4.108).

    With the scores :math:`Z = XW`, :math:`-\sum_i y_i^\top \log\mathrm{softmax}(z_i) = \sum_i
    \operatorname{logsumexp}(z_i) - \operatorname{tr}(Y^\top X W)`, the log-sum-exp taken along each row of Z
    (stable: shifted by the row maximum in the NumPy export).

    Args:
        X: design matrix, shape (n, d). W: the weight matrix, shape (d, k), one column per class.
        Y: one-hot targets, shape (n, k).

    >>> import symml
    >>> n, d, k = symml.dims("n d k")
    >>> X, W, Y = symml.matrix("X", n, d), symml.matrix("W", d, k), symml.matrix("Y", n, k)
    >>> symml.derive.gradient(softmax_cross_entropy(X, W, Y), W).result
    X.T*(-Y + softmax(X*W))
    """
    loss = "softmax_cross_entropy"
    X, W, Y = _matrix(loss, "X", X), _matrix(loss, "W", W), _matrix(loss, "Y", Y)
    (n, d), k = X.shape, W.shape[1]
    if W.shape[0] != d or tuple(Y.shape) != (n, k):
        raise ShapeError(
            f"{loss}: with X of shape (n, d) = {X.shape}, W must be ({d}, k) and Y (n, k) = ({n}, {k}); "
            f"got W {W.shape}, Y {Y.shape}"
        )
    scores = X @ W
    return mx.sum(mx.logsumexp(scores, axis=1)) - mx.trace(Y.T @ scores)


def hinge(X: Any, w: Any, y: Any) -> MatrixExpr:
    r"""The hinge loss of a linear SVM, :math:`\sum_i \max(0, 1 - y_i x_i^\top w)`, labels :math:`y_i \in \{-1, 1\}`
    (ESL 12.3.2).

    Not differentiable where a margin :math:`y_i x_i^\top w` is exactly 1: the engine's derivative is a subgradient
    (the step function taken as 0 there); the Hessian is 0 wherever it exists.

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: labels in {-1, 1}, shape (n, 1).

    >>> import symml
    >>> hinge(symml.matrix("X", 6, 2), symml.vector("w", 2), symml.vector("y", 6)).shape
    (1, 1)
    """
    X, w, y = _regression("hinge", X, w, y)
    return mx.sum(mx.relu(_ones(X.shape[0]) - mx.hadamard(y, X @ w)))


def poisson_regression(X: Any, w: Any, y: Any) -> MatrixExpr:
    r"""The negative log-likelihood of Poisson regression with the log link, :math:`y_i \sim
    \mathrm{Poisson}(e^{x_i^\top w})`: :math:`\sum_i e^{x_i^\top w} - y^\top X w`, without the constant
    :math:`\sum_i \log y_i!` (McCullagh & Nelder, *Generalized Linear Models*, 6.2).

    Args:
        X: design matrix, shape (n, d). w: weights, shape (d, 1). y: counts, shape (n, 1).

    >>> import symml
    >>> m = symml.dims("m")
    >>> poisson_regression(symml.matrix("A", m, 3), symml.vector("beta", 3), symml.vector("counts", m)).shape
    (1, 1)
    """
    X, w, y = _regression("poisson_regression", X, w, y)
    return mx.sum(mx.exp(X @ w)) - y.T @ X @ w


# --- the multivariate Gaussian --------------------------------------------------------------------------
def gaussian_nll(data: Any, mu: Any, Sigma: Any, *, n: Any = None, precision: bool = False) -> MatrixExpr:
    r"""The negative log-likelihood of n i.i.d. draws from :math:`N(\mu, \Sigma)`, without its constant
    :math:`\tfrac{nd}{2}\log 2\pi`.

    With the data matrix X (rows :math:`x_i^\top`) and :math:`D = X - \mathbf{1}\mu^\top` (PRML 2.3.4, eq. 2.118):

    .. math:: \tfrac{n}{2}\log\det\Sigma + \tfrac12 \operatorname{tr}(\Sigma^{-1} D^\top D)

    With ``mu=None`` the first argument is the scatter matrix :math:`S = \sum_i (x_i - \mu)(x_i - \mu)^\top` about
    a known mean and ``n`` must be given: :math:`\tfrac{n}{2}\log\det\Sigma + \tfrac12\operatorname{tr}(\Sigma^{-1}S)`.
    With ``precision=True`` the third argument is the precision :math:`\Lambda = \Sigma^{-1}` and the loss is
    written in it: :math:`-\tfrac{n}{2}\log\det\Lambda + \tfrac12\operatorname{tr}(\Lambda D^\top D)`.

    Args:
        data: the data matrix X, shape (n, d); or, with ``mu=None``, the scatter matrix S, shape (d, d).
        mu: the mean, shape (d, 1), or None.
        Sigma: the covariance (or, with ``precision=True``, the precision), shape (d, d), symmetric positive
            definite (``symml.matrix("Sigma", d, d, symmetric=True)``).
        n: the sample size; only with ``mu=None`` (with X it is the number of rows).
        precision: whether ``Sigma`` is the precision matrix.

    >>> import symml
    >>> n, d = symml.dims("n d")
    >>> X, mu = symml.matrix("X", n, d), symml.vector("mu", d)
    >>> Sigma = symml.matrix("Sigma", d, d, symmetric=True)
    >>> gaussian_nll(X, mu, Sigma).shape
    (1, 1)
    """
    loss = "gaussian_nll"
    data, Sigma = _matrix(loss, "the data", data), _matrix(loss, "Sigma", Sigma)
    size = Sigma.shape[0]
    if tuple(Sigma.shape) != (size, size):
        raise ShapeError(f"{loss}: Sigma must be square; got shape {Sigma.shape}")
    if mu is None:
        if n is None:
            raise ShapeError(f"{loss}: with mu=None the data is a scatter matrix S, and the sample size n is needed")
        if tuple(data.shape) != (size, size):
            raise ShapeError(f"{loss}: the scatter matrix S must have Sigma's shape {Sigma.shape}; got {data.shape}")
        scatter, n = data, _scalar(loss, "n", n)
    else:
        mu = _matrix(loss, "mu", mu)
        if n is not None:
            raise ShapeError(f"{loss}: n is the number of rows of X; give n only with mu=None and a scatter matrix")
        if tuple(mu.shape) != (size, 1) or data.shape[1] != size:
            raise ShapeError(
                f"{loss}: X must be (n, d) and mu (d, 1) with d = {size} from Sigma; got X {data.shape}, mu {mu.shape}"
            )
        n = data.shape[0]
        centred = data - _ones(n) @ mu.T
        scatter = centred.T @ centred
    if precision:
        return -n / 2 * mx.logdet(Sigma) + mx.trace(Sigma @ scatter) / 2
    return n / 2 * mx.logdet(Sigma) + mx.trace(mx.inv(Sigma) @ scatter) / 2
