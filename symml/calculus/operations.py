"""numpy() and verify() for scalar-calculus derivations (:class:`ScalarDerivativeProblem`).

``numpy()`` returns a vectorised, stable function taking every symbol by name (``f(x=..., y=...)``); a gradient,
Jacobian or Hessian returns an array whose leading axes index the entries (``(k, *broadcast shape)``).

``verify()`` draws random points (positive values for symbols declared positive), and compares the result with
finite differences of the *function*, never of the result (:mod:`symml.testing`): gradients along random
directions, Hessians by mixed second differences, Jacobians column by column, the Laplacian by second
differences along the axes; a Taylor polynomial by the order at which its error shrinks towards the point.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.calculus.scalar import ScalarDerivativeProblem
from symml.calculus.stable_numpy import numpy_callable
from symml.derivation import Comparison, Derivation, Verification, relative_error
from symml.errors import ParameterError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.testing import directional_difference, gradient_errors, hessian_errors, jacobian_errors, \
    second_difference_sum

__all__: list[str] = []

_TOLERANCE = {"derivative": 1e-6, "gradient": 1e-6, "jacobian": 1e-6, "directional_derivative": 1e-6,
              "hessian": 1e-4, "laplacian": 1e-4, "taylor": 0.0}


def _symbols(problem: ScalarDerivativeProblem, result: Any) -> list[sp.Symbol]:
    found = set(sp.Tuple(problem.function).free_symbols) | set(problem.wrt)
    found |= set(sp.sympify(result).free_symbols)
    return sorted(found, key=lambda s: s.name)


def _entries(result: Any) -> Any:
    return result.tolist() if isinstance(result, sp.MatrixBase) else result


def _by_name(function: Callable[..., Any], symbols: list[sp.Symbol], shape: tuple | None) -> Callable[..., Any]:
    names = [s.name for s in symbols]

    def evaluate(**values: Any) -> Any:
        missing = [name for name in names if name not in values]
        unknown = [name for name in values if name not in names]
        if missing or unknown:
            raise ParameterError(f"the function takes {names}; missing {missing}, unknown {unknown}")
        out = function(*(np.asarray(values[name], dtype=float) for name in names))
        if shape is None:
            return np.asarray(out, dtype=float)
        rows = [np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in row)) for row in out]
        array = np.array(np.broadcast_arrays(*(v for row in rows for v in row)), dtype=float)
        return array.reshape(shape + array.shape[1:])

    evaluate.__doc__ = f"The derived result at the given values; keyword arguments {names}."
    return evaluate


def _on_data(problem: ScalarDerivativeProblem, result: Any) -> Callable[..., Any] | None:
    """For a function summing over data written with indices (Σᵢ (yᵢ − w xᵢ)²): the result as a function of the
    data arrays and the scalars by name, the sums evaluated as reductions (n is the arrays' length); else None."""
    from symml.calculus.index_arrays import data_and_scalars, evaluate, with_sizes

    if not sp.Tuple(problem.function).has(sp.Indexed):
        return None
    entries = list(result) if isinstance(result, sp.MatrixBase) else [result]
    data, scalars, sizes = data_and_scalars(sp.Tuple(problem.function, *entries))
    shape = tuple(result.shape) if isinstance(result, sp.MatrixBase) else None

    def evaluate_on_data(**values: Any) -> Any:
        missing = [name for name in [*data, *(s.name for s in scalars)] if name not in values]
        if missing:
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name; data as arrays)")
        arrays = {name: np.asarray(values[name], dtype=float) for name in data}
        numbers = with_sizes({s.name: float(values[s.name]) for s in scalars}, arrays, sizes)
        found = np.array([float(evaluate(entry, arrays, numbers)) for entry in entries])
        return found[0] if shape is None else found.reshape(shape if problem.kind != "gradient" else (-1,))

    return evaluate_on_data


@numpy_function.register(ScalarDerivativeProblem)
def _(problem: ScalarDerivativeProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    on_data = _on_data(problem, derivation.result)
    if on_data is not None:
        return on_data
    result = derivation.result
    symbols = _symbols(problem, result)
    shape = tuple(result.shape) if isinstance(result, sp.MatrixBase) else None
    if shape is not None and shape[1] == 1 and problem.kind == "gradient":
        shape = (shape[0],)
    return _by_name(numpy_callable(_entries(result), symbols), symbols, shape)


# --- verification ---------------------------------------------------------------------------------------------
def _draw_point(symbols: list[sp.Symbol], rng: np.random.Generator) -> dict[str, float]:
    return {s.name: float(np.exp(rng.normal(0, 0.5)) if s.is_positive else rng.normal(0, 1.5)) for s in symbols}


def _function_of_wrt(problem: ScalarDerivativeProblem, symbols: list[sp.Symbol], point: dict) -> Callable[..., Any]:
    """The function as a NumPy function of the vector of wrt's values, the other symbols held at point."""
    functions = list(problem.function) if isinstance(problem.function, tuple) else problem.function
    f = numpy_callable(functions, symbols)
    names = [s.name for s in problem.wrt]

    def of(vector: np.ndarray) -> Any:
        values = dict(point, **dict(zip(names, np.asarray(vector, dtype=float).reshape(-1))))
        return np.asarray(f(*(values[s.name] for s in symbols)), dtype=float)

    return of


def _finite_point(problem: ScalarDerivativeProblem, derived: Callable[..., Any], symbols: list, rng: Any) -> dict:
    """A random point where the function and its derived result are finite (domains such as log x > 0)."""
    for _ in range(50):
        point = _draw_point(symbols, rng)
        f = _function_of_wrt(problem, symbols, point)
        x = np.array([point[s.name] for s in problem.wrt])
        with np.errstate(all="ignore"):
            if np.all(np.isfinite(f(x))) and np.all(np.isfinite(derived(**point))):
                return point
    raise ParameterError(f"no random point found where {problem.function} and its derivative are finite")


def _expansion_point(problem: ScalarDerivativeProblem, derived: Callable[..., Any], symbols: list,
                     rng: Any) -> dict:
    """Random values of the other symbols, and the variables at the expansion point they give (a point such as the
    mode (a − 1)/(a + b − 2) moves with them), where the function and the polynomial are finite."""
    for _ in range(50):
        point = _finite_point(problem, derived, symbols, rng)
        values = {s: point[s.name] for s in symbols if s.name in point and s not in problem.wrt}
        with np.errstate(all="ignore"):
            point.update({s.name: float(sp.sympify(c).xreplace(values)) for s, c in zip(problem.wrt,
                                                                                       problem.point or ())})
            x = np.array([point[s.name] for s in problem.wrt])
            if np.all(np.isfinite(x)) and np.all(np.isfinite(_function_of_wrt(problem, symbols, point)(x))) \
                    and np.all(np.isfinite(derived(**point))):
                return point
    raise ParameterError(f"no random values found where {problem.function} is finite at the expansion point")


def _comparisons(problem: ScalarDerivativeProblem, derived: Callable[..., Any], point: dict,
                 symbols: list, seed: int) -> list[Comparison]:
    f = _function_of_wrt(problem, symbols, point)
    names = [s.name for s in problem.wrt]
    x = np.array([point[name] for name in names])

    def at(vector: np.ndarray) -> Any:
        return derived(**dict(point, **dict(zip(names, vector))))

    return [Comparison(f"{problem.kind} at {point}", float(a), float(b), float(e))
            for a, b, e in _errors(problem, f, at, x, seed)]


def _errors(problem: ScalarDerivativeProblem, f: Callable, at: Callable, x: np.ndarray,
            seed: int) -> list[tuple[float, float, float]]:
    """(derived, numeric, error) of the derived result ``at`` against differences of the function ``f`` of the
    vector of wrt's values, at ``x`` (the expansion point for a Taylor polynomial)."""
    kind = problem.kind
    if kind in ("derivative", "gradient"):
        return list(gradient_errors(f, at, x, seed=seed))
    if kind == "hessian":
        return list(hessian_errors(f, at, x, seed=seed))
    if kind == "jacobian":
        return list(jacobian_errors(f, at, x, seed=seed))
    if kind == "laplacian":
        numeric, floor = second_difference_sum(f, x)
        value = float(at(x))
        return [(value, numeric, relative_error(value, numeric, max(floor, 1.0)))]
    if kind == "directional_derivative":
        direction = np.array([float(c) for c in problem.direction or ()])
        value, numeric = float(at(x)), float(directional_difference(f, x, direction))
        return [(value, numeric, relative_error(value, numeric, 1.0))]
    return [_taylor_order(problem, f, at, x, np.random.default_rng(seed))]


def _taylor_order(problem: ScalarDerivativeProblem, f: Callable, T: Callable, x: np.ndarray,
                  rng: np.random.Generator) -> tuple[float, float, float]:
    """(expected order, observed order of |f − T| as the point nears a, shortfall): the error must fall as
    h^(order+1) (measured between h = 0.02 and 0.01 along a random direction)."""
    a = x
    direction = rng.normal(size=a.shape)
    errors = [abs(float(f(a + h * direction)) - float(T(a + h * direction))) for h in (0.02, 0.01)]
    expected = problem.order + 1
    if errors[0] < 1e-13 * max(1.0, abs(float(f(a)))):  # exact to rounding: the function is that polynomial
        return float(expected), float(expected), 0.0
    observed = float(np.log2(errors[0] / max(errors[1], 1e-300)))
    return float(expected), observed, max(0.0, expected - 0.3 - observed)


def _verify_on_data(problem: ScalarDerivativeProblem, derived: Callable[..., Any], trials: int, seed: int,
                    tolerance: float) -> Verification:
    """Random data (5 to 12 observations) and scalars; the function summed over them by the same index-array
    evaluator, then compared as at a point (differenced, or a Taylor polynomial's error order measured); the
    expansion point may itself be a statistic of the data (x̄), evaluated on the arrays."""
    from symml.calculus.index_arrays import data_and_scalars, evaluate, random_data, with_sizes

    functions = list(problem.function) if isinstance(problem.function, tuple) else [problem.function]
    data, scalars, sizes = data_and_scalars(sp.Tuple(*functions, *(problem.point or ())))
    rng = np.random.default_rng(seed)
    names = [s.name for s in problem.wrt]
    comparisons: list[Comparison] = []
    for trial in range(trials):
        size, arrays = random_data(data, rng, sp.Tuple(*functions))
        point = _draw_point(scalars, rng)
        if problem.point:
            at_data = with_sizes(point, arrays, sizes)
            point.update({name: float(evaluate(sp.sympify(c), arrays, at_data)) for name, c in
                          zip(names, problem.point)})

        def f(vector: np.ndarray, point: dict = point, arrays: dict = arrays) -> Any:
            values = with_sizes({**point, **dict(zip(names, np.asarray(vector, dtype=float).reshape(-1)))}, arrays,
                                sizes)
            found = [float(evaluate(g, arrays, values)) for g in functions]
            return np.array(found) if isinstance(problem.function, tuple) else found[0]

        def at(vector: np.ndarray, point: dict = point, arrays: dict = arrays) -> Any:
            return derived(**arrays, **{**point, **dict(zip(names, vector))})

        x = np.array([point[name] for name in names])
        comparisons.extend(Comparison(f"{problem.kind} at n = {size}, {point}", float(a), float(b), float(e))
                           for a, b, e in _errors(problem, f, at, x, seed + trial))
    method = ("order of the error of the polynomial near the expansion point, on random data arrays"
              if problem.kind == "taylor" else
              "central finite differences of the function summed over random data arrays (symml.testing)")
    return Verification.from_comparisons(comparisons, method=method, seed=seed, tolerance=tolerance)


@verify.register(ScalarDerivativeProblem)
def _(problem: ScalarDerivativeProblem, derivation: Derivation, *, trials: int = 3, seed: int = 0,
      tolerance: float | None = None) -> Verification:
    derived = numpy_function(problem, derivation)
    if sp.Tuple(problem.function).has(sp.Indexed):
        return _verify_on_data(problem, derived, trials, seed,
                               _TOLERANCE[problem.kind] if tolerance is None else tolerance)
    symbols = _symbols(problem, derivation.result)
    rng = np.random.default_rng(seed)
    comparisons: list[Comparison] = []
    for trial in range(trials):
        point = _finite_point(problem, derived, symbols, rng) if problem.kind != "taylor" else \
            _expansion_point(problem, derived, symbols, rng)
        comparisons.extend(_comparisons(problem, derived, point, symbols, seed + trial))
    method = ("order of the error of the polynomial near the expansion point" if problem.kind == "taylor"
              else "central finite differences of the function at random points (symml.testing)")
    return Verification.from_comparisons(comparisons, method=method, seed=seed,
                                         tolerance=_TOLERANCE[problem.kind] if tolerance is None else tolerance)
