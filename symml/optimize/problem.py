"""The record a scalar optimisation carries, and its ``numpy()`` and ``verify()``.

``numpy()`` returns the optimal point as a function of the remaining symbols, passed by name: an array (a float)
for a single unknown, a dict keyed by name for several. Where part of the solution has no closed form, it solves
the stationarity equations left (Newton's method on the derived derivative for one unknown, scipy's root
finders otherwise) and substitutes into the profiled closed forms.
``verify()`` solves random instances with scipy.optimize.minimize (SLSQP with the constraints) from a start that
does not depend on the derived answer, and compares.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Verification, relative_error
from symml.errors import NotIdentifiableError, ParameterError, UnsupportedOperationError
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
        ties: other points where the optimum is attained (x⁴ − 2x² at ±1); ``verify()`` then compares optimal
            values, since a numeric solver may find any of them.
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
    ties: tuple = ()

    @property
    def parameters(self) -> list[sp.Symbol]:
        """The symbols ``numpy()`` takes by name: everything in the problem that is not an unknown."""
        symbols = set(self.objective.free_symbols)
        for c in (*self.equalities, *self.inequalities):
            symbols |= c.free_symbols
        return sorted(symbols - set(self.wrt), key=lambda s: s.name)


def _refuse_matrix_data(problem: OptimizationProblem, operation: str) -> None:
    """A scalar unknown beside data matrices (σ² in n/2 log σ² + ‖y − Xw‖²/2σ² with w given): the derivation
    holds, but its closed form is a function of arrays that this scalar exporter does not take."""
    data = sorted(m.name for m in problem.parameters if isinstance(m, sp.MatrixSymbol))
    if data:
        raise UnsupportedOperationError(
            f"{operation} of an optimum over the scalar unknowns {', '.join(map(str, problem.wrt))} with the data "
            f"matrices {', '.join(data)} is not available"
            + (" without a closed form for every unknown" if operation == "numpy()" else "")
            + " (the derivation above holds); with a vector unknown beside them, optimise jointly (wrt=[w, sigma2]), "
            "whose profiled optimum numpy() evaluates and verify() checks")


def _lambdify(parameters: list, expr: sp.Expr) -> Callable[..., Any]:
    return sp.lambdify(parameters, expr, modules="numpy")


@numpy_function.register(OptimizationProblem)
def _numpy_optimum(problem: OptimizationProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    """One stable NumPy function for all the closed forms (common subexpressions once; a two-case Piecewise as
    ``np.where``), names checked once per call by a single lookup: the call costs microseconds, not a solver run."""
    from symml.calculus.stable_numpy import numpy_callable
    from symml.optimize import data_sums

    if data_sums.has_data_sums(problem):  # Σᵢ (yᵢ − w xᵢ)²: the data are arrays, the sums NumPy reductions
        return data_sums.numpy_optimum(problem)
    parameters = problem.parameters
    if any(isinstance(p, sp.MatrixSymbol) for p in parameters):
        return _numpy_with_matrix_data(problem)
    names = [p.name for p in parameters]
    closed = [u for u in problem.wrt if u in problem.solution]
    closed_forms = numpy_callable([problem.solution[u] for u in closed], parameters) if closed else None
    numeric = _numeric_part(problem, parameters) if problem.left else None
    single = len(problem.wrt) == 1

    def optimum(**values: Any) -> Any:
        try:
            arguments = [values[name] for name in names]
        except KeyError:
            missing = [name for name in names if name not in values]
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name)") from None
        found = dict(zip((u.name for u in closed), closed_forms(*arguments))) if closed_forms else {}
        if numeric is not None:
            found.update(numeric(arguments))
        if single:
            return found[problem.wrt[0].name]
        return {u.name: found[u.name] for u in problem.wrt}

    return optimum


def _numpy_with_matrix_data(problem: OptimizationProblem) -> Callable[..., Any]:
    """Closed forms over scalar unknowns that hold 1 x 1 products of data matrices (an exact line search's
    t = gᵀg/gᵀAg): each exported by the matrix-level NumPy exporter, the matrices passed as arrays by name."""
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.optimize.profile import one_by_one

    if problem.left or any(u not in problem.solution or problem.solution[u].has(sp.Piecewise) for u in problem.wrt):
        _refuse_matrix_data(problem, "numpy()")
    parts = {}
    for unknown in problem.wrt:
        value = one_by_one(problem.solution[unknown])
        matrices = sorted(value.atoms(sp.MatrixSymbol), key=lambda m: m.name)
        dims = {dim for matrix in matrices for dim in matrix.shape}
        scalars = sorted((s for s in value.free_symbols if isinstance(s, sp.Symbol) and s not in dims),
                         key=lambda s: s.name)
        parts[unknown.name] = (export(value, matrices, parameters=scalars), [m.name for m in [*matrices, *scalars]])

    def optimum(**data: Any) -> Any:
        missing = sorted({name for _, names in parts.values() for name in names if name not in data})
        if missing:
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name)")
        found = {name: float(np.asarray(part(**{k: data[k] for k in names})).ravel()[0])
                 for name, (part, names) in parts.items()}
        return found[problem.wrt[0].name] if len(problem.wrt) == 1 else found

    return optimum


def _numeric_part(problem: OptimizationProblem, parameters: list) -> Callable[[list], dict]:
    """Solve the stationarity equations left, then evaluate the profiled closed forms. One unknown left (a
    multiplier, typically) by Newton's method on the derived derivative, in floats (the math module): microseconds,
    where scipy.optimize.root costs a hundred; Brent's method on a bracketed sign change if Newton stalls. Several
    by scipy.optimize.root."""
    from symml.calculus.stable_numpy import numpy_callable

    left = list(problem.left)
    equations = [sp.sympify(e.lhs - e.rhs) for e in problem.stationarity if not (isinstance(e, sp.Eq) and e.lhs in left)]
    symbols = [*left, *parameters]
    profiled_names = [u.name for u in problem.wrt if u in problem.profiled]
    profiled = numpy_callable([problem.profiled[u] for u in problem.wrt if u in problem.profiled], symbols)
    start = [1.0 if u.is_positive else 0.0 for u in left]
    if len(left) == 1 and len(equations) == 1:
        residual = _in_floats(sp.lambdify(symbols, equations[0], modules="math"))
        derivative = _in_floats(sp.lambdify(symbols, sp.diff(equations[0], left[0]), modules="math"))

        def root(arguments: list) -> list:
            def f(t: float) -> float:
                return residual(t, *arguments)

            t = _newton(f, lambda t: derivative(t, *arguments), start[0])
            return [t if t is not None else _bracketed_root(f, start[0], left[0])]
    else:
        residuals = numpy_callable(equations, symbols)

        def root(arguments: list) -> list:
            return list(_root(lambda z: np.asarray(residuals(*z, *arguments), dtype=float), start, left))

    def solve(arguments: list) -> dict:
        z = root(arguments)
        values = {u.name: float(v) for u, v in zip(left, z)}
        values.update(zip(profiled_names, profiled(*z, *arguments)))
        return values

    return solve


def _in_floats(function: Callable[..., float]) -> Callable[..., float]:
    """A function of floats through the math module (a tenth of NumPy's cost per call on scalars), with overflow
    and domain errors as NaN, which the root finders treat as 'not here'."""
    def evaluate(*arguments: float) -> float:
        try:
            return float(function(*arguments))
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.nan

    return evaluate


def _newton(f: Callable[[float], float], derivative: Callable[[float], float], t: float,
            iterations: int = 60) -> float | None:
    """A root of f by Newton steps, halved until |f| decreases; None when they stall (a zero derivative, no
    decrease, no convergence), and the caller brackets the root instead."""
    value = f(t)
    for _ in range(iterations):
        if not math.isfinite(value):
            return None
        if value == 0.0:
            return t
        slope = derivative(t)
        if slope == 0.0 or not math.isfinite(slope):
            return None
        step = value / slope
        if abs(step) <= 1e-13 * (1.0 + abs(t)):  # converged: the step is at rounding level
            return t - step
        for _ in range(30):
            trial = f(t - step)
            if abs(trial) < abs(value):
                break
            step /= 2
        else:
            return None
        t, value = t - step, trial
    return None


def _bracketed_root(f: Callable[[float], float], origin: float, unknown: sp.Symbol) -> float:
    """A sign change of f bracketed outwards from ``origin`` (steps 1/8, 1/4, ..., 128 either way), then Brent's
    method: it needs no monotone f, where Newton can walk to a minimum of |f|."""
    from scipy.optimize import brentq

    for direction in (1.0, -1.0):
        a, fa = origin, f(origin)
        for k in range(-3, 8):
            b = origin + direction * 2.0 ** k
            fb = f(b)
            if math.isfinite(fa) and math.isfinite(fb) and fa * fb <= 0:
                return float(brentq(f, min(a, b), max(a, b), xtol=1e-15, rtol=4 * np.finfo(float).eps))
            a, fa = b, fb
    raise NotIdentifiableError(f"the stationarity equation in {unknown} was not solved numerically (no sign change "
                               f"found within 128 of {origin})")


def _root(residual: Callable[[np.ndarray], np.ndarray], start: list, left: list) -> np.ndarray:
    from scipy.optimize import root

    found = root(residual, np.array(start), method="hybr")
    if not found.success:
        raise NotIdentifiableError(f"the stationarity equations in {', '.join(map(str, left))} were not solved "
                                   f"numerically ({found.message})")
    return found.x


def _random_values(parameters: list, rng: np.random.Generator) -> dict[str, float]:
    """Positive symbols uniform on (0.5, 2); other real symbols standard normal."""
    return {p.name: float(rng.uniform(0.5, 2.0) if p.is_positive or p.is_nonnegative else rng.standard_normal())
            for p in parameters}


def optimum_comparisons(wrt: list, derived: Any, numeric: Any, instance: str) -> list[Comparison]:
    """The derived optimum (a value, or a dict by name) against the numeric one, unknown by unknown."""
    derived = derived if isinstance(derived, dict) else {wrt[0].name: derived}
    pairs = [(u.name, float(derived[u.name]), float(value)) for u, value in zip(wrt, numeric)]
    return [Comparison(f"{name} ({instance})", mine, theirs, relative_error(mine, theirs, scale=1.0))
            for name, mine, theirs in pairs]


@verify.register(OptimizationProblem)
def _verify_optimum(problem: OptimizationProblem, derivation: Derivation, *, seed: int = 0, instances: int = 3,
                    data: Mapping[str, float] | None = None, tolerance: float = 1e-6) -> Verification:
    """Solve ``instances`` random instances (or the one ``data`` gives) with scipy.optimize.minimize (SLSQP with the
    constraints; bounds from the unknowns' assumptions) from a start independent of the answer; compare."""
    from scipy.optimize import minimize

    from symml.optimize import data_sums

    if data_sums.has_data_sums(problem):
        if data is not None or problem.equalities or problem.inequalities:
            raise UnsupportedOperationError("verify() of an objective summed over indexed data runs on random data "
                                            "without constraints; write the data as vectors (symml.vector) to "
                                            "verify a constrained one")
        return data_sums.verify_optimum(problem, derivation, seed=seed, instances=instances, tolerance=tolerance)
    _refuse_matrix_data(problem, "verify()")
    rng = np.random.default_rng(seed)
    parameters, wrt = problem.parameters, list(problem.wrt)
    sign = -1.0 if problem.maximise else 1.0
    objective = _lambdify([*wrt, *parameters], sign * problem.objective)
    equalities = [_lambdify([*wrt, *parameters], h) for h in problem.equalities]
    inequalities = [_lambdify([*wrt, *parameters], c.rhs - c.lhs) for c in problem.inequalities]  # >= 0
    bounds = [(1e-12, None) if u.is_positive else (0.0, None) if u.is_nonnegative else (None, None) for u in wrt]
    start = np.array([0.5 + 0.05 * j for j in range(len(wrt))])  # not the answer: a fixed interior point
    derived_function = derivation.numpy()
    polish = _polisher(problem, sign)
    comparisons = []
    for k in range(1 if data is not None else instances):
        values = dict(data) if data is not None else _random_values(parameters, rng)
        arguments = [values[p.name] for p in parameters]
        constraints = [{"type": "eq", "fun": (lambda z, h=h: h(*z, *arguments))} for h in equalities]
        constraints += [{"type": "ineq", "fun": (lambda z, g=g: g(*z, *arguments))} for g in inequalities]
        found = minimize(lambda z: float(objective(*z, *arguments)), start, method="SLSQP", bounds=bounds,
                         constraints=constraints, options={"ftol": 1e-15, "maxiter": 2000}).x
        if polish is not None:
            found = polish(found, arguments)
        derived = derived_function(**values)
        if problem.ties:
            point = [float(derived[u.name]) if isinstance(derived, dict) else float(derived) for u in wrt]
            mine, theirs = float(objective(*point, *arguments)), float(objective(*found, *arguments))
            comparisons.append(Comparison(f"optimal value (instance {k + 1})", mine, theirs,
                                          relative_error(mine, theirs, scale=1.0)))
        else:
            comparisons.extend(optimum_comparisons(wrt, derived, found, f"instance {k + 1}"))
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (SLSQP with the constraints"
        + ("; BFGS on the exact gradient to polish" if polish is not None else "") + ") on random instances, from a "
        "fixed start independent of the derived answer" + ("; the optimum is attained at several points, so the "
                                                           "optimal values are compared" if problem.ties else ""),
        tolerance=tolerance, seed=seed)


def _polisher(problem: OptimizationProblem, sign: float) -> Callable[[np.ndarray, list], np.ndarray] | None:
    """For an unconstrained objective, BFGS from SLSQP's point on the gradient SymPy differentiates from the
    objective (not from the derived answer): SLSQP stops at about 1e-5 in a curved valley (Rosenbrock)."""
    from scipy.optimize import minimize

    if problem.equalities or problem.inequalities or any(u.is_positive or u.is_nonnegative for u in problem.wrt):
        return None
    wrt, parameters = list(problem.wrt), problem.parameters
    objective = _lambdify([*wrt, *parameters], sign * problem.objective)
    gradient = _lambdify([*wrt, *parameters], [sp.diff(sign * problem.objective, u) for u in wrt])

    def polish(point: np.ndarray, arguments: list) -> np.ndarray:
        better = minimize(lambda z: float(objective(*z, *arguments)), point, method="BFGS",
                          jac=lambda z: np.asarray(gradient(*z, *arguments), dtype=float), options={"gtol": 1e-12})
        return better.x if np.all(np.isfinite(better.x)) else point

    return polish
