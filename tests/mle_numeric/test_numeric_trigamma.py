"""The scalar trigamma the reduced problem's compiled slope and Hessian call: checked against mpmath's polygamma
at 40 digits (an independent arbitrary-precision implementation)."""
import math

import mpmath
import numpy as np
from scipy.special import zeta

from symml.mle.numeric_trigamma import trigamma


def _exact(x: float) -> float:
    with mpmath.workdps(40):
        return float(mpmath.polygamma(1, mpmath.mpf(x)))


def test_within_1e_15_relative_of_mpmath_from_1e_8_to_1e8():
    rng = np.random.default_rng(17)
    points = [*10.0 ** rng.uniform(-8.0, 8.0, 200), *np.linspace(0.05, 12.0, 60), 1e-8, 7.999999999, 8.0, 1e8]
    worst = max(abs(trigamma(float(x)) - _exact(float(x))) / _exact(float(x)) for x in points)
    assert worst <= 1e-15


def test_outside_the_positive_reals_is_scipys_hurwitz_zeta():
    for x in [-0.5, -3.25]:
        assert trigamma(x) == float(zeta(2.0, x))
    assert math.isnan(trigamma(math.nan))


def test_zero_at_infinity():
    assert trigamma(math.inf) == 0.0
