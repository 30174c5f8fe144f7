"""A loss with kinks (hinge, absolute deviations) minimised numerically through its epigraph.

Where a loss uses ``relu(U)`` or ``abs(U)`` of matrix expressions U(W) and is linear in each of them with a
non-negative weight (``λ‖w‖² + (1/m) sum(relu(1 − y ⊙ Xw))``, ``sum(abs(y − Xw))``), replacing each by a slack T
of its shape gives a smooth objective over (W, T) with the constraints T ≥ U, T ≥ 0 (relu) or T ≥ U, T ≥ −U (abs):
for a fixed W the smallest feasible T is relu(U) or |U| itself, and a non-negative weight makes the smallest T the
best, so both problems have the same minimum (Boyd & Vandenberghe 4.1.3, the epigraph form; the soft-margin SVM's
slacks ξ of SSBD 15.2). The smooth objective and its gradient come from the matrix-calculus engine; SLSQP solves the
constrained problem (a local minimum; the global one when U is affine in W and the rest convex).

>>> import sympy as sp, symml
>>> m, d = symml.dims("m d")
>>> X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
>>> split = epigraph_split(symml.sum(symml.abs(y - X @ w)), w)
>>> [(kind, str(argument)) for _, kind, argument in split.slacks]
[('abs', '-X*w + y')]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.errors import NotIdentifiableError, UnsupportedOperationError
from symml.matrix_calculus.differential import subgradient_used
from symml.matrix_calculus.expressions import Elementwise

__all__ = ["EpigraphSplit", "epigraph_split", "epigraph_minimiser"]

_KINKS = ("relu", "abs")

#: SLSQP's exit mode 8, "Positive directional derivative for linesearch".
_LINE_SEARCH_STALLED = 8

#: SLSQP's iteration limit per variable: an LP-like epigraph problem settles in a few iterations per variable
#: (LAD on 200 rows: 0.6 s CPU), and an unbounded one is refused in 1.5 s instead of 3.2 s at a fixed 2000.
_ITERATIONS_PER_VARIABLE = 10


@dataclass(frozen=True)
class EpigraphSplit:
    """``loss = smooth(W, T₁, ...)`` at Tₖ = kinkₖ(Uₖ(W)): ``slacks`` holds (Tₖ, "relu" or "abs", Uₖ), ``weights``
    the derived ∂smooth/∂Tₖ, free of W and of every slack (the loss is linear in each kink)."""

    smooth: Any
    slacks: tuple[tuple[sp.MatrixSymbol, str, Any], ...]
    weights: tuple[Any, ...]


def epigraph_split(loss: Any, W: sp.MatrixSymbol) -> EpigraphSplit | None:
    """The split of ``loss`` into a smooth objective and slacks for its relu and abs nodes, or None when the loss
    has another kink (sign, a step, a kink inside a kink) or is not linear in one of them."""
    from symml.matrix_calculus.derivatives import gradient

    nodes = sorted({node for node in loss.atoms(Elementwise) if node.name in _KINKS}, key=sp.default_sort_key)
    if not nodes or any(subgradient_used(node.arg) for node in nodes):
        return None
    slacks = tuple((sp.MatrixSymbol(f"_slack{k}", *node.shape), node.name, node.arg) for k, node in enumerate(nodes))
    smooth = loss.xreplace({node: slack for node, (slack, _, _) in zip(nodes, slacks)})
    if subgradient_used(smooth):
        return None
    try:
        weights = tuple(gradient(smooth, slack).result for slack, _, _ in slacks)
    except (UnsupportedOperationError, ValueError, TypeError):
        return None
    unknowns = {W, *(slack for slack, _, _ in slacks)}
    if any(weight.atoms(sp.MatrixSymbol) & unknowns for weight in weights):
        return None
    return EpigraphSplit(smooth, slacks, weights)


def _kkt_point(z: np.ndarray, gradient: np.ndarray, residuals: list, lower: np.ndarray) -> bool:
    """Whether z satisfies the KKT conditions of min f subject to residuals(z) ≥ 0 and z ≥ lower: the gradient of f
    is a non-negative combination of the active constraints' gradients (by non-negative least squares, the
    Jacobians by central differences, exact for the affine residuals of linear models). SLSQP can stop on its
    iteration limit far out along a direction where the loss keeps decreasing; this is the certificate that it
    did not."""
    from scipy.optimize import nnls

    scale = max(1.0, float(np.abs(z).max()))
    step = 1e-6 * scale
    normals = []
    for residual in residuals:
        values = residual(z)
        active = np.flatnonzero(values <= 1e-7 * scale)
        if active.size:
            columns = [(residual(z + step * e)[active] - residual(z - step * e)[active]) / (2 * step)
                       for e in np.eye(z.size)]
            normals.append(np.array(columns))  # (variables, active constraints)
    on_bound = np.flatnonzero(z - lower <= 1e-9 * scale)
    normals.append(np.eye(z.size)[:, on_bound])
    A = np.hstack(normals)
    if A.shape[1] == 0:
        return bool(np.linalg.norm(gradient) <= 1e-6 * max(1.0, float(np.abs(gradient).max())))
    _, misfit = nnls(A, gradient, maxiter=50 * A.shape[1])
    return bool(misfit <= 1e-6 * max(1.0, float(np.linalg.norm(gradient))))


def epigraph_minimiser(split: EpigraphSplit, W: sp.MatrixSymbol, inputs: list, parameters: list,
                       size_of: Callable[[dict], tuple[int, int]]) -> Callable[..., np.ndarray]:
    """``solve(**data)``: the minimiser W of the split's loss on the data, by SLSQP over (W, T) from W = 0 and the
    feasible T = kink(U(0)).

    Raises (from ``solve``):
        UnsupportedOperationError: a weight is negative on these data (the loss is not increasing in that kink,
            so the epigraph would not bound it).
        NotIdentifiableError: SLSQP did not converge (the loss may be unbounded below).
    """
    from scipy.optimize import minimize

    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.numpy_export import numpy_function as export

    slacks = [slack for slack, _, _ in split.slacks]
    every = [*inputs, W, *slacks]
    value_of = export(split.smooth, every, parameters=parameters)
    gradient_of = export(gradient(split.smooth, W).result, every, parameters=parameters)
    weight_of = [export(weight, inputs, parameters=parameters) for weight in split.weights]
    argument_of = [export(argument, [*inputs, W], parameters=parameters) for _, _, argument in split.slacks]

    def solve(**data: Any) -> np.ndarray:
        shape = size_of(data)
        at_zero = [np.atleast_2d(np.asarray(a(**data, **{W.name: np.zeros(shape)}), dtype=float))
                   for a in argument_of]
        weights = [np.broadcast_to(np.asarray(w(**data), dtype=float), u.shape) for w, u in zip(weight_of, at_zero)]
        if any(np.any(w < 0) for w in weights):
            raise UnsupportedOperationError(
                "the loss decreases in one of its relu or abs terms on these data (a negative weight): its epigraph "
                "does not bound it, and symml has no numeric solver for it")
        sizes = [shape[0] * shape[1], *(w.size for w in weights)]
        cuts = np.cumsum(sizes)[:-1]

        def parts(z: np.ndarray) -> dict[str, np.ndarray]:
            pieces = np.split(z, cuts)
            named = {W.name: pieces[0].reshape(shape, order="F")}
            named.update({slack.name: piece.reshape(w.shape, order="F")
                          for slack, piece, w in zip(slacks, pieces[1:], weights)})
            return named

        def objective(z: np.ndarray) -> float:
            return float(np.asarray(value_of(**data, **parts(z))).ravel()[0])

        def jacobian(z: np.ndarray) -> np.ndarray:
            grad_w = np.asarray(gradient_of(**data, **parts(z)), dtype=float).reshape(shape).ravel(order="F")
            return np.concatenate([grad_w, *(w.ravel(order="F") for w in weights)])

        def bounds_of(k: int, sign: float) -> Callable[[np.ndarray], np.ndarray]:
            def residual(z: np.ndarray) -> np.ndarray:
                named = parts(z)
                argument = np.asarray(argument_of[k](**data, **{W.name: named[W.name]}), dtype=float)
                return (named[slacks[k].name] - sign * argument.reshape(weights[k].shape)).ravel(order="F")
            return residual

        residuals = [bounds_of(k, sign) for k, (_, kind, _) in enumerate(split.slacks)
                     for sign in ((1.0, -1.0) if kind == "abs" else (1.0,))]
        constraints = [{"type": "ineq", "fun": residual} for residual in residuals]
        bounds = [(None, None)] * sizes[0] + [
            (0.0, None) if kind == "relu" else (None, None)
            for (_, kind, _), size in zip(split.slacks, sizes[1:]) for _ in range(size)]
        start = np.concatenate([np.zeros(sizes[0]), *((np.maximum(u, 0.0) if kind == "relu" else np.abs(u))
                                                      .ravel(order="F") for u, (_, kind, _) in
                                                      zip(at_zero, split.slacks))])

        def run(first: np.ndarray) -> Any:
            return minimize(objective, first, jac=jacobian, method="SLSQP", bounds=bounds, constraints=constraints,
                            options={"ftol": 1e-15, "maxiter": _ITERATIONS_PER_VARIABLE * first.size})

        found = run(start)
        if found.status == _LINE_SEARCH_STALLED:
            # on a piecewise-linear loss (an LP in epigraph form) SLSQP stops at the vertex it reached with this
            # status; a restart there that finds nothing better confirms it as the minimum
            again = run(found.x)
            settled = again.fun >= found.fun - 1e-10 * max(1.0, abs(found.fun))
            found = again if again.fun < found.fun else found
            found.success = found.success or settled
        feasible = all(np.all(residual(found.x) >= -1e-8 * max(1.0, np.abs(found.x).max())) for residual in residuals)
        if not found.success or not feasible or not np.all(np.isfinite(found.x)):
            raise NotIdentifiableError(f"SLSQP on the epigraph form did not converge ({found.message}): the loss may "
                                       "have no finite minimiser")
        lower = np.array([-np.inf if low is None else low for low, _ in bounds])
        if not _kkt_point(found.x, jacobian(found.x), residuals, lower):
            raise NotIdentifiableError(
                "SLSQP on the epigraph form stopped where the KKT conditions do not hold (no non-negative "
                "multipliers of the active constraints balance the gradient): the loss has no finite minimiser "
                "(it decreases without bound along some direction)")
        return parts(found.x)[W.name]

    return solve
