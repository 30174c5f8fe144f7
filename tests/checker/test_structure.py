"""The structure and matrix notation of real notes: declared matrices, braces under terms, equations that follow
from several imposed conditions, and facts said in the prose. Each behaviour has a correct and a wrong variant.
"""
from __future__ import annotations

import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

DECLARED = r"Let $X \in \mathbb{R}^{n \times d}$, $\mathbf{y} \in \mathbb{R}^n$ and $\mathbf{w} \in \mathbb{R}^d$." "\n"


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks]


@pytest.mark.parametrize("right, status", [
    (r"w^TX^TXw - 2w^TX^Ty + y^Ty", StepStatus.HOLDS),
    (r"w^TX^TXw - 2w^TX^Ty - y^Ty", StepStatus.WRONG),
])
def test_declared_vectors_and_matrices_are_expanded_at_matrix_level(right, status):
    assert _statuses(DECLARED + f"$$ (Xw - y)^T (Xw - y) = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [
    (r"2X^\top (X\mathbf{w} - \mathbf{y})", StepStatus.HOLDS),
    (r"2X^\top (X\mathbf{w} + \mathbf{y})", StepStatus.WRONG),
])
def test_the_gradient_by_a_declared_vector_is_taken_at_matrix_level(right, status):
    assert _statuses(DECLARED + rf"$$ \nabla_{{\mathbf{{w}}}} \|X\mathbf{{w}} - \mathbf{{y}}\|_2^2 = {right} $$") \
        == [status]


def test_a_product_with_a_missing_transpose_is_not_read_as_a_scalar():
    statuses = _statuses(DECLARED + r"$$ \nabla_{\mathbf{w}} \|X\mathbf{w} - \mathbf{y}\|^2 = 2X (X\mathbf{w} - \mathbf{y}) $$")
    assert statuses == [StepStatus.UNCHECKED]  # the shapes do not fit: never "holds" as it would for scalars


@pytest.mark.parametrize("right, status", [(r"\Sigma^{-1}", StepStatus.HOLDS), (r"\Sigma", StepStatus.WRONG)])
def test_a_matrix_stated_positive_definite_is_sampled_symmetric(right, status):
    text = (r"Let $\boldsymbol\Sigma \in \mathbb{R}^{d \times d}$, $\boldsymbol\Sigma \succ 0$." "\n"
            rf"$$ \frac{{\partial}}{{\partial \Sigma}} \log \det(\Sigma) = {right} $$")
    assert _statuses(text) == [status]


@pytest.mark.parametrize("right, status", [(r"a - b - c", StepStatus.HOLDS), (r"a - b + c", StepStatus.WRONG)])
def test_a_brace_drawn_under_terms_after_a_minus_does_not_group_them(right, status):
    assert _statuses(rf"$$ a - \underbrace{{b - c}}_{{\text{{both}}}} = {right} $$") == [status]


@pytest.mark.parametrize("subtracted, status", [
    (r"w (x - z) = 0", StepStatus.HOLDS),
    (r"w (x + z) = 0", StepStatus.CONDITION),  # not implied by the two, but maybe by the prose: never wrong
])
def test_an_equation_combining_two_imposed_conditions_follows_from_them(subtracted, status):
    text = "$$ w x + b = 0 $$\n$$ w z + b = 0 $$\nSubtracting the two equations:\n" f"$$ {subtracted} $$"
    assert _statuses(text)[-1] is status


@pytest.mark.parametrize("rescaled, status", [
    (r"-n + \frac{S}{\sigma^2} = 0", StepStatus.HOLDS),
    (r"-n + \frac{S}{\sigma} = 0", StepStatus.WRONG),  # it fails where the first one holds
])
def test_a_condition_multiplied_by_a_positive_factor_follows_from_it(rescaled, status):
    text = r"$$ -\frac{n}{\sigma} + \frac{S}{\sigma^3} = 0 $$" "\nSince sigma is positive\n" f"$$ {rescaled} $$"
    assert _statuses(text)[-1] is status


@pytest.mark.parametrize("restated, status", [
    (r"\frac{1}{N} \sum_{i=1}^N x_i^2", StepStatus.HOLDS),
    (r"\frac{1}{N} \sum_{i=1}^N 2 x_i^2", StepStatus.WRONG),
])
def test_a_definition_restated_under_a_fact_of_the_prose_holds_given_that_fact(restated, status):
    text = (r"$$ S = \frac{1}{N} \sum_{i=1}^N (x_i - m)^2 $$" "\nSince $ m = 0 $, we have\n" f"$$ S = {restated} $$")
    assert _statuses(text) == [StepStatus.DEFINITION, status]


@pytest.mark.parametrize("prose, status", [
    (r"where constant factors are absorbed into $\eta$.", StepStatus.UNCHECKED),
    ("where the step is exact.", StepStatus.WRONG),
])
def test_a_factor_absorbed_into_a_constant_is_unchecked_only_when_the_prose_says_so(prose, status):
    text = DECLARED + (r"Let $u \in \mathbb{R}^d$." "\n" r"$$ v = u - \eta \frac{2}{n} X^T (X w - y) $$" "\n"
                       r"$$ u - \eta \frac{2}{n} X^T (X w - y) = u - \eta (X^T X w - X^T y) $$" f"\n{prose}\n")
    assert _statuses(text)[-1] is status


@pytest.mark.parametrize("chain, status", [
    (r"\frac{\partial L}{\partial a^{[l]}} \frac{\partial a^{[l]}}{\partial z^{[l]}} \frac{\partial z^{[l]}}{\partial W^{[l]}}",
     StepStatus.HOLDS),
    (r"\frac{\partial L}{\partial a^{[l]}} \frac{\partial z^{[l]}}{\partial W^{[l]}}", StepStatus.UNCHECKED),
])
def test_the_chain_rule_across_named_layers_holds_and_a_broken_chain_is_never_wrong(chain, status):
    assert _statuses(rf"$$ \frac{{\partial L}}{{\partial W^{{[l]}}}} = {chain} $$") == [status]


@pytest.mark.parametrize("right, status", [(r"\frac{dL}{dz^{[l]}}", StepStatus.HOLDS),
                                           # not "holds"; not yet "wrong" (the sides are compared by name first)
                                           (r"2 \frac{dL}{dz^{[l]}}", StepStatus.UNCHECKED)])
def test_a_layer_quantity_defined_from_others_keeps_its_dependency(right, status):
    text = (r"$$ z^{[l]} = w^{[l]} a^{[l-1]} + b^{[l]} $$" "\n"
            r"$$ \frac{dL}{db^{[l]}} = \frac{dL}{dz^{[l]}} \frac{dz^{[l]}}{db^{[l]}} = " f"{right} $$")
    assert _statuses(text) == [StepStatus.DEFINITION, StepStatus.HOLDS, status]
