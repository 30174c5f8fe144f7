"""x log y where x and y vanish together, printed as ``scipy.special.xlogy``: 0 there, its limit.

Entropies and KL divergences hold p log p and p log(p/q); SymPy expands −(1 − p) log(1 − p) into
−log(1 − p) + p log(1 − p). NumPy evaluates each product at p = 0 (or 1) as 0·(−inf) = nan, where the function's
value is its limit, 0. Gathering a sum's terms by log factor and writing each x log y whose x and y vanish
together (y = c·x, c free of x's variables) as xlogy(x, y) — xlog1py(x, t) for x log(1 + t) — makes the
numbers finite there; nothing else changes.

>>> import sympy as sp
>>> p = sp.Symbol("p", positive=True)
>>> with_xlogy(-p*sp.log(p) + p*sp.log(1 - p) - sp.log(1 - p))
XLogY(-p, p) + XLogY(p - 1, 1 - p)
"""
from __future__ import annotations

import sympy as sp
from sympy.codegen.cfunctions import log1p

from symml.scipy_special import XLog1pY, XLogY

__all__ = ["with_xlogy"]


def _vanish_together(x: sp.Expr, y: sp.Expr) -> bool:
    """y = c·x with c free of x's variables and nonzero: y vanishes exactly where x does."""
    if x.is_number or not x.free_symbols <= y.free_symbols:  # cheap refusals first: cancel is the cost here
        return False
    ratio = sp.cancel(y / x)
    return ratio != 0 and ratio.is_finite is not False and not ratio.free_symbols & x.free_symbols


def _argument(logarithm: sp.Expr) -> sp.Expr:
    return 1 + logarithm.args[0] if isinstance(logarithm, log1p) else logarithm.args[0]


def _product(x: sp.Expr, logarithm: sp.Expr) -> sp.Expr:
    if not _vanish_together(x, _argument(logarithm)):
        return x * logarithm
    return (XLog1pY if isinstance(logarithm, log1p) else XLogY)(x, logarithm.args[0])


def _may_pair(term: sp.Expr) -> bool:
    """Whether a term multiplies a log by a factor that shares a variable with the log's argument (p log p), the
    only terms gathering can turn into xlogy; a cheap test before expanding and collecting."""
    factors = sp.Mul.make_args(term)
    outside = set().union(*(f.free_symbols for f in factors if not f.has(sp.log, log1p)))
    return any(outside & logarithm.args[0].free_symbols for logarithm in term.atoms(sp.log, log1p)) or any(
        isinstance(f, sp.Add) and any(_may_pair(t) for t in f.args) for f in factors)


def _gathered(node: sp.Expr) -> sp.Expr:
    """A sum (or one product) with its terms gathered by log factor, as xlogy where the coefficient and the log's
    argument vanish together; unchanged when no term is such."""
    terms = node.args if isinstance(node, sp.Add) else (node,)
    if not any(_may_pair(term) for term in terms):
        return node
    spread = sp.Add(*(sp.expand_mul(term) if term.has(sp.log, log1p) else term for term in terms))
    logarithms = list(spread.atoms(sp.log, log1p))
    gathered = sp.collect(spread, logarithms, evaluate=False)
    pairs = [(coefficient, key) for key, coefficient in gathered.items() if key in logarithms]
    if len(pairs) + (sp.S.One in gathered) != len(gathered) or \
            not any(_vanish_together(x, _argument(key)) for x, key in pairs):
        return node
    return sp.Add(gathered.get(sp.S.One, sp.S.Zero), *(_product(x, key) for x, key in pairs))


def with_xlogy(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each x log y (x log1p t) whose x and y vanish together written as xlogy (xlog1py)."""
    expr = expr.replace(lambda e: isinstance(e, sp.Add) and e.has(sp.log, log1p), _gathered)
    return _gathered(expr) if isinstance(expr, sp.Mul) and expr.has(sp.log, log1p) else expr
