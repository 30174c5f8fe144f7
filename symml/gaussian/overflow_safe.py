"""Quotients rewritten for evaluation so that no intermediate overflows where the quotient itself is finite.

SymPy combines a result into one fraction, N/D, and NumPy then forms N first: Σ_ab²/Σ_bb squares 1e300, and the
posterior mean (n t² x̄ + m₀)/(n t² + 1) forms x̄ n t² (x̄ = 1e300). Before ``numpy()`` exports a closed form,
each quotient is divided through term by term:

- a sum over the numerator is split, each term over the denominator (−(Σ_ab² − Σ_aa Σ_bb)/Σ_bb -> Σ_aa − Σ_ab²/Σ_bb);
- a term over a sum of weights is divided by its own weight first, a weighted mean written as x̄/(1 + 1/(n t²))
  + m₀/(n t² + 1), each weight at most 1;
- a product over one factor takes the ratio first, Σ_ab (Σ_ab/Σ_bb), kept grouped by :class:`Ratio`.

Only the evaluation changes: the derivation shows the result as derived.

>>> import sympy as sp
>>> a, c, n, t, x, m = sp.symbols("a c n t x m", positive=True)
>>> overflow_safe(a**2 / c), overflow_safe((n * t**2 * x + m) / (n * t**2 + 1))
(a*Ratio(a, c), m/(n*t**2 + 1) + x/(1 + 1/(n*t**2)))
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["Ratio", "overflow_safe"]


class Ratio(sp.Function):
    """a/b, computed as such: the quotient is formed before anything multiplies it (SymPy would merge a·(a/b)
    into a²/b)."""

    nargs = 2

    def _code(self, printer: Any) -> str:
        return f"({printer._print(self.args[0])}/{printer._print(self.args[1])})"

    _numpycode = _scipycode = _pythoncode = _lambdacode = _mpmathcode = _code

    def doit(self, **hints: Any) -> sp.Expr:
        return self.args[0] / self.args[1]


def _parts(term: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    return sp.fraction(term, exact=True)


def _over_weights(numerator: sp.Expr, weights: sp.Add) -> sp.Expr:
    """numerator/(w_1 + ... + w_k) divided by the weight it is proportional to (the simplest quotient)."""
    own = min(weights.args, key=lambda w: (sp.count_ops(sp.cancel(numerator / w)), sp.default_sort_key(w)))
    return sp.cancel(numerator / own) / sp.Add(*(sp.cancel(w / own) for w in weights.args))


def _over_factor(numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr:
    """A product over one factor with its largest power's base divided first."""
    coefficient, factors = numerator.as_coeff_mul()
    powers = [f.as_base_exp() for f in factors]
    if sum(e for _, e in powers if e.is_Integer) < 2 or any(not e.is_Integer or e < 0 for _, e in powers):
        return numerator / denominator
    base, exponent = max(powers, key=lambda p: (p[1], not p[0].is_Add))
    rest = sp.Mul(*(b**e for b, e in powers if b != base)) * base ** (exponent - 1)
    return coefficient * rest * Ratio(base, denominator)


def _divided(quotient: sp.Expr) -> sp.Expr:
    numerator, denominator = _parts(quotient)
    if denominator == 1 or denominator.is_number:
        return quotient
    coefficient, rest = numerator.as_independent(*numerator.free_symbols, as_Add=False)
    if isinstance(rest, sp.Add):
        return sp.Add(*(_divided(coefficient * term / denominator) for term in rest.args))
    if isinstance(denominator, sp.Add):
        return _over_weights(numerator, denominator)
    if not isinstance(denominator, sp.Mul):
        return _over_factor(numerator, denominator)
    return quotient


def overflow_safe(expr: Any) -> Any:
    """``expr`` with each scalar quotient divided through (see the module); matrices and non-quotients unchanged."""
    if not isinstance(expr, sp.Basic):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Mul) and not e.is_Matrix and _parts(e)[1] != 1
                        and not _parts(e)[1].is_number, _divided)
