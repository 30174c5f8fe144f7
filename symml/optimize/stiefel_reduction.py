"""An objective of higher degree in W reduced, on WᵀW = I, to the trace form tr(WᵀMW) the eigenproblem route solves.

PCA with k directions as the least reconstruction error, ‖X − X B Bᵀ‖²_F on BᵀB = I, is quartic in B. Its trace is
expanded at matrix level (tr(A + B) = tr A + tr B) into traces of products; in each, a factor Bᵀ followed by B,
cyclically (tr(AB) = tr(BA)), is BᵀB = I on the feasible set and drops out:

    tr(XᵀX) − 2 tr(BᵀXᵀXB) + tr(BBᵀXᵀXBBᵀ) = tr(XᵀX) − 2 tr(BᵀXᵀXB) + tr(BᵀXᵀXB) = tr(XᵀX) − tr(BᵀXᵀXB),

each trace rotated to start at its first Bᵀ so that equal traces combine. Nothing here knows PCA: any objective
whose traces, with BᵀB = I, hold B at most twice goes through to :func:`symml.optimize.stiefel.optimum_on_stiefel`.
The one-column case (wᵀw = 1) is :mod:`symml.optimize.sphere_reduction`.

>>> import symml
>>> n, d, k = symml.dims("n d k")
>>> X, B = symml.matrix("X", n, d), symml.matrix("B", d, k)
>>> reduced_on_stiefel(symml.sq_norm(X - X @ B @ B.T), B)[0]
Trace(X.T*X) - Trace(B.T*X.T*X*B)
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatMul

from symml.derivation import Derivation, Step
from symml.render.printer import latex

__all__ = ["reduced_on_stiefel", "optimum_on_stiefel_reduced"]


def _trace_terms(objective: Any) -> list[tuple[sp.Expr, list]] | None:
    """The objective, a (sum of multiples of) trace(s), as (coefficient, factors) of each product inside; None for
    anything else."""
    from symml.matrix_calculus.expressions import Tr

    terms: list[tuple[sp.Expr, list]] = []
    for term in sp.Add.make_args(objective):
        coefficient, trace = term.as_independent(sp.Trace, Tr, as_Add=False) if isinstance(term, sp.Mul) \
            else (sp.S.One, term)
        if not isinstance(trace, (sp.Trace, Tr)):
            return None
        for product in sp.MatAdd.make_args(sp.expand(trace.arg)):
            scale, factors = product.as_coeff_matrices() if isinstance(product, MatMul) else (sp.S.One, [product])
            terms.append((coefficient * scale, list(factors)))
    return terms


def _on_constraint(factors: list, W: sp.MatrixSymbol) -> list:
    """The factors of a trace with each cyclically adjacent Wᵀ W dropped (WᵀW = I), rotated to start at the first
    Wᵀ left (trace cyclicity); [] when nothing is left (tr I)."""
    factors = list(factors)
    dropped = True
    while dropped and factors:
        dropped = False
        for i in range(len(factors)):
            j = (i + 1) % len(factors)
            if i != j and factors[i] == W.T and factors[j] == W:
                factors = [f for m, f in enumerate(factors) if m not in (i, j)]
                dropped = True
                break
    starts = [i for i, f in enumerate(factors) if f == W.T]
    return factors[starts[0]:] + factors[:starts[0]] if starts else factors


def _trace(factors: list, size: Any) -> sp.Expr:
    return sp.Trace(MatMul(*factors)) if factors else size


def reduced_on_stiefel(objective: Any, W: sp.MatrixSymbol) -> tuple[sp.Expr, tuple[Step, ...]] | None:
    """The objective on WᵀW = I as a sum of traces, and the steps; None where the constraint does not enter it or a
    trace still holds W more than twice."""
    terms = _trace_terms(objective)
    if terms is None:
        return None
    k = W.shape[1]
    expanded = sp.Add(*(c * sp.Trace(MatMul(*f)) for c, f in terms))
    reduced = [(c, _on_constraint(f, W)) for c, f in terms]
    if all(len(r) == len(f) for (_, r), (_, f) in zip(reduced, terms)):
        return None
    if any(sum(1 for x in f if x in (W, W.T)) > 2 for _, f in reduced):
        return None
    on_constraint = sp.Add(*(c * _trace(f, k) for c, f in reduced))
    steps = (
        Step("Expand the objective (trace algebra)", sp.Eq(objective, expanded, evaluate=False),
             "the product inside the trace multiplied out; tr(A + B) = tr A + tr B"),
        Step("Use the constraint", sp.Eq(objective, on_constraint, evaluate=False),
             f"in each trace a factor ${latex(W.T)}$ followed by ${latex(W)}$, cyclically (tr(AB) = tr(BA)), is "
             f"${latex(W.T * W)} = I$ on the feasible set; each trace rotated to start at ${latex(W.T)}$, equal "
             "traces combine; the terms free of the unknown do not move the optimum"),
    )
    return on_constraint, steps


def optimum_on_stiefel_reduced(objective: Any, W: sp.MatrixSymbol, maximise: bool) -> Derivation:
    """The optimum over WᵀW = I of the objective as given, or, where the constraint reduces it, of the reduced
    trace form after the reduction's steps; numpy() and verify() keep the objective as given."""
    from symml.optimize.stiefel import optimum_on_stiefel

    reduction = reduced_on_stiefel(objective, W)
    if reduction is None:
        return optimum_on_stiefel(objective, W, maximise)
    reduced, steps = reduction
    constant, moving = reduced.as_independent(W, as_Add=True)
    derived = optimum_on_stiefel(moving, W, maximise)
    verb = "Maximise" if maximise else "Minimise"
    problem = replace(derived.problem, objective=objective,
                      title=f"{verb} ${latex(objective)}$ on ${latex(W.T * W)} = I$")
    shift = (f"On the constraint the objective is ${latex(constant)}$ plus ${latex(moving)}$: its optimal value is "
             f"${latex(constant)}$ plus that of the trace form.",) if constant != 0 else ()
    return replace(derived, problem=problem, steps=steps + derived.steps, remarks=derived.remarks + shift)
