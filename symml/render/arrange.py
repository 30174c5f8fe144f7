"""Value-preserving rewrites that make a formula read as a person writes it, applied just before printing.

SymPy keeps sums in its canonical form: ``-log(pi)/2 - log(2)/2``, ``-mu/sigma**2 + xbar/sigma**2``. Printed as
they are, these read like a computer algebra system; a textbook writes ``-1/2 log(2 pi)`` and
``(xbar - mu)/sigma**2``. :func:`arrange` rewrites every sum in an expression:

- logarithms of numbers with the same coefficient are collected into one: ``-log(2)/2 - log(pi)/2`` ->
  ``-log(2 pi)/2``;
- a factor common to every term is pulled out of the sum, or the terms are put over their common
  denominator, whichever has fewer operations (a sign alone is not pulled out);
- a product's minus sign is taken into a divisor that is a quantity minus a number: ``-1/(p (p - 1))`` ->
  ``1/(p (1 - p))``.

Only the grouping changes, never the value (the tests evaluate both at random points); the order of the terms
is the printer's business (positive terms first).

>>> mu, xbar, sigma = sp.symbols("mu xbar sigma", positive=True)
>>> arrange(-mu/sigma**2 + xbar/sigma**2)
(-mu + xbar)/sigma**2
>>> arrange(-sp.log(sp.pi)/2 - sp.log(2)/2 - sp.log(sigma))
-log(sigma) - log(2*pi)/2
>>> p = sp.Symbol("p", positive=True)
>>> arrange(-1/(p*(p - 1)))
1/(p*(1 - p))
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import sympy as sp

__all__ = ["arrange"]


def arrange(expr: Any) -> Any:
    """``expr`` with each scalar sum regrouped for reading (same value); other objects are returned as they are."""
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(arrange)
    if isinstance(expr, sp.Tuple):
        return sp.Tuple(*(arrange(a) for a in expr.args))
    if isinstance(expr, sp.Rel):
        return expr.func(arrange(expr.lhs), arrange(expr.rhs), evaluate=False)
    if isinstance(expr, (sp.MatMul, sp.MatAdd)):
        # a scalar coefficient of a matrix product reads like any other sum: -d log(2π)/2, not -d log π/2 - d log 2/2
        matrix_args = tuple(arrange(a) for a in expr.args)
        return expr if matrix_args == expr.args else _rebuild(expr, matrix_args)
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr) or not expr.args or expr.is_Atom:
        return expr
    if any(isinstance(a, sp.MatrixExpr) for a in expr.args) or not expr.is_commutative:
        return expr
    if isinstance(expr, sp.exp) and expr.args[0].as_coeff_Mul()[1].func is sp.loggamma:
        # exp(log Gamma(a)) is Gamma(a): SymPy writes the Student-t normaliser through loggamma
        power, logarithm = expr.args[0].as_coeff_Mul()
        return sp.Pow(sp.gamma(arrange(logarithm.args[0])), power)
    args = tuple(arrange(a) if isinstance(a, sp.Basic) else a for a in expr.args)
    rebuilt = expr if args == expr.args else _rebuild(expr, args)
    if isinstance(rebuilt, sp.Mul):
        return _sign_into_a_difference(rebuilt)
    return _regroup(rebuilt) if isinstance(rebuilt, sp.Add) else rebuilt


def _sign_into_a_difference(product: sp.Mul) -> sp.Expr:
    """-x/(p - 1) is x/(1 - p): the sign goes into a divisor that is a quantity minus a number (1 - p, 1 - x̄,
    1 - t read as textbooks write them); other differences keep their order (-b/(ad - bc), -(x - μ)/b)."""
    coefficient, rest = product.as_coeff_Mul()
    if not (coefficient.is_Rational and coefficient.is_negative):
        return product
    factors = sp.Mul.make_args(rest)
    for position, factor in enumerate(factors):
        base, exponent = factor.as_base_exp()
        if not (isinstance(base, sp.Add) and len(base.args) == 2 and exponent.is_integer and exponent.is_odd
                and exponent.is_negative):
            continue
        number, quantity = base.as_coeff_Add()
        if number.is_negative and not quantity.could_extract_minus_sign():
            return sp.Mul(-coefficient, *factors[:position], sp.Pow(-number - quantity, exponent),
                          *factors[position + 1:])
    return product


def _rebuild(expr: sp.Expr, args: tuple) -> sp.Expr:
    try:
        return expr.func(*args)
    except (TypeError, ValueError):  # a class that cannot be rebuilt from its arguments is shown as it was
        return expr


def _regroup(add: sp.Add) -> sp.Expr:
    collected = _collect_logs_of_numbers(add)
    candidates = []
    if isinstance(collected, sp.Add) and not collected.has(sp.Sum, sp.Product, sp.Integral):
        # over a common denominator only when every term is a fraction: x/s + y/s, not x/s - log s
        together = sp.together(collected) if all(sp.fraction(t)[1] != 1 for t in collected.args) else collected
        try:
            factored = sp.factor_terms(collected, radical=False)
        except TypeError:  # a 1 x 1 Scalar(...) of a matrix sum inside: SymPy refuses to mix its terms with scalars
            factored = collected
        candidates += [c for c in (factored, together) if _pulls_more_than_a_sign(c)]
    return min([*candidates, collected], key=sp.count_ops)  # on a tie, the grouped form


def _pulls_more_than_a_sign(candidate: sp.Expr) -> bool:
    if not isinstance(candidate, sp.Mul):
        return False
    outside = candidate.as_independent(sp.Add, as_Add=False)[0]
    return outside not in (sp.S.One, sp.S.NegativeOne)


def _collect_logs_of_numbers(add: sp.Add) -> sp.Expr:
    """c log a + c log b -> c log(a b), c log a - c log b -> c log(a/b), for positive numbers a, b."""
    by_size: dict[sp.Expr, list[tuple[sp.Expr, int]]] = defaultdict(list)
    others = []
    for term in add.args:
        # the coefficient may be symbolic: n log(pi)/2 + n log(2)/2 is n log(2 pi)/2
        logs = [f for f in sp.Mul.make_args(term)
                if isinstance(f, sp.log) and not f.free_symbols and f.args[0].is_positive]
        if len(logs) != 1:
            others.append(term)
            continue
        number, symbolic = (term / logs[0]).as_coeff_Mul()
        by_size[abs(number) * symbolic].append((logs[0].args[0], 1 if number > 0 else -1))
    if all(len(logs) < 2 for logs in by_size.values()):
        return add
    collected = []
    for size, logs in by_size.items():
        sign = -1 if all(s < 0 for _, s in logs) else 1
        collected.append(sign * size * sp.log(sp.Mul(*(a ** (s * sign) for a, s in logs))))
    return sp.Add(*others, *collected)
