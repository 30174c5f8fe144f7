"""Claims about matrices typed without a namespace: the shapes the claim implies are inferred by unification,
so the claim is decided at matrix level (symml/checker/shape_inference.py)."""
import numpy as np
import pytest

import symml
from symml.checker.shape_inference import check_sides, guessed_matrices, inferred_matrices, shape_candidates
from symml.checker.verdict import VerdictKind

# (a true claim, the same claim with a typical slip), as users write them in notes
CASES = {
    "least squares gradient": (r"\nabla_w \|Xw - y\|^2 = 2X^T(Xw - y)", r"\nabla_w \|Xw - y\|^2 = X^T(Xw - y)"),
    "bold, partial and top": (
        r"\frac{\partial}{\partial \mathbf{w}} \|\mathbf{X}\mathbf{w} - \mathbf{y}\|^2 = 2\mathbf{X}^\top(\mathbf{X}\mathbf{w} - \mathbf{y})",
        r"\frac{\partial}{\partial \mathbf{w}} \|\mathbf{X}\mathbf{w} - \mathbf{y}\|^2 = 2\mathbf{X}^\top(\mathbf{y} - \mathbf{X}\mathbf{w})"),
    "ridge gradient": (r"\nabla_{\boldsymbol{w}} (\|X\boldsymbol{w} - y\|_2^2 + \lambda \|\boldsymbol{w}\|^2) = 2X^\intercal(X\boldsymbol{w} - y) + 2\lambda \boldsymbol{w}",
                       r"\nabla_{\boldsymbol{w}} (\|X\boldsymbol{w} - y\|_2^2 + \lambda \|\boldsymbol{w}\|^2) = 2X^\intercal(X\boldsymbol{w} - y) + \lambda \boldsymbol{w}"),
    "least squares gradient without a transpose on either side": (
        r"\nabla_w \frac{1}{2}\|Xw - y\|^2 = X^\top (Xw - y)", r"\nabla_w \frac{1}{2}\|Xw - y\|^2 = X (Xw - y)"),
    "bold and no transpose in the slip": (
        r"\nabla_{\mathbf{w}} \frac{1}{2}\|\mathbf{X}\mathbf{w} - \mathbf{y}\|^2 = \mathbf{X}^\top(\mathbf{X}\mathbf{w} - \mathbf{y})",
        r"\nabla_{\mathbf{w}} \frac{1}{2}\|\mathbf{X}\mathbf{w} - \mathbf{y}\|^2 = \mathbf{X}(\mathbf{X}\mathbf{w} - \mathbf{y})"),
    "quadratic form": (r"\nabla_x x^T A x = (A + A^T)x", r"\nabla_x x^T A x = Ax"),
    "trace": (r"\nabla_X \operatorname{tr}(AX) = A^T", r"\nabla_X \operatorname{tr}(AX) = A"),
    "log determinant": (r"\nabla_X \log\det X = X^{-T}", r"\nabla_X \log\det X = X^{T}"),
    "Hessian": (r"\nabla_w^2 \|Xw - y\|^2 = 2X^TX", r"\nabla_w^2 \|Xw - y\|^2 = X^TX"),
    "Gaussian negative log-likelihood": (
        r"\nabla_\Sigma \left(\frac{1}{2}\log|\Sigma| + \frac{1}{2}x^T\Sigma^{-1}x\right) = \frac{1}{2}\Sigma^{-1} - \frac{1}{2}\Sigma^{-1}xx^T\Sigma^{-1}",
        r"\nabla_\Sigma \left(\frac{1}{2}\log|\Sigma| + \frac{1}{2}x^T\Sigma^{-1}x\right) = \frac{1}{2}\Sigma^{-1} + \frac{1}{2}\Sigma^{-1}xx^T\Sigma^{-1}"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_true_matrix_claim_typed_without_a_namespace_holds(name):
    verdict = symml.check(CASES[name][0])
    assert verdict, verdict.reason
    assert any(note.startswith("shapes inferred") for note in verdict.notes)


@pytest.mark.parametrize("name", CASES)
def test_its_slip_is_wrong_with_a_counterexample(name):
    verdict = symml.check(CASES[name][1])
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT and verdict.counterexample is not None


def test_the_least_squares_counterexample_is_confirmed_by_finite_differences():
    verdict = symml.check(CASES["least squares gradient"][1])
    values = {str(symbol): np.array(value, dtype=float) for symbol, value in verdict.counterexample.values
              if str(symbol) in "Xwy"}
    X, w, y = values["X"], values["w"], values["y"]
    loss = lambda v: float(np.sum((X @ v - y) ** 2))  # noqa: E731
    step = 1e-6
    numeric = np.array([(loss(w + step * e) - loss(w - step * e)) / (2 * step) for e in np.eye(len(w))[:, :, None]])
    assert np.allclose(numeric.ravel(), (2 * X.T @ (X @ w - y)).ravel(), atol=1e-4)  # the true gradient
    assert not np.allclose(numeric.ravel(), (X.T @ (X @ w - y)).ravel(), atol=1e-4)  # the claim's is not it


def test_the_logistic_gradient_with_sigma_of_a_vector_holds():
    claim = r"\nabla_w \left(-y^T \log \sigma(Xw) - (1-y)^T\log(1 - \sigma(Xw))\right) = X^T(\sigma(Xw) - y)"
    assert symml.check(claim)


def test_shapes_are_unified_over_products_sums_and_transposes():
    claim = r"\nabla_w \|Xw - y\|^2 = 2X^T(Xw - y)"
    left, right, doubts = check_sides(claim, {})
    candidates = shape_candidates(left, right)
    shapes = inferred_matrices(lambda names: check_sides(claim, names), candidates,
                               guessed_matrices(doubts, candidates))
    assert {name: tuple(map(str, m.shape)) for name, m in shapes.items()} == {
        "X": ("n", "d"), "w": ("d", "1"), "y": ("n", "1")}


def test_a_scalar_multiplier_stays_a_number():
    claim = r"\nabla_w (\|Xw - y\|^2 + \lambda \|w\|^2) = 2X^T(Xw - y) + 2\lambda w"
    assert "lambda" not in symml.check(claim).notes[-1]


def test_shapes_that_cannot_be_made_consistent_leave_the_claim_undecided():
    verdict = symml.check(r"\nabla_w \|Xw - y\|^2 = 2X^T y w")  # (d x n)(n x 1)(d x 1): no shapes fit
    assert verdict.kind is VerdictKind.UNDECIDED


def test_a_norm_of_letters_is_a_vector_norm_so_the_numbers_reading_proves_nothing():
    # read as numbers, ∇_w ½|Xw − y|² = X(Xw − y) holds: it was reported "Equivalent (proved symbolically)"
    verdict = symml.check(r"\nabla_w \frac{1}{2}\|Xw - y\|^2 = X (Xw - y)")
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT
    assert any("X (n x n)" in note for note in verdict.notes)
