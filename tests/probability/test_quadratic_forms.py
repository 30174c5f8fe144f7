"""Moments of Bx and xᵀAx at matrix level, against Monte Carlo with Gaussian draws for d = 2, 5, 20."""
import numpy as np
import pytest

import symml
from symml.testing import random_spd


@pytest.fixture(scope="module")
def forms():
    return symml.derive.quadratic_form()


@pytest.mark.parametrize("dimension", [2, 5, 20])
def test_mean_and_variance_of_a_gaussian_quadratic_form_match_monte_carlo(forms, dimension):
    rng = np.random.default_rng(dimension)
    A = rng.normal(size=(dimension, dimension))
    A, S, m = A + A.T, random_spd(rng, dimension), rng.normal(size=dimension)
    draws = 100_000
    x = rng.multivariate_normal(m, S, size=draws)
    q = np.einsum("ni,ij,nj->n", x, A, x)
    f = forms.numpy()
    assert f["mean"](A=A, mu=m, Sigma=S) == pytest.approx(q.mean(), abs=5 * q.std() / np.sqrt(draws))
    # the sample variance's relative error is about sqrt((kurtosis - 1)/N): a few percent at most here
    assert f["variance"](A=A, mu=m, Sigma=S) == pytest.approx(q.var(), rel=0.05)


def test_linear_form_mean_and_covariance_match_monte_carlo(forms):
    rng = np.random.default_rng(3)
    B, S, m = rng.normal(size=(3, 4)), random_spd(rng, 4), rng.normal(size=4)
    y = rng.multivariate_normal(m, S, size=100_000) @ B.T
    f = forms.numpy()
    assert np.ravel(f["linear mean"](B=B, mu=m)) == pytest.approx(y.mean(axis=0), abs=0.05)
    assert np.asarray(f["linear covariance"](B=B, Sigma=S)) == pytest.approx(np.cov(y.T), rel=0.03, abs=0.05)


def test_the_cumulant_route_gives_the_trace_mean_again(forms):
    cumulants = forms.steps[-1].lines[0].rhs
    rng = np.random.default_rng(4)
    A = rng.normal(size=(3, 3))
    A, S, m = A + A.T, random_spd(rng, 3), rng.normal(size=3)
    from symml.matrix_calculus.numpy_export import numpy_function

    again = numpy_function(cumulants, [s for s in forms.problem.inputs if cumulants.has(s)])
    assert again(A=A, mu=m, Sigma=S) == pytest.approx(forms.numpy()["mean"](A=A, mu=m, Sigma=S), rel=1e-12)


def test_quadratic_form_verifies(forms):
    assert forms.verify(), str(forms.verify())
