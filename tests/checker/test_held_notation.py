"""Notation met in the held-out notes of branch checkheld5, each with a correct and a wrong variant: the correct one
holds, the wrong one is caught at its line (or, where reading took a guess, never reported wrong and never held).
The oracles are central differences and numpy."""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks]


def _central_difference(function, at: float, step: float = 1e-6) -> float:
    return (function(at + step) - function(at - step)) / (2 * step)


@pytest.mark.parametrize("right, status", [(r"2 x\_1 x", StepStatus.HOLDS), (r"x\_1 x", StepStatus.WRONG)])
def test_kramdown_escaped_subscripts_are_subscripts(right, status):
    # Jekyll notes escape _ as \_ so that Markdown leaves the math alone: d/dx (x_1 x^2) = 2 x_1 x
    text = f"\\begin{{align}} \\frac{{d}}{{dx}} (x\\_1 x^2) &= {right} \\end{{align}}"
    assert _statuses(text) == [status]
    assert abs(_central_difference(lambda x: 0.7 * x ** 2, 1.3) - 2 * 0.7 * 1.3) < 1e-8


@pytest.mark.parametrize("right, status", [(r"e^{-\theta x} - \theta x e^{-\theta x}", StepStatus.HOLDS),
                                           (r"e^{-\theta x} - \theta e^{-\theta x}", StepStatus.WRONG)])
def test_a_function_subscripted_by_its_parameter_depends_on_it(right, status):
    # p_theta(x) = theta e^{-theta x}: its derivative by theta, by central differences
    text = (r"$$ p_\theta(x) = \theta e^{-\theta x} $$" "\n\n"
            f"$$ \\frac{{\\partial}}{{\\partial \\theta}} p_\\theta(x) = {right} $$")
    assert _statuses(text) == [StepStatus.DEFINITION, status]
    slope = _central_difference(lambda t: t * np.exp(-t * 2.0), 0.8)
    assert abs(slope - (np.exp(-1.6) - 0.8 * 2.0 * np.exp(-1.6))) < 1e-8
    assert abs(slope - (np.exp(-1.6) - 0.8 * np.exp(-1.6))) > 0.1


def test_a_factor_dropped_under_the_derivative_of_a_parametrised_density_no_longer_holds():
    # gokererdogan's slip: with q_theta read as a function of x alone both sides were 0 and the step "held"; for
    # q_theta = N(theta, 1) the left side is 2 theta and the right side 0
    assert _statuses(r"$$ \int \nabla_\theta q_\theta(x) x^2 dx = \int \nabla_\theta q_\theta(x) dx $$") \
        != [StepStatus.HOLDS]
    assert _statuses(r"$$ \nabla_\theta \log q_\theta(x) = \frac{\nabla_\theta q_\theta(x)}{q_\theta(x)} $$") \
        == [StepStatus.HOLDS]


@pytest.mark.parametrize("right, status", [(r"P_k^- - K_k P_k^-", StepStatus.HOLDS), (r"P_k^- - K_k", StepStatus.WRONG)])
def test_a_raised_sign_is_a_label(right, status):
    # the prior covariance P_k^- of a Kalman filter is a name of its own: P_k = (1 - K_k) P_k^-
    assert _statuses(f"$$ P_k = (1 - K_k) P_k^- = {right} $$") == [StepStatus.DEFINITION, status]
    prior, gain = 2.0, 0.3
    assert (1 - gain) * prior == pytest.approx(prior - gain * prior) and (1 - gain) * prior != prior - gain


def test_a_raised_sign_before_a_bracket_or_a_number_is_still_a_power():
    assert _statuses(r"$$ e^-x \cdot e^x = 1 $$") == [StepStatus.HOLDS]
    assert _statuses(r"$$ x^-1 \cdot x = 1 $$") == [StepStatus.HOLDS]


@pytest.mark.parametrize("right, holds", [(r"(P - K G P)(I - G^T K^T)", True), (r"(P - K G P)(I + G^T K^T)", False)])
def test_the_identity_beside_matrices_read_as_numbers_is_one(right, holds):
    # (I - K G) P (I - K G)^T = (P - K G P)(I - G^T K^T) for matrices (numpy), and for numbers; the wrong variant
    # is read with a guess (I as 1), so it is never reported wrong
    rng = np.random.default_rng(0)
    K, G, P = (rng.normal(size=(3, 3)) for _ in range(3))
    identity = np.eye(3)
    left = (identity - K @ G) @ P @ (identity - K @ G).T
    sign = -1 if holds else 1
    assert np.allclose(left, (P - K @ G @ P) @ (identity + sign * G.T @ K.T)) == holds
    statuses = _statuses(f"$$ (I - K G) P (I - K G)^T = {right} $$")
    assert statuses == [StepStatus.HOLDS] if holds else StepStatus.HOLDS not in statuses and StepStatus.WRONG not in statuses


@pytest.mark.parametrize("right, status", [(r"2 \alpha_i^* y_i^2", StepStatus.HOLDS), (r"2 \alpha_i^* y_i", StepStatus.WRONG)])
def test_the_star_of_an_optimum_is_a_label(right, status):
    # alpha_i^* is a name (the optimal multiplier), not a power: d/da (a y)^2 = 2 a y^2
    assert _statuses(f"$$\\frac{{d}}{{d \\alpha_i^*}} (\\alpha_i^* y_i)^2 = {right} $$") == [status]
    assert abs(_central_difference(lambda a: (a * 1.7) ** 2, 0.4) - 2 * 0.4 * 1.7 ** 2) < 1e-8


@pytest.mark.parametrize("sign, holds", [("-", True), ("+", False)])
def test_a_covariance_of_one_argument_is_its_variance(sign, holds):
    # Cov(x_i), the covariance matrix of a vector, read as a number: Var(X) = E[X^2] - E[X]^2 (Monte Carlo)
    draws = np.random.default_rng(1).normal(1.5, 0.5, 200_000)
    moments = np.mean(draws ** 2) + (-1 if sign == "-" else 1) * np.mean(draws) ** 2
    assert (abs(np.var(draws) - moments) < 0.01) == holds
    statuses = _statuses(f"$$ \\text{{Cov}}(X) = \\mathbb{{E}}[X^2] {sign} \\mathbb{{E}}[X]^2 $$")
    assert statuses == [StepStatus.HOLDS] if holds else StepStatus.HOLDS not in statuses and StepStatus.WRONG not in statuses


@pytest.mark.parametrize("right, status", [("y_k - w x_k", StepStatus.UNCHECKED), ("y_k + w x_k", StepStatus.WRONG)])
def test_a_step_that_holds_for_labels_in_minus_one_one_is_never_reported_wrong(right, status):
    # an SVM's support vector: y_k (w x_k + b) = 1 gives b = 1/y_k - w x_k, which is y_k - w x_k for y_k = -1 or 1
    assert _statuses(f"$$ y_k (w x_k + b) = 1 \\Rightarrow b = {right} $$") == [StepStatus.CONDITION, status]
    w, x = 0.6, 1.4
    for y in (-1.0, 1.0):
        b = 1 / y - w * x
        assert y * (w * x + b) == pytest.approx(1) and b == pytest.approx(y - w * x) and b != pytest.approx(y + w * x)


@pytest.mark.parametrize("factor, holds", [("2", True), ("1", False)])
def test_a_function_with_an_index_of_several_arguments_is_a_function(factor, holds):
    # l_n(beta, phi) = sum (y_i - beta x_i)^2 / phi: its derivative by beta (central differences); the reading of
    # l_n(...) as a function is a guess, so the wrong variant is never reported wrong
    x, y, phi = np.array([0.5, 1.2, -0.3]), np.array([1.0, 0.2, 0.7]), 1.4
    slope = _central_difference(lambda b: np.sum((y - b * x) ** 2) / phi, 0.9)
    assert (abs(slope - (-int(factor) / phi * np.sum(x * (y - 0.9 * x)))) < 1e-6) == holds
    text = (r"$$ \ell_n(\beta, \phi) = \sum_{i=1}^n \frac{(y_i - \beta x_i)^2}{\phi} $$" "\n\n"
            f"$$ \\frac{{\\partial}}{{\\partial \\beta}} \\ell_n(\\beta, \\phi) = -\\frac{{{factor}}}{{\\phi}}"
            r"\sum_{i=1}^n x_i(y_i - \beta x_i) $$")
    statuses = _statuses(text)
    assert statuses[0] is StepStatus.DEFINITION
    assert statuses[1:] == [StepStatus.HOLDS] if holds else statuses[1] is StepStatus.UNCHECKED
