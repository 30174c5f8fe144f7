"""verify() for matrix derivatives: central finite differences at random shapes and values, some ill-scaled.

Each trial draws the dimensions (2 to 5), draws every input (normal entries; symmetric positive-definite
for symmetric matrices, I + noise for other square matrices so that inverses and log-determinants exist;
positive entries when the function is not finite otherwise), scales some inputs by 10^±1.5, and compares the
derived result, evaluated by its NumPy export, with finite differences of the *function* (never of the
result): ⟨∇L, V⟩ with d/dt L(W + tV), uᵀHv with the mixed second difference, J vec V with d/dt vec f,
the Laplacian with the sum of second differences along the axes. The worst relative error decides.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Verification, relative_error
from symml.matrix_calculus.dag import atoms_of
from symml.matrix_calculus.expressions import Det, LogDet
from symml.matrix_calculus.numpy_export import numpy_function
from symml.matrix_calculus.problem import MatrixDerivativeProblem, inputs_of, scalar_inputs_of
from symml.operations import verify
from symml.testing import (
    directional_difference,
    gradient_errors,
    hessian_errors,
    jacobian_errors,
    random_matrix,
    second_difference_sum,
)

__all__ = ["sample_inputs"]

_TOLERANCE = {"gradient": 1e-6, "jacobian": 1e-6, "directional_derivative": 1e-6, "hessian": 1e-4, "laplacian": 1e-4}


def sample_inputs(inputs: list, parameters: list, rng: np.random.Generator, *, positive: bool = False,
                  ill_scaled: bool = False) -> tuple[dict, dict]:
    """Random values for matrix symbols and scalar parameters at random dimensions: (arrays by name, dims)."""
    dims: dict = {}
    for symbol in inputs:
        for dim in symbol.shape:
            for free in dim.free_symbols:
                dims.setdefault(free, int(rng.integers(2, 6)))
    values: dict[str, np.ndarray | float] = {}
    for symbol in inputs:
        shape = tuple(int(sp.sympify(dim).subs(dims)) for dim in symbol.shape)
        value = random_matrix(symbol, shape, rng, positive=positive)
        if ill_scaled:
            value = value * 10 ** rng.uniform(-1.5, 1.5)
        values[symbol.name] = value
    for parameter in parameters:
        values[parameter.name] = int(rng.integers(2, 6)) if parameter.is_integer else float(rng.uniform(0.5, 2.0))
    return values, dims


def _finite(value: Any) -> bool:
    return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))


def _invertible(inverted: list[Callable[..., Any]], values: dict) -> bool:
    """Whether every matrix under an inverse, det or log det is well conditioned at the values: XᵀAX drawn with
    more columns than rows is singular, and log det of it came out finite (rounding), so finite differences
    of noise were compared with the formula."""
    return all(np.linalg.cond(np.asarray(f(**values), dtype=float)) < 1e10 for f in inverted)


def _trial_values(function: Callable[..., Any], inputs: list, parameters: list, rng: np.random.Generator,
                  ill_scaled: bool, inverted: list[Callable[..., Any]], unknown: str) -> tuple[dict, dict]:
    """Inputs at which the function is finite and its inverted matrices invertible: plain normal draws first,
    then positive ones (logs, roots); other sizes where a draw is singular; last, positive draws with the unknown
    near 0 (a log barrier −Σ log(b − Ax) is finite only where Ax < b: near x = 0 for positive b)."""
    for positive, shrink in ((False, 1), (True, 1), (True, 1), (False, 1), (True, 1), (False, 1), (True, 1),
                             (True, 1e-2), (True, 1e-2), (True, 1e-2)):
        values, dims = sample_inputs(inputs, parameters, rng, positive=positive, ill_scaled=ill_scaled)
        if unknown in values:
            values[unknown] = values[unknown] * shrink
        try:
            with np.errstate(all="ignore"):
                if _finite(function(**values)) and _invertible(inverted, values):
                    return values, dims
        except np.linalg.LinAlgError:
            continue
    return values, dims


def _along(function: Callable[..., Any], values: dict, name: str) -> Callable[[np.ndarray], Any]:
    """The function of one input, the others held at their values."""
    return lambda x: function(**{**values, name: x})


def _comparisons(problem: MatrixDerivativeProblem, derived: Callable[..., Any], function: Callable[..., Any],
                 values: dict, seed: int) -> list[tuple[str, float, float, float]]:
    name = problem.wrt.name
    point = values[name]
    f = _along(function, values, name)
    kind = problem.kind
    if kind == "gradient":
        found = gradient_errors(f, _along(derived, values, name), point, seed=seed, symmetric=problem.symmetric)
        return [("⟨∇L, V⟩", *c) for c in found]
    if kind == "hessian":
        found = hessian_errors(f, _along(derived, values, name), point, seed=seed, symmetric=problem.symmetric)
        return [("uᵀ H v", *c) for c in found]
    if kind == "jacobian" and isinstance(problem.wrt, sp.Symbol):  # ∂f/∂t has the shape of f
        numeric = np.asarray(directional_difference(f, np.asarray(point, dtype=float), np.asarray(1.0)), dtype=float)
        value = np.asarray(derived(**values), dtype=float).reshape(numeric.shape)
        scale = max(float(np.linalg.norm(numeric)), float(np.linalg.norm(value)), 1e-300)
        return [("‖∂f/∂t‖", float(np.linalg.norm(value)), float(np.linalg.norm(numeric)),
                 float(np.linalg.norm(value - numeric)) / scale)]
    if kind == "jacobian":
        return [("‖J vec V‖", *c) for c in jacobian_errors(f, _along(derived, values, name), point, seed=seed)]
    if kind == "laplacian":
        laplacian_numeric, floor = second_difference_sum(f, point)
        laplacian = float(derived(**values))
        return [("tr ∇²L", laplacian, laplacian_numeric, relative_error(laplacian, laplacian_numeric, floor))]
    direction = values[problem.direction.name]
    numeric = np.asarray(directional_difference(f, point, direction), dtype=float)
    value = np.asarray(derived(**values), dtype=float).reshape(numeric.shape)
    scale = max(float(np.linalg.norm(numeric)), float(np.linalg.norm(value)), 1e-300)
    return [("D_V f", float(np.linalg.norm(value)), float(np.linalg.norm(numeric)),
             float(np.linalg.norm(value - numeric)) / scale)]


@verify.register(MatrixDerivativeProblem)
def _(problem: MatrixDerivativeProblem, derivation: Derivation, *, trials: int = 4, seed: int = 0,
      tolerance: float | None = None) -> Verification:
    """Check the derived result against finite differences of the function at random shapes and values."""
    rng = np.random.default_rng(seed)
    result = derivation.result
    inputs = inputs_of(problem, result)
    parameters = scalar_inputs_of(problem, result)
    derived = numpy_function(result, inputs, parameters=parameters)
    function = numpy_function(problem.function, inputs, parameters=parameters)
    inverted = [numpy_function(node.args[0], inputs, parameters=parameters)
                for node in atoms_of(problem.function, sp.Inverse, sp.Determinant, Det, LogDet)]
    comparisons = []
    for trial in range(trials):
        ill_scaled = trial % 2 == 1
        values, dims = _trial_values(function, inputs, parameters, rng, ill_scaled, inverted, problem.wrt.name)
        sizes = ", ".join(f"{k}={v}" for k, v in sorted(dims.items(), key=lambda kv: kv[0].name))
        with np.errstate(all="ignore"):
            found = _comparisons(problem, derived, function, values, seed + trial)
        for quantity, value, numeric, error in found:
            label = f"{quantity} ({sizes or 'fixed sizes'}{', ill-scaled' if ill_scaled else ''})"
            comparisons.append(Comparison(label, value, numeric, error))
    return Verification.from_comparisons(
        comparisons,
        method="central finite differences (4th order) of the function along random directions, at random "
               "shapes and values",
        tolerance=tolerance if tolerance is not None else _TOLERANCE[problem.kind],
        seed=seed,
        details=(("trials", str(trials)), ("kind", problem.kind)),
    )
