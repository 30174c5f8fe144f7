"""Deisenroth, Faisal & Ong, *Mathematics for Machine Learning* (MML), and Hastie, Tibshirani & Friedman, *The
Elements of Statistical Learning* (ESL), posed through the public API the way their readers type them: the books'
letters (Φ, θ, β, S, B, γᵢ), symbolic and numeric sizes, LaTeX and plain-text strings, sympy.stats variables.

Each test names its exercise or example and checks the derived result against an independent numeric computation
written here: central finite differences, mpmath's Taylor coefficients, scipy.optimize (minimize, linprog),
scipy.stats densities with quadrature, Monte Carlo, numpy.linalg. The oracles live here only. MML exercises 5.7,
5.8 and 6.8 are posed in test_world_homework_calculus.py and tests/gaussian; they are not repeated.
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize
from scipy.special import expit

import symml
from symml.gaussian import Gaussian, LinearGaussian
from tests.differences import central_gradient, central_jacobian

RNG = np.random.default_rng(1010)
N, D, E, F, K, p = symml.dims("N D E F K p")
x = sp.Symbol("x", real=True)
x1, x2 = sp.symbols("x_1 x_2", real=True)


def _regression_data(rows: int = 15, columns: int = 3) -> tuple[np.ndarray, np.ndarray]:
    X0 = RNG.normal(size=(rows, columns))
    return X0, X0 @ RNG.normal(size=(columns, 1)) + 0.4 * RNG.normal(size=(rows, 1))


def _spd(size: int) -> np.ndarray:
    M = RNG.normal(size=(size, size))
    return M @ M.T + size * np.eye(size)


# --- MML chapter 5: vector calculus ---------------------------------------------------------------------------
def test_derivative_of_log_x4_sin_x3_mml_exercise_5_1():
    found = symml.derive.gradient(sp.log(x**4) * sp.sin(x**3), x).numpy()(x=1.3)
    assert found == pytest.approx(central_gradient(lambda v: np.log(v**4) * np.sin(v**3), 1.3), rel=1e-7)


def test_derivative_of_log_x4_sin_x3_typed_as_latex_mml_exercise_5_1():
    found = symml.derive.gradient(r"\log(x^4) \sin(x^3)", wrt="x").numpy()(x=-0.8)
    assert found == pytest.approx(central_gradient(lambda v: np.log(v**4) * np.sin(v**3), -0.8), rel=1e-7)


def test_derivative_of_the_logistic_function_is_finite_far_out_mml_exercise_5_2():
    derivative = symml.derive.gradient("1/(1 + exp(-x))", wrt="x").numpy()
    assert derivative(x=0.7) == pytest.approx(central_gradient(expit, 0.7), rel=1e-8)
    assert derivative(x=-800.0) == 0.0 and derivative(x=800.0) == 0.0


def test_derivative_of_an_unnormalised_gaussian_in_x_mml_exercise_5_3():
    mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    found = symml.derive.gradient(sp.exp(-(x - mu)**2 / (2 * sigma**2)), x).numpy()(x=0.4, mu=1.1, sigma=0.6)
    assert found == pytest.approx(central_gradient(lambda v: np.exp(-(v - 1.1)**2 / 0.72), 0.4), rel=1e-7)


@pytest.mark.parametrize("order", range(6))
def test_taylor_polynomials_of_sin_plus_cos_at_zero_mml_exercise_5_4(order):
    polynomial = symml.derive.taylor(sp.sin(x) + sp.cos(x), at={x: 0}, order=order).result
    coefficients = mpmath.taylor(lambda t: mpmath.sin(t) + mpmath.cos(t), 0, order)
    assert float(polynomial.subs(x, 0.3)) == pytest.approx(float(mpmath.polyval(coefficients[::-1], 0.3)), rel=1e-14)


def test_jacobian_of_sin_x1_cos_x2_mml_exercise_5_5():
    jacobian = symml.derive.jacobian([sp.sin(x1) * sp.cos(x2)], [x1, x2]).numpy()
    oracle = central_jacobian(lambda v: np.sin(v[0]) * np.cos(v[1]), np.array([0.3, -1.2]))
    assert np.asarray(jacobian(x_1=0.3, x_2=-1.2)).reshape(1, 2) == pytest.approx(oracle, abs=1e-8)


def test_gradient_of_the_inner_product_in_x_is_y_mml_exercise_5_5():
    xv, yv = symml.vector("x", N), symml.vector("y", N)
    x0, y0 = RNG.normal(size=(4, 1)), RNG.normal(size=(4, 1))
    found = symml.derive.gradient(xv.T @ yv, xv).numpy()(x=x0, y=y0)
    assert found == pytest.approx(central_gradient(lambda v: (v.T @ y0).item(), x0), abs=1e-8)


def test_jacobian_of_the_outer_product_x_xT_in_x_mml_exercise_5_5():
    xv = symml.vector("x", N)
    x0 = RNG.normal(size=(3, 1))
    found = symml.derive.jacobian(xv @ xv.T, xv).numpy()(x=x0)
    assert found == pytest.approx(central_jacobian(lambda v: v @ v.T, x0), abs=1e-8)


def test_gradient_of_sin_log_tT_t_mml_exercise_5_6():
    t = symml.vector("t", D)
    t0 = RNG.normal(size=(3, 1))
    found = symml.derive.gradient((t.T @ t).applyfunc(sp.log).applyfunc(sp.sin), t).numpy()(t=t0)
    assert found == pytest.approx(central_gradient(lambda v: np.sin(np.log((v.T @ v).item())), t0), abs=1e-8)


def test_gradient_of_tr_AXB_in_X_mml_exercise_5_6():
    A, X, B = symml.matrix("A", D, E), symml.matrix("X", E, F), symml.matrix("B", F, D)
    A0, X0, B0 = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4)), RNG.normal(size=(4, 2))
    found = symml.derive.gradient(symml.trace(A @ X @ B), X).numpy()(A=A0, X=X0, B=B0)
    assert found == pytest.approx(central_gradient(lambda V: np.trace(A0 @ V @ B0), X0), abs=1e-8)


def test_partial_derivatives_of_x1_squared_x2_plus_x1_x2_cubed_mml_example_5_6():
    found = symml.derive.gradient(x1**2 * x2 + x1 * x2**3, [x1, x2]).numpy()(x_1=0.7, x_2=-1.3)
    oracle = central_gradient(lambda v: v[0]**2 * v[1] + v[0] * v[1]**3, np.array([0.7, -1.3]))
    assert np.ravel(found) == pytest.approx(oracle, rel=1e-8)


def test_gradient_of_x1_plus_2_x2_cubed_squared_typed_as_text_mml_example_5_7():
    found = symml.derive.gradient("(x_1 + 2 x_2^3)^2", wrt=[x1, x2]).numpy()(x_1=0.7, x_2=-1.3)
    oracle = central_gradient(lambda v: (v[0] + 2 * v[1]**3)**2, np.array([0.7, -1.3]))
    assert np.ravel(found) == pytest.approx(oracle, rel=1e-8)


def test_chain_rule_through_x1_sin_t_and_x2_cos_t_mml_example_5_8():
    t = sp.Symbol("t", real=True)
    found = symml.derive.derivative(sp.sin(t)**2 + 2 * sp.cos(t), t).result.subs(t, 0.9)
    assert float(found) == pytest.approx(central_gradient(lambda v: np.sin(v)**2 + 2 * np.cos(v), 0.9), rel=1e-8)


def test_gradient_of_the_least_squares_loss_in_theta_mml_example_5_11():
    Phi, theta, y = symml.matrix("Phi", N, D), symml.vector("theta", D), symml.vector("y", N)
    P0, t0, y0 = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 1)), RNG.normal(size=(5, 1))
    found = symml.derive.gradient(symml.sq_norm(y - Phi @ theta), theta).numpy()(Phi=P0, theta=t0, y=y0)
    assert found == pytest.approx(central_gradient(lambda v: ((y0 - P0 @ v)**2).sum(), t0), rel=1e-7)


def test_jacobian_of_Ax_in_the_matrix_A_is_vec_layout_mml_example_5_12():
    M = symml.dims("M")
    A, xv = symml.matrix("A", M, N), symml.vector("x", N)
    A0, x0 = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 1))
    found = symml.derive.jacobian(A @ xv, A).numpy()(A=A0, x=x0)
    assert found == pytest.approx(central_jacobian(lambda V: V @ x0, A0), abs=1e-8)  # shape (M, M N)


def test_jacobian_of_RT_R_in_R_mml_example_5_13():
    M = symml.dims("M")
    R = symml.matrix("R", M, N)
    R0 = RNG.normal(size=(3, 2))
    found = symml.derive.jacobian(R.T @ R, R).numpy()(R=R0)
    assert found == pytest.approx(central_jacobian(lambda V: V.T @ V, R0), abs=1e-8)  # shape (N N, M N)


def test_gradient_of_a_determinant_mml_eq_5_101():
    X = symml.matrix("X", D, D)
    X0 = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
    assert symml.derive.gradient(symml.det(X), X).numpy()(X=X0) == pytest.approx(
        central_gradient(np.linalg.det, X0), rel=1e-6)


def test_gradient_of_aT_X_inverse_b_mml_eq_5_103():
    X, a, b = symml.matrix("X", D, D), symml.vector("a", D), symml.vector("b", D)
    X0, a0, b0 = RNG.normal(size=(3, 3)) + 3 * np.eye(3), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    found = symml.derive.gradient(a.T @ symml.inv(X) @ b, X).numpy()(X=X0, a=a0, b=b0)
    assert found == pytest.approx(central_gradient(lambda V: (a0.T @ np.linalg.solve(V, b0)).item(), X0), abs=1e-8)


def test_gradient_of_the_weighted_residual_in_s_mml_eq_5_107():
    xv, s, A, W = symml.vector("x", D), symml.vector("s", E), symml.matrix("A", D, E), symml.matrix("W", D, D,
                                                                                                   symmetric=True)
    A0, x0, s0, W0 = RNG.normal(size=(3, 2)), RNG.normal(size=(3, 1)), RNG.normal(size=(2, 1)), _spd(3)
    found = symml.derive.gradient((xv - A @ s).T @ W @ (xv - A @ s), s).numpy()(x=x0, s=s0, A=A0, W=W0)
    oracle = central_gradient(lambda v: ((x0 - A0 @ v).T @ W0 @ (x0 - A0 @ v)).item(), s0)
    assert found == pytest.approx(oracle, rel=1e-7)


def test_backpropagation_example_sqrt_and_cos_of_x2_plus_exp_x2_mml_example_5_14():
    inner = x**2 + sp.exp(x**2)
    found = symml.derive.gradient(sp.sqrt(inner) + sp.cos(inner), x).numpy()(x=0.6)
    oracle = central_gradient(lambda v: np.sqrt(v**2 + np.exp(v**2)) + np.cos(v**2 + np.exp(v**2)), 0.6)
    assert found == pytest.approx(oracle, rel=1e-7)


def test_third_order_taylor_of_a_cubic_in_two_variables_is_the_cubic_mml_example_5_15():
    y = sp.Symbol("y", real=True)
    polynomial = symml.derive.taylor(x**2 + 2 * x * y + y**3, at={x: 1, y: 2}, order=3).result
    assert float(polynomial.subs({x: 1.7, y: 0.4})) == pytest.approx(1.7**2 + 2 * 1.7 * 0.4 + 0.4**3, rel=1e-14)


def test_second_order_taylor_in_two_variables_matches_finite_differences_mml_example_5_15():
    y = sp.Symbol("y", real=True)
    polynomial = symml.derive.taylor(x**2 + 2 * x * y + y**3, at={x: 1, y: 2}, order=2).result
    f = lambda v: v[0]**2 + 2 * v[0] * v[1] + v[1]**3  # noqa: E731
    at, step = np.array([1.0, 2.0]), np.array([0.3, -0.2])
    g = central_gradient(f, at, 1e-5)
    H = central_jacobian(lambda v: central_gradient(f, v, 1e-5), at, 1e-4)
    assert float(polynomial.subs({x: 1.3, y: 1.8})) == pytest.approx(f(at) + g @ step + step @ H @ step / 2, rel=1e-6)


def test_taylor_polynomial_of_x4_at_1_reproduces_x4_mml_example_5_3():
    polynomial = symml.derive.taylor(x**4, at={x: 1}, order=4).result
    assert float(polynomial.subs(x, -0.6)) == pytest.approx(0.6**4, rel=1e-14)


def test_hessian_of_the_cubic_of_example_5_15_at_1_2_mml_example_5_15():
    y = sp.Symbol("y", real=True)
    found = symml.derive.hessian(x**2 + 2 * x * y + y**3, [x, y]).numpy()(x=1.0, y=2.0)
    f = lambda v: v[0]**2 + 2 * v[0] * v[1] + v[1]**3  # noqa: E731
    oracle = central_jacobian(lambda v: central_gradient(f, v, 1e-5), np.array([1.0, 2.0]), 1e-4)
    assert np.asarray(found) == pytest.approx(oracle, abs=1e-5)


def test_gradient_of_a_two_layer_tanh_network_in_the_first_weights_mml_5_6():
    H = symml.dims("H")
    W1, W2, b1 = symml.matrix("W1", H, D), symml.matrix("W2", K, H), symml.vector("b1", H)
    xv, y = symml.vector("x", D), symml.vector("y", K)
    values = {"W1": RNG.normal(size=(4, 3)), "W2": RNG.normal(size=(2, 4)), "b1": RNG.normal(size=(4, 1)),
              "x": RNG.normal(size=(3, 1)), "y": RNG.normal(size=(2, 1))}
    found = symml.derive.gradient(symml.sq_norm(y - W2 @ symml.tanh(W1 @ xv + b1)), W1).numpy()(**values)
    loss = lambda V: ((values["y"] - values["W2"] @ np.tanh(V @ values["x"] + values["b1"]))**2).sum()  # noqa: E731
    assert found == pytest.approx(central_gradient(loss, values["W1"]), abs=1e-7)


def test_jacobian_determinant_of_polar_coordinates_is_r_mml_5_3():
    r, theta = sp.symbols("r theta", positive=True)
    found = symml.derive.jacobian([r * sp.cos(theta), r * sp.sin(theta)], [r, theta]).numpy()(r=1.7, theta=0.4)
    oracle = central_jacobian(lambda v: np.array([v[0] * np.cos(v[1]), v[0] * np.sin(v[1])]), np.array([1.7, 0.4]))
    assert np.asarray(found).reshape(2, 2) == pytest.approx(oracle, abs=1e-8)
    assert np.linalg.det(oracle) == pytest.approx(1.7, rel=1e-8)


def test_reparameterised_elbo_integrand_gradient_in_mu_and_s_mml_exercise_5_9():
    mu, s, eps = sp.Symbol("mu", real=True), sp.Symbol("s", positive=True), sp.Symbol("epsilon", real=True)
    z = mu + s * eps  # z = t(ε, ν): g = log p(x, z) − log q(z, ν) with p = N(z | 0, 1) N(x | z, 1), q = N(μ, s²)
    g = -z**2 / 2 - (x - z)**2 / 2 + sp.log(s) + (z - mu)**2 / (2 * s**2)
    found = symml.derive.gradient(g, [mu, s]).numpy()(mu=0.5, s=0.8, epsilon=0.3, x=1.2)
    f = lambda v: -(v[0] + 0.3 * v[1])**2 / 2 - (1.2 - v[0] - 0.3 * v[1])**2 / 2 + np.log(v[1]) + 0.045  # noqa: E731
    assert np.ravel(found) == pytest.approx(central_gradient(f, np.array([0.5, 0.8])), rel=1e-7)


# --- MML chapter 6: probability and distributions -------------------------------------------------------------
def _conditional_moments_by_quadrature(mean, cov, given):
    density = ss.multivariate_normal(mean, cov)
    mass = integrate.quad(lambda a: density.pdf([a, given]), -30, 30)[0]
    m = integrate.quad(lambda a: a * density.pdf([a, given]), -30, 30)[0] / mass
    return m, integrate.quad(lambda a: (a - m)**2 * density.pdf([a, given]), -30, 30)[0] / mass


def test_conditional_of_the_bivariate_gaussian_at_x2_minus_1_mml_example_6_6():
    """The zero mean of x₁ stayed in the conditional mean as an explicit [[0]], shown as "(2 − x_b)/5 + 0"."""
    X = st.MultivariateNormal("X", [0, 2], [[sp.Rational(3, 10), -1], [-1, 5]])
    conditional = symml.derive.conditional(X, given=X[1])
    assert not conditional.result[0].atoms(sp.ImmutableMatrix)
    found = conditional.numpy()(x_b=-1.0)
    mean, variance = _conditional_moments_by_quadrature([0, 2], [[0.3, -1], [-1, 5]], -1.0)
    assert (found["mean"], found["covariance"]) == pytest.approx((mean, variance), rel=1e-8)


def test_marginal_of_the_bivariate_gaussian_mml_example_6_6():
    X = st.MultivariateNormal("X", [0, 2], [[sp.Rational(3, 10), -1], [-1, 5]])
    found = symml.derive.marginal(X, keep=X[0]).numpy()()
    density = ss.multivariate_normal([0, 2], [[0.3, -1], [-1, 5]])
    for a in (-0.9, 0.2, 1.1):  # p(x₁) = ∫ p(x₁, x₂) dx₂, by quadrature, against N(mean, covariance)
        marginal = integrate.quad(lambda b: density.pdf([a, b]), -40, 40, epsabs=1e-12)[0]
        assert ss.norm(found["mean"], np.sqrt(found["covariance"])).pdf(a) == pytest.approx(marginal, rel=1e-8)


def test_conditional_of_a_bivariate_gaussian_with_symbolic_correlation_mml_6_5():
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    rho, m1, m2 = sp.Symbol("rho", real=True), sp.Symbol("mu1", real=True), sp.Symbol("mu2", real=True)
    X = st.MultivariateNormal("X", [m1, m2], [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]])
    found = symml.derive.conditional(X, given=X[1]).numpy()(sigma1=1.3, sigma2=0.7, rho=-0.4, mu1=0.2, mu2=-1.0,
                                                             x_b=-0.3)
    cov = [[1.69, -0.364], [-0.364, 0.49]]
    assert (found["mean"], found["covariance"]) == pytest.approx(
        _conditional_moments_by_quadrature([0.2, -1.0], cov, -0.3), rel=1e-8)


def test_conditional_of_a_trivariate_gaussian_on_two_components_mml_6_5_1():
    half, tenth = sp.Rational(1, 2), sp.Rational(1, 10)
    cov = [[2, half, 0], [half, 1, 3 * tenth], [0, 3 * tenth, 3 * half]]
    X = st.MultivariateNormal("X", [1, 0, -1], cov)
    found = symml.derive.conditional(X, given=[X[1], X[2]]).numpy()(x_b=np.array([[0.5], [-0.2]]))
    density = ss.multivariate_normal([1, 0, -1], np.array(cov, dtype=float))
    mass = integrate.quad(lambda a: density.pdf([a, 0.5, -0.2]), -30, 30)[0]
    mean = integrate.quad(lambda a: a * density.pdf([a, 0.5, -0.2]), -30, 30)[0] / mass
    variance = integrate.quad(lambda a: (a - mean)**2 * density.pdf([a, 0.5, -0.2]), -30, 30)[0] / mass
    assert (found["mean"], found["covariance"]) == pytest.approx((mean, variance), rel=1e-8)


def test_affine_map_plus_noise_marginal_matches_monte_carlo_mml_exercise_6_12():
    model = LinearGaussian.blocks(2, 3)  # p(x) = N(μ, Λ⁻¹), y = Ax + b + w, w ~ N(0, L⁻¹)
    values = {"mu": RNG.normal(size=(2, 1)), "Lambda": _spd(2), "A": RNG.normal(size=(3, 2)),
              "b": RNG.normal(size=(3, 1)), "L": _spd(3)}
    found = symml.derive.marginal(model, keep=model.y).numpy()(**values)
    xs = RNG.multivariate_normal(values["mu"][:, 0], np.linalg.inv(values["Lambda"]), 200_000)
    ys = xs @ values["A"].T + values["b"][:, 0] + RNG.multivariate_normal(np.zeros(3), np.linalg.inv(values["L"]),
                                                                         200_000)
    assert np.ravel(found["mean"]) == pytest.approx(ys.mean(0), abs=0.02)
    assert found["covariance"] == pytest.approx(np.cov(ys.T), abs=0.02)


def test_gradient_of_a_two_component_mixture_log_density_is_finite_far_from_both_means_mml_11_2():
    """MML 11.2: ∂/∂μₖ log(π N(x | μ₁, 1) + (1 − π) N(x | μ₂, 1)) = rₖ(x − μₖ). At x = 60 both densities underflow
    and the μ₂ entry was 0/0 = nan (the sum's weights π, 1 − π and 1/√(2π) kept the exponential-sum shift away)."""
    m1, m2, pi = sp.Symbol("mu_1", real=True), sp.Symbol("mu_2", real=True), sp.Symbol("pi", positive=True)
    normal = lambda m: sp.exp(-(x - m)**2 / 2) / sp.sqrt(2 * sp.pi)  # noqa: E731
    gradient = symml.derive.gradient(sp.log(pi * normal(m1) + (1 - pi) * normal(m2)), [m1, m2]).numpy()
    for at, means in ((1.2, (0.1, 2.0)), (60.0, (0.0, 1.0))):
        def log_density(v, at=at):
            return np.logaddexp(np.log(0.3) + ss.norm(v[0]).logpdf(at), np.log(0.7) + ss.norm(v[1]).logpdf(at))
        found = np.ravel(gradient(x=at, mu_1=means[0], mu_2=means[1], pi=0.3))
        assert found == pytest.approx(central_gradient(log_density, np.array(means)), rel=1e-6, abs=1e-12)


def test_beta_binomial_posterior_is_beta_of_alpha_plus_h_mml_example_6_12():
    mu, N_ = sp.Symbol("mu", positive=True), sp.Symbol("N", integer=True, positive=True)
    a, b = sp.symbols("alpha beta", positive=True)
    post = symml.derive.posterior(likelihood=st.Binomial("X", N_, mu), prior=st.Beta("M", a, b), wrt=mu)
    found = post.numpy()(mu=np.array([0.25, 0.5]), x=np.array([3]), N=10, alpha=2.0, beta=3.0)
    grid = np.linspace(1e-6, 1 - 1e-6, 4001)
    unnormalised = ss.binom(10, grid).pmf(3) * ss.beta(2, 3).pdf(grid)
    log_mass = np.log(integrate.simpson(unnormalised, x=grid))
    expected = np.log(ss.binom(10, np.array([0.25, 0.5])).pmf(3) * ss.beta(2, 3).pdf([0.25, 0.5])) - log_mass
    assert found == pytest.approx(expected, abs=1e-6)


def test_beta_bernoulli_predictive_of_one_more_head_mml_6_6():
    mu, (a, b) = sp.Symbol("mu", positive=True), sp.symbols("alpha beta", positive=True)
    post = symml.derive.posterior(likelihood=st.Bernoulli("X", mu), prior=st.Beta("M", a, b), wrt=mu)
    coins = np.array([1, 0, 1, 1, 0, 1, 1])
    found = symml.derive.posterior_predictive(post).numpy()(x_new=1, x=coins, alpha=2.0, beta=2.0)
    oracle = integrate.quad(lambda u: u * ss.beta(2 + 5, 2 + 2).pdf(u), 0, 1)[0]
    assert np.exp(found) == pytest.approx(oracle, rel=1e-10)


def test_bernoulli_mean_is_the_gradient_of_its_log_partition_mml_example_6_13():
    eta = sp.Symbol("eta", real=True)
    mean = symml.derive.gradient(sp.log(1 + sp.exp(eta)), eta).numpy()
    assert mean(eta=0.3) == pytest.approx(ss.bernoulli(expit(0.3)).mean(), rel=1e-12)
    assert mean(eta=-900.0) == 0.0


def test_bernoulli_variance_is_the_second_derivative_of_its_log_partition_mml_6_6_3():
    eta = sp.Symbol("eta", real=True)
    found = symml.derive.hessian(sp.log(1 + sp.exp(eta)), eta).numpy()(eta=1.7)
    assert np.ravel(found)[0] == pytest.approx(ss.bernoulli(expit(1.7)).var(), rel=1e-12)


def test_poisson_mean_variance_and_skewness_mml_6_6():
    lam = sp.Symbol("lambda", positive=True)
    found = symml.derive.moments(st.Poisson("X", lam), upto=3).numpy()(**{"lambda": 2.5})
    mean, variance, skewness = ss.poisson(2.5).stats(moments="mvs")
    assert (found["mean"], found["variance"], found["skewness"]) == pytest.approx((mean, variance, skewness))


def test_expectation_of_y_equal_x_squared_under_density_3x2_mml_example_6_17():
    u = sp.Symbol("x", positive=True)
    model = symml.Model(logpdf=sp.Piecewise((sp.log(3 * u**2), (u >= 0) & (u <= 1)), (-sp.oo, True)), data=u)
    found = symml.derive.expectation(model, u**2).result
    assert float(found) == pytest.approx(integrate.quad(lambda t: t**2 * 3 * t**2, 0, 1)[0], rel=1e-12)


# --- MML chapter 7: continuous optimisation -------------------------------------------------------------------
def test_minimising_the_cubic_of_exercise_7_1_is_unbounded_and_names_the_local_minimum_mml_exercise_7_1():
    with pytest.raises(symml.UnboundedError, match="local minimum") as raised:
        symml.derive.minimize(x**3 + 6 * x**2 - 3 * x - 5, x)
    local_minimum = max(np.roots([3, 12, -3]).real)  # f' = 3x² + 12x − 3, f'' > 0 at the larger root
    assert "sqrt(5)" in str(raised.value) and -2 + np.sqrt(5) == pytest.approx(local_minimum)


def test_stationary_points_of_a_scalar_cubic_point_to_minimize_and_maximize_mml_exercise_7_1():
    """stationary_point solves for matrix unknowns; a scalar cubic was refused with "differentiate with respect to
    a matrix or vector symbol ... contains no matrix", which named no route for the exercise."""
    with pytest.raises(symml.ShapeError, match="symml.derive.minimize or maximize"):
        symml.derive.stationary_point(x**3 + 6 * x**2 - 3 * x - 5, x)
    local_maximum = symml.derive.maximize(x**3 + 6 * x**2 - 3 * x - 5, x, subject_to=[x >= -10, x <= 0]).numpy()()
    oracle = optimize.minimize_scalar(lambda v: -(v**3 + 6 * v**2 - 3 * v - 5), bounds=(-10, 0), method="bounded",
                                      options={"xatol": 1e-12}).x
    assert local_maximum == pytest.approx(oracle, abs=1e-7)  # −2 − √5, the root of f' = 3x² + 12x − 3 with f'' < 0


def test_a_piecewise_linear_objective_in_one_unknown_is_refused_without_saying_it_couples_mml_exercise_7_11():
    """The conjugate of the hinge max(0, 1 − x) (MML 7.11) minimises max(0, 1 − x) − yx over x: refused, first with
    "that kink couples x" for an objective in x alone; now the message names the form that is solved."""
    y = sp.Symbol("y", real=True)
    with pytest.raises(symml.UnsupportedOperationError, match="piecewise-linear") as refused:
        symml.derive.minimize(sp.Max(0, 1 - x) - y * x, x)
    assert "couples" not in str(refused.value)


def test_linear_program_of_example_7_5_matches_linprog_mml_example_7_5():
    A, b = [[2, 2], [2, -4], [-2, 1], [0, -1], [0, 1]], [33, 8, 5, -1, 8]
    constraints = [a0 * x1 + a1 * x2 <= bi for (a0, a1), bi in zip(A, b)]
    found = symml.derive.minimize(-(5 * x1 + 3 * x2), [x1, x2], subject_to=constraints).numpy()()
    lp = optimize.linprog([-5, -3], A_ub=A, b_ub=b, bounds=[(None, None)] * 2)
    assert [found["x_1"], found["x_2"]] == pytest.approx(lp.x, rel=1e-8)


def test_dual_of_the_linear_program_of_example_7_5_attains_the_primal_value_mml_example_7_5():
    A, b = [[2, 2], [2, -4], [-2, 1], [0, -1], [0, 1]], [33, 8, 5, -1, 8]
    constraints = [a0 * x1 + a1 * x2 <= bi for (a0, a1), bi in zip(A, b)]
    dual = symml.derive.dual(-(5 * x1 + 3 * x2), [x1, x2], subject_to=constraints)
    mu = sorted(dual.result.free_symbols, key=str)
    assert dual.result == sum(-bi * m for bi, m in zip(b, mu))  # g(μ) = −bᵀμ where Aᵀμ = −c
    # max −bᵀμ over μ ≥ 0, Aᵀμ = (5, 3): linprog's optimum is the primal one (strong duality)
    lp_dual = optimize.linprog(b, A_eq=np.array(A).T, b_eq=[5, 3], bounds=[(0, None)] * 5)
    lp_primal = optimize.linprog([-5, -3], A_ub=A, b_ub=b, bounds=[(None, None)] * 2)
    assert -lp_dual.fun == pytest.approx(lp_primal.fun, rel=1e-9)


def test_quadratic_program_of_example_7_6_matches_scipy_mml_example_7_6():
    Q, c = sp.Matrix([[2, 1], [1, 4]]), sp.Matrix([5, 3])
    xv = sp.Matrix([x1, x2])
    objective = (xv.T * Q * xv)[0] / 2 + (c.T * xv)[0]
    found = symml.derive.minimize(objective, [x1, x2], subject_to=[x1 <= 1, -x1 <= 1, x2 <= 1, -x2 <= 1]).numpy()()
    f = lambda v: 0.5 * v @ np.array([[2, 1], [1, 4.0]]) @ v + np.array([5, 3.0]) @ v  # noqa: E731
    oracle = optimize.minimize(f, [0.0, 0.0], bounds=[(-1, 1)] * 2, tol=1e-12).x
    assert [found["x_1"], found["x_2"]] == pytest.approx(oracle, abs=1e-6)


def test_dual_of_the_quadratic_program_in_matrix_form_mml_example_7_6():
    xv, c, Q = symml.vector("x", 2), symml.vector("c", 2), symml.matrix("Q", 2, 2, symmetric=True)
    A, b = symml.matrix("A", 4, 2), symml.vector("b", 4)
    dual = symml.derive.dual(xv.T @ Q @ xv / 2 + c.T @ xv, xv, subject_to=[symml.Le(A @ xv, b)])
    mu = sp.MatrixSymbol("mu", 4, 1)
    Q0, c0 = np.array([[2, 1], [1, 4.0]]), np.array([[5], [3.0]])
    A0, b0, mu0 = np.array([[1, 0], [-1, 0], [0, 1], [0, -1.0]]), np.ones((4, 1)), RNG.uniform(size=(4, 1))
    lagrangian = lambda v: 0.5 * v @ Q0 @ v + c0[:, 0] @ v + mu0[:, 0] @ (A0 @ v - b0[:, 0])  # noqa: E731
    oracle = optimize.minimize(lagrangian, np.zeros(2), tol=1e-12).fun
    value = dual.result.subs({Q: sp.Matrix(Q0), c: sp.Matrix(c0), A: sp.Matrix(A0), b: sp.Matrix(b0),
                              mu: sp.Matrix(mu0)}).doit()
    assert float(sp.Matrix(value)[0, 0]) == pytest.approx(oracle, rel=1e-8)


def test_dual_of_the_minimum_norm_point_of_a_half_space_mml_exercise_7_8():
    w, xv = symml.vector("w", D), symml.vector("x", D)
    found = symml.derive.dual(symml.sq_norm(w) / 2, w, subject_to=[symml.Ge(w.T @ xv, 1)]).numpy()
    x0 = RNG.normal(size=(3, 1))
    result = found(x=x0)
    primal = optimize.minimize(lambda v: v @ v / 2, np.ones(3), method="SLSQP",
                               constraints=[{"type": "ineq", "fun": lambda v: v @ x0[:, 0] - 1}], tol=1e-12)
    assert result["dual_value"] == pytest.approx(primal.fun, rel=1e-7)
    assert np.ravel(result["w"]) == pytest.approx(primal.x, abs=1e-6)


def test_convex_conjugate_of_the_negative_entropy_mml_exercise_7_9():
    t = sp.Symbol("t", positive=True)
    found = symml.derive.conjugate(t * sp.log(t), t).numpy()(y=0.4)
    supremum = -optimize.minimize_scalar(lambda u: -(0.4 * u - u * np.log(u)), bounds=(1e-12, 50),
                                         method="bounded", options={"xatol": 1e-12}).fun
    assert found == pytest.approx(supremum, rel=1e-9)


def test_convex_conjugate_of_a_quadratic_in_a_vector_mml_exercise_7_10():
    xv, b, A = symml.vector("x", D), symml.vector("b", D), symml.matrix("A", D, D, symmetric=True)
    c = sp.Symbol("c", real=True)
    conjugate = symml.derive.conjugate(xv.T @ A @ xv / 2 + b.T @ xv + c, xv).numpy()
    A0, b0, y0 = _spd(3), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    supremum = -optimize.minimize(lambda v: -(y0[:, 0] @ v - 0.5 * v @ A0 @ v - b0[:, 0] @ v - 0.7), np.zeros(3),
                                  tol=1e-12).fun
    assert float(np.ravel(conjugate(A=A0, b=b0, c=0.7, y=y0))[0]) == pytest.approx(supremum, rel=1e-8)


def test_convex_conjugate_of_a_kernel_quadratic_form_mml_7_3_3():
    xv, K_ = symml.vector("x", D), symml.matrix("K", D, D, symmetric=True)
    lam = sp.Symbol("lambda", positive=True)
    conjugate = symml.derive.conjugate(lam / 2 * xv.T @ symml.inv(K_) @ xv, xv).numpy()
    K0, y0 = _spd(3), RNG.normal(size=(3, 1))
    supremum = -optimize.minimize(lambda v: -(y0[:, 0] @ v - 0.35 * v @ np.linalg.solve(K0, v)), np.zeros(3),
                                  tol=1e-12).fun
    assert float(np.ravel(conjugate(K=K0, y=y0, **{"lambda": 0.7}))[0]) == pytest.approx(supremum, rel=1e-8)


def test_convex_conjugate_of_the_softplus_mml_7_3_3():
    found = symml.derive.conjugate(sp.log(1 + sp.exp(x)), x).numpy()(y=0.3)
    supremum = -optimize.minimize_scalar(lambda u: -(0.3 * u - np.logaddexp(0, u)), tol=1e-12).fun
    assert found == pytest.approx(supremum, rel=1e-10)


def test_convex_conjugate_of_the_hinge_loss_is_y_on_minus_one_to_zero_mml_exercise_7_11():
    """MML 7.11: f(x) = max(0, 1 − x). Refused before ("the stationarity equation −y − Heaviside(1 − x) = 0 has no
    closed-form solution"): a piecewise-affine function's infimum is at its kink where it rises on both sides."""
    conjugate = symml.derive.conjugate(sp.Max(0, 1 - x), x)
    y = conjugate.problem.slope
    for slope in (-0.9, -0.4, -0.05):
        supremum = -optimize.minimize_scalar(lambda u: -(slope * u - max(0.0, 1 - u)), bounds=(-50, 50),
                                             method="bounded", options={"xatol": 1e-12}).fun
        assert conjugate.numpy()(y=slope) == pytest.approx(supremum, abs=1e-8)
        assert all(bool(c.subs(y, slope)) for c in conjugate.problem.domain)
    for outside in (-1.5, 0.3):  # unbounded: the supremum over a wider interval keeps growing
        assert not all(bool(c.subs(y, outside)) for c in conjugate.problem.domain)
        wider = [-optimize.minimize_scalar(lambda u: -(outside * u - max(0.0, 1 - u)), bounds=(-r, r),
                                           method="bounded").fun for r in (50, 500)]
        assert wider[1] > wider[0] + 10


def test_convex_conjugate_of_a_concave_kink_is_infinite_everywhere_mml_7_3_3():
    with pytest.raises(symml.UnboundedError, match="concave at its kink"):
        symml.derive.conjugate(sp.Min(x, 0), x)  # sup_x (xy − min(x, 0)) = +∞ for every y
    assert -optimize.minimize_scalar(lambda u: -(0.5 * u - min(u, 0.0)), bounds=(-500, 500), method="bounded").fun \
        > 100


def test_equality_constrained_minimum_by_the_lagrangian_mml_7_2():
    found = symml.derive.minimize(x1**2 + x2**2, [x1, x2], subject_to=[sp.Eq(x1 + x2, 1)]).numpy()()
    oracle = optimize.minimize(lambda v: v @ v, [3.0, -1.0], method="SLSQP",
                               constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}]).x
    assert [found["x_1"], found["x_2"]] == pytest.approx(oracle, abs=1e-7)


def test_a_gradient_descent_step_on_rosenbrock_decreases_it_mml_7_1():
    f = lambda v: (1 - v[0])**2 + 100 * (v[1] - v[0]**2)**2  # noqa: E731
    gradient = symml.derive.gradient((1 - x1)**2 + 100 * (x2 - x1**2)**2, [x1, x2]).numpy()
    at = np.array([-1.2, 1.0])
    g = np.ravel(gradient(x_1=at[0], x_2=at[1]))
    assert g == pytest.approx(central_gradient(f, at), rel=1e-7)
    assert f(at - 1e-3 * g) < f(at)


# --- MML chapters 9-12: linear regression, PCA, mixture models, SVM -------------------------------------------
def test_maximum_likelihood_parameters_of_linear_regression_mml_eq_9_12():
    Phi, theta, y = symml.matrix("Phi", N, D), symml.vector("theta", D), symml.vector("y", N)
    s2 = sp.Symbol("sigma2", positive=True)
    P0, y0 = _regression_data()
    found = symml.derive.minimize(symml.sq_norm(y - Phi @ theta) / (2 * s2), wrt=theta).numpy()(Phi=P0, y=y0,
                                                                                                 sigma2=0.1)
    oracle = optimize.minimize(lambda v: ((y0[:, 0] - P0 @ v)**2).sum(), np.zeros(3), tol=1e-12).x
    assert np.ravel(found) == pytest.approx(oracle, abs=1e-6)


def test_maximum_likelihood_noise_variance_mml_eq_9_22():
    Phi, theta, y = symml.matrix("Phi", N, D), symml.vector("theta", D), symml.vector("y", N)
    s2 = sp.Symbol("sigma2", positive=True)
    nll = N / 2 * sp.log(2 * sp.pi * s2) * sp.Identity(1) + symml.sq_norm(y - Phi @ theta) / (2 * s2)
    P0, y0 = _regression_data()
    found = symml.derive.minimize(nll, wrt=[theta, s2]).numpy()(Phi=P0, y=y0)
    oracle = optimize.minimize(lambda v: -ss.norm(P0 @ v[:3], np.exp(v[3] / 2)).logpdf(y0[:, 0]).sum(), np.zeros(4),
                               method="BFGS", options={"gtol": 1e-10}).x
    assert found["sigma2"] == pytest.approx(np.exp(oracle[3]), rel=1e-5)


def test_cubic_polynomial_regression_with_numeric_sizes_mml_example_9_3():
    Phi, theta, y = symml.matrix("Phi", 10, 4), symml.vector("theta", 4), symml.vector("y", 10)
    P0, y0 = np.vander(np.linspace(-1, 1, 10), 4), RNG.normal(size=(10, 1))
    found = symml.derive.minimize(symml.sq_norm(y - Phi @ theta), wrt=theta).numpy()(Phi=P0, y=y0)
    assert np.ravel(found) == pytest.approx(np.polyfit(np.linspace(-1, 1, 10), y0[:, 0], 3), rel=1e-8)


def test_bayesian_linear_regression_posterior_with_prior_m0_S0_mml_eq_9_43():
    Phi, theta, y = symml.matrix("Phi", N, D), symml.vector("theta", D), symml.vector("y", N)
    m0, S0 = symml.vector("m_0", D), symml.matrix("S_0", D, D, symmetric=True)
    s2 = sp.Symbol("sigma2", positive=True)
    post = symml.derive.posterior(Gaussian(y, Phi @ theta, 1 / s2), Gaussian(theta, m0, symml.inv(S0)), wrt=theta)
    P0, y0 = _regression_data()
    prior_cov, prior_mean = _spd(3), RNG.normal(size=(3, 1))
    found = post.numpy(moments=True)(Phi=P0, y=y0, sigma2=0.2, m_0=prior_mean, S_0=prior_cov)
    neg_log_joint = lambda v: (((y0[:, 0] - P0 @ v)**2).sum() / 0.4  # noqa: E731
                               + 0.5 * (v - prior_mean[:, 0]) @ np.linalg.solve(prior_cov, v - prior_mean[:, 0]))
    mode = optimize.minimize(neg_log_joint, np.zeros(3), tol=1e-12).x
    hessian = central_jacobian(lambda v: central_gradient(neg_log_joint, v, 1e-5), mode, 1e-4)
    assert np.ravel(found["mean"]) == pytest.approx(mode, abs=1e-6)
    assert found["covariance"] == pytest.approx(np.linalg.inv(hessian), rel=1e-4)


def test_bayesian_linear_regression_predictive_matches_monte_carlo_mml_eq_9_57():
    Phi, theta, y = symml.matrix("Phi", N, D), symml.vector("theta", D), symml.vector("y", N)
    s2, b2 = sp.symbols("sigma2 b2", positive=True)
    post = symml.derive.posterior(Gaussian(y, Phi @ theta, 1 / s2), Gaussian(theta, 0, 1 / b2), wrt=theta)
    phi, y_star = symml.vector("phi", D), symml.vector("y_star", 1)
    predictive = symml.derive.posterior_predictive(post, new=Gaussian(y_star, phi.T @ theta, 1 / s2))
    P0, y0 = _regression_data()
    phi0 = RNG.normal(size=(3, 1))
    found = predictive.numpy(moments=True)(Phi=P0, y=y0, sigma2=0.2, b2=0.5, phi=phi0)
    # posterior draws of θ by importance-free sampling: least squares on the data augmented by the prior's rows
    A = np.vstack([P0 / np.sqrt(0.2), np.eye(3) / np.sqrt(0.5)])
    mean = np.linalg.lstsq(A, np.vstack([y0 / np.sqrt(0.2), np.zeros((3, 1))]), rcond=None)[0][:, 0]
    thetas = RNG.multivariate_normal(mean, np.linalg.inv(A.T @ A), 200_000)
    draws = thetas @ phi0[:, 0] + np.sqrt(0.2) * RNG.normal(size=200_000)
    assert float(np.ravel(found["mean"])[0]) == pytest.approx(draws.mean(), abs=0.01)
    assert float(np.ravel(found["covariance"])[0]) == pytest.approx(draws.var(), rel=0.02)


def test_marginal_likelihood_of_bayesian_linear_regression_mml_eq_9_42():
    Phi, theta, y = symml.matrix("Phi", N, D), symml.vector("theta", D), symml.vector("y", N)
    s2, b2 = sp.symbols("sigma2 b2", positive=True)
    post = symml.derive.posterior(Gaussian(y, Phi @ theta, 1 / s2), Gaussian(theta, 0, 1 / b2), wrt=theta)
    P0, y0 = _regression_data()
    found = symml.derive.evidence(post).numpy()(Phi=P0, y=y0, sigma2=0.2, b2=0.5)["log_evidence"]
    oracle = ss.multivariate_normal(np.zeros(15), 0.5 * P0 @ P0.T + 0.2 * np.eye(15)).logpdf(y0[:, 0])
    assert found == pytest.approx(oracle, rel=1e-10)


def test_maximum_variance_direction_is_the_top_eigenvector_of_S_mml_eq_10_10():
    b, S = symml.vector("b", D), symml.matrix("S", D, D, symmetric=True)
    S0 = _spd(4)
    found = np.ravel(symml.derive.maximize(b.T @ S @ b, wrt=b, subject_to=[symml.Eq(b.T @ b, 1)]).numpy()(S=S0))
    oracle = optimize.minimize(lambda v: -v @ S0 @ v, np.ones(4) / 2, method="SLSQP",
                               constraints=[{"type": "eq", "fun": lambda v: v @ v - 1}], tol=1e-12).x
    assert abs(found @ oracle) == pytest.approx(1.0, abs=1e-6)


def test_minimum_reconstruction_error_direction_mml_10_3():
    X, b = symml.matrix("X", N, D), symml.vector("b", D)
    X0 = RNG.normal(size=(10, 3)) @ np.diag([3, 1, 0.3])
    found = symml.derive.minimize(symml.sq_norm(X - X @ b @ b.T), wrt=b, subject_to=[symml.Eq(b.T @ b, 1)])
    direction = np.ravel(found.numpy()(X=X0))
    oracle = optimize.minimize(lambda v: ((X0 - X0 @ np.outer(v, v))**2).sum(), np.ones(3) / np.sqrt(3),
                               method="SLSQP", constraints=[{"type": "eq", "fun": lambda v: v @ v - 1}], tol=1e-12).x
    assert abs(direction @ oracle) == pytest.approx(1.0, abs=1e-6)


def test_eigenvalues_of_a_two_by_two_data_covariance_mml_10_2():
    found = symml.derive.eigen(sp.Matrix([[2, 1], [1, 2]])).result["eigenvalues"]
    assert sorted(float(v) for v in found) == pytest.approx(np.linalg.eigvalsh([[2.0, 1], [1, 2]]), rel=1e-14)


def test_singular_values_of_a_two_by_three_matrix_mml_4_5():
    found = symml.derive.svd(sp.Matrix([[3, 2, 2], [2, 3, -2]])).result
    A = np.array([[3, 2, 2], [2, 3, -2.0]])
    U, S, V = (np.array(found[k], dtype=float) for k in ("U", "Sigma", "V"))
    assert np.diag(S) == pytest.approx(np.linalg.svd(A, compute_uv=False), rel=1e-14)
    assert U @ S @ V.T == pytest.approx(A, abs=1e-12)


def test_several_principal_directions_with_BT_B_equal_I_are_the_top_eigenvectors_mml_10_4():
    """MML 10.4 (the M-dimensional subspace): a K x K equality constraint BᵀB = I on a matrix unknown raised
    ValueError ("nu.T*(-I + B.T*B) of shape (1, K) is not a scalar"), then was refused; its symmetric matrix
    multiplier now gives SB = BΛ and the top-K eigenvectors. Oracle: numpy.linalg.eigh (the same projection)."""
    B, S = symml.matrix("B", D, K), symml.matrix("S", D, D, symmetric=True)
    derivation = symml.derive.maximize(symml.trace(B.T @ S @ B), wrt=B, subject_to=[symml.Eq(B.T @ B, sp.Identity(K))])
    S0 = _spd(4)
    found = derivation.numpy()(S=S0, K=2)
    top = np.linalg.eigh(S0)[1][:, -2:]
    assert found @ found.T == pytest.approx(top @ top.T, abs=1e-10)


def test_gradient_of_the_projected_variance_mml_10_2():
    b, S = symml.vector("b", D), symml.matrix("S", D, D, symmetric=True)
    S0, b0 = _spd(3), RNG.normal(size=(3, 1))
    found = symml.derive.gradient(b.T @ S @ b, b).numpy()(S=S0, b=b0)
    assert found == pytest.approx(central_gradient(lambda v: (v.T @ S0 @ v).item(), b0), rel=1e-7)


_i, _n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)


def test_gmm_m_step_mean_and_standard_deviation_with_responsibilities_mml_eq_11_20():
    """MML (11.20)/(11.30): max over μₖ, σₖ of Σᵢ rᵢₖ log N(xᵢ | μₖ, σₖ²). The σₖ equation was left "without a closed
    form": its roots ±√(Σr Σrx² − (Σrx)²)/Σr could not be told apart, the radicand's sign being unknown to SymPy;
    then numpy() refused (several unknowns over indexed data)."""
    xs, r = sp.IndexedBase("x", real=True), sp.IndexedBase("r", positive=True)
    mu, sigma = sp.Symbol("mu_k", real=True), sp.Symbol("sigma_k", positive=True)
    objective = sp.Sum(r[_i] * (-(xs[_i] - mu)**2 / (2 * sigma**2) - sp.log(sigma)), (_i, 1, _n))
    estimate = symml.derive.maximize(objective, [mu, sigma])
    data, weights = RNG.normal(size=30), RNG.uniform(size=30)
    found = estimate.numpy()(x=data, r=weights)
    oracle = optimize.minimize(lambda v: -(weights * ss.norm(v[0], np.exp(v[1])).logpdf(data)).sum(), [1.0, 1.0],
                               tol=1e-12).x
    assert [found["mu_k"], found["sigma_k"]] == pytest.approx([oracle[0], np.exp(oracle[1])], rel=1e-6)


def test_gmm_m_step_mixture_weights_on_the_simplex_mml_eq_11_42():
    counts, weights = sp.symbols("N_1:4", positive=True), sp.symbols("pi_1:4", positive=True)
    found = symml.derive.maximize(sum(a * sp.log(w) for a, w in zip(counts, weights)), list(weights),
                                  subject_to=[sp.Eq(sum(weights), 1)]).numpy()(N_1=3.0, N_2=5.0, N_3=2.0)
    oracle = optimize.minimize(lambda v: -(np.array([3, 5, 2.0]) * np.log(v)).sum(), [1 / 3] * 3, method="SLSQP",
                               constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}], bounds=[(1e-9, 1)] * 3,
                               tol=1e-12).x
    assert [found[f"pi_{k}"] for k in (1, 2, 3)] == pytest.approx(oracle, abs=1e-6)


def test_hinge_loss_subgradient_in_w_mml_eq_12_31():
    w, xv = symml.vector("w", D), symml.vector("x", D)
    y, b = sp.Symbol("y", real=True), sp.Symbol("b", real=True)
    loss = symml.relu(sp.Identity(1) - y * (xv.T @ w + b * sp.Identity(1)))
    x0, w0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    found = symml.derive.gradient(loss, w).numpy()(w=w0, x=x0, y=1.0, b=0.2)
    oracle = central_gradient(lambda v: max(0.0, 1 - ((x0.T @ v).item() + 0.2)), w0)
    assert found == pytest.approx(oracle, abs=1e-8)


def test_soft_margin_svm_dual_objective_matches_the_lagrangian_minimum_mml_eq_12_41():
    X, w, y, xi = symml.matrix("X", N, D), symml.vector("w", D), symml.vector("y", N), symml.vector("xi", N)
    b, C = sp.Symbol("b", real=True), sp.Symbol("C", positive=True)
    margin = symml.diag(y) @ (X @ w + b * sp.OneMatrix(N, 1))
    dual = symml.derive.dual(symml.sq_norm(w) / 2 + C * sp.OneMatrix(1, N) @ xi, [w, b, xi],
                             subject_to=[symml.Ge(margin, sp.OneMatrix(N, 1) - xi), symml.Ge(xi, 0)])
    X0, y0 = RNG.normal(size=(5, 2)), np.array([[1.0], [-1], [1], [-1], [1]])
    alpha = RNG.uniform(size=(5, 1))
    multiplier = next(s for s in dual.result.free_symbols if isinstance(s, sp.MatrixSymbol) and s.shape == (N, 1)
                      and s.name not in ("y",))
    value = dual.result.subs({X: sp.Matrix(X0), y: sp.Matrix(y0), multiplier: sp.Matrix(alpha)}).doit()
    # the Lagrangian's minimum over w for these α (the b and ξ terms vanish where yᵀα = 0 and α ≤ C: projected)
    oracle = -0.5 * np.sum((X0.T @ (alpha * y0))**2) + alpha.sum()
    assert float(sp.Matrix(value)[0, 0]) == pytest.approx(oracle, rel=1e-10)


def test_regularised_hinge_loss_gradient_mml_12_2_5():
    X, w, y = symml.matrix("X", N, D), symml.vector("w", D), symml.vector("y", N)
    lam = sp.Symbol("lambda", positive=True)
    loss = symml.sum(symml.relu(sp.OneMatrix(N, 1) - symml.hadamard(y, X @ w))) + lam * symml.sq_norm(w) / 2
    X0, w0, y0 = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 1)), np.sign(RNG.normal(size=(6, 1)))
    found = symml.derive.gradient(loss, w).numpy()(X=X0, w=w0, y=y0, **{"lambda": 0.3})
    oracle = central_gradient(lambda v: np.maximum(0, 1 - y0 * (X0 @ v)).sum() + 0.15 * (v**2).sum(), w0)
    assert found == pytest.approx(oracle, abs=1e-8)


# --- ESL chapters 3, 4, 7 and 8 -------------------------------------------------------------------------------
def _ridge_oracle(X0, y0, lam):
    return optimize.minimize(lambda v: ((y0[:, 0] - X0 @ v)**2).sum() + lam * v @ v, np.zeros(X0.shape[1]),
                             tol=1e-12).x


def test_ridge_is_the_posterior_mode_under_a_gaussian_prior_esl_exercise_3_6_mml_eq_9_31():
    X, beta, y = symml.matrix("X", N, p), symml.vector("beta", p), symml.vector("y", N)
    s2, tau = sp.symbols("sigma2 tau", positive=True)
    X0, y0 = _regression_data()
    found = symml.derive.map(Gaussian(y, X @ beta, 1 / s2), Gaussian(beta, 0, 1 / tau), wrt=beta).numpy()(
        X=X0, y=y0, sigma2=0.5, tau=2.0)
    assert np.ravel(found["beta"]) == pytest.approx(_ridge_oracle(X0, y0, 0.25), abs=1e-6)  # λ = σ²/τ


def test_ridge_is_also_the_posterior_mean_esl_exercise_3_6():
    X, beta, y = symml.matrix("X", N, p), symml.vector("beta", p), symml.vector("y", N)
    s2, tau = sp.symbols("sigma2 tau", positive=True)
    X0, y0 = _regression_data()
    post = symml.derive.posterior(Gaussian(y, X @ beta, 1 / s2), Gaussian(beta, 0, 1 / tau), wrt=beta)
    found = post.numpy(moments=True)(X=X0, y=y0, sigma2=0.5, tau=2.0)["mean"]
    assert np.ravel(found) == pytest.approx(_ridge_oracle(X0, y0, 0.25), abs=1e-6)


def test_ridge_as_least_squares_on_block_augmented_data_esl_exercise_3_12():
    """ESL 3.12: X stacked over √λI, y over 0. The block products were left unmultiplied, β̂ = (A₁A₃)⁻¹A₁[y; 0]
    with A₁ = [Xᵀ, √λI], and numpy() refused: "no NumPy translation for BlockMatrix"."""
    X, beta, y = symml.matrix("X", N, p), symml.vector("beta", p), symml.vector("y", N)
    lam = sp.Symbol("lambda", positive=True)
    X_aug = sp.BlockMatrix([[X], [sp.sqrt(lam) * sp.Identity(p)]])
    y_aug = sp.BlockMatrix([[y], [sp.ZeroMatrix(p, 1)]])
    estimate = symml.derive.minimize(symml.sq_norm(y_aug - X_aug @ beta), wrt=beta)
    assert not estimate.result.has(sp.BlockMatrix)
    X0, y0 = _regression_data()
    stacked = np.linalg.lstsq(np.vstack([X0, np.sqrt(0.7) * np.eye(3)]), np.vstack([y0, np.zeros((3, 1))]),
                              rcond=None)[0]
    assert np.ravel(estimate.numpy()(X=X0, y=y0, **{"lambda": 0.7})) == pytest.approx(np.ravel(stacked), rel=1e-10)


def test_ridge_as_two_squared_norms_of_the_augmented_residual_esl_exercise_3_12():
    X, beta, y = symml.matrix("X", N, p), symml.vector("beta", p), symml.vector("y", N)
    lam = sp.Symbol("lambda", positive=True)
    objective = symml.sq_norm(y - X @ beta) + symml.sq_norm(sp.ZeroMatrix(p, 1) - sp.sqrt(lam) * beta)
    X0, y0 = _regression_data()
    found = symml.derive.minimize(objective, wrt=beta).numpy()(X=X0, y=y0, **{"lambda": 0.7})
    assert np.ravel(found) == pytest.approx(_ridge_oracle(X0, y0, 0.7), abs=1e-6)


def test_derivative_of_the_ridge_degrees_of_freedom_in_lambda_esl_eq_3_50():
    X, lam = symml.matrix("X", N, p), sp.Symbol("lambda", positive=True)
    df = symml.trace(X @ symml.inv(X.T @ X + lam * sp.Identity(p)) @ X.T)
    X0, _ = _regression_data()
    d = np.linalg.svd(X0, compute_uv=False)
    found = symml.derive.gradient(df, lam).numpy()(X=X0, **{"lambda": 0.7})
    assert found == pytest.approx(central_gradient(lambda t: (d**2 / (d**2 + t)).sum(), 0.7), rel=1e-7)


def test_trace_of_the_hat_matrix_is_the_number_of_columns_esl_7_6():
    verdict = symml.linalg.check_matrix_claim("tr(H) = 3 for H = X(XᵀX)⁻¹Xᵀ", {"X": symml.matrix("X", 6, 3)})
    X0, _ = _regression_data(6)
    assert bool(verdict) and np.trace(X0 @ np.linalg.solve(X0.T @ X0, X0.T)) == pytest.approx(3.0)


def test_lda_log_ratio_is_linear_in_x_esl_eq_4_9():
    xv, m1, m2 = symml.vector("x", p), symml.vector("mu_1", p), symml.vector("mu_2", p)
    S = symml.matrix("Sigma", p, p, symmetric=True)
    log_ratio = -(xv - m1).T @ symml.inv(S) @ (xv - m1) / 2 + (xv - m2).T @ symml.inv(S) @ (xv - m2) / 2
    S0, a, b, x0 = _spd(3), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    found = symml.derive.gradient(log_ratio, xv).numpy()(x=x0, mu_1=a, mu_2=b, Sigma=S0)
    oracle = central_gradient(lambda v: ss.multivariate_normal(a[:, 0], S0).logpdf(v)
                              - ss.multivariate_normal(b[:, 0], S0).logpdf(v), x0[:, 0])
    assert np.ravel(found) == pytest.approx(oracle, abs=1e-7)
    assert symml.derive.hessian(log_ratio, xv).result == sp.ZeroMatrix(p, p)


def test_logistic_newton_step_typed_as_latex_is_the_irls_step_esl_eq_4_26():
    loglik = (r"\sum_{i=1}^N \left(y_i \sum_{j=1}^p \beta_j X_{ij} - \log\left(1 + \exp\left(\sum_{j=1}^p \beta_j "
              r"X_{ij}\right)\right)\right)")
    gradient = symml.derive.gradient(loglik, wrt="beta").numpy()
    hessian = symml.derive.hessian(loglik, wrt="beta").numpy()
    X0, y0, b0 = RNG.normal(size=(12, 3)), (RNG.uniform(size=12) < 0.5).astype(float), 0.3 * RNG.normal(size=(3, 1))
    g, H = np.ravel(gradient(X=X0, y=y0, beta=b0)), np.asarray(hessian(X=X0, y=y0, beta=b0))
    assert g == pytest.approx(central_gradient(lambda v: (y0 * (X0 @ v) - np.logaddexp(0, X0 @ v)).sum(), b0[:, 0]),
                              abs=1e-7)
    fitted = expit(X0 @ b0[:, 0])
    W, z = fitted * (1 - fitted), X0 @ b0[:, 0] + (y0 - fitted) / (fitted * (1 - fitted))
    irls = np.linalg.solve(X0.T @ (W[:, None] * X0), X0.T @ (W * z))  # weighted least squares, ESL (4.28)
    assert b0[:, 0] - np.linalg.solve(H, g) == pytest.approx(irls, rel=1e-10)


def test_logistic_log_likelihood_hessian_is_minus_XT_W_X_esl_eq_4_24():
    X, beta, y = symml.matrix("X", N, p), symml.vector("beta", p), symml.vector("y", N)
    loglik = y.T @ X @ beta - symml.sum(symml.softplus(X @ beta))
    X0, b0, y0 = RNG.normal(size=(10, 3)), RNG.normal(size=(3, 1)), (RNG.uniform(size=(10, 1)) < 0.5).astype(float)
    found = symml.derive.hessian(loglik, beta).numpy()(X=X0, beta=b0, y=y0)
    g = lambda v: X0.T @ (y0[:, 0] - expit(X0 @ v))  # noqa: E731  (the score, by hand)
    assert found == pytest.approx(central_jacobian(g, b0[:, 0]), abs=1e-7)


def test_em_m_step_mixing_proportion_esl_algorithm_8_1():
    gamma, pi = sp.IndexedBase("gamma", positive=True), sp.Symbol("pi", positive=True)
    N_ = sp.Symbol("N", integer=True, positive=True)
    objective = sp.Sum((1 - gamma[_i]) * sp.log(1 - pi) + gamma[_i] * sp.log(pi), (_i, 1, N_))
    responsibilities = RNG.uniform(size=40)
    found = symml.derive.maximize(objective, pi).numpy()(gamma=responsibilities)
    oracle = optimize.minimize_scalar(lambda q: -((1 - responsibilities) * np.log(1 - q)
                                                  + responsibilities * np.log(q)).sum(),
                                      bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-12}).x
    assert found == pytest.approx(oracle, abs=1e-7)


def test_em_m_step_first_component_mean_and_sd_weighted_by_one_minus_gamma_esl_algorithm_8_1():
    """ESL Algorithm 8.1, step 2: μ̂₁, σ̂₁ weighted by 1 − γᵢ. The roots ±√(...)/(N − Σγᵢ) of the σ₁ equation
    could not be told apart (SymPy does not know N − Σγᵢ > 0); the admissible one is √(c²). About 6 s of CPU,
    spent by the solve over the data sums and the second-order check that any two-parameter weighted fit runs: the
    one end-to-end check of this M-step (the weights 1 − γᵢ of unknown sign to SymPy)."""
    y, gamma = sp.IndexedBase("y", real=True), sp.IndexedBase("gamma", positive=True)
    mu1, sigma1 = sp.Symbol("mu_1", real=True), sp.Symbol("sigma_1", positive=True)
    N_ = sp.Symbol("N", integer=True, positive=True)
    objective = sp.Sum((1 - gamma[_i]) * (-(y[_i] - mu1)**2 / (2 * sigma1**2) - sp.log(sigma1)), (_i, 1, N_))
    data, responsibilities = np.r_[RNG.normal(-1, 0.5, 20), RNG.normal(2, 1, 20)], RNG.uniform(0.01, 0.99, 40)
    found = symml.derive.maximize(objective, [mu1, sigma1]).numpy()(y=data, gamma=responsibilities)
    oracle = optimize.minimize(lambda v: -((1 - responsibilities) * ss.norm(v[0], np.exp(v[1])).logpdf(data)).sum(),
                               [0.0, 0.0], tol=1e-12).x
    assert [found["mu_1"], found["sigma_1"]] == pytest.approx([oracle[0], np.exp(oracle[1])], rel=1e-6)


def test_em_m_step_of_all_five_parameters_esl_algorithm_8_1_in_seconds():
    """ESL Algorithm 8.1, step 2 with π, μ₁, σ₁, μ₂, σ₂ together: 2.3 s CPU (7.7 s when the second-order check
    substituted the estimates inside the data sums and ran out of its 5 s budget). Oracle: scipy.optimize on the
    weighted complete-data log-likelihood, the scales and the mixing weight unconstrained through log and logit."""
    import time

    y, gamma = sp.IndexedBase("y", real=True), sp.IndexedBase("gamma", positive=True)
    mu1, mu2 = sp.symbols("mu_1 mu_2", real=True)
    sigma1, sigma2, pi = sp.symbols("sigma_1 sigma_2 pi", positive=True)
    N_ = sp.Symbol("N", integer=True, positive=True)
    component = lambda m, s: -(y[_i] - m)**2 / (2 * s**2) - sp.log(s)  # noqa: E731
    objective = sp.Sum((1 - gamma[_i]) * (sp.log(1 - pi) + component(mu1, sigma1))
                       + gamma[_i] * (sp.log(pi) + component(mu2, sigma2)), (_i, 1, N_))
    started = time.process_time()
    derivation = symml.derive.maximize(objective, [pi, mu1, sigma1, mu2, sigma2])
    assert time.process_time() - started < 7.0
    data, responsibilities = np.r_[RNG.normal(-1, 0.5, 20), RNG.normal(2, 1, 20)], RNG.uniform(0.01, 0.99, 40)
    found = derivation.numpy()(y=data, gamma=responsibilities)

    def negative(v):
        weight = expit(v[0])
        return -((1 - responsibilities) * (np.log(1 - weight) + ss.norm(v[1], np.exp(v[2])).logpdf(data))
                 + responsibilities * (np.log(weight) + ss.norm(v[3], np.exp(v[4])).logpdf(data))).sum()

    v = optimize.minimize(negative, np.zeros(5), tol=1e-12).x
    assert [found[k] for k in ("pi", "mu_1", "sigma_1", "mu_2", "sigma_2")] == pytest.approx(
        [expit(v[0]), v[1], np.exp(v[2]), v[3], np.exp(v[4])], rel=1e-6)
