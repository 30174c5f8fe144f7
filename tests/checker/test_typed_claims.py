"""Claims typed as students type them: each reading or decision fixed after the typed-claims world
(``tests/checker/typed_claims_world.py``), with a correct and a wrong variant and an independent numeric check."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml
from symml.checker import VerdictKind
from symml.errors import ParameterError

n = sp.Symbol("n", integer=True, positive=True)
A, x = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("x", n, 1)


def test_symmetric_matrices_may_be_given_by_name():
    # symmetric=["A"] raised AttributeError: 'str' object has no attribute 'name'
    claim = r"\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^T A \mathbf{x} = 2A\mathbf{x}"
    assert symml.check(claim, namespace={"A": A, "x": x}, symmetric=["A"])
    wrong = symml.check(claim.replace("2A", "A"), namespace={"A": A, "x": x}, symmetric=["A"])
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    point = {str(k): np.array(v.tolist(), dtype=float) for k, v in wrong.counterexample.values if k != n}
    matrix, vector = point["A"], point["x"]
    assert np.allclose(matrix, matrix.T)  # the point honours the assumption
    step = 1e-6 * np.eye(len(vector))  # independently: the gradient of x'Ax by central differences
    gradient = np.array([[((vector + e[:, None]).T @ matrix @ (vector + e[:, None])
                           - (vector - e[:, None]).T @ matrix @ (vector - e[:, None])).item() / 2e-6] for e in step])
    assert not np.allclose(gradient, matrix @ vector, atol=1e-4)


def test_a_symmetric_name_that_is_not_a_matrix_of_the_claim_is_a_clear_error():
    with pytest.raises(ParameterError, match="'B' is not a matrix"):
        symml.check("x = x", symmetric=["B"])


def _point(counterexample) -> dict:
    return {str(name): value for name, value in counterexample.values}


def test_a_run_of_letters_with_the_differentiation_variable_in_it_holds_read_as_a_product():
    # ywx read as one name does not depend on w: the true derivative was "Not equivalent"
    derivative = r"\frac{\partial}{\partial w}\log(1+e^{-ywx})"
    verdict = symml.check(derivative + r" = \frac{-yxe^{-ywx}}{1+e^{-ywx}}")
    assert verdict and "read ywx as the product y w x" in verdict.notes[-1]


def test_a_claim_wrong_with_its_runs_read_as_names_and_as_products_is_wrong():
    wrong = symml.check(r"\frac{\partial}{\partial w} \log(1 + e^{-ywx}) = \frac{ywx e^{-ywx}}{1 + e^{-ywx}}")
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT and "wrong read either way" in wrong.notes[-1]
    point = _point(wrong.counterexample)
    y, w, x = (float(point[name]) for name in "ywx")

    def loss(weight: float) -> float:
        return float(np.log1p(np.exp(-y * weight * x)))

    slope = (loss(w + 1e-6) - loss(w - 1e-6)) / 2e-6  # independently: a central difference
    claimed = y * w * x * np.exp(-y * w * x) / (1 + np.exp(-y * w * x))
    assert abs(slope - claimed) > 1e-3


def test_a_run_of_one_letter_names_given_in_namespace_is_their_product():
    named = {name: sp.MatrixSymbol(name, n, n) for name in "ABC"}
    assert symml.check(r"\mathrm{tr}(ABC) = \mathrm{tr}(CAB)", namespace=named)
    wrong = symml.check(r"\mathrm{tr}(ABC) = \mathrm{tr}(BAC)", namespace=named)
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    point = {str(k): np.array(v.tolist(), dtype=float) for k, v in wrong.counterexample.values if k != n}
    a, b, c = point["A"], point["B"], point["C"]
    assert abs(np.trace(a @ b @ c) - np.trace(b @ a @ c)) > 1e-6


def test_plain_text_d_dw_differentiates_the_rest_of_its_side_and_juxtaposition_multiplies():
    # 'd/dw (y - w x)^2 = -2 x (y - w x)' was a ParseError ("write products with '*'")
    assert symml.check("d/dw (y - w x)^2 = -2 x (y - w x)")
    wrong = symml.check("d/dw (y - w x)^2 = 2 x (y - w x)")
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    point = _point(wrong.counterexample)
    y, w, x = (float(point[name]) for name in "ywx")
    slope = ((y - (w + 1e-6) * x) ** 2 - (y - (w - 1e-6) * x) ** 2) / 2e-6  # independently: a central difference
    assert abs(slope - 2 * x * (y - w * x)) > 1e-3


def test_plain_text_d_d_theta_is_a_derivative_not_a_division_by_a_function():
    # d/dtheta (theta - x)^2 / 2 was read as d divided by a function dtheta of (theta - x)
    assert symml.check("d/dtheta (theta - x)^2 / 2 = theta - x")
    wrong = symml.check("d/dtheta (x - theta)^2 = 2(x - theta)")
    point = _point(wrong.counterexample)
    theta, x = float(point["theta"]), float(point["x"])
    slope = ((x - theta - 1e-6) ** 2 - (x - theta + 1e-6) ** 2) / 2e-6
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT and abs(slope - 2 * (x - theta)) > 1e-3


def test_plain_text_letters_written_alone_make_a_run_of_them_a_product():
    assert symml.check("(a+b)^2 = a^2 + 2ab + b^2")
    wrong = symml.check("(a-b)^2 = a^2 - 2ab - b^2")
    point = _point(wrong.counterexample)
    a, b = float(point["a"]), float(point["b"])
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT and abs((a - b) ** 2 - (a * a - 2 * a * b - b * b)) > 1e-6


def test_plain_text_a_function_name_before_a_space_is_left_ambiguous():
    # log x: log of x or log times x? Not rewritten: the reader refuses it
    from symml.errors import ParseError

    with pytest.raises(ParseError):
        symml.check("log x = x - 1")


d = sp.Symbol("d", integer=True, positive=True)
LEAST_SQUARES = {"X": sp.MatrixSymbol("X", n, d), "w": sp.MatrixSymbol("w", d, 1), "y": sp.MatrixSymbol("y", n, 1)}


def _arrays(counterexample) -> dict:
    return {str(k): np.array(v.tolist() if hasattr(v, "tolist") else v, dtype=float)
            for k, v in counterexample.values if k not in (n, d)}


def test_a_gradient_by_a_bold_variable_written_without_braces():
    # \nabla_\mathbf{w} took \mathbf alone as its variable: "expected a number, a name or a bracket"
    gradient = r"\nabla_\mathbf{w} \|X\mathbf{w} - \mathbf{y}\|_2^2 = "
    assert symml.check(gradient + r"2X^\top(X\mathbf{w} - \mathbf{y})", namespace=LEAST_SQUARES)
    wrong = symml.check(gradient + r"X^\top(X\mathbf{w} - \mathbf{y})", namespace=LEAST_SQUARES)
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    point = _arrays(wrong.counterexample)
    data, weights, target = point["X"], point["w"], point["y"]

    def loss(v: np.ndarray) -> float:
        return float(np.sum((data @ v - target) ** 2))

    steps = np.eye(len(weights))[:, :, None] * 1e-6  # independently: the gradient by central differences
    numeric = np.array([[(loss(weights + e) - loss(weights - e)) / 2e-6] for e in steps])
    assert not np.allclose(numeric, data.T @ (data @ weights - target), atol=1e-4)


def test_the_exponential_of_a_one_by_one_product_of_vectors_is_read():
    # e^{-y w^T x} raised NotImplementedError: Matrix Power not defined
    vectors = {"w": sp.MatrixSymbol("w", n, 1), "x": sp.MatrixSymbol("x", n, 1)}
    loss = r"\nabla_{\mathbf{w}} \log(1+e^{-y\mathbf{w}^\top\mathbf{x}}) = "
    assert symml.check(loss + r"-\frac{y\mathbf{x}}{1+e^{y\mathbf{w}^\top\mathbf{x}}}", namespace=vectors)
    wrong = symml.check(loss + r"\frac{y\mathbf{x}}{1+e^{y\mathbf{w}^\top\mathbf{x}}}", namespace=vectors)
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    point = _arrays(wrong.counterexample)
    w, x = point["w"], point["x"]
    y = float(point["y"])
    margin = (w.T @ x).item()
    slope = np.array([(np.log1p(np.exp(-y * (margin + 1e-6 * xi))) - np.log1p(np.exp(-y * (margin - 1e-6 * xi))))
                      / 2e-6 for xi in x.ravel()])  # the directional slopes along each coordinate
    assert not np.allclose(slope, (y * x / (1 + np.exp(y * margin))).ravel(), atol=1e-4)


def test_a_prime_on_a_declared_matrix_is_its_transpose():
    # x'Ax was "x' without its argument is not read" (the derivative of a function x)
    named = {"A": A, "x": x}
    assert symml.check(r"\frac{\partial}{\partial x}(x'Ax) = (A + A')x", namespace=named)
    wrong = symml.check(r"\frac{\partial}{\partial x}(x'Ax) = 2A'x", namespace=named)
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    point = _arrays(wrong.counterexample)
    matrix, vector = point["A"], point["x"]
    assert not np.allclose((matrix + matrix.T) @ vector, 2 * matrix.T @ vector)  # the true gradient differs


def test_primes_without_a_backslash_are_read_as_latex_not_as_string_quotes():
    named = {"A": A, "B": sp.MatrixSymbol("B", n, n)}
    assert symml.check("(AB)' = B'A'", namespace=named)
    wrong = symml.check("(AB)' = A'B'", namespace=named)
    point = _arrays(wrong.counterexample)
    assert not np.allclose((point["A"] @ point["B"]).T, point["A"].T @ point["B"].T)


def test_a_step_that_declares_a_vector_makes_the_steps_after_it_matrix_claims():
    # w \in R^d as a step was "the command \in is not supported"
    declared = r"\mathbf{w} \in \mathbb{R}^d"
    report = symml.check_steps([declared, r"\nabla_{\mathbf{w}} \frac{1}{2}\mathbf{w}^\top\mathbf{w} = \mathbf{w}"])
    assert report and report.checks[-1].status is symml.checker.StepStatus.HOLDS
    wrong = symml.check_steps([declared, r"\nabla_{\mathbf{w}} \frac{1}{2}\mathbf{w}^\top\mathbf{w} = \frac{1}{2}\mathbf{w}"])
    assert wrong.first_wrong.label == "step 2"
    weights = _arrays(wrong.first_wrong.counterexample)["w"]
    half_norm = lambda v: 0.5 * float(np.sum(v ** 2))  # noqa: E731 -- independently: central differences
    numeric = np.array([[(half_norm(weights + e) - half_norm(weights - e)) / 2e-6]
                        for e in np.eye(len(weights))[:, :, None] * 1e-6])
    assert not np.allclose(numeric, 0.5 * weights)


LAGRANGIAN = r"\mathcal{L}(x, y, \lambda) = x + y - \lambda(x^2 + y^2 - 1)"


def test_the_partial_derivative_of_a_lagrangian_defined_with_its_arguments():
    # d\mathcal{L}/dx after \mathcal{L}(x, y, \lambda) = ... was "not defined as a function of the variable"
    assert symml.check_steps([LAGRANGIAN, r"\frac{\partial\mathcal{L}}{\partial x} = 1 - 2\lambda x"])
    assert symml.check_steps([LAGRANGIAN, r"\frac{\partial\mathcal{L}}{\partial \lambda} = 1 - x^2 - y^2"])


def test_a_wrong_partial_derivative_of_a_lagrangian_is_wrong_though_the_other_variables_drop_out():
    # unchecked before: "the sides use different names (y)", y being gone once the derivative is taken
    wrong = symml.check_steps([LAGRANGIAN, r"\frac{\partial\mathcal{L}}{\partial x} = 1 - \lambda x"])
    point = _point(wrong.first_wrong.counterexample)
    lam, x_value = float(point["lambda"]), float(point["x"])

    def lagrangian(v: float) -> float:
        return v + 0.3 - lam * (v ** 2 + 0.3 ** 2 - 1)  # any y: it drops out

    slope = (lagrangian(x_value + 1e-6) - lagrangian(x_value - 1e-6)) / 2e-6
    assert abs(slope - (1 - lam * x_value)) > 1e-3


KL_OF_NORMALS = r"\mathrm{KL}(\mathcal{N}(\mu_1,\sigma_1^2)\,\|\,\mathcal{N}(\mu_2,\sigma_2^2)) = \log\frac{\sigma_2}{\sigma_1} + "


def test_a_kl_between_two_normal_laws_written_without_their_variable():
    # "the normal density takes 2 parameters after the variable" before
    assert symml.check(KL_OF_NORMALS + r"\frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac{1}{2}")
    wrong = symml.check(KL_OF_NORMALS + r"\frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{\sigma_2^2} - \frac{1}{2}")
    assert wrong.kind is VerdictKind.NOT_EQUIVALENT
    from scipy.integrate import quad
    from scipy.stats import norm

    point = {name: float(value) for name, value in _point(wrong.counterexample).items()}
    first = norm(point["mu_1"], point["sigma_1"])
    second = norm(point["mu_2"], point["sigma_2"])
    divergence = quad(lambda v: first.pdf(v) * (first.logpdf(v) - second.logpdf(v)), -np.inf, np.inf)[0]
    assert divergence == pytest.approx(float(wrong.counterexample.left), rel=1e-6)  # independently, by quadrature
    assert abs(divergence - float(wrong.counterexample.right)) > 1e-3


def test_an_estimator_after_a_condition_written_with_a_sum_must_solve_it():
    # mu_hat = sum x_i / (n - 1) after sum_i (x_i - mu) = 0 was taken for the definition of a new name
    condition = r"\sum_{i=1}^n (x_i - \mu) = 0"
    assert symml.check_steps([condition, r"\hat\mu = \frac{1}{n}\sum_{i=1}^n x_i"])
    wrong = symml.check_steps([condition, r"\hat\mu = \frac{1}{n-1}\sum_{i=1}^n x_i"])
    point = _point(wrong.first_wrong.counterexample)
    data = np.array([float(point[f"x[{i}]"]) for i in range(1, int(point["n"]) + 1)])
    assert abs(np.sum(data - float(point["mu"]))) < 1e-9  # the condition holds at the point
    assert abs(np.sum(data) / (len(data) - 1) - float(point["mu"])) > 1e-3  # and the estimator misses it
