"""The numeric estimators on a few observations (the Student-t location, the Weibull shape), where the per-call
path reads the sample and the fixed parameters once and takes the multi-start search's quantiles, candidates and
Hessian points in Python floats: on awkward samples each estimate is the maximiser found by scipy.optimize's own
multi-start bounded search of scipy.stats' log-likelihood, and bad input is refused as before.
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
from symml.errors import DataError, ParameterError
from symml.mle.sample_reductions import median_of
from symml.mle.self_checks import _quantiles

NU = 3.0


@pytest.fixture(scope="module")
def student_t():
    return build("mle.student_t_location").numpy()


@pytest.fixture(scope="module")
def weibull():
    return build("mle.weibull_shape").numpy()


def _location_by_bounded_search(sample: np.ndarray) -> float:
    """The Student-t (nu = 3, scale 1) location maximising scipy.stats' log-likelihood: a bounded search
    (minimize_scalar) around each local minimum of the negative log-likelihood on a grid over the data's range
    (where every maximum of a location lies) of 2001 points, and 401 more within 10 scales of each observation,
    the best kept."""
    def negative(mu: float) -> float:
        return -float(np.sum(ss.t.logpdf(sample, NU, loc=mu)))

    near = sample[:, None] + np.linspace(-10.0, 10.0, 401)
    grid = np.unique(np.clip(np.concatenate([np.linspace(sample.min(), sample.max(), 2001), near.ravel()]),
                             sample.min(), sample.max()))
    values = np.array([negative(mu) for mu in grid])
    best, best_value = float(grid[np.argmin(values)]), float(values.min())
    for k in range(1, grid.size - 1):
        if values[k] <= values[k - 1] and values[k] <= values[k + 1]:
            found = optimize.minimize_scalar(negative, bounds=(grid[k - 1], grid[k + 1]), method="bounded",
                                             options={"xatol": 1e-13})
            if found.fun < best_value:
                best, best_value = float(found.x), float(found.fun)
    return best


def _weibull_by_multi_start(sample: np.ndarray) -> tuple[float, float]:
    """(scale, shape) maximising scipy.stats' Weibull log-likelihood: L-BFGS-B in log coordinates, bounded, from a
    grid of 9 starts, the best polished by Nelder-Mead."""
    def negative(z: np.ndarray) -> float:
        total = float(np.sum(ss.weibull_min.logpdf(sample, math.exp(z[1]), scale=math.exp(z[0]))))
        return -total if math.isfinite(total) else math.inf

    centre = math.log(float(np.mean(sample)))
    starts = [np.array([centre + a, b]) for a in (-2.0, 0.0, 2.0) for b in (-2.0, 0.0, 1.5)]
    bounds = [(centre - 30.0, centre + 30.0), (-8.0, 6.0)]
    with np.errstate(all="ignore"):  # x^c past the double range at the bounds: inf, then -inf, not a maximum
        found = [optimize.minimize(negative, z, method="L-BFGS-B", bounds=bounds) for z in starts]
        best = min(found, key=lambda result: result.fun)
        polished = optimize.minimize(negative, best.x, method="Nelder-Mead",
                                     options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 10_000})
    return math.exp(polished.x[0]), math.exp(polished.x[1])


AWKWARD = {
    "two observations": np.array([0.7, 2.9]),
    "ties": np.array([1.0, 1.0, 1.0, 2.0, 2.0, 3.0]),
    "an outlier at 1e6": np.array([1.2, 0.8, 1.5, 0.9, 1e6]),
    "two clusters": np.array([5.0, 8.0, 11.0, 14.0, 30.0, 30.01, 29.99]),
}


@pytest.mark.parametrize("case", sorted(AWKWARD))
def test_student_t_location_is_the_maximiser_of_a_bounded_multi_start_search(student_t, case):
    sample = AWKWARD[case]
    assert student_t(sample, nu=NU)["mu"] == pytest.approx(_location_by_bounded_search(sample), rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("case", sorted(AWKWARD))
def test_weibull_shape_and_scale_are_the_maximiser_of_a_multi_start_search(weibull, case):
    sample = AWKWARD[case]
    scale, shape = _weibull_by_multi_start(sample)
    estimate = weibull(sample)
    assert estimate["beta"] == pytest.approx(shape, rel=1e-6)
    assert estimate["alpha"] == pytest.approx(scale, rel=1e-6)


def test_two_clusters_defeat_a_single_local_search_from_the_median(student_t):
    # the sample's median (11) lies in the spread cluster; the tight cluster at 30 holds the maximum
    sample = AWKWARD["two clusters"]
    local = optimize.minimize(lambda mu: -float(np.sum(ss.t.logpdf(sample, NU, loc=mu[0]))), [np.median(sample)],
                              method="BFGS")
    assert abs(local.x[0] - 30.0) > 5.0  # the local search stays near the median
    assert abs(student_t(sample, nu=NU)["mu"] - 30.0) < 1.0


def test_student_t_location_of_equal_observations_is_their_value(student_t):
    assert student_t(np.full(4, 3.0), nu=NU)["mu"] == 3.0


def test_weibull_shape_of_equal_observations_is_refused(weibull):
    # the log-likelihood grows without bound as the shape grows: no maximum
    with pytest.raises(DataError):
        weibull(np.full(4, 3.0))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_float_sample_with_a_non_finite_observation_is_refused_by_position(student_t, bad):
    sample = np.array([1.0, 2.0, bad, 4.0])
    with pytest.raises(DataError, match=r"x\[2\]"):
        student_t(sample, nu=NU)


def test_fixed_parameters_are_checked_on_every_call(student_t):
    sample = np.array([0.5, 1.5, 2.5])
    assert student_t(sample, nu=NU)["mu"] == pytest.approx(_location_by_bounded_search(sample), rel=1e-7)
    with pytest.raises(ParameterError, match="nu must be positive"):
        student_t(sample, nu=-1.0)
    with pytest.raises(ParameterError, match="missing value for the fixed parameter"):
        student_t(sample)
    with pytest.raises(ParameterError, match="mu is estimated, not fixed"):
        student_t(sample, nu=NU, mu=1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=64))
def test_quantiles_of_a_few_observations_are_numpys_linear_quantiles(observations):
    sample = np.array(observations)
    probabilities = np.linspace(0.05, 0.95, 7)
    expected = np.quantile(sample, probabilities)
    assert np.allclose(_quantiles(sample, probabilities), expected, rtol=1e-15, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6) | st.integers(-10**6, 10**6).map(float), min_size=1, max_size=80),
       st.booleans())
def test_median_of_a_few_observations_is_numpys_median(observations, as_integers):
    sample = np.array(observations).round().astype(np.int64) if as_integers else np.array(observations)
    assert median_of(sample) == np.median(sample)


def test_median_of_a_few_observations_with_a_nan_is_nan():
    assert math.isnan(median_of(np.array([1.0, math.nan, 2.0])))
