"""Closed-form solution of a system of scalar stationarity equations, with the guards SymPy's ``solve`` needs.

- :func:`solve_stationarity` solves the equations jointly (under a time budget); when that fails it profiles out
  each unknown whose own equation it can solve given the others (Gamma: theta = xbar/k). What is left has no
  closed form and is returned as stationarity equations for a numeric solver. Whether a closed form exists is
  decided by trying to solve, never by spotting a special function.
- A candidate is kept only when it is free of the unknowns (and of sums over the data), finite, real and inside
  the unknown's domain. Several candidates (a maximum and a minimum, as for a · cos u + b · sin u) are told apart
  by the second-order condition of the objective, when one is given.
- An equation linear in cos u and sin u (p cos u + q sin u = 0) is solved by the two-argument arctangent, which
  picks the quadrant; SymPy's ``solve`` returns tangent half-angle forms that are undefined at q = 0.
- Nothing is ever divided by a factor that can vanish: the numerators are solved as they are. Clearing a
  denominator must not add roots either: a factor of the denominator that vanishes where the numerator does (the
  zero-truncated Poisson's score k̄/λ − 1 − e^{−λ}/(1 − e^{−λ}), cleared, is k̄(e^λ − 1) − λe^λ, zero at λ = 0
  for every sample) stays in the equation, and no root is taken where it vanishes (:func:`cleared`).

>>> p = sp.Symbol("p", positive=True)
>>> solve_stationarity({p: sp.log(1 - p) - sp.log(p)}, [1 - p]).closed
{p: 1/2}
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.errors import BudgetExceededError
from symml.integer_shifts import integer_shifts_expanded
from symml.optimize.second_order import definiteness
from symml.optimize.signs import _data_real, sign_given

__all__ = ["Solution", "solve_stationarity", "is_trapped", "cleared", "out_of_data_sums"]

#: Budget of each one-unknown solve while profiling: several may run, and a start need not be found.
_PROFILE_SECONDS = SOLVE_SECONDS / 4

#: Functions that no rearrangement isolates their argument from; only used to word "no closed form" and to
#: decide identifiability, never to skip trying to solve.
_TRAPPING = (sp.polygamma, sp.gamma, sp.loggamma, sp.beta, sp.zeta, sp.LambertW, sp.erf, sp.besselj, sp.besseli)

Tidy = Callable[[sp.Expr], sp.Expr]


def is_trapped(equation: sp.Expr, unknown: sp.Symbol) -> bool:
    """Whether ``unknown`` sits inside a special function or a sum over the data.

    >>> k = sp.Symbol("k", positive=True)
    >>> is_trapped(sp.log(k) - sp.polygamma(0, k) - 1, k), is_trapped(sp.log(k) - 1, k)
    (True, False)
    """
    inside = [f for f in equation.atoms(sp.Function, sp.Sum) if unknown in f.free_symbols]
    return any(isinstance(f, _TRAPPING + (sp.Sum,)) for f in inside)


def cleared(equation: sp.Expr, unknowns: set) -> tuple[sp.Expr, sp.Expr]:
    """``equation`` = 0 as numerator / kept = 0: its denominators cleared, except the factors that vanish at a
    point (over the reals, the domain's boundary included) where the numerator vanishes too. Clearing those would
    make that point a root of every sample's equation: a root no stationary point has.

    >>> lam, m = sp.Symbol("lambda", positive=True), sp.Symbol("m", positive=True)
    >>> cleared(m/lam - 1 - sp.exp(-lam)/(1 - sp.exp(-lam)), {lam})[1]  # both factors vanish with the numerator at 0
    lambda*(exp(lambda) - 1)
    >>> cleared(m/lam - 1, {lam})  # m - λ is m at λ = 0: λ is cleared
    (-lambda + m, 1)
    """
    numerator, denominator = sp.fraction(sp.together(equation))
    kept = [f for f in sp.Mul.make_args(sp.factor_terms(denominator))
            if any(_vanish_together(numerator, f, u) for u in f.free_symbols & unknowns)]
    return numerator, sp.Mul(*kept)


def _vanish_together(numerator: sp.Expr, factor: sp.Expr, unknown: sp.Symbol) -> bool:
    """Whether ``factor`` has a real root in ``unknown`` (its domain's boundary included: λ = 0 for a positive λ)
    where ``numerator`` vanishes whatever the other symbols are."""
    real = sp.Dummy(unknown.name, real=True)
    try:
        roots = within(_PROFILE_SECONDS, f"solve of a denominator for {unknown}", sp.solve, factor.subs(unknown, real),
                       real)
    except (BudgetExceededError, NotImplementedError, ValueError, TypeError, AttributeError):
        return False
    for root in roots if isinstance(roots, list) else ():
        at = numerator.subs(unknown, root)
        if at.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            continue
        try:
            if within(SIMPLIFY_SECONDS, "simplify of a numerator at a denominator's root", sp.simplify, at) == 0:
                return True
        except BudgetExceededError:
            continue
    return False


def _equation(numerator: sp.Expr, kept: sp.Expr) -> sp.Basic:
    """numerator / kept = 0; false where the numerator never vanishes (a score monotone in its unknown: the
    caller looks for the maximum on the boundary), whatever the kept denominator is."""
    vanishes = sp.Eq(numerator, 0)
    return vanishes if vanishes in (sp.true, sp.false) else sp.Eq(numerator / kept, 0)


def _off_poles(candidates: list[dict], kept: sp.Expr) -> list[dict]:
    """The candidate roots of a cleared numerator except those where the kept denominator evaluates to 0 (no
    simplification: on a cubic's radicals that ran for minutes, and an undecided root is judged by the rest)."""
    return [c for c in candidates if kept == 1 or kept.subs(c).is_zero is not True]


@dataclass
class Solution:
    """What the stationarity equations gave.

    Attributes:
        closed: closed forms ``{unknown: expression free of the unknowns}``.
        profiled: closed forms in terms of the unknowns without one (Gamma: ``theta = xbar/k``), each written
            through those unknowns only.
        stationarity: the equations left for a numeric solver.
        how: one sentence on how the system was solved, for the steps.
        over_budget: the solves that ran past their time budget (then treated as having no closed form).
        discarded: candidate roots dropped by the second-order condition (the minimum of a maximisation).
        ties: other optimal roots, where the objective takes the same best value (x⁴ − 2x² at x = ±1).
    """

    closed: dict = field(default_factory=dict)
    profiled: dict = field(default_factory=dict)
    stationarity: tuple = ()
    how: str = ""
    over_budget: tuple = ()
    discarded: tuple = ()
    ties: tuple = ()


def _frozen_matrix_scalars(exprs: list, unknowns: set) -> dict:
    """{a 1 x 1 matrix expression free of the unknowns: a real name standing for it while solving}."""
    from symml.matrix_calculus.algebra import SCALAR_ATOMS

    atoms = {a for e in exprs if isinstance(e, sp.Basic) for a in e.atoms(*SCALAR_ATOMS)
             if not a.free_symbols & unknowns}
    return {atom: sp.Dummy("s", real=True) for atom in sorted(atoms, key=sp.default_sort_key)}


def _valid(value: sp.Expr, unknowns: set, sums_allowed: bool = False) -> bool:
    """Free of the unknowns (and, for a closed form, of sums over the data), finite, not provably complex."""
    return (
        not (value.free_symbols & unknowns)
        and (sums_allowed or not value.has(sp.Sum, sp.Indexed))
        and not value.has(sp.nan, sp.zoo, sp.oo, -sp.oo)
        and value.is_real is not False
    )


def _admissible(unknown: sp.Symbol, value: sp.Expr, facts: list) -> bool:
    """A candidate is dropped when it provably lies outside the unknown's domain (a negative sigma, a complex number
    for a real unknown), or where a fact in the unknown is not positive: a typed log-density's log σ makes σ > 0 a
    fact even when σ is only known to be real, so σ = −√S is no root of it."""
    if unknown.is_real and (value.is_real is False or value.is_number and _imaginary(value)):
        return False
    if unknown.is_positive:
        return not _not_positive(value, facts)
    if unknown.is_nonnegative:
        return sign_given(value, facts) != -1
    in_unknown = [f for f in facts if isinstance(f, sp.Basic) and f.has(unknown)]
    others = [f for f in facts if f not in in_unknown]
    return not any(_not_positive(fact.subs(unknown, value), others) for fact in in_unknown)


def _not_positive(value: sp.Expr, facts: list) -> bool:
    """Whether an expression that must be positive (a positive unknown's value, or a fact at a candidate) is
    provably zero or negative, or negative wherever it is real."""
    return (sign_given(value, facts) in (-1, 0) or _data_real(value).is_nonpositive is True
            or _nonpositive_where_real(value))


def _nonpositive_where_real(value: sp.Expr) -> bool:
    """Whether ``value`` is ≤ 0 wherever it is real. An even root is non-negative where it is real, so
    −√(AB − C²)/B with B > 0 (the weighted-variance root of a mixture's M-step, AB − C² of unknown sign to SymPy)
    is no value of a positive unknown: negative, or not real.

    >>> a, b = sp.Symbol("a", real=True), sp.Symbol("b", positive=True)
    >>> _nonpositive_where_real(-sp.sqrt(a)/b), _nonpositive_where_real(sp.sqrt(a)/b)
    (True, False)
    """
    roots = {p: sp.Dummy("r", nonnegative=True) for p in value.atoms(sp.Pow)
             if p.exp.is_Rational and p.exp.q % 2 == 0}
    return bool(roots) and value.xreplace(roots).is_nonpositive is True


def _imaginary(number: sp.Expr) -> bool:
    """Whether a number (perhaps written through complex radicals) has a non-negligible imaginary part, at 30
    digits."""
    real, imaginary = sp.N(number, 30).as_real_imag()
    return bool(abs(imaginary) > sp.Float(1e-25) * (1 + abs(real)))


def _harmonic(equation: sp.Expr, unknown: sp.Symbol) -> list[dict] | None:
    """The roots of p cos u + q sin u = 0 (p, q free of u): u = atan2(p, -q) and atan2(-p, q); None otherwise."""
    if not equation.has(sp.sin, sp.cos):
        return None
    c, s = sp.cos(unknown), sp.sin(unknown)
    expanded = sp.factor_terms(sp.expand(sp.expand_trig(equation)))
    factor, rest = expanded.as_independent(c, s, as_Add=False)
    if sign_given(factor) in (-1, 1):  # a non-zero factor does not change the roots
        expanded = sp.expand(rest)
    p, q = expanded.coeff(c), expanded.coeff(s)
    if (p == 0 and q == 0) or {p, q} & {c, s} or (p.free_symbols | q.free_symbols) & {unknown}:
        return None
    if sp.expand(expanded - p * c - q * s) != 0:
        return None
    return [{unknown: sp.atan2(p, -q)}, {unknown: sp.atan2(-p, q)}]


def _inside_data_sum(equations: list, unknowns: list) -> bool:
    """Whether an unknown sits inside a sum over the data: a sum of n unknown terms that no rearrangement
    isolates it from (Weibull shape: Σ x_i^k log x_i), so there is nothing to try."""
    return any(s.free_symbols & set(unknowns) for e in equations for s in e.atoms(sp.Sum))


def out_of_data_sums(expr: sp.Expr) -> sp.Expr:
    """Each sum over the data split over its terms, with the factors free of the index taken out and a sum of
    a constant counted: Σ exp(-(x_i - mu)/b) = exp(mu/b) Σ exp(-x_i/b), so a Gumbel location is isolated from its
    sum; Σ (1 − γᵢ)/(1 − π)² = (n − Σγᵢ)/(1 − π)², so the unknowns leave the sums before a solution is substituted
    (substituted inside a sum, it multiplies every term: a five-parameter M-step's Hessian ran past its budget).

    >>> mu, b = sp.Symbol("mu", real=True), sp.Symbol("b", positive=True)
    >>> i, n, x = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True), sp.IndexedBase("x")
    >>> out_of_data_sums(sp.Sum(sp.exp(-(x[i] - mu)/b), (i, 1, n)))
    exp(mu/b)*Sum(exp(-x[i]/b), (i, 1, n))
    >>> out_of_data_sums(sp.Sum((1 - x[i])/b, (i, 1, n)))
    n/b - Sum(x[i], (i, 1, n))/b
    """
    def split(total: sp.Sum) -> sp.Expr:
        indices = {limit[0] for limit in total.limits}
        terms = sp.Add.make_args(sp.expand(total.function, power_base=False, log=False))
        outside = [term.as_independent(*indices, as_Add=False) for term in terms]
        return sp.Add(*(free * _counted(sp.Sum(bound, *total.limits)) for free, bound in outside))
    return expr.replace(lambda e: isinstance(e, sp.Sum), split)


def _counted(total: sp.Sum) -> sp.Expr:
    """A sum whose summand is free of its index as that summand times the number of terms (Σᵢ 1 = n)."""
    return total.doit() if not total.function.has(*(limit[0] for limit in total.limits)) else total


def _holding(equation: sp.Expr, unknown: sp.Symbol) -> frozenset | sp.Expr:
    """The kinds of function the unknown sits inside (digamma, log, ...), or the equation itself when it sits in
    none (a polynomial: any substitution may make it solvable)."""
    kinds = frozenset(type(f) for f in equation.atoms(sp.Function) if unknown in f.free_symbols) - {sp.log, sp.exp}
    return kinds if kinds else equation


def _solve(equations: list, unknowns: list, what: str, seconds: float, over_budget: list) -> list[dict]:
    """``sp.solve`` under a budget; what ran past it is appended to ``over_budget`` (said in the remarks)."""
    if _inside_data_sum(equations, unknowns):
        equations = [out_of_data_sums(e) for e in equations]
        if _inside_data_sum(equations, unknowns):
            return []
    # the data sums, free of the unknowns now, as names: sp.solve returns [] on coefficients that are Sums (the
    # logistic loss over a constant, e^q Σ1/(e^q + 1) − (e^q + 1)⁻¹Σyᵢ − …, solved as log(S/(n − S)) once named)
    sums = {total: sp.Dummy("S", real=True) for total in set().union(*(e.atoms(sp.Sum) for e in equations))}
    named = {total: total.doit() if total.function.is_number else name for total, name in sums.items()}
    equations = [e.xreplace(named) for e in equations]
    if len(equations) == 1 and len(unknowns) == 1:
        equations = [_primitive(equations[0], unknowns[0], seconds)]
        harmonic = _harmonic(equations[0], unknowns[0])
        if harmonic is not None:
            return harmonic
        if _beyond_radicals(equations[0], unknowns[0]):
            return []
    try:
        # Cardano's and Ferrari's general formulas are not tried: on symbolic coefficients they run for seconds
        # and give roots whose reality SymPy cannot decide, so no single admissible root is ever picked from them
        # (a cubic in exp(nu) from a maximum-entropy mean constraint). Factorable polynomials are still solved.
        solutions = within(seconds, what, sp.solve, equations, unknowns, dict=True, cubics=False, quartics=False)
    except BudgetExceededError as exceeded:
        over_budget.append(str(exceeded))
        return []
    except (NotImplementedError, ValueError, TypeError, AttributeError, RuntimeError):
        # RuntimeError: SymPy 1.14's checksol raised StopIteration inside a generator on a scalar Gaussian
        # discriminant's score in mu0 (a joint log-likelihood with indicator sums)
        return []
    back = {name: total for total, name in sums.items()}
    return [{u: v.xreplace(back) for u, v in solution.items()} for solution in solutions] \
        if isinstance(solutions, list) else []


def _primitive(equation: sp.Expr, unknown: sp.Symbol, seconds: float) -> sp.Expr:
    """``equation`` expanded, with its factors free of ``unknown`` dropped (they move no root), where that is not
    longer: ``solve`` checks each root by simplifying the equation at it, and terms that cancel only once expanded
    make that check slow. A zero-inflated Poisson's rate, n(z μ(−(1 − z)e^μ + e^μ − 1) + …) against
    (z − 1)μe^μ + m e^μ − m: 1.9 -> 0.95 s of CPU for the same root, of a budget of 2.5 s (the solve had run past
    it on a loaded machine, and the estimate went numeric)."""
    try:
        expanded = within(seconds / 10, "expansion of the stationarity equation", sp.expand, equation)
    except BudgetExceededError:
        return equation
    reduced = sp.factor_terms(expanded).as_independent(unknown, as_Add=False)[1]
    return reduced if sp.count_ops(reduced) <= sp.count_ops(equation) else equation


def _beyond_radicals(equation: sp.Expr, unknown: sp.Symbol) -> bool:
    """Whether ``equation`` is a polynomial in t = e^unknown, with numeric coefficients, whose every factor holding
    t has degree 3 or more: ``solve`` without Cardano's and Ferrari's formulas finds no root of it, after running
    to its budget (a maximum-entropy die's mean equation, a sextic in e^ν with coefficients through e: 2.5 s of
    CPU for nothing). Factoring says so in milliseconds."""
    t = sp.Dummy("t")

    def power(e: sp.Expr) -> sp.Expr:
        k = e.args[0] / unknown
        return t**k if k.is_Integer else e

    if not equation.has(sp.exp):
        return False
    polynomial = sp.expand(equation, power_base=False, mul=False, multinomial=False, log=False)
    polynomial = polynomial.replace(lambda e: isinstance(e, sp.exp) and e.has(unknown), power)
    if polynomial.free_symbols != {t} or not polynomial.is_polynomial(t):
        return False  # the unknown outside exponentials, or symbolic coefficients (factoring can cost more)
    factors = [f for f, _ in sp.factor_list(sp.numer(sp.together(polynomial)), t)[1] if f.has(t)]
    # t = e^ν = 0 has no root: the factor t alone does not count; a binomial a tᵏ + b has its root in radicals
    # (e^{3x} = 2 was "no closed form")
    return bool(factors) and all(sp.degree(f, t) >= 3 and len(sp.Add.make_args(sp.expand(f))) > 2
                                 for f in factors if f != t)


@dataclass(frozen=True)
class _Context:
    facts: list
    tidy: Tidy
    objective: sp.Expr | None
    sense: int  # -1: maximise (the Hessian must be negative definite), +1: minimise
    value: sp.Expr | None = None  # what is optimised, to compare the roots left by the second order


def _pick(candidates: list[dict], unknowns: list, context: _Context, discarded: list,
          sums_allowed: bool = False, ties: list | None = None) -> dict | None:
    """The one admissible solution among ``candidates`` (None when there is none, or several that neither the
    second order nor the objective's values tell apart). Roots as good as the one returned go to ``ties``."""
    kept = []
    for candidate in candidates:
        if set(candidate) != set(unknowns):
            continue
        candidate = {u: context.tidy(v) for u, v in candidate.items()}
        if all(_valid(v, set(unknowns), sums_allowed) and _admissible(u, v, context.facts) for u, v in candidate.items()):
            kept.append(candidate)
    kept = _one_sign(kept, unknowns)
    if len(kept) > 1 and context.objective is not None:
        # roots written through i (a cubic's radicals in the other unknowns) are not tested: SymPy's factoring over
        # Q(i) in the sign test took 33 s on Rosenbrock's profile in x, and decided nothing
        right = [c for c in kept if not any(v.has(sp.I) for v in c.values())
                 and definiteness(sp.hessian(context.objective, unknowns).subs(c), context.facts) == context.sense]
        if len(right) == 1:
            discarded.extend(c for c in kept if c is not right[0])
            kept = right
        elif right:
            discarded.extend(c for c in kept if not any(c is r for r in right))
            kept = right
    if len(kept) > 1 and context.value is not None:
        best = _best_valued(kept, context.value, context.sense, context.facts)
        if best is not None:
            discarded.extend(c for c in kept if not any(c is b for b in best))
            if ties is not None:
                ties.extend(best[1:])
            kept = best[:1]
    return kept[0] if len(kept) == 1 else None


def _one_sign(kept: list[dict], unknowns: list) -> list[dict]:
    """Two roots ±c of one positive unknown, with the sign of c undecided (σ = ±√S/(N − Σγᵢ): SymPy does not know
    that the weights 1 − γᵢ are positive), are one admissible value: √(c²), the one that is positive where c is
    real and non-zero."""
    if len(kept) != 2 or len(unknowns) != 1 or not unknowns[0].is_positive:
        return kept
    (u,) = unknowns
    first, second = kept[0][u], kept[1][u]
    if sp.cancel(sp.together(first + second)) != 0 or first.has(sp.I):
        return kept
    # √(c²), not |c|: where c is not real (a negative radicand) there is no stationary point, and √(c²) is not
    # real either, where |c| would be a real number that solves nothing
    return [{u: sp.sqrt(sp.together(first**2))}]


def _compared(difference: sp.Expr, facts: list) -> int | None:
    """The sign of a difference of two objective values: exact where SymPy decides it, else None."""
    try:
        difference = within(SIMPLIFY_SECONDS, "simplify of a difference of objective values", sp.simplify,
                            difference)
    except BudgetExceededError:
        return None
    if difference.is_number:
        if difference.is_zero:
            return 0
        approximate = sp.N(difference, 30)
        return None if not approximate.is_real or abs(approximate) < 1e-25 else (1 if approximate > 0 else -1)
    return sign_given(difference, facts)


def _best_valued(kept: list[dict], value: sp.Expr, sense: int, facts: list) -> list[dict] | None:
    """The roots where the objective is best (lowest for sense +1), first the one to report; None when the
    comparison is not decided. Every optimum that is attained at a root is among them, so picking the best root
    never returns a local optimum (x⁴ − 2x² has its minimum at ±1, not at the local maximum 0)."""
    values = [value.subs(c) for c in kept]
    best = [0]
    for index in range(1, len(kept)):
        order = _compared(sense * (values[index] - values[best[0]]), facts)
        if order is None:
            return None
        if order < 0:
            best = [index]
        elif order == 0:
            best.append(index)
    return [kept[i] for i in best]


def solve_stationarity(
    equations: dict,
    facts: list,
    *,
    tidy: Tidy = lambda e: e,
    objective: sp.Expr | None = None,
    maximise: bool = True,
    value: sp.Expr | None = None,
) -> Solution:
    """Solve ``{unknown: expression}`` = 0 for the unknowns: jointly, else by profiling, else leave them.

    Args:
        equations: for each unknown, the derivative of the objective with respect to it.
        facts: expressions known to be positive, to drop inadmissible roots.
        tidy: a rewrite applied to every candidate (the MLE engine writes raw moments as centred ones).
        objective: the function being optimised, to tell a maximum from a minimum among several roots.
        maximise: whether the objective is maximised (else minimised).
        value: the function whose value tells the roots apart when several pass the second order (default the
            objective; a Lagrangian's caller gives the objective itself). With it, a polynomial system (a
            quadratic on a sphere) is solved jointly first: solving one equation at a time, y(ν² + 5ν + 5) = 0
            gives y = 0 and loses the branch where the multiplier's factor vanishes.

    >>> x, n = sp.Symbol("xbar", positive=True), sp.Symbol("n", positive=True)
    >>> k, theta = sp.symbols("k theta", positive=True)
    >>> logbar = sp.Symbol("logbar", real=True)
    >>> loglik = n*((k - 1)*logbar - x/theta - k*sp.log(theta) - sp.loggamma(k))
    >>> solution = solve_stationarity({k: loglik.diff(k), theta: loglik.diff(theta)}, [])
    >>> solution.closed, solution.stationarity[1]
    ({}, Eq(theta, xbar/k))
    """
    frozen = _frozen_matrix_scalars([*equations.values(), *facts, objective], set(equations))
    if frozen:
        # Matrix scalars free of the unknowns (‖y − Xŵ‖²) are constants here: solved as names, so that solve and
        # expand do not write them out (yᵀy − 2yᵀXŵ + ŵᵀXᵀXŵ reads worse and cancels in floating point)
        thaw = {name: atom for atom, name in frozen.items()}
        solution = solve_stationarity({u: e.xreplace(frozen) for u, e in equations.items()},
                                      [f.xreplace(frozen) for f in facts], tidy=tidy, maximise=maximise,
                                      objective=objective.xreplace(frozen) if objective is not None else None,
                                      value=value.xreplace(frozen) if value is not None else None)
        return Solution(
            closed={u: v.xreplace(thaw) for u, v in solution.closed.items()},
            profiled={u: v.xreplace(thaw) for u, v in solution.profiled.items()},
            stationarity=tuple(e.xreplace(thaw) for e in solution.stationarity), how=solution.how,
            over_budget=solution.over_budget,
            discarded=tuple({u: v.xreplace(thaw) for u, v in d.items()} for d in solution.discarded),
            ties=tuple({u: v.xreplace(thaw) for u, v in t.items()} for t in solution.ties))
    unknowns = list(equations)
    context = _Context(list(facts), tidy, objective, -1 if maximise else 1,
                       value if value is not None else objective)
    equations = {u: sp.together(integer_shifts_expanded(e, set(unknowns))) for u, e in equations.items()}
    over_budget: list[str] = []
    discarded: list[dict] = []
    ties: list[dict] = []
    linear = _linear_solution(equations, unknowns, context, discarded)
    if linear is not None:
        how = "solve each stationarity equation for its unknown, given the others, and substitute"
        if linear is sp.false:  # an inconsistent linear system: the gradient never vanishes
            return Solution(stationarity=(sp.false,), how=how)
        return Solution(closed=_shortest(linear), how=how, discarded=tuple(discarded))
    if value is not None and len(unknowns) > 1 and all(e.is_polynomial(*unknowns) for e in equations.values()):
        joint = _pick(_solve(list(equations.values()), unknowns, "solve of the stationarity equations",
                             SOLVE_SECONDS, over_budget), unknowns, context, discarded, ties=ties)
        if joint is not None:
            return Solution(closed=_shortest({u: tidy(v) for u, v in joint.items()}),
                            how="solve the stationarity equations jointly; of their roots, keep the best value of the "
                                "objective", discarded=tuple(discarded), ties=tuple(ties))
    # One equation at a time first, substituting each solution into the others: cheap, and a joint solve of a
    # Lagrangian's six equations would spend its whole budget. What is left is then solved jointly.
    profiled: dict = {}
    failed: set = set()
    progress = True
    while progress:
        progress = False
        for unknown in [u for u in unknowns if u not in profiled]:
            equation = sp.together(equations[unknown])
            # A retry after another unknown was substituted is worth it only if the functions that hold this
            # unknown changed: the same special functions (digamma) fail the same way, at 0.1-0.5 s a try.
            if (unknown, _holding(equation, unknown)) in failed:
                continue
            numerator, kept = cleared(equation, set(unknowns))
            candidates = _off_poles(_solve([numerator], [unknown], f"solve of the stationarity equation for {unknown}",
                                           _PROFILE_SECONDS, over_budget), kept)
            # A profile may keep sums over the data that involve the other unknowns (Weibull: mean(x^k)).
            found = _pick(candidates, [unknown], context if len(unknowns) == 1 else replace(context, value=None),
                          discarded, sums_allowed=True, ties=ties)
            if found is None or found[unknown].free_symbols & {unknown}:
                failed.add((unknown, _holding(equation, unknown)))
                continue
            profiled[unknown] = found[unknown]
            equations = {u: e.subs(unknown, found[unknown]) for u, e in equations.items() if u != unknown}
            progress = True
    left = [u for u in unknowns if u not in profiled]
    # Tried one at a time and held by special functions each (Beta: digamma in both): no joint attempt either.
    trapped = {u for u, signature in failed if isinstance(signature, frozenset)}
    if len(left) > 1 and not set(left) <= trapped:
        joint = _pick(_solve([sp.numer(equations[u]) for u in left], left, "solve of the stationarity equations",
                             SOLVE_SECONDS, over_budget), left, context, discarded)
        if joint is not None:
            profiled.update(joint)
    closed, substituted = {}, {}
    for unknown, expression in profiled.items():
        for earlier in profiled:
            expression = expression.subs(earlier, profiled[earlier]) if earlier != unknown else expression
        substituted[unknown] = expression
        if not (expression.free_symbols & set(unknowns)):
            closed[unknown] = tidy(expression)
    left = [u for u in unknowns if u not in profiled]
    how = ("solve each stationarity equation for its unknown, given the others, and substitute" if len(profiled) > 1
           else "solve the stationarity equation")
    stationarity = tuple(
        _equation(_tidy(numerator, set(unknowns)), kept)
        for numerator, kept in (cleared(equations[u], set(unknowns)) for u in left)
    ) + tuple(sp.Eq(u, v) for u, v in profiled.items() if u not in closed)
    return Solution(
        closed=_shortest(closed),
        profiled={u: v for u, v in substituted.items() if u not in closed},
        stationarity=stationarity,
        how=how,
        over_budget=tuple(over_budget),
        discarded=tuple(discarded),
        ties=tuple(ties) if len(unknowns) == 1 else (),
    )


def _linear_solution(equations: dict, unknowns: list, context: _Context, discarded: list) -> Any:
    """The unique solution of a linear system (a KKT case of a quadratic with affine constraints) by elimination,
    when it is admissible; false when the system is inconsistent; None otherwise (then the general route decides).
    One linsolve replaces a solve per
    unknown (the gradient-descent step's eleven active sets: 2.3 s of solves)."""
    if len(unknowns) < 2 or not all(e.is_polynomial(*unknowns) and sp.Poly(e, *unknowns).total_degree() <= 1
                                    for e in equations.values()):
        return None
    solutions = sp.linsolve(list(equations.values()), unknowns)
    if solutions == sp.S.EmptySet:
        return sp.false
    if not isinstance(solutions, sp.FiniteSet) or len(solutions) != 1:
        return None
    (values,) = solutions
    if any(v.free_symbols & set(unknowns) for v in values):
        return None
    return _pick([dict(zip(unknowns, values))], unknowns, context, discarded)


def _shortest(values: dict) -> dict:
    """Each value as written or simplified (under a budget), whichever is shorter: 1/(mean(log x) - log a)
    rather than -1/(-mean(log x) + log a). The sums over the data free of the unknowns are simplified as names:
    SymPy's sum_simplify would merge their products into nested sums (Σᵢ xᵢ²(Σⱼ xⱼyⱼ) ...) that numpy() evaluates
    in O(n²), and it spent 3.7 s of a three-unknown regression's 6.6 s."""
    tidy = {}
    for unknown, value in values.items():
        value = _real_form(unknown, value)
        named = {total: sp.Dummy("S", real=total.is_real, positive=total.is_positive)
                 for total in value.atoms(sp.Sum)}
        try:
            simpler = within(SIMPLIFY_SECONDS, f"simplify of the solution for {unknown}", sp.simplify,
                             value.xreplace(named)).xreplace({name: total for total, name in named.items()})
        except BudgetExceededError:
            simpler = value
        tidy[unknown] = simpler if sp.count_ops(simpler) < sp.count_ops(value) else value
    return tidy


def _real_form(unknown: sp.Symbol, value: sp.Expr) -> sp.Expr:
    """A real unknown's numeric value written through i (a cubic's three real roots: Cardano's radicals of
    complex numbers) in real terms, where SymPy finds them within the budget: x⁴ − 3x² + x's minimiser read
    (−2 − (1 + √7 i)^{2/3})/(2(1 + √7 i)^{1/3}) and numpy() returned the complex −1.30 + 0j; it is −√2 cos(atan(√7)/3)."""
    if not (unknown.is_real and value.is_number and value.has(sp.I)) or _imaginary(value):
        return value
    try:
        real = within(SIMPLIFY_SECONDS, f"the real form of the solution for {unknown}",
                      lambda: sp.simplify(sp.expand_complex(value)))
    except BudgetExceededError:
        return value
    return real if not real.has(sp.I) else value


def factored(expr: sp.Expr) -> sp.Expr:
    """``factor_terms(expr)`` with each sum whose summand is free of its index counted: factoring ψ(r) out of
    Σᵢ (ψ(r + xᵢ) − ψ(r)) leaves ψ(r) Σᵢ 1, which is n ψ(r)."""
    return sp.factor_terms(expr).replace(lambda e: isinstance(e, sp.Sum), _counted)


def _tidy(expr: sp.Expr, unknowns: set) -> sp.Expr:
    """An equation's left side (= 0) with logs split and positive factors free of the unknowns (n, 2) dropped;
    sums over the data keep their summands as written (expanding them would only lengthen them)."""
    if expr.has(sp.Sum):
        # Profiled values such as (S/n)**(1/k) come back raised to k and inside logs: undo that first. force=True
        # takes every symbol as positive, which would evaluate δ(0, xᵢ) to 0 (a zero-inflated count): cases are held
        # out of it.
        cases = {e: sp.Dummy() for e in expr.atoms(sp.KroneckerDelta, sp.Heaviside, sp.Piecewise, sp.Abs, sp.sign)}
        expr = sp.expand(sp.expand_log(sp.powdenest(expr.xreplace(cases), force=True), force=True))
        expr = expr.xreplace({dummy: case for case, dummy in cases.items()})
        tidied = factored(expr.replace(lambda e: isinstance(e, sp.Sum),
                                       lambda e: sp.Sum(sp.together(e.function), *e.limits)))
    else:
        tidied = factored(sp.expand(sp.expand_log(expr, force=True)))
    if not isinstance(tidied, sp.Mul):
        return tidied
    kept = [f for f in tidied.args if f.free_symbols & unknowns or f.is_zero is not False]
    return sp.Mul(*kept)
