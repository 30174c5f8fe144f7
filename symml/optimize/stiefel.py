"""An extremum of tr(WᵀMW) over matrices with orthonormal columns, WᵀW = I (the Stiefel manifold).

The constraint is k x k, so its multiplier is a symmetric matrix Λ: L = f(W) − tr(Λ(WᵀW − I)). The matrix-calculus
engine gives ∇_W L = ∇f − 2WΛ; for f homogeneous quadratic, ∇f = 2MW, and stationarity is the eigenproblem
MW = WΛ. Multiplying by Wᵀ, Λ = WᵀMW, and Λ = QDQᵀ: WQ is feasible too and M(WQ) = (WQ)D, so the columns of WQ are
eigenvectors of M. At a stationary point f = tr(WᵀWΛ) = tr Λ, the sum of k eigenvalues of M: the maximum takes the
k largest (Ky Fan), the minimum the k smallest, and W is determined up to W → WQ (Bishop PRML 12.1; the
one-direction case wᵀw = 1 is :func:`symml.optimize.matrix_problems` ``_on_sphere``).

>>> import symml, sympy as sp
>>> d, k = symml.dims("d k")
>>> S, B = symml.matrix("S", d, d, symmetric=True), symml.matrix("B", d, k)
>>> optimum_on_stiefel(sp.Trace(B.T @ S @ B), B, True).summary
(Eq(S*Bhat, Bhat*D_top),)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatMul

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["StiefelProblem", "optimum_on_stiefel", "is_orthonormal_columns"]


def is_orthonormal_columns(lhs: Any, rhs: Any, W: sp.MatrixSymbol) -> bool:
    """Whether ``lhs = rhs`` is WᵀW = I for W with more than one column."""
    return W.shape[1] != 1 and lhs == W.T * W and rhs == sp.Identity(W.shape[1])


@dataclass(frozen=True)
class StiefelProblem:
    """The optimum of ``objective`` over W with WᵀW = I: the eigenvectors of ``matrix`` of its k ``largest`` (or
    smallest) eigenvalues."""

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    matrix: Any
    largest: bool


def optimum_on_stiefel(objective: Any, W: sp.MatrixSymbol, maximise: bool) -> Derivation:
    """The optimum of a quadratic ``objective`` tr(WᵀMW) over W (d x k) with WᵀW = I.

    Raises:
        UnsupportedOperationError: the gradient of the objective is not 2MW for a matrix M free of W.
    """
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient

    d, k = W.shape
    Lambda = sp.MatrixSymbol("Lambda", k, k)
    lagrangian = objective - sp.Trace(Lambda * (W.T * W - sp.Identity(k)))
    derived = gradient(lagrangian, W)
    M = _form_matrix(tidy(gradient(objective, W).result), W)
    if M is None:
        raise UnsupportedOperationError(
            f"on WᵀW = I the optimum is derived for an objective tr(WᵀMW) (its gradient 2MW); the gradient of "
            f"{objective} is not of that form: optimise it numerically over the Stiefel manifold (a QR "
            "parametrisation)")
    D = sp.MatrixSymbol("D", k, k)
    Q = sp.MatrixSymbol("Q", k, k)
    which = "largest" if maximise else "smallest"
    estimate = sp.MatrixSymbol(f"{W.name}hat", d, k)
    top = sp.MatrixSymbol("D_top" if maximise else "D_bottom", k, k)
    summary = (sp.Eq(MatMul(M, estimate), MatMul(estimate, top), evaluate=False),)
    steps = (
        Step("Lagrangian", sp.Eq(sp.Function("L")(W, Lambda), lagrangian, evaluate=False),
             "the constraint WᵀW = I is a k x k matrix equation, symmetric, so its multiplier is a symmetric k x k "
             "matrix Λ, paired with it by the trace"),
        *derived.steps,
        Step("Stationarity: an eigenproblem", (sp.Eq(tidy(derived.result), sp.ZeroMatrix(d, k), evaluate=False),
                                               sp.Eq(MatMul(M, W), MatMul(W, Lambda), evaluate=False)),
             "the gradient vanishes at a constrained optimum; Λ is symmetric, so W Λ + W Λᵀ = 2 W Λ"),
        Step("Diagonalise the multiplier", (sp.Eq(Lambda, MatMul(W.T, M, W), evaluate=False),
                                            sp.Eq(Lambda, MatMul(Q, D, Q.T), evaluate=False),
                                            sp.Eq(MatMul(M, W, Q), MatMul(W, Q, D), evaluate=False)),
             "multiply by Wᵀ and use WᵀW = I; Λ is symmetric, so Λ = QDQᵀ with Q orthogonal and D diagonal; "
             "(WQ)ᵀ(WQ) = I, so WQ is feasible and its columns are unit eigenvectors of M with eigenvalues D"),
        Step("The objective at a stationary point", sp.Eq(objective, sp.Trace(D), evaluate=False),
             "tr(WᵀMW) = tr(WᵀWΛ) = tr Λ = tr D (trace cyclicity, Q orthogonal): the sum of k eigenvalues of M, "
             f"so the {'maximum' if maximise else 'minimum'} takes the k {which} (Ky Fan)"),
        Step("Result", summary, f"the columns of Ŵ are unit eigenvectors of the k {which} eigenvalues of "
             f"${latex(M)}$; any ŴQ with Q orthogonal is optimal too"),
    )
    problem = StiefelProblem(f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ on "
                             f"${latex(W.T * W)} = I$", objective, W, M, maximise)
    return Derivation(problem=problem, steps=steps, result=summary[0], summary=summary,
                      remarks=(f"The optimum is determined up to W → WQ with Q orthogonal (a rotation within the "
                               f"span of the k {which} eigenvectors); numpy(k=...) returns the eigenvectors "
                               "numpy.linalg.eigh gives, in decreasing order of eigenvalue for a maximum.",))


def _form_matrix(gradient: Any, W: sp.MatrixSymbol) -> Any:
    """M when ``gradient`` is 2MW with M free of W, else None."""
    coefficient, product = gradient.as_coeff_mmul() if isinstance(gradient, MatMul) else (sp.S.One, gradient)
    factors = product.args if isinstance(product, MatMul) else (product,)
    if len(factors) < 2 or factors[-1] != W or any(f.has(W) for f in factors[:-1]):
        return None
    return MatMul(coefficient / 2, *factors[:-1]).doit() if coefficient != 2 else MatMul(*factors[:-1]).doit()


@numpy_function.register(StiefelProblem)
def _numpy(problem: StiefelProblem, derivation: Derivation, **options: Any) -> Callable[..., np.ndarray]:
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.optimize.matrix_problems import _matrix_inputs

    inputs, parameters = _matrix_inputs(problem.matrix, problem.wrt)
    matrix = export(problem.matrix, inputs, parameters=parameters)
    columns = problem.wrt.shape[1]

    def optimum(**data: Any) -> np.ndarray:
        k = int(data.pop(str(columns), columns) if not columns.is_Integer else columns)
        M = np.atleast_2d(matrix(**data))
        _, vectors = np.linalg.eigh((M + M.T) / 2)
        return vectors[:, ::-1][:, :k] if problem.largest else vectors[:, :k]

    return optimum


@verify.register(StiefelProblem)
def _verify(problem: StiefelProblem, derivation: Derivation, *, seed: int = 0, size: int = 5, columns: int = 2,
            tolerance: float = 1e-5) -> Verification:
    """BFGS over W = the Q factor of an unconstrained size x columns matrix (a parametrisation of WᵀW = I), from a
    fixed start, on random inputs; compares the optimal values and the projections WWᵀ (W is free up to WQ). The
    tolerance is 1e-5: at the optimum the value is flat, so BFGS's W is good to ~1e-6 where its value is to ~1e-12."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.optimize.matrix_problems import _matrix_inputs
    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    d = problem.wrt.shape[0]
    inputs, parameters = _matrix_inputs(problem.objective, problem.wrt)
    data = {m.name: random_spd(rng, size) if m.shape[0] == m.shape[1] else rng.standard_normal(
        tuple(size if side == d else size + 3 for side in m.shape)) for m in inputs}
    data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    objective = export(problem.objective, [*inputs, problem.wrt], parameters=parameters)
    sign = -1.0 if problem.largest else 1.0

    def value(W: np.ndarray) -> float:
        return float(np.asarray(objective(**data, **{problem.wrt.name: W})).ravel()[0])

    def orthonormal(flat: np.ndarray) -> np.ndarray:
        return np.linalg.qr(flat.reshape(size, columns))[0]

    found = minimize(lambda flat: sign * value(orthonormal(flat)), np.ones(size * columns) + np.arange(size * columns),
                     method="BFGS", options={"gtol": 1e-10, "maxiter": 2000})
    derived = derivation.numpy()(**data, **{str(problem.wrt.shape[1]): columns})
    searched = orthonormal(found.x)
    gap = float(np.max(np.abs(derived @ derived.T - searched @ searched.T)))
    comparisons = [Comparison("optimal value", value(derived), value(searched),
                              relative_error(value(derived), value(searched))),
                   Comparison("projection WWᵀ (max entry difference)", 0.0, gap, gap)]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (BFGS over the Q factor of a QR "
                                         "decomposition) from a fixed start, on random inputs", tolerance=tolerance,
                                         seed=seed)
