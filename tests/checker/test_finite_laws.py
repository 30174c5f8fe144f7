r"""A claim typed on its own about expectations under no named law fails under a law it does not hold for: the
counterexample names a finite law, and NumPy confirms the sides differ there. Identities of every law still hold,
and in notes (where the prose may state independence) such a row is not reported wrong."""
from __future__ import annotations

import numpy as np

import symml
from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

PRODUCT_SPLIT = r"\mathbb{E}[XY] = \mathbb{E}[X]\mathbb{E}[Y]"


def test_an_expectation_of_a_product_split_without_independence_is_wrong_under_a_finite_law():
    verdict = symml.check(PRODUCT_SPLIT)
    point = {str(name): float(value) for name, value in verdict.counterexample.values}
    weights = np.array([point[f"E: P(outcome {k})"] for k in (1, 2, 3)])
    x, y = (np.array([point[f"{v}(outcome {k})"] for k in (1, 2, 3)]) for v in "XY")
    assert abs(weights.sum() - 1) < 1e-12 and (weights > 0).all()
    assert abs(weights @ (x * y) - (weights @ x) * (weights @ y)) > 1e-6


def test_linearity_still_holds_under_every_law():
    assert symml.check(r"\mathbb{E}[aX + b] = a\mathbb{E}[X] + b")
    assert symml.check(r"\mathrm{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2")


def test_in_notes_the_same_row_is_not_reported_wrong():
    statuses = [c.status for c in check_notes_text(f"$$ {PRODUCT_SPLIT} $$").checks]
    assert StepStatus.WRONG not in statuses


def test_bayes_rule_with_the_marginals_swapped_is_wrong_under_a_joint_law_of_the_events():
    verdict = symml.check(r"P(A \mid B) = \frac{P(B \mid A)P(B)}{P(A)}")
    cells = {str(name): float(value) for name, value in verdict.counterexample.values}
    joint = np.array([[cells[f"P(A {a} A, B {b} B)"] for b in ("=", "≠")] for a in ("=", "≠")])
    p_a, p_b = joint[0].sum(), joint[:, 0].sum()
    assert abs(joint.sum() - 1) < 1e-12
    assert abs(joint[0, 0] / p_b - (joint[0, 0] / p_a) * p_b / p_a) > 1e-6
