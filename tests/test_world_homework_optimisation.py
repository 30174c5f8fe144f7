"""Optimisation and linear-algebra problems from homework and exam sheets, posed the way users type them.

Each test names its source (course problem set or book exercise) and checks the derived optimum against an
independent numeric method (scipy.optimize, numpy.linalg, a grid); the oracles live here only. Found by the
homework sweep of session 25 (optimisation, KKT, proximal operators, portfolios, linear algebra).
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

n, d = symml.dims("n d")
lam = sp.Symbol("lambda", positive=True)
RNG = np.random.default_rng(2525)
x, y = sp.symbols("x y", real=True)


def _best_of_starts(f, starts):
    return min((optimize.minimize(f, np.asarray(s, dtype=float), method="BFGS", options={"gtol": 1e-10})
                for s in starts), key=lambda r: r.fun)


# --- Lambert W closed forms --------------------------------------------------------------------------------------
def test_a_lambert_w_stationary_point_is_evaluated_on_its_real_branch():
    """(x − 2)² + 3e^(−4xy) + y²: x̂ = 2 + W(24y²e^(−8y))/(4y) profiled, y solved numerically; numpy() raised
    NameError (LambertW was not in the NumPy namespace). Oracle: BFGS from several starts."""
    derivation = symml.derive.minimize((x - 2)**2 + 3 * sp.exp(-4 * x * y) + y**2, [x, y])
    assert derivation.result[x].has(sp.LambertW)
    found = derivation.numpy()()
    best = _best_of_starts(lambda z: (z[0] - 2)**2 + 3 * np.exp(-4 * z[0] * z[1]) + z[1]**2,
                           [(0, 0), (2, 0.5), (1, 1), (-1, -1), (3, -1)])
    assert [found["x"], found["y"]] == pytest.approx(best.x, abs=1e-6)


# --- a norm of the unknown: the subgradient condition at matrix level ---------------------------------------------
def _epigraph_minimum(smooth, c, size):
    """min s(x) + c‖x‖ as min s(x) + c t s.t. t ≥ ‖x‖ (smooth objective, so SLSQP is not stalled by the kink)."""
    found = optimize.minimize(lambda z: smooth(z[:-1]) + c * z[-1], np.full(size + 1, 0.1), method="SLSQP",
                              constraints=[{"type": "ineq", "fun": lambda z: z[-1] - np.sqrt(z[:-1] @ z[:-1])}],
                              options={"ftol": 1e-15, "maxiter": 2000})
    return found.x[:-1]


@pytest.mark.parametrize("size", [3, n])
def test_group_lasso_prox_is_the_block_soft_threshold_parikh_boyd_6_5_1(size):
    """Parikh & Boyd, Proximal Algorithms 6.5.1 (CMU 10-725 prox homework): argmin ½‖x − v‖² + λ‖x‖, numeric and
    symbolic n. It was refused (the kink of a norm of the unknown); the two subgradient regimes give
    (1 − λ/‖v‖)v for ‖v‖ > λ and 0 otherwise. Oracle: SLSQP on the epigraph form, with ‖v‖ < λ among the cases."""
    xv, v = symml.vector("x", size), symml.vector("v", size)
    derivation = symml.derive.minimize(symml.sq_norm(xv - v) / 2 + lam * symml.norm(xv), wrt=xv)
    prox = derivation.numpy()
    for v0, lam0 in [(RNG.normal(size=3), 0.4), (0.1 * RNG.normal(size=3), 2.0), (np.array([3.0, 4.0, 0.0]), 5.0)]:
        expected = _epigraph_minimum(lambda z: 0.5 * np.sum((z - v0)**2), lam0, 3)
        assert prox(v=v0, **{"lambda": lam0}) == pytest.approx(expected, abs=1e-7)


def test_group_lasso_prox_at_extreme_scales_keeps_the_regime():
    """‖v‖ computed without under- or overflow: v of 1e-300 with λ below ‖v‖ shrinks, it returned 0 when vᵀv
    underflowed; v of 1e300 overflows vᵀv. Oracle: the same problem rescaled to 1 (the prox is 1-homogeneous)."""
    xv, v = symml.vector("x", 3), symml.vector("v", 3)
    prox = symml.derive.minimize(symml.sq_norm(xv - v) / 2 + lam * symml.norm(xv), wrt=xv).numpy()
    unit = _epigraph_minimum(lambda z: 0.5 * np.sum((z - np.array([3.0, 4.0, 0.0]))**2), 2.0, 3)
    for scale in (1e-300, 1e300):
        found = prox(v=scale * np.array([3.0, 4.0, 0.0]), **{"lambda": 2.0 * scale})
        assert found / scale == pytest.approx(unit, abs=1e-7)


def test_frobenius_prox_and_the_elastic_group_penalty_fall_out_of_the_same_stage():
    """ESL 3.8.4 / Murphy PML1 11.4.7 (group lasso with a ridge term, and a matrix block under the Frobenius norm):
    ½‖X − V‖²_F + λ‖X‖_F and ½‖x − v‖² + μ/2‖x‖² + λ‖x‖. Oracle: SLSQP on the epigraph form."""
    mu = sp.Symbol("mu", positive=True)
    X, V = symml.matrix("X", n, 2), symml.matrix("V", n, 2)
    frobenius = symml.derive.minimize(symml.sq_norm(X - V) / 2 + lam * symml.norm(X, "fro"), wrt=X).numpy()
    V0 = RNG.normal(size=(4, 2))
    expected = _epigraph_minimum(lambda z: 0.5 * np.sum((z - V0.ravel())**2), 0.7, 8)
    assert frobenius(V=V0, **{"lambda": 0.7}).ravel() == pytest.approx(expected, abs=1e-7)
    xv, v = symml.vector("x", n), symml.vector("v", n)
    elastic = symml.derive.minimize(symml.sq_norm(xv - v) / 2 + mu / 2 * symml.sq_norm(xv) + lam * symml.norm(xv),
                                    wrt=xv).numpy()
    v0 = RNG.normal(size=5)
    expected = _epigraph_minimum(lambda z: 0.5 * np.sum((z - v0)**2) + 0.3 * np.sum(z**2), 0.5, 5)
    assert elastic(v=v0, mu=0.6, **{"lambda": 0.5}) == pytest.approx(expected, abs=1e-7)


def test_a_norm_beside_least_squares_is_refused_naming_the_reason():
    """½‖Ax − b‖² + λ‖x‖ (the group lasso with a design): ‖x(r)‖ = r is a secular equation with no closed root,
    and AᵀA is only semidefinite; refused with symml's error, not a wrong closed form."""
    xv, A, b = symml.vector("x", d), symml.matrix("A", n, d), symml.vector("b", n)
    with pytest.raises(symml.UnsupportedOperationError, match="strictly convex"):
        symml.derive.minimize(symml.sq_norm(A @ xv - b) / 2 + lam * symml.norm(xv), wrt=xv)
