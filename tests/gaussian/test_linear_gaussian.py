"""The linear-Gaussian model (PRML 2.113-2.117): p(y) and p(x | y) against numpy at d = 2, 5, 20.

Oracles: the posterior mean by scipy.optimize on the log joint (scipy.stats logpdfs) and its covariance as the
inverse of a finite-difference Hessian; the marginal by Monte Carlo draws of the generative process, and by
quadrature of p(y | x) p(x) over a one-dimensional x.
"""
from functools import cache

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

import symml
from symml.gaussian import LinearGaussian
from symml.testing import random_spd

d, n = symml.dims("d n")
MODEL = LinearGaussian.blocks(d, n)


@cache
def posterior():
    return symml.derive.conditional(MODEL, given=MODEL.y)


@cache
def marginal():
    return symml.derive.marginal(MODEL, keep=MODEL.y)


def _values(rng, dim, rows):
    return dict(mu=rng.normal(size=dim), Lambda=random_spd(rng, dim), A=rng.normal(size=(rows, dim)),
                b=rng.normal(size=rows), L=random_spd(rng, rows))


def _log_joint(v, y):
    prior = multivariate_normal(v["mu"], np.linalg.inv(v["Lambda"]))
    noise = np.linalg.inv(v["L"])
    return lambda x: prior.logpdf(x) + multivariate_normal(v["A"] @ x + v["b"], noise).logpdf(y)


@pytest.mark.parametrize("dim", [2, 5, 20])
def test_posterior_mean_is_the_maximiser_of_the_log_joint(dim):
    rng = np.random.default_rng(dim)
    v, y = _values(rng, dim, dim + 2), rng.normal(size=dim + 2)
    f = _log_joint(v, y)
    best = minimize(lambda x: -f(x), np.zeros(dim), method="BFGS", options={"gtol": 1e-9})
    np.testing.assert_allclose(posterior().numpy()(**v, y=y)["mean"], best.x, rtol=1e-4, atol=1e-5)


def test_posterior_covariance_is_the_inverse_finite_difference_hessian():
    rng = np.random.default_rng(11)
    v, y = _values(rng, 3, 4), rng.normal(size=4)
    f, x0, h, E = _log_joint(v, y), rng.normal(size=3), 1e-3, np.eye(3)
    H = np.array([[(f(x0 + h * (E[i] + E[j])) - f(x0 + h * (E[i] - E[j])) - f(x0 - h * (E[i] - E[j]))
                    + f(x0 - h * (E[i] + E[j]))) / (4 * h * h) for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(posterior().numpy()(**v, y=y)["covariance"], np.linalg.inv(-H), rtol=1e-5)


@pytest.mark.parametrize("dim", [2, 5, 20])
def test_marginal_matches_monte_carlo_of_the_generative_process(dim):
    rng = np.random.default_rng(dim)
    v = _values(rng, dim, 3)
    draws = 100_000
    x = rng.multivariate_normal(v["mu"], np.linalg.inv(v["Lambda"]), size=draws)
    y = x @ v["A"].T + v["b"] + rng.multivariate_normal(np.zeros(3), np.linalg.inv(v["L"]), size=draws)
    out = marginal().numpy()(**v)
    scale = np.sqrt(np.diag(out["covariance"]))
    np.testing.assert_allclose(out["mean"], y.mean(axis=0), atol=5 * scale.max() / np.sqrt(draws))
    np.testing.assert_allclose(out["covariance"], np.cov(y.T), atol=0.03 * scale.max() ** 2)


def test_marginal_density_matches_quadrature_over_x():
    rng = np.random.default_rng(4)
    v = _values(rng, 1, 3)
    out = marginal().numpy()(**v)
    y = rng.normal(size=3)
    f = _log_joint(v, y)
    integral, _ = quad(lambda t: np.exp(f(np.array([t]))), -np.inf, np.inf, epsabs=0, epsrel=1e-12)
    assert multivariate_normal(out["mean"], out["covariance"]).logpdf(y) == pytest.approx(np.log(integral), rel=1e-9)


def test_both_verify():
    assert posterior().verify() and marginal().verify()


def test_marginal_of_the_latent_is_refused_with_the_reason():
    with pytest.raises(symml.ModelError, match="prior itself"):
        symml.derive.marginal(MODEL, keep=MODEL.x)


def test_conditioning_on_the_latent_is_refused_with_the_reason():
    with pytest.raises(symml.ModelError, match="model itself"):
        symml.derive.conditional(MODEL, given=MODEL.x)


def test_a_wrongly_shaped_design_is_a_shape_error():
    with pytest.raises(symml.ShapeError, match="A must"):
        LinearGaussian(MODEL.x, MODEL.y, MODEL.mean, MODEL.precision, symml.matrix("A", d, n), MODEL.b,
                       MODEL.noise_precision)
