"""An L1 penalty: no closed form, a derived soft-threshold, and proximal gradient descent (ISTA).

When a loss is ``smooth(W) + c · sum(|W|)`` (the lasso), the stationarity condition ``0 ∈ ∇smooth + c ∂‖W‖₁``
has no closed form. The proximal step of τ|x| is derived by the core: on each half-line the problem
``minimise (x - v)²/2 ± τx`` is a KKT problem with one inequality, whose two active sets give the soft-threshold
``v - τ`` for v ≥ τ, ``v + τ`` for v ≤ -τ and 0 between (Parikh & Boyd, Proximal Algorithms, 6.5.2). ``numpy()``
then runs proximal gradient descent with a backtracking step (Beck & Teboulle 2009).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatAdd

from symml.derivation import Step
from symml.errors import NotIdentifiableError

__all__ = ["L1Split", "l1_split", "soft_threshold", "proximal_gradient"]


@dataclass(frozen=True)
class L1Split:
    """``loss = smooth + weight · sum(|W|)``, and the derived proximal step of the penalty."""

    smooth: Any
    weight: sp.Expr
    threshold: sp.Expr  # the soft-threshold in the symbols v (the point) and tau (the threshold)
    steps: tuple[Step, ...]


V, TAU = sp.Symbol("v", real=True), sp.Symbol("tau", positive=True)


def soft_threshold() -> tuple[sp.Expr, tuple[Step, ...]]:
    """prox_{τ|·|}(v), derived by the KKT conditions on each half-line x >= 0 and x <= 0."""
    from symml.optimize.minimize import minimize

    x = sp.Symbol("x", real=True)
    positive = minimize((x - V) ** 2 / 2 + TAU * x, x, subject_to=[x >= 0])
    negative = minimize((x - V) ** 2 / 2 - TAU * x, x, subject_to=[x <= 0])
    threshold = positive.result[x] + negative.result[x]
    steps = (
        Step("Proximal step of the penalty on x >= 0", sp.Eq(sp.Symbol("x^{+}"), positive.result[x]),
             "minimise (x - v)^2/2 + τx subject to x ≥ 0 by the KKT conditions: active when v ≤ τ"),
        Step("Proximal step of the penalty on x <= 0", sp.Eq(sp.Symbol("x^{-}"), negative.result[x]),
             "minimise (x - v)^2/2 - τx subject to x ≤ 0: active when v ≥ -τ"),
        Step("Soft-threshold", sp.Eq(sp.Function("prox")(V), threshold),
             "at most one half-line has a non-zero minimiser, and where it has one it beats 0 (the other's): the "
             "minimiser over the real line is their sum"),
    )
    return threshold, steps


def l1_split(loss: Any, W: sp.MatrixSymbol) -> L1Split | None:
    """The split ``smooth + weight · sum(|W|)``, or None when the loss is not of that form."""
    from symml.matrix_calculus.algebra import to_scalar
    from symml.matrix_calculus.expressions import EntrySum, abs as elementwise_abs

    penalty = EntrySum(elementwise_abs(W)) if isinstance(W, sp.MatrixSymbol) else None
    terms = loss.args if isinstance(loss, MatAdd) else (loss,)
    penalised = [t for t in terms if penalty is not None and t.has(penalty)]
    if len(penalised) != 1:
        return None
    weight = to_scalar(penalised[0].xreplace({penalty: sp.Identity(1)}))
    if weight.has(W) or weight.free_symbols & set(W.shape):
        return None
    smooth_terms = [t for t in terms if t is not penalised[0]]
    smooth = MatAdd(*smooth_terms) if len(smooth_terms) > 1 else smooth_terms[0] if smooth_terms else None
    if smooth is None or smooth.has(penalty) or any(smooth.has(a) for a in (elementwise_abs(W),)):
        return None
    if not _continuously_differentiable(smooth, W):
        return None  # a hinge or absolute deviations beside the penalty: proximal gradient needs ∇smooth continuous
    threshold, steps = soft_threshold()
    return L1Split(smooth, weight, threshold, steps)


def _continuously_differentiable(smooth: Any, W: sp.MatrixSymbol) -> bool:
    """Whether ``smooth`` has a continuous gradient in W: no abs, relu or step, or only where its gradient does
    not jump (Huber); ISTA's steps along −∇smooth diverge from the minimum at a kink of the hinge (measured: hinge +
    L1 on 15 points stopped at 4.49 where the minimum is 4.18)."""
    from symml.matrix_calculus.continuity import continuous
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.differential import subgradient_used

    return not subgradient_used(smooth) or continuous(gradient(smooth, W).result)


def proximal_gradient(value: Callable[[np.ndarray], float], gradient: Callable[[np.ndarray], np.ndarray],
                      prox: Callable[[np.ndarray, float], np.ndarray], start: np.ndarray, *,
                      tolerance: float = 1e-13, max_iterations: int = 200_000) -> np.ndarray:
    """ISTA with backtracking: w <- prox(w - t grad(w), t), halving t until the quadratic upper bound holds."""
    w, step = start.astype(float), 1.0
    for _ in range(max_iterations):
        g, f0 = gradient(w), value(w)
        while True:
            z = prox(w - step * g, step)
            difference = z - w
            if value(z) <= f0 + float(np.sum(g * difference)) + float(np.sum(difference**2)) / (2 * step) + 1e-15:
                break
            step /= 2
        if np.sqrt(np.sum(difference**2)) <= tolerance * (1.0 + np.sqrt(np.sum(w**2))):
            return z
        w = z
    raise NotIdentifiableError("proximal gradient descent did not converge within its iteration limit")
