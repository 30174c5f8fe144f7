"""A posterior whose hyperparameter holds a statistic that is negative on the support (mean(log x) on (0, 1)):
θx^{θ−1} with an Exponential(1) prior is Gamma(n + 1, rate 1 − Σ log xᵢ). Its scale came out as −1/(n·mean(log x) − 1),
and splitting the logarithm as written took log(−1) = iπ: numpy() returned NaN and verify() failed. Oracles: the
Gamma density from scipy.stats, and Bayes' rule by quadrature."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate

import symml

x = sp.Symbol("x", real=True)
theta = sp.Symbol("theta", positive=True)


@pytest.fixture(scope="module")
def posterior():
    # math.stackexchange: the posterior for f(x | θ) = θx^{θ−1} on (0, 1)
    likelihood = symml.Model(sp.Piecewise((sp.log(theta) + (theta - 1) * sp.log(x), (x > 0) & (x < 1)), (-sp.oo, True)), x)
    return symml.derive.posterior(likelihood, st.Exponential("T", 1), wrt=theta)


DATA = np.random.default_rng(8).beta(2, 1, 10)


def test_the_posterior_density_of_a_power_law_under_an_exponential_prior_is_a_real_gamma(posterior):
    oracle = ss.gamma(1 + DATA.size, scale=1 / (1 - np.log(DATA).sum()))
    assert not posterior.problem.log_density.has(sp.I)
    assert posterior.numpy()(theta=np.array([1.5, 2.5]), x=DATA) == pytest.approx(oracle.logpdf([1.5, 2.5]), rel=1e-10)


def test_its_evidence_is_bayes_rule_integrated(posterior):
    joint = lambda t: np.exp(np.sum(np.log(t) + (t - 1) * np.log(DATA)) - t)  # noqa: E731
    oracle = np.log(integrate.quad(joint, 0, np.inf)[0])
    assert float(symml.derive.evidence(posterior).numpy()(x=DATA)) == pytest.approx(oracle, rel=1e-9)
