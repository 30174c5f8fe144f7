r"""An equation right after a gradient, set to zero in words (symml/checker/stationary_points.py): checked by
substituting the claimed point into the stated gradient, never by recognising the formula."""
import numpy as np

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

_DECLARED = r"Let $X \in \mathbb{R}^{n \times d}$, $y \in \mathbb{R}^n$ and $w \in \mathbb{R}^d$."
_GRADIENT = r"""
$$ \nabla_w \|Xw - y\|^2 = 2X^T(Xw - y) $$
Setting the gradient to zero:
"""


def _checks(text, **options):
    return {check.label: check for check in check_notes_text(text, **options).checks}


def test_normal_equations_after_the_gradient_rearrange_it_set_to_zero():
    checks = _checks(_DECLARED + _GRADIENT + "$$ X^T X w = X^T y $$\n$$ w = (X^TX)^{-1}X^Ty $$")
    assert checks["line 4"].status is StepStatus.HOLDS and "set to zero" in checks["line 4"].note
    assert checks["line 5"].status is StepStatus.HOLDS
    rng = np.random.default_rng(1)  # the oracle: the least-squares solution zeroes the gradient
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.allclose(2 * X.T @ (X @ w - y), 0) and np.allclose(X.T @ X @ w, X.T @ y)


def test_normal_equations_with_a_doubled_right_side_do_not_hold():
    checks = _checks(_DECLARED + _GRADIENT + "$$ X^T X w = 2 X^T y $$")
    assert checks["line 4"].status is not StepStatus.HOLDS


def test_a_solution_that_does_not_satisfy_the_normal_equations_is_wrong():
    checks = _checks(_DECLARED + _GRADIENT + "$$ X^T X w = X^T y $$\n$$ w = \\frac{1}{2}(X^TX)^{-1}X^Ty $$")
    assert checks["line 5"].status is StepStatus.WRONG
    rng = np.random.default_rng(3)  # the oracle: half the solution leaves a residual in the normal equations
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    half = np.linalg.solve(X.T @ X, X.T @ y) / 2
    assert np.linalg.norm(X.T @ X @ half - X.T @ y) > 1e-3


def test_the_mean_zeroes_the_score_of_a_normal_mean():
    text = r"""
$$ \frac{\partial \ell}{\partial \mu} = \sum_{i=1}^n \frac{x_i - \mu}{\sigma^2} $$
Setting it to zero,
$$ \hat\mu = \frac{1}{n}\sum_{i=1}^n x_i $$
"""
    check = _checks(text)["line 4"]
    assert check.status is StepStatus.HOLDS and "zeroes" in check.note
    x = np.random.default_rng(2).normal(size=7)  # the oracle: the score at the sample mean
    assert abs(np.sum(x - x.mean())) < 1e-12


def test_a_biased_mean_is_no_zero_of_the_score():
    text = r"""
$$ \frac{\partial \ell}{\partial \mu} = \sum_{i=1}^n \frac{x_i - \mu}{\sigma^2} $$
Setting it to zero,
$$ \hat\mu = \frac{1}{n-1}\sum_{i=1}^n x_i $$
"""
    assert _checks(text)["line 4"].status is not StepStatus.HOLDS


def test_a_hat_name_defined_after_a_gradient_by_another_variable_is_a_definition():
    text = _DECLARED + _GRADIENT + r"$$ \hat y = Xw $$"
    assert _checks(text)["line 4"].status is not StepStatus.HOLDS


_RIDGE = _DECLARED + r"""
$$ \nabla_w (\|Xw - y\|^2 + \lambda \|w\|^2) = 2X^T(Xw - y) + 2\lambda w $$
Setting the gradient to zero:
"""


def test_the_ridge_solution_zeroes_the_penalised_gradient():
    check = _checks(_RIDGE + r"$$ w = (X^TX + \lambda I)^{-1}X^T y $$", points=4)["line 4"]  # 4 points: exact
    # rationals through an inverse are slow
    assert check.status is StepStatus.HOLDS and "zeroes" in check.note
    rng = np.random.default_rng(5)  # the oracle: the ridge solution against the penalised gradient
    X, y, lam = rng.normal(size=(6, 3)), rng.normal(size=6), 0.7
    w = np.linalg.solve(X.T @ X + lam * np.eye(3), X.T @ y)
    assert np.allclose(2 * X.T @ (X @ w - y) + 2 * lam * w, 0)


def test_a_ridge_solution_with_a_doubled_penalty_does_not_hold():
    check = _checks(_RIDGE + r"$$ w = (X^TX + 2\lambda I)^{-1}X^T y $$", points=4)["line 4"]
    assert check.status is not StepStatus.HOLDS
