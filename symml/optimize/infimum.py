"""One unknown minimised out of a function: the rule a dual function and a convex conjugate are built from.

``inf_u F(u, ...)`` for an unknown u (a scalar, a vector or a matrix) is derived by the cases a convex function
allows (Boyd & Vandenberghe, Convex Optimization, 5.1.2):

- F affine in u, F = F(0) + ⟨G, u⟩: the infimum is F(0) where the coefficient G vanishes and -∞ elsewhere, so
  G = 0 becomes a constraint (an LP's dual feasibility, the SVM's yᵀα = 0);
- F convex in u (the second derivative or the Hessian shown to be positive, else assumed and said): the infimum
  is attained where the gradient vanishes; the stationarity equation is solved by the core (scalar rules, or a
  linear matrix equation at matrix level) and substituted back.

>>> x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
>>> found = minimise_out(sp.exp(x) - y*x, x, [])
>>> found.point, found.value
(log(y), -y*log(y) + y)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError, NoClosedFormError, UnboundedError, UnsupportedOperationError
from symml.render.printer import latex

__all__ = ["Infimum", "minimise_out", "is_matrix_problem", "zero_like"]


@dataclass(frozen=True)
class Infimum:
    """What minimising one unknown out gave.

    Attributes:
        unknown: the unknown minimised over.
        value: the infimum, a function of the other symbols (where ``constraint`` holds).
        steps: the steps shown.
        point: the minimiser in terms of the other symbols; None when F is affine in the unknown.
        constraint: for F affine in the unknown, its coefficient G (the infimum is -∞ unless G = 0), else None.
        domain: conditions on the other symbols under which the minimiser lies in the unknown's domain.
        assumption: the convexity assumed rather than shown, in words, or "".
    """

    unknown: Any
    value: Any
    steps: tuple[Step, ...]
    point: Any = None
    constraint: Any = None
    domain: tuple = ()
    assumption: str = ""


def is_matrix_problem(*exprs: Any) -> bool:
    """Whether any of the expressions is a matrix expression (then matrix calculus differentiates)."""
    from symml.matrix_calculus.expressions import is_matrix

    return any(is_matrix(e) or (isinstance(e, sp.Basic) and e.has(sp.MatrixSymbol)) for e in exprs)


def zero_like(unknown: Any) -> Any:
    return sp.ZeroMatrix(*unknown.shape) if isinstance(unknown, sp.MatrixSymbol) else sp.S.Zero


def _simplified(expr: Any) -> Any:
    expr = sp.expand(expr)
    try:
        simpler = within(SIMPLIFY_SECONDS, "simplify of an infimum", sp.simplify, expr)
    except BudgetExceededError:
        return expr
    return simpler if sp.count_ops(simpler) < sp.count_ops(expr) else expr


def _expanded(expr: Any) -> Any:
    """A matrix expression after a substitution, distributed and rebuilt (no 0 terms, no 1*A)."""
    from symml.matrix_calculus.algebra import tidy

    return tidy(tidy(expr.doit()).expand())


def minimise_out(F: Any, unknown: Any, facts: Sequence[sp.Expr] = (), *, name: str = "F") -> Infimum:
    """inf over ``unknown`` of ``F`` (a scalar or 1 x 1 matrix expression), with the steps.

    Args:
        F: the function minimised; its other symbols are held fixed.
        unknown: a Symbol or a MatrixSymbol.
        facts: expressions known to be positive (for deciding signs).
        name: how F is called in the steps ("L" for a Lagrangian).

    Raises:
        UnboundedError: F is affine in the unknown with a non-zero constant coefficient (inf = -∞ always).
        NoClosedFormError: the stationarity equation has no closed-form solution.
        UnsupportedOperationError: F is not affine and not convex-quadratic-like in a scalar unknown inside a
            matrix expression.
    """
    matrix = is_matrix_problem(F)
    G = _gradient(F, unknown, matrix)
    shown = f"${latex(unknown)}$"
    if not _depends(G, unknown):
        if _is_nonzero_constant(G):
            raise UnboundedError(f"{name} decreases without bound in {unknown}: its coefficient is a non-zero "
                                 "constant, so the infimum is -∞ whatever the multipliers")
        value = _expanded(F.xreplace({unknown: zero_like(unknown)})) if matrix else sp.expand(F.subs(unknown, 0))
        step = Step(f"{name} is affine in {shown}", _vanishes(G),
                    f"{name} = {name}|₀ + ⟨∇, {shown}⟩ is bounded below in {shown} only where the coefficient "
                    "vanishes: the infimum is -∞ unless it does, so it becomes a constraint, and then "
                    f"{name} = {name}|₀")
        return Infimum(unknown, value, (step,), constraint=G)
    kinked = None if matrix else _piecewise_affine(F, unknown)
    if kinked is not None:
        return _at_the_kink(F, unknown, *kinked, name)
    convex_step, assumption = _convexity(F, unknown, facts, matrix, name)
    if matrix:
        point, solve_steps, condition = _solve_matrix(G, unknown)
    else:
        point, solve_steps, condition = _solve_scalar(G, unknown, facts), (), ""
    compact = _quadratic_value(F, G, unknown, point) if matrix else None
    if compact is not None:
        value, how = compact, ("F is quadratic in the unknown, F = F|₀ + ⟨∇F|₀, u⟩ + ½⟨u, Hu⟩, and H u* = −∇F|₀ at "
                               "the minimiser, so F(u*) = F|₀ + ½⟨∇F|₀, u*⟩: kept in matrix form, not expanded")
    else:
        value = _expanded(F.xreplace({unknown: point})) if matrix else _simplified(F.subs(unknown, point))
        how = f"{name} at its minimiser, expanded"
    domain = _domain(unknown, point, facts) if not matrix else ()
    steps = [Step(f"Stationarity in {shown}", _vanishes(G),
                  f"{name} is convex in {shown}, so its infimum is attained where the gradient vanishes"),
             *convex_step, *_new(solve_steps, sp.Eq(unknown, point, evaluate=False)),
             Step(f"Minimiser in {shown}", sp.Eq(unknown, point, evaluate=False),
                  (f"unique when {condition}" if condition else "the stationary point")
                  + ("; it lies in the domain when " + " and ".join(f"${latex(c)}$" for c in domain)
                     if domain else "")),
             Step(f"Substitute back: the infimum over {shown}", sp.Eq(sp.Symbol(f"inf_{unknown}"), value,
                                                                      evaluate=False),
                  how.replace("F", name))]
    return Infimum(unknown, value, tuple(steps), point=point, domain=domain, assumption=assumption)


def _piecewise_affine(F: sp.Expr, unknown: sp.Symbol) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """(the kink u = b, F's slope right of it, F's slope left of it) when F is affine in ``unknown`` but for one
    max, min or |·| of affine functions of it (the hinge max(0, 1 − u)); else None."""
    kinks = [k for k in F.atoms(sp.Max, sp.Min, sp.Abs) if k.has(unknown)]
    if len(kinks) != 1 or (len(kinks[0].args) != 2 and not isinstance(kinks[0], sp.Abs)):
        return None
    (kink,) = kinks
    pieces = (kink.args[0], -kink.args[0]) if isinstance(kink, sp.Abs) else kink.args
    slopes = [sp.diff(piece, unknown) for piece in pieces]
    hidden = sp.Dummy("k")
    if any(slope.has(unknown) for slope in slopes) or sp.diff(F.xreplace({kink: hidden}), unknown).has(unknown):
        return None
    steeper = sp.sign(slopes[0] - slopes[1])
    if not steeper.is_number or steeper == 0:
        return None
    # far right the max is its steeper piece, the min the other; far left the reverse (|r| = max(r, −r))
    right, left = (0, 1) if (steeper > 0) == (not isinstance(kink, sp.Min)) else (1, 0)
    breakpoints = sp.solve(pieces[0] - pieces[1], unknown)
    if len(breakpoints) != 1:
        return None
    slope = [sp.diff(F.xreplace({kink: pieces[side]}), unknown) for side in (right, left)]
    return breakpoints[0], sp.expand(slope[0]), sp.expand(slope[1])


def _at_the_kink(F: sp.Expr, unknown: sp.Symbol, kink: sp.Expr, right: sp.Expr, left: sp.Expr,
                 name: str) -> Infimum:
    """inf of a piecewise-affine F with one kink: finite exactly when F rises on both sides, slope ≥ 0 to the
    right and ≤ 0 to the left (else −∞ along one side), and then attained at the kink (Rockafellar, Convex
    Analysis, 23.8: 0 lies in [left, right], the subdifferential there)."""
    shown = f"${latex(unknown)}$"
    if sp.expand(right - left).is_negative:  # concave at its kink: falls on one side whatever the other symbols
        raise UnboundedError(f"{name} is concave at its kink {unknown} = {kink} (slope {left} left of it, {right} "
                             "right of it): it decreases without bound on one side, so the infimum is -∞ everywhere")
    from symml.optimize.lagrange import _condition

    domain = tuple(dict.fromkeys(c for c in (_condition(sp.Ge(right, 0), []), _condition(sp.Le(left, 0), []))
                                 if c is not sp.true))
    value = sp.expand(F.subs(unknown, kink))
    steps = (Step(f"{name} is piecewise affine in {shown}", (sp.Eq(sp.Symbol("slope_right"), right, evaluate=False),
                                                              sp.Eq(sp.Symbol("slope_left"), left, evaluate=False)),
                  f"one kink at ${latex(unknown)} = {latex(kink)}$; beyond it {name} is affine with these slopes, "
                  "so it is bounded below exactly when it rises on both sides, and its infimum is then its value "
                  "at the kink (−∞ otherwise)"),
             Step(f"Infimum over {shown}", sp.Eq(sp.Symbol(f"inf_{unknown}"), value, evaluate=False),
                  f"{name} at the kink, where " + " and ".join(f"${latex(c)}$" for c in domain)))
    return Infimum(unknown, value, steps, point=kink, domain=domain)


def _quadratic_value(F: Any, G: Any, unknown: Any, point: Any) -> Any | None:
    """F at its minimiser u* in matrix form, F|₀ − ½⟨s, u*⟩ with s = −∇F|₀, when F is quadratic in a vector
    unknown (its Hessian is free of it); else None. Expanding F(u*) instead spreads −½ sᵀH⁻¹s over every pair of
    terms of s (ten terms for the QP dual)."""
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import hessian

    if unknown.shape[1] != 1 or hessian(F, unknown).result.has(unknown):
        return None
    at_zero = _expanded(F.xreplace({unknown: zero_like(unknown)}))
    s = tidy(tidy((-G).xreplace({unknown: zero_like(unknown)}).doit()).expand())
    if isinstance(s, sp.ZeroMatrix):
        return at_zero
    c_s, bare_s = _coefficient_and_factors(s)
    c_point, bare_point = _coefficient_and_factors(point)
    # a sum's transpose kept whole, (μ − q)ᵀ rather than μᵀ − qᵀ; a product's reversed, αᵀdiag(y)X
    transposed = [sp.Transpose(bare_s[0])] if len(bare_s) == 1 and isinstance(bare_s[0], sp.MatAdd) else \
        [f.T for f in reversed(bare_s)]
    half = sp.MatMul(sp.Rational(-1, 2) * c_s * c_point, *transposed, *bare_point)
    if at_zero == 0 or isinstance(at_zero, sp.ZeroMatrix):
        return half
    return sp.MatAdd(at_zero if isinstance(at_zero, sp.MatrixExpr) else at_zero * sp.Identity(1), half)


def _coefficient_and_factors(expr: Any) -> tuple[sp.Expr, list]:
    """A matrix product as its scalar coefficient and its matrix factors; anything else as (1, [expr])."""
    if isinstance(expr, sp.MatMul):
        coefficient, factors = expr.as_coeff_matrices()
        return coefficient, list(factors)
    return sp.S.One, [expr]


def _new(solve_steps: Sequence[Step], result: sp.Eq) -> list[Step]:
    """The solver's steps that add something: not the stationarity restated, nor the result shown next."""
    return [s for s in solve_steps if not s.title.startswith("Stationarity") and s.lines != (result,)]


def _gradient(F: Any, unknown: Any, matrix: bool) -> Any:
    if not matrix:
        return sp.diff(F, unknown)
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient

    return tidy(gradient(F, unknown).result)


def _depends(G: Any, unknown: Any) -> bool:
    return G.has(unknown)


def _is_nonzero_constant(G: Any) -> bool:
    if isinstance(G, sp.MatrixExpr):
        return False  # a symbolic coefficient such as c - Aᵀν vanishes for some data
    return bool(G.is_number and G != 0)


def _vanishes(G: Any) -> sp.Eq:
    zero = sp.ZeroMatrix(*G.shape) if isinstance(G, sp.MatrixExpr) else 0
    return sp.Eq(G, zero, evaluate=False)


def _convexity(F: Any, unknown: Any, facts: Sequence[sp.Expr], matrix: bool, name: str) -> tuple[list[Step], str]:
    """The step showing F convex in the unknown, or the assumption that it is (said, never silent)."""
    from symml.optimize.signs import sign_given

    shown = f"${latex(unknown)}$"
    if not matrix:
        second = sp.diff(F, unknown, 2)
        if sign_given(second, list(facts)) == 1:
            return [Step(f"{name} is strictly convex in {shown}", sp.Eq(sp.Derivative(sp.Symbol(name), (unknown, 2)),
                                                                        second, evaluate=False),
                         "the second derivative is positive on the domain")], ""
        assumption = f"{name} is assumed convex in {unknown} (its second derivative {second} is not shown positive)"
        return [], assumption
    if not isinstance(unknown, sp.MatrixSymbol):
        raise UnsupportedOperationError(f"{name} is not affine in the scalar {unknown}: minimising a scalar out of a "
                                        "matrix expression is supported when it enters linearly")
    from symml.matrix_calculus.derivatives import hessian
    from symml.optimize.matrix_problems import _definite_terms

    H = hessian(F, unknown).result
    kind = _definite_terms(H)
    if kind is not None:
        return [Step(f"{name} is {'strictly ' if kind == 'definite' else ''}convex in {shown}",
                     sp.Eq(sp.MatrixSymbol("H", *H.shape), H, evaluate=False),
                     "the Hessian is a positive combination of Gram matrices and of the identity")], ""
    return [], f"{name} is assumed convex in {unknown}: its Hessian {H} is assumed positive definite"


def _solve_scalar(G: sp.Expr, unknown: sp.Symbol, facts: Sequence[sp.Expr]) -> sp.Expr:
    from symml.optimize.scalar_solve import solve_stationarity

    solved = solve_stationarity({unknown: G}, list(facts), maximise=False)
    if unknown not in solved.closed:
        raise NoClosedFormError(f"the stationarity equation {sp.Eq(G, 0)} has no closed-form solution for {unknown}")
    return solved.closed[unknown]


def _solve_matrix(G: Any, unknown: Any) -> tuple[Any, tuple[Step, ...], str]:
    from symml.optimize.matrix_solve import solve_linear_matrix_equation

    solved = solve_linear_matrix_equation(G, unknown)
    if solved.solution is None or solved.kind == "eigenproblem":
        raise NoClosedFormError(f"the stationarity condition {G} = 0 cannot be solved for {unknown} in closed form: "
                                f"{solved.reason or 'it is an eigenproblem'}")
    return solved.solution, solved.steps, solved.condition


def _domain(unknown: sp.Symbol, point: sp.Expr, facts: Sequence[sp.Expr]) -> tuple:
    """Where the minimiser exists: a positive (non-negative) unknown's value must be positive (x = -1/y needs
    y < 0), and a logarithm in it needs a positive argument (x = log y needs y > 0)."""
    from symml.optimize.lagrange import _condition

    relations = [sp.Gt(_sign_of(a.args[0]), 0) for a in point.atoms(sp.log)]
    if unknown.is_positive:
        relations.append(sp.Gt(_sign_of(point), 0))
    elif unknown.is_nonnegative:
        relations.append(sp.Ge(_sign_of(point), 0))
    conditions = [_condition(r, list(facts)) for r in relations]
    return tuple(dict.fromkeys(c for c in conditions if c is not sp.true))


def _sign_of(expr: sp.Expr) -> sp.Expr:
    """An expression with the sign of ``expr`` and no division (numerator times denominator)."""
    numerator, denominator = sp.fraction(sp.together(expr))
    return numerator * denominator
