"""Joint posteriors over several parameters, in both input forms: the Dirichlet over a Categorical's probabilities
(a joint family, matched as a whole) and the Normal-Inverse-Gamma over a Normal's mean and variance (a conditional
times a marginal, each matched). numpy() equals likelihood x prior (scipy.stats) normalised by a double quadrature
(scipy.integrate.dblquad), for random hyperparameters and data."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy import integrate
from scipy.special import gammaln

import symml
from symml.bayes import derive_evidence, derive_marginal, derive_posterior, derive_posterior_predictive
from tests.bayes.oracle import log_normaliser_2d

SETTINGS = settings(max_examples=5, deadline=None)
p = sp.symbols("p1:4", positive=True)
alphas = sp.symbols("a1:4", positive=True)
x = sp.Symbol("x", real=True)
mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m_0", real=True)
s2, tau = sp.Symbol("s2", positive=True), sp.Symbol("tau", positive=True)
kappa, a, b = sp.symbols("kappa_0 a b", positive=True)
log = sp.log


@functools.lru_cache(maxsize=None)
def dirichlet(form: str):
    if form == "sympy.stats":
        return derive_posterior(st.FiniteRV("X", {1: p[0], 2: p[1], 3: p[2]}), st.MultivariateBeta("D", list(alphas)), p)
    likelihood = symml.Model(sum(sp.KroneckerDelta(x, k + 1) * log(p[k]) for k in range(3)), x,
                             support=sp.FiniteSet(1, 2, 3))
    kernel = sum((alphas[k] - 1) * log(p[k]) for k in range(3))
    constant = sp.loggamma(sum(alphas)) - sum(sp.loggamma(ak) for ak in alphas)
    return derive_posterior(likelihood, symml.Model(kernel + constant if form == "normalised" else kernel, p), p)


@functools.lru_cache(maxsize=None)
def normal_inverse_gamma(normalised: bool):
    kernel = -kappa * (mu - m0) ** 2 / (2 * s2) - log(s2) / 2 - (a + 1) * log(s2) - b / s2
    constant = log(kappa) / 2 - log(2 * sp.pi) / 2 + a * log(b) - sp.loggamma(a)
    prior = symml.Model(kernel + constant if normalised else kernel, (mu, s2))
    return derive_posterior(st.Normal("X", mu, sp.sqrt(s2)), prior, (mu, s2))


@functools.lru_cache(maxsize=None)
def normal_inverse_gamma_predictive():
    return derive_posterior_predictive(normal_inverse_gamma(True))


@functools.lru_cache(maxsize=None)
def normal_gamma():
    return derive_posterior(st.Normal("X", mu, 1 / sp.sqrt(tau)), st.NormalGamma("P", m0, kappa, a, b), (mu, tau))


FORMS = ["sympy.stats", "normalised", "unnormalised"]


@pytest.mark.parametrize("form", FORMS)
def test_the_dirichlet_posterior_is_recognised_as_a_dirichlet(form):
    assert dirichlet(form).problem.family == "MultivariateBeta"


def test_the_normal_inverse_gamma_posterior_is_a_normal_given_the_variance_times_an_inverse_gamma():
    assert normal_inverse_gamma(True).problem.family == "Normal x GammaInverse"
    assert normal_inverse_gamma(False).problem.family == "Normal x GammaInverse"


def test_the_normal_gamma_prior_of_sympy_stats_is_conjugate():
    assert normal_gamma().problem.family == "NormalGamma"


@SETTINGS
@given(hs.lists(hs.integers(1, 3), min_size=1, max_size=12), hs.tuples(*[hs.floats(1.0, 4.0)] * 3),
       hs.sampled_from(FORMS))
def test_the_dirichlet_posterior_is_normalised_likelihood_times_prior(sample, alpha, form):
    counts = np.bincount(sample, minlength=4)[1:]

    def log_joint(u, w):
        q = np.stack([u, w, 1 - u - w], axis=-1)
        log_prior = np.sum((np.array(alpha) - 1) * np.log(q), axis=-1) + gammaln(sum(alpha)) - gammaln(alpha).sum()
        return np.sum(counts * np.log(q), axis=-1) + log_prior

    # the simplex as the unit square: p1 = u, p2 = (1 - u) t, with Jacobian 1 - u
    log_z = log_normaliser_2d(lambda u, t: log_joint(u, (1 - u) * t) + np.log(1 - u), (0, 1), (0, 1))
    density = dirichlet(form).numpy()
    for u, w in [(0.2, 0.3), (0.6, 0.1), (0.05, 0.9)]:
        got = density(p1=u, p2=w, p3=1 - u - w, x=np.array(sample, float), a1=alpha[0], a2=alpha[1], a3=alpha[2])
        assert abs(got - (log_joint(np.array(u), np.array(w)) - log_z)) < 1e-6


def test_the_dirichlet_posterior_is_zero_off_the_simplex():
    density = dirichlet("normalised").numpy()
    assert density(p1=0.2, p2=0.3, p3=0.6, x=np.array([1.0, 2.0]), a1=2.0, a2=2.0, a3=2.0) == -np.inf


def mean_and_log_variance_normaliser(log_joint, centre, precision=False):
    """log Z with the variance s = e^v, v in [-14, 30], and the mean mu = centre + sqrt(s) z, z in [-12, 12]
    (log-Jacobian v + v/2); ``log_joint`` takes (mu, s), or (mu, 1/s) for a precision."""
    def transformed(z, v):
        s = np.exp(v)
        return log_joint(centre + np.sqrt(s) * z, 1 / s if precision else s) + (v if not precision else -v) + v / 2

    return log_normaliser_2d(transformed, (-12.0, 12.0), (-14.0, 30.0), nodes=600)


@SETTINGS
@given(hs.lists(hs.floats(-2.0, 2.0), min_size=1, max_size=8), hs.floats(-1, 1), hs.floats(0.5, 3.0),
       hs.floats(1.0, 4.0), hs.floats(0.5, 3.0), hs.booleans())
def test_the_normal_inverse_gamma_posterior_is_normalised_likelihood_times_prior(sample, m0_, k_, a_, b_, normalised):
    data = np.array(sample)

    def log_joint(m, v):
        m, v = np.asarray(m)[..., None], np.asarray(v)[..., None]
        return (ss.norm.logpdf(data, m, np.sqrt(v)).sum(axis=-1) + ss.norm.logpdf(m[..., 0], m0_, np.sqrt(v[..., 0] / k_))
                + ss.invgamma.logpdf(v[..., 0], a_, scale=b_))

    log_z = mean_and_log_variance_normaliser(log_joint, (k_ * m0_ + data.sum()) / (k_ + data.size))
    density = normal_inverse_gamma(normalised).numpy()
    for m, v in [(0.0, 1.0), (0.5, 0.4), (-1.0, 2.5)]:
        got = density(mu=m, s2=v, x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_)
        assert abs(got - (log_joint(m, v) - log_z)) < 1e-6


@SETTINGS
@given(hs.lists(hs.floats(-2.0, 2.0), min_size=1, max_size=8), hs.floats(-1, 1), hs.floats(0.5, 3.0),
       hs.floats(1.0, 4.0), hs.floats(0.5, 3.0))
def test_the_normal_gamma_posterior_is_normalised_likelihood_times_prior(sample, m0_, k_, a_, b_):
    data = np.array(sample)

    def log_joint(m, t):  # sympy.stats' NormalGamma: tau ~ Gamma(a, rate b), mu | tau ~ N(m_0, 1/(kappa tau))
        m, t = np.asarray(m)[..., None], np.asarray(t)[..., None]
        return (ss.norm.logpdf(data, m, 1 / np.sqrt(t)).sum(axis=-1)
                + ss.norm.logpdf(m[..., 0], m0_, 1 / np.sqrt(k_ * t[..., 0])) + ss.gamma.logpdf(t[..., 0], a_, scale=1 / b_))

    log_z = mean_and_log_variance_normaliser(log_joint, (k_ * m0_ + data.sum()) / (k_ + data.size), precision=True)
    density = normal_gamma().numpy()
    for m, t in [(0.0, 1.0), (0.5, 0.4), (-1.0, 2.5)]:
        got = density(mu=m, tau=t, x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_)
        assert abs(got - (log_joint(m, t) - log_z)) < 1e-6


def normal_inverse_gamma_log_joint(data, m0_, k_, a_, b_):
    def log_joint(m, v):
        m, v = np.asarray(m)[..., None], np.asarray(v)[..., None]
        return (ss.norm.logpdf(data, m, np.sqrt(v)).sum(axis=-1) + ss.norm.logpdf(m[..., 0], m0_, np.sqrt(v[..., 0] / k_))
                + ss.invgamma.logpdf(v[..., 0], a_, scale=b_))
    return log_joint


@SETTINGS
@given(hs.lists(hs.floats(-2.0, 2.0), min_size=1, max_size=8), hs.floats(-1, 1), hs.floats(0.5, 3.0),
       hs.floats(1.0, 4.0), hs.floats(0.5, 3.0))
def test_the_normal_inverse_gamma_evidence_is_the_integral_of_likelihood_times_prior(sample, m0_, k_, a_, b_):
    data = np.array(sample)
    want = mean_and_log_variance_normaliser(normal_inverse_gamma_log_joint(data, m0_, k_, a_, b_),
                                            (k_ * m0_ + data.sum()) / (k_ + data.size))
    got = derive_evidence(normal_inverse_gamma(True)).numpy()(x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_)
    assert abs(got - want) < 1e-6


@SETTINGS
@given(hs.lists(hs.floats(-2.0, 2.0), min_size=1, max_size=8), hs.floats(-1, 1), hs.floats(0.5, 3.0),
       hs.floats(1.0, 4.0), hs.floats(0.5, 3.0), hs.floats(-3.0, 3.0))
def test_the_normal_inverse_gamma_predictive_is_the_posterior_average_and_a_student_t(sample, m0_, k_, a_, b_, new):
    data = np.array(sample)
    log_joint = normal_inverse_gamma_log_joint(data, m0_, k_, a_, b_)
    centre = (k_ * m0_ + data.sum()) / (k_ + data.size)
    log_z = mean_and_log_variance_normaliser(log_joint, centre)
    with_new = mean_and_log_variance_normaliser(lambda m, v: log_joint(m, v) + ss.norm.logpdf(new, m, np.sqrt(v)),
                                                centre)
    got = normal_inverse_gamma_predictive().numpy()(
        x_new=new, x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_)
    assert abs(got - (with_new - log_z)) < 1e-6
    # the textbook form (Murphy, Conjugate Bayesian analysis of the Gaussian distribution, eq. 100), as an oracle
    n, k_n, a_n = data.size, k_ + data.size, a_ + data.size / 2
    b_n = b_ + ((data - data.mean()) ** 2).sum() / 2 + k_ * n * (data.mean() - m0_) ** 2 / (2 * k_n)
    assert abs(got - ss.t.logpdf(new, 2 * a_n, loc=centre, scale=np.sqrt(b_n * (k_n + 1) / (a_n * k_n)))) < 1e-8


@functools.lru_cache(maxsize=None)
def marginal_of_the_mean():
    return derive_marginal(normal_inverse_gamma(True), mu)


@SETTINGS
@given(hs.lists(hs.floats(-2.0, 2.0), min_size=1, max_size=8), hs.floats(-1, 1), hs.floats(0.5, 3.0),
       hs.floats(1.0, 4.0), hs.floats(0.5, 3.0))
def test_the_marginal_posterior_of_the_mean_integrates_the_variance_out(sample, m0_, k_, a_, b_):
    data = np.array(sample)
    log_joint = normal_inverse_gamma_log_joint(data, m0_, k_, a_, b_)
    centre = (k_ * m0_ + data.sum()) / (k_ + data.size)
    log_z = mean_and_log_variance_normaliser(log_joint, centre)
    density = marginal_of_the_mean().numpy()
    for m in (centre - 1.0, centre, centre + 0.7):
        # the variance integrated out by quad in log-variance (Jacobian e^v)
        area = integrate.quad(lambda v: np.exp(log_joint(m, np.exp(v)) + v - log_z), -14, 30, limit=200,
                              epsrel=1e-11)[0]
        got = density(mu=m, x=data, m_0=m0_, kappa_0=k_, a=a_, b=b_)
        assert abs(got - np.log(area)) < 1e-6
        # the textbook Student-t (Murphy, Conjugate Bayesian analysis of the Gaussian distribution, eq. 90), an oracle
        n, k_n, a_n = data.size, k_ + data.size, a_ + data.size / 2
        b_n = b_ + ((data - data.mean()) ** 2).sum() / 2 + k_ * n * (data.mean() - m0_) ** 2 / (2 * k_n)
        assert abs(got - ss.t.logpdf(m, 2 * a_n, loc=centre, scale=np.sqrt(b_n / (a_n * k_n)))) < 1e-8


def test_a_joint_density_needs_two_or_more_symbols():
    with pytest.raises(symml.ModelError, match="tuple of at least two"):
        symml.Model(-mu**2, (mu,))


def test_a_joint_prior_over_other_symbols_is_refused_by_name():
    prior = symml.Model(-mu**2 / s2 - log(s2), (mu, s2))
    with pytest.raises(symml.ParameterError, match="not of the parameters"):
        derive_posterior(st.Normal("X", mu, 1 / sp.sqrt(tau)), prior, (mu, tau))


def test_a_joint_prior_that_is_not_a_random_variable_or_model_is_refused_naming_its_type():
    model = symml.Model(logpdf="log(tau)/2 - tau*(x - mu)**2/2", data="x", parameters=["mu", "tau"])
    with pytest.raises(symml.ModelError, match="not str"):
        symml.derive.posterior(model, "NormalGamma", wrt=["mu", "tau"])
