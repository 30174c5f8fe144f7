"""Perfect squares inside sums, written back as squares: k u² ∓ 2k u v + k v² = k (u ∓ v)².

Expectations, KL divergences and completed log-densities come out of the engine expanded: the Normal KL's
``m₁² − 2m₁m₂ + m₂² + s₁² − s₂²`` over ``2s₂²``. Written that way it reads like a computer algebra system, and in
floating point it cancels catastrophically: at m₁ = 10⁸, m₂ = 10⁸ + 1 the expanded KL evaluates to 0 instead of 0.5.
:func:`completed_squares` finds the three terms of each square among a sum's terms and writes them as one square
(the identity itself, for any values: nothing is assumed about the names). It serves the printer (how a textbook
writes the KL) and the NumPy export (no cancellation of large squares).

>>> m1, m2, s = sp.symbols("m1 m2 s", positive=True)
>>> completed_squares(m1**2/(2*s**2) - m1*m2/s**2 + m2**2/(2*s**2) + 1)
1 + (m1 - m2)**2/(2*s**2)
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["completed_squares", "squares_for_floating_point"]

#: Sums with more terms are left as they are: the search is over pairs of terms, and such sums are rare results.
_MOST_TERMS = 16


def completed_squares(expr: Any) -> Any:
    """``expr`` with every perfect square among the terms of its sums written as a square (same value)."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Add):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Add) and 3 <= len(e.args) <= _MOST_TERMS and e.is_commutative,
                        _squares_of)


def _squares_of(add: sp.Add) -> sp.Expr:
    terms = list(add.args)
    while (found := _one_square(terms)) is not None:
        used, square = found
        terms = [t for position, t in enumerate(terms) if position not in used] + [square]
    return sp.Add(*terms) if len(terms) != len(add.args) else add


def _one_square(terms: list) -> tuple[set, sp.Expr] | None:
    """The positions of the three terms k u², ±2k u v, k v² of one square, and the square; None if there is none."""
    position_of = {term: position for position, term in enumerate(terms)}
    for position, cross in enumerate(terms):
        names = [f for f in sp.Mul.make_args(cross) if isinstance(f, (sp.Symbol, sp.Indexed))]
        for first in range(len(names)):
            for second in range(first + 1, len(names)):
                u, v = names[first], names[second]
                if u == v:
                    continue
                coefficient = cross / (u * v)
                for sign in (1, -1):
                    k = sign * coefficient / 2  # cross = 2 sign k u v
                    squares = (position_of.get(k * u**2), position_of.get(k * v**2))
                    if None not in squares:
                        return {position, *squares}, k * (u + sign * v) ** 2
    return None


def squares_for_floating_point(expr: Any) -> Any:
    """``expr`` for evaluation in floats: each product of exponentials as one exponential, then every perfect
    square written as a square. exp(−m₁²/2s²) exp(−m₂²/2s²) exp(m₁m₂/s²), as the Normal–Laplace KL comes out, is
    0 · 0 · ∞ = NaN at m₁ = m₂ = 100; exp(−(m₁ − m₂)²/2s²) is 1.

    >>> m1, m2, s = sp.symbols("m1 m2 s", positive=True)
    >>> squares_for_floating_point(sp.exp(-m1**2/(2*s**2)) * sp.exp(-m2**2/(2*s**2)) * sp.exp(m1*m2/s**2))
    exp(-(m1 - m2)**2/(2*s**2))
    """
    if not isinstance(expr, sp.Basic):
        return expr
    several = expr.replace(lambda e: isinstance(e, sp.Mul) and sum(isinstance(f, sp.exp) for f in e.args) > 1,
                           lambda e: sp.Mul(*(f for f in e.args if not isinstance(f, sp.exp)))
                           * sp.exp(sp.Add(*(f.args[0] for f in e.args if isinstance(f, sp.exp)))))
    return completed_squares(several)
