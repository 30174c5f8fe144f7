"""Inequality constraints on a vector unknown by the KKT conditions: a half-space, a ball, and w >= 0 elementwise.
Each names its active sets with the condition on the data, and agrees with SLSQP in both regimes. Several
inequalities, or w >= 0 of a coupled objective (NNLS), have no closed form: the KKT conditions at matrix level and a
numeric solution, checked against scipy.optimize.nnls / lsq_linear / SLSQP and by the conditions at the point."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from hypothesis import given, settings, strategies as st
from scipy.optimize import lsq_linear, minimize, nnls

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


X, y = symml.matrix("X", 8, d), symml.vector("y", 8)


def _least_squares(*constraints):
    key = ("least squares", *map(str, constraints))
    if key not in _CACHE:
        _CACHE[key] = symml.derive.minimize(symml.sq_norm(y - X @ w), w, subject_to=list(constraints))
    return _CACHE[key]


def test_nonnegative_least_squares_says_no_closed_form_and_states_the_kkt_conditions_at_matrix_level():
    # 2Xᵀ(Xw − y) − μ = 0, μ ≥ 0, μ ⊙ (−w) = 0: coupled entries, no closed form
    derivation = _least_squares(symml.Ge(w, 0))
    titles = [s.title for s in derivation.steps]
    assert "No closed form" in titles and "KKT conditions at matrix level" in titles
    kkt = next(s for s in derivation.steps if s.title == "KKT conditions at matrix level")
    assert any(isinstance(line.lhs, sp.HadamardProduct) for line in kkt.lines if isinstance(line, sp.Eq))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6))
def test_nonnegative_least_squares_agrees_with_scipy_nnls(seed):
    rng = np.random.default_rng(seed)
    Xv, yv = rng.standard_normal((8, 5)), rng.standard_normal(8)
    assert np.allclose(_least_squares(symml.Ge(w, 0)).numpy()(X=Xv, y=yv), nnls(Xv, yv)[0], atol=1e-8)


def test_the_derived_kkt_conditions_hold_at_the_numeric_nnls_solution():
    rng = np.random.default_rng(4)
    Xv, yv = rng.standard_normal((8, 5)), rng.standard_normal(8)
    derivation = _least_squares(symml.Ge(w, 0))
    wv = derivation.numpy()(X=Xv, y=yv)
    mu = 2 * Xv.T @ (Xv @ wv - yv)  # from stationarity 2Xᵀ(Xw − y) − μ = 0
    assert wv.min() >= -1e-12 and mu.min() >= -1e-9 and np.abs(wv * mu).max() <= 1e-9
    assert 0 < (wv > 1e-9).sum() < 5  # both active and inactive entries occur on this instance
    assert derivation.verify(data={"X": Xv, "y": yv})


def test_box_constrained_least_squares_agrees_with_scipy_lsq_linear():
    derivation = _least_squares(symml.Ge(w, symml.vector("l", d)), symml.Le(w, symml.vector("u", d)))
    rng = np.random.default_rng(2)
    Xv, yv = rng.standard_normal((8, 5)), rng.standard_normal(8)
    lower, upper = -0.2 * np.ones(5), np.array([0.3, 0.3, 5.0, 5.0, 5.0])
    expected = lsq_linear(Xv, yv, bounds=(lower, upper), tol=1e-14).x
    assert np.allclose(derivation.numpy()(X=Xv, y=yv, l=lower, u=upper), expected, atol=1e-8)
    assert derivation.verify()


@pytest.mark.parametrize("slack", [100.0, -0.5], ids=["inactive: the OLS solution", "active"])
def test_several_linear_inequalities_agree_with_slsqp(slack):
    A, b_k = symml.matrix("A", 3, d), symml.vector("b", 3)
    derivation = _least_squares(symml.Le(A @ w, b_k))
    rng = np.random.default_rng(3)
    Xv, yv, Av = rng.standard_normal((8, 4)), rng.standard_normal(8), rng.standard_normal((3, 4))
    ols = np.linalg.lstsq(Xv, yv, rcond=None)[0]
    bv = Av @ ols + slack
    found = minimize(lambda v: np.sum((yv - Xv @ v) ** 2), np.zeros(4), jac=lambda v: -2 * Xv.T @ (yv - Xv @ v),
                     method="SLSQP", constraints=[{"type": "ineq", "fun": lambda v: bv - Av @ v}],
                     options={"ftol": 1e-15})
    ours = derivation.numpy()(X=Xv, y=yv, A=Av, b=bv)
    assert np.allclose(ours, found.x, atol=1e-7) and (slack < 0) == (not np.allclose(ours, ols))
    assert derivation.verify(data={"X": Xv, "y": yv, "A": Av, "b": bv})


def test_infeasible_bounds_are_an_infeasible_error():
    derivation = _least_squares(symml.Ge(w, symml.vector("l", d)), symml.Le(w, symml.vector("u", d)))
    rng = np.random.default_rng(0)
    with pytest.raises(symml.InfeasibleError, match="cannot hold together"):
        derivation.numpy()(X=rng.standard_normal((8, 3)), y=rng.standard_normal(8), l=np.ones(3), u=np.zeros(3))


def test_a_linear_objective_unbounded_on_the_orthant_is_an_unbounded_error():
    c = symml.vector("c", d)
    derivation = symml.derive.minimize(c.T @ w, w, subject_to=[symml.Ge(w, 0)])
    assert np.allclose(derivation.numpy()(c=np.array([1.0, 2.0])), 0.0)
    with pytest.raises(symml.UnboundedError):
        derivation.numpy()(c=np.array([1.0, -1.0]))


def test_a_non_convex_objective_under_several_inequalities_is_refused_on_the_data():
    u3 = sp.MatrixSymbol("u", 3, 1)
    derivation = symml.derive.minimize(-u3.T @ u3, u3, subject_to=[symml.Ge(u3, 0), symml.Le(u3, 1)])
    assert any("convex" in a for a in derivation.assumptions)
    with pytest.raises(symml.UnsupportedOperationError, match="not convex"):
        derivation.numpy()()


def test_a_nonlinear_inequality_among_several_is_refused_clearly():
    with pytest.raises(symml.UnsupportedOperationError, match="not affine"):
        symml.derive.minimize(symml.sq_norm(w - v), w, subject_to=[symml.Le(w.T @ w, rho), symml.Ge(w, 0)])
