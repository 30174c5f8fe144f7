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

RNG = np.random.default_rng(2026)
n, d, k = symml.dims("n d k")


def central_jacobian(f, at, step=1e-6):
    """∂vec f/∂vec(at)ᵀ by central differences (numerator layout, vec stacks columns)."""
    at = np.asarray(at, dtype=float)
    flat = at.ravel(order="F")
    columns = []
    for index in range(at.size):
        e = np.zeros(at.size)
        e[index] = step
        up, down = (np.ravel(f((flat + s * e).reshape(at.shape, order="F")), order="F") for s in (1, -1))
        columns.append((up - down) / (2 * step))
    return np.array(columns).T


def central_gradient(f, at, step=1e-6):
    """∇f of a scalar f, of the shape of ``at``."""
    return central_jacobian(lambda v: np.atleast_1d(f(v)), at, step).reshape(np.shape(at), order="F")


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
    draws = np.random.default_rng(0).normal(size=400_000)
    monte_carlo = np.mean((0.3 + 1.7 * draws + 0.4) ** 2)
    assert found.numpy()(mu=0.3, sigma=1.7, x=-0.4) == pytest.approx(monte_carlo, rel=1e-2)
    assert found.numpy()(mu=0.3, sigma=1.7, x=-0.4) == pytest.approx(0.7 ** 2 + 1.7 ** 2, rel=1e-12)
    assert found.verify().passed
    # the reparametrised gradient of the expectation, by the calculus engine, against Monte Carlo
    gradient = symml.derive.gradient(found.result, [mu, sigma]).numpy()(mu=0.3, sigma=1.7, x=-0.4)
    pathwise = [np.mean(2 * (0.3 + 1.7 * draws + 0.4)), np.mean(2 * (0.3 + 1.7 * draws + 0.4) * draws)]
    assert np.ravel(gradient) == pytest.approx(pathwise, rel=2e-2)


def test_an_expectation_involving_a_second_random_variable_is_refused_not_halved_gumbel_max():
    # https://lips.cs.princeton.edu/the-gumbel-max-trick-for-discrete-distributions/ : P(G₁ > G₂) = e^{a₁}/(e^{a₁} + e^{a₂}).
    # Both variables were replaced by x, so E[H(G₁ − G₂)] came out as H(0) = 1/2 whatever a₁ and a₂
    a1, a2 = sp.symbols("a1 a2", real=True)
    G1, G2 = st.Gumbel("G1", a1, 1), st.Gumbel("G2", a2, 1)
    with pytest.raises(symml.ModelError, match="G2"):
        symml.derive.expectation(G1, sp.Heaviside(G1 - G2))
    draws = np.random.default_rng(1).gumbel(size=(2, 200_000))
    assert np.mean(draws[0] + 0.3 > draws[1] - 0.5) == pytest.approx(expit(0.8), abs=5e-3)  # the oracle is not 1/2


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
