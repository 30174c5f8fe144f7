"""One unknown with kinks at numeric points: the optimum among the kinks and the pieces' stationary points.

Σ|x − k_i| was refused ("solved in closed form for one kink"); its minimiser is a median. Oracle: the objective
evaluated in NumPy on a dense grid around the kinks (the derived optimum is at least as good as every grid point),
and scipy.optimize.minimize_scalar from each side.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as hs

import symml

x = sp.Symbol("x", real=True)


def _no_grid_point_is_better(f: sp.Expr, estimate: float, maximise: bool = False) -> bool:
    numeric = sp.lambdify(x, f, "numpy")
    grid = np.linspace(estimate - 20, estimate + 20, 400_001)
    values = -numeric(grid) if maximise else numeric(grid)
    at = -numeric(estimate) if maximise else numeric(estimate)
    return bool(at <= values.min() + 1e-9)


@settings(max_examples=25, deadline=None)
@given(hs.lists(hs.integers(-9, 9), min_size=1, max_size=7), hs.lists(hs.integers(1, 4), min_size=7, max_size=7))
def test_a_weighted_sum_of_absolute_deviations_is_minimised_at_a_weighted_median(points, weights):
    f = sum(w * sp.Abs(x - k) for w, k in zip(weights, points))
    estimate = float(symml.derive.minimize(f, [x]).result[x])
    assert _no_grid_point_is_better(f, estimate)


def test_an_odd_number_of_points_has_the_median_as_its_one_minimiser():
    assert symml.derive.minimize(sp.Abs(x - 1) + sp.Abs(x + 2) + sp.Abs(x - 5), [x]).result[x] == 1


def test_a_flat_stretch_of_minimisers_is_said_and_its_midpoint_given():
    derived = symml.derive.minimize(sum(sp.Abs(x - k) for k in (-2, 1, 5, 7)), [x])
    assert derived.result[x] == 3 and any("[1, 5]" in r for r in derived.remarks)


@pytest.mark.parametrize("f", [sp.Max(0, 1 - x) + x**2 / 4, (x - 3)**2 + 2 * sp.Abs(x) + sp.Abs(x - 1),
                               sp.Rational(3, 10) * sp.Max(x - 2, 0) + sp.Rational(7, 10) * sp.Max(2 - x, 0)
                               + sp.Abs(x + 1) / 10])
def test_a_smooth_part_with_kinks_has_the_best_candidate(f):
    estimate = float(symml.derive.minimize(f, [x]).result[x])
    assert _no_grid_point_is_better(f, estimate)


def test_a_maximised_objective_with_kinks_is_maximised():
    f = -(sp.Abs(x - 1) + 2 * sp.Abs(x - 3)) + x / 2
    estimate = float(symml.derive.maximize(f, [x]).result[x])
    assert _no_grid_point_is_better(f, estimate, maximise=True)


def test_a_piece_that_runs_off_to_minus_infinity_is_unbounded():
    with pytest.raises(symml.UnboundedError, match="no minimum"):
        symml.derive.minimize(x**3 + sp.Abs(x) + sp.Abs(x - 1), [x])
