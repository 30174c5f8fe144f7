"""Expressions in index notation evaluated on NumPy arrays, one array axis per index.

``Σᵢ Σⱼ wⱼ³ Xᵢⱼ`` is evaluated as NumPy evaluates ``np.sum(w**3 * X)``: every subexpression is an array whose
axes are labelled by its free indices; products and sums broadcast over the labels, a ``Sum`` adds along its
index's axis, and ``KroneckerDelta(j, k)`` compares two index grids. The arrays are the IndexedBases' values
(``X[i, j]`` with i running from its sum's lower limit is row ``i - low`` of the array), so no Python loop runs
over entries and the cost is that of the array arithmetic. Unstable patterns are rewritten first
(:func:`~symml.calculus.stable_numpy.stable_form`: ``log(1 + eᵘ)`` as ``logaddexp(0, u)``).

>>> import numpy as np, sympy as sp
>>> i, j = sp.symbols("i j", integer=True)
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> w, X = sp.IndexedBase("w"), sp.IndexedBase("X")
>>> loss = sp.Sum(sp.log(1 + sp.Sum(sp.exp(w[j] * X[i, j]), (j, 1, d))), (i, 1, n))
>>> Xv, wv = np.ones((4, 3)), np.zeros(3)
>>> float(evaluate(loss, {"X": Xv, "w": wv}))  # 4 log(1 + 3)
5.545177444479562
"""
from __future__ import annotations

import functools

from typing import Any, Mapping

import numpy as np
import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from symml.calculus.stable_numpy import Where, stable_form
from symml.errors import DataError, ParameterError, ShapeError, UnsupportedOperationError
from symml.matrix_calculus.expressions import Sigmoid, Softplus

__all__ = ["evaluate", "index_ranges", "is_order_statistic", "base_shapes", "data_and_scalars", "with_sizes", "random_data"]

_Labelled = tuple[np.ndarray, tuple[sp.Symbol, ...]]


def _special(name: str) -> Any:
    """scipy.special's function of that name, imported on the first evaluation (SciPy loads then, not with symml)."""
    def apply(t: Any) -> Any:
        import scipy.special

        return getattr(scipy.special, name)(t)

    return apply


_FUNCTIONS: dict[Any, Any] = {
    sp.exp: np.exp, sp.log: np.log, log1p: np.log1p, expm1: np.expm1, Sigmoid: _special("expit"),
    Softplus: lambda t: np.logaddexp(0.0, t), sp.tanh: np.tanh, sp.sinh: np.sinh, sp.cosh: np.cosh,
    sp.sin: np.sin, sp.cos: np.cos, sp.tan: np.tan, sp.atan: np.arctan, sp.Abs: np.abs, sp.sign: np.sign,
    # the probit link and the scores of Gamma-type densities
    sp.erf: _special("erf"), sp.erfc: _special("erfc"), sp.gamma: _special("gamma"), sp.loggamma: _special("gammaln"),
}

_RELATIONS: dict[Any, Any] = {sp.StrictLessThan: np.less, sp.LessThan: np.less_equal,
                              sp.StrictGreaterThan: np.greater, sp.GreaterThan: np.greater_equal,
                              sp.Equality: np.equal, sp.Unequality: np.not_equal}


def is_order_statistic(node: sp.Basic) -> bool:
    """Whether the node is a min, max, median or (weighted) quantile over the indexed sample (symml.mle.statistics)."""
    from symml.mle.statistics import SampleOrderStatistic, SamplePenalisedMedian, SampleQuantile, \
        SampleWeightedQuantile

    return isinstance(node, (SampleOrderStatistic, SampleQuantile, SampleWeightedQuantile, SamplePenalisedMedian))


def _reduced(statistic: sp.Function, array: np.ndarray, axis: int) -> np.ndarray:
    """min, max, median or the τ-quantile (the ⌈τn⌉-th order statistic) along the statistic's index's axis."""
    from symml.mle.statistics import SampleMax, SampleMin, SampleQuantile

    if isinstance(statistic, SampleQuantile):
        return np.quantile(array, float(statistic.args[3]), axis=axis, method="inverted_cdf")
    if isinstance(statistic, (SampleMin, SampleMax)):
        return (np.min if isinstance(statistic, SampleMin) else np.max)(array, axis=axis)
    return np.median(array, axis=axis)


def _by_value(values: np.ndarray, weights: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(the values, their weights) along ``axis``, moved last, sorted by value: the entries of positive weight
    first, those of weight 0 after them as (+inf, 0) (their value may be ±inf or NaN)."""
    values, weights = np.moveaxis(values, axis, -1), np.moveaxis(weights, axis, -1)
    counted = weights > 0
    order = np.argsort(np.where(counted, values, np.inf), axis=-1)
    return (np.take_along_axis(np.where(counted, values, np.inf), order, axis=-1),
            np.take_along_axis(np.where(counted, weights, 0.0), order, axis=-1))


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, level: float, axis: int) -> np.ndarray:
    """The smallest value whose cumulative weight (values sorted, weight-0 entries dropped) reaches level times the
    total: a minimiser of Σᵢ wᵢ |q − vᵢ| for level 1/2. With no positive weight every q is optimal: 0."""
    ranked, ordered = _by_value(values, weights, axis)
    cumulative = np.cumsum(ordered, axis=-1)
    total = cumulative[..., -1:]
    reached = np.argmax(cumulative >= level * total * (1 - 1e-12), axis=-1)[..., None]
    return np.where(total[..., 0] > 0, np.take_along_axis(ranked, reached, axis=-1)[..., 0], 0.0)


def _penalised_median(values: np.ndarray, weights: np.ndarray, quadratic: float, linear: float,
                      axis: int) -> np.ndarray:
    """The minimiser of Σᵢ wᵢ |q − vᵢ| + a q² + b q (a ≥ 0). Its subgradient 2aq + b + W_< − W_> (+ [−W_=, W_=] at
    a point) is non-decreasing in q: at the first sorted point v whose right derivative 2av + b + 2C − W is ≥ 0
    (C the cumulative weight up to it, W the total), q̂ is v where the left derivative (C less v's weight) is ≤ 0,
    else the root −(b + 2C' − W)/(2a) of the piece before v; past the last point, −(b + W)/(2a). With a = 0 and no
    such point the objective is unbounded below: a DataError."""
    ranked, ordered = _by_value(values, weights, axis)
    ranked = np.concatenate([ranked, np.full(ranked.shape[:-1] + (1,), np.inf)], axis=-1)  # the piece past the last
    ordered = np.concatenate([ordered, np.zeros(ordered.shape[:-1] + (1,))], axis=-1)
    cumulative = np.cumsum(ordered, axis=-1)
    total = cumulative[..., -1:]
    # 2a·v, with the sentinel +inf above every point and a ratio overflowed to −inf (b/a at a subnormal a) below
    finite = np.isfinite(ranked)
    curve = np.where(finite, 2 * quadratic * np.where(finite, ranked, 0.0),
                     np.where(ranked > 0, np.inf, -np.inf if quadratic > 0 else 0.0))
    right = curve + linear + 2 * cumulative - total
    left = curve + linear + 2 * (cumulative - ordered) - total
    first = np.argmax(right >= 0, axis=-1)[..., None]
    at, before = np.take_along_axis(ranked, first, -1)[..., 0], np.take_along_axis(left, first, -1)[..., 0]
    if quadratic == 0:
        if np.any(before > 0):
            raise DataError("the objective is unbounded below for these data: the linear coefficient is at least "
                            "the total weight of the absolute deviations, so it decreases without end")
        return at
    slope = linear + 2 * np.take_along_axis(cumulative - ordered, first, -1)[..., 0] - total[..., 0]
    with np.errstate(invalid="ignore"):  # the root where the point is taken (inf − inf) is not used
        return np.where(before <= 0, at, -slope / (2 * quadratic))


def index_ranges(expr: sp.Expr) -> dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]:
    """{summation index: (lower, upper limit)} over every Sum of expr (one range per index name)."""
    ranges: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
    for node in sp.preorder_traversal(expr):
        limits = node.limits if isinstance(node, sp.Sum) else \
            [(node.args[1], sp.S.One, node.args[2])] if is_order_statistic(node) else []
        if limits:
            for index, low, high in limits:
                if ranges.setdefault(index, (low, high)) != (low, high):
                    raise ShapeError(f"the index {index} runs over two different ranges; give each sum its own "
                                     "index name")
    return ranges


def data_and_scalars(expr: Any, exclude: Any = ()) -> tuple[list[str], list[sp.Symbol], list[str]]:
    """(the data's names: IndexedBases; the scalar symbols other than ``exclude``; the sizes' names: the symbols of
    the sums' limits) of an expression in index notation, each sorted by name."""
    expr = sp.sympify(expr)
    data = sorted({str(entry.base.label) for entry in expr.atoms(sp.Indexed)})
    limits = [limit for node in sp.preorder_traversal(expr) if isinstance(node, sp.Sum) for limit in node.limits]
    indices = {index for index, _, _ in limits}
    sizes = sorted({s.name for _, low, high in limits for s in sp.sympify(low).free_symbols | sp.sympify(high).free_symbols})
    scalars = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in indices and s not in
                      set(exclude) and s.name not in sizes and s.name not in data), key=lambda s: s.name)
    return data, scalars, sizes


def with_sizes(numbers: Mapping[str, float], arrays: Mapping[str, np.ndarray], sizes: list[str]) -> dict[str, float]:
    """``numbers`` with each size (the n of the sums) set to the data's length, one length for all the data."""
    lengths = {len(np.atleast_1d(array)) for array in arrays.values()}
    if len(lengths) > 1:
        raise ParameterError(f"the data arrays have different lengths {sorted(lengths)}; they must have one")
    return {**numbers, **{name: float(length) for length in lengths for name in sizes}}


def random_data(names: list[str], rng: np.random.Generator, expr: Any = None) -> tuple[int, dict[str, np.ndarray]]:
    """A random sample size (5 to 12) and data of that length under each name, for verify(): standard normal, or
    uniform on (0.5, 2) where ``expr`` declares the data positive or nonnegative (``IndexedBase("t",
    positive=True)``: a rate's MLE Σδᵢ/Σtᵢ checked on negative times came out negative, and verify() failed)."""
    signed = {str(entry.base.label) for entry in sp.sympify(expr).atoms(sp.Indexed)
              if entry.is_positive or entry.is_nonnegative} if expr is not None else set()
    size = int(rng.integers(5, 13))
    return size, {name: rng.uniform(0.5, 2.0, size) if name in signed else rng.standard_normal(size)
                  for name in names}


def base_shapes(expr: sp.Expr, ranges: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]]) -> dict[str, tuple]:
    """{name of an IndexedBase: its shape, each axis the size high - low + 1 of the index used there}."""
    shapes: dict[str, tuple] = {}
    for node in expr.atoms(sp.Indexed):
        shape = []
        for index in node.indices:
            if index not in ranges:
                raise ShapeError(f"the index {index} of {node} is not summed over: give it a Sum range")
            low, high = ranges[index]
            shape.append(high - low + 1)
        if shapes.setdefault(str(node.base.label), tuple(shape)) != tuple(shape):
            raise ShapeError(f"{node.base} is used with two different shapes, {shapes[str(node.base.label)]} "
                             f"and {tuple(shape)}")
    return shapes


def _sizes(shapes: Mapping[str, tuple], arrays: Mapping[str, np.ndarray]) -> dict[sp.Symbol, sp.Integer]:
    """The values of the size symbols (n, d) read off the arrays' shapes (``size = high - low + 1``)."""
    sizes: dict[sp.Symbol, sp.Integer] = {}
    for name, shape in shapes.items():
        actual = np.shape(arrays[name])
        if len(actual) != len(shape):
            raise ShapeError(f"{name} must have {len(shape)} axes, got shape {actual}")
        for size, length in zip(shape, actual):
            size = sp.sympify(size).xreplace(sizes)
            if size.is_Integer:
                if int(size) != length:
                    raise ShapeError(f"an axis of {name} must have length {size}, got {length}")
                continue
            if isinstance(size, sp.Symbol) and length > 0:  # n itself (i = 1..n): no equation to solve per call
                sizes[size] = sp.Integer(length)
                continue
            unknown = sorted(size.free_symbols, key=str)
            if len(unknown) != 1:
                raise ShapeError(f"cannot read the size {size} of {name} from its shape")
            (value,) = sp.solve(sp.Eq(size, length), unknown[0]) or [None]
            if value is None or not value.is_Integer:
                raise ShapeError(f"cannot read the size {size} of {name} from its shape")
            sizes[unknown[0]] = sp.Integer(value)
    return sizes


class _Evaluator:
    def __init__(self, arrays: Mapping[str, np.ndarray], scalars: Mapping[str, float],
                 ranges: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]], sizes: Mapping[sp.Symbol, sp.Integer]) -> None:
        self.arrays = {name: np.asarray(value, dtype=float) for name, value in arrays.items()}
        self.scalars = scalars
        self.ranges = ranges
        self.sizes = dict(sizes)

    def _limit(self, value: sp.Expr) -> int:
        number = sp.sympify(value).xreplace(self.sizes)
        if not number.is_Integer:
            raise ShapeError(f"the summation limit {value} is not known from the arrays' shapes")
        return int(number)

    def _grid(self, index: sp.Symbol) -> np.ndarray:
        """The values the index takes, along its own axis."""
        low, high = self.ranges[index]
        return np.arange(self._limit(low), self._limit(high) + 1, dtype=float)

    def _weighted_points(self, summand: sp.Expr, index: sp.Symbol, weight: sp.Expr,
                         outside: list) -> tuple[np.ndarray, np.ndarray, int, tuple]:
        """The summand and weight along the index, with the points and weights outside the sum appended; the
        index's axis and the axes of the result."""
        with np.errstate(divide="ignore", invalid="ignore"):  # the summand where its weight is 0: b/a at a = 0
            parts = [self.value(summand), self.value(weight)]
        axes = _union(parts)
        axes = axes if index in axes else (*axes, index)
        values, weights = np.broadcast_arrays(*(_align(part, axes) for part in parts))
        axis = axes.index(index)
        if outside:
            shape = values.shape[:axis] + (1,) + values.shape[axis + 1:]
            values, weights = (np.concatenate([along, *(np.broadcast_to(self.value(e)[0], shape) for e in extra)],
                                              axis=axis) for along, extra in zip((values, weights), outside))
        return values, weights, axis, tuple(a for a in axes if a != index)

    def _weighted_quantile(self, expr: sp.Expr) -> _Labelled:
        summand, index, _, level, weight, *outside = expr.args
        values, weights, axis, axes = self._weighted_points(summand, index, weight, outside)
        return _weighted_quantile(values, weights, float(level), axis), axes

    def _penalised_median(self, expr: sp.Expr) -> _Labelled:
        summand, index, _, weight, quadratic, linear, *outside = expr.args
        values, weights, axis, axes = self._weighted_points(summand, index, weight, outside)
        a, b = (float(self.value(c)[0]) for c in (quadratic, linear))
        return _penalised_median(values, weights, a, b, axis), axes

    def value(self, expr: sp.Expr) -> _Labelled:
        if isinstance(expr, sp.Indexed):
            return self._indexed(expr)
        if expr.is_Number or expr is sp.pi or expr is sp.E:
            return np.asarray(float(expr)), ()
        if isinstance(expr, sp.Symbol):
            if expr in self.ranges:
                return self._grid(expr), (expr,)
            if expr.name in self.scalars:
                return np.asarray(float(self.scalars[expr.name])), ()
            raise ParameterError(f"no value given for {expr.name}")
        if isinstance(expr, sp.Sum):
            return self._sum(expr)
        if is_order_statistic(expr):  # x₍₁₎, the median, a (weighted) quantile over i = 1..n
            from symml.mle.statistics import SamplePenalisedMedian

            if isinstance(expr, SamplePenalisedMedian):
                return self._penalised_median(expr)
            if len(expr.args) > 4:  # weighted
                return self._weighted_quantile(expr)
            array, axes = self.value(expr.args[0])
            index = expr.args[1]
            if index not in axes:
                return array, axes
            return _reduced(expr, array, axes.index(index)), tuple(a for a in axes if a != index)
        if isinstance(expr, (sp.Add, sp.Mul)):
            parts = [self.value(arg) for arg in expr.args]
            axes = _union(parts)
            aligned = [_align(part, axes) for part in parts]
            combined = aligned[0]
            for item in aligned[1:]:
                combined = combined + item if isinstance(expr, sp.Add) else combined * item
            return combined, axes
        if isinstance(expr, sp.Pow):
            parts = [self.value(expr.base), self.value(expr.exp)]
            axes = _union(parts)
            base, exponent = (_align(part, axes) for part in parts)
            return np.power(base, exponent), axes
        if isinstance(expr, (sp.Max, sp.Min)):  # the shift of a sum of exponentials (stable_form)
            parts = [self.value(arg) for arg in expr.args]
            axes = _union(parts)
            extreme = np.maximum if isinstance(expr, sp.Max) else np.minimum
            return functools.reduce(extreme, [_align(part, axes) for part in parts]), axes
        if isinstance(expr, sp.KroneckerDelta):
            parts = [self.value(arg) for arg in expr.args]
            axes = _union(parts)
            left, right = (_align(part, axes) for part in parts)
            return (left == right).astype(float), axes
        if isinstance(expr, (Where, sp.Piecewise)):  # cases (hinge, Huber, Max): np.select over the conditions
            cases = [(expr.args[1], expr.args[0]), (expr.args[2], sp.true)] if isinstance(expr, Where) else \
                list(expr.args)
            evaluated = [(self.value(value), self._condition(condition)) for value, condition in cases]
            axes = _union([part for pair in evaluated for part in pair])
            values = [_align(value, axes) for value, _ in evaluated]
            conditions = [_align(condition, axes) for _, condition in evaluated]
            shape = np.broadcast_shapes(*(a.shape for a in values + conditions))
            return np.select([np.broadcast_to(c, shape) for c in conditions],
                             [np.broadcast_to(v, shape) for v in values], np.nan), axes
        function = _FUNCTIONS.get(expr.func)
        if function is None or len(expr.args) != 1:
            raise UnsupportedOperationError(f"no NumPy evaluation of {type(expr).__name__} in index notation")
        array, axes = self.value(expr.args[0])
        return function(array), axes

    def _condition(self, condition: sp.Basic) -> _Labelled:
        """A case's condition as a boolean array: relations compared entrywise, And/Or/Not combined."""
        if condition in (sp.true, sp.false):
            return np.asarray(condition == sp.true), ()
        if type(condition) in _RELATIONS:
            parts = [self.value(side) for side in condition.args]
            axes = _union(parts)
            return _RELATIONS[type(condition)](*(_align(part, axes) for part in parts)), axes
        if isinstance(condition, (sp.And, sp.Or)):
            parts = [self._condition(arg) for arg in condition.args]
            axes = _union(parts)
            combine = np.logical_and if isinstance(condition, sp.And) else np.logical_or
            return functools.reduce(combine, [_align(part, axes) for part in parts]), axes
        if isinstance(condition, sp.Not):
            inner, axes = self._condition(condition.args[0])
            return np.logical_not(inner), axes
        raise UnsupportedOperationError(f"no NumPy evaluation of the condition {condition} in index notation")

    def _indexed(self, expr: sp.Indexed) -> _Labelled:
        name = str(expr.base.label)
        if name not in self.arrays:
            raise ParameterError(f"no array given for {name}")
        array = self.arrays[name]
        if array.ndim != len(expr.indices):
            raise ShapeError(f"{name} is written with {len(expr.indices)} indices but has shape {array.shape}")
        if any(index not in self.ranges for index in expr.indices):
            raise UnsupportedOperationError(f"an index of {expr} is not a summation index (write X[i, j], not "
                                            "X[i, j + 1])")
        axes = tuple(dict.fromkeys(expr.indices))
        letters = {index: chr(ord("a") + n) for n, index in enumerate(axes)}
        # einsum takes the diagonal where an index repeats (X[i, i])
        spec = "".join(letters[i] for i in expr.indices) + "->" + "".join(letters[i] for i in axes)
        return np.einsum(spec, array), axes

    def _sum(self, expr: sp.Sum) -> _Labelled:
        array, axes = self.value(expr.function)
        for index, low, high in reversed(expr.limits):
            if index in axes:
                array = array.sum(axis=axes.index(index))
                axes = tuple(a for a in axes if a != index)
            else:  # a summand free of the index: counted once per term
                array = array * max(self._limit(high) - self._limit(low) + 1, 0)
        return array, axes


def _union(parts: list[_Labelled]) -> tuple[sp.Symbol, ...]:
    return tuple(dict.fromkeys(axis for _, axes in parts for axis in axes))


def _align(part: _Labelled, axes: tuple[sp.Symbol, ...]) -> np.ndarray:
    """The array with its axes in the order of ``axes``, length-1 axes for the indices it does not have."""
    array, own = part
    if not own:
        return array
    array = np.transpose(array, [own.index(a) for a in axes if a in own])
    return array.reshape([array.shape[[a for a in axes if a in own].index(a)] if a in own else 1 for a in axes])


def evaluate(expr: sp.Expr, arrays: Mapping[str, Any], scalars: Mapping[str, float] | None = None,
             free: tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...] = ()) -> np.ndarray:
    """The value of an index-notation expression on arrays (by IndexedBase name) and scalars (by name).

    ``free``: the expression's free indices as ``(index, low, high)``; the result has one axis per free index,
    in that order (a gradient entry ∂L/∂wₖ evaluated for every k is the gradient vector).
    """
    ranges = dict(index_ranges(expr))
    for index, low, high in free:
        ranges[index] = (low, high)
    shapes = base_shapes(expr, ranges)
    missing = sorted(set(shapes) - set(arrays))
    if missing:
        raise ParameterError(f"no array given for {', '.join(missing)}")
    evaluator = _Evaluator(arrays, scalars or {}, ranges, _sizes(shapes, arrays))
    with np.errstate(over="ignore", under="ignore"):
        array, axes = evaluator.value(stable_form(expr))
    order = tuple(index for index, _, _ in free)
    if set(axes) - set(order):
        raise ShapeError(f"the expression has free indices {sorted(map(str, set(axes) - set(order)))}")
    if not order:
        return array
    full = np.broadcast_to(_align((array, axes), order),
                           tuple(len(evaluator._grid(index)) for index in order))
    return np.array(full)
