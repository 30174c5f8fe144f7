"""Forms that overflow at large arguments where their value does not, written so that NumPy's numbers stay finite.

- √(a² + b² + c) is hypot(a, b, √c) (nested ``np.hypot``), and its odd powers hypot^k: the pseudo-Huber loss
  δ²(√(1 + (x/δ)²) − 1) at x = 1e200 was inf and its gradient x/√(1 + x²/δ²) was 0 (it is 1: a wrong number, not
  a nan);
- log(1 + r²) is 2 log|r| + log1p(r⁻²) past |r| = 1 and log(Σ rᵢ²) is 2 log hypot(r₁, ...) (log1p(x²) is inf
  past 1e154), and hypot(1, r) − 1 is r²/(hypot(1, r) + 1) for |r| ≤ 1 (it cancels to 0 below 1e-8);
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
    and powers of positive symbols times a positive number; else None."""
    if term.is_number:
        return sp.sqrt(term) if term.is_positive else None
    coefficient, factors = term.as_coeff_Mul()
    if not coefficient.is_positive:
        return None
    roots = []
    for factor in sp.Mul.make_args(factors):
        base, exponent = factor.as_base_exp()
        if not (exponent.is_Integer and exponent % 2 == 0) and not (base.is_positive and exponent.is_Rational):
            return None
        roots.append(base ** (exponent / 2))
    return sp.sqrt(coefficient) * sp.Mul(*roots)


def _hypot_power(node: sp.Pow) -> sp.Expr:
    """(a² + b² + ...)^(k/2), k odd, as hypot(a, b, ...)^k."""
    roots = [_square_root_of(term) for term in node.base.args]
    if any(root is None for root in roots):
        return node
    return _hypot_of(roots) ** (2 * node.exp)


def _log_of_squares(node: sp.log) -> sp.Expr:
    """log(Σ rᵢ²) = 2 log hypot(r₁, r₂, ...); log(1 + r²) = 2 log|r| + log1p(r⁻²) past |r| = 1, log1p(r²) below
    (hypot(1, r) rounds to 1 below |r| = 1e-8, where the log is r²). log1p(r²) alone is inf past |r| = 1e154: the
    Cauchy and Student-t log-likelihoods at large residuals."""
    (argument,) = node.args
    if not isinstance(argument, sp.Add):
        return node
    found = [_square_root_of(term) for term in argument.args]
    roots = [root for root in found if root is not None]
    if len(roots) < len(found) or all(root.is_number for root in roots):
        return node
    if len(roots) == 2 and sp.S.One in roots:
        r = roots[1 - roots.index(sp.S.One)]
        return sp.Piecewise((2 * sp.log(sp.Abs(r)) + log1p(r**-2), sp.Abs(r) > 1), (log1p(r**2), True))
    return 2 * sp.log(_hypot_of(roots))


def _hypot_of(roots: list[sp.Expr]) -> sp.Expr:
    length = roots[0]
    for root in roots[1:]:
        length = Hypot(length, root)
    return length


def _hypot_minus_one(node: sp.Add) -> sp.Expr:
    """hypot(1, r) − 1 = r²/(hypot(1, r) + 1) for |r| ≤ 1: the difference cancels to 0 below |r| = 1e-8 (the
    pseudo-Huber loss δ²(√(1 + x²/δ²) − 1) at x = 1e-9 was 0, it is 5e-19)."""
    hypot = next((t for t in node.args if isinstance(t, Hypot) and t.args[0] == 1), None)
    if hypot is None:
        return node
    r = hypot.args[1]
    return node - hypot + 1 + sp.Piecewise((hypot - 1, sp.Abs(r) > 1), (r**2 / (hypot + 1), True))


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
    expr = expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Add), _log_of_squares)
    expr = expr.replace(_is_half_power_of_a_sum, _hypot_power)
    if expr.has(Hypot):
        expr = expr.replace(lambda e: isinstance(e, sp.Add) and sp.S.NegativeOne in e.args, _hypot_minus_one)
    return expr
