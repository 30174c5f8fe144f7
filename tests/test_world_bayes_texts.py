"""Bayesian and mathematical-statistics texts against the world: Hoff (A First Course in Bayesian Statistical Methods,
ch. 3-7), Gelman et al. (Bayesian Data Analysis, 3rd ed., exercises of ch. 2-5) and Bickel & Doksum (Mathematical
Statistics vol. I), posed the way their readers type them through the public API.

Each test names its source and checks the derived result with an independent numeric method (scipy.stats,
scipy.integrate, scipy.optimize, sums over the support). The round's table is in the branch's report; the problems
that failed before have their regression test here.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate

import symml

theta = sp.Symbol("theta", positive=True)


# --- regressions: the problems that failed in the round ----------------------------------------------------------

def test_the_predictive_of_a_new_binomial_with_more_trials_is_a_beta_binomial_over_its_own_trials_hoff_3_7():
    """Hoff ex. 3.7: 2 successes in 15 trials under a uniform prior; Y₂ of 278 new trials. ``new`` was ignored for
    a scalar posterior: the predictive of one more Binomial(15, θ) draw came back (NaN at y₂ = 40). Oracle: the
    quadrature of Binomial(278, θ) pmf × the Beta(3, 14) posterior."""
    post = symml.derive.posterior(st.Binomial("Y", 15, theta), st.Beta("T", 1, 1), wrt=theta)
    predictive = symml.derive.posterior_predictive(post, new=st.Binomial("Y2", 278, theta)).numpy()
    y2 = np.array([0.0, 10.0, 40.0])
    by_quadrature = [integrate.quad(lambda t, k=k: ss.binom.pmf(k, 278, t) * ss.beta.pdf(t, 3, 14), 0, 1,
                                    epsabs=0, epsrel=1e-12)[0] for k in y2]
    assert predictive(x_new=y2, x=np.array([2.0])) == pytest.approx(np.log(by_quadrature), rel=1e-9)


def test_the_predictive_of_a_count_over_a_longer_exposure_hoff_3_2():
    """A Poisson rate θ, Gamma(2, 1) prior; the new count is over twice the exposure, Poisson(2θ). Oracle: the
    quadrature of Poisson(2θ) pmf × the Gamma(2 + Σy, 1 + n) posterior."""
    post = symml.derive.posterior(st.Poisson("Y", theta), st.Gamma("T", 2, 1), wrt=theta)
    predictive = symml.derive.posterior_predictive(post, new=st.Poisson("Z", 2 * theta)).numpy()
    y, z = np.array([1.0, 2.0, 4.0]), np.array([0.0, 3.0, 9.0])
    law = ss.gamma(2 + y.sum(), scale=1 / (1 + y.size))
    by_quadrature = [integrate.quad(lambda t, k=k: ss.poisson.pmf(k, 2 * t) * law.pdf(t), 0, np.inf)[0] for k in z]
    assert predictive(x_new=z, x=y) == pytest.approx(np.log(by_quadrature), rel=1e-9)


def test_a_new_observation_of_the_samples_own_law_is_one_more_draw():
    post = symml.derive.posterior(st.Binomial("Y", 15, theta), st.Beta("T", 1, 1), wrt=theta)
    predictive = symml.derive.posterior_predictive(post, new=st.Binomial("Y3", 15, theta))
    assert predictive.problem.new_law is None
    assert predictive.numpy()(x_new=np.array([1.0]), x=np.array([2.0])) == pytest.approx(
        ss.betabinom(15, 3, 14).logpmf([1.0]), rel=1e-10)


def test_a_new_observation_of_a_law_without_the_parameter_is_refused():
    post = symml.derive.posterior(st.Poisson("Y", theta), st.Gamma("T", 2, 1), wrt=theta)
    with pytest.raises(symml.UnsupportedOperationError, match="does not depend on the posterior's parameter"):
        symml.derive.posterior_predictive(post, new=st.Poisson("Z", 3))
