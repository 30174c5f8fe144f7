"""``minimize`` and ``maximize``: an objective, its unknowns and constraints in; a finished derivation out.

Scalar unknowns (and 1 x 1 matrices, which are scalars) go through the solving core: stationarity and a
closed-form solve with the second-order or convexity argument; equality constraints through the Lagrangian;
inequality constraints through the KKT conditions, enumerating active sets (:mod:`symml.optimize.lagrange`).
Vector and matrix unknowns are solved at matrix level (:mod:`symml.optimize.matrix_problems`).

>>> x = sp.Symbol("x", real=True)
>>> minimize((x - 3)**2 + 1, x).result
{x: 3}
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import ParameterError, ShapeError, UnboundedError, UnsupportedOperationError
from symml.optimize.core import Objective, Outcome, hat, optimise, stationarity_stage, tie_remark
from symml.optimize.data_quantile import data_quantile_stage
from symml.optimize.feasible_branches import decided_on_bounds
from symml.optimize.lagrange import kkt_cases, lagrangian, multipliers
from symml.optimize.problem import OptimizationProblem
from symml.optimize.scalar_solve import solve_stationarity
from symml.optimize.piecewise_regimes import piecewise_regimes_stage
from symml.optimize.subgradient import kinks, separable_subgradient_stage, subgradient_stage
from symml.optimize.second_order import definiteness
from symml.render.printer import latex

__all__ = ["minimize", "maximize", "Eq", "Ge", "Le"]


def Eq(lhs: Any, rhs: Any) -> sp.Eq:
    """An equality constraint ``lhs = rhs``, never evaluated: ``Eq(w.T @ w, 1)`` (SymPy's own Eq turns a 1 x 1
    matrix compared with a number into False).

    >>> w = sp.MatrixSymbol("w", 3, 1)
    >>> Eq(w.T * w, 1)
    Eq(w.T*w, 1)
    """
    return sp.Eq(lhs, rhs, evaluate=False)


def Ge(lhs: Any, rhs: Any) -> sp.GreaterThan:
    """An inequality constraint ``lhs >= rhs``, elementwise for vectors, never evaluated: ``Ge(xi, 0)`` (SymPy's
    ``>=`` refuses matrices).

    >>> xi = sp.MatrixSymbol("xi", 3, 1)
    >>> Ge(xi, 0)
    xi >= 0
    """
    return sp.GreaterThan(lhs, rhs, evaluate=False)


def Le(lhs: Any, rhs: Any) -> sp.LessThan:
    """An inequality constraint ``lhs <= rhs``, elementwise for vectors, never evaluated; see :func:`Ge`."""
    return sp.LessThan(lhs, rhs, evaluate=False)


def minimize(objective: Any, wrt: Any, *, subject_to: Sequence[Any] = ()) -> Derivation:
    """The minimiser of ``objective`` over ``wrt``, derived: stationarity (or the Lagrangian / KKT conditions),
    the solution in closed form where one exists, and the second-order or convexity argument.

    Args:
        objective: a scalar SymPy expression, or a 1 x 1 matrix expression (symml's or SymPy's).
        wrt: the unknown(s): a Symbol, a sequence of Symbols, or a MatrixSymbol (vector or matrix; shape (d, 1),
            (m, n), symbolic or numeric).
        subject_to: constraints: ``Eq(lhs, rhs)``, inequalities (``Ge``, ``Le``, ``>=``, ``<=``), an
            expression g meaning g = 0, or a string ``"lhs = rhs"`` (plain text or LaTeX; ``\\le``, ``\\ge`` in LaTeX).

    Returns:
        a Derivation whose ``result`` is ``{unknown: optimal value}`` (scalar unknowns) or the optimal matrix
        expression; ``numpy()`` gives the optimal point from the other symbols passed by name, ``verify()``
        checks it against scipy.optimize on random instances.

    Raises:
        ParameterError: an unknown that does not appear in the objective or the constraints.
        UnboundedError: the objective has no minimum (it decreases without bound).
        InfeasibleError: the constraints cannot hold together.
    """
    return _optimize(objective, wrt, subject_to, maximise=False)


def maximize(objective: Any, wrt: Any, *, subject_to: Sequence[Any] = ()) -> Derivation:
    """The maximiser of ``objective`` over ``wrt``; see :func:`minimize` for the arguments.

    >>> p = sp.Symbol("p", positive=True)
    >>> maximize(-p*sp.log(p) - (1 - p)*sp.log(1 - p), p).result
    {p: 1/2}
    """
    return _optimize(objective, wrt, subject_to, maximise=True)


# --- inputs --------------------------------------------------------------------------------------------------
def _unknowns(wrt: Any) -> list:
    items = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    if not items:
        raise ParameterError("nothing to optimise over: give at least one unknown in wrt")
    for item in items:
        if not isinstance(item, (sp.Symbol, sp.MatrixSymbol)):
            raise ParameterError(f"an unknown must be a Symbol or a MatrixSymbol (symml.vector, symml.matrix), "
                                 f"not {item!r}")
    return items


def _scalar(expr: Any, one_by_one: dict, scalar_unknowns: tuple = ()) -> sp.Expr:
    """A scalar (or 1 x 1) expression as a scalar, with the 1 x 1 unknowns replaced by scalar symbols and every
    unknown taken out of the matrix products (the step size t of an exact line search)."""
    from symml.matrix_calculus.expressions import is_matrix
    from symml.optimize.matrix_solve import scalar_view

    expr = sp.sympify(expr)
    if not is_matrix(expr):
        return expr
    if tuple(expr.shape) != (1, 1):
        raise ShapeError(f"the objective and constraints must be scalars; {expr} has shape {expr.shape}")
    return scalar_view(expr, one_by_one, scalar_unknowns)


def constraint_parts(subject_to: Sequence[Any], scalar: Any) -> tuple[list[sp.Expr], list[sp.Rel]]:
    """Equalities as expressions h (h = 0) and inequalities as ``Le(lhs, rhs)``."""
    equalities: list[sp.Expr] = []
    inequalities: list[sp.Rel] = []
    for constraint in subject_to:
        if isinstance(constraint, sp.Eq):
            equalities.append(scalar(constraint.lhs) - scalar(constraint.rhs))
        elif isinstance(constraint, (sp.Le, sp.Lt)):
            inequalities.append(sp.Le(scalar(constraint.lhs), scalar(constraint.rhs), evaluate=False))
        elif isinstance(constraint, (sp.Ge, sp.Gt)):
            inequalities.append(sp.Le(scalar(constraint.rhs), scalar(constraint.lhs), evaluate=False))
        elif constraint is sp.true:
            continue
        elif constraint is sp.false:
            from symml.errors import InfeasibleError

            raise InfeasibleError("a constraint is False: the feasible set is empty")
        elif isinstance(constraint, sp.Basic):
            equalities.append(scalar(constraint))
        else:
            raise ParameterError(f"a constraint must be Eq, an inequality or an expression (= 0), not {constraint!r}")
    return equalities, inequalities


def _matrix_level(objective: Any, subject_to: Sequence[Any]) -> tuple[Any, list[Any]]:
    """The objective and constraints with entries SymPy wrote out (``(w.T*S*w)[0, 0]``) read back as matrix
    expressions, or a ShapeError saying to pass the 1 x 1 expressions (:mod:`symml.matrix_calculus.written_entries`)."""
    from symml.matrix_calculus.written_entries import matrix_form_of_entries

    from symml.matrix_calculus.expressions import EntrySum

    def read(expr: Any) -> Any:
        return matrix_form_of_entries(expr)[0]

    def as_product(expr: Any) -> Any:
        """A constraint's Σ wᵢ (``symml.sum(w) = 1``, read back from ``(1ᵀw)[0, 0]`` too) as the product 1ᵀw, which
        the affine-constraint solver takes at matrix level: as a sum of entries it raised SymPy's raw TypeError."""
        expr = read(expr)
        if not isinstance(expr, sp.Basic):
            return expr
        return expr.replace(lambda e: isinstance(e, EntrySum) and 1 in tuple(e.args[0].shape),
                            lambda e: sp.OneMatrix(1, e.args[0].shape[0]) * e.args[0] if e.args[0].shape[1] == 1
                            else e.args[0] * sp.OneMatrix(e.args[0].shape[1], 1))

    return read(objective), [constraint.func(as_product(constraint.lhs), as_product(constraint.rhs), evaluate=False)
                             if isinstance(constraint, sp.Rel) else as_product(constraint) for constraint in subject_to]


def _optimize(objective: Any, wrt: Any, subject_to: Sequence[Any], maximise: bool) -> Derivation:
    from symml.budget import within
    from symml.optimize.core import DERIVE_SECONDS
    from symml.optimize.matrix_problems import matrix_optimum

    if isinstance(objective, str):  # typed (plain text or LaTeX), read without running code; unknowns by name
        from symml.user_text import read_expression

        objective = read_expression(objective, "the objective")
        wrt = _named_unknowns(objective, wrt)
    unknowns = _unknowns(wrt)
    by_name = {u.name: u for u in unknowns}
    objective = objective.xreplace({s: by_name[s.name] for s in objective.free_symbols
                                    if s.name in by_name and s != by_name[s.name]})
    subject_to = [_typed_constraint(c, by_name) if isinstance(c, str) else c for c in subject_to]
    # A 1 x 1 unknown beside data vectors (a slope b in ‖y − xb‖², CS229) is solved at matrix level, where the data
    # stay vectors that numpy() and verify() take as arrays; with scalar data it is a scalar
    with_data = _holds_matrix_data(objective, subject_to, unknowns)
    matrices = [u for u in unknowns if isinstance(u, sp.MatrixSymbol) and (tuple(u.shape) != (1, 1) or with_data)]
    if matrices:
        objective, subject_to = _matrix_level(objective, subject_to)
        if len(matrices) == 1 and len(unknowns) > 1 and not subject_to:  # linear regression's w and sigma^2
            from symml.optimize.profile import profiled_optimum

            scalars = [u for u in unknowns if u not in matrices]
            return within(DERIVE_SECONDS, "the optimisation", profiled_optimum, objective, matrices[0], scalars,
                          maximise)
        return within(DERIVE_SECONDS, "the optimisation", matrix_optimum, objective, unknowns, subject_to, maximise)
    return within(DERIVE_SECONDS, "the optimisation", scalar_optimum, objective, unknowns, subject_to, maximise)


def _named_unknowns(typed: sp.Expr, wrt: Any) -> Any:
    """``wrt`` with each name ("x") replaced by the symbol of that name read from the typed objective."""
    read = {s.name: s for s in typed.free_symbols if isinstance(s, sp.Symbol)}
    items = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    missing = [item for item in items if isinstance(item, str) and item not in read]
    if missing:
        raise ParameterError(f"the objective {typed} has no variable named {', '.join(missing)}")
    named = [read[item] if isinstance(item, str) else item for item in items]
    return named if isinstance(wrt, (list, tuple)) else named[0]


def _typed_constraint(text: str, by_name: dict) -> sp.Rel:
    """A constraint typed as ``lhs = rhs`` (plain text or LaTeX) or ``lhs \\le rhs`` / ``lhs \\ge rhs`` (LaTeX),
    read without running code, with the unknowns by name."""
    from symml.errors import ParseError
    from symml.user_text import read_chain

    chain = read_chain(text)
    relations = {"=": Eq, "≤": Le, "≥": Ge}
    if len(chain) != 2 or chain[1][0] not in relations:
        raise ParseError(f"a typed constraint is one relation lhs = rhs, lhs \\le rhs or lhs \\ge rhs; read "
                         f"{len(chain)} parts in {text!r}")
    sides = [side.xreplace({s: by_name[s.name] for s in side.free_symbols if s.name in by_name})
             for _, side in chain]
    inside_functions = {m.name for side in sides for f in side.atoms(sp.Function) for m in f.atoms(sp.MatrixSymbol)
                        if tuple(m.shape) != (1, 1)}
    if inside_functions:  # sum(w) read as a scalar function of a scalar w: its shape was lost
        raise ParseError(f"the typed constraint {text!r} applies a function to the matrix unknown "
                         f"{', '.join(sorted(inside_functions))}; pass it as an expression, e.g. "
                         "symml.Eq(symml.sum(w), 1)")
    return relations[chain[1][0]](*sides)


def _holds_matrix_data(objective: Any, subject_to: Sequence[Any], unknowns: list) -> bool:
    """Whether a matrix symbol that is not 1 x 1 appears in the objective or the constraints, or a 1 x 1 data
    vector beside a constraint: aᵀw on wᵀw = 1 at d = 1 is the d-dimensional problem (w = a/|a|), which the
    scalar Lagrangian left to a numeric root for its multiplier."""
    exprs = [sp.sympify(objective), *(sp.sympify(c) for c in subject_to if isinstance(c, sp.Basic))]
    symbols = {m for e in exprs for m in e.atoms(sp.MatrixSymbol)}
    return any(tuple(m.shape) != (1, 1) for m in symbols) or bool(subject_to and symbols - set(unknowns))


# --- scalar unknowns -----------------------------------------------------------------------------------------
def scalar_optimum(objective: Any, unknowns: list, subject_to: Sequence[Any], maximise: bool) -> Derivation:
    """The optimum over scalar (or 1 x 1) unknowns: stationarity, Lagrange or KKT, then the second order."""
    one_by_one = {u: sp.Symbol(u.name, real=True) for u in unknowns if isinstance(u, sp.MatrixSymbol)}
    scalar_unknowns = tuple(u for u in unknowns if not isinstance(u, sp.MatrixSymbol))

    def scalar(expr: Any) -> sp.Expr:
        return _scalar(expr, one_by_one, scalar_unknowns)

    f = scalar(objective)
    wrt = tuple(one_by_one.get(u, u) for u in unknowns)
    equalities, inequalities = constraint_parts(subject_to, scalar)
    appearing = f.free_symbols.union(*(c.free_symbols for c in (*equalities, *inequalities)))
    absent = [u for u in wrt if u not in appearing]
    if absent:
        raise ParameterError(f"{', '.join(map(str, absent))} does not appear in the objective or the constraints")
    facts = [a.args[0] for a in f.atoms(sp.log) if a.args[0].free_symbols & set(wrt)]
    verb = "Maximise" if maximise else "Minimise"
    title = f"{verb} ${latex(f)}$ over {', '.join(f'${latex(u)}$' for u in wrt)}"
    written = sp.Function("f")(*wrt)
    steps = [Step("Objective", (sp.Eq(written, f),) + tuple(sp.Eq(h, 0) for h in equalities) + tuple(inequalities),
                  f"{verb.lower()} over {', '.join(f'${latex(u)}$' for u in wrt)}"
                  + (" subject to the constraints shown" if equalities or inequalities else ""))]
    if inequalities:
        feasible = decided_on_bounds(f, wrt, inequalities)
        if feasible != f:
            steps.append(Step("On the feasible set", sp.Eq(written, feasible),
                              "the branches of the objective that the bounds on the unknowns rule out are dropped"))
        return _kkt(title, feasible, wrt, equalities, inequalities, facts, maximise, steps)
    if equalities:
        return _lagrange(title, f, wrt, equalities, facts, maximise, steps)
    outcome = optimise(Objective(f, wrt, maximise, symbol=written, facts=tuple(facts)),
                       (subgradient_stage, piecewise_regimes_stage, separable_subgradient_stage, data_quantile_stage,
                        _smooth_where_unsettled,
                        stationarity_stage))
    steps.extend(outcome.steps)
    remarks = list(outcome.remarks)
    if outcome.left:
        _refuse_unbounded(outcome.stationarity, maximise)
    elif outcome.optimal is False and _quadratic(f, wrt):
        raise UnboundedError(f"the objective is a quadratic that is not {'concave' if maximise else 'convex'}: it "
                             f"has no {'maximum' if maximise else 'minimum'} (its only stationary point is not one)")
    convex = _convexity(f, wrt, facts, maximise, affine_constraints=True)
    if not convex and not outcome.left:
        _refuse_unbounded_along_axes(f, outcome.solution, maximise)
    steps.extend(convex)
    return _finish(title, f, wrt, maximise, (), (), outcome.solution, outcome.solved, outcome.left, steps, remarks)


#: What the refusals of a kink over scalar unknowns point to: the matrix-level route that minimises such losses.
_MATRIX_LEVEL_KINKS = ("a loss linear in its relu and abs terms (symml.sum(symml.abs(y - X @ w)), a hinge "
                       "symml.sum(symml.relu(1 - y ⊙ X w)), with or without penalties) is minimised numerically "
                       "through its epigraph")


def _smooth_where_unsettled(objective: Objective, outcome: Outcome) -> Outcome:
    """Refuse what stationarity would get wrong: a kink left in the unknowns the subgradient rules did not settle
    (setting a derivative with sign(x) in it to zero treats the kink as smooth)."""
    left = tuple(u for u in objective.wrt if u not in outcome.solution)
    found = kinks(objective.given(outcome.solution), left)
    if found and len(left) == 1:
        raise UnsupportedOperationError(
            f"the objective is not differentiable at {found[0]} (its argument = 0): the subgradient condition "
            f"0 ∈ ∂f is solved in closed form for one kink of the form s({left[0]}) + w|{left[0]} − k| with s smooth "
            "and a closed-form root in each regime (a loss with an L1 penalty), or for a piecewise-linear sum over "
            f"the data Σᵢ c|aᵢ{left[0]} − bᵢ| plus kinks λ|{left[0]} − k| (a weighted median); this objective is not "
            "of either form (a smooth term beside a data sum of kinks, as λw², makes it not piecewise linear): "
            "minimise it numerically (scipy.optimize), "
            f"or state it at matrix level, where {_MATRIX_LEVEL_KINKS}")
    if found:
        raise UnsupportedOperationError(
            f"the objective is not differentiable at {found[0]} (its argument = 0) and that kink couples "
            f"{', '.join(map(str, left))}: the subgradient condition 0 ∈ ∂f is solved in closed form for one unknown "
            "or a separable objective (an L1 penalty on each unknown) only; for a coupled kink minimise it "
            f"numerically (scipy.optimize), or state it at matrix level, where {_MATRIX_LEVEL_KINKS}")
    return outcome


def _refuse_unbounded(stationarity: tuple, maximise: bool) -> None:
    """A stationarity equation that reduces to c = 0 with c a non-zero constant: the objective is monotone."""
    for equation in stationarity:
        if equation is sp.false or (isinstance(equation, sp.Eq) and equation.lhs.is_number and equation.lhs != 0):
            raise UnboundedError(f"the objective has no {'maximum' if maximise else 'minimum'}: its gradient never "
                                 "vanishes (it is unbounded along a direction)")


def _refuse_unbounded_along_axes(f: sp.Expr, solution: dict, maximise: bool) -> None:
    """A stationary point that passes the second order is only a local optimum: along each unknown's axis
    through it, a polynomial objective must not tend to −∞ (+∞ when maximising) at an end of the domain (x³ − 3x
    has a local minimum at 1 and tends to −∞ as x → −∞: no minimum). Read off the leading term, so it costs no
    limit computation; other objectives are not checked here (verify() compares with a numeric optimiser)."""
    wanted = "maximum" if maximise else "minimum"
    for unknown in solution:
        line = f.subs({u: v for u, v in solution.items() if u != unknown})
        if any(total.free_symbols for total in line.atoms(sp.Sum)):
            continue  # a sum over symbolic data, or one the unknown is inside: not a polynomial in it as written
            # (checked before expanding: expanding a regression's sums with the solutions inside took seconds)
        line = sp.expand(line)
        if line.free_symbols - {unknown} or not line.is_polynomial(unknown):
            continue  # symbolic data (the sign depends on it), or not a polynomial
        poly = sp.Poly(line, unknown)
        degree, leading = poly.degree(), poly.LC()
        if degree < 1:
            continue
        toward_plus = sp.sign(leading)
        ends = [(sp.oo, toward_plus)]
        if not (unknown.is_positive or unknown.is_nonnegative):
            ends.append((-sp.oo, toward_plus * (-1) ** degree))
        for end, sign in ends:
            if sign == (1 if maximise else -1):
                raise UnboundedError(
                    f"the objective has no {wanted}: it tends to {'+' if maximise else '−'}∞ as {unknown} → {end} "
                    f"(the stationary point {unknown} = {solution[unknown]} is only a local {wanted})")


def _quadratic(f: sp.Expr, wrt: tuple) -> bool:
    return f.is_polynomial(*wrt) and sp.Poly(f, *wrt).total_degree() <= 2


def _convexity(f: sp.Expr, wrt: tuple, facts: list, maximise: bool, affine_constraints: bool) -> list[Step]:
    """The global argument: a Hessian definite everywhere on the domain (with affine constraints)."""
    hessian = sp.hessian(f, wrt)
    verdict = definiteness(hessian, facts)
    wanted = -1 if maximise else 1
    if verdict != wanted or not affine_constraints:
        return []
    shape = "concave" if maximise else "convex"
    shown = hessian[0, 0] if hessian.shape == (1, 1) else hessian
    return [Step(f"The objective is strictly {shape}", sp.Eq(sp.MatrixSymbol("H", *hessian.shape), sp.Matrix(hessian))
                 if hessian.shape != (1, 1) else sp.Eq(sp.Symbol("f''"), shown),
                 f"its Hessian is {'negative' if maximise else 'positive'} definite on the whole domain (Sylvester's "
                 "criterion); with affine constraints a stationary point is the unique global "
                 f"{'maximum' if maximise else 'minimum'}")]


def _affine(expressions: Sequence[sp.Expr], wrt: tuple) -> bool:
    return all(e.is_polynomial(*wrt) and sp.Poly(e, *wrt).total_degree() <= 1 for e in expressions)


def _lagrange(title: str, f: sp.Expr, wrt: tuple, equalities: list, facts: list, maximise: bool,
              steps: list) -> Derivation:
    nu = multipliers("nu", len(equalities), [f, *equalities])
    L = lagrangian(f, equalities, (), nu, ())
    written = sp.Function("L")(*wrt, *nu)
    steps.append(Step("Lagrangian", sp.Eq(written, L),
                      "one multiplier per equality constraint (Lagrange); at a constrained optimum the gradient of the "
                      "objective is a combination of the constraints' gradients"))
    equations = {x: sp.diff(L, x) for x in wrt}
    equations.update(dict(zip(nu, equalities)))
    steps.append(Step("Stationarity of the Lagrangian",
                      tuple(sp.Eq(sp.Derivative(written, u), e, evaluate=False) for u, e in equations.items()),
                      "every partial derivative vanishes; those in the multipliers restate the constraints"))
    solved = solve_stationarity(equations, facts, value=f, maximise=maximise)
    if sp.false in solved.stationarity:
        from symml.errors import InfeasibleError

        # an equation left for the multipliers that is false for every value (a die's mean outside its faces)
        raise InfeasibleError("the Lagrangian has no stationary point: an equation for the multipliers never holds "
                              "(it reduces to False), so the constraints cannot hold together inside the domain of "
                              "the objective")
    remarks: list[str] = [tie_remark([{u: v for u, v in tie.items() if u in wrt} for tie in solved.ties], maximise)
                          ] if solved.ties else []
    left = tuple(u for u in (*wrt, *nu) if u not in solved.closed and u not in solved.profiled)
    if solved.closed:
        steps.append(Step("Solve", tuple(sp.Eq(hat(u), v) for u, v in solved.closed.items()), solved.how))
    if solved.profiled:
        steps.append(Step("Solve in terms of the multipliers left",
                          tuple(sp.Eq(hat(u), v) for u, v in solved.profiled.items()),
                          "each equation solved for its unknown given the others, and substituted"))
    convex = _convexity(f, wrt, facts, maximise, _affine(equalities, wrt))
    steps.extend(convex)
    if not convex and all(u in solved.closed for u in (*wrt, *nu)):
        steps.append(_bordered_step(L, wrt, equalities, solved.closed, facts, maximise, remarks))
    return _finish(title, f, wrt, maximise, tuple(equalities), (), solved.closed, solved, left, steps, remarks)


def _bordered_step(L: sp.Expr, wrt: tuple, equalities: list, point: dict, facts: list, maximise: bool,
                   remarks: list) -> Step:
    """The second-order condition on the constraint: the bordered Hessian's last n − m leading principal minors."""
    from symml.budget import SIMPLIFY_SECONDS, within
    from symml.errors import BudgetExceededError
    from symml.optimize.second_order import bordered_definiteness, bordered_hessian

    m, n = len(equalities), len(wrt)
    bordered = bordered_hessian(L, list(wrt), equalities).subs(point).applyfunc(lambda e: sp.factor(sp.cancel(e)))
    try:
        verdict = within(SIMPLIFY_SECONDS, "the bordered Hessian's minors", bordered_definiteness, bordered, m,
                         [*facts, *(sp.sympify(f).subs(point) for f in facts)])
    except BudgetExceededError:
        verdict = None
    wanted = "maximum" if maximise else "minimum"
    orders = f"orders {2 * m + 1} to {m + n}" if n - m > 1 else f"order {m + n}, its determinant"
    rule = (f"the last n − m = {n - m} leading principal minors ({orders}) of the Hessian of the Lagrangian bordered "
            f"by the constraints' gradients decide on the tangent space of the constraints: ")
    if verdict is None or verdict == 0:
        why = rule + "their signs are not decided symbolically" if verdict is None else rule + "they fit neither pattern"
        remarks.append(f"The bordered Hessian does not show a constrained {wanted}; verify() checks numerically.")
    else:
        found = "minimum" if verdict == 1 else "maximum"
        pattern = f"all have the sign of (−1)^m = {(-1) ** m}" if verdict == 1 else \
            "the minor of order m + k has the sign of (−1)^k"
        why = rule + f"{pattern}, so the point is a constrained {found}"
        if found != wanted:
            remarks.append(f"The stationary point is a constrained {found}, not a {wanted}: no {wanted} is attained "
                           "there.")
    return Step("Second-order check: bordered Hessian", sp.Eq(sp.Symbol("H_B"), bordered, evaluate=False), why)


def _kkt(title: str, f: sp.Expr, wrt: tuple, equalities: list, inequalities: list, facts: list, maximise: bool,
         steps: list) -> Derivation:
    minimised = -f if maximise else f
    cases = kkt_cases(minimised, wrt, equalities, inequalities, facts)
    taken = [minimised, *equalities, *inequalities]
    nu = multipliers("nu", len(equalities), taken)
    mu = multipliers("mu", len(inequalities), [*taken, *nu])
    residuals = [c.lhs - c.rhs for c in inequalities]
    L = lagrangian(minimised, equalities, residuals, nu, mu)
    steps.append(Step("Lagrangian", sp.Eq(sp.Function("L")(*wrt, *nu, *mu), L),
                      ("the objective is negated, so that the problem is a minimisation; " if maximise else "")
                      + "one multiplier per constraint, μ ≥ 0 for the inequalities g ≤ 0"))
    steps.append(Step("KKT conditions",
                      tuple(sp.Eq(sp.diff(L, x), 0) for x in wrt) + tuple(sp.Eq(h, 0) for h in equalities)
                      + tuple(sp.Le(g, 0) for g in residuals) + tuple(sp.Ge(m, 0) for m in mu)
                      + tuple(sp.Eq(m * g, 0) for m, g in zip(mu, residuals)),
                      "stationarity, primal feasibility, dual feasibility and complementary slackness "
                      "(Boyd & Vandenberghe 5.5.3); each μ g = 0 splits into active (g = 0) or inactive (μ = 0)"))
    for case in cases:
        active = ", ".join(f"${latex(c)}$" for c in case.active) or "none"
        when = " and ".join(f"${latex(c)}$" for c in case.conditions) or "always"
        steps.append(Step(f"Active set: {active}", tuple(sp.Eq(hat(u), v) for u, v in case.solution.items()),
                          f"holds when: {when} (its multipliers are non-negative and the inactive constraints hold)"))
    convex = _convexity(minimised, wrt, facts, False, _affine([*equalities, *residuals], wrt))
    # (objectives over indexed data keep their cases as derived: their conditions are evaluated on the arrays)
    if not convex and not _affine([minimised, *equalities, *residuals], wrt) and len(cases) > 1 \
            and not minimised.has(sp.Sum):
        cases = _compared(cases, minimised, wrt)
    solution = {u: _piecewise([(c.solution[u], sp.And(*c.conditions)) for c in cases]) for u in wrt}
    if convex:
        steps.append(Step("The KKT conditions are sufficient", convex[0].math,
                          "the objective is strictly convex and the constraints are affine: the case that holds is the "
                          "unique optimum"))
    remarks = [f"Active sets that can hold: {len(cases)} of {2 ** len(inequalities)}; the result is the case whose "
               "conditions hold for the data."] if len(cases) > 1 else []
    return _finish(title, f, wrt, maximise, tuple(equalities), tuple(inequalities), solution, None, (), steps, remarks)


def _compared(cases: list, minimised: sp.Expr, wrt: tuple) -> list:
    """Without convexity the KKT conditions are only necessary: where two cases can hold at once (−(x − a)² on
    [−1, 2] has both ends as KKT points for −1 ≤ a ≤ 2), the minimum is the one with the smaller objective. Each
    case gets, for every other case, the condition that its value is no larger or the other case does not hold
    (it returned x = −1 for every a ≥ −1: wrong for a < 1/2)."""
    from dataclasses import replace

    from symml.optimize.lagrange import _condition

    values = [minimised.subs({u: c.solution[u] for u in wrt}) for c in cases]
    compared = []
    for i, case in enumerate(cases):
        clauses = []
        for j, other in enumerate(cases):
            if j == i:
                continue
            no_larger = _condition(sp.Le(values[i], values[j]), [])
            if no_larger is sp.true:
                continue
            fails = sp.Not(sp.And(*other.conditions)) if other.conditions else sp.false
            clauses.append(fails if no_larger is sp.false else sp.Or(no_larger, fails))
        compared.append(replace(case, conditions=tuple(c for c in (*case.conditions, *clauses) if c is not sp.true)))
    return [c for c in compared if sp.false not in c.conditions] or cases


def _piecewise(pieces: list) -> sp.Expr:
    if len(pieces) == 1:
        return pieces[0][0]
    return sp.Piecewise(*pieces[:-1], (pieces[-1][0], True))


def _finish(title: str, f: sp.Expr, wrt: tuple, maximise: bool, equalities: tuple, inequalities: tuple,
            solution: dict, solved: Any, left: tuple, steps: list, remarks: list) -> Derivation:
    point = {u: v for u, v in solution.items() if u in wrt}
    profiled = dict(solved.profiled) if solved is not None else {}
    stationarity = tuple(e for e in solved.stationarity if not (isinstance(e, sp.Eq) and e.lhs in profiled)) \
        if solved is not None and left else ()
    if left:
        steps.append(Step("No closed form: stationarity equations", stationarity,
                          f"solving for {', '.join(f'${latex(u)}$' for u in left)} in closed form failed; the "
                          "optimum is the root of these equations"))
        remarks.append(f"No closed form for {', '.join(f'${latex(u)}$' for u in left)}: numpy() finds the "
                       "stationary points numerically (for one unknown every sign change of the stationarity residual "
                       "on a grid over its domain, refined by Brent's method, and Newton's root; for several, roots "
                       "from several starts), keeps the one with the best objective and substitutes into the closed "
                       "forms above; it refuses when the objective is better at the grid's far ends.")
    summary = tuple(sp.Eq(hat(u), v) for u, v in point.items()) + tuple(
        sp.Eq(hat(u), v) for u, v in profiled.items() if u in wrt)
    if summary:
        steps.append(Step("Result", summary, "the optimal point" + (" in terms of the multipliers solved numerically"
                                                                     if left else "")))
    problem = OptimizationProblem(title, f, wrt, maximise, equalities, inequalities, point, profiled, stationarity,
                                  left, ties=tuple(solved.ties) if solved is not None else ())
    return Derivation(problem=problem, steps=tuple(steps), result={**point, **{u: v for u, v in profiled.items()
                                                                                if u in wrt}},
                      summary=summary, remarks=tuple(remarks))
