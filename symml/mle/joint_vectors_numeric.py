"""numpy() of a maximum-likelihood derivation over draws of a vector with scalars (:mod:`symml.mle.joint_vectors`).

``numpy()`` returns ``estimate(x=X, y=labels, ...)``: the vector observations as an (n, d) array (one draw per
row), each scalar observation as an (n,) array, known parameters by name. Each sample mean is one reduction of
the data (``X.T @ (g * X) / n`` for the outer products), then each closed form is evaluated at matrix level by
symml's NumPy export (inverses applied with ``np.linalg.solve``). Vectors come back 1-D, matrices 2-D, scalars as
floats. A closed form that is not finite on the data (a class with no observations) is a DataError.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.errors import DataError, ParameterError, ShapeError
from symml.mle.joint_numeric import inside_support
from symml.matrix_calculus.numpy_export import numpy_function as exported
from symml.matrix_calculus.algebra import tidy
from symml.mle.joint_vectors import JointVectorMLEProblem, SampleMean
from symml.operations import numpy_function

__all__: list[str] = []


def _arrays(problem: JointVectorMLEProblem, values: dict) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    x = problem.vector
    if x.name not in values:
        raise ParameterError(f"missing the data {x.name} (an (n, d) array, one draw per row)")
    matrix = np.asarray(values[x.name], dtype=float)
    if matrix.ndim != 2:
        raise ShapeError(f"the data {x.name} must be an (n, d) array, one draw per row, not of shape {matrix.shape}")
    if isinstance(x.shape[0], (int, sp.Integer)) and matrix.shape[1] != int(x.shape[0]):
        raise ShapeError(f"the draws of {x.name} have {x.shape[0]} entries; the array has {matrix.shape[1]} columns")
    if not np.all(np.isfinite(matrix)):
        raise DataError(f"the data {x.name} holds a nan or an infinity")
    scalars = {}
    for symbol, support in zip(problem.scalars, problem.supports):
        if symbol.name not in values:
            raise ParameterError(f"missing the data {symbol.name} (pass each observed variable's array by name)")
        array = np.asarray(values[symbol.name], dtype=float)
        if array.shape != (matrix.shape[0],):
            raise ShapeError(f"{x.name} and {symbol.name} are observed together: {symbol.name} must be an array of "
                             f"one value per row of {x.name} ({matrix.shape[0]}), not of shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise DataError(f"the data {symbol.name} holds a nan or an infinity")
        outside = ~inside_support(array, support)
        if outside.any():
            raise DataError(f"the data {symbol.name} has {array[outside][0]!r} outside its support {support}")
        scalars[symbol.name] = array
    return matrix, scalars


def _weights(problem: JointVectorMLEProblem, weight: sp.Expr, scalars: dict, size: int) -> np.ndarray:
    function = sp.lambdify(list(problem.scalars), weight, "numpy")
    return np.broadcast_to(np.asarray(function(*(scalars[s.name] for s in problem.scalars)), dtype=float), (size,))


def _means(problem: JointVectorMLEProblem, means: list, matrix: np.ndarray, scalars: dict) -> dict[sp.Basic, Any]:
    size = matrix.shape[0]
    found: dict[sp.Basic, Any] = {}
    for statistic in problem.scalar_means:
        found[statistic] = float(np.mean(_weights(problem, statistic.summand, scalars, size)))
    for mean in means:
        w = _weights(problem, mean.weight, scalars, size)
        with np.errstate(over="ignore"):  # an overflow is an infinite estimate, a DataError below
            found[mean] = matrix.T @ (w[:, None] * matrix) / size if mean.outer else (w @ matrix / size)[:, None]
    return found


def _scalar_mean(problem: JointVectorMLEProblem, weight: sp.Expr) -> sp.Expr:
    """mean(g) through the problem's scalar means, by linearity (as the derivation wrote it)."""
    by_summand = {s.summand: s for s in problem.scalar_means}
    terms = (term.as_independent(*problem.scalars, as_Add=False) for term in sp.Add.make_args(sp.expand(weight)))
    return sp.Add(*(coefficient * (1 if data == 1 else by_summand[data]) for coefficient, data in terms))


def _about(problem: JointVectorMLEProblem, centre: sp.MatrixSymbol) -> tuple[dict, list]:
    """The means of the data as means about the point c, an exact identity: mean(g x) = mean(g (x − c)) + ḡ c,
    mean(g x xᵀ) = mean(g (x − c)(x − c)ᵀ) + mean(g (x − c)) cᵀ + c mean(g (x − c))ᵀ + ḡ c cᵀ. Substituted in a
    closed form and simplified at matrix level, c cancels where the estimate does not move with the data (GDA's
    pooled covariance) and is added back where it does (its class means): the raw moments of data far from 0
    lost every digit of the covariance (relative error 0.79 at an offset of 1e8)."""
    x = problem.vector
    means = list(problem.matrix_means)
    replacing = {}
    for mean in problem.matrix_means:
        shift = _scalar_mean(problem, mean.weight)
        if mean.outer:
            first = SampleMean.of(mean.weight, x)
            means += [first] if first not in means else []
            replacing[mean] = mean + first * centre.T + centre * first.T + shift * centre * centre.T
        else:
            replacing[mean] = mean + shift * centre
    return replacing, means


def _evaluator(problem: JointVectorMLEProblem, parameter: Any, centre: sp.MatrixSymbol,
               replacing: dict) -> Callable[[dict], Any]:
    """The closed form of ``parameter`` as a function of the means about ``centre`` (and known parameters)."""
    expr = problem.estimators[parameter]
    if isinstance(expr, sp.MatrixExpr) or any(isinstance(m, SampleMean) for m in expr.atoms(sp.MatrixSymbol)):
        expr = tidy(sp.expand(expr.xreplace(replacing).doit()))
    matrices = sorted((m for m in expr.atoms(sp.MatrixSymbol) if m is not problem.vector), key=lambda m: m.name)
    numbers = sorted(expr.free_symbols - set(matrices), key=lambda s: s.name)
    plain = {s: sp.Symbol(f"s{k}") for k, s in enumerate(numbers)}
    inputs = [sp.MatrixSymbol(f"M{k}", *m.shape) for k, m in enumerate(matrices)]
    renamed = expr.xreplace({**plain, **dict(zip(matrices, inputs))})
    if isinstance(renamed, sp.MatrixExpr):
        function = exported(renamed, inputs, parameters=list(plain.values()))
    else:
        lambdified = sp.lambdify(list(plain.values()), renamed, "numpy")

        def function(**kwargs: Any) -> float:
            return float(lambdified(*(kwargs[s.name] for s in plain.values())))

    def evaluate(known: dict) -> Any:
        arguments = {p.name: known[s] for s, p in plain.items()}
        arguments.update({i.name: known[m] for m, i in zip(matrices, inputs)})
        with np.errstate(all="ignore"):
            try:
                return function(**arguments)
            except ZeroDivisionError:  # the export's scalars are Python floats: 1/0 raises where NumPy gives inf
                return np.inf

    return evaluate


@numpy_function.register(JointVectorMLEProblem)
def _numpy(problem: JointVectorMLEProblem, derivation: Any) -> Callable[..., Any]:
    centre = sp.MatrixSymbol("centre", *problem.vector.shape)
    replacing, means = _about(problem, centre)
    evaluators = {p: _evaluator(problem, p, centre, replacing) for p in problem.estimators}

    def estimate(**values: Any) -> dict[str, Any]:
        matrix, scalars = _arrays(problem, values)
        missing = [p.name for p in problem.fixed if p.name not in values]
        if missing:
            raise ParameterError(f"missing values for the known parameters {', '.join(missing)} (pass them by name)")
        middle = matrix.mean(axis=0)
        known = _means(problem, means, matrix - middle, scalars)
        known[centre] = middle[:, None]
        known[problem.size] = float(matrix.shape[0])
        known.update({p: np.asarray(values[p.name], dtype=float) if isinstance(p, sp.MatrixSymbol)
                      else float(values[p.name]) for p in problem.fixed})
        found = {}
        for parameter, evaluate in evaluators.items():
            value = evaluate(known)
            value = np.asarray(value, dtype=float)
            if not np.all(np.isfinite(value)):
                raise DataError(f"the estimate of {parameter} is not finite on these data: a class or category with "
                                "no observations, or data too large to square")
            found[parameter.name] = float(value) if value.ndim == 0 else (value.ravel() if value.shape[-1:] == (1,)
                                                                          and value.ndim == 2 else value)
        return found

    return estimate
