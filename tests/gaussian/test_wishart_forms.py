"""A Wishart prior on the precision of Gaussian rows from sympy.stats (Wishart prior; the rows' MultivariateNormal
built without SymPy's argument check, which refuses the covariance Λ⁻¹) and from the user's log-densities over
matrices: the posterior is recognised as Wishart by matching gradients, and its numpy() log-density equals
scipy.stats.wishart.logpdf of the textbook update (ν + n, (W⁻¹ + Σᵢ(xᵢ − μ)(xᵢ − μ)ᵀ)⁻¹), hypothesis over d ∈ {2, 3}."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy.stats import wishart
from sympy.stats.joint_rv import JointPSpace
from sympy.stats.joint_rv_types import MultivariateNormalDistribution

import symml
from symml.testing import random_spd

N, d = symml.dims("N d")
X, mu, L = symml.matrix("X", N, d), symml.vector("mu", d), symml.matrix("Lambda", d, d)
W, nu = symml.matrix("W", d, d, symmetric=True), sp.Symbol("nu", positive=True)
FORMS = ["sympy.stats", "log-density"]
residual = X - sp.OneMatrix(N, 1) * mu.T


def log_density_models(prior_logpdf=None):
    likelihood = symml.Model(logpdf=N / 2 * sp.log(sp.det(L)) - sp.trace(residual * L * residual.T) / 2, data=X)
    prior = symml.Model(logpdf=prior_logpdf if prior_logpdf is not None else
                        (nu - d - 1) / 2 * sp.log(sp.det(L)) - sp.trace(W**-1 * L) / 2, data=L)
    return likelihood, prior


@functools.cache
def posterior(form: str):
    if form == "sympy.stats":
        rows = JointPSpace("X", MultivariateNormalDistribution(mu, L.inv())).value
        return symml.derive.posterior(rows, st.Wishart("L", nu, W), L)
    return symml.derive.posterior(*log_density_models(), L)


@settings(max_examples=10, deadline=None)
@given(hs.integers(0, 10**6), hs.sampled_from([2, 3]), hs.integers(2, 15), hs.floats(0.0, 4.0),
       hs.sampled_from(FORMS))
def test_the_posterior_is_the_textbook_wishart_update(seed, dim, rows, extra_dof, form):
    rng = np.random.default_rng(seed)
    data, mean, scale, dof = rng.normal(size=(rows, dim)), rng.normal(size=dim), random_spd(rng, dim), dim - 1 + extra_dof + 0.1
    scatter = (data - mean).T @ (data - mean)
    textbook = wishart(df=dof + rows, scale=np.linalg.inv(np.linalg.inv(scale) + scatter))
    points = np.array([random_spd(rng, dim) for _ in range(3)])
    got = posterior(form).numpy()(Lambda=points, X=data, mu=mean, W=scale, nu=dof)
    np.testing.assert_allclose(got, [textbook.logpdf(P) for P in points], rtol=1e-9, atol=1e-9)


def test_the_log_density_forms_are_read_by_matching_and_say_so():
    titles = [step.title for step in posterior("log-density").steps]
    assert titles[:2] == ["Read the likelihood as Gaussian rows", "Read the prior as a Wishart"]
    assert "Match the Wishart kernel" in titles


def test_a_prior_term_no_wishart_kernel_has_is_named():
    with pytest.raises(symml.ModelError, match="no Wishart kernel"):
        symml.derive.posterior(*log_density_models(sp.log(sp.det(L)) - sp.trace(L * L) / 2), L)


def test_rows_with_different_means_are_not_read_as_iid_gaussian_rows():
    M = symml.matrix("M", N, d)
    likelihood = symml.Model(logpdf=N / 2 * sp.log(sp.det(L)) - sp.trace((X - M) * L * (X - M).T) / 2, data=X)
    with pytest.raises(symml.ModelError, match="not read as i.i.d. Gaussian rows"):
        symml.derive.posterior(likelihood, log_density_models()[1], L)
