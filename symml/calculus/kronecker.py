"""Losses in index notation differentiated in indices, where they have no matrix form: ∂wⱼ/∂wₖ = δⱼₖ.

The loss is differentiated under its sums with respect to one entry wₖ (SymPy writes ∂wⱼ/∂wₖ as the Kronecker
delta δⱼₖ), then every delta is summed out, Σⱼ aⱼ δⱼₖ = aₖ for k in the range of j; factors free of a sum's
index leave that sum. The gradient w.r.t. ``w`` is the vector of ∂L/∂wₖ over the entries of w, the Hessian the
matrix of ∂²L/∂wₖ∂wₘ, derived the same way from the gradient. ``numpy()`` evaluates the result on arrays
(:mod:`symml.calculus.index_arrays`, one array axis per index); ``verify()`` compares it with finite
differences of the loss evaluated on random arrays of small random sizes.

>>> import sympy as sp
>>> i, j = sp.symbols("i j", integer=True)
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> w, X = sp.IndexedBase("w"), sp.IndexedBase("X")
>>> loss = sp.Sum(sp.log(1 + sp.Sum(sp.exp(w[j] * X[i, j]), (j, 1, d))), (i, 1, n))
>>> gradient(loss, w).result
Sum(exp(X[i, k]*w[k])*X[i, k]/(Sum(exp(X[i, j]*w[j]), (j, 1, d)) + 1), (i, 1, n))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.calculus.index_arrays import base_shapes, index_ranges
from symml.derivation import Derivation, Step
from symml.errors import ShapeError
from symml.operations import register_lazily

__all__ = ["IndexedDerivativeProblem", "sum_out_deltas", "gradient", "hessian"]

_L = sp.Symbol("L")
_FRESH = ("k", "m", "l", "p", "q", "r")


@dataclass(frozen=True)
class IndexedDerivativeProblem:
    """A derivative of an index-notation loss taken entry by entry; ``numpy()``/``verify()`` dispatch on it.

    Attributes:
        title: one line describing the problem.
        kind: "gradient" or "hessian".
        loss: the loss, a scalar ``Sum`` expression over ``Indexed`` entries.
        wrt: the IndexedBase differentiated against (a vector: one index).
        free: the result's free indices as (index, lower, upper): (k,) for a gradient, (k, m) for a Hessian.
    """

    title: str
    kind: str
    loss: sp.Expr
    wrt: sp.IndexedBase
    free: tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...]


register_lazily(IndexedDerivativeProblem, "symml.calculus.kronecker_numeric")


# --- summing out the deltas -----------------------------------------------------------------------------------
def _delta_partner(factor: sp.Basic, index: sp.Symbol) -> sp.Expr | None:
    """For δ(index, e) with e free of index: e; otherwise None."""
    if not isinstance(factor, sp.KroneckerDelta) or index not in factor.free_symbols:
        return None
    a, b = factor.args
    if a == index and index not in b.free_symbols:
        return b
    if b == index and index not in a.free_symbols:
        return a
    return None


def _sum_term(term: sp.Expr, limits: tuple, expanded: bool = False) -> sp.Expr:
    index, low, high = limits
    for factor in sp.Mul.make_args(term):
        partner = _delta_partner(factor, index)
        if partner is not None:  # Σⱼ aⱼ δⱼₖ = aₖ
            rest = sp.Mul(*(f for f in sp.Mul.make_args(term) if f is not factor))
            return rest.xreplace({index: partner})
    if not expanded and any(_delta_partner(f, index) is not None for f in term.atoms(sp.KroneckerDelta)) \
            and not any(isinstance(node, sp.Sum) and index in node.variables for node in sp.preorder_traversal(term)):
        return sp.Add(*(_sum_term(t, limits, True) for t in sp.Add.make_args(sp.expand_mul(term))))
    independent, dependent = term.as_independent(index, as_Add=False)
    if dependent == 1:
        return independent * (high - low + 1)
    return independent * sp.Sum(dependent, limits)


def sum_out_deltas(expr: sp.Expr) -> sp.Expr:
    """expr with every Σⱼ aⱼ δⱼₖ replaced by aₖ (k taken in the range of j) and index-free factors taken out of
    their sums.

    >>> j, k = sp.symbols("j k", integer=True)
    >>> d = sp.Symbol("d", integer=True, positive=True)
    >>> a, w = sp.IndexedBase("a"), sp.IndexedBase("w")
    >>> sum_out_deltas(sp.Sum(3 * a[j] * w[j]**2 * sp.KroneckerDelta(j, k), (j, 1, d)))
    3*a[k]*w[k]**2
    """
    if not expr.has(sp.KroneckerDelta) or not expr.args:
        return expr
    if isinstance(expr, sp.Sum):
        body = sum_out_deltas(expr.function)
        for limits in expr.limits:  # the first limit is the innermost sum
            body = sp.Add(*(_sum_term(term, limits) for term in sp.Add.make_args(body)))
        return body
    return expr.func(*(sum_out_deltas(arg) for arg in expr.args))


# --- the derivation -------------------------------------------------------------------------------------------
def _fresh_indices(loss: sp.Expr, count: int) -> list[sp.Symbol]:
    taken = {s.name for s in loss.free_symbols} | {str(v) for v in index_ranges(loss)}
    names = [name for name in _FRESH if name not in taken]
    return [sp.Symbol(name, integer=True) for name in names[:count]]


def _range_of(loss: sp.Expr, base: sp.IndexedBase) -> tuple[sp.Expr, sp.Expr]:
    ranges = index_ranges(loss)
    base_shapes(loss, ranges)  # every index summed, every base of one shape: else a clear ShapeError
    uses = [node for node in loss.atoms(sp.Indexed) if node.base == base]
    if not uses:
        raise ShapeError(f"{base} does not appear in the loss")
    if len(uses[0].indices) != 1:
        raise ShapeError(f"differentiating in indices takes a vector such as w[j]; {base} has "
                         f"{len(uses[0].indices)} indices")
    return ranges[uses[0].indices[0]]


def _entry(loss: sp.Expr, base: sp.IndexedBase, k: sp.Symbol, of: sp.Expr = _L,
           previous: tuple = ()) -> tuple[list[Step], sp.Expr]:
    """The steps and the summed-out value of ∂(expr)/∂w_k."""
    lhs = sp.Derivative(_L, *previous, base[k], evaluate=False)
    raw = loss.diff(base[k])
    summed = sum_out_deltas(raw)
    steps = [Step("Differentiate in indices", sp.Eq(lhs, raw, evaluate=False),
                  f"the chain rule under the sums, with ∂{base}ⱼ/∂{base}ₖ = δⱼₖ (1 if j = k, else 0)"),
             Step("Sum out the deltas", sp.Eq(lhs, summed, evaluate=False),
                  "Σⱼ aⱼ δⱼₖ = aₖ for k in the range of j; factors free of a sum's index leave the sum")]
    return steps, summed


def _derive(kind: str, loss: Any, wrt: Any, reason: str) -> Derivation:
    loss = sp.sympify(loss)
    base = wrt.base if isinstance(wrt, sp.Indexed) else wrt
    low, high = _range_of(loss, base)
    k, m = _fresh_indices(loss, 2)

    def build() -> tuple[list[Step], sp.Expr]:
        steps, entry = _entry(loss, base, k)
        if kind == "hessian":
            more, entry = _entry(entry, base, m, previous=(base[k],))
            steps += more
        return steps, entry

    steps, entry = within(SOLVE_SECONDS, f"the {kind} of {loss} in indices", build)
    free = ((k, low, high),) if kind == "gradient" else ((k, low, high), (m, low, high))
    entries = ", ".join(f"{index} = {low}, …, {high}" for index, _, _ in free)
    lhs = sp.Derivative(_L, *(base[index] for index, _, _ in free), evaluate=False)
    what = "vector of ∂L/" if kind == "gradient" else "matrix of ∂²L/"
    steps = [Step("Index notation", sp.Eq(_L, loss, evaluate=False), "the loss as written"), *steps,
             Step(kind.capitalize(), sp.Eq(lhs, entry, evaluate=False),
                  f"the {what}{''.join(f'∂{base}_{index}' for index, _, _ in free)} for {entries}")]
    problem = IndexedDerivativeProblem(title=f"{kind.capitalize()} of an index-notation loss with respect to "
                                             f"{base}, in indices", kind=kind, loss=loss, wrt=base, free=free)
    return Derivation(problem=problem, steps=tuple(steps), result=entry, summary=(sp.Eq(lhs, entry, evaluate=False),),
                      assumptions=(f"{' and '.join(str(i) for i, _, _ in free)} "
                                   f"{'runs' if len(free) == 1 else 'run'} over the entries of {base} ({low} to {high})",),
                      remarks=(f"No matrix form: {reason}; differentiated entry by entry in index notation.",))


def gradient(loss: Any, wrt: Any, reason: str = "the index structure has none") -> Derivation:
    """The gradient of an index-notation loss w.r.t. the vector ``wrt`` (an IndexedBase): ∂L/∂wₖ with the
    Kronecker deltas summed out; ``reason`` says why the matrix form was not used."""
    return _derive("gradient", loss, wrt, reason)


def hessian(loss: Any, wrt: Any, reason: str = "the index structure has none") -> Derivation:
    """The Hessian ∂²L/∂wₖ∂wₘ of an index-notation loss, the deltas summed out."""
    return _derive("hessian", loss, wrt, reason)
