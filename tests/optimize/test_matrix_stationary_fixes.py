"""stationary_point through the solving core: 1 x 1 unknowns, singular systems and numeric shapes.

Each case is checked numerically: scipy.optimize on the objective itself, numpy.linalg (eigh, pinv, solve).
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml
from symml.matrix_calculus.numpy_export import numpy_function as export

A_, Y_, TAU = sp.Symbol("a", positive=True), sp.Symbol("y", positive=True), sp.Symbol("tau", positive=True)


def _closed_form(derivation):
    """The derivation's NumPy function, after checking it has a closed form (not the numeric fallback)."""
    assert derivation.problem.solution is not None, derivation.remarks
    return derivation.numpy()


def _scalar_optimum(objective, bounds):
    """The maximiser of a scalar function on an interval, by scipy (bounded Brent)."""
    return optimize.minimize_scalar(lambda t: -objective(t), bounds=bounds, method="bounded",
                                    options={"xatol": 1e-12}).x


def test_stirling_mode_of_z_to_the_a_times_e_to_the_minus_z_is_a():
    z = symml.matrix("z", 1, 1)  # d/dz (a log z - z) = a/z - 1: dividing by it would lose the root z = a
    derivation = symml.derive.stationary_point(A_ * symml.log(z) - z, z)
    mode = float(np.asarray(_closed_form(derivation)(a=3.5)).ravel()[0])
    assert abs(mode - _scalar_optimum(lambda t: 3.5 * np.log(t) - t, (1e-6, 50))) < 1e-6


def test_convex_conjugate_of_exp_is_attained_at_log_y():
    x = symml.matrix("x", 1, 1)  # sup_x (y x - e^x)
    point = float(np.asarray(_closed_form(symml.derive.stationary_point(Y_ * x - symml.exp(x), x))(y=2.5)).ravel()[0])
    assert abs(point - _scalar_optimum(lambda t: 2.5 * t - np.exp(t), (-10, 10))) < 1e-6


def test_bernoulli_entropy_is_largest_at_one_half():
    p = symml.matrix("p", 1, 1)
    one = sp.Identity(1)
    entropy = -p.T @ symml.log(p) - (one - p).T @ symml.log(one - p)
    point = float(np.asarray(_closed_form(symml.derive.stationary_point(entropy, p))()).ravel()[0])
    assert abs(point - _scalar_optimum(lambda t: -t * np.log(t) - (1 - t) * np.log(1 - t), (1e-9, 1 - 1e-9))) < 1e-6


def test_beta_bernoulli_map_is_pseudo_counts_over_the_total():
    p = symml.matrix("p", 1, 1)
    a, b, s, n = sp.symbols("a b s m", positive=True)
    one = sp.Identity(1)
    log_posterior = (a - 1 + s) * symml.log(p) + (b - 1 + n - s) * symml.log(one - p)
    values = dict(a=2.0, b=3.0, s=7.0, m=20.0)
    point = float(np.asarray(_closed_form(symml.derive.stationary_point(log_posterior, p))(**values)).ravel()[0])
    best = _scalar_optimum(lambda t: 8.0 * np.log(t) + 15.0 * np.log(1 - t), (1e-9, 1 - 1e-9))
    assert abs(point - best) < 1e-6


def test_gaussian_mean_posterior_mode_shrinks_the_sample_mean():
    n = symml.dims("n")
    x, mu = symml.vector("x", n), symml.matrix("mu", 1, 1)
    neg_log_posterior = symml.sq_norm(x - sp.OneMatrix(n, 1) @ mu) + mu.T @ mu / TAU**2
    derivation = symml.derive.stationary_point(neg_log_posterior, mu)
    data = np.random.default_rng(0).normal(1.5, 1.0, 12)
    point = float(np.asarray(_closed_form(derivation)(x=data, tau=0.7)).ravel()[0])
    best = _scalar_optimum(lambda m: -(np.sum((data - m) ** 2) + m**2 / 0.49), (-10, 10))
    assert abs(point - best) < 1e-6


def test_pca_lagrangian_gives_the_eigenproblem_not_zero():
    d = symml.dims("d")
    w, S, lam = symml.vector("w", d), symml.matrix("S", d, d, symmetric=True), sp.Symbol("lambda")
    lagrangian = w.T @ S @ w - lam * (w.T @ w - sp.Identity(1))
    derivation = symml.derive.stationary_point(lagrangian, w)
    equation = derivation.result
    assert isinstance(equation, sp.Eq) and derivation.problem.solution is None
    # every eigenpair of a random S makes the derived condition hold, and the gradient vanish there
    rng = np.random.default_rng(1)
    root = rng.standard_normal((4, 4))
    S_value = root @ root.T
    lhs = export(equation.lhs, [S, w], parameters=[lam])
    rhs = export(equation.rhs, [S, w], parameters=[lam])
    gradient = export(derivation.problem.gradient, [S, w], parameters=[lam])
    values, vectors = np.linalg.eigh(S_value)
    for value, vector in zip(values, vectors.T):
        args = dict(S=S_value, w=vector, **{"lambda": value})
        assert np.allclose(np.ravel(lhs(**args)), np.ravel(rhs(**args)))
        assert np.allclose(np.ravel(gradient(**args)), 0.0, atol=1e-9)
    with pytest.raises(symml.UnsupportedOperationError, match="eigenvectors"):
        derivation.numpy()


def test_rank_one_least_squares_over_a_matrix_gives_the_minimum_norm_solution():
    m, k = symml.dims("m k")
    W, u, v = symml.matrix("W", m, k), symml.vector("u", k), symml.vector("v", m)
    derivation = symml.derive.stationary_point(symml.sq_norm(v - W @ u), W)
    assert not derivation.result.has(sp.Inverse)  # u uᵀ has rank one: never inverted
    rng = np.random.default_rng(2)
    u_value, v_value = rng.standard_normal(4), rng.standard_normal(3)
    found = np.asarray(derivation.numpy()(u=u_value, v=v_value))
    outer = np.outer(u_value, u_value)
    assert np.allclose(found, np.outer(v_value, u_value) @ np.linalg.pinv(outer))
    assert np.allclose(found @ u_value, v_value)
    assert derivation.verify(data={"u": u_value, "v": v_value})


def test_numeric_shapes_solve_like_symbolic_ones():
    w, A, b = sp.MatrixSymbol("w", 4, 1), sp.MatrixSymbol("A", 4, 4), sp.MatrixSymbol("b", 4, 1)
    derivation = symml.derive.stationary_point(w.T * A.T * A * w - 2 * b.T * w, w)
    rng = np.random.default_rng(3)
    A_value, b_value = rng.standard_normal((4, 4)), rng.standard_normal(4)
    found = np.asarray(derivation.numpy()(A=A_value, b=b_value)).ravel()
    assert np.allclose(found, np.linalg.solve(A_value.T @ A_value, b_value))
    assert derivation.verify(data={"A": A_value, "b": b_value})


def test_poisson_gamma_map_as_a_one_by_one_unknown():
    rate = symml.matrix("lambda", 1, 1)  # log posterior (a - 1 + s) log λ - (b + m) λ
    a, b, s, m = sp.symbols("a b s m", positive=True)
    derivation = symml.derive.stationary_point((a - 1 + s) * symml.log(rate) - (b + m) * rate, rate)
    point = float(np.asarray(_closed_form(derivation)(a=2.0, b=1.0, s=9.0, m=4.0)).ravel()[0])
    assert abs(point - _scalar_optimum(lambda t: 10.0 * np.log(t) - 5.0 * t, (1e-9, 50))) < 1e-6


@pytest.mark.parametrize("residual", ["phi.T w - t", "w.T phi - t"])
def test_ridge_with_one_observation_has_a_closed_form_whichever_way_the_inner_product_is_written(residual):
    # a 1 x 1 product is its transpose: (φᵀw − t)φ is linear in w however the 1 x 1 residual is oriented
    m = symml.dims("m")
    w, phi, t = symml.vector("w", m), symml.vector("phi", m), symml.matrix("t", 1, 1)
    inner = phi.T @ w if residual.startswith("phi") else w.T @ phi
    derivation = symml.derive.stationary_point(-TAU / 2 * w.T @ w - (inner - t).T @ (phi.T @ w - t) / 2, w)
    rng = np.random.default_rng(7)
    phi_value, t_value = rng.standard_normal(4), 0.7
    found = np.asarray(_closed_form(derivation)(phi=phi_value, t=t_value, tau=1.3)).ravel()
    best = optimize.minimize(lambda x: 1.3 / 2 * x @ x + (phi_value @ x - t_value) ** 2 / 2, np.zeros(4),
                             method="BFGS", options={"gtol": 1e-10}).x
    assert np.allclose(found, best, atol=1e-6)


def test_a_1x1_unknown_equal_to_an_inner_product_written_both_ways_is_that_inner_product_once():
    from symml.matrix_calculus.algebra import Scalar
    from symml.optimize.matrix_solve import solve_linear_matrix_equation

    m = symml.dims("m")
    u, w, phi = symml.matrix("u", 1, 1), symml.vector("w", m), symml.vector("phi", m)
    condition = (TAU * Scalar(u) - TAU * Scalar(phi.T @ w) / 2 - TAU * Scalar(w.T @ phi) / 2) * sp.Identity(1)
    solution = solve_linear_matrix_equation(condition, u).solution
    assert len(solution.atoms(Scalar)) == 1  # φᵀw, not (φᵀw + wᵀφ)/2
    rng = np.random.default_rng(8)
    phi_value, w_value = rng.standard_normal(3), rng.standard_normal(3)
    value = export(solution, [w, phi], parameters=[TAU])(w=w_value, phi=phi_value, tau=2.0)
    assert float(np.ravel(value)[0]) == pytest.approx(phi_value @ w_value, rel=1e-12)


def test_a_1x1_solution_is_printed_in_one_sign_form_whatever_the_solver_returned():
    # -c/(b² - ac) and c/(ac - b²): SymPy's solver returned one or the other with the hash seed (a Schur complement
    # printed differently from run to run); both become the same expression, of the same value
    from symml.optimize.matrix_solve import _signed_quotient

    a, b, c = sp.symbols("a b c", positive=True)
    forms = [-c / (b**2 - a * c), c / (a * c - b**2), (-c) / (-(a * c - b**2))]
    written = {_signed_quotient(form) for form in forms}
    point = {a: 1.7, b: 0.4, c: 2.9}
    assert len(written) == 1 and float(written.pop().subs(point)) == pytest.approx(2.9 / (1.7 * 2.9 - 0.16))


def _log_likelihood_of_a_precision(n: float, scatter: np.ndarray):
    def value(precision: np.ndarray) -> float:
        sign, logdet = np.linalg.slogdet(precision)
        return n / 2 * logdet - np.trace(scatter @ precision) / 2 if sign > 0 else -np.inf
    return value


def test_a_gaussian_precision_from_its_scatter_matrix_is_n_times_the_inverse():
    # ∇ (n/2 log det Λ − tr(SΛ)/2) = n/2 Λ⁻ᵀ − S/2: Λ appears only transposed, so the equation is transposed first
    # (it was "no closed form: the unknown enters non-linearly"); the maximiser is found by BFGS on −ℓ over the
    # Cholesky factor, independently of the derivation
    d, n = sp.Symbol("d", integer=True, positive=True), sp.Symbol("n", positive=True)
    precision, scatter = symml.matrix("Lambda", d, d), symml.matrix("S", d, d, symmetric=True)
    derivation = symml.derive.stationary_point(n / 2 * sp.log(sp.Determinant(precision))
                                               - sp.Trace(scatter * precision) / 2, precision)
    rng = np.random.default_rng(8)
    draws = rng.normal(size=(12, 3))
    S0 = draws.T @ draws
    derived = np.asarray(_closed_form(derivation)(S=S0, n=12.0))
    value = _log_likelihood_of_a_precision(12.0, S0)

    def negated(v: np.ndarray) -> float:
        factor = np.tril(v.reshape(3, 3))
        return -value(factor @ factor.T)
    found = optimize.minimize(negated, np.eye(3).ravel(), method="BFGS", options={"gtol": 1e-10})
    factor = np.tril(found.x.reshape(3, 3))
    assert np.allclose(derived, factor @ factor.T, rtol=1e-5, atol=1e-7)


def test_an_unknown_that_appears_only_transposed_is_solved_after_transposing():
    d = sp.Symbol("d", integer=True, positive=True)
    unknown, target = symml.matrix("A", d, d), symml.matrix("B", d, d)
    derivation = symml.derive.stationary_point(sp.Trace(unknown * unknown.T) / 2 - sp.Trace(target * unknown), unknown)
    B0 = np.random.default_rng(9).normal(size=(3, 3))
    found = optimize.minimize(lambda v: np.sum(v**2) / 2 - np.trace(B0 @ v.reshape(3, 3)), np.zeros(9),
                              method="BFGS", options={"gtol": 1e-10}).x.reshape(3, 3)
    assert np.allclose(np.asarray(_closed_form(derivation)(B=B0)), found, atol=1e-6)


def test_verify_of_a_concave_objective_maximises_it():
    d, n = sp.Symbol("d", integer=True, positive=True), sp.Symbol("n", positive=True)
    precision, scatter = symml.matrix("Lambda", d, d), symml.matrix("S", d, d, symmetric=True)
    derivation = symml.derive.stationary_point(n / 2 * sp.log(sp.Determinant(precision))
                                               - sp.Trace(scatter * precision) / 2, precision)
    report = derivation.verify()
    assert report and "negated loss" in str(report)
