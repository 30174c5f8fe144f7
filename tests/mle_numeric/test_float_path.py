"""The few-observation path of the numeric estimators of one unknown whose equation keeps sums over the data
(symml/mle/few_observations.py, symml/mle/float_sums.py) and the concavity proof of a profile log-likelihood
(symml/mle/concave_profile.py): estimates against scipy.optimize and scipy.stats, the path taken or handed back,
and the proven concavity against finite differences of a profile maximised numerically.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from derivations import build
from symml.errors import DataError
from symml.mle.numeric_solver import NumericSolver
# the estimators as fixtures and scipy's searches, shared with the tests of the per-call path before this one
from tests.mle_numeric.test_few_observations import (  # noqa: F401 - fixtures used by name
    NU, _location_by_bounded_search, _weibull_by_multi_start, student_t, weibull)


@pytest.fixture(scope="module")
def weibull_solver():
    return NumericSolver(build("mle.weibull_shape").problem)


@pytest.fixture(scope="module")
def student_t_solver():
    return NumericSolver(build("mle.student_t_location").problem)


@pytest.fixture
def generic_refused(monkeypatch):
    """The generic solver made to fail: an estimate returned was certified by the few-observation path."""
    def refuse(*args, **kwargs):
        raise AssertionError("the generic solver was called")

    monkeypatch.setattr(NumericSolver, "__call__", refuse)


def test_student_t_location_on_a_few_observations_takes_the_float_path(student_t, generic_refused):
    sample = np.array([0.3, -1.2, 2.5, 0.9, 1.1, -0.4, 0.2, 3.9, 0.8, 1.4])
    assert student_t(sample, nu=NU)["mu"] == pytest.approx(_location_by_bounded_search(sample), rel=1e-7)


def test_weibull_shape_on_a_few_observations_takes_the_float_path(weibull, generic_refused):
    sample = np.array([0.5, 1.2, 2.0, 3.1, 0.9, 1.7, 2.2, 0.3, 1.1, 1.4])
    scale, shape = _weibull_by_multi_start(sample)
    estimate = weibull(sample)
    assert estimate["beta"] == pytest.approx(shape, rel=1e-6)
    assert estimate["alpha"] == pytest.approx(scale, rel=1e-6)


def test_two_clusters_are_handed_to_the_generic_search(student_t_solver):
    # the root from the median lies in the spread cluster; a start at the tight cluster beats it: not certified
    sample = np.array([5.0, 8.0, 11.0, 14.0, 30.0, 30.01, 29.99])
    values = {student_t_solver.problem.sample_size: float(sample.size)}
    values.update({p: NU for p in student_t_solver.problem.fixed})
    assert student_t_solver.few.estimate(sample.tolist(), sample, values) is None


@pytest.mark.parametrize("sample", [[2.5], [1.0, 1.0, 1.0, 2.0, 2.0, 3.0], [1.2, 0.8, 1.5, 0.9, 1e6]],
                         ids=["one observation", "ties", "an outlier at 1e6"])
def test_student_t_location_is_the_maximiser_of_a_bounded_search(student_t, sample):
    sample = np.array(sample)
    expected = _location_by_bounded_search(sample) if sample.size > 1 else sample[0]
    assert student_t(sample, nu=NU)["mu"] == pytest.approx(expected, rel=1e-7, abs=1e-9)


def test_student_t_location_of_observations_1e300_apart_is_the_most_central_one(student_t):
    # at spacings of 1e300 (unit scale) each observation is a spike of the likelihood narrower than a float step;
    # the highest is the one whose summed log distance to the others is least: sum_j log(1 + d^2/nu) = sum_j 2 log|d|
    # - log nu to 1e-600. Seen only by a start at an observation (main gave 2.05e300, a quantile start)
    sample = np.array([1e300, 3e300, 2e300, 6e300])
    distances = [sum(2 * math.log(abs(a - b)) for b in sample if b != a) for a in sample]
    assert student_t(sample, nu=NU)["mu"] == pytest.approx(sample[int(np.argmin(distances))], rel=1e-12)


def test_student_t_location_of_observations_near_1e_300_lies_among_them(student_t):
    # at unit scale the log-likelihood is flat to rounding over data 1e-300 apart: any point among them maximises it
    sample = np.array([1e-300, 3e-300, 2e-300, 5e-300])
    assert sample.min() <= student_t(sample, nu=NU)["mu"] <= sample.max()


@pytest.mark.parametrize("sample", [[1e-300, 3e-300, 2e-300, 5e-300], [1e300, 3e300, 2e300], [2.0, 2.0, 3.0]],
                         ids=["near 1e-300", "near 1e300", "ties"])
def test_weibull_at_the_ends_of_the_double_range_is_a_multi_start_maximiser(weibull, sample):
    # scaled by a power of 2 the likelihood's maximiser scales exactly: scipy's search on data of order 1
    sample = np.array(sample)
    factor = 2.0 ** -round(math.log2(float(np.max(sample))))
    scale, shape = _weibull_by_multi_start(sample * factor)
    estimate = weibull(sample)
    assert estimate["beta"] == pytest.approx(shape, rel=1e-6)
    assert estimate["alpha"] == pytest.approx(scale / factor, rel=1e-6)


def test_weibull_of_one_observation_is_refused(weibull):
    with pytest.raises(DataError, match="does not exist"):
        weibull(np.array([2.5]))


def test_weibull_with_an_observation_at_0_is_refused_as_before(weibull):
    # log 0 in the float path's rows: handed to the generic solver, whose checks name the observation
    with pytest.raises(DataError, match=r"x\[1\]"):
        weibull(np.array([1.0, 0.0, 2.0]))


def _grid_maximum_student_t(sample: np.ndarray) -> float:
    grid = np.linspace(sample.min(), sample.max(), 2001)
    return float(np.max(ss.t.logpdf(sample[:, None], NU, loc=grid).sum(axis=0)))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-50.0, 50.0), min_size=1, max_size=30))
def test_student_t_estimate_is_at_least_every_point_of_a_grid(student_t, observations):
    # the log-likelihood's maxima lie within the data's range; the estimate is no worse than a fine grid there
    sample = np.array(observations)
    estimate = student_t(sample, nu=NU)["mu"]
    best = float(np.sum(ss.t.logpdf(sample, NU, loc=estimate)))
    assert best >= _grid_maximum_student_t(sample) - 1e-9 * (1.0 + abs(best))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.01, 100.0), min_size=2, max_size=30).filter(lambda v: max(v) > min(v)))
def test_weibull_estimate_is_at_least_every_point_of_a_grid(weibull, observations):
    sample = np.array(observations)
    estimate = weibull(sample)
    best = float(np.sum(ss.weibull_min.logpdf(sample, estimate["beta"], scale=estimate["alpha"])))
    shapes, scales = np.geomspace(0.05, 50.0, 201), np.geomspace(sample.min(), sample.max(), 201)
    with np.errstate(all="ignore"):
        grid = ss.weibull_min.logpdf(sample[:, None, None], shapes[:, None], scale=scales).sum(axis=0)
    assert best >= float(np.nanmax(grid)) - 1e-9 * (1.0 + abs(best))


def test_float_sums_give_numpys_equation_and_slope(weibull_solver):
    # the generated loop against the NumPy path of ScaledSums, data at 1e300 (x^beta alone overflows)
    solver, rng = weibull_solver, np.random.default_rng(3)
    for scale in (1.0, 1e300, 1e-300):
        sample = rng.weibull(1.7, 12) * scale
        values = {solver.problem.sample_size: np.float64(sample.size)}
        solver.plan.complete(sample, values)
        solver.sums.prepare(sample, values)
        numpy_pair = solver._with_slope(sample, values)
        few = solver.few
        constants = tuple(float(values[c]) for c in few.newton.constants)
        rows, tops = few.newton.rows(sample.tolist(), constants)
        for t in (0.05, 0.7, 2.0, 40.0):
            # near the root the equation is a difference of terms of order 1: rounding of ~1e-12 absolute
            assert few.newton.function(t, rows, tops, *constants) == pytest.approx(numpy_pair(t), rel=1e-12,
                                                                                   abs=1e-11)


def test_a_math_domain_error_is_nan_not_an_exception(weibull_solver):
    few = weibull_solver.few
    constants = (1.0,) * len(few.newton.constants)
    assert few.newton.rows([1.0, 0.0], constants) is None  # log 0
    # the log-likelihood's log(beta) at beta < 0: ValueError in the math module, NaN here as in NumPy
    assert all(map(math.isnan, few.at_root.function(-1.0, [(1.0, 1.0)], (1.0, 1.0), *constants)))


def _profile(sample: np.ndarray, shape: float) -> float:
    """The Weibull log-likelihood at ``shape`` maximised over the scale numerically (bounded, in log scale)."""
    centre = math.log(float(np.mean(sample)))
    found = optimize.minimize_scalar(lambda z: -float(np.sum(ss.weibull_min.logpdf(sample, shape, scale=math.exp(z)))),
                                     bounds=(centre - 10.0, centre + 10.0), method="bounded",
                                     options={"xatol": 1e-12})
    return -float(found.fun)


def test_the_weibull_profile_proven_concave_has_negative_second_differences():
    assert build("mle.weibull_shape").problem.concave_profile
    rng = np.random.default_rng(5)
    for _ in range(3):
        sample = rng.weibull(rng.uniform(0.5, 4.0), 8) * rng.uniform(0.1, 10.0)
        h = 0.05
        for shape in (0.3, 1.0, 3.0):
            second = (_profile(sample, shape + h) - 2 * _profile(sample, shape) + _profile(sample, shape - h)) / h**2
            assert second < 0.0


def test_the_student_t_profile_is_not_claimed_concave():
    # two separated clusters give two maxima: no proof may exist
    assert not build("mle.student_t_location").problem.concave_profile
