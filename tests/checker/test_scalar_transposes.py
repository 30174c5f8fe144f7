"""A claim whose transposed names were read as numbers is decided for numbers only: neither right nor wrong."""
import numpy as np
import sympy as sp

import symml
from symml.checker.verdict import VerdictKind

n = sp.Symbol("n", integer=True, positive=True)
MATRICES = {"A": sp.MatrixSymbol("A", n, n), "B": sp.MatrixSymbol("B", n, n)}


def test_a_false_matrix_identity_read_as_numbers_is_not_called_right():
    verdict = symml.check(r"(AB)^\top = A^\top B^\top")
    assert verdict.kind is VerdictKind.UNDECIDED and "namespace=" in verdict.reason


def test_the_same_identity_with_its_matrices_named_is_wrong_with_a_counterexample():
    verdict = symml.check(r"(AB)^\top = A^\top B^\top", namespace=MATRICES)
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT
    values = {str(symbol): value for symbol, value in verdict.counterexample.values}
    A, B = (np.array(values[name], dtype=float) for name in "AB")
    assert np.abs((A @ B).T - A.T @ B.T).max() > 1e-6  # numpy confirms the counterexample


def test_the_true_identity_with_its_matrices_named_holds():
    assert symml.check(r"(AB)^\top = B^\top A^\top", namespace=MATRICES)
