"""Optima over one vector or matrix unknown together with scalar unknowns, by profiling.

Linear regression's weights and noise variance (Bishop, PRML 3.1.1) are the standard case: minimise over W with
the scalars held fixed (at matrix level, by the core's matrix rules), substitute that minimiser back, and optimise
the profiled objective over the scalars (by the scalar core). Profiling is exact: the optimum over (W, s) is the
optimum over s of the optimum over W, provided the optimum over W is the global one for every value of s; the
steps over W state the convexity that establishes it, and the remarks say when it could not be established.

>>> import sympy as sp, symml
>>> n, d = symml.dims("n d")
>>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
>>> s2 = sp.Symbol("s2", positive=True)
>>> nll = n / 2 * sp.log(2 * sp.pi * s2) * sp.Identity(1) + symml.sq_norm(y - X @ w) / (2 * s2)
>>> fit = symml.derive.minimize(nll, wrt=[w, s2])
>>> fit.result[w]
(X.T*X)**(-1)*X.T*y
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import NoClosedFormError
from symml.operations import numpy_function, verify
from symml.optimize.core import hat
from symml.render.printer import latex

__all__ = ["ProfiledProblem", "profiled_optimum"]


@dataclass(frozen=True)
class ProfiledProblem:
    """An optimum over a matrix unknown and scalars: the objective, the unknowns, and the two derivations.

    Attributes:
        objective: the scalar (1 x 1) objective.
        matrix_unknown: W, optimised first with the scalars fixed.
        optimum_name: Ŵ, the name of W's optimum in the scalars' optima (``over_scalars``).
        scalars: the scalar unknowns, optimised on the profile.
        maximise: maximise (True) or minimise (False).
        over_matrix: the derivation of W's optimum for fixed scalars.
        over_scalars: the derivation of the scalars' optimum on the profiled objective.
        title: one line describing the problem.
    """

    objective: Any
    matrix_unknown: sp.MatrixSymbol
    optimum_name: sp.MatrixSymbol
    scalars: tuple[sp.Symbol, ...]
    maximise: bool
    over_matrix: Derivation
    over_scalars: Derivation
    title: str = ""


def profiled_optimum(objective: Any, matrix_unknown: sp.MatrixSymbol, scalars: list, maximise: bool) -> Derivation:
    """The joint optimum over ``matrix_unknown`` and ``scalars`` (no constraints), by profiling W out first."""
    from symml.matrix_calculus.expressions import is_matrix
    from symml.optimize.matrix_problems import matrix_optimum
    from symml.optimize.minimize import scalar_optimum

    W = matrix_unknown
    over_matrix = matrix_optimum(objective, [W], (), maximise)
    optimum = over_matrix.result
    if not is_matrix(optimum):
        raise NoClosedFormError(f"{W} has no closed-form optimum for fixed {', '.join(map(str, scalars))}, so it "
                                "cannot be profiled out; optimise over it alone, or numerically")
    # The profile is written in the optimum's own name, Ŵ: the scalars' optima then read as a textbook writes them
    # (σ̂² = ‖y − Xŵ‖²/n), and numpy() computes the residual itself, never yᵀy − yᵀXŵ, which cancels when the fit
    # is close
    named = _named(over_matrix, W)
    profile = objective.xreplace({W: named})
    over_scalars = scalar_optimum(profile, list(scalars), (), maximise)
    coupling = _coupled(over_scalars.result, named, optimum, scalars)
    held = ", ".join(f"${latex(s)}$" for s in scalars)
    symbol = sp.Function("f")(named, *scalars)
    profiled = Step("Profile", (sp.Eq(symbol, over_scalars.steps[0].math[0].rhs),),
                    f"substitute the optimum over ${latex(W)}$, which holds for every value of {held}: the joint "
                    f"optimum is the optimum of this profile over {held}")
    steps = (*_titled(over_matrix.steps, f"over ${latex(W)}$ with {held} fixed"), profiled,
             *_titled(over_scalars.steps[1:], f"over {held}"), *coupling.steps)
    if coupling.solution:
        over_scalars = Derivation(problem=over_scalars.problem, steps=over_scalars.steps, result=coupling.solution,
                                  summary=tuple(sp.Eq(hat(u), v) for u, v in coupling.solution.items()),
                                  remarks=over_scalars.remarks)
    _refuse_a_vanishing_positive(over_scalars.result, named, optimum)
    verb = "Maximise" if maximise else "Minimise"
    problem = ProfiledProblem(objective, W, named, tuple(scalars), maximise, over_matrix, over_scalars,
                              title=f"{verb} ${latex(objective)}$ over ${latex(W)}$, {held}")
    return Derivation(
        problem=problem,
        steps=steps,
        result={W: optimum, **{s: value.xreplace({named: optimum}) for s, value in over_scalars.result.items()}},
        summary=over_matrix.summary + over_scalars.summary,
        assumptions=over_matrix.assumptions,
        remarks=(_how_profiled(optimum, W, scalars, held),) + over_matrix.remarks + over_scalars.remarks,
    )


def _refuse_a_vanishing_positive(found: dict, named: sp.MatrixSymbol, optimum: Any) -> None:
    """UnboundedError where a positive scalar's optimum is 0 once Ŵ is substituted: the matrix optimum reproduces the
    data exactly (a mean vector fitted to the one vector observed, μ̂ = y), so σ̂² = ‖y − μ̂‖²/D = 0 is outside the
    parameter space and the objective grows without bound as σ² → 0 (it returned σ̂² = 0 as the maximum)."""
    from symml.errors import UnboundedError
    from symml.matrix_calculus.algebra import Scalar

    for scalar, value in found.items():
        if not scalar.is_positive:
            continue
        written = value.xreplace({named: optimum})
        exact = written.xreplace({atom: sp.S.Zero for atom in written.atoms(Scalar)
                                  if isinstance(atom.matrix.doit(), sp.ZeroMatrix)})
        if exact.is_zero:
            raise UnboundedError(f"at {named} = {optimum} the stationary value of {scalar} is 0, outside its domain "
                                 f"{scalar} > 0 (the fit reproduces the data exactly): the objective is unbounded as "
                                 f"{scalar} → 0")


@dataclass(frozen=True)
class _Coupling:
    solution: dict
    steps: tuple[Step, ...] = ()


def _coupled(found: dict, named: sp.MatrixSymbol, optimum: Any, scalars: list) -> _Coupling:
    """Where Ŵ depends on the scalars (an unpenalised intercept b beside ridge weights, ESL 3.4.1), the scalars'
    stationarity, solved with Ŵ held as a name, reads b̂ = g(Ŵ): with Ŵ = Ŵ(b) substituted it is one equation in b
    (the envelope theorem makes the profile's derivative the objective's partial derivative at Ŵ(b)), solved here."""
    from symml.budget import SOLVE_SECONDS, within
    from symml.errors import BudgetExceededError
    from symml.optimize.matrix_solve import scalar_view

    if not optimum.free_symbols & set(scalars) or len(scalars) != 1 or scalars[0] not in found \
            or not found[scalars[0]].has(named):
        return _Coupling({})
    (scalar,) = scalars
    equation = scalar_view(one_by_one(scalar - found[scalar].xreplace({named: optimum})), {}, (scalar,))
    try:
        roots = within(SOLVE_SECONDS, f"solve of the coupled equation for {scalar}", sp.solve, equation, scalar)
    except (BudgetExceededError, NotImplementedError):
        roots = []
    if len(roots) != 1 or roots[0].has(scalar):
        raise NoClosedFormError(f"the optimum over {named} depends on {scalar}, and {scalar}'s equation with it "
                                "substituted was not solved in closed form")
    value = sp.factor_terms(roots[0])
    steps = (Step(f"Substitute ${latex(named)}$ as a function of ${latex(scalar)}$",
                  (sp.Eq(scalar, found[scalar].xreplace({named: optimum}), evaluate=False),),
                  f"${latex(named)}$ depends on ${latex(scalar)}$: the equation above is one equation in "
                  f"${latex(scalar)}$ (by the envelope theorem the profile's derivative is the objective's partial "
                  f"derivative at ${latex(named)}({latex(scalar)})$)"),
             Step(f"Solve for ${latex(scalar)}$", (sp.Eq(hat(scalar), value),),
                  "the equation is linear in it" if sp.degree(equation, scalar) == 1 else "solve"))
    return _Coupling({scalar: value}, steps)


def _how_profiled(optimum: Any, W: sp.MatrixSymbol, scalars: list, held: str) -> str:
    if optimum.free_symbols & set(scalars):
        return (f"The optimum over ${latex(W)}$ depends on {held}: it is substituted as a function of them "
                f"(profiling), and numpy() computes {held} first.")
    return f"The optimum over ${latex(W)}$ does not depend on {held}, so it is found first and substituted (profiling)."


def _named(over_matrix: Derivation, W: sp.MatrixSymbol) -> sp.MatrixSymbol:
    """The symbol Ŵ the derivation over W gives its optimum (``what``), or a new one of W's shape."""
    named = over_matrix.summary[0].lhs if over_matrix.summary else None
    if isinstance(named, sp.MatrixSymbol) and named.shape == W.shape:
        return named
    return sp.MatrixSymbol(f"{W.name}hat", *W.shape)


def _titled(steps: tuple, scope: str) -> tuple:
    """The steps of one stage, each title saying which unknowns it is about."""
    return tuple(Step(f"{step.title} ({scope})", step.math, step.why) for step in steps)


def one_by_one(expr: Any) -> Any:
    """A scalar expression (with matrix scalars inside) as the 1 x 1 matrix the NumPy export takes."""
    return expr if getattr(expr, "is_Matrix", False) or isinstance(expr, sp.MatrixExpr) else expr * sp.Identity(1)


@numpy_function.register(ProfiledProblem)
def _numpy_profiled(problem: ProfiledProblem, derivation: Derivation, **options: Any) -> Callable[..., dict]:
    """A function of the data (by name) returning ``{name: optimum}``: W's as an array, each scalar's a float."""
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature

    W, named = problem.matrix_unknown, problem.optimum_name
    missing = [s for s in problem.scalars if s not in problem.over_scalars.result]
    if missing:
        raise NoClosedFormError(f"no closed form for {', '.join(map(str, missing))} on the profile: numpy() of the "
                                "joint optimum needs one")
    matrix_part = problem.over_matrix.numpy()
    # W's optimum free of the scalars: it first, then each scalar from Ŵ's value (its residual computed directly);
    # otherwise the scalars first, from their closed forms in the data, then W's optimum at them
    first = not derivation.result[W].free_symbols & set(problem.scalars)
    scalar_parts = {}
    for scalar, value in (problem.over_scalars.result if first else derivation.result).items():
        if scalar in problem.scalars:
            inputs, parameters = _signature(one_by_one(value), W)
            scalar_parts[scalar.name] = export(one_by_one(value), inputs, parameters=parameters)

    def optimum(**data: Any) -> dict:
        values: dict = {W.name: matrix_part(**data)} if first else {}
        for name, part in scalar_parts.items():
            at = {**data, named.name: values[W.name]} if first else data
            values[name] = float(np.asarray(part(**at)).ravel()[0])
        if not first:
            values[W.name] = matrix_part(**data, **{s.name: values[s.name] for s in problem.scalars})
        return {W.name: values.pop(W.name), **values}

    return optimum


@verify.register(ProfiledProblem)
def _verify_profiled(problem: ProfiledProblem, derivation: Derivation, *, seed: int = 0, tolerance: float = 1e-4,
                     **options: Any) -> Verification:
    """Optimise the objective itself over W and the scalars jointly with BFGS (positive scalars on a log scale),
    from a start independent of the answer, and compare with ``numpy()`` on random data."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _random_data, _signature, _size_of

    W, scalars = problem.matrix_unknown, problem.scalars
    rng = np.random.default_rng(seed)
    data = {k: v for k, v in _random_data(SimpleNamespace(loss=problem.objective, wrt=W), rng).items()
            if k not in {s.name for s in scalars}}
    inputs, parameters = _signature(one_by_one(problem.objective), W)
    objective = export(one_by_one(problem.objective), [*inputs, W], parameters=parameters)
    derived = derivation.numpy()(**data)
    shape = _size_of(W, inputs, data)
    size = shape[0] * shape[1]
    sign = -1.0 if problem.maximise else 1.0

    def unpack(z: np.ndarray) -> dict:
        values = {s.name: float(np.exp(t) if s.is_positive else t) for s, t in zip(scalars, z[size:])}
        return {W.name: z[:size].reshape(shape, order="F"), **values}

    def value(z: np.ndarray) -> float:
        return sign * float(np.asarray(objective(**data, **unpack(z))).ravel()[0])

    found = minimize(value, np.full(size + len(scalars), 0.1), method="BFGS", options={"gtol": 1e-10, "maxiter": 5000})
    numeric = unpack(found.x)
    comparisons = [Comparison(f"{W.name}[{i}]", float(a), float(b), relative_error(a, b))
                   for i, (a, b) in enumerate(zip(np.ravel(derived[W.name]), np.ravel(numeric[W.name])))]
    comparisons += [Comparison(s.name, derived[s.name], numeric[s.name], relative_error(derived[s.name], numeric[s.name]))
                    for s in scalars]
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (BFGS) of the objective over all unknowns jointly, positive "
        "scalars on a log scale, from a constant start", tolerance=tolerance, seed=seed,
        details=(("shape", str(shape)), ("optimizer", str(found.message))))
