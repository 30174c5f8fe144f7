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
from tests.differences import central_gradient, central_jacobian

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


# --- GBC ch. 5: maximum likelihood ------------------------------------------------------------------------------------
def test_verify_of_a_bernoulli_typed_as_text_starts_inside_the_parameters_domain_gbc_5_5():
    """GBC 5.5: the Bernoulli MLE of a log-likelihood typed as text, whose p has no declared domain. Before: verify()
    FAILED (derived 0.527, 'numeric' 1.25): its Nelder-Mead started at p = 1.25, where log(1 − p) is undefined, and
    never moved. Oracle: the sample's mean, the Bernoulli MLE computed here."""
    model = symml.Model(logpdf="y*log(p) + (1-y)*log(1-p)", data="y", support=sp.FiniteSet(0, 1))
    verification = symml.derive.mle(model, wrt="p").verify()
    (comparison,) = verification.comparisons
    assert verification.passed and comparison.numeric == pytest.approx(comparison.derived, rel=1e-8)
    labels = RNG.binomial(1, 0.3, 50).astype(float)
    assert symml.derive.mle(model, wrt="p").numpy()(y=labels)["p"] == pytest.approx(labels.mean(), rel=1e-12)


def test_conditional_mle_of_a_scalar_linear_model_is_least_squares_and_the_rms_residual_gbc_5_5_1():
    """GBC 5.5.1: y | x ~ N(wx, σ²); maximising the conditional log-likelihood is minimising the MSE. Oracle:
    scipy.optimize on the Normal log-likelihood from scipy.stats."""
    x, y, w = sp.symbols("x y w", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    model = symml.Model(logpdf=-sp.log(sigma) - (y - w * x)**2 / (2 * sigma**2) - sp.log(2 * sp.pi) / 2, data=(x, y))
    x0 = RNG.normal(size=40)
    y0 = 1.7 * x0 + 0.5 * RNG.normal(size=40)
    found = symml.derive.mle(model, wrt=[w, sigma]).numpy()(x=x0, y=y0)
    best = optimize.minimize(lambda t: -np.sum(-t[1] - (y0 - t[0] * x0)**2 / (2 * np.exp(2 * t[1]))), [0.0, 0.0],
                             method="BFGS", options={"gtol": 1e-10}).x
    assert found["w"] == pytest.approx(best[0], rel=1e-6) and found["sigma"] == pytest.approx(np.exp(best[1]), rel=1e-6)


def test_heteroscedastic_gaussian_output_precision_mle_is_one_over_the_variance_gbc_6_2_2_4():
    """GBC 6.2.2.4: a Gaussian output unit parametrised by its precision β, log p = ½ log β − β(y − μ)²/2. Oracle:
    NumPy's mean and variance of the sample."""
    y, mu = sp.symbols("y mu", real=True)
    beta = sp.Symbol("beta", positive=True)
    model = symml.Model(logpdf=sp.log(beta) / 2 - beta * (y - mu)**2 / 2 - sp.log(2 * sp.pi) / 2, data=y)
    y0 = RNG.normal(1.0, 0.5, 30)
    found = symml.derive.mle(model, wrt=[mu, beta]).numpy()(y=y0)
    assert found["mu"] == pytest.approx(y0.mean(), rel=1e-12) and found["beta"] == pytest.approx(1 / y0.var(), rel=1e-10)


def test_bayesian_linear_regression_posterior_under_a_general_gaussian_prior_gbc_5_6_1():
    """GBC 5.6.1 (eq. 5.78-5.80): y ~ N(Xw, I), w ~ N(μ₀, Λ₀): Λ_m = (XᵀX + Λ₀⁻¹)⁻¹, μ_m = Λ_m(Xᵀy + Λ₀⁻¹μ₀).
    Oracle: numpy.linalg."""
    from symml.gaussian import Gaussian

    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    Lambda0, mu0 = symml.matrix("Lambda0", d, d, symmetric=True), symml.vector("mu0", d)
    posterior = symml.derive.posterior(Gaussian(y, X @ w, 1), Gaussian(w, mu0, Lambda0.I), wrt=w)
    X0, y0, C0, m0 = RNG.normal(size=(8, 3)), RNG.normal(size=(8, 1)), _spd(3), RNG.normal(size=(3, 1))
    moments = posterior.numpy(moments=True)(X=X0, y=y0, Lambda0=C0, mu0=m0)
    covariance = np.linalg.inv(X0.T @ X0 + np.linalg.inv(C0))
    assert np.asarray(moments["covariance"]) == pytest.approx(covariance, rel=1e-10)
    assert np.ravel(moments["mean"]) == pytest.approx(np.ravel(covariance @ (X0.T @ y0 + np.linalg.solve(C0, m0))),
                                                      rel=1e-10)


# --- GBC ch. 4: numerical computation ---------------------------------------------------------------------------------
def test_log_sum_exp_gradient_is_the_softmax_at_logits_near_1000_gbc_4_1():
    """GBC 4.1: softmax(x) = softmax(x − max x) is what keeps log-sum-exp finite. Oracle: scipy.special.softmax."""
    z = symml.vector("z", 3)
    z0 = np.array([[1000.0], [1001.0], [999.0]])
    found = symml.derive.gradient(symml.logsumexp(z), z).numpy()(z=z0)
    assert np.ravel(found) == pytest.approx(softmax(z0.ravel()), rel=1e-12)


def test_directional_second_derivative_is_d_T_H_d_gbc_4_3_1():
    """GBC 4.3.1: the second derivative along a unit vector u is uᵀHu, here of ½xᵀAx + Σ exp(xᵢ). Oracle: a second
    central difference of the function along u."""
    x, A = symml.vector("x", 3), symml.matrix("A", 3, 3, symmetric=True)
    A0, x0 = _spd(3), RNG.normal(size=(3, 1))
    u = RNG.normal(size=(3, 1))
    u /= np.linalg.norm(u)
    H = np.asarray(symml.derive.hessian(x.T @ A @ x / 2 + symml.sum(symml.exp(x)), x).numpy()(A=A0, x=x0))

    def f(v):
        return 0.5 * (v.T @ A0 @ v).item() + np.exp(v).sum()

    h = 1e-4
    assert (u.T @ H @ u).item() == pytest.approx((f(x0 + h * u) - 2 * f(x0) + f(x0 - h * u)) / h**2, rel=1e-6)


def test_least_squares_in_the_unit_ball_is_the_kkt_point_gbc_4_4():
    """GBC 4.4: minimise ½‖Ax − b‖² subject to xᵀx ≤ 1 (the worked KKT example), the ball active. Oracle: scipy
    SLSQP with the constraint."""
    A, x, b = symml.matrix("A", m, n), symml.vector("x", n), symml.vector("b", m)
    solve = symml.derive.minimize(symml.sq_norm(A @ x - b) / 2, x, subject_to=[symml.Le(x.T @ x, 1)]).numpy()
    A0, b0 = RNG.normal(size=(5, 3)), 5 * RNG.normal(size=(5, 1))
    best = optimize.minimize(lambda v: 0.5 * np.sum((A0 @ v - b0[:, 0])**2), np.zeros(3), method="SLSQP",
                             constraints=[{"type": "ineq", "fun": lambda v: 1 - v @ v}], tol=1e-12).x
    assert np.ravel(_only(solve(A=A0, b=b0))) == pytest.approx(best, abs=1e-6)


def test_a_scalar_objective_on_a_box_is_minimised_inside_or_at_either_end_gbc_4_4():
    """GBC 4.4, generalised Lagrangian with two inequalities: min (x − a)² + eˣ on [0, 1] for a on both sides.
    Oracle: scipy.optimize.minimize_scalar (bounded)."""
    x, a = sp.symbols("x a", real=True)
    solve = symml.derive.minimize((x - a)**2 + sp.exp(x), x, subject_to=[x >= 0, x <= 1]).numpy()
    for a0 in (-2.0, 0.8, 3.0):
        best = optimize.minimize_scalar(lambda v: (v - a0)**2 + np.exp(v), bounds=(0, 1), method="bounded",
                                        options={"xatol": 1e-12}).x
        assert float(np.ravel(_only(solve(a=a0)))[0]) == pytest.approx(best, abs=1e-7)


# --- GBC ch. 6: output units and back-propagation ---------------------------------------------------------------------
def test_sigmoid_output_loss_is_softplus_and_its_gradient_saturates_only_when_right_gbc_6_2_2_2():
    """GBC 6.2.2.2 (eq. 6.22-6.24): J = −log σ((2y − 1)z) = ζ((1 − 2y)z); its derivative is finite at z = ±1000,
    0 where the answer is right and ∓1 where it is wrong. Oracle: central differences of np.logaddexp."""
    z, y = sp.symbols("z y", real=True)
    gradient = symml.derive.gradient(-sp.log(1 / (1 + sp.exp(-(2 * y - 1) * z))), z).numpy()
    for z0 in (-3.0, 0.4, 2.5):
        for y0 in (0.0, 1.0):
            oracle = central_gradient(lambda v: np.logaddexp(0, -(2 * y0 - 1) * v), z0, step=1e-5)
            assert float(gradient(z=z0, y=y0)) == pytest.approx(float(oracle), rel=1e-7)
    assert [float(gradient(z=z0, y=1.0)) for z0 in (-1000.0, 1000.0)] == [-1.0, 0.0]


def test_softmax_output_layer_gradient_in_the_weight_matrix_gbc_6_2_2_3():
    """GBC 6.2.2.3: z = Wh + b, loss log Σ exp z − yᵀz, gradient in W (k x d) is (softmax(z) − y)hᵀ. Oracle: central
    differences."""
    W, h, b, y = symml.matrix("W", k, d), symml.vector("h", d), symml.vector("b", k), symml.vector("y", k)
    z = W @ h + b
    W0, h0, b0, y0 = RNG.normal(size=(4, 3)), RNG.normal(size=(3, 1)), RNG.normal(size=(4, 1)), np.eye(4)[:, [2]]
    found = symml.derive.gradient(symml.logsumexp(z) - y.T @ z, W).numpy()(W=W0, h=h0, b=b0, y=y0)
    oracle = central_gradient(lambda V: logsumexp(V @ h0 + b0) - (y0.T @ (V @ h0 + b0)).item(), W0)
    assert found == pytest.approx(oracle, abs=1e-8)


def test_leaky_relu_and_maxout_derivatives_off_their_kinks_gbc_6_3_1():
    """GBC 6.3.1: g(z) = max(0, z) + α min(0, z) and maxout max(w₁z, w₂z). Oracle: the slopes of the active piece
    (central differences away from the kink)."""
    z, w1, w2 = sp.symbols("z w1 w2", real=True)
    alpha = sp.Symbol("alpha", positive=True)
    leaky = symml.derive.gradient(sp.Max(0, z) + alpha * sp.Min(0, z), z).numpy()
    maxout = symml.derive.gradient(sp.Max(w1 * z, w2 * z), w1).numpy()
    assert float(leaky(z=-2.0, alpha=0.1)) == pytest.approx(0.1) and float(leaky(z=3.0, alpha=0.1)) == 1.0
    assert float(maxout(z=2.0, w1=1.0, w2=0.5)) == pytest.approx(2.0) and float(maxout(z=2.0, w1=0.2, w2=0.5)) == 0


def test_two_layer_tanh_network_gradient_in_the_first_layer_gbc_6_5():
    """GBC 6.5 (algorithm 6.4): ½(W₂ tanh(W₁x) − y)² back-propagated to W₁ at matrix level. Oracle: central
    differences."""
    W1, W2, x, y = symml.matrix("W1", k, d), symml.matrix("W2", 1, k), symml.vector("x", d), symml.matrix("y", 1, 1)
    W10, W20, x0, y0 = RNG.normal(size=(4, 3)), RNG.normal(size=(1, 4)), RNG.normal(size=(3, 1)), np.array([[0.7]])
    found = symml.derive.gradient(symml.sq_norm(W2 @ symml.tanh(W1 @ x) - y) / 2, W1).numpy()(W1=W10, W2=W20, x=x0,
                                                                                             y=y0)
    oracle = central_gradient(lambda V: 0.5 * np.sum((W20 @ np.tanh(V @ x0) - y0)**2), W10)
    assert found == pytest.approx(oracle, abs=1e-8)


def test_minibatch_relu_network_with_a_logistic_output_gradient_at_numeric_sizes_gbc_6_5_7():
    """GBC 6.5.7: a minibatch of 4 through relu(XW₁)W₂ and the logistic loss, gradient in W₁ (3 x 5). Oracle:
    central differences."""
    X, W1, W2, y = symml.matrix("X", 4, 3), symml.matrix("W1", 3, 5), symml.matrix("W2", 5, 1), symml.vector("y", 4)
    z = symml.relu(X @ W1) @ W2
    X0, W10, W20 = RNG.normal(size=(4, 3)), RNG.normal(size=(3, 5)), RNG.normal(size=(5, 1))
    y0 = np.array([[1.0], [0.0], [1.0], [1.0]])
    found = symml.derive.gradient(symml.sum(symml.softplus(z)) - y.T @ z, W1).numpy()(X=X0, W1=W10, W2=W20, y=y0)

    def loss(V):
        logits = np.maximum(X0 @ V, 0) @ W20
        return np.sum(np.logaddexp(0, logits)) - (y0.T @ logits).item()

    assert found == pytest.approx(central_gradient(loss, W10), abs=1e-7)


# --- GBC ch. 7: regularisation ----------------------------------------------------------------------------------------
def test_l2_penalty_on_the_quadratic_approximation_rescales_w_star_gbc_7_1_1():
    """GBC 7.1.1 (eq. 7.13): min ½(w − w*)ᵀH(w − w*) + α/2 wᵀw is w̃ = (H + αI)⁻¹Hw*. Oracle: numpy.linalg.solve."""
    H, w, w_star = symml.matrix("H", d, d, symmetric=True), symml.vector("w", d), symml.vector("w_star", d)
    alpha = sp.Symbol("alpha", positive=True)
    solve = symml.derive.minimize((w - w_star).T @ H @ (w - w_star) / 2 + alpha / 2 * w.T @ w, w).numpy()
    H0, w0 = _spd(3), RNG.normal(size=(3, 1))
    assert np.ravel(_only(solve(H=H0, w_star=w0, alpha=0.7))) == pytest.approx(
        np.ravel(np.linalg.solve(H0 + 0.7 * np.eye(3), H0 @ w0)), rel=1e-10)


def test_l1_penalty_on_one_coordinate_is_the_soft_threshold_gbc_7_1_2():
    """GBC 7.1.2 (eq. 7.22): min H/2 (w − w*)² + α|w| is sign(w*) max(|w*| − α/H, 0), on both sides and inside the
    dead zone. Oracle: scipy.optimize.minimize_scalar."""
    w, w_star = sp.symbols("w w_star", real=True)
    H, alpha = sp.symbols("H alpha", positive=True)
    solve = symml.derive.minimize(H / 2 * (w - w_star)**2 + alpha * sp.Abs(w), w).numpy()
    for w0 in (-2.0, 0.1, 1.5):
        best = optimize.minimize_scalar(lambda v: 0.4 * (v - w0)**2 + 0.5 * abs(v), bounds=(-5, 5), method="bounded",
                                        options={"xatol": 1e-11}).x
        assert float(np.ravel(_only(solve(w_star=w0, H=0.8, alpha=0.5)))[0]) == pytest.approx(best, abs=1e-8)


def test_norm_constraint_instead_of_a_penalty_projects_onto_the_ball_gbc_7_2():
    """GBC 7.2: min ½‖w − w*‖² subject to ‖w‖² ≤ k is w*·√k/‖w*‖ when w* is outside. Oracle: the projection in NumPy."""
    w, w_star = symml.vector("w", d), symml.vector("w_star", d)
    radius = sp.Symbol("k", positive=True)
    solve = symml.derive.minimize(symml.sq_norm(w - w_star) / 2, w, subject_to=[symml.Le(w.T @ w, radius)]).numpy()
    w0 = np.array([[3.0], [-1.0], [2.0]])
    assert np.ravel(_only(solve(w_star=w0, k=2.0))) == pytest.approx(np.ravel(w0) * np.sqrt(2) / np.linalg.norm(w0),
                                                                    rel=1e-9)


def test_input_noise_adds_a_weight_penalty_in_expectation_gbc_7_5():
    """GBC 7.5 (Bishop 1995): E_ε[(y − w(x + ε))²] with ε ~ N(0, η²) is (y − wx)² + w²η². Oracle: quadrature
    against scipy.stats' normal density."""
    eta = sp.Symbol("eta", positive=True)
    w, x, y = sp.symbols("w x y", real=True)
    found = symml.derive.expectation((y - w * (x + st.Normal("epsilon", 0, eta)))**2).result
    value, _ = integrate.quad(lambda t: (2.0 - 1.3 * (0.4 + t))**2 * np.exp(-t**2 / 0.5) / np.sqrt(0.5 * np.pi),
                              -np.inf, np.inf)
    assert float(found.subs({w: 1.3, x: 0.4, y: 2.0, eta: 0.5})) == pytest.approx(value, rel=1e-10)


# --- SSBD and d2l: losses with kinks, minimised numerically -----------------------------------------------------------
def test_soft_margin_svm_in_regularised_form_is_minimised_numerically_ssbd_15_2():
    """SSBD 15.2 (Soft-SVM as regularised loss minimisation): λ‖w‖² + (1/m) Σ max(0, 1 − yᵢwᵀxᵢ). Before: numpy()
    refused ("no numeric solver for non-smooth stationarity conditions"); now the epigraph form by SLSQP. Oracle:
    the dual, max Σα − ‖Σαᵢyᵢxᵢ‖²/(4λ) over 0 ≤ α ≤ 1/m, by L-BFGS-B, and w = Σαᵢyᵢxᵢ/(2λ)."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    lam = sp.Symbol("lambda", positive=True)
    loss = lam * symml.sq_norm(w) + symml.sum(symml.relu(sp.OneMatrix(m, 1) - symml.hadamard(y, X @ w))) / m
    X0 = RNG.normal(size=(20, 2))
    y0 = np.sign(X0 @ np.array([[1.0], [-1.0]]) + 0.3 * RNG.normal(size=(20, 1)))
    found = symml.derive.minimize(loss, w).numpy()(X=X0, y=y0, **{"lambda": 0.1})
    Z = X0 * y0

    def negative_dual(alpha):
        v = Z.T @ alpha
        return v @ v / 0.4 - alpha.sum(), 2 * Z @ v / 0.4 - 1

    dual = optimize.minimize(negative_dual, np.zeros(20), jac=True, method="L-BFGS-B", bounds=[(0, 1 / 20)] * 20,
                             options={"ftol": 1e-15, "gtol": 1e-12})
    assert np.ravel(found) == pytest.approx(Z.T @ dual.x / 0.2, abs=1e-6)


def test_least_absolute_deviations_at_matrix_level_is_minimised_numerically_d2l_3_1_exercise_3():
    """d2l.ai 3.1, exercise 3 (Laplace noise): the negative log-likelihood Σ|yᵢ − wᵀxᵢ| has no closed form. Before:
    numpy() refused; now the epigraph form by SLSQP, and verify() compares optimal values. Oracle: the linear
    programme min Σtᵢ, −t ≤ y − Xw ≤ t, by scipy.optimize.linprog (HiGHS)."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    derivation = symml.derive.minimize(symml.sum(symml.abs(y - X @ w)), w)
    X0 = RNG.normal(size=(15, 2))
    y0 = X0 @ np.array([[1.0], [-2.0]]) + RNG.laplace(size=(15, 1))
    found = np.ravel(derivation.numpy()(X=X0, y=y0))
    rows = np.eye(15)
    lp = optimize.linprog(np.r_[0.0, 0.0, np.ones(15)], A_ub=np.block([[-X0, -rows], [X0, -rows]]),
                          b_ub=np.r_[-y0.ravel(), y0.ravel()], bounds=[(None, None)] * 2 + [(0, None)] * 15)
    assert np.abs(y0.ravel() - X0 @ found).sum() == pytest.approx(lp.fun, rel=1e-9)
    assert found == pytest.approx(lp.x[:2], abs=1e-6)
    assert derivation.verify().passed


# --- d2l.ai -------------------------------------------------------------------------------------------------------------
def test_the_constant_minimising_squared_deviations_typed_as_latex_is_the_mean_d2l_3_1_exercise_1():
    """d2l.ai 3.1, exercise 1: the b minimising Σᵢ(xᵢ − b)², typed as LaTeX. Oracle: NumPy's mean."""
    solve = symml.derive.minimize(r"\sum_{i=1}^n (x_i - b)^2", wrt="b").numpy()
    x0 = RNG.normal(size=9)
    assert float(np.ravel(_only(solve(x=x0)))[0]) == pytest.approx(x0.mean(), rel=1e-12)


@pytest.mark.parametrize("unknown", ["w", "b"])
def test_minibatch_loss_with_weight_decay_gradients_in_the_weights_and_the_bias_d2l_3_7(unknown):
    """d2l.ai 3.7 (eq. 3.7.4-3.7.5): (1/2m)‖Xw + b1 − y‖² + (λ/2)‖w‖² differentiated in w and in the scalar b.
    Oracle: central differences."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    b, lam = sp.Symbol("b", real=True), sp.Symbol("lambda", positive=True)
    loss = symml.sq_norm(X @ w + b * sp.OneMatrix(m, 1) - y) / (2 * m) + lam / 2 * symml.sq_norm(w)
    X0, w0, y0 = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 1)), RNG.normal(size=(5, 1))

    def f(v, c):
        return np.sum((X0 @ v + c - y0)**2) / 10 + 0.05 * np.sum(v**2)

    found = symml.derive.gradient(loss, w if unknown == "w" else b).numpy()(X=X0, w=w0, y=y0, b=0.4, **{"lambda": 0.1})
    oracle = central_gradient(lambda v: f(v, 0.4), w0) if unknown == "w" else central_gradient(lambda c: f(w0, c), 0.4)
    assert np.ravel(found) == pytest.approx(np.ravel(oracle), rel=1e-7)


def test_temperature_scaled_log_sum_exp_derivative_in_the_temperature_d2l_4_1_exercise():
    """d2l.ai 4.1 exercises: λ⁻¹ log(e^{λa} + e^{λb}) tends to max(a, b); its derivative in λ. Oracle: central
    differences of np.logaddexp."""
    a, b = sp.symbols("a b", real=True)
    lam = sp.Symbol("lambda", positive=True)
    found = symml.derive.gradient(sp.log(sp.exp(lam * a) + sp.exp(lam * b)) / lam, lam).numpy()(a=2.0, b=0.5,
                                                                                              **{"lambda": 3.0})
    assert float(found) == pytest.approx(float(central_gradient(lambda t: np.logaddexp(2 * t, 0.5 * t) / t, 3.0,
                                                                step=1e-5)), rel=1e-7)


def test_tanh_written_with_exponentials_has_a_finite_derivative_far_out_d2l_5_1():
    """d2l.ai 5.1.2.3: tanh(x) = (1 − e^{−2x})/(1 + e^{−2x}), derivative 1 − tanh²(x), 0 (not NaN) at x = ±400.
    Oracle: NumPy's tanh."""
    x = sp.Symbol("x", real=True)
    derivative = symml.derive.gradient((1 - sp.exp(-2 * x)) / (1 + sp.exp(-2 * x)), x).numpy()
    assert float(derivative(x=0.3)) == pytest.approx(1 - np.tanh(0.3)**2, rel=1e-12)
    assert [float(derivative(x=v)) for v in (-400.0, 400.0)] == [0.0, 0.0]


def test_tanh_plus_one_is_twice_the_sigmoid_of_twice_x_d2l_5_1_exercise():
    """d2l.ai 5.1 exercises: tanh(x) + 1 = 2σ(2x), a claim typed as LaTeX, and a slip of it. Oracle: NumPy at
    random points (the claim holds there; the slip does not)."""
    assert symml.check(r"\tanh(x) + 1 = \frac{2}{1 + e^{-2x}}")
    assert not symml.check(r"\tanh(x) + 1 = \frac{2}{1 + e^{-x}}")
    t = RNG.normal(size=5)
    assert np.tanh(t) + 1 == pytest.approx(2 * expit(2 * t), rel=1e-12)
    assert not np.allclose(np.tanh(t) + 1, 2 * expit(t))


def test_backpropagation_with_a_frobenius_penalty_on_both_layers_d2l_5_3():
    """d2l.ai 5.3 (eq. 5.3.11-5.3.14): J = ½‖W₂ relu(W₁x) − y‖² + (λ/2)(‖W₁‖²_F + ‖W₂‖²_F), gradient in W₁. Oracle:
    central differences."""
    W1, W2, x, y = symml.matrix("W1", k, d), symml.matrix("W2", m, k), symml.vector("x", d), symml.vector("y", m)
    lam = sp.Symbol("lambda", positive=True)
    J = symml.sq_norm(W2 @ symml.relu(W1 @ x) - y) / 2 + lam / 2 * (symml.sq_norm(W1) + symml.sq_norm(W2))
    W10, W20, x0, y0 = RNG.normal(size=(4, 3)), RNG.normal(size=(2, 4)), RNG.normal(size=(3, 1)), RNG.normal(size=(2, 1))
    found = symml.derive.gradient(J, W1).numpy()(W1=W10, W2=W20, x=x0, y=y0, **{"lambda": 0.2})

    def f(V):
        return 0.5 * np.sum((W20 @ np.maximum(V @ x0, 0) - y0)**2) + 0.1 * (np.sum(V**2) + np.sum(W20**2))

    assert found == pytest.approx(central_gradient(f, W10), abs=1e-7)


def test_coin_likelihood_on_the_unit_interval_is_maximised_at_the_frequency_d2l_22_7():
    """d2l.ai 22.7.1: max θ^{n_H}(1 − θ)^{n_T} over 0 ≤ θ ≤ 1 is n_H/(n_H + n_T). Oracle: minimize_scalar on the
    log-likelihood."""
    theta = sp.Symbol("theta", positive=True)
    heads, tails = sp.symbols("n_H n_T", positive=True)
    solve = symml.derive.maximize(theta**heads * (1 - theta)**tails, theta, subject_to=[theta >= 0, theta <= 1]).numpy()
    best = optimize.minimize_scalar(lambda t: -(9 * np.log(t) + 4 * np.log(1 - t)), bounds=(1e-9, 1 - 1e-9),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert float(np.ravel(_only(solve(n_H=9.0, n_T=4.0)))[0]) == pytest.approx(best, rel=1e-8)


def test_naive_bayes_with_one_binary_feature_gives_the_class_prior_and_conditionals_d2l_22_9():
    """d2l.ai 22.9 (and CS229 notes 2): y ~ Bernoulli(φ), x | y ~ Bernoulli(a) or Bernoulli(b), estimated from pairs.
    Oracle: the frequencies computed with NumPy."""
    x, y = sp.symbols("x y", real=True)
    phi, a, b = sp.symbols("phi a b", positive=True)
    logpdf = (y * sp.log(phi) + (1 - y) * sp.log(1 - phi) + y * (x * sp.log(a) + (1 - x) * sp.log(1 - a))
              + (1 - y) * (x * sp.log(b) + (1 - x) * sp.log(1 - b)))
    labels = RNG.binomial(1, 0.4, 60).astype(float)
    features = np.where(labels == 1, RNG.binomial(1, 0.8, 60), RNG.binomial(1, 0.3, 60)).astype(float)
    found = symml.derive.mle(symml.Model(logpdf=logpdf, data=(x, y)), wrt=[phi, a, b]).numpy()(x=features, y=labels)
    assert found["phi"] == pytest.approx(labels.mean(), rel=1e-12)
    assert found["a"] == pytest.approx(features[labels == 1].mean(), rel=1e-12)
    assert found["b"] == pytest.approx(features[labels == 0].mean(), rel=1e-12)


# --- SSBD ---------------------------------------------------------------------------------------------------------------
def test_regularised_loss_minimisation_with_squared_loss_is_ridge_with_2_lambda_m_ssbd_13_1():
    """SSBD 13.1.1: argmin λ‖w‖² + (1/2m)Σ(⟨w, xᵢ⟩ − yᵢ)² = (2λmI + A)⁻¹b, A = Σxᵢxᵢᵀ, b = Σyᵢxᵢ. Oracle:
    numpy.linalg.solve."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    lam = sp.Symbol("lambda", positive=True)
    solve = symml.derive.minimize(lam * symml.sq_norm(w) + symml.sq_norm(X @ w - y) / (2 * m), w).numpy()
    X0, y0 = RNG.normal(size=(7, 3)), RNG.normal(size=(7, 1))
    assert np.ravel(_only(solve(X=X0, y=y0, **{"lambda": 0.3}))) == pytest.approx(
        np.ravel(np.linalg.solve(2 * 0.3 * 7 * np.eye(3) + X0.T @ X0, X0.T @ y0)), rel=1e-10)


def test_kernel_ridge_in_the_representer_coefficients_reaches_the_minimum_ssbd_16_2():
    """SSBD 16.2 (representer theorem): min over α of λαᵀKα + (1/2m)‖Kα − y‖² for a Gaussian kernel matrix K.
    Oracle: the objective at (K + 2λmI)⁻¹y, computed with numpy.linalg (K may be near-singular, so values compared)."""
    K, alpha, y = symml.matrix("K", m, m, symmetric=True), symml.vector("alpha", m), symml.vector("y", m)
    lam = sp.Symbol("lambda", positive=True)
    solve = symml.derive.minimize(lam * alpha.T @ K @ alpha + symml.sq_norm(K @ alpha - y) / (2 * m), alpha).numpy()
    points = RNG.normal(size=(6, 2))
    K0, y0 = np.exp(-((points[:, None] - points[None])**2).sum(-1)), RNG.normal(size=(6, 1))

    def objective(v):
        return 0.05 * v @ K0 @ v + np.sum((K0 @ v - y0.ravel())**2) / 12

    found = np.ravel(_only(solve(K=K0, y=y0, **{"lambda": 0.05})))
    assert objective(found) == pytest.approx(objective(np.linalg.solve(K0 + 0.6 * np.eye(6), y0).ravel()), rel=1e-9)


def test_logistic_loss_hessian_is_psd_and_finite_at_large_margins_ssbd_12_1():
    """SSBD 12.1.3 (convexity of the logistic loss): ∇²_w log(1 + exp(−y⟨w, x⟩)) = σ(1 − σ)xxᵀ, finite at margins of
    about 1e6. Oracle: σ(1 − σ)xxᵀ with scipy's expit."""
    x, w, y = symml.vector("x", d), symml.vector("w", d), sp.Symbol("y", real=True)
    hessian = symml.derive.hessian(symml.softplus(-y * x.T @ w), w).numpy()
    x0, w0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    s = expit((x0.T @ w0).item())
    assert np.asarray(hessian(x=x0, w=w0, y=-1.0)) == pytest.approx(s * (1 - s) * x0 @ x0.T, rel=1e-10)
    far = np.asarray(hessian(x=1e3 * x0, w=1e3 * w0, y=1.0))
    assert np.all(np.isfinite(far)) and np.all(np.linalg.eigvalsh(far) >= -1e-12)


def test_the_logistic_loss_is_quarter_smooth_its_curvature_peaks_at_zero_ssbd_12_1_2():
    """SSBD 12.1.2 (smoothness): the second derivative of log(1 + e^{−z}) is maximal at z = 0, where it is 1/4.
    Oracle: minimize_scalar on −σ(z)(1 − σ(z))."""
    z = sp.Symbol("z", real=True)
    found = float(np.ravel(_only(symml.derive.maximize(sp.exp(-z) / (1 + sp.exp(-z))**2, z).numpy()()))[0])
    best = optimize.minimize_scalar(lambda t: -expit(t) * (1 - expit(t)), bounds=(-5, 5), method="bounded",
                                    options={"xatol": 1e-10}).x
    assert found == pytest.approx(best, abs=1e-7) and expit(found) * (1 - expit(found)) == pytest.approx(0.25)


def test_hard_svm_without_intercept_dual_equals_the_primal_ssbd_15_1():
    """SSBD 15.1 (Hard-SVM, homogeneous): min ‖w‖²/2 subject to yᵢ⟨w, xᵢ⟩ ≥ 1; the dual value and w. Oracle: scipy
    SLSQP on the primal with the margin constraints."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    dual = symml.derive.dual(symml.sq_norm(w) / 2, w, subject_to=[symml.Ge(symml.diag(y) @ X @ w, sp.OneMatrix(m, 1))])
    X0 = np.array([[2.0, 1.0], [1.5, 2.0], [-1.0, -2.0], [-2.0, -0.5]])
    y0 = np.array([[1.0], [1.0], [-1.0], [-1.0]])
    found = dual.numpy()(X=X0, y=y0)
    primal = optimize.minimize(lambda v: v @ v / 2, np.ones(2), method="SLSQP", tol=1e-12,
                               constraints=[{"type": "ineq", "fun": lambda v: y0.ravel() * (X0 @ v) - 1}])
    assert found["dual_value"] == pytest.approx(primal.fun, rel=1e-7)
    assert np.ravel(found["w"]) == pytest.approx(primal.x, abs=1e-6)


def test_the_convex_conjugate_of_the_logistic_loss_ssbd_12_exercise():
    """The convex conjugate of ζ(z) = log(1 + eᶻ) is y log y + (1 − y) log(1 − y) on (0, 1). Oracle: the supremum
    sup_z yz − ζ(z) by minimize_scalar."""
    z = sp.Symbol("z", real=True)
    conjugate = symml.derive.conjugate(sp.log(1 + sp.exp(z)), z)
    (dual_variable,) = conjugate.result.free_symbols
    best = -optimize.minimize_scalar(lambda t: -(0.3 * t - np.logaddexp(0, t))).fun
    assert float(conjugate.result.subs(dual_variable, 0.3)) == pytest.approx(best, rel=1e-9)


# --- CS229 ---------------------------------------------------------------------------------------------------------------
def test_bernoulli_log_partition_derivatives_are_its_mean_and_variance_even_far_out_cs229_notes_1_glm():
    """CS229 notes 1, part III (GLMs): a(η) = log(1 + e^η); a′(η) = φ, a″(η) = φ(1 − φ), finite and exact at η = ±800.
    Oracle: scipy's expit."""
    eta = sp.Symbol("eta", real=True)
    first = symml.derive.gradient(sp.log(1 + sp.exp(eta)), eta).numpy()
    second = symml.derive.hessian(sp.log(1 + sp.exp(eta)), eta).numpy()
    assert float(first(eta=0.3)) == pytest.approx(expit(0.3), rel=1e-12)
    assert float(np.ravel(second(eta=0.3))[0]) == pytest.approx(expit(0.3) * expit(-0.3), rel=1e-12)
    assert [float(first(eta=v)) for v in (-800.0, 800.0)] == [0.0, 1.0]
    assert [float(np.ravel(second(eta=v))[0]) for v in (-800.0, 800.0)] == [0.0, 0.0]


def test_exponential_response_glm_log_likelihood_hessian_cs229_ps1():
    """CS229 problem set 1 (GLMs): y | x ~ Exponential(rate e^{θᵀx}), ℓ(θ) = Σ θᵀxᵢ − yᵢe^{θᵀxᵢ}, Hessian
    −Xᵀdiag(y ⊙ e^{Xθ})X. Oracle: central differences of the gradient written in NumPy."""
    X, theta, y = symml.matrix("X", m, d), symml.vector("theta", d), symml.vector("y", m)
    hessian = symml.derive.hessian(symml.sum(X @ theta) - y.T @ symml.exp(X @ theta), theta).numpy()
    X0, t0, y0 = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 1)), RNG.exponential(size=(6, 1))
    oracle = central_jacobian(lambda v: X0.T @ (1 - y0 * np.exp(X0 @ v)), t0)
    assert np.asarray(hessian(X=X0, theta=t0, y=y0)) == pytest.approx(oracle, rel=1e-6)


def test_hessian_of_a_function_of_a_linear_form_is_g_second_a_a_T_cs229_ps0():
    """CS229 problem set 0, 1(c): f(x) = g(aᵀx) with g = cos (SymPy's applyfunc): ∇²f = g″(aᵀx)aaᵀ. Oracle:
    −cos(aᵀx)aaᵀ in NumPy."""
    a, x = symml.vector("a", d), symml.vector("x", d)
    hessian = symml.derive.hessian((a.T @ x).applyfunc(sp.cos), x).numpy()
    a0, x0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    assert np.asarray(hessian(a=a0, x=x0)) == pytest.approx(-np.cos((a0.T @ x0).item()) * a0 @ a0.T, rel=1e-10)


def test_gradient_of_tr_A_B_A_T_C_cs229_notes_1_eq_2():
    """CS229 notes 1, section 2.1: ∇_A tr(ABAᵀC) = CAB + CᵀABᵀ. Oracle: central differences."""
    A, B, C = symml.matrix("A", m, n), symml.matrix("B", n, n), symml.matrix("C", m, m)
    A0, B0, C0 = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 3)), RNG.normal(size=(2, 2))
    found = symml.derive.gradient(symml.trace(A @ B @ A.T @ C), A).numpy()(A=A0, B=B0, C=C0)
    assert found == pytest.approx(central_gradient(lambda V: np.trace(V @ B0 @ V.T @ C0), A0), abs=1e-8)


def test_locally_weighted_linear_regression_closed_form_cs229_notes_1():
    """CS229 notes 1, section 4: min ½(Xθ − y)ᵀW(Xθ − y) is θ = (XᵀWX)⁻¹XᵀWy. Oracle: numpy.linalg.solve."""
    X, theta, y = symml.matrix("X", m, n), symml.vector("theta", n), symml.vector("y", m)
    W = symml.matrix("W", m, m, symmetric=True)
    solve = symml.derive.minimize((X @ theta - y).T @ W @ (X @ theta - y) / 2, theta).numpy()
    X0, y0, W0 = RNG.normal(size=(6, 3)), RNG.normal(size=(6, 1)), np.diag(RNG.uniform(0.1, 1, 6))
    assert np.ravel(_only(solve(X=X0, y=y0, W=W0))) == pytest.approx(
        np.ravel(np.linalg.solve(X0.T @ W0 @ X0, X0.T @ W0 @ y0)), rel=1e-10)


def test_multinomial_event_model_frequencies_under_the_simplex_constraint_cs229_notes_2():
    """CS229 notes 2, section 2.3: max Σₖ cₖ log φₖ subject to Σφₖ = 1 is φₖ = cₖ/Σc. Oracle: scipy SLSQP."""
    phi, counts = sp.symbols("phi1:4", positive=True), sp.symbols("c1:4", positive=True)
    objective = sum(c * sp.log(p) for c, p in zip(counts, phi))
    found = symml.derive.maximize(objective, list(phi), subject_to=[symml.Eq(sum(phi), 1)]).numpy()(c1=3.0, c2=5.0,
                                                                                                   c3=2.0)
    best = optimize.minimize(lambda v: -np.dot([3.0, 5.0, 2.0], np.log(v)), np.full(3, 1 / 3), method="SLSQP",
                             bounds=[(1e-9, 1)] * 3, constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}],
                             tol=1e-14).x
    assert [found[str(p)] for p in phi] == pytest.approx(best, abs=1e-6)


def test_hard_margin_svm_dual_with_an_intercept_cs229_notes_3():
    """CS229 notes 3, section 8: min ‖w‖²/2 subject to yᵢ(wᵀxᵢ + b) ≥ 1; the dual's value, w and b. Oracle: scipy SLSQP
    on the primal in (w, b)."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    b = sp.Symbol("b", real=True)
    margins = symml.diag(y) @ (X @ w + b * sp.OneMatrix(m, 1))
    dual = symml.derive.dual(symml.sq_norm(w) / 2, [w, b], subject_to=[symml.Ge(margins, sp.OneMatrix(m, 1))])
    X0 = np.array([[2.0, 1.0], [1.5, 2.0], [-1.0, -2.0], [-2.0, -0.5], [0.5, 2.5]])
    y0 = np.array([[1.0], [1.0], [-1.0], [-1.0], [1.0]])
    found = dual.numpy()(X=X0, y=y0)
    primal = optimize.minimize(lambda v: v[:2] @ v[:2] / 2, np.array([1.0, 1.0, 0.0]), method="SLSQP", tol=1e-12,
                               constraints=[{"type": "ineq", "fun": lambda v: y0.ravel() * (X0 @ v[:2] + v[2]) - 1}])
    assert found["dual_value"] == pytest.approx(primal.fun, rel=1e-7)
    assert np.ravel(found["w"]) == pytest.approx(primal.x[:2], abs=1e-6)
    assert float(found["b"]) == pytest.approx(primal.x[2], abs=1e-6)


def test_map_with_a_gaussian_prior_of_variance_eta_squared_is_ridge_cs229_ps2_bayesian_regularisation():
    """CS229 problem set 2 (Bayesian interpretation of regularisation): y ~ N(Xθ, σ²I), θ ~ N(0, η²I) gives
    θ_MAP = (XᵀX + (σ²/η²)I)⁻¹Xᵀy. Oracle: numpy.linalg.solve."""
    from symml.gaussian import Gaussian

    X, theta, y = symml.matrix("X", m, d), symml.vector("theta", d), symml.vector("y", m)
    sigma, eta = sp.symbols("sigma eta", positive=True)
    solve = symml.derive.map(Gaussian(y, X @ theta, 1 / sigma**2), prior=Gaussian(theta, 0, 1 / eta**2),
                             wrt=theta).numpy()
    X0, y0 = RNG.normal(size=(10, 3)), RNG.normal(size=(10, 1))
    assert np.ravel(_only(solve(X=X0, y=y0, sigma=0.5, eta=2.0))) == pytest.approx(
        np.ravel(np.linalg.solve(X0.T @ X0 + 0.0625 * np.eye(3), X0.T @ y0)), rel=1e-10)


def test_map_with_a_laplace_prior_on_a_mean_is_a_soft_threshold_cs229_ps2():
    """CS229 problem set 2 (Laplace prior, L1): min Σᵢ(yᵢ − θ)²/2 + |θ|/b over data. Oracle: minimize_scalar."""
    theta = sp.Symbol("theta", real=True)
    scale = sp.Symbol("b", positive=True)
    y, i = sp.IndexedBase("y", real=True), sp.Symbol("i", integer=True)
    size = sp.Symbol("n", integer=True, positive=True)
    solve = symml.derive.minimize(sp.Sum((y[i] - theta)**2, (i, 1, size)) / 2 + sp.Abs(theta) / scale, theta).numpy()
    for centre in (0.3, -0.05):
        y0 = RNG.normal(centre, 1, 8)
        best = optimize.minimize_scalar(lambda t: np.sum((y0 - t)**2) / 2 + abs(t) / 0.5, bounds=(-5, 5),
                                        method="bounded", options={"xatol": 1e-12}).x
        # a minimiser found from function values is good to about √ε times the scale: 1e-7 here
        assert float(np.ravel(_only(solve(y=y0, b=0.5)))[0]) == pytest.approx(best, abs=1e-7)


@pytest.mark.parametrize("loss_name", ["hinge", "absolute deviations"])
def test_an_l1_penalty_beside_a_loss_with_kinks_is_minimised_exactly_gbc_7_1_2_with_5_7_2(loss_name):
    """GBC 7.1.2's L1 penalty beside the hinge loss of GBC 5.7.2 (the 1-norm SVM) and beside absolute deviations
    (d2l.ai 3.1 exercise 3 with a Laplace prior). Before: WRONG — the penalty was split off for proximal gradient
    with the hinge as its 'smooth' part, and ISTA stopped at a loss of 4.49 where the minimum is 4.18 (LAD: 9.39 for
    8.90). Now the epigraph form. Oracle: the linear programme over w = u − v, u, v ≥ 0, by scipy's linprog."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    lam = sp.Symbol("lambda", positive=True)
    ones = sp.OneMatrix(m, 1)
    kinked = symml.sum(symml.relu(ones - symml.hadamard(y, X @ w))) if loss_name == "hinge" else \
        symml.sum(symml.abs(y - X @ w))
    X0 = RNG.normal(size=(15, 3))
    y0 = np.sign(X0 @ np.array([[1.0], [-2.0], [0.3]]) + RNG.normal(size=(15, 1)))
    found = np.ravel(symml.derive.minimize(kinked + lam * symml.sum(symml.abs(w)), w).numpy()(X=X0, y=y0,
                                                                                             **{"lambda": 0.5}))
    A = X0 * y0 if loss_name == "hinge" else X0
    rows, zeros = np.eye(15), np.zeros((15, 15))
    costs = np.r_[0.5 * np.ones(6), np.ones(15)]  # variables u, v (3 each) and one slack per row
    if loss_name == "hinge":  # t ≥ 1 − A(u − v), t ≥ 0
        A_ub, b_ub, slack_bounds = np.block([[-A, A, -rows]]), -np.ones(15), (0, None)
    else:  # t ≥ ±(y − A(u − v))
        A_ub = np.block([[-A, A, -rows], [A, -A, -rows]])
        b_ub, slack_bounds = np.r_[-y0.ravel(), y0.ravel()], (None, None)
    lp = optimize.linprog(costs, A_ub=A_ub, b_ub=b_ub, bounds=[(0, None)] * 6 + [slack_bounds] * 15)
    value = (np.maximum(0, 1 - A @ found).sum() if loss_name == "hinge" else np.abs(y0.ravel() - A @ found).sum()) \
        + 0.5 * np.abs(found).sum()
    assert value == pytest.approx(lp.fun, rel=1e-9)


def test_a_loss_with_kinks_that_decreases_without_bound_is_refused_not_answered():
    """Σ|yᵢ − wᵀxᵢ| − 20·Σ wᵀxᵢ has no minimum. Before: numpy() returned w ≈ (−4e7, 3e7), where SLSQP stopped. Now
    a KKT check at SLSQP's point refuses it. Oracle: the loss written in NumPy falls without bound along that ray."""
    X, w, y = symml.matrix("X", m, d), symml.vector("w", d), symml.vector("y", m)
    solve = symml.derive.minimize(symml.sum(symml.abs(y - X @ w)) - 20 * symml.sum(X @ w), w).numpy()
    X0, y0 = RNG.normal(size=(15, 2)), RNG.normal(size=(15, 1))
    with pytest.raises(symml.NotIdentifiableError, match="no finite minimiser"):
        solve(X=X0, y=y0)
    direction = X0.sum(axis=0)
    values = [np.abs(y0.ravel() - X0 @ (t * direction)).sum() - 20 * (X0 @ (t * direction)).sum() for t in (1, 10, 100)]
    assert values[0] > values[1] > values[2]
