"""The joint mode of several parameters without a constraint among them (Normal-Inverse-Gamma over (mu, s2),
Normal-Gamma over (mu, tau)), in both input forms: the shared core's stationary point of the log posterior, its
existence condition, numpy() as a dict, checked against scipy.optimize.minimize of scipy.stats likelihood x prior."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs

import symml
from symml.bayes import derive_map
from tests.bayes.oracle import joint_log_posterior_mode

SETTINGS = settings(max_examples=10, deadline=None)
mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
s2, tau, r, k = sp.symbols("s2 tau r k", positive=True)
kappa, a, b = sp.symbols("kappa_0 a b", positive=True)
log = sp.log
samples = hs.lists(hs.floats(-3, 3), min_size=2, max_size=12)
hyper = hs.tuples(hs.floats(-2, 2), hs.floats(0.3, 4.0), hs.floats(0.6, 5.0), hs.floats(0.3, 4.0))


@functools.lru_cache(maxsize=None)
def mode(name: str):
    if name == "normal_inverse_gamma":  # the user log-density form (SymPy has no Normal-Inverse-Gamma)
        prior = symml.Model(-kappa * (mu - m0) ** 2 / (2 * s2) - log(s2) / 2 - (a + 1) * log(s2) - b / s2, (mu, s2))
        return derive_map(st.Normal("X", mu, sp.sqrt(s2)), prior, (mu, s2))
    if name == "normal_gamma":
        return derive_map(st.Normal("X", mu, 1 / sp.sqrt(tau)), st.NormalGamma("P", m0, kappa, a, b), (mu, tau))
    # the Normal-Gamma as the user's log-density, likelihood too
    x = sp.Symbol("x", real=True)
    likelihood = symml.Model(log(tau) / 2 - tau * (x - mu) ** 2 / 2, x)
    prior = symml.Model(log(tau) / 2 - kappa * tau * (mu - m0) ** 2 / 2 + (a - 1) * log(tau) - b * tau, (mu, tau))
    return derive_map(likelihood, prior, (mu, tau))


def _nig(x, m0_, kappa_, a_, b_):
    def log_joint(q):
        return (ss.norm.logpdf(x, q[0], np.sqrt(q[1])).sum() + ss.norm.logpdf(q[0], m0_, np.sqrt(q[1] / kappa_))
                + ss.invgamma.logpdf(q[1], a_, scale=b_))
    return log_joint


def _normal_gamma(x, m0_, kappa_, a_, b_):
    def log_joint(q):
        return (ss.norm.logpdf(x, q[0], 1 / np.sqrt(q[1])).sum()
                + ss.norm.logpdf(q[0], m0_, 1 / np.sqrt(kappa_ * q[1])) + ss.gamma.logpdf(q[1], a_, scale=1 / b_))
    return log_joint


def test_the_joint_map_is_derived_in_closed_form_with_its_existence_condition():
    derivation = mode("normal_inverse_gamma")
    assert set(derivation.result) == {mu, s2}
    titles = [s.title for s in derivation.steps]
    assert "Stationarity of the log posterior" in titles and "Where the mode exists" in titles
    assert "For every sample" in titles  # the variance's estimate is positive for every sample
    # the mean's estimate is the precision-weighted average of the prior mean and the sample mean
    xbar = next(s for s in derivation.problem.statistics if s.summand == derivation.problem.observation).symbol
    n = derivation.problem.sample_size
    assert sp.simplify(derivation.problem.estimates[mu] - (kappa * m0 + n * xbar) / (kappa + n)) == 0


@SETTINGS
@given(samples, hyper)
def test_normal_inverse_gamma_map_is_scipys_maximiser_of_the_log_posterior(x, h):
    x = np.array(x)
    got = mode("normal_inverse_gamma").numpy()(x=x, m_0=h[0], kappa_0=h[1], a=h[2], b=h[3])
    log_joint = _nig(x, *h)
    want = joint_log_posterior_mode(log_joint, (False, True))
    _close_and_no_worse(log_joint, [got["mu"], got["s2"]], want)


def _close_and_no_worse(log_joint, got, want):
    """The polished scipy oracle is good to ~1e-7 (its central differences' step near a mode at 0; 3e-8 relative
    on a precision, against mpmath's root at 40 digits): the closed form is close to it and no worse than it on the
    log posterior itself."""
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-6)
    assert log_joint(got) >= log_joint(want) - 1e-12 * (1 + abs(log_joint(want)))


@SETTINGS
@given(samples, hyper, hs.sampled_from(["normal_gamma", "normal_gamma_log_densities"]))
def test_normal_gamma_map_is_scipys_maximiser_of_the_log_posterior(x, h, form):
    x = np.array(x)
    got = mode(form).numpy()(x=x, m_0=h[0], kappa_0=h[1], a=h[2], b=h[3])
    log_joint = _normal_gamma(x, *h)
    want = joint_log_posterior_mode(log_joint, (False, True))
    _close_and_no_worse(log_joint, [got["mu"], got["tau"]], want)


def test_the_normal_gamma_mode_is_shown_a_maximum_for_every_sample():
    derivation = mode("normal_gamma")
    assert "For every sample" in [s.title for s in derivation.steps]
    assert not any("could not be decided" in remark for remark in derivation.remarks)


@pytest.mark.parametrize("name, second", [("normal_inverse_gamma", "s2"), ("normal_gamma", "tau")])
def test_the_joint_map_is_accurate_far_from_zero(name, second):
    # shifting data and prior mean by c shifts mu-hat by c and leaves the spread's estimate unchanged; at c = 1e6 the
    # raw moments n mean(x^2) - n xbar^2 would lose ~12 of the 16 digits
    x = np.random.default_rng(3).normal(size=40)
    estimate = mode(name).numpy()
    near = estimate(x=x, m_0=0.2, kappa_0=2.0, a=3.0, b=1.5)
    far = estimate(x=x + 1e6, m_0=0.2 + 1e6, kappa_0=2.0, a=3.0, b=1.5)
    assert far["mu"] - 1e6 == pytest.approx(near["mu"], abs=1e-9)
    assert far[second] == pytest.approx(near[second], rel=1e-9)


def test_the_joint_map_verifies():
    assert mode("normal_inverse_gamma").verify()


def test_a_joint_mode_without_a_closed_form_is_maximised_numerically():
    # Gamma(k, rate r) data, exponential priors on both: the shape's equation holds the digamma function
    derivation = derive_map(st.Gamma("X", k, 1 / r), symml.Model(-k - r, (k, r)), (k, r))
    assert any("No closed form" in remark for remark in derivation.remarks)
    x = np.array([1.0, 2.0, 4.0, 0.5])
    got = derivation.numpy()(x=x)
    want = joint_log_posterior_mode(lambda q: ss.gamma.logpdf(x, q[0], scale=1 / q[1]).sum() - q[0] - q[1],
                                    (True, True))
    np.testing.assert_allclose([got["k"], got["r"]], want, rtol=1e-6)
