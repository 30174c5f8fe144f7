"""The Student-t is recognised by name, as a location-scale family matched like any other: the marginal posterior of
a Normal-Inverse-Gamma's mean and its posterior predictive come out as l + s T, T ~ StudentT(nu), and their
(nu, l, s) give scipy.stats.t the same log-density as numpy() (itself checked by quadrature in
test_joint_posteriors.py), and the textbook parameters (Murphy 2007, eqs. 90 and 100) as an oracle."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy import optimize

from symml.bayes import derive_marginal, derive_posterior_predictive, derive_posterior_summary
from symml.bayes.location_scale import match_location_scale
from symml.bayes.numeric import named_values, statistic_values
from symml.mle.numeric import SampleFunction
from tests.bayes.test_joint_posteriors import mu, normal_inverse_gamma

SETTINGS = settings(max_examples=8, deadline=None)
NAMES = ("m_0", "kappa_0", "a", "b")


@functools.lru_cache(maxsize=None)
def marginal():
    return derive_marginal(normal_inverse_gamma(True), mu)


@functools.lru_cache(maxsize=None)
def summary():
    return derive_posterior_summary(marginal())


@functools.lru_cache(maxsize=None)
def predictive():
    return derive_posterior_predictive(normal_inverse_gamma(True))


def student_t_of(problem, data, **given):
    """(nu, location, scale) of a recognised Student-t, evaluated at the data and the hyperparameters."""
    exprs = problem.hyperparameters
    needed = set().union(*(e.free_symbols for e in exprs)) - {problem.sample_size} - {
        s.symbol for s in problem.statistics}
    values = statistic_values(problem.statistics, problem.observation, problem.sample_size, data,
                              named_values(needed, given, "the Student-t"))
    return [float(SampleFunction.of(e)(values)) for e in exprs]


def textbook(data, m0_, k_, a_, b_):
    n, k_n, a_n = data.size, k_ + data.size, a_ + data.size / 2
    b_n = b_ + ((data - data.mean()) ** 2).sum() / 2 + k_ * n * (data.mean() - m0_) ** 2 / (2 * k_n)
    return 2 * a_n, (k_ * m0_ + data.sum()) / k_n, b_n, a_n, k_n


hyper = (hs.lists(hs.floats(-2.0, 2.0), min_size=1, max_size=8), hs.floats(-1, 1), hs.floats(0.5, 3.0),
         hs.floats(1.0, 4.0), hs.floats(0.5, 3.0))


def test_the_marginal_of_the_mean_is_a_student_t():
    assert marginal().problem.family == "StudentT"
    assert marginal().problem.distribution.has(st.StudentT("Theta", marginal().problem.hyperparameters[0]))


def test_the_predictive_is_a_student_t():
    assert predictive().problem.family == "StudentT"


@SETTINGS
@given(*hyper)
def test_the_marginal_student_t_is_scipys_t_with_the_textbook_parameters(sample, m0_, k_, a_, b_):
    data = np.array(sample)
    nu, location, scale = student_t_of(marginal().problem, data, **dict(zip(NAMES, (m0_, k_, a_, b_))))
    dof, centre, b_n, a_n, k_n = textbook(data, m0_, k_, a_, b_)
    np.testing.assert_allclose([nu, location, scale], [dof, centre, np.sqrt(b_n / (a_n * k_n))], rtol=1e-10)
    points = centre + np.array([-1.5, 0.0, 0.8])
    np.testing.assert_allclose(marginal().numpy()(mu=points, x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_),
                               ss.t.logpdf(points, nu, loc=location, scale=scale), rtol=1e-9, atol=1e-9)


@SETTINGS
@given(*hyper)
def test_the_predictive_student_t_is_scipys_t_with_the_textbook_parameters(sample, m0_, k_, a_, b_):
    data = np.array(sample)
    nu, location, scale = student_t_of(predictive().problem, data, **dict(zip(NAMES, (m0_, k_, a_, b_))))
    dof, centre, b_n, a_n, k_n = textbook(data, m0_, k_, a_, b_)
    np.testing.assert_allclose([nu, location, scale], [dof, centre, np.sqrt(b_n * (k_n + 1) / (a_n * k_n))],
                               rtol=1e-10)
    new = centre + np.array([-2.0, 0.3, 1.1])
    np.testing.assert_allclose(predictive().numpy()(x_new=new, x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_),
                               ss.t.logpdf(new, nu, loc=location, scale=scale), rtol=1e-9, atol=1e-9)


def test_any_power_of_a_quadratic_is_a_location_scale_student_t():
    theta, c = sp.Symbol("theta", real=True), sp.Symbol("c", positive=True)
    match = match_location_scale(-(c + 1) / 2 * sp.log(3 * theta**2 - 6 * theta + 7), theta, sp.S.Reals, "StudentT")
    nu, location, scale = match.hyperparameters
    assert (nu, location) == (c, 1)
    # 3 (theta - 1)^2 + 4 is proportional to 1 + (theta - 1)^2 / (c s^2): s^2 = 4 / (3 c)
    assert sp.simplify(scale**2 - sp.Rational(4, 3) / c) == 0


def test_a_normal_kernel_is_not_taken_for_a_student_t():
    theta = sp.Symbol("theta", real=True)
    assert match_location_scale(-theta**2 / 2 + theta, theta, sp.S.Reals, "StudentT") is None


def test_a_kernel_on_the_half_line_is_not_a_student_t():
    theta = sp.Symbol("theta", positive=True)
    assert match_location_scale(-3 * sp.log(theta**2 + 1), theta, sp.Interval.open(0, sp.oo), "StudentT") is None



def test_the_summaries_of_the_student_t_marginal_are_scipys_t_moments_and_quantiles():
    data, given = np.array([-0.5, 0.2, 1.0, 0.4]), dict(m_0=0.3, kappa_0=1.5, a=2.0, b=1.2)
    nu, location, scale = student_t_of(marginal().problem, data, **given)
    got = summary().numpy()(x=data, **given)
    law = ss.t(nu, loc=location, scale=scale)
    np.testing.assert_allclose([got["mean"], got["variance"], got["lower"], got["upper"]],
                               [law.mean(), law.var(), law.ppf(0.025), law.ppf(0.975)], rtol=1e-7)


def test_the_mode_of_the_student_t_marginal_is_its_location_in_closed_form():
    # the mode of l + s T is l + s·mode(T), found by the core on T's own density (BDA 3.2: the posterior mean
    # (κ₀m₀ + n x̄)/(κ₀ + n)); oracle: bounded Brent on scipy's t log-density
    data, given = np.array([-0.5, 0.2, 1.0, 0.4]), dict(m_0=0.3, kappa_0=1.5, a=2.0, b=1.2)
    nu, location, scale = student_t_of(marginal().problem, data, **given)
    law = ss.t(nu, loc=location, scale=scale)
    best = optimize.minimize_scalar(lambda t: -law.logpdf(t), bounds=(location - 5 * scale, location + 5 * scale),
                                    method="bounded", options={"xatol": 1e-10}).x
    assert "mode" in summary().result
    assert summary().numpy()(x=data, **given)["mode"] == pytest.approx(best, abs=1e-8)
