"""What the maximum-likelihood engine adds to the solving core (:mod:`symml.optimize`) for log-likelihoods.

- :func:`centre_moments` rewrites raw second moments as centred ones (mean(x^2) - xbar^2 = mean((x - xbar)^2)),
  which is both the textbook form and the numerically stable one; the engine hands it to the core as the
  rewrite applied to every candidate estimator.
- :func:`log_arguments`: the arguments of the logs, positive wherever the likelihood is (facts for the signs).
"""
from __future__ import annotations

import sympy as sp

from symml.mle.statistics import StatisticTable, statistic_symbols
from symml.optimize.scalar_solve import is_trapped

__all__ = ["centre_moments", "is_trapped", "log_arguments"]


def centre_moments(expr: sp.Expr, table: StatisticTable) -> sp.Expr:
    """Rewrite mean(g^2) through a centred moment mean((g - a)^2) when that shortens ``expr``.

    mean(g^2) = mean((g - a)^2) + 2 a mean(g) - a^2 for any a; the candidates for a are mean(g) and the other
    symbols of ``expr`` (a known location). For the Normal: sqrt(mean(x^2) - xbar^2) = sqrt(mean((x - xbar)^2)),
    which is also what keeps the NumPy estimator accurate when the mean is large.

    >>> x, n = sp.Symbol("x", real=True), sp.Symbol("n", positive=True)
    >>> table = StatisticTable(x, sp.IndexedBase("x")[sp.Symbol("i")], n)
    >>> centre_moments(sp.sqrt(table.mean(x**2) - table.mean(x)**2), table)
    sqrt(mean((-mean(x) + x)**2))
    """
    for square in sorted(statistic_symbols(expr), key=str):
        summand = square.summand
        if square.reduction != "mean" or not (summand.is_Pow and summand.exp == 2):
            continue
        base = summand.base
        first = table.mean(base)
        shifts = [first] + sorted(expr.free_symbols - statistic_symbols(expr) - {table.sample_size}, key=str)
        best = expr
        for shift in shifts:
            centred = table.mean((base - shift) ** 2)
            candidate = sp.expand(expr.subs(square, centred + 2 * shift * first - shift**2)) if expr.is_Add else \
                expr.subs(square, centred + 2 * shift * first - shift**2)
            candidate = candidate.replace(lambda e: e.is_Pow and e.base.is_Add, lambda e: sp.expand(e.base) ** e.exp)
            if sp.count_ops(candidate) < sp.count_ops(best) and square not in candidate.free_symbols:
                best = candidate
        expr = best
    return expr


def log_arguments(loglik: sp.Expr, parameters: set) -> list[sp.Expr]:
    """The arguments of the logs that involve the parameters: positive wherever the likelihood is positive.

    >>> p, n = sp.Symbol("p", positive=True), sp.Symbol("n", positive=True)
    >>> log_arguments(n*sp.log(1 - p) + sp.log(n), {p})
    [1 - p]
    """
    return [f.args[0] for f in loglik.atoms(sp.log) if f.args[0].free_symbols & parameters]

