"""derivation.verify() for MLE derivations: passes for every catalog entry, fails for wrong estimators."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp

from derivations import build, entry_names
from symml import Derivation
from symml.errors import ParameterError
from symml.mle.verification import draw_sample, true_values

MLE_ENTRIES = [name for name in entry_names() if name.startswith("mle.")]


@pytest.mark.parametrize("name", MLE_ENTRIES)
def test_verify_passes_for_every_catalog_entry(name):
    report = build(name).verify()
    assert report.passed, str(report)
    assert report.max_rel_error <= 1e-6 and report.sample_size == 1000 and report.seed == 0


def _with_estimators(derivation: Derivation, change) -> Derivation:
    problem = derivation.problem
    wrong = dataclasses.replace(problem, estimators={p: change(e) for p, e in problem.estimators.items()})
    return dataclasses.replace(derivation, problem=wrong)


def test_verify_fails_for_the_unbiased_variance_in_place_of_the_maximum_likelihood_one():
    derivation = build("mle.normal_sd")
    n = derivation.problem.sample_size
    report = _with_estimators(derivation, lambda e: e * sp.sqrt(n / (n - 1))).verify()
    assert not report.passed and 1e-4 < report.max_rel_error < 1e-3  # sqrt(1000/999) - 1 = 5e-4


def test_verify_fails_for_an_unbiased_boundary_estimator():
    # (n + 1)/n max(x) is unbiased for Uniform(0, theta) but is not the maximiser: the likelihood falls past max(x)
    derivation = build("mle.uniform_zero_theta")
    n = derivation.problem.sample_size
    report = _with_estimators(derivation, lambda e: e * (n + 1) / n).verify()
    assert not report.passed and "grid search" in report.method


def test_verify_reports_the_failure_of_an_estimator_that_cannot_be_evaluated():
    report = _with_estimators(build("mle.exponential"), lambda e: sp.log(-e)).verify()  # NaN for a positive rate
    assert not report.passed and any(name == "the derived estimator failed" for name, _ in report.details)


def test_verify_at_given_parameter_values_seed_and_sample_size():
    report = build("mle.normal").verify(at={"mu": -3.0, "sigma": 0.25}, seed=5, sample_size=300)
    assert report.passed and report.sample_size == 300 and report.seed == 5
    assert ("true parameters", "mu = -3, sigma = 0.25") in report.details


def test_verify_at_an_unknown_parameter_names_the_model_parameters():
    with pytest.raises(ParameterError, match="tau is not a parameter of the model; its parameters are: mu, sigma"):
        build("mle.normal").verify(at={"tau": 1.0})


def test_verify_at_values_the_distribution_rejects():
    with pytest.raises(ParameterError, match="rejects the parameter values p = 1.5"):
        build("mle.bernoulli").verify(at={"p": 1.5})


def test_defaults_respect_the_distribution_check():
    values = true_values(build("mle.uniform").problem)
    assert values[sp.Symbol("a", real=True)] < values[sp.Symbol("b", real=True)]
    assert 0 < true_values(build("mle.bernoulli").problem)[sp.Symbol("p", positive=True)] < 1


def test_even_sample_laplace_location_accepts_any_point_of_the_interval_of_maximisers():
    report = build("mle.laplace_location").verify(sample_size=1000)
    assert report.passed and any(name == "maximisers of mu" for name, _ in report.details)


@pytest.mark.parametrize(
    "name, values, scipy_model",
    [
        ("mle.student_t_location", {"mu": 2.0, "nu": 3.0}, ss.t(3.0, loc=2.0)),  # a user log-density
        ("mle.laplace_scale", {"mu": -1.0, "b": 0.5}, ss.laplace(-1.0, 0.5)),  # sympy has no scipy sampler
        ("mle.weibull_shape", {"alpha": 1.7, "beta": 0.6}, ss.weibull_min(0.6, scale=1.7)),
    ],
)
def test_inverse_cdf_sampler_draws_from_the_model(name, values, scipy_model):
    # Kolmogorov-Smirnov against scipy.stats' own distribution
    problem = build(name).problem
    sample, how = draw_sample(problem, {p: values[str(p)] for p in problem.parameters}, 5000, seed=1)
    assert how == "numeric inverse CDF of the log-density"
    assert ss.kstest(sample, scipy_model.cdf).pvalue > 1e-3


def test_report_renders_as_text_and_markdown():
    report = build("mle.poisson").verify(sample_size=200)
    assert str(report).startswith("Verification passed") and "lambda" in report._repr_markdown_()


def test_sample_of_a_discrete_model_is_integer_valued():
    problem = build("mle.poisson").problem
    sample, _ = draw_sample(problem, {problem.parameters[0]: 4.0}, 100, seed=0)
    assert np.all(sample == np.round(sample)) and sample.min() >= 0
