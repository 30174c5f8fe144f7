"""Bayes at matrix level (issue 12): Bayesian linear regression and the MVN mean under a Gaussian prior.

Oracles: the posterior mean by scipy.optimize of the log posterior (scipy.stats), the covariance as the inverse of a
finite-difference Hessian; the evidence as the multivariate normal logpdf of t under N(0, β⁻¹I + α⁻¹ΦΦᵀ); the
predictive by Monte Carlo over the posterior and the noise.
"""
import time
from functools import cache

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

import symml
from symml.gaussian import Gaussian
from symml.testing import random_spd

N, M, K, d = symml.dims("N M K d")
Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
alpha, beta = sp.symbols("alpha beta", positive=True)
LIKELIHOOD, PRIOR = Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha)
Phi_new, t_new = symml.matrix("Phi_new", K, M), symml.vector("t_new", K)


@cache
def blr():
    return symml.derive.posterior(LIKELIHOOD, PRIOR, wrt=w)


def _data(rng, n, m):
    return dict(Phi=rng.normal(size=(n, m)), t=rng.normal(size=n), alpha=float(rng.uniform(0.3, 3)),
                beta=float(rng.uniform(0.3, 3)))


def _log_posterior(v):
    n, m = v["Phi"].shape
    prior = multivariate_normal(np.zeros(m), np.eye(m) / v["alpha"])
    return lambda x: prior.logpdf(x) + multivariate_normal(v["Phi"] @ x, np.eye(n) / v["beta"]).logpdf(v["t"])


def test_blr_posterior_is_prml_3_53_shape_s_n_inverse_alpha_i_plus_beta_phi_t_phi():
    mean, covariance = blr().result
    assert covariance == sp.Inverse(alpha * sp.Identity(M) + beta * Phi.T @ Phi)
    assert mean.shape == (M, 1)


@pytest.mark.parametrize("m", [2, 5])
def test_blr_numpy_is_the_normalised_log_posterior_density_vectorised_over_w(m):
    rng = np.random.default_rng(10 + m)
    v = _data(rng, m + 8, m)
    points = rng.normal(size=(2, 3, m))
    # the oracle: log likelihood + log prior - log evidence, the evidence the normal logpdf of t under the prior
    n = v["Phi"].shape[0]
    log_z = multivariate_normal(np.zeros(n), np.eye(n) / v["beta"] + v["Phi"] @ v["Phi"].T / v["alpha"]).logpdf(v["t"])
    want = np.vectorize(_log_posterior(v), signature="(m)->()")(points) - log_z
    np.testing.assert_allclose(blr().numpy()(w=points, **v), want, rtol=1e-10)
    # and scipy's multivariate normal with the derived moments, the parameter passed first
    moments = blr().numpy(moments=True)(**v)
    assert blr().numpy()(points[0, 0], **v) == pytest.approx(
        multivariate_normal(moments["mean"], moments["covariance"]).logpdf(points[0, 0]), rel=1e-12)


def test_mvn_mean_numpy_is_scipys_multivariate_normal_logpdf_of_the_derived_moments():
    rng = np.random.default_rng(7)
    v = dict(X=rng.normal(size=(6, 3)), P=random_spd(rng, 3), P_0=random_spd(rng, 3), m_0=rng.normal(size=3))
    moments, points = mvn_mean().numpy(moments=True)(**v), rng.normal(size=(4, 3))
    np.testing.assert_allclose(mvn_mean().numpy()(mu=points, **v),
                               multivariate_normal(moments["mean"], moments["covariance"]).logpdf(points), rtol=1e-10)


@pytest.mark.parametrize("m", [2, 5, 20])
def test_blr_posterior_mean_is_the_maximiser_of_the_log_posterior(m):
    rng = np.random.default_rng(m)
    v = _data(rng, m + 10, m)
    f = _log_posterior(v)
    best = minimize(lambda x: -f(x), np.zeros(m), method="BFGS", options={"gtol": 1e-9})
    np.testing.assert_allclose(blr().numpy(moments=True)(**v)["mean"], best.x, rtol=1e-4, atol=1e-5)


def test_blr_posterior_covariance_is_the_inverse_finite_difference_hessian():
    rng = np.random.default_rng(1)
    v = _data(rng, 12, 3)
    f, x0, h, E = _log_posterior(v), rng.normal(size=3), 1e-2, np.eye(3)
    H = np.array([[(f(x0 + h * (E[i] + E[j])) - f(x0 + h * (E[i] - E[j])) - f(x0 - h * (E[i] - E[j]))
                    + f(x0 - h * (E[i] + E[j]))) / (4 * h * h) for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(blr().numpy(moments=True)(**v)["covariance"], np.linalg.inv(-H), rtol=1e-6)


@pytest.mark.parametrize("m", [2, 5, 20])
def test_blr_log_evidence_is_the_normal_logpdf_of_t_under_its_marginal(m):
    rng = np.random.default_rng(m)
    v = _data(rng, m + 7, m)
    n = m + 7
    law = multivariate_normal(np.zeros(n), np.eye(n) / v["beta"] + v["Phi"] @ v["Phi"].T / v["alpha"])
    derived = symml.derive.evidence(blr()).numpy()(**v)["log_evidence"]
    assert derived == pytest.approx(law.logpdf(v["t"]), rel=1e-10)


def test_blr_predictive_variance_is_one_over_beta_plus_phi_s_n_phi_by_monte_carlo():
    rng = np.random.default_rng(5)
    v = _data(rng, 15, 3)
    phi = rng.normal(size=(1, 3))
    out = symml.derive.posterior_predictive(blr(), new=Gaussian(t_new, Phi_new @ w, beta)).numpy()(**v, Phi_new=phi)
    post = blr().numpy(moments=True)(**v)
    draws = 400_000
    ws = rng.multivariate_normal(post["mean"], post["covariance"], size=draws)
    ts = ws @ phi[0] + rng.normal(size=draws) / np.sqrt(v["beta"])
    assert float(out["mean"][0]) == pytest.approx(ts.mean(), abs=5 * ts.std() / np.sqrt(draws))
    assert float(out["covariance"][0, 0]) == pytest.approx(ts.var(), rel=0.01)


def test_map_is_the_posterior_mean_and_says_ridge_with_lambda_alpha_over_beta():
    estimate = symml.derive.map(LIKELIHOOD, PRIOR, wrt=w)
    rng = np.random.default_rng(2)
    v = _data(rng, 9, 4)
    np.testing.assert_allclose(estimate.numpy()(**v)["w"], blr().numpy(moments=True)(**v)["mean"], rtol=1e-10)
    assert any("ridge regression" in r and "\\frac{\\alpha}{\\beta}" in r for r in estimate.remarks)


@cache
def mvn_mean():
    X, mu = symml.matrix("X", N, d), symml.vector("mu", d)
    P, P0, m0 = symml.matrix("P", d, d, symmetric=True), symml.matrix("P_0", d, d, symmetric=True), symml.vector("m_0", d)
    return symml.derive.posterior(Gaussian(X, mu, P), Gaussian(mu, m0, P0), wrt=mu)


@pytest.mark.parametrize("dim", [2, 5, 20])
def test_mvn_mean_posterior_matches_scipy_optimize_and_the_hessian(dim):
    rng = np.random.default_rng(dim)
    v = dict(X=rng.normal(size=(30, dim)), P=random_spd(rng, dim), P_0=random_spd(rng, dim), m_0=rng.normal(size=dim))
    prior = multivariate_normal(v["m_0"], np.linalg.inv(v["P_0"]))
    f = lambda x: prior.logpdf(x) + multivariate_normal(x, np.linalg.inv(v["P"])).logpdf(v["X"]).sum()  # noqa: E731
    best = minimize(lambda x: -f(x), np.zeros(dim), method="BFGS", options={"gtol": 1e-8})
    out = mvn_mean().numpy(moments=True)(**v)
    np.testing.assert_allclose(out["mean"], best.x, rtol=1e-4, atol=1e-5)
    # the log posterior is quadratic: its Hessian is −(N P + P₀) everywhere
    np.testing.assert_allclose(np.linalg.inv(out["covariance"]), 30 * v["P"] + v["P_0"], rtol=1e-8)


@pytest.mark.parametrize("derive", [blr, mvn_mean])
def test_posterior_and_evidence_verify(derive):
    assert derive().verify() and symml.derive.evidence(derive()).verify()


def test_map_and_predictive_verify():
    assert symml.derive.map(LIKELIHOOD, PRIOR, wrt=w).verify()
    assert symml.derive.posterior_predictive(blr(), new=Gaussian(t_new, Phi_new @ w, beta)).verify()


def test_a_prior_over_another_symbol_is_a_model_error():
    with pytest.raises(symml.ModelError, match="prior must be"):
        symml.derive.posterior(LIKELIHOOD, Gaussian(symml.vector("v", M), 0, alpha), wrt=w)


def test_a_likelihood_free_of_the_parameter_is_a_model_error():
    with pytest.raises(symml.ModelError, match="does not depend"):
        symml.derive.posterior(Gaussian(t, symml.vector("c", N), beta), PRIOR, wrt=w)


def test_predictive_without_a_new_observation_is_a_model_error():
    with pytest.raises(symml.ModelError, match="new observation"):
        symml.derive.posterior_predictive(blr())


def test_a_mean_of_the_wrong_shape_is_a_shape_error():
    with pytest.raises(symml.ShapeError, match="mean of t"):
        Gaussian(t, w, beta)


def test_blr_derivation_time_does_not_grow_with_the_dimension():
    # flat cost: symbolic N, M and N = M = 3000 take the same route (a ratio, generous for a loaded machine)
    def timed(rows, cols):
        Phi_, t_, w_ = symml.matrix("Phi", rows, cols), symml.vector("t", rows), symml.vector("w", cols)
        start = time.perf_counter()
        symml.derive.posterior(Gaussian(t_, Phi_ @ w_, beta), Gaussian(w_, 0, alpha), wrt=w_)
        return time.perf_counter() - start

    assert timed(3000, 3000) < 5 * timed(N, M) + 1.0


def test_a_string_precision_is_refused_not_parsed():
    with pytest.raises(symml.ModelError, match="scalar expression"):
        Gaussian(t, Phi @ w, "beta")
