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
    if not difference.free_symbols and difference.has(sp.I):  # a real number written through complex radicals
        difference = sp.re(sp.N(difference, 30))
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
    undecided: list[str] = []
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
            points = [solved.closed] if set(solved.closed) == set(equations) else _every_root(equations, facts)
            if not points:
                # c = 0 with c a non-zero constant: this active set is inconsistent, not merely unsolved
                if not any(e is sp.false or (isinstance(e, sp.Eq) and e.lhs.is_number and e.lhs != 0)
                           for e in solved.stationarity):
                    undecided.append(", ".join(str(inequalities[k]) for k in active) or "none")
                continue
            for point in points:
                conditions = [_condition(sp.Ge(point[m], 0), list(facts)) for m in active_mu]
                conditions += [_condition(sp.Le(sp.simplify(residuals[k].subs(point)), 0), list(facts))
                               for k in range(len(inequalities)) if k not in active]
                if sp.false in conditions:
                    continue
                cases.append(KKTCase(tuple(inequalities[k] for k in active), point,
                                     tuple(c for c in conditions if c is not sp.true)))
    if undecided and all(case.conditions for case in cases):
        # the cases solved hold only where their multipliers' signs say; elsewhere the optimum is in an unsolved one
        # (cosh x + x⁴ − ax on x ≥ 0 returned x = 0 for every a, the boundary case that holds for a ≤ 0 only: its
        # interior case has no closed form)
        raise UnsupportedOperationError(
            "no active set of the KKT conditions could be solved in closed form" if not cases else
            f"the KKT conditions of the active set{'s' if len(undecided) > 1 else ''} "
            f"{'; '.join(f'{{{a}}}' for a in undecided)} have no closed form, so the cases solved in closed form do "
            "not settle the optimum for all values of the other symbols")
    if not cases:
        _no_kkt_point(f, wrt, equalities, residuals)
    return _best_first(cases, f, wrt, facts, equalities)


def _every_root(equations: dict, facts: Sequence[sp.Expr]) -> list[dict]:
    """Every real solution of a polynomial active-set system with several roots ((x − 2)(x − 4) = 0 active: x = 2
    and x = 4, each its own KKT point, which the one-root solver leaves unsolved); [] otherwise."""
    from symml.budget import SOLVE_SECONDS, within
    from symml.errors import BudgetExceededError

    unknowns = list(equations)
    if not all(sp.together(e).is_polynomial(*unknowns) for e in equations.values()):
        return []
    try:
        roots = within(SOLVE_SECONDS, "solve of an active set's KKT system", sp.solve,
                       list(equations.values()), unknowns, dict=True)
    except (BudgetExceededError, NotImplementedError):
        return []
    kept = []
    for root in roots:
        if set(root) != set(unknowns) or any(v.free_symbols & set(unknowns) for v in root.values()):
            continue
        root = {u: _real_number(v) for u, v in root.items()}
        if all(v is not None for v in root.values()):
            kept.append(root)
    return kept


def _real_number(value: sp.Expr) -> sp.Expr | None:
    """A root as it is, or, when it is a number written through complex radicals (a cubic's casus irreducibilis),
    its real value to 30 digits; None when it is not real."""
    if value.free_symbols or not value.has(sp.I):
        return value if value.is_real is not False else None
    number = sp.N(value, 30)
    real, imaginary = number.as_real_imag()
    return real if abs(imaginary) <= sp.Float(1e-25) * (1 + abs(real)) else None


def _best_first(cases: list[KKTCase], f: sp.Expr, wrt: tuple, facts: Sequence[sp.Expr],
                equalities: Sequence[sp.Expr]) -> list[KKTCase]:
    """The KKT points ordered so that the first whose conditions hold is the minimum: without convexity the KKT
    conditions are only necessary, and the unconstrained stationary point of −x² on [−1, 2] (its maximum, x = 0)
    came first and was returned. A case beaten by one that always holds is dropped; otherwise a case goes before
    every case it is shown to beat. Without equalities, an interior case whose Hessian is negative definite (a
    local maximum) is dropped first."""
    from symml.optimize.second_order import definiteness

    if len(cases) > 1:  # an interior stationary point with a negative definite Hessian is a local maximum
        hessian = sp.hessian(f, list(wrt))
        cases = [c for c in cases if c.active or equalities or definiteness(hessian.subs(c.solution), facts) != -1] \
            or cases
    if f.has(sp.Sum):  # objectives over indexed data: their cases' values are sums, compared on the arrays
        return cases
    values = [f.subs({u: c.solution[u] for u in wrt}) for c in cases]

    def beats(i: int, j: int) -> bool:
        difference = values[i] - values[j]
        if not difference.free_symbols:  # numbers: compared in floating point at 30 digits
            return bool(sp.re(sp.N(difference, 30)) < 0)
        return sign_given(difference, list(facts)) == -1

    kept = [i for i in range(len(cases)) if not any(beats(j, i) and not cases[j].conditions for j in range(len(cases)))]
    ordered: list[int] = []
    for i in kept:  # insertion: before the first kept case it beats
        at = next((k for k, j in enumerate(ordered) if beats(i, j)), len(ordered))
        ordered.insert(at, i)
    return [cases[i] for i in ordered]


def _no_kkt_point(f: sp.Expr, wrt: tuple, equalities: Sequence[sp.Expr], residuals: Sequence[sp.Expr]) -> None:
    """No active set satisfies the KKT conditions: the constraints are infeasible, or the objective has no minimum
    on them (an LP unbounded below: min −x₁ − x₂ on 2x₁ + x₂ ≥ 1, x ≥ 0 was called infeasible). With numbers only,
    a feasible point is sought numerically (least squares of the constraint violations) to tell which."""
    free = set().union(*(e.free_symbols for e in (f, *equalities, *residuals))) - set(wrt)
    if not free:
        import numpy as np
        from scipy.optimize import minimize as numeric_minimize

        violation = sp.lambdify([list(wrt)], sum((h**2 for h in equalities), sp.S.Zero)
                                + sum((sp.Max(g, 0)**2 for g in residuals), sp.S.Zero), modules="numpy")
        for start in (np.zeros(len(wrt)), np.ones(len(wrt)), -np.ones(len(wrt)), np.full(len(wrt), 10.0)):
            found = numeric_minimize(lambda z: float(violation(z)), start, method="Nelder-Mead",
                                     options={"xatol": 1e-12, "fatol": 1e-20, "maxiter": 4000})
            if found.fun <= 1e-14:
                from symml.errors import UnboundedError

                point = ", ".join(f"{u} = {v:.4g}" for u, v in zip(wrt, found.x))
                raise UnboundedError(f"the constraints are feasible ({point} satisfies them) but no active set "
                                     "satisfies the KKT conditions: the objective has no minimum on them (unbounded "
                                     "below, or its infimum not attained)")
        raise InfeasibleError("the constraints are infeasible: no point satisfies them (their violation has a "
                              "positive minimum), and no active set satisfies the KKT conditions")
    raise InfeasibleError("no active set satisfies the KKT conditions (primal and dual feasibility) for any data: "
                          "the constraints are infeasible, or the objective is unbounded below on them")
