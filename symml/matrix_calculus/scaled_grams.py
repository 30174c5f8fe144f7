"""Regularised normal equations solved at a scale where the Gram matrix cannot overflow.

A solve (c I + k AᵀA)⁻¹ R (ridge: (λI + XᵀX)⁻¹Xᵀy; least squares without the λ) forms AᵀA, whose entries are
squares of A's: at entries of 1e160 they overflow to inf and the solve returns nan where the answer is finite. With
A = s B (s the largest |entry| of A, where that exceeds 1e100) the identity

    (c I + k AᵀA)⁻¹ = s⁻² (c/s² I + k BᵀB)⁻¹

is exact, and every other factor A (Aᵀ) of the product is s B (s Bᵀ); the powers of s gather in the coefficient
(ridge: s⁻¹ (λ/s² I + BᵀB)⁻¹ Bᵀ y). BᵀB has entries at most n, and λ/s² at worst underflows to 0, its true size
beside BᵀB. The code holds u = 1/s (λu² underflows quietly where s² would overflow first). Data up to 1e100 are
neither scaled nor copied (s = 1): their Gram matrix is finite, and scaled up, λ/s² would overflow instead.

>>> import sympy as sp, symml
>>> n, d = symml.dims("n d")
>>> X, y = symml.matrix("X", n, d), symml.vector("y", n)
>>> lam, u = sp.Symbol("lambda", positive=True), sp.Symbol("u", positive=True)
>>> B = sp.MatrixSymbol("B", n, d)
>>> solved_at_scale(1, [(lam * sp.Identity(d) + X.T * X).I, X.T, y], X, u, B)
(u, [((lambda*u**2)*I + B.T*B)**(-1), B.T, y])
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions import Identity

from symml.matrix_calculus.algebra import transpose
from symml.matrix_calculus.norm_forms import rescaled

__all__ = ["regularised_gram", "solved_at_scale"]


def _terms(inverse: sp.Inverse) -> list[tuple[Any, list]] | None:
    """The (coefficient, factors) of each term of the inverted sum; None when a coefficient holds a matrix."""
    terms = []
    for term in sp.MatAdd.make_args(inverse.arg):
        coefficient, factors = term.as_coeff_matrices() if isinstance(term, sp.MatMul) else (sp.S.One, [term])
        if any(isinstance(a, sp.MatrixExpr) for a in sp.sympify(coefficient).atoms(sp.MatrixExpr)):
            return None
        terms.append((coefficient, list(factors)))
    return terms


def regularised_gram(factor: Any) -> sp.MatrixSymbol | None:
    """A, when ``factor`` is the inverse of a sum of multiples of the identity and positive multiples of one Gram
    matrix AᵀA of a matrix symbol A; None otherwise."""
    if not isinstance(factor, sp.Inverse):
        return None
    terms = _terms(factor)
    if terms is None:
        return None
    grams = set()
    for coefficient, factors in terms:
        if len(factors) == 1 and isinstance(factors[0], Identity):
            continue
        if (len(factors) == 2 and isinstance(factors[1], sp.MatrixSymbol) and factors[0] == transpose(factors[1])
                and coefficient.is_positive):
            grams.add(factors[1])
            continue
        return None
    return grams.pop() if len(grams) == 1 else None


def solved_at_scale(coefficient: Any, matrices: list, A: sp.MatrixSymbol, unit: sp.Symbol,
                    B: sp.MatrixSymbol) -> tuple[Any, list]:
    """coefficient · matrices with A = B / u throughout (``unit`` u = 1/s, see the module): each regularised Gram
    inverse of A rewritten with s² taken out, each factor A, Aᵀ written through B. Exact."""
    written = []
    for factor in matrices:
        if regularised_gram(factor) != A:
            written.append(factor)
            continue
        inside = [c * B.T * B if not isinstance(f[0], Identity) else (c * unit**2) * f[0]
                  for c, f in _terms(factor) or ()]
        written.append(sp.Inverse(sp.MatAdd(*inside)))
        coefficient = coefficient * unit**2
    written, count = rescaled(written, A, B)
    return coefficient / unit**count, written
