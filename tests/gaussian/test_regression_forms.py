"""Bayesian linear regression t ~ N(Φw, β⁻¹I), w ~ N(0, α⁻¹I) from sympy.stats (a Normal per element, the form SymPy
accepts) and from the user's log-densities: the posterior against numpy.linalg, the MAP against numpy.linalg's
solve, the predictive against Monte Carlo (importance sampling from the prior), and the type-II ML updates against
scipy.optimize on the log evidence log N(t | 0, β⁻¹I + α⁻¹ΦΦᵀ) of scipy.stats. Hypothesis over α, β and the data."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.optimize
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs

import symml
from symml.testing import random_spd

SETTINGS = settings(max_examples=10, deadline=None)
N, M = symml.dims("N M")
Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
phi, t_new = symml.vector("phi", M), symml.vector("t_new", 1)
alpha, beta = sp.symbols("alpha beta", positive=True)
i = sp.Symbol("i", integer=True)
FORMS = ["sympy.stats", "log-density"]
precisions = hs.floats(0.2, 5.0)


def models(form: str):
    """(likelihood, prior, new observation) in one input form."""
    if form == "sympy.stats":
        return (st.Normal("t", (Phi * w)[i, 0], 1 / sp.sqrt(beta)), st.Normal("W", 0, 1 / sp.sqrt(alpha)),
                st.Normal("t_new", (phi.T * w)[0, 0], 1 / sp.sqrt(beta)))
    residual, new_residual = t - Phi * w, t_new - phi.T * w
    return (symml.Model(logpdf=-beta / 2 * residual.T * residual, data=t), symml.Model(logpdf=-alpha / 2 * w.T * w, data=w),
            symml.Model(logpdf=-beta / 2 * new_residual.T * new_residual, data=t_new))


@functools.cache
def posterior(form: str):
    likelihood, prior, _ = models(form)
    return symml.derive.posterior(likelihood, prior, w)


@functools.cache
def predictive(form: str):
    return symml.derive.posterior_predictive(posterior(form), models(form)[2])


def _data(seed: int, size: int = 12, features: int = 3):
    rng = np.random.default_rng(seed)
    design = rng.normal(size=(size, features))
    return rng, design, design @ rng.normal(size=features) + 0.4 * rng.normal(size=size)


@SETTINGS
@given(hs.integers(0, 10**6), precisions, precisions, hs.sampled_from(FORMS))
def test_the_posterior_is_numpy_linalgs_mean_and_covariance(seed, a, b, form):
    _, design, targets = _data(seed)
    got = posterior(form).numpy(moments=True)(Phi=design, t=targets, alpha=a, beta=b)
    covariance = np.linalg.inv(a * np.eye(3) + b * design.T @ design)
    np.testing.assert_allclose(got["covariance"], covariance, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.ravel(got["mean"]), b * covariance @ design.T @ targets, rtol=1e-8, atol=1e-10)


def test_the_sympy_stats_form_is_read_as_the_gaussian_records():
    likelihood, prior, _ = models("sympy.stats")
    from symml.gaussian.model_forms import gaussian_models

    read = gaussian_models(likelihood, prior, w)
    assert (read[0].variable.shape, read[0].mean, read[0].precision) == ((N, 1), Phi * w, beta * sp.Identity(N))
    assert (read[1].mean, read[1].precision) == (sp.ZeroMatrix(M, 1), alpha * sp.Identity(M))


@SETTINGS
@given(hs.integers(0, 10**6), precisions, precisions)
def test_the_map_is_numpy_linalgs_ridge_solution(seed, a, b):
    # the log-density form's MAP is checked against scipy.optimize in test_model_forms
    _, design, targets = _data(seed)
    got = _map("sympy.stats")(Phi=design, t=targets, alpha=a, beta=b)["w"]
    want = np.linalg.solve(design.T @ design + (a / b) * np.eye(3), design.T @ targets)
    np.testing.assert_allclose(np.ravel(got), want, rtol=1e-8, atol=1e-10)


@functools.cache
def _map(form: str):
    likelihood, prior, _ = models(form)
    return symml.derive.map(likelihood, prior, w).numpy()


PREDICTIVE_SETTING = dict(zip(("rng", "Phi", "t"), _data(3, size=4, features=2))) | {"alpha": 1.5, "beta": 2.0,
                                                                                    "phi": np.array([0.3, -1.0])}


@functools.cache
def monte_carlo_predictive() -> tuple[float, float]:
    """Mean and variance of t_new by self-normalised importance sampling of w: proposal a wide normal around the
    least-squares fit (numpy.linalg.lstsq), weights prior x likelihood / proposal; the noise's variance 1/β added
    to the spread of φᵀw."""
    s = PREDICTIVE_SETTING
    centre = np.linalg.lstsq(s["Phi"], s["t"], rcond=None)[0]
    proposal = ss.multivariate_normal(centre, 4 * np.linalg.inv(s["Phi"].T @ s["Phi"]) / s["beta"] + 0.1 * np.eye(2))
    draws = proposal.rvs(size=200_000, random_state=np.random.default_rng(11))
    log_weights = (np.sum(-s["beta"] / 2 * (s["t"] - draws @ s["Phi"].T) ** 2, axis=1)
                   - s["alpha"] / 2 * np.sum(draws**2, axis=1) - proposal.logpdf(draws))
    weights = np.exp(log_weights - log_weights.max())
    weights /= weights.sum()
    means = draws @ s["phi"]
    mean = weights @ means
    return mean, weights @ (means - mean) ** 2 + 1 / s["beta"]


@pytest.mark.parametrize("form", FORMS)
def test_the_predictive_variance_is_the_monte_carlo_one(form):
    mc_mean, mc_variance = monte_carlo_predictive()
    got = predictive(form).numpy()(**{k: v for k, v in PREDICTIVE_SETTING.items() if k != "rng"})
    assert float(np.ravel(got["mean"])[0]) == pytest.approx(mc_mean, rel=0.01)
    assert float(np.ravel(got["covariance"])[0]) == pytest.approx(mc_variance, rel=0.01)


@settings(max_examples=5, deadline=None)
@given(hs.integers(0, 10**6), hs.sampled_from(FORMS))
def test_type_two_maximum_likelihood_maximises_the_log_evidence(seed, form):
    _, design, targets = _data(seed, size=30)
    fit = _fit(form)(Phi=design, t=targets, alpha=1.0, beta=1.0)

    def negative_log_evidence(u):
        a, b = np.exp(u)
        return -ss.multivariate_normal(np.zeros(30), np.eye(30) / b + design @ design.T / a).logpdf(targets)

    best = np.exp(scipy.optimize.minimize(negative_log_evidence, np.zeros(2), method="BFGS",
                                          options={"gtol": 1e-9}).x)
    np.testing.assert_allclose([fit["alpha"], fit["beta"]], best, rtol=1e-4)


@functools.cache
def _fit(form: str):
    return symml.derive.evidence_maximization(posterior(form), [alpha, beta]).numpy()


def test_a_multivariate_normal_with_a_noise_covariance_matrix_is_one_draw_of_the_targets():
    # MultivariateNormal("t", Phi*w, Sigma): SymPy accepts a covariance that is a matrix symbol
    Sigma, S0, m0 = symml.matrix("Sigma", N, N, symmetric=True), symml.matrix("S0", M, M, symmetric=True), \
        symml.vector("m0", M)
    derivation = symml.derive.posterior(st.MultivariateNormal("t", Phi * w, Sigma), st.MultivariateNormal("W", m0, S0), w)
    rng, design, targets = _data(5, size=6, features=2)
    noise, spread, centre = random_spd(rng, 6), random_spd(rng, 2), rng.normal(size=2)
    got = derivation.numpy(moments=True)(Phi=design, t=targets, Sigma=noise, S0=spread, m0=centre)
    precision = np.linalg.inv(spread) + design.T @ np.linalg.solve(noise, design)
    np.testing.assert_allclose(got["covariance"], np.linalg.inv(precision), rtol=1e-9)
    np.testing.assert_allclose(np.ravel(got["mean"]), np.linalg.solve(
        precision, np.linalg.solve(spread, centre) + design.T @ np.linalg.solve(noise, targets)), rtol=1e-8)


def test_an_element_that_is_not_of_a_product_is_a_model_error():
    with pytest.raises(symml.ModelError, match="varies from element to element"):
        symml.derive.posterior(st.Normal("t", (Phi * w)[i, 0], symml.vector("s", N)[i, 0]), models("sympy.stats")[1], w)
