"""Row-blocked products Aᵀ r(A v): the gradient of a GLM loss reads the data matrix A twice (A v, then Aᵀ r); done
block of rows by block of rows, each block is still in cache for the second read (issue 17: the logistic gradient
at n = 1e5, d = 500 took 0.70x of hand-written NumPy on one thread).

:func:`row_wise_factor` decides from the expression that r is computed row by row: every node an entrywise
operation (or a softmax along each row) on n-row data, products M v of data M with v free of the rows.

:func:`summed_over_rows` decides that whole results (a value, a gradient and a Hessian together) are sums over the
rows of the data, so one pass over blocks of rows computes all of them, each block of the data read from memory
once: sums of entries, uᵀ r and Aᵀ r, and Gram matrices Aᵀ diag(v) A of row-wise columns and matrices.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d); y = symml.vector("y", n)
>>> row_wise_factor((X.T @ (symml.sigmoid(X @ w) - y)).doit())
(X, sigmoid(X*w) - y)
>>> row_wise_factor(X.T @ X @ w) is None
True
>>> summed_over_rows((symml.sum(symml.softplus(X @ w)), X.T @ symml.diag(symml.sigmoid(X @ w)) @ X))
(X, (False, True))
"""
from __future__ import annotations

import functools
from typing import Any

import sympy as sp
from sympy.matrices.expressions import DiagMatrix, HadamardPower, HadamardProduct, OneMatrix

from symml.matrix_calculus.dag import atoms_of, depends_on, free_symbols_of
from symml.matrix_calculus.expressions import Elementwise, EntrySum, LogSumExpAlong, Softmax

__all__ = ["row_wise_factor", "summed_over_rows", "one_pass_over_rows"]


def row_wise_factor(expr: Any) -> tuple[Any, Any] | None:
    """(A, r) when ``expr`` is c Aᵀ r (c free of the rows) with r computed row by row and reading A; else None."""
    if not isinstance(expr, sp.MatMul):
        return None
    coefficient, matrices = expr.as_coeff_matrices()
    if len(matrices) != 2 or not isinstance(matrices[0], sp.Transpose):
        return None
    A, r = matrices[0].arg, matrices[1]
    rows = A.shape[0]
    if not isinstance(A, sp.MatrixSymbol) or not isinstance(rows, sp.Symbol) or r.shape[0] != rows:
        return None
    return (A, r) if not sp.sympify(coefficient).has(rows) and r != A and depends_on(r, A) and _by_rows(r, rows) else None


def summed_over_rows(exprs: tuple) -> tuple[sp.MatrixSymbol, tuple[bool, ...]] | None:
    """(A, gram) when every expression is a sum over the rows of the data (the n-row inputs), A the widest of them,
    gram[i] whether expression i is a Gram matrix c Aᵀ diag(v) A or c AᵀA; else None.

    A sum over rows is a sum of terms c·sum(r), c·uᵀ r and c·Mᵀ r with u, r, M computed row by row and c free of
    the rows, or a lone Gram matrix: evaluated on each block of rows and added up, the terms give the whole result.
    """
    data = {s for e in exprs for s in free_symbols_of(e) if isinstance(s, sp.MatrixSymbol)}
    if not all(isinstance(e, sp.MatrixExpr) for e in exprs):
        return None
    # the rows summed over: a dimension of the data that no result has
    for n in sorted({s.shape[0] for s in data if isinstance(s.shape[0], sp.Symbol)} - {k for e in exprs for k in e.shape},
                    key=str):
        grams = tuple(_is_gram(e, n) for e in exprs)
        if all(g or _row_summing(e, n) for g, e in zip(grams, exprs)):
            tall = [s for s in data if s.shape[0] == n]
            return max(tall, key=lambda s: (s.shape[1] if s.shape[1].is_Integer else 2**31, s.name)), grams
    return None


def one_pass_over_rows(exprs: tuple) -> tuple[sp.MatrixSymbol, tuple] | None:
    """(A, exprs), A of :func:`summed_over_rows`, where one pass saves reads of A: several results or a Gram
    matrix, A read by more than one product when computed whole (Aᵀ r alone is left to :func:`row_wise_factor`)."""
    fused = summed_over_rows(exprs)
    if fused is None or not (len(exprs) > 1 or fused[1][0]) or _reads(fused[0], exprs) < 2:
        return None
    return fused[0], exprs


def _reads(A: sp.MatrixSymbol, exprs: tuple) -> int:
    """How many distinct products read A when the expressions are computed whole (A w and Aᵀ r: two; yᵀ A w and
    sum(f(A w)): one, A w shared)."""
    reads = set()
    for product in (p for e in exprs for p in atoms_of(e, sp.MatMul)):
        matrices = product.as_coeff_matrices()[1]
        reads |= {sp.MatMul(*matrices[i:]) for i in range(len(matrices) - 1) if matrices[i] in (A, sp.Transpose(A))}
    return len(reads)


def _row_summing(expr: Any, n: sp.Symbol) -> bool:
    if isinstance(expr, sp.MatAdd):
        return all(_row_summing(term, n) for term in expr.args)
    if isinstance(expr, EntrySum):
        return _by_rows(expr.args[0], n)
    if not isinstance(expr, sp.MatMul):
        return False
    coefficient, matrices = expr.as_coeff_matrices()
    if sp.sympify(coefficient).has(n) or len(matrices) < 2 or not isinstance(matrices[0], sp.Transpose):
        return False
    rest = matrices[1] if len(matrices) == 2 else sp.MatMul(*matrices[1:])
    # only the first factor is transposed data: a product after the sum (Σ⁻¹ DᵀD Σ⁻¹) would cost d³ per block
    return matrices[0].arg.shape[0] == n and _by_rows(matrices[0].arg, n) and _by_rows(rest, n)


def _is_gram(expr: Any, n: sp.Symbol) -> bool:
    if not isinstance(expr, sp.MatMul):
        return False
    coefficient, matrices = expr.as_coeff_matrices()
    if sp.sympify(coefficient).has(n) or not matrices or not isinstance(matrices[0], sp.Transpose):
        return False
    A = matrices[0].arg
    if len(matrices) == 3 and isinstance(matrices[1], DiagMatrix) and matrices[2] == A:
        return A.shape[0] == n and _by_rows(A, n) and _by_rows(matrices[1].args[0], n)
    return len(matrices) == 2 and matrices[1] == A and A.shape[0] == n and _by_rows(A, n)


@functools.lru_cache(maxsize=4096)  # remembered per distinct node: results share subexpressions (issue 17)
def _by_rows(expr: Any, n: sp.Symbol) -> bool:
    """Whether row i of ``expr`` (n rows) is computed from row i of the data alone."""
    if not isinstance(expr, sp.MatrixExpr):
        return not sp.sympify(expr).has(n)
    if isinstance(expr, (sp.MatrixSymbol, OneMatrix)):
        return expr.shape[0] == n and not sp.sympify(expr.shape[1]).has(n)
    if isinstance(expr, (sp.MatAdd, HadamardProduct)):
        return all(_by_rows(arg, n) for arg in expr.args)
    if isinstance(expr, HadamardPower):
        return _by_rows(expr.args[0], n) and _by_rows(expr.args[1], n)
    if isinstance(expr, Elementwise):
        return _by_rows(expr.arg, n)
    if isinstance(expr, (Softmax, LogSumExpAlong)):  # along each row (axis 1): row by row; down a column: all rows
        return expr.axis == 1 and _by_rows(expr.arg, n)
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        if not _by_rows(coefficient, n):
            return False
        if isinstance(matrices[0], DiagMatrix):
            return _by_rows(matrices[0].args[0], n) and _by_rows(sp.MatMul(*matrices[1:]), n) if len(matrices) > 1 \
                else False
        rest = sp.MatMul(*matrices[1:]) if len(matrices) > 1 else None
        return _by_rows(matrices[0], n) and (rest is None or not depends_on(rest, n))  # (a MatrixSymbol's args hold n)
    return False
