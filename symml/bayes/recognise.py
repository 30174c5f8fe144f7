"""Recognise a family from a log-kernel: match its terms against a candidate family's log-density.

A kernel ``sum_k c_k g_k(theta)`` is the log-density of a family F(h) up to a constant exactly when, for every
function g of theta that appears on either side, its coefficient in the kernel equals its coefficient in
log f_F(theta | h). Those equalities are equations in the hyperparameters h, solved by SymPy; hyperparameters the
equations leave free (a Pareto's scale) are fixed by matching the family's support to the posterior's. Nothing here
knows any conjugate pair: the candidates are sympy.stats families, tried in turn, the prior's own family first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import sympy as sp
import sympy.stats as stats

from symml.budget import SOLVE_SECONDS, within
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.families import random_variable
from symml.mle.likelihood import expand_log_density

__all__ = ["Match", "terms_in", "match_family", "match_joint", "joint_template", "template", "solve_bounded",
           "fewer_minus_signs", "CANDIDATES", "JOINT_CANDIDATES"]

#: The families a kernel is tried against when the prior's own family does not match (continuous, one-parameter
#: support; the matching itself decides which one fits).
CANDIDATES = ("Beta", "Gamma", "GammaInverse", "Normal", "Pareto", "LogNormal")

#: The joint families a kernel in several parameters is tried against (after the prior's own); failing those, the
#: posterior is factorised into a conditional and a marginal, each matched against :data:`CANDIDATES`.
JOINT_CANDIDATES = ("MultivariateBeta",)


@dataclass(frozen=True)
class Match:
    """A family whose log-density equals the kernel up to a constant.

    Attributes:
        family: the sympy.stats constructor's name.
        hyperparameters: the posterior's hyperparameters, in the constructor's order.
        distribution: the posterior as a sympy.stats random variable.
        log_density: its normalised log-density in theta, on its support.
        support: where it is positive.
        equations: the coefficient equations that were solved.
        location_scale: whether the family was matched as ``l + s T`` (hyperparameters: its own, then l and s).
    """

    family: str
    hyperparameters: tuple[sp.Expr, ...]
    distribution: Any
    log_density: sp.Expr
    support: sp.Set
    equations: tuple[sp.Eq, ...]
    location_scale: bool = False


def terms_in(expr: sp.Expr, parameters: sp.Symbol | tuple[sp.Symbol, ...]) -> dict[sp.Expr, sp.Expr]:
    """``{g(theta): coefficient}`` of an expanded log-expression; the theta-free part is dropped."""
    wrt = parameters if isinstance(parameters, tuple) else (parameters,)
    terms: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(expand_log_density(expr)):
        coefficient, function = term.as_independent(*wrt, as_Add=False)
        if any(p.is_Pow and p.base.is_Add for p in sp.Mul.make_args(function)):  # 1/(k s2 + n s2) = 1/(k + n) 1/s2
            factor, function = sp.factor_terms(function).as_independent(*wrt, as_Add=False)
            coefficient *= factor
        if function != 1:
            terms[function] = terms.get(function, sp.S.Zero) + coefficient
    return terms


def _fresh(distribution: Any) -> tuple[Any, tuple[sp.Symbol, ...]]:
    """The distribution with its hyperparameters replaced by Dummies, so they never meet the user's names."""
    arguments = distribution.args
    in_order = dict.fromkeys(s for a in arguments for s in sp.preorder_traversal(sp.sympify(a))
                             if isinstance(s, sp.Symbol))  # the constructor's order, not a set's
    # named as the posterior's hyperparameters are written (a_n, b_n), Dummies so they never meet the user's names
    fresh = {s: sp.Dummy(f"{s.name}_n", **{k: v for k, v in s.assumptions0.items() if k in ("positive", "real", "integer")})
             for s in in_order}
    return distribution.func(*(sp.sympify(a).xreplace(fresh) for a in arguments)), tuple(fresh.values())


def template(family: str) -> tuple[Any, tuple[sp.Symbol, ...]]:
    """The family with fresh hyperparameter symbols."""
    return _fresh(random_variable(family, symbol="Theta").pspace.distribution)


def joint_template(family: str, size: int) -> Any:
    """A joint family over ``size`` parameters with symbolic hyperparameters (MultivariateBeta: one per parameter)."""
    if family == "MultivariateBeta":
        return stats.MultivariateBeta("Theta", list(sp.symbols(f"alpha_1:{size + 1}", positive=True)))
    raise UnsupportedOperationError(f"no joint template for the family {family}")


def solve_bounded(equations: list[sp.Eq], unknowns: Sequence[sp.Symbol]) -> list[dict]:
    try:
        # every solution is checked by the caller (cancel of each equation), so solve's own check, a simplify of
        # each equation per solution and most of its time, is skipped
        return within(SOLVE_SECONDS, "solve of the hyperparameter equations", sp.solve, equations, list(unknowns),
                      dict=True, check=False)
    except ZeroDivisionError:  # SymPy's Groebner basis divides by a zero leading coefficient (a location of 0)
        try:
            return within(SOLVE_SECONDS, "solve of the hyperparameter equations", sp.solve, equations,
                          list(unknowns), dict=True, check=False, manual=True)
        except (BudgetExceededError, NotImplementedError, ZeroDivisionError):
            return []
    except (BudgetExceededError, NotImplementedError):
        return []


def fewer_minus_signs(value: sp.Expr) -> sp.Expr:
    """-2b/(2 xbar b mu n - b n mean(x^2) - ... - 2) as 2b/(-2 xbar b mu n + ... + 2): a denominator with mostly
    negative terms is negated with its numerator, so that the log of the hyperparameter splits into logs of
    positive factors (no log(-1) = i pi pairs)."""
    numerator, denominator = sp.fraction(sp.together(value))
    if denominator != 1 and denominator.could_extract_minus_sign():
        return sp.factor_terms(-numerator) / sp.factor_terms(-denominator)
    return value


def match_family(log_kernel: sp.Expr, parameter: sp.Symbol, support: sp.Set, family: str) -> Match | None:
    """The hyperparameters making ``family`` the distribution of the kernel, or None when none do."""
    distribution, hyper = template(family)
    return _match(log_kernel, (parameter,), family, distribution, hyper, _support_equations(distribution.set, support))


def match_joint(log_kernel: sp.Expr, parameters: tuple[sp.Symbol, ...], template: Any) -> Match | None:
    """The hyperparameters making the joint family of the random variable ``template`` (the prior's own, or
    :func:`joint_template`) the distribution of the kernel, or None."""
    distribution, hyper = _fresh(template.pspace.distribution)
    family = type(distribution).__name__.removesuffix("Distribution")
    return _match(log_kernel, parameters, family, distribution, hyper, [])


def _match(log_kernel: sp.Expr, parameters: tuple[sp.Symbol, ...], family: str, distribution: Any,
           hyper: tuple[sp.Symbol, ...], support_equations: list) -> Match | None:
    template_log = sp.log(distribution.pdf(*parameters))
    kernel_terms, template_terms = terms_in(log_kernel, parameters), terms_in(template_log, parameters)
    if any(hyper_free(g, hyper) is False for g in template_terms):
        return None
    equations = [sp.Eq(kernel_terms.get(g, 0), template_terms.get(g, 0))
                 for g in dict.fromkeys([*kernel_terms, *template_terms])]
    equations += support_equations
    if any(e is sp.false for e in equations):
        return None
    equations = [e for e in equations if e is not sp.true]
    for solution in solve_bounded(equations, hyper):
        if set(solution) != set(hyper) or any(v.has(*parameters) for v in solution.values()):
            continue
        if any(sp.cancel(sp.together(sp.sympify(e.lhs - e.rhs).xreplace(solution))) != 0 for e in equations):
            continue
        values = {h: fewer_minus_signs(sp.factor_terms(solution[h])) for h in hyper}
        try:
            posterior = getattr(stats, family)("Theta", *(sp.sympify(a).xreplace(values) for a in distribution.args))
        except ValueError:  # SymPy's own check proved a hyperparameter invalid (a negative shape)
            continue
        fitted = posterior.pspace.distribution
        return Match(family, tuple(values[h] for h in hyper), posterior,
                     expand_log_density(sp.log(fitted.pdf(*parameters))), fitted.set, tuple(equations))
    return None


def integrals_out(log_density: sp.Expr, out: sp.Symbol, parameters: tuple[sp.Symbol, ...],
                  support: sp.Set) -> Iterator[tuple[Match, sp.Expr]]:
    """Each way to integrate ``out`` out of a log-density in several parameters: the density matched, in ``out``
    with the others held fixed, against a candidate family (the conditional of ``out``), and what is left when its
    normalised log-density is subtracted: the log-density of the others with ``out`` integrated out (up to the
    constant the given one had). Candidates whose subtraction leaves ``out`` behind are skipped."""
    for family in CANDIDATES:
        conditional = match_family(log_density, out, support, family)
        if conditional is None:
            continue
        terms = {g: sp.cancel(c) for g, c in terms_in(log_density - conditional.log_density, parameters).items()}
        if any(g.has(out) and c != 0 for g, c in terms.items()):
            continue
        constant = sp.Add(*(t for t in sp.Add.make_args(expand_log_density(log_density - conditional.log_density))
                            if not t.has(*parameters)))
        yield conditional, sp.Add(*(c * g for g, c in terms.items() if c != 0), constant)


def hyper_free(function: sp.Expr, hyper: Sequence[sp.Symbol]) -> bool:
    """Whether a function of theta in a template is free of the hyperparameters (it must be, to be a basis term)."""
    return not (function.free_symbols & set(hyper))


def _support_equations(template: sp.Set, support: sp.Set) -> list[sp.Eq]:
    """Ends of the template's support equal to the posterior's (the Pareto's scale is max(x_m, x_(n)))."""
    if not (isinstance(template, sp.Interval) and isinstance(support, sp.Interval)):
        return [sp.true] if template == support else [sp.false]
    return [sp.Eq(template.inf, support.inf), sp.Eq(template.sup, support.sup)]


def breaking_terms(log_kernel: sp.Expr, parameter: sp.Symbol, family: str) -> list[sp.Expr]:
    """The kernel's terms whose function of theta has no counterpart in ``family``'s log-density."""
    distribution, _ = template(family)
    template_terms = terms_in(sp.log(distribution.pdf(parameter)), parameter)
    return [c * g for g, c in terms_in(log_kernel, parameter).items() if g not in template_terms]
