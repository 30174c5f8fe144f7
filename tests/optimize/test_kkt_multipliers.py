"""The derived multipliers against the solver's: at scipy's primal optimum the multipliers are recovered from the
stationarity condition ∇f = Σ λ_i ∇c_i over the active constraints (non-negative least squares), independently of
the derivation, and compared with the derived dual variables (SVM α, least-norm ν) and KKT multipliers (μ)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import lsq_linear, minimize, nnls

import symml
from symml.optimize.lagrange import kkt_cases

n, d, k = symml.dims("n d k")


def test_svm_dual_alpha_equals_the_margin_multipliers_of_the_primal():
    X, y, w, xi = symml.matrix("X", n, d), symml.vector("y", n), symml.vector("w", d), symml.vector("xi", n)
    b, C, one = sp.Symbol("b", real=True), sp.Symbol("C", positive=True), sp.OneMatrix(n, 1)
    alpha, beta = symml.vector("alpha", n), symml.vector("beta", n)
    derivation = symml.derive.dual(w.T @ w / 2 + C * one.T @ xi, [w, b, xi],
                                   subject_to=[symml.Ge(symml.diag(y) @ (X @ w + b * one), one - xi), symml.Ge(xi, 0)],
                                   multipliers=[alpha, beta])
    rng = np.random.default_rng(7)
    yv = np.repeat([1.0, -1.0], 4)
    Xv = rng.standard_normal((8, 2)) * 0.7 + 0.6 * yv[:, None]
    m, p = Xv.shape
    margins = lambda z: yv * (Xv @ z[:p] + z[p]) - 1 + z[p + 1:]  # noqa: E731
    found = minimize(lambda z: 0.5 * z[:p] @ z[:p] + z[p + 1:].sum(), np.full(p + 1 + m, 0.5), method="SLSQP",
                     constraints=[{"type": "ineq", "fun": margins}, {"type": "ineq", "fun": lambda z: z[p + 1:]}],
                     options={"ftol": 1e-15, "maxiter": 1000})
    z = found.x
    gradient = np.concatenate([z[:p], [0.0], np.ones(m)])
    # ∇f = Σ αᵢ ∇(marginᵢ) + Σ βᵢ ∇ξᵢ, only active constraints, α, β ≥ 0
    margin_rows = np.hstack([yv[:, None] * Xv, yv[:, None], np.eye(m)])
    slack_rows = np.hstack([np.zeros((m, p + 1)), np.eye(m)])
    active_margin, active_slack = np.abs(margins(z)) < 1e-7, np.abs(z[p + 1:]) < 1e-7
    rows = np.vstack([margin_rows[active_margin], slack_rows[active_slack]])
    multipliers, residual = nnls(rows.T, gradient)
    assert residual < 1e-6
    recovered = np.zeros(m)
    recovered[active_margin] = multipliers[:active_margin.sum()]
    assert np.allclose(derivation.numpy()(X=Xv, y=yv, C=1.0)["alpha"], recovered, atol=1e-5)


def test_least_norm_multiplier_equals_the_solvers_from_the_gradient_condition():
    A, b, w = symml.matrix("A", k, d), symml.vector("b", k), symml.vector("w", d)
    derivation = symml.derive.dual(w.T @ w, w, subject_to=[symml.Eq(A @ w, b)])
    rng = np.random.default_rng(8)
    Av, bv = rng.standard_normal((2, 5)), rng.standard_normal(2)
    found = minimize(lambda v: v @ v, np.full(5, 0.1), method="SLSQP",
                     constraints=[{"type": "eq", "fun": lambda v: Av @ v - bv}], options={"ftol": 1e-15})
    # ∇f + Aᵀν = 0 at the optimum (L = f + νᵀ(Aw − b))
    nu = lsq_linear(Av.T, -2 * found.x).x
    assert np.allclose(derivation.numpy()(A=Av, b=bv)["nu"], nu, atol=1e-6)


@pytest.mark.parametrize("a_value, b_value", [(2.0, 1.5), (0.2, 0.3)], ids=["active", "inactive"])
def test_kkt_multiplier_of_a_half_plane_equals_the_solvers(a_value, b_value):
    x, y, a, b = sp.symbols("x y a b", real=True)
    cases = kkt_cases((x - a) ** 2 + (y - b) ** 2, (x, y), (), (sp.Le(x + y, 1),))
    values = {a: a_value, b: b_value}
    (case,) = [c for c in cases if all(bool(cond.subs(values)) for cond in c.conditions)]
    derived = {s.name: float(v.subs(values)) for s, v in case.solution.items()}
    found = minimize(lambda v: (v[0] - a_value) ** 2 + (v[1] - b_value) ** 2, np.zeros(2), method="SLSQP",
                     constraints=[{"type": "ineq", "fun": lambda v: 1 - v[0] - v[1]}], options={"ftol": 1e-15})
    gradient = 2 * (found.x - np.array([a_value, b_value]))
    mu = max(0.0, float(-gradient @ np.ones(2) / 2)) if abs(found.x.sum() - 1) < 1e-8 else 0.0  # ∇f + μ∇g = 0
    assert derived.get("mu", 0.0) == pytest.approx(mu, abs=1e-7)
    assert (derived["x"], derived["y"]) == pytest.approx(tuple(found.x), abs=1e-7)
