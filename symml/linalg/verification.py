"""numpy() and verify() for linear-algebra derivations: each result checked against numpy.linalg on the same
matrix (symbolic entries drawn at random): eigenpairs by A v = λ v and the spectrum by ``eigvals``,
factorisations by reconstruction and structure (triangular, orthonormal), singular values by ``svd``,
projections by ``B pinv(B)``, determinants and inverses by ``det`` and ``inv``, norms by ``norm``."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from symml.derivation import Comparison, Derivation, Verification
from symml.linalg.problem import LinalgProblem, numeric_result
from symml.operations import numpy_function, verify

__all__: list[str] = []


def _gap(a: Any, b: Any, scale: float = 1.0) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / max(scale, 1e-300)) if a.size else 0.0


def _spectrum(values: Any) -> np.ndarray:
    values = np.asarray(values, dtype=complex).ravel()
    return values[np.lexsort((values.imag.round(8), values.real.round(8)))]


def _eigen(A: np.ndarray, r: dict, s: float) -> dict[str, float]:
    V, lam = r["V"], r["lambda"].ravel()
    return {"A v − λ v": _gap(A @ V, V * lam, s * max(1.0, float(np.max(np.abs(V))))),
            "spectrum vs numpy.linalg.eigvals": _gap(_spectrum(r["eigenvalues"]), _spectrum(np.linalg.eigvals(A)), s)}


def _structure(problem_kind: str, A: np.ndarray, r: dict, s: float, rank: int | None) -> dict[str, float]:
    if problem_kind == "eigen":
        return _eigen(A, r, s)
    if problem_kind == "diagonalize":
        return {"P D P⁻¹ − A": _gap(r["P"] @ r["D"] @ np.linalg.inv(r["P"]), A, s)}
    if problem_kind == "spectral":
        Q, L = r["Q"], r["Lambda"]
        return {"Q Λ Qᵀ − A": _gap(Q @ L @ Q.T, A, s), "QᵀQ − I": _gap(Q.T @ Q, np.eye(len(Q))),
                "eigenvalues vs numpy.linalg.eigvalsh": _gap(np.sort(np.diag(L)), np.linalg.eigvalsh(A), s)}
    if problem_kind == "lu":
        P, L, U = r["P"], r["L"], r["U"]
        return {"P A − L U": _gap(P @ A, L @ U, s), "L unit lower triangular": _gap(np.triu(L, 1), 0) +
                _gap(np.diag(L), 1), "U upper triangular": _gap(np.tril(U, -1), 0, s),
                "det P · Π uᵢᵢ vs numpy.linalg.det": _gap(np.linalg.det(P) * np.prod(np.diag(U)), np.linalg.det(A),
                                                          max(1.0, abs(np.linalg.det(A))))}
    if problem_kind == "qr":
        Q, R = r["Q"], r["R"]
        return {"Q R − A": _gap(Q @ R, A, s), "QᵀQ − I": _gap(Q.T @ Q, np.eye(Q.shape[1])),
                "R upper triangular": _gap(np.tril(R, -1), 0, s),
                "|diag R| vs numpy.linalg.qr": _gap(np.abs(np.diag(R)), np.abs(np.diag(np.linalg.qr(A)[1])), s)}
    if problem_kind == "svd":
        U, S, V = r["U"], r["Sigma"], r["V"]
        sigma = np.linalg.svd(A, compute_uv=False)
        found = {"U Σ Vᵀ − A": _gap(U @ S @ V.T, A, s), "UᵀU − I": _gap(U.T @ U, np.eye(U.shape[1])),
                 "VᵀV − I": _gap(V.T @ V, np.eye(V.shape[1])),
                 "σ vs numpy.linalg.svd": _gap(np.sort(np.diag(S))[::-1], sigma[: S.shape[0]], s)}
        if rank is not None:
            # The truncation rank the user asked for, not matrix_rank(A_k): A_k evaluated from surds carries
            # rounding above matrix_rank's tolerance, so a rank-1 A_k can look rank-2.
            found["rank-k error vs Σ_{i>k} σᵢ²"] = _gap(r["error"], np.sum(sigma[rank:] ** 2), s * s)
        return found
    if problem_kind == "projection":
        return {"P vs B pinv(B)": _gap(r["P"], A @ np.linalg.pinv(A))}
    if problem_kind == "norms":
        return {"Frobenius vs numpy.linalg.norm": _gap(r["frobenius"], np.linalg.norm(A, "fro"), s),
                "2-norm vs numpy.linalg.norm": _gap(r["two"], np.linalg.norm(A, 2), s)}
    if problem_kind == "determinant":
        return {"det vs numpy.linalg.det": _gap(r["det"], np.linalg.det(A), max(1.0, abs(np.linalg.det(A))))}
    inv = np.linalg.inv(A)
    return {"inverse vs numpy.linalg.inv": _gap(r["inverse"], inv, max(1.0, float(np.max(np.abs(inv)))))}


@numpy_function.register(LinalgProblem)
def _(problem: LinalgProblem, derivation: Derivation, **options: Any) -> Callable[..., dict[str, Any]]:
    return numeric_result(problem, derivation.result)


@verify.register(LinalgProblem)
def _(problem: LinalgProblem, derivation: Derivation, *, trials: int = 3, seed: int = 0,
      tolerance: float = 1e-8) -> Verification:
    rng = np.random.default_rng(seed)
    evaluate = numeric_result(problem, derivation.result)
    symbols = sorted(problem.matrix.free_symbols, key=lambda s: s.name)
    comparisons = []
    for _ in range(trials if symbols else 1):
        values = {s.name: float(np.exp(rng.normal(0, 0.5)) if s.is_positive else rng.normal(0, 1.5)) for s in symbols}
        A = np.array(problem.matrix.subs({s: values[s.name] for s in symbols}).evalf(), dtype=float)
        scale = max(1.0, float(np.max(np.abs(A))))
        for name, gap in _structure(problem.kind, A, evaluate(**values), scale, problem.rank).items():
            comparisons.append(Comparison(f"{name} at {values}" if values else name, gap, 0.0, gap))
    return Verification.from_comparisons(comparisons, method="numpy.linalg on the same matrix", tolerance=tolerance,
                                         seed=seed)
