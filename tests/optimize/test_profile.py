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


def test_an_isotropic_gaussian_mean_and_variance_are_the_sample_mean_and_the_pooled_variance():
    mu, s = symml.vector("mu", d), sp.Symbol("s", positive=True)
    centred = symml.matrix("Z", n, d) - sp.OneMatrix(n, 1) * mu.T
    nll = n * d / 2 * sp.log(2 * sp.pi * s) * sp.Identity(1) + symml.trace(centred.T @ centred) / (2 * s)
    fit = symml.derive.minimize(nll, wrt=[mu, s])
    Z_ = 2.0 * np.random.default_rng(8).normal(size=(40, 3)) + 1.0
    estimate = fit.numpy()(Z=Z_)
    np.testing.assert_allclose(estimate["mu"], Z_.mean(axis=0), rtol=1e-12)
    assert estimate["s"] == pytest.approx(np.mean((Z_ - Z_.mean(axis=0)) ** 2), rel=1e-12)
    (trace,) = fit.summary[-1].rhs.atoms(sp.Trace)  # tr((Z − 1μ̂ᵀ)ᵀ(Z − 1μ̂ᵀ)), a product, not written out
    assert isinstance(trace.arg, sp.MatMul)


def test_a_vector_and_a_scalar_under_a_constraint_are_refused_with_the_way_to_proceed():
    with pytest.raises(symml.UnsupportedOperationError, match="profiling, which takes no constraints"):
        symml.derive.minimize(NEGATIVE_LOG_LIKELIHOOD, wrt=[w, s2], subject_to=[symml.Eq(w.T @ w, 1)])


def test_a_vector_without_a_closed_form_cannot_be_profiled_out():
    s = sp.Symbol("s", positive=True)
    with pytest.raises(symml.NoClosedFormError, match="cannot be profiled out"):
        symml.derive.minimize(symml.losses.logistic(X, w, y) * s + sp.log(s) * sp.Identity(1), wrt=[w, s])
