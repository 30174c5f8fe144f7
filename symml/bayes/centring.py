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

__all__ = ["centred", "completed_square", "raw_moments"]


def completed_square(expr: sp.Expr, variable: sp.Symbol,
                     otherwise: Callable[[sp.Expr], sp.Expr] = sp.expand) -> sp.Expr:
    """``expr`` = A v² + B v + C (polynomial of degree 2 in ``variable``) as A (v + B/2A)² + (C − B²/4A); any other
    ``expr`` expanded, and passed to ``otherwise``."""
    expanded = sp.expand(expr)
    if not (expanded.is_polynomial(variable) and sp.degree(expanded, variable) == 2):
        return otherwise(expanded)
    a, b, c = sp.Poly(expanded, variable).all_coeffs()
    return sp.factor(a) * (variable + sp.cancel(b / (2 * a))) ** 2 + sp.factor(sp.cancel(c - b**2 / (4 * a)))


def centred(expr: sp.Expr, table: StatisticTable,
            otherwise: Callable[[sp.Expr], sp.Expr] = sp.expand) -> sp.Expr:
    """``expr`` with every sample mean of a quadratic in x, mean(αx² + βx + γ), written as α mean((x − x̄)²) + α x̄²
    + β x̄ + γ and the result completed to a square in x̄ (see the module), or passed to ``otherwise`` when it is no
    quadratic in x̄. Unchanged when it has no such mean."""
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
    return completed_square(written, first, otherwise)


def raw_moments(expr: sp.Expr, table: StatisticTable) -> sp.Expr:
    """``expr`` with every sample mean of a polynomial in x whose coefficients are statistics (mean((x − x̄)²))
    written through raw moments (mean(x²) − x̄²): the form in which adding an observation updates each mean alone."""
    x = table.observation
    written = {}
    for symbol in statistic_symbols(expr):
        summand = sp.expand(symbol.summand)
        if symbol.reduction == "mean" and statistic_symbols(summand) and summand.is_polynomial(x):
            powers = sp.Poly(summand, x).all_coeffs()[::-1]
            written[symbol] = powers[0] + sum(c * table.mean(x**k) for k, c in enumerate(powers[1:], start=1))
    return expr.xreplace(written)
