"""Gaussian algebra with numeric sizes, as users write small models (a scalar block is 1 x 1): verify() draws at the
model's own sizes, and 1 x 1 results are one cancelled fraction.

Oracles: the joint covariance inverted by numpy.linalg and read off by blocks; scipy.integrate.quad for the
normaliser of a product of two scalar densities.
"""
import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad
from scipy.stats import norm

import symml
from symml.gaussian import Gaussian, JointGaussian, LinearGaussian, derive_gaussian_product
from symml.testing import random_spd


def _divides_by_a_block(expr) -> bool:
    return any(p.exp.is_negative for p in expr.atoms(sp.Pow) if not isinstance(p.base, sp.MatrixExpr))


def test_scalar_block_conditioned_on_a_pair_prml_2_81():
    # PRML 2.81-2.82 with x_a scalar (1 x 1) and x_b in R²: μ_a + Σ_abΣ_bb⁻¹(x_b − μ_b), Σ_aa − Σ_abΣ_bb⁻¹Σ_ba
    joint = JointGaussian.blocks(1, 2)
    derivation = symml.derive.conditional(joint, given=joint.x_b)
    mean, covariance = derivation.result
    assert not _divides_by_a_block(mean)  # the 1 x 1 Schur complement cancelled, not left above and below
    rng = np.random.default_rng(7)
    m, S, x_b = rng.normal(size=3), random_spd(rng, 3), rng.normal(size=2)
    found = derivation.numpy()(mu_a=m[:1], mu_b=m[1:], Sigma_aa=S[:1, :1], Sigma_ab=S[:1, 1:], Sigma_bb=S[1:, 1:],
                               x_b=x_b)
    P = np.linalg.inv(S)
    assert np.ravel(found["mean"]) == pytest.approx(m[:1] - P[0, 1:] @ (x_b - m[1:]) / P[0, 0], rel=1e-10)
    assert np.ravel(found["covariance"]) == pytest.approx([1 / P[0, 0]], rel=1e-10)
    assert derivation.verify()


def test_linear_gaussian_posterior_verifies_at_its_own_sizes_prml_2_116():
    # PRML 2.116-2.117 with x in R² and y in R³: verify() drew (3, 4) blocks before and raised ShapeError
    model = LinearGaussian.blocks(2, 3)
    assert symml.derive.conditional(model, given=model.y).verify()


def test_product_of_two_scalar_gaussians_mml_6_5():
    # MML (6.5.? exercise 6.8): N(x | a, 1/A) N(x | b, 1/B) = Z N(x | (aA + bB)/(A + B), 1/(A + B))
    x, a, b = symml.vector("x", 1), symml.vector("a", 1), symml.vector("b", 1)
    A, B = symml.matrix("A", 1, 1, symmetric=True), symml.matrix("B", 1, 1, symmetric=True)
    derivation = derive_gaussian_product(Gaussian(x, a, A), Gaussian(x, b, B))
    found = derivation.numpy()(a=[0.3], b=[-1.2], A=[[2.0]], B=[[0.5]])
    density = lambda t: norm.pdf(t, 0.3, 2.0**-0.5) * norm.pdf(t, -1.2, 0.5**-0.5)  # noqa: E731
    Z = quad(density, -30, 30, epsabs=0, epsrel=1e-12)[0]
    assert float(np.ravel(found["log_normaliser"])[0]) == pytest.approx(np.log(Z), rel=1e-9)
    assert float(np.ravel(found["mean"])[0]) == pytest.approx(quad(lambda t: t * density(t), -30, 30)[0] / Z)
    assert derivation.verify()


def test_type_two_maximum_likelihood_at_numeric_sizes_prml_3_92():
    # PRML 3.92 and 3.95 with Φ ∈ R^{12×2}: verify() (Nelder-Mead on the log evidence computed by scipy.stats)
    # drew Φ of 40 x 4 before and raised ShapeError
    Phi, t, w = symml.matrix("Phi", 12, 2), symml.vector("t", 12), symml.vector("w", 2)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    posterior = symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
    assert symml.derive.evidence_maximization(posterior, [alpha, beta]).verify()
