"""minimize / maximize of an objective typed as text take the unknowns by name, as derive.gradient does."""
import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

import symml
from symml.errors import ParameterError


def test_typed_objective_with_unknowns_by_name_matches_scipy():
    derived = symml.derive.minimize("(x - 1)^2 + 3 (y + 2)^2 + x y", ["x", "y"]).result
    numeric = scipy_minimize(lambda v: (v[0] - 1)**2 + 3 * (v[1] + 2)**2 + v[0] * v[1], [0.0, 0.0]).x
    assert np.allclose([float(value) for value in derived.values()], numeric, atol=1e-6)


def test_typed_objective_and_constraint_with_unknowns_by_name():
    derived = symml.derive.minimize("x^2 + 2 y^2", ["x", "y"], subject_to=["x + y = 1"]).result
    numeric = scipy_minimize(lambda v: v[0]**2 + 2 * v[1]**2, [0.0, 0.0], method="SLSQP",
                             constraints=[{"type": "eq", "fun": lambda v: v[0] + v[1] - 1}], options={"ftol": 1e-14}).x
    assert np.allclose([float(value) for value in derived.values()], numeric, atol=1e-6)


def test_an_unknown_the_objective_lacks_is_named_in_the_error():
    with pytest.raises(ParameterError, match="no variable named z"):
        symml.derive.minimize("x^2", "z")
