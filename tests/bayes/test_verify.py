"""verify() of every Bayesian result type passes on the derived results and fails on a wrong one: it recomputes
likelihood x prior from the models (quadrature, scipy.optimize), never from the derived kernel."""
from __future__ import annotations

from dataclasses import replace

import pytest
import sympy as sp
import sympy.stats as st

from symml.bayes import derive_evidence, derive_posterior_predictive, derive_posterior_summary
from symml.derivation import Derivation
from tests.bayes.test_map import laplace_mode, mode, simplex_mode
from tests.bayes.test_posterior_pairs import posterior


@pytest.mark.parametrize("name", ["beta_binomial", "gamma_poisson", "inverse_gamma_normal_variance",
                                  "gamma_pareto_shape", "pareto_uniform"])
def test_a_derived_posterior_verifies(name):
    assert posterior(name).verify()


def test_an_unmatched_posterior_verifies_through_its_numeric_normaliser():
    from tests.bayes.test_posterior_pairs import logit_posterior

    assert logit_posterior().verify()


@pytest.mark.parametrize("derivation", [lambda: mode("normal_normal"), lambda: mode("pareto_uniform"),
                                        simplex_mode, lambda: laplace_mode("user")],
                         ids=["normal_normal", "pareto_uniform", "dirichlet_simplex", "laplace_soft_threshold"])
def test_a_derived_map_verifies(derivation):
    assert derivation().verify()


@pytest.mark.parametrize("derive", [derive_evidence, derive_posterior_predictive, derive_posterior_summary])
def test_evidence_predictive_and_summaries_verify(derive):
    assert derive(posterior("gamma_poisson")).verify()


def test_a_wrong_posterior_fails_verification():
    right = posterior("gamma_poisson")
    shape, scale = right.problem.distribution.pspace.distribution.args  # numpy() evaluates the family's own form
    wrong_problem = replace(right.problem, log_density=right.problem.log_density * sp.Rational(11, 10),
                            distribution=st.Gamma("L", shape * sp.Rational(11, 10), scale))
    wrong = Derivation(problem=wrong_problem, steps=right.steps, result=right.result, summary=right.summary)
    assert not wrong.verify()


def test_a_wrong_map_fails_verification():
    right = mode("normal_normal")
    theta = right.problem.parameter
    wrong_problem = replace(right.problem, estimates={theta: right.problem.estimates[theta] + sp.Rational(1, 100)})
    assert not Derivation(problem=wrong_problem, steps=right.steps, result=right.result, summary=right.summary).verify()

