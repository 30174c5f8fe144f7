"""derive.derivative of a function typed as text, as derive.gradient takes it."""
import numpy as np
import pytest

import symml
from symml.errors import ShapeError


@pytest.mark.parametrize("text, name", [(r"\log(1 + e^{-y \theta x})", "theta"), ("log(1 + exp(-y*θ*x))", "θ")])
def test_derivative_of_a_typed_logistic_loss_agrees_with_finite_differences(text, name):
    derivative = symml.derive.derivative(text, name).numpy()
    loss = lambda t: np.log1p(np.exp(-1.5 * t * 0.7))  # noqa: E731 - y = 1.5, x = 0.7
    h = 1e-6
    assert np.isclose(derivative(**{name: 0.4, "x": 0.7, "y": 1.5}), (loss(0.4 + h) - loss(0.4 - h)) / (2 * h))


def test_derivative_by_a_name_the_text_lacks_is_a_shape_error():
    with pytest.raises(ShapeError, match="z does not appear"):
        symml.derive.derivative("x^2", "z")
