"""Lagrange duals and convex conjugates, derived by the engine and checked against direct numeric solves.

The primal problems are solved here with scipy.optimize (SLSQP, linprog) written in NumPy, independently of the
derivation; verify() does the same generically.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st
from scipy.optimize import linprog, minimize

import symml
from symml.matrix_calculus.numpy_export import numpy_function

n, d, k = symml.dims("n d k")
X, y = symml.matrix("X", n, d), symml.vector("y", n)
w, xi = symml.vector("w", d), symml.vector("xi", n)
alpha, beta = symml.vector("alpha", n), symml.vector("beta", n)
A, b_vec = symml.matrix("A", k, d), symml.vector("b", k)
b, C = sp.Symbol("b", real=True), sp.Symbol("C", positive=True)
ONE = sp.OneMatrix(n, 1)
_CACHE: dict = {}


def _svm_dual():
    if "svm" not in _CACHE:
        _CACHE["svm"] = symml.derive.dual(
            w.T @ w / 2 + C * ONE.T @ xi, [w, b, xi],
            subject_to=[symml.Ge(symml.diag(y) @ (X @ w + b * ONE), ONE - xi), symml.Ge(xi, 0)],
            multipliers=[alpha, beta])
    return _CACHE["svm"]


def _svm_primal(Xv: np.ndarray, yv: np.ndarray, Cv: float) -> tuple[np.ndarray, float, float]:
    """The soft-margin SVM primal over (w, b, ξ) by SLSQP, from a start unrelated to the answer."""
    m, p = Xv.shape

    def objective(z):
        return 0.5 * z[:p] @ z[:p] + Cv * z[p + 1:].sum()

    constraints = [{"type": "ineq", "fun": lambda z: yv * (Xv @ z[:p] + z[p]) - 1 + z[p + 1:]},
                   {"type": "ineq", "fun": lambda z: z[p + 1:]}]
    found = minimize(objective, np.full(p + 1 + m, 0.5), method="SLSQP", constraints=constraints,
                     options={"ftol": 1e-14, "maxiter": 1000})
    return found.x[:p], found.x[p], found.fun


def _two_classes(separation: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = np.repeat([1.0, -1.0], 5)
    points = rng.standard_normal((10, 2)) * 0.6 + separation * labels[:, None] * np.array([1.0, 0.5])
    return points, labels


@pytest.mark.parametrize("separation, slack", [(3.0, False), (0.3, True)], ids=["separable", "non-separable"])
def test_svm_dual_recovers_the_primal_weights_and_optimal_value(separation, slack):
    # max Σα − ½ αᵀ(yyᵀ∘K)α, 0 ≤ α ≤ C, yᵀα = 0, w = Xᵀdiag(y)α = Σ αᵢ yᵢ xᵢ; strong duality: equal optima
    Xv, yv = _two_classes(separation, seed=3)
    solved = _svm_dual().numpy()(X=Xv, y=yv, C=1.0)
    w_primal, b_primal, p_star = _svm_primal(Xv, yv, 1.0)
    assert np.allclose(solved["w"], w_primal, atol=1e-6)
    assert solved["dual_value"] == pytest.approx(p_star, rel=1e-7)
    assert np.allclose(solved["w"], (solved["alpha"] * yv) @ Xv)
    assert solved["b"] == pytest.approx(b_primal, abs=1e-6)  # from complementary slackness, averaged over margin SVs
    margins = yv * (Xv @ w_primal + b_primal)
    assert (margins.min() < 1 - 1e-3) == slack  # the data sets are what their names say


def test_svm_bias_comes_from_complementary_slackness_at_margin_support_vectors():
    # 0 < α_i < C: both inequalities active at i, ξ_i = 0 and y_i(b + (Xw)_i) = 1, so b = 1/y_i − (Xw)_i
    derivation = _svm_dual()
    step = next(s for s in derivation.steps if s.title.startswith("Complementary slackness"))
    recovery = derivation.problem.slackness
    (value,) = recovery.values.values()
    i = recovery.index
    y_i, Xw_i = sp.IndexedBase(sp.Symbol("y"))[i], sp.IndexedBase(sp.Symbol("(Xw)"))[i]
    assert sp.simplify(value - (1 / y_i - Xw_i)) == 0 and sp.Eq(b, value, evaluate=False) in step.lines
    assert set(recovery.positive) == {sp.IndexedBase(sp.Symbol("alpha"))[i], C - sp.IndexedBase(sp.Symbol("alpha"))[i]}
    # numerically: every margin support vector gives the same b (the primal's, by SLSQP)
    Xv, yv = _two_classes(0.3, seed=3)
    solved = derivation.numpy()(X=Xv, y=yv, C=1.0)
    margin = (solved["alpha"] > 1e-6) & (solved["alpha"] < 1 - 1e-6)
    assert margin.any() and np.allclose(1 / yv[margin] - Xv[margin] @ solved["w"], _svm_primal(Xv, yv, 1.0)[1],
                                        atol=1e-6)


def test_svm_bias_is_nan_when_no_multiplier_is_strictly_inside_its_bounds():
    # two points, C tiny: both α_i = C, no margin support vector; b is then an interval, not a number, while w is
    # still the primal's
    solved = _svm_dual().numpy()(X=np.array([[0.0, 1.0], [0.0, -1.0]]), y=np.array([1.0, -1.0]), C=0.01)
    assert np.isnan(solved["b"]) and np.allclose(solved["w"], [0.0, 0.02])


def test_svm_dual_function_is_the_textbook_quadratic_in_alpha():
    g = _svm_dual().problem.dual_function
    from symml.matrix_calculus.numpy_export import numpy_function

    evaluate = numpy_function(g, [X, alpha, y])
    rng = np.random.default_rng(0)
    Xv, yv, av = rng.standard_normal((6, 3)), rng.choice([-1.0, 1.0], 6), rng.uniform(0, 1, 6)
    K = Xv @ Xv.T
    assert float(np.ravel(evaluate(X=Xv, alpha=av, y=yv))[0]) == pytest.approx(
        av.sum() - 0.5 * av @ (np.outer(yv, yv) * K) @ av)


def test_svm_dual_constraints_are_the_box_and_the_balance():
    derivation = _svm_dual()
    titles = [s.title for s in derivation.steps]
    assert "Eliminate $\\beta$" in titles and any(t.startswith("Entrywise form") for t in titles)
    assert set(derivation.problem.multipliers) == {alpha}  # β = C1 − α eliminated: 0 ≤ α ≤ C
    assert derivation.problem.strong is True and derivation.verify()


def test_least_norm_dual_agrees_with_the_pseudo_inverse():
    # g(ν) = −¼ νᵀAAᵀν − bᵀν;  w = −Aᵀν/2 at the optimum
    derivation = symml.derive.dual(w.T @ w, w, subject_to=[symml.Eq(A @ w, b_vec)])
    rng = np.random.default_rng(1)
    Av, bv = rng.standard_normal((2, 5)), rng.standard_normal(2)
    solved = derivation.numpy()(A=Av, b=bv)
    least = np.linalg.pinv(Av) @ bv
    assert np.allclose(solved["w"], least, atol=1e-7) and solved["dual_value"] == pytest.approx(least @ least)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=2))
def test_weak_duality_every_dual_value_bounds_the_least_norm_from_below(nu):
    derivation = _CACHE.setdefault("least", symml.derive.dual(w.T @ w, w, subject_to=[symml.Eq(A @ w, b_vec)]))
    from symml.matrix_calculus.numpy_export import numpy_function

    g = numpy_function(derivation.problem.dual_function, [A, b_vec, derivation.problem.multipliers[0]])
    rng = np.random.default_rng(2)
    Av, bv = rng.standard_normal((2, 4)), rng.standard_normal(2)
    p_star = float(bv @ np.linalg.solve(Av @ Av.T, bv))
    assert float(np.ravel(g(A=Av, b=bv, nu=np.array(nu)))[0]) <= p_star + 1e-12


def test_ridge_dual_through_the_residual_gives_the_kernel_form():
    # min rᵀr + λwᵀw s.t. r = y − Xw: w = Xᵀ(XXᵀ + λI)⁻¹y = (XᵀX + λI)⁻¹Xᵀy
    r, lam = symml.vector("r", n), sp.Symbol("lambda", positive=True)
    derivation = symml.derive.dual(r.T @ r + lam * w.T @ w, [w, r], subject_to=[symml.Eq(r, y - X @ w)])
    rng = np.random.default_rng(3)
    Xv, yv = rng.standard_normal((6, 3)), rng.standard_normal(6)
    solved = derivation.numpy()(X=Xv, y=yv, **{"lambda": 0.5})
    assert np.allclose(solved["w"], np.linalg.solve(Xv.T @ Xv + 0.5 * np.eye(3), Xv.T @ yv), atol=1e-7)
    assert derivation.verify()


def test_lp_dual_in_standard_form_matches_linprog():
    # min cᵀx s.t. Ax = b, x ≥ 0  →  max −bᵀν s.t. c + Aᵀν ≥ 0 (μ = c + Aᵀν eliminated)
    x, c = symml.vector("x", d), symml.vector("c", d)
    derivation = symml.derive.dual(c.T @ x, x, subject_to=[symml.Eq(A @ x, b_vec), symml.Ge(x, 0)])
    assert len(derivation.problem.multipliers) == 1 and not derivation.problem.recover
    rng = np.random.default_rng(4)
    Av = rng.standard_normal((2, 5))
    bv = Av @ rng.uniform(0.5, 1.5, 5)  # feasible: a positive point satisfies Ax = b
    cv = Av.T @ rng.standard_normal(2) + rng.uniform(0.1, 1.0, 5)  # bounded: c − Aᵀν > 0 for some ν
    found = linprog(cv, A_eq=Av, b_eq=bv, bounds=[(0, None)] * 5, method="highs")
    assert derivation.numpy()(A=Av, b=bv, c=cv)["dual_value"] == pytest.approx(found.fun, rel=1e-7)
    assert derivation.verify(data={"A": Av, "b": bv, "c": cv})


def test_qp_dual_in_standard_form_agrees_with_the_primal():
    # min ½xᵀPx + qᵀx s.t. Ax = b, x ≥ 0 (P ≻ 0 assumed): x = P⁻¹(μ − q − Aᵀν)
    x, q = symml.vector("x", d), symml.vector("q", d)
    P = symml.matrix("P", d, d, symmetric=True)
    derivation = symml.derive.dual(x.T @ P @ x / 2 + q.T @ x, x, subject_to=[symml.Eq(A @ x, b_vec), symml.Ge(x, 0)])
    assert any("assumed" in a for a in derivation.assumptions)
    rng = np.random.default_rng(5)
    root = rng.standard_normal((4, 4))
    Av = rng.standard_normal((2, 4))
    data = {"P": root @ root.T + np.eye(4), "q": rng.standard_normal(4), "A": Av, "b": Av @ rng.uniform(0.5, 1, 4)}
    assert derivation.verify(data=data)


def test_qp_dual_is_written_in_matrix_form_not_expanded():
    # g(ν, μ) = −νᵀb − ½ sᵀP⁻¹s with s = μ − q − Aᵀν: two terms, P⁻¹ once (expanded it had ten)
    x, q = symml.vector("x", d), symml.vector("q", d)
    P = symml.matrix("P", d, d, symmetric=True)
    g = symml.derive.dual(x.T @ P @ x / 2 + q.T @ x, x, subject_to=[symml.Eq(A @ x, b_vec), symml.Ge(x, 0)]).result
    assert len(sp.Add.make_args(g)) == 2 and sum(isinstance(a, sp.Inverse) for a in sp.preorder_traversal(g)) == 1
    rng = np.random.default_rng(2)
    root, Av, qv, nu, mu = (rng.standard_normal((4, 4)), rng.standard_normal((2, 4)), rng.standard_normal(4),
                            rng.standard_normal(2), rng.uniform(0, 1, 4))
    Pv, bv = root @ root.T + np.eye(4), rng.standard_normal(2)
    # g is L at its minimiser, found here by numpy.linalg on L's gradient Px + q + Aᵀν − μ = 0
    xv = np.linalg.solve(Pv, mu - qv - Av.T @ nu)
    lagrangian = xv @ Pv @ xv / 2 + qv @ xv + nu @ (Av @ xv - bv) - mu @ xv
    inputs = sorted(g.atoms(sp.MatrixSymbol), key=lambda m: m.name)
    value = numpy_function(g, inputs)(P=Pv, q=qv, A=Av, b=bv, nu=nu, mu=mu)
    assert float(value) == pytest.approx(lagrangian, rel=1e-12)


def test_scalar_dual_of_a_projection_onto_a_half_line():
    # min (x − a)² s.t. x ≥ 0: g(μ) = −μ²/4 − aμ, maximised at μ = max(−2a, 0)
    x, a = sp.symbols("x a", real=True)
    derivation = symml.derive.dual((x - a) ** 2, x, subject_to=[x >= 0])
    assert derivation.numpy()(a=-1.5)["dual_value"] == pytest.approx(2.25)
    assert derivation.verify(data={"a": -1.5}) and derivation.verify(data={"a": 0.7})


def test_a_norm_ball_constraint_has_slater_from_the_origin():
    v, radius = symml.vector("v", d), sp.Symbol("rho", positive=True)
    derivation = symml.derive.dual(symml.sq_norm(w - v), w, subject_to=[symml.Le(w.T @ w, radius)])
    strong = next(s for s in derivation.steps if s.title == "Strong duality")
    assert "origin is strictly feasible" in strong.why


def test_bad_dual_problems_get_symml_errors():
    x, z = sp.symbols("x z", real=True)
    with pytest.raises(symml.ParameterError, match="does not appear"):
        symml.derive.dual(w.T @ w, xi, subject_to=[symml.Eq(A @ w, b_vec)])
    with pytest.raises(symml.UnboundedError):
        symml.derive.dual(3 * x + z**2, [x, z], subject_to=[sp.Eq(z, 1)])  # 3x falls without bound
    with pytest.raises(symml.InfeasibleError):
        symml.derive.dual(x**2, x, subject_to=[sp.Eq(sp.S(1), 2)])
    with pytest.raises(symml.ParameterError, match="appears"):
        symml.derive.conjugate(z**2, x)
    with pytest.raises(symml.ParameterError, match="one per constraint"):
        symml.derive.dual(w.T @ w, w, subject_to=[symml.Eq(A @ w, b_vec)], multipliers=[alpha, beta])


@pytest.mark.parametrize("f, expected, slope", [
    (sp.exp(sp.Symbol("x", real=True)), lambda s: s * np.log(s) - s, 2.5),
    (sp.Symbol("x", real=True) ** 2 / 2, lambda s: s**2 / 2, -1.3),
    (-sp.log(sp.Symbol("x", positive=True)), lambda s: -1 - np.log(-s), -0.4),
], ids=["exp", "half-square", "negative-log"])
def test_convex_conjugate_of_a_scalar_function(f, expected, slope):
    (x,) = f.free_symbols
    derivation = symml.derive.conjugate(f, x)
    assert derivation.numpy()(y=slope) == pytest.approx(expected(slope), rel=1e-12)
    assert derivation.verify()


def test_conjugate_of_a_quadratic_form_is_the_inverse_quadratic_form():
    # (½xᵀQx)* = ½yᵀQ⁻¹y
    Q, x = symml.matrix("Q", d, d, symmetric=True), symml.vector("x", d)
    derivation = symml.derive.conjugate(x.T @ Q @ x / 2, x)
    rng = np.random.default_rng(6)
    root = rng.standard_normal((4, 4))
    Qv, yv = root @ root.T + np.eye(4), rng.standard_normal(4)
    assert derivation.numpy()(Q=Qv, y=yv) == pytest.approx(0.5 * yv @ np.linalg.solve(Qv, yv))
    assert derivation.verify()


def test_conjugate_of_exp_states_its_domain():
    x = sp.Symbol("x", real=True)
    assert symml.derive.conjugate(sp.exp(x), x).problem.domain == (sp.Symbol("y", real=True) > 0,)
