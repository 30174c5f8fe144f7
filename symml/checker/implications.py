r"""Equations that follow from the conditions imposed before them, not only from the last one.

Derivations impose several equations and then combine them: two stationarity conditions, a constraint, the
equations of two points on a hyperplane (``w^T x_1 + b = 0`` and ``w^T x_2 + b = 0``, then "subtracting the two
equations", ``w^T (x_1 - x_2) = 0``), or the same condition rescaled (``-n/\sigma + S/\sigma^3 = 0`` becomes
``-n + S/\sigma^2 = 0`` for a positive sigma). An equation ``e = 0`` is implied here when

- ``e`` is one of the recent conditions times a factor that cannot vanish (a number, or a product of powers of
  positive symbols), or
- ``e`` is a recent condition, times such a factor, with a symbol eliminated by solving another one for it
  (``-n + S(\mu)/\sigma^2 = 0`` and ``\sum_i x_i - n\mu = 0`` give ``-n + S(\bar x)/\sigma^2 = 0``), or
- ``e`` is a combination ``a c_1 + b c_2`` of two recent conditions with coefficients free of the equation's
  unknowns (found by matching coefficients, then confirmed by :func:`symml.checker.decide.decide`).

Nothing here reports an equation wrong: one that is not implied this way may use a fact the notes state in
words, so the caller keeps it a condition.

>>> import sympy as sp
>>> w, b, x1, x2 = sp.symbols("w b x1 x2", real=True)
>>> implied_by(w * (x1 - x2), [(w * x1 + b, "line 1"), (w * x2 + b, "line 2")])
'line 2 with b from line 1'
"""
from __future__ import annotations

from itertools import combinations, permutations
from typing import Any, Sequence

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.checker.decide import decide, split_sums
from symml.checker.failures import SYMPY_FAILURES
from symml.errors import BudgetExceededError

__all__ = ["implied_by", "RECENT", "nonvanishing_ratio"]

#: How many of the latest conditions an equation may be derived from.
RECENT = 4


def implied_by(equation: Any, conditions: Sequence[tuple[Any, str]], **options: Any) -> str | None:
    """How ``equation = 0`` follows from the recent ``conditions`` (``(expression, label)`` each meaning
    ``expression = 0``, oldest first): a phrase naming them, or None when it does not follow in one of the two
    ways of the module docstring."""
    if not isinstance(equation, sp.Expr) or equation == 0:
        return None
    recent = [(c, label) for c, label in conditions[-RECENT:] if isinstance(c, sp.Expr) and c != 0]
    for way in (_rescaled, _eliminated, _combined):  # each under its own budget, the cheaper first
        try:
            found = within(SOLVE_SECONDS, "an implication from earlier conditions", way, equation, recent, options)
        except BudgetExceededError:
            continue
        except SYMPY_FAILURES:
            continue
        if found is not None:
            return found
    return None


def _rescaled(equation: sp.Expr, recent: list[tuple[sp.Expr, str]], options: dict) -> str | None:
    for condition, label in reversed(recent):
        factor = nonvanishing_ratio(equation, condition)
        if factor is not None and decide(equation, factor * condition, **options):
            return f"the equation of {label}" + ("" if factor == 1 else f" times {factor}")
    return None


def _combined(equation: sp.Expr, recent: list[tuple[sp.Expr, str]], options: dict) -> str | None:
    unknowns = _atoms(equation)
    for (first, first_label), (second, second_label) in combinations(recent, 2):
        coefficients = _combination(equation, first, second, unknowns)
        if coefficients is None:
            continue
        a, b = coefficients
        if decide(equation, a * first + b * second, **options):
            return _describe(a, first_label, b, second_label)
    return None


def _eliminated(equation: sp.Expr, recent: list[tuple[sp.Expr, str]], options: dict) -> str | None:
    unknowns = _atoms(equation)
    for (condition, label), (solved, solved_label) in permutations(reversed(recent), 2):
        for symbol in sorted(_atoms(condition) - unknowns, key=str):
            # solved for a symbol it holds outside sums (SymPy does not solve inside them, and may take long trying)
            if not isinstance(symbol, sp.Symbol) or symbol not in solved.free_symbols or any(
                    total.has(symbol) for total in solved.atoms(sp.Sum, sp.Product)):
                continue
            for solution in _solve(solved, symbol):
                eliminated = condition.xreplace({symbol: solution})
                factor = nonvanishing_ratio(equation, eliminated) or 1  # 1: sums SymPy cannot cancel
                if decide(equation, factor * eliminated, **options):
                    return f"{label} with {symbol} from {solved_label}"
    return None


def _solve(condition: sp.Expr, symbol: sp.Symbol) -> list[Any]:
    """The solutions of ``condition = 0`` for ``symbol`` that do not contain it (none if SymPy cannot)."""
    solutions = sp.solve(split_sums(condition.doit()), symbol)
    return [s for s in solutions if not s.has(symbol)][:2]


def nonvanishing_ratio(equation: sp.Expr, condition: sp.Expr) -> sp.Expr | None:
    """``equation / condition`` when it is a factor that cannot be zero: a nonzero number or a product of
    powers of positive symbols (with a number)."""
    ratio = sp.cancel(sp.together(split_sums(equation.doit()) / split_sums(condition.doit())))
    coefficient, rest = ratio.as_coeff_Mul()
    if coefficient == 0 or not coefficient.is_finite:
        return None
    for factor in sp.Mul.make_args(rest):
        base, _ = factor.as_base_exp()
        if factor != 1 and not (isinstance(base, sp.Symbol) and base.is_positive):
            return None
    return ratio


def _atoms(expr: sp.Expr) -> set[Any]:
    """The unknowns of an equation: its symbols, its data entries outside sums, and its sums (as wholes)."""
    bound = {limit[0] for operator in expr.atoms(sp.Sum, sp.Product) for limit in operator.limits}
    entries = {e for e in expr.atoms(sp.Indexed) if not set(e.indices) & bound}
    return {s for s in expr.free_symbols if s not in bound} | entries | expr.atoms(sp.Sum, sp.Product)


def _combination(equation: sp.Expr, first: sp.Expr, second: sp.Expr, unknowns: set) -> tuple[Any, Any] | None:
    """Coefficients ``(a, b)``, free of the unknowns, with ``equation = a first + b second`` term by term."""
    a, b = sp.Dummy("a"), sp.Dummy("b")
    residual = sp.expand(split_sums(equation.doit()) - a * split_sums(first.doit()) - b * split_sums(second.doit()))
    generators = sorted(unknowns | _atoms(first) | _atoms(second), key=sp.default_sort_key)
    if not generators:
        return None
    try:
        polynomial = sp.Poly(residual, *generators)
    except sp.PolynomialError:
        return None
    solution = sp.solve(polynomial.coeffs(), [a, b], dict=True)
    if len(solution) != 1 or set(solution[0]) != {a, b}:
        return None
    found = solution[0][a], solution[0][b]
    if any(c == 0 or c.free_symbols & unknowns for c in found):
        return None
    return found


def _describe(a: Any, first: str, b: Any, second: str) -> str:
    if (a, b) == (1, -1):
        return f"{first} minus {second}"
    if (a, b) == (-1, 1):
        return f"{second} minus {first}"
    if (a, b) == (1, 1):
        return f"{first} plus {second}"
    return f"{a} times {first} plus {b} times {second}"
