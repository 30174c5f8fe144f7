"""The sum, minimum and maximum of a sample read from memory once (:func:`reduce_sample`): what a closed-form
estimator's checks and statistics start from.

Three measured effects decide how (one BLAS thread, 2026-11, EPYC with 1 MB L2 and 32 MB L3 per core pair):

- A sample of up to 64 observations is reduced by Python itself on ``x.tolist()``: each NumPy reduction costs
  ~1.5 us of call overhead, more than the work at n = 10.
- Integers are summed in their own type where that is exact: NumPy sums int64 5-7x faster than it converts them
  to floats on the way (``np.sum(x, dtype=float)``), and the sum is then exact. The minimum and maximum, each
  as cheap as the integer sum, bound every term: ``n max|x| < 2^63`` means no partial sum can wrap.
- A sample larger than the last-level cache (1e7 doubles: 80 MB) is reduced in blocks of 64k observations
  (512 kB, inside L2): the sum, minimum and maximum of a block are computed while it is in cache, so the
  sample is read from memory once, not once per reduction. The loop costs ~150 iterations at 1e7.
- Where a support starts at 0 and only the maximum is a statistic (Uniform(0, theta)), the maximum of the doubles'
  bit patterns read as unsigned integers decides both: every double with its sign bit clear (x >= +0, NaN with a
  clear sign bit included) orders as its bit pattern does, and anything negative (or -0.0, or a negative NaN) is
  at least 2^63. One pass instead of a minimum and a maximum.
- Where a support starts at 0 and the sum is a statistic (Exponential, Gamma rate), the minimum of the bit patterns
  read as signed integers (87 us at 1e6, against 104 us for the float minimum) shows every sign bit clear, and
  then sum |x| = sum x: BLAS ``dasum`` (82 us, against 159 us for NumPy's pairwise sum) gives the sum. The two
  cost what the hand-written mean does. A NaN with a clear sign bit passes the minimum but makes the sum NaN.
  From 2M observations (16 MB) the minimum and dasum are paired block by block (64k, 512 kB): the minimum reads a
  block from memory, dasum reads it again from L2 at ~28 elements a ns (~15 from L3, ~16 in blocks of 1 MB that
  spill L2). The same pairing serves an extreme shown finite by dasum (the shifted exponential's minimum).

A sum of finite doubles can still leave the double range (5000 observations near 1e306) while their mean is
finite. Where a float sum comes out non-finite, it is redone once on the observations times 2^-64 (exact: a power of
two; only subnormal products lose digits, below 2^-1010 of a sum that overflowed): finite then exactly when every
observation is, and the mean is that sum / n * 2^64 (:func:`rescued`, :func:`mean_of`). Ordinary data pay one
``isfinite`` on the result.

>>> import numpy as np
>>> reduce_sample(np.arange(100), ("sum",))
{'min': 0.0, 'max': 99.0, 'sum': 4950.0}
>>> reduce_sample(np.linspace(0.5, 2.0, 100), ("max",), zero_floor=True)
{'max': 2.0, 'min': 0.0}
>>> reduce_sample(np.array([0.5, 2.0]), ("max",))  # a few observations: Python's reductions, those wanted
{'max': 2.0}
"""
from __future__ import annotations

import functools
import math
import struct
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["reduce_sample", "small_sum", "small_mean", "mean_of", "median_of", "median_of_sorted", "rescued", "SMALL",
           "BLOCK", "BLOCKED_FROM", "PAIRS_BLOCKED_FROM", "DASUM_FROM"]

SMALL = 64  # up to here Python's own reductions of x.tolist() beat NumPy's ~1.5 us per reduction call
BLOCK = 1 << 16  # observations per block: 512 kB of doubles, inside a 1 MB L2 cache
BLOCKED_FROM = 1 << 22  # 32 MB of doubles: past the last-level cache, where a second pass reads memory again
PAIRS_BLOCKED_FROM = 1 << 21  # an extreme and dasum of 16 MB or more: block by block (_paired)
DASUM_FROM = 1 << 12  # from here the sum through dasum saves more than its call costs (and SciPy's BLAS is loaded)
_SIGN = 1 << 63
_DOWN, _UP = 2.0**-64, 2.0**64  # the exact scaling of a sum redone past the double range
_FLOAT, _INT64, _UINT64 = np.dtype(float), np.dtype(np.int64), np.dtype(np.uint64)
# A bit pattern back to its double by struct (~0.3 us): a NumPy scalar's view costs 2-4 us, 2% of a call at 1e6
_PATTERN, _UNSIGNED, _DOUBLE = struct.Struct("<q"), struct.Struct("<Q"), struct.Struct("<d")
_add, _minimum, _maximum = np.add.reduce, np.minimum.reduce, np.maximum.reduce
_REDUCE = {"sum": _add, "min": _minimum, "max": _maximum}


def reduce_sample(x: np.ndarray, wanted: Sequence[str], zero_floor: bool = False) -> dict[str, float]:
    """``{reduction: value}`` of the 1-D float64 or integer sample ``x`` for each of ``wanted`` ("sum", "min", "max";
    "finite": only that every observation is shown finite, which a sum or both extremes do anyway).

    Integers past :data:`SMALL` also get their minimum and maximum (they cost less than what they save: an exact
    integer sum). ``zero_floor`` (float samples whose support is ``[0, ...)``, where the minimum is needed only to
    check that): the maximum of the bit patterns replaces the minimum and maximum; "min" is then reported as 0.0, a
    lower bound that holds, or the minimum is computed where it does not hold. With the sum wanted, the minimum of
    the bit patterns and ``dasum`` replace the minimum and the sum. One extreme and "finite": the extreme and
    ``dasum`` (:func:`_extreme_of_finite`). A non-finite observation shows as a non-finite sum,
    minimum or maximum (a NaN propagates through each of them). Where the sum of finite doubles leaves the double
    range, "mean" is reported too (finite) and "sum" only where it is finite (:func:`rescued`).
    """
    if x.size <= SMALL:
        return _small(x, wanted)
    if x.dtype.kind in "iu":
        return _integers(x, "sum" in wanted)
    if "finite" in wanted:
        extremes = [r for r in wanted if r in ("min", "max")]
        if (len(extremes) == 1 and len(wanted) == 2 and x.dtype == _FLOAT and x.size >= DASUM_FROM
                and x.strides[0] == _FLOAT.itemsize):
            return _extreme_of_finite(x, extremes[0])
        wanted = [*(r for r in wanted if r != "finite"), *(r for r in ("min", "max") if r not in wanted)]
    if (zero_floor and "sum" in wanted and x.dtype == _FLOAT and x.size >= DASUM_FROM
            and x.strides[0] == _FLOAT.itemsize):
        return _non_negative(x, wanted)
    floor = zero_floor and "max" in wanted and x.dtype == _FLOAT
    if x.size < BLOCKED_FROM or floor or len(set(wanted)) < 2:  # one reduction reads the sample once anyway
        return _floats(x, wanted, floor)
    # The loop is as thin as it can be: ~1 us of Python per reduction and block, against ~70 us to read a block
    reductions = [(r, _REDUCE[r]) for r in dict.fromkeys(wanted)]
    partial: list[list] = [[] for _ in reductions]
    for start in range(0, x.size, BLOCK):
        block = x[start:start + BLOCK]
        for (_, reduce), values in zip(reductions, partial):
            values.append(reduce(block))
    known = {r: float(small_sum(values) if r == "sum" else _REDUCE[r](values)) for (r, _), values in zip(reductions, partial)}
    return known if math.isfinite(known.get("sum", 0.0)) else rescued(x) or known


def rescued(x: np.ndarray) -> dict[str, float] | None:
    """The minimum, maximum and mean (and the sum, where finite) of float observations whose sum is not finite,
    the sum redone on ``x * 2^-64``; None where that is not finite either (a non-finite observation)."""
    scaled = float(_add(np.multiply(x, _DOWN)))
    if not math.isfinite(scaled):
        return None
    known = {"min": float(_minimum(x)), "max": float(_maximum(x)), "mean": scaled / x.size * _UP}
    if math.isfinite(scaled * _UP):
        known["sum"] = scaled * _UP
    return known


def mean_of(terms: np.ndarray) -> float:
    """The mean of float terms (integers summed as floats), finite where every term is (:func:`rescued`'s
    scaling where the plain sum is not finite)."""
    mean = float(_add(terms, dtype=_FLOAT)) / terms.size
    if math.isfinite(mean) or terms.dtype.kind != "f":
        return mean
    return float(_add(np.multiply(terms, _DOWN))) / terms.size * _UP


#: Up to this many observations a median is taken from a sorted list of Python numbers
_FEW_TO_SORT = 64


def median_of_sorted(listed: list[float]) -> float:
    """The median of a non-empty sorted list of Python numbers: the middle one, or the mean of the two middle ones.

    >>> median_of_sorted([1.0, 2.0, 4.0, 8.0])
    3.0
    """
    middle = len(listed) // 2
    return float(listed[middle]) if len(listed) % 2 else (float(listed[middle - 1]) + float(listed[middle])) / 2


def median_of(values: np.ndarray) -> float:
    """``np.median`` of a 1-D float64 or integer array (nan where it holds a nan) from one ``np.partition``:
    np.median's checks and dispatch cost ~10 us at n = 10, more than the work. Other types: np.median itself."""
    kind, size = values.dtype.kind, values.size
    if not (kind in "iu" or values.dtype == _FLOAT) or values.ndim != 1 or not size:
        return float(np.median(values))
    middle = size // 2
    if size <= _FEW_TO_SORT:  # a sort in Python floats: np.partition's dispatch costs ~2 us more on a few
        listed = values.tolist()
        if kind == "f" and any(v != v for v in listed):
            return math.nan
        listed.sort()
        return median_of_sorted(listed)
    kth = (middle,) if size % 2 else (middle - 1, middle)
    part = np.partition(values, (*kth, -1) if kind == "f" else kth)  # the largest last: a nan shows there
    if kind == "f" and math.isnan(part[-1]):
        return math.nan
    return float(part[middle]) if size % 2 else (float(part[middle - 1]) + float(part[middle])) / 2


def small_mean(values: list[float]) -> float:
    """The mean of a few numbers through math.fsum (:func:`small_sum`), finite where every number is."""
    mean = small_sum(values) / len(values)
    if math.isfinite(mean):
        return mean
    return small_sum([v * _DOWN for v in values]) / len(values) * _UP


def _small(x: np.ndarray, wanted: Sequence[str]) -> dict[str, float]:
    """The wanted reductions (a sum correctly rounded: math.fsum; exact for integers) of a few observations, each
    shown finite by a sum taken anyway (it is inf or nan, or fsum raises, otherwise): Python's min and max of finite
    numbers are exact, and an extreme not wanted is not computed (min and max cost ~0.15 us each at n = 10)."""
    values = x.tolist()
    summed = "sum" in wanted
    try:  # a sum only to show every observation finite: the built-in one (nan or inf otherwise), cheaper than fsum
        total = math.fsum(values) if summed and x.dtype.kind == "f" else sum(values)
    except (OverflowError, ValueError):  # inf - inf, or partial sums past 1.8e308: the caller's plain path decides
        total = math.nan
    if not math.isfinite(total):  # finite observations summed past the double range: the mean, scaled
        return (rescued(x) if x.dtype.kind == "f" else None) or {r: math.nan for r in ("sum", *wanted)}
    known = {}
    if "min" in wanted:
        known["min"] = float(min(values))
    if "max" in wanted:
        known["max"] = float(max(values))
    if summed:
        known["sum"] = float(total)
    return known


def small_sum(values: list[float]) -> float:
    """The sum of a few numbers (up to :data:`SMALL` from ``tolist()``, or the sums of blocks) through math.fsum:
    correctly rounded, and cheaper than a NumPy reduction there; nan where fsum refuses (inf - inf, a partial sum
    past the double range, where fsum raises OverflowError)."""
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return math.nan


def _floats(x: np.ndarray, wanted: Sequence[str], floor: bool) -> dict[str, float]:
    known = {}
    if floor:
        highest = int(_maximum(x.view(_UINT64)))
        if highest < _SIGN:  # every sign bit clear: x >= +0 throughout, ordered as the bit patterns are
            known["max"], known["min"] = _DOUBLE.unpack(_UNSIGNED.pack(highest))[0], 0.0
        else:  # a negative observation or -0.0: the true minimum says which (the caller's plain path explains)
            known["max"], known["min"] = float(_maximum(x)), float(_minimum(x))
    for reduction in wanted:
        if reduction not in known:
            known[reduction] = float(_add(x) if reduction == "sum" else _minimum(x) if reduction == "min" else _maximum(x))
    return known if math.isfinite(known.get("sum", 0.0)) else rescued(x) or known


def _non_negative(x: np.ndarray, wanted: Sequence[str]) -> dict[str, float]:
    """The sum and minimum of contiguous doubles whose support starts at 0: the minimum of the bit patterns as
    signed integers, then ``dasum`` (block by block from :data:`PAIRS_BLOCKED_FROM`: :func:`_paired`). A sign bit set
    anywhere (a negative observation, -0.0, a negative NaN) hands the sample to the general reductions."""
    lowest, total = _paired(x.view(_INT64), "min", x)
    low = int(lowest)
    if low < 0:
        return _floats(x, wanted, False)
    # every sign bit clear: the bit patterns order as the doubles do (a NaN above inf: then the sum is NaN)
    if not math.isfinite(total):
        return rescued(x) or {"min": math.nan, "sum": total}
    known = {"min": _DOUBLE.unpack(_PATTERN.pack(low))[0], "sum": total}
    if "max" in wanted:
        known["max"] = float(_maximum(x))
    return known


def _extreme_of_finite(x: np.ndarray, extreme: str) -> dict[str, float]:
    """The minimum or maximum of contiguous doubles, every observation shown finite by a finite ``dasum`` (sum |x|:
    faster than the other extreme, ~28 elements a ns in L2 against ~14), the two paired block by block
    (:func:`_paired`). A NaN shows in the extreme; an infinite dasum (an infinity, or |x| summed past the double
    range) hands the sample to both extremes, which say which."""
    end, total = _paired(x, extreme, x)
    if not math.isfinite(total):
        return _floats(x, ("min", "max"), False)
    return {extreme: float(end)}


def _paired(first: np.ndarray, extreme: str, x: np.ndarray) -> tuple[Any, float]:
    """The minimum or maximum (``extreme``) of ``first`` (x, or a view of its bits) and ``dasum(x)``, of contiguous
    doubles. From :data:`PAIRS_BLOCKED_FROM` observations block by block (:data:`BLOCK` each, 512 kB): the extreme
    reads a block from memory or L3 and dasum reads it again from L2, where it runs ~2x faster (~28 elements a ns
    against ~15 from L3 and ~4 from memory); the blocks are the rows of a 2-D view, iterated without slicing, and the
    blocks' extremes are combined by Python's min or max (a NaN needs no care: it makes dasum NaN, and the caller
    hands a non-finite dasum to the general reductions)."""
    dasum, reduce = blas_dasum(), _REDUCE[extreme]
    if x.size < PAIRS_BLOCKED_FROM:
        return reduce(first), dasum(x)
    whole = x.size - x.size % BLOCK
    ends, sums = [], []
    for block, bits in zip(x[:whole].reshape(-1, BLOCK), first[:whole].reshape(-1, BLOCK)):
        ends.append(reduce(bits))
        sums.append(dasum(block))
    if whole < x.size:
        ends.append(reduce(first[whole:]))
        sums.append(dasum(x[whole:]))
    return (min if extreme == "min" else max)(ends), small_sum(sums)


@functools.cache
def blas_dasum() -> Callable[..., float]:
    """SciPy's BLAS ``dasum(x)``, the sum of |x| (imported on first use)."""
    from scipy.linalg.blas import dasum  # ~70 ms once (SciPy's linalg), on the first large sample, not on import

    return dasum


def _integers(x: np.ndarray, summed: bool) -> dict[str, float]:
    step = x.size if x.size < BLOCKED_FROM else BLOCK
    blocks = [_integer_block(x[start:start + step], summed) for start in range(0, x.size, step)]
    low, high = min(b[0] for b in blocks), max(b[1] for b in blocks)
    total = sum(b[2] for b in blocks)  # Python ints: exact
    known = {"min": float(low), "max": float(high)}
    if summed:
        known["sum"] = float(total)
    return known


def _integer_block(x: np.ndarray, summed: bool) -> tuple[int, int, int | float]:
    """Minimum, maximum and (``summed``) sum of integers, the sum exact (a Python int) when no partial sum can
    wrap."""
    low, high = int(_minimum(x)), int(_maximum(x))
    if not summed:
        return low, high, 0
    if max(-low, high) * x.size < _SIGN:
        return low, high, int(_add(x))  # int64 (uint64 for unsigned), exact: no term's partial sum passes 2^63
    return low, high, float(_add(x, dtype=_FLOAT))  # floats do not wrap past 9.2e18
