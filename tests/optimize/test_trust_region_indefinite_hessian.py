"""The trust-region subproblem min gᵀp + ½pᵀBp s.t. pᵀp ≤ Δ² for any symmetric B (Moré–Sorensen; Nocedal &
Wright 4.3): the KKT point is the global minimum when B + 2μI ⪰ 0, so μ ≥ max(0, −λ_min(B)/2); in the hard case
(g ⟂ the lowest eigenvector) μ = −λ_min/2 and p = −(B + 2μI)⁺g + τz. It assumed B ≻ 0 (an indefinite B's
−B⁻¹g is a saddle). Oracle: scipy.optimize.minimize (trust-constr) from several starts, the best kept.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

n = symml.dims("n")
DELTA = sp.Symbol("Delta", positive=True)
RNG = np.random.default_rng(75)


def _derivation(size):
    p, g = symml.vector("p", size), symml.vector("g", size)
    B = symml.matrix("B", size, size, symmetric=True)
    return symml.derive.minimize(g.T @ p + p.T @ B @ p / 2, wrt=p, subject_to=[symml.Le(p.T @ p, DELTA**2)])


def _trust_constr_value(B0: np.ndarray, g0: np.ndarray, radius: float) -> float:
    def run(start: np.ndarray) -> float:
        return optimize.minimize(lambda z: g0 @ z + z @ B0 @ z / 2, start, jac=lambda z: g0 + B0 @ z,
                                 hess=lambda z: B0, method="trust-constr",
                                 constraints=[optimize.NonlinearConstraint(lambda z: z @ z, -np.inf, radius**2,
                                                                           jac=lambda z: 2 * z)],
                                 options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 2000}).fun
    starts = [RNG.normal(size=g0.size) for _ in range(3)]
    return min(run(0.5 * radius * s / np.linalg.norm(s)) for s in starts)


def _indefinite(size: int) -> np.ndarray:
    root = RNG.normal(size=(size, size))
    return (root + root.T) / 2 - np.eye(size)


@pytest.fixture(scope="module")
def step():
    return _derivation(n).numpy()


def test_an_indefinite_hessian_steps_to_the_edge_at_the_global_minimum(step):
    for _ in range(2):
        B0, g0, radius = _indefinite(4), RNG.normal(size=4), float(RNG.uniform(0.3, 2.0))
        found = step(g=g0, B=B0, Delta=radius)
        assert found @ found == pytest.approx(radius**2, rel=1e-9)
        assert g0 @ found + found @ B0 @ found / 2 <= _trust_constr_value(B0, g0, radius) + 1e-9


def test_the_hard_case_adds_the_lowest_eigenvector_to_the_pseudo_inverse_step(step):
    B0 = _indefinite(4)
    values, vectors = np.linalg.eigh(B0)
    g0 = 0.05 * (vectors[:, 1:] @ RNG.normal(size=3))  # ⟂ the lowest eigenvector, small: the hard case
    found = step(g=g0, B=B0, Delta=1.5)
    shifted_step = -np.linalg.pinv(B0 - values[0] * np.eye(4)) @ g0
    assert found @ found == pytest.approx(2.25, rel=1e-9)
    assert abs((found - shifted_step) @ vectors[:, 0]) == pytest.approx(np.sqrt(2.25 - shifted_step @ shifted_step))
    assert g0 @ found + found @ B0 @ found / 2 == pytest.approx(_trust_constr_value(B0, g0, 1.5), abs=1e-8)


def test_the_global_condition_and_the_hard_case_are_shown():
    derivation = _derivation(3)
    titles = [s.title for s in derivation.steps]
    assert "Global minimum for any symmetric Hessian" in titles and "The hard case" in titles
    assert not any("positive definite" in a for a in derivation.assumptions)
    assert derivation.verify()
