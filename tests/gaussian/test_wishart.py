"""Wishart prior on the precision of Gaussian rows with known mean (PRML 2.155): the derived posterior against
scipy.stats at d = 2, 5, 20. The oracle: log likelihood (multivariate_normal) plus log prior (wishart) at random
precisions; its differences between points must equal those of the derived posterior's wishart logpdf."""
from functools import cache

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad
from scipy.stats import multivariate_normal, wishart

import symml
from symml.gaussian import Gaussian, Wishart
from symml.testing import random_spd

N, d = symml.dims("N d")
X, mu, Lam = symml.matrix("X", N, d), symml.vector("mu", d), symml.matrix("Lambda", d, d)
W, nu = symml.matrix("W", d, d, symmetric=True), sp.Symbol("nu", positive=True)


@cache
def posterior():
    return symml.derive.posterior(Gaussian(X, mu, Lam), Wishart(Lam, W, nu), wrt=Lam)


@pytest.mark.parametrize("dim", [2, 5, 20])
def test_posterior_log_density_differs_from_likelihood_times_prior_by_a_constant(dim):
    rng = np.random.default_rng(dim)
    data, mean, scale, dof = rng.normal(size=(40, dim)), rng.normal(size=dim), random_spd(rng, dim), dim + 2.0
    out = posterior().numpy(hyperparameters=True)(X=data, mu=mean, W=scale, nu=dof)
    law = wishart(df=out["dof"], scale=out["scale"])
    points = [random_spd(rng, dim) for _ in range(3)]
    gaps = [law.logpdf(P) - multivariate_normal(mean, np.linalg.inv(P)).logpdf(data).sum()
            - wishart(df=dof, scale=scale).logpdf(P) for P in points]
    np.testing.assert_allclose(gaps, gaps[0], rtol=1e-9, atol=1e-8)
    assert out["dof"] == pytest.approx(dof + 40)
    # numpy() is that density itself, vectorised over a stack of precisions
    own = posterior().numpy()(Lambda=np.array(points), X=data, mu=mean, W=scale, nu=dof)
    np.testing.assert_allclose(own, [law.logpdf(P) for P in points], rtol=1e-10)


def test_the_numpy_log_density_integrates_to_one_at_d_1():
    rng = np.random.default_rng(1)
    logpdf = posterior().numpy()
    values = dict(X=rng.normal(size=(7, 1)), mu=np.array([0.3]), W=np.array([[0.8]]), nu=2.5)
    area, _ = quad(lambda lam: np.exp(logpdf(np.array([[lam]]), **values)), 0, np.inf, epsabs=0, epsrel=1e-11,
                   limit=200)
    assert area == pytest.approx(1.0, rel=1e-9)


def test_posterior_verifies():
    assert posterior().verify()


def test_a_prior_on_another_matrix_is_a_model_error():
    other = symml.matrix("P", d, d)
    with pytest.raises(symml.ModelError, match="precision must both be"):
        symml.derive.posterior(Gaussian(X, mu, Lam), Wishart(other, W, nu), wrt=other)


def test_a_non_square_variable_is_a_shape_error():
    with pytest.raises(symml.ShapeError, match="square"):
        Wishart(symml.matrix("B", N, d), W, nu)
