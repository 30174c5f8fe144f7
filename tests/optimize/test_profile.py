"""A vector unknown and scalar unknowns together (linear regression's weights and noise variance, PRML 3.1.1):
W is optimised with the scalars fixed, substituted back, and the profile optimised over the scalars."""
import numpy as np
import pytest
import sympy as sp

import symml

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
s2 = sp.Symbol("sigma2", positive=True)
NEGATIVE_LOG_LIKELIHOOD = n / 2 * sp.log(2 * sp.pi * s2) * sp.Identity(1) + symml.sq_norm(y - X @ w) / (2 * s2)


@pytest.fixture(scope="module")
def fit():
    return symml.derive.minimize(NEGATIVE_LOG_LIKELIHOOD, wrt=[w, s2])


def _least_squares(X_, y_):
    weights = np.linalg.lstsq(X_, y_, rcond=None)[0]
    return weights, float(np.mean((y_ - X_ @ weights) ** 2))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_weights_and_noise_variance_are_least_squares_and_the_mean_squared_residual(fit, seed):
    rng = np.random.default_rng(seed)
    X_ = rng.normal(size=(40, 3))
    y_ = X_ @ rng.normal(size=3) + rng.uniform(0.1, 2.0) * rng.normal(size=40)
    estimate = fit.numpy()(X=X_, y=y_)
    weights, variance = _least_squares(X_, y_)
    np.testing.assert_allclose(estimate["w"], weights, rtol=1e-10)
    assert estimate["sigma2"] == pytest.approx(variance, rel=1e-10)


def test_the_joint_optimum_agrees_with_bfgs_over_all_unknowns(fit):
    assert fit.verify().passed


def test_the_derivation_profiles_the_weights_out_before_the_variance(fit):
    titles = [step.title for step in fit.steps]
    assert titles.index("Profile") > max(i for i, t in enumerate(titles) if "over $w$" in t)
    assert set(fit.result) == {w, s2} and not fit.result[w].has(s2)


def test_maximising_the_log_likelihood_gives_the_same_estimates():
    rng = np.random.default_rng(5)
    X_, y_ = rng.normal(size=(30, 2)), rng.normal(size=30)
    estimate = symml.derive.maximize(-NEGATIVE_LOG_LIKELIHOOD, wrt=[w, s2]).numpy()(X=X_, y=y_)
    weights, variance = _least_squares(X_, y_)
    np.testing.assert_allclose(estimate["w"], weights, rtol=1e-10)
    assert estimate["sigma2"] == pytest.approx(variance, rel=1e-10)


def test_the_mle_of_a_log_likelihood_over_the_data_vector_is_its_maximum():
    model = symml.Model(logpdf=-NEGATIVE_LOG_LIKELIHOOD, data=y)
    rng = np.random.default_rng(6)
    X_, y_ = rng.normal(size=(25, 2)), rng.normal(size=25)
    estimate = symml.derive.mle(model, wrt=[w, s2]).numpy()(X=X_, y=y_)
    weights, variance = _least_squares(X_, y_)
    np.testing.assert_allclose(estimate["w"], weights, rtol=1e-10)
    assert estimate["sigma2"] == pytest.approx(variance, rel=1e-10)


def test_the_mle_over_a_data_vector_asks_which_parameters_to_estimate():
    with pytest.raises(symml.ParameterError, match="name the parameters"):
        symml.derive.mle(symml.Model(logpdf=-NEGATIVE_LOG_LIKELIHOOD, data=y))


def test_the_noise_variance_is_computed_from_the_residual_without_cancellation(fit):
    # written yᵀy − yᵀXŵ it cancels when the fit is close: targets ~1e6 with residuals ~1e-4 lose every digit
    rng = np.random.default_rng(7)
    X_ = 1e3 * rng.normal(size=(60, 3))
    y_ = X_ @ np.array([300.0, -200.0, 500.0]) + 1e-4 * rng.normal(size=60)
    estimate = fit.numpy()(X=X_, y=y_)
    assert estimate["sigma2"] == pytest.approx(_least_squares(X_, y_)[1], rel=1e-6)
    assert fit.summary[-1].rhs.has(sp.MatrixSymbol("what", d, 1))  # σ̂² = ‖y − Xŵ‖²/n, in ŵ's name
