"""numpy() estimators on large samples and extreme values: finite, and correct to 1e-9 relative.

References are computed independently with correctly rounded sums (math.fsum), not with the estimator's code.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from symml.mle.numeric import mle_estimator
from tests.mle_numeric.hand_built import CASES
from tests.mle_numeric.oracle import rel

MILLION = 1_000_000


def _exact_mean_and_sd(sample: np.ndarray) -> tuple[float, float]:
    mean = math.fsum(sample) / sample.size
    return mean, math.sqrt(math.fsum((sample - mean) ** 2) / sample.size)


@pytest.mark.parametrize("location, scale", [(1e8, 1.0), (-3e9, 1e-3), (0.0, 1e-150), (5.0, 1e150)])
def test_normal_on_a_million_points_far_from_zero_or_at_extreme_scales(location, scale):
    # sigma-hat is a centred moment, so a location of 1e8 with unit spread loses nothing to cancellation
    sample = np.random.default_rng(7).normal(location, scale, MILLION)
    estimate = mle_estimator(CASES["normal"].problem)(sample)
    mean, sd = _exact_mean_and_sd(sample)
    assert all(math.isfinite(v) for v in estimate.values())
    assert rel(estimate["mu"], mean) < 1e-9 or abs(estimate["mu"] - mean) < 1e-9 * sd
    assert rel(estimate["sigma"], sd) < 1e-9


@pytest.mark.parametrize("scale", [1e-300, 1e-100, 1.0, 1e100, 1e300])
def test_exponential_rate_at_tiny_and_huge_scales(scale):
    sample = np.random.default_rng(3).exponential(scale, MILLION)
    estimate = mle_estimator(CASES["exponential"].problem)(sample)
    assert rel(estimate["lambda"], sample.size / math.fsum(sample)) < 1e-9


@pytest.mark.parametrize("scale", [1e-100, 1e100])
def test_gamma_shape_and_scale_at_extreme_scales(scale):
    sample = np.random.default_rng(5).gamma(2.5, scale, MILLION)
    at_unit = mle_estimator(CASES["gamma"].problem)(sample / scale)
    estimate = mle_estimator(CASES["gamma"].problem)(sample)
    # the shape does not depend on the unit of measurement; the scale follows it
    assert rel(estimate["k"], at_unit["k"]) < 1e-9
    assert rel(estimate["theta"], at_unit["theta"] * scale) < 1e-9


def test_poisson_rate_for_huge_counts_on_a_million_points():
    sample = np.random.default_rng(2).poisson(1e12, MILLION).astype(float)
    estimate = mle_estimator(CASES["poisson"].problem)(sample)
    assert rel(estimate["lambda"], math.fsum(sample) / sample.size) < 1e-12


def test_laplace_location_far_from_zero_is_the_exact_median():
    sample = np.random.default_rng(4).laplace(1e8, 1.0, MILLION + 1)
    assert mle_estimator(CASES["laplace_location"].problem)(sample, b=1.0)["mu"] == np.sort(sample)[MILLION // 2]


def test_student_t_location_far_from_zero():
    sample = 1e6 + np.random.default_rng(6).standard_t(3.0, 100_000)
    estimate = mle_estimator(CASES["student_t_location"].problem)(sample, nu=3.0)
    assert abs(estimate["mu"] - 1e6) < 0.02 and math.isfinite(estimate["mu"])
