"""Value-preserving rewrites that make a formula read as a person writes it, applied just before printing.

SymPy keeps sums in its canonical form: ``-log(pi)/2 - log(2)/2``, ``-mu/sigma**2 + xbar/sigma**2``. Printed as
they are, these read like a computer algebra system; a textbook writes ``-1/2 log(2 pi)`` and
``(xbar - mu)/sigma**2``. :func:`arrange` rewrites every sum in an expression:

- logarithms of numbers with the same coefficient are collected into one: ``-log(2)/2 - log(pi)/2`` ->
  ``-log(2 pi)/2``;
- a factor common to every term is pulled out of the sum, or the terms are put over their common
  denominator, whichever has fewer operations (a sign alone is not pulled out);
- terms are collected by their logarithm, and logarithms with opposite coefficients become the log of a ratio:
  ``p log p - p log q`` -> ``p log(p/q)``;
- a product's minus sign is taken into a divisor that is a quantity minus a number: ``-1/(p (p - 1))`` ->
  ``1/(p (1 - p))``;
- perfect squares among a sum's terms are written as squares: ``m1² - 2 m1 m2 + m2²`` -> ``(m1 - m2)²``.

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
>>> q = sp.Symbol("q", positive=True)
>>> arrange(p*sp.log(p) - p*sp.log(q) + (1 - p)*sp.log(1 - p) - (1 - p)*sp.log(1 - q))
p*log(p/q) + (1 - p)*log((1 - p)/(1 - q))
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.mul import _keep_coeff

from symml.squares import completed_squares

__all__ = ["arrange"]


def arrange(expr: Any) -> Any:
    """``expr`` with each scalar sum regrouped for reading (same value); other objects are returned as they are."""
    return _arranged(_Exactly(expr)) if isinstance(expr, sp.Basic) else _arrange(expr)


@lru_cache(maxsize=4096)
def _arranged(key: _Exactly) -> Any:
    """:func:`arrange` once per distinct node: a derivation's lines share their subexpressions (the entries of a
    Hessian, a step's result in the next step), and each line is arranged by the printer and again to find the
    shared names and their definitions; regrouping the same sum again cost most of the time to print."""
    return _arrange(key.expr)


class _Exactly:
    """An expression as a cache key equal only to itself, the same object: comparing equal trees walks them whole
    (without end on a deep DAG of shared layers), and SymPy calls some objects of different classes equal (ℝ and
    the interval (−∞, ∞)), which print differently. A derivation's lines are the same objects each time they are
    arranged, and SymPy's own cache makes a repeated subexpression mostly one object."""

    __slots__ = ("expr",)

    def __init__(self, expr: sp.Basic) -> None:
        self.expr = expr

    def __hash__(self) -> int:
        return id(self.expr)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Exactly) and self.expr is other.expr


def _arrange(expr: Any) -> Any:
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
    if isinstance(expr, sp.Sum) and not isinstance(expr.function, sp.Add) and expr.function.could_extract_minus_sign():
        return -arrange(sp.Sum(-expr.function, *expr.limits))  # - Σ log x_i, not Σ (- log x_i)
    if isinstance(expr, sp.exp):
        powers = _powers_of_logs(expr)
        if powers is not None:
            return powers
    by_ratio = _logs_of_ratios(expr) if isinstance(expr, sp.Add) else None
    if by_ratio is not None:  # the form a textbook writes (KL, cross-entropy), before the parts are regrouped
        return by_ratio
    args = tuple(arrange(a) if isinstance(a, sp.Basic) else a for a in expr.args)
    rebuilt = expr if args == expr.args else _rebuild(expr, args)
    if isinstance(rebuilt, sp.Mul):
        from_logs = [new for old, new in zip(expr.args, args)
                     if isinstance(old, sp.exp) and not isinstance(new, sp.exp)]
        if from_logs:
            rebuilt = _powers_joined(rebuilt, {f.as_base_exp()[0] for f in sp.Mul(*from_logs).args})
        return _sign_into_a_difference(rebuilt) if isinstance(rebuilt, sp.Mul) else rebuilt
    if isinstance(rebuilt, sp.Add):  # m₁² − 2m₁m₂ + m₂² is (m₁ − m₂)², before the rest is regrouped
        squared = completed_squares(rebuilt)
        return _regroup(squared) if isinstance(squared, sp.Add) else squared
    return rebuilt


def _powers_of_logs(exponential: sp.exp) -> sp.Expr | None:
    """exp(c log u + d) as u^c exp(d), and exp(c log Γ(a)) as Γ(a)^c (SymPy writes the Student-t normaliser through
    loggamma); None where the exponent has no such term. The same value: u^c is exp(c log u) by definition (the
    principal branch, as SymPy's Pow), so the powers meet the product's other powers of u (u^{-a} / √u is
    u^{-a-1/2}) and the reader sees a density's kernel, not the exponential of logarithms."""
    powers, rest = [], []
    for term in sp.Add.make_args(exponential.args[0]):
        logs = [f for f in sp.Mul.make_args(term) if isinstance(f, (sp.log, sp.loggamma))]
        coefficient = term / logs[0] if len(logs) == 1 else None
        if coefficient is None or coefficient.has(sp.log, sp.loggamma, sp.MatrixExpr):
            rest.append(term)
            continue
        base = logs[0].args[0] if isinstance(logs[0], sp.log) else sp.gamma(logs[0].args[0])
        powers.append(sp.Pow(arrange(base), arrange(coefficient)))
    if not powers:
        return None
    return sp.Mul(*powers, sp.exp(arrange(sp.Add(*rest))))


def _powers_joined(product: sp.Expr, bases: set) -> sp.Expr:
    """The powers of each of ``bases`` in a product joined where their exponents add up to terms of one sign: u^c
    from exp(c log u) meets 1/√u as u^{-a-1/2}, a power wholly below the fraction line (SymPy keeps a rational power
    apart from a symbolic one); √(k + n) (k + n)^{-a} stays as it is, over (k + n)^a, not (k + n)^{1/2 - a}. Other
    factors stay as the step wrote them (x x^{k-1}: x times the density)."""
    if not isinstance(product, sp.Mul):
        return product
    exponents: dict = defaultdict(list)
    for factor in product.args:
        base, exponent = factor.as_base_exp() if not isinstance(factor, sp.exp) else (factor, sp.S.One)
        exponents[base if base in bases else factor].append(exponent if base in bases else sp.S.One)
    joined = {base: sp.Add(*powers) for base, powers in exponents.items() if len(powers) > 1}
    joined = {base: total for base, total in joined.items()
              if len({term.could_extract_minus_sign() for term in sp.Add.make_args(total)}) == 1}
    if not joined:
        return product
    return sp.Mul(*(sp.Pow(base, joined[base]) if base in joined else sp.Mul(*(sp.Pow(base, p) for p in powers))
                    for base, powers in exponents.items()))


def _sign_into_a_difference(product: sp.Mul) -> sp.Expr:
    """-x/(p - 1) is x/(1 - p): the sign goes into a divisor that is a quantity minus a number (1 - p, 1 - x̄,
    1 - t read as textbooks write them); other differences keep their order (-b/(ad - bc), -(x - μ)/b). A factor
    whose terms are all negative gives its sign to the product: -n (k log θ + log Γ(k)), not n (-k log θ - ...)."""
    negated = next((f for f in product.args if isinstance(f, sp.Add)
                    and all(t.could_extract_minus_sign() for t in f.args)), None)
    if negated is not None:
        return -sp.Mul(*(-f if f is negated else f for f in product.args))
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
        together = _matrix_scalars_held(collected, sp.together) \
            if all(sp.fraction(t)[1] != 1 for t in collected.args) else collected
        # (a 1 x 1 Scalar of a matrix sum, held as a symbol, no longer makes factor_terms raise a TypeError)
        factored = _matrix_scalars_held(collected, lambda e: sp.factor_terms(e, radical=False))
        candidates += [c for c in (factored, together) if _pulls_more_than_a_sign(c)]
    return min([*candidates, collected], key=sp.count_ops)  # on a tie, the grouped form


def _matrix_scalars_held(expr: sp.Expr, rewrite: Any) -> sp.Expr:
    """``rewrite(expr)`` with each scalar made of a matrix expression (tr S, mᵀm, det Σ) held as one symbol.

    factor_terms and together otherwise descend into the matrices and rebuild every product they meet
    (MatMul.doit: seconds on a layer-norm gradient) for a regrouping that concerns only the scalar sum around
    them. The scalar, not the matrix inside it, is held: tr(symbol) would not even build."""
    held: dict[sp.Basic, sp.Dummy] = {}

    def hold(node: sp.Basic) -> sp.Basic:
        if isinstance(node, sp.MatrixExpr) or not node.args:
            return node
        if any(isinstance(a, sp.MatrixExpr) for a in node.args):
            if node not in held:
                held[node] = sp.Dummy("m", commutative=bool(node.is_commutative))
            return held[node]
        args = tuple(hold(a) for a in node.args)
        return node if args == node.args else _rebuild(node, args)

    skeleton = hold(expr)
    if not held:
        return rewrite(expr)
    back = {symbol: node for node, symbol in held.items()}

    def restore(node: sp.Basic) -> sp.Basic:
        if node in back:
            return back[node]
        if not node.has(*back):
            return node
        coefficient, rest = node.as_coeff_Mul() if isinstance(node, sp.Mul) else (sp.S.One, node)
        if coefficient is not sp.S.One:  # (M/α − mᵀm − tr S)/2 as factor_terms wrote it, not distributed again
            return _keep_coeff(coefficient, restore(rest))
        return _rebuild(node, tuple(restore(a) for a in node.args))

    return restore(rewrite(skeleton))


def _logs_of_ratios(add: sp.Add) -> sp.Expr | None:
    """The terms collected by their logarithm, with two logarithms of opposite coefficients merged into the log
    of a ratio (p log p - p log q -> p log(p/q)), each part arranged; None where nothing merges. Logarithms with
    number coefficients are merged only when there are two (log s2 - log s1), not paired at random among more."""
    if len(add.args) > _MOST_TERMS or add.has(sp.Sum, sp.Product, sp.Integral) or not add.is_commutative:
        return None
    expanded = sp.Add(*(sp.expand_mul(term, deep=False) for term in add.args))
    logs = sorted((f for f in expanded.atoms(sp.log) if f.free_symbols), key=sp.default_sort_key)
    if len(logs) < 2 or not isinstance(expanded, sp.Add) or len(expanded.args) > _MOST_TERMS or \
            any(f.has(AppliedUndef) for f in logs):  # log π₀(p) - log Z(x): named quantities stay apart
        return None
    by_log = sp.collect(expanded, logs, evaluate=False)
    if any(coefficient.has(*logs) for coefficient in by_log.values()) or \
            (len(logs) > 2 and any(by_log.get(f, sp.S.Zero).is_Number for f in logs)):
        return None
    terms, merged = [arrange(by_log.pop(sp.S.One, sp.S.Zero))], False
    while by_log:
        logarithm, coefficient = by_log.popitem()
        partner = next((other for other, c in by_log.items() if sp.expand(c + coefficient) == 0), None)
        if partner is not None:
            del by_log[partner]
            if _reads_negative(coefficient):  # p log(p/q), not -p log(q/p); (1 - p) log(...), not (p - 1) log(...)
                logarithm, partner, coefficient = partner, logarithm, -coefficient
            logarithm, merged = sp.log(arrange(logarithm.args[0] / partner.args[0])), True
        terms.append(sp.factor_terms(arrange(coefficient)) * logarithm)
    return sp.Add(*terms) if merged else None


def _reads_negative(coefficient: sp.Expr) -> bool:
    """Whether the coefficient reads better negated: -p, or p - 1 (1 - p reads as a probability's complement)."""
    number, rest = coefficient.as_coeff_Add()
    if isinstance(coefficient, sp.Add) and number != 0:
        return bool(number.is_negative)  # SymPy calls 1 - p negative and p - 1 positive
    return bool(coefficient.could_extract_minus_sign())


#: Sums longer than this are not regrouped by logarithm (collecting costs grow with the terms, and a long sum
#: is no easier to read regrouped).
_MOST_TERMS = 12


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
