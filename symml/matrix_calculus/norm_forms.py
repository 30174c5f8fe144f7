"""Norms inside expressions: ‖A‖² = AᵀA or tr(AᵀA), and Mahalanobis distances² AᵀMA, recognised as quadratic
forms c·AᵀMA (traced when A is a matrix), so that a power of one can be computed through the norm itself.

Why: at entries of 1e-200 the squared norm underflows to 0 (1e-400 is below the smallest double), and a gradient
A/‖A‖ becomes 0/0; computed as s·‖A/s‖ with s the largest |entry| the norm is finite and so is A/‖A‖.

>>> import symml
>>> x, mu = symml.vector("x", 3), symml.vector("mu", 3)
>>> quadratic_form(symml.sq_norm(x)).A
x
>>> quadratic_form((x - mu).T @ symml.inv(symml.matrix("S", 3, 3)) @ (x - mu)).middle
(S**(-1),)
"""
from __future__ import annotations

from typing import Any, NamedTuple

import sympy as sp

from symml.matrix_calculus.algebra import Scalar, transpose
from symml.matrix_calculus.expressions import Tr
from symml.matrix_calculus.operators import Vec

__all__ = ["QuadraticForm", "carriers", "norm_power", "quadratic_form", "rescaled", "rescaled_term"]


class QuadraticForm(NamedTuple):
    """c·AᵀMA (``middle`` the factors of M, none for the identity), inside a trace when ``traced``."""

    coefficient: Any
    A: Any
    middle: tuple
    traced: bool


def quadratic_form(expr: Any) -> QuadraticForm | None:
    """The quadratic form c·Aᵀ M A (c > 0) that ``expr`` is, as a 1 x 1 matrix, a :class:`Scalar` of one, or a
    trace tr(c·Aᵀ M A); None for anything else."""
    traced = isinstance(expr, (Tr, sp.Trace))
    inner = expr.arg if traced else expr.matrix if isinstance(expr, Scalar) else expr
    if not isinstance(inner, sp.MatMul) or (not traced and tuple(inner.shape) != (1, 1)):
        return None
    coefficient, matrices = inner.as_coeff_matrices()
    if len(matrices) < 2 or not coefficient.is_positive or matrices[0] != transpose(matrices[-1]):
        return None
    return QuadraticForm(coefficient, matrices[-1], tuple(matrices[1:-1]), traced)


def carriers(A: Any, B: Any = None) -> dict:
    """The factors a product can hold A as (A, Aᵀ, vec A, (vec A)ᵀ), each mapped to the same of B."""
    B = A if B is None else B
    return {A: B, transpose(A): transpose(B), Vec(A): Vec(B), transpose(Vec(A)): transpose(Vec(B))}


def rescaled(matrices: list, A: Any, B: Any) -> tuple[list, int]:
    """The factors with A (Aᵀ, vec A, (vec A)ᵀ) replaced by B (its transpose, ...), and how many were."""
    swaps = carriers(A, B)
    return [swaps.get(m, m) for m in matrices], sum(m in swaps for m in matrices)


def norm_power(factor: Any) -> sp.Expr | None:
    """A 1 x 1 factor (AᵀMA)^e or ((AᵀMA)^e)^p (x/‖x‖ differentiates to x ‖x‖⁻² xᵀ) as the scalar Scalar(AᵀMA)^(ep),
    or None."""
    exponent = sp.S.One
    if isinstance(factor, sp.MatPow) and isinstance(factor.base, sp.HadamardPower):
        factor, exponent = factor.base, factor.exp
    if not isinstance(factor, sp.HadamardPower) or quadratic_form(factor.base) is None:
        return None
    return Scalar(factor.base) ** (factor.exp * exponent)


def rescaled_term(coefficient: sp.Expr, matrices: list, form: QuadraticForm, B: Any, scale: sp.Symbol,
                  unit: sp.Symbol) -> tuple[sp.Expr, list]:
    """c · factors with A = s B throughout: each power q^p of the form q = c'AᵀMA becomes s^(2p) ‖B‖^(2p) (``unit``
    holding ‖B‖), each other scalar uᵀA v of the coefficient s uᵀB v, each factor A (Aᵀ, vec A) B times s, the
    powers of s gathered into one. Exact; at tiny A no part overflows where the whole is finite."""
    replacements = {}
    for power in coefficient.atoms(sp.Pow):
        if not power.exp.is_integer and quadratic_form(power.base) == form:
            replacements[power] = scale ** (2 * power.exp) * unit ** (2 * power.exp)
    coefficient = coefficient.xreplace(replacements)
    replacements = {}
    for atom in coefficient.atoms(Scalar):
        if isinstance(atom.matrix, sp.MatMul):
            c, factors = atom.matrix.as_coeff_matrices()
            swapped, count = rescaled(list(factors), form.A, B)
            if count:
                replacements[atom] = scale ** count * Scalar(sp.MatMul(c, *swapped))
    matrices, count = rescaled(matrices, form.A, B)
    return coefficient.xreplace(replacements) * scale ** count, matrices
