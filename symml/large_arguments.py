"""Forms that overflow at large arguments where their value does not, written so that NumPy's numbers stay finite.

- √(a² + b² + c) is hypot(a, b, √c) (nested ``np.hypot``), and its odd powers hypot^k: the pseudo-Huber loss
  δ²(√(1 + (x/δ)²) − 1) at x = 1e200 was inf and its gradient x/√(1 + x²/δ²) was 0 (it is 1: a wrong number, not
  a nan);
- log cosh u is |u| + log1p(e^{−2|u|}) − log 2 (the log-cosh loss was inf at u = 1e3);
- a quotient of sinh u and cosh u is a function of tanh u: sinh u = tanh u · cosh u, the powers of cosh u
  cancelled (the log-cosh gradient sinh u/cosh u was inf/inf = nan at u = 1e3; its second derivative
  (cosh²u − sinh²u)/cosh²u is 1 − tanh²u).

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> with_large_arguments(x / sp.sqrt(x**2 + 1))
x/Hypot(1, x)
>>> with_large_arguments(sp.sinh(x) / sp.cosh(x))
tanh(x)
"""
from __future__ import annotations

import sympy as sp
from sympy.codegen.cfunctions import log1p

from symml.scipy_special import Hypot

__all__ = ["with_large_arguments"]


def _square_root_of(term: sp.Expr) -> sp.Expr | None:
    """A number r with r² = term, when the term is a positive number or a product of even powers (x², (x/δ)²)
    times a positive number; else None."""
    if term.is_number:
        return sp.sqrt(term) if term.is_positive else None
    coefficient, factors = term.as_coeff_Mul()
    if not coefficient.is_positive:
        return None
    roots = []
    for factor in sp.Mul.make_args(factors):
        base, exponent = factor.as_base_exp()
        if not (exponent.is_Integer and exponent % 2 == 0):
            return None
        roots.append(base ** (exponent / 2))
    return sp.sqrt(coefficient) * sp.Mul(*roots)


def _hypot_power(node: sp.Pow) -> sp.Expr:
    """(a² + b² + ...)^(k/2), k odd, as hypot(a, b, ...)^k."""
    roots = [_square_root_of(term) for term in node.base.args]
    if any(root is None for root in roots):
        return node
    length = roots[0]
    for root in roots[1:]:
        length = Hypot(length, root)
    return length ** (2 * node.exp)


def _is_half_power_of_a_sum(node: sp.Basic) -> bool:
    return isinstance(node, sp.Pow) and isinstance(node.base, sp.Add) and node.exp.is_Rational \
        and node.exp.q == 2


def _log_cosh(node: sp.log) -> sp.Expr:
    (argument,) = node.args
    if not isinstance(argument, sp.cosh):
        return node
    size = sp.Abs(argument.args[0])
    return size + log1p(sp.exp(-2 * size)) - sp.log(2)


def _through_tanh(expr: sp.Expr) -> sp.Expr:
    """sinh u = tanh u · cosh u; kept only when every cosh u then cancels."""
    for hyperbolic in expr.atoms(sp.sinh):
        u = hyperbolic.args[0]
        cosh, tanh = sp.cosh(u), sp.Dummy("tanh")
        if not expr.has(cosh):
            continue
        cancelled = sp.cancel(expr.xreplace({hyperbolic: tanh * cosh}))
        if not cancelled.has(cosh):
            expr = cancelled.xreplace({tanh: sp.tanh(u)})
    return expr


def with_large_arguments(expr: sp.Expr) -> sp.Expr:
    """``expr`` with square roots of sums of squares as hypot, log cosh and quotients of sinh and cosh rewritten."""
    if expr.has(sp.sinh) and expr.has(sp.cosh):
        expr = _through_tanh(expr)
    if expr.has(sp.cosh):
        expr = expr.replace(lambda e: isinstance(e, sp.log), _log_cosh)
    return expr.replace(_is_half_power_of_a_sum, _hypot_power)
