"""The sample and the fixed parameters an MLE estimator is called with: validated (shape, finiteness, support)
with reductions that the statistics reuse, and fixed values checked against their parameters' assumptions.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.errors import DataError, ParameterError
from symml.mle.problem import MLEProblem
from symml.mle.sample_reductions import rescued
from symml.mle.statistic_plan import Values

_FLOAT = np.dtype(float)
_sum = np.add.reduce

__all__ = ["as_sample", "validated", "fixed_values", "parameter_value", "outside_support", "check_support",
           "refuse_outside_support", "few_first"]


def as_sample(x: Any) -> np.ndarray:
    """The sample as a float array of shape (n,); DataError if it is empty, not 1-D or not finite.

    >>> as_sample([1, 2, 3])
    array([1., 2., 3.])
    """
    return np.asarray(validated(x)[0], dtype=float)


def validated(x: Any, by_range: bool = False) -> tuple[np.ndarray, dict[str, float], bool]:
    """The sample: floats, or integers kept as they are (counts: a float copy of 1e7 int64 counts is 80 MB, and
    NumPy reduces integers without one); the reductions its finiteness check computed, ``{"sum": ...}`` or,
    ``by_range``, ``{"min": ..., "max": ...}`` (reused by statistics); whether its dtype makes it integer-valued
    (then a discrete support needs no rounding test)."""
    if type(x) is np.ndarray and x.dtype == _FLOAT and x.ndim == 1 and x.size and not by_range:
        # the common call, a 1-D float64 array, checked by one sum (NumPy's conversions and np.sum's dispatch
        # cost ~4 us of a ~6 us check at n = 10)
        total = _sum(x)
        if math.isfinite(total):
            return x, {"sum": total}, False
    try:
        raw = np.asarray(x)
        if np.iscomplexobj(raw):
            raise DataError("the sample x is complex: a likelihood here is of real observations (pass x.real if the "
                            "imaginary parts are only rounding noise)")
        sample = raw if raw.dtype.kind in "iu" else np.asarray(raw, dtype=float)  # no copy when it already is
    except (TypeError, ValueError) as failure:
        raise DataError(f"the sample x must be an array of numbers: {failure}") from None
    except OverflowError:
        raise DataError("the sample x has an observation too large for a double (|x| > 1.8e308): rescale the "
                        "data") from None
    if sample.ndim != 1:
        raise DataError(f"the sample x must be one-dimensional, shape (n,); got shape {sample.shape}")
    if sample.size == 0:
        raise DataError("the sample x is empty: a maximum-likelihood estimate needs at least one observation")
    integral = raw.dtype.kind in "biu"
    # Reductions, no temporary array: a finite sum, or a finite min and max (NaN propagates), means finite terms.
    # (A sum of integers accumulates in floats: int64 would wrap silently past 9.2e18.)
    known = {"min": np.min(sample), "max": np.max(sample)} if by_range else {"sum": np.sum(sample, dtype=float)}
    if all(math.isfinite(v) for v in known.values()):
        return sample, known, integral
    finite = np.isfinite(sample)
    if not finite.all():
        first = int(np.argmin(finite))
        raise DataError(f"the sample x has a non-finite observation: x[{first}] = {sample[first]}")
    # finite observations whose sum leaves the double range: the mean, from the sum redone scaled by 2^-64
    return sample, rescued(sample) or known, integral


def fixed_values(problem: MLEProblem, given: Mapping[str, Any]) -> Values:
    """``{Symbol: value}`` for the problem's fixed parameters, from keyword values given by name.

    Raises ParameterError for a missing value, an unknown name, or a value the parameter's assumptions forbid.
    """
    by_name = _by_name(problem.fixed)
    if given.keys() != by_name.keys():
        for name in given:
            if name not in by_name:
                estimated = {str(p) for p in problem.wrt}
                role = "is estimated, not fixed" if name in estimated else "is not a parameter of the model"
                known = ", ".join(by_name) or "none"
                raise ParameterError(f"{name} {role}; the fixed parameters are: {known}")
        missing = [name for name in by_name if name not in given]
        example = ", ".join(f"{name}=..." for name in missing)
        raise ParameterError(f"missing value for the fixed parameter(s) {', '.join(missing)}: call est(x=..., {example})")
    return {by_name[name]: parameter_value(by_name[name], value) for name, value in given.items()}


@functools.lru_cache(maxsize=256)
def _by_name(fixed: tuple[sp.Symbol, ...]) -> dict[str, sp.Symbol]:
    """The fixed parameters by name, made once per tuple of them: SymPy's ``str`` of a symbol runs its printer,
    ~7 us for ``nu`` (a third of the Student-t estimator's argument checks at n = 10). Read only."""
    return {str(p): p for p in fixed}


@functools.lru_cache(maxsize=1024)
def _assumptions(parameter: sp.Symbol) -> tuple[bool, bool, bool]:
    """Whether ``parameter`` is positive, non-negative, integer: SymPy's assumption look-up costs ~0.4 us each."""
    return bool(parameter.is_positive), bool(parameter.is_nonnegative), bool(parameter.is_integer)


def parameter_value(parameter: sp.Symbol, value: Any) -> float | int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{parameter} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ParameterError(f"{parameter} must be finite, got {number}")
    positive, nonnegative, integer = _assumptions(parameter)
    if positive and number <= 0 or nonnegative and number < 0:
        raise ParameterError(f"{parameter} must be {'positive' if positive else 'non-negative'}, got {number}")
    if integer:
        if number != round(number):
            raise ParameterError(f"{parameter} must be an integer, got {number}")
        return int(round(number))
    return number


def outside_support(
    support: sp.Set, sample: np.ndarray, values: Mapping[sp.Symbol, Any], integral: bool = False
) -> np.ndarray | None:
    """A boolean mask of the observations outside ``support``, or None when none is (bounds that still hold
    unknown parameters are not checked).

    >>> outside_support(sp.Interval(0, sp.oo), np.array([1.0, -2.0]), {})
    array([False,  True])
    """
    inside = _inside(support.subs(values) if values else support, sample, integral)
    return None if inside is None else ~inside


def _inside(region: sp.Set, sample: np.ndarray, integral: bool = False) -> np.ndarray | None:
    """The mask of observations inside ``region``, or None when none was found outside (or none can be checked).

    Bounds are tested with min/max reductions first, so a valid sample costs no temporary array."""
    if isinstance(region, (sp.Interval, sp.Range, type(sp.S.Naturals), type(sp.S.Naturals0), type(sp.S.Integers))):
        masks = []
        if not (isinstance(region, sp.Interval) or integral):
            whole = sample == np.round(sample)
            masks += [] if whole.all() else [whole]
        lowest, highest = region.inf, region.sup
        open_low = isinstance(region, sp.Interval) and region.left_open
        open_high = isinstance(region, sp.Interval) and region.right_open
        # a mask only when a bound is crossed: counts at 0 of a support starting at 0 cost no n-sized temporary
        if lowest.is_number and lowest.is_finite:
            smallest = sample.min()
            if smallest < float(lowest) or open_low and smallest == float(lowest):
                masks.append(sample > float(lowest) if open_low else sample >= float(lowest))
        if highest.is_number and highest.is_finite:
            largest = sample.max()
            if largest > float(highest) or open_high and largest == float(highest):
                masks.append(sample < float(highest) if open_high else sample <= float(highest))
        inside = np.logical_and.reduce(masks) if masks else None
        return None if inside is None or inside.all() else inside
    if isinstance(region, sp.FiniteSet) and all(e.is_number for e in region):
        inside = np.isin(sample, [float(e) for e in region])
        return None if inside.all() else inside
    if isinstance(region, sp.Intersection):
        parts = [p for p in (_inside(part, sample, integral) for part in region.args) if p is not None]
        return np.logical_and.reduce(parts) if parts else None
    if isinstance(region, sp.Union):
        union = [_inside(part, sample, integral) for part in region.args]
        # A part that holds everywhere (None) makes the whole union hold everywhere.
        members = [p for p in union if p is not None]
        return None if len(members) < len(union) else np.logical_or.reduce(members)
    return None


def check_support(problem: MLEProblem, sample: np.ndarray, values: Values, integral: bool,
                  support_symbols: frozenset | None = None) -> None:
    """DataError naming the first observation outside the support; ``support_symbols``: the support's free symbols,
    computed once by the caller (SymPy recomputes them on every access: 2.5 us of a 12 us estimate at n = 10)."""
    symbols = problem.support.free_symbols if support_symbols is None else support_symbols
    needed = {p: v for p, v in values.items() if p in symbols} if symbols else {}  # subs costs ~30 us
    refuse_outside_support(problem.support, sample, needed, integral)


def refuse_outside_support(support: sp.Set, sample: np.ndarray, values: Mapping[sp.Symbol, Any],
                           integral: bool = False) -> None:
    """DataError naming the first observation outside ``support`` (with ``values`` put in; bounds that still hold
    unknown symbols are not checked)."""
    outside = outside_support(support, sample, values, integral)
    if outside is not None and outside.any():
        first = int(np.argmax(outside))
        raise DataError(
            f"{int(outside.sum())} observation(s) lie outside the support {support} of the model, "
            f"the first x[{first}] = {sample[first]}"
        )




def few_first(problem: MLEProblem, estimate: Callable[[list[float], np.ndarray, Values], list[float] | None],
              plain: Callable[..., dict[str, float]], up_to: int) -> Callable[..., dict[str, float]]:
    """The estimator taking a float64 array of at most ``up_to`` observations, finite and strictly inside the
    support (an interval), with the fixed parameters by name, straight to ``estimate(observations as Python floats,
    the array, {fixed parameter: value, n: size})``, checked in Python floats (NumPy's validation, support check and
    error state cost ~7-15 us of an estimate at n = 10). ``plain``, the full estimator, takes every other call and
    every sample ``estimate`` gives None for."""
    names = [str(p) for p in problem.wrt]
    low, high = float(problem.support.start), float(problem.support.end)
    size, fixed_names = problem.sample_size, {str(p) for p in problem.fixed}

    def estimator(x: Any, **fixed: Any) -> dict[str, float]:
        if type(x) is np.ndarray and x.dtype == _FLOAT and x.ndim == 1 and 0 < x.size <= up_to and (
                fixed.keys() == fixed_names):
            observations = x.tolist()
            # a finite sum: every observation finite (nan and inf propagate); then inside the open support
            if math.isfinite(sum(observations)) and low < min(observations) and max(observations) < high:
                values = fixed_values(problem, fixed) if fixed else {}  # nothing fixed: nothing to check
                values[size] = float(len(observations))
                estimates = estimate(observations, x, values)
                if estimates is not None:
                    return dict(zip(names, estimates))
        return plain(x, **fixed)

    return estimator
