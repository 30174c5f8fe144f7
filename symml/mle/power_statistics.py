"""Means of powers of the data, ``mean(b^k)``, computed so that every finite double works.

Squaring 1e200 overflows and squaring 1e-300 underflows, so a closed form such as ``sigma = sqrt(mean((x -
xbar)^2))`` would give inf or 0. :class:`PowerReducer` hands the statistic on as a scale ``m`` and a mean ``T`` of
the data divided by ``m``, and the closed-form estimator is rewritten in ``m^k T`` (see
:func:`symml.mle.numeric.mle_estimator`), so the estimator is scale-equivariant by construction.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from symml.mle.numeric import SampleFunction, Values
from symml.mle.problem import MLEProblem, Statistic
from symml.mle.sample_reductions import SMALL, small_sum

__all__ = ["PowerReducer", "power_statistics"]


class PowerReducer:
    """A mean (or sum) of a power of the data, ``mean(b^k)``, computed so that it cannot overflow, underflow or
    cancel: where the plain mean is not comfortably inside the range of doubles it is recomputed with ``b``
    divided by ``m = max |b|``, and the scale ``m`` is handed on separately (the estimators are rewritten in
    ``m^k T``); a centred square ``mean((g - mean(g))^2)`` is corrected by ``mean(b)^2``, the square of the rounding
    left in the computed mean (the corrected two-pass algorithm: no digits lost at an offset of 1e15)."""

    def __init__(self, statistic: Statistic, observation: sp.Symbol, scale: sp.Dummy, centred: bool):
        self.symbol, self.reduction, self.scale, self.centred = statistic.symbol, statistic.reduction, scale, centred
        base, power = statistic.summand.as_base_exp()
        self.power = float(power)
        self.base = SampleFunction.of(base, leading=(observation,))

    def arguments(self) -> tuple[sp.Symbol, ...]:
        return self.base.arguments[1:]

    def __call__(self, sample: np.ndarray, values: Values) -> np.float64:
        mean, values[self.scale] = self.reduce(sample, [values[a] for a in self.arguments()])
        return mean

    def reduce(self, sample: np.ndarray, arguments: list) -> tuple[np.float64, np.float64]:
        """The statistic and its scale ``m``, given the values of the base's arguments after the observation."""
        base = self.base.function(sample, *arguments)
        if type(base) is not np.ndarray or base.shape != sample.shape:
            base = np.broadcast_to(base, sample.shape)
        return self.reduce_base(base)

    def reduce_base(self, base: np.ndarray) -> tuple[np.float64, np.float64]:
        """The statistic and its scale from the base b at every observation."""
        power = self.power
        mean = self._mean(base, power)
        scale = 1.0
        if not 1e-280 < abs(mean) < 1e280:
            scale = float(np.max(np.abs(base)))
            if 0.0 < scale < math.inf:
                mean = self._mean(base / scale, power)
            else:
                scale = 1.0
        return np.float64(mean * base.size if self.reduction == "sum" else mean), np.float64(scale)

    def _mean(self, base: np.ndarray, power: float) -> float:
        size = base.size
        if power == 2.0 and size <= SMALL and base.dtype.kind == "f":  # a few squares: Python's fsum, exact rounding
            values = base.tolist()
            mean = small_sum([v * v for v in values]) / size  # v * v overflows to inf (then rescaled)
            if self.centred:
                rounding = math.fsum(values) / size if math.isfinite(mean) else 0.0
                mean -= rounding * rounding
            return mean
        # Python floats: an overflow is inf (then rescaled), neither an exception nor a warning. A square is a dot
        # product (BLAS, no temporary array of squares, no warning).
        if power == 2.0 and base.dtype.kind == "f":
            mean = float(np.dot(base, base)) / size
        else:
            mean = float(np.add.reduce(base**power)) / size
        if self.centred:
            rounding = float(np.add.reduce(base)) / size
            mean -= rounding * rounding
        return mean


def power_statistics(problem: MLEProblem) -> dict[sp.Symbol, tuple[Statistic, sp.Dummy, bool]]:
    """The statistics ``mean(b^k)`` (k > 0 a number) that no other statistic uses: ``{symbol: (statistic, its scale
    symbol, whether it is a centred square)}``."""
    used = set().union(*(sp.sympify(s.summand).free_symbols for s in problem.statistics))
    found = {}
    for statistic in problem.statistics:
        base, power = sp.sympify(statistic.summand).as_base_exp()
        if (statistic.reduction in ("mean", "sum") and power.is_number and power.is_positive and power != 1
                and base.has(problem.observation) and statistic.symbol not in used):
            centred = power == 2 and any(
                getattr(s, "reduction", None) == "mean" and sp.expand(base - s.summand + s) == 0
                for s in base.free_symbols if s != problem.observation and hasattr(s, "summand"))
            found[statistic.symbol] = (statistic, sp.Dummy(f"scale_{statistic.symbol}", positive=True), centred)
    return found
