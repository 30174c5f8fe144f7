"""Taylor polynomials of functions of several variables (Deisenroth et al., MML eq. 5.151–5.153).

T_k(x) = Σ_{m=0}^{k} D^m f(a)[δ, ..., δ] / m!, δ = x − a, where D^m f(a)[δ^m] = Σ_{|α|=m} m!/α! ∂^α f(a) δ^α.
Each order is a step: the value, the gradient and the Hessian at the point (for orders 1 and 2), and the
order's term. The partial derivatives come from the same rule walk as every other derivative.

>>> import sympy as sp

>>> x, y = sp.symbols("x y", real=True)
>>> taylor(sp.exp(x) * y, at={x: 0, y: 1}, order=2).result
x**2/2 + x*y + y
"""
from __future__ import annotations

from itertools import combinations_with_replacement
from math import factorial
from typing import Any

import sympy as sp

from symml.calculus.labels import Label

from symml.budget import SOLVE_SECONDS, within
from symml.calculus.rules import RuleWalk
from symml.calculus.scalar import _finish, _function_step, _inputs
from symml.derivation import Derivation, Step
from symml.errors import ParameterError

__all__ = ["taylor"]


class _Partials:
    """∂^α f for multi-indices α given as sorted tuples of variables, each derived once from the one before."""

    def __init__(self, f: sp.Expr) -> None:
        self.known: dict[tuple, sp.Expr] = {(): f}

    def __call__(self, alpha: tuple) -> sp.Expr:
        if alpha not in self.known:
            self.known[alpha] = RuleWalk(alpha[-1]).derivative(self(alpha[:-1]))
        return self.known[alpha]


def _multiplicity(alpha: tuple) -> int:
    """m!/α!: the number of orderings of the variables in alpha (mixed partials agree)."""
    count = factorial(len(alpha))
    for x in set(alpha):
        count //= factorial(alpha.count(x))
    return count


def _indices_apart(f: sp.Expr, value: sp.Expr) -> sp.Expr:
    """A point that is a statistic of the data (w = x̄ = Σᵢ xᵢ/n) with its summation indices renamed apart from
    f's: substituted into Σᵢ g(w xᵢ), a second i would be a sum over i inside a sum over i."""
    from symml.calculus.index_arrays import index_ranges
    from symml.calculus.kronecker import _fresh_indices

    if not value.has(sp.Sum):
        return value
    taken = index_ranges(f)
    clashing = [limit[0] for total in value.atoms(sp.Sum) for limit in total.limits if limit[0] in taken]
    return value.xreplace(dict(zip(clashing, _fresh_indices(sp.Tuple(f, value), len(clashing)))))


def _counted(coefficient: sp.Expr) -> sp.Expr:
    """Sums of a term free of their index counted: Σᵢ₌₁ⁿ c = n c (simplify leaves Σᵢ 1)."""
    return coefficient.replace(
        lambda e: isinstance(e, sp.Sum) and not e.function.free_symbols & {limit[0] for limit in e.limits},
        lambda e: e.doit())


def taylor(expr: Any, at: dict, order: int = 2) -> Derivation:
    """The Taylor polynomial of order ``order`` of a scalar function at the point ``at`` ({symbol: value}).

    Args:
        expr: the scalar function f (SymPy, or typed as LaTeX: then the keys of ``at`` name its variables).
        at: the expansion point a, one value per variable; the variables are its keys, in order.
        order: the highest power kept (0, 1, 2, ...).
    """
    if not isinstance(at, dict) or not at:
        raise ParameterError("taylor needs the expansion point as a dict {symbol: value}, e.g. at={x: 0, y: 1}")
    if isinstance(expr, str):  # typed as LaTeX: the variables are the symbols of those names in what was read
        from symml.calculus.latex_input import _resolve, read_loss

        expr = read_loss(expr)
        at = {_resolve(expr, key if isinstance(key, str) else str(key)): value for key, value in at.items()}
    if not isinstance(order, int) or order < 0:
        raise ParameterError(f"the order of a Taylor polynomial is a non-negative integer, not {order!r}")
    f, wrt = _inputs(expr, list(at))
    point = {x: _indices_apart(f, sp.sympify(at[x])) for x in wrt}
    delta = {x: x - point[x] for x in wrt}
    symbolic = any(v.free_symbols for v in point.values())

    def build() -> tuple[list[Step], sp.Expr]:
        partials = _Partials(f)
        steps, polynomial = [_function_step(Label("f"), f)], sp.S.Zero
        for m in range(order + 1):
            term = sp.S.Zero
            for alpha in combinations_with_replacement(wrt, m):
                coefficient = _counted(sp.simplify(partials(alpha).subs(point)))
                coefficient = sp.factor(coefficient) if symbolic and coefficient.is_rational_function() else coefficient
                term += coefficient * _multiplicity(alpha) * sp.Mul(*(delta[x] for x in alpha)) / factorial(m)
            polynomial += term
            steps.append(Step(*_order_step(m, partials, wrt, point, term)))
        # a symbolic point (a mode (a − 1)/(a + b − 2)) stays in powers of x − a: expanded, a second-order term
        # of the Beta log-kernel's Laplace approximation was 17 kB of LaTeX
        return steps, polynomial if symbolic else sp.expand(polynomial)

    steps, polynomial = within(SOLVE_SECONDS, f"the Taylor polynomial of {f}", build)
    name = Label(f"T_{order}")
    steps.append(Step("Taylor polynomial", sp.Eq(name, polynomial, evaluate=False),
                      f"the sum of the terms of order 0 to {order}"))
    return _finish("taylor", f, wrt, steps, polynomial, sp.Eq(name, polynomial, evaluate=False),
                   [f"The error of T_{order} is O(‖x − a‖^{order + 1}) near a for a function {order + 1} times "
                    "continuously differentiable there."], point=tuple(point[x] for x in wrt), order=order)


def _order_step(m: int, partials: _Partials, wrt: tuple, point: dict, term: sp.Expr) -> tuple[str, Any, str]:
    if m == 0:
        return "Value at the point", sp.Eq(Label("f(a)"), term, evaluate=False), "the order-0 term"
    if m == 1:
        gradient = sp.Matrix([sp.simplify(partials((x,)).subs(point)) for x in wrt])
        return ("Gradient at the point", (sp.Eq(Label("∇f(a)"), gradient, evaluate=False), term),
                "the order-1 term is ∇f(a)ᵀ δ, δ = x − a")
    if m == 2:
        H = sp.Matrix(len(wrt), len(wrt), lambda i, j: sp.simplify(
            partials(tuple(sorted((wrt[i], wrt[j]), key=wrt.index))).subs(point)))
        return ("Hessian at the point", (sp.Eq(Label("∇²f(a)"), H, evaluate=False), term),
                "the order-2 term is δᵀ ∇²f(a) δ / 2")
    return (f"Order-{m} term", term,
            f"D^{m} f(a)[δ^{m}] / {m}!: the {m}-th partials at a, each mixed partial counted once per ordering")
