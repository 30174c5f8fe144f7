"""Matrix-level posteriors and MAP from the sympy.stats form and the user log-density form, checked numerically:
the posterior mean against scipy.optimize on a log joint written here in NumPy, the covariance against the
inverse of its finite-difference Hessian."""
import numpy as np
import pytest
import scipy.optimize
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ModelError

HALF = sp.Rational(1, 2)
d, n = symml.dims("d n")
mu, m0, x = symml.vector("mu", d), symml.vector("m0", d), symml.vector("x", d)
Sigma, S0 = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("S0", d, d, symmetric=True)
N, M = symml.dims("N M")
Phi, w, t = symml.matrix("Phi", N, M), symml.vector("w", M), symml.vector("t", N)
alpha, beta = sp.symbols("alpha beta", positive=True)
RNG = np.random.default_rng(7)


def _spd(size):
    A = RNG.normal(size=(size, size))
    return A @ A.T + size * np.eye(size)


def _numeric_posterior(negative_log_joint, size):
    """The mode by BFGS and the covariance as the inverse of a central-difference Hessian at it."""
    mode = scipy.optimize.minimize(negative_log_joint, np.zeros(size), method="BFGS", options={"gtol": 1e-10}).x
    step, hessian = 1e-4, np.empty((size, size))
    for i, e_i in enumerate(np.eye(size) * step):
        for j, e_j in enumerate(np.eye(size) * step):
            hessian[i, j] = (negative_log_joint(mode + e_i + e_j) - negative_log_joint(mode + e_i - e_j)
                             - negative_log_joint(mode - e_i + e_j) + negative_log_joint(mode - e_i - e_j)) / (4 * step**2)
    return mode, np.linalg.inv(hessian)


def _check(derivation, values, negative_log_joint, size):
    moments = derivation.numpy(moments=True)(**values)
    mode, covariance = _numeric_posterior(negative_log_joint, size)
    np.testing.assert_allclose(np.ravel(moments["mean"]), mode, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(moments["covariance"], covariance, rtol=1e-4, atol=1e-6)


def test_a_multivariate_normal_mean_from_sympy_stats_variables():
    derivation = symml.derive.posterior(st.MultivariateNormal("X", mu, Sigma), st.MultivariateNormal("M", m0, S0), mu)
    data, cov, cov0, prior_mean = RNG.normal(size=(12, 3)), _spd(3), _spd(3), RNG.normal(size=3)
    precision, precision0 = np.linalg.inv(cov), np.linalg.inv(cov0)

    def negative_log_joint(m):
        centred = data - m
        return 0.5 * np.einsum("ij,jk,ik->", centred, precision, centred) + 0.5 * (m - prior_mean) @ precision0 @ (m - prior_mean)

    _check(derivation, {"X": data, "Sigma": cov, "S0": cov0, "m0": prior_mean}, negative_log_joint, 3)


def test_a_multivariate_normal_mean_from_user_log_densities():
    likelihood = symml.Model(logpdf=-HALF * (x - mu).T * Sigma.inv() * (x - mu), data=x)
    prior = symml.Model(logpdf=-HALF * (mu - m0).T * S0.inv() * (mu - m0), data=mu)
    derivation = symml.derive.posterior(likelihood, prior, mu)
    observation, cov, cov0, prior_mean = RNG.normal(size=3), _spd(3), _spd(3), RNG.normal(size=3)

    def negative_log_joint(m):
        return 0.5 * (observation - m) @ np.linalg.solve(cov, observation - m) + \
            0.5 * (m - prior_mean) @ np.linalg.solve(cov0, m - prior_mean)

    _check(derivation, {"x": observation, "Sigma": cov, "S0": cov0, "m0": prior_mean}, negative_log_joint, 3)


def _regression():
    likelihood = symml.Model(logpdf=-beta / 2 * (t - Phi * w).T * (t - Phi * w), data=t)
    prior = symml.Model(logpdf=-alpha / 2 * w.T * w, data=w)
    design, targets = RNG.normal(size=(15, 4)), RNG.normal(size=15)

    def negative_log_joint(v):
        return 1.3 / 2 * np.sum((targets - design @ v) ** 2) + 0.4 / 2 * v @ v

    return likelihood, prior, {"Phi": design, "t": targets, "alpha": 0.4, "beta": 1.3}, negative_log_joint


def test_bayesian_linear_regression_from_user_log_densities():
    likelihood, prior, values, negative_log_joint = _regression()
    derivation = symml.derive.posterior(likelihood, prior, w)
    _check(derivation, values, negative_log_joint, 4)
    assert derivation.verify()


def test_the_map_of_bayesian_linear_regression_from_user_log_densities_is_scipys_minimiser():
    likelihood, prior, values, negative_log_joint = _regression()
    estimate = symml.derive.map(likelihood, prior, w).numpy()(**values)
    mode = scipy.optimize.minimize(negative_log_joint, np.zeros(4), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(np.ravel(estimate["w"] if isinstance(estimate, dict) else estimate), mode, rtol=1e-6)


def test_a_vector_log_density_is_refused_by_the_scalar_engines_with_the_reason():
    from symml.model import as_model

    with pytest.raises(ModelError, match="matrix-level"):
        as_model(symml.Model(logpdf=-HALF * (x - mu).T * (x - mu), data=x))
