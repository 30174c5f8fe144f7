"""The support of a density narrowed to where the density is real and positive.

SymPy declares some supports wider than the density lives: its Kumaraswamy law, a b x^{a−1} (1 − x^a)^{b−1}, is
given on [0, ∞), where for x > 1 the power (1 − x^a)^{b−1} of a negative number is complex. Moments over that
support crashed, and maximum likelihood refused data in (0, 1) (DataError). The rule is general, not a family's:
the ends where the density can stop being real are the roots of the bases of its powers with exponents that are
not integers; between consecutive ends the density is evaluated at an interior point, for a few parameter values
of the parameters' signs (not integers, where a power is special), and a piece where it is never real and positive is no part of the support.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> a, b = sp.symbols("a b", positive=True)
>>> real_support(a*b*x**(a - 1)*(1 - x**a)**(b - 1), x, sp.Interval(0, sp.oo))
Interval(0, 1)
"""
from __future__ import annotations

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.errors import BudgetExceededError

__all__ = ["real_support", "declared_domain", "real_domain"]


def real_support(density: sp.Expr, x: sp.Symbol, support: sp.Set) -> sp.Set:
    """``support`` (an interval) without its pieces where ``density`` is complex, zero or negative for every probed
    parameter value; the support as it is when the ends cannot be found or the pieces kept are not one interval."""
    if not isinstance(support, sp.Interval):
        return support
    ends = _branch_points(density, x, support)
    if not ends:
        return support
    points = [support.start, *ends, support.end]
    kept = [(low, high) for low, high in zip(points, points[1:]) if _lives_on(density, x, _inside(low, high))]
    if not kept or any(high != low for (_, high), (low, _) in zip(kept, kept[1:])):
        return support
    low, high = kept[0][0], kept[-1][1]
    return sp.Interval(low, high, support.left_open if low == support.start else False,
                       support.right_open if high == support.end else False)


def _branch_points(density: sp.Expr, x: sp.Symbol, support: sp.Interval) -> list[sp.Expr]:
    """The roots inside the support of the bases of powers whose exponents are not integers, in increasing order
    (none when the order of several is unknown)."""
    bases = {p.base for p in density.atoms(sp.Pow) if p.base.has(x) and p.exp.is_integer is not True}
    roots: set[sp.Expr] = set()
    for base in bases:
        try:
            found = within(SOLVE_SECONDS, "the roots of a base of the density", sp.solve, base, x)
        except (BudgetExceededError, NotImplementedError):
            return []
        roots.update(r for r in found if r.is_real is not False)
    inside = [r for r in roots if sp.Interval(support.start, support.end).contains(r) is sp.true
              and r not in (support.start, support.end)]
    if len(inside) > 1 and not all(r.is_number and r.is_real for r in inside):
        return []  # symbolic roots whose order is unknown
    return sorted(inside, key=float) if len(inside) > 1 else inside


def _inside(low: sp.Expr, high: sp.Expr) -> sp.Expr:
    """A point strictly between two ends (one may be infinite)."""
    if low == -sp.oo and high == sp.oo:
        return sp.S.Zero
    if high == sp.oo:
        return low + 1
    if low == -sp.oo:
        return high - 1
    return (low + high) / 2


def _lives_on(density: sp.Expr, x: sp.Symbol, point: sp.Expr) -> bool:
    """Whether the density is real and positive at ``point`` for some probed parameter value (or cannot be
    evaluated: nothing is known against the piece)."""
    parameters = sorted(density.free_symbols - {x}, key=lambda s: s.name)
    # values that are not integers: at b = 3 a Kumaraswamy's (1 − x^a)^{b−1} is real past x = 1
    for value in (sp.Rational(1, 2), sp.Rational(3, 2), sp.Rational(5, 2)):
        at = {s: -value if s.is_negative else (sp.ceiling(value) if s.is_integer else value) for s in parameters}
        number = sp.N(density.xreplace({x: point}).xreplace(at), 15)
        if not number.is_number or number.has(sp.nan, sp.zoo):
            return True
        real, imaginary = number.as_real_imag()
        if abs(imaginary) <= 1e-12 * max(1.0, abs(real)) and real > 0:
            return True
    return False


def declared_domain(parameter: sp.Symbol) -> sp.Set:
    """The values a parameter's assumptions allow (positive: (0, oo); nonnegative: [0, oo))."""
    return (sp.Interval.open(0, sp.oo) if parameter.is_positive else
            sp.Interval(0, sp.oo) if parameter.is_nonnegative else sp.S.Reals)


def real_domain(logpdf: sp.Expr, parameter: sp.Symbol) -> sp.Set:
    """Where ``logpdf`` is real and continuous in the parameter, within the domain its assumptions allow."""
    from sympy.calculus.util import continuous_domain

    assumed = declared_domain(parameter)
    in_parameter = sp.Add(*(t for t in sp.Add.make_args(sp.expand(logpdf)) if t.has(parameter)))
    try:
        domain = within(SOLVE_SECONDS, f"the domain of the log-density in {parameter}", continuous_domain,
                        in_parameter, parameter, assumed)
    except (BudgetExceededError, NotImplementedError):
        return assumed
    return domain if isinstance(domain, sp.Interval) else assumed
