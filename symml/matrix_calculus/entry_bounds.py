"""Bounds on the entries of a matrix expression, read off its structure (interval arithmetic over the nodes).

Code generation uses them to decide, from the expression alone, that the weights of a weighted Gram matrix
Aᵀ diag(v) A are non-negative, so that it may be computed as the symmetric rank-k update (X √v)ᵀ(X √v). The
logistic Hessian's v = σ(z) ⊙ (1 − σ(z)) lies in [0, 1]: σ in [0, 1], 1 − σ in [0, 1], a product of two
non-negative intervals is non-negative. Bounds are closed intervals that contain every entry; (−∞, ∞) where
nothing is known, so an unknown node never yields a false claim.

>>> import sympy as sp, symml
>>> z = symml.vector("z", 3)
>>> entry_bounds(symml.hadamard(symml.sigmoid(z), sp.OneMatrix(3, 1) - symml.sigmoid(z)))
(0.0, 1.0)
>>> entry_bounds(symml.tanh(z))
(-1.0, 1.0)
"""
from __future__ import annotations

import math
from typing import Any

import sympy as sp
from sympy.matrices.expressions import HadamardPower, HadamardProduct, OneMatrix, ZeroMatrix

from symml.matrix_calculus.expressions import Elementwise, Softmax

__all__ = ["entry_bounds", "is_nonnegative"]

Interval = tuple[float, float]
_UNKNOWN: Interval = (-math.inf, math.inf)

# The range of each of symml's elementwise functions over the real line (None: depends on the argument).
_RANGES: dict[str, Interval] = {
    "sigmoid": (0.0, 1.0), "exp": (0.0, math.inf), "softplus": (0.0, math.inf), "tanh": (-1.0, 1.0),
    "abs": (0.0, math.inf), "relu": (0.0, math.inf), "step": (0.0, 1.0),
}


def _times(a: Interval, b: Interval) -> Interval:
    products = [x * y for x in a for y in b if not (x == 0 and math.isinf(y) or y == 0 and math.isinf(x))]
    return (min(products, default=0.0), max(products, default=0.0))


def _number(value: Any) -> Interval | None:
    """The interval of a scalar coefficient: a number, or the sign its assumptions give (n > 0)."""
    if value.is_Number:
        return (float(value), float(value))
    if value.is_nonnegative:
        return (0.0, math.inf)
    if value.is_nonpositive:
        return (-math.inf, 0.0)
    return None


def _power(base: Interval, exponent: Any) -> Interval:
    if exponent.is_Integer and int(exponent) % 2 == 0 and exponent > 0:
        return (0.0, math.inf)
    if base[0] >= 0:
        return (0.0, math.inf)
    return _UNKNOWN


def entry_bounds(expr: Any) -> Interval:
    """A closed interval (low, high) containing every entry of ``expr`` (a matrix expression)."""
    if isinstance(expr, OneMatrix):
        return (1.0, 1.0)
    if isinstance(expr, ZeroMatrix):
        return (0.0, 0.0)
    if isinstance(expr, Elementwise):
        return _RANGES.get(expr.name, _UNKNOWN)
    if isinstance(expr, Softmax):
        return (0.0, 1.0)
    if isinstance(expr, sp.MatAdd):
        low, high = 0.0, 0.0
        for term in expr.args:
            term_low, term_high = entry_bounds(term)
            low, high = low + term_low, high + term_high
        return (low, high)
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        scale = _number(coefficient)
        if len(matrices) != 1 or scale is None:  # a true matrix product mixes signs
            return _UNKNOWN
        return _times(scale, entry_bounds(matrices[0]))
    if isinstance(expr, HadamardProduct):
        if len(expr.args) == 2 and expr.args[0] == expr.args[1]:
            return (0.0, math.inf)
        bounds = entry_bounds(expr.args[0])
        for factor in expr.args[1:]:
            bounds = _times(bounds, entry_bounds(factor))
        return bounds
    if isinstance(expr, HadamardPower):
        return _power(entry_bounds(expr.args[0]), expr.args[1])
    if isinstance(expr, sp.Transpose):
        return entry_bounds(expr.arg)
    return _UNKNOWN


def is_nonnegative(expr: Any) -> bool:
    """Whether every entry of ``expr`` is known to be ≥ 0 from its structure."""
    return entry_bounds(expr)[0] >= 0
