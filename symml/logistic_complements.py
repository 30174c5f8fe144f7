"""Sums of a sigmoid or a tanh and the terms it cancels against, written with the complementary sigmoid.

σ(u) rounds to 1 past u = 37, so c σ(u) + r loses everything that is left of c + r there: the SiLU gradient
x(1 − σ(x)) + σ(x)… was −x σ(x) + x + 1 = 0 at x = 1e200 (it is 1), the logistic loss with a positive-class
weight 3 had the gradient (1 + 2t)σ(z) − 3t = 0 at z = 40, t = 1 (it is −3σ(−40) = −1.3e-17). With
σ(u) + σ(−u) = 1,

- c σ(u) + r = (c + r) σ(u) + r σ(−u), whose terms are never larger than those of the sum it replaces
  (|c + r| σ(u) + |r| σ(−u) ≤ |c| σ(u) + |r|): no cancellation is added, the one at σ(u) ≈ 1 is done symbolically
  in c + r;
- tanh u = σ(2u) − σ(−2u) and 1 − tanh² u = 4 σ(2u) σ(−2u), where SymPy then cancels terms: c tanh u + r is
  (c + r) σ(2u) + (r − c) σ(−2u), and c tanh² u + r is (c + r) + 4 c … , only when c + r (or r − c) has fewer terms
  than r (tanh u + 1, 1 − tanh² u: the log-cosh loss's second derivative was 0 at 40, it is 1.8e-34); near u = 0
  these forms could cancel where the sum did not, so a tanh is rewritten only where a cancellation is revealed.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> with_logistic_complements(-x * Sigmoid(x) + x + 1)
(x + 1)*Sigmoid(-x) + Sigmoid(x)
>>> with_logistic_complements(1 - sp.tanh(x) ** 2)
4*Sigmoid(-2*x)*Sigmoid(2*x)
"""
from __future__ import annotations

import sympy as sp
from sympy.core.sorting import default_sort_key

from symml.matrix_calculus.expressions import Sigmoid

__all__ = ["with_logistic_complements"]


def _split(node: sp.Add, factor: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(c, r) with node = c·factor + r, c collected from the terms holding ``factor`` as a factor of a product."""
    coefficient, rest = [], []
    for term in node.args:
        factors = sp.Mul.make_args(term)
        if factor in factors:
            coefficient.append(sp.Mul(*(f for f in factors if f != factor)))
        else:
            rest.append(term)
    return sp.Add(*coefficient), sp.Add(*rest)


def _cancels(combined: sp.Expr, rest: sp.Expr) -> bool:
    return len(sp.Add.make_args(combined)) < len(sp.Add.make_args(rest)) or combined == 0


def _complemented(node: sp.Add) -> sp.Expr:
    """``node`` with its one tanh or tanh² (where a cancellation is revealed), else its one sigmoid, written with the
    complementary sigmoid; or as it is."""
    for power in (1, 2):
        tanhs = sorted({b for t in node.args for f in sp.Mul.make_args(t) for b, e in [f.as_base_exp()]
                        if isinstance(b, sp.tanh) and e == power}, key=default_sort_key)
        if len(tanhs) != 1:
            continue
        c, r = _split(node, tanhs[0] ** power)
        u = tanhs[0].args[0]
        if r == 0 or r.has(tanhs[0] ** power):
            continue
        if power == 1 and (_cancels(c + r, r) or _cancels(r - c, r)):
            return (c + r) * Sigmoid(2 * u) + (r - c) * Sigmoid(-2 * u)
        if power == 2 and _cancels(c + r, r):
            return (c + r) - 4 * c * Sigmoid(2 * u) * Sigmoid(-2 * u)
    sigmoids = sorted({t for t in node.args for t in sp.Mul.make_args(t) if isinstance(t, Sigmoid)},
                      key=default_sort_key)
    if len({sp.Abs(s.args[0]) for s in sigmoids}) == 1:
        c, r = _split(node, sigmoids[0])
        u = sigmoids[0].args[0]
        if r != 0 and not r.has(Sigmoid(u), Sigmoid(-u)):
            return (c + r) * Sigmoid(u) + r * Sigmoid(-u)
    return node


def with_logistic_complements(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each sum of a sigmoid or tanh and the terms it cancels against in the complementary form."""
    if not expr.has(Sigmoid, sp.tanh):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Add), _complemented)
