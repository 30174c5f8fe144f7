"""Two vector unknowns, each on its own quadric: max aᵀC b s.t. aᵀA a = 1, bᵀB b = 1 (canonical correlation).

Hotelling's CCA (Murphy PML2 28.3.4; Bach & Jordan 2005) is the model; nothing here knows it. The Lagrangian has
one multiplier per constraint; its gradients in a and in b (matrix calculus) set to zero are linear in (a, b).
Multiplying each by its own unknown and using its constraint gives each multiplier as half the objective, so the
two are equal, 2λ₁ = 2λ₂ = ρ with ρ = aᵀCb. The stationarity of z = (a, b) is then H(ρ) z = 0 with H the
Hessian of the Lagrangian in z, which splits into a part free of ρ and ρ times a block-diagonal metric: the
generalised eigenproblem [[0, C], [Cᵀ, 0]] z = ρ [[A, 0], [0, B]] z. At a stationary point the objective is ρ,
so the maximum is the largest generalised eigenvalue (the minimum the smallest); aᵀAa = bᵀBb there (both
equal aᵀCb/ρ), so the eigenvector normalised to zᵀ diag(A, B) z = 1 is scaled by √2.

numpy() solves the eigenproblem on the data by scipy.linalg.eigh(M, N); verify() compares with SLSQP under both
constraints.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["PairedQuadricProblem", "paired_quadrics"]


@dataclass(frozen=True)
class PairedQuadricProblem:
    """An extremum of a bilinear aᵀCb with aᵀAa = 1 and bᵀBb = 1: a generalised eigenproblem M z = ρ N z.

    Attributes:
        title: one line describing the problem.
        objective: the objective as given.
        unknowns: (a, b).
        cross: C, the coupling matrix (the Hessian block ∂²L/∂a∂b).
        metrics: (A, B), the constraints' matrices.
        maximise: whether the objective is maximised (the largest eigenvalue) or minimised (the smallest).
        levels: (c₁, c₂) for aᵀAa = c₁, bᵀBb = c₂: the unit problem's optimum is scaled by √c₁, √c₂.
    """

    title: str
    objective: Any
    unknowns: tuple
    cross: Any
    metrics: tuple
    maximise: bool
    levels: tuple = (sp.S.One, sp.S.One)


def _level(constraint: Any) -> sp.Expr:
    from symml.matrix_calculus.algebra import to_scalar

    return to_scalar(constraint.rhs)


def _metric(constraint: Any, W: sp.MatrixSymbol) -> Any:
    """A for the constraint WᵀAW = c (Identity for WᵀW = c), c a scalar free of matrices, else None."""
    if not isinstance(constraint, sp.Eq) or getattr(constraint.lhs, "shape", None) != (1, 1) \
            or _level(constraint).has(sp.MatrixSymbol):
        return None
    from symml.matrix_calculus.algebra import to_scalar

    lhs = constraint.lhs
    if to_scalar(lhs) == to_scalar(W.T * W):
        return sp.Identity(W.shape[0])
    if isinstance(lhs, sp.MatMul) and len(lhs.args) == 3 and lhs.args[0] == W.T and lhs.args[2] == W \
            and isinstance(lhs.args[1], sp.MatrixSymbol) and lhs.args[1].T == lhs.args[1]:
        return lhs.args[1]
    return None


def _unit_scalar(expr: Any) -> sp.Expr:
    from symml.matrix_calculus.algebra import tidy, to_scalar

    return to_scalar(tidy(tidy(expr.doit()).expand()))


def paired_quadrics(objective: Any, unknowns: list, subject_to: list, maximise: bool) -> Derivation:
    """The optimum of a bilinear objective in two vector unknowns, each under a quadric constraint = 1."""
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient, jacobian

    refusal = ("two vector unknowns are solved for a bilinear objective aᵀCb with one quadric constraint "
               "aᵀAa = c₁, bᵀBb = c₂ on each (canonical correlation); stack them into one vector otherwise")
    if len(unknowns) != 2 or len(subject_to) != 2 or any(u.shape[1] != 1 for u in unknowns):
        raise UnsupportedOperationError(refusal)
    a, b = unknowns
    metrics = [next((m for c in subject_to if (m := _metric(c, u)) is not None and not c.has(v)), None)
               for u, v in ((a, b), (b, a))]
    if any(m is None for m in metrics):
        raise UnsupportedOperationError(refusal)
    levels = tuple(next(_level(c) for c in subject_to if c.has(u) and not c.has(v)) for u, v in ((a, b), (b, a)))
    if levels != (1, 1):
        return _rescaled(objective, (a, b), tuple(metrics), levels, maximise)
    cross = tidy(jacobian(tidy(gradient(objective, a).result), b).result)
    if cross.has(a, b) or not _inputs(cross) or tidy(objective - a.T * cross * b).has(a, b):
        raise UnsupportedOperationError(refusal)
    l1, l2, rho = sp.symbols("lambda_1 lambda_2 rho", real=True)
    quadrics = [u.T * m * u for u, m in zip((a, b), metrics)]
    L = objective - l1 * (quadrics[0] - sp.Identity(1)) - l2 * (quadrics[1] - sp.Identity(1))
    grads = [tidy(gradient(L, u).result) for u in (a, b)]
    value = _unit_scalar(objective)
    halves = []
    for u, grad, multiplier, quadric in zip((a, b), grads, (l1, l2), quadrics):
        projected = _unit_scalar(u.T * grad).xreplace({_unit_scalar(quadric): 1})
        # bᵀCᵀa is aᵀCb: a 1 x 1 product equals its transpose
        projected = projected.xreplace({_unit_scalar(tidy(value.matrix.T)): value} if hasattr(value, "matrix") else {})
        halves.append(sp.solve(projected, multiplier))
    if any(h != [value / 2] for h in halves):
        raise UnsupportedOperationError(refusal)
    blocks = [[tidy(jacobian(g, u).result).xreplace({l1: rho / 2, l2: rho / 2}).doit() for u in (a, b)]
              for g in grads]
    coupling = sp.BlockMatrix([[tidy(block.xreplace({rho: 0}).doit()) for block in row] for row in blocks])
    metric = sp.BlockMatrix([[metrics[0], sp.ZeroMatrix(a.shape[0], b.shape[0])],
                             [sp.ZeroMatrix(b.shape[0], a.shape[0]), metrics[1]]])
    z = sp.BlockMatrix([[a], [b]])
    which = "largest" if maximise else "smallest"
    steps = (
        Step("Lagrangian", sp.Eq(sp.Function("L")(a, b, l1, l2), L, evaluate=False),
             "one multiplier per quadric constraint"),
        Step("Stationarity of the Lagrangian", tuple(sp.Eq(g, sp.ZeroMatrix(*u.shape), evaluate=False)
                                                     for g, u in zip(grads, (a, b))),
             "the gradient in each unknown (matrix calculus) vanishes"),
        Step("The multipliers are equal", (sp.Eq(l1, value / 2), sp.Eq(l2, value / 2), sp.Eq(rho, value)),
             f"multiply the first condition by ${latex(a)}^\\top$ and the second by ${latex(b)}^\\top$, use the "
             "constraints (and that a 1 × 1 product equals its transpose): each multiplier is half the objective; "
             "call ρ = 2λ₁ = 2λ₂"),
        Step("A generalised eigenproblem", sp.Eq(sp.MatMul(coupling, z), rho * sp.MatMul(metric, z), evaluate=False),
             "the two conditions stacked in z = (a, b), with λ₁ = λ₂ = ρ/2: the blocks are the Hessian of the "
             "Lagrangian in z, its part free of ρ on the left and the constraints' matrices on the right"),
        Step("The objective at a stationary point", sp.Eq(objective, rho, evaluate=False),
             f"so the {'maximum' if maximise else 'minimum'} is at an eigenvector of the {which} generalised "
             f"eigenvalue ρ; there ${latex(quadrics[0])} = {latex(quadrics[1])}$ (both are the objective over ρ), "
             "so the eigenvector with zᵀNz = 1, N the block-diagonal matrix on the right, is scaled by √2 to meet "
             "both constraints"),
    )
    estimate = sp.BlockMatrix([[sp.MatrixSymbol(f"{a.name}hat", *a.shape)], [sp.MatrixSymbol(f"{b.name}hat", *b.shape)]])
    summary = (sp.Eq(sp.MatMul(coupling, estimate), sp.Symbol(f"rho_{'max' if maximise else 'min'}")
                     * sp.MatMul(metric, estimate), evaluate=False),)
    title = (f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ on ${latex(quadrics[0])} = 1$, "
             f"${latex(quadrics[1])} = 1$")
    problem = PairedQuadricProblem(title, objective, (a, b), cross, tuple(metrics), maximise)
    return Derivation(problem=problem, steps=steps + (Step("Result", summary, "the optimal value is the "
                                                          f"{which} generalised eigenvalue"),),
                      result=summary[0], summary=summary,
                      remarks=("The optimum is determined up to a common sign of a and b; numpy() returns the one "
                               "scipy.linalg.eigh gives.",))


def _rescaled(objective: Any, unknowns: tuple, metrics: tuple, levels: tuple, maximise: bool) -> Derivation:
    """aᵀAa = c₁, bᵀBb = c₂ with c₁, c₂ > 0: a = √c₁ ã, b = √c₂ b̃ puts both on level 1 and multiplies the bilinear
    objective by √(c₁c₂) > 0, which moves no optimiser; the unit problem's derivation follows, then the scale back."""
    from symml.errors import InfeasibleError
    from symml.matrix_calculus.algebra import tidy

    if any(sp.ask(sp.Q.positive(c)) is False for c in levels):
        raise InfeasibleError(f"the levels {levels[0]}, {levels[1]} of the quadric constraints must be positive: with "
                              "positive definite matrices a non-positive level leaves at most the zero vector")
    tilde = tuple(sp.MatrixSymbol(f"{u.name}tilde", *u.shape) for u in unknowns)
    scaled = tidy(objective.xreplace({u: t for u, t in zip(unknowns, tilde)}))
    unit = paired_quadrics(scaled, list(tilde), [sp.Eq(t.T * m * t if m != sp.Identity(t.shape[0]) else t.T * t,
                                                        sp.Identity(1)) for t, m in zip(tilde, metrics)], maximise)
    factor = sp.sqrt(levels[0] * levels[1])
    rescale = Step("Rescale to level 1", tuple(sp.Eq(u, sp.sqrt(c) * t, evaluate=False)
                                               for u, t, c in zip(unknowns, tilde, levels)),
                   f"with ${latex(levels[0])}, {latex(levels[1])} > 0$ each constraint becomes a quadric = 1 in the "
                   f"new unknown; the objective is bilinear, so it becomes ${latex(factor)}$ times "
                   f"${latex(scaled)}$, a positive multiple with the same optimisers")
    back = Step("Scale back", tuple(sp.Eq(sp.MatrixSymbol(f"{u.name}hat", *u.shape),
                                          sp.sqrt(c) * sp.MatrixSymbol(f"{t.name}hat", *t.shape), evaluate=False)
                                    for u, t, c in zip(unknowns, tilde, levels)),
                f"the optimal value is ${latex(factor)}$ times the unit problem's generalised eigenvalue")
    verb = "Maximise" if maximise else "Minimise"
    title = (f"{verb} ${latex(objective)}$ on the quadrics of levels ${latex(levels[0])}$, ${latex(levels[1])}$")
    problem = replace(unit.problem, title=title, objective=objective, unknowns=unknowns, levels=levels)
    return Derivation(problem=problem, steps=(rescale,) + unit.steps + (back,), result=unit.result,
                      summary=unit.summary + back.math, remarks=unit.remarks)


def _inputs(expr: Any) -> list:
    return sorted((m for m in expr.atoms(sp.MatrixSymbol)), key=lambda m: m.name)


@numpy_function.register(PairedQuadricProblem)
def _numpy_paired(problem: PairedQuadricProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    from scipy.linalg import eigh

    from symml.matrix_calculus.numpy_export import numpy_function as export

    a, b = problem.unknowns
    cross = export(problem.cross, _inputs(problem.cross))
    metrics = [(export(m, _inputs(m)), _inputs(m)) if _inputs(m) else None for m in problem.metrics]
    levels = [(sp.lambdify(sorted(c.free_symbols, key=str), c), sorted(c.free_symbols, key=str))
              for c in problem.levels]

    def optimum(**data: Any) -> dict[str, np.ndarray]:
        C = np.atleast_2d(np.asarray(cross(**{m.name: data[m.name] for m in _inputs(problem.cross)})))
        p, q = C.shape
        A, B = [np.eye(size) if found is None else np.asarray(found[0](**{m.name: data[m.name] for m in found[1]}))
                for found, size in zip(metrics, (p, q))]
        M = np.block([[np.zeros((p, p)), C], [C.T, np.zeros((q, q))]])
        N = np.block([[A, np.zeros((p, q))], [np.zeros((q, p)), B]])
        values, vectors = eigh(M, N)  # vᵀNv = 1 for each eigenvector
        z = vectors[:, -1 if problem.maximise else 0] * np.sqrt(2.0)
        c1, c2 = (float(level(**{s.name: data[s.name] for s in symbols})) for level, symbols in levels)
        return {a.name: z[:p] * np.sqrt(c1), b.name: z[p:] * np.sqrt(c2)}

    return optimum


@verify.register(PairedQuadricProblem)
def _verify_paired(problem: PairedQuadricProblem, derivation: Derivation, *, seed: int = 0, size: int = 4,
                   tolerance: float = 1e-6) -> Verification:
    """SLSQP under both constraints from a fixed start (the best of two), on random symmetric positive definite A,
    B and a random C; compares the optimal values."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    a, b = problem.unknowns
    p, q = (int(u.shape[0]) if u.shape[0].is_Integer else size + k for k, u in enumerate((a, b)))
    data = {m.name: random_spd(rng, p if k == 0 else q) for k, m in enumerate(problem.metrics)
            if isinstance(m, sp.MatrixSymbol)}
    data.update({m.name: rng.standard_normal((p, q)) for m in _inputs(problem.cross)})
    data.update({s.name: float(rng.uniform(0.5, 3.0)) for c in problem.levels for s in c.free_symbols})
    c1, c2 = (float(c.subs({s: data[s.name] for s in c.free_symbols})) for c in problem.levels)
    found = derivation.numpy()(**data)
    C = np.asarray(export(problem.cross, _inputs(problem.cross))(**{m.name: data[m.name]
                                                                     for m in _inputs(problem.cross)}))
    A, B = [np.asarray(data[m.name]) if isinstance(m, sp.MatrixSymbol) else np.eye(n)
            for m, n in zip(problem.metrics, (p, q))]
    sign = -1.0 if problem.maximise else 1.0
    runs = [minimize(lambda z: sign * float(z[:p] @ C @ z[p:]), start, method="SLSQP",
                     constraints=[{"type": "eq", "fun": lambda z: z[:p] @ A @ z[:p] - c1},
                                  {"type": "eq", "fun": lambda z: z[p:] @ B @ z[p:] - c2}],
                     options={"ftol": 1e-15, "maxiter": 1000})
            for start in (np.ones(p + q) / np.sqrt(p + q), np.r_[np.ones(p), -np.ones(q)] / np.sqrt(p + q))]
    best = min(runs, key=lambda run: run.fun)
    value = float(found[a.name] @ C @ found[b.name])
    comparisons = [Comparison("optimal value", value, sign * best.fun, relative_error(value, sign * best.fun)),
                   Comparison(f"{a.name}ᵀA{a.name}", float(found[a.name] @ A @ found[a.name]), c1,
                              relative_error(float(found[a.name] @ A @ found[a.name]), c1)),
                   Comparison(f"{b.name}ᵀB{b.name}", float(found[b.name] @ B @ found[b.name]), c2,
                              relative_error(float(found[b.name] @ B @ found[b.name]), c2))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (SLSQP under both "
                                         "constraints) from two fixed starts", tolerance=tolerance, seed=seed)
