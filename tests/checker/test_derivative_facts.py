"""Rows about derivatives of quantities the notes never write out, used by the rows after them
(symml/checker/derivative_facts.py): backpropagation as notes write it."""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker.notes import check_notes_text
from symml.checker.steps import StepStatus

CHAIN = ("$$ \\frac{\\partial L}{\\partial W} = \\frac{\\partial L}{\\partial a} \\frac{\\partial a}{\\partial z}"
         " \\frac{\\partial z}{\\partial W} $$\n"
         "$$ \\frac{\\partial L}{\\partial a} \\frac{\\partial a}{\\partial z} = \\hat{y} - y $$\n"
         "$$ z = W h + b $$\n")


def _checks(text: str):
    return check_notes_text(text, kind="md", points=4).checks


def test_a_gradient_follows_from_the_chain_rule_and_the_rows_before_it():
    # dL/dW = (dL/da da/dz) dz/dW = (y_hat - y) h
    last = _checks(CHAIN + "$$ \\frac{\\partial L}{\\partial W} = (\\hat{y} - y) h $$")[-1]
    assert last.status is StepStatus.HOLDS and "follows from line 1, line 2" in last.note
    # independently: a sigmoid output with cross-entropy, differentiated by finite differences
    h, b, y, w, step = 0.7, -0.3, 1.0, 0.4, 1e-6
    sigmoid = lambda w: 1 / (1 + np.exp(-(w * h + b)))  # noqa: E731
    loss = lambda w: -(y * np.log(sigmoid(w)) + (1 - y) * np.log(1 - sigmoid(w)))  # noqa: E731
    y_hat = sigmoid(w)
    assert np.isclose((loss(w + step) - loss(w - step)) / (2 * step), (y_hat - y) * h)


def test_a_wrong_gradient_from_a_row_symml_could_not_check_is_unchecked_not_wrong():
    last = _checks(CHAIN + "$$ \\frac{\\partial L}{\\partial W} = 2 (\\hat{y} - y) h $$")[-1]
    assert last.status is StepStatus.UNCHECKED and "one of which symml could not check" in last.note


@pytest.mark.parametrize("right, holds", [("(\\hat{y} - y) W", True), ("(\\hat{y} - y) W^2", False)])
def test_a_chain_of_derivatives_given_by_an_earlier_row_gives_its_joined_derivative(right, holds):
    # dL/da da/dz = y_hat - y is dL/dz; then dL/dh = dL/dz dz/dh = (y_hat - y) W
    text = CHAIN + f"$$ \\frac{{\\partial L}}{{\\partial z}} \\frac{{\\partial z}}{{\\partial h}} = {right} $$"
    last = _checks(text)[-1]
    assert (last.status is StepStatus.HOLDS) is holds
    assert last.status is not StepStatus.WRONG


@pytest.mark.parametrize("right, holds", [("\\frac{L'(\\theta)}{L(\\theta)}", True),
                                          ("\\frac{2 L'(\\theta)}{L(\\theta)}", False)])
def test_the_derivative_of_the_log_of_an_undefined_function_is_its_derivative_over_it(right, holds):
    last = _checks(f"$$ \\frac{{d}}{{d\\theta}} \\log L(\\theta) = {right} $$")[-1]
    assert (last.status is StepStatus.HOLDS) is holds and last.status is not StepStatus.WRONG
    theta, step = 0.8, 1e-6  # independently, for one L: L(t) = 2 + sin(t)
    assert np.isclose((np.log(2 + np.sin(theta + step)) - np.log(2 + np.sin(theta - step))) / (2 * step),
                      np.cos(theta) / (2 + np.sin(theta)))
