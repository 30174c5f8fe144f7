"""The trust-region subproblem (Nocedal & Wright 4.3, Moré–Sorensen): min gᵀp + ½pᵀBp s.t. pᵀp ≤ Δ², B ≻ 0.

KKT: (B + 2μI)p = −g, μ ≥ 0, μ(pᵀp − Δ²) = 0. Inactive: the Newton step −B⁻¹g where it fits; active: the secular
equation gᵀ(B + 2μI)⁻²g = Δ², which has no closed root, shown and solved numerically (bracketed, Brent). It was
refused ("0 admissible multipliers"). Oracle: scipy.optimize.minimize (SLSQP) with the ball as a constraint.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

n = symml.dims("n")
DELTA = sp.Symbol("Delta", positive=True)


def _slsqp_step(g0: np.ndarray, B0: np.ndarray, radius: float) -> np.ndarray:
    found = optimize.minimize(lambda z: g0 @ z + z @ B0 @ z / 2, np.zeros(g0.size), method="SLSQP",
                              constraints=[{"type": "ineq", "fun": lambda z: radius**2 - z @ z}],
                              options={"ftol": 1e-15, "maxiter": 500})
    return found.x


@pytest.mark.parametrize("size", [3, n])
def test_the_step_is_newtons_inside_the_region_and_the_secular_root_on_its_edge(size):
    p, g = symml.vector("p", size), symml.vector("g", size)
    B = symml.matrix("B", size, size, symmetric=True)
    derivation = symml.derive.minimize(g.T @ p + p.T @ B @ p / 2, wrt=p, subject_to=[symml.Le(p.T @ p, DELTA**2)])
    step = derivation.numpy()
    rng = np.random.default_rng(43)
    root = rng.normal(size=(3, 3))
    B0, g0 = root @ root.T + 0.1 * np.eye(3), rng.normal(size=3)
    for radius in (0.05, 0.5, 1e3):  # the edge, the edge, the Newton step inside
        assert step(g=g0, B=B0, Delta=radius) == pytest.approx(_slsqp_step(g0, B0, radius), abs=1e-6)
    assert derivation.verify()


def test_the_secular_equation_is_shown_and_said_to_have_no_closed_root():
    p, g = symml.vector("p", n), symml.vector("g", n)
    B = symml.matrix("B", n, n, symmetric=True)
    derivation = symml.derive.minimize(g.T @ p + p.T @ B @ p / 2, wrt=p, subject_to=[symml.Le(p.T @ p, DELTA**2)])
    secular = next(s for s in derivation.steps if s.title == "No closed form: the secular equation")
    assert secular.math.has(DELTA) and "**(-2)" in str(secular.math)
    assert any("No closed form" in remark for remark in derivation.remarks)


def test_the_region_written_with_the_norm_is_squared_first():
    """‖p‖ ≤ Δ as users write it: the same feasible set as pᵀp ≤ Δ², differentiable at 0. Oracle: SLSQP."""
    p, g = symml.vector("p", 3), symml.vector("g", 3)
    B = symml.matrix("B", 3, 3, symmetric=True)
    derivation = symml.derive.minimize(g.T @ p + p.T @ B @ p / 2, wrt=p, subject_to=[symml.Le(symml.norm(p), DELTA)])
    assert derivation.steps[0].title == "Square the norm constraint"
    B0, g0 = np.diag([1.0, 2.0, 3.0]), np.array([1.0, -1.0, 2.0])
    assert derivation.numpy()(g=g0, B=B0, Delta=0.3) == pytest.approx(_slsqp_step(g0, B0, 0.3), abs=1e-6)
