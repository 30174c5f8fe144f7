"""The statistics of an MLE problem compiled once (:class:`StatisticPlan`): each one reduction of a lambdified
summand over the sample, in order, reusing what the sample's validation already reduced.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.errors import UnsupportedOperationError
from symml.mle.problem import MLEProblem, Statistic
from symml.mle.sample_function import SampleFunction
from symml.mle.sample_reductions import mean_of, median_of

__all__ = ["StatisticPlan", "Values", "KNOWN", "evaluate"]

_REDUCTIONS: dict[str, Callable[[np.ndarray], Any]] = {
    "sum": lambda a: np.sum(a, dtype=float),  # integers accumulate in floats: int64 would wrap past 9.2e18
    "mean": mean_of,  # np.mean's checks and dispatch cost ~2 us a call, and its sum may leave the double range
    "min": np.min,
    "max": np.max,
    "median": median_of,  # np.median's dispatch costs ~10 us at n = 10
}

Values = dict  # {Symbol: number}: parameters, the sample size and the statistics computed so far

KNOWN = sp.Dummy("known")  # in Values: {reduction: value} of the sample itself, computed by its validation


@dataclass(frozen=True)
class _Reducer:
    """One statistic compiled: the reduction of its lambdified summand over the sample."""

    symbol: sp.Symbol
    reduction: str
    summand: SampleFunction | None  # None: the observation itself

    def arguments(self) -> tuple[sp.Symbol, ...]:
        return self.summand.arguments[1:] if self.summand else ()

    def __call__(self, sample: np.ndarray, values: Values) -> np.float64:
        # NumPy scalars, not Python floats: 1/0 in a closed form is inf (reported as such), not ZeroDivisionError
        if self.summand is None:
            known = values.get(KNOWN, {})  # what the validation already reduced (np.mean is np.sum / n)
            if self.reduction in known:
                return np.float64(known[self.reduction])
            if self.reduction == "mean" and "sum" in known:
                return np.float64(known["sum"] / sample.size)
            return np.float64(_REDUCTIONS[self.reduction](sample))
        return self.reduce(sample, [values[a] for a in self.arguments()])

    def reduce(self, sample: np.ndarray, arguments: list) -> np.float64:
        """The statistic of a summand, given the values of its arguments after the observation, in order."""
        return self.reduce_terms(self.terms(sample, arguments))

    def terms(self, sample: np.ndarray, arguments: list) -> np.ndarray:
        """The summand at every observation."""
        terms = self.summand.function(sample, *arguments)  # type: ignore[union-attr]
        if type(terms) is not np.ndarray or terms.shape != sample.shape:
            terms = np.broadcast_to(terms, sample.shape)
        return terms

    def reduce_terms(self, terms: np.ndarray) -> np.float64:
        return np.float64(_REDUCTIONS[self.reduction](terms))


def _reducer(statistic: Statistic, observation: sp.Symbol) -> _Reducer:
    if statistic.reduction not in _REDUCTIONS:
        raise UnsupportedOperationError(
            f"statistic {statistic.symbol} has reduction {statistic.reduction!r}; known: {', '.join(_REDUCTIONS)}"
        )
    if statistic.summand == observation:
        return _Reducer(statistic.symbol, statistic.reduction, None)
    return _Reducer(statistic.symbol, statistic.reduction, SampleFunction.of(statistic.summand, leading=(observation,)))


class StatisticPlan:
    """The problem's statistics compiled once; evaluates expressions in them, n and the parameters on a sample."""

    def __init__(self, problem: MLEProblem, needed: set[sp.Symbol] | None = None,
                 scaled: dict[sp.Symbol, tuple[Statistic, sp.Dummy, bool]] | None = None):
        """``needed``: the symbols the caller evaluates; only the statistics they use (directly or through later
        statistics) are computed. None: all of them. ``scaled``: power statistics computed by a PowerReducer."""
        self.problem = problem
        statistics = list(problem.statistics)
        if needed is not None:
            needed = set(needed)
            for statistic in reversed(statistics):
                if statistic.symbol in needed:
                    needed |= sp.sympify(statistic.summand).free_symbols
            statistics = [s for s in statistics if s.symbol in needed]
        from symml.mle.power_statistics import PowerReducer  # imported here: it imports symml.mle.numeric

        scaled = scaled or {}
        self.reducers: tuple[_Reducer | PowerReducer, ...] = tuple(
            PowerReducer(s, problem.observation, *scaled[s.symbol][1:]) if s.symbol in scaled
            else _reducer(s, problem.observation) for s in statistics
        )

    def complete(self, sample: np.ndarray, values: Values) -> Values:
        """``values`` plus every statistic computable from them, in order (the others wait for parameters)."""
        floats = sample
        for reducer in self.reducers:
            if reducer.symbol not in values and all(a in values for a in reducer.arguments()):
                plain = isinstance(reducer, _Reducer) and reducer.summand is None
                if not plain and floats.dtype.kind != "f":  # a summand of integers (x**-1 raises): floats, once
                    floats = sample.astype(float)
                values[reducer.symbol] = reducer(sample if plain else floats, values)
        return values


def evaluate(formula: SampleFunction, values: Values, what: Any) -> Any:
    try:  # the arguments looked up once (each look-up hashes a SymPy symbol in Python): missing ones after a miss
        return formula(values)
    except KeyError:
        missing = formula.needs(values)
        if not missing:
            raise
    raise UnsupportedOperationError(
        f"the expression for {what} uses {', '.join(map(str, missing))}, which is neither a statistic, "
        "the sample size, nor a parameter"
    )


