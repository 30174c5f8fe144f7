"""Unknowns the Lagrangian is affine in, recovered from complementary slackness (the SVM's bias b).

Minimising L over an unknown it is affine in (b, ξ) gives a dual constraint, not the unknown's value. The KKT
conditions give it back (Boyd & Vandenberghe 5.5.2-5.5.3): complementary slackness μ_k ⊙ g_k(x) = 0 says that
at an entry i where every inequality's multiplier is positive, every inequality is active, g_k(x)_i = 0. Those
equations, written entrywise at matrix level (e_iᵀ(A + B) = e_iᵀA + e_iᵀB, e_iᵀdiag(y) = y_i e_iᵀ, e_iᵀ𝟏 = 1),
are solved for the scalar affine unknowns and the i-th entries of the vector ones. For the soft-margin SVM, at a
margin support vector (0 < α_i < C, so α_i > 0 and β_i = C − α_i > 0): ξ_i = 0 and y_i(b + (Xw)_i) = 1, so
b = 1/y_i − (Xw)_i (= y_i − wᵀx_i for labels ±1; Bishop PRML 7.37). ``numpy()`` averages the formula over every
such entry, which is the numerically robust choice (PRML 7.37 again), and gives NaN when there is none (every
multiplier at a bound: the active inequalities then bound b without fixing it).

>>> import symml
>>> n, d = symml.dims("n d")
>>> X, w, y, xi = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n), symml.vector("xi", n)
>>> entry = entrywise(sp.OneMatrix(n, 1) - xi - symml.diag(y) @ (X @ w), sp.Symbol("i"), {})
>>> entry
-(Xw)[i]*y[i] - xi[i] + 1
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions import DiagMatrix

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError
from symml.render.printer import latex

__all__ = ["SlacknessRecovery", "recover_by_slackness", "entrywise"]


@dataclass(frozen=True)
class SlacknessRecovery:
    """Affine unknowns fixed by complementary slackness at the entries where every multiplier is positive.

    Attributes:
        index: the entry index i.
        positive: the multipliers' i-th entries, each required > 0 (α_i, C − α_i).
        values: each scalar affine unknown as a function of i-th entries (b = 1/y_i − (Xw)_i).
        entries: each i-th entry placeholder (an Indexed) and the column vector it is an entry of, for numpy().
    """

    index: sp.Symbol
    positive: tuple
    values: dict
    entries: dict


def entrywise(expr: Any, i: sp.Symbol, entries: dict) -> sp.Expr:
    """The i-th entry of a column-vector expression, by the rules e_iᵀ(A + B) = e_iᵀA + e_iᵀB, e_iᵀ(cA) = c e_iᵀA,
    e_iᵀdiag(v)A = v_i e_iᵀA, e_iᵀ𝟏 = 1, e_iᵀ0 = 0; any other product's entry is kept whole as (AB)_i. Each entry
    is an ``Indexed`` recorded in ``entries`` with the vector it comes from. A scalar is the same in every entry."""
    from symml.matrix_calculus.expressions import is_matrix

    if not is_matrix(expr):
        return expr
    if isinstance(expr, sp.MatAdd):
        return sp.Add(*(entrywise(term, i, entries) for term in expr.args))
    if isinstance(expr, sp.OneMatrix):
        return sp.S.One
    if isinstance(expr, sp.ZeroMatrix):
        return sp.S.Zero
    if isinstance(expr, sp.MatMul):
        coefficient, factors = expr.as_coeff_matrices()
        rest = factors[1:]
        if isinstance(factors[0], DiagMatrix) and rest:
            tail = rest[0] if len(rest) == 1 else sp.MatMul(*rest)
            return coefficient * entrywise(factors[0].args[0], i, entries) * entrywise(tail, i, entries)
        if len(factors) == 1:
            return coefficient * entrywise(factors[0], i, entries)
        return coefficient * _entry(sp.MatMul(*factors), i, entries)
    return _entry(expr, i, entries)


def _entry(vector: Any, i: sp.Symbol, entries: dict) -> sp.Indexed:
    name = vector.name if isinstance(vector, sp.MatrixSymbol) else f"({latex(vector).replace(' ', '')})"
    placeholder = sp.IndexedBase(sp.Symbol(name))[i]
    entries[placeholder] = vector
    return placeholder


def recover_by_slackness(inequalities: list, multipliers: list, affine: list) -> tuple[SlacknessRecovery, Step] | None:
    """The scalar unknowns among ``affine`` from complementary slackness, with its step; None when there are none
    or the active inequalities do not fix them.

    Args:
        inequalities: the primal constraints g_k <= 0, as expressions g_k (column vectors or scalars).
        multipliers: each inequality's multiplier, as it stands in the dual (a symbol, or its elimination C𝟏 − α).
        affine: the primal unknowns L is affine in (scalars and column vectors).
    """
    scalars = [u for u in affine if isinstance(u, sp.Symbol)]
    if not scalars or not inequalities:
        return None
    i = sp.Symbol("i", integer=True, positive=True)
    entries: dict = {}
    active = [entrywise(g, i, entries) for g in inequalities]
    positive = tuple(entrywise(m, i, entries) for m in multipliers)
    vectors = [p for p, v in list(entries.items()) if v in affine]
    unknowns = [*scalars, *vectors]
    try:
        solutions = within(SOLVE_SECONDS, "complementary slackness", sp.solve, active, unknowns, dict=True)
    except BudgetExceededError:
        return None
    if len(solutions) != 1 or not all(u in solutions[0] for u in scalars):
        return None
    solution = solutions[0]
    values = {u: solution[u] for u in scalars}
    if any(v.has(*unknowns) for v in values.values()):
        return None
    used = {p: v for p, v in entries.items() if any(p in e.atoms(sp.Indexed) for e in (*values.values(), *positive))}
    recovery = SlacknessRecovery(i, positive, values, used)
    shown = ", ".join(f"${latex(u)}$" for u in scalars)
    where = " and ".join(f"${latex(sp.Gt(p, 0))}$" for p in positive)
    step = Step(f"Complementary slackness fixes {shown}",
                (*(sp.Eq(g, 0, evaluate=False) for g in active),
                 *(sp.Eq(u, solution[u], evaluate=False) for u in unknowns)),
                f"L is affine in {shown}, so minimising it out gave a constraint, not a value; the KKT conditions "
                "give the value back: complementary slackness μ ⊙ g = 0 makes every inequality active at an entry i "
                f"where every multiplier is positive ({where}), and these equations solve for {shown}; numpy() "
                "averages over all such i (NaN if there is none: every multiplier at a bound fixes no value)")
    return recovery, step
