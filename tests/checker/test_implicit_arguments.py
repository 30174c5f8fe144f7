"""A defined function applied with its data left implicit, or to one observation
(symml/checker/implicit_arguments.py). Each correct variant is also checked numerically by the test itself."""
from __future__ import annotations

import math

import numpy as np
import pytest

from symml.checker.notes import check_notes_text
from symml.checker.steps import StepStatus

DENSITY = "$$ f(x; \\theta) = \\theta e^{-\\theta x} $$\n"
LIKELIHOOD = "$$ L(\\theta; X) = f(x_1; \\theta) f(x_2; \\theta) $$\n"


def _statuses(text: str) -> list[StepStatus]:
    return [c.status for c in check_notes_text(text, kind="md", points=4).checks]


@pytest.mark.parametrize("power, holds", [("n", True), ("n - 1", False)])
def test_the_density_of_one_observation_is_its_definition_at_each_data_point(power, holds):
    # prod_i theta e^{-theta x_i} = theta^n e^{-theta sum_i x_i}
    text = DENSITY + f"$$ \\prod_{{i=1}}^n f(x_i; \\theta) = \\theta^{{{power}}} e^{{-\\theta \\sum_{{i=1}}^n x_i}} $$"
    # the wrong variant is not reported wrong: reading x alone next to x_i is a guess (the checker says so)
    assert (_statuses(text)[-1] is StepStatus.HOLDS) is holds
    x, theta = np.array([0.3, 1.2, 2.0]), 0.7
    assert math.isclose(np.prod(theta * np.exp(-theta * x)), theta ** 3 * np.exp(-theta * x.sum()))


@pytest.mark.parametrize("right, holds", [("\\frac{2}{\\theta} - x_1 - x_2", True),
                                          ("\\frac{2}{\\theta} + x_1 - x_2", False)])
def test_a_likelihood_written_without_its_data_is_the_defined_likelihood(right, holds):
    text = DENSITY + LIKELIHOOD + f"$$ \\frac{{d}}{{d\\theta}} \\log L(\\theta) = {right} $$"
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    x, theta, h = np.array([0.3, 1.2]), 0.7, 1e-6
    log_l = lambda t: np.sum(np.log(t) - t * x)  # noqa: E731
    assert math.isclose((log_l(theta + h) - log_l(theta - h)) / (2 * h), 2 / theta - x.sum(), rel_tol=1e-6)


def test_a_definition_that_does_not_use_an_argument_is_not_applied_to_it():
    # J(w, b) written in p_i alone: dJ/dw is not the derivative of that body (which would vanish)
    text = "$$ J(w, b) = \\sum_{i=1}^n p_i + b $$\n$$ \\frac{dJ}{dw} = 0 $$"
    assert _statuses(text)[-1] is not StepStatus.HOLDS


@pytest.mark.parametrize("right, holds", [("a^{L-1}", True), ("2 a^{L-1}", False)])
def test_a_quantity_differentiated_before_it_is_defined_is_defined_by_its_equation(right, holds):
    # backprop notes name z^L in the chain rule first, then define z^L = W^L a^{L-1} + b^L: dz^L/dW^L = a^{L-1}
    text = ("$$ \\frac{\\partial L}{\\partial W^L} = \\frac{\\partial L}{\\partial z^L} \\frac{\\partial z^L}"
            "{\\partial W^L} $$\n$$ z^L = W^L a^{L-1} + b^L $$\n"
            f"$$ \\frac{{\\partial z^L}}{{\\partial W^L}} = {right} $$")
    checks = check_notes_text(text, kind="md", points=4).checks
    assert checks[1].status is StepStatus.DEFINITION
    assert checks[-1].status is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    w, a, b, h = 0.4, 1.3, -0.2, 1e-6
    assert math.isclose(((w + h) * a + b - ((w - h) * a + b)) / (2 * h), a)


def test_a_variable_of_a_derivative_given_a_value_is_not_defined_by_it():
    # d J / d theta = 0, then theta = 2: a value (a solution), not a definition of theta
    checks = check_notes_text("$$ \\frac{\\partial J}{\\partial \\theta} = 0 $$\n$$ \\theta = 2 $$", kind="md").checks
    assert checks[-1].status is not StepStatus.DEFINITION


def test_a_density_without_its_condition_is_the_marginal_not_the_defined_density():
    # p(x) after p(x | theta) = theta e^{-theta x} is the marginal: d/dtheta log p(x) is not 1/theta - x
    text = ("$$ p(x \\mid \\theta) = \\theta e^{-\\theta x} $$\n"
            "$$ \\frac{d}{d\\theta} \\log p(x) = \\frac{1}{\\theta} - x $$")
    assert _statuses(text)[-1] is not StepStatus.HOLDS


@pytest.mark.parametrize("derivative", ["\\frac{\\partial J}{\\partial \\theta}", "\\frac{dJ}{d\\theta}",
                                        "\\nabla_\\theta J"])
@pytest.mark.parametrize("right, holds", [("\\theta - 3", True), ("2(\\theta - 3)", False)])
def test_a_function_defined_with_its_argument_is_that_function_where_written_bare(derivative, right, holds):
    text = f"$$ J(\\theta) = \\frac{{1}}{{2}}(\\theta - 3)^2 $$\n\n$$ {derivative} = {right} $$"
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    h, theta = 1e-6, 0.4
    j = lambda t: (t - 3) ** 2 / 2  # noqa: E731
    assert math.isclose((j(theta + h) - j(theta - h)) / (2 * h), theta - 3, rel_tol=1e-6)


@pytest.mark.parametrize("factor, holds", [("2", True), ("", False)])
def test_the_gradient_of_a_loss_of_a_declared_vector_written_bare_is_checked_at_matrix_level(factor, holds):
    text = ("Let $X \\in \\mathbb{R}^{n \\times d}$, $y \\in \\mathbb{R}^n$, $w \\in \\mathbb{R}^d$.\n\n"
            "$$ L(w) = \\|Xw - y\\|^2 $$\n\n"
            f"$$ \\nabla_w L = {factor}X^T(Xw - y) $$")
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    rng = np.random.default_rng(0)
    X, y, w, h = rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=3), 1e-6
    loss = lambda v: np.sum((X @ v - y) ** 2)  # noqa: E731
    numeric = [(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(3)]
    assert np.allclose(numeric, 2 * X.T @ (X @ w - y), atol=1e-5)


def test_a_bare_density_letter_is_not_taken_for_the_function():
    # p(x) = ... defines a density; a bare p elsewhere is often a Bernoulli parameter, so it is left alone
    text = "$$ p(x) = x^2 $$\n\n$$ \\frac{d}{dp} p^2 = 2p $$"
    assert _statuses(text)[-1] is StepStatus.HOLDS
