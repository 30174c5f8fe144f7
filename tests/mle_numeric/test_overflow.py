"""Closed-form estimators on data near the ends of the double range: finite data whose estimate is finite give
that estimate, though the sum of the data (or of |x - mu|, or of squares) leaves the double range.

The oracle is independent of symml's reductions: math.fsum of the observations scaled by a power of two (exact),
and scipy.stats' fit where its own sums stay finite.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings, strategies as st

from symml.mle.numeric import mle_estimator
from symml.mle.sample_reductions import mean_of, small_mean
from tests.mle_numeric.hand_built import CASES

ESTIMATORS = {name: mle_estimator(CASES[name].problem) for name in ("exponential", "normal")}
_DOWN = 2.0**-64


def _mean(values: np.ndarray) -> float:
    """The mean by math.fsum of the values times 2^-64 where they are large (exact scaling: no partial sum can
    overflow), of the values themselves where they are not (1e-292 times 2^-64 is subnormal: digits lost)."""
    scale = _DOWN if np.max(np.abs(values)) > 1.0 else 1.0
    return math.fsum((values * scale).tolist()) / values.size / scale


def _sample(name: str, size: int, seed: int, top: float) -> np.ndarray:
    """A sample of the case's model rescaled so that its largest |x| is ``top``."""
    case = CASES[name]
    sample = np.asarray(case.scipy(case.truth).rvs(size=size, random_state=np.random.default_rng(seed)), dtype=float)
    return sample / np.max(np.abs(sample)) * top


def _both_paths(name: str, x: np.ndarray) -> list[dict[str, float]]:
    with np.errstate(all="ignore"):  # NumPy's first sum warns (overflow, inf - inf) before it is redone scaled
        return [ESTIMATORS[name](x, **CASES[name].fixed), ESTIMATORS[name](x.tolist(), **CASES[name].fixed)]


_TOPS = st.one_of(st.floats(-300.0, 308.2).map(lambda e: 10.0**e), st.sampled_from([1e306, 1e308, 1.79e308]))


@settings(max_examples=25, deadline=None)
@given(size=st.sampled_from([1, 2, 5000]), seed=st.integers(0, 10**6), top=_TOPS)
def test_the_exponential_rate_is_one_over_the_mean_at_any_scale(size, seed, top):
    x = _sample("exponential", size, seed, top)
    expected = 1.0 / _mean(x)
    if not math.isfinite(expected):  # 1/mean itself past the double range: not a finite estimate to test
        return
    for estimate in _both_paths("exponential", x):
        assert math.isclose(estimate["lambda"], expected, rel_tol=1e-13)
    with np.errstate(all="ignore"):
        fitted = ss.expon.fit(x, floc=0)[1]
    if math.isfinite(fitted) and fitted > 0:  # scipy's own mean overflows near the top of the range
        assert math.isclose(1.0 / fitted, expected, rel_tol=1e-12)


@settings(max_examples=25, deadline=None)
@given(size=st.sampled_from([2, 5000]), seed=st.integers(0, 10**6), top=_TOPS)
def test_the_normal_mean_and_sd_are_finite_and_right_at_any_scale(size, seed, top):
    x = _sample("normal", size, seed, top)
    mean = _mean(x)
    deviations = x - mean
    largest = float(np.max(np.abs(deviations)))
    sd = largest * math.sqrt(math.fsum(((deviations / largest) ** 2).tolist()) / size)
    for estimate in _both_paths("normal", x):
        assert math.isclose(estimate["mu"], mean, rel_tol=1e-13)
        assert math.isclose(estimate["sigma"], sd, rel_tol=1e-10)
    with np.errstate(all="ignore"):
        fitted = ss.norm.fit(x)
    if 1e-140 < top < 1e140:  # where scipy's squares neither overflow nor underflow
        assert math.isclose(fitted[0], mean, rel_tol=1e-12) and math.isclose(fitted[1], sd, rel_tol=1e-8)


@pytest.mark.parametrize("size", [2, 60, 5000])
def test_a_mean_of_a_summand_past_the_double_range_is_finite(size):
    from sympy import Abs

    from symml.mle.problem import MLEProblem
    from tests.mle_numeric import hand_built as h

    problem = MLEProblem("Laplace scale", h.x, -Abs(h.x - h.mu) / h.b - h.sp.log(2 * h.b), h.sp.Reals, (h.mu, h.b),
                         (h.b,), (h.mu,), h.n, (h._mean(h.xbar, Abs(h.x - h.mu)),), {h.b: h.xbar})
    x = np.random.default_rng(size).laplace(size=size) * 1e307
    x[0] = 1.7e308
    expected = _mean(np.abs(x))
    estimator = mle_estimator(problem)
    with np.errstate(all="ignore"):
        for estimate in (estimator(x, mu=0.0), estimator(x.tolist(), mu=0.0)):
            assert math.isclose(estimate["b"], expected, rel_tol=1e-13)


def test_the_mean_helpers_rescale_only_a_sum_that_left_the_range():
    x = np.full(10, 1e308)
    with np.errstate(over="ignore"):
        assert mean_of(x) == 1e308 and small_mean(x.tolist()) == 1e308
    assert math.isnan(small_mean([1.0, math.nan])) and math.isinf(small_mean([1.0, math.inf]))
    with np.errstate(over="ignore", invalid="ignore"):
        assert math.isinf(mean_of(np.array([1e308, 1e308, math.inf])))
    assert mean_of(np.arange(5)) == 2.0


def test_a_numeric_estimate_near_the_top_of_the_double_range_passes_its_self_checks():
    case = CASES["gamma"]
    sample = case.scipy(case.truth).rvs(size=500, random_state=np.random.default_rng(2))
    unit = sample / np.max(sample)
    with np.errstate(all="ignore"):
        top = mle_estimator(case.problem)(unit * 1e307)
        k, _, scale = ss.gamma.fit(unit, floc=0)
    assert math.isclose(top["k"], k, rel_tol=1e-6) and math.isclose(top["theta"], scale * 1e307, rel_tol=1e-6)
