"""Bayes problems from the standard texts, typed the way users type them, through the public API.

Each test names its source (book and equation or example) and checks the answer against an independent numeric
computation (scipy.stats, scipy.optimize, scipy.integrate); the oracles live here only. These are the problems of
the "against the world" pass over symml.bayes that needed a fix, and a few that passed, at the sizes and data users
meet (980 trials, all-ones samples, priors typed as strings).
"""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml

theta = sp.Symbol("theta", positive=True)
a, b = sp.symbols("alpha beta", positive=True)
mu = sp.Symbol("mu", real=True)


@functools.lru_cache(maxsize=None)
def placenta_previa():
    return symml.derive.posterior(st.Binomial("Y", 980, theta), st.Beta("T", 1, 1), wrt=theta)


def test_a_binomial_with_980_trials_has_a_finite_posterior_density_bda_2_4():
    # BDA 2.4: 437 girls of 980 placenta previa births under a uniform prior: Beta(438, 544). Its normaliser
    # B(438, 544) underflows, and SymPy evaluated the unevaluated log Gamma(982) back into log(gamma(982)) = inf
    got = placenta_previa().numpy()(theta=np.array([0.40, 0.446, 0.50]), x=np.array([437.0]))
    assert got == pytest.approx(ss.beta(438, 544).logpdf([0.40, 0.446, 0.50]), rel=1e-10)


def test_the_evidence_of_a_binomial_with_980_trials_is_finite_bda_2_4():
    # log ∫ C(980, 437) θ^437 (1 − θ)^543 dθ = −log 981: the binomial coefficient is a 293-digit integer
    found = symml.derive.evidence(placenta_previa()).numpy()(x=np.array([437.0]))
    assert found == pytest.approx(-np.log(981.0), rel=1e-10)


def test_a_prior_typed_as_a_string_is_a_density_of_the_parameter_of_that_name():
    # Jeffreys' Beta(1/2, 1/2) prior (Murphy PML1 4.6.2.3) typed as text: its theta is the reader's real symbol,
    # the likelihood's a positive one; they are the same parameter by name
    prior = symml.Model(logpdf="-log(theta)/2 - log(1 - theta)/2", data="theta")
    post = symml.derive.posterior(st.Bernoulli("X", theta), prior, wrt=theta)
    flips = np.array([1.0, 0, 0, 1, 1])
    assert post.numpy()(theta=0.4, x=flips) == pytest.approx(ss.beta(3.5, 2.5).logpdf(0.4), rel=1e-10)


def test_a_scaled_inverse_chi_square_prior_typed_as_a_string_gives_its_posterior_bda_2_7():
    # BDA (2.19): nu_0 s_0^2 / sigma^2 ~ chi^2_{nu_0}, typed as its log-kernel; posterior Inv-chi^2(nu_0 + n, ...)
    s2 = sp.Symbol("sigma2", positive=True)
    prior = symml.Model(logpdf="-(nu_0/2 + 1)*log(sigma2) - nu_0*s_0**2/(2*sigma2)", data="sigma2")
    post = symml.derive.posterior(st.Normal("X", mu, sp.sqrt(s2)), prior, wrt=s2)
    x = np.array([0.5, -1.0, 2.0, 0.3])
    nu_n = 3 + x.size
    law = ss.invgamma(nu_n / 2, scale=(3 * 1.0 + np.sum(x**2)) / 2)
    assert post.numpy()(sigma2=1.3, x=x, mu=0.0, nu_0=3.0, s_0=1.0) == pytest.approx(law.logpdf(1.3), rel=1e-10)


@functools.lru_cache(maxsize=None)
def beta_bernoulli_map():
    return symml.derive.map(st.Bernoulli("X", theta), st.Beta("P", a, b), wrt=theta).numpy()


@pytest.mark.parametrize("flips, prior, end", [(np.ones(5), 0.5, 1.0), (np.zeros(4), 0.5, 0.0),
                                               (np.ones(1), 0.5, 1.0)])
def test_a_map_whose_stationary_point_is_off_the_support_is_the_end_murphy_pml1_4_5_1(flips, prior, end):
    # Beta(1/2, 1/2) prior, every flip heads: (k + a − 1)/(n + a + b − 2) = 1.125 lies outside [0, 1]; the log
    # posterior increases on all of (0, 1), so the mode is θ = 1. Oracle: bounded Brent on the log posterior
    log_post = lambda q: ss.bernoulli.logpmf(flips, q).sum() + ss.beta.logpdf(q, prior, prior)  # noqa: E731
    best = optimize.minimize_scalar(lambda q: -log_post(q), bounds=(0, 1), method="bounded",
                                    options={"xatol": 1e-10}).x
    found = beta_bernoulli_map()(x=flips, alpha=prior, beta=prior)["theta"]
    assert found == end and abs(found - best) < 1e-4


def test_an_interior_map_keeps_its_closed_form_murphy_pml1_4_5_1():
    found = beta_bernoulli_map()(x=np.array([1.0, 0, 1]), alpha=2.0, beta=3.0)["theta"]
    assert found == pytest.approx((2 + 2 - 1) / (3 + 5 - 2), rel=1e-12)


def test_a_non_conjugate_posterior_has_numeric_summaries_bda_2_9():
    # a Cauchy prior on a Normal mean matches no family: every summary is numeric, said so; oracle: quadrature of
    # likelihood x prior and bounded Brent for the mode
    post = symml.derive.posterior(st.Normal("X", mu, 1), st.Cauchy("M", 0, 1), wrt=mu)
    summary = symml.derive.posterior_summary(post)
    assert summary.result == {} and "no summary has a closed form" in summary.remarks[0]
    x = np.array([2.0, 3.0, 2.5])
    log_joint = lambda t: ss.norm(t, 1).logpdf(x).sum() + ss.cauchy.logpdf(t)  # noqa: E731
    z = integrate.quad(lambda t: np.exp(log_joint(t)), -np.inf, np.inf)[0]
    mean = integrate.quad(lambda t: t * np.exp(log_joint(t)) / z, -np.inf, np.inf)[0]
    mode = optimize.minimize_scalar(lambda t: -log_joint(t), bracket=(0, 3)).x
    found = summary.numpy()(x=x)
    assert found["mean"] == pytest.approx(mean, rel=1e-8)
    assert found["mode"] == pytest.approx(mode, rel=1e-6)
    cdf = lambda t: integrate.quad(lambda s: np.exp(log_joint(s)) / z, -np.inf, t)[0]  # noqa: E731
    assert (cdf(found["lower"]), cdf(found["upper"])) == pytest.approx((0.025, 0.975), abs=1e-8)


# --- Gaussian algebra ----------------------------------------------------------------------------------------------
def test_bayesian_linear_regression_stated_per_element_at_numeric_sizes_prml_3_53():
    # (Phi*w)[i, 0] at numeric sizes is written out by SymPy, Phi[i, 0]*w[0, 0] + Phi[i, 1]*w[1, 0] + ..., which
    # recursed without end; read back as Phi w. Oracle: m_N = beta S_N Phi^T t, S_N = (alpha I + beta Phi^T Phi)^-1
    Phi, w, phi = symml.matrix("Phi", 7, 3), symml.vector("w", 3), symml.vector("phi", 3)
    i = sp.Symbol("i", integer=True)
    t = st.Normal("t", (Phi * w)[i, 0], 1 / sp.sqrt(b))
    post = symml.derive.posterior(t, st.Normal("W", 0, 1 / sp.sqrt(a)), wrt=w)
    predictive = symml.derive.posterior_predictive(post, new=st.Normal("t_new", (phi.T * w)[0, 0], 1 / sp.sqrt(b)))
    rng = np.random.default_rng(3)
    Phi0, t0, phi0 = rng.normal(size=(7, 3)), rng.normal(size=7), rng.normal(size=3)
    S = np.linalg.inv(0.5 * np.eye(3) + 2.0 * Phi0.T @ Phi0)
    found = predictive.numpy()(Phi=Phi0, t=t0, phi=phi0, alpha=0.5, beta=2.0)
    assert float(np.ravel(found["mean"])[0]) == pytest.approx(phi0 @ (2.0 * S @ Phi0.T @ t0), rel=1e-10)
    assert float(np.ravel(found["covariance"])[0]) == pytest.approx(1 / 2.0 + phi0 @ S @ phi0, rel=1e-10)


def test_an_n_by_1_data_column_with_a_1_by_1_mean_is_n_scalar_observations_prml_2_141():
    # x_i ~ N(m, 1/beta) written with matrices: X is 5 x 1, m is 1 x 1 (was a ShapeError: the mean of X must be
    # 5 x 1). Oracle: the conjugate update by hand, precision 1/s0^2 + n beta
    from symml.gaussian import Gaussian

    X, m, m0 = symml.matrix("X", 5, 1), symml.matrix("m", 1, 1), symml.matrix("m_0", 1, 1)
    s0 = sp.Symbol("s_0", positive=True)
    post = symml.derive.posterior(Gaussian(X, m, b), Gaussian(m, m0, 1 / s0**2), wrt=m)
    x = np.random.default_rng(4).normal(size=(5, 1))
    found = post.numpy(moments=True)(X=x, beta=4.0, m_0=np.array([[0.3]]), s_0=0.5)
    precision = 1 / 0.25 + 5 * 4.0
    assert float(np.ravel(found["mean"])[0]) == pytest.approx((0.3 / 0.25 + 4.0 * x.sum()) / precision, rel=1e-10)
    assert float(np.ravel(found["covariance"])[0]) == pytest.approx(1 / precision, rel=1e-10)


def test_the_kalman_measurement_update_is_the_linear_gaussian_posterior_murphy_pml2_8_2_2():
    # prior N(m, P), y = Hx + r, r ~ N(0, R), written with covariances (P**-1, R**-1 as precisions); oracle: the
    # gain form K = PHᵀ(HPHᵀ + R)⁻¹ in numpy
    from symml.gaussian import LinearGaussian

    x, y, m = symml.vector("x", 3), symml.vector("y", 2), symml.vector("m", 3)
    P, R, H = symml.matrix("P", 3, 3, symmetric=True), symml.matrix("R", 2, 2, symmetric=True), symml.matrix("H", 2, 3)
    update = symml.derive.conditional(LinearGaussian(x, y, m, P**-1, H, sp.ZeroMatrix(2, 1), R**-1), given=y)
    rng = np.random.default_rng(5)
    A, B = rng.normal(size=(3, 3)), rng.normal(size=(2, 2))
    P0, R0, H0, m0, y0 = A @ A.T + np.eye(3), B @ B.T + np.eye(2), rng.normal(size=(2, 3)), rng.normal(size=3), \
        rng.normal(size=2)
    found = update.numpy()(m=m0, P=P0, H=H0, R=R0, y=y0)
    S = H0 @ P0 @ H0.T + R0
    K = P0 @ H0.T @ np.linalg.inv(S)
    assert np.ravel(found["mean"]) == pytest.approx(m0 + K @ (y0 - H0 @ m0), rel=1e-9)
    assert found["covariance"] == pytest.approx(P0 - K @ S @ K.T, rel=1e-9)


def test_gaussian_process_regression_is_a_partitioned_gaussian_conditional_rasmussen_2_23():
    # (f*, y) jointly Gaussian with blocks K**, K*, K + sigma2 I; oracle: the predictive mean and covariance in numpy
    from symml.gaussian import JointGaussian

    n, m = symml.dims("n m")
    f, y = symml.vector("f_s", m), symml.vector("y", n)
    Kss, Ks, K = symml.matrix("K_ss", m, m, symmetric=True), symml.matrix("K_s", m, n), symml.matrix("K", n, n,
                                                                                                      symmetric=True)
    s2 = sp.Symbol("sigma2", positive=True)
    joint = JointGaussian(f, y, sp.ZeroMatrix(m, 1), sp.ZeroMatrix(n, 1), Kss, Ks, K + s2 * sp.Identity(n))
    kernel = lambda u, v: np.exp(-0.5 * (u[:, None] - v[None, :]) ** 2 / 0.09)  # noqa: E731
    X, Xs = np.linspace(0, 1, 5), np.array([0.3, 0.77])
    found = symml.derive.conditional(joint, given=y).numpy()(K_ss=kernel(Xs, Xs), K_s=kernel(Xs, X), K=kernel(X, X),
                                                             sigma2=0.01, y=np.sin(6 * X))
    A = kernel(X, X) + 0.01 * np.eye(5)
    assert np.ravel(found["mean"]) == pytest.approx(kernel(Xs, X) @ np.linalg.solve(A, np.sin(6 * X)), rel=1e-9)
    assert found["covariance"] == pytest.approx(kernel(Xs, Xs) - kernel(Xs, X) @ np.linalg.solve(A, kernel(X, Xs)),
                                                rel=1e-7, abs=1e-12)


def test_moments_of_a_wishart_posterior_are_refused_by_name():
    # the Wishart posterior's option is hyperparameters=True; moments=True (the Gaussian posterior's) raised TypeError
    from symml.gaussian import Gaussian, Wishart

    L, X, W = symml.matrix("Lambda", 2, 2, symmetric=True), symml.matrix("X", 6, 2), symml.matrix("W", 2, 2,
                                                                                                  symmetric=True)
    post = symml.derive.posterior(Gaussian(X, symml.vector("mu", 2), L), Wishart(L, W, sp.Symbol("nu", positive=True)),
                                  wrt=L)
    with pytest.raises(symml.errors.ParameterError, match="hyperparameters=True"):
        post.numpy(moments=True)


# --- MAP at kinks and on the simplex's faces -------------------------------------------------------------------------
@pytest.mark.parametrize("sample", [np.array([2.0, 3.0]), np.array([0.1, -0.05])])
def test_a_laplace_prior_typed_with_a_scale_of_unknown_sign_is_maximised_numerically_murphy_pml1_11_4(sample):
    # "-Abs(mu)/b" typed: b is a real symbol of no sign, so the subgradient rules cannot say which regime holds;
    # stationarity treated sign(mu) as smooth and gave x̄ − 1/(bn) for every sample (−0.975 instead of 0).
    # Oracle: bounded Brent on the log posterior
    derivation = symml.derive.map(st.Normal("X", mu, 1), symml.Model(logpdf="-Abs(mu)/b", data="mu"), wrt=mu)
    assert derivation.result == {}  # no closed form, said
    negative = lambda t: -(ss.norm(t, 1).logpdf(sample).sum() - abs(t) / 0.5)  # noqa: E731
    best = optimize.minimize_scalar(negative, bounds=(-10, 10), method="bounded", options={"xatol": 1e-12}).x
    assert derivation.numpy()(x=sample, b=0.5)["mu"] == pytest.approx(best, abs=1e-6)


def test_a_dirichlet_map_off_the_simplex_is_on_the_face_of_the_unseen_value_murphy_pml1_4_6_3():
    # Dirichlet(1/2, 1/2, 1/2) prior, value 3 never observed: (N_k + α_k − 1)/(N + Σα − K) gives p3 = −0.2. The log
    # posterior grows without bound as p3 → 0, whatever p1 and p2; oracle: at p3 = 1e-12 the rest maximised by
    # bounded Brent over p1 (p2 = 1 − p3 − p1)
    p = sp.symbols("p1:4", positive=True)
    alphas = sp.symbols("a1:4", positive=True)
    derivation = symml.derive.map(st.FiniteRV("X", {1: p[0], 2: p[1], 3: p[2]}), st.MultivariateBeta("D", list(alphas)),
                                  p)
    counts, corner = np.array([3.0, 1.0, 0.0]), 1e-12
    log_post = lambda q: np.sum((counts - 0.5) * np.log(q))  # noqa: E731
    p1 = optimize.minimize_scalar(lambda u: -log_post(np.array([u, 1 - corner - u, corner])), method="bounded",
                                  bounds=(1e-9, 1 - 1e-9), options={"xatol": 1e-12}).x
    found = derivation.numpy()(x=np.array([1.0, 1, 2, 1]), a1=0.5, a2=0.5, a3=0.5)
    assert [found["p1"], found["p2"], found["p3"]] == pytest.approx([p1, 1 - p1, 0.0], abs=1e-6)
    assert found["p3"] == 0.0


def test_completing_the_square_in_a_scalar_symbol_mml_6_5():
    # -(x - 2)²/(2p) - 3x²: precision 1/p + 6, mean 2/(6p + 1) (was a ShapeError: x must be a vector symbol).
    # Oracle: bounded Brent for the maximiser and a central second difference for the curvature, at p = 0.7
    from symml.gaussian import complete_the_square

    x, p = sp.Symbol("x", real=True), sp.Symbol("p", positive=True)
    square = complete_the_square(-(x - 2) ** 2 / (2 * p) - 3 * x**2, x)
    f = lambda u: -(u - 2) ** 2 / 1.4 - 3 * u**2  # noqa: E731
    best = optimize.minimize_scalar(lambda u: -f(u), bounds=(-5, 5), method="bounded", options={"xatol": 1e-12}).x
    h = 1e-3
    curvature = -(f(best + h) - 2 * f(best) + f(best - h)) / h**2
    assert float(square.mean[0, 0].subs(p, 0.7)) == pytest.approx(best, abs=1e-7)
    assert float(square.precision[0, 0].subs(p, 0.7)) == pytest.approx(curvature, rel=1e-6)


def test_an_inverse_wishart_prior_on_a_covariance_written_as_log_densities_gives_its_posterior_bda_3_6():
    # Murphy PML1 4.6.3 / BDA 3.6 write the prior on Σ (was refused: Wishart kernels were matched in a precision
    # only). Numeric sizes, both models as log-densities. Oracle: scipy.stats likelihood x prior up to a constant
    from scipy.stats import invwishart, multivariate_normal

    from symml.testing import random_spd

    S, X = symml.matrix("Sigma", 2, 2, symmetric=True), symml.matrix("X", 6, 2)
    Psi, nu, mu = symml.matrix("Psi", 2, 2, symmetric=True), sp.Symbol("nu", positive=True), symml.vector("mu", 2)
    prior = symml.Model(logpdf=-(nu + 3) / 2 * sp.log(sp.det(S)) - sp.trace(Psi * S**-1) / 2, data=S)
    residual = X - sp.OneMatrix(6, 1) * mu.T
    likelihood = symml.Model(logpdf=-3 * sp.log(sp.det(S)) - sp.trace(residual * S**-1 * residual.T) / 2, data=X)
    post = symml.derive.posterior(likelihood, prior, wrt=S)
    rng = np.random.default_rng(7)
    X0, mu0, Psi0 = rng.normal(size=(6, 2)), rng.normal(size=2), random_spd(rng, 2)
    points = [random_spd(rng, 2) for _ in range(4)]
    derived = post.numpy()(np.array(points), X=X0, mu=mu0, Psi=Psi0, nu=3.5)
    oracle = np.array([multivariate_normal(mu0, P).logpdf(X0).sum() + invwishart(df=3.5, scale=Psi0).logpdf(P)
                       for P in points])
    assert derived - derived[0] == pytest.approx(oracle - oracle[0], abs=1e-9)


# --- predictives and densities at the data users have ----------------------------------------------------------------
def test_the_pareto_uniform_predictive_above_the_sample_maximum_bda_taxicab():
    # Uniform(0, θ) with a Pareto(4, 2) prior, sample max 7: a new point at 9 raises the maximum, so the predictive
    # there is not the one inside (the sample's x_(n) was kept: −2.128 where the answer is −3.636). Oracle: the
    # ratio of quadratures of likelihood x prior with and without the new point
    x_m, k = sp.symbols("x_m k", positive=True)
    post = symml.derive.posterior(st.Uniform("X", 0, theta), st.Pareto("T", x_m, k), wrt=theta)
    sample = np.array([3.0, 7.0, 5.0])
    log_joint = lambda t, pts: np.sum(ss.uniform(0, t).logpdf(pts)) + ss.pareto(2.0, scale=4.0).logpdf(t)  # noqa: E731
    z = integrate.quad(lambda t: np.exp(log_joint(t, sample)), 7, np.inf)[0]
    found = symml.derive.posterior_predictive(post).numpy()(x_new=np.array([2.0, 9.0]), x=sample, x_m=4.0, k=2.0)
    want = [np.log(integrate.quad(lambda t: np.exp(log_joint(t, np.append(sample, new))), max(7, new), np.inf)[0] / z)
            for new in (2.0, 9.0)]
    assert found == pytest.approx(want, rel=1e-9)


def test_a_normal_posterior_density_keeps_its_digits_for_data_near_a_million_prml_2_141():
    # 10⁴ observations near 1e6: the expanded log-density cancels terms of 1e16 and came out flat and 1.1 too low;
    # the family's own form (θ − m)² is evaluated instead. Oracle: scipy.stats.norm with the conjugate update
    m0, t = sp.Symbol("m_0", real=True), sp.Symbol("t", positive=True)
    post = symml.derive.posterior(st.Normal("X", mu, 1), st.Normal("M", m0, t), wrt=mu)
    sample = 1e6 + np.random.default_rng(0).normal(size=10_000)
    precision = 1 / 100.0**2 + sample.size
    points = sample.sum() / precision + np.array([-0.01, 0.0, 0.01])
    found = post.numpy()(mu=points, x=sample, m_0=0.0, t=100.0)
    assert found == pytest.approx(ss.norm(sample.sum() / precision, precision**-0.5).logpdf(points), abs=1e-6)
