"""Row-blocked products Aᵀ r(A v): the gradient of a GLM loss reads the data matrix A twice (A v, then Aᵀ r); done
block of rows by block of rows, each block is still in cache for the second read (issue 17: the logistic gradient
at n = 1e5, d = 500 took 0.70x of hand-written NumPy on one thread).

:func:`row_wise_factor` decides from the expression that r is computed row by row: every node an entrywise
operation on n x 1 columns, A appearing only in products A v with v free of the rows.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d); y = symml.vector("y", n)
>>> row_wise_factor((X.T @ (symml.sigmoid(X @ w) - y)).doit())
(X, sigmoid(X*w) - y)
>>> row_wise_factor(X.T @ X @ w) is None
True
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions import HadamardPower, HadamardProduct, OneMatrix

from symml.matrix_calculus.expressions import Elementwise

__all__ = ["row_wise_factor"]


def row_wise_factor(expr: Any) -> tuple[Any, Any] | None:
    """(A, r) when ``expr`` is Aᵀ r with r computed row by row from A v products and n x 1 columns; else None."""
    if not isinstance(expr, sp.MatMul):
        return None
    coefficient, matrices = expr.as_coeff_matrices()
    if coefficient != 1 or len(matrices) != 2 or not isinstance(matrices[0], sp.Transpose):
        return None
    A, r = matrices[0].arg, matrices[1]
    rows = A.shape[0]
    if not isinstance(A, sp.MatrixSymbol) or not isinstance(rows, sp.Symbol) or tuple(r.shape) != (rows, 1):
        return None
    return (A, r) if _row_wise(r, A) and r.has(A) else None


def _row_wise(expr: Any, A: sp.MatrixSymbol) -> bool:
    rows = A.shape[0]
    if not isinstance(expr, sp.MatrixExpr):
        return rows not in sp.sympify(expr).free_symbols  # a scalar of n would be the block's size inside a block
    if isinstance(expr, (sp.MatrixSymbol, OneMatrix)):
        return tuple(expr.shape) == (rows, 1) and expr != A
    if isinstance(expr, (sp.MatAdd, HadamardProduct)):
        return all(_row_wise(arg, A) for arg in expr.args)
    if isinstance(expr, HadamardPower):
        return _row_wise(expr.args[0], A) and _row_wise(expr.args[1], A)
    if isinstance(expr, Elementwise):
        return _row_wise(expr.arg, A)
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        if not _row_wise(coefficient, A):
            return False
        if len(matrices) == 1:
            return _row_wise(matrices[0], A)
        rest = sp.MatMul(*matrices[1:])
        return matrices[0] == A and not rest.has(A) and rows not in rest.free_symbols
    return False
