r"""Index-notation losses typed as LaTeX (read by the checker's reader): the matrix form is found, and the gradient
and Hessian agree with finite differences of the same losses written by hand in NumPy."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.special import logsumexp

import symml
from symml.calculus.latex_input import read_loss
from symml.errors import ParseError, ShapeError
from symml.matrix_calculus.expressions import Sigmoid
from symml.testing import check_gradient, check_hessian
from tests.calculus.test_index_notation import HAND, Xv, _values, rng

LATEX = {
    "least squares": r"\sum_{i=1}^n (y_i - \sum_{j=1}^d w_j X_{ij})^2",
    "logistic": r"-\sum_{i=1}^n \left(y_i \log \sigma\left(\sum_{j=1}^d w_j X_{ij}\right)"
                r" + (1-y_i)\log\left(1-\sigma\left(\sum_{j=1}^d w_j X_{ij}\right)\right)\right)",
    "poisson": r"\sum_{i=1}^n \left(e^{\sum_{j=1}^d w_j X_{ij}} - y_i \sum_{j=1}^d w_j X_{ij}\right)",
    "log-sum-exp": r"\log \sum_{i=1}^n \exp\left(\sum_{j=1}^d w_j X_{ij}\right)",
}
SOFTMAX_CROSS_ENTROPY = (r"\sum_{i=1}^n \left(\log \sum_{k=1}^K \exp\left(\sum_{j=1}^d X_{ij} W_{jk}\right)"
                         r" - \sum_{k=1}^K Y_{ik} \sum_{j=1}^d X_{ij} W_{jk}\right)")


@pytest.mark.parametrize("name", LATEX)
def test_latex_loss_gradient_and_hessian_agree_with_finite_differences(name):
    _, hand = HAND[name]
    g = symml.derive.gradient(LATEX[name], wrt="w")
    H = symml.derive.hessian(LATEX[name], wrt="w")
    assert [s.title for s in g.steps][:2] == ["Index notation", "Matrix form"]
    names = {"X", "w"} | ({"y"} if "y_i" in LATEX[name] else set())
    v = rng.normal(size=3) * 0.5
    assert check_gradient(hand, lambda u: g.numpy()(**_values(names, u)), v) < 1e-6
    assert check_hessian(hand, lambda u: H.numpy()(**_values(names, u)), v) < 1e-4


def test_latex_softmax_cross_entropy_gradient_agrees_with_finite_differences():
    g = symml.derive.gradient(SOFTMAX_CROSS_ENTROPY, wrt="W")
    Yv = np.eye(3)[rng.integers(0, 3, 6)]
    hand = lambda V: np.sum(-Yv * (Xv @ V)) + np.sum(logsumexp(Xv @ V, axis=1))  # noqa: E731
    assert "Matrix form" in [s.title for s in g.steps]
    assert check_gradient(hand, lambda V: g.numpy()(X=Xv, W=V, Y=Yv), rng.normal(size=(3, 3))) < 1e-6
    assert symml.derive.hessian(SOFTMAX_CROSS_ENTROPY, wrt="W").verify()


def test_sigma_is_read_as_the_sigmoid_and_sum_limits_as_sizes():
    loss = read_loss(r"L = -\sum_{i=1}^{n} \log \sigma(\sum_{j=1}^{d} w_j X_{ij})")
    assert loss.has(Sigmoid)
    assert all(high.is_integer and high.is_positive for s in loss.atoms(sp.Sum) for _, _, high in s.limits)


def test_a_latex_loss_without_matrix_form_is_differentiated_in_indices():
    g = symml.derive.gradient(r"\sum_{i=1}^n \log\left(1 + \sum_{j=1}^d \exp(w_j X_{ij})\right)", wrt="w")
    assert "Sum out the deltas" in [s.title for s in g.steps] and g.verify()


def test_a_scalar_latex_function_goes_to_scalar_calculus():
    x = sp.Symbol("x", real=True)
    assert sp.simplify(symml.derive.gradient(r"x^2 e^{x}", wrt="x").result - (x**2 + 2*x) * sp.exp(x)) == 0


@pytest.mark.parametrize("text, wrt, error", [(r"\sum_{i=1}^n y_i = 1", "y", ParseError),
                                               (r"\sum_{i=1}^n (y_i - x_i)^2", "w", ShapeError)])
def test_latex_that_is_not_one_loss_of_wrt_is_refused_clearly(text, wrt, error):
    with pytest.raises(error):
        symml.derive.gradient(text, wrt=wrt)


def test_a_loss_typed_in_python_syntax_is_read_as_plain_text():
    derivation = symml.derive.gradient("x**2*exp(x)", wrt="x")
    point, step = 0.7, 1e-6
    central = ((point + step) ** 2 * np.exp(point + step) - (point - step) ** 2 * np.exp(point - step)) / (2 * step)
    assert derivation.numpy()(x=point) == pytest.approx(central, rel=1e-7)


def test_an_unknown_glued_to_another_letter_is_refused_naming_the_glued_name():
    with pytest.raises(ShapeError, match=r"the name Xw; for a product with w, write a space"):
        symml.derive.gradient(r"\frac{1}{2}\|y - Xw\|_2^2", wrt="w")
