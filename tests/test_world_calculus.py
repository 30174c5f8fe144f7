"""Matrix and scalar calculus against the world: problems from the standard texts, typed the way their readers type
them, through the public API.

Each test names its source (book and equation or exercise) and checks the derived result against an independent
numeric computation written here in NumPy/SciPy: central finite differences of the function, scipy.stats
log-densities, numpy.linalg. The answer oracles live here only.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from scipy.special import expit, logsumexp

import symml
from tests.differences import central_gradient, central_jacobian

RNG = np.random.default_rng(24)
i, j = sp.Symbol("i", integer=True, positive=True), sp.Symbol("j", integer=True, positive=True)
n_ = sp.Symbol("n", integer=True, positive=True)
xi, yi = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
w_, b_ = sp.symbols("w b", real=True)


# --- scalar calculus: score functions and sums over data ----------------------------------------------------------
def test_logistic_loss_over_data_keeps_each_sigmoid_inside_its_sum_cs229():
    # CS229 notes 1, logistic regression: ∂/∂w Σᵢ log(1 + exp(−yᵢ w xᵢ)) = −Σᵢ σ(−yᵢ w xᵢ) yᵢ xᵢ. The σ of an
    # indexed argument used to be factored out of the sum (σ(wxᵢyᵢ − …) Σᵢ xᵢyᵢ, with a free i)
    xs, ys = RNG.normal(size=7), np.sign(RNG.normal(size=7))
    loss = lambda v: np.sum(np.logaddexp(0, -ys * v * xs))  # noqa: E731
    gradient = symml.derive.gradient(sp.Sum(sp.log(1 + sp.exp(-yi[i] * w_ * xi[i])), (i, 1, n_)), w_)
    assert not gradient.result.free_symbols & {i}
    assert float(gradient.numpy()(x=xs, y=ys, w=0.3)) == pytest.approx(central_gradient(loss, 0.3), rel=1e-7)


def test_gamma_score_in_shape_and_rate_evaluates_the_digamma_casella_berger_7_2():
    # Casella & Berger ex. 7.2: ∂/∂a log Gamma(x | a, b) = log b + log x − ψ(a), ∂/∂b = a/b − x
    x, a, b = sp.symbols("x a b", positive=True)
    log_density = (a - 1) * sp.log(x) - b * x + a * sp.log(b) - sp.loggamma(a)
    found = np.ravel(symml.derive.gradient(log_density, [a, b]).numpy()(x=1.7, a=2.3, b=0.8))
    law = lambda v: ss.gamma(v[0], scale=1 / v[1]).logpdf(1.7)  # noqa: E731
    assert found == pytest.approx(central_gradient(law, np.array([2.3, 0.8])), rel=1e-7)


def test_gamma_hessian_in_shape_differentiates_the_digamma_into_the_trigamma_casella_berger_7_2():
    # the observed information of Gamma(a, b): −∂²/∂a² log p = ψ′(a), the trigamma (polygamma(1, a))
    x, a, b = sp.symbols("x a b", positive=True)
    log_density = (a - 1) * sp.log(x) - b * x + a * sp.log(b) - sp.loggamma(a)
    found = np.asarray(symml.derive.hessian(log_density, [a, b]).numpy()(x=1.7, a=2.3, b=0.8), dtype=float)
    law = lambda v: ss.gamma(v[0], scale=1 / v[1]).logpdf(1.7)  # noqa: E731
    numeric = central_jacobian(lambda v: central_gradient(law, v, 1e-5), np.array([2.3, 0.8]), 1e-4)
    assert found == pytest.approx(numeric, rel=1e-5)


def test_jacobian_of_the_least_squares_score_over_data_is_verified_esl_3_2():
    # ESL (3.4)-(3.6) in one regressor: the score (Σᵢ rᵢ, Σᵢ xᵢrᵢ), rᵢ = yᵢ − w xᵢ − b, has Jacobian −[[Σx, n],
    # [Σx², Σx]] in (w, b); verify() used to refuse Jacobians over data
    residual = yi[i] - w_ * xi[i] - b_
    jacobian = symml.derive.jacobian([sp.Sum(residual, (i, 1, n_)), sp.Sum(xi[i] * residual, (i, 1, n_))], [w_, b_])
    xs, ys = RNG.normal(size=6), RNG.normal(size=6)
    score = lambda v: np.array([np.sum(ys - v[0] * xs - v[1]), np.sum(xs * (ys - v[0] * xs - v[1]))])  # noqa: E731
    found = np.asarray(jacobian.numpy()(x=xs, y=ys, w=0.2, b=-0.1), dtype=float)
    assert found == pytest.approx(central_jacobian(score, np.array([0.2, -0.1])), rel=1e-7)
    assert jacobian.verify(trials=1)


def test_taylor_polynomial_of_the_logistic_loss_over_data_at_its_mean_wasserman_9_13():
    # a Laplace-style quadratic expansion of Σᵢ log(1 + exp(−yᵢ w xᵢ)) at w = x̄ (a statistic of the data): the
    # index of x̄ is renamed apart from the loss's (a sum over i inside a sum over i crashed SymPy's simplify)
    loss = sp.Sum(sp.log(1 + sp.exp(-yi[i] * w_ * xi[i])), (i, 1, n_))
    taylor = symml.derive.taylor(loss, at={w_: sp.Sum(xi[i], (i, 1, n_)) / n_}, order=2)
    xs, ys = RNG.normal(size=8), np.sign(RNG.normal(size=8))
    f = lambda v: np.sum(np.logaddexp(0, -ys * v * xs))  # noqa: E731
    a, h = xs.mean(), 1e-4
    expected = f(a) + central_gradient(f, a) * 0.05 + (f(a + h) - 2 * f(a) + f(a - h)) / h**2 * 0.05**2 / 2
    assert float(taylor.numpy()(x=xs, y=ys, w=a + 0.05)) == pytest.approx(expected, rel=1e-6)
    assert taylor.verify(trials=1)


def test_gradient_of_a_scalar_log_sum_exp_is_finite_at_large_arguments_boyd_vandenberghe_3_1_5():
    # ∇ log(e^a + 2e^b) is a softmax; exp(a)/(exp(a) + 2exp(b)) was inf/inf = nan at a = 1000
    a, b = sp.symbols("a b", real=True)
    gradient = symml.derive.gradient(sp.log(sp.exp(a) + 2 * sp.exp(b)), [a, b]).numpy()
    weights = np.array([1.0, 2 * np.exp(-1.0)])
    assert np.ravel(gradient(a=1000.0, b=999.0)) == pytest.approx(weights / weights.sum(), rel=1e-12)
    f = lambda v: np.log(np.exp(v[0]) + 2 * np.exp(v[1]))  # noqa: E731
    assert np.ravel(gradient(a=0.3, b=-0.2)) == pytest.approx(central_gradient(f, np.array([0.3, -0.2])), rel=1e-7)


def test_mixture_of_two_exponentials_over_data_stays_finite():
    # ∂/∂a Σᵢ log(e^{a xᵢ} + e^{b xᵢ}): the shift by the larger exponent is evaluated on the data arrays too
    a, b = sp.symbols("a b", real=True)
    gradient = symml.derive.gradient(sp.Sum(sp.log(sp.exp(a * xi[i]) + sp.exp(b * xi[i])), (i, 1, n_)), a).numpy()
    xs = np.array([1.0, 2.0, -3.0])
    assert float(gradient(x=xs, a=400.0, b=1.0)) == pytest.approx(3.0, rel=1e-12)
    loss = lambda v: np.sum(np.logaddexp(v * xs, 0.1 * xs))  # noqa: E731
    assert float(gradient(x=xs, a=0.4, b=0.1)) == pytest.approx(central_gradient(loss, 0.4), rel=1e-7)


def test_hinge_loss_over_data_evaluates_its_cases_cs229_svm():
    # CS229 (SVM notes): ∂/∂w Σᵢ max(0, 1 − yᵢ w xᵢ) = −Σ_{yᵢwxᵢ<1} yᵢxᵢ; numpy() refused the cases before
    gradient = symml.derive.gradient(sp.Sum(sp.Max(0, 1 - yi[i] * w_ * xi[i]), (i, 1, n_)), w_).numpy()
    xs, ys = RNG.normal(size=9), np.sign(RNG.normal(size=9))
    loss = lambda v: np.sum(np.maximum(0, 1 - ys * v * xs))  # noqa: E731
    assert float(gradient(x=xs, y=ys, w=0.37)) == pytest.approx(central_gradient(loss, 0.37), rel=1e-7)


def test_probit_log_likelihood_over_data_evaluates_erf_murphy_pml1_10_4():
    # Σᵢ log Φ(yᵢ w xᵢ), Φ(t) = (1 + erf(t/√2))/2: numpy() had no erf in index notation
    written = sp.log((1 + sp.erf(yi[i] * w_ * xi[i] / sp.sqrt(2))) / 2)
    gradient = symml.derive.gradient(sp.Sum(written, (i, 1, n_)), w_).numpy()
    xs, ys = RNG.normal(size=9), np.sign(RNG.normal(size=9))
    loss = lambda v: np.sum(ss.norm.logcdf(ys * v * xs))  # noqa: E731
    assert float(gradient(x=xs, y=ys, w=0.37)) == pytest.approx(central_gradient(loss, 0.37), rel=1e-7)


# --- matrix calculus ------------------------------------------------------------------------------------------------
d_, k_ = symml.dims("d k")


def test_log_softmax_jacobian_is_stable_for_large_logits_d2l_4_1():
    # d2l.ai 4.1.2: ∂ log softmax(z)/∂zᵀ = I − 1 softmax(z)ᵀ. Through log ∘ softmax the chain rule divided by
    # softmax(z), which underflows to 0 at logits of 1000 (inf/nan in numpy())
    z = symml.vector("z", d_)
    jacobian = symml.derive.jacobian(symml.log(symml.softmax(z)), z).numpy()
    z0 = RNG.normal(size=(5, 1))
    assert np.asarray(jacobian(z=z0)) == pytest.approx(central_jacobian(lambda v: v - logsumexp(v), z0), abs=1e-8)
    large = np.asarray(jacobian(z=1000 * z0))
    s = np.exp(1000 * z0 - logsumexp(1000 * z0))
    assert large == pytest.approx(np.eye(5) - np.ones((5, 1)) @ s.T, abs=1e-12)


def test_cross_entropy_of_softmax_regression_written_with_log_softmax_prml_4_109():
    # PRML (4.109): ∇_W −Σ Y ⊙ log softmax(XW) = Xᵀ(softmax(XW) − Y) for one-hot rows; finite at logits ~ 1e3
    n, d, k = symml.dims("n d k")
    X, W, Y = symml.matrix("X", n, d), symml.matrix("W", d, k), symml.matrix("Y", n, k)
    gradient = symml.derive.gradient(-symml.sum(symml.hadamard(Y, symml.log(symml.softmax(X @ W, axis=1)))), W)
    X0, W0, Y0 = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 4)), np.eye(4)[RNG.integers(0, 4, 6)]
    loss = lambda V: -np.sum(Y0 * (X0 @ V - logsumexp(X0 @ V, axis=1, keepdims=True)))  # noqa: E731
    assert np.asarray(gradient.numpy()(X=X0, W=W0, Y=Y0)) == pytest.approx(central_gradient(loss, W0), rel=1e-7)
    assert np.all(np.isfinite(gradient.numpy()(X=1e3 * X0, W=W0, Y=Y0)))


def test_a_scalar_written_as_a_leading_one_by_one_matrix_scales_what_follows():
    # the 1 x 1 unknown of Casella & Berger 7.2, written a·1 (a first): SymPy gives a·1 the shape (1, 1) of its
    # ends; differentiated as such the gradient was refused as "not a scalar", and wᵀw X v crashed in numpy()
    n = symml.dims("n")
    a, x = symml.matrix("a", 1, 1), symml.vector("x", n)
    xs = RNG.normal(size=(7, 1))
    found = symml.derive.gradient(symml.sq_norm(x - a * sp.OneMatrix(n, 1)), a).numpy()(x=xs, a=np.array([[0.3]]))
    assert float(np.ravel(found)[0]) == pytest.approx(central_gradient(lambda v: np.sum((xs - v) ** 2), 0.3))
    w, v, X = symml.vector("w", d_), symml.vector("v", d_), symml.matrix("X", n, d_)
    X0, w0, v0 = RNG.normal(size=(4, 3)), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    gradient = symml.derive.gradient(symml.sq_norm(w.T * w * X * v - x), w).numpy()(X=X0, w=w0, v=v0, x=xs[:4])
    loss = lambda u: np.sum(((u.T @ u) * (X0 @ v0) - xs[:4]) ** 2)  # noqa: E731
    assert np.asarray(gradient) == pytest.approx(central_gradient(loss, w0), rel=1e-7)
    # SymPy merges (wᵀw) w into wᵀ w², a power of a vector: the Jacobian's numpy() raised LinAlgError
    jacobian = symml.derive.jacobian((w.T * w) * w, w).numpy()(w=w0)
    assert np.asarray(jacobian) == pytest.approx(central_jacobian(lambda u: (u.T @ u) * u, w0), rel=1e-7)


def test_log_softmax_written_as_z_minus_logsumexp_times_ones_d2l_4_1():
    z = symml.vector("z", d_)
    jacobian = symml.derive.jacobian(z - symml.logsumexp(z) * sp.OneMatrix(d_, 1), z)
    z0 = RNG.normal(size=(4, 1))
    assert np.asarray(jacobian.numpy()(z=z0)) == pytest.approx(central_jacobian(lambda v: v - logsumexp(v), z0),
                                                              abs=1e-8)


def test_jacobian_of_a_kronecker_product_magnus_neudecker_theorem_3_10():
    # vec(X ⊗ A) = (Iₙ ⊗ K_(q,m) ⊗ I_p)(vec X ⊗ vec A): the Jacobian in X (refused before), and a ⊗ b in a
    n, d, k, m = symml.dims("n d k m")
    X, A = symml.matrix("X", n, d), symml.matrix("A", k, m)
    X0, A0 = RNG.normal(size=(4, 3)), RNG.normal(size=(2, 5))
    for product, oracle in ((symml.kron(X, A), lambda V: np.kron(V, A0)), (symml.kron(A, X), lambda V: np.kron(A0, V))):
        found = np.asarray(symml.derive.jacobian(product, X).numpy()(X=X0, A=A0), dtype=float)
        assert found == pytest.approx(central_jacobian(oracle, X0), abs=1e-8)
    a, b = symml.vector("a", d), symml.vector("b", k)
    a0, b0 = RNG.normal(size=(3, 1)), RNG.normal(size=(2, 1))
    found = np.asarray(symml.derive.jacobian(symml.kron(a, b), a).numpy()(a=a0, b=b0), dtype=float)
    assert found == pytest.approx(central_jacobian(lambda v: np.kron(v, b0), a0), abs=1e-8)


def test_squared_exponential_kernel_written_with_sympy_exp_rasmussen_williams_4_9():
    # k(x, y) = exp(−‖x − y‖²/(2ℓ²)) typed with sp.exp around the 1 x 1 product (refused before: "depends on x
    # outside a matrix expression"); its gradient and Hessian in x
    d = symml.dims("d")
    x, y, ell = symml.vector("x", d), symml.vector("y", d), sp.Symbol("ell", positive=True)
    kernel = sp.exp(-(x - y).T @ (x - y) / (2 * ell**2))
    x0, y0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    f = lambda v: np.exp(-np.sum((v - y0) ** 2) / (2 * 0.8**2))  # noqa: E731
    gradient = symml.derive.gradient(kernel, x).numpy()(x=x0, y=y0, ell=0.8)
    assert np.asarray(gradient) == pytest.approx(central_gradient(f, x0), rel=1e-7)
    hessian = symml.derive.hessian(kernel, x).numpy()(x=x0, y=y0, ell=0.8)
    numeric = central_jacobian(lambda v: central_gradient(f, v, 1e-5), x0, 1e-4)
    assert np.asarray(hessian) == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_reparameterisation_gradient_in_the_log_variance_prints_kingma_welling_eq_10():
    # z = μ + exp(s/2) ⊙ ε; ∇_s ‖z‖². Rendering the derivation crashed: SymPy's factor_terms rebuilt exp((1/2)s) with a
    # scalar Mul inside, which has no shape
    d = symml.dims("d")
    mu, s, eps = symml.vector("mu", d), symml.vector("s", d), symml.vector("epsilon", d)
    gradient = symml.derive.gradient(symml.sq_norm(mu + symml.hadamard(symml.exp(s / 2), eps)), s)
    assert "exp" in str(gradient) and "exp" in gradient.latex() and "exp" in gradient.markdown()
    m0, s0, e0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    loss = lambda v: np.sum((m0 + np.exp(v / 2) * e0) ** 2)  # noqa: E731
    assert np.asarray(gradient.numpy()(mu=m0, s=s0, epsilon=e0)) == pytest.approx(central_gradient(loss, s0), rel=1e-7)


# --- index notation -------------------------------------------------------------------------------------------------
Xi, wi = sp.IndexedBase("X"), sp.IndexedBase("w")
d_i = sp.Symbol("d", integer=True, positive=True)
logit_i = sp.Sum(wi[j] * Xi[i, j], (j, 1, d_i))


@pytest.mark.parametrize("written, sign", [
    (sp.log(1 + sp.exp(-yi[i] * logit_i)), 1),               # ESL (4.20) with labels ±1
    (sp.log(1 / (1 + sp.exp(-yi[i] * logit_i))), -1),        # CS229: Σᵢ log σ(yᵢ wᵀxᵢ), maximised
])
def test_logistic_loss_in_indices_has_a_stable_gradient_at_large_logits_esl_4_4(written, sign):
    # the matrix form used to keep exp(−y ⊙ Xw)/(1 + exp(−y ⊙ Xw)): nan at logits of 1000; now σ and softplus
    gradient = symml.derive.gradient(sp.Sum(written, (i, 1, n_)), wi).numpy()
    X0, y0, w0 = RNG.normal(size=(6, 3)), np.sign(RNG.normal(size=6)), RNG.normal(size=3)
    for scale in (1.0, 1e3):
        loss = lambda v, s=scale: sign * np.sum(np.logaddexp(0, -y0 * (s * X0 @ v)))  # noqa: E731
        found = np.ravel(gradient(X=scale * X0, y=y0, w=w0))
        assert found == pytest.approx(central_gradient(loss, w0, 1e-6 / scale), rel=1e-6)


def test_a_jacobian_in_index_notation_is_refused_with_a_clear_error():
    with pytest.raises(symml.UnsupportedOperationError, match="gradient and hessian are"):
        symml.derive.jacobian([sp.Sum(wi[j] * Xi[1, j], (j, 1, d_i))], wi)


def test_the_gradient_of_a_norm_states_its_subdifferential_at_zero_matrix_cookbook_129():
    # ∇‖x − μ‖ = (x − μ)/‖x − μ‖ (Matrix Cookbook (129)); at x = μ the norm has no gradient: said in the remarks
    d = symml.dims("d")
    x, mu = symml.vector("x", d), symml.vector("mu", d)
    gradient = symml.derive.gradient(symml.norm(x - mu), x)
    assert any("not differentiable" in remark and "subgradient" in remark for remark in gradient.remarks)
    x0, m0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    found = gradient.numpy()(x=x0, mu=m0)
    assert np.asarray(found) == pytest.approx(central_gradient(lambda v: np.linalg.norm(v - m0), x0), rel=1e-7)
    X = symml.matrix("X", d, d)
    assert any("not differentiable" in remark for remark in symml.derive.gradient(symml.norm(X, "fro"), X).remarks)
    Sigma = symml.matrix("Sigma", d, d, symmetric=True)  # the Mahalanobis distance, PRML (2.44)
    mahalanobis = symml.derive.gradient(symml.sqrt((x - mu).T @ symml.inv(Sigma) @ (x - mu)), x)
    assert any("not differentiable" in remark for remark in mahalanobis.remarks)


def test_a_squared_norm_is_differentiable_at_zero_and_says_nothing_of_a_kink():
    # ‖Xw − y‖² has gradient 2Xᵀ(Xw − y) everywhere, 0 at an exact fit; the remark on the norm's kink was shown for
    # it too (and said numpy() gives nan there, which it does not)
    n, d = symml.dims("n d")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    gradient = symml.derive.gradient(symml.norm(X @ w - y)**2, w)
    assert not any("not differentiable" in remark for remark in gradient.remarks)
    X0, w0 = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 1))
    found = np.asarray(gradient.numpy()(X=X0, w=w0, y=X0 @ w0))
    assert found == pytest.approx(central_gradient(lambda v: np.linalg.norm(X0 @ v - X0 @ w0)**2, w0), abs=1e-6)


def test_verify_of_log_det_of_a_gram_product_draws_invertible_sizes_matrix_cookbook_55():
    # ∇_X log det(XᵀAX) = AXM + AᵀXMᵀ, M = (XᵀAX)⁻¹ (Matrix Cookbook (55)); verify() drew X with more columns
    # than rows, where XᵀAX is singular, and reported a correct gradient as FAILED
    d, k = symml.dims("d k")
    X, A = symml.matrix("X", d, k), symml.matrix("A", d, d)
    gradient = symml.derive.gradient(symml.logdet(X.T @ A @ X), X)
    assert gradient.verify()
    X0, B = RNG.normal(size=(4, 2)), RNG.normal(size=(4, 4))
    A0 = B @ B.T + np.eye(4)
    found = gradient.numpy()(X=X0, A=A0)
    assert np.asarray(found) == pytest.approx(central_gradient(lambda V: np.linalg.slogdet(V.T @ A0 @ V)[1], X0),
                                              rel=1e-7)


def test_taylor_polynomial_of_a_loss_typed_as_latex_bishop_4_5():
    # the quadratic (Laplace) expansion of softplus at 0, typed as notes write it: log 2 + z/2 + z²/8
    z = sp.Symbol("z", real=True)
    taylor = symml.derive.taylor(r"\log(1 + e^{z})", at={z: 0}, order=2)
    f = lambda t: np.logaddexp(0, t)  # noqa: E731
    h = 1e-4
    second = (f(h) - 2 * f(0.0) + f(-h)) / h**2
    assert float(taylor.numpy()(z=0.3)) == pytest.approx(f(0.0) + central_gradient(f, 0.0) * 0.3 + second * 0.09 / 2,
                                                         rel=1e-7)
    assert "Softplus(0)" not in str(taylor.result)


# --- problems that passed as posed: kept as specifications -------------------------------------------------------
def _attention(Q, K, V):
    scores = Q @ K.T / np.sqrt(Q.shape[1])
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True) @ V


def _layer_norm(x, eps=1e-5):
    centred = x - x.mean()
    return centred / np.sqrt(np.mean(centred**2) + eps)


def _batch_norm(X, eps=1e-5):
    centred = X - X.mean(axis=0)
    return centred / np.sqrt(np.mean(centred**2, axis=0) + eps)


def _world_jacobians():
    """(name, derivation builder, unknown's name, values, NumPy oracle of the function) for Jacobians."""
    n, d, k = symml.dims("n d k")
    Q, K, V = symml.matrix("Q", n, k), symml.matrix("K", n, k), symml.matrix("V", n, d)
    attention = symml.softmax(Q @ K.T / sp.sqrt(k), axis=1) @ V
    x, eps = symml.vector("x", d), sp.Symbol("epsilon", positive=True)
    ones = sp.OneMatrix(d, 1)
    centred = x - ones * (ones.T @ x) / d
    X, rows = symml.matrix("X", n, d), sp.OneMatrix(n, 1)
    Xc = X - rows * rows.T * X / n
    variances = rows.T * symml.hadamard(Xc, Xc) / n
    W, b = symml.matrix("W", k, d), symml.vector("b", k)
    QKV = {"Q": RNG.normal(size=(4, 3)), "K": RNG.normal(size=(4, 3)), "V": RNG.normal(size=(4, 2))}
    return [
        # Vaswani et al. 2017 eq. (1), in each of Q, K, V
        *((f"attention in {name}", attention, name, QKV, lambda **v: _attention(v["Q"], v["K"], v["V"]))
          for name in "QKV"),
        # Ba et al. 2016 (layer norm), Ioffe & Szegedy 2015 alg. 1 (batch norm), in the input
        ("layer norm", centred / symml.sqrt(symml.sq_norm(centred) / d + eps * sp.Identity(1)), "x",
         {"x": RNG.normal(size=(5, 1)), "epsilon": 1e-5}, lambda x, epsilon: _layer_norm(x, epsilon)),
        ("batch norm", symml.hadamard(Xc, rows * symml.power(variances + eps * sp.OneMatrix(1, d), -sp.S.Half)), "X",
         {"X": RNG.normal(size=(6, 3)), "epsilon": 1e-5}, lambda X, epsilon: _batch_norm(X, epsilon)),
        # MML (5.112): an MLP layer σ(Wx + b) in W
        ("MLP layer", symml.sigmoid(W @ x + b), "W",
         {"W": RNG.normal(size=(4, 3)), "x": RNG.normal(size=(3, 1)), "b": RNG.normal(size=(4, 1))},
         lambda W, x, b: expit(W @ x + b)),
    ]


@pytest.mark.parametrize("case", _world_jacobians(), ids=lambda case: case[0])
def test_jacobians_of_network_layers_agree_with_central_differences(case):
    _, function, unknown, values, oracle = case
    symbol = next(s for s in function.free_symbols if getattr(s, "name", None) == unknown)
    found = np.asarray(symml.derive.jacobian(function, symbol).numpy()(**values), dtype=float)
    numeric = central_jacobian(lambda v: oracle(**{**values, unknown: v}), values[unknown])
    assert found == pytest.approx(numeric, abs=1e-8)


def test_gaussian_log_likelihood_in_a_cholesky_factor_murphy_pml2():
    # ∂/∂L of log N(x | μ, LLᵀ), the parameterisation of variational and GP codes
    d = symml.dims("d")
    x, mu, L = symml.vector("x", d), symml.vector("mu", d), symml.matrix("L", d, d)
    Sigma = L @ L.T
    log_likelihood = -symml.logdet(Sigma) / 2 - (x - mu).T @ symml.inv(Sigma) @ (x - mu) / 2
    x0, m0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    L0 = np.linalg.cholesky(np.cov(RNG.normal(size=(3, 10))) + np.eye(3))
    f = lambda M: (-np.linalg.slogdet(M @ M.T)[1] / 2 - (x0 - m0).T @ np.linalg.solve(M @ M.T, x0 - m0) / 2).item()  # noqa: E731
    found = symml.derive.gradient(log_likelihood, L).numpy()(x=x0, mu=m0, L=L0)
    assert np.asarray(found) == pytest.approx(central_gradient(f, L0), rel=1e-6)


def test_softmax_regression_hessian_is_kronecker_structured_prml_4_110():
    # PRML (4.110): the Hessian of the multiclass cross-entropy in vec W, checked by differences of the gradient
    n, d, k = symml.dims("n d k")
    X, W, Y = symml.matrix("X", n, d), symml.matrix("W", d, k), symml.matrix("Y", n, k)
    hessian = symml.derive.hessian(symml.losses.softmax_cross_entropy(X, W, Y), W)
    X0, W0, Y0 = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 4)), np.eye(4)[RNG.integers(0, 4, 6)]
    gradient = lambda V: X0.T @ (np.exp(X0 @ V - logsumexp(X0 @ V, axis=1, keepdims=True)) - Y0)  # noqa: E731
    found = np.asarray(hessian.numpy()(X=X0, W=W0, Y=Y0), dtype=float)
    assert found == pytest.approx(central_jacobian(gradient, W0), abs=1e-7)
