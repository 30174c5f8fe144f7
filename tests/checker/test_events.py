"""Probabilities of events, as notes on mixtures, EM, HMMs and Bayes' rule write them: ``p(X_i = x)``,
``P(Z_i = k \\mid X_i = x)``, ``\\Pr(x_i \\mid Z_i = k)``, ``P(O \\mid S)``, ``p_\\theta(\\mathbf{x}, \\mathbf{z})``.
They obey Bayes' rule, the product rule and the sum rule over the values of a variable. Each behaviour has a
correct and a wrong variant; a wrong step that the rules cannot refute is never reported as holding.
"""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text
from symml.checker.parse_latex import parse_latex

DECIDED = (StepStatus.HOLDS, StepStatus.WRONG)


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks
            if check.status not in (StepStatus.GIVEN, StepStatus.DEFINITION)]


@pytest.mark.parametrize("right, status", [
    (r"\frac{P(X = x \mid Z = k) P(Z = k)}{P(X = x)}", StepStatus.HOLDS),
    (r"\frac{P(X = x \mid Z = k) P(Z = k)}{P(X = x)^2}", StepStatus.WRONG),
])
def test_bayes_rule_holds_for_probabilities_of_events(right, status):
    assert _statuses(rf"$$ P(Z = k \mid X = x) = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [
    (r"\sum_{k=1}^K p(X_i = x \mid Z_i = k) P(Z_i = k)", StepStatus.HOLDS),
    (r"2 \sum_{k=1}^K p(X_i = x \mid Z_i = k) P(Z_i = k)", StepStatus.WRONG),
])
def test_the_sum_rule_over_the_values_of_a_latent_variable(right, status):
    assert _statuses(rf"$$ p(X_i = x) = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [("1", StepStatus.HOLDS), ("2", StepStatus.WRONG)])
def test_conditional_probabilities_over_every_value_sum_to_one(right, status):
    # responsibilities: sum_k P(Z_i = k | X_i = x) = 1
    assert _statuses(rf"$$ P(X_i = x) \sum_{{k=1}}^K P(Z_i = k \mid X_i = x) = {right} P(X_i = x) $$") == [status]


def test_a_sum_over_part_of_the_values_is_not_the_sum_rule():
    assert _statuses(r"$$ \sum_{k=2}^K P(Z = k) = 1 $$") != [StepStatus.HOLDS]


def test_a_product_rule_with_the_wrong_factor_is_never_reported_as_holding():
    assert _statuses(r"$$ P(X = x, Z = k) = P(X = x \mid Z = k) P(Z = k) $$") == [StepStatus.HOLDS]
    assert _statuses(r"$$ P(X = x, Z = k) = P(Z = k \mid X = x) P(Z = k) $$")[0] is not StepStatus.HOLDS


@pytest.mark.parametrize("right, status", [
    (r"\Pr(x_i \mid Z_i = k) \Pr(Z_i = k) / \Pr(x_i)", StepStatus.HOLDS),
    (r"\Pr(x_i \mid Z_i = k) \Pr(Z_i = k) / (2 \Pr(x_i))", StepStatus.WRONG),
])
def test_pr_of_an_observation_and_a_class(right, status):
    assert _statuses(rf"$$ \Pr(Z_i = k \mid x_i) = {right} $$") == [status]


def test_a_sum_over_the_hidden_sequence_of_an_hmm():
    assert _statuses(r"$$ P(O) = \sum_S P(O, S) = \sum_S P(O \mid S) P(S) $$") == [StepStatus.HOLDS] * 2
    # P(O | S) summed over S is no probability the rules name: never "holds"
    assert _statuses(r"$$ P(O) = \sum_S P(O, S) = \sum_S P(O \mid S) $$")[1] is not StepStatus.HOLDS


def test_a_law_with_a_parameter_and_a_sum_over_a_vector():
    # p of names is a probability in notes that write P_theta(z | x): the joint of x and z, summed over z
    text = (r"$$ \log p_{\theta}(\mathbf{x}) = \log \sum_{\mathbf{z}} p_{\theta}(\mathbf{x}, \mathbf{z})"
            r" = \log p_{\theta}(\mathbf{x}, \mathbf{z}) - \log P_{\theta}(\mathbf{z} | \mathbf{x}) $$")
    assert _statuses(text) == [StepStatus.HOLDS, StepStatus.HOLDS]
    # a sum from z = 2 is not the marginal: the first row is not reduced to p(x) (it reads as a definition of p(x))
    partial = check_notes_text(text.replace(r"\sum_{\mathbf{z}}", r"\sum_{z=2}^{n}"), points=4).checks
    assert partial[0].status is not StepStatus.HOLDS


@pytest.mark.parametrize("right, status", [
    (r"\log p_{\theta}(\mathbf{x}, \mathbf{z}) - \log p_{\theta}(\mathbf{x})", StepStatus.HOLDS),
    (r"\log p_{\theta}(\mathbf{x}, \mathbf{z}) + \log p_{\theta}(\mathbf{x})", StepStatus.WRONG),
])
def test_a_law_with_a_parameter_obeys_bayes_rule(right, status):
    assert _statuses(rf"$$ \log P_{{\theta}}(\mathbf{{z}} | \mathbf{{x}}) = {right} $$") == [status]


def test_the_parameter_of_a_law_is_an_argument_so_definitions_substitute_it():
    (_, left), (_, right) = parse_latex(r"P_{\theta^{(t)}}(Z = k) = P_{\theta}(Z = k)")
    assert left != right and left.func == right.func


def test_a_primed_index_is_a_sum_index():
    assert _statuses(r"$$ \Pr(x_i) = \sum_{k'} \Pr(x_i, Z_i=k') = \sum_{k'} \Pr(x_i | Z_i=k')\Pr(Z_i=k') $$") == \
        [StepStatus.HOLDS, StepStatus.HOLDS]


def test_p_of_an_expression_that_is_no_event_stays_a_product():
    assert _statuses(r"$$ P(1 + e^z) = P + P e^z $$") == [StepStatus.HOLDS]
    assert _statuses(r"$$ P(1 + e^z) = P + e^z $$") == [StepStatus.WRONG]


def test_the_sum_rule_agrees_with_a_random_joint_distribution():
    # an independent check of the rewriting: a random joint table P(X, Z) over 3 x 4 values
    table = np.random.default_rng(0).random((3, 4))
    table /= table.sum()
    marginal_x = table.sum(axis=1)
    conditional = table / table.sum(axis=0)  # P(X = x | Z = k)
    assert np.allclose((conditional * table.sum(axis=0)).sum(axis=1), marginal_x)  # sum_k P(x | k) P(k) = P(x)
    assert np.allclose((table / marginal_x[:, None]).sum(axis=1), 1)  # sum_k P(k | x) = 1


@pytest.mark.parametrize("right, status", [(r"2 \sum_{i=1}^n \gamma_{z_i}(k) x_i", StepStatus.HOLDS),
                                           (r"\gamma_{z_i}(k) \sum_{i=1}^n 2 x_i", StepStatus.UNDECIDED)])
def test_a_responsibility_depends_on_its_index(right, status):
    # gamma_{z_i}(k) is a function of i and k: it does not come out of the sum over i
    assert _statuses(rf"$$ \sum_{{i=1}}^n 2 \gamma_{{z_i}}(k) x_i = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [(r"\hat{\sigma}_k^2", StepStatus.HOLDS),
                                           (r"2 \hat{\sigma}_k^2", StepStatus.WRONG)])
def test_an_accent_over_a_subscripted_name_is_the_accented_name_at_the_index(right, status):
    assert _statuses(rf"$$ \hat{{\sigma_k^2}} = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [(r"2 \theta^2", StepStatus.HOLDS), (r"4 \theta^2", StepStatus.WRONG)])
def test_q_of_a_parameter_given_another_is_a_function(right, status):
    text = r"$$ Q(\theta \mid \theta_0) := \theta^2 \theta_0 $$" "\n" rf"$$ Q(\theta \mid 2) = {right} $$"
    assert _statuses(text) == [status]


def test_a_subscripted_name_before_one_name_in_brackets_is_never_reported_wrong():
    # alpha_t(j) of the forward algorithm: a function of j as much as a product with it
    assert _statuses(r"$$ \alpha_t(j) = \alpha_t j + 1 $$") != [StepStatus.WRONG]
    assert _statuses(r"$$ \alpha_i(1 - y_i) = \alpha_i - \alpha_i y_i + 1 $$") == [StepStatus.WRONG]


def test_a_listed_range_of_variables_is_not_one_of_them():
    # p(s_i | s_1, ..., s_{i-1}) conditions on the earlier states: neither s_i itself nor the whole sequence
    text = r"$$ P(O \mid S) + p(s_i \mid s_1, s_2, \dots, s_{i-1}) = P(O \mid S) + 1 $$"
    assert _statuses(text) != [StepStatus.HOLDS]
    assert _statuses(r"$$ P(X_1=x_1,\ldots,X_n=x_n) = \sum_{k=1}^K P(X_1=x_1,\ldots,X_n=x_n, Z = k) $$") == \
        [StepStatus.HOLDS]
