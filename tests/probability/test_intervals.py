"""Wald intervals: coverage by simulation within binomial error of the nominal level."""
import numpy as np
import pytest
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ParameterError
from symml.probability.intervals import derive_confidence_interval

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
lam = sp.Symbol("lambda", positive=True)
REPLICATIONS = 2000


def coverage(interval, samples, truth):
    hits = 0
    for x in samples:
        lower, upper = interval(x=x)
        hits += lower <= truth <= upper
    return hits / len(samples)


def test_wald_interval_for_a_normal_mean_covers_at_the_nominal_level():
    ci = derive_confidence_interval(symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma]), mu, level=0.95)
    samples = np.random.default_rng(11).normal(1.0, 2.0, (REPLICATIONS, 200))
    # binomial standard error of the coverage: sqrt(0.95 * 0.05 / R); Wald at n = 200 is within 3 of them
    assert abs(coverage(ci.numpy(), samples, 1.0) - 0.95) < 3 * np.sqrt(0.95 * 0.05 / REPLICATIONS) + 0.005


def test_wald_interval_for_an_exponential_rate_covers_at_the_nominal_level():
    ci = derive_confidence_interval(symml.derive.mle(st.Exponential("X", lam)), lam, level=0.9)
    samples = np.random.default_rng(12).exponential(1 / 2.5, (REPLICATIONS, 300))
    assert abs(coverage(ci.numpy(), samples, 2.5) - 0.9) < 3 * np.sqrt(0.9 * 0.1 / REPLICATIONS) + 0.005


def test_the_interval_is_derived_from_the_fisher_information():
    ci = derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam)
    assert [step.title for step in ci.steps][0] == "Fisher information"
    assert "Asymptotic" in ci.remarks[0]


def test_a_level_outside_zero_one_is_refused():
    with pytest.raises(ParameterError, match="confidence level"):
        derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, level=95)
