"""stationary_point: the gradient set to zero and solved at matrix level, checked against independent numerics."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize

import symml
from symml import losses
from symml.testing import random_spd
from tests.losses import oracles
from tests.textbook import agree_numerically
from tests.losses.cases import Lambda, Sigma, W, X, Y, lam, mu, n, w, y

sizes = st.tuples(st.integers(1, 6), st.integers(0, 12), st.integers(0, 2**32 - 1))
S = symml.matrix("S", *Sigma.shape, symmetric=True)


@functools.cache
def _stationary(name: str):
    problems = {
        "least_squares": (losses.least_squares(X, w, y), w),
        "ridge": (losses.ridge(X, w, y, lam), w),
        "logistic": (losses.logistic(X, w, y), w),
        "poisson_regression": (losses.poisson_regression(X, w, y), w),
        "softmax_cross_entropy": (losses.softmax_cross_entropy(X, W, Y), W),
        "gaussian_mu": (losses.gaussian_nll(X, mu, Sigma), mu),
        "gaussian_Sigma": (losses.gaussian_nll(X, mu, Sigma), Sigma),
        "gaussian_Sigma_from_scatter": (losses.gaussian_nll(S, None, Sigma, n=n), Sigma),
        "gaussian_precision": (losses.gaussian_nll(X, mu, Lambda, precision=True), Lambda),
        "lasso": (losses.lasso(X, w, y, lam), w),
        "hinge": (losses.hinge(X, w, y), w),
    }
    return symml.derive.stationary_point(*problems[name])


@functools.cache
def _solver(name: str):
    """The derivation's numpy() function, exported once per test session."""
    return _stationary(name).numpy()


def _regression_data(point: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    d, extra, seed = point
    rng = np.random.default_rng(seed)
    design = rng.standard_normal((d + 1 + extra, d)) * 10.0 ** rng.uniform(-1, 1, d)
    return design, rng.standard_normal(design.shape[0])


# --- closed forms --------------------------------------------------------------------------------------------
@given(point=sizes)
def test_least_squares_closed_form_agrees_with_lstsq(point):
    # ∇ = 2Xᵀ(Xw − y) = 0  ⇒  w = (XᵀX)⁻¹Xᵀy, checked against numpy.linalg.lstsq (an SVD, no normal equations)
    design, targets = _regression_data(point)
    derived = _solver("least_squares")(X=design, y=targets)
    expected = np.linalg.lstsq(design, targets, rcond=None)[0]
    assert np.allclose(derived, expected, rtol=1e-6, atol=1e-8 * np.max(np.abs(expected)))


@given(point=sizes, penalty=st.floats(1e-3, 1e3))
def test_ridge_closed_form_agrees_with_lstsq_on_the_augmented_system(point, penalty):
    # ‖Xw − y‖² + λ‖w‖² = ‖[X; √λ I] w − [y; 0]‖²: ridge is least squares on an augmented system
    design, targets = _regression_data(point)
    d = design.shape[1]
    derived = _solver("ridge")(X=design, y=targets, **{"lambda": penalty})
    augmented = np.vstack([design, np.sqrt(penalty) * np.eye(d)])
    expected = np.linalg.lstsq(augmented, np.concatenate([targets, np.zeros(d)]), rcond=None)[0]
    assert np.allclose(derived, expected, rtol=1e-6, atol=1e-9 * max(1.0, np.max(np.abs(expected))))


def test_ridge_result_is_the_regularised_normal_equations():
    # (XᵀX + λI)⁻¹Xᵀy, as a person writes it, at matrix level (symbolic n and d)
    I = sp.Identity(w.shape[0])
    assert agree_numerically(_stationary("ridge").result, sp.Inverse(X.T * X + lam * I) * X.T * y)


def test_closed_form_numpy_uses_solve_not_inv():
    # (XᵀX + λI)⁻¹Xᵀy is computed as np.linalg.solve(XᵀX + λI, Xᵀy): no explicit inverse
    source = _stationary("ridge").numpy().source
    assert "np.linalg.solve" in source and "np.linalg.inv" not in source


@given(point=sizes)
def test_gaussian_covariance_at_the_sample_mean_is_numpy_cov_with_bias(point):
    # ∂NLL/∂Σ = (n/2)Σ⁻¹ − ½Σ⁻¹DᵀDΣ⁻¹ = 0  ⇒  Σ = DᵀD/n; at μ = x̄ this is the biased sample covariance
    d, extra, seed = point
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((d + 1 + extra, d)) @ np.linalg.cholesky(random_spd(rng, d)).T + rng.standard_normal(d)
    mean = _solver("gaussian_mu")(X=data)
    assert np.allclose(mean, data.mean(axis=0))
    covariance = _solver("gaussian_Sigma")(X=data, mu=mean)
    assert np.allclose(covariance, np.cov(data, rowvar=False, bias=True).reshape(d, d), rtol=1e-10, atol=1e-12)


def test_gaussian_covariance_from_a_scatter_matrix_is_S_over_n():
    assert agree_numerically(_stationary("gaussian_Sigma_from_scatter").result, S / n)


@given(point=sizes)
def test_gaussian_precision_is_the_inverse_sample_covariance(point):
    # ∂NLL/∂Λ = −(n/2)Λ⁻¹ + ½DᵀD = 0  ⇒  Λ = n(DᵀD)⁻¹
    d, extra, seed = point
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((d + 1 + extra, d)) + rng.standard_normal(d)
    precision = _solver("gaussian_precision")(X=data, mu=data.mean(axis=0))
    assert np.allclose(precision @ np.cov(data, rowvar=False, bias=True).reshape(d, d), np.eye(d), atol=1e-8)


@pytest.mark.parametrize("name", ["least_squares", "ridge", "gaussian_mu", "gaussian_Sigma", "gaussian_precision"])
def test_verify_minimises_the_loss_itself_and_finds_the_closed_form(name):
    assert _stationary(name).verify(seed=3)


# --- no closed form -------------------------------------------------------------------------------------------
def test_logistic_has_no_closed_form_and_says_so():
    derivation = _stationary("logistic")
    assert derivation.result is None
    assert any("No closed form" in remark for remark in derivation.remarks)
    assert derivation.summary[0].lhs == derivation.problem.gradient  # the stationarity condition is shown


@given(point=sizes)
def test_logistic_numeric_solution_agrees_with_scipy_minimize_on_the_hand_written_loss(point):
    d, extra, seed = point
    rng = np.random.default_rng(seed)
    design = rng.standard_normal((4 * d + 10 + extra, d))
    labels = (rng.random(design.shape[0]) < 0.5).astype(float)  # random labels: not separable, a minimum exists
    derived = _solver("logistic")(X=design, y=labels)
    found = minimize(lambda v: oracles.logistic(design, v, labels), np.zeros(d),
                     jac=lambda v: oracles.logistic_gradient(design, v, labels), method="BFGS", options={"gtol": 1e-10})
    assert np.allclose(derived, found.x, rtol=1e-5, atol=1e-6)


def test_logistic_on_separable_classes_reports_that_no_minimiser_exists():
    design = np.array([[1.0], [2.0], [-1.0], [-2.0]])
    with pytest.raises(symml.NotIdentifiableError, match="no finite minimiser"):
        _solver("logistic")(X=design, y=np.array([1.0, 1.0, 0.0, 0.0]))


def test_poisson_regression_numeric_solution_zeroes_the_hand_written_gradient():
    rng = np.random.default_rng(0)
    design = rng.standard_normal((60, 3)) / 2
    counts = rng.poisson(np.exp(design @ np.array([0.5, -0.2, 0.1]))).astype(float)
    solution = _solver("poisson_regression")(X=design, y=counts)
    assert np.max(np.abs(oracles.poisson_regression_gradient(design, solution, counts))) < 1e-8


def test_softmax_cross_entropy_numeric_solution_zeroes_the_hand_written_gradient():
    # the minimiser is not unique (adding one vector to every class column changes nothing): the Hessian is
    # singular, and the damped Newton steps still reach a stationary point
    rng = np.random.default_rng(1)
    design = rng.standard_normal((40, 3))
    targets = np.eye(3)[rng.integers(3, size=40)]
    weights = _solver("softmax_cross_entropy")(X=design, Y=targets)
    assert np.max(np.abs(oracles.softmax_cross_entropy_gradient(design, weights, targets))) < 1e-8


def test_a_loss_whose_gradient_jumps_shows_the_subgradient_condition_and_is_minimised_through_its_epigraph():
    # hinge: its gradient −Xᵀ(y ⊙ step(1 − y ⊙ Xw)) jumps at the margin (Huber's is continuous: tests/matrix); its
    # minimum is the linear programme min Σt, t ≥ 1 − y ⊙ Xw, t ≥ 0, solved here by scipy's linprog (HiGHS)
    from scipy.optimize import linprog

    derivation = _stationary("hinge")
    assert derivation.result is None and any("0 ∈ ∂L" in remark for remark in derivation.remarks)
    rng = np.random.default_rng(5)
    X0 = rng.normal(size=(12, 2))
    y0 = np.sign(X0 @ np.array([[1.0], [0.5]]) + rng.normal(size=(12, 1)))  # not separable: a finite minimum
    found = np.ravel(derivation.numpy()(X=X0, y=y0))
    Z, rows = X0 * y0, np.eye(12)
    lp = linprog(np.r_[0.0, 0.0, np.ones(12)], A_ub=np.block([[-Z, -rows]]), b_ub=-np.ones(12),
                 bounds=[(None, None)] * 2 + [(0, None)] * 12)
    assert np.maximum(0, 1 - Z @ found).sum() == pytest.approx(lp.fun, rel=1e-9)


def test_an_l1_penalty_shows_the_subgradient_condition_and_solves_by_proximal_gradient():
    # lasso: 0 ∈ ∂L, no closed form; numpy() is proximal gradient with the derived soft-threshold (checked against
    # L-BFGS-B on the split w = u - v by verify(), and by the subgradient conditions in tests/optimize)
    derivation = _stationary("lasso")
    assert derivation.result is None and any("0 ∈ ∂L" in remark for remark in derivation.remarks)
    assert derivation.verify()


# --- rendering ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ridge", "logistic", "gaussian_Sigma", "gaussian_precision", "lasso"])
def test_stationary_point_derivations_render_in_katex(name, katex):
    derivation = _stationary(name)
    assert katex.errors(derivation.latex()) == []
    assert katex.errors(derivation.markdown()) == []


def test_a_plain_sympy_matrix_symbol_declared_symmetric_gives_the_same_covariance():
    plain = sp.MatrixSymbol("Sigma", *Sigma.shape)
    derivation = symml.derive.stationary_point(losses.gaussian_nll(S, None, plain, n=n), plain, symmetric=True)
    assert agree_numerically(derivation.result, S / n)


def test_a_loss_that_is_not_scalar_is_refused_with_a_shape_error():
    with pytest.raises(symml.ShapeError):
        symml.derive.stationary_point(X @ w - y, w)
