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
