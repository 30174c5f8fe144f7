"""On a large sample Newton's method starts from the root of the equation on a subsample (every k-th observation):
it lands where Newton from the method-of-moments start lands, in at most three passes over the whole sample."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings, strategies as st

from symml.mle import numeric_solver
from symml.mle.numeric import mle_estimator
from symml.mle.numeric_solver import NEWTON_SUBSAMPLE, NumericSolver
from tests.mle_numeric.hand_built import CASES

CASE = CASES["student_t_location"]
SIZE = 4 * NEWTON_SUBSAMPLE  # the smallest sample that starts from a subsample
ESTIMATOR = mle_estimator(CASE.problem)


def _sample(seed: int, offset: float, outliers: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sample = CASE.scipy(CASE.truth).rvs(size=SIZE, random_state=rng) + offset
    sample[rng.integers(0, SIZE, outliers)] = offset + 1e6 * rng.normal(size=outliers)  # heavy outliers
    return sample


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 10**6), offset=st.sampled_from([0.0, -250.0, 1e9]), outliers=st.sampled_from([0, 50]))
def test_newton_from_the_subsample_root_lands_where_newton_from_the_start_does(seed, offset, outliers):
    sample = _sample(seed, offset, outliers)
    from_subsample = ESTIMATOR(sample, **CASE.fixed)["mu"]
    original = NumericSolver._subsample_root
    NumericSolver._subsample_root = lambda self, sample, values, start, positive: start  # type: ignore[method-assign]
    try:
        from_start = ESTIMATOR(sample, **CASE.fixed)["mu"]
    finally:
        NumericSolver._subsample_root = original  # type: ignore[method-assign]
    assert math.isclose(from_subsample, from_start, rel_tol=1e-13, abs_tol=1e-12)


def test_the_whole_sample_is_read_at_most_three_times_by_newton():
    sample = _sample(1, 0.0, 0)
    full = []
    original = numeric_solver.newton_root

    def counted(f, start, positive, **options):
        calls: list = []
        root = original(lambda t: calls.append(t) or f(t), start, positive, **options)
        full.append(len(calls))
        return root

    numeric_solver.newton_root = counted
    try:
        ESTIMATOR(sample, **CASE.fixed)
    finally:
        numeric_solver.newton_root = original
    assert len(full) == 2 and full[1] <= 3, full  # Newton on the subsample, then on the whole sample
