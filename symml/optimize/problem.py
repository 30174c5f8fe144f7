"""The record a scalar optimisation carries, and its ``numpy()`` and ``verify()``.

``numpy()`` returns the optimal point as a function of the remaining symbols, passed by name: an array (a float)
for a single unknown, a dict keyed by name for several. Where part of the solution has no closed form, it solves
the stationarity equations left (scipy.optimize.root) and substitutes into the profiled closed forms.
``verify()`` solves random instances with scipy.optimize.minimize (SLSQP with the constraints) from a start that
does not depend on the derived answer, and compares.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Verification, relative_error
from symml.errors import NotIdentifiableError, ParameterError
from symml.operations import numpy_function, verify

__all__ = ["OptimizationProblem"]


@dataclass(frozen=True)
class OptimizationProblem:
    """An optimisation over scalar unknowns and what was derived about it.

    Attributes:
        title: one line describing the problem.
        objective: the scalar objective.
        wrt: the unknowns.
        maximise: whether the objective is maximised.
        equalities: constraints h = 0, as expressions h.
        inequalities: constraints ``Le(lhs, rhs)``.
        solution: closed forms ``{unknown: expression}`` (a Piecewise over KKT cases where they differ).
        profiled: closed forms in terms of the unknowns (or multipliers) in ``left``.
        stationarity: the equations ``left`` must satisfy when it is not empty.
        left: unknowns or multipliers without a closed form, solved numerically by ``numpy()``.
    """

    title: str
    objective: sp.Expr
    wrt: tuple[sp.Symbol, ...]
    maximise: bool
    equalities: tuple[sp.Expr, ...] = ()
    inequalities: tuple[sp.Rel, ...] = ()
    solution: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    profiled: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    stationarity: tuple = ()
    left: tuple[sp.Symbol, ...] = ()

    @property
    def parameters(self) -> list[sp.Symbol]:
        """The symbols ``numpy()`` takes by name: everything in the problem that is not an unknown."""
        symbols = set(self.objective.free_symbols)
        for c in (*self.equalities, *self.inequalities):
            symbols |= c.free_symbols
        return sorted(symbols - set(self.wrt), key=lambda s: s.name)


def _lambdify(parameters: list, expr: sp.Expr) -> Callable[..., Any]:
    return sp.lambdify(parameters, expr, modules="numpy")


@numpy_function.register(OptimizationProblem)
def _numpy_optimum(problem: OptimizationProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    parameters = problem.parameters
    names = [p.name for p in parameters]
    closed = {u: _lambdify(parameters, v) for u, v in problem.solution.items() if u in problem.wrt}
    numeric = _numeric_part(problem, parameters) if problem.left else None

    def optimum(**values: Any) -> Any:
        missing = [name for name in names if name not in values]
        if missing:
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name)")
        arguments = [values[name] for name in names]
        found = {u.name: f(*arguments) for u, f in closed.items()}
        if numeric is not None:
            found.update(numeric(arguments))
        result = {u.name: found[u.name] for u in problem.wrt}
        return result[problem.wrt[0].name] if len(problem.wrt) == 1 else result

    return optimum


def _numeric_part(problem: OptimizationProblem, parameters: list) -> Callable[[list], dict]:
    """Solve the stationarity equations left by scipy.optimize.root, then evaluate the profiled closed forms."""
    from scipy.optimize import root

    left = list(problem.left)
    equations = [sp.sympify(e.lhs - e.rhs) for e in problem.stationarity if not (isinstance(e, sp.Eq) and e.lhs in left)]
    residual = _lambdify([*left, *parameters], equations)
    profiled = {u: _lambdify([*left, *parameters], v) for u, v in problem.profiled.items() if u in problem.wrt}
    start = np.array([1.0 if u.is_positive else 0.0 for u in left])

    def solve(arguments: list) -> dict:
        found = root(lambda z: np.asarray(residual(*z, *arguments), dtype=float), start, method="hybr")
        if not found.success:
            raise NotIdentifiableError(f"the stationarity equations in {', '.join(map(str, left))} were not solved "
                                       f"numerically ({found.message})")
        values = {u.name: float(v) for u, v in zip(left, found.x)}
        values.update({u.name: f(*found.x, *arguments) for u, f in profiled.items()})
        return values

    return solve


def _random_values(parameters: list, rng: np.random.Generator) -> dict[str, float]:
    """Positive symbols uniform on (0.5, 2); other real symbols standard normal."""
    return {p.name: float(rng.uniform(0.5, 2.0) if p.is_positive or p.is_nonnegative else rng.standard_normal())
            for p in parameters}


@verify.register(OptimizationProblem)
def _verify_optimum(problem: OptimizationProblem, derivation: Derivation, *, seed: int = 0, instances: int = 3,
                    data: Mapping[str, float] | None = None, tolerance: float = 1e-6) -> Verification:
    """Solve ``instances`` random instances (or the one ``data`` gives) with scipy.optimize.minimize (SLSQP with the
    constraints; bounds from the unknowns' assumptions) from a start independent of the answer; compare."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    parameters, wrt = problem.parameters, list(problem.wrt)
    sign = -1.0 if problem.maximise else 1.0
    objective = _lambdify([*wrt, *parameters], sign * problem.objective)
    equalities = [_lambdify([*wrt, *parameters], h) for h in problem.equalities]
    inequalities = [_lambdify([*wrt, *parameters], c.rhs - c.lhs) for c in problem.inequalities]  # >= 0
    bounds = [(1e-12, None) if u.is_positive else (0.0, None) if u.is_nonnegative else (None, None) for u in wrt]
    start = np.array([0.5 + 0.05 * j for j in range(len(wrt))])  # not the answer: a fixed interior point
    derived_function = derivation.numpy()
    comparisons = []
    for k in range(1 if data is not None else instances):
        values = dict(data) if data is not None else _random_values(parameters, rng)
        arguments = [values[p.name] for p in parameters]
        constraints = [{"type": "eq", "fun": (lambda z, h=h: h(*z, *arguments))} for h in equalities]
        constraints += [{"type": "ineq", "fun": (lambda z, g=g: g(*z, *arguments))} for g in inequalities]
        found = minimize(lambda z: float(objective(*z, *arguments)), start, method="SLSQP", bounds=bounds,
                         constraints=constraints, options={"ftol": 1e-15, "maxiter": 2000})
        derived = derived_function(**values)
        derived = derived if isinstance(derived, dict) else {wrt[0].name: derived}
        for u, numeric in zip(wrt, found.x):
            value = float(derived[u.name])
            comparisons.append(Comparison(f"{u.name} (instance {k + 1})", value, float(numeric),
                                          relative_error(value, float(numeric), scale=1.0)))
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (SLSQP with the constraints) on random instances, from a fixed "
        "start independent of the derived answer", tolerance=tolerance, seed=seed)
