"""max aᵀw on the sphere wᵀw = 1 at every size, d = 1 included (1 x 1 matrices): w = a/‖a‖.

At d = 1 the scalar Lagrangian left its multiplier to a numeric root (w = −a/(2ν)); posed with data vectors it is
the d-dimensional problem, whose multiplier equation aᵀa/(4λ²) = 1 is even in λ: its roots ±√(aᵀa)/2 = ±|a|/2
let the objective pick the maximum. Oracle: SLSQP on the sphere.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

d = symml.dims("d")


def _slsqp_on_sphere(a0: np.ndarray, sign: float) -> np.ndarray:
    """The better of SLSQP from two opposite starts (at d = 1 the sphere is two points, each a local optimum)."""
    runs = [optimize.minimize(lambda z: -sign * (a0 @ z), np.full(a0.size, start), method="SLSQP",
                              constraints=[{"type": "eq", "fun": lambda z: z @ z - 1}], options={"ftol": 1e-14})
            for start in (0.5, -0.5)]
    return min(runs, key=lambda run: run.fun).x


@pytest.mark.parametrize(("size", "maximise"), [(1, True), (1, False), (3, True), (d, False)])
def test_a_linear_objective_on_the_unit_sphere_is_the_normalised_data_vector(size, maximise):
    a, w = symml.vector("a", size), symml.vector("w", size)
    optimum = (symml.derive.maximize if maximise else symml.derive.minimize)(
        a.T @ w, wrt=w, subject_to=[symml.Eq(w.T @ w, 1)]).numpy()
    rng = np.random.default_rng(7)
    for a0 in (np.array([-2.0, 0.5, 1.0]), np.array([3.0, -1.0, 0.2]), rng.normal(size=3)):
        a0 = a0[:1] if size == 1 else a0
        expected = _slsqp_on_sphere(a0, 1.0 if maximise else -1.0)
        assert np.ravel(optimum(a=a0)) == pytest.approx(expected, abs=1e-6)


def test_at_d_1_the_optimum_is_a_over_its_absolute_value_derived_not_numeric():
    a, w = symml.vector("a", 1), symml.vector("w", 1)
    derivation = symml.derive.maximize(a.T @ w, wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    assert derivation.result.has(sp.Abs) and not any("numeric" in r for r in derivation.remarks)
    assert any(step.title == "Compare the stationary points" for step in derivation.steps)
    assert derivation.verify()
