"""Posterior summaries (mean, variance, mode, 95% credible interval) agree with the same quantities computed from
likelihood x prior (scipy.stats) normalised by quadrature: moments by quad, quantiles by brentq on its CDF."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings, strategies as hs
from scipy import integrate, optimize

from symml.bayes import derive_posterior_summary
from tests.bayes.oracle import log_posterior_mode, normalised_log_posterior
from tests.bayes.test_posterior_pairs import posterior

SETTINGS = settings(max_examples=4, deadline=None)
hyper = hs.floats(1.2, 6.0)


@functools.lru_cache(maxsize=None)
def summary(name):
    return derive_posterior_summary(posterior(name))


def oracle_summaries(log_joint, low, high, bracket):
    log_density = normalised_log_posterior(log_joint, (low, high), bracket)
    density = lambda t: float(np.exp(log_density(t)))  # noqa: E731
    mode = log_posterior_mode(log_joint, *bracket)
    pieces = [(low, mode), (mode, high)]
    mean = sum(integrate.quad(lambda t: t * density(t), a, b, limit=200, epsrel=1e-11)[0] for a, b in pieces)
    variance = sum(integrate.quad(lambda t: (t - mean) ** 2 * density(t), a, b, limit=200, epsrel=1e-11)[0]
                   for a, b in pieces)
    finite_high = high if np.isfinite(high) else mean + 40 * np.sqrt(variance)
    finite_low = low if np.isfinite(low) else mean - 40 * np.sqrt(variance)

    below_mode = integrate.quad(density, low, mode, limit=200, epsrel=1e-11)[0]

    def quantile(q):  # the CDF integrated from the mode, so that quad always sees the peak
        return optimize.brentq(lambda t: below_mode + integrate.quad(density, mode, t, limit=200, epsrel=1e-11)[0] - q,
                               finite_low, finite_high, xtol=1e-13)

    return {"mean": mean, "variance": variance, "mode": mode, "lower": quantile(0.025), "upper": quantile(0.975)}


def agree(got, want):
    for key in want:
        assert abs(got[key] - want[key]) < 1e-6 * max(1.0, abs(want[key])), key


@SETTINGS
@given(hs.lists(hs.integers(0, 1), min_size=1, max_size=12), hyper, hyper)
def test_beta_bernoulli_summaries(x, a_, b_):
    x = np.array(x, float)
    want = oracle_summaries(lambda q: ss.bernoulli.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), 0, 1,
                            (1e-12, 1 - 1e-12))
    agree(summary("beta_bernoulli").numpy()(x=x, a=a_, b=b_), want)


@SETTINGS
@given(hs.lists(hs.floats(-3, 3), min_size=1, max_size=10), hs.floats(-2, 2), hyper, hyper)
def test_normal_normal_summaries_are_closed_form_and_right(x, m0_, s_, t_):
    x = np.array(x, float)
    want = oracle_summaries(lambda q: ss.norm.logpdf(x, q, s_).sum() + ss.norm.logpdf(q, m0_, t_), -np.inf, np.inf,
                            (-20, 20))
    agree(summary("normal_normal").numpy()(x=x, m_0=m0_, sigma=s_, t=t_), want)
    assert {"mean", "mode"} <= set(summary("normal_normal").result)  # the others too unless the machine is slow


@SETTINGS
@given(hs.lists(hs.floats(0.1, 4.0), min_size=1, max_size=10), hs.floats(0.5, 3.0), hs.floats(2.5, 6.0))
def test_pareto_uniform_summaries_say_which_are_numeric(x, xm_, alpha_):
    x = np.array(x, float)
    start = max(xm_, x.max())
    want = oracle_summaries(lambda q: ss.uniform.logpdf(x, 0, q).sum() + ss.pareto.logpdf(q, alpha_, scale=xm_),
                            start, np.inf, (start, start + 1e-9))
    agree(summary("pareto_uniform").numpy()(x=x, x_m=xm_, alpha=alpha_), want)
    assert "numpy() computes them" in summary("pareto_uniform").remarks[0]


@settings(max_examples=10, deadline=None)
@given(hs.integers(-300, 300), hs.floats(-1.0, 1.0), hs.floats(0.01, 1e100))
def test_the_normal_normal_posterior_mean_is_finite_for_data_at_every_scale(exponent, m0_scale, t_):
    # (n t² x̄ + m₀)/(n t² + 1) formed x̄ n t², inf for x̄ = 1e300; divided through, x̄ w + m₀ (1 − w).
    # Oracle: mpmath at 60 digits
    import mpmath

    x = 10.0**exponent * (1 + np.random.default_rng(1).uniform(-0.5, 0.5, size=20))
    m0_ = m0_scale * 10.0**exponent
    found = summary("normal_normal").numpy()(x=x, m_0=m0_, sigma=1.0, t=t_)
    with mpmath.workdps(60):
        precision = len(x) + 1 / mpmath.mpf(t_) ** 2
        mean = float((mpmath.fsum(mpmath.mpf(v) for v in x) + mpmath.mpf(m0_) / mpmath.mpf(t_) ** 2) / precision)
    assert found["mean"] == pytest.approx(mean, rel=1e-12) and found["mode"] == pytest.approx(mean, rel=1e-12)
    assert np.isfinite([found["lower"], found["upper"]]).all()
