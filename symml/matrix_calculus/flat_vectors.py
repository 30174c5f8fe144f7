"""Which generated kernels compute the same numbers when their column vectors are 1-D arrays.

The generated code treats an n x 1 vector as an (n, 1) array; a user passes it 1-D, and reshaping it costs more
than the arithmetic at n = 10 (issue 17: the logistic gradient at n = 10, d = 3). For a kernel whose vectors only
meet matrix-vector products (``X @ w``, ``X.T @ r``), entrywise operations with other vectors and numbers, the 1-D
arrays give the same numbers, and the call path passes them as given. Anything that would broadcast a 1-D vector
differently from a column (``v * A`` for diag(v) A, ``w.T @ w``, outer products, ones columns, reductions with
``keepdims``) makes the kernel unsafe.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
>>> flat_safe(X.T @ (symml.sigmoid(X @ w) - y))
True
>>> flat_safe(symml.diag(y) @ X @ w)
False
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions import HadamardPower, HadamardProduct, OneMatrix

from symml.matrix_calculus.algebra import Scalar
from symml.matrix_calculus.expressions import Elementwise

__all__ = ["flat_safe"]


def flat_safe(expr: Any) -> bool:
    """Whether ``expr``, a column vector, is computed alike from 1-D and column inputs by the generated code."""
    return isinstance(expr, sp.MatrixExpr) and _column(expr) and _safe(expr)


def _column(expr: Any) -> bool:
    return expr.shape[1] == 1 and expr.shape[0] != 1


def _safe(expr: Any) -> bool:
    if isinstance(expr, sp.MatrixSymbol):
        return _column(expr)
    if isinstance(expr, sp.MatAdd):  # a ones column in a sum is written as the number 1.0
        terms = [t for t in expr.args if not isinstance(t, OneMatrix)]
        return bool(terms) and all(_safe(t) for t in terms)
    if isinstance(expr, HadamardProduct):
        return all(_safe(arg) for arg in expr.args)
    if isinstance(expr, HadamardPower):
        return _safe(expr.args[0]) and sp.sympify(expr.args[1]).is_number
    if isinstance(expr, Elementwise):
        return _safe(expr.arg)
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        if sp.sympify(coefficient).has(Scalar, sp.Trace, sp.Determinant, sp.MatrixExpr):
            return False
        return all(_plain_matrix(m) for m in matrices[:-1]) and _safe(matrices[-1])
    return False


def _plain_matrix(expr: Any) -> bool:
    """A matrix input or its transpose, neither side of size 1: it multiplies a 1-D vector as it does a column."""
    symbol = expr.arg if isinstance(expr, sp.Transpose) else expr
    return isinstance(symbol, sp.MatrixSymbol) and expr.shape[0] != 1 and expr.shape[1] != 1
