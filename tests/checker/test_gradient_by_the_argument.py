r"""``\nabla L(\theta)`` without a subscript: the gradient by the one argument the function is written with."""
import numpy as np

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

_LOSS = "$$ L(\\theta) = (\\theta - 3)^2 $$\n"


def _last(text):
    return check_notes_text(text).checks[-1]


def test_the_gradient_of_a_function_of_one_argument_is_by_that_argument():
    assert _last(_LOSS + "$$ \\nabla L(\\theta) = 2(\\theta - 3) $$").status is StepStatus.HOLDS
    theta, h = 1.7, 1e-6  # the oracle: a central difference of L at one point
    assert abs(((theta + h - 3) ** 2 - (theta - h - 3) ** 2) / (2 * h) - 2 * (theta - 3)) < 1e-6


def test_a_wrong_gradient_by_the_argument_is_wrong():
    assert _last(_LOSS + "$$ \\nabla L(\\theta) = 2(\\theta + 3) $$").status is StepStatus.WRONG


def test_the_gradient_of_a_function_of_a_declared_vector_is_at_matrix_level():
    text = r"""Let $w \in \mathbb{R}^d$, $X \in \mathbb{R}^{n \times d}$, $y \in \mathbb{R}^n$.
$$ L(w) = \|Xw - y\|^2 $$
$$ \nabla L(w) = 2X^T(Xw - y) $$"""
    assert _last(text).status is StepStatus.HOLDS
    rng = np.random.default_rng(4)  # the oracle: central differences of ||Xw - y||^2
    X, y, w, h = rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=3), 1e-6
    loss = lambda v: np.sum((X @ v - y) ** 2)  # noqa: E731
    numeric = [(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(3)]
    assert np.allclose(numeric, 2 * X.T @ (X @ w - y), atol=1e-5)


def test_a_gradient_of_a_function_of_several_arguments_without_a_variable_is_not_read():
    check = _last("$$ \\nabla L(a, b) = 2a $$")
    assert check.status is StepStatus.UNCHECKED and "without its variable" in check.note
