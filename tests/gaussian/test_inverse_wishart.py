"""An Inverse-Wishart prior on the covariance of Gaussian rows (Murphy PML1 3.4.4.3, Gelman BDA 3.6): the posterior
is derived by matching kernels in Σ⁻¹, and checked against scipy.stats (likelihood × prior up to a constant)."""
from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from scipy.stats import invwishart, multivariate_normal

import symml
from symml.gaussian import Gaussian, InverseWishart
from symml.testing import random_spd


@functools.lru_cache(maxsize=None)
def posterior():
    N, d = symml.dims("N d")
    X, mu = symml.matrix("X", N, d), symml.vector("mu", d)
    Sigma, Psi = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("Psi", d, d, symmetric=True)
    nu = sp.Symbol("nu", positive=True)
    return symml.derive.posterior(Gaussian(X, mu, Sigma.I), InverseWishart(Sigma, Psi, nu), wrt=Sigma)


def test_the_inverse_wishart_posterior_is_likelihood_times_prior_up_to_a_constant():
    # log p(Σ | X) − log p(Σ₀ | X) = [log N(X | μ, Σ) + log IW(Σ | ν, Ψ)] − [the same at Σ₀], at random SPD Σ
    rng = np.random.default_rng(5)
    d, n = 4, 9
    X, mu, Psi, nu = rng.normal(size=(n, d)), rng.normal(size=d), random_spd(rng, d), d + 0.5
    log_p = posterior().numpy()
    points = [random_spd(rng, d) for _ in range(5)]
    derived = log_p(np.array(points), X=X, mu=mu, Psi=Psi, nu=nu)
    oracle = [multivariate_normal(mu, S).logpdf(X).sum() + invwishart(df=nu, scale=Psi).logpdf(S) for S in points]
    np.testing.assert_allclose(derived - derived[0], np.array(oracle) - oracle[0], rtol=1e-9, atol=1e-9)


def test_the_inverse_wishart_posterior_integrates_to_one_by_monte_carlo_in_one_dimension():
    # d = 1: IW(ν, ψ) is an inverse-gamma(ν/2, ψ/2); the normalised numpy() density averages to 1 against draws
    # from a wider inverse-gamma proposal (importance sampling)
    rng = np.random.default_rng(6)
    X, mu, Psi = rng.normal(size=(7, 1)), np.zeros(1), np.array([[1.5]])
    log_p = posterior().numpy()
    proposal = invwishart(df=3.0, scale=np.array([[4.0]]))
    draws = proposal.rvs(size=50_000, random_state=rng).reshape(-1, 1, 1)
    weights = np.exp(log_p(draws, X=X, mu=mu, Psi=Psi, nu=2.5) - proposal.logpdf(draws[:, 0, 0]))
    assert abs(weights.mean() - 1) < 4 * weights.std() / np.sqrt(weights.size)
