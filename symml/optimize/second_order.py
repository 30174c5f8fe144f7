"""The second-order condition: whether a symmetric matrix (a Hessian at a stationary point) is definite.

Sylvester's criterion (Horn & Johnson, Matrix Analysis, Thm 7.2.5): a symmetric matrix is positive definite iff
its leading principal minors are all positive, and negative definite iff the k-th has the sign of (-1)^k.

>>> a = sp.Symbol("a", positive=True)
>>> definiteness(sp.Matrix([[-a]]), []), definiteness(sp.Matrix([[2, 0], [0, a]]), [])
(-1, 1)
"""
from __future__ import annotations

from typing import Iterable

import sympy as sp

from symml.optimize.signs import sign_given

__all__ = ["definiteness", "leading_minors"]


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
    signs = [sign_given(minor, facts) for minor in leading_minors(sp.Matrix(matrix))]
    if all(s == 1 for s in signs):
        return 1
    if all(s == (-1) ** k for k, s in enumerate(signs, start=1)):
        return -1
    not_positive = any(s is not None and s != 1 for s in signs)
    not_negative = any(s is not None and s != (-1) ** k for k, s in enumerate(signs, start=1))
    return 0 if not_positive and not_negative else None
