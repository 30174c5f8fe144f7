r"""A numbered element of data the claim also writes with an index (``w_1`` beside ``\sum_i w_i``) is that
element: a derivative by it is taken through the sum. Counterexamples are confirmed by central differences."""
from __future__ import annotations

import math

import symml

_SUM = r"\frac{\partial}{\partial p_1} \sum_{k=1}^K p_k \log p_k"


def _derivative_by_central_differences(point: dict) -> float:
    p_1, h = float(point["p[1]"]), 1e-6
    objective = lambda t: t * math.log(t)  # noqa: E731 -- the term of the sum that holds p_1
    return (objective(p_1 + h) - objective(p_1 - h)) / (2 * h)


def test_a_derivative_by_a_numbered_element_goes_through_the_sum():
    assert symml.check(rf"{_SUM} = \log p_1 + 1")


def test_a_slip_in_it_is_wrong_at_a_point_central_differences_confirm():
    verdict = symml.check(rf"{_SUM} = \log p_1")
    point = {str(name): value for name, value in verdict.counterexample.values}
    claimed = math.log(float(point["p[1]"]))
    assert abs(_derivative_by_central_differences(point) - claimed) > 0.5
