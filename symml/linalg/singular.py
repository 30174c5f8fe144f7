"""The SVD through the eigendecomposition of AᵀA, its relation to PCA, norms, and orthogonal projections.

AᵀA is symmetric positive semi-definite: its orthonormal eigenvectors vᵢ are the right singular vectors, its
eigenvalues λᵢ ≥ 0 the squared singular values σᵢ = √λᵢ, and uᵢ = A vᵢ/σᵢ the left ones (for σᵢ > 0):
A = Σᵢ σᵢ uᵢ vᵢᵀ (the compact SVD). For centred data X (n × d) the principal directions are the vᵢ and the
variances along them σᵢ²/n (Bishop PRML 12.1; MML 10.2–10.4).

>>> import sympy as sp

>>> svd(sp.Matrix([[3, 0], [0, -2]])).result["Sigma"]
Matrix([
[3, 0],
[0, 2]])
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.calculus.labels import Label

from symml.derivation import Derivation, Step
from symml.errors import LinearAlgebraError, ParameterError
from symml.linalg.eigen import eigenpairs
from symml.linalg.problem import budgeted, as_matrix, finish, tidy

__all__ = ["svd", "norms", "projection"]


def _right_singular(A: sp.MatrixBase) -> tuple[list[Step], list[tuple[sp.Expr, sp.Matrix]]]:
    """Steps and (λ, v) of AᵀA, eigenvectors orthonormal, sorted by decreasing λ where the λ are numbers."""
    gram = tidy(A.T * A)
    steps, pairs = eigenpairs(gram)
    steps.insert(0, Step("Gram matrix", sp.Eq(Label("AᵀA"), gram, evaluate=False),
                         "symmetric positive semi-definite: real eigenvalues λᵢ ≥ 0, orthonormal eigenvectors"))
    found = [(root, tidy(q)) for root, _, basis in pairs for q in sp.GramSchmidt(basis, orthonormal=True)]
    if all(root.is_number for root, _ in found):
        found.sort(key=lambda pair: -float(sp.re(sp.N(pair[0]))))  # Cardano forms carry an I that cancels
    return steps, found


@budgeted("the SVD")
def svd(A: Any, rank: int | None = None) -> Derivation:
    """The compact SVD A = U Σ Vᵀ from the eigendecomposition of AᵀA; with ``rank=k``, also the best rank-k
    approximation Aₖ and its error ‖A − Aₖ‖_F² = Σ_{i>k} σᵢ² (Eckart–Young).

    Result: ``{"U": m × r, "Sigma": r × r diagonal (σ₁ ≥ σ₂ ≥ ...), "V": n × r}`` (r = rank of A), plus
    ``"A_k"`` and ``"error"`` when ``rank`` is given.
    """
    A = as_matrix(A, "SVD")
    steps, pairs = _right_singular(A)
    kept = [(lam, v) for lam, v in pairs if not lam.is_zero]
    if not kept:
        raise LinearAlgebraError("the zero matrix has no singular values to decompose")
    sigmas = [tidy(sp.sqrt(lam)) for lam, _ in kept]
    V = sp.Matrix.hstack(*(v for _, v in kept))
    U = sp.Matrix.hstack(*(tidy(A * v / s) for (_, v), s in zip(kept, sigmas)))
    Sigma = sp.diag(*sigmas)
    steps += [Step("Singular values", tuple(sp.Eq(Label(f"σ_{i + 1}"), s, evaluate=False)
                                            for i, s in enumerate(sigmas)),
                   "σᵢ = √λᵢ for the non-zero eigenvalues of AᵀA; the zero ones belong to the null space of A"),
              Step("Left singular vectors", sp.Eq(Label("U"), U, evaluate=False),
                   "uᵢ = A vᵢ/σᵢ: orthonormal, since uᵢᵀuⱼ = vᵢᵀAᵀA vⱼ/(σᵢσⱼ) = δᵢⱼ"),
              Step("SVD", sp.Eq(Label("A"), sp.MatMul(U, Sigma, V.T, evaluate=False), evaluate=False),
                   "A = UΣVᵀ = Σᵢ σᵢ uᵢ vᵢᵀ")]
    result: dict[str, Any] = {"U": U, "Sigma": Sigma, "V": V}
    if rank is not None:
        if not isinstance(rank, int) or not 0 <= rank <= len(sigmas):
            raise ParameterError(f"rank must be an integer from 0 to the rank {len(sigmas)} of A, not {rank!r}")
        A_k = tidy(U[:, :rank] * Sigma[:rank, :rank] * V[:, :rank].T)
        residual = A - A_k
        error = tidy(sum(entry**2 for entry in residual))
        steps += [Step(f"Best rank-{rank} approximation", sp.Eq(Label(f"A_{rank}"), A_k, evaluate=False),
                       f"keep the {rank} largest singular values (Eckart–Young)"),
                  Step("Reconstruction error", sp.Eq(Label(f"‖A − A_{rank}‖_F²"), error, evaluate=False),
                       "the sum of the squared singular values left out")]
        result.update({"A_k": A_k, "error": error})
    remarks = ["PCA: if A is a centred data matrix (n rows of observations minus their mean), the columns of V are "
               "the principal directions, the variances along them are σᵢ²/n, and the principal component scores "
               "are AV = UΣ."]
    return finish("svd", A, steps, result, [sp.Eq(Label("Σ"), Sigma, evaluate=False)],
                  what="Singular value decomposition via AᵀA", remarks=remarks, rank=rank)


@budgeted("the norms")
def norms(A: Any) -> Derivation:
    """Frobenius norm (entrywise, and as √Σσᵢ²) and the induced 2-norm (the largest singular value).

    >>> norms(sp.Matrix([[3, 0], [0, 4]])).result["two"]
    4
    """
    A = as_matrix(A, "norms")
    steps, pairs = _right_singular(A)
    frobenius = tidy(sp.sqrt(sum(a**2 for a in A)))
    via_singular = tidy(sp.sqrt(sum(lam for lam, _ in pairs)))
    two = tidy(sp.Max(*(sp.sqrt(lam) for lam, _ in pairs)))
    steps += [Step("Frobenius norm", (sp.Eq(Label("‖A‖_F"), frobenius, evaluate=False),
                                      sp.Eq(Label("‖A‖_F"), via_singular, evaluate=False)),
                   "√(Σᵢⱼ aᵢⱼ²) = √tr(AᵀA) = √(Σᵢ σᵢ²)"),
              Step("Induced 2-norm", sp.Eq(Label("‖A‖₂"), two, evaluate=False),
                   "max ‖Ax‖/‖x‖ = √λ_max(AᵀA) = σ₁, the largest singular value")]
    return finish("norms", A, steps, {"frobenius": frobenius, "two": two},
                  [sp.Eq(Label("‖A‖_F"), frobenius, evaluate=False), sp.Eq(Label("‖A‖₂"), two, evaluate=False)],
                  what="Norms")


@budgeted("the projection")
def projection(B: Any) -> Derivation:
    """The orthogonal projection P = B(BᵀB)⁻¹Bᵀ onto the column space of B (independent columns), shown
    symmetric (Pᵀ = P) and idempotent (P² = P) by simplifying Pᵀ − P and P² − P to 0.

    >>> projection(sp.Matrix([[1], [1]])).result["P"]
    Matrix([
    [1/2, 1/2],
    [1/2, 1/2]])
    """
    B = as_matrix(B, "projection")
    gram = tidy(B.T * B)
    if tidy(gram.det()).is_zero:
        raise LinearAlgebraError("the columns of B are linearly dependent (BᵀB is singular): drop dependent columns")
    gram_inv = tidy(gram.inv())
    P = tidy(B * gram_inv * B.T)
    symmetric, idempotent = tidy(P.T - P), tidy(P * P - P)
    zero = sp.zeros(*P.shape)
    if symmetric != zero or idempotent != zero:
        raise LinearAlgebraError("Pᵀ − P and P² − P did not simplify to 0 within the budget")
    steps = [Step("Gram matrix", sp.Eq(Label("BᵀB"), gram, evaluate=False), "invertible for independent columns"),
             Step("Its inverse", sp.Eq(Label("(BᵀB)⁻¹"), gram_inv, evaluate=False), ""),
             Step("Projection matrix", sp.Eq(Label("P"), P, evaluate=False),
                  "P = B(BᵀB)⁻¹Bᵀ: Px is the point of the column space nearest x (normal equations)"),
             Step("Symmetric", sp.Eq(Label("Pᵀ − P"), symmetric, evaluate=False), "((BᵀB)⁻¹)ᵀ = (BᵀB)⁻¹"),
             Step("Idempotent", sp.Eq(Label("P² − P"), idempotent, evaluate=False),
                  "P² = B(BᵀB)⁻¹(BᵀB)(BᵀB)⁻¹Bᵀ = P: projecting twice changes nothing"),
             Step("Reconstruction error", sp.Eq(Label("‖x − Px‖²"), Label("xᵀ(I − P)x"), evaluate=False),
                  "I − P is the projection onto the orthogonal complement, also symmetric and idempotent")]
    return finish("projection", B, steps, {"P": P}, [sp.Eq(Label("P"), P, evaluate=False)],
                  what="Orthogonal projection onto the columns")
