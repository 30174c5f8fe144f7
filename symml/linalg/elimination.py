"""LU by Gaussian elimination (multipliers shown), QR by Gram–Schmidt, determinant and inverse by cofactors.

>>> import sympy as sp

>>> lu(sp.Matrix([[2, 1], [4, 5]])).result["L"]
Matrix([
[1, 0],
[2, 1]])
>>> qr(sp.Matrix([[3, 1], [4, 2]])).result["R"]
Matrix([
[5, 11/5],
[0,  2/5]])
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.calculus.labels import Label

from symml.derivation import Derivation, Step
from symml.errors import LinearAlgebraError
from symml.linalg.problem import budgeted, as_matrix, finish, tidy

__all__ = ["lu", "qr", "determinant", "inverse"]


@budgeted("the LU factorisation")
def lu(A: Any) -> Derivation:
    """PA = LU by Gaussian elimination: each column's multipliers lᵢₖ = uᵢₖ/uₖₖ shown, rows swapped only where a
    pivot is exactly 0 (P records the swaps). Symbolic pivots are assumed non-zero (stated)."""
    A = as_matrix(A, "LU factorisation", square=True)
    n = A.rows
    U, L, P = sp.Matrix(A), sp.eye(n), sp.eye(n)
    steps: list[Step] = [Step("Matrix", sp.Eq(Label("A"), A, evaluate=False), "eliminate below each pivot")]
    symbolic_pivots = []
    for k in range(n - 1):
        if U[k, k].is_zero:
            below = [i for i in range(k + 1, n) if not U[i, k].is_zero]
            if not below:
                continue  # nothing to eliminate in this column (a singular matrix)
            i = below[0]
            U.row_swap(k, i), P.row_swap(k, i)
            L[k, :k], L[i, :k] = L[i, :k], L[k, :k]
            steps.append(Step(f"Swap rows {k + 1} and {i + 1}", sp.Eq(Label("U"), U, evaluate=False),
                              "the pivot is 0: exchange with a row below whose entry is not (recorded in P)"))
        if U[k, k].free_symbols:
            symbolic_pivots.append(U[k, k])
        multipliers = []
        for i in range(k + 1, n):
            m = tidy(U[i, k] / U[k, k])
            L[i, k] = m
            U[i, :] = (U[i, :] - m * U[k, :]).applyfunc(tidy)
            multipliers.append(sp.Eq(Label(f"l_{i + 1}{k + 1}"), m, evaluate=False))
        steps.append(Step(f"Eliminate column {k + 1}", (*multipliers, sp.Eq(Label("U"), sp.Matrix(U),
                                                                              evaluate=False)),
                          f"row i ← row i − lᵢ{k + 1} · row {k + 1}, lᵢ{k + 1} = uᵢ{k + 1}/u{k + 1}{k + 1}"))
    L, U, P = sp.Matrix(L), sp.Matrix(U), sp.Matrix(P)
    steps.append(Step("Factors", sp.Eq(sp.MatMul(P, A, evaluate=False), sp.MatMul(L, U, evaluate=False),
                                       evaluate=False), "L holds the multipliers below a unit diagonal"))
    assumptions = [f"the pivots {', '.join(sp.sstr(p) for p in symbolic_pivots)} are non-zero"] if symbolic_pivots \
        else []
    return finish("lu", A, steps, {"P": P, "L": L, "U": U},
                  [sp.Eq(Label("L"), L, evaluate=False), sp.Eq(Label("U"), U, evaluate=False)],
                  what="LU factorisation", assumptions=assumptions)


@budgeted("the QR factorisation")
def qr(A: Any) -> Derivation:
    """A = QR by Gram–Schmidt on the columns of A (m ≥ n, independent columns): uⱼ = aⱼ − Σᵢ (qᵢᵀaⱼ) qᵢ
    (orthogonalisation), qⱼ = uⱼ/‖uⱼ‖ (normalisation), R = QᵀA upper triangular."""
    A = as_matrix(A, "QR factorisation")
    columns = [A[:, j] for j in range(A.cols)]
    qs: list[sp.Matrix] = []
    steps: list[Step] = []
    for j, a in enumerate(columns):
        u = tidy(a - sum((((q.T * a)[0, 0]) * q for q in qs), sp.zeros(A.rows, 1)))
        if u == sp.zeros(A.rows, 1):
            raise LinearAlgebraError(f"the columns of the matrix are linearly dependent: Gram–Schmidt leaves a zero "
                                     f"vector at column {j + 1}, so A has no QR with invertible R")
        norm = tidy(sp.sqrt((u.T * u)[0, 0]))
        q = tidy(u / norm)
        steps.append(Step(f"Orthogonalise column {j + 1}", sp.Eq(Label(f"u_{j + 1}"), u, evaluate=False),
                          "subtract the projections onto the earlier qᵢ" if qs else "the first column as it is"))
        steps.append(Step(f"Normalise column {j + 1}", (sp.Eq(Label(f"‖u_{j + 1}‖"), norm, evaluate=False),
                                                        sp.Eq(Label(f"q_{j + 1}"), q, evaluate=False)),
                          "unit length"))
        qs.append(q)
    Q = sp.Matrix.hstack(*qs)
    R = tidy(Q.T * A)
    steps.append(Step("R = QᵀA", sp.Eq(Label("R"), R, evaluate=False),
                      "rᵢⱼ = qᵢᵀaⱼ, zero below the diagonal since aⱼ lies in the span of q₁..qⱼ"))
    return finish("qr", A, steps, {"Q": Q, "R": R}, [sp.Eq(Label("Q"), Q, evaluate=False),
                                                     sp.Eq(Label("R"), R, evaluate=False)],
                  what="QR factorisation (Gram–Schmidt)")


def _cofactor_matrix(A: sp.MatrixBase) -> sp.Matrix:
    return sp.Matrix(A.rows, A.cols, lambda i, j: (-1) ** (i + j) * _det(A.minor_submatrix(i, j)))


def _det(A: sp.MatrixBase) -> sp.Expr:
    """Laplace expansion along the first row, recursively."""
    if A.rows == 1:
        return A[0, 0]
    return sp.expand(sum(((-1) ** j * A[0, j] * _det(A.minor_submatrix(0, j)) for j in range(A.cols)), sp.S.Zero))


@budgeted("the determinant")
def determinant(A: Any) -> Derivation:
    """det A by cofactor (Laplace) expansion along the first row: det A = Σⱼ (−1)^(1+j) a₁ⱼ M₁ⱼ.

    >>> a, b, c, d = sp.symbols("a b c d")
    >>> determinant(sp.Matrix([[a, b], [c, d]])).result["det"]
    a*d - b*c
    """
    A = as_matrix(A, "determinant", square=True)
    minors = [_det(A.minor_submatrix(0, j)) if A.rows > 1 else sp.S.One for j in range(A.cols)]
    expansion = sp.Add(*((-1) ** j * A[0, j] * Label(f"M_1{j + 1}") for j in range(A.cols)), evaluate=False)
    value = tidy(_det(A))
    steps = [Step("Minors of the first row", tuple(sp.Eq(Label(f"M_1{j + 1}"), m, evaluate=False)
                                                   for j, m in enumerate(minors)),
                  "M₁ⱼ is the determinant of A without row 1 and column j (expanded the same way)"),
             Step("Cofactor expansion", (sp.Eq(Label("det A"), expansion, evaluate=False),
                                         sp.Eq(Label("det A"), value, evaluate=False)),
                  "det A = Σⱼ (−1)^(1+j) a₁ⱼ M₁ⱼ")]
    return finish("determinant", A, steps, {"det": value}, [sp.Eq(Label("det A"), value, evaluate=False)],
                  what="Determinant by cofactors")


@budgeted("the inverse")
def inverse(A: Any) -> Derivation:
    """A⁻¹ = adj(A)/det A, the adjugate being the transposed matrix of cofactors Cᵢⱼ = (−1)^(i+j) Mᵢⱼ."""
    A = as_matrix(A, "inverse", square=True)
    det = tidy(_det(A))
    if det.is_zero:
        raise LinearAlgebraError("the matrix is singular (det A = 0): it has no inverse")
    C = tidy(_cofactor_matrix(A)) if A.rows > 1 else sp.Matrix([[1]])
    inv = tidy(C.T / det)
    steps = [Step("Determinant", sp.Eq(Label("det A"), det, evaluate=False), "by cofactor expansion"),
             Step("Cofactors", sp.Eq(Label("C"), C, evaluate=False), "Cᵢⱼ = (−1)^(i+j) Mᵢⱼ"),
             Step("Inverse", sp.Eq(Label("A⁻¹"), inv, evaluate=False), "A⁻¹ = Cᵀ/det A (the adjugate over det)")]
    assumptions = [f"det A = {sp.sstr(det)} ≠ 0"] if det.free_symbols else []
    return finish("inverse", A, steps, {"inverse": inv, "det": det},
                  [sp.Eq(Label("A⁻¹"), inv, evaluate=False)], what="Inverse by cofactors", assumptions=assumptions)
