"""Numeric twins of textbook forms: a derived expression and the form a textbook writes agree at random values.

Comparing ``derived == textbook`` structurally fails on a harmless rewrite (``S/n`` as ``S*n**-1``, a product
reordered) and says nothing about a wrong result printed the textbook's way by accident. Here both sides are
evaluated, independently of symml's NumPy export, at random sizes and values: dimensions replaced by small
integers, matrix symbols by explicit random matrices (positive definite where symmetric), scalars by random
numbers (positive where assumed), data ``x[i]`` by random numbers; SymPy's ``doit`` and ``as_explicit`` do the
rest at 30 digits.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symml.testing import random_matrix


def _point(exprs: tuple[Any, ...], rng: np.random.Generator) -> tuple[dict, dict, dict]:
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    matrices = {m for e in exprs for m in sp.sympify(e).atoms(sp.MatrixSymbol)}
    dims = {s for m in matrices for dim in m.shape for s in sp.sympify(dim).free_symbols}
    dims |= {s for s in free if isinstance(s, sp.Symbol) and s.is_integer and s.is_positive}
    sizes = {s: int(rng.integers(2, 5)) for s in sorted(dims, key=str)}
    explicit = {m: sp.ImmutableMatrix(random_matrix(m, tuple(int(sp.sympify(k).xreplace(sizes)) for k in m.shape), rng))
                for m in sorted(matrices, key=str)}
    scalars = {s: (rng.uniform(0.5, 2.0) if s.is_positive else rng.normal())
               for s in sorted(free, key=str) if isinstance(s, sp.Symbol) and s not in sizes and s not in matrices}
    return sizes, explicit, scalars


def _multiplied_out(expr: Any) -> Any:
    """``expr`` with each matrix expression of explicit matrices replaced by its explicit value, innermost first:
    σ(X w) of explicit X, w is multiplied before the sigmoid is applied, not read entry by entry through symbolic
    sums (as_explicit of the whole logistic Hessian took 4 s)."""
    if not isinstance(expr, sp.Basic) or isinstance(expr, sp.MatrixBase) or not expr.args:
        return expr
    args = tuple(_multiplied_out(a) for a in expr.args)
    try:
        node = expr if args == expr.args else expr.func(*args)
    except (TypeError, ValueError):  # a class that does not take explicit arguments is left to as_explicit
        return expr
    if isinstance(node, sp.MatrixExpr) and not node.free_symbols:
        node = node.doit()
        return node if isinstance(node, sp.MatrixBase) else node.as_explicit()
    return node


def _evaluate(expr: Any, sizes: dict, matrices: dict, scalars: dict, data: dict) -> np.ndarray:
    # numbers first, so that an inverse or a product of explicit matrices is computed in numbers, not symbols
    value = _multiplied_out(sp.sympify(expr).xreplace(matrices).xreplace(sizes).xreplace(scalars)).doit()
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    value = value.xreplace({a: data.setdefault(a, np.random.default_rng(hash(str(a)) % 2**32).normal())
                            for a in value.atoms(sp.Indexed)})
    value = sp.N(value, 30)
    return np.array(value.tolist() if isinstance(value, sp.MatrixBase) else value, dtype=float)


def agree_numerically(derived: Any, textbook: Any, *, seed: int = 0, trials: int = 3) -> bool:
    """Whether ``derived`` and ``textbook`` take the same values (relative 1e-9) at ``trials`` random points."""
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        sizes, matrices, scalars = _point((derived, textbook), rng)
        data: dict = {}
        left, right = (_evaluate(e, sizes, matrices, scalars, data) for e in (derived, textbook))
        if left.shape != right.shape or not np.allclose(left, right, rtol=1e-9, atol=1e-12 * np.max(np.abs(right))):
            return False
    return True
