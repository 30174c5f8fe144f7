"""A polynomial times a decaying factor, P(x) D(x), with the decay shared among the powers of x.

Past |x| = 1e154 the polynomial overflows while D underflows, and inf·0 is nan where the product is 0: the GELU's
second derivative (2 − x²) e^{−x²/2}/√(2π) was nan at x = 1e200, and so was the tanh-approximated GELU's gradient,
x P(x)(1 − tanh² v) + …, with v a cubic in x. With m the degree of P = Σₖ aₖ xᵏ,

    P(x) D = Σₖ aₖ (x / D^{−1/m})ᵏ D^{(m − k)/m},

each quotient x/D^{−1/m} kept as one factor (a ``quotient`` the caller gives, so that SymPy does not expand its power
back): it is 0 where D^{−1/m} overflows, and the identity is exact. It is taken only where |x| > 10^{300/m} (where
xᵐ could overflow): below, the product as written keeps the polynomial's own form. D is a factor that decays as |x| grows either way,
faster than any power of x: e^{u} with u a polynomial in x of even degree and negative leading coefficient, or
σ(w)ᵃσ(−w)ᵇ (a, b ≥ 1; at most e^{−|w|}) with w a non-constant polynomial in x (1 − tanh² v = 4σ(2v)σ(−2v)).
Bounded factors beside it (tanh, other sigmoids) stay as they are.

>>> import sympy as sp
>>> from symml.floating_point_rewrites import Quotient
>>> x = sp.Symbol("x", real=True)
>>> with_shared_decay((x**2 - 2) * sp.exp(-x**2 / 2), Quotient).args[0]
(Quotient(x, exp(x**2/4))**2 - 2*exp(-x**2/2), Abs(x) > 1.0e+150)
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from symml.matrix_calculus.expressions import Sigmoid

__all__ = ["with_shared_decay"]


def _polynomial_in(expr: sp.Expr, x: sp.Symbol) -> sp.Poly | None:
    if not expr.is_polynomial(x):
        return None
    poly = sp.Poly(sp.expand(expr), x)
    return poly if poly.degree() >= 1 and not any(c.has(x) for c in poly.coeffs()) else None


def _decaying_exponential(factor: sp.Expr, x: sp.Symbol) -> bool:
    if not isinstance(factor, sp.exp):
        return False
    poly = _polynomial_in(factor.args[0], x)
    return poly is not None and poly.degree() % 2 == 0 and poly.LC().is_negative is True


def _sigmoid_argument(factor: sp.Expr) -> sp.Expr | None:
    base = factor.as_base_exp()[0]
    return base.args[0] if isinstance(base, Sigmoid) else None


def _decay(factors: tuple, x: sp.Symbol) -> list:
    """The factors of the product that together decay in x both ways (see the module's docstring), or []."""
    exponentials = [f for f in factors if _decaying_exponential(f, x)]
    if exponentials:
        return exponentials[:1]
    arguments = {a for a in map(_sigmoid_argument, factors) if a is not None}
    for w in sorted(arguments, key=sp.default_sort_key):
        if -w in arguments and _polynomial_in(w, x) is not None:
            return [f for f in factors if _sigmoid_argument(f) in (w, -w)]
    return []


def _bounded(factor: sp.Expr) -> bool:
    return isinstance(factor.as_base_exp()[0], (sp.tanh, Sigmoid)) and factor.as_base_exp()[1].is_nonnegative


def _shared(term: sp.Mul, quotient: Callable[[sp.Expr, sp.Expr], sp.Expr]) -> sp.Expr:
    varying = {s for s in term.free_symbols if isinstance(s, sp.Symbol) and s.is_real}
    for x in sorted(varying, key=sp.default_sort_key):
        decay = _decay(term.args, x)
        if not decay:
            continue
        others = [f for f in term.args if not any(f is d for d in decay)]
        bounded = [f for f in others if _bounded(f)]
        poly = _polynomial_in(sp.Mul(*(f for f in others if not _bounded(f))), x)
        if poly is None:
            continue
        m, D = poly.degree(), sp.Mul(*decay)
        base = quotient(x, D ** sp.Rational(-1, m))
        shared = sp.Mul(*bounded) * sp.Add(*(c * base**k * D ** sp.Rational(m - k, m) for (k,), c in poly.terms()))
        # only where xᵐ could overflow: below, the product as written keeps P's own form (x − 1)² near its root
        return sp.Piecewise((shared, sp.Abs(x) > sp.Float(10) ** (sp.Integer(300) / m)), (term, True))
    return term


def with_shared_decay(expr: sp.Expr, quotient: Callable[[sp.Expr, sp.Expr], sp.Expr]) -> sp.Expr:
    """``expr`` with each product of a polynomial and a decaying factor in one real symbol rewritten as above;
    ``quotient(a, b)`` builds the kept quotient a/b."""
    if not expr.has(sp.exp, Sigmoid):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Mul) and e.has(sp.exp, Sigmoid), lambda e: _shared(e, quotient))
