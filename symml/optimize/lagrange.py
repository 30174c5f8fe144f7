"""Constrained optima of scalar unknowns: the Lagrangian, and the KKT conditions by active-set enumeration.

For ``minimise f(x) subject to h_j(x) = 0, g_k(x) <= 0`` (a maximisation minimises -f) the Lagrangian is

    L(x, ν, μ) = f(x) + Σ_j ν_j h_j(x) + Σ_k μ_k g_k(x)

and the KKT conditions (Boyd & Vandenberghe, Convex Optimization, 5.5.3) are stationarity ∇ₓL = 0, primal
feasibility, dual feasibility μ ≥ 0 and complementary slackness μ_k g_k = 0. Complementary slackness splits the
problem into cases: for each set A of constraints assumed active (g_k = 0, k in A; μ_k = 0 otherwise) the
stationarity system is solved in closed form by the core's scalar solver; the case holds where its multipliers are
non-negative and the inactive constraints are satisfied. Those conditions are decided symbolically where they can
be, otherwise kept as conditions on the data, and the optimum is the Piecewise over the cases that can hold.
Small problems only: at most 2^m cases for m inequalities (m <= 6), and no more active constraints than there
are degrees of freedom (unknowns minus equalities).

>>> x, a = sp.Symbol("x", real=True), sp.Symbol("a", real=True)
>>> found = kkt_cases((x - a)**2, (x,), (), (sp.Le(-x, 0),))
>>> [(c.active, c.solution[x], c.conditions) for c in found]
[((), a, (a >= 0,)), ((-x <= 0,), 0, (a <= 0,))]
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

import sympy as sp

from symml.errors import InfeasibleError, UnsupportedOperationError
from symml.optimize.scalar_solve import solve_stationarity
from symml.optimize.signs import sign_given

__all__ = ["KKTCase", "kkt_cases", "multipliers", "lagrangian"]

#: The most inequality constraints whose active sets are enumerated (2^6 = 64 closed-form solves).
MAX_INEQUALITIES = 6


@dataclass(frozen=True)
class KKTCase:
    """One active set that can hold.

    Attributes:
        active: the inequality constraints assumed active (binding), as given.
        solution: the unknowns (and the multipliers) in closed form for this case.
        conditions: the conditions on the data under which the case holds (dual and primal feasibility left
            undecided symbolically); empty when it always holds.
    """

    active: tuple[sp.Rel, ...]
    solution: dict
    conditions: tuple[sp.Basic, ...]


def multipliers(prefix: str, count: int, taken: Sequence[sp.Basic] = ()) -> tuple[sp.Symbol, ...]:
    """ν_1, ..., ν_count (or μ): one multiplier per constraint, named apart from the problem's own symbols
    (a problem with a μ of its own gets multipliers η)."""
    names = {s.name for e in taken for s in getattr(e, "free_symbols", ())}
    for candidate in (prefix, *_SPARE_NAMES):
        chosen = (candidate,) if count == 1 else tuple(f"{candidate}_{j + 1}" for j in range(count))
        if not names & {candidate, *chosen}:
            return tuple(sp.Symbol(name, real=True) for name in chosen)
    raise UnsupportedOperationError("no free name for the Lagrange multipliers")


#: Names for multipliers when the problem already uses ν or μ.
_SPARE_NAMES = ("eta", "xi", "zeta", "rho", "omega")


def lagrangian(f: sp.Expr, equalities: Sequence[sp.Expr], inequalities: Sequence[sp.Expr],
               nu: Sequence[sp.Symbol], mu: Sequence[sp.Symbol]) -> sp.Expr:
    """f + Σ ν_j h_j + Σ μ_k g_k for constraints h_j = 0 and g_k <= 0."""
    return f + sum((v * h for v, h in zip(nu, equalities)), sp.S.Zero) + sum(
        (m * g for m, g in zip(mu, inequalities)), sp.S.Zero)


def _residual(constraint: sp.Rel) -> sp.Expr:
    return constraint.lhs - constraint.rhs  # <= 0


_FLIPPED = {sp.Ge: sp.Le, sp.Le: sp.Ge, sp.Gt: sp.Lt, sp.Lt: sp.Gt}


def _readable(relation: sp.Rel, difference: sp.Expr) -> sp.Rel:
    """``-2a >= 0`` written ``a <= 0``: a constant factor divided out (flipping the relation when negative)."""
    constant, rest = sp.factor_terms(difference).as_coeff_Mul()
    kind = type(relation) if constant > 0 else _FLIPPED[type(relation)]
    if rest.is_Add and all(t.could_extract_minus_sign() for t in rest.args):
        rest, kind = -rest, _FLIPPED[kind]
    if rest.is_Add and len(rest.args) == 2:  # a - b >= 0 reads a >= b
        positive = [t for t in rest.args if not t.could_extract_minus_sign()]
        if len(positive) == 1:
            return kind(positive[0], positive[0] - rest)
    return kind(rest, 0)


def _condition(relation: sp.Basic, facts: list) -> sp.Basic:
    """True, False, or the relation itself when its truth depends on the data."""
    if relation in (sp.true, sp.false):
        return relation
    difference = relation.lhs - relation.rhs
    sign = sign_given(difference, facts)
    if sign is None:
        return _readable(relation, difference)
    truth = {sp.Ge: sign >= 0, sp.Le: sign <= 0, sp.Gt: sign > 0, sp.Lt: sign < 0}[type(relation)]
    return sp.true if truth else sp.false


def kkt_cases(
    f: sp.Expr,
    wrt: tuple[sp.Symbol, ...],
    equalities: Sequence[sp.Expr],
    inequalities: Sequence[sp.Rel],
    facts: Sequence[sp.Expr] = (),
) -> list[KKTCase]:
    """The active sets of ``minimise f subject to equalities = 0, inequalities`` that can hold, each solved.

    Raises:
        InfeasibleError: no active set satisfies the KKT conditions, whatever the data.
        UnsupportedOperationError: too many inequalities, or a case with no closed form.
    """
    if len(inequalities) > MAX_INEQUALITIES:
        raise UnsupportedOperationError(
            f"{len(inequalities)} inequality constraints: active-set enumeration is for at most {MAX_INEQUALITIES}")
    taken = [f, *equalities, *inequalities]
    nu = multipliers("nu", len(equalities), taken)
    mu = multipliers("mu", len(inequalities), [*taken, *nu])
    residuals = [_residual(c) for c in inequalities]
    cases: list[KKTCase] = []
    undecided = False
    # More active constraints than degrees of freedom over-determine the point (degenerate vertices, where the
    # multipliers are not unique): generic problems never need them, so they are not enumerated.
    most = min(len(inequalities), max(len(wrt) - len(equalities), 0))
    for size in range(most + 1):
        for active in combinations(range(len(inequalities)), size):
            active_mu = [mu[k] for k in active]
            L = lagrangian(f, equalities, [residuals[k] for k in active], nu, active_mu)
            equations = {x: sp.diff(L, x) for x in wrt}
            equations.update({v: h for v, h in zip(nu, equalities)})
            equations.update({m: residuals[k] for m, k in zip(active_mu, active)})
            solved = solve_stationarity(equations, list(facts))
            if set(solved.closed) != set(equations):
                # c = 0 with c a non-zero constant: this active set is inconsistent, not merely unsolved
                undecided |= not any(e is sp.false or (isinstance(e, sp.Eq) and e.lhs.is_number and e.lhs != 0)
                                     for e in solved.stationarity)
                continue
            point = solved.closed
            conditions = [_condition(sp.Ge(point[m], 0), list(facts)) for m in active_mu]
            conditions += [_condition(sp.Le(sp.simplify(residuals[k].subs(point)), 0), list(facts))
                           for k in range(len(inequalities)) if k not in active]
            if sp.false in conditions:
                continue
            cases.append(KKTCase(tuple(inequalities[k] for k in active), point,
                                 tuple(c for c in conditions if c is not sp.true)))
    if not cases:
        if undecided:
            raise UnsupportedOperationError("no active set of the KKT conditions could be solved in closed form")
        raise InfeasibleError("the constraints are infeasible: no active set satisfies the KKT conditions "
                              "(primal and dual feasibility) for any data")
    return cases
