"""A constraint Σ wᵢ = 1 on a vector unknown, typed the ways users type it: as symml.sum(w), as SymPy's entry
(1ᵀw)[0, 0], or as text. Checked against SLSQP."""
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

import symml
from symml.errors import ParseError

n, d = symml.dims("n d")
X, y, w = symml.matrix("X", n, d), symml.vector("y", n), symml.vector("w", d)
rng = np.random.default_rng(0)
X_value, y_value = rng.normal(size=(10, 3)), rng.normal(size=10)


def slsqp_optimum():
    return minimize(lambda v: np.sum((X_value @ v - y_value) ** 2), np.ones(3) / 3, method="SLSQP",
                    constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}], tol=1e-14).x


@pytest.mark.parametrize("constraint", [symml.Eq(symml.sum(w), 1), symml.Eq((sp.OneMatrix(1, d) @ w)[0, 0], 1)],
                         ids=["sum of entries", "entry of a product"])
def test_least_squares_on_weights_summing_to_one(constraint):
    # symml.sum(w) = 1 raised SymPy's raw TypeError "Mix of Matrix and Scalar symbols"
    found = symml.derive.minimize(symml.sq_norm(X @ w - y), w, subject_to=[constraint]).numpy()(X=X_value, y=y_value)
    assert np.ravel(found) == pytest.approx(slsqp_optimum(), abs=1e-7)


def test_a_typed_function_of_a_vector_unknown_is_refused_clearly():
    with pytest.raises(ParseError, match="symml.Eq\\(symml.sum\\(w\\), 1\\)"):
        symml.derive.minimize(symml.sq_norm(X @ w - y), w, subject_to=["sum(w) = 1"])
