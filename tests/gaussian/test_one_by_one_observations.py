"""A single observation written as a 1 x 1 quantity (a 1 x 1 matrix symbol or a plain scalar symbol) is a scalar.

The predictive at one new input φ is N(m_Nᵀφ, 1/β + φᵀS_Nφ) (PRML 3.58-3.59); the oracles are numpy.linalg (m_N and
S_N from the data), the batch form with K = 1 evaluated numerically, and scipy.optimize of the log posterior.
"""
from functools import cache

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize, minimize_scalar
from scipy.stats import multivariate_normal, norm

import symml
from symml.gaussian import Gaussian

N, M, K = symml.dims("N M K")
Phi, t, w, phi = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M), symml.vector("phi", M)
alpha, beta = sp.symbols("alpha beta", positive=True)
ONE_BY_ONE = {"1x1 matrix symbol": sp.MatrixSymbol("t_new", 1, 1), "scalar symbol": sp.Symbol("t_new")}


@cache
def _blr():
    return symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)


def _data(seed, n=15, m=3):
    rng = np.random.default_rng(seed)
    return dict(Phi=rng.normal(size=(n, m)), t=rng.normal(size=n), alpha=float(rng.uniform(0.3, 3)),
                beta=float(rng.uniform(0.3, 3))), rng.normal(size=m)


@pytest.mark.parametrize("written", ONE_BY_ONE.values(), ids=ONE_BY_ONE.keys())
def test_predictive_at_one_new_input_is_m_n_t_phi_and_one_over_beta_plus_phi_t_s_n_phi(written):
    v, p = _data(3)
    out = symml.derive.posterior_predictive(_blr(), new=Gaussian(written, phi.T @ w, beta)).numpy()(**v, phi=p)
    S_N = np.linalg.inv(v["alpha"] * np.eye(3) + v["beta"] * v["Phi"].T @ v["Phi"])
    m_N = v["beta"] * S_N @ v["Phi"].T @ v["t"]
    assert float(np.asarray(out["mean"]).ravel()[0]) == pytest.approx(m_N @ p, rel=1e-10)
    assert float(np.asarray(out["covariance"]).ravel()[0]) == pytest.approx(1 / v["beta"] + p @ S_N @ p, rel=1e-10)


def test_predictive_at_one_new_input_equals_the_batch_form_with_k_1():
    v, p = _data(4, n=9, m=4)
    single = symml.derive.posterior_predictive(_blr(), new=Gaussian(ONE_BY_ONE["1x1 matrix symbol"], phi.T @ w, beta))
    batch = symml.derive.posterior_predictive(_blr(), new=Gaussian(symml.vector("t_new", K),
                                                                   symml.matrix("Phi_new", K, M) @ w, beta))
    one, many = single.numpy()(**v, phi=p), batch.numpy()(**v, Phi_new=p[None, :])
    for key in ("mean", "covariance"):
        np.testing.assert_allclose(np.ravel(one[key]), np.ravel(many[key]), rtol=1e-10)


def test_predictive_at_one_new_input_verifies():
    assert symml.derive.posterior_predictive(_blr(), new=Gaussian(ONE_BY_ONE["scalar symbol"], phi.T @ w, beta)).verify()


def test_posterior_from_one_scalar_observation_maximises_the_log_posterior():
    y = sp.Symbol("y")
    posterior = symml.derive.posterior(Gaussian(y, phi.T @ w, beta), Gaussian(w, 0, alpha), wrt=w)
    rng = np.random.default_rng(6)
    v = dict(phi=rng.normal(size=4), y=0.8, alpha=0.9, beta=2.0)
    prior = multivariate_normal(np.zeros(4), np.eye(4) / v["alpha"])
    log_posterior = lambda x: prior.logpdf(x) + norm(v["phi"] @ x, 1 / np.sqrt(v["beta"])).logpdf(v["y"])  # noqa: E731
    best = minimize(lambda x: -log_posterior(x), np.zeros(4), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(posterior.numpy(moments=True)(**v)["mean"], best.x, rtol=1e-5, atol=1e-7)
    assert posterior.verify()


def test_mvn_mean_posterior_from_one_scalar_observation_maximises_the_log_posterior():
    x, mu, m0 = sp.Symbol("x"), sp.MatrixSymbol("mu", 1, 1), sp.Symbol("m_0")
    tau, tau0 = sp.symbols("tau tau_0", positive=True)
    posterior = symml.derive.posterior(Gaussian(x, mu, tau), Gaussian(mu, m0, tau0), wrt=mu)
    v = dict(x=1.7, m_0=-0.4, tau=2.5, tau_0=0.6)
    best = minimize_scalar(lambda m: -(norm(v["m_0"], v["tau_0"] ** -0.5).logpdf(m)
                                       + norm(m, v["tau"] ** -0.5).logpdf(v["x"])), bounds=(-10, 10), method="bounded",
                           options={"xatol": 1e-10})
    out = posterior.numpy(moments=True)(**v)
    assert float(np.ravel(out["mean"])[0]) == pytest.approx(best.x, abs=1e-7)
    assert float(np.ravel(out["covariance"])[0]) == pytest.approx(1 / (v["tau"] + v["tau_0"]), rel=1e-10)
    assert posterior.verify() and symml.derive.evidence(posterior).verify()


def test_mean_of_n_scalar_draws_under_a_1x1_prior_maximises_the_log_posterior():
    x, mu, m0 = symml.vector("x", N), sp.MatrixSymbol("mu", 1, 1), sp.Symbol("m_0")
    tau, tau0 = sp.symbols("tau tau_0", positive=True)
    posterior = symml.derive.posterior(Gaussian(x, sp.OneMatrix(N, 1) @ mu, tau), Gaussian(mu, m0, tau0), wrt=mu)
    v = dict(x=np.random.default_rng(9).normal(1.0, 2.0, size=12), m_0=0.3, tau=0.4, tau_0=1.5)
    best = minimize_scalar(lambda m: -(norm(v["m_0"], v["tau_0"] ** -0.5).logpdf(m)
                                       + norm(m, v["tau"] ** -0.5).logpdf(v["x"]).sum()), bounds=(-10, 10),
                           method="bounded", options={"xatol": 1e-10})
    assert float(np.ravel(posterior.numpy(moments=True)(**v)["mean"])[0]) == pytest.approx(best.x, abs=1e-7)
    assert posterior.verify() and symml.derive.evidence(posterior).verify()
