"""The log of a product of positive factors as the sum of their logs: log prod_i f_i = sum_i log f_i.

Notes write a log-likelihood as the log of a product of densities and differentiate it. SymPy differentiates
``log(Product(f, (i, 1, n)))`` through the product rule of an unevaluated product (a sum over products with
symbolic limits) that no canonical form simplifies, so such steps were only decided numerically, after seconds of
``simplify``. Written as ``Sum(log(f), (i, 1, n))`` the derivative is a sum of the derivatives of the logs, which
``doit + expand`` proves at once. The rewrite is exact where every factor is positive (SymPy's assumptions say so),
and applied only there: for a factor of unknown sign the two sides differ by a multiple of 2 pi i.

>>> import sympy as sp
>>> i, n = sp.symbols("i n", integer=True, positive=True)
>>> mu = sp.Symbol("mu", real=True)
>>> x = sp.IndexedBase("x", real=True)
>>> split_log_products(sp.log(sp.Product(sp.exp(-(x[i] - mu)**2), (i, 1, n))))
Sum(-(-mu + x[i])**2, (i, 1, n))
>>> split_log_products(sp.log(sp.Product(x[i], (i, 1, n))))  # x_i may be negative: kept
log(Product(x[i], (i, 1, n)))
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["split_log_products"]


def split_log_products(expr: Any) -> Any:
    """``expr`` with every ``log(Product(f, limits))`` whose factor ``f`` is positive written ``Sum(log(f), limits)``,
    the log of each factor expanded where that is exact (``log(lambda^{y_i} e^{-lambda}) = y_i log(lambda) - lambda``),
    so that derivatives of the sum stay small."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Product):
        return expr
    return expr.replace(_is_log_of_positive_product,
                        lambda e: sp.Sum(sp.expand_log(sp.log(e.args[0].function)), *e.args[0].limits))


def _is_log_of_positive_product(expr: Any) -> bool:
    return (isinstance(expr, sp.log) and isinstance(expr.args[0], sp.Product)
            and bool(expr.args[0].function.is_positive))
