"""Derivations that ML papers, lecture notes and tutorials write out step by step, posed through the public API the
way their readers would type them: the Gaussian-process marginal likelihood and its hyperparameter gradients, the
VAE's KL term and reparametrised gradient, layer-norm and attention backward passes, softmax cross-entropy, InfoNCE,
Bradley–Terry and DPO losses, EM and factor-analysis M-steps, Fisher information, dropout's moments, weight decay as a
prior, normalising-flow Jacobians.

Each test names its source (an address) and checks the derived result against an independent numeric computation
written here: central finite differences, numpy.linalg, scipy.optimize, scipy.integrate.quad, Monte Carlo. The
oracles live here only.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy.integrate import quad
from scipy.optimize import minimize
from scipy.special import expit, logsumexp, softmax

import symml
from tests.differences import central_gradient, central_jacobian

RNG = np.random.default_rng(2026)
n, d, k = symml.dims("n d k")


def _along(f, values, name):
    return lambda v: f(**{**values, name: v})


# --- expectations through symml.derive.expectation --------------------------------------------------------------------
def test_a_constant_named_x_beside_the_random_variable_stays_a_constant_kingma_welling_reparametrisation():
    # https://kvfrans.com/deriving-the-kl/ : E_ε[(μ + σε − x)²] = (μ − x)² + σ². The user's x was read as the value
    # of ε (the law's own variable is x): the answer was μ² + (σ − 1)², and numpy() refused x
    mu, x = sp.symbols("mu x", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    eps = st.Normal("epsilon", 0, 1)
    found = symml.derive.expectation(eps, (mu + sigma * eps - x) ** 2)
    draws = np.random.default_rng(0).normal(size=200_000)
    monte_carlo = np.mean((0.3 + 1.7 * draws + 0.4) ** 2)
    assert found.numpy()(mu=0.3, sigma=1.7, x=-0.4) == pytest.approx(monte_carlo, rel=1e-2)
    assert found.numpy()(mu=0.3, sigma=1.7, x=-0.4) == pytest.approx(0.7 ** 2 + 1.7 ** 2, rel=1e-12)
    # the reparametrised gradient of the expectation, by the calculus engine, against Monte Carlo
    gradient = symml.derive.gradient(found.result, [mu, sigma]).numpy()(mu=0.3, sigma=1.7, x=-0.4)
    pathwise = [np.mean(2 * (0.3 + 1.7 * draws + 0.4)), np.mean(2 * (0.3 + 1.7 * draws + 0.4) * draws)]
    assert np.ravel(gradient) == pytest.approx(pathwise, rel=2e-2)


def test_an_expectation_involving_a_second_random_variable_is_not_halved_gumbel_max():
    # https://lips.cs.princeton.edu/the-gumbel-max-trick-for-discrete-distributions/ : P(G₁ > G₂) = e^{a₁}/(e^{a₁} + e^{a₂}).
    # Both variables were once replaced by x, so E[H(G₁ − G₂)] came out as H(0) = 1/2 whatever a₁ and a₂; it was then
    # refused, and is now the iterated integral over the two independent variables (sympy.stats' Gumbel(name, β, μ):
    # scale 1, locations a₁, a₂)
    a1, a2 = sp.symbols("a1 a2", real=True)
    G1, G2 = st.Gumbel("G1", 1, a1), st.Gumbel("G2", 1, a2)
    found = symml.derive.expectation(G1, sp.Heaviside(G1 - G2)).numpy()(a1=0.3, a2=-0.5)
    draws = np.random.default_rng(1).gumbel(size=(2, 200_000))
    assert found == pytest.approx(np.mean(draws[0] + 0.3 > draws[1] - 0.5), abs=5e-3)  # Monte Carlo: not 1/2
    assert found == pytest.approx(expit(0.8), rel=1e-5)


def test_inverted_dropout_keeps_the_mean_and_inflates_the_second_moment():
    # https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1 (fast.ai forum, "Inverted dropout rescaling does
    # restore mean but not standard deviation"): m ~ Bernoulli(1 − p), E[m a/(1 − p)] = a, E[(m a/(1 − p))²] = a²/(1 − p)
    p = sp.Symbol("p", positive=True)
    a = sp.Symbol("a", real=True)
    m = st.Bernoulli("m", 1 - p)
    mean = symml.derive.expectation(m, m * a / (1 - p)).numpy()
    second = symml.derive.expectation(m, (m * a / (1 - p)) ** 2).numpy()
    kept = (np.random.default_rng(2).uniform(size=1_000_000) < 0.7) * 2.0 / 0.7
    assert mean(p=0.3, a=2.0) == pytest.approx(kept.mean(), rel=5e-3)
    assert second(p=0.3, a=2.0) - mean(p=0.3, a=2.0) ** 2 == pytest.approx(kept.var(), rel=1e-2)


# --- KL divergences ---------------------------------------------------------------------------------------------------
def test_vae_kl_against_a_prior_typed_as_zeros_and_eye_reads_and_evaluates_kvfrans():
    # https://kvfrans.com/deriving-the-kl/ : KL(N(μ, Σ) ‖ N(0, I)) = ½(tr Σ + μᵀμ − d − log det Σ). With the prior typed
    # as sp.zeros(3, 1) and sp.eye(3), numpy() raised AttributeError ('ImmutableDenseMatrix' object has no attribute
    # 'name') and the result read (Matrix([[0, 0, 0]]) + μᵀ)(...) + logdet(I)
    mu, Sigma = symml.vector("mu", 3), symml.matrix("Sigma", 3, 3, symmetric=True)
    kl = symml.derive.kl(st.MultivariateNormal("Q", mu, Sigma), st.MultivariateNormal("P", sp.zeros(3, 1), sp.eye(3)))
    assert "Matrix" not in str(kl.result) and "logdet(I)" not in str(kl)
    m0, S0 = RNG.normal(size=(3, 1)), np.diag([0.5, 2.0, 1.3])
    draws = np.random.default_rng(3).multivariate_normal(m0.ravel(), S0, size=200_000)
    monte_carlo = np.mean(ss.multivariate_normal(m0.ravel(), S0).logpdf(draws) - ss.multivariate_normal(np.zeros(3)).logpdf(draws))
    assert kl.numpy()(mu=m0, Sigma=S0) == pytest.approx(monte_carlo, rel=2e-2)
    assert kl.numpy()(mu=m0, Sigma=S0) == pytest.approx(
        0.5 * (np.trace(S0) + (m0.T @ m0).item() - 3 - np.linalg.slogdet(S0)[1]), rel=1e-12)
    assert kl.verify().passed


def test_kl_to_an_explicit_diagonal_prior_and_back_verifies_at_its_own_dimension():
    # the reverse KL(N(0, I) ‖ N(μ, Σ)) and a prior N((1, 2, 3), diag(1, 2, 3)): verify() drew at d = 5 for explicit 3 x 3
    mu, Sigma = symml.vector("mu", 3), symml.matrix("Sigma", 3, 3, symmetric=True)
    prior = st.MultivariateNormal("P", sp.Matrix([1, 2, 3]), sp.diag(1, 2, 3))
    forward = symml.derive.kl(st.MultivariateNormal("Q", mu, Sigma), prior)
    m0, B = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 3))
    S0 = B @ B.T + np.eye(3)
    q, p = ss.multivariate_normal(m0.ravel(), S0), ss.multivariate_normal([1, 2, 3], np.diag([1.0, 2, 3]))
    draws = q.rvs(size=200_000, random_state=4)
    assert forward.numpy()(mu=m0, Sigma=S0) == pytest.approx(np.mean(q.logpdf(draws) - p.logpdf(draws)), rel=2e-2)
    reverse = symml.derive.kl(st.MultivariateNormal("P", sp.zeros(3, 1), sp.eye(3)), st.MultivariateNormal("Q", mu, Sigma))
    standard = ss.multivariate_normal(np.zeros(3))
    draws = standard.rvs(size=200_000, random_state=5)
    assert reverse.numpy()(mu=m0, Sigma=S0) == pytest.approx(np.mean(standard.logpdf(draws) - q.logpdf(draws)), rel=2e-2)
    assert forward.verify().passed and reverse.verify().passed


def test_a_scalar_symbol_inside_an_explicit_covariance_is_refused_by_name():
    s = sp.Symbol("s", positive=True)
    mu, Sigma = symml.vector("mu", 3), symml.matrix("Sigma", 3, 3, symmetric=True)
    with pytest.raises(symml.ModelError, match="scalar symbols s"):
        symml.derive.kl(st.MultivariateNormal("Q", mu, Sigma), st.MultivariateNormal("P", sp.zeros(3, 1), s * sp.eye(3)))


# --- softmax cross-entropy typed with the softmax written out ---------------------------------------------------------
def test_cross_entropy_of_a_written_out_softmax_is_softmax_minus_target_and_finite_at_logits_of_1000():
    # https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1 (derivative of softmax cross-entropy): −Σₖ yₖ log(e^{zₖ}/Σⱼ e^{zⱼ}).
    # The ratio stayed (Σ exp(z))⁻¹ exp(z) inside an entrywise log: a page-long gradient, nan at z₁ = 1000
    g = symml.derive.gradient(r"-\sum_{k=1}^K y_k \log \frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}}", wrt="z")
    assert "softmax" in str(g.result)
    y0 = np.eye(4)[1]
    for z0 in (RNG.normal(size=4), np.array([1000.0, 0.0, -5.0, 2.0])):
        f = lambda v: -(y0 * (v - logsumexp(v))).sum()  # noqa: E731
        assert np.ravel(g.numpy()(z=z0, y=y0)) == pytest.approx(central_gradient(f, z0), abs=1e-7)


def test_batched_cross_entropy_written_out_in_indices_broadcasts_the_row_log_sum_exp_cs231n():
    # Σᵢ Σₖ Yᵢₖ log(e^{(XW)ᵢₖ} / Σ_c e^{(XW)ᵢc}): after the log is split, Yᵢₖ lseᵢ has one index fewer than Yᵢₖ(XW)ᵢₖ and
    # was "terms of a sum have different free indices: no matrix form"
    g = symml.derive.gradient(r"-\sum_{i=1}^n \sum_{k=1}^K Y_{ik} \log \frac{e^{\sum_{j=1}^d X_{ij} W_{jk}}}"
                              r"{\sum_{c=1}^K e^{\sum_{j=1}^d X_{ij} W_{jc}}}", wrt="W")
    X0, W0, Y0 = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 4)), np.eye(4)[RNG.integers(0, 4, 5)]
    f = lambda V: -(Y0 * (X0 @ V - logsumexp(X0 @ V, axis=1, keepdims=True))).sum()  # noqa: E731
    assert np.asarray(g.numpy()(X=X0, W=W0, Y=Y0)) == pytest.approx(central_gradient(f, W0), abs=1e-7)
    assert np.all(np.isfinite(g.numpy()(X=X0, W=1e3 * W0, Y=Y0)))


# --- metric-learning losses ---------------------------------------------------------------------------------------------
def test_contrastive_margin_loss_gradient_prints_its_squared_relu_hadsell_chopra_lecun_2006():
    # Hadsell, Chopra & LeCun 2006, eq. 4: the dissimilar pair's max(0, m − ‖a − b‖)². latex() and markdown() raised
    # TypeError: _print_ReLU() got an unexpected keyword argument 'exp' (SymPy prints relu(u)² through the function)
    a, b = symml.vector("a", d), symml.vector("b", d)
    m = sp.Symbol("m", positive=True)
    g = symml.derive.gradient(symml.power(symml.relu(m * sp.Identity(1) - symml.norm(a - b)), 2), a)
    assert r"\operatorname{relu}" in g.latex() and "relu" in g.markdown()
    a0, b0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    f = lambda v: max(0.0, 5.0 - np.linalg.norm(v - b0)) ** 2  # noqa: E731
    assert g.numpy()(a=a0, b=b0, m=5.0) == pytest.approx(central_gradient(f, a0), abs=1e-7)
    assert g.numpy()(a=a0, b=b0, m=1e-3) == pytest.approx(np.zeros((3, 1)))  # beyond the margin


def test_triplet_loss_gradient_in_the_anchor_schroff_2015():
    # FaceNet (Schroff et al. 2015), eq. 1: max(0, ‖a − p‖² − ‖a − q‖² + m) in a: 2(q − p) where active
    a, p, q = symml.vector("a", d), symml.vector("p", d), symml.vector("q", d)
    m = sp.Symbol("m", positive=True)
    g = symml.derive.gradient(symml.relu(symml.sq_norm(a - p) - symml.sq_norm(a - q) + m * sp.Identity(1)), a).numpy()
    a0, p0, q0 = (RNG.normal(size=(3, 1)) for _ in range(3))
    assert g(a=a0, p=p0, q=q0, m=10.0) == pytest.approx(2 * (q0 - p0), rel=1e-12)
    assert g(a=a0, p=a0 + 1e-3, q=a0 + 5.0, m=1.0) == pytest.approx(np.zeros((3, 1)))


# --- Gaussian processes (Rasmussen & Williams 5.8-5.9) ----------------------------------------------------------------
def test_gp_log_marginal_likelihood_gradient_in_the_covariance_is_half_alpha_alpha_t_minus_k_inverse():
    # https://stats.stackexchange.com/questions/280277 : ∂/∂K [−½ yᵀK⁻¹y − ½ log|K|] = ½(ααᵀ − K⁻¹), α = K⁻¹y
    y, K = symml.vector("y", n), symml.matrix("K", n, n, symmetric=True)
    g = symml.derive.gradient(-y.T @ symml.inv(K) @ y / 2 - symml.logdet(K) / 2, K).numpy()
    B, y0 = RNG.normal(size=(4, 4)), RNG.normal(size=(4, 1))
    K0 = B @ B.T + 4 * np.eye(4)
    alpha = np.linalg.solve(K0, y0)
    assert g(y=y0, K=K0) == pytest.approx((alpha @ alpha.T - np.linalg.inv(K0)) / 2, rel=1e-10)
    assert g(y=np.array([[2.0]]), K=np.array([[4.0]])) == pytest.approx(np.array([[0.0]]), abs=1e-15)  # n = 1


def test_gp_log_marginal_likelihood_derivatives_in_length_scale_signal_and_noise():
    # https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1 (Cross Validated: gradients of the GP marginal
    # likelihood with squared exponential covariance): K = σ_f² exp(−D/(2ℓ²)) + σ_n² I, D the squared distances
    y, D = symml.vector("y", n), symml.matrix("D", n, n, symmetric=True)
    ell, sf, sn = sp.symbols("ell sigma_f sigma_n", positive=True)
    K = sf**2 * symml.exp(-D / (2 * ell**2)) + sn**2 * sp.Identity(n)
    lml = -y.T @ symml.inv(K) @ y / 2 - symml.logdet(K) / 2 - n / 2 * sp.log(2 * sp.pi)
    X0, y0 = RNG.normal(size=(6, 2)), RNG.normal(size=(6, 1))
    values = {"y": y0, "D": ((X0[:, None] - X0[None]) ** 2).sum(-1), "ell": 0.9, "sigma_f": 1.5, "sigma_n": 0.3}

    def f(y, D, ell, sigma_f, sigma_n):
        Kv = sigma_f**2 * np.exp(-D / (2 * ell**2)) + sigma_n**2 * np.eye(6)
        return ss.multivariate_normal(np.zeros(6), Kv).logpdf(y.ravel())

    for symbol in (ell, sf, sn):
        found = symml.derive.gradient(lml, symbol).numpy()(**values)
        along = central_gradient(_along(f, values, symbol.name), np.array(values[symbol.name]))
        assert float(np.ravel(found)[0]) == pytest.approx(float(along), rel=1e-6), symbol


# --- VAE ---------------------------------------------------------------------------------------------------------------
def test_vae_kl_in_the_log_variance_form_keras_and_its_gradient_stats_se_318184():
    # https://stats.stackexchange.com/questions/318184 : −½ Σ(1 + log σ² − μ² − σ²): ∂/∂logσ² = (σ² − 1)/2, ∂/∂μ = μ
    mu, lv = symml.vector("mu", d), symml.vector("logvar", d)
    kl = -symml.sum(sp.OneMatrix(d, 1) + lv - symml.hadamard(mu, mu) - symml.exp(lv)) / 2
    m0, l0 = RNG.normal(size=(4, 1)), RNG.normal(size=(4, 1))
    assert symml.derive.gradient(kl, lv).numpy()(mu=m0, logvar=l0) == pytest.approx((np.exp(l0) - 1) / 2)
    assert symml.derive.gradient(kl, mu).numpy()(mu=m0, logvar=l0) == pytest.approx(m0)
    scalar_mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    univariate = symml.derive.kl(st.Normal("Z", scalar_mu, sigma), st.Normal("P", 0, 1)).numpy()
    exact = quad(lambda z: ss.norm.pdf(z, 0.3, 0.7) * (ss.norm.logpdf(z, 0.3, 0.7) - ss.norm.logpdf(z)), -10, 10)[0]
    assert univariate(mu=0.3, sigma=0.7) == pytest.approx(exact, rel=1e-8)


def test_gaussian_kl_gradients_in_the_variational_mean_and_covariance_natural_gradient_vi():
    # https://api.deepai.org/publication/multivariate-gaussian-variational-inference-by-natural-gradient-descent :
    # ∂KL/∂μ = S₁⁻¹(μ − m₁), ∂KL/∂Σ = ½(S₁⁻¹ − Σ⁻¹)
    mu, m1 = symml.vector("mu", d), symml.vector("m1", d)
    Sigma, S1 = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("S1", d, d, symmetric=True)
    kl = symml.derive.kl(st.MultivariateNormal("Q", mu, Sigma), st.MultivariateNormal("P", m1, S1)).result
    B = RNG.normal(size=(3, 3))
    values = {"mu": RNG.normal(size=(3, 1)), "Sigma": B @ B.T + np.eye(3), "m1": np.zeros((3, 1)), "S1": 2 * np.eye(3)}
    assert symml.derive.gradient(kl, mu).numpy()(**values) == pytest.approx(values["mu"] / 2)
    G = np.asarray(symml.derive.gradient(kl, Sigma).numpy()(**values))
    assert (G + G.T) / 2 == pytest.approx((np.eye(3) / 2 - np.linalg.inv(values["Sigma"])) / 2)


# --- normalisation layers and attention ---------------------------------------------------------------------------------
def test_layer_norm_backward_in_the_input_scale_and_shift_shreyansh_2025():
    # https://shreyansh26.github.io/post/2025-06-04_layernorm-gradients : rows normalised across features
    X, G = symml.matrix("X", n, d), symml.matrix("G", n, d)
    gamma, beta = symml.vector("gamma", d), symml.vector("beta", d)
    eps = sp.Symbol("epsilon", positive=True)
    cols, rows = sp.OneMatrix(d, 1), sp.OneMatrix(n, 1)
    centred = X - X @ cols @ cols.T / d
    variance = symml.hadamard(centred, centred) @ cols / d
    normalised = symml.hadamard(centred, symml.power(variance + eps * rows, -sp.S.Half) @ cols.T)
    loss = symml.sum(symml.hadamard(G, symml.hadamard(normalised, rows @ gamma.T) + rows @ beta.T))
    X0 = RNG.normal(size=(3, 5))
    X0[0] = 2.0  # a constant row: its variance is 0 and ε carries it
    values = {"X": X0, "G": RNG.normal(size=(3, 5)), "gamma": RNG.normal(size=(5, 1)), "beta": RNG.normal(size=(5, 1)),
              "epsilon": 1e-3}

    def f(X, G, gamma, beta, epsilon):
        c = X - X.mean(1, keepdims=True)
        return (G * (c / np.sqrt((c**2).mean(1, keepdims=True) + epsilon) * gamma.T + beta.T)).sum()

    for unknown in (X, gamma, beta):
        found = symml.derive.gradient(loss, unknown).numpy()(**values)
        assert found == pytest.approx(central_gradient(_along(f, values, unknown.name), values[unknown.name]),
                                      rel=1e-5, abs=1e-6), unknown.name


def test_attention_gradients_in_the_queries_and_values_at_numeric_sizes_and_large_scores():
    # softmax(QKᵀ/√k)V: ∂/∂V = Aᵀ G; ∂/∂Q through the row softmax (robotchinwag.com, "Deriving the gradient" series)
    Q, K, V, G = (symml.matrix(s, 4, 3) for s in "QKVG")
    loss = symml.sum(symml.hadamard(G, symml.softmax(Q @ K.T / sp.sqrt(3), axis=1) @ V))
    values = {s: RNG.normal(size=(4, 3)) for s in "QKVG"}

    def f(Q, K, V, G):
        return (G * (softmax(Q @ K.T / np.sqrt(3), axis=1) @ V)).sum()

    for unknown in (Q, V):
        gradient = symml.derive.gradient(loss, unknown).numpy()
        assert gradient(**values) == pytest.approx(central_gradient(_along(f, values, unknown.name), values[unknown.name]),
                                                   abs=1e-7)
        assert np.all(np.isfinite(gradient(**{**values, "Q": 1e3 * values["Q"]})))


# --- classification, contrastive and preference losses -----------------------------------------------------------------
def test_softmax_cross_entropy_gradient_and_fisher_hessian_in_the_logits():
    # ∇ = softmax(z) − y; the Hessian diag(p) − ppᵀ is the Fisher information of a categorical in its logits
    # (https://alexxthiery.github.io/notes_DRAFT/natural_grad/natur_grad.html), checked against E[ssᵀ] by Monte Carlo
    z, y = symml.vector("z", k), symml.vector("y", k)
    loss = symml.logsumexp(z) - y.T @ z
    z0, y0 = RNG.normal(size=(4, 1)), np.eye(4)[:, [2]]
    p = softmax(z0, axis=0)
    huge = np.array([[1000.0], [-1000.0], [0.0], [999.0]])
    gradient = symml.derive.gradient(loss, z).numpy()
    assert gradient(z=huge, y=y0) == pytest.approx(softmax(huge, axis=0) - y0)
    Y = np.eye(4)[np.random.default_rng(6).choice(4, size=200_000, p=p.ravel())]
    score = Y - p.T
    assert symml.derive.hessian(loss, z).numpy()(z=z0, y=y0) == pytest.approx(score.T @ score / len(Y), abs=3e-3)


def test_label_smoothing_and_distillation_gradients_szegedy_2016_hinton_2015():
    z, y, p = symml.vector("z", k), symml.vector("y", k), symml.vector("p", k)
    eps, T = sp.Symbol("epsilon", positive=True), sp.Symbol("T", positive=True)
    smoothed = symml.logsumexp(z) - ((1 - eps) * y + eps / k * sp.OneMatrix(k, 1)).T @ z   # Inception v3, sec. 7
    z0, y0 = RNG.normal(size=(4, 1)), np.eye(4)[:, [2]]
    assert symml.derive.gradient(smoothed, z).numpy()(z=z0, y=y0, epsilon=0.1) == pytest.approx(
        softmax(z0, axis=0) - (0.9 * y0 + 0.1 / 4))
    distilled = -T**2 * p.T @ symml.log(symml.softmax(z / T))   # Hinton, Vinyals & Dean 2015, sec. 2.1: T(q − p)
    p0 = softmax(RNG.normal(size=(4, 1)), axis=0)
    gradient = symml.derive.gradient(distilled, z).numpy()
    assert gradient(z=z0, p=p0, T=2.0) == pytest.approx(2.0 * (softmax(z0 / 2.0, axis=0) - p0))
    assert np.all(np.isfinite(gradient(z=1e3 * z0, p=p0, T=0.01)))


def test_infonce_gradients_in_the_anchor_and_in_both_batch_embeddings():
    # https://arxiv.org/html/2501.17683v1 : −log(exp(s₊/τ)/Σⱼ exp(sⱼ/τ)); the CLIP-style batch loss over UVᵀ/τ
    V, u, y = symml.matrix("V", k, d), symml.vector("u", d), symml.vector("y", k)
    tau = sp.Symbol("tau", positive=True)
    anchor = symml.derive.gradient(symml.logsumexp(V @ u / tau) - y.T @ V @ u / tau, u).numpy()
    V0, u0, y0 = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 1)), np.eye(6)[:, [0]]
    assert anchor(V=V0, u=u0, y=y0, tau=0.1) == pytest.approx(V0.T @ (softmax(V0 @ u0 / 0.1, axis=0) - y0) / 0.1)
    assert np.all(np.isfinite(anchor(V=V0, u=u0, y=y0, tau=1e-4)))
    U, W = symml.matrix("U", n, d), symml.matrix("W", n, d)
    S = U @ W.T / tau
    batch = symml.sum(symml.logsumexp(S, axis=1)) - symml.trace(S)
    values = {"U": RNG.normal(size=(4, 3)), "W": RNG.normal(size=(4, 3)), "tau": 0.5}

    def f(U, W, tau):
        return logsumexp(U @ W.T / tau, axis=1).sum() - np.trace(U @ W.T) / tau

    for unknown in (U, W):
        assert symml.derive.gradient(batch, unknown).numpy()(**values) == pytest.approx(
            central_gradient(_along(f, values, unknown.name), values[unknown.name]), abs=1e-7)


def test_dpo_and_bradley_terry_gradients_and_hessian_rafailov_2023():
    # https://hf1.jingyijun.com/blog/garg-aayush/derive-dpo-loss : −log σ(β(log-ratio_w − log-ratio_l))
    a, b, r_w, r_l = (symml.vector(s, n) for s in ("a_w", "a_l", "r_w", "r_l"))
    beta = sp.Symbol("beta", positive=True)
    dpo = symml.derive.gradient(symml.sum(symml.softplus(-beta * (a - r_w - b + r_l))) / n, a).numpy()
    values = {s: RNG.normal(size=(5, 1)) for s in ("a_w", "a_l", "r_w", "r_l")}
    margin = 0.1 * (values["a_w"] - values["r_w"] - values["a_l"] + values["r_l"])
    assert dpo(**values, beta=0.1) == pytest.approx(-0.1 * expit(-margin) / 5)
    assert np.all(np.isfinite(dpo(**{**values, "a_w": 1e5 * values["a_w"]}, beta=0.1)))
    # the reward model of https://timganiev.com/log/dpo : Σ softplus(−(X_w − X_l)θ)
    Xw, Xl, theta = symml.matrix("X_w", n, d), symml.matrix("X_l", n, d), symml.vector("theta", d)
    loss = symml.sum(symml.softplus(-(Xw @ theta - Xl @ theta)))
    A, B, t0 = RNG.normal(size=(6, 3)), RNG.normal(size=(6, 3)), RNG.normal(size=(3, 1))
    s = expit((A - B) @ t0).ravel()
    assert symml.derive.gradient(loss, theta).numpy()(X_w=A, X_l=B, theta=t0) == pytest.approx(
        -(A - B).T @ (1 - s)[:, None])
    assert symml.derive.hessian(loss, theta).numpy()(X_w=A, X_l=B, theta=t0) == pytest.approx(
        (A - B).T @ np.diag(s * (1 - s)) @ (A - B))


def test_bradley_terry_strengths_give_the_log_odds_and_the_shift_family():
    # https://fireant.github.io/ml/principles/2026/02/11/dpo.html : a wins of 1 over 2, b of 2 over 1
    t1, t2, t = sp.symbols("theta1 theta2 theta", real=True)
    a, b = sp.symbols("a b", positive=True)
    pinned = symml.derive.maximize(a * sp.log(1 / (1 + sp.exp(-t))) + b * sp.log(1 / (1 + sp.exp(t))), t)
    found = pinned.numpy()(a=7.0, b=3.0)
    found = found["theta"] if isinstance(found, dict) else found
    best = minimize(lambda v: 7 * np.logaddexp(0, -v[0]) + 3 * np.logaddexp(0, v[0]), [0.0]).x[0]
    assert float(np.ravel(found)[0]) == pytest.approx(best, rel=1e-5)
    both = symml.derive.maximize(a * sp.log(1 / (1 + sp.exp(-(t1 - t2)))) + b * sp.log(1 / (1 + sp.exp(t1 - t2))), [t1, t2])
    assert sp.simplify(both.result[t1] - t2 - sp.log(a / b)) == 0   # only the difference is identified


# --- EM, factor analysis, PPCA ------------------------------------------------------------------------------------------
def test_gmm_m_step_mean_covariance_and_weights_cs229_em():
    # https://wjchen.net/post/en/gmm-em-en.html and CS229's EM notes: responsibility-weighted mean and covariance,
    # weights N_k/N from a multiplier
    X, r, mu = symml.matrix("X", n, d), symml.vector("r", n), symml.vector("mu", d)
    Lam, Sigma = symml.matrix("Lambda", d, d, symmetric=True), symml.matrix("Sigma", d, d, symmetric=True)
    R = X - sp.OneMatrix(n, 1) @ mu.T
    N_k = sp.Symbol("N_k", positive=True)
    X0, r0 = RNG.normal(size=(7, 2)), RNG.uniform(size=(7, 1))
    mean = symml.derive.stationary_point(-symml.trace(symml.diag(r) @ R @ Lam @ R.T) / 2, mu)
    m0 = X0.T @ r0 / r0.sum()
    assert np.ravel(mean.numpy()(X=X0, r=r0, Lambda=np.eye(2) + 0.5)) == pytest.approx(m0.ravel())
    covariance = symml.derive.stationary_point(
        -N_k / 2 * symml.logdet(Sigma) - symml.trace(symml.inv(Sigma) @ R.T @ symml.diag(r) @ R) / 2, Sigma)
    assert covariance.numpy()(X=X0, r=r0, mu=m0, N_k=r0.sum()) == pytest.approx(
        np.cov(X0.T, aweights=r0.ravel(), bias=True))
    pis, counts = sp.symbols("pi1:4", positive=True), sp.symbols("N1:4", positive=True)
    weights = symml.derive.maximize(sum(c * sp.log(q) for c, q in zip(counts, pis)), list(pis),
                                    subject_to=[symml.Eq(sum(pis), 1)]).numpy()(N1=3.0, N2=5.5, N3=1.5)
    assert [weights[f"pi{i}"] for i in (1, 2, 3)] == pytest.approx(np.array([3.0, 5.5, 1.5]) / 10)


def test_factor_analysis_loadings_m_step_and_ppca_gradient_bishop_12_44():
    # https://docslib.org/doc/12208940/probabilistic-principal-component-analysis (Tipping & Bishop 1999) and
    # PRML 12.44: ∂/∂W of −N/2(log|C| + tr(C⁻¹S)), C = WWᵀ + σ²I, is N(C⁻¹SC⁻¹W − C⁻¹W)
    q = symml.dims("q")
    W, Sxz, Szz = symml.matrix("W", d, q), symml.matrix("S_xz", d, q), symml.matrix("S_zz", q, q, symmetric=True)
    Psi_inv = symml.matrix("Psi_inv", d, d, symmetric=True)
    m_step = symml.derive.stationary_point(symml.trace(Psi_inv @ W @ Szz @ W.T) / 2 - symml.trace(Psi_inv @ Sxz @ W.T), W)
    A, B = RNG.normal(size=(4, 2)), RNG.normal(size=(2, 2))
    assert m_step.numpy()(S_xz=A, S_zz=B @ B.T + np.eye(2), Psi_inv=np.diag([1.0, 2, 0.5, 1])) == pytest.approx(
        A @ np.linalg.inv(B @ B.T + np.eye(2)))
    S, s2, N = symml.matrix("S", d, d, symmetric=True), sp.Symbol("sigma2", positive=True), sp.Symbol("N", positive=True)
    C = W @ W.T + s2 * sp.Identity(d)
    ll = -N / 2 * (symml.logdet(C) + symml.trace(symml.inv(C) @ S))
    W0, B = RNG.normal(size=(4, 2)), RNG.normal(size=(4, 4))
    Ci = np.linalg.inv(W0 @ W0.T + 0.3 * np.eye(4))
    assert symml.derive.gradient(ll, W).numpy()(W=W0, S=B @ B.T, sigma2=0.3, N=10.0) == pytest.approx(
        10 * (Ci @ B @ B.T @ Ci @ W0 - Ci @ W0))


# --- Fisher information, weight decay, flows, Adam, Gumbel ----------------------------------------------------------
def test_fisher_information_of_a_gaussian_in_mean_and_variance_raiko_2007():
    # https://users.ics.aalto.fi/praiko/papers/iconip/node5.html : diag(1/v, 1/(2v²)), against E[score scoreᵀ]
    mu, v = sp.Symbol("mu", real=True), sp.Symbol("v", positive=True)
    F = symml.derive.fisher_information(st.Normal("X", mu, sp.sqrt(v)), wrt=[mu, v]).numpy()(mu=0.2, v=2.5)
    z = np.random.default_rng(7).normal(0.2, np.sqrt(2.5), 400_000)
    score = np.stack([(z - 0.2) / 2.5, -0.5 / 2.5 + (z - 0.2) ** 2 / (2 * 2.5**2)])
    assert np.asarray(F) == pytest.approx(score @ score.T / z.size, rel=3e-2, abs=3e-3)


def test_weight_decay_is_the_map_under_a_gaussian_prior_prml_3_28():
    from symml.gaussian import Gaussian

    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    found = symml.derive.map(Gaussian(y, X @ w, beta), prior=Gaussian(w, 0, alpha), wrt=w).numpy()
    X0, y0 = RNG.normal(size=(8, 3)), RNG.normal(size=(8, 1))
    best = minimize(lambda v: 2.5 * np.sum((y0.ravel() - X0 @ v) ** 2) + np.sum(v**2), np.zeros(3)).x
    result = found(X=X0, y=y0, alpha=2.0, beta=5.0)
    assert np.ravel(result["w"] if isinstance(result, dict) else result) == pytest.approx(best, rel=1e-5)


def test_planar_flow_jacobian_obeys_the_matrix_determinant_lemma_rezende_mohamed_2015():
    # https://howistudyai.com/concepts/25d1d827-5215-4aec-84cc-c551c3066f4d : f(z) = z + u tanh(wᵀz + b),
    # det ∂f/∂z = 1 + uᵀψ(z), ψ = (1 − tanh²)w
    z, u, w = symml.vector("z", d), symml.vector("u", d), symml.vector("w", d)
    b = sp.Symbol("b", real=True)
    J = symml.derive.jacobian(z + u * symml.tanh(w.T @ z + b * sp.Identity(1)), z).numpy()
    z0, u0, w0 = (RNG.normal(size=(3, 1)) for _ in range(3))
    found = np.asarray(J(z=z0, u=u0, w=w0, b=0.4))
    assert found == pytest.approx(central_jacobian(lambda v: v + u0 * np.tanh((w0.T @ v).item() + 0.4), z0), abs=1e-8)
    psi = (1 - np.tanh((w0.T @ z0).item() + 0.4) ** 2) * w0
    assert np.linalg.det(found) == pytest.approx(1 + (u0.T @ psi).item())


def test_affine_coupling_jacobian_is_diagonal_and_its_log_det_gradient_realnvp():
    # https://liqiangding.com/blogs/202210_nf/nf1.html : y₂ = x₂ ⊙ exp(s(x₁)) + t(x₁), log det = Σ s(x₁), s = tanh(Wx₁)
    x1, x2, W, V = symml.vector("x1", d), symml.vector("x2", d), symml.matrix("W", d, d), symml.matrix("V", d, d)
    y2 = symml.hadamard(x2, symml.exp(symml.tanh(W @ x1))) + V @ x1
    x10, x20, W0, V0 = RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 3)), RNG.normal(size=(3, 3))
    assert symml.derive.jacobian(y2, x2).numpy()(x1=x10, x2=x20, W=W0, V=V0) == pytest.approx(
        np.diagflat(np.exp(np.tanh(W0 @ x10))))
    assert symml.derive.jacobian(y2, x1).numpy()(x1=x10, x2=x20, W=W0, V=V0) == pytest.approx(
        central_jacobian(lambda a: x20 * np.exp(np.tanh(W0 @ a)) + V0 @ a, x10), abs=1e-8)
    assert symml.derive.gradient(symml.sum(symml.tanh(W @ x1)), W).numpy()(x1=x10, W=W0) == pytest.approx(
        central_gradient(lambda M: np.tanh(M @ x10).sum(), W0), abs=1e-8)


def test_adam_first_moment_over_a_symbolic_number_of_steps_is_one_minus_beta_to_the_t():
    # https://nadavb.com/Adam-Optimizer-Bias-Correction/ : E[m_t] = (1 − β₁ᵗ) E[g] under stationarity
    b1, mu = sp.Symbol("beta1", positive=True), sp.Symbol("mu", real=True)
    t, i = sp.Symbol("t", integer=True, positive=True), sp.Symbol("i", integer=True)
    g = st.Normal("g", mu, 1)
    found = symml.derive.expectation(g, (1 - b1) * sp.Sum(b1 ** (t - i), (i, 1, t)) * g).numpy()
    simulated = 0.0
    for _ in range(5):
        simulated = 0.9 * simulated + 0.1 * np.random.default_rng(8 + _).normal(2.0, 1.0, 200_000)
    assert found(beta1=0.9, mu=2.0, t=5) == pytest.approx(simulated.mean(), rel=1e-2)


def test_gumbel_max_probability_is_the_softmax_lips_princeton_2013():
    # https://lips.cs.princeton.edu/the-gumbel-max-trick-for-discrete-distributions/ : P(G₁ + a₁ > G₂ + a₂) =
    # E[F(G₁ + a₁ − a₂)] = e^{a₁}/(e^{a₁} + e^{a₂}); SymPy's Gumbel takes (scale, location)
    a1, a2 = sp.symbols("a1 a2", real=True)
    G1 = st.Gumbel("G1", 1, a1)
    found = symml.derive.expectation(G1, sp.exp(-sp.exp(-(G1 - a2))))
    draws = np.random.default_rng(9).gumbel(size=(2, 400_000))
    assert found.numpy()(a1=0.3, a2=-0.5) == pytest.approx(np.mean(draws[0] + 0.3 > draws[1] - 0.5), abs=4e-3)
    assert found.numpy()(a1=-700.0, a2=700.0) == pytest.approx(0.0, abs=1e-300)
