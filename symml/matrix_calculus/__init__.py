"""Matrix calculus at matrix level: the expression vocabulary and the derivatives built on it.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d)
>>> symml.sigmoid(X @ w).shape
(n, 1)
"""
from __future__ import annotations

from symml.matrix_calculus import sympy_fixes  # noqa: F401 - printing large products without rebuilding them

from symml.matrix_calculus.derivatives import directional_derivative, gradient, hessian, jacobian, laplacian
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
    maximum,
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

from symml.matrix_calculus.problem import MatrixDerivativeProblem  # noqa: E402
from symml.operations import register_lazily  # noqa: E402

# numpy() and verify() import NumPy and SciPy: they are registered on the first call, so deriving loads neither
register_lazily(MatrixDerivativeProblem, "symml.matrix_calculus.numpy_operation", "symml.matrix_calculus.verification")

__all__ = [
    "dims", "matrix", "vector",
    "exp", "log", "sigmoid", "softplus", "tanh", "sqrt", "abs", "relu", "maximum", "power",
    "sum", "mean", "trace", "det", "logdet", "inv", "diag", "hadamard", "kron", "norm", "sq_norm",
    "softmax", "logsumexp",
    "gradient", "hessian", "jacobian", "laplacian", "directional_derivative",
]

