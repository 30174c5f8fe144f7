"""Matrix calculus at matrix level: the expression vocabulary and the derivatives built on it.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d)
>>> symml.sigmoid(X @ w).shape
(n, 1)
"""
from __future__ import annotations

from typing import Any

from symml.matrix_calculus.expressions import (
    abs,
    det,
    diag,
    dims,
    exp,
    hadamard,
    inv,
    kron,
    log,
    logdet,
    logsumexp,
    matrix,
    mean,
    norm,
    power,
    relu,
    sigmoid,
    softmax,
    softplus,
    sq_norm,
    sqrt,
    sum,
    tanh,
    trace,
    vector,
)

__all__ = [
    "dims", "matrix", "vector",
    "exp", "log", "sigmoid", "softplus", "tanh", "sqrt", "abs", "relu", "power",
    "sum", "mean", "trace", "det", "logdet", "inv", "diag", "hadamard", "kron", "norm", "sq_norm",
    "softmax", "logsumexp",
    "gradient", "hessian", "jacobian", "laplacian", "directional_derivative",
]


def gradient(expr: Any, wrt: Any, *, symmetric: bool = False) -> Any:
    raise NotImplementedError("symml.derive.gradient is being built")


def hessian(expr: Any, wrt: Any) -> Any:
    raise NotImplementedError("symml.derive.hessian is being built")


def jacobian(expr: Any, wrt: Any) -> Any:
    raise NotImplementedError("symml.derive.jacobian is being built")


def laplacian(expr: Any, wrt: Any) -> Any:
    raise NotImplementedError("symml.derive.laplacian is being built")


def directional_derivative(expr: Any, wrt: Any, direction: Any) -> Any:
    raise NotImplementedError("symml.derive.directional_derivative is being built")
