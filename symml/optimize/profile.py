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
    held = ", ".join(f"${latex(s)}$" for s in scalars)
    symbol = sp.Function("f")(named, *scalars)
    profiled = Step("Profile", (sp.Eq(symbol, over_scalars.steps[0].math[0].rhs),),
                    f"substitute the optimum over ${latex(W)}$, which holds for every value of {held}: the joint "
                    f"optimum is the optimum of this profile over {held}")
    steps = (*_titled(over_matrix.steps, f"over ${latex(W)}$ with {held} fixed"), profiled,
             *_titled(over_scalars.steps[1:], f"over {held}"))
    verb = "Maximise" if maximise else "Minimise"
    problem = ProfiledProblem(objective, W, named, tuple(scalars), maximise, over_matrix, over_scalars,
                              title=f"{verb} ${latex(objective)}$ over ${latex(W)}$, {held}")
    return Derivation(
        problem=problem,
        steps=steps,
        result={W: optimum, **{s: value.xreplace({named: optimum}) for s, value in over_scalars.result.items()}},
        summary=over_matrix.summary + over_scalars.summary,
        assumptions=over_matrix.assumptions,
        remarks=(f"The optimum over ${latex(W)}$ does not depend on how {held} is fixed, so it is found first and "
                 f"substituted (profiling).",) + over_matrix.remarks + over_scalars.remarks,
    )


def _named(over_matrix: Derivation, W: sp.MatrixSymbol) -> sp.MatrixSymbol:
    """The symbol Ŵ the derivation over W gives its optimum (``what``), or a new one of W's shape."""
    named = over_matrix.summary[0].lhs if over_matrix.summary else None
    if isinstance(named, sp.MatrixSymbol) and named.shape == W.shape:
        return named
    return sp.MatrixSymbol(f"{W.name}hat", *W.shape)


def _titled(steps: tuple, scope: str) -> tuple:
    """The steps of one stage, each title saying which unknowns it is about."""
    return tuple(Step(f"{step.title} ({scope})", step.math, step.why) for step in steps)


def _one_by_one(expr: Any) -> Any:
    """A scalar expression (with matrix scalars inside) as the 1 x 1 matrix the NumPy export takes."""
    return expr if getattr(expr, "is_Matrix", False) or isinstance(expr, sp.MatrixExpr) else expr * sp.Identity(1)


@numpy_function.register(ProfiledProblem)
def _numpy_profiled(problem: ProfiledProblem, derivation: Derivation, **options: Any) -> Callable[..., dict]:
    """A function of the data (by name) returning ``{name: optimum}``: W's as an array, each scalar's a float."""
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature

    W, named = problem.matrix_unknown, problem.optimum_name
    matrix_part = problem.over_matrix.numpy()
    scalar_parts = {}
    for scalar, value in problem.over_scalars.result.items():
        inputs, parameters = _signature(_one_by_one(value), W)
        scalar_parts[scalar.name] = export(_one_by_one(value), inputs, parameters=parameters)

    def optimum(**data: Any) -> dict:
        values: dict = {W.name: matrix_part(**data)}
        for name, part in scalar_parts.items():  # each computed from Ŵ's value, passed by its name
            values[name] = float(np.asarray(part(**data, **{named.name: values[W.name]})).ravel()[0])
        return values

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
    inputs, parameters = _signature(_one_by_one(problem.objective), W)
    objective = export(_one_by_one(problem.objective), [*inputs, W], parameters=parameters)
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
