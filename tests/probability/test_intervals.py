"""Exact and Wald intervals: coverage by simulation within binomial error of the nominal level."""
import numpy as np
import pytest
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ParameterError, UnsupportedOperationError
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
    ci = derive_confidence_interval(symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma]), mu, level=0.95,
                                   method="wald")
    samples = np.random.default_rng(11).normal(1.0, 2.0, (REPLICATIONS, 200))
    # binomial standard error of the coverage: sqrt(0.95 * 0.05 / R); Wald at n = 200 is within 3 of them
    assert abs(coverage(ci.numpy(), samples, 1.0) - 0.95) < 3 * np.sqrt(0.95 * 0.05 / REPLICATIONS) + 0.005


def test_wald_interval_for_an_exponential_rate_covers_at_the_nominal_level():
    ci = derive_confidence_interval(symml.derive.mle(st.Exponential("X", lam)), lam, level=0.9, method="wald")
    samples = np.random.default_rng(12).exponential(1 / 2.5, (REPLICATIONS, 300))
    assert abs(coverage(ci.numpy(), samples, 2.5) - 0.9) < 3 * np.sqrt(0.9 * 0.1 / REPLICATIONS) + 0.005


def test_the_wald_interval_is_derived_from_the_fisher_information():
    ci = derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="wald")
    assert [step.title for step in ci.steps][0] == "Fisher information"
    assert "Asymptotic" in ci.remarks[0]


def test_for_a_discrete_sum_the_default_is_the_score_interval_and_says_why():
    # the exact interval of a Poisson rate (method="exact") is conservative: the score interval is the default
    ci = derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam)
    assert ci.problem.title.startswith("Score") and "conservative" in ci.remarks[0]


def test_a_level_outside_zero_one_is_refused():
    with pytest.raises(ParameterError, match="confidence level"):
        derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, level=95)


def binomial_band(level):
    return 3 * np.sqrt(level * (1 - level) / REPLICATIONS)


def test_exact_interval_for_a_normal_mean_with_known_variance_covers_at_n_5():
    # Z = (S - n mu)/(sigma sqrt(n)) ~ N(0, 1) whatever mu: exact coverage even for n = 5
    ci = derive_confidence_interval(symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu]), mu, level=0.9)
    samples = np.random.default_rng(21).normal(1.0, 2.0, (REPLICATIONS, 5))
    interval = ci.numpy()
    hits = np.mean([lo <= 1.0 <= hi for lo, hi in (interval(x=x, sigma=2.0) for x in samples)])
    assert abs(hits - 0.9) < binomial_band(0.9)
    assert "Exact" in ci.remarks[0]


def test_exact_interval_for_a_normal_mean_with_unknown_variance_is_student_t_with_n_minus_1_dof():
    ci = derive_confidence_interval(symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma]), mu, level=0.95)
    assert "Law of the studentised pivot" in [step.title for step in ci.steps]
    samples = np.random.default_rng(22).normal(-0.5, 3.0, (REPLICATIONS, 5))
    assert abs(coverage(ci.numpy(), samples, -0.5) - 0.95) < binomial_band(0.95)


def test_wald_interval_undercovers_at_n_5_where_the_t_interval_does_not():
    wald = derive_confidence_interval(symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma]), mu, level=0.95,
                                      method="wald")
    samples = np.random.default_rng(22).normal(-0.5, 3.0, (REPLICATIONS, 5))
    assert coverage(wald.numpy(), samples, -0.5) < 0.95 - binomial_band(0.95)


def test_exact_interval_for_an_exponential_rate_uses_the_gamma_pivot():
    # lambda S ~ Gamma(n, 1) (2 lambda S ~ chi^2_2n): exact coverage at n = 4
    ci = derive_confidence_interval(symml.derive.mle(st.Exponential("X", lam)), lam, level=0.9, method="exact")
    assert "Gamma(n, 1)" in ci.remarks[0]
    samples = np.random.default_rng(23).exponential(1 / 2.5, (REPLICATIONS, 4))
    assert abs(coverage(ci.numpy(), samples, 2.5) - 0.9) < binomial_band(0.9)


def test_exact_without_a_pivot_is_refused_by_name():
    # a Geometric sum is negative binomial: neither a pivot nor a Poisson or Binomial law to invert
    p = sp.Symbol("p", positive=True)
    with pytest.raises(UnsupportedOperationError, match="no pivot|not recognised|neither"):
        derive_confidence_interval(symml.derive.mle(st.Geometric("X", p)), p, method="exact")


def test_an_unknown_method_is_refused():
    with pytest.raises(ParameterError, match="method"):
        derive_confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="bootstrap")


def test_interval_of_a_one_parameter_estimate_needs_no_parameter_named():
    ci = derive_confidence_interval(symml.derive.mle("Exponential"), level=0.9)  # the exact pivot interval
    samples = np.random.default_rng(13).exponential(1 / 2.5, (REPLICATIONS, 20))
    assert abs(coverage(ci.numpy(), samples, 2.5) - 0.9) < 3 * np.sqrt(0.9 * 0.1 / REPLICATIONS) + 0.005


def test_interval_of_several_estimates_asks_which_parameter():
    with pytest.raises(ParameterError, match="which parameter.*mu, sigma"):
        derive_confidence_interval(symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma]))
