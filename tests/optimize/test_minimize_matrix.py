"""minimize / maximize over vector unknowns at matrix level, checked against numpy.linalg and scipy.optimize."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml

n, d, k = symml.dims("n d k")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
S = symml.matrix("S", d, d, symmetric=True)
A, b = symml.matrix("A", k, d), symml.vector("b", k)
LAM = sp.Symbol("lambda", positive=True)


def test_ridge_minimiser_matches_numpy_and_says_it_is_strictly_convex():
    # w* = (XᵀX + λI)⁻¹Xᵀy; Hessian 2XᵀX + 2λI ≻ 0
    derivation = symml.derive.minimize(symml.losses.ridge(X, w, y, LAM), wrt=w)
    rng = np.random.default_rng(0)
    Xv, yv = rng.standard_normal((20, 4)), rng.standard_normal(20)
    found = derivation.numpy()(X=Xv, y=yv, **{"lambda": 0.3})
    assert np.allclose(found, np.linalg.solve(Xv.T @ Xv + 0.3 * np.eye(4), Xv.T @ yv))
    assert any(s.title == "The objective is strictly convex" for s in derivation.steps)
    assert derivation.verify()


def test_pca_first_component_is_the_top_eigenvector_and_its_variance_the_top_eigenvalue():
    derivation = symml.derive.maximize(w.T @ S @ w, wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    rng = np.random.default_rng(1)
    root = rng.standard_normal((5, 5))
    Sv = root @ root.T
    found = derivation.numpy()(S=Sv)
    values, vectors = np.linalg.eigh(Sv)
    assert abs(abs(found @ vectors[:, -1]) - 1) < 1e-12 and found @ Sv @ found == pytest.approx(values[-1])
    assert derivation.verify()


def test_least_norm_solution_is_the_pseudo_inverse_solution():
    derivation = symml.derive.minimize(symml.sq_norm(w), wrt=w, subject_to=[symml.Eq(A @ w, b)])
    rng = np.random.default_rng(2)
    Av, bv = rng.standard_normal((2, 5)), rng.standard_normal(2)
    assert np.allclose(derivation.numpy()(A=Av, b=bv), np.linalg.pinv(Av) @ bv)
    assert derivation.verify()


def test_sympy_eq_of_a_matrix_and_a_number_is_refused_with_a_pointer_to_symml_eq():
    with pytest.raises(symml.ParameterError, match="symml.Eq"):
        symml.derive.maximize(w.T @ S @ w, wrt=w, subject_to=[sp.Eq(w.T @ w, 1)])


def test_a_vector_that_does_not_appear_is_a_parameter_error():
    with pytest.raises(symml.ParameterError, match="does not appear"):
        symml.derive.minimize(symml.sq_norm(y), wrt=w)


@pytest.mark.parametrize("sense, objective", [
    ("min", lambda: -symml.sq_norm(X @ w - y)),  # concave: its stationary point is the maximum
    ("max", lambda: symml.losses.ridge(X, w, y, LAM)),  # convex: its stationary point is the minimum
    ("min", lambda: symml.vector("c", d).T @ w),  # affine: no stationary point unless c = 0
], ids=["minimise a concave quadratic", "maximise a convex quadratic", "minimise a linear function"])
def test_an_unbounded_vector_problem_is_an_unbounded_error_not_its_opposite_extremum(sense, objective):
    with pytest.raises(symml.UnboundedError, match="no (minimum|maximum)"):
        (symml.derive.minimize if sense == "min" else symml.derive.maximize)(objective(), wrt=w)


def test_an_infeasible_ball_constraint_is_an_infeasible_error():
    with pytest.raises(symml.InfeasibleError, match="cannot hold"):
        symml.derive.minimize(symml.sq_norm(w - symml.vector("v", d)), wrt=w, subject_to=[symml.Le(w.T @ w, -1)])


def test_lasso_has_no_closed_form_and_its_proximal_solver_zeroes_small_weights():
    derivation = symml.derive.minimize(symml.losses.lasso(X, w, y, LAM), wrt=w)
    assert derivation.result is None and any(s.title == "Soft-threshold" for s in derivation.steps)
    rng = np.random.default_rng(4)
    Xv = rng.standard_normal((40, 5))
    yv = Xv @ np.array([1.0, 0.0, 0.0, -2.0, 0.0]) + 0.05 * rng.standard_normal(40)
    found = derivation.numpy()(X=Xv, y=yv, **{"lambda": 5.0})
    # subgradient optimality: |2 X_jᵀ(y - Xw)| <= λ where w_j = 0, = λ sign(w_j) elsewhere
    correlation = 2 * Xv.T @ (yv - Xv @ found)
    zero = np.abs(found) < 1e-12
    assert zero.any() and np.all(np.abs(correlation[zero]) <= 5.0 + 1e-8)
    assert np.allclose(correlation[~zero], 5.0 * np.sign(found[~zero]), atol=1e-7)
    assert derivation.verify()


def test_kernel_ridge_dual_weights_solve_k_plus_lambda_i():
    # K((K + λI)α − y) = 0 and K invertible  ⇒  α = (K + λI)⁻¹y
    K, alpha = symml.matrix("K", n, n, symmetric=True), symml.vector("alpha", n)
    derivation = symml.derive.minimize(symml.sq_norm(y - K @ alpha) + LAM * alpha.T @ K @ alpha, wrt=alpha)
    rng = np.random.default_rng(5)
    root = rng.standard_normal((6, 6))
    Kv, yv = root @ root.T + 0.1 * np.eye(6), rng.standard_normal(6)
    assert np.allclose(derivation.numpy()(K=Kv, y=yv, **{"lambda": 0.2}), np.linalg.solve(Kv + 0.2 * np.eye(6), yv))
    assert any("assumed" in s.why for s in derivation.steps) and derivation.verify()


def test_fisher_direction_is_the_inverse_within_class_scatter_times_the_mean_difference():
    # m mᵀ w = λ S_W w  ⇒  w ∝ S_W⁻¹ m
    m, S_W = symml.vector("m", d), symml.matrix("S_W", d, d, symmetric=True)
    derivation = symml.derive.maximize(w.T @ m @ m.T @ w, wrt=w, subject_to=[symml.Eq(w.T @ S_W @ w, 1)])
    assert any(s.title.startswith("A rank-one objective") for s in derivation.steps)
    rng = np.random.default_rng(6)
    root = rng.standard_normal((5, 5))
    Sv, mv = root @ root.T + np.eye(5), rng.standard_normal(5)
    found = derivation.numpy()(m=mv, S_W=Sv)
    direction = np.linalg.solve(Sv, mv)
    assert abs(found @ direction) == pytest.approx(np.linalg.norm(found) * np.linalg.norm(direction))
    assert found @ Sv @ found == pytest.approx(1.0) and derivation.verify()


def test_fisher_discriminant_is_a_generalised_eigenproblem_prml_4_1_6():
    # PRML 4.1.6 (ESL 4.3.3): maximise wᵀS_B w subject to wᵀS_W w = 1 gives S_B w = λ S_W w, λ the largest
    # generalised eigenvalue; oracle: scipy.linalg.eigh(S_B, S_W) and the Rayleigh quotient it maximises
    from scipy.linalg import eigh

    d = symml.dims("d")
    w = symml.vector("w", d)
    S_B, S_W = symml.matrix("S_B", d, d, symmetric=True), symml.matrix("S_W", d, d, symmetric=True)
    derivation = symml.derive.maximize(w.T @ S_B @ w, wrt=w, subject_to=[symml.Eq(w.T @ S_W @ w, 1)])
    assert derivation.result.lhs.args[0] == S_B  # λ keeps its meaning: S_B ŵ = λ S_W ŵ, not 2S_B ŵ = λ S_W ŵ
    rng = np.random.default_rng(4)
    B, A = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    B, A = B @ B.T, A @ A.T + np.eye(4)
    found = derivation.numpy()(S_B=B, S_W=A)
    assert found @ A @ found == pytest.approx(1.0)
    assert found @ B @ found == pytest.approx(eigh(B, A, eigvals_only=True)[-1], rel=1e-10)


def test_a_one_by_one_slope_beside_data_vectors_is_solved_at_matrix_level_cs229():
    # CS229 notes 1, a scalar slope typed as a 1 x 1 unknown: b̂ = xᵀy / xᵀx; numpy() took the data as scalars
    # before (a raw SymPy printing error); oracle: numpy.linalg.lstsq
    n = symml.dims("n")
    x, y, b = symml.vector("x", n), symml.vector("y", n), symml.matrix("b", 1, 1)
    derivation = symml.derive.minimize(symml.sq_norm(y - x @ b), wrt=b)
    rng = np.random.default_rng(5)
    x0, y0 = rng.normal(size=7), rng.normal(size=7)
    slope = np.linalg.lstsq(x0[:, None], y0, rcond=None)[0]
    assert np.ravel(derivation.numpy()(x=x0, y=y0)) == pytest.approx(slope, rel=1e-12)


def test_equality_constrained_least_squares_boyd_vmls_16_1():
    # min ‖Ax − b‖² s.t. Cx = e (Boyd & Vandenberghe, VMLS 16.1): oracle, the KKT system [[2AᵀA, Cᵀ], [C, 0]] solved
    # by numpy.linalg.solve; verify() drew A with fewer rows than columns before (AᵀA singular) and failed
    n, d, m = symml.dims("n d m")
    A, x, b = symml.matrix("A", n, d), symml.vector("x", d), symml.vector("b", n)
    C, e = symml.matrix("C", m, d), symml.vector("e", m)
    derivation = symml.derive.minimize(symml.sq_norm(A @ x - b), wrt=x, subject_to=[symml.Eq(C @ x, e)])
    rng = np.random.default_rng(0)
    A0, b0, C0, e0 = rng.normal(size=(8, 4)), rng.normal(size=8), rng.normal(size=(2, 4)), rng.normal(size=2)
    kkt = np.block([[2 * A0.T @ A0, C0.T], [C0, np.zeros((2, 2))]])
    expected = np.linalg.solve(kkt, np.concatenate([2 * A0.T @ b0, e0]))[:4]
    assert np.ravel(derivation.numpy()(A=A0, b=b0, C=C0, e=e0)) == pytest.approx(expected, rel=1e-10)
    assert derivation.verify()


@pytest.mark.parametrize("side", ["ge", "le"])
def test_least_norm_point_of_a_half_space_boyd_8_1_1(side):
    # min ‖x‖² s.t. aᵀx ≥ 1: x = a/aᵀa (the constraint binds); s.t. aᵀx ≤ 1: x = 0 (it does not). numpy() raised
    # NameError exporting the zero vector of symbolic size. Oracle: the projection formula with numpy
    d = symml.dims("d")
    x, a = symml.vector("x", d), symml.vector("a", d)
    constraint = symml.Ge(a.T @ x, 1) if side == "ge" else symml.Le(a.T @ x, 1)
    derivation = symml.derive.minimize(symml.sq_norm(x), wrt=x, subject_to=[constraint])
    a0 = np.random.default_rng(6).normal(size=4)
    expected = a0 / (a0 @ a0) if side == "ge" else np.zeros(4)
    assert np.ravel(derivation.numpy()(a=a0)) == pytest.approx(expected, abs=1e-12)


def test_first_principal_component_at_a_numeric_size_prml_12_1_1():
    # PRML 12.4-12.5 with S ∈ R^{3×3} typed with its size: verify() drew 5 x 5 data before (ShapeError)
    w, S = symml.vector("w", 3), symml.matrix("S", 3, 3, symmetric=True)
    derivation = symml.derive.maximize(w.T @ S @ w, wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    S0 = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 1.0]])
    top = np.linalg.eigh(S0)[1][:, -1]
    assert abs(float(derivation.numpy()(S=S0) @ top)) == pytest.approx(1.0, rel=1e-12)
    assert derivation.verify()


def test_two_class_fisher_direction_is_the_within_class_inverse_times_the_mean_difference_prml_4_30():
    # PRML 4.30: maximise wᵀ(m₂ − m₁)(m₂ − m₁)ᵀw on wᵀS_W w = 1 gives w ∝ S_W⁻¹(m₂ − m₁); it was refused ("not an
    # eigenproblem": the inner product (m₂ − m₁)ᵀw came out as m₂ᵀw − m₁ᵀw). Oracle: numpy.linalg.solve
    d = symml.dims("d")
    w, m1, m2 = symml.vector("w", d), symml.vector("m_1", d), symml.vector("m_2", d)
    S_W = symml.matrix("S_W", d, d, symmetric=True)
    derivation = symml.derive.maximize(w.T @ (m2 - m1) @ (m2 - m1).T @ w, wrt=w,
                                       subject_to=[symml.Eq(w.T @ S_W @ w, 1)])
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    A, a, b = A @ A.T + np.eye(4), rng.normal(size=4), rng.normal(size=4)
    direction = np.linalg.solve(A, b - a)
    found = derivation.numpy()(m_1=a, m_2=b, S_W=A)
    assert abs(found @ A @ direction) / np.sqrt(direction @ A @ direction) == pytest.approx(1.0, rel=1e-10)
    assert found @ A @ found == pytest.approx(1.0, rel=1e-10)


@pytest.mark.parametrize("sense", ["maximize", "minimize"])
def test_linear_objective_on_the_unit_sphere_is_the_normalised_direction_prml_exercise_4_4(sense):
    # PRML exercise 4.4: maximise wᵀ(m₂ − m₁) on wᵀw = 1 gives w = (m₂ − m₁)/‖m₂ − m₁‖ (minimise: its negative); it
    # was refused ("not an eigenproblem"). Oracle: the normalised vector with numpy, and SLSQP (verify)
    d = symml.dims("d")
    w, m1, m2 = symml.vector("w", d), symml.vector("m_1", d), symml.vector("m_2", d)
    derivation = getattr(symml.derive, sense)(w.T @ (m2 - m1), wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
    a0, b0 = np.array([1.0, 2.0, -1.0]), np.array([0.5, -1.0, 2.0])
    expected = (b0 - a0) / np.linalg.norm(b0 - a0) * (1 if sense == "maximize" else -1)
    assert np.ravel(derivation.numpy()(m_1=a0, m_2=b0)) == pytest.approx(expected, rel=1e-12)


def test_linear_objective_on_an_ellipsoid():
    # max cᵀw on wᵀBw = 1: w = B⁻¹c/√(cᵀB⁻¹c); oracle: numpy.linalg.solve
    d = symml.dims("d")
    w, c, B = symml.vector("w", d), symml.vector("c", d), symml.matrix("B", d, d, symmetric=True)
    derivation = symml.derive.maximize(w.T @ c, wrt=w, subject_to=[symml.Eq(w.T @ B @ w, 1)])
    B0, c0 = np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([1.0, -3.0])
    direction = np.linalg.solve(B0, c0)
    assert np.ravel(derivation.numpy()(B=B0, c=c0)) == pytest.approx(direction / np.sqrt(c0 @ direction), rel=1e-10)
