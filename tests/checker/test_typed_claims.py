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
