"""A claim whose transposed names were read as numbers is decided for numbers only: neither right nor wrong."""
import numpy as np
import sympy as sp

import symml
from symml.checker.verdict import VerdictKind

n = sp.Symbol("n", integer=True, positive=True)
MATRICES = {"A": sp.MatrixSymbol("A", n, n), "B": sp.MatrixSymbol("B", n, n)}


def test_a_matrix_claim_read_as_numbers_whose_shapes_do_not_fit_is_not_called_right():
    # x^T x is 1 x 1 and x^2 needs a square x: no shapes fit (with shapes that fit: test_shape_inference.py)
    verdict = symml.check(r"x^\top x = x^2")
    assert verdict.kind is VerdictKind.UNDECIDED and "namespace=" in verdict.reason


def test_the_same_identity_with_its_matrices_named_is_wrong_with_a_counterexample():
    verdict = symml.check(r"(AB)^\top = A^\top B^\top", namespace=MATRICES)
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT
    values = {str(symbol): value for symbol, value in verdict.counterexample.values}
    A, B = (np.array(values[name], dtype=float) for name in "AB")
    assert np.abs((A @ B).T - A.T @ B.T).max() > 1e-6  # numpy confirms the counterexample


def test_the_true_identity_with_its_matrices_named_holds():
    assert symml.check(r"(AB)^\top = B^\top A^\top", namespace=MATRICES)


def test_a_word_of_a_called_letter_and_a_differentiation_variable_is_read_as_their_product():
    # 'Xw' beside X(...) and d/dw: X w, not one name 'Xw' (which made a true claim "not equivalent")
    assert symml.check(r"\frac{d}{dw} (Xw - y)^2 = 2X(Xw-y)")


def test_a_product_read_from_a_word_is_a_guess_so_a_false_claim_with_it_is_not_called_wrong():
    verdict = symml.check(r"\frac{d}{dw} (Xw - y)^2 = X(Xw-y)")
    assert verdict.kind is VerdictKind.UNDECIDED and "Xw" in verdict.reason
