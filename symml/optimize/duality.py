"""Lagrange duality: the dual function g(ν, μ) = inf_x L(x, ν, μ), the dual problem, weak and strong duality.

For ``minimise f(x) subject to h_j(x) = 0, g_k(x) <= 0`` the Lagrangian is L = f + Σ ν_jᵀh_j + Σ μ_kᵀg_k (a
vector constraint gets a vector multiplier). Each primal unknown is minimised out of L in turn
(:func:`symml.optimize.infimum.minimise_out`): where L is convex in it, its stationarity is solved and substituted
back (w = Xᵀdiag(y)α for the SVM); where L is affine in it, its coefficient must vanish, a constraint of the dual
(yᵀα = 0, C1 − α − β = 0). A multiplier of an inequality that no longer appears in g is then eliminated through
such a constraint, and its sign constraint carries over (β = C1 − α ≥ 0 gives α ≤ C). The dual problem maximises g
over what is left (Boyd & Vandenberghe, Convex Optimization, 5.1-5.2):

- weak duality: g(ν, μ) ≤ p* for every μ ≥ 0, always;
- strong duality: max g = p* when the problem is convex and Slater's condition holds; with affine constraints it
  reduces to feasibility (B&V 5.2.3); otherwise a strictly feasible point is sought (the origin), or it is assumed.

``numpy()`` solves the dual numerically (SLSQP on the derived g, its derived gradient and the derived dual
constraints) and recovers the primal unknowns from the multipliers; ``verify()`` solves the primal directly with
SLSQP and compares the optimal values (strong duality) and the recovered primal point
(:mod:`symml.optimize.dual_numeric`).

>>> x, a = sp.Symbol("x", real=True), sp.Symbol("a", real=True)
>>> sp.expand(dual((x - a)**2, x, subject_to=[x >= 0]).result)   # the dual of the projection onto x >= 0
-a*mu - mu**2/4
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import ParameterError, UnsupportedOperationError
from symml.optimize.infimum import Infimum, is_matrix_problem, minimise_out, zero_like
from symml.render.printer import latex

__all__ = ["DualProblem", "dual"]


@dataclass(frozen=True)
class DualProblem:
    """A primal problem and its derived Lagrange dual.

    Attributes:
        title: one line describing the problem.
        objective: the primal objective f (minimised).
        wrt: the primal unknowns.
        equalities: the primal constraints h = 0, as expressions h.
        inequalities: the primal constraints g <= 0, as expressions g.
        multipliers: the dual variables left in the dual problem, in order.
        dual_function: g(multipliers), a scalar or 1 x 1 matrix expression.
        dual_equalities: constraints E = 0 on the multipliers, as expressions E.
        dual_inequalities: constraints e >= 0 on the multipliers, as expressions e.
        recover: the primal unknowns in terms of the multipliers (those L is convex in).
        eliminated: multipliers eliminated through a dual constraint, in terms of those left.
        strong: whether strong duality was established (True) or assumed (None).
        slackness: the scalar unknowns L is affine in, recovered from complementary slackness
            (:class:`~symml.optimize.slackness.SlacknessRecovery`), or None.
    """

    title: str
    objective: Any
    wrt: tuple
    equalities: tuple
    inequalities: tuple
    multipliers: tuple
    dual_function: Any
    dual_equalities: tuple = ()
    dual_inequalities: tuple = ()
    recover: dict = field(default_factory=dict)
    eliminated: dict = field(default_factory=dict)
    strong: bool | None = None
    slackness: Any = None


def dual(objective: Any, wrt: Any, *, subject_to: Sequence[Any] = (), multipliers: Sequence[Any] = ()) -> Derivation:
    """The Lagrange dual of ``minimise objective over wrt subject to subject_to``, derived.

    Args:
        objective: the primal objective (minimised): a scalar expression or a 1 x 1 matrix expression.
        wrt: the primal unknown(s): Symbols and MatrixSymbols (vectors: shape (d, 1)), as for
            :func:`~symml.optimize.minimize.minimize`.
        subject_to: ``Eq(lhs, rhs)``, inequalities (``Ge``/``Le``, ``symml.Ge``/``symml.Le`` for vectors, meant
            elementwise), or an expression h meaning h = 0.
        multipliers: optional names for the multipliers, one per constraint in order (Symbols or vector
            MatrixSymbols of the constraint's shape); default ν for equalities and μ for inequalities.

    Returns:
        a Derivation whose ``result`` is the dual function g; the steps show the Lagrangian, each unknown
        minimised out, the dual problem and the duality argument. ``numpy()`` solves the dual numerically and
        recovers the primal point (a dict keyed by name, with ``"dual_value"``); ``verify()`` compares it with a
        direct SLSQP solve of the primal.

    Raises:
        ParameterError: an unknown that does not appear, or a malformed constraint or multiplier.
        UnboundedError: the Lagrangian is unbounded below in an unknown whatever the multipliers.
        NoClosedFormError: an unknown's stationarity condition has no closed form.
    """
    from symml.budget import within
    from symml.optimize import dual_numeric  # noqa: F401 - registers numpy() and verify() of DualProblem
    from symml.optimize.core import DERIVE_SECONDS

    return within(DERIVE_SECONDS, "the dual", _dual, objective, wrt, list(subject_to), list(multipliers))


# --- the primal ------------------------------------------------------------------------------------------------
def _residuals(subject_to: list) -> tuple[list, list]:
    """Equalities as h (h = 0), inequalities as g (g <= 0), matrix-valued or scalar."""
    equalities, inequalities = [], []
    for constraint in subject_to:
        if constraint is sp.true:
            continue
        if constraint is sp.false:
            from symml.errors import InfeasibleError

            raise InfeasibleError("a constraint is False: the feasible set is empty, and the dual is unbounded")
        if isinstance(constraint, sp.Eq):
            equalities.append(_difference(constraint.lhs, constraint.rhs))
        elif isinstance(constraint, (sp.LessThan, sp.StrictLessThan)):
            inequalities.append(_difference(constraint.lhs, constraint.rhs))
        elif isinstance(constraint, (sp.GreaterThan, sp.StrictGreaterThan)):
            inequalities.append(_difference(constraint.rhs, constraint.lhs))
        elif isinstance(constraint, sp.Basic) and not isinstance(constraint, sp.logic.boolalg.Boolean):
            equalities.append(constraint)
        else:
            raise ParameterError(f"a constraint must be Eq, an inequality or an expression (= 0), not {constraint!r}; "
                                 "compare matrices with symml.Eq, symml.Ge and symml.Le")
    for residual in (*equalities, *inequalities):
        shape = getattr(residual, "shape", (1, 1))
        if shape[1] != 1:
            raise ParameterError(f"a constraint must be a scalar or a column vector, not of shape {shape}")
    return equalities, inequalities


def same_shape(lhs: Any, rhs: Any) -> tuple[Any, Any]:
    """(lhs, rhs) where a scalar compared with a matrix means that scalar in every entry (ξ >= 0, aᵀx = c, 1ᵀw = 1:
    SymPy refuses a 1 x 1 matrix minus a scalar)."""
    from symml.matrix_calculus.expressions import is_matrix

    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if is_matrix(lhs) != is_matrix(rhs):
        shape = (lhs if is_matrix(lhs) else rhs).shape
        ones = sp.OneMatrix(*shape) if tuple(shape) != (1, 1) else sp.Identity(1)
        lhs, rhs = [side if is_matrix(side) else (side * ones if side != 0 else sp.ZeroMatrix(*shape))
                    for side in (lhs, rhs)]
    return lhs, rhs


def _difference(lhs: Any, rhs: Any) -> Any:
    """lhs - rhs, where a scalar compared with a vector means that scalar in every entry (ξ >= 0)."""
    lhs, rhs = same_shape(lhs, rhs)
    return lhs - rhs


def _multipliers(equalities: list, inequalities: list, given: list, taken: list) -> list:
    from symml.optimize.lagrange import multipliers as fresh

    residuals = [*equalities, *inequalities]
    if given:
        if len(given) != len(residuals):
            raise ParameterError(f"{len(given)} multipliers for {len(residuals)} constraints: give one per constraint")
        return list(given)
    names = [*fresh("nu", len(equalities), taken), *fresh("mu", len(inequalities), taken)]
    return [sp.MatrixSymbol(s.name, r.shape[0], 1) if _is_vector(r) else s for s, r in zip(names, residuals)]


def _is_vector(expr: Any) -> bool:
    return isinstance(expr, sp.MatrixExpr) and tuple(expr.shape) != (1, 1)


def _term(multiplier: Any, residual: Any) -> Any:
    if isinstance(multiplier, sp.MatrixSymbol):
        if not _is_vector(residual) or multiplier.shape != residual.shape:
            raise ParameterError(f"the multiplier {multiplier} of shape {multiplier.shape} does not match its "
                                 f"constraint of shape {getattr(residual, 'shape', (1, 1))}")
        return multiplier.T * residual
    if _is_vector(residual):
        raise ParameterError(f"the vector constraint {residual} needs a vector multiplier, not {multiplier}")
    return multiplier * residual


def _plus(a: Any, b: Any) -> Any:
    """a + b where one may be a 1 x 1 matrix expression and the other a scalar."""
    from symml.matrix_calculus.expressions import is_matrix

    if is_matrix(a) != is_matrix(b):
        a, b = (a, b * sp.Identity(1)) if is_matrix(a) else (a * sp.Identity(1), b)
    return a + b


def _nonnegative(expr: Any) -> sp.Rel:
    return sp.GreaterThan(expr, zero_like(expr) if isinstance(expr, sp.MatrixSymbol) else
                          (sp.ZeroMatrix(*expr.shape) if _is_vector(expr) else 0), evaluate=False)


# --- the derivation --------------------------------------------------------------------------------------------
def _dual(objective: Any, wrt: Any, subject_to: list, given: list) -> Derivation:
    from symml.optimize.minimize import _unknowns

    unknowns = _unknowns(wrt)
    f = sp.sympify(objective)
    equalities, inequalities = _residuals(subject_to)
    everything = [f, *equalities, *inequalities]
    absent = [u for u in unknowns if not any(e.has(u) for e in everything)]
    if absent:
        raise ParameterError(f"{', '.join(map(str, absent))} does not appear in the objective or the constraints")
    lams = _multipliers(equalities, inequalities, given, everything)
    nu, mu = lams[:len(equalities)], lams[len(equalities):]
    L = f
    for m, r in zip(lams, [*equalities, *inequalities]):
        L = _plus(L, _term(m, r))
    facts = [a.args[0] for a in sp.sympify(f).atoms(sp.log)] if not is_matrix_problem(f) else []
    steps = [Step("Primal problem", (sp.Eq(sp.Symbol("p^*"), sp.Function("min")(f), evaluate=False),
                                     *(sp.Eq(h, zero_like(h) if _is_vector(h) else 0, evaluate=False)
                                       for h in equalities),
                                     *(sp.LessThan(g, sp.ZeroMatrix(*g.shape) if _is_vector(g) else 0, evaluate=False)
                                       for g in inequalities)),
                  f"minimise over {', '.join(f'${latex(u)}$' for u in unknowns)}; constraints in standard form "
                  "h = 0 and g ≤ 0 (elementwise for vectors)"),
             Step("Lagrangian", sp.Eq(sp.Function("L")(*unknowns, *lams), L, evaluate=False),
                  "one multiplier per constraint (a vector for a vector constraint); those of the inequalities are "
                  "non-negative")]
    infima: list[Infimum] = []
    for unknown in unknowns:
        found = minimise_out(L, unknown, facts, name="L")
        infima.append(found)
        steps.extend(found.steps)
        L = found.value
    g = L
    dual_equalities = [i.constraint for i in infima if i.constraint is not None]
    dual_inequalities = list(mu)
    recover = _recover(infima)
    left = list(lams)
    eliminated: dict = {}
    for m in mu:
        solved = _eliminate(m, g, dual_equalities)
        if solved is None:
            continue
        equation, value = solved
        dual_equalities = [E.xreplace({m: value}) for E in dual_equalities if E is not equation]
        dual_inequalities = [value if e == m else e for e in dual_inequalities]
        eliminated[m] = value
        left.remove(m)
        steps.append(Step(f"Eliminate ${latex(m)}$", (sp.Eq(m, value, evaluate=False), _nonnegative(value)),
                          f"${latex(m)}$ no longer appears in the dual function: the constraint fixes it, and its sign "
                          f"constraint ${latex(m)} \\geq 0$ carries over"))
    domain = [c for i in infima for c in i.domain]
    written_g = sp.Function("g")(*left)
    steps.append(Step("Dual function", sp.Eq(written_g, g, evaluate=False),
                      "g = inf over the primal unknowns of L; it is concave (an infimum of affine functions of the "
                      "multipliers)" + (" where " + " and ".join(f"${latex(c)}$" for c in domain) if domain else "")))
    steps.extend(_kernel_form(g, written_g))
    constraints = (*(sp.Eq(E, zero_like(E) if _is_vector(E) else 0, evaluate=False) for E in dual_equalities),
                   *(_nonnegative(e) for e in dual_inequalities), *domain)
    steps.append(Step("Dual problem", (sp.Eq(sp.Symbol("d^*"), sp.Function("max")(written_g), evaluate=False),
                                       *constraints),
                      "maximise the dual function over the multipliers: the constraints that keep g finite and "
                      "the non-negativity of the inequalities' multipliers"))
    steps.append(Step("Weak duality", sp.LessThan(sp.Symbol("d^*"), sp.Symbol("p^*"), evaluate=False),
                      "for a feasible x and μ ≥ 0, g(ν, μ) ≤ L(x, ν, μ) ≤ f(x): every dual value bounds the primal "
                      "from below (B&V 5.1.3)"))
    strong, why, assumptions = _strong_duality(f, unknowns, equalities, inequalities, infima)
    steps.append(Step("Strong duality", sp.Eq(sp.Symbol("d^*"), sp.Symbol("p^*"), evaluate=False), why))
    if recover:
        steps.append(Step("Primal solution from the dual", tuple(sp.Eq(u, v, evaluate=False) for u, v in recover.items()),
                          "at a dual optimum the minimiser of L is primal optimal (strong duality and strict "
                          "convexity in these unknowns)"))
    slackness = _slackness(inequalities, [eliminated.get(m, m) for m in mu], infima, steps)
    problem = DualProblem(
        title=f"Dual of: minimise ${latex(f)}$ over {', '.join(f'${latex(u)}$' for u in unknowns)}",
        objective=f, wrt=tuple(unknowns), equalities=tuple(equalities), inequalities=tuple(inequalities),
        multipliers=tuple(left), dual_function=g, dual_equalities=tuple(dual_equalities),
        dual_inequalities=tuple(dual_inequalities), recover=recover, eliminated=eliminated, strong=strong,
        slackness=slackness)
    return Derivation(problem=problem, steps=tuple(steps), result=g, summary=(sp.Eq(written_g, g, evaluate=False),),
                      assumptions=tuple(assumptions))


def _slackness(inequalities: list, multipliers: list, infima: list[Infimum], steps: list) -> Any:
    """The scalar unknowns L is affine in, from complementary slackness (its step appended), or None."""
    from symml.optimize.slackness import recover_by_slackness

    found = recover_by_slackness(inequalities, multipliers, [i.unknown for i in infima if i.point is None])
    if found is None:
        return None
    steps.append(found[1])
    return found[0]


def _recover(infima: list[Infimum]) -> dict:
    """Each minimiser written in the multipliers only: later minimisers substituted into earlier ones."""
    recover: dict = {}
    for found in reversed(infima):
        if found.point is not None:
            value = found.point.xreplace(recover)
            recover[found.unknown] = value.doit() if isinstance(value, sp.MatrixExpr) else value
    return dict(reversed(list(recover.items())))


def _eliminate(m: Any, g: Any, equations: list) -> tuple[Any, Any] | None:
    """An equation that fixes the multiplier ``m`` when g does not involve it: (equation, m's value)."""
    if g.has(m):
        return None
    for E in equations:
        if not E.has(m):
            continue
        if isinstance(m, sp.MatrixSymbol):
            from symml.optimize.matrix_solve import solve_linear_matrix_equation

            solved = solve_linear_matrix_equation(E, m)
            if solved.solution is not None and solved.kind not in ("eigenproblem", "minimum-norm"):
                return E, solved.solution
        else:
            from symml.budget import SOLVE_SECONDS, within

            roots = within(SOLVE_SECONDS, f"solve of a dual constraint for {m}", sp.solve, E, m)
            if len(roots) == 1:
                return E, roots[0]
    return None


def _kernel_form(g: Any, written: Any) -> list[Step]:
    """diag(a) M diag(b) written (a bᵀ) ∘ M, entrywise a_i M_ij b_j: the SVM's αᵀ(yyᵀ ∘ XXᵀ)α."""
    from sympy.matrices.expressions import DiagMatrix, HadamardProduct, MatMul

    def rewrite(expr: Any) -> Any:
        if not isinstance(expr, MatMul):
            return expr
        coefficient, factors = expr.as_coeff_matrices()
        for i, first in enumerate(factors):
            if not isinstance(first, DiagMatrix):
                continue
            for j in range(i + 2, len(factors)):
                if isinstance(factors[j], DiagMatrix):
                    middle = MatMul(*factors[i + 1:j])
                    outer = MatMul(first.args[0], factors[j].args[0].T)
                    return MatMul(coefficient, *factors[:i], HadamardProduct(outer, middle), *factors[j + 1:])
        return expr

    if not isinstance(g, sp.MatrixExpr):
        return []
    rewritten = g.replace(lambda e: isinstance(e, MatMul), rewrite)
    if rewritten == g:
        return []
    return [Step("Entrywise form", sp.Eq(written, rewritten, evaluate=False),
                 "diag(a) M diag(b) = (a bᵀ) ∘ M, since both have entries a_i M_ij b_j; with M = XXᵀ the Gram "
                 "(kernel) matrix of the data")]


def _affine(residual: Any, unknowns: list) -> bool:
    from symml.optimize.infimum import _gradient

    # a vector r is affine when zᵀr is, for a fixed z: its gradient is then free of the unknowns
    probe = _term(sp.MatrixSymbol("z", residual.shape[0], 1), residual) if _is_vector(residual) else residual
    matrix = is_matrix_problem(probe)
    return all(not _gradient(probe, u, matrix).has(*unknowns) for u in unknowns if probe.has(u))


def _separable(f: Any, unknowns: list) -> bool:
    terms = f.args if isinstance(f, (sp.Add, sp.MatAdd)) else (f,)
    return all(sum(1 for u in unknowns if t.has(u)) <= 1 for t in terms)


def _strong_duality(f: Any, unknowns: list, equalities: list, inequalities: list,
                    infima: list[Infimum]) -> tuple[bool | None, str, list[str]]:
    """Whether strong duality holds, the reason in words, and what was assumed."""
    assumptions = [i.assumption for i in infima if i.assumption]
    convex = not assumptions and _separable(f, unknowns)
    if not convex:
        assumptions.append("the primal objective is convex (strong duality needs it)")
    if not all(_affine(h, unknowns) for h in equalities):
        raise UnsupportedOperationError("a non-affine equality constraint: the problem is not convex, and the dual "
                                        "is derived for convex problems")
    nonaffine = [g for g in inequalities if not _affine(g, unknowns)]
    if not nonaffine:
        why = ("the problem is convex and every constraint is affine: by the refined Slater condition (B&V 5.2.3) "
               "strong duality holds whenever the primal is feasible")
        return (True if convex else None), why, assumptions
    from symml.optimize.signs import sign_given

    at_zero = [g.xreplace({u: zero_like(u) for u in unknowns}) for g in nonaffine]
    scalars = [_as_scalar(v) for v in at_zero]
    if all(s is not None and sign_given(s) == -1 for s in scalars):
        return (True if convex else None), ("Slater's condition holds: the origin is strictly feasible (every "
                                             "non-affine inequality is strictly negative there), so the duality gap "
                                             "is zero (B&V 5.2.3)"), assumptions
    assumptions.append("a strictly feasible point exists (Slater's condition), which the data must provide")
    return None, ("strong duality holds under Slater's condition (a strictly feasible point), assumed for symbolic "
                  "data"), assumptions


def _as_scalar(value: Any) -> sp.Expr | None:
    from symml.matrix_calculus.algebra import tidy, to_scalar

    if isinstance(value, sp.MatrixExpr):
        if tuple(value.shape) != (1, 1):
            return None
        return to_scalar(tidy(value.doit()))
    return value
