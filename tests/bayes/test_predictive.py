"""The posterior predictive (a ratio of evidences) agrees with the quadrature of f(x_new | theta) against the
posterior, built from scipy.stats likelihood x prior."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from hypothesis import given, settings, strategies as hs
from scipy import integrate

from symml.bayes import derive_posterior_predictive
from tests.bayes.test_posterior_pairs import posterior

SETTINGS = settings(max_examples=10, deadline=None)


@cache
def predictive(pair):
    """The predictive of a catalogued pair, derived once for all the tests."""
    return derive_posterior_predictive(posterior(pair))


@cache
def predictive_density(pair):
    """The predictive's numpy() of a catalogued pair, derived once for all the hypothesis examples."""
    return predictive(pair).numpy()
hyper = hs.floats(1.0, 5.0)


def quadrature_predictive(log_joint, log_new, low, high):
    z = integrate.quad(lambda q: np.exp(log_joint(q)), low, high, limit=200, epsabs=0, epsrel=1e-11)[0]
    return integrate.quad(lambda q: np.exp(log_joint(q) + log_new(q)), low, high, limit=200, epsabs=0,
                          epsrel=1e-11)[0] / z


@SETTINGS
@given(hs.lists(hs.integers(0, 1), min_size=1, max_size=12), hyper, hyper)
def test_beta_bernoulli_predictive_probability_of_a_success(x, a_, b_):
    x = np.array(x, float)
    want = quadrature_predictive(lambda q: ss.bernoulli.logpmf(x, q).sum() + ss.beta.logpdf(q, a_, b_), np.log, 0, 1)
    got = predictive_density("beta_bernoulli")(x_new=1.0, x=x, a=a_, b=b_)
    assert abs(np.exp(got) - want) < 1e-8


@SETTINGS
@given(hs.lists(hs.integers(0, 6), min_size=1, max_size=8), hyper, hs.floats(0.3, 3.0), hs.integers(0, 8))
def test_gamma_poisson_predictive_is_the_posterior_average_of_the_poisson_pmf(x, a_, b_, new):
    x = np.array(x, float)
    want = quadrature_predictive(lambda q: ss.poisson.logpmf(x, q).sum() + ss.gamma.logpdf(q, a_, scale=b_),
                                 lambda q: ss.poisson.logpmf(new, q), 0, np.inf)
    got = predictive_density("gamma_poisson")(x_new=float(new), x=x, a=a_, b=b_)
    assert abs(np.exp(got) - want) < 1e-8


def test_the_predictive_of_a_normal_with_known_mean_and_unknown_variance_is_a_student_t_and_verifies():
    derived = predictive("inverse_gamma_normal_variance")
    assert derived.problem.family == "StudentT"
    assert derived.verify()


def test_beta_binomial_predictive_is_written_without_the_reflection_formula_murphy_pml1_4_6_2():
    # Murphy PML1 4.6.2 (the beta-binomial): log p(k | x) = log C(m, k) + log B(a' + k, b' + m − k) − log B(a', b');
    # gammasimp wrote C(5, k) through π/sin(πk) with log(k − 5) and iπ before. Oracle: scipy.stats.betabinom
    import sympy as sp
    import sympy.stats as st

    import symml

    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    predictive = symml.derive.posterior_predictive(symml.derive.posterior(st.Binomial("X", 5, p), st.Beta("P", a, b),
                                                                          wrt=p))
    assert not predictive.result.has(sp.I, sp.sin)
    x = np.array([1.0, 2, 3, 0, 4, 5])
    law = ss.betabinom(5, 2.0 + x.sum(), 3.0 + 5 * x.size - x.sum())
    log_pmf = predictive.numpy()
    assert all(abs(log_pmf(x_new=float(k), x=x, a=2.0, b=3.0) - law.logpmf(k)) < 1e-10 for k in range(6))


def far_sample_predictive_oracles(x, new):
    """log p(x_new | x) at 60 digits for the three Normal predictives (PRML 2.3.6 and Murphy, Conjugate Bayesian
    analysis of the Gaussian, eqs. 40 and 100), from the exact doubles of the data."""
    import mpmath

    def student_t(value, nu, location, scale):
        z = (value - location) / scale
        return (mpmath.loggamma((nu + 1) / 2) - mpmath.loggamma(nu / 2) - mpmath.log(mpmath.sqrt(nu * mpmath.pi) * scale)
                - (nu + 1) / 2 * mpmath.log(1 + z**2 / nu))

    with mpmath.workdps(60):
        data, n, new = [mpmath.mpf(float(v)) for v in x], len(x), mpmath.mpf(new)
        mean = mpmath.fsum(data) / n
        spread = mpmath.fsum((v - mean) ** 2 for v in data)

        def known_variance(m0_, s_, t_):
            precision = n / mpmath.mpf(s_) ** 2 + 1 / mpmath.mpf(t_) ** 2
            centre = (n * mean / mpmath.mpf(s_) ** 2 + mpmath.mpf(m0_) / mpmath.mpf(t_) ** 2) / precision
            variance = mpmath.mpf(s_) ** 2 + 1 / precision
            return float(-(new - centre) ** 2 / (2 * variance) - mpmath.log(2 * mpmath.pi * variance) / 2)

        def known_mean(mu_, a_, b_):
            a_n = a_ + mpmath.mpf(n) / 2
            b_n = b_ + mpmath.fsum((v - mpmath.mpf(mu_)) ** 2 for v in data) / 2
            return float(student_t(new, 2 * a_n, mpmath.mpf(mu_), mpmath.sqrt(b_n / a_n)))

        def normal_inverse_gamma(m0_, k_, a_, b_):
            m0_, k_ = mpmath.mpf(m0_), mpmath.mpf(k_)
            k_n, a_n = k_ + n, a_ + mpmath.mpf(n) / 2
            b_n = b_ + spread / 2 + k_ * n * (mean - m0_) ** 2 / (2 * k_n)
            return float(student_t(new, 2 * a_n, (k_ * m0_ + n * mean) / k_n, mpmath.sqrt(b_n * (k_n + 1) / (a_n * k_n))))

        return known_variance, known_mean, normal_inverse_gamma


def test_the_normal_predictives_keep_their_digits_for_ten_thousand_points_near_a_million():
    # the predictive is the ratio of two evidences; through raw moments (n mean(x²) − n x̄², terms of 1e16) the
    # unknown-variance ones were off by 2.0 nats (known mean) and 1.6 nats (Normal-Inverse-Gamma)
    from tests.bayes.test_joint_posteriors import normal_inverse_gamma_predictive

    x = 1e6 + np.random.default_rng(0).normal(size=10_000)
    new = 1e6 + 0.7
    known_variance, known_mean, nig = far_sample_predictive_oracles(x, new)
    got = predictive_density("normal_normal")(x_new=new, x=x, m_0=1e6, sigma=1.0, t=100.0)
    assert abs(got - known_variance(1e6, 1.0, 100.0)) < 1e-9
    got = predictive_density("inverse_gamma_normal_variance")(x_new=new, x=x, mu=1e6, a=2.0, b=1.0)
    assert abs(got - known_mean(1e6, 2.0, 1.0)) < 1e-9
    log_p = normal_inverse_gamma_predictive().numpy()
    for m0_ in (1e6 + 0.3, 0.0):
        assert abs(log_p(x_new=new, x=x, m_0=m0_, kappa_0=1.0, a=2.0, b=1.0) - nig(m0_, 1.0, 2.0, 1.0)) < 1e-9


def test_the_predictive_of_a_zero_mean_normal_under_a_gamma_precision_prior_is_a_centred_student_t_bda_2_7():
    # the location-scale match at location 0 made SymPy's Groebner basis divide by zero (a ZeroDivisionError
    # escaped posterior_predictive). Oracle: scipy.stats.t with 2a_n degrees of freedom, scale sqrt(b_n/a_n)
    import sympy as sp
    import sympy.stats as st

    import symml

    tau, a, b = sp.Symbol("tau", positive=True), *sp.symbols("a b", positive=True)
    post = symml.derive.posterior(st.Normal("X", 0, 1 / sp.sqrt(tau)), st.Gamma("T", a, 1 / b), wrt=tau)
    predictive = symml.derive.posterior_predictive(post)
    assert predictive.problem.family == "StudentT"
    data = np.random.default_rng(0).normal(0, 2, 20)
    a_n, b_n = 2.0 + 10, 1.5 + (data**2).sum() / 2
    assert predictive.numpy()(x_new=1.3, x=data, a=2.0, b=1.5) == pytest.approx(
        ss.t(2 * a_n, scale=np.sqrt(b_n / a_n)).logpdf(1.3), abs=1e-10)


def test_the_normal_inverse_gamma_predictive_reads_as_a_student_t_with_its_parameters_defined_below_it():
    # the result was log Z(x, x_new) − log Z(x) expanded over many lines; now the family's density in ν_n, l, s,
    # each defined by one line from the match, checked against Murphy (2007) eq. 100 on a small sample
    from tests.bayes.test_joint_posteriors import normal_inverse_gamma_predictive

    derived = normal_inverse_gamma_predictive()
    density, *definitions = derived.summary
    (nu, location), scale = (line.lhs for line in definitions[:2]), definitions[2].lhs.base
    assert density.rhs.free_symbols == {derived.problem.new_observation, nu, location, scale}
    x, new = np.random.default_rng(1).normal(2.0, 1.5, size=7), 0.4
    given = {"n": len(x), "m_0": 0.5, "kappa_0": 1.5, "a": 2.0, "b": 1.2}
    at = {s: given[s.name] for line in definitions for s in line.rhs.free_symbols if s.name in given}
    for statistic in derived.problem.statistics:  # x̄, then the spread about it
        summand = sp.lambdify(derived.problem.observation, statistic.summand.xreplace(at))
        at[statistic.symbol] = float(np.mean(summand(x)))
    values = {line.lhs: float(line.rhs.xreplace(at)) for line in definitions}
    shown = float(density.rhs.xreplace({derived.problem.new_observation: new, nu: values[nu],
                                        location: values[location], scale: np.sqrt(values[scale**2])}))
    assert np.log(shown) == pytest.approx(far_sample_predictive_oracles(x, new)[2](0.5, 1.5, 2.0, 1.2), abs=1e-12)
