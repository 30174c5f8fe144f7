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
    # at most 100 iterations: at a minimum x = 0 the constraint's gradient is undefined and SLSQP would stop only at
    # its iteration limit (2000: 4 s), its iterate within 1e-6 of 0 long before
    found = optimize.minimize(lambda z: smooth(z[:-1]) + c * z[-1], np.r_[np.full(size, 0.1), 1.0], method="SLSQP",
                              constraints=[{"type": "ineq", "fun": lambda z: z[-1] - np.sqrt(z[:-1] @ z[:-1])}],
                              options={"ftol": 1e-15, "maxiter": 100})
    return found.x[:-1]


@pytest.mark.parametrize("size", [3, n])
def test_group_lasso_prox_is_the_block_soft_threshold_parikh_boyd_6_5_1(size):
    """Parikh & Boyd, Proximal Algorithms 6.5.1 (CMU 10-725 prox homework): argmin ½‖x − v‖² + λ‖x‖, numeric and
    symbolic n. It was refused (the kink of a norm of the unknown); the two subgradient regimes give
    (1 − λ/‖v‖)v for ‖v‖ > λ and 0 otherwise. Oracle: SLSQP on the epigraph form, with ‖v‖ < λ among the cases."""
    xv, v = symml.vector("x", size), symml.vector("v", size)
    derivation = symml.derive.minimize(symml.sq_norm(xv - v) / 2 + lam * symml.norm(xv), wrt=xv)
    prox = derivation.numpy()
    for v0, lam0 in [(RNG.normal(size=3), 0.4), (0.1 * RNG.normal(size=3), 2.0), (np.array([3.0, 4.0, 0.0]), 6.0)]:
        expected = _epigraph_minimum(lambda z: 0.5 * np.sum((z - v0)**2), lam0, 3)
        assert prox(v=v0, **{"lambda": lam0}) == pytest.approx(expected, abs=1e-6)


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


# --- portfolios: several equality rows, one multiplier each --------------------------------------------------------
def _bordered_solution(H, rows, targets):
    """argmin ½wᵀHw s.t. rows·w = targets, from the KKT (bordered) system [[H, Rᵀ], [R, 0]] by numpy.linalg."""
    R = np.atleast_2d(rows)
    K = np.block([[H, R.T], [R, np.zeros((R.shape[0], R.shape[0]))]])
    return np.linalg.solve(K, np.r_[np.zeros(H.shape[0]), targets])[:H.shape[0]]


@pytest.mark.parametrize("size", [4, n])
def test_markowitz_frontier_with_a_budget_and_a_target_return_boyd_4_4_1(size):
    """Boyd & Vandenberghe 4.4.1 / Merton 1972 (CS229-style portfolio exercise): min wᵀΣw s.t. 𝟏ᵀw = 1, μᵀw = r.
    Two vector constraints were refused; two multipliers solve it at matrix level. Oracle: the bordered KKT
    system by numpy.linalg."""
    w, mu = symml.vector("w", size), symml.vector("mu", size)
    Sigma = symml.matrix("Sigma", size, size, symmetric=True)
    r = sp.Symbol("r", real=True)
    derivation = symml.derive.minimize(w.T @ Sigma @ w, wrt=w, subject_to=[
        symml.Eq(sp.OneMatrix(size, 1).T @ w, 1), symml.Eq(mu.T @ w, r)])
    A = RNG.normal(size=(4, 4))
    S0, m0 = A @ A.T + np.eye(4), RNG.normal(size=4)
    found = derivation.numpy()(Sigma=S0, mu=m0, r=0.3)
    assert found == pytest.approx(_bordered_solution(2 * S0, np.vstack([np.ones(4), m0]), [1.0, 0.3]), abs=1e-10)


def test_markowitz_with_a_return_target_alone_and_with_a_risk_free_asset():
    """Luenberger, Investment Science 6.9 (a risk-free asset: the excess return (μ − r_f𝟏)ᵀw = r − r_f, the rest
    in cash) and the return target alone: one row each. Oracle: the bordered system by numpy.linalg."""
    w, mu = symml.vector("w", n), symml.vector("mu", n)
    Sigma = symml.matrix("Sigma", n, n, symmetric=True)
    r, rf = sp.Symbol("r", real=True), sp.Symbol("r_f", real=True)
    A = RNG.normal(size=(5, 5))
    S0, m0 = A @ A.T + np.eye(5), RNG.normal(size=5)
    target = symml.derive.minimize(w.T @ Sigma @ w, wrt=w, subject_to=[symml.Eq(mu.T @ w, r)])
    assert target.numpy()(Sigma=S0, mu=m0, r=0.2) == pytest.approx(_bordered_solution(2 * S0, m0, [0.2]), abs=1e-10)
    excess = mu - rf * sp.OneMatrix(n, 1)
    riskless = symml.derive.minimize(w.T @ Sigma @ w, wrt=w, subject_to=[symml.Eq(excess.T @ w, r - rf)])
    expected = _bordered_solution(2 * S0, m0 - 0.05, [0.2 - 0.05])
    assert riskless.numpy()(Sigma=S0, mu=m0, r=0.2, r_f=0.05) == pytest.approx(expected, abs=1e-10)


def test_the_minimum_variance_portfolio_reads_as_the_textbook_writes_it():
    """Murphy PML1 / Luenberger 6.4: w = Σ⁻¹𝟏/(𝟏ᵀΣ⁻¹𝟏); it printed −((−2/(𝟏ᵀΣ⁻¹𝟏))/2) Σ⁻¹𝟏 (a 1 x 1 multiplier
    left wrapped as a matrix). Oracle: numpy.linalg on the bordered system."""
    w, Sigma = symml.vector("w", n), symml.matrix("Sigma", n, n, symmetric=True)
    derivation = symml.derive.minimize(w.T @ Sigma @ w, wrt=w, subject_to=[symml.Eq(sp.OneMatrix(n, 1).T @ w, 1)])
    assert "−2" not in str(derivation.summary[0]) and "-2" not in sp.srepr(derivation.result)
    A = RNG.normal(size=(3, 3))
    S0 = A @ A.T + np.eye(3)
    assert derivation.numpy()(Sigma=S0) == pytest.approx(_bordered_solution(2 * S0, np.ones(3), [1.0]), abs=1e-12)


# --- KKT without convexity: the best KKT point, not the first -----------------------------------------------------
def test_a_concave_objective_on_an_interval_is_minimised_at_the_better_end_stewart_4_1():
    """Stewart 4.1 (closed-interval method) posed as KKT: min −x² on [−1, 2] returned x = 0, the maximum (the
    interior stationary point came first among the active sets). Oracle: the objective on a grid."""
    derivation = symml.derive.minimize(-x**2, x, subject_to=[x >= -1, x <= 2])
    grid = np.linspace(-1, 2, 30001)
    assert float(derivation.numpy()()) == pytest.approx(grid[np.argmin(-grid**2)])


def test_a_parametric_concave_objective_picks_the_end_with_the_smaller_value():
    """min −(x − a)² on [−1, 2]: both ends are KKT points for −1 ≤ a ≤ 2; it returned −1 for every a ≥ −1, wrong
    for a < 1/2. Oracle: the objective on a grid, at a on both sides of 1/2."""
    a = sp.Symbol("a", real=True)
    minimum = symml.derive.minimize(-(x - a)**2, x, subject_to=[x >= -1, x <= 2]).numpy()
    grid = np.linspace(-1, 2, 30001)
    for a0 in (-3.0, -0.5, 0.3, 1.2, 3.0):
        assert float(minimum(a=a0)) == pytest.approx(grid[np.argmin(-(grid - a0)**2)]), a0


def test_an_active_constraint_with_two_roots_gives_two_kkt_points_boyd_exercise_5_1():
    """Boyd & Vandenberghe Exercise 5.1: min x² + 1 s.t. (x − 2)(x − 4) ≤ 0 was refused ('no active set solved'):
    the active constraint has two roots, x = 2 (μ = 2) and x = 4 (μ = −4, dual infeasible). Oracle: bounded
    scalar minimisation on the feasible interval [2, 4]."""
    derivation = symml.derive.minimize(x**2 + 1, x, subject_to=[(x - 2) * (x - 4) <= 0])
    best = optimize.minimize_scalar(lambda t: t**2 + 1, bounds=(2, 4), method="bounded", options={"xatol": 1e-12})
    assert float(derivation.numpy()()) == pytest.approx(best.x, abs=1e-6)


def test_a_tilted_double_well_on_an_interval_is_its_global_minimum():
    """(x² − 1)² + x/4 on [−2, 2]: the interior stationary points are the roots of a cubic in the casus
    irreducibilis (radicals through i); the local maximum near 0.06 was returned. Oracle: a grid."""
    derivation = symml.derive.minimize((x - 1)**2 * (x + 1)**2 + x / 4, x, subject_to=[x >= -2, x <= 2])
    grid = np.linspace(-2, 2, 400001)
    expected = grid[np.argmin((grid**2 - 1)**2 + grid / 4)]
    assert float(np.real(derivation.numpy()())) == pytest.approx(expected, abs=1e-4)


def test_an_unbounded_lp_is_unbounded_not_infeasible_boyd_exercise_4_1_b():
    """Boyd & Vandenberghe Exercise 4.1 (b): min −x₁ − x₂ on 2x₁ + x₂ ≥ 1, x₁ + 3x₂ ≥ 1, x ≥ 0 said 'the
    constraints are infeasible'. Oracle: scipy.optimize.linprog reports it unbounded."""
    x1, x2 = sp.symbols("x1 x2", real=True)
    assert optimize.linprog([-1, -1], A_ub=[[-2, -1], [-1, -3]], b_ub=[-1, -1]).status == 3  # unbounded
    with pytest.raises(symml.UnboundedError, match="feasible"):
        symml.derive.minimize(-x1 - x2, [x1, x2], subject_to=[2 * x1 + x2 >= 1, x1 + 3 * x2 >= 1, x1 >= 0, x2 >= 0])


# --- homework problems that pass, kept as specifications ---------------------------------------------------------
def test_an_objective_typed_as_latex_is_read_without_running_code():
    """CS189 HW1-style ridge in one variable typed as LaTeX: it raised SymPy's SympifyError. Oracle: bounded
    scalar minimisation."""
    derivation = symml.derive.minimize(r"(x - a)^2 + \lambda x^2", x)
    found = float(derivation.numpy()(a=1.5, **{"lambda": 0.5}))
    assert found == pytest.approx(optimize.minimize_scalar(lambda t: (t - 1.5)**2 + 0.5 * t**2).x, abs=1e-6)
    with pytest.raises(symml.ParseError):
        symml.derive.minimize("(x - a)^2 + __import__('os')", x)


def test_the_entropy_prox_is_a_lambert_w_on_its_real_branch_parikh_boyd_6_5():
    """Parikh & Boyd 6.5 (prox of λ x log x): x̂ = λ W(e^{v/λ − 1}/λ); numpy() evaluates W on its real branch,
    also at v/λ = 400 (e^400 overflows a double, W's argument stays finite through the log). Oracle: bounded
    scalar minimisation."""
    xp, v = sp.Symbol("x", positive=True), sp.Symbol("v", real=True)
    derivation = symml.derive.minimize((xp - v)**2 / 2 + lam * xp * sp.log(xp), xp)
    assert derivation.result[xp].has(sp.LambertW)
    for v0, lam0 in [(1.0, 0.5), (-3.0, 2.0), (40.0, 0.1)]:
        best = optimize.minimize_scalar(lambda t: (t - v0)**2 / 2 + lam0 * t * np.log(t), bounds=(1e-300, 100),
                                        method="bounded", options={"xatol": 1e-13}).x
        assert float(derivation.numpy()(v=v0, **{"lambda": lam0})) == pytest.approx(best, abs=1e-6)


def test_constrained_least_squares_at_matrix_level_boyd_vmls_16_1():
    """Boyd & Vandenberghe, VMLS 16.1: min ‖Ax − b‖² s.t. Cx = h (symbolic sizes). Oracle: the KKT system
    [[2AᵀA, Cᵀ], [C, 0]] by numpy.linalg."""
    A, xv, b = symml.matrix("A", n, d), symml.vector("x", d), symml.vector("b", n)
    C, h = symml.matrix("C", 2, d), symml.vector("h", 2)
    derivation = symml.derive.minimize(symml.sq_norm(A @ xv - b), xv, subject_to=[symml.Eq(C @ xv, h)])
    A0, b0, C0, h0 = RNG.normal(size=(8, 4)), RNG.normal(size=8), RNG.normal(size=(2, 4)), RNG.normal(size=2)
    K = np.block([[2 * A0.T @ A0, C0.T], [C0, np.zeros((2, 2))]])
    expected = np.linalg.solve(K, np.r_[2 * A0.T @ b0, h0])[:4]
    assert derivation.numpy()(A=A0, b=b0, C=C0, h=h0) == pytest.approx(expected, abs=1e-10)


def test_mean_variance_utility_under_a_budget_boyd_4_4_1():
    """Boyd & Vandenberghe 4.4.1 (risk-averse investor): max μᵀw − (γ/2)wᵀΣw s.t. 𝟏ᵀw = 1. Oracle: the bordered
    system [[γΣ, 𝟏], [𝟏ᵀ, 0]] by numpy.linalg."""
    w, mu = symml.vector("w", n), symml.vector("mu", n)
    Sigma, gamma = symml.matrix("Sigma", n, n, symmetric=True), sp.Symbol("gamma", positive=True)
    derivation = symml.derive.maximize(mu.T @ w - gamma / 2 * w.T @ Sigma @ w, w,
                                       subject_to=[symml.Eq(sp.OneMatrix(n, 1).T @ w, 1)])
    A = RNG.normal(size=(4, 4))
    S0, m0 = A @ A.T + np.eye(4), RNG.normal(size=4)
    K = np.block([[3.0 * S0, np.ones((4, 1))], [np.ones((1, 4)), np.zeros((1, 1))]])
    expected = np.linalg.solve(K, np.r_[m0, 1.0])[:4]
    assert derivation.numpy()(Sigma=S0, mu=m0, gamma=3.0) == pytest.approx(expected, abs=1e-10)
