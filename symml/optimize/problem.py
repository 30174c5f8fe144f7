"""The record a scalar optimisation carries, and its ``numpy()`` and ``verify()``.

``numpy()`` returns the optimal point as a function of the remaining symbols, passed by name: an array (a float)
for a single unknown, a dict keyed by name for several. Where part of the solution has no closed form, it finds
the stationary points left (every sign change on a grid and Newton's root for one unknown, scipy's root finder
from several starts otherwise), keeps the one with the best objective and substitutes into the profiled closed
forms.
``verify()`` solves random instances with scipy.optimize.minimize (SLSQP with the constraints) from a start that
does not depend on the derived answer (for one unconstrained unknown also from the best point of a grid, for
several without a closed form also from eight fixed others, keeping the best run), and compares.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Verification, relative_error
from symml.errors import ParameterError, UnsupportedOperationError
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
        _check_names(values, names)
        arguments = [values[name] for name in names]
        found = dict(zip((u.name for u in closed), closed_forms(*arguments))) if closed_forms else {}
        if numeric is not None:
            found.update(numeric(arguments))
        if single:
            return found[problem.wrt[0].name]
        return {u.name: found[u.name] for u in problem.wrt}

    return optimum


def _check_names(values: Mapping[str, Any], names: list[str]) -> None:
    """ParameterError naming the values missing and those given that the optimum does not take (an unknown
    keyword was ignored: minimize(...).numpy()(bogus=1.0) answered as if it had not been passed)."""
    missing = [name for name in names if name not in values]
    unknown = sorted(set(values) - set(names))
    if missing or unknown:
        raise ParameterError(f"the optimum takes {', '.join(names) or 'no arguments'} by name"
                             + (f"; missing values for {', '.join(missing)}" if missing else "")
                             + (f"; unknown: {', '.join(unknown)}" if unknown else ""))


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

    taken = sorted({name for _, names in parts.values() for name in names})

    def optimum(**data: Any) -> Any:
        _check_names(data, taken)
        found = {name: float(np.asarray(part(**{k: data[k] for k in names})).ravel()[0])
                 for name, (part, names) in parts.items()}
        return found[problem.wrt[0].name] if len(problem.wrt) == 1 else found

    return optimum


def _numeric_part(problem: OptimizationProblem, parameters: list) -> Callable[[list], dict]:
    """Solve the stationarity equations left, keep the root whose point has the best objective, then evaluate the
    profiled closed forms (symml.optimize.numeric_optimum). One unknown left: Newton's method on the derived
    derivative in floats (the math module, microseconds where scipy.optimize.root costs a hundred) gives one
    candidate, Brent's method on every sign change of the residual on a grid over the unknown's domain the others.
    Several: scipy.optimize.root from several fixed starts."""
    from symml.calculus.stable_numpy import numpy_callable, real_lambertw
    from symml.optimize.numeric_optimum import best_candidate, line_grid, multistart_roots, sign_change_roots

    left = [u for u in problem.left if u not in problem.profiled]  # a profiled unknown follows from the others
    equations = [sp.sympify(e.lhs - e.rhs) for e in problem.stationarity
                 if not (isinstance(e, sp.Eq) and e.lhs in problem.profiled)]
    symbols = [*left, *parameters]
    profiled_names = [u.name for u in problem.wrt if u in problem.profiled]
    profiled = numpy_callable([problem.profiled[u] for u in problem.wrt if u in problem.profiled], symbols)
    # the objective at the point a candidate gives: the unknowns left, their profiled and closed forms substituted
    point = {u: problem.profiled.get(u, problem.solution.get(u, u)) for u in problem.wrt}
    objective = numpy_callable(problem.objective.xreplace(point), symbols)
    start = [1.0 if u.is_positive else 0.0 for u in left]
    in_domain = _in_domain(left)
    compare_ends = set(left) <= set(problem.wrt)  # the grid's ends are points of the problem: compare them too
    if len(left) == 1 and len(equations) == 1:
        in_math = [{"LambertW": real_lambertw}, "math"]  # W's real branch; NaN off it, as the math module would fail
        residual = _in_floats(sp.lambdify(symbols, equations[0], modules=in_math))
        derivative = _in_floats(sp.lambdify(symbols, sp.diff(equations[0], left[0]), modules=in_math))
        on_grid = numpy_callable(equations[0], symbols)
        grid = line_grid(left[0])

        def candidates(arguments: list) -> tuple[list, list]:
            def f(t: float) -> float:
                return residual(t, *arguments)

            newton = _newton(f, lambda t: derivative(t, *arguments), start[0])
            with np.errstate(all="ignore"):
                values = np.asarray(on_grid(grid, *arguments), dtype=float)
            if values.shape != grid.shape:  # a residual constant in the unknown
                values = np.broadcast_to(values, grid.shape)
            roots = ([newton] if newton is not None else []) + sign_change_roots(f, grid, values)
            return [[t] for t in roots], [grid[0], grid[-1]]
    else:
        residuals = numpy_callable(equations, symbols)

        def candidates(arguments: list) -> tuple[list, list]:
            return list(multistart_roots(lambda z: np.asarray(residuals(*z, *arguments), dtype=float), start,
                                         [bool(u.is_positive) for u in left])), []

    def solve(arguments: list) -> dict:
        found, ends = candidates(arguments)
        found = [z for z in found if in_domain(z)]
        with np.errstate(all="ignore"):
            values = [float(objective(*z, *arguments)) for z in found]
            far = [float(objective(t, *arguments)) for t in ends] if compare_ends else []
        z = found[best_candidate(found, values, problem.maximise, left, far)]
        values_left = {u.name: float(v) for u, v in zip(left, z)}
        values_left.update(zip(profiled_names, profiled(*z, *arguments)))
        return values_left

    return solve


def _in_domain(left: list) -> Callable[[Sequence[float]], bool]:
    """Whether a root respects the unknowns' signs (a positive unknown's root finder may step below 0)."""
    positive = [i for i, u in enumerate(left) if u.is_positive]
    nonnegative = [i for i, u in enumerate(left) if u.is_nonnegative and not u.is_positive]
    return lambda z: all(z[i] > 0 for i in positive) and all(z[i] >= 0 for i in nonnegative)


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
    decrease, no convergence): the grid scan then finds the roots."""
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
        runs = [minimize(lambda z: float(objective(*z, *arguments)), z0, method="SLSQP", bounds=bounds,
                         constraints=constraints, options={"ftol": 1e-15, "maxiter": 2000})
                for z0 in _starts(problem, start, objective, arguments)]
        found = min(runs, key=lambda run: run.fun if np.isfinite(run.fun) else np.inf).x
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
        "fixed start independent of the derived answer" + (" and from the best point of a grid over the unknown, "
                                                           "keeping the better" if _grid_starts_apply(problem) else
                                                           " and from eight fixed others, keeping the best"
                                                           if len(wrt) > 1 and problem.left else "")
        + ("; the optimum is attained at several points, so the "
                                                           "optimal values are compared" if problem.ties else ""),
        tolerance=tolerance, seed=seed)


def _grid_starts_apply(problem: OptimizationProblem) -> bool:
    return len(problem.wrt) == 1 and not problem.equalities and not problem.inequalities


def _starts(problem: OptimizationProblem, start: np.ndarray, objective: Callable[..., Any], arguments: list) -> list:
    """SLSQP from the fixed start alone finds a local optimum ((x − 2)² + 3 exp(−4x²) has one at −0.23), so the
    reference is the best of several runs: for one unconstrained unknown, also from the best point of the grid
    numpy()'s scan uses; for several unknowns without a closed form, also from eight fixed others."""
    from symml.optimize.numeric_optimum import fixed_starts, line_grid

    if len(problem.wrt) > 1:
        positive = [bool(u.is_positive) for u in problem.wrt]
        return fixed_starts(start, positive) if problem.left else [start]
    if not _grid_starts_apply(problem):
        return [start]
    grid = line_grid(problem.wrt[0])
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(objective(grid, *arguments), dtype=float), grid.shape)
    values = np.where(np.isfinite(values), values, np.inf)
    return [start, np.array([grid[int(np.argmin(values))]])] if np.isfinite(values).any() else [start]


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
