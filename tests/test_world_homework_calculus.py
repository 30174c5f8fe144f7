"""Matrix and scalar calculus against homework: problems from university problem sets (CS231n, CS224n, CS229,
MIT 6.036, CMU 10-701, Cambridge 4F13) and the texts they follow (MML, PRML, Boyd & Vandenberghe, BDA, the Matrix
Cookbook, d2l.ai), posed the way students type them, through the public API.

Each test names its source and checks the derived result against an independent numeric computation written here:
central finite differences of the function, scipy.stats log-densities, numpy.linalg. The oracles live here only.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy.special import expit, logsumexp, softmax

import symml
from tests.differences import central_gradient, central_jacobian

RNG = np.random.default_rng(2025)
n, d, k = symml.dims("n d k")


def central_hessian(f, at):
    return central_jacobian(lambda v: central_gradient(f, v, 1e-5), at, 1e-4)


def _along(f, values, name):
    return lambda v: f(**{**values, name: v})


# --- CS231n / CS224n assignments ----------------------------------------------------------------------------------
def test_multiclass_svm_hinge_loss_gradient_in_w_cs231n_assignment_1():
    # svm_loss_vectorized: L = Σᵢ Σ_{j ≠ yᵢ} max(0, sⱼ − s_{yᵢ} + 1), S = XW, the correct class picked by one-hot Y
    X, W, Y = symml.matrix("X", n, d), symml.matrix("W", d, k), symml.matrix("Y", n, k)
    S = X @ W
    correct = symml.hadamard(Y, S) @ sp.OneMatrix(k, 1) @ sp.OneMatrix(1, k)
    # the j = yᵢ terms add 1 each: subtracted as the assignment does (a scalar minus a 1 x 1 expression raised
    # SymPy's TypeError "Mix of Matrix and Scalar symbols")
    loss = symml.sum(symml.relu(S - correct + sp.OneMatrix(n, k))) - n
    X0, W0, Y0 = RNG.normal(size=(6, 4)), 0.1 * RNG.normal(size=(4, 3)), np.eye(3)[RNG.integers(0, 3, 6)]

    def f(V):
        scores = X0 @ V
        return np.maximum(0, scores - (scores * Y0).sum(1, keepdims=True) + 1).sum() - 6

    both = symml.derive.gradient(loss, W).numpy(outputs=("value", "gradient"))
    value, found = both(X=X0, W=W0, Y=Y0)
    assert found == pytest.approx(central_gradient(f, W0), abs=1e-7)
    assert value == pytest.approx(f(W0), rel=1e-12)


def test_softmax_loss_with_l2_penalty_gradient_is_finite_at_large_scores_cs231n_assignment_1():
    # softmax_loss_vectorized: L = (1/N) Σᵢ −log softmax(xᵢW)_{yᵢ} + reg ‖W‖²_F
    X, W, Y = symml.matrix("X", n, d), symml.matrix("W", d, k), symml.matrix("Y", n, k)
    reg = sp.Symbol("reg", positive=True)
    gradient = symml.derive.gradient(symml.losses.softmax_cross_entropy(X, W, Y) / n + reg * symml.sq_norm(W), W).numpy()
    X0, W0, Y0 = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 4)), np.eye(4)[RNG.integers(0, 4, 5)]
    f = lambda V: -(Y0 * (X0 @ V - logsumexp(X0 @ V, axis=1, keepdims=True))).sum() / 5 + 0.1 * (V**2).sum()  # noqa: E731
    assert gradient(X=X0, W=W0, Y=Y0, reg=0.1) == pytest.approx(central_gradient(f, W0), abs=1e-7)
    assert np.all(np.isfinite(gradient(X=1e3 * X0, W=W0, Y=Y0, reg=0.1)))


def test_two_layer_relu_network_gradients_in_each_weight_cs231n_assignment_1_neural_net():
    # scores = relu(X W1 + 1 b1ᵀ) W2 + 1 b2ᵀ; softmax cross-entropy: dW1 and db1 through the ReLU
    h = symml.dims("h")
    X, W1, W2, Y = symml.matrix("X", n, d), symml.matrix("W1", d, h), symml.matrix("W2", h, k), symml.matrix("Y", n, k)
    b1, b2, ones = symml.vector("b1", h), symml.vector("b2", k), sp.OneMatrix(n, 1)
    scores = symml.relu(X @ W1 + ones @ b1.T) @ W2 + ones @ b2.T
    loss = symml.sum(symml.logsumexp(scores, axis=1)) - symml.trace(Y.T @ scores)
    values = {"X": RNG.normal(size=(5, 3)), "W1": RNG.normal(size=(3, 4)), "W2": RNG.normal(size=(4, 2)),
              "b1": RNG.normal(size=(4, 1)), "b2": RNG.normal(size=(2, 1)), "Y": np.eye(2)[RNG.integers(0, 2, 5)]}

    def f(X, W1, W2, b1, b2, Y):
        s = np.maximum(0, X @ W1 + b1.T) @ W2 + b2.T
        return (logsumexp(s, axis=1) - (Y * s).sum(1)).sum()

    for unknown, name in ((W1, "W1"), (b1, "b1")):
        found = symml.derive.gradient(loss, unknown).numpy()(**values)
        assert found == pytest.approx(central_gradient(_along(f, values, name), values[name]), abs=1e-6), name


def test_batch_norm_backward_in_the_input_and_the_scale_cs231n_assignment_2():
    # batchnorm_backward: the gradient of Σ G ⊙ (γ ⊙ x̂ + β) in X and γ, x̂ = (X − mean)/√(var + ε)
    X, G, gamma = symml.matrix("X", n, d), symml.matrix("G", n, d), symml.vector("gamma", d)
    eps, rows = sp.Symbol("epsilon", positive=True), sp.OneMatrix(n, 1)
    centred = X - rows @ rows.T @ X / n
    variance = rows.T @ symml.hadamard(centred, centred) / n
    normalised = symml.hadamard(centred, rows @ symml.power(variance + eps * sp.OneMatrix(1, d), -sp.S.Half))
    loss = symml.sum(symml.hadamard(G, symml.hadamard(normalised, rows @ gamma.T)))
    values = {"X": RNG.normal(size=(6, 3)), "G": RNG.normal(size=(6, 3)), "gamma": RNG.normal(size=(3, 1)),
              "epsilon": 1e-5}

    def f(X, G, gamma, epsilon):
        c = X - X.mean(0)
        return (G * c / np.sqrt((c**2).mean(0) + epsilon) * gamma.T).sum()

    for unknown, name in ((X, "X"), (gamma, "gamma")):
        found = symml.derive.gradient(loss, unknown).numpy()(**values)
        assert found == pytest.approx(central_gradient(_along(f, values, name), values[name]), abs=1e-6), name


def test_word2vec_naive_softmax_gradients_in_the_centre_and_outside_vectors_cs224n_assignment_2():
    # J = −log softmax(Uᵀv_c)_o = −yᵀUᵀv_c + log Σ exp(Uᵀv_c): ∂J/∂v_c = U(ŷ − y), ∂J/∂U = v_c(ŷ − y)ᵀ
    V = symml.dims("V")
    U, v, y = symml.matrix("U", d, V), symml.vector("v_c", d), symml.vector("y", V)
    J = symml.logsumexp(U.T @ v) - y.T @ U.T @ v
    values = {"U": RNG.normal(size=(3, 5)), "v_c": RNG.normal(size=(3, 1)), "y": np.eye(5)[[2]].T}
    f = lambda U, v_c, y: (logsumexp(U.T @ v_c) - y.T @ U.T @ v_c).item()  # noqa: E731
    for unknown, name in ((v, "v_c"), (U, "U")):
        found = symml.derive.gradient(J, unknown).numpy()(**values)
        assert found == pytest.approx(central_gradient(_along(f, values, name), values[name]), abs=1e-7), name


def test_word2vec_negative_sampling_gradients_stay_finite_at_large_dot_products_cs224n_assignment_2():
    # J = −log σ(u_oᵀv_c) − Σ_k log σ(−u_kᵀv_c), in v_c, u_o and the negative samples U_k
    K = symml.dims("K")
    v, u_o, U_k = symml.vector("v_c", d), symml.vector("u_o", d), symml.matrix("U_k", d, K)
    J = -symml.log(symml.sigmoid(u_o.T @ v)) - symml.sum(symml.log(symml.sigmoid(-U_k.T @ v)))
    values = {"v_c": RNG.normal(size=(3, 1)), "u_o": RNG.normal(size=(3, 1)), "U_k": RNG.normal(size=(3, 4))}
    f = lambda v_c, u_o, U_k: np.logaddexp(0, -(u_o.T @ v_c)).sum() + np.logaddexp(0, U_k.T @ v_c).sum()  # noqa: E731
    for unknown, name in ((v, "v_c"), (u_o, "u_o"), (U_k, "U_k")):
        gradient = symml.derive.gradient(J, unknown).numpy()
        assert gradient(**values) == pytest.approx(central_gradient(_along(f, values, name), values[name]), abs=1e-7)
        assert np.all(np.isfinite(gradient(**{**values, "v_c": 800 * values["v_c"]}))), name


def test_rnn_step_jacobians_in_the_state_and_the_recurrent_weights_cs231n_assignment_3():
    # rnn_step_backward: h' = tanh(W h + U x + b); ∂h'/∂h = diag(1 − h'²) W
    H = symml.dims("H")
    W, U, h = symml.matrix("W", H, H), symml.matrix("U", H, d), symml.vector("h", H)
    x, b = symml.vector("x", d), symml.vector("b", H)
    step = symml.tanh(W @ h + U @ x + b)
    values = {"W": RNG.normal(size=(3, 3)), "U": RNG.normal(size=(3, 2)), "h": RNG.normal(size=(3, 1)),
              "x": RNG.normal(size=(2, 1)), "b": RNG.normal(size=(3, 1))}
    f = lambda W, U, h, x, b: np.tanh(W @ h + U @ x + b)  # noqa: E731
    for unknown, name in ((h, "h"), (W, "W")):
        found = symml.derive.jacobian(step, unknown).numpy()(**values)
        assert found == pytest.approx(central_jacobian(_along(f, values, name), values[name]), abs=1e-8), name


def test_a_size_named_like_a_vector_is_refused_with_a_clear_error():
    # a hidden size h beside a state h (as CS231n names both): numpy() would take two arguments named h
    h = symml.dims("h")
    W, state = symml.matrix("W", h, h), symml.vector("h", h)
    with pytest.raises(symml.ParameterError, match="'h' is both a size and a matrix"):
        symml.derive.jacobian(symml.tanh(W @ state), state)


def test_softmax_jacobian_is_diag_p_minus_p_p_transposed_at_large_logits_cs224n_assignment_1():
    theta = symml.vector("theta", k)
    jacobian = symml.derive.jacobian(symml.softmax(theta), theta).numpy()
    t0 = RNG.normal(size=(4, 1))
    p = softmax(t0, axis=0)
    assert jacobian(theta=t0) == pytest.approx(central_jacobian(lambda t: softmax(t, axis=0), t0), abs=1e-8)
    assert jacobian(theta=t0 + 1e3) == pytest.approx(np.diag(p.ravel()) - p @ p.T, abs=1e-12)


# --- CS229 problem sets ---------------------------------------------------------------------------------------------
def test_logistic_risk_hessian_is_positive_semidefinite_and_finite_at_large_margins_cs229_ps1_2017_1a():
    # J(θ) = (1/n) Σ log(1 + exp(−y θᵀx)), y ∈ {−1, 1}: H = (1/n) Xᵀ diag(σ(1 − σ)) X ⪰ 0
    X, theta, y = symml.matrix("X", n, d), symml.vector("theta", d), symml.vector("y", n)
    hessian = symml.derive.hessian(symml.mean(symml.softplus(-symml.hadamard(y, X @ theta))), theta).numpy()
    X0, t0, y0 = RNG.normal(size=(7, 3)), RNG.normal(size=(3, 1)), np.sign(RNG.normal(size=(7, 1)))
    found = hessian(X=X0, theta=t0, y=y0)
    assert found == pytest.approx(central_hessian(lambda t: np.mean(np.logaddexp(0, -y0 * (X0 @ t))), t0), abs=1e-6)
    assert np.linalg.eigvalsh(found).min() > -1e-12
    assert np.all(np.isfinite(hessian(X=X0, theta=1e3 * t0, y=y0)))


def test_poisson_regression_log_likelihood_gradient_and_hessian_cs229_ps1_glm():
    # ℓ(θ) = Σ yᵢθᵀxᵢ − exp(θᵀxᵢ) (− log yᵢ!): ∇ℓ = Xᵀ(y − e^{Xθ}), ∇²ℓ = −Xᵀ diag(e^{Xθ}) X
    X, theta, y = symml.matrix("X", n, d), symml.vector("theta", d), symml.vector("y", n)
    log_likelihood = y.T @ X @ theta - symml.sum(symml.exp(X @ theta))
    X0, t0, y0 = RNG.normal(size=(6, 2)) / 2, RNG.normal(size=(2, 1)), RNG.poisson(2, size=(6, 1)).astype(float)
    f = lambda t: (y0.T @ X0 @ t).item() - np.exp(X0 @ t).sum()  # noqa: E731
    assert symml.derive.gradient(log_likelihood, theta).numpy()(X=X0, theta=t0, y=y0) == pytest.approx(
        central_gradient(f, t0), abs=1e-7)
    assert symml.derive.hessian(log_likelihood, theta).numpy()(X=X0, theta=t0, y=y0) == pytest.approx(
        central_hessian(f, t0), abs=1e-5)


def test_one_newton_step_on_least_squares_lands_on_the_normal_equations_cs229_ps1_2011_2():
    X, theta, y = symml.matrix("X", n, d), symml.vector("theta", d), symml.vector("y", n)
    J = symml.sq_norm(X @ theta - y) / 2
    X0, y0, t0 = RNG.normal(size=(8, 3)), RNG.normal(size=(8, 1)), RNG.normal(size=(3, 1))
    values = {"X": X0, "theta": t0, "y": y0}
    gradient = symml.derive.gradient(J, theta).numpy()(**values)
    hessian = symml.derive.hessian(J, theta).numpy()(**values)
    assert t0 - np.linalg.solve(hessian, gradient) == pytest.approx(np.linalg.lstsq(X0, y0, rcond=None)[0], abs=1e-10)


def test_locally_weighted_logistic_regression_gradient_and_hessian_cs229_ps1_2011_1b():
    # ℓ(θ) = −λ/2 θᵀθ + Σ wᵢ [yᵢ log h(xᵢ) + (1 − yᵢ) log(1 − h(xᵢ))]: ∇ℓ = Xᵀz − λθ, H = XᵀDX − λI
    X, theta, y, w = symml.matrix("X", n, d), symml.vector("theta", d), symml.vector("y", n), symml.vector("w", n)
    lam, ones = sp.Symbol("lambda", positive=True), sp.OneMatrix(n, 1)
    h = symml.sigmoid(X @ theta)
    ell = -lam / 2 * theta.T @ theta + w.T @ (symml.hadamard(y, symml.log(h)) + symml.hadamard(ones - y, symml.log(ones - h)))
    X0, t0 = RNG.normal(size=(6, 2)), RNG.normal(size=(2, 1))
    y0, w0 = RNG.integers(0, 2, (6, 1)).astype(float), RNG.uniform(size=(6, 1))
    values = {"X": X0, "theta": t0, "y": y0, "w": w0, "lambda": 0.1}

    def f(t):
        z = X0 @ t
        return (-0.05 * t.T @ t + w0.T @ (-y0 * np.logaddexp(0, -z) - (1 - y0) * np.logaddexp(0, z))).item()

    assert symml.derive.gradient(ell, theta).numpy()(**values) == pytest.approx(central_gradient(f, t0), abs=1e-7)
    hessian = symml.derive.hessian(ell, theta).numpy()
    assert hessian(**values) == pytest.approx(central_hessian(f, t0), abs=1e-5)
    assert np.all(np.isfinite(hessian(**{**values, "theta": 1e3 * t0})))


def test_weighted_least_squares_stationary_point_solves_the_weighted_normal_equations_cs229_ps1_2017_5():
    X, theta, y = symml.matrix("X", n, d), symml.vector("theta", d), symml.vector("y", n)
    J = (X @ theta - y).T @ symml.diag(symml.vector("w", n)) @ (X @ theta - y) / 2
    X0, y0, w0 = RNG.normal(size=(7, 3)), RNG.normal(size=(7, 1)), RNG.uniform(0.5, 2, size=(7, 1))
    found = symml.derive.stationary_point(J, theta).numpy()(X=X0, y=y0, w=w0)
    Wd = np.diag(w0.ravel())
    assert np.reshape(found, (3, 1)) == pytest.approx(np.linalg.solve(X0.T @ Wd @ X0, X0.T @ Wd @ y0), abs=1e-10)


def test_svm_primal_hinge_loss_subgradients_in_theta_and_the_offset_mit_6036():
    # J = (1/n) Σ max(0, 1 − yᵢ(θᵀxᵢ + θ₀)) + λ/2 ‖θ‖², in θ (a vector) and θ₀ (a scalar) separately
    X, theta, y = symml.matrix("X", n, d), symml.vector("theta", d), symml.vector("y", n)
    offset, lam, ones = sp.Symbol("theta_0", real=True), sp.Symbol("lambda", positive=True), sp.OneMatrix(n, 1)
    J = symml.mean(symml.relu(ones - symml.hadamard(y, X @ theta + offset * ones))) + lam / 2 * theta.T @ theta
    X0, y0, t0 = RNG.normal(size=(7, 2)), np.sign(RNG.normal(size=(7, 1))), RNG.normal(size=(2, 1))
    values = {"X": X0, "y": y0, "theta": t0, "theta_0": 0.2, "lambda": 0.1}
    f = lambda t, t00: np.mean(np.maximum(0, 1 - y0 * (X0 @ t + t00))) + 0.05 * (t.T @ t).item()  # noqa: E731
    assert symml.derive.gradient(J, theta).numpy()(**values) == pytest.approx(
        central_gradient(lambda t: f(t, 0.2), t0), abs=1e-7)
    assert float(symml.derive.gradient(J, offset).numpy()(**values)) == pytest.approx(
        float(central_gradient(lambda t: f(t0, t), np.array(0.2))), abs=1e-7)


# --- MML, the Matrix Cookbook, Boyd & Vandenberghe ------------------------------------------------------------------
def test_chain_rule_exercises_log_of_one_plus_squared_norm_and_sine_of_affine_map_mml_5_7():
    x, A, b = symml.vector("x", d), symml.matrix("A", k, d), symml.vector("b", k)
    x0, A0, b0 = RNG.normal(size=(3, 1)), RNG.normal(size=(2, 3)), RNG.normal(size=(2, 1))
    gradient = symml.derive.gradient(symml.log(sp.Identity(1) + x.T @ x), x).numpy()(x=x0)
    assert gradient == pytest.approx(central_gradient(lambda v: np.log(1 + (v.T @ v).item()), x0), abs=1e-8)
    jacobian = symml.derive.jacobian((A @ x + b).applyfunc(sp.sin), x).numpy()(x=x0, A=A0, b=b0)
    assert jacobian == pytest.approx(central_jacobian(lambda v: np.sin(A0 @ v + b0), x0), abs=1e-8)


def test_chain_rule_exercises_gaussian_kernel_trace_and_tanh_layer_mml_5_8():
    x, mu, S = symml.vector("x", d), symml.vector("mu", d), symml.matrix("S", d, d, symmetric=True)
    sigma = sp.Symbol("sigma", positive=True)
    x0, m0, B = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 3))
    S0 = B @ B.T + 3 * np.eye(3)
    kernel = symml.exp(-(x - mu).T @ symml.inv(S) @ (x - mu) / 2)
    found = symml.derive.gradient(kernel, x).numpy()(x=x0, mu=m0, S=S0)
    oracle = lambda v: np.exp(-0.5 * ((v - m0).T @ np.linalg.solve(S0, v - m0)).item())  # noqa: E731
    assert found == pytest.approx(central_gradient(oracle, x0), abs=1e-8)
    trace = symml.derive.gradient(symml.trace(x @ x.T + sigma**2 * sp.Identity(d)), x).numpy()(x=x0, sigma=0.5)
    assert trace == pytest.approx(central_gradient(lambda v: np.trace(v @ v.T + 0.25 * np.eye(3)), x0), abs=1e-8)


def test_weighted_residual_gradient_and_hessian_in_the_sources_matrix_cookbook_88_89():
    x, s, A, W = symml.vector("x", n), symml.vector("s", d), symml.matrix("A", n, d), symml.matrix("W", n, n, symmetric=True)
    f = (x - A @ s).T @ W @ (x - A @ s)
    x0, A0, s0, B = RNG.normal(size=(4, 1)), RNG.normal(size=(4, 2)), RNG.normal(size=(2, 1)), RNG.normal(size=(4, 4))
    values = {"x": x0, "A": A0, "s": s0, "W": B + B.T}
    oracle = lambda v: ((x0 - A0 @ v).T @ values["W"] @ (x0 - A0 @ v)).item()  # noqa: E731
    assert symml.derive.gradient(f, s).numpy()(**values) == pytest.approx(central_gradient(oracle, s0), abs=1e-7)
    assert symml.derive.hessian(f, s).numpy()(**values) == pytest.approx(central_hessian(oracle, s0), abs=1e-5)


def test_hessian_of_a_distance_is_finite_at_an_offset_of_1e_minus_300_matrix_cookbook_129():
    x, a = symml.vector("x", d), symml.vector("a", d)
    hessian = symml.derive.hessian(symml.norm(x - a), x).numpy()
    r = RNG.normal(size=(3, 1))
    scaled = lambda v: np.linalg.norm(v)  # noqa: E731
    expected = central_hessian(scaled, r)  # homogeneous of degree −1: H(s r) = H(r)/s
    assert hessian(x=r, a=np.zeros((3, 1))) == pytest.approx(expected, abs=1e-5)
    assert 1e-300 * hessian(x=1e-300 * r, a=np.zeros((3, 1))) == pytest.approx(expected, abs=1e-5)


def test_log_barrier_gradient_hessian_and_verify_inside_its_domain_boyd_vandenberghe_11_2():
    # φ(x) = −Σ log(bᵢ − aᵢᵀx): ∇φ = Aᵀ(1/(b − Ax)), ∇²φ = Aᵀ diag(1/(b − Ax)²) A; verify() used to draw
    # points outside the domain (b − Ax < 0) and report a correct Hessian as FAILED with an infinite error
    A, x, b = symml.matrix("A", n, d), symml.vector("x", d), symml.vector("b", n)
    barrier = -symml.sum(symml.log(b - A @ x))
    A0, x0 = RNG.normal(size=(6, 2)), 0.1 * RNG.normal(size=(2, 1))
    b0 = A0 @ x0 + RNG.uniform(0.5, 2, size=(6, 1))
    hessian = symml.derive.hessian(barrier, x)
    found = hessian.numpy()(A=A0, x=x0, b=b0)
    assert found == pytest.approx(central_hessian(lambda v: -np.sum(np.log(b0 - A0 @ v)), x0), rel=1e-5)
    assert hessian.verify().passed


def test_log_det_barrier_hessian_in_the_matrix_boyd_vandenberghe_a_4_3():
    X = symml.matrix("X", d, d)
    B = RNG.normal(size=(3, 3))
    X0 = B @ B.T + 3 * np.eye(3)
    found = symml.derive.hessian(-symml.logdet(X), X).numpy()(X=X0)
    assert found == pytest.approx(central_hessian(lambda M: -np.linalg.slogdet(M)[1], X0), abs=1e-5)


def test_log_sum_exp_hessian_at_arguments_near_1000_boyd_vandenberghe_3_1_5():
    x = symml.vector("x", d)
    hessian = symml.derive.hessian(symml.logsumexp(x), x).numpy()
    x0 = RNG.normal(size=(4, 1))
    p = softmax(x0, axis=0)
    assert hessian(x=x0) == pytest.approx(central_hessian(lambda v: logsumexp(v), x0), abs=1e-5)
    assert hessian(x=x0 + 1000) == pytest.approx(np.diag(p.ravel()) - p @ p.T, abs=1e-12)


def test_quadratic_over_linear_hessian_is_positive_semidefinite_boyd_vandenberghe_3_1_5():
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", positive=True)
    found = np.asarray(symml.derive.hessian(x**2 / y, [x, y]).numpy()(x=1.5, y=0.7), dtype=float)
    assert found == pytest.approx(central_hessian(lambda v: v[0]**2 / v[1], np.array([1.5, 0.7])), abs=1e-5)
    assert np.linalg.eigvalsh(found).min() > -1e-12


def test_gaussian_log_likelihood_in_the_precision_along_symmetric_directions_prml_2_118():
    # ∂/∂Λ [N/2 log|Λ| − N/2 tr(ΛS) − N/2 (x̄ − μ)ᵀΛ(x̄ − μ)], Λ symmetric; and ∂/∂μ
    mu, xbar = symml.vector("mu", d), symml.vector("xbar", d)
    Lam, S = symml.matrix("Lambda", d, d, symmetric=True), symml.matrix("S", d, d, symmetric=True)
    N = sp.Symbol("N", positive=True)
    ll = N / 2 * symml.logdet(Lam) - N / 2 * symml.trace(Lam @ S) - N / 2 * (xbar - mu).T @ Lam @ (xbar - mu)
    B, C = RNG.normal(size=(3, 3)), RNG.normal(size=(3, 3))
    values = {"Lambda": B @ B.T + 3 * np.eye(3), "S": C @ C.T, "mu": RNG.normal(size=(3, 1)),
              "xbar": RNG.normal(size=(3, 1)), "N": 5.0}

    def f(Lambda, S, mu, xbar, N):
        return N / 2 * (np.linalg.slogdet(Lambda)[1] - np.trace(Lambda @ S) - ((xbar - mu).T @ Lambda @ (xbar - mu)).item())

    G = np.asarray(symml.derive.gradient(ll, Lam).numpy()(**values))
    E = RNG.normal(size=(3, 3))
    E = E + E.T
    L0 = values["Lambda"]
    along = (f(**{**values, "Lambda": L0 + 1e-6 * E}) - f(**{**values, "Lambda": L0 - 1e-6 * E})) / 2e-6
    assert np.sum(G * E) == pytest.approx(along, rel=1e-6)
    assert symml.derive.gradient(ll, mu).numpy()(**values) == pytest.approx(
        central_gradient(_along(f, values, "mu"), values["mu"]), abs=1e-6)


def test_gp_log_marginal_likelihood_derivative_in_a_kernel_scale_rasmussen_williams_5_9():
    # ∂/∂s [−½ yᵀK⁻¹y − ½ log|K|], K = s K₀ + σ²I: ½ yᵀK⁻¹K₀K⁻¹y − ½ tr(K⁻¹K₀)
    y, K0 = symml.vector("y", n), symml.matrix("K_0", n, n, symmetric=True)
    s, s2 = sp.Symbol("s", positive=True), sp.Symbol("sigma2", positive=True)
    K = s * K0 + s2 * sp.Identity(n)
    derivative = symml.derive.jacobian(-y.T @ symml.inv(K) @ y / 2 - symml.logdet(K) / 2, s).numpy()
    B, y0 = RNG.normal(size=(4, 4)), RNG.normal(size=(4, 1))

    def f(sv):
        Kv = sv * B @ B.T + 0.5 * np.eye(4)
        return -(y0.T @ np.linalg.solve(Kv, y0)).item() / 2 - np.linalg.slogdet(Kv)[1] / 2

    assert float(np.ravel(derivative(y=y0, K_0=B @ B.T, s=1.3, sigma2=0.5))[0]) == pytest.approx(
        float(central_gradient(f, np.array(1.3))), rel=1e-7)


def test_gradient_and_hessian_in_a_one_by_one_slope_keep_its_shape_cs229_notes_1():
    a, x, y = symml.matrix("a", 1, 1), symml.vector("x", n), symml.vector("y", n)
    loss = symml.sq_norm(x @ a - y)
    x0, y0 = RNG.normal(size=(5, 1)), RNG.normal(size=(5, 1))
    f = lambda v: np.sum((x0 * v.item() - y0) ** 2)  # noqa: E731
    assert symml.derive.gradient(loss, a).numpy()(a=np.array([[0.7]]), x=x0, y=y0) == pytest.approx(
        central_gradient(f, np.array([[0.7]])), abs=1e-7)
    assert symml.derive.hessian(loss, a).numpy()(a=np.array([[0.7]]), x=x0, y=y0) == pytest.approx(
        central_hessian(f, np.array([[0.7]])), abs=1e-5)


# --- scalar calculus: PRML, Casella & Berger, d2l -------------------------------------------------------------------
def test_cross_entropy_of_a_sigmoid_output_differentiates_to_y_minus_t_at_large_activations_prml_5_18():
    a, t = sp.symbols("a t", real=True)
    error = -(t * sp.log(symml.sigmoid(a)) + (1 - t) * sp.log(1 - symml.sigmoid(a)))
    derivative = symml.derive.derivative(error, a).numpy()
    assert float(derivative(a=0.4, t=0.3)) == pytest.approx(expit(0.4) - 0.3, rel=1e-12)
    assert float(derivative(a=800.0, t=0.3)) == pytest.approx(0.7, rel=1e-12)


def test_negative_binomial_hessian_in_size_and_probability_casella_berger():
    x = sp.Symbol("x", nonnegative=True, integer=True)
    r, p = sp.Symbol("r", positive=True), sp.Symbol("p", positive=True)
    log_pmf = sp.loggamma(x + r) - sp.loggamma(r) - sp.loggamma(x + 1) + r * sp.log(p) + x * sp.log(1 - p)
    found = np.asarray(symml.derive.hessian(log_pmf, [r, p]).numpy()(x=4, r=2.5, p=0.4), dtype=float)
    oracle = lambda v: ss.nbinom(v[0], v[1]).logpmf(4)  # noqa: E731
    assert found == pytest.approx(central_hessian(oracle, np.array([2.5, 0.4])), rel=1e-5)


def test_derivative_and_tangent_line_of_x_cubed_minus_one_over_x_d2l_2_4():
    x = sp.Symbol("x", real=True)
    assert float(symml.derive.derivative(x**3 - 1 / x, x).numpy()(x=1.0)) == pytest.approx(
        float(central_gradient(lambda v: v**3 - 1 / v, np.array(1.0))), rel=1e-8)
    tangent = symml.derive.taylor(x**3 - 1 / x, {x: 1}, order=1).result
    assert [float(tangent.subs(x, v)) for v in (0.5, 2.0)] == pytest.approx([4 * 0.5 - 4, 4 * 2.0 - 4])


def test_student_t_log_density_hessian_in_all_three_parameters_is_fast_and_right_murphy_pml1_11_6():
    # the sympy.stats density, a single fraction under the log: its logs are expanded before differentiating (the
    # derivative of the log of the fraction was a tower of quotients), and rational entries skip SymPy's simplify
    x, mu = sp.symbols("x mu", real=True)
    sigma, nu = sp.symbols("sigma nu", positive=True)
    log_density = sp.log(st.density(st.StudentT("T", nu))((x - mu) / sigma) / sigma)
    start = time.process_time()
    hessian = symml.derive.hessian(log_density, [nu, mu, sigma])
    elapsed = time.process_time() - start
    found = np.asarray(hessian.numpy()(x=1.4, nu=3.5, mu=0.3, sigma=1.2), dtype=float)
    oracle = lambda v: ss.t(v[0], loc=v[1], scale=v[2]).logpdf(1.4)  # noqa: E731
    assert found == pytest.approx(central_hessian(oracle, np.array([3.5, 0.3, 1.2])), rel=1e-5, abs=1e-7)
    assert elapsed < 5.0  # 3.5 s before on a quiet machine (now ~0.5 s of CPU); generous under load
    assert len(str(hessian.result)) < 2000  # was a tower of 13,000 characters


# --- normalised vectors and distances at extreme scales ---------------------------------------------------------------
def test_jacobian_of_a_normalised_vector_is_finite_at_entries_of_1e_minus_300_cs224n_word_vectors():
    # ∂(x/‖x‖)/∂x = (I − uuᵀ)/‖x‖, homogeneous of degree −1: at 1e-300 r it is 1e300 times its value at r
    x = symml.vector("x", d)
    jacobian = symml.derive.jacobian(x / symml.norm(x), x).numpy()
    r = RNG.normal(size=(3, 1))
    expected = central_jacobian(lambda v: v / np.linalg.norm(v), r)
    assert jacobian(x=r) == pytest.approx(expected, abs=1e-8)
    assert 1e-300 * jacobian(x=1e-300 * r) == pytest.approx(expected, abs=1e-8)


def test_cosine_similarity_gradient_is_finite_at_tiny_and_huge_vectors_cs224n_assignment_1():
    # ∇ₓ xᵀy/(‖x‖‖y‖) is homogeneous of degree −1 in x; the term xᵀy/‖x‖³ overflowed at 1e-300 (inf)
    x, y = symml.vector("x", d), symml.vector("y", d)
    gradient = symml.derive.gradient(x.T @ y / (symml.norm(x) * symml.norm(y)), x).numpy()
    x0, y0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    expected = central_gradient(lambda v: (v.T @ y0).item() / np.linalg.norm(v) / np.linalg.norm(y0), x0)
    for s in (1.0, 1e-300, 1e200):
        assert s * gradient(x=s * x0, y=y0) == pytest.approx(expected, abs=1e-8), s


def test_mahalanobis_distance_hessian_reads_without_kronecker_products_and_is_finite_at_1e_minus_300():
    # ∇² √(rᵀS⁻¹r) for r = x − μ: was (rᵀ ⊗ I) vec(S⁻¹) ... (nan at tiny r); (Bᵀ ⊗ A) vec X = A X b applied
    x, mu, S = symml.vector("x", 2), symml.vector("mu", 2), symml.matrix("S", 2, 2)
    hessian = symml.derive.hessian(symml.power((x - mu).T @ symml.inv(S) @ (x - mu), "1/2"), x)
    assert "Kronecker" not in str(hessian.result)
    S0, r = np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([[3.0], [-1.0]])
    expected = central_hessian(lambda v: np.sqrt((v.T @ np.linalg.solve(S0, v)).item()), r)
    assert hessian.numpy()(x=r, mu=np.zeros((2, 1)), S=S0) == pytest.approx(expected, abs=1e-6)
    assert 1e-300 * hessian.numpy()(x=1e-300 * r, mu=np.zeros((2, 1)), S=S0) == pytest.approx(expected, abs=1e-6)


def test_attention_gradient_in_the_keys_verifies_where_the_softmax_saturates_cs224n_assignment_5():
    # Σ G ⊙ softmax(QKᵀ/√k)V in K; verify() drew an ill-scaled point where the gradient is 1e-189 and its finite
    # differences exactly 0, and called the agreement a relative error of 1
    Q, K, V, G = symml.matrix("Q", n, k), symml.matrix("K", n, k), symml.matrix("V", n, d), symml.matrix("G", n, d)
    gradient = symml.derive.gradient(symml.sum(symml.hadamard(G, symml.softmax(Q @ K.T / sp.sqrt(k), axis=1) @ V)), K)
    values = {name: RNG.normal(size=shape) for name, shape in (("Q", (4, 3)), ("K", (4, 3)), ("V", (4, 2)), ("G", (4, 2)))}

    def f(Q, K, V, G):
        return (G * (softmax(Q @ K.T / np.sqrt(3), axis=1) @ V)).sum()

    assert gradient.numpy()(**values) == pytest.approx(central_gradient(_along(f, values, "K"), values["K"]), abs=1e-7)
    assert gradient.verify().passed


# --- scalar log-densities as homework poses them ----------------------------------------------------------------------
def test_von_mises_score_in_location_and_concentration_evaluates_the_bessel_function_murphy_pml1():
    # ∂/∂κ [κ cos(θ − μ) − log(2π I₀(κ))] = cos(θ − μ) − I₁(κ)/I₀(κ); numpy() raised NameError: besseli
    theta, mu, kappa = sp.Symbol("theta", real=True), sp.Symbol("mu", real=True), sp.Symbol("kappa", positive=True)
    log_density = kappa * sp.cos(theta - mu) - sp.log(2 * sp.pi * sp.besseli(0, kappa))
    found = np.ravel(symml.derive.gradient(log_density, [mu, kappa]).numpy()(theta=0.4, mu=0.1, kappa=2.0))
    oracle = lambda v: ss.vonmises(v[1], loc=v[0]).logpdf(0.4)  # noqa: E731
    assert found == pytest.approx(central_gradient(oracle, np.array([0.1, 2.0])), rel=1e-7)


def test_student_t_typed_as_latex_takes_a_positive_nu_given_by_the_user_bda3_17():
    # the text's ν is read as a real symbol; wrt=[ν positive] made two arguments named nu (SyntaxError)
    nu = sp.Symbol("nu", positive=True)
    typed = (r"\log\Gamma(\frac{\nu+1}{2}) - \log\Gamma(\frac{\nu}{2}) - \frac{1}{2}\log(\nu\pi)"
             r" - \frac{\nu+1}{2}\log(1 + \frac{x^2}{\nu})")
    found = np.ravel(symml.derive.hessian(typed, [nu]).numpy()(x=0.9, nu=3.0))
    oracle = lambda v: ss.t(v[0]).logpdf(0.9)  # noqa: E731
    assert found == pytest.approx(np.ravel(central_hessian(oracle, np.array([3.0]))), rel=1e-5)


def test_gumbel_log_density_hessian_in_location_and_scale_pml1():
    mu, beta, x = sp.Symbol("mu", real=True), sp.Symbol("beta", positive=True), sp.Symbol("x", real=True)
    z = (x - mu) / beta
    found = np.asarray(symml.derive.hessian(-sp.log(beta) - z - sp.exp(-z), [mu, beta]).numpy()(x=0.7, mu=0.2, beta=1.3),
                       dtype=float)
    oracle = lambda v: ss.gumbel_r(loc=v[0], scale=v[1]).logpdf(0.7)  # noqa: E731
    assert found == pytest.approx(central_hessian(oracle, np.array([0.2, 1.3])), rel=1e-5)


def test_laplacian_of_the_euclidean_norm_is_d_minus_one_over_the_norm_even_at_1e_minus_300_cambridge_ia():
    # Δ‖x‖ = (d − 1)/‖x‖: tr(x xᵀ) is read xᵀx (was Trace(x xᵀ)/‖x‖³ beside d/‖x‖, nan at 1e-300)
    x = symml.vector("x", d)
    laplacian = symml.derive.laplacian(symml.norm(x), x)
    r = RNG.normal(size=(3, 1))
    numeric = float(np.trace(central_hessian(lambda v: np.linalg.norm(v), r)))
    assert float(laplacian.numpy()(x=r)) == pytest.approx(numeric, rel=1e-6)
    assert 1e-300 * float(laplacian.numpy()(x=1e-300 * r)) == pytest.approx(numeric, rel=1e-6)
    assert "Trace" not in str(laplacian.result)
