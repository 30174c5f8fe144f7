"""Recognise a location-scale version of a family: the kernel in theta matched against f((theta - l)/s)/s.

sympy.stats writes some families only in standard form (the Student-t has its degrees of freedom, no location or
scale). A kernel is the log-density of ``l + s T`` with T from such a family exactly when, after substituting
theta = l + s z, it matches the family's log-density in z up to a constant. Two kinds of terms take part:

- logs of polynomials: c log P(theta) against d log Q(z): the coefficients agree (c = d) and P(l + s z) is
  proportional to Q(z), coefficient by coefficient (a constant factor inside a log only shifts the constant);
- polynomial terms: sum_k c_k theta^k, expanded in z, agree with the family's polynomial terms power by power.

These equations in (shape, l, s) are solved with the kernel's coefficients as placeholder symbols (the same
equations for every kernel of that shape, so solve sees a few symbols, not the statistics), then the coefficients
are put back. A power of a quadratic in theta, ``(-nu - 1)/2 log(A theta^2 + B theta + C)``, becomes a Student-t
with location -B/(2A); nothing here names a pair or a posterior.
"""
from __future__ import annotations

from typing import Any

import sympy as sp
import sympy.stats as stats

from symml.budget import SOLVE_SECONDS, within
from symml.errors import BudgetExceededError
from symml.bayes.recognise import Match, fewer_minus_signs, solve_bounded, template, terms_in
from symml.mle.likelihood import expand_log_density

__all__ = ["LOCATION_SCALE_CANDIDATES", "match_location_scale", "recognise_location_scale"]

#: Families sympy.stats writes in standard form only, tried as location-scale families when no candidate matches.
LOCATION_SCALE_CANDIDATES = ("StudentT",)


def _log_polynomial(function: sp.Expr, variable: sp.Symbol) -> sp.Poly | None:
    """P when ``function`` is log P with P a polynomial in ``variable`` of degree >= 1 (a constant denominator
    dropped: it only shifts the constant), else None."""
    if not isinstance(function, sp.log):
        return None
    numerator, denominator = sp.fraction(sp.together(function.args[0]))
    if denominator.has(variable) or not numerator.is_polynomial(variable):
        return None
    polynomial = sp.Poly(numerator, variable)
    return polynomial if polynomial.degree() >= 1 else None


def _split(terms: dict[sp.Expr, sp.Expr], variable: sp.Symbol) -> tuple[list, sp.Expr] | None:
    """(the (coefficient, P) of each log-polynomial term, the sum of the polynomial terms), or None when a term is
    neither."""
    logs, polynomial = [], sp.S.Zero
    for function, coefficient in terms.items():
        inside = _log_polynomial(function, variable)
        if inside is not None:
            logs.append((coefficient, inside))
        elif function.is_polynomial(variable):
            polynomial += coefficient * function
        else:
            return None
    return sorted(logs, key=lambda pair: pair[1].degree()), polynomial


def _placeholders(exprs: list[sp.Expr], names: dict[sp.Expr, sp.Symbol]) -> list[sp.Expr]:
    """Each expression replaced by a placeholder symbol (numbers kept), recorded in ``names``."""
    out = []
    for expr in exprs:
        if expr.is_number:
            out.append(expr)
        else:
            out.append(names.setdefault(expr, sp.Dummy(f"k{len(names)}")))
    return out


def match_location_scale(log_kernel: sp.Expr, parameter: sp.Symbol, support: sp.Set, family: str) -> Match | None:
    """``l + s T`` with T from ``family`` (standard form) when the kernel is its log-density up to a constant, as a
    :class:`Match` whose hyperparameters are (family's own..., location, scale); else None."""
    distribution, shape = template(family)
    if support != distribution.set:  # a location-scale image of the real line is the real line
        return None
    z = sp.Dummy("z", real=True)
    location, scale = sp.Dummy("l", real=True), sp.Dummy("s", positive=True)
    ours, theirs = _split(terms_in(log_kernel, parameter), parameter), _split(terms_in(
        expand_log_density(sp.log(distribution.pdf(z))), z), z)
    if ours is None or theirs is None or [p.degree() for _, p in ours[0]] != [q.degree() for _, q in theirs[0]]:
        return None
    if not ours[0]:  # no log term: a polynomial kernel is a candidate family's business (the Normal)
        return None
    names: dict[sp.Expr, sp.Symbol] = {}
    equations = []
    moved = {parameter: location + scale * z}
    for (c, p), (d, q) in zip(ours[0], theirs[0]):
        (c_,) = _placeholders([c], names)
        shifted = sp.Poly(sp.Poly.from_list(_placeholders(p.all_coeffs(), names), parameter).as_expr().xreplace(moved), z)
        mine, target = shifted.all_coeffs(), q.all_coeffs()
        equations.append(sp.Eq(c_, d))
        # proportional coefficient lists: each one's ratio to the leading coefficient agrees
        equations += [sp.Eq(mine[k] * target[0], target[k] * mine[0]) for k in range(1, len(target))]
    polynomial = sp.Poly(sp.Poly(ours[1], parameter).as_expr(), parameter) if ours[1] != 0 else None
    if polynomial is not None:
        placed = sp.Poly.from_list(_placeholders(polynomial.all_coeffs(), names), parameter).as_expr().xreplace(moved)
        difference = sp.Poly(sp.expand(placed - theirs[1]), z)
        equations += [sp.Eq(c, 0) for c in difference.all_coeffs()[:-1]]
    unknowns = [*shape, location, scale]
    back = {v: k for k, v in names.items()}
    for solution in solve_bounded(equations, unknowns):
        if set(solution) != set(unknowns) or solution[scale].is_zero or solution[scale].could_extract_minus_sign():
            continue
        values = {u: fewer_minus_signs(sp.factor_terms(sp.sympify(solution[u]).xreplace(back))) for u in unknowns}
        try:
            standard = getattr(stats, family)("Theta", *(sp.sympify(a).xreplace(values) for a in distribution.args))
        except ValueError:  # SymPy's own check proved a hyperparameter invalid (a negative shape)
            continue
        fitted = standard.pspace.distribution
        log_density = expand_log_density(sp.log(fitted.pdf((parameter - values[location]) / values[scale]))
                                         - sp.log(values[scale]))
        if not _constant_in(log_kernel - log_density, parameter):
            continue  # the kernel is not that density up to a constant (a solve artefact): no match
        hyperparameters = tuple(values[u] for u in unknowns)
        return Match(family, hyperparameters, values[location] + values[scale] * standard, log_density,
                     sp.S.Reals, tuple(sp.Eq(e.lhs.xreplace(back), e.rhs.xreplace(back)) for e in equations),
                     location_scale=True)
    return None


def _constant_in(difference: sp.Expr, parameter: sp.Symbol) -> bool:
    """Whether ``difference`` is free of the parameter: its derivative, over one denominator, cancels to 0."""
    try:
        return within(SOLVE_SECONDS, "the check of the location-scale match",
                      lambda: sp.cancel(sp.together(sp.diff(difference, parameter)))) == 0
    except BudgetExceededError:
        return False


def recognise_location_scale(log_kernel: sp.Expr, parameter: sp.Symbol, support: sp.Set) -> Match | None:
    """The first of :data:`LOCATION_SCALE_CANDIDATES` that matches."""
    return next((m for m in (match_location_scale(log_kernel, parameter, support, f)
                             for f in LOCATION_SCALE_CANDIDATES)
                 if m is not None), None)
