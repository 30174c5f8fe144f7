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

RNG = np.random.default_rng(24)
i, j = sp.Symbol("i", integer=True, positive=True), sp.Symbol("j", integer=True, positive=True)
n_ = sp.Symbol("n", integer=True, positive=True)
xi, yi = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
w_, b_ = sp.symbols("w b", real=True)


def _vec(a):
    return np.asarray(a, dtype=float).reshape(-1, order="F")


def central_jacobian(f, at, step=1e-6):
    """∂vec f/∂vec(at)ᵀ by central differences (numerator layout, vec stacks columns)."""
    at = np.asarray(at, dtype=float)
    columns = []
    for k in range(at.size):
        e = np.zeros(at.size)
        e[k] = step
        up, down = (_vec(f((_vec(at) + s * e).reshape(at.shape, order="F"))) for s in (1, -1))
        columns.append((up - down) / (2 * step))
    return np.array(columns).T


def central_gradient(f, at, step=1e-6):
    """∇f of a scalar f, of the shape of ``at``."""
    return central_jacobian(lambda v: np.atleast_1d(f(v)), at, step).reshape(np.shape(at), order="F")


# --- scalar calculus: score functions and sums over data ----------------------------------------------------------
def test_logistic_loss_over_data_keeps_each_sigmoid_inside_its_sum_cs229():
    # CS229 notes 1, logistic regression: ∂/∂w Σᵢ log(1 + exp(−yᵢ w xᵢ)) = −Σᵢ σ(−yᵢ w xᵢ) yᵢ xᵢ. The σ of an
    # indexed argument used to be factored out of the sum (σ(wxᵢyᵢ − …) Σᵢ xᵢyᵢ, with a free i)
    xs, ys = RNG.normal(size=7), np.sign(RNG.normal(size=7))
    loss = lambda v: np.sum(np.logaddexp(0, -ys * v * xs))  # noqa: E731
    for written in (sp.log(1 + sp.exp(-yi[i] * w_ * xi[i])), -sp.log(1 / (1 + sp.exp(-yi[i] * w_ * xi[i])))):
        gradient = symml.derive.gradient(sp.Sum(written, (i, 1, n_)), w_)
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
    assert jacobian.verify()


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
    assert taylor.verify()


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


def test_log_softmax_written_as_z_minus_logsumexp_times_ones_d2l_4_1():
    z = symml.vector("z", d_)
    jacobian = symml.derive.jacobian(z - symml.logsumexp(z) * sp.OneMatrix(d_, 1), z)
    z0 = RNG.normal(size=(4, 1))
    assert np.asarray(jacobian.numpy()(z=z0)) == pytest.approx(central_jacobian(lambda v: v - logsumexp(v), z0),
                                                              abs=1e-8)
