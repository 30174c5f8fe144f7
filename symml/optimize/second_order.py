"""The second-order condition: whether a symmetric matrix (a Hessian at a stationary point) is definite.

Sylvester's criterion (Horn & Johnson, Matrix Analysis, Thm 7.2.5): a symmetric matrix is positive definite iff
its leading principal minors are all positive, and negative definite iff the k-th has the sign of (-1)^k.

With m equality constraints on n unknowns the Hessian of the Lagrangian only matters on the tangent space of the
constraints: the bordered Hessian [[0, J], [Jᵀ, ∇²L]] (J the constraints' Jacobian) decides (Magnus & Neudecker,
Matrix Differential Calculus, Thm 7.13; Simon & Blume 19.3): the point is a constrained minimum when its last
n − m leading principal minors all have the sign of (−1)^m, a maximum when the minor of order m + k has the sign of
(−1)^k (k = m+1..n).

>>> a = sp.Symbol("a", positive=True)
>>> definiteness(sp.Matrix([[-a]]), []), definiteness(sp.Matrix([[2, 0], [0, a]]), [])
(-1, 1)
>>> bordered_definiteness(sp.Matrix([[0, 1, 1], [1, 0, 1], [1, 1, 0]]), 1, [])   # xy on x + y = 2: a maximum
-1
"""
from __future__ import annotations

from typing import Iterable

import sympy as sp

from symml.optimize.signs import sign_given

__all__ = ["definiteness", "diagonal_blocks", "leading_minors", "bordered_hessian", "bordered_definiteness"]


def leading_minors(matrix: sp.Matrix) -> list[sp.Expr]:
    """The leading principal minors det(H[:k, :k]), k = 1..size (unsimplified: sign_given factors them)."""
    return [matrix[0, 0] if k == 1 else matrix[:k, :k].det() for k in range(1, matrix.shape[0] + 1)]


def definiteness(matrix: sp.Matrix, positive_facts: Iterable[sp.Expr] = ()) -> int | None:
    """+1: positive definite; -1: negative definite; 0: provably neither; None: not decided.

    Args:
        matrix: a symmetric SymPy Matrix.
        positive_facts: expressions known to be positive (see :func:`symml.optimize.signs.sign_given`).
    """
    facts = list(positive_facts)
    blocks = diagonal_blocks(sp.Matrix(matrix))
    if len(blocks) > 1:  # definite exactly when every diagonal block is, with one sign (Horn & Johnson 7.1.2)
        verdicts = [definiteness(block, facts) for block in blocks]
        if 0 in verdicts or (1 in verdicts and -1 in verdicts):
            return 0
        return verdicts[0] if None not in verdicts and len(set(verdicts)) == 1 else None
    signs = [sign_given(minor, facts) for minor in leading_minors(sp.Matrix(matrix))]
    if all(s == 1 for s in signs):
        return 1
    if all(s == (-1) ** k for k, s in enumerate(signs, start=1)):
        return -1
    not_positive = any(s is not None and s != 1 for s in signs)
    not_negative = any(s is not None and s != (-1) ** k for k, s in enumerate(signs, start=1))
    return 0 if not_positive and not_negative else None


def diagonal_blocks(matrix: sp.Matrix) -> list[sp.Matrix]:
    """The diagonal blocks of a symmetric matrix that is block diagonal up to a permutation: the principal
    submatrices on the connected components of its non-zero pattern (one block when it does not split). A
    separable objective's Hessian (Naive Bayes: one parameter per class and feature) splits into 1 x 1 blocks,
    whose signs are decided one by one instead of through determinants of the products of all of them.

    >>> a = sp.Symbol("a")
    >>> diagonal_blocks(sp.Matrix([[a, 0, 1], [0, 2, 0], [1, 0, a]]))
    [Matrix([
    [a, 1],
    [1, a]]), Matrix([[2]])]
    """
    size = matrix.shape[0]
    component = list(range(size))

    def root(k: int) -> int:
        while component[k] != k:
            k = component[k]
        return k

    for row in range(size):
        for col in range(row + 1, size):
            if matrix[row, col] != 0 or matrix[col, row] != 0:
                component[root(col)] = root(row)
    groups: dict[int, list[int]] = {}
    for k in range(size):
        groups.setdefault(root(k), []).append(k)
    return [matrix.extract(indices, indices) for indices in groups.values()]


def bordered_hessian(lagrangian: sp.Expr, wrt: list, constraints: list) -> sp.Matrix:
    """[[0, J], [Jᵀ, ∇²L]]: the constraints' Jacobian J (m x n) bordering the Hessian of the Lagrangian."""
    J = sp.Matrix([[sp.diff(h, x) for x in wrt] for h in constraints])
    m = len(constraints)
    return sp.Matrix(sp.BlockMatrix([[sp.zeros(m, m), J], [J.T, sp.hessian(lagrangian, wrt)]]))


def bordered_definiteness(bordered: sp.Matrix, m: int, positive_facts: Iterable[sp.Expr] = ()) -> int | None:
    """+1: a constrained minimum; -1: a constrained maximum; 0: provably neither; None: not decided.

    Args:
        bordered: the bordered Hessian at the point, size m + n.
        m: the number of constraints (the border's width).
        positive_facts: expressions known to be positive.
    """
    facts = list(positive_facts)
    size = bordered.shape[0]
    orders = range(2 * m + 1, size + 1)
    signs = {order: sign_given(bordered[:order, :order].det(), facts) for order in orders}
    if all(signs[order] == (-1) ** m for order in orders):
        return 1
    if all(signs[order] == (-1) ** (order - m) for order in orders):
        return -1
    if all(s is not None and s != 0 for s in signs.values()):
        return 0
    return None
