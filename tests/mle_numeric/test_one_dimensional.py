"""The 1-D numeric path: parameters profiled out by ``Eq(theta, ...)`` stationarity equations, the one equation
left solved by brentq, its data sums evaluated vectorised with a log-sum-exp shift (symml/mle/scaled_sums.py).

Oracles: scipy.stats ``fit`` with a tight optimizer, and the scale equivariance of the maximum-likelihood estimate
(shape(c x) = shape(x), scale(c x) = c scale(x)) at scales where x^shape overflows a double."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from hypothesis import given, settings, strategies as st

from derivations import build
from symml.mle.scaled_sums import ScaledSums
from tests.mle_numeric.oracle import rel
from tests.mle_numeric.test_catalog_estimators import _tight_fmin


def _weibull_sample(shape, scale, size, seed=3):
    return ss.weibull_min(shape, scale=scale).rvs(size=size, random_state=np.random.default_rng(seed))


def test_weibull_shape_is_a_brentq_root_not_a_2d_maximisation():
    method = build("mle.weibull_shape").numpy().__doc__
    assert "brentq" in method and "minimize" not in method and "alpha from the closed form given beta" in method


def test_gamma_shape_is_a_brentq_root_with_the_scale_profiled_out():
    method = build("mle.gamma_shape").numpy().__doc__
    assert "brentq" in method and "theta from the closed form given k" in method


@settings(max_examples=8)
@given(shape=st.floats(0.3, 8.0), size=st.integers(50, 3000), seed=st.integers(0, 10**6))
def test_weibull_shape_and_scale_agree_with_a_tight_scipy_fit(shape, size, seed):
    sample = _weibull_sample(shape, 1.7, size, seed)
    estimate = build("mle.weibull_shape").numpy()(sample)
    fitted_shape, _, fitted_scale = ss.weibull_min.fit(sample, floc=0, optimizer=_tight_fmin)
    assert rel(estimate["beta"], fitted_shape) < 1e-7 and rel(estimate["alpha"], fitted_scale) < 1e-7


@pytest.mark.parametrize("factor", [1e-300, 1e-150, 1e150, 1e300])
def test_weibull_estimate_is_scale_equivariant_where_x_to_the_shape_overflows(factor):
    # beta(c x) = beta(x), alpha(c x) = c alpha(x); at c = 1e150, x^beta ~ 1e330 overflows without the shift
    sample = _weibull_sample(2.2, 1.0, 2000) / 8.0  # max(x) ~ 0.3: c x stays finite at c = 1e300
    estimator = build("mle.weibull_shape").numpy()
    reference, scaled = estimator(sample), estimator(factor * sample)
    assert rel(scaled["beta"], reference["beta"]) < 1e-9
    assert rel(scaled["alpha"], factor * reference["alpha"]) < 1e-9


@pytest.mark.parametrize("factor", [1e-300, 1e300])
def test_gamma_estimate_is_scale_equivariant_at_extreme_scales(factor):
    sample = ss.gamma(2.5, scale=1.0).rvs(size=2000, random_state=np.random.default_rng(5)) / 100.0
    estimator = build("mle.gamma_shape").numpy()
    reference, scaled = estimator(sample), estimator(factor * sample)
    assert rel(scaled["k"], reference["k"]) < 1e-9 and rel(scaled["theta"], factor * reference["theta"]) < 1e-9


def test_weibull_on_a_million_points_agrees_with_scipy_fit():
    sample = _weibull_sample(2.2, 1.7, 1_000_000)
    estimate = build("mle.weibull_shape").numpy()(sample)
    fitted_shape, _, fitted_scale = ss.weibull_min.fit(sample, floc=0)
    assert rel(estimate["beta"], fitted_shape) < 1e-5 and rel(estimate["alpha"], fitted_scale) < 1e-5


def test_gamma_on_a_million_points_agrees_with_scipy_fit():
    sample = ss.gamma(2.5, scale=1.7).rvs(size=1_000_000, random_state=np.random.default_rng(2))
    estimate = build("mle.gamma_shape").numpy()(sample)
    fitted_shape, _, fitted_scale = ss.gamma.fit(sample, floc=0)
    assert rel(estimate["k"], fitted_shape) < 1e-9 and rel(estimate["theta"], fitted_scale) < 1e-9


def test_beta_square_system_converges_by_root_finding_to_scipy_fit():
    # hybr stalls at rounding level on this sample: the near-zero residual is accepted, no fallback maximisation
    sample = ss.beta(2.0, 3.0).rvs(size=1_000_000, random_state=np.random.default_rng(0))
    estimate = build("mle.beta").numpy()(sample)
    a, b, _, _ = ss.beta.fit(sample, floc=0, fscale=1)
    assert rel(estimate["alpha"], a) < 1e-9 and rel(estimate["beta"], b) < 1e-9


# --- the scaled sums themselves ---------------------------------------------------------------------------------
_X, _B, _N, _I = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True), sp.Symbol("n"), sp.Idx("i")
_DATA = sp.IndexedBase("x")
_POWER_SUM = sp.Sum(_DATA[_I] ** _B, (_I, 1, _N))
_LOG_POWER_SUM = sp.Sum(sp.log(_DATA[_I]) * _DATA[_I] ** _B, (_I, 1, _N))


def _evaluate(expr, sums, sample, b):
    from symml.mle.numeric import SampleFunction

    values = sums.prepare(sample, {_N: float(sample.size)})
    values[_B] = b
    return float(SampleFunction.of(expr)(sums.evaluate(values)))


@settings(max_examples=15)
@given(b=st.floats(0.1, 20.0), seed=st.integers(0, 10**6))
def test_a_homogeneous_residual_keeps_its_sign_on_the_scaled_sums(b, seed):
    # sum x^b (1 + b log x) - b log(2) sum x^b log x is homogeneous of degree 1: sign(scaled) = sign(exact)
    sample = np.random.default_rng(seed).uniform(0.1, 3.0, size=200)
    residual = _POWER_SUM + _B * _LOG_POWER_SUM - sp.log(2) * _B * _LOG_POWER_SUM
    sums = ScaledSums([residual], _X, _N, (_B,))
    exact = np.sum(sample**b * (1 + b * np.log(sample))) - np.log(2) * b * np.sum(sample**b * np.log(sample))
    assert np.sign(_evaluate(sums.for_sign(residual), sums, sample, b)) == np.sign(exact)


def test_a_value_through_the_scaled_sums_is_the_exact_value():
    sample = np.random.default_rng(1).uniform(0.5, 2.0, size=100)
    log_mean = sp.log(_POWER_SUM / _N) + 1  # not homogeneous: evaluated exactly
    sums = ScaledSums([log_mean], _X, _N, (_B,))
    expected = np.log(np.mean(sample**3.0)) + 1
    assert rel(_evaluate(sums.for_sign(log_mean), sums, sample, 3.0), expected) < 1e-13
