"""numpy() of a maximum-likelihood derivation over draws of a vector with scalars (:mod:`symml.mle.joint_vectors`).

``verify()`` writes the log-likelihood out entry by entry at d = 2 and maximises it with scipy.optimize.

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

from symml.errors import DataError, ParameterError, ShapeError, UnsupportedOperationError
from symml.mle.joint_numeric import inside_support
from symml.matrix_calculus.numpy_export import numpy_function as exported
from symml.matrix_calculus.algebra import tidy
from symml.mle.joint_vectors import JointVectorMLEProblem, JointVectorSamplesProblem, SampleMean
from symml.derivation import Comparison, Verification
from symml.operations import numpy_function, verify
from symml.testing import random_spd

__all__ = ["vector_estimator"]


def _arrays(problem: JointVectorMLEProblem, values: dict) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
    """The sample's vector data as an (n, d) array (None for a sample of scalars alone) and its scalar data by name,
    checked."""
    x = problem.vector
    if x is None:
        scalars = _scalar_arrays(problem, values, None)
        if len({a.size for a in scalars.values()}) > 1:
            raise ShapeError(f"the variables {', '.join(scalars)} are observed together: their arrays must have one "
                             "length")
        return None, scalars
    if x.name not in values:
        raise ParameterError(f"missing the data {x.name} (an (n, d) array, one draw per row)")
    matrix = np.asarray(values[x.name], dtype=float)
    if matrix.ndim != 2:
        raise ShapeError(f"the data {x.name} must be an (n, d) array, one draw per row, not of shape {matrix.shape}")
    if isinstance(x.shape[0], (int, sp.Integer)) and matrix.shape[1] != int(x.shape[0]):
        raise ShapeError(f"the draws of {x.name} have {x.shape[0]} entries; the array has {matrix.shape[1]} columns")
    if not np.all(np.isfinite(matrix)):
        raise DataError(f"the data {x.name} holds a nan or an infinity")
    return matrix, _scalar_arrays(problem, values, matrix)


def _scalar_arrays(problem: JointVectorMLEProblem, values: dict, matrix: np.ndarray | None) -> dict[str, np.ndarray]:
    """Each scalar observation's array, checked (one value per row of ``matrix`` where there is one)."""
    scalars = {}
    for symbol, support in zip(problem.scalars, problem.supports):
        if symbol.name not in values:
            raise ParameterError(f"missing the data {symbol.name} (pass each observed variable's array by name)")
        array = np.asarray(values[symbol.name], dtype=float)
        if matrix is not None and array.shape != (matrix.shape[0],):
            x = problem.vector.name  # type: ignore[union-attr]
            raise ShapeError(f"{x} and {symbol.name} are observed together: {symbol.name} must be an array of "
                             f"one value per row of {x} ({matrix.shape[0]}), not of shape {array.shape}")
        if array.ndim != 1 or array.size == 0:
            raise ShapeError(f"the data {symbol.name} must be a non-empty one-dimensional array")
        if not np.all(np.isfinite(array)):
            raise DataError(f"the data {symbol.name} holds a nan or an infinity")
        outside = ~inside_support(array, support)
        if outside.any():
            raise DataError(f"the data {symbol.name} has {array[outside][0]!r} outside its support {support}")
        scalars[symbol.name] = array
    return scalars


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


def _evaluator(expr: Any, replacing: dict) -> Callable[[dict], Any]:
    """A closed form as a function of the means about each sample's centre (and known parameters)."""
    if isinstance(expr, sp.MatrixExpr) or any(isinstance(m, SampleMean) for m in expr.atoms(sp.MatrixSymbol)):
        expr = tidy(sp.expand(expr.xreplace(replacing).doit()))
    matrices = sorted(expr.atoms(sp.MatrixSymbol), key=lambda m: m.name)
    dimensions = {s for m in matrices for k in m.shape for s in sp.sympify(k).free_symbols}  # read off the arrays
    numbers = sorted(expr.free_symbols - set(matrices) - dimensions, key=lambda s: s.name)
    plain = {s: sp.Symbol(f"s{k}") for k, s in enumerate(numbers)}
    inputs = [sp.MatrixSymbol(f"M{k}", *m.shape) for k, m in enumerate(matrices)]
    renamed = expr.xreplace({**plain, **dict(zip(matrices, inputs))})
    if isinstance(renamed, sp.MatrixExpr) or inputs:  # a scalar through Scalar(.) and Trace(.) of matrices too
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


def _known_means(sample: JointVectorMLEProblem, means: list, centre: sp.MatrixSymbol | None,
                 values: dict) -> dict[sp.Basic, Any]:
    """One sample's means (about its centre, the mean of its vector data), its centre and its size."""
    matrix, scalars = _arrays(sample, values)
    if matrix is None:
        size = next(iter(scalars.values())).size
        known = _means(sample, [], np.zeros((size, 0)), scalars)
        known[sample.size] = float(size)
        return known
    middle = matrix.mean(axis=0)
    known = _means(sample, means, matrix - middle, scalars)
    known[centre] = middle[:, None]
    known[sample.size] = float(matrix.shape[0])
    return known


def vector_estimator(samples: tuple[JointVectorMLEProblem, ...], estimators: dict,
                     fixed: tuple) -> Callable[..., dict[str, Any]]:
    """``estimate(**data and known values by name)`` -> each estimate by name, over one sample or several; the
    known values are ``fixed`` and any other symbol of the estimates that is not a sample size, a sample mean or a
    dimension (a noise precision β left out of the Model's parameters)."""
    fixed = _known_symbols(samples, estimators, fixed)
    centres = [sp.MatrixSymbol(f"centre_{k}", *s.vector.shape) if s.vector is not None else None
               for k, s in enumerate(samples)]
    replacing: dict = {}
    means = []
    for sample, centre in zip(samples, centres):
        sample_replacing, sample_means = _about(sample, centre) if centre is not None else ({}, [])
        replacing.update(sample_replacing)
        means.append(sample_means)
    dimensions = {s.vector.shape[0]: s.vector.name for s in samples
                  if s.vector is not None and isinstance(s.vector.shape[0], sp.Symbol)}
    by_size: dict = {}

    def evaluators_at(values: dict) -> dict:
        """The evaluators with a dimension no matrix of an expression carries (n/(n + v) I: d only the identity's
        size, or a d log v) set to the data's, once per size."""
        sizes = tuple((d, np.shape(values[name])[-1] if np.ndim(values[name]) == 2 else 1)
                      for d, name in dimensions.items() if name in values)
        if sizes not in by_size:
            by_size[sizes] = {p: _evaluator(_sized(expr, dict(sizes)), replacing) for p, expr in estimators.items()}
        return by_size[sizes]

    def estimate(**values: Any) -> dict[str, Any]:
        evaluators = evaluators_at(values)
        known: dict = {}
        for sample, sample_means, centre in zip(samples, means, centres):
            known.update(_known_means(sample, sample_means, centre, values))
        missing = [p.name for p in fixed if p.name not in values]
        if missing:
            raise ParameterError(f"missing values for the known parameters {', '.join(missing)} (pass them by name)")
        known.update({p: np.asarray(values[p.name], dtype=float) if isinstance(p, sp.MatrixSymbol)
                      else float(values[p.name]) for p in fixed})
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


def _sized(expr: Any, sizes: dict) -> Any:
    """``expr`` with each dimension in ``sizes`` that none of its matrix symbols carries set to its number (an
    identity's size, a scalar d); a matrix symbol's shape is never rewritten (a sample mean is named by it)."""
    carried = {s for m in expr.atoms(sp.MatrixSymbol) for k in m.shape for s in sp.sympify(k).free_symbols}
    free = {d: sp.Integer(k) for d, k in sizes.items() if d not in carried and expr.has(d)}

    def rebuilt(node: Any) -> Any:
        if isinstance(node, sp.Identity):
            return sp.Identity(node.shape[0].xreplace(free))
        if isinstance(node, sp.MatrixSymbol) or not node.args:
            return free.get(node, node)
        return node.func(*(rebuilt(a) for a in node.args))

    return rebuilt(expr) if free else expr


def _known_symbols(samples: tuple[JointVectorMLEProblem, ...], estimators: dict, fixed: tuple) -> tuple:
    derived = {s.size for s in samples} | {m for s in samples for m in (*s.scalar_means, *s.matrix_means)}
    # the samples' vectors' dimensions too: a covariance (n/v + 1)⁻¹I holds d only as the identity's size, and a
    # log-density's −(d/2) log σ² makes d one of the model's symbols, read off the data's shape all the same
    dimensions = {s for sample in samples if sample.vector is not None for k in sample.vector.shape
                  for s in sp.sympify(k).free_symbols}
    found = dict.fromkeys(p for p in fixed if p not in dimensions)
    for expr in estimators.values():
        dimensions |= {s for m in expr.atoms(sp.MatrixSymbol) for k in m.shape for s in sp.sympify(k).free_symbols}
        found.update(dict.fromkeys(sorted(expr.free_symbols - derived - dimensions, key=lambda s: s.name)))
    return tuple(found)


@numpy_function.register(JointVectorMLEProblem)
def _numpy(problem: JointVectorMLEProblem, derivation: Any) -> Callable[..., Any]:
    return vector_estimator((problem,), problem.estimators, problem.fixed)


@numpy_function.register(JointVectorSamplesProblem)
def _numpy_samples(problem: JointVectorSamplesProblem, derivation: Any) -> Callable[..., Any]:
    return vector_estimator(problem.samples, problem.estimators, problem.fixed)


def _explicit(problem: Any, d: int) -> tuple[Callable[..., Any], dict]:
    """The log-density of one draw and the log prior (``problem``'s ``log_density`` and ``log_prior``: a sample's
    record, or the two given together) written out entry by entry at dimension ``d`` and
    lambdified (one function returning both), independent of the matrix-level derivation; the entry symbols of
    each matrix symbol alongside."""
    expr = sp.Tuple(problem.log_density, problem.log_prior)
    dimensions = {s: d for m in expr.atoms(sp.MatrixSymbol) for k in m.shape for s in sp.sympify(k).free_symbols}
    entries: dict = {}
    for matrix in sorted(expr.atoms(sp.MatrixSymbol), key=lambda m: m.name):
        rows, cols = (int(sp.sympify(k).xreplace(dimensions)) for k in matrix.shape)
        symbols = {(r, c): sp.Symbol(f"{matrix.name}_{min(r, c)}_{max(r, c)}" if matrix.T == matrix else
                                     f"{matrix.name}_{r}_{c}", real=True) for r in range(rows) for c in range(cols)}
        entries[matrix] = sp.ImmutableMatrix(rows, cols, lambda r, c: symbols[(r, c)])
    written = expr.xreplace(entries).xreplace(dimensions).doit()  # d itself too (−d log s / 2 of x ~ N(μ, sI))
    names = sorted({s for m in entries.values() for s in m.free_symbols} | (written.free_symbols - set().union(
        *(m.free_symbols for m in entries.values()))), key=lambda s: s.name)
    return sp.lambdify(names, written, ["scipy", "numpy"]), {"names": names, "entries": entries}


@verify.register(JointVectorMLEProblem)
def _verify(problem: JointVectorMLEProblem, derivation: Any, seed: int = 0, instances: int = 2,
            tolerance: float = 1e-4) -> Verification:
    """:func:`_verify_samples` of the one sample."""
    return _verify_samples((problem,), problem.wrt, problem.fixed, problem.log_prior, derivation, seed, instances,
                           tolerance)


@verify.register(JointVectorSamplesProblem)
def _verify_several(problem: JointVectorSamplesProblem, derivation: Any, seed: int = 0, instances: int = 2,
                    tolerance: float = 1e-4) -> Verification:
    """:func:`_verify_samples` of the independent samples, their log-likelihoods added."""
    return _verify_samples(problem.samples, problem.wrt, problem.fixed, problem.log_prior, derivation, seed,
                           instances, tolerance)


def _verify_samples(samples: tuple[JointVectorMLEProblem, ...], wrt: tuple, fixed: tuple, log_prior: Any,
                    derivation: Any, seed: int, instances: int, tolerance: float) -> Verification:
    """Random data for each sample (every value of a finite support present), the log-likelihood written out entry
    by entry at d = 2 (or the model's own d), each sample's summed over its draws and the samples' added with the
    log prior, maximised by scipy.optimize (Nelder-Mead then BFGS; a symmetric matrix through its Cholesky factor,
    a positive scalar through its log) from a fixed start; compared with ``numpy()``."""
    from types import SimpleNamespace

    from scipy.optimize import minimize

    vectors = [sample.vector for sample in samples if sample.vector is not None]
    if not vectors:  # a record of a sample of scalars alone is never a derivation's own problem
        raise UnsupportedOperationError("verify() of a joint model needs the sample of a vector")
    d = int(vectors[0].shape[0]) if sp.sympify(vectors[0].shape[0]).is_number else 2
    written = [_explicit(SimpleNamespace(log_density=sample.log_density, log_prior=log_prior if k == 0 else sp.S.Zero),
                         d) for k, sample in enumerate(samples)]
    entries = {m: e for _, layout in written for m, e in layout["entries"].items()}
    rng = np.random.default_rng(seed)
    estimate = derivation.numpy()
    comparisons = []
    for instance in range(instances):
        n = 40
        data = {}
        for sample in samples:
            for symbol, support in zip(sample.scalars, sample.supports):
                values = [float(v) for v in support] if isinstance(support, sp.FiniteSet) else None
                data[symbol.name] = rng.permutation(np.concatenate([values, rng.choice(values, n - len(values))])) \
                    if values else rng.standard_normal(n)
            if sample.vector is not None:
                shift = sum(data[symbol.name] for symbol in sample.scalars) if sample.scalars else np.zeros(n)
                # correlated features: rows with the covariance of a random positive-definite matrix
                data[sample.vector.name] = rng.standard_normal((n, d)) @ np.linalg.cholesky(random_spd(rng, d)).T \
                    + 2.0 * np.asarray(shift)[:, None]
        known = {p.name: (random_spd(rng, d) if isinstance(p, sp.MatrixSymbol) and p.T == p and p.shape[1] != 1
                          else rng.standard_normal(entries[p].shape) if isinstance(p, sp.MatrixSymbol)
                          else rng.uniform(1.5, 3.0) if p.is_positive else rng.standard_normal())
                 for p in fixed}

        def unpack(theta: np.ndarray) -> dict:
            values, k = {}, 0
            for p in wrt:
                if isinstance(p, sp.MatrixSymbol) and p.T == p and entries[p].shape[1] != 1:
                    size = entries[p].shape[0]
                    factor = np.zeros((size, size))
                    rows, cols = np.tril_indices(size)
                    factor[rows, cols] = theta[k:k + rows.size]
                    factor[np.diag_indices(size)] = np.exp(np.diag(factor))
                    values[p.name], k = factor @ factor.T, k + rows.size
                elif isinstance(p, sp.MatrixSymbol):
                    size = int(np.prod(entries[p].shape))
                    values[p.name], k = theta[k:k + size].reshape(entries[p].shape), k + size
                else:
                    values[p.name], k = (np.exp(theta[k]) if p.is_positive else theta[k]), k + 1
            return values

        def arguments(sample: JointVectorMLEProblem, names: list, values: dict) -> list:
            numbers = {**values, **known}
            found = []
            for name in names:
                matrix, r, c = _entry_of(name, entries)
                if matrix is not None and matrix == sample.vector:
                    found.append(data[matrix.name][:, r])
                elif matrix is not None:
                    found.append(np.asarray(numbers[matrix.name])[r, c])
                else:
                    found.append(data[name.name] if name.name in data else numbers[name.name])
            return found

        def negative(theta: np.ndarray) -> float:
            values = unpack(theta)
            total = 0.0
            with np.errstate(all="ignore"):
                for sample, (function, layout) in zip(samples, written):
                    per_draw, prior = function(*arguments(sample, layout["names"], values))
                    total += float(np.sum(np.broadcast_to(per_draw, (n,))) + prior)
            return min(-total, 1e300) if np.isfinite(total) else 1e300

        start = np.concatenate([np.zeros(entries[p].shape[0] * (entries[p].shape[0] + 1) // 2)
                                if isinstance(p, sp.MatrixSymbol) and p.T == p and entries[p].shape[1] != 1
                                else np.zeros(int(np.prod(entries[p].shape))) if isinstance(p, sp.MatrixSymbol)
                                else [np.log(0.5) if p.is_positive else 0.0] for p in wrt])
        found = minimize(negative, start, method="Nelder-Mead",
                         options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000, "maxfev": 40000})
        found = minimize(negative, found.x, method="BFGS", options={"gtol": 1e-9})
        best = unpack(found.x)
        derived = estimate(**data, **known)
        for p in wrt:
            mine, theirs = np.ravel(derived[p.name]), np.ravel(best[p.name])
            scale = max(1.0, float(np.max(np.abs(theirs))))
            comparisons.append(Comparison(f"{p.name} (instance {instance + 1})", float(mine[0]), float(theirs[0]),
                                          float(np.max(np.abs(mine - theirs))) / scale))
    return Verification.from_comparisons(
        comparisons, method=f"scipy.optimize.minimize (Nelder-Mead, then BFGS) of the log-likelihood written entry by "
        f"entry at d = {d}, a symmetric matrix through its Cholesky factor, on random data"
        + (f" ({len(samples)} independent samples of {n} draws, their log-likelihoods added)" if len(samples) > 1
           else ""), tolerance=tolerance, seed=seed)


def _entry_of(symbol: sp.Symbol, entries: dict) -> tuple[Any, int, int]:
    """(matrix, row, column) of an entry symbol; (None, 0, 0) for a scalar."""
    for matrix, written in entries.items():
        for r in range(written.shape[0]):
            for c in range(written.shape[1]):
                if written[r, c] == symbol:
                    return matrix, r, c
    return None, 0, 0
