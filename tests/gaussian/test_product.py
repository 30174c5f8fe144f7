"""The product of two Gaussian densities, N(x | a, A⁻¹) N(x | b, B⁻¹) = Z N(x | c, C), against numpy at d = 2, 5, 20.

Oracles: c by scipy.optimize of the log product (scipy.stats densities); Z as the density of a under
N(b, A⁻¹ + B⁻¹) (Rasmussen & Williams A.7), evaluated by scipy.stats."""
from functools import cache

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

import symml
from symml.gaussian import Gaussian, derive_gaussian_product
from symml.testing import random_spd

d = symml.dims("d")
x, a, b = symml.vector("x", d), symml.vector("a", d), symml.vector("b", d)
A, B = symml.matrix("A", d, d, symmetric=True), symml.matrix("B", d, d, symmetric=True)


@cache
def product():
    return derive_gaussian_product(Gaussian(x, a, A), Gaussian(x, b, B))


@pytest.mark.parametrize("dim", [2, 5, 20])
def test_product_mean_normaliser_and_precision_against_scipy(dim):
    rng = np.random.default_rng(dim)
    v = dict(a=rng.normal(size=dim), b=rng.normal(size=dim), A=random_spd(rng, dim), B=random_spd(rng, dim))
    p = multivariate_normal(v["a"], np.linalg.inv(v["A"]))
    q = multivariate_normal(v["b"], np.linalg.inv(v["B"]))
    out = product().numpy()(**v)
    best = minimize(lambda z: -(p.logpdf(z) + q.logpdf(z)), np.zeros(dim), method="BFGS", options={"gtol": 1e-9})
    np.testing.assert_allclose(out["mean"], best.x, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.linalg.inv(out["covariance"]), v["A"] + v["B"], rtol=1e-8)
    oracle = multivariate_normal(v["b"], np.linalg.inv(v["A"]) + np.linalg.inv(v["B"])).logpdf(v["a"])
    assert out["log_normaliser"] == pytest.approx(oracle, rel=1e-9)


def test_product_verifies_by_quadrature():
    assert product().verify()


def test_densities_over_different_vectors_are_a_model_error():
    with pytest.raises(symml.ModelError, match="same vector"):
        derive_gaussian_product(Gaussian(x, a, A), Gaussian(symml.vector("z", d), b, B))
