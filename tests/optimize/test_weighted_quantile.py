"""Least absolute deviations through the origin, Σᵢ |yᵢ − w xᵢ|, over data sums: a weighted median of yᵢ/xᵢ.

|xᵢ w − yᵢ| = |xᵢ| |w − yᵢ/xᵢ| for xᵢ ≠ 0 (a constant |yᵢ| for xᵢ = 0), so the subgradient condition makes ŵ a
median of the yᵢ/xᵢ weighted by |xᵢ|. It was refused ("not differentiable at Abs(w*x[i] - y[i])"). Oracles:
scipy.optimize.minimize_scalar (bounded) on the NumPy objective, and a brute-force scan over the candidate points
yᵢ/xᵢ (a convex piecewise-linear objective is minimised at one of its kinks).
"""
from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as hs
from scipy.optimize import minimize_scalar

import symml
from symml.errors import UnsupportedOperationError
from symml.mle.statistics import SampleWeightedQuantile

i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
x, y, w = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True), sp.Symbol("w", real=True)
lam = sp.Symbol("lambda", positive=True)


@functools.lru_cache(maxsize=None)
def _fit(scale: int = 1, penalty: sp.Expr = sp.S.Zero) -> symml.Derivation:
    return symml.derive.minimize(sp.Sum(scale * sp.Abs(y[i] - w * x[i]), (i, 1, n)) + penalty, w)


def _objective(a: np.ndarray, b: np.ndarray, q: float, l1: float = 0.0) -> float:
    return float(np.sum(np.abs(b - q * a)) + l1 * abs(q))


def _candidates(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.append(b[a != 0] / a[a != 0], 0.0)


def _estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.ravel(_fit().numpy()(x=a, y=b))[0])


def test_lad_through_the_origin_is_a_weighted_median_of_the_ratios():
    fit = _fit()
    assert isinstance(fit.result[w], SampleWeightedQuantile)
    assert "weighted median" in str(fit)


def test_numpy_agrees_with_a_bounded_scalar_minimiser_on_random_data_with_negative_and_zero_slopes():
    rng = np.random.default_rng(11)
    for size in (3, 8, 15):
        a, b = rng.normal(size=size), rng.normal(size=size)
        a[0] = 0.0
        best = minimize_scalar(lambda q: _objective(a, b, q), bounds=(-60, 60), method="bounded",
                               options={"xatol": 1e-12})
        estimate = _estimate(a, b)
        # the minimiser may be a flat stretch: compare objective values, and the point where it is unique
        assert _objective(a, b, estimate) == pytest.approx(best.fun, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("a, b", [
    ([2.0], [3.0]), ([-2.0], [3.0]),                       # n = 1: the one ratio
    ([1.0, -3.0], [1.0, 6.0]), ([1.0, 1.0], [1.0, 2.0]),   # n = 2, one heavier weight; a tie of weights
    ([1.0, 2.0, -1.0, 0.0], [1.0, 2.0, -1.0, 7.0]),        # a tie of ratios (all 1), a zero slope
    ([0.5, 0.5, 1.0, -2.0, 3.0], [1.0, 1.0, 2.0, 1.0, -3.0]),
])
def test_the_estimate_is_as_good_as_every_candidate_ratio(a, b):
    a, b = np.array(a), np.array(b)
    estimate = _estimate(a, b)
    assert _objective(a, b, estimate) <= min(_objective(a, b, c) for c in _candidates(a, b)) + 1e-12


def test_a_unique_weighted_median_is_returned_exactly():
    # ratios 2, -2/5, 3 with weights 1, 5, 3 (and a zero slope): -2/5 carries more than half the weight; the
    # unweighted median of the ratios would be 2
    assert _estimate(np.array([1.0, -5.0, 0.0, 3.0]), np.array([2.0, 2.0, 5.0, 9.0])) == pytest.approx(-0.4)


def test_all_zero_slopes_leave_the_objective_constant_and_numpy_returns_zero():
    a, b = np.zeros(4), np.array([1.0, -2.0, 0.5, 3.0])
    assert _estimate(a, b) == 0.0
    assert _objective(a, b, 0.0) == _objective(a, b, 123.0)


def test_a_constant_factor_on_the_deviations_keeps_the_weighted_median():
    a, b = np.array([1.0, -2.0, 0.0, 3.0]), np.array([2.0, 1.0, 5.0, -1.0])
    assert float(np.ravel(_fit(3).numpy()(x=a, y=b))[0]) == pytest.approx(-1 / 3)


def test_verify_passes_on_random_data():
    assert _fit().verify().passed


@settings(max_examples=60, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(-4, 4), hs.integers(-6, 6)), min_size=1, max_size=9))
def test_the_estimates_objective_is_at_most_every_candidates(pairs):
    a, b = (np.array(column, dtype=float) for column in zip(*pairs))
    estimate = _estimate(a, b)
    assert _objective(a, b, estimate) <= min(_objective(a, b, c) for c in _candidates(a, b)) + 1e-9


@pytest.mark.parametrize("strength", [0.5, 2.5, 40.0])
def test_an_l1_penalty_adds_a_point_at_zero_with_its_weight(strength):
    # Σ|yᵢ − w xᵢ| + λ|w|: the kink at 0 of weight λ joins the ratios; a large λ pulls ŵ to 0 (lasso)
    fit = _fit(penalty=lam * sp.Abs(w))
    rng = np.random.default_rng(int(strength * 10))
    a, b = rng.normal(size=9), rng.normal(size=9)
    a[3] = 0.0
    estimate = float(np.ravel(fit.numpy()(x=a, y=b, **{"lambda": strength}))[0])
    best = minimize_scalar(lambda q: _objective(a, b, q, strength), bounds=(-60, 60), method="bounded",
                           options={"xatol": 1e-12})
    assert _objective(a, b, estimate, strength) == pytest.approx(best.fun, rel=1e-9, abs=1e-12)
    assert _objective(a, b, estimate, strength) <= min(_objective(a, b, c, strength) for c in _candidates(a, b)) + 1e-12
    if strength == 40.0:
        assert estimate == 0.0


def test_an_l1_penalty_verifies_on_random_data():
    assert _fit(penalty=lam * sp.Abs(w)).verify().passed


def test_an_l1_penalty_with_all_zero_slopes_gives_zero():
    estimate = _fit(penalty=lam * sp.Abs(w)).numpy()(x=np.zeros(3), y=np.ones(3), **{"lambda": 1.0})
    assert float(np.ravel(estimate)[0]) == 0.0


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.tuples(hs.floats(-5, 5), hs.floats(-5, 5)), min_size=1, max_size=12),
       hs.floats(0.01, 20.0))
def test_an_l2_penalty_is_minimised_per_piece_between_the_sorted_ratios(pairs, strength):
    # Σ|yᵢ − w xᵢ| + λw², convex and piecewise quadratic (refused before): the subgradient condition solved per
    # piece between the sorted yᵢ/xᵢ; oracle: bounded Brent on the NumPy objective
    a, b = (np.array(column) for column in zip(*pairs))
    estimate = float(np.ravel(_fit(penalty=lam * w**2).numpy()(x=a, y=b, **{"lambda": strength}))[0])
    best = minimize_scalar(lambda q: _objective(a, b, q) + strength * q**2, bounds=(-60, 60), method="bounded",
                           options={"xatol": 1e-12})
    assert _objective(a, b, estimate) + strength * estimate**2 <= best.fun + 1e-9


def test_several_kinks_outside_the_sum_each_join_with_their_weight():
    # Σ|yᵢ − w xᵢ| + λ|w| + 2|2w − 1|: points 0 (weight λ) and 1/2 (weight 4) join the ratios
    fit = _fit(penalty=lam * sp.Abs(w) + 2 * sp.Abs(2 * w - 1))
    a, b = np.array([1.0, -2.0, 0.0, 3.0, 0.5]), np.array([2.0, 1.0, 5.0, -1.0, 4.0])
    loss = lambda q: _objective(a, b, q, 1.5) + 2 * abs(2 * q - 1)  # noqa: E731
    estimate = float(np.ravel(fit.numpy()(x=a, y=b, **{"lambda": 1.5}))[0])
    best = minimize_scalar(loss, bounds=(-20, 20), method="bounded", options={"xatol": 1e-12})
    assert loss(estimate) == pytest.approx(best.fun, rel=1e-9)


def test_the_latex_shows_the_ratios_the_points_outside_and_their_weights():
    latex = _fit(penalty=lam * sp.Abs(w)).latex()
    assert r"\cup \{0\}" in latex and r"\text{weights } |{x_{i}}|, \lambda" in latex
