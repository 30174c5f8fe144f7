"""Raw second moments written through the centred one, and quadratics in the sample mean completed to a square.

n mean(x²) − n x̄² loses every digit when the data sit far from zero (offset 1e6, n = 10⁴: terms of 1e16 cancel to
1e4). With mean(x²) = mean((x − x̄)²) + x̄² the x̄² terms cancel symbolically instead, and what is left of x̄ is
completed to A(x̄ − c)² + D: the spread mean((x − x̄)²) and the gap (x̄ − m₀)² are computed from the data by
subtracting first, and read as the textbook's.

>>> import sympy as sp
>>> from symml.mle.statistics import StatisticTable
>>> x, n, m = sp.Symbol("x", real=True), sp.Symbol("n", positive=True), sp.Symbol("m", real=True)
>>> table = StatisticTable(x, sp.IndexedBase("x")[sp.Symbol("i")], n)
>>> centred(n * table.mean(-x**2 / 2) + n * table.mean(x) * m - n * m**2 / 2, table)
-mean((-mean(x) + x)**2)*n/2 - n*(mean(x) - m)**2/2
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from symml.mle.statistics import StatisticTable, statistic_symbols

__all__ = ["centred", "centred_log_density", "completed_inside", "completed_square", "raw_moments", "spread_with_a_point"]


def completed_square(expr: sp.Expr, variable: sp.Symbol,
                     otherwise: Callable[[sp.Expr], sp.Expr] = sp.expand) -> sp.Expr:
    """``expr`` = A v² + B v + C (polynomial of degree 2 in ``variable``) as A (v + B/2A)² + (C − B²/4A); any other
    ``expr`` expanded, and passed to ``otherwise``."""
    expanded = sp.expand(expr)
    if not (expanded.is_polynomial(variable) and sp.degree(expanded, variable) == 2):
        return otherwise(expanded)
    a, b, c = sp.Poly(expanded, variable).all_coeffs()
    return sp.factor(a) * (variable + sp.cancel(b / (2 * a))) ** 2 + sp.factor(sp.cancel(c - b**2 / (4 * a)))


def _quadratic_in(expr: sp.Expr, variable: sp.Symbol) -> bool:
    return expr.is_polynomial(variable) and sp.degree(expr, variable) == 2


def completed_inside(expr: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """Every sum in ``expr`` that is a quadratic in ``variable`` completed to a square (:func:`completed_square`),
    from the outside in: the argument of log(b + n S/2 + n x̄²/2 − n x̄ μ + n μ²/2) becomes b + n S/2 + n(x̄ − μ)²/2.
    A sum's terms free of the variable, or not polynomial in it, stay beside the completed part."""
    if not expr.has(variable) or expr.is_Atom:
        return expr
    if expr.is_Add:
        polynomial = [t for t in expr.args if t.has(variable) and t.is_polynomial(variable)]
        rest = [completed_inside(t, variable) for t in expr.args if t not in polynomial]
        quadratic = sp.expand(sp.Add(*polynomial))
        if polynomial and _quadratic_in(quadratic, variable):
            return sp.Add(completed_square(quadratic, variable), *rest)
        return sp.Add(*polynomial, *rest)
    return expr.func(*(completed_inside(a, variable) for a in expr.args))


def centred(expr: sp.Expr, table: StatisticTable,
            otherwise: Callable[[sp.Expr], sp.Expr] = sp.expand) -> sp.Expr:
    """``expr`` with every sample mean of a quadratic in x, mean(αx² + βx + γ), written as α mean((x − x̄)²) + α x̄²
    + β x̄ + γ and the result completed to a square in x̄ (see the module); when it is no quadratic in x̄, the
    quadratics inside it (the argument of a log) completed, or, with none, the whole passed to ``otherwise``.
    Unchanged when it has no such mean."""
    x = table.observation
    first = table.mean(x)
    quadratic = {}
    for symbol in statistic_symbols(expr):
        summand = sp.expand(symbol.summand)
        if symbol.reduction == "mean" and not statistic_symbols(summand) and summand.is_polynomial(x) \
                and sp.degree(summand, x) == 2:
            alpha, beta, gamma = sp.Poly(summand, x).all_coeffs()
            quadratic[symbol] = (alpha, beta, gamma)
    if not quadratic:
        return expr
    spread = table.mean((x - first) ** 2)
    written = expr.xreplace({s: alpha * (spread + first**2) + beta * first + gamma
                             for s, (alpha, beta, gamma) in quadratic.items()})

    def inside_or_otherwise(expanded: sp.Expr) -> sp.Expr:
        inside = completed_inside(expanded, first)
        return otherwise(expanded) if inside == expanded else inside

    return completed_square(written, first, inside_or_otherwise)


def centred_log_density(expr: sp.Expr, table: StatisticTable, parameters: tuple[sp.Symbol, ...]) -> sp.Expr:
    """A log posterior density written to keep its digits for data far from zero: raw moments through the spread
    (:func:`centred`, the whole unchanged where nothing is completed), its terms free of logs and Γ completed to a
    square in the first parameter they are quadratic in (−(κ₀ + n)(μ − μₙ)²/2σ²), else cancelled over one
    denominator (κ₀μ₀²n/(2σ²(κ₀ + n)) and its twin written with the denominator expanded cancel exactly, not in
    floating point), and what is left of x̄ outside that square completed to one, (x̄ − μ₀)²."""
    written = centred(expr, table, otherwise=lambda expanded: expr)
    if written is expr:
        return expr
    terms = sp.Add.make_args(written)
    rational = sp.Add(*(t for t in terms if not t.has(sp.log, sp.gamma, sp.loggamma)))
    rest = sp.Add(*(t for t in terms if t.has(sp.log, sp.gamma, sp.loggamma)))
    quadratic = next((p for p in parameters if _quadratic_in(sp.expand(rational), p)), None)
    if quadratic is None:
        return completed_inside(sp.factor(sp.cancel(rational)), table.mean(table.observation)) + rest
    remainder, square = completed_square(rational, quadratic).as_independent(quadratic, as_Add=True)
    return square + completed_inside(remainder, table.mean(table.observation)) + rest


def spread_with_a_point(table: StatisticTable, new: sp.Expr) -> tuple[sp.Symbol, sp.Expr]:
    """The spread S = mean((x − x̄)²) and its value on the sample with one more point ``new``, through S, x̄ and n
    alone (Welford): (n S + n/(n + 1) (new − x̄)²)/(n + 1). Through raw moments the same update cancels terms of
    size x̄² (data near 1e6: every digit of S); here the gap new − x̄ is formed first."""
    n, first = table.sample_size, table.mean(table.observation)
    spread = table.mean((table.observation - first) ** 2)
    return spread, (n * spread + n / (n + 1) * (new - first) ** 2) / (n + 1)


def raw_moments(expr: sp.Expr, table: StatisticTable, keep: frozenset[sp.Symbol] = frozenset()) -> sp.Expr:
    """``expr`` with every sample mean of a polynomial in x whose coefficients are statistics (mean((x − x̄)²))
    written through raw moments (mean(x²) − x̄²): the form in which adding an observation updates each mean alone.
    The statistics in ``keep`` stay as they are (the spread, which :func:`spread_with_a_point` updates)."""
    x = table.observation
    written = {}
    for symbol in statistic_symbols(expr) - keep:
        summand = sp.expand(symbol.summand)
        if symbol.reduction == "mean" and statistic_symbols(summand) and summand.is_polynomial(x):
            powers = sp.Poly(summand, x).all_coeffs()[::-1]
            written[symbol] = powers[0] + sum(c * table.mean(x**k) for k, c in enumerate(powers[1:], start=1))
    return expr.xreplace(written)
