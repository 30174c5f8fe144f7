"""The MLE of N(θ, θ), θ̂ = √(1 + 4·mean(x²))/2 − 1/2, at data far from 1. The closed form as written cancels to 0
at data of order 1e-100 (1 + 4e-200 is 1) and overflows at 1e200 (mean(x²) = 1e400): both were DataErrors saying
the observations are perhaps all equal. Evaluated as k s/(hypot(c/s, 1) + c/s), s = √(4·mean(x²)), it holds from
1e-150 to 1e300. At 1e-200, θ̂ ≈ 1e-400 is below the smallest double: the error says so and asks to rescale.
Oracle: scipy's bounded scalar minimisation of the negative log-likelihood in log θ (written with (x − θ)/√θ so
that it neither under- nor overflows).
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import optimize

import symml

theta = sp.Symbol("theta", positive=True)
RNG = np.random.default_rng(73)


@pytest.fixture(scope="module")
def estimate():
    return symml.derive.mle(st.Normal("X", theta, sp.sqrt(theta))).numpy()


def _oracle(x: np.ndarray, guess: float) -> float:
    def negative_loglik(u: float) -> float:
        root = np.exp(u / 2)
        return x.size * u / 2 + 0.5 * np.sum(((x - root**2) / root)**2)

    centre = np.log(guess)
    found = optimize.minimize_scalar(negative_loglik, bounds=(centre - 3, centre + 3), method="bounded",
                                     options={"xatol": 1e-12})
    return float(np.exp(found.x))


@pytest.mark.parametrize(("scale", "guess"), [(1e-100, lambda x: np.mean(x**2)), (1e-150, lambda x: np.mean(x**2)),
                                               (1e200, lambda x: np.sqrt(np.mean((x / 1e200)**2)) * 1e200),
                                               (1e300, lambda x: np.sqrt(np.mean((x / 1e300)**2)) * 1e300)])
def test_the_estimate_holds_at_data_far_below_and_above_one(estimate, scale, guess):
    x = np.abs(RNG.normal(1.0, 0.2, 30)) * scale
    assert estimate(x=x)["theta"] == pytest.approx(_oracle(x, guess(x)), rel=1e-8)


def test_the_golden_ratio_at_a_sample_of_ones_is_unchanged(estimate):
    assert estimate(x=np.ones(7))["theta"] == pytest.approx((np.sqrt(5) - 1) / 2, rel=1e-14)


def test_an_estimate_below_the_smallest_double_asks_to_rescale_not_about_equal_observations(estimate):
    with pytest.raises(symml.DataError, match="not all equal, but of order 2e-200.*underflows.*rescale"):
        estimate(x=np.array([1e-200, 2e-200, 1.5e-200]))
