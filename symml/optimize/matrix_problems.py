"""Optima over vector and matrix unknowns, at matrix level (cost independent of the dimensions).

- No constraint: the gradient (matrix calculus) set to zero and solved by the core's matrix rules
  (:mod:`symml.optimize.matrix_solve`), then the convexity argument from the Hessian's structure: a positive
  combination of Gram matrices AᵀA (positive semidefinite) and of the identity (positive definite).
- A norm constraint ``Eq(wᵀw, c)`` on a quadratic form: the Lagrangian's stationarity is an eigenproblem
  ``M w = λ w``; at an eigenvector the objective equals λ c, so the maximum takes the largest eigenvalue and the
  minimum the smallest (PCA's first component and its variance).
- Affine constraints ``Eq(A w, b)``: Lagrangian with a multiplier vector ν, then block elimination: solve the
  stationarity for w given ν, substitute into the constraint, solve for ν, substitute back (least norm,
  projection onto an affine subspace).
- Inequalities: one scalar inequality or W >= 0 of a separable objective in closed form by the KKT cases
  (:mod:`symml.optimize.matrix_kkt`); several affine inequalities, or W >= 0 of a coupled objective (NNLS), by
  the KKT conditions at matrix level solved numerically (:mod:`symml.optimize.matrix_inequalities`).
- Several vector or matrix unknowns and no constraint (least squares on two blocks of regressors, y − Xw − Zv):
  block elimination of the joint stationarity conditions (:mod:`symml.optimize.block_elimination`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatAdd, MatMul

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import ParameterError, ShapeError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.optimize.matrix_solve import _outer_product
from symml.optimize.signs import sign_given
from symml.render.printer import latex

__all__ = ["matrix_optimum", "EigenProblem", "AffineProblem"]



def _definite_terms(matrix: Any) -> str | None:
    """"definite", "semidefinite" or None (undecided), from the structure of a sum of c·AᵀA and c·I terms."""
    terms = matrix.args if isinstance(matrix, MatAdd) else (matrix,)
    kinds = []
    for term in terms:
        coefficient, factors = term.as_coeff_mmul()
        factors = [f for f in (factors.args if isinstance(factors, MatMul) else (factors,))]
        scalars = [f for f in factors if not getattr(f, "is_Matrix", False) and not isinstance(f, sp.MatrixExpr)]
        factors = [f for f in factors if f not in scalars]
        sign = sign_given(coefficient * sp.Mul(*scalars))
        if sign != 1:
            return None
        if all(isinstance(f, sp.Identity) for f in factors):
            kinds.append("definite")
        elif len(factors) == 2 and factors[0] == factors[1].T:
            kinds.append("semidefinite")
        elif len(factors) == 3 and factors[0] == factors[2].T and isinstance(factors[1], sp.MatrixSymbol) and \
                factors[1].T == factors[1]:
            kinds.append("semidefinite")  # Aᵀ Ω A with Ω a symmetric weight matrix, positive semidefinite
        else:
            return None
    return "definite" if "definite" in kinds else "semidefinite"


def _convexity_step(objective: Any, W: sp.MatrixSymbol, maximise: bool) -> list[Step]:
    from symml.matrix_calculus.derivatives import hessian

    try:
        H = hessian(-objective if maximise else objective, W)
    except (UnsupportedOperationError, ShapeError):
        return []
    kind = _definite_terms(H.result)
    if kind is None:
        return []
    shape = "concave" if maximise else "convex"
    strict = "strictly " if kind == "definite" else ""
    return [Step(f"The objective is {strict}{shape}", H.summary[0],
                 f"the Hessian{' of the negated objective' if maximise else ''} is a positive combination of Gram "
                 f"matrices AᵀA or AᵀΩA (positive semidefinite, for weights Ω ⪰ 0)" + (" and of the identity (positive definite)"
                                                            if kind == "definite" else "")
                 + f": every stationary point is a global {'maximum' if maximise else 'minimum'}"
                 + (", and it is unique" if kind == "definite" else ""))]


def _second_order_condition(objective: Any, W: sp.MatrixSymbol, maximise: bool) -> list[Step]:
    """What the stationary point is, where a constant Hessian's sign is not read from its structure (a symmetric A
    in ½xᵀAx − bᵀx): said, not assumed silently. A Hessian that varies with the unknown is left to the numeric
    check; a zero one says nothing (a linear objective is refused before)."""
    from symml.matrix_calculus.derivatives import hessian

    try:
        H = hessian(-objective if maximise else objective, W)
    except (UnsupportedOperationError, ShapeError):
        return []
    hessian_matrix = H.result
    if getattr(hessian_matrix, "is_ZeroMatrix", False) or hessian_matrix == 0 or hessian_matrix.has(W):
        return []
    optimum, sign = ("maximum", "negated objective's Hessian") if maximise else ("minimum", "Hessian")
    return [Step("Second-order condition", H.summary[0],
                 f"the {sign} is constant: the objective is {'concave' if maximise else 'convex'} and the stationary "
                 f"point a global {optimum} exactly when it is positive semidefinite (unique when positive definite); "
                 f"without it there is no {optimum}: this result assumes it")]


def matrix_optimum(objective: Any, unknowns: list, subject_to: Sequence[Any], maximise: bool) -> Derivation:
    """The optimum over one vector or matrix unknown (see the module docstring for the cases)."""
    from symml.matrix_calculus.stationary import stationary_point

    if len(unknowns) != 1:
        matrices = [u for u in unknowns if isinstance(u, sp.MatrixSymbol) and tuple(u.shape) != (1, 1)]
        if len(matrices) == 1:
            raise UnsupportedOperationError(
                f"{matrices[0]} together with scalar unknowns is optimised by profiling, which takes no constraints: "
                f"optimise over {matrices[0]} with the constraints for fixed scalars, then over the scalars")
        if len(matrices) == 2 == len(unknowns) and subject_to:
            from symml.optimize.paired_quadrics import paired_quadrics

            return paired_quadrics(objective, matrices, list(subject_to), maximise)
        if len(matrices) == len(unknowns) and not subject_to:
            from symml.optimize.block_elimination import block_optimum

            return block_optimum(objective, matrices, maximise)
        raise UnsupportedOperationError("several vector or matrix unknowns at once with constraints: give one "
                                        "(or stack them)")
    (W,) = unknowns
    if not objective.has(W) and not any(getattr(c, "has", lambda _: False)(W) for c in subject_to):
        raise ParameterError(f"{W} does not appear in the objective or the constraints")
    if subject_to:
        return _constrained(objective, W, list(subject_to), maximise)
    from symml.optimize.norm_subgradient import norm_kink_optimum, norm_of_unknown

    if norm_of_unknown(objective, W) is not None:
        return norm_kink_optimum(objective, W, maximise)
    _refuse_norm_kink(objective, W)
    _refuse_unbounded(-objective if maximise else objective, W, maximise)
    derived = stationary_point(-objective if maximise else objective, W)
    steps = list(derived.steps) + (_convexity_step(objective, W, maximise)
                                   or _second_order_condition(objective, W, maximise))
    verb = "Maximise" if maximise else "Minimise"
    return Derivation(problem=derived.problem, steps=tuple(steps), result=derived.result, summary=derived.summary,
                      assumptions=derived.assumptions,
                      remarks=derived.remarks + ((f"{verb} = minimise the negated objective.",) if maximise else ()))


def _refuse_norm_kink(objective: Any, W: sp.MatrixSymbol) -> None:
    """A root of a quadratic form in W (‖x‖ = (xᵀx)^½, ‖Ax − b‖) is not differentiable where the form vanishes,
    and the optimum often sits exactly there (the group-lasso proximal operator is 0 for ‖v‖ ≤ λ): setting the
    gradient to zero there is wrong (it returned x = 0 for every v), so the kink is refused, not smoothed over."""
    for node in sp.preorder_traversal(objective):
        if isinstance(node, sp.HadamardPower) and node.exp.is_Rational and 0 < node.exp < 1 \
                and not isinstance(node.base, sp.MatAdd) and node.base.has(W):
            raise UnsupportedOperationError(
                f"the objective is not differentiable where {node.base} = 0 (it holds a norm of an expression in "
                f"{W}), and the optimum may lie there: the subgradient condition 0 ∈ ∂f, with the subdifferential "
                "of ‖u‖ at u = 0 the unit ball, is not solved at matrix level; minimise it numerically "
                "(scipy.optimize), or use the squared norm symml.sq_norm where that is the intended objective")


def _refuse_unbounded(minimised: Any, W: sp.MatrixSymbol, maximise: bool) -> None:
    """An UnboundedError when the minimised objective is affine in W (its gradient free of W) or concave and not
    affine (its Hessian minus a positive combination of Gram matrices and the identity): on the whole space such
    a function has no minimum, and its stationary point, if any, is not one."""
    from symml.errors import UnboundedError
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient, hessian

    wanted = "maximum" if maximise else "minimum"
    try:
        G = tidy(gradient(minimised, W).result)
        H = hessian(minimised, W).result if G.has(W) else sp.ZeroMatrix(W.shape[0], W.shape[0])
    except (UnsupportedOperationError, ShapeError):
        return
    if not G.has(W):
        raise UnboundedError(f"the objective is affine in {W}: it has no {wanted} (unbounded along its gradient "
                             f"{G}) unless that gradient vanishes")
    if W.shape[1] == 1 and not isinstance(H, sp.ZeroMatrix) and _definite_terms(tidy(-H)) is not None:
        shape = "convex" if maximise else "concave"
        raise UnboundedError(f"the objective is {shape} in {W} (its Hessian is {'' if maximise else 'minus '}a "
                             f"positive combination of Gram matrices and the identity): it has no {wanted}; its "
                             f"stationary point is the {'minimum' if maximise else 'maximum'}")


# --- constraints -----------------------------------------------------------------------------------------------
def _as_equation(constraint: Any) -> tuple[Any, Any]:
    if isinstance(constraint, sp.Eq):
        return constraint.lhs, constraint.rhs
    if constraint is sp.false:
        raise ParameterError("a constraint is False: SymPy evaluates Eq(matrix, number) to False; write it with "
                             "symml.Eq(lhs, rhs), which keeps the equation")
    raise UnsupportedOperationError("a constraint on a vector or matrix unknown is Eq(lhs, rhs) or an inequality "
                                    "(symml.Ge, symml.Le)")


def _constrained(objective: Any, W: sp.MatrixSymbol, subject_to: list, maximise: bool) -> Derivation:
    from symml.matrix_calculus.algebra import to_scalar

    inequalities = [c for c in subject_to if isinstance(c, _INEQUALITIES)]
    if len(subject_to) != 1:
        if len(inequalities) == len(subject_to):
            from symml.optimize.matrix_inequalities import affine_inequalities

            return affine_inequalities(objective, W, [_residual(c) for c in inequalities], maximise)
        if not inequalities and W.shape[1] == 1:
            from symml.optimize.duality import same_shape
            from symml.optimize.equality_rows import equality_rows

            return equality_rows(objective, W, [same_shape(*_as_equation(c)) for c in subject_to], maximise)
        equalities = [c for c in subject_to if c not in inequalities]
        if len(equalities) == 1 and len(inequalities) == 1 and _residual(inequalities[0]) == -W:
            from symml.optimize.threshold import nonnegative_with_equality

            return nonnegative_with_equality(objective, W, *_as_equation(equalities[0]), maximise)
        raise UnsupportedOperationError("one constraint (a norm, an affine system or an inequality) per matrix problem, "
                                        "or several inequalities; equalities together with other constraints on a "
                                        "vector unknown are not supported")
    if inequalities:
        return _inequality(objective, W, subject_to[0], maximise)
    lhs, rhs = _as_equation(subject_to[0])
    if tuple(lhs.shape) == (1, 1) and to_scalar(lhs) == to_scalar(W.T * W):
        from symml.optimize.sphere_reduction import optimum_on_sphere

        return optimum_on_sphere(objective, W, rhs, maximise)
    metric = _quadric(lhs, W)
    if metric is not None:
        return _on_sphere(objective, W, rhs, maximise, metric)
    from symml.optimize.stiefel import is_orthonormal_columns
    from symml.optimize.stiefel_reduction import optimum_on_stiefel_reduced

    if is_orthonormal_columns(lhs, rhs, W):
        return optimum_on_stiefel_reduced(objective, W, maximise)
    from symml.optimize.duality import same_shape

    lhs, rhs = same_shape(lhs, rhs)
    if lhs.shape[1] != 1:
        # one multiplier per entry would be a matrix Λ with tr(Λᵀ(lhs − rhs)); only columns (a vector ν) are taken
        raise UnsupportedOperationError(
            f"an equality constraint with a matrix of {lhs.shape[0]} x {lhs.shape[1]} values ({sp.Eq(lhs, rhs)}) is not "
            f"supported for {W}: constrain a vector unknown (wᵀw = 1 gives the top eigenvector) or write the "
            "constraint as one column")
    return _affine(objective, W, lhs, rhs, maximise)


def _inequality(objective: Any, W: sp.MatrixSymbol, constraint: Any, maximise: bool) -> Derivation:
    """One scalar inequality (a half-space, a ball) or W >= 0 elementwise of a separable objective, by the KKT
    conditions in closed form; any other vector inequality by the KKT conditions solved numerically."""
    from symml.optimize.matrix_kkt import nonnegative, one_inequality

    from symml.optimize.matrix_inequalities import affine_inequalities

    residual = _residual(constraint)
    if tuple(residual.shape) == (1, 1):
        return one_inequality(objective, W, residual, maximise)
    if residual == -W:
        try:
            return nonnegative(objective, W, maximise)
        except UnsupportedOperationError:  # coupled entries: no closed form, the KKT conditions solved numerically
            pass
    return affine_inequalities(objective, W, [residual], maximise)


_INEQUALITIES = (sp.LessThan, sp.StrictLessThan, sp.GreaterThan, sp.StrictGreaterThan)


def _residual(constraint: Any) -> Any:
    """g with the constraint meaning g <= 0."""
    from symml.optimize.duality import _difference

    below = isinstance(constraint, (sp.LessThan, sp.StrictLessThan))
    return _difference(constraint.lhs, constraint.rhs) if below else _difference(constraint.rhs, constraint.lhs)


def _quadric(lhs: Any, W: sp.MatrixSymbol) -> Any:
    """C when ``lhs`` is Wᵀ C W with C a symmetric matrix symbol, else None."""
    if not isinstance(lhs, MatMul) or len(lhs.args) != 3:
        return None
    first, middle, last = lhs.args
    if first == W.T and last == W and isinstance(middle, sp.MatrixSymbol) and middle.T == middle:
        return middle
    return None


@dataclass(frozen=True)
class EigenProblem:
    """An extremum of a quadratic form on the sphere wᵀw = c: an eigenvector of ``matrix``.

    Attributes:
        title: one line describing the problem.
        objective: the objective wᵀMw.
        wrt: the unknown vector.
        matrix: M.
        radius2: c in wᵀw = c.
        largest: whether the largest eigenvalue is taken (a maximum) or the smallest.
        metric: B for the constraint wᵀBw = c (a generalised eigenproblem M w = λ B w), None for wᵀw = c.
        maximise: whether the objective is maximised (the largest eigenvalue for a form wᵀMw, the smallest for
            −wᵀMw).
    """

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    matrix: Any
    radius2: Any
    largest: bool
    metric: Any = None
    maximise: bool = True


def _grouped(expr: Any) -> str:
    """LaTeX of a factor, in parentheses when it is a sum: (m₂ − m₁)((m₂ − m₁)ᵀw), not m₂ − m₁ (m₂ᵀ − m₁ᵀ w)."""
    return f"\\left({latex(expr)}\\right)" if isinstance(expr, MatAdd) else latex(expr)


def _on_sphere(objective: Any, W: sp.MatrixSymbol, rhs: Any, maximise: bool, metric: Any) -> Derivation:
    from symml.matrix_calculus.stationary import stationary_point

    lam = sp.Symbol("lambda", real=True)
    level = rhs if not getattr(rhs, "is_Matrix", False) and not isinstance(rhs, sp.MatrixExpr) else rhs
    quadratic = W.T * W if metric is None else W.T * metric * W
    constraint_term = quadratic - (level * sp.Identity(1) if not isinstance(level, sp.MatrixExpr) else level)
    lagrangian = objective - lam * constraint_term
    derived = stationary_point(lagrangian, W)
    if derived.problem.eigen is None:
        return _linear_on_sphere(objective, W, quadratic, quadratic - constraint_term, maximise)
    matrix, eigenvalue = derived.problem.eigen[:2]
    c = level if not isinstance(level, sp.MatrixExpr) else sp.Symbol("c")
    # the objective at an eigenvector is λc, λ the multiplier; the eigenvalue of M is λ or −λ (−wᵀSw: Sw = −λw,
    # the condition M w = λ (−I) w), and with −λ the largest objective is at the smallest eigenvalue
    right = derived.problem.eigen[2] if len(derived.problem.eigen) > 2 else sp.Identity(W.shape[0])
    orientation = right.as_coeff_mmul()[0] if isinstance(right, MatMul) else sp.S.One
    rising = sign_given(sp.diff(eigenvalue, lam) * orientation) != -1
    largest = maximise if rising else not maximise
    which = "largest" if largest else "smallest"
    minus = "" if rising else "minus "
    steps = [Step("Lagrangian", sp.Eq(sp.Function("L")(W, lam), lagrangian, evaluate=False),
                  "one multiplier λ for the norm constraint")] + list(derived.steps)
    value = sp.Symbol("lambda") * c
    metric_text = latex(metric) if metric is not None else ""
    steps.append(Step(
        "The objective at a stationary point",
        sp.Eq(objective, value, evaluate=False),
        f"multiply ${latex(matrix)} {latex(W)} = {latex(orientation * eigenvalue)} {metric_text} {latex(W)}$ by "
        f"${latex(W)}^\\top$ and use the constraint ${latex(quadratic)} = {latex(c)}$: the objective equals "
        f"{minus}the eigenvalue times {latex(c)}, so the {'maximum' if maximise else 'minimum'} is at an eigenvector "
        f"of the {which} eigenvalue",
    ))
    outer = _outer_product(matrix)
    if metric is not None and outer is not None and outer[0] == outer[1]:
        direction = MatMul(sp.Inverse(metric), outer[0])
        steps.append(Step(
            "A rank-one objective: the direction in closed form",
            sp.Eq(W, sp.Symbol("t") * direction, evaluate=False),
            f"${latex(matrix)} {latex(W)} = {_grouped(outer[0])} ({_grouped(outer[0].T)} {latex(W)})$ is a multiple of "
            f"${latex(outer[0])}$, so ${latex(W)}$ is a multiple of ${latex(direction)}$, scaled to meet the "
            "constraint; it is the only eigenvector with a non-zero eigenvalue",
        ))
    estimate = sp.MatrixSymbol(f"{W.name}hat", *W.shape)
    summary = (sp.Eq(MatMul(matrix, estimate), sp.Symbol(f"lambda_{'max' if largest else 'min'}")
                     * (MatMul(metric, estimate) if metric is not None else estimate), evaluate=False),)
    scaled = f"{latex(W)}^\\top {latex(W)}" if metric is None else latex(quadratic)
    steps.append(Step("Result", summary, f"scaled to ${scaled} = {latex(c)}$; the optimal value "
                      f"is {minus}${latex(c)}$ times the {which} eigenvalue of ${latex(matrix)}$"))
    problem = EigenProblem(f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ on "
                           f"${latex(quadratic)} = {latex(c)}$", objective, W, matrix, c, largest, metric,
                           maximise)
    return Derivation(problem=problem, steps=tuple(steps), result=summary[0], summary=summary,
                      remarks=(f"The optimum is determined up to sign (any unit eigenvector of the {which} "
                               "eigenvalue); numpy() returns the one numpy.linalg.eigh gives.",))


def _linear_on_sphere(objective: Any, W: sp.MatrixSymbol, quadratic: Any, level: Any, maximise: bool) -> Derivation:
    """An objective whose Lagrangian on wᵀBw = r is solved for w given λ (a linear cᵀw: w(λ) = B⁻¹c/(2λ)): the
    constraint gives λ (λ = ±√(cᵀB⁻¹c/r)/2), and the objective at the roots picks the optimum (PRML ex. 4.4:
    w = (m₂ − m₁)/‖m₂ − m₁‖)."""
    from symml.budget import SOLVE_SECONDS, within
    from symml.matrix_calculus.algebra import Scalar, tidy, to_scalar
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.stationary import _estimate_symbol
    from symml.optimize.matrix_solve import solve_linear_matrix_equation

    lam = sp.Symbol("lambda", real=True, nonzero=True)
    lagrangian = objective - lam * (quadratic - level)
    solved = solve_linear_matrix_equation(tidy(gradient(lagrangian, W).result), W)
    if solved.solution is None or solved.kind not in ("unique", ""):
        raise UnsupportedOperationError("the stationarity of the Lagrangian is neither an eigenproblem M w = λ w nor "
                                        f"solved for {W.name} given λ: {solved.reason or solved.kind}")
    equation = to_scalar(tidy(tidy((quadratic - level).xreplace({W: solved.solution}).doit()).expand()))
    roots = [r for r in _multiplier_roots(equation, lam) if not r.has(W)]
    at = {r: tidy(solved.solution.xreplace({lam: r}).doit()) for r in roots}
    values = {r: to_scalar(tidy(tidy(objective.xreplace({W: at[r]}).doit()).expand())) for r in roots}
    # the 1 x 1 products as names while deciding signs (factor cannot take a sum inside a matrix product); what is
    # under the roots' square roots is positive (cᵀB⁻¹c > 0 for c ≠ 0; at d = 1 it is c², the root |c| and c ≠ 0),
    # and so is the level r
    lengths = {a for r in roots for p in r.atoms(sp.Abs) for a in p.atoms(Scalar)}
    frozen = {a: (sp.Dummy(real=True, nonzero=True) if a in lengths else sp.Dummy(real=True))
              for v in values.values() for a in v.atoms(Scalar)}
    facts = [p.base.xreplace(frozen) for r in roots for p in r.atoms(sp.Pow) if p.exp == sp.S.Half] + [
        to_scalar(level).xreplace(frozen)]
    wanted = 1 if maximise else -1
    best = [r for r in roots if all(sign_given((values[r] - values[o]).xreplace(frozen), facts) == wanted
                                    for o in roots if o != r)]
    if len(roots) < 2 or len(best) != 1:
        raise UnsupportedOperationError(f"the constraint gives the multipliers {roots}, and the objective does not "
                                        "tell the optimum among them")
    (chosen,) = best
    kind = "maximum" if maximise else "minimum"
    steps = [Step("Lagrangian", sp.Eq(sp.Function("L")(W, lam), lagrangian, evaluate=False),
                  "one multiplier λ for the norm constraint"),
             *[Step(f"{s.title} (for ${latex(W)}$ given λ)", s.math, s.why) for s in solved.steps],
             Step("Substitute into the constraint", (sp.Eq(equation, 0), *(sp.Eq(lam, r) for r in roots)),
                  "the constraint is now an equation in λ alone; its roots are the stationary points"),
             Step("Compare the stationary points", tuple(sp.Eq(objective, values[r], evaluate=False) for r in roots),
                  f"the objective at each root; the {kind} is at λ = ${latex(chosen)}$"),
             Step("Result", sp.Eq(_estimate_symbol(W), at[chosen], evaluate=False),
                  f"on ${latex(quadratic)} = {latex(to_scalar(level))}$, a compact set: the {kind} exists and is the "
                  "best stationary point")]
    title = (f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ on "
             f"${latex(quadratic)} = {latex(to_scalar(level))}$")
    problem = AffineProblem(title, objective, W, quadratic, level, at[chosen], maximise)
    return Derivation(problem=problem, steps=tuple(steps), result=at[chosen],
                      summary=(sp.Eq(_estimate_symbol(W), at[chosen], evaluate=False),),
                      assumptions=("the data vectors are non-zero",))


def _multiplier_roots(equation: sp.Expr, lam: sp.Symbol) -> list:
    """The roots λ of the constraint's equation. An equation even in λ (cᵀB⁻¹c/(4λ²) = r) is solved for λ² and
    its roots taken as ±√: at d = 1, where cᵀc is c², solving for λ gave ±c/2 and the sign of c could not pick
    the optimum; ±√(c²)/2 = ±|c|/2 can."""
    from symml.budget import SOLVE_SECONDS, within

    what = "solve of the constraint for its multiplier"
    if sp.expand(equation.xreplace({lam: -lam}) - equation) != 0:
        return list(within(SOLVE_SECONDS, what, sp.solve, equation, lam))
    square = sp.Symbol("s", positive=True)
    squares = within(SOLVE_SECONDS, what, sp.solve, equation.xreplace({lam: sp.sqrt(square)}), square)
    return [sign * sp.sqrt(s) for s in squares for sign in (1, -1)]


def _matrix_inputs(expr: Any, W: sp.MatrixSymbol) -> tuple[list, list]:
    from symml.matrix_calculus.stationary import _signature

    return _signature(expr, W)


@numpy_function.register(EigenProblem)
def _numpy_eigen(problem: EigenProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    from symml.matrix_calculus.numpy_export import numpy_function as export

    from scipy.linalg import eigh

    inputs, parameters = _matrix_inputs(problem.matrix, problem.wrt)
    matrix = export(problem.matrix, inputs, parameters=parameters)
    metric_inputs = _matrix_inputs(problem.metric, problem.wrt)[0] if problem.metric is not None else []
    metric = export(problem.metric, metric_inputs) if problem.metric is not None else None
    radius = sp.lambdify([p for p in problem.radius2.free_symbols], problem.radius2) if \
        isinstance(problem.radius2, sp.Expr) and problem.radius2.free_symbols else None
    names = sorted(s.name for s in getattr(problem.radius2, "free_symbols", ()))

    def optimum(**data: Any) -> np.ndarray:
        given = {k: v for k, v in data.items() if k not in names}
        M = np.atleast_2d(matrix(**{k: v for k, v in given.items() if k in {m.name for m in inputs}}))
        # eigh(M, B) normalises the eigenvectors to vᵀBv = 1
        values, vectors = eigh(M, np.asarray(metric(**{m.name: given[m.name] for m in metric_inputs}))) \
            if metric is not None else np.linalg.eigh(M)
        c = float(radius(*[data[n] for n in names])) if radius is not None else float(problem.radius2)
        return vectors[:, -1 if problem.largest else 0] * np.sqrt(c)

    return optimum


@verify.register(EigenProblem)
def _verify_eigen(problem: EigenProblem, derivation: Derivation, *, seed: int = 0, size: int = 5,
                  tolerance: float = 1e-6) -> Verification:
    """BFGS on the objective at v scaled onto the constraint (√c v/√(vᵀBv)), from a fixed start (not the answer),
    on a random symmetric matrix; compares the optimal values and |cos| of the angle between the two optima (the
    sign is free). Scaling, not SLSQP's linearised constraint: on a quartic objective (a reconstruction error)
    SLSQP's iterates left the sphere and overflowed."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    size = int(problem.wrt.shape[0]) if problem.wrt.shape[0].is_Integer else size  # a user's numeric size first
    inputs, parameters = _matrix_inputs(problem.objective, problem.wrt)
    metric_inputs = [problem.metric] if problem.metric is not None and problem.metric not in inputs else []
    data: dict[str, Any] = {}
    for m in [*inputs, *metric_inputs]:
        if m.shape[1] == 1:
            data[m.name] = rng.standard_normal(size)
            continue
        data[m.name] = random_spd(rng, size)
    data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    objective = export(problem.objective, [*inputs, problem.wrt], parameters=parameters)
    derived = derivation.numpy()(**data)
    B = np.asarray(data[problem.metric.name]) if problem.metric is not None else np.eye(size)
    c = float(derived @ B @ derived)
    sign = -1.0 if problem.maximise else 1.0
    own = {m.name: data[m.name] for m in inputs} | {p.name: data[p.name] for p in parameters}

    def on_constraint(v: np.ndarray) -> np.ndarray:
        return v * np.sqrt(c / (v @ B @ v))

    found = minimize(lambda v: sign * float(np.asarray(objective(**own, **{problem.wrt.name: on_constraint(v)}))
                                            .ravel()[0]),
                     np.ones(size) / np.sqrt(size), method="BFGS", options={"gtol": 1e-10, "maxiter": 1000})
    value = float(np.asarray(objective(**own, **{problem.wrt.name: derived})).ravel()[0])
    cosine = abs(float(on_constraint(found.x) @ B @ derived)) / c
    comparisons = [Comparison("optimal value", value, sign * found.fun, relative_error(value, sign * found.fun)),
                   Comparison("|cos angle| between the optima", 1.0, cosine, abs(1.0 - cosine))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (BFGS, scaled onto the "
                                         "constraint) from a fixed start, on a random symmetric positive definite "
                                         "matrix",
                                         tolerance=tolerance, seed=seed)


def _scalars_out_of_inverses(expr: Any) -> Any:
    """(cM)⁻¹ = c⁻¹M⁻¹ for a scalar c ≠ 0, then the scalar coefficients of each product merged: ½Aᵀ(½AAᵀ)⁻¹b is
    Aᵀ(AAᵀ)⁻¹b (and one scaling fewer in numpy())."""
    from symml.matrix_calculus.algebra import tidy

    def pull(inverse: sp.Inverse) -> Any:
        coefficient, factors = inverse.arg.as_coeff_matrices()
        return sp.MatMul(1 / coefficient, sp.Inverse(sp.MatMul(*factors) if len(factors) > 1 else factors[0]))

    pulled = expr.replace(lambda e: isinstance(e, sp.Inverse) and isinstance(e.arg, MatMul)
                          and e.arg.as_coeff_matrices()[0] not in (0, 1), pull)
    return tidy(pulled) if pulled != expr else expr


def scalars_unwrapped(expr: Any) -> Any:
    """A scalar multiple of the 1 x 1 identity seen as a scalar is that scalar: Scalar((−2/(𝟏ᵀΣ⁻¹𝟏)) I) read
    −(−2/(𝟏ᵀΣ⁻¹𝟏)/2) Σ⁻¹𝟏 in the budget-constrained minimum variance portfolio, now Σ⁻¹𝟏/(𝟏ᵀΣ⁻¹𝟏)."""
    from symml.matrix_calculus.algebra import Scalar, tidy

    def unwrap(node: Any) -> Any:
        coefficient, matrices = node.args[0].as_coeff_mmul()
        rest = matrices.args if isinstance(matrices, MatMul) else (matrices,)
        if all(isinstance(m, sp.Identity) for m in rest if isinstance(m, sp.MatrixExpr)):
            return coefficient * sp.Mul(*(m for m in rest if not isinstance(m, sp.MatrixExpr)))
        return node

    unwrapped = expr.replace(lambda e: isinstance(e, Scalar) and isinstance(e.args[0], (MatMul, sp.Identity)), unwrap)
    return tidy(unwrapped) if unwrapped != expr else expr


def _affine(objective: Any, W: sp.MatrixSymbol, lhs: Any, rhs: Any, maximise: bool) -> Derivation:
    """A w = b by block elimination: w(ν) from the stationarity of the Lagrangian, then ν from the constraint."""
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.stationary import _estimate_symbol
    from symml.optimize.matrix_solve import solve_linear_matrix_equation

    rows = lhs.shape[0]
    nu = sp.MatrixSymbol("nu", rows, 1)
    sign = -1 if maximise else 1
    lagrangian = sign * objective + nu.T * (lhs - rhs)
    G = gradient(lagrangian, W).result
    w_of_nu = solve_linear_matrix_equation(G, W)
    if w_of_nu.solution is None:
        raise UnsupportedOperationError(f"the stationarity of the Lagrangian cannot be solved for {W}: "
                                        f"{w_of_nu.reason}")
    constraint = (lhs - rhs).xreplace({W: w_of_nu.solution}).doit()
    nu_solved = solve_linear_matrix_equation(constraint, nu)
    if nu_solved.solution is None:
        raise UnsupportedOperationError(f"the constraint cannot be solved for the multiplier: {nu_solved.reason}")
    solution = _scalars_out_of_inverses(scalars_unwrapped(w_of_nu.solution.xreplace({nu: nu_solved.solution}).doit()))
    steps = [Step("Lagrangian", sp.Eq(sp.Function("L")(W, nu), lagrangian, evaluate=False),
                  "one multiplier per row of the constraint, the vector ν"
                  + ("; the objective is negated, so that the problem is a minimisation" if maximise else "")),
             *[Step(s.title + f" (for ${latex(W)}$ given ν)", s.math, s.why) for s in w_of_nu.steps],
             Step("Substitute into the constraint", sp.Eq(constraint, sp.ZeroMatrix(*constraint.shape), evaluate=False),
                  "block elimination: the constraint now involves ν only"),
             *[Step(s.title + " (for ν)", s.math, s.why) for s in nu_solved.steps],
             Step("Result", sp.Eq(_estimate_symbol(W), solution, evaluate=False),
                  f"substitute ν back; unique when ${latex(lhs.args[0] if isinstance(lhs, MatMul) else lhs)}$ has "
                  "full row rank")]
    steps += _convexity_step(objective, W, maximise)
    title = f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to ${latex(lhs)} = {latex(rhs)}$"
    problem = AffineProblem(title, objective, W, lhs, rhs, solution, maximise)
    return Derivation(problem=problem, steps=tuple(steps), result=solution,
                      summary=(sp.Eq(_estimate_symbol(W), solution, evaluate=False),))


@dataclass(frozen=True)
class AffineProblem:
    """An optimum under affine constraints ``lhs = rhs`` (linear in ``wrt``), solved by block elimination."""

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    lhs: Any
    rhs: Any
    solution: Any
    maximise: bool
    more: tuple = ()  # further constraints (lhs, rhs), each one row: a budget beside a target return


def _all_inputs(problem: AffineProblem) -> tuple[list, list]:
    inputs: set = set()
    parameters: set = set()
    for expr in (problem.objective, problem.lhs, problem.rhs, problem.solution, *(e for p in problem.more for e in p)):
        found = _matrix_inputs(expr, problem.wrt)
        inputs |= set(found[0])
        parameters |= set(found[1])
    return sorted(inputs, key=lambda m: m.name), sorted(parameters, key=lambda p: p.name)


@numpy_function.register(AffineProblem)
def _numpy_affine(problem: AffineProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    from symml.matrix_calculus.numpy_export import numpy_function as export

    inputs, parameters = _matrix_inputs(problem.solution, problem.wrt)
    closed_form = export(problem.solution, inputs, parameters=parameters)
    needed = {s.name for s in [*inputs, *parameters]}

    def optimum(**data: Any) -> np.ndarray:
        value = np.asarray(closed_form(**{k: v for k, v in data.items() if k in needed}))
        return value.reshape(-1) if problem.wrt.shape[1] == 1 else value

    return optimum


@verify.register(AffineProblem)
def _verify_affine(problem: AffineProblem, derivation: Derivation, *, seed: int = 0, tolerance: float = 1e-6,
                   data: dict | None = None) -> Verification:
    """SLSQP on the objective with the constraints as equalities, from a fixed start (not the answer), on random
    data with fewer constraint rows (2) than unknowns (5), so that the constraints are feasible, and other sizes
    larger (8), so that a data matrix A in ‖Ax − b‖² has full column rank as the closed form's AᵀA⁻¹ assumes."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.testing import random_matrix

    rng = np.random.default_rng(seed)
    inputs, parameters = _all_inputs(problem)
    rows = problem.lhs.shape[0]
    # symbolic sizes only: a numeric one (w ∈ R³, one constraint row) is the user's and stays
    sizes = {size: value for size, value in ((problem.wrt.shape[0], 5), (rows, 2)) if not size.is_Integer}
    if data is None:
        # a symmetric matrix is drawn positive definite: in wᵀΣw or xᵀPx/2 an indefinite one has no minimum
        data = {m.name: random_matrix(m, tuple(int(sizes.get(s, s if s.is_Integer else 8)) for s in m.shape), rng)
                for m in inputs}
        data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    W = problem.wrt
    objective = export(problem.objective, [*inputs, W], parameters=parameters)
    residuals = [export(lhs - rhs, [*inputs, W], parameters=parameters)
                 for lhs, rhs in ((problem.lhs, problem.rhs), *problem.more)]
    derived = np.asarray(derivation.numpy()(**data), dtype=float).ravel()
    sign = -1.0 if problem.maximise else 1.0
    found = minimize(lambda v: sign * float(np.asarray(objective(**data, **{W.name: v})).ravel()[0]),
                     np.full(derived.size, 0.1), method="SLSQP",
                     constraints=[{"type": "eq", "fun": lambda v: np.concatenate(
                         [np.asarray(residual(**data, **{W.name: v})).ravel() for residual in residuals])}],
                     options={"ftol": 1e-15, "maxiter": 2000})
    comparisons = [Comparison(f"{W.name}[{i}]", float(a), float(b), relative_error(a, b, 1.0))
                   for i, (a, b) in enumerate(zip(derived, found.x))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (SLSQP with the affine "
                                         "constraints) from a fixed start", tolerance=tolerance, seed=seed)
