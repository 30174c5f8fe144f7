"""Notation and structure of real notes, each with a correct and a wrong variant: the correct one is never
reported wrong, the wrong one is caught at its line (or, where the reading is a guess, left unchecked)."""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks]


@pytest.mark.parametrize("right, holds", [(r"x \log p + (1 - x) \log(1 - p)", True),
                                          (r"x \log p + (1 + x) \log(1 - p)", False)])
def test_a_density_written_with_mid_is_read(right, holds):
    # log p(x | p) for the Bernoulli mass function p^x (1-p)^(1-x)
    text = f"$$ p(x \\mid p) = p^x (1 - p)^{{1 - x}} $$\n$$ \\log p(x \\mid p) = {right} $$"
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


@pytest.mark.parametrize("right, holds", [(r"\frac{x}{\lambda} - 1", True), (r"\frac{x}{\lambda} + 1", False)])
def test_a_labelled_function_p_m_is_a_function_not_a_power(right, holds):
    # d/dlambda log of the Poisson mass function lambda^x e^-lambda / x!: x/lambda - 1
    text = ("$$ p^m(x \\mid \\lambda) = \\frac{\\lambda^x}{x!} e^{-\\lambda} $$\n"
            f"$$ \\frac{{\\partial \\log p^m(x \\mid \\lambda)}}{{\\partial \\lambda}} = {right} $$")
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


@pytest.mark.parametrize("right, holds", [(r"\sigma(x) (1 - \sigma(x))", True), (r"\sigma(x) (1 + \sigma(x))", False)])
def test_a_prime_is_the_derivative_of_the_function(right, holds):
    # sigma'(x) = sigma(x)(1 - sigma(x)); checked against central differences below
    assert _statuses(f"$$ \\sigma'(x) = {right} $$") == [StepStatus.HOLDS if holds else StepStatus.WRONG]


def test_the_sigmoid_derivative_oracle_by_central_differences():
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    t, h = 0.7, 1e-6
    assert abs((sigmoid(t + h) - sigmoid(t - h)) / (2 * h) - sigmoid(t) * (1 - sigmoid(t))) < 1e-8


@pytest.mark.parametrize("right, holds", [(r"2 \lambda w", True), (r"\lambda w", False)])
def test_nabla_with_a_subscript_is_the_derivative_by_it(right, holds):
    assert _statuses(f"$$ \\nabla_{{\\mathbf{{w}}}} \\lambda w^2 = {right} $$") == [
        StepStatus.HOLDS if holds else StepStatus.WRONG]


def test_distributions_and_sets_are_declarations_not_claims():
    statuses = _statuses("$$ y_i \\sim \\mathcal{N}(\\mu, \\sigma^2), \\quad i = 1, \\ldots, n $$\n"
                         "$$ x \\in \\mathbb{R} $$\n$$ \\sum_{x \\in S} 1 = 2 $$")
    assert statuses[:2] == [StepStatus.GIVEN, StepStatus.GIVEN] and statuses[2] is not StepStatus.GIVEN


@pytest.mark.parametrize("right, holds", [(r"\sum_{k=1}^K y_k + 1", True), (r"\sum_{k=1}^K y_k + 2", False)])
def test_a_sum_without_limits_runs_to_the_one_limit_the_notes_write(right, holds):
    assert _statuses(f"$$ \\sum_k y_k + 1 = {right} $$") == [StepStatus.HOLDS if holds else StepStatus.WRONG]


@pytest.mark.parametrize("right, holds", [("a_i - y_i", True), ("a_i + y_i", False)])
def test_a_free_index_names_an_element_so_softmax_cross_entropy_gradients_check(right, holds):
    # d/dz_i of -sum_k y_k log softmax_k(z) = a_i sum_k y_k - y_i; with one-hot labels (prose) a_i - y_i
    text = ("$$ a_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}} $$\n$$ L = -\\sum_k y_k \\log a_k $$\n"
            f"$$ \\frac{{\\partial L}}{{\\partial z_i}} = a_i \\sum_k y_k - y_i = {right} $$")
    checks = check_notes_text(text, points=4).checks
    assert checks[-2].status is StepStatus.HOLDS
    # the correct last step needs sum_k y_k = 1 (one-hot labels), said in words: unchecked with that reason
    if holds:
        assert checks[-1].status is StepStatus.UNCHECKED and "= 1" in checks[-1].note
    else:
        assert checks[-1].status is StepStatus.WRONG


@pytest.mark.parametrize("right, holds", [(r"\log \sum_z p(x, z; \theta)", True),
                                          (r"\log \sum_z \frac{p(x, z; \theta)}{2}", False)])
def test_identities_in_undefined_functions_applied_alike_are_checked(right, holds):
    text = f"$$ \\log \\sum_z p(x, z; \\theta) = \\log \\sum_z Q \\frac{{p(x, z; \\theta)}}{{Q}} = {right} $$"
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


def test_a_marginal_is_not_an_identity_in_the_function_so_it_is_not_reported_wrong():
    # p(x) = sum_z p(x, z) relates two different functions: never "wrong"
    assert _statuses("$$ \\log p(x; \\theta) = \\log \\sum_z p(x, z; \\theta) $$") != [StepStatus.WRONG]
