"""Type-II maximum likelihood for Bayesian linear regression (PRML 3.5.2): the derived updates
α = γ/m_Nᵀm_N and 1/β = ‖t − Φm_N‖²/(N − γ), iterated, against scipy.optimize of the log evidence computed as the
normal logpdf of t under N(0, β⁻¹I + α⁻¹ΦΦᵀ)."""
from functools import cache

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

import symml
from symml.gaussian import Gaussian

N, M = symml.dims("N M")
Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
alpha, beta = sp.symbols("alpha beta", positive=True)


@cache
def posterior():
    return symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)


@cache
def updates():
    return symml.derive.evidence_maximization(posterior(), [alpha, beta])


def _data(seed, n=50, m=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    return X, X @ rng.normal(size=m) + 0.4 * rng.normal(size=n)


def _log_evidence(X, y, a, b):
    return multivariate_normal(np.zeros(len(y)), np.eye(len(y)) / b + X @ X.T / a).logpdf(y)


def test_the_updates_have_prml_3_92_and_3_95_form():
    result = updates().result
    assert result[alpha].has(sp.Symbol("gamma", positive=True)) and set(result) == {alpha, beta}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fixed_point_is_the_maximiser_of_the_log_evidence(seed):
    X, y = _data(seed)
    best = minimize(lambda z: -_log_evidence(X, y, *np.exp(z)), np.zeros(2), method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 4000})
    fit = updates().numpy()(Phi=X, t=y, alpha=1.0, beta=1.0)
    np.testing.assert_allclose([fit["alpha"], fit["beta"]], np.exp(best.x), rtol=1e-5)


def test_gamma_is_m_minus_alpha_trace_s_n_at_the_fixed_point():
    X, y = _data(3)
    fit = updates().numpy()(Phi=X, t=y, alpha=1.0, beta=1.0)
    assert fit["gamma"] == pytest.approx(X.shape[1] - fit["alpha"] * np.trace(fit["covariance"]), rel=1e-10)


def test_log_evidence_is_stationary_at_the_fixed_point_by_finite_differences():
    X, y = _data(4)
    fit = updates().numpy()(Phi=X, t=y, alpha=1.0, beta=1.0)
    log_z = symml.derive.evidence(posterior()).numpy()
    h = 1e-5
    for name in ("alpha", "beta"):
        up, down = dict(alpha=fit["alpha"], beta=fit["beta"]), dict(alpha=fit["alpha"], beta=fit["beta"])
        up[name] += h
        down[name] -= h
        slope = (log_z(Phi=X, t=y, **up)["log_evidence"] - log_z(Phi=X, t=y, **down)["log_evidence"]) / (2 * h)
        assert abs(slope) < 1e-5


def test_only_alpha_keeps_beta_fixed():
    only = symml.derive.evidence_maximization(posterior(), alpha)
    assert set(only.result) == {alpha}
    X, y = _data(5)
    best = minimize(lambda z: -_log_evidence(X, y, np.exp(z[0]), 2.0), np.zeros(1), method="Nelder-Mead",
                    options={"xatol": 1e-11, "fatol": 1e-13})
    assert only.numpy()(Phi=X, t=y, alpha=1.0, beta=2.0)["alpha"] == pytest.approx(np.exp(best.x[0]), rel=1e-5)


def test_verifies():
    assert updates().verify()


def test_a_prior_with_a_mean_is_unsupported():
    m0 = symml.vector("m_0", M)
    post = symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, m0, alpha), wrt=w)
    with pytest.raises(symml.UnsupportedOperationError, match="zero-mean prior"):
        symml.derive.evidence_maximization(post, alpha)


def test_a_symbol_that_scales_no_precision_is_unsupported():
    with pytest.raises(symml.UnsupportedOperationError, match="precision of the prior"):
        symml.derive.evidence_maximization(posterior(), sp.Symbol("kappa", positive=True))
