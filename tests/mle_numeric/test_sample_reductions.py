"""The sample's sum, minimum and maximum (symml/mle/sample_reductions.py) are NumPy's own, whichever way they are
computed: Python's reductions for a few observations, whole-array NumPy, blocks of a sample larger than the cache,
exact integer sums, the maximum of the bit patterns for a support from 0, the minimum of the bit patterns and BLAS
dasum for a sum over a support from 0. Blocks and dasum are forced here on small samples by lowering the
thresholds."""
from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from symml.errors import DataError
from symml.mle import sample_reductions
from symml.mle.numeric import mle_estimator
from symml.mle.sample_reductions import reduce_sample
from tests.mle_numeric.hand_built import CASES

WAYS = {"small": {"SMALL": 100}, "whole": {"SMALL": 0, "DASUM_FROM": 1},
        "blocks": {"SMALL": 0, "BLOCK": 7, "BLOCKED_FROM": 1, "PAIRS_BLOCKED_FROM": 1, "DASUM_FROM": 1}}


def _reduced(way: str, x: np.ndarray, wanted: tuple[str, ...], zero_floor: bool = False) -> dict[str, float]:
    with mock.patch.multiple(sample_reductions, **WAYS[way]):
        return reduce_sample(x, wanted, zero_floor)


@settings(max_examples=15, deadline=None)
@given(way=st.sampled_from(list(WAYS)), size=st.integers(1, 80), seed=st.integers(0, 10**6),
       log_scale=st.sampled_from([-300.0, -20.0, 0.0, 20.0, 300.0]), zero_floor=st.booleans(),
       shift=st.sampled_from([0.0, -0.5]))
def test_float_reductions_are_numpys_whichever_way(way, size, seed, log_scale, zero_floor, shift):
    x = (np.random.default_rng(seed).random(size) + shift) * 10.0**log_scale
    known = _reduced(way, x, ("sum", "min", "max"), zero_floor)
    assert known["max"] == x.max() and math.isclose(known["sum"], math.fsum(x), rel_tol=1e-13, abs_tol=1e-300)
    assert known["min"] == x.min() or (zero_floor and way != "small" and x.min() >= 0 and known["min"] == 0.0)


@settings(max_examples=15, deadline=None)
@given(way=st.sampled_from(list(WAYS)), size=st.integers(1, 80), seed=st.integers(0, 10**6),
       high=st.sampled_from([1, 1000, 2**40, 2**62]), dtype=st.sampled_from([np.int64, np.int32, np.uint8, np.uint64]))
def test_integer_sums_are_exact_where_they_cannot_wrap_and_never_wrap(way, size, seed, high, dtype):
    info = np.iinfo(dtype)
    low, high = max(-high, int(info.min)), min(high, int(info.max))
    x = np.random.default_rng(seed).integers(low, high, size, endpoint=True).astype(dtype)
    known = _reduced(way, x, ("sum", "min", "max"))
    exact = sum(int(v) for v in x)  # Python ints: the exact sum, past 2^63 too
    if size * max(abs(int(x.min())), int(x.max())) < 2**63 or way == "small":
        assert known["sum"] == float(exact)
    else:  # a partial sum could wrap in int64: summed in floats instead
        assert math.isclose(known["sum"], exact, rel_tol=1e-13)
    assert known["min"] == float(int(x.min())) and known["max"] == float(int(x.max()))


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.parametrize("bad", [math.nan, -math.nan, math.inf, -math.inf])
def test_a_non_finite_observation_shows_in_the_reductions(way, bad):
    x = np.linspace(0.0, 3.0, 40)
    x[33] = bad
    for wanted, zero_floor in [(("sum",), False), (("min", "max"), False), (("max",), True), (("sum", "min"), True),
                               (("min", "finite"), False), (("max", "finite"), False)]:
        known = _reduced(way, x, wanted, zero_floor)
        assert not all(math.isfinite(v) for v in known.values()), (wanted, zero_floor)


@pytest.mark.parametrize("way", ["whole", "blocks"])
@pytest.mark.parametrize("negative", [-1e-300, -0.0, -2.0])
def test_a_negative_observation_is_seen_by_the_zero_floor(way, negative):
    x = np.linspace(0.0, 3.0, 40)
    x[38] = negative
    known = _reduced(way, x, ("max",), zero_floor=True)
    assert known["min"] == negative and known["max"] == 3.0
    known = _reduced(way, x, ("sum", "min"), zero_floor=True)
    assert known["min"] == negative and known["sum"] == np.sum(x)


@settings(max_examples=15, deadline=None)
@given(way=st.sampled_from(["whole", "blocks"]), size=st.integers(1, 300), seed=st.integers(0, 10**6),
       log_scale=st.sampled_from([-307.0, -300.0, -20.0, 0.0, 20.0, 300.0, 306.0]))
def test_a_sum_over_a_support_from_zero_is_as_accurate_as_numpys(way, size, seed, log_scale):
    x = np.random.default_rng(seed).exponential(size=size) * 10.0**log_scale
    known = _reduced(way, x, ("sum", "min"), zero_floor=True)
    try:
        exact = math.fsum(x)
    except OverflowError:  # past the double range: no sum, the mean from the sum scaled by 2^-64
        mean = math.fsum(x * 2.0**-64) / size * 2.0**64
        assert "sum" not in known and math.isclose(known["mean"], mean, rel_tol=1e-13)
        exact = math.inf
    assert known["min"] == x.min()
    assert math.isinf(exact) or abs(known["sum"] - exact) <= 1e-15 * exact * math.log2(size + 1)


def test_a_sum_of_a_strided_view_is_numpys():
    x = np.random.default_rng(3).exponential(size=400)[::3]
    known = _reduced("whole", x, ("sum", "min"), zero_floor=True)
    assert known == {"sum": np.add.reduce(x), "min": x.min()}


def test_block_sums_past_the_double_range_give_the_mean_and_do_not_raise():
    for zero_floor in (False, True):
        known = _reduced("blocks", np.full(40, 1e307), ("sum", "min"), zero_floor)  # blocks of 7: 7e307 each
        assert "sum" not in known and known["mean"] == 1e307 and known["min"] == 1e307


@pytest.mark.parametrize("name", ["poisson", "exponential", "uniform_zero_theta", "normal"])
def test_estimators_on_blocked_samples_equal_the_plain_path(name):
    case = CASES[name]
    sample = case.scipy(case.truth).rvs(size=300, random_state=np.random.default_rng(5))
    estimator = mle_estimator(case.problem)
    with mock.patch.multiple(sample_reductions, **WAYS["blocks"]):
        fast = estimator(sample, **case.fixed)
        bad = np.array(sample, dtype=float)
        bad[290] = -1.0 if name != "normal" else math.nan
        with pytest.raises(DataError, match=r"x\[290\]"):
            estimator(bad, **case.fixed)
    plain = estimator(sample.tolist(), **case.fixed)
    assert fast == pytest.approx(plain, rel=1e-13)


@settings(max_examples=15, deadline=None)
@given(way=st.sampled_from(list(WAYS)), size=st.integers(1, 80), seed=st.integers(0, 10**6),
       extreme=st.sampled_from(["min", "max"]), log_scale=st.sampled_from([-300.0, 0.0, 300.0]))
def test_one_extreme_of_observations_shown_finite_is_numpys(way, size, seed, extreme, log_scale):
    x = np.random.default_rng(seed).normal(size=size) * 10.0**log_scale
    known = _reduced(way, x, (extreme, "finite"))
    assert known[extreme] == (x.min() if extreme == "min" else x.max())


@pytest.mark.parametrize("way", ["whole", "blocks"])
def test_an_extreme_of_finite_observations_whose_absolute_sum_overflows_is_still_given(way):
    x = np.full(40, 1e307)
    x[5] = 2e307  # sum |x| = 4.1e308: dasum is inf, the extremes say every observation is finite
    known = _reduced(way, x, ("min", "finite"))
    assert known["min"] == 1e307 and all(math.isfinite(v) for v in known.values())


def _shifted_exponential():
    import sympy as sp

    from tests.mle_numeric import hand_built as hb

    problem = hb._problem("Shifted exponential", sp.log(hb.lam) - hb.lam * (hb.x - hb.mu), sp.Interval(hb.mu, sp.oo),
                          (hb.mu, hb.lam), (hb.mu,), (hb._order(hb.lowest, "min"),), {hb.mu: hb.lowest})
    return mle_estimator(problem), {"lambda": 1.5}


# Blocks of the real size (64k): a sample of one block less one, one block, one block and one more, and two blocks
# and one more; the minimum and dasum are taken block by block from the first observation on
@pytest.mark.parametrize("size", [sample_reductions.BLOCK - 1, sample_reductions.BLOCK, sample_reductions.BLOCK + 1,
                                  2 * sample_reductions.BLOCK + 1])
def test_the_paired_blocks_give_what_hand_written_numpy_gives(size):
    x = np.random.default_rng(size).exponential(size=size) * 3.0
    exponential = mle_estimator(CASES["exponential"].problem)
    shifted, fixed = _shifted_exponential()
    with mock.patch.object(sample_reductions, "PAIRS_BLOCKED_FROM", 1):
        rate = exponential(x)["lambda"]
        assert shifted(x, **fixed) == {"mu": x.min()}
        assert reduce_sample(x, ("max", "finite")) == {"max": x.max()}
    assert math.isclose(rate, 1 / np.mean(x), rel_tol=1e-13)
    assert math.isclose(rate, size / math.fsum(x), rel_tol=1e-13)  # the exactly rounded sum: an independent oracle


@pytest.mark.parametrize("size", [sample_reductions.BLOCK, 2 * sample_reductions.BLOCK + 1])
@pytest.mark.parametrize("bad", [-1e-300, -2.0, math.nan, -math.nan, math.inf, -math.inf])
def test_bad_data_in_the_last_paired_block_is_refused_naming_it(size, bad):
    x = np.random.default_rng(1).exponential(size=size)
    x[-1] = bad
    exponential = mle_estimator(CASES["exponential"].problem)
    shifted, fixed = _shifted_exponential()
    with mock.patch.object(sample_reductions, "PAIRS_BLOCKED_FROM", 1):
        with pytest.raises(DataError, match=rf"x\[{size - 1}\]"):
            exponential(x)
        if not bad < 0:  # the shifted exponential's support starts at its estimate: a small x is fine
            with pytest.raises(DataError, match=rf"x\[{size - 1}\]"):
                shifted(x, **fixed)


@pytest.mark.parametrize("size", [1, 6, 7, 8, 13, 14, 15])
@pytest.mark.parametrize("position", [0, -1])
def test_paired_blocks_at_every_boundary_see_a_negative_or_non_finite_observation(size, position):
    with mock.patch.multiple(sample_reductions, **WAYS["blocks"]):
        x = np.linspace(0.5, 2.0, size)
        assert reduce_sample(x, ("sum", "min"), True) == pytest.approx({"min": 0.5, "sum": math.fsum(x)}, rel=1e-15)
        assert reduce_sample(x, ("min", "finite")) == {"min": 0.5}
        for bad in (-1.0, -0.0, math.nan, math.inf):
            broken = x.copy()
            broken[position] = bad
            for known in (reduce_sample(broken, ("sum", "min"), True), reduce_sample(broken, ("min", "finite"))):
                if np.isfinite(broken).all():
                    assert known["min"] == np.min(broken)
                else:  # shown by a non-finite reduction: the caller's plain path names the observation
                    assert not all(map(math.isfinite, known.values()))


def test_a_negative_zero_in_the_last_paired_block_is_inside_a_support_from_zero():
    x = np.random.default_rng(2).exponential(size=2 * sample_reductions.BLOCK + 1)
    x[-1] = -0.0  # its sign bit hands the sample to the general reductions, which accept it: -0.0 == 0
    with mock.patch.object(sample_reductions, "PAIRS_BLOCKED_FROM", 1):
        rate = mle_estimator(CASES["exponential"].problem)(x)["lambda"]
    assert math.isclose(rate, x.size / math.fsum(x), rel_tol=1e-13)
