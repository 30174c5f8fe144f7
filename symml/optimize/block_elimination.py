"""The optimum over several vector or matrix unknowns of one objective, by block elimination of its stationarity.

Least squares on two blocks of regressors, ‖y − Xw − Zv‖² over (w, v), has the joint normal equations
[XᵀX XᵀZ; ZᵀX ZᵀZ] [w; v] = [Xᵀy; Zᵀy]. At matrix level (cost independent of the dimensions) they are solved
as Gaussian elimination solves a block system: each unknown's stationarity condition is solved by the core's
matrix rules for it given the unknowns after it, that solution is substituted into the later conditions, and the
last one, in its unknown alone, is solved outright; then back-substitution. The matrix multiplying v once w is
eliminated is the Schur complement ZᵀZ − ZᵀX(XᵀX)⁻¹XᵀZ = Zᵀ(I − P_X)Z, so v̂ is the Frisch–Waugh–Lovell
estimate (Zᵀ(I − P_X)Z)⁻¹Zᵀ(I − P_X)y (Hastie et al., ESL 3.2.3; Boyd & Vandenberghe A.5.5 for the complement).

>>> import symml
>>> n, d, k = symml.dims("n d k")
>>> X, Z, y = symml.matrix("X", n, d), symml.matrix("Z", n, k), symml.vector("y", n)
>>> w, v = symml.vector("w", d), symml.vector("v", k)
>>> fit = symml.derive.minimize(symml.sq_norm(y - X*w - Z*v), wrt=[w, v])
>>> fit.result[v]
(-Z.T*X*(X.T*X)**(-1)*X.T*Z + Z.T*Z)**(-1)*(-Z.T*X*(X.T*X)**(-1)*X.T*y + Z.T*y)
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import NoClosedFormError, ShapeError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["BlockProblem", "block_optimum"]


@dataclass(frozen=True)
class BlockProblem:
    """An optimum over several matrix unknowns, solved by block elimination.

    Attributes:
        objective: the scalar (1 x 1) objective.
        unknowns: the vector or matrix unknowns, in the order they are eliminated.
        maximise: maximise (True) or minimise (False).
        eliminated: for each unknown, its stationary value given the unknowns after it (the last one's in the data
            alone), in the order of ``unknowns``.
        title: one line describing the problem.
    """

    objective: Any
    unknowns: tuple[sp.MatrixSymbol, ...]
    maximise: bool
    eliminated: tuple[Any, ...]
    title: str = ""


def block_optimum(objective: Any, unknowns: list, maximise: bool) -> Derivation:
    """The optimum over several vector or matrix ``unknowns`` (no constraints) where the stationarity conditions
    are linear in them: each solved for its unknown given the later ones, substituted forward, then back."""
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.stationary import _estimate_symbol
    from symml.optimize.matrix_solve import solve_linear_matrix_equation

    minimised = -objective if maximise else objective
    for unknown in unknowns:
        if not objective.has(unknown):
            raise UnsupportedOperationError(f"{unknown} does not appear in the objective")
    try:
        conditions = [tidy(gradient(minimised, u).result) for u in unknowns]
    except (ShapeError, ValueError, TypeError) as failure:
        raise UnsupportedOperationError(f"the objective is not differentiated at matrix level in "
                                        f"{', '.join(map(str, unknowns))}: {failure}") from None
    names = ", ".join(f"${latex(u)}$" for u in unknowns)
    steps = [Step("Stationarity conditions", tuple(sp.Eq(g, 0, evaluate=False) for g in conditions),
                  f"the gradient in each of {names} vanishes at an interior optimum (matrix calculus)")]
    eliminated = []
    for k, unknown in enumerate(unknowns):
        later = unknowns[k + 1:]
        solved = solve_linear_matrix_equation(conditions[k], unknown)
        if solved.solution is None or solved.solution.has(*unknowns[:k + 1]):
            raise NoClosedFormError(f"the stationarity condition in {unknown} is not solved for it at matrix level "
                                    f"({solved.reason or 'it is not linear in the unknowns'}); optimise numerically")
        scope = (f"for ${latex(unknown)}$ given " + ", ".join(f"${latex(u)}$" for u in later)) if later else \
            f"for ${latex(unknown)}$, the others eliminated"
        steps += [Step(f"{step.title} ({scope})", step.math, step.why) for step in solved.steps[1:]]
        eliminated.append(solved.solution)
        conditions[k + 1:] = [c.xreplace({unknown: solved.solution}) for c in conditions[k + 1:]]
        if later:
            steps.append(Step(f"Substitute into the condition in ${latex(later[0])}$",
                              (sp.Eq(conditions[k + 1], 0, evaluate=False),),
                              f"the stationary ${latex(unknown)}$ for given {', '.join(f'${latex(u)}$' for u in later)} "
                              "is substituted forward (block elimination): the condition below is free of "
                              f"${latex(unknown)}$"))
    values: dict = {}
    for unknown, solution in reversed(list(zip(unknowns, eliminated))):
        values[unknown] = solution.xreplace(values)
    hats = {u: _estimate_symbol(u) for u in unknowns}
    summary = tuple(sp.Eq(hats[u], s.xreplace({v: hats[v] for v in unknowns}), evaluate=False)
                    for u, s in zip(unknowns, eliminated))
    steps.append(Step("Back-substitute", summary,
                      "the last unknown's value is in the data alone; each earlier one follows from the later ones'"))
    steps += _second_order(minimised, unknowns, maximise)
    verb = "Maximise" if maximise else "Minimise"
    problem = BlockProblem(objective, tuple(unknowns), maximise, tuple(eliminated),
                           title=f"{verb} ${latex(objective)}$ over {names}")
    return Derivation(problem=problem, steps=tuple(steps), result=values, summary=summary,
                      remarks=("Solved by block elimination of the joint stationarity conditions (Gaussian elimination "
                               "on blocks): numpy() computes the last unknown first, then each earlier one from it.",))


def _second_order(minimised: Any, unknowns: list, maximise: bool) -> list[Step]:
    """The condition for the stationary point to be the optimum: the joint Hessian positive definite, which with
    the first diagonal block positive definite holds exactly when each Schur complement (the matrix multiplying
    an unknown once the earlier ones are eliminated, in the solve steps above) is."""
    from symml.matrix_calculus.derivatives import hessian
    from symml.optimize.matrix_problems import _definite_terms

    first = unknowns[0]
    try:
        block = hessian(minimised, first)
    except (UnsupportedOperationError, ShapeError):
        return []
    kind = _definite_terms(block.result)
    structure = f", positive {kind} by its structure (Gram matrices and the identity)" if kind else ""
    optimum = "maximum" if maximise else "minimum"
    return [Step("Second-order condition", block.summary[0],
                 f"the joint Hessian{' of the negated objective' if maximise else ''} is the block matrix of the "
                 f"coefficients of the conditions; its first diagonal block is this{structure}. The joint Hessian is "
                 "positive definite exactly when this block and each matrix inverted in the solve steps after it "
                 "(a Schur complement) are (Boyd & Vandenberghe A.5.5); then the stationary point is the unique "
                 f"global {optimum}, and where one of them is singular the {optimum} is not unique")]


@numpy_function.register(BlockProblem)
def _numpy_block(problem: BlockProblem, derivation: Derivation, **options: Any) -> Callable[..., dict]:
    """A function of the data (by name) returning ``{name: optimum array}``: the last unknown from the data, then
    each earlier one from the data and the later ones' values (back-substitution)."""
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature

    parts = []
    for unknown, solution in reversed(list(zip(problem.unknowns, problem.eliminated))):
        inputs, parameters = _signature(solution, unknown)
        taken = {str(s) for s in [*inputs, *parameters]}
        parts.append((unknown.name, export(solution, inputs, parameters=parameters), taken))

    def optimum(**data: Any) -> dict:
        values: dict = {}
        for name, part, taken in parts:  # each part takes its own inputs (w given v need not take v's penalty)
            given = {**data, **values}
            values[name] = part(**{key: given[key] for key in taken if key in given})
        return {u.name: values[u.name] for u in problem.unknowns}

    return optimum


@verify.register(BlockProblem)
def _verify_block(problem: BlockProblem, derivation: Derivation, *, seed: int = 0, tolerance: float = 1e-4,
                  **options: Any) -> Verification:
    """Optimise the objective itself over all the unknowns stacked, with BFGS from a constant start, on random
    data, and compare with ``numpy()``."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _random_data, _signature, _size_of
    from symml.optimize.profile import one_by_one

    unknowns = problem.unknowns
    names = {u.name for u in unknowns}
    rng = np.random.default_rng(seed)
    data = {k: v for k, v in _random_data(SimpleNamespace(loss=problem.objective, wrt=unknowns[0]), rng).items()
            if k not in names}
    inputs, parameters = _signature(one_by_one(problem.objective), unknowns[0])
    inputs = [m for m in inputs if m.name not in names]
    objective = export(one_by_one(problem.objective), [*inputs, *unknowns], parameters=parameters)
    derived = derivation.numpy()(**data)
    shapes = [_size_of(u, inputs, data) for u in unknowns]
    ends = np.cumsum([0, *(rows * cols for rows, cols in shapes)])
    sign = -1.0 if problem.maximise else 1.0

    def value(z: np.ndarray) -> float:
        at = {u.name: z[a:b].reshape(shape, order="F") for u, a, b, shape in zip(unknowns, ends, ends[1:], shapes)}
        return sign * float(np.asarray(objective(**data, **at)).ravel()[0])

    found = minimize(value, np.full(ends[-1], 0.1), method="BFGS", options={"gtol": 1e-10, "maxiter": 5000})
    comparisons = []
    for u, a, b in zip(unknowns, ends, ends[1:]):
        numeric = found.x[a:b]
        comparisons += [Comparison(f"{u.name}[{i}]", float(p), float(q), relative_error(p, q))
                        for i, (p, q) in enumerate(zip(np.ravel(derived[u.name], order="F"), numeric))]
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (BFGS) of the objective over all the unknowns stacked, from a "
        "constant start", tolerance=tolerance, seed=seed,
        details=(("shapes", str(shapes)), ("optimizer", str(found.message))))
