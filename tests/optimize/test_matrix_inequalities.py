"""Inequality constraints on a vector unknown by the KKT conditions: a half-space, a ball, and w >= 0 elementwise.
Each names its active sets with the condition on the data, and agrees with SLSQP in both regimes."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml

d = symml.dims("d")
w, v, a = symml.vector("w", d), symml.vector("v", d), symml.vector("a", d)
b, rho = sp.Symbol("b", real=True), sp.Symbol("rho", positive=True)
_CACHE: dict = {}


def _derived(name, constraint):
    if name not in _CACHE:
        _CACHE[name] = symml.derive.minimize(symml.sq_norm(w - v), w, subject_to=[constraint])
    return _CACHE[name]


def _conditions(derivation):
    return {s.title: s.why for s in derivation.steps if s.title.startswith("Active set")}


@pytest.mark.parametrize("offset", [-1.0, 2.0], ids=["inside: inactive", "outside: active"])
def test_projection_onto_a_half_space_in_both_regimes(offset):
    # inactive if aᵀv ≤ b, else v − (aᵀv − b) a / ‖a‖²
    derivation = _derived("half-space", symml.Le(a.T @ w, b))
    rng = np.random.default_rng(0)
    av, vv = rng.standard_normal(5), rng.standard_normal(5)
    bv = float(av @ vv) - offset
    expected = vv if av @ vv <= bv else vv - (av @ vv - bv) * av / (av @ av)
    data = {"a": av, "v": vv, "b": bv}
    assert np.allclose(derivation.numpy()(**data), expected) and derivation.verify(data=data)


def test_half_space_names_each_active_set_with_its_condition():
    conditions = _conditions(_derived("half-space", symml.Le(a.T @ w, b)))
    assert "a^{\\top} v \\leq b" in conditions["Active set: none"]
    assert "a^{\\top} v \\geq b" in conditions["Active set: the constraint"]


@pytest.mark.parametrize("scale", [0.1, 3.0], ids=["inside: inactive", "outside: active"])
def test_projection_onto_a_ball_in_both_regimes(scale):
    derivation = _derived("ball", symml.Le(w.T @ w, rho))
    rng = np.random.default_rng(1)
    vv = rng.standard_normal(5)
    vv *= scale / np.linalg.norm(vv)
    expected = vv if vv @ vv <= 1.0 else vv / np.linalg.norm(vv)
    assert np.allclose(derivation.numpy()(v=vv, rho=1.0), expected)
    assert derivation.verify(data={"v": vv, "rho": 1.0})


def test_projection_onto_the_nonnegative_orthant_clips_entrywise():
    derivation = _derived("orthant", symml.Ge(w, 0))
    assert {"Per entry, active set: none", "Per entry, active set: w_i = 0"} <= {s.title for s in derivation.steps}
    vv = np.array([1.5, -0.3, 0.0, -2.0, 0.7])
    assert np.allclose(derivation.numpy()(v=vv), np.maximum(vv, 0)) and derivation.verify()


def test_a_separable_objective_with_a_scale_under_nonnegativity():
    # λ‖w‖² − 2cᵀw over w ≥ 0: w = max(c/λ, 0)
    c, lam = symml.vector("c", d), sp.Symbol("lambda", positive=True)
    derivation = symml.derive.minimize(lam * w.T @ w - 2 * c.T @ w, w, subject_to=[symml.Ge(w, 0)])
    cv = np.array([0.4, -1.0, 2.0])
    assert np.allclose(derivation.numpy()(c=cv, **{"lambda": 0.5}), np.maximum(cv / 0.5, 0))


def test_nonnegativity_of_a_coupled_objective_is_refused_clearly():
    X, y = symml.matrix("X", 7, d), symml.vector("y", 7)
    with pytest.raises(symml.UnsupportedOperationError, match="separable"):
        symml.derive.minimize(symml.sq_norm(y - X @ w), w, subject_to=[symml.Ge(w, 0)])
