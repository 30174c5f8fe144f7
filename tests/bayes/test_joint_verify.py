"""verify() of joint posteriors and of what is derived from them: the derived density against likelihood x prior
from the models, normalised by nested quadrature (scipy.integrate.cubature; stick breaking on the simplex)."""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from symml.bayes import derive_evidence, derive_marginal, derive_posterior_predictive
from symml.derivation import Derivation
from tests.bayes.test_joint_posteriors import dirichlet, mu, normal_inverse_gamma, p, s2


def test_verify_normalises_the_normal_inverse_gamma_posterior_by_cubature():
    report = normal_inverse_gamma(False).verify()
    assert report.passed and len(report.comparisons) >= 5 and "cubature" in report.method


def test_verify_integrates_the_dirichlet_posterior_over_the_simplex():
    assert dirichlet("sympy.stats").verify().passed


def test_verify_catches_a_wrong_joint_density():
    right = dirichlet("sympy.stats")
    wrong = replace(right.problem, log_density=right.problem.log_density + sp.log(p[0]) / 10)
    assert not Derivation(wrong, right.steps, right.result, right.summary).verify().passed


def test_verify_integrates_the_other_parameter_out_of_a_marginal_posterior():
    assert derive_marginal(normal_inverse_gamma(True), s2).verify().passed


def test_verify_checks_the_joint_evidence_and_predictive_by_cubature():
    assert derive_evidence(normal_inverse_gamma(True)).verify().passed
    assert derive_posterior_predictive(normal_inverse_gamma(True)).verify().passed
