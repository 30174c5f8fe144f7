"""Goodfellow, Bengio & Courville, *Deep Learning* (GBC, ch. 3-7), *Dive into Deep Learning* (d2l.ai),
Shalev-Shwartz & Ben-David, *Understanding Machine Learning* (SSBD) and the Stanford CS229 lecture notes, posed
through the public API the way their readers type them: the books' letters (θ, w*, H, α, K, η), symbolic sizes
(n, d, k, m) and numeric ones (3, 1 x 1 matrices for scalars), plain SymPy entries ``(θᵀx)[0, 0]``, LaTeX and
plain-text strings, sympy.stats variables, logits of ±1000.

Each test names its source and checks the derived result against an independent numeric computation written here:
central finite differences, scipy.optimize (minimize, linprog), numpy.linalg, quadrature, Monte Carlo. The oracles
live here only. Problems the other world files pose (the CS229 logistic and Poisson GLM problem sets, d2l's log
softmax, the soft-margin SVM dual of MML, weight decay as the MAP of PRML 3.28, the GMM and factor-analysis M-steps)
are not repeated.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize
from scipy.special import expit, logsumexp, softmax

import symml
from tests.differences import central_gradient

RNG = np.random.default_rng(1111)
n, d, k, m = symml.dims("n d k m")
LABELS = sp.ProductSet(sp.S.Reals, sp.FiniteSet(0, 1))


def _spd(size: int) -> np.ndarray:
    M = RNG.normal(size=(size, size))
    return M @ M.T + size * np.eye(size)


def _only(result):
    """The one estimate of a dict result, or the result itself."""
    return next(iter(result.values())) if isinstance(result, dict) else result


# --- CS229 notes 1 and 2: maximum likelihood with a vector of features ----------------------------------------------
def test_linear_regression_mle_with_theta_T_x_taken_as_entry_0_0_is_least_squares_cs229_notes_1():
    """CS229 notes 1, probabilistic interpretation: y | x ~ N(θᵀx, σ²), typed with SymPy's scalar of the 1 x 1
    product, (θᵀx)[0, 0] (a sum over entries). Before: "the score equation in theta has no closed form at matrix
    level" (Σᵢ θᵢxᵢ was read back as 1ᵀ(θ ⊙ x), not θᵀx). Oracle: numpy.linalg.lstsq."""
    x, theta, y = symml.vector("x", d), symml.vector("theta", d), sp.Symbol("y", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    logpdf = -sp.log(sigma) - (y - (theta.T @ x)[0, 0])**2 / (2 * sigma**2)
    estimate = symml.derive.mle(symml.Model(logpdf=logpdf, data=(x, y)), wrt=theta).numpy()
    X0 = RNG.normal(size=(20, 3))
    y0 = X0 @ np.array([1.0, -2.0, 0.5]) + 0.1 * RNG.normal(size=20)
    found = _only(estimate(x=X0, y=y0, sigma=1.0))
    assert np.ravel(found) == pytest.approx(np.linalg.lstsq(X0, y0, rcond=None)[0], rel=1e-10)


@pytest.mark.parametrize("size", [d, 2])
def test_gda_with_the_label_inside_the_residual_gives_class_means_and_pooled_covariance_cs229_notes_2(size):
    """CS229 notes 2: x | y ~ N(μ_y, Σ) typed with one residual x − yμ₁ − (1 − y)μ₀, at a symbolic d and at d = 2.
    Before: "mixes the scalar observations with the vector" (the residual's 1 x 1 product was not split into its
    terms), then "the solutions depend on each other" (y² and y(1 − y) not reduced on the label's support {0, 1}).
    Oracle: the class frequency, class means and pooled covariance computed with NumPy."""
    x, y = symml.vector("x", size), sp.Symbol("y", integer=True, nonnegative=True)
    phi = sp.Symbol("phi", positive=True)
    mu0, mu1 = symml.vector("mu_0", size), symml.vector("mu_1", size)
    Sigma = symml.matrix("Sigma", size, size, symmetric=True)
    residual = x - mu1 * y - mu0 * (1 - y)
    logpdf = (y * sp.log(phi) + (1 - y) * sp.log(1 - phi) - symml.logdet(Sigma) / 2
              - residual.T @ Sigma.I @ residual / 2)
    model = symml.Model(logpdf=logpdf, data=(x, y), support=LABELS)
    estimate = symml.derive.mle(model, wrt=[phi, mu0, mu1, Sigma]).numpy()
    labels = RNG.permutation(np.arange(40) % 2).astype(float)
    X0 = RNG.normal(size=(40, 2)) + 2 * labels[:, None]
    found = estimate(x=X0, y=labels)
    means = [X0[labels == c].mean(axis=0) for c in (0, 1)]
    centred = X0 - np.where(labels[:, None] == 1, means[1], means[0])
    assert found["phi"] == pytest.approx(labels.mean(), rel=1e-12)
    assert np.ravel(found["mu_0"]) == pytest.approx(means[0], rel=1e-10)
    assert np.ravel(found["mu_1"]) == pytest.approx(means[1], rel=1e-10)
    assert np.asarray(found["Sigma"]) == pytest.approx(centred.T @ centred / 40, rel=1e-10)


# --- GBC ch. 7: regularisation ---------------------------------------------------------------------------------------
def test_variance_of_a_dropout_mask_times_an_activation_gbc_7_12():
    """GBC 7.12: a unit's output under a Bernoulli(p) keep mask μ, Var(μ w x) = p(1 − p)w²x². Before:
    "bias, variance and MSE are of an estimator" (one random variable in an expression was refused; two were
    accepted). Oracle: Monte Carlo, 4e5 masks, within 5 standard errors."""
    p = sp.Symbol("p", positive=True)
    w, x = sp.symbols("w x", real=True)
    variance = symml.derive.variance(st.Bernoulli("mu", p) * w * x).result
    found = float(variance.subs({p: 0.8, w: 2.0, x: 1.5}))
    outputs = RNG.binomial(1, 0.8, 400_000) * 3.0
    assert found == pytest.approx(outputs.var(), abs=5 * outputs.var() * np.sqrt(2 / outputs.size))
