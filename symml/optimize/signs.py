"""Deciding the sign of an expression from facts known to be positive (a support's width, a density's factors).

SymPy's assumptions cannot say "b - a > 0" or "1 - p > 0". The facts are used by rewriting: each fact is
replaced by a fresh positive symbol, or solved for one of its symbols in terms of such a symbol, until SymPy's
assumptions decide the sign.

>>> a, b = sp.symbols("a b", real=True); n = sp.Symbol("n", positive=True)
>>> sign_given(-n/(b - a), [b - a])
-1
>>> sign_given(n/(b - a), []) is None
True
"""
from __future__ import annotations

import functools
from typing import Iterable

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.errors import BudgetExceededError

__all__ = ["sign_given", "positive_where_defined"]


def _data_real(expr: sp.Expr) -> sp.Expr:
    """``expr`` with its data ``x[i]`` real (observations are real numbers): Σ xᵢ² is then non-negative."""
    return expr.xreplace({base: sp.IndexedBase(base.label, real=True) for base in expr.atoms(sp.IndexedBase)
                          if base.is_real is not True})


def _matrix_atoms_opaque(exprs: list[sp.Expr]) -> list[sp.Expr]:
    """``exprs`` with each 1 x 1 matrix atom (``Scalar(·)``, a trace, a determinant) the same real symbol in all of
    them (a fact aᵀa > 0 still speaks of the expression's aᵀa), non-negative for a Gram form ``Scalar(aᵀa)``:
    ``together`` and ``factor`` rebuild a MatMul inside with commutative algebra and raised NotImplementedError (the
    profile −(D/2) log σ² − ‖y − μ̂‖²/(2σ²) of one vector's Gaussian, Prince UDL 5.7)."""
    from symml.matrix_calculus.algebra import Scalar, scalar_atoms

    def gram(atom: sp.Basic) -> bool:
        product = atom.matrix if isinstance(atom, Scalar) else None
        return isinstance(product, sp.MatMul) and len(product.args) == 2 and product.args[0] == product.args[1].T

    atoms = set().union(*(scalar_atoms(e) for e in exprs))
    if not atoms:
        return exprs
    opaque = {atom: sp.Dummy("s", real=True, nonnegative=gram(atom) or None) for atom in atoms}
    return [e.xreplace(opaque) for e in exprs]


def positive_where_defined(values: Iterable[sp.Expr]) -> list[sp.Expr]:
    """The denominators of ``values`` that cannot be negative: where the values are defined those are non-zero,
    so positive (Σ xᵢ² below ŵ = Σ xᵢyᵢ / Σ xᵢ²), facts for :func:`sign_given`."""
    denominators = [sp.fraction(sp.together(value))[1] for value in values]
    return [d for d in denominators if not d.is_number and _data_real(d).is_nonnegative]


def _decided(expr: sp.Expr) -> int | None:
    if expr.is_positive:
        return 1
    if expr.is_negative:
        return -1
    if expr.is_zero:
        return 0
    return None


@functools.lru_cache(maxsize=32)
def _positive_parts(positive_facts: tuple[sp.Expr, ...]) -> tuple[sp.Expr, ...]:
    """The expressions the facts make positive, longest first (cached: the minors or entries of one Hessian are
    signed against the same facts, and factoring them took most of Naive Bayes' second-order check)."""
    facts: list[sp.Expr] = []
    known = {sp.expand(fact) for fact in positive_facts}
    for fact in positive_facts:
        numerator, denominator = sp.fraction(sp.factor(fact))
        # A positive fraction with a positive denominator has a positive numerator: (m - xbar)/m > 0; with a
        # negative one (the negation of a fact), a negative numerator: Naive Bayes' (mean(a) - mean(ay))/(1 - ȳ)
        # is a probability, written over ȳ - 1 by the solver.
        if denominator.is_positive:
            part = numerator
        elif (-denominator).is_positive or sp.expand(-denominator) in known:
            part = -numerator
        else:
            part = numerator * denominator
        facts.extend(f for f in (part,) if not f.is_positive)
    # the longest first: a fact substituted inside a longer one (a - b inside a - b + c - 1) would hide it
    facts.sort(key=lambda f: -len(sp.Add.make_args(sp.expand(f))))
    return tuple(facts)


def sign_given(expr: sp.Expr, positive_facts: Iterable[sp.Expr] = ()) -> int | None:
    """+1, -1 or 0 when the sign of ``expr`` follows from the assumptions and the facts; None otherwise.

    Args:
        expr: a scalar expression.
        positive_facts: expressions known to be positive.
    """
    # Where the expression is defined its divisors are non-zero, so a non-negative divisor is positive there:
    # sqrt(a^2 + b^2) in a denominator (the length of a resultant) counts as a positive fact.
    expr, *given = _matrix_atoms_opaque([_data_real(sp.sympify(e)) for e in (expr, *positive_facts)])
    divisors = [e.base for e in expr.atoms(sp.Pow) if e.exp.is_negative and e.base.is_nonnegative
                and not e.base.is_positive]
    positive_facts = [*given, *divisors]
    try:
        expr = within(SIMPLIFY_SECONDS, "factor while deciding a sign", sp.factor, sp.cancel(sp.together(expr)))
    except BudgetExceededError:
        pass
    sign = _decided(expr)
    if sign is not None:
        return sign
    facts = _positive_parts(tuple(positive_facts))
    rewritten = expr
    for fact in facts:
        positive = sp.Dummy("w", positive=True)
        rewritten = rewritten.subs(fact, positive).subs(-fact, -positive)
        sign = _decided(sp.factor(rewritten))
        if sign is not None:
            return sign
    for fact in facts:
        positive = sp.Dummy("w", positive=True)
        for symbol in sorted(fact.free_symbols, key=str):
            if not (fact.is_polynomial(symbol) and sp.degree(fact, symbol) == 1):
                continue
            value = sp.solve(sp.Eq(fact, positive), symbol)
            if len(value) == 1:
                sign = _decided(sp.factor(expr.subs(symbol, value[0])))
                if sign is not None:
                    return sign
    return _radical_sign(expr, positive_facts)


def _radical_sign(expr: sp.Expr, facts: list) -> int | None:
    """The sign of an expression with square roots that SymPy's assumptions leave open: √u has the sign of u where
    u ≥ 0, a product the product of its factors' signs, and a + c√B the sign of c when c²B − a² > 0 (then √B|c| >
    |a|) or of a when c²B − a² < 0: the root of a quadratic, (−x̄ + √(x̄² + 4 mean(x²)))/2, is positive although
    x̄'s sign is unknown.

    >>> xbar, m2 = sp.Symbol("xbar", real=True), sp.Symbol("m2", positive=True)
    >>> sign_given(-xbar + sp.sqrt(xbar**2 + 4*m2)), sign_given(-xbar - sp.sqrt(xbar**2 + 4*m2))
    (1, -1)
    """
    # terminates: each call below works on fewer nested square roots
    if expr.is_Mul:
        signs = [_decided(f) if _decided(f) is not None else _radical_sign(f, facts) for f in expr.args]
        return None if None in signs else int(sp.prod(signs))
    if expr.is_Pow and expr.exp == sp.S.Half:
        inside = sign_given(expr.base, facts)
        return inside if inside in (0, 1) else None
    if not expr.is_Add:
        return None
    radicals = [t for t in expr.args if any(p.exp == sp.S.Half for p in t.atoms(sp.Pow))]
    if len(radicals) != 1:
        return None
    coefficient, root = radicals[0].as_independent(*[p for p in radicals[0].atoms(sp.Pow) if p.exp == sp.S.Half],
                                                   as_Add=False)
    if not (root.is_Pow and root.exp == sp.S.Half):
        return None
    rest = expr - radicals[0]
    gap = sign_given(sp.expand(coefficient**2 * root.base - rest**2), facts)
    if gap == 1:
        return sign_given(coefficient, facts)
    if gap == -1:
        return sign_given(rest, facts)
    return None
