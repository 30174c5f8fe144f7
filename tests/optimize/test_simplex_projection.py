"""The Euclidean projection onto the probability simplex (Duchi et al. 2008; Condat 2016): argmin ½‖x − v‖² s.t.
𝟏ᵀx = 1, x ≥ 0. It was refused (an equality beside an inequality on a vector unknown). From the KKT conditions:
xᵢ = max(vᵢ − ν, 0) per entry for the equality's multiplier ν, and the threshold equation Σ max(vᵢ − ν, 0) = 1
solved numerically. Oracle: SLSQP with the equality and the bounds.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

n = symml.dims("n")


def _slsqp(objective, size: int, row: np.ndarray, level: float) -> np.ndarray:
    found = optimize.minimize(objective, np.full(size, level / row.sum()), method="SLSQP",
                              bounds=[(0, None)] * size, options={"ftol": 1e-15, "maxiter": 500},
                              constraints=[{"type": "eq", "fun": lambda z: row @ z - level}])
    return found.x


@pytest.mark.parametrize("size", [4, n])
def test_the_projection_onto_the_simplex_clips_below_the_threshold(size):
    x, v = symml.vector("x", size), symml.vector("v", size)
    derivation = symml.derive.minimize(symml.sq_norm(x - v) / 2, wrt=x, subject_to=[
        symml.Eq(sp.OneMatrix(size, 1).T @ x, 1), symml.Ge(x, 0)])
    project = derivation.numpy()
    rng = np.random.default_rng(5)
    for v0 in (rng.normal(size=4), np.array([0.1, 0.2, 0.3, 0.15]), np.array([5.0, -3.0, 4.9, 0.0])):
        expected = _slsqp(lambda z: 0.5 * np.sum((z - v0)**2), 4, np.ones(4), 1.0)
        assert project(v=v0) == pytest.approx(expected, abs=1e-7)
    assert derivation.verify()


def test_the_threshold_equation_is_derived_from_the_kkt_conditions():
    x, v = symml.vector("x", n), symml.vector("v", n)
    derivation = symml.derive.minimize(symml.sq_norm(x - v) / 2, wrt=x, subject_to=[
        symml.Eq(sp.OneMatrix(n, 1).T @ x, 1), symml.Ge(x, 0)])
    titles = [step.title for step in derivation.steps]
    assert "No closed form: the threshold equation" in titles and "Each entry given the multiplier" in titles
    assert isinstance(derivation.result, sp.Piecewise)
    assert any("No closed form" in remark for remark in derivation.remarks)


def test_a_weighted_budget_with_a_ridge_term_takes_the_same_route():
    """min ‖x − v‖² + μ‖x‖² s.t. aᵀx = b, x ≥ 0 (a budget with prices a > 0): the threshold equation is weighted,
    Σ aᵢ max(·, 0) = b, still non-increasing in ν. Oracle: SLSQP."""
    x, v, a = symml.vector("x", 5), symml.vector("v", 5), symml.vector("a", 5)
    b, mu = sp.Symbol("b", positive=True), sp.Symbol("mu", positive=True)
    derivation = symml.derive.minimize(symml.sq_norm(x - v) + mu * symml.sq_norm(x), wrt=x,
                                       subject_to=[symml.Eq(a.T @ x, b), symml.Ge(x, 0)])
    rng = np.random.default_rng(6)
    v0, a0 = rng.normal(size=5), rng.uniform(0.5, 2.0, size=5)
    expected = _slsqp(lambda z: np.sum((z - v0)**2) + 0.3 * np.sum(z**2), 5, a0, 2.0)
    assert derivation.numpy()(v=v0, a=a0, b=2.0, mu=0.3) == pytest.approx(expected, abs=1e-7)
