"""Probability, information and estimators against the world: problems from the standard texts (Casella & Berger,
Wasserman's All of Statistics, Cover & Thomas, Bishop PRML, Deisenroth et al. MML, Murphy PML), typed the way a
user types them, through the public API.

Each test names its source and checks the derived result with an independent numeric method (scipy.stats,
scipy.optimize, scipy.integrate, numpy.linalg, Monte Carlo). The oracles live here only.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import optimize

import symml
from symml.mle.statistics import statistic_symbols

x = sp.Symbol("x", real=True)
mu = sp.Symbol("mu", real=True)
RNG = np.random.default_rng(2026)


def at_sample(expr, data):
    """A statistic-valued expression (a method-of-moments start) evaluated on ``data``: each sample mean by numpy."""
    values = {}
    for statistic in sorted(statistic_symbols(expr), key=lambda s: len(str(s.summand))):
        summand = statistic.summand.xreplace(values)
        values[statistic] = np.mean(sp.lambdify(x, summand, "numpy")(data) * np.ones_like(data))
    return float(expr.xreplace(values))


# --- maximum likelihood -------------------------------------------------------------------------------------------
def rayleigh_with_location():
    m, s = sp.Symbol("m", real=True), sp.Symbol("s", positive=True)
    logpdf = sp.Piecewise((sp.log(x - m) - 2 * sp.log(s) - (x - m) ** 2 / (2 * s**2), x > m), (-sp.oo, True))
    return m, symml.derive.mle(symml.Model(logpdf=logpdf, data=x), wrt=[m, s])


def test_method_of_moments_start_of_a_located_rayleigh_is_a_statistic_casella_berger_7_2_1():
    # the scale is closed given the location (ŝ² = mean((x − m)²)/2); the start of m must not contain m itself
    m, derivation = rayleigh_with_location()
    start = derivation.problem.initial_guess[m]
    data = 1.0 + ss.rayleigh.rvs(scale=2.0, size=500, random_state=RNG)
    location, _ = ss.rayleigh.fit(data, method="MM")  # oracle: scipy's moment matching
    assert at_sample(start, data) == pytest.approx(location, rel=1e-6)


# --- entropy and cross-entropy of multivariate normals -------------------------------------------------------------
d = symml.dims("d")
S0, S1 = symml.matrix("S_0", d, d, symmetric=True), symml.matrix("S_1", d, d, symmetric=True)
m0, m1 = symml.vector("m_0", d), symml.vector("m_1", d)
P, Q = st.MultivariateNormal("X", m0, S0), st.MultivariateNormal("X", m1, S1)


def spd(size):
    A = RNG.normal(size=(size, size))
    return A @ A.T + np.eye(size)


def test_entropy_of_a_multivariate_normal_of_symbolic_dimension_cover_thomas_8_4_1():
    entropy = symml.derive.entropy(P)
    assert d in entropy.result.free_symbols  # matrix level: d stays a symbol
    for size in (1, 3, 20):
        mean, covariance = RNG.normal(size=size), spd(size)
        expected = ss.multivariate_normal(mean, covariance).entropy()
        assert float(entropy.numpy()(m_0=mean, S_0=covariance)) == pytest.approx(expected, rel=1e-10)


def test_cross_entropy_of_multivariate_normals_is_entropy_plus_kl_prml_1_6():
    cross = symml.derive.cross_entropy(P, Q).numpy()
    a, b, A, B = RNG.normal(size=4), RNG.normal(size=4), spd(4), spd(4)
    draws = RNG.multivariate_normal(a, A, size=400_000)
    log_q = ss.multivariate_normal(b, B).logpdf(draws)  # oracle: Monte Carlo −E_p[log q]
    assert float(cross(m_0=a, S_0=A, m_1=b, S_1=B)) == pytest.approx(-log_q.mean(), abs=5 * log_q.std() / 632)
