"""Conformability of a matrix expression, checked before it is differentiated.

SymPy builds ``X*y`` for X of shape (n, d) and y of shape (n, 1), and ``X*w + w`` for an (n, 1) plus a (d, 1),
without complaint when the sizes are symbols: it cannot prove d ≠ n. Differentiated as written, such a typo gives
a confident wrong answer (a gradient of 0 with respect to w). Sizes written as different symbols or different
numbers are taken to differ, and the product or sum is refused with the shapes named. A side of size 1 is allowed
to mismatch: a 1 x 1 product inside a longer one (``wᵀw X``) acts as a scalar.

>>> import sympy as sp
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> X, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("y", n, 1)
>>> check_conformable(X * y)
Traceback (most recent call last):
...
symml.errors.ShapeError: X*y multiplies a (n, d) matrix by a (n, 1) one: the inner sizes d and n differ
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.errors import ShapeError
from symml.matrix_calculus.dag import distinct_nodes

__all__ = ["check_conformable"]


def check_conformable(expr: Any) -> None:
    """A ShapeError naming the first product or sum in ``expr`` whose sizes do not match."""
    for node in distinct_nodes(expr):  # each distinct node once: a tree walk of a deep composition grows like k²
        if isinstance(node, sp.MatMul):
            factors = [f for f in node.args if isinstance(f, sp.MatrixExpr)]
            for left, right in zip(factors, factors[1:]):
                inner = (left.shape[1], right.shape[0])
                if _differ(*inner):
                    raise ShapeError(f"{node} multiplies a {_shape(left)} matrix by a {_shape(right)} one: the inner "
                                     f"sizes {inner[0]} and {inner[1]} differ")
        elif isinstance(node, (sp.MatAdd, sp.HadamardProduct)):
            terms = [t for t in node.args if isinstance(t, sp.MatrixExpr)]
            for term in terms[1:]:
                if any(_differ(a, b) for a, b in zip(terms[0].shape, term.shape)):
                    what = "adds" if isinstance(node, sp.MatAdd) else "multiplies entrywise"
                    raise ShapeError(f"{node} {what} a {_shape(terms[0])} and a {_shape(term)} matrix: their shapes "
                                     "differ")


def _differ(a: Any, b: Any) -> bool:
    return a != b and a != 1 and b != 1


def _shape(matrix: Any) -> str:
    return f"({matrix.shape[0]}, {matrix.shape[1]})"
