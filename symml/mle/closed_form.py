"""A closed-form MLE estimator compiled for a thin call path (:class:`ClosedFormEstimator`).

Everything that does not depend on the sample is decided once, when ``numpy()`` is called: the slot of each
symbol in a flat list of values (no dictionaries keyed by SymPy symbols per call), the support's bounds as
lambdified functions of the fixed parameters, the fixed parameters' admissible values, which reductions of the
sample its checks need and which statistics reuse them. A call then makes one pass over the sample per
reduction and evaluates the lambdified estimators on the few numbers that come out.

The call is optimistic: it returns only when every check is certified by what it computed (a finite sum, or a
finite minimum and maximum, shows every observation finite; the minimum and maximum against the support's
bounds; each estimate inside its parameter space). Anything else (a non-finite sample, an observation outside the
support, a support that is not an interval of numbers or of integers, a sample that is not a float or integer
array, a bad fixed value, an estimate on the edge) is handed to the plain estimator, which checks everything
again the general way and raises the error that explains it, so both paths give the same answers and errors.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.mle.power_statistics import PowerReducer, power_statistics
from symml.mle.problem import MLEProblem
from symml.mle.sample_function import SampleFunction
from symml.mle.statistic_plan import StatisticPlan

__all__ = ["ClosedFormEstimator"]

_FLOAT = np.dtype(float)
_REDUCE: dict[str, Callable[[np.ndarray], Any]] = {"sum": np.add.reduce, "min": np.minimum.reduce,
                                                     "max": np.maximum.reduce}


class _Bound:
    """One end of an interval support: a number, a function of the fixed parameters, or unchecked (None)."""

    def __init__(self, end: sp.Expr, fixed: tuple[sp.Symbol, ...], slots: dict[sp.Symbol, int]):
        self.constant: float | None = None
        self.function: SampleFunction | None = None
        self.slots: tuple[int, ...] = ()
        if end.is_number:
            self.constant = float(end) if end.is_finite else None
        elif end.free_symbols <= set(fixed):
            self.function = SampleFunction.of(end, scalar=True)
            self.slots = tuple(slots[a] for a in self.function.arguments)

    @property
    def checked(self) -> bool:
        return self.constant is not None or self.function is not None

    def value(self, registers: list) -> float:
        if self.function is None:
            return self.constant  # type: ignore[return-value]
        return float(self.function.function(*[registers[i] for i in self.slots]))


def _interval_support(support: sp.Set) -> tuple[sp.Interval, bool] | None:
    """The support as an interval and whether it holds integers only; None when it is neither an interval nor
    integers in an interval (then the plain check of the support runs)."""
    naturals = {type(sp.S.Naturals): sp.Interval(1, sp.oo), type(sp.S.Naturals0): sp.Interval(0, sp.oo),
                type(sp.S.Integers): sp.Interval(-sp.oo, sp.oo)}
    if isinstance(support, sp.Interval):
        return support, False
    if type(support) in naturals:
        return naturals[type(support)], True
    if isinstance(support, sp.FiniteSet) and all(e.is_integer for e in support):
        low, high = min(support), max(support)
        return (sp.Interval(low, high), True) if len(support) == high - low + 1 else None
    if isinstance(support, sp.Intersection) and len(support.args) == 2:
        interval = [a for a in support.args if isinstance(a, sp.Interval)]
        integers = [a for a in support.args if type(a) in naturals]
        if interval and integers:
            inner, whole = interval[0], naturals[type(integers[0])]
            return sp.Interval(sp.Max(inner.inf, whole.inf), sp.Min(inner.sup, whole.sup), inner.left_open,
                               inner.right_open), True
    return None


class ClosedFormEstimator:
    """``est(x, **fixed) -> {parameter name: estimate}`` for a problem whose estimated parameters all have closed
    forms; ``plain`` is the general estimator it hands every case it cannot certify to."""

    def __init__(self, problem: MLEProblem, plain: Callable[..., dict[str, float]]):
        self.plain = plain
        self.names = [str(p) for p in problem.wrt]
        scaled = power_statistics(problem)
        self.plan = StatisticPlan(problem, scaled=scaled)
        in_scaled = {symbol: scale ** statistic.summand.as_base_exp()[1] * symbol
                     for symbol, (statistic, scale, _) in scaled.items()}
        formulas = [SampleFunction.of(sp.sympify(problem.estimators[p]).xreplace(in_scaled), scalar=True)
                    for p in problem.wrt]
        symbols = [*problem.fixed, problem.sample_size, *(r.symbol for r in self.plan.reducers),
                   *(r.scale for r in self.plan.reducers if isinstance(r, PowerReducer))]
        self.slots = {s: k for k, s in enumerate(symbols)}
        self.size = len(symbols)
        self.n_slot = self.slots[problem.sample_size]
        # (name, positive, non-negative, integer) of each fixed parameter: the checks of parameter_value
        self.fixed = [(str(p), bool(p.is_positive), bool(p.is_nonnegative), bool(p.is_integer)) for p in problem.fixed]
        self.fixed_names = frozenset(name for name, *_ in self.fixed)
        self.reducers = [(r, self.slots[r.symbol], tuple(self.slots[a] for a in r.arguments()),
                          self.slots[r.scale] if isinstance(r, PowerReducer) else None) for r in self.plan.reducers]
        self.formulas = [(f.function, tuple(self.slots[a] for a in f.arguments)) for f in formulas]
        self.space = [(bool(p.is_positive), bool(p.is_nonnegative)) for p in problem.wrt]
        plain_reductions = {r.reduction for r in self.plan.reducers
                            if not isinstance(r, PowerReducer) and r.summand is None}
        interval = _interval_support(problem.support)
        self.support_known = interval is not None
        self.integers = bool(interval and interval[1])
        low, high = (interval[0].inf, interval[0].sup) if interval else (sp.S.NegativeInfinity, sp.S.Infinity)
        self.low, self.high = _Bound(low, problem.fixed, self.slots), _Bound(high, problem.fixed, self.slots)
        self.low_open = bool(interval and interval[0].left_open)
        self.high_open = bool(interval and interval[0].right_open)
        # What the sample is reduced to before the statistics: a finite sum, or a finite min and max, shows every
        # observation finite; min and max also check the support's bounds. Statistics of x itself reuse them.
        by_range = bool(plain_reductions & {"min", "max"}) and not plain_reductions & {"sum", "mean"}
        self.first = ["min", "max"] if by_range else ["sum"]
        self.first += [r for r in ("min", "max") if r not in self.first and
                       (self.low.checked if r == "min" else self.high.checked)]

    def __call__(self, x: Any, **fixed: Any) -> dict[str, float]:
        sample = x
        if not (type(x) is np.ndarray and x.ndim == 1 and x.size and (x.dtype == _FLOAT or x.dtype.kind in "iu")
                and self.support_known and (not self.integers or x.dtype.kind in "iu")):
            return self.plain(x, **fixed)
        registers: list = [None] * self.size
        if len(fixed) != len(self.fixed) or not self.fixed_names.issuperset(fixed):
            return self.plain(x, **fixed)
        for k, (name, positive, nonnegative, integer) in enumerate(self.fixed):
            value = fixed[name]
            number = float(value) if type(value) in (float, int) else math.nan
            if not (math.isfinite(number) and (number > 0 or not positive) and (number >= 0 or not nonnegative)):
                return self.plain(x, **fixed)
            if integer:
                if number != round(number):
                    return self.plain(x, **fixed)
                number = int(round(number))
            registers[k] = number
        registers[self.n_slot] = float(sample.size)
        integral = sample.dtype.kind != "f"
        with np.errstate(all="ignore"):
            # integers accumulate in floats: an int64 sum would wrap past 9.2e18
            known = {r: float(_REDUCE[r](sample, dtype=_FLOAT) if integral and r == "sum" else _REDUCE[r](sample))
                     for r in self.first}
            if not all(map(math.isfinite, known.values())):
                return self.plain(x, **fixed)
            if self.low.checked:
                low = self.low.value(registers)
                if known["min"] < low or self.low_open and known["min"] == low:
                    return self.plain(x, **fixed)
            if self.high.checked:
                high = self.high.value(registers)
                if known["max"] > high or self.high_open and known["max"] == high:
                    return self.plain(x, **fixed)
            floats = sample
            for reducer, slot, arguments, scale in self.reducers:
                if scale is None and reducer.summand is None:
                    registers[slot] = _from_known(reducer.reduction, known, sample)
                    continue
                if floats.dtype.kind != "f":  # a summand of integers (x**-1 raises): floats, once
                    floats = sample.astype(float)
                if scale is None:
                    registers[slot] = float(reducer.reduce(floats, [registers[i] for i in arguments]))
                else:
                    statistic, scaled = reducer.reduce(floats, [registers[i] for i in arguments])
                    registers[slot], registers[scale] = float(statistic), float(scaled)
        try:
            estimates = [float(f(*[registers[i] for i in arguments])) for f, arguments in self.formulas]
        except (ArithmeticError, ValueError):  # math's domain errors: 1/0, sqrt(-1)
            return self.plain(x, **fixed)
        for estimate, (positive, nonnegative) in zip(estimates, self.space):
            if not (math.isfinite(estimate) and (estimate > 0 or not positive) and (estimate >= 0 or not nonnegative)):
                return self.plain(x, **fixed)  # on the edge of the parameter space: the plain path decides
        return dict(zip(self.names, estimates))


def _from_known(reduction: str, known: dict[str, float], sample: np.ndarray) -> float:
    if reduction in known:
        return known[reduction]
    if reduction == "mean":
        return known["sum"] / sample.size
    if reduction == "median":
        return float(np.median(sample))
    return float(_REDUCE[reduction](sample))

