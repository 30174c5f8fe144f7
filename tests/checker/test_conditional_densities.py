r"""A conditional density is another object than the joint: ``p(z \mid x) = p(z, x) / p(x)`` outside expectations
too, so Bayes' rule holds and ``p(z \mid x) = p(z, x)`` is never "Equivalent"; a likelihood ``p(x \mid \theta)``
stays a function of its arguments in MLE chains.

Each claim's truth is confirmed independently on a random discrete joint law of (x, z) in NumPy (a 3 x 4 table):
``p(z | x)`` as the table over its row sums, the marginals as sums.
"""
from __future__ import annotations

import numpy as np
import pytest

import symml
from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

_JOINT = np.random.default_rng(5).dirichlet(np.ones(12)).reshape(3, 4)  # p(x, z): x in rows, z in columns
_P_X, _P_Z = _JOINT.sum(axis=1, keepdims=True), _JOINT.sum(axis=0, keepdims=True)
_Z_GIVEN_X, _X_GIVEN_Z = _JOINT / _P_X, _JOINT / _P_Z

#: (claim, holds, the claim's left - right on the table, by NumPy)
CLAIMS = [
    (r"p(z \mid x) = \frac{p(z, x)}{p(x)}", True, _Z_GIVEN_X - _JOINT / _P_X),
    (r"p(z \mid x) = \frac{p(x \mid z) p(z)}{p(x)}", True, _Z_GIVEN_X - _X_GIVEN_Z * _P_Z / _P_X),
    (r"p(x, z) = p(z \mid x) p(x)", True, _JOINT - _Z_GIVEN_X * _P_X),
    (r"q(z \mid x) q(x) = q(x \mid z) q(z)", True, _Z_GIVEN_X * _P_X - _X_GIVEN_Z * _P_Z),
    (r"p(z \mid x) = p(z, x)", False, _Z_GIVEN_X - _JOINT),
    (r"p(z \mid x) = p(x \mid z)", False, _Z_GIVEN_X - _X_GIVEN_Z),
    (r"p(z \mid x) = \frac{p(x \mid z) p(x)}{p(z)}", False, _Z_GIVEN_X - _X_GIVEN_Z * _P_X / _P_Z),
    (r"p(x) = p(x, z)", False, _P_X - _JOINT),
    (r"q(z \mid x) = q(z, x)", False, _Z_GIVEN_X - _JOINT),
]


@pytest.mark.parametrize("claim, holds, difference", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_the_claims_truth_on_a_discrete_joint_law(claim, holds, difference):
    assert bool(np.max(np.abs(difference)) < 1e-12) == holds


@pytest.mark.parametrize("claim", [c[0] for c in CLAIMS if c[1]])
def test_bayes_rule_and_the_product_rule_hold(claim):
    assert symml.check(claim)


@pytest.mark.parametrize("claim", [c[0] for c in CLAIMS if not c[1]])
def test_a_conditional_is_not_the_joint_nor_the_reversed_conditional(claim):
    verdict = symml.check(claim)
    assert not verdict and not verdict.kind.holds


def test_a_likelihood_keeps_its_reading_in_an_mle_chain():
    text = ("$$ p(x \\mid \\theta) = \\theta e^{-\\theta x} $$\n"
            "$$ \\log \\prod_{i=1}^n p(x_i \\mid \\theta) = n \\log\\theta - \\theta \\sum_{i=1}^n x_i $$")
    assert [c.status for c in check_notes_text(text).checks] == [StepStatus.DEFINITION, StepStatus.HOLDS]


def test_a_likelihood_defined_with_a_bar_is_used_with_it():
    text = ("$$ p(x \\mid \\theta) = \\theta e^{-\\theta x} $$\n"
            "$$ \\frac{d}{d\\theta} \\log p(x \\mid \\theta) = \\frac{1}{\\theta} - x $$\n"
            "$$ \\frac{d}{d\\theta} \\log p(x \\mid \\theta) = \\frac{1}{\\theta} + x $$")
    assert [c.status for c in check_notes_text(text).checks][-2:] == [StepStatus.HOLDS, StepStatus.WRONG]


def test_parameters_after_a_semicolon_are_what_the_density_is_conditioned_on():
    assert symml.check(r"p(x; \theta) = p(x \mid \theta)")
    assert symml.check(r"p(x, z; \theta) = p(x \mid z; \theta) p(z; \theta)")


def test_a_row_relating_a_conditional_to_the_joint_is_checked_not_taken_for_a_definition():
    text = "$$ p(\\mathbf{z} \\vert \\mathbf{x}) = \\frac{p(\\mathbf{z}, \\mathbf{x})}{p(\\mathbf{x})} $$"
    assert [c.status for c in check_notes_text(text).checks] == [StepStatus.HOLDS]
