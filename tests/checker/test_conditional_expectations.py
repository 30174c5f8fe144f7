"""Conditional expectations and variances as notes write them: ``E[X | Y]``, ``E(Y | X = x)``,
``E_{Y | X}[g]``, ``V[Y | X = x]``; the tower rule and the law of total variance. Each behaviour has a correct
and a wrong variant; a wrong step that the rules cannot refute is never reported as holding.
"""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks
            if check.status not in (StepStatus.GIVEN, StepStatus.DEFINITION)]


@pytest.mark.parametrize("right, status", [(r"\mathbb{E}[X]", StepStatus.HOLDS),
                                           (r"2\mathbb{E}[X]", StepStatus.WRONG)])
def test_the_tower_rule(right, status):
    assert _statuses(rf"$$ \mathbb{{E}}[\mathbb{{E}}[X \mid Y]] = {right} $$") == [status]


def test_the_tower_rule_with_the_wrong_variable_is_never_reported_as_holding():
    assert _statuses(r"$$ \mathbb{E}[\mathbb{E}[X \mid Y]] = \mathbb{E}[Y] $$")[0] is not StepStatus.HOLDS


@pytest.mark.parametrize("sign, holds", [("+", True), ("-", False)])
def test_the_law_of_total_variance(sign, holds):
    statuses = _statuses(rf"$$ \mathrm{{Var}}(X) = \mathbb{{E}}[\mathrm{{Var}}(X \mid Y)] {sign} "
                         r"\mathrm{Var}(\mathbb{E}[X \mid Y]) $$")
    assert (statuses == [StepStatus.HOLDS]) is holds


@pytest.mark.parametrize("right, status", [(r"\mathbb{E}[X Y]", StepStatus.HOLDS),
                                           (r"2\mathbb{E}[X Y]", StepStatus.WRONG)])
def test_what_is_known_comes_out_of_a_conditional_expectation(right, status):
    assert _statuses(rf"$$ \mathbb{{E}}[Y \, \mathbb{{E}}[X \mid Y]] = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [
    (r"\mathbb{E}_{X} \mathbb{E}_{Y \mid X} \left[ (Y - f(X))^2 \mid X = x \right]", StepStatus.HOLDS),
    (r"\mathbb{E}_{X} \mathbb{E}_{Y \mid X} \left[ (Y + f(X))^2 \mid X = x \right]", StepStatus.WRONG),
])
def test_an_expectation_over_the_joint_law_is_the_expectation_of_the_conditional_one(right, status):
    assert _statuses(rf"$$ \mathbb{{E}}_{{X, Y}} \left[ (Y - f(X))^2 \right] = {right} $$") == [status]


@pytest.mark.parametrize("right, status", [(r"a \mathbb{E}[X \mid Y = y] + b", StepStatus.HOLDS),
                                           (r"a \mathbb{E}[X \mid Y = y] + 2b", StepStatus.WRONG)])
def test_a_conditional_expectation_given_a_value_is_linear(right, status):
    assert _statuses(rf"$$ \mathbb{{E}}[a X + b \mid Y = y] = {right} $$") == [status]


def test_the_tower_rule_and_total_variance_agree_with_monte_carlo():
    # an independent check: Y uniform on 3 values, X | Y normal with a mean and a spread depending on Y
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 400_000)
    mean, spread = np.array([0.0, 1.5, -2.0])[y], np.array([1.0, 0.5, 2.0])[y]
    x = rng.normal(mean, spread)
    conditional_mean = np.array([0.0, 1.5, -2.0])[y]
    conditional_variance = np.array([1.0, 0.25, 4.0])[y]
    assert abs(conditional_mean.mean() - x.mean()) < 0.02  # E[E[X | Y]] = E[X]
    assert abs(conditional_variance.mean() + conditional_mean.var() - x.var()) < 0.05  # total variance
