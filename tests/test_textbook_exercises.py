"""Exercises from the standard texts, typed the way a user types them, through the public API.

Each test names its source (book, section or equation) and checks the derived result with an independent numeric
method: numpy.linalg, scipy.optimize, scipy.integrate, scipy.stats. The answer oracles live here only. The
exercises a fix was needed for are tested beside the fix (tests/optimize, tests/gaussian, tests/bayes,
tests/calculus: their docstrings name the source too).
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml
from symml.gaussian import Gaussian

n, d, m = symml.dims("n d m")
lam = sp.Symbol("lambda", positive=True)
a, b = sp.symbols("a b", positive=True)
RNG = np.random.default_rng(2024)
X0, y0 = RNG.normal(size=(9, 3)), RNG.normal(size=9)


# --- optimisation ------------------------------------------------------------------------------------------------
def test_weighted_least_squares_normal_equations_esl_3_2():
    # argmin (y − Xw)ᵀW(y − Xw) = (XᵀWX)⁻¹XᵀWy; oracle: ordinary least squares on rows scaled by √wᵢ
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    W = symml.matrix("W", n, n, symmetric=True)
    weights = RNG.uniform(0.5, 2.0, 9)
    found = symml.derive.minimize((y - X @ w).T @ W @ (y - X @ w), wrt=w).numpy()(X=X0, y=y0, W=np.diag(weights))
    scaled = np.sqrt(weights)
    assert np.ravel(found) == pytest.approx(np.linalg.lstsq(X0 * scaled[:, None], y0 * scaled, rcond=None)[0])


def test_tikhonov_with_a_general_matrix_murphy_pml1_11_3():
    # argmin ‖Xw − y‖² + λ‖Γw‖² = (XᵀX + λΓᵀΓ)⁻¹Xᵀy; oracle: least squares on [X; √λ Γ] against [y; 0]
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    G = symml.matrix("Gamma", m, d)
    G0 = RNG.normal(size=(2, 3))
    found = symml.derive.minimize(symml.sq_norm(X @ w - y) + lam * symml.sq_norm(G @ w), wrt=w).numpy()(
        X=X0, y=y0, Gamma=G0, **{"lambda": 0.7})
    stacked = np.linalg.lstsq(np.vstack([X0, np.sqrt(0.7) * G0]), np.concatenate([y0, np.zeros(2)]), rcond=None)[0]
    assert np.ravel(found) == pytest.approx(stacked, rel=1e-10)


def test_ridge_with_numeric_sizes_esl_3_44():
    X, w, y = symml.matrix("X", 9, 3), symml.vector("w", 3), symml.vector("y", 9)
    found = symml.derive.minimize(symml.sq_norm(y - X @ w) + lam * symml.sq_norm(w), wrt=w).numpy()(
        X=X0, y=y0, **{"lambda": 2.0})
    assert np.ravel(found) == pytest.approx(np.linalg.solve(X0.T @ X0 + 2.0 * np.eye(3), X0.T @ y0), rel=1e-10)


def test_l2_regularised_logistic_regression_has_no_closed_form_murphy_pml1_10_2_7():
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    derivation = symml.derive.minimize(symml.losses.logistic(X, w, y) + lam / 2 * symml.sq_norm(w), wrt=w)
    labels = (RNG.uniform(size=9) < 0.5).astype(float)
    loss = lambda v: np.sum(np.logaddexp(0, X0 @ v)) - labels @ X0 @ v + 0.5 * v @ v  # noqa: E731
    best = optimize.minimize(loss, np.zeros(3), method="BFGS", options={"gtol": 1e-10}).x
    assert derivation.result is None  # said: no closed form, numpy() solves numerically
    assert np.ravel(derivation.numpy()(X=X0, y=labels, **{"lambda": 1.0})) == pytest.approx(best, abs=1e-6)


def test_lagrange_maximum_of_a_product_on_a_line_mml_7_2():
    x, y = sp.symbols("x y", real=True)
    found = symml.derive.maximize(x * y, [x, y], subject_to=[symml.Eq(x + y, 10)]).numpy()()
    assert (float(found["x"]), float(found["y"])) == pytest.approx((5.0, 5.0))


# --- Bayes -------------------------------------------------------------------------------------------------------
def test_exponential_gamma_predictive_is_lomax():
    r = sp.Symbol("r", positive=True)
    post = symml.derive.posterior(st.Exponential("X", r), st.Gamma("R", a, 1 / b), wrt=r)
    log_pdf = symml.derive.posterior_predictive(post).numpy()
    x = np.array([0.5, 1.2, 0.1])
    law = ss.lomax(1.5 + x.size, scale=2.0 + x.sum())
    assert log_pdf(x_new=0.7, x=x, a=1.5, b=2.0) == pytest.approx(law.logpdf(0.7), rel=1e-10)


def test_beta_bernoulli_evidence_prml_2_1_1():
    # log ∫ p^k (1 − p)^{n−k} Beta(p | a, b) dp; oracle: scipy.integrate.quad
    p = sp.Symbol("p", positive=True)
    evidence = symml.derive.evidence(symml.derive.posterior(st.Bernoulli("X", p), st.Beta("P", a, b), wrt=p))
    x = np.array([1.0, 0, 1, 1, 0, 1])
    integral = integrate.quad(lambda q: q**4 * (1 - q)**2 * ss.beta(2.0, 3.0).pdf(q), 0, 1, epsabs=0,
                              epsrel=1e-12)[0]
    assert evidence.numpy()(x=x, a=2.0, b=3.0) == pytest.approx(np.log(integral), rel=1e-10)


def test_poisson_rate_map_under_a_gamma_prior():
    r = sp.Symbol("r", positive=True)
    estimate = symml.derive.map(st.Poisson("X", r), prior=st.Gamma("R", a, 1 / b), wrt=r).numpy()
    x = np.array([2.0, 0, 3, 1, 4])
    log_post = lambda q: ss.poisson(q).logpmf(x).sum() + ss.gamma(2.5, scale=1 / 1.5).logpdf(q)  # noqa: E731
    best = optimize.minimize_scalar(lambda q: -log_post(q), bounds=(1e-6, 20), method="bounded",
                                    options={"xatol": 1e-11}).x
    assert float(estimate(x=x, a=2.5, b=1.5)["r"]) == pytest.approx(best, rel=1e-7)


def test_beta_bernoulli_posterior_from_user_log_densities_prml_2_17():
    p, x = sp.Symbol("p", positive=True), sp.Symbol("x", real=True)
    likelihood = symml.Model(logpdf=x * sp.log(p) + (1 - x) * sp.log(1 - p), data=x)
    prior = symml.Model(logpdf=(a - 1) * sp.log(p) + (b - 1) * sp.log(1 - p), data=p)
    log_density = symml.derive.posterior(likelihood, prior, wrt=p).numpy()
    coins = np.array([1.0, 0, 1, 1, 0, 1, 1])
    assert log_density(p=0.4, x=coins, a=2.0, b=3.0) == pytest.approx(ss.beta(7.0, 5.0).logpdf(0.4), rel=1e-10)


def test_bayesian_linear_regression_evidence_at_numeric_sizes_prml_3_86():
    Phi, t, w = symml.matrix("Phi", 9, 3), symml.vector("t", 9), symml.vector("w", 3)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    post = symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
    found = symml.derive.evidence(post).numpy()(Phi=X0, t=y0, alpha=0.5, beta=2.0)["log_evidence"]
    marginal = ss.multivariate_normal(np.zeros(9), np.eye(9) / 2.0 + X0 @ X0.T / 0.5)
    assert float(np.ravel(found)[0]) == pytest.approx(marginal.logpdf(y0), rel=1e-10)


def test_posterior_of_a_bivariate_normal_mean_murphy_pml1_3_4():
    # rows xᵢ ~ N(μ, Λ⁻¹), μ ~ N(m₀, P₀⁻¹): precision P₀ + NΛ, mean (P₀ + NΛ)⁻¹(P₀m₀ + ΛΣxᵢ)
    X, mu = symml.matrix("X", 10, 2), symml.vector("mu", 2)
    L, P0 = symml.matrix("Lambda", 2, 2, symmetric=True), symml.matrix("P_0", 2, 2, symmetric=True)
    m0 = symml.vector("m_0", 2)
    moments = symml.derive.posterior(Gaussian(X, mu, L), Gaussian(mu, m0, P0), wrt=mu).numpy(moments=True)
    rows, L0, Q0, c0 = RNG.normal(size=(10, 2)), np.array([[2.0, 0.3], [0.3, 1.0]]), np.eye(2) * 0.5, np.ones(2)
    found = moments(X=rows, Lambda=L0, P_0=Q0, m_0=c0)
    precision = Q0 + 10 * L0
    assert np.ravel(found["mean"]) == pytest.approx(np.linalg.solve(precision, Q0 @ c0 + L0 @ rows.sum(0)))
    assert np.asarray(found["covariance"]) == pytest.approx(np.linalg.inv(precision))


# --- Gaussian algebra ----------------------------------------------------------------------------------------------
def test_fusing_a_measurement_with_a_prior_murphy_pml1_3_3_4():
    # p(z | y) with y ~ N(z, R⁻¹), z ~ N(0, Λ⁻¹): mean (Λ + R)⁻¹R y, covariance (Λ + R)⁻¹
    z, y = symml.vector("z", d), symml.vector("y", d)
    L, R = symml.matrix("Lambda", d, d, symmetric=True), symml.matrix("R", d, d, symmetric=True)
    moments = symml.derive.posterior(Gaussian(y, z, R), Gaussian(z, 0, L), wrt=z).numpy(moments=True)
    L0, R0, obs = np.diag([1.0, 2.0]), np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([0.5, -1.0])
    found = moments(Lambda=L0, R=R0, y=obs)
    # oracle: the joint of (z, y) inverted numerically, read off by blocks
    joint = np.block([[np.linalg.inv(L0), np.linalg.inv(L0)], [np.linalg.inv(L0), np.linalg.inv(L0) + np.linalg.inv(R0)]])
    K = joint[:2, 2:] @ np.linalg.inv(joint[2:, 2:])
    assert np.ravel(found["mean"]) == pytest.approx(K @ obs, rel=1e-10)
    assert np.asarray(found["covariance"]) == pytest.approx(joint[:2, :2] - K @ joint[2:, :2], rel=1e-10)


# --- calculus and linear algebra -----------------------------------------------------------------------------------
def test_polar_coordinates_jacobian_determinant_is_r_mml_5_3():
    r, t = sp.Symbol("r", positive=True), sp.Symbol("theta", real=True)
    J = symml.derive.jacobian([r * sp.cos(t), r * sp.sin(t)], [r, t]).numpy()(r=1.7, theta=0.4)
    assert np.linalg.det(np.asarray(J, dtype=float)) == pytest.approx(1.7)


def test_svd_of_mml_example_4_13():
    A = np.array([[1.0, 0, 1], [-2, 1, 0]])
    found = symml.derive.svd(sp.Matrix(A.astype(int))).result
    assert np.diag(np.array(found["Sigma"], dtype=float)) == pytest.approx(np.linalg.svd(A)[1])
    product = np.array(found["U"] * found["Sigma"] * found["V"].T, dtype=float)
    assert product == pytest.approx(A, abs=1e-12)


def test_eigen_of_a_symmetric_matrix_with_a_repeated_eigenvalue():
    S = np.array([[3.0, 2, 2], [2, 3, 2], [2, 2, 3]])
    found = symml.derive.eigen(sp.Matrix(S.astype(int))).result
    assert sorted(np.array(found["eigenvalues"], dtype=float).ravel()) == pytest.approx(np.linalg.eigvalsh(S))
    V = np.array(found["V"], dtype=float)
    assert S @ V == pytest.approx(V @ np.diag(np.array(found["eigenvalues"], dtype=float).ravel()))


def test_logistic_loss_gradient_typed_as_latex_cs229():
    # ∇_w Σᵢ log(1 + exp(−yᵢ xᵢᵀw)) = −Xᵀ(y ⊙ σ(−y ⊙ Xw)); oracle: central differences of the loss in numpy
    gradient = symml.derive.gradient(r"\sum_{i=1}^n \log\left(1 + \exp(-y_i \sum_{j=1}^d w_j X_{ij})\right)",
                                     wrt="w").numpy()
    labels, w0 = np.sign(RNG.normal(size=9)), RNG.normal(size=3)
    loss = lambda v: np.sum(np.logaddexp(0, -labels * (X0 @ v)))  # noqa: E731
    h, E = 1e-6, np.eye(3)
    numeric = np.array([(loss(w0 + h * e) - loss(w0 - h * e)) / (2 * h) for e in E])
    assert np.ravel(gradient(X=X0, y=labels, w=w0)) == pytest.approx(numeric, rel=1e-6)


def test_eigenvectors_of_integer_matrices_have_no_common_factor():
    # the cofactor column of A − 7I for [[3, 2, 2], [2, 3, 2], [2, 2, 3]] is (12, 12, 12); shown as (1, 1, 1)
    found = symml.derive.eigen(sp.Matrix([[3, 2, 2], [2, 3, 2], [2, 2, 3]])).result
    column = [int(c) for c in found["V"][:, list(found["eigenvalues"]).index(7)]]
    assert column == [1, 1, 1]
