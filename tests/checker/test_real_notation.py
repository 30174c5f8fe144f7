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


@pytest.mark.parametrize("statement, claim", [
    (r"y_i \sim \mathcal{N}(\mu, \sigma^2), \quad i = 1, \ldots, n", r"\sum_{x \in S} 1 = 2"),  # distributions
    (r"x \in \mathbb{R}", r"\sum_{x \in S} 1 = 2"),  # sets
    (r"\min_{w, b} \frac{1}{2} \|w\|^2", r"\max(a, b) = a + b"),  # optimisation problems
    (r"\hat\theta = \arg\max_\theta L(\theta)", r"\max(a, b) = a + b"),  # estimators defined by one
    (r"\mathbf{w} = (w_{1}, w_{2}, \cdots, w_{n})", r"w = (w_1 + w_2)"),  # vectors listed with an ellipsis
])
def test_statements_are_assumptions_not_claims(statement, claim):
    statuses = _statuses(f"$$ {statement} $$\n$$ {claim} $$")
    assert statuses[0] is StepStatus.GIVEN and statuses[1] is not StepStatus.GIVEN


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


@pytest.mark.parametrize("right, holds", [(r"\sum_{i=1}^n y_i^2 - 2 \mu \sum_{i=1}^n y_i + n \mu^2", True),
                                          (r"\sum_{i=1}^n y_i^2 - \mu \sum_{i=1}^n y_i + n \mu^2", False)])
def test_the_inner_product_of_a_data_vector_with_itself_is_the_sum_of_squares(right, holds):
    # sum_i (y_i - mu)^2 = y^T y - 2 mu sum_i y_i + n mu^2
    text = f"$$ \\sum_{{i=1}}^n (y_i - \\mu)^2 = y^\\top y - 2 \\mu \\sum_{{i=1}}^n y_i + n \\mu^2 = {right} $$"
    assert _statuses(text) == [StepStatus.HOLDS, StepStatus.HOLDS if holds else StepStatus.WRONG]


@pytest.mark.parametrize("right, holds", [(r"\lambda^{\sum_{i=1}^n y_i} e^{-n \lambda} / \prod_{i=1}^n y_i!", True),
                                          (r"\lambda^{\sum_{i=1}^n y_i} e^{-\lambda} / \prod_{i=1}^n y_i!", False)])
def test_a_density_of_the_whole_data_vector_is_the_joint_density(right, holds):
    # p(y | lambda) = prod_i p(y_i | lambda) defines the joint density; the next side is checked against it
    text = ("$$ p(y_i | \\lambda) = \\frac{\\lambda^{y_i} e^{-\\lambda}}{y_i!} $$\n"
            f"$$ p(y | \\lambda) = \\prod_{{i=1}}^n p(y_i | \\lambda) = {right} $$")
    statuses = _statuses(text)
    assert statuses[1] is StepStatus.DEFINITION
    assert statuses[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


@pytest.mark.parametrize("right, holds", [(r"-\frac{n}{2 \sigma^2} + \frac{S}{2 \sigma^4}", True),
                                          (r"-\frac{n}{\sigma} + \frac{S}{\sigma^3}", False)])
def test_a_derivative_by_the_variance_is_read(right, holds):
    # d/d(sigma^2) of -n/2 log sigma^2 - S/(2 sigma^2); the wrong variant is the derivative by sigma
    text = ("$$ \\ell(\\sigma^2) = -\\frac{n}{2} \\log \\sigma^2 - \\frac{S}{2 \\sigma^2} $$\n"
            f"$$ \\frac{{d \\ell(\\sigma^2)}}{{d \\sigma^2}} = {right} $$")
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


@pytest.mark.parametrize("row, holds", [("0 = -n + \\frac{S}{\\sigma^2}", True), ("0 = \\frac{S}{\\sigma^2}", False)])
def test_an_equation_after_a_condition_is_checked_as_an_implication(row, holds):
    # from -n/sigma + S/sigma^3 = 0, multiplying by sigma keeps it; dropping the term -n does not follow
    text = f"$$ -\\frac{{n}}{{\\sigma}} + \\frac{{S}}{{\\sigma^3}} = 0 $$\n$$ {row} $$"
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


@pytest.mark.parametrize("row, holds", [("- \\log \\sigma", True), ("- 2 \\log \\sigma", False)])
def test_a_row_that_starts_with_an_operator_continues_the_expression_above(row, holds):
    text = ("$$\\begin{aligned} \\log p(x \\mid \\sigma) =& -\\frac{x^2}{2 \\sigma^2} - \\frac{1}{2} \\log(2 \\pi) \\\\"
            f" & {row} \\end{{aligned}}$$\n"
            "$$ \\frac{\\partial \\log p(x \\mid \\sigma)}{\\partial \\sigma} = \\frac{x^2}{\\sigma^3} - \\frac{1}{\\sigma} $$")
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)


def test_a_chain_goes_on_from_a_side_that_is_not_shown_wrong():
    # g_i (never defined) becomes the density e^{-x_i}: not derived; the next sides are checked against it
    text = ("$$ L = \\prod_{i=1}^n g_i = \\prod_{i=1}^n e^{-x_i} = e^{-\\sum_{i=1}^n x_i} "
            "= e^{-2 \\sum_{i=1}^n x_i} $$")
    statuses = _statuses(text)
    assert StepStatus.WRONG not in statuses[:-2] and statuses[-2:] == [StepStatus.HOLDS, StepStatus.WRONG]




@pytest.mark.parametrize("right, holds", [(r"\frac{x - \mu}{\sigma^2}", True), (r"\frac{x + \mu}{\sigma^2}", False)])
def test_a_log_density_written_out_defines_the_density(right, holds):
    text = ("$$ \\log p(x \\mid \\mu) = -\\frac{(x - \\mu)^2}{2 \\sigma^2} - \\frac{1}{2} \\log(2 \\pi \\sigma^2) $$\n"
            f"$$ \\frac{{\\partial \\log p(x \\mid \\mu)}}{{\\partial x}} = -{right} $$")
    assert _statuses(text) == [StepStatus.DEFINITION, StepStatus.HOLDS if holds else StepStatus.WRONG]


@pytest.mark.parametrize("third, status", [("\\frac{1}{n}", StepStatus.WRONG), ("\\frac{1}{n-1}", StepStatus.HOLDS)])
def test_two_read_sides_after_a_step_symml_cannot_check_are_compared(third, status):
    # the second side uses names the first does not (u_i for x_i^2, said in the prose): unchecked; the third side,
    # read in full like the second, is compared with it: a disagreement is a slip in the second or the third row,
    # reported at the third, naming the second
    text = ("$$ \\sum_{i=1}^n x_i^2 $$\n"
            "$$\\begin{aligned} V &= \\frac{1}{n} \\sum_{i=1}^n u_i \\\\ &= \\frac{1}{n-1} \\sum_{i=1}^n x_i^2 \\\\"
            f" &= {third} \\sum_{{i=1}}^n x_i x_i \\end{{aligned}}$$")
    checks = check_notes_text(text, points=4).checks
    assert [c.status for c in checks[2:]] == [StepStatus.UNCHECKED, status]
    assert status is StepStatus.HOLDS or "the slip may be in" in checks[-1].note
