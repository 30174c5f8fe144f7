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
