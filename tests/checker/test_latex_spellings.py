"""Spellings of the same LaTeX that real notes use (symml/checker/latex_spellings.py), each with a correct and a
wrong variant: the correct one holds, the wrong one is caught at its line (or, where reading took a guess, left
unchecked, never reported wrong). The oracles are central differences."""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks]


def _expected(holds: bool) -> StepStatus:
    return StepStatus.HOLDS if holds else StepStatus.WRONG


def _central_difference(function, at: float, step: float = 1e-6) -> float:
    return (function(at + step) - function(at - step)) / (2 * step)


@pytest.mark.parametrize("right, holds", [(r"2\sigma_\varepsilon", True), (r"\sigma_\varepsilon", False)])
def test_a_superscript_written_before_the_subscript_is_a_power_of_the_subscripted_name(right, holds):
    # sigma^2_epsilon is (sigma_epsilon)^2 in TeX: its derivative by sigma_epsilon is 2 sigma_epsilon
    text = f"$$ \\frac{{d}}{{d\\sigma_\\varepsilon}} \\sigma^2_\\varepsilon = {right} $$"
    assert _statuses(text) == [_expected(holds)]
    assert abs(_central_difference(lambda s: s ** 2, 1.3) - 2 * 1.3) < 1e-8


@pytest.mark.parametrize("right, holds", [("a^L_j - y_j", True), ("y_j - a^L_j", False)])
def test_a_layer_label_before_the_subscript_labels_the_element(right, holds):
    # a^L_j is element j of the layer-L activations a^L (a label, not a power): d/da (a - y)^2 / 2 = a - y
    text = f"$$ \\frac{{\\partial}}{{\\partial a^L_j}} \\frac{{1}}{{2}}(y_j - a^L_j)^2 = {right} $$"
    assert _statuses(text) == [_expected(holds)]
    assert abs(_central_difference(lambda a: (0.4 - a) ** 2 / 2, 1.1) - (1.1 - 0.4)) < 1e-8


@pytest.mark.parametrize("right, holds", [(r"\frac{1}{x}", True), ("-x", False)])
def test_a_superscript_minus_one_is_a_power_not_a_label(right, holds):
    assert _statuses(f"$$ x^{{-1}} = {right} $$") == [_expected(holds)]


@pytest.mark.parametrize("right, holds", [("−2(x − μ)", True), ("2(x − μ)", False)])
def test_unicode_symbols_typed_in_the_math_are_read_as_their_commands(right, holds):
    # ∂/∂μ (x − μ)² = −2(x − μ), typed with Unicode ∂, −, μ
    assert _statuses(f"$$ \\frac{{∂}}{{∂μ}} (x − μ)^2 = {right} $$") == [_expected(holds)]
    assert abs(_central_difference(lambda m: (0.5 - m) ** 2, 0.2) - (-2 * (0.5 - 0.2))) < 1e-8


@pytest.mark.parametrize("middle, holds", [("2ab", True), ("ab", False)])
def test_coloured_and_struck_out_terms_are_read_as_written(middle, holds):
    text = (f"$$ (a + b)^2 = a^2 + \\color{{red}}{{{middle}}} + b^2 $$\n"
            f"$$ (a + b)^2 = a^2 + \\cancel{{{middle}}} + b^2 $$")
    assert _statuses(text) == [_expected(holds)] * 2


@pytest.mark.parametrize("row, holds", [(r"x + 2\cancelto{0}{(y - y)}", True), (r"x + 2\cancelto{0}{y}", None)])
def test_a_term_cancelled_to_zero_is_never_reported_wrong(row, holds):
    # the notes take y = 0 by cancelling it (E[epsilon] = 0): the row reads x + 2y, which is not x, but that is a
    # fact the notes use, so the step is unchecked with the guess, not wrong
    statuses = _statuses(f"$$ x = {row} $$")
    assert statuses == [StepStatus.HOLDS] if holds else StepStatus.WRONG not in statuses


@pytest.mark.parametrize("formula, holds", [(r"\frac{1}{1 + e^{-z}}", True), (r"\frac{1}{1 - e^{-z}}", False)])
def test_a_probability_of_events_set_to_a_formula_is_the_model_and_the_chain_goes_on_from_the_formula(formula, holds):
    # P(y = 1 | x) = sigma(z) states the model (symml/checker/model_statements.py); sigma(t) = 1 / (1 + e^-t)
    statuses = _statuses(f"$$ P(y = 1 \\mid x) = \\sigma(z) = {formula} $$")
    assert statuses == [StepStatus.GIVEN, _expected(holds)]
    assert abs(1 / (1 + np.exp(-0.8)) - np.exp(0.8) / (1 + np.exp(0.8))) < 1e-15


@pytest.mark.parametrize("right, holds", [(r"\sum_{k=1}^{C} x_k r_k", True), (r"\sum_{k=1}^{C} x_k^2 r_k", False)])
def test_a_subscript_that_is_the_index_of_the_sum_around_it_is_an_index(right, holds):
    # r_c inside sum_c is element c of r (read as one name r_c, the sum would be r_c times the sum of the x_c)
    assert _statuses(f"$$ \\sum_{{c=1}}^{{C}} x_c r_c = {right} $$") == [_expected(holds)]
    assert _statuses(f"$$ \\sum_{{c=1}}^{{C}} x_c r_\\mathbf{{c}} = {right} $$") == [_expected(holds)]


@pytest.mark.parametrize("right, holds", [(r"\mu_{\text{MLE}}^2 + 2\mu_\text{MLE} + 1", True),
                                          (r"\mu_{\text{MLE}}^2 + \mu_\text{MLE} + 1", False)])
def test_a_one_word_text_in_a_subscript_is_part_of_the_name(right, holds):
    # mu_MLE, written with and without braces around \text{MLE} (which is not a justification to drop)
    assert _statuses(f"$$ (\\mu_\\text{{MLE}} + 1)^2 = {right} $$") == [_expected(holds)]


@pytest.mark.parametrize("expanded, holds", [("y_i^2 - 2 w x_i y_i + w^2 x_i^2", True),
                                             ("y_i^2 - w x_i y_i + w^2 x_i^2", False)])
def test_a_subscripted_name_applied_to_one_name_is_a_function_defined_once_and_used_later(expanded, holds):
    # ell_i(w), a per-sample loss: a function of w for each i (a guess, so a wrong use is unchecked, never wrong)
    text = f"$$ \\ell_i(\\mathbf{{w}}) = (y_i - w x_i)^2 $$\n$$ \\ell_i(\\mathbf{{w}}) = {expanded} $$"
    assert _statuses(text) == [StepStatus.DEFINITION, StepStatus.HOLDS if holds else StepStatus.UNCHECKED]
