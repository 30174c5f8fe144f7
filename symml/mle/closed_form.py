"""A closed-form MLE estimator compiled for a thin call path (:class:`ClosedFormEstimator`).

Everything that does not depend on the sample is decided once, when ``numpy()`` is called: the slot of each
symbol in a flat list of values (no dictionaries keyed by SymPy symbols per call), the support's bounds as
lambdified functions of the fixed parameters, the fixed parameters' admissible values, which reductions of the
sample its checks need and which statistics reuse them; the call itself is one closure
(:meth:`ClosedFormEstimator.compiled`). A call reduces the sample through :mod:`symml.mle.sample_reductions`
(the sum, minimum and maximum read from memory once; exact integer sums; Python's own reductions for a few
observations), then one pass per other statistic, and evaluates the lambdified estimators on the few numbers
that come out. Where the one statistic is a sum of a summand and the checks need only the minimum or maximum
(Pareto's log x, Weibull scale's x^beta), a sample past :data:`FUSED_FROM` is read once, in blocks of :data:`BLOCK`,
for both (:class:`symml.mle.blocked_sums.BlockedSums`): no temporary array of the sample's size.

The call is optimistic: it returns only when every check is certified by what it computed (a finite sum, a
finite minimum and maximum, or a finite mean of a summand that is inf or nan wherever x is, such as |x - mu| or
log x, shows every observation finite; the minimum and maximum against the support's bounds; each estimate
inside its parameter space). Anything else (a non-finite sample, an observation outside the
support, a support that is not an interval of numbers or of integers, a sample that is not a float or integer
array, a bad fixed value, an estimate on the edge) is handed to the plain estimator, which checks everything
again the general way and raises the error that explains it, so both paths give the same answers and errors.
"""
from __future__ import annotations

import math
import operator
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.mle.power_statistics import PowerReducer, power_statistics
from symml.mle.problem import MLEProblem
from symml.mle.sample_function import SampleFunction
from symml.mle.sample_reductions import SMALL, median_of, reduce_sample, small_mean, small_sum
from symml.mle.statistic_plan import StatisticPlan, _Reducer
from symml.mle.statistics import interval_support

__all__ = ["ClosedFormEstimator"]

#: From here a sum of one summand is computed in one blocked pass with the support check (below, a sample of 512 kB
#: or less: the whole-array reductions, and no code generated for it)
FUSED_FROM = 1 << 16

#: Observations per block of that pass: 256k (2 MB). Its summand (log, exp) is compute-bound, so the blocks only
#: spare a temporary of the sample's size, and fewer blocks run less Python (~3.4 us a block). Pareto's pass against
#: the hand-written NumPy at 1e6, same run, load ~19: blocks of 16k 1.17x, 32k 1.12x, 64k 1.08x, 128k 1.03x, 256k
#: 1.00x; at 1e7 64k-256k alike (0.50-0.54x, the hand version's temporary of 80 MB)
BLOCK = 1 << 18

_REDUCE: dict[str, Callable[..., Any]] = {"sum": np.add.reduce, "min": np.minimum.reduce,
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
        expressions = [sp.sympify(problem.estimators[p]).xreplace(in_scaled) for p in problem.wrt]
        formulas = [SampleFunction.of(e, scalar=True) for e in expressions]
        symbols = [*problem.fixed, problem.sample_size, *(r.symbol for r in self.plan.reducers),
                   *(r.scale for r in self.plan.reducers if isinstance(r, PowerReducer))]
        self.slots = {s: k for k, s in enumerate(symbols)}
        self.size = len(symbols)
        self.n_slot = self.slots[problem.sample_size]
        # (name, positive, non-negative, integer) of each fixed parameter: the checks of parameter_value
        self.fixed = [(str(p), bool(p.is_positive), bool(p.is_nonnegative), bool(p.is_integer)) for p in problem.fixed]
        self.fixed_names = frozenset(name for name, *_ in self.fixed)
        self.reducers = [(r, self.slots[r.symbol], tuple(self.slots[a] for a in r.arguments()),
                          self.slots[r.scale] if isinstance(r, PowerReducer) else None,
                          not isinstance(r, PowerReducer) and r.summand is None) for r in self.plan.reducers]
        # A centred power mean((g - mean(g))^k) takes g from the terms of mean(g), computed just before (lognormal:
        # log x once, not twice): {slot of the power statistic: slot of the mean whose terms it centres}
        summands = {statistic.symbol: sp.sympify(statistic.summand) for statistic in problem.statistics}
        kept = {s.symbol: s for s in self.plan.reducers if isinstance(s, _Reducer) and s.summand is not None}
        self.centred_on = {self.slots[r.symbol]: self.slots[m] for r in self.plan.reducers if isinstance(r, PowerReducer)
                           for m in kept if sp.expand(summands[r.symbol].as_base_exp()[0] - summands[m] + m) == 0}
        self.keep = set(self.centred_on.values())
        # an estimate that is a statistic itself (the shifted exponential's min x) is read off its slot: no call
        self.formulas = [(None if e in self.slots else f.function, tuple(self.slots[a] for a in f.arguments))
                         for e, f in zip(expressions, formulas)]
        self.space = [(bool(p.is_positive), bool(p.is_nonnegative)) for p in problem.wrt]
        plain_reductions = {r.reduction for r in self.plan.reducers
                            if not isinstance(r, PowerReducer) and r.summand is None}
        interval = interval_support(problem.support)
        self.support_known = interval is not None
        self.integers = bool(interval and interval[1])
        low, high = (interval[0].inf, interval[0].sup) if interval else (sp.S.NegativeInfinity, sp.S.Infinity)
        self.low, self.high = _Bound(low, problem.fixed, self.slots), _Bound(high, problem.fixed, self.slots)
        self.low_checked, self.high_checked = self.low.checked, self.high.checked
        self.low_open = bool(interval and interval[0].left_open)
        self.high_open = bool(interval and interval[0].right_open)
        # What the sample is reduced to before the statistics: a finite sum, or a finite min and max, shows every
        # observation finite; min and max also check the support's bounds. Statistics of x itself reuse them.
        by_range = bool(plain_reductions & {"min", "max"}) and not plain_reductions & {"sum", "mean"}
        summands = {statistic.symbol: sp.sympify(statistic.summand) for statistic in problem.statistics}
        # A mean of a summand that is not finite wherever x is not (|x - mu|, log x, x^2) shows it as well as a sum
        self.revealing = [self.slots[r.symbol] for r in self.plan.reducers if r.reduction in ("sum", "mean")
                          and _reveals(summands[r.symbol], problem.observation)]
        if plain_reductions & {"sum", "mean"} or not (by_range or self.revealing):
            self.first, self.revealing = ["sum"], []
        else:
            self.first = ["min", "max"] if by_range else []
        checked = [r for r in ("min", "max") if (self.low.checked if r == "min" else self.high.checked)]
        self.first += [r for r in checked if r not in self.first]
        # Up to SMALL observations the finiteness is shown by the sum every such reduction takes: an extreme only
        # the range's finiteness asked for is not computed (the shifted exponential's max at n = 10)
        self.first_small = [r for r in self.first if r == "sum" or r in plain_reductions or r in checked]
        # Past it, such an extreme is replaced by the cheapest pass that shows it, dasum (reduce_sample's "finite")
        self.first_large = self.first if len(self.first_small) == len(self.first) else [*self.first_small, "finite"]
        # A support from 0 where the minimum is only checked against 0: one pass of the bit patterns' maximum
        self.zero_floor = self.low.constant == 0.0 and not self.low_open and "min" not in plain_reductions
        # Minima, maxima and medians never warn, and the estimators are evaluated through math; sums and differences
        # warn only past 1.8e308 (as the plain path's own finiteness check does): NumPy's errstate (1 us of a 6 us
        # call at n = 10) only where a summand has a power, a log or another function
        self.quiet = any(_may_warn(summands[r.symbol]) for r, *_, plain in self.reducers if not plain)
        # Up to SMALL observations a square is taken by Python (a silent inf, then rescaled): only its base can warn
        self.quiet_small = any(_may_warn(summands[r.symbol].as_base_exp()[0] if _squared(r) else summands[r.symbol])
                               for r, *_, plain in self.reducers if not plain)
        self.integer_codes = np.typecodes["AllInteger"]
        # A sum of one summand of x and fixed parameters as the only statistic, checked by the minimum or maximum
        # (Pareto's log x, Weibull scale's x^beta): past FUSED_FROM observations one blocked pass computes both, the
        # sample read once and no temporary array of its size (8 MB at 1e6, fresh pages faulted in on every call)
        only = self.plan.reducers[0] if len(self.plan.reducers) == 1 else None
        self.fused = None
        if (isinstance(only, _Reducer) and only.summand is not None and only.reduction in ("sum", "mean")
                and set(self.first) <= {"min", "max"} and all(a in problem.fixed for a in only.arguments())):
            summand = summands[only.symbol]
            self.fused = (summand, problem.observation, self.slots[only.symbol], only.reduction == "mean",
                          _non_decreasing(summand, problem.observation))

    def compiled(self) -> Callable[..., dict[str, float]]:
        """``est(x, **fixed)``: one function whose constants are in its closure (at n = 10 a call is ~50 attribute
        look-ups and small steps, so each one saved shows)."""
        plain, size, n_slot, first, zero_floor = self.plain, self.size, self.n_slot, self.first, self.zero_floor
        first_small, first_large = self.first_small, self.first_large
        quiet, quiet_small = self.quiet, self.quiet_small
        support_known, integers, integer_codes = self.support_known, self.integers, self.integer_codes
        has_fixed, fixed_count, fixed_names, put_fixed = bool(self.fixed), len(self.fixed), self.fixed_names, self._fixed
        inside, reducers, centred_on, keep, revealing = self._inside, self.reducers, self.centred_on, self.keep, self.revealing
        # each estimate's name, formula (None: a statistic read off its slot), getter of its arguments' registers
        # (one argument: the value; else a tuple or []) and parameter space (positive, non-negative)
        formulas = [(name, f, operator.itemgetter(*arguments) if arguments else operator.itemgetter(slice(0, 0)),
                     len(arguments) == 1, positive, nonnegative)
                    for name, (f, arguments), (positive, nonnegative) in zip(self.names, self.formulas, self.space)]
        bounded = self.low_checked or self.high_checked
        isfinite = math.isfinite
        # Statistics of x itself only (Exponential, Uniform, Poisson...): read off the reductions, no loop of cases
        only_plain = all(plain_reducer for *_, plain_reducer in reducers)
        plain_slots = [(slot, reducer.reduction) for reducer, slot, *_, plain_reducer in reducers if plain_reducer]
        # Values equal (==) to checked ones give the same numbers (each check reads float(value)), so they pass
        checked: list[tuple[dict | None, list]] = [(None, [])]

        fused = self._fused_pass()

        def estimate(x: np.ndarray, registers: list, fixed: dict[str, Any]) -> dict[str, float]:
            one_pass = fused is not None and x.size >= FUSED_FROM and x.dtype.char == "d"
            if one_pass:  # the statistic into its slot, and the extremes the checks need
                known = fused(x, registers)  # type: ignore[misc]
            else:
                known = reduce_sample(x, first_large if x.size > SMALL else first_small, zero_floor) if first else {}
            if not all(map(isfinite, known.values())) or bounded and not inside(known, registers):
                return plain(x, **fixed)
            if only_plain:
                for slot, reduction in plain_slots:
                    registers[slot] = known[reduction] if reduction in known else _from_known(reduction, known, x)
            elif not one_pass:
                _statistics(x, registers, known, reducers, centred_on, keep)
            if revealing and not all(isfinite(registers[slot]) for slot in revealing):
                return plain(x, **fixed)  # a non-finite observation, or the sum overflowed: the plain path says which
            estimates = {}  # a loop, no comprehension or zip: each costs ~0.2-0.5 us at n = 10 in a 3-4 us call
            for name, f, get, single, positive, nonnegative in formulas:
                try:
                    value = float(get(registers) if f is None else f(get(registers)) if single else f(*get(registers)))
                except (ArithmeticError, ValueError):  # math's domain errors: 1/0, sqrt(-1)
                    return plain(x, **fixed)
                if not (isfinite(value) and (value > 0 or not positive) and (value >= 0 or not nonnegative)):
                    return plain(x, **fixed)  # on the edge of the parameter space: the plain path decides
                estimates[name] = value
            return estimates

        def estimator(x: Any, **fixed: Any) -> dict[str, float]:
            # float64 or integers, 1-D, non-empty; integers only where the support is: else the plain path converts
            kind = x.dtype.char if type(x) is np.ndarray and x.ndim == 1 and x.size and support_known else ""
            if not (kind == "d" and not integers or kind and kind in integer_codes):
                return plain(x, **fixed)
            registers: list = [None] * size
            if fixed or has_fixed:
                last, last_registers = checked[0]
                try:  # the fixed values of the last call that passed the checks: their numbers, checked once
                    same = fixed == last
                except (TypeError, ValueError):  # an array compared elementwise: the checks decide
                    same = False
                if same:
                    registers[:fixed_count] = last_registers
                elif len(fixed) != fixed_count or not fixed_names.issuperset(fixed) or not put_fixed(fixed, registers):
                    return plain(x, **fixed)
                else:  # one assignment: a concurrent call reads the old pair or the new one
                    checked[0] = (dict(fixed), registers[:fixed_count])
            registers[n_slot] = float(x.size)
            if quiet_small if x.size <= SMALL else quiet:  # lambdified summands (log 0, overflow): the plain path's
                with np.errstate(all="ignore"):
                    return estimate(x, registers, fixed)
            return estimate(x, registers, fixed)

        return estimator

    def _fused_pass(self) -> Callable[[np.ndarray, list], dict[str, float]] | None:
        """``reduce(x, registers) -> {"min"/"max": value}`` that also puts the one statistic in its slot, by one
        blocked pass (:class:`symml.mle.blocked_sums.BlockedSums`, compiled on the first large sample); None
        where the statistics are not one sum of a summand checked by extremes."""
        if self.fused is None:
            return None
        summand, observation, slot, mean, increasing = self.fused
        extremes = tuple(self.first)
        compiled: list[tuple[Any, tuple[int, ...]] | None] = []

        def reduce(x: np.ndarray, registers: list) -> dict[str, float]:
            if not compiled:
                from symml.mle.blocked_sums import BlockedSums

                blocked = BlockedSums.of([summand], [observation], block=BLOCK, extremes=extremes,
                                         increasing=increasing, power_by_logs=True)
                compiled.append((blocked, tuple(self.slots[s] for s in blocked.scalars)) if blocked else None)
            if compiled[0] is None:  # a summand without in-place ufuncs: the whole-array reductions
                known = reduce_sample(x, extremes, self.zero_floor) if extremes else {}
                _statistics(x, registers, known, self.reducers, self.centred_on, self.keep)
                return known
            blocked, arguments = compiled[0]
            total, *ends = blocked.function(x, *[registers[k] for k in arguments])
            registers[slot] = float(total) / x.size if mean else float(total)
            return dict(zip(extremes, map(float, ends)))

        return reduce

    def _fixed(self, fixed: dict[str, Any], registers: list) -> bool:
        """Puts the fixed values in their slots; False where one is not a valid number (the plain path says why)."""
        for k, (name, positive, nonnegative, integer) in enumerate(self.fixed):
            value = fixed[name]
            number = float(value) if type(value) in (float, int) else math.nan
            if not (math.isfinite(number) and (number > 0 or not positive) and (number >= 0 or not nonnegative)):
                return False
            if integer:
                if number != round(number):
                    return False
                number = int(round(number))
            registers[k] = number
        return True

    def _inside(self, known: dict[str, float], registers: list) -> bool:
        """Whether the sample's minimum and maximum are inside the support's bounds."""
        if self.low_checked:
            low = self.low.value(registers)
            if known["min"] < low or self.low_open and known["min"] == low:
                return False
        if self.high_checked:
            high = self.high.value(registers)
            if known["max"] > high or self.high_open and known["max"] == high:
                return False
        return True


def _statistics(x: np.ndarray, registers: list, known: dict[str, float], reducers: list, centred_on: dict[int, int],
                keep: set[int]) -> None:
    """The statistics into their slots, in order: those of x itself from the reductions, the others one reduction
    of their summand each (a centred power from the terms of the mean it centres on, kept for it)."""
    floats, terms = x, {}  # type: tuple[np.ndarray, dict[int, np.ndarray]]
    for reducer, slot, arguments, scale, plain in reducers:
        if plain:
            registers[slot] = _from_known(reducer.reduction, known, x)
            continue
        if floats.dtype.kind != "f":  # a summand of integers (x**-1 raises): floats, once
            floats = x.astype(float)
        if isinstance(reducer, PowerReducer) and scale is not None:
            if slot in centred_on:
                centre = centred_on[slot]
                statistic, scaled = reducer.reduce_base(terms.pop(centre) - registers[centre])
            else:
                statistic, scaled = reducer.reduce(floats, [registers[i] for i in arguments])
            registers[slot], registers[scale] = float(statistic), float(scaled)
        elif isinstance(reducer, _Reducer):
            if slot in keep:
                terms[slot] = reducer.terms(floats, [registers[i] for i in arguments])
                registers[slot] = float(reducer.reduce_terms(terms[slot]))
            elif x.size <= SMALL and reducer.reduction in ("sum", "mean"):  # a few terms: fsum, no NumPy reduction
                listed = reducer.terms(floats, [registers[i] for i in arguments]).tolist()
                registers[slot] = small_mean(listed) if reducer.reduction == "mean" else small_sum(listed)
            else:
                registers[slot] = float(reducer.reduce(floats, [registers[i] for i in arguments]))


def _squared(reducer: Any) -> bool:
    """Whether the statistic is a mean or sum of squares computed by :class:`PowerReducer` (by Python up to SMALL
    observations)."""
    return isinstance(reducer, PowerReducer) and reducer.power == 2.0


def _may_warn(summand: sp.Expr) -> bool:
    """Whether NumPy may warn evaluating ``summand`` on finite data: anything but sums, products and absolute
    values, which overflow only past 1.8e308 (a power overflows sooner; log 0, 1/0, a special function's domain)."""
    for e in sp.preorder_traversal(summand):
        if isinstance(e, sp.Pow):  # a square overflows from 1.3e154 (NumPy warns for a dot product too)
            return True
        if isinstance(e, sp.Function) and not isinstance(e, sp.Abs):
            return True
    return False


def _reveals(summand: sp.Expr, x: sp.Symbol) -> bool:
    """Whether ``summand`` is inf or nan wherever x is (so a finite mean of it shows every x finite): x itself, and
    sums, products, positive powers, absolute values and logs of something that is (inf + c, 0 * inf, log(-inf)
    are all inf or nan); not, e.g., 1/x or exp(-x), which are finite at x = inf."""
    if summand == x:
        return True
    if isinstance(summand, (sp.Add, sp.Mul)):
        return any(_reveals(a, x) for a in summand.args)
    if isinstance(summand, sp.Pow):
        return bool(summand.exp.is_positive) and _reveals(summand.base, x)
    if isinstance(summand, (sp.Abs, sp.log)):
        return _reveals(summand.args[0], x)
    return False


def _non_decreasing(summand: sp.Expr, x: sp.Symbol) -> bool:
    """Whether ``summand`` is non-decreasing in x > 0 (log x; x^beta, beta > 0), by the sign of its derivative."""
    return bool(sp.diff(summand, x).xreplace({x: sp.Dummy(positive=True)}).is_nonnegative)


def _from_known(reduction: str, known: dict[str, float], sample: np.ndarray) -> float:
    if reduction in known:
        return known[reduction]
    if reduction == "mean":
        return known["sum"] / sample.size
    if reduction == "median":  # np.partition at the middle: np.median's dispatch costs more than the work at n = 10
        return median_of(sample)
    return float(_REDUCE[reduction](sample))

