"""The Bayes entries of the catalog (the matrix-level ones are in tests/gaussian): every pair of issue 12's item 2
has one, and each posterior passes its numeric check (every entry's notes are rendered in KaTeX by
tests/mle_numeric/test_notes.py; the MAP and summary records are verified in test_verify.py)."""
import pytest

from derivations import build, entry_names

MATRIX_LEVEL = ("bayes.linear_regression", "bayes.multivariate_normal_mean", "bayes.wishart")
NAMES = [name for name in entry_names() if name.startswith("bayes.") and not name.startswith(MATRIX_LEVEL)
         and name.endswith(("_posterior", "_marginal", "_predictive"))]

#: Issue 12, item 2: the one-parameter pairs and the joint ones, by catalog name.
PAIRS = ["beta_bernoulli", "beta_binomial", "beta_negative_binomial", "beta_geometric", "gamma_poisson",
         "gamma_exponential", "gamma_gamma_rate", "gamma_pareto_shape", "inverse_gamma_weibull_scale", "normal_normal",
         "normal_lognormal", "gamma_normal_precision", "inverse_gamma_normal_variance", "normal_inverse_gamma",
         "normal_gamma", "dirichlet_categorical", "pareto_uniform", "multivariate_normal_mean", "wishart_precision",
         "linear_regression"]


def test_every_pair_of_the_issue_has_a_catalog_entry():
    assert {f"bayes.{pair}_posterior" for pair in PAIRS} <= set(entry_names())


@pytest.mark.parametrize("name", NAMES)
def test_entry_passes_its_numeric_check(name):
    report = build(name).verify()
    assert report, str(report)

