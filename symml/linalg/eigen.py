"""Eigenvalues and eigenvectors with their steps; diagonalisation; the spectral decomposition of a symmetric matrix.

The characteristic polynomial p(λ) = det(λI − A) is formed and its roots found in closed form (quadratic,
cubic and quartic formulas; any degree where it factors); each eigenvector basis is the null space of A − λI,
found by elimination. A polynomial of degree 5 or more without such roots has no closed form (Abel–Ruffini):
:class:`~symml.errors.NoClosedFormError` says so and carries ``numpy.linalg.eigvals`` of the matrix.

>>> import sympy as sp

>>> a, b = sp.symbols("a b", real=True)
>>> eigen(sp.Matrix([[a, b], [b, a]])).result["lambda"].T
Matrix([[a - b, a + b]])
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symml.calculus.labels import Label

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, LinearAlgebraError, NoClosedFormError
from symml.linalg.problem import budgeted, as_matrix, finish, tidy
from symml.render.printer import latex

__all__ = ["eigen", "diagonalize", "spectral_decomposition", "eigenpairs"]

LAMBDA = Label("lambda")


def _characteristic(A: sp.MatrixBase) -> tuple[sp.Expr, Step]:
    n = A.rows
    polynomial = sp.factor(within(SOLVE_SECONDS, "the characteristic polynomial",
                                  lambda: (LAMBDA * sp.eye(n) - A).det(method="berkowitz")))
    step = Step("Characteristic polynomial",
                sp.Eq(Label("p(λ)"), polynomial, evaluate=False),
                "p(λ) = det(λI − A); the eigenvalues are its roots")
    return polynomial, step


def _viete(cubic: sp.Poly) -> list[sp.Expr] | None:
    """The three real roots of an irreducible rational cubic with positive discriminant, in Viète's trigonometric
    form λ = −b/3a + 2√(−p/3) cos(⅓ arccos((3q/2p)√(−3/p)) − 2πk/3), or None for any other cubic. Cardano's
    formula writes these real roots through complex cube roots (casus irreducibilis), which no simplification
    makes real and whose eigenvectors cost seconds."""
    if cubic.degree() != 3 or not cubic.is_irreducible or cubic.discriminant() <= 0 or \
            not all(c.is_Rational for c in cubic.all_coeffs()):
        return None
    a, b, c, d = cubic.all_coeffs()
    p = (3 * a * c - b**2) / (3 * a**2)
    q = (2 * b**3 - 9 * a * b * c + 27 * a**2 * d) / (27 * a**3)
    angle = sp.acos(3 * q / (2 * p) * sp.sqrt(-3 / p)) / 3
    return [-b / (3 * a) + 2 * sp.sqrt(-p / 3) * sp.cos(angle - 2 * sp.pi * k / 3) for k in range(3)]


def _closed_form_roots(polynomial: sp.Expr) -> dict[sp.Expr, int]:
    """Roots with multiplicities: each rational irreducible factor of p(λ) solved on its own, real cubic roots in
    trigonometric form, the others by SymPy's formulas."""
    found: dict[sp.Expr, int] = {}
    poly = sp.Poly(polynomial, LAMBDA)
    factors = poly.factor_list()[1] if poly.free_symbols == {LAMBDA} else [(poly, 1)]
    for factor, multiplicity in factors:
        for root, inner in ({r: 1 for r in _viete(factor) or []} or sp.roots(factor)).items():
            found[root] = found.get(root, 0) + inner * multiplicity
    return found


def _roots(A: sp.MatrixBase, polynomial: sp.Expr) -> dict[sp.Expr, int]:
    try:
        found = within(SOLVE_SECONDS, "the roots of the characteristic polynomial", _closed_form_roots, polynomial)
    except BudgetExceededError:
        found = {}
    if sum(found.values()) < A.rows:
        numeric = np.linalg.eigvals(np.array(A.evalf(), dtype=float)) if not A.free_symbols else None
        offer = f"; numerically the eigenvalues are {np.round(numeric, 10).tolist()}" if numeric is not None else ""
        raise NoClosedFormError(
            f"the characteristic polynomial {sp.sstr(polynomial)} of degree {A.rows} has no roots in closed form "
            f"(Abel–Ruffini: no formula in radicals exists for general degree 5 and more){offer}", numeric)
    tidied = {tidy(root): multiplicity for root, multiplicity in found.items()}
    if all(root.is_real and root.is_number for root in tidied):  # ascending, as numpy.linalg.eigvalsh
        return dict(sorted(tidied.items(), key=lambda item: float(item[0])))
    return tidied


def _simple_eigenvector(M: sp.MatrixBase) -> sp.Matrix | None:
    """For a simple eigenvalue, M = A − λI has rank n − 1 and any non-zero column of adj(M) spans its null
    space: vⱼ = (−1)^(i+j) det(M without row i and column j). Elimination on radicals (the cubic formula)
    would have to decide whether each pivot is 0; cofactors need no such decision."""
    n = M.rows
    if n == 1:
        return sp.Matrix([[1]])
    for i in range(n):
        v = sp.Matrix([(-1) ** (i + j) * M.minor_submatrix(i, j).det(method="berkowitz") for j in range(n)])
        if any(abs(complex(sp.N(c, 20))) > 1e-12 for c in v):
            if all(c.is_Rational for c in v):  # a cofactor column carries a common factor: (12, 12, 12) is (1, 1, 1)
                leading = next(c for c in v if c != 0)
                return v / (sp.gcd_list(list(v)) * sp.sign(leading))
            return v.applyfunc(sp.expand)  # simplify on cubic-formula radicals costs seconds and gains little
    return None


def eigenpairs(A: sp.MatrixBase) -> tuple[list[Step], list[tuple[sp.Expr, int, list[sp.Matrix]]]]:
    """The steps, and (eigenvalue, algebraic multiplicity, eigenvector basis) for each distinct eigenvalue."""
    polynomial, first = _characteristic(A)
    roots = _roots(A, polynomial)
    steps = [first, Step("Eigenvalues", tuple(sp.Eq(Label(f"λ_{k + 1}"), r, evaluate=False)
                                              for k, r in enumerate(roots)),
                         "the roots of p(λ), with algebraic multiplicities " + ", ".join(map(str, roots.values())))]
    pairs = []
    for root, multiplicity in roots.items():
        shifted = tidy(A - root * sp.eye(A.rows))
        simple = _simple_eigenvector(shifted) if multiplicity == 1 and not A.free_symbols else None
        basis = [simple] if simple is not None else \
            within(SOLVE_SECONDS, "an eigenspace", shifted.nullspace, simplify=True)
        if not basis:
            raise LinearAlgebraError(f"A − λI for λ = {root} did not simplify to a singular matrix; no eigenvector "
                                     "was found in closed form")
        basis = [tidy(v) for v in basis]
        steps.append(Step(f"Eigenvectors for λ = {sp.sstr(root)}",
                          (sp.Eq(sp.MatMul(shifted, Label("v"), evaluate=False), sp.zeros(A.rows, 1),
                                 evaluate=False), *basis),
                          f"a basis of the null space of A − λI, by elimination (geometric multiplicity "
                          f"{len(basis)})"))
        pairs.append((root, multiplicity, basis))
    return steps, pairs


@budgeted("the eigen-decomposition")
def eigen(A: Any) -> Derivation:
    """Eigenvalues and eigenvectors of a square matrix, from its characteristic polynomial.

    Result: ``{"eigenvalues": roots with multiplicity (column), "lambda": the eigenvalue of each eigenvector
    (column), "V": the eigenvectors as columns}``; A V = V diag(lambda).
    """
    A = as_matrix(A, "eigen-decomposition", square=True)
    steps, pairs = eigenpairs(A)
    values = [root for root, multiplicity, _ in pairs for _ in range(multiplicity)]
    lambdas = [root for root, _, basis in pairs for _ in basis]
    V = sp.Matrix.hstack(*[v for _, _, basis in pairs for v in basis])
    result = {"eigenvalues": sp.Matrix(values), "lambda": sp.Matrix(lambdas), "V": V}
    summary = [sp.Eq(Label("Λ"), sp.diag(*lambdas), evaluate=False), sp.Eq(Label("V"), V, evaluate=False)]
    assumptions = ["symbolic entries are generic: expressions divided by in the elimination are non-zero"] \
        if A.free_symbols else []
    return finish("eigen", A, steps, result, summary, what="Eigenvalues and eigenvectors", assumptions=assumptions)


@budgeted("the diagonalisation")
def diagonalize(A: Any) -> Derivation:
    """A = P D P⁻¹ with the eigenvectors as the columns of P; refused (LinearAlgebraError) for a defective A."""
    A = as_matrix(A, "diagonalisation", square=True)
    steps, pairs = eigenpairs(A)
    for root, multiplicity, basis in pairs:
        if len(basis) < multiplicity:
            raise LinearAlgebraError(
                f"the matrix is not diagonalisable: λ = {root} has algebraic multiplicity {multiplicity} but only "
                f"{len(basis)} independent eigenvector(s) (a Jordan block)")
    P = sp.Matrix.hstack(*[v for _, _, basis in pairs for v in basis])
    D = sp.diag(*[root for root, _, basis in pairs for _ in basis])
    steps.append(Step("Diagonalisation", sp.Eq(Label("A"), sp.MatMul(P, D, sp.Inverse(P), evaluate=False),
                                               evaluate=False),
                      "n independent eigenvectors as the columns of P: AP = PD, so A = PDP⁻¹"))
    return finish("diagonalize", A, steps, {"P": P, "D": D}, [sp.Eq(Label("P"), P, evaluate=False),
                                                              sp.Eq(Label("D"), D, evaluate=False)],
                  what="Diagonalisation")


def _orthonormal(basis: list[sp.Matrix]) -> list[sp.Matrix]:
    return [tidy(q) for q in sp.GramSchmidt(basis, orthonormal=True)]


@budgeted("the spectral decomposition")
def spectral_decomposition(A: Any) -> Derivation:
    """A = Q Λ Qᵀ = Σᵢ λᵢ qᵢ qᵢᵀ for a symmetric A: orthonormal eigenvectors (Gram–Schmidt within each eigenspace).

    >>> spectral_decomposition(sp.Matrix([[2, 1], [1, 2]])).result["Lambda"]
    Matrix([
    [1, 0],
    [0, 3]])
    """
    A = as_matrix(A, "spectral decomposition", square=True)
    if tidy(A - A.T) != sp.zeros(*A.shape):
        raise LinearAlgebraError("the spectral decomposition needs a symmetric matrix (A = Aᵀ); use diagonalize")
    steps, pairs = eigenpairs(A)
    columns, lambdas = [], []
    for root, _, basis in pairs:
        orthonormal = _orthonormal(basis)
        steps.append(Step(f"Orthonormal eigenvectors for λ = {sp.sstr(root)}", tuple(orthonormal),
                          "Gram–Schmidt within the eigenspace, then unit length; eigenvectors of different "
                          "eigenvalues of a symmetric matrix are already orthogonal"))
        columns += orthonormal
        lambdas += [root] * len(orthonormal)
    Q, Lambda = sp.Matrix.hstack(*columns), sp.diag(*lambdas)
    terms = sp.MatAdd(*(sp.MatMul(lam, q, q.T, evaluate=False) for lam, q in zip(lambdas, columns)),
                      evaluate=False)
    steps.append(Step("Spectral decomposition", (sp.Eq(Label("A"), sp.MatMul(Q, Lambda, Q.T, evaluate=False),
                                                       evaluate=False), sp.Eq(Label("A"), terms, evaluate=False)),
                      "A = QΛQᵀ with Q orthogonal (QᵀQ = I): a sum of rank-one projections weighted by eigenvalues"))
    return finish("spectral", A, steps, {"Q": Q, "Lambda": Lambda},
                  [sp.Eq(Label("Q"), Q, evaluate=False), sp.Eq(Label("Λ"), Lambda, evaluate=False)],
                  what="Spectral decomposition", assumptions=["A is symmetric"])
