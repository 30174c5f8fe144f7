"""A cache-blocked pass (symml/mle/blocked_sums.py) sums what the lambdified summands sum: on any sample size (one
observation, one block, a block and one), at extreme scales, with the elementwise functions it compiles; and a
numeric estimator whose sums take it lands where the lambdified sums land."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symml.mle import scaled_sums
from symml.mle.blocked_sums import BlockedSums
from symml.mle.numeric import mle_estimator
from symml.mle.sample_function import SampleFunction
from tests.mle_numeric.hand_built import CASES

x, y = sp.Symbol("x", real=True), sp.Symbol("y", positive=True)
mu, nu = sp.Symbol("mu", real=True), sp.Symbol("nu", positive=True)
w = 1 / (nu + (x - mu) ** 2)
SUMMANDS = [
    (x - mu) * w, w, (x - mu) ** 2 * w**2 - nu * w**2, sp.log(1 + (x - mu) ** 2 / nu),  # Student-t score, slope, log
    x**3 / (x**2 + 1), -w - x, sp.exp(-(x - mu) ** 2) * mu, sp.Abs(x - mu), sp.sqrt(y) / (1 + x**2),
    sp.loggamma(y + nu) - sp.log(y) * (nu - 1), sp.log(1 + sp.exp(x - mu)), y**nu, nu ** (x / (1 + x**2)), mu + nu,
]


LAMBDIFIED = [SampleFunction.of(summand) for summand in SUMMANDS]
STUDENT_T = mle_estimator(CASES["student_t_location"].problem)


def _plain_sum(k: int, values: dict, size: int) -> tuple[float, float]:
    """The lambdified summand's sum over the sample, and the sum of its terms' magnitudes (the rounding scale)."""
    terms = np.broadcast_to(np.asarray(LAMBDIFIED[k](values), dtype=float), (size,))
    return float(np.sum(terms)), float(np.sum(np.abs(terms)))


@settings(max_examples=15, deadline=None)
@given(size=st.sampled_from([1, 2, 7, 8, 9, 23]), seed=st.integers(0, 10**6),
       log_scale=st.sampled_from([-100.0, 0.0, 3.0, 100.0]), chosen=st.sets(st.integers(0, len(SUMMANDS) - 1), min_size=1))
def test_a_blocked_pass_sums_what_the_lambdified_summands_sum(size, seed, log_scale, chosen):
    rng = np.random.default_rng(seed)
    summands = [SUMMANDS[k] for k in sorted(chosen)]
    values = {x: rng.standard_t(2.0, size) * 10.0**log_scale, y: rng.exponential(1.0, size) * 10.0**log_scale,
              mu: float(rng.normal()) * 10.0**log_scale, nu: float(rng.exponential(2.0)) + 0.1}
    sums = BlockedSums.of(summands, arrays=(x, y), block=8)  # a sample of 23 is three blocks, the last short
    assert sums is not None
    with np.errstate(all="ignore"):
        blocked = sums(values)
        for k, summand, total in zip(sorted(chosen), summands, blocked):
            expected, scale = _plain_sum(k, values, size)
            if math.isfinite(expected) and math.isfinite(scale):
                assert math.isclose(total, expected, rel_tol=1e-12, abs_tol=1e-12 * scale), (summand, total, expected)
            else:  # overflow or an undefined term: the same non-finite result
                assert not math.isfinite(total) and (math.isnan(total) == math.isnan(expected)), (summand, total)


def test_a_summand_without_an_in_place_ufunc_is_left_to_lambdify():
    assert BlockedSums.of([sp.Max(x, mu), x], arrays=(x,)) is None
    assert BlockedSums.of([sp.Piecewise((x, x > mu), (mu, True))], arrays=(x,)) is None


def test_a_summand_of_scalars_alone_counts_once_per_observation():
    (total,) = BlockedSums.of([mu * nu], arrays=(x,))({x: np.zeros(5), mu: 2.0, nu: 1.5})
    assert total == 15.0


def test_the_sum_of_a_product_of_two_arrays_is_a_dot_product():
    # w is a common subexpression of the two summands: sum (x - mu) w is a dot product, no product array
    assert "dot(" in BlockedSums.of([(x - mu) * w, w], arrays=(x,)).source


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 10**6), offset=st.sampled_from([0.0, -3e4, 1e9]), outliers=st.sampled_from([0, 3]))
def test_the_student_t_location_is_the_same_with_blocked_and_lambdified_sums(seed, offset, outliers):
    case = CASES["student_t_location"]
    rng = np.random.default_rng(seed)
    sample = case.scipy(case.truth).rvs(size=scaled_sums._BLOCKED_FROM + 100, random_state=rng)
    sample[:outliers] = 1e6 * rng.normal(size=outliers)
    sample += offset  # the scale is fixed (1): a location far from 0 is the extreme case
    fixed = {"nu": case.fixed["nu"]}
    blocked = STUDENT_T(sample, **fixed)["mu"]
    original = scaled_sums._BLOCKED_FROM
    scaled_sums._BLOCKED_FROM = math.inf
    try:
        lambdified = STUDENT_T(sample, **fixed)["mu"]
    finally:
        scaled_sums._BLOCKED_FROM = original
    assert math.isclose(blocked, lambdified, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("size", [1, 2])
def test_one_or_two_observations_are_one_short_block(size):
    (total,) = BlockedSums.of([x * x], arrays=(x,))({x: np.arange(1.0, size + 1.0)})
    assert total == sum(k * k for k in range(1, size + 1))


@settings(max_examples=15, deadline=None)
@given(size=st.sampled_from([1, 7, 8, 9, 23]), seed=st.integers(0, 10**6), low=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
       bad=st.sampled_from([None, math.nan, -1.0, 0.0]))
def test_the_extremes_come_with_the_sums_and_increasing_summands_are_summed_alike(size, seed, low, bad):
    rng = np.random.default_rng(seed)
    sample = low + rng.exponential(1.0, size)  # log y is negative in some blocks, not in others
    if bad is not None:
        sample[size // 2] = bad
    summands = [sp.log(y), y**nu, 2 * sp.log(y) + 1]
    sums = BlockedSums.of(summands, arrays=(y,), block=8, extremes=("min", "max"), increasing=True)
    with np.errstate(all="ignore"):
        *totals, smallest, largest = sums.function(sample, 1.7)
        expected = [np.log(sample).sum(), (sample**1.7).sum(), (2 * np.log(sample) + 1).sum()]
    assert (smallest, largest) == (sample.min(), sample.max()) or bad is math.nan and math.isnan(smallest)
    for total, exact in zip(totals, expected):
        assert math.isclose(total, exact, rel_tol=1e-13, abs_tol=1e-13 * size) or total == exact or (
            math.isnan(total) and math.isnan(exact))


def test_calls_at_once_in_threads_each_get_buffers_of_their_own():
    from concurrent.futures import ThreadPoolExecutor

    sums = BlockedSums.of([sp.log(y) * nu, y**nu], arrays=(y,), block=64)
    samples = [np.random.default_rng(seed).exponential(1.0, 5000) for seed in range(8)]
    alone = [sums.function(sample, 1.5) for sample in samples]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda sample: sums.function(sample, 1.5), samples * 4))
    assert together == alone * 4


@settings(max_examples=15, deadline=None)
@given(size=st.sampled_from([1, 7, 8, 9, 23]), seed=st.integers(0, 10**6),
       power=st.sampled_from([0.3, 1.0, 2.0, 2.2, 7.5]), log_scale=st.sampled_from([-30.0, 0.0, 30.0]))
def test_a_power_by_logs_sums_what_numpys_power_sums(size, seed, power, log_scale):
    sample = np.random.default_rng(seed).weibull(2.0, size) * 10.0**log_scale
    sample[0] = 0.0  # 0^k = 0 for k > 0: exp(k log 0) = exp(-inf)
    positive = sp.Symbol("k", positive=True)
    sums = BlockedSums.of([y**positive], arrays=(y,), block=8, power_by_logs=True)
    with np.errstate(divide="ignore"):
        total, = sums.function(sample, power)
    assert math.isclose(total, math.fsum(sample**power), rel_tol=1e-12)  # |k log x| up to 520 here: ~1e-13
    assert "np.exp(np.multiply(np.log(" in sums.source
