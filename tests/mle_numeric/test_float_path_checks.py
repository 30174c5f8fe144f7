"""The few-observation path's generated loops (loop invariants computed once, squares of a local) and its global
check (the root's log-likelihood taken with the multi-start candidates', the log-density's terms free of the
observation and unknown evaluated once per value of the fixed parameters): the Student-t location against scipy's
bounded searches at several degrees of freedom, on awkward samples, and the generated code's rules.
"""
from __future__ import annotations


import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from symml.mle.float_sums import _hoisted, _squares_named
# the estimator, its solver and the generic solver refused, as fixtures shared with the float path's first tests
from tests.mle_numeric.test_float_path import generic_refused, student_t, student_t_solver  # noqa: F401


def _log_likelihood(sample: np.ndarray, nu: float, mu: float) -> float:
    return float(np.sum(ss.t.logpdf(sample, nu, loc=mu)))


def _bounded_search(sample: np.ndarray, nu: float) -> float:
    """The Student-t (scale 1) location maximising scipy.stats' log-likelihood: Brent's method (minimize_scalar) around
    the four lowest local minima of the negative log-likelihood on a grid over the data's range (where every maximum
    of a location lies) of 2001 points and 201 within 5 scales of each observation, the best kept."""
    def negative(mu: float) -> float:
        return -_log_likelihood(sample, nu, mu)

    low, high = float(sample.min()), float(sample.max())
    if low == high:
        return low
    near = (sample[:, None] + np.linspace(-5.0, 5.0, 201)).ravel()
    grid = np.unique(np.clip(np.concatenate([np.linspace(low, high, 2001), near]), low, high))
    grid = grid[np.diff(grid, prepend=-np.inf) > 1e-9 * (high - low)]  # 0.8 - 0.05 beside 0.75: one point
    values = -ss.t.logpdf(sample[:, None], nu, loc=grid).sum(axis=0)
    best, best_value = float(grid[np.argmin(values)]), float(values.min())
    minima = [k for k in range(1, grid.size - 1) if values[k] <= values[k - 1] and values[k] <= values[k + 1]]
    for k in sorted(minima, key=lambda k: values[k])[:4]:  # the lowest few: a maximum missed by more is not near
        try:
            found = optimize.minimize_scalar(negative, bracket=(grid[k - 1], grid[k], grid[k + 1]), method="brent",
                                             tol=1e-12)
        except ValueError:  # flat to rounding there: not a bracket
            continue
        if found.fun < best_value:
            best, best_value = float(found.x), float(found.fun)
    return best


@pytest.mark.parametrize("sample", [[0.4, 2.9], [1.5, 1.5, 1.5, 1.5], [0.2, 0.2, 0.9, 0.9, 0.9, 3.0],
                                    [1.2, 0.8, 1.5, 0.9, 1e6, -1e6]],
                         ids=["two observations", "all equal", "ties", "outliers at -1e6 and 1e6"])
def test_student_t_location_is_scipys_maximiser_on_awkward_samples(student_t, sample):
    # whichever path certifies it; as high a log-likelihood as scipy's (two observations 2.5 apart at nu = 0.7: two
    # maxima as high, one near each, the median between them a minimum)
    sample = np.array(sample)
    for nu in (0.7, 3.0, 25.0):
        best = _log_likelihood(sample, nu, _bounded_search(sample, nu))
        assert _log_likelihood(sample, nu, student_t(sample, nu=nu)["mu"]) >= best - 1e-12 * (1.0 + abs(best))


def test_a_change_of_the_fixed_parameter_between_calls_is_seen(student_t, generic_refused):
    # the log-density's terms in nu alone are kept for the last nu: each call's estimate is still its own maximiser
    sample = np.array([0.3, -1.2, 2.5, 0.9, 1.1, -0.4, 0.2, 3.9, 0.8, 1.4])
    for nu in (3.0, 1.5, 3.0, 40.0, 1.5):
        assert student_t(sample, nu=nu)["mu"] == pytest.approx(_bounded_search(sample, nu), rel=1e-7)


def test_bimodal_data_where_the_start_finds_the_lower_maximum_give_the_global_one(student_t, student_t_solver):
    # from the median, Newton reaches the spread cluster's maximum; the tight cluster's is higher
    sample = np.array([5.0, 8.0, 11.0, 14.0, 30.0, 30.01, 29.99])
    values = {student_t_solver.problem.sample_size: float(sample.size)}
    values.update({p: 3.0 for p in student_t_solver.problem.fixed})
    assert student_t_solver.few.estimate(sample.tolist(), sample, values) is None  # not certified: handed back
    estimate = student_t(sample, nu=3.0)["mu"]
    assert estimate == pytest.approx(_bounded_search(sample, 3.0), rel=1e-7)
    assert _log_likelihood(sample, 3.0, estimate) >= _log_likelihood(sample, 3.0, 11.0)


def test_the_float_equation_and_slope_are_numpys(student_t_solver):
    # the loop with its invariants taken out and its squares of locals against ScaledSums' NumPy evaluation
    solver, rng = student_t_solver, np.random.default_rng(7)
    for scale in (1.0, 1e100, 1e-100):
        sample = rng.standard_t(3.0, 11) * scale
        values = {solver.problem.sample_size: np.float64(sample.size), **{p: 3.0 for p in solver.problem.fixed}}
        solver.plan.complete(sample, values)
        solver.sums.prepare(sample, values)
        numpy_pair = solver._with_slope(sample, values)  # (x - t)^2 squared overflows at 1e100: inf in both
        few = solver.few
        constants = tuple(float(values[c]) for c in few.newton.constants)
        rows, tops = few.newton.rows(sample.tolist(), constants)
        for t in (-2.0 * scale, 0.1 * scale, scale):
            with np.errstate(over="ignore"):
                value, slope = numpy_pair(t)
            assert few.newton.function(t, rows, tops, *constants) == pytest.approx(
                (value, slope), rel=1e-12, abs=1e-12 * (abs(value) + abs(slope)))


def test_a_subexpression_free_of_the_observations_is_computed_before_the_loop():
    d, k, t = sp.symbols("d k t")
    lines: list[str] = []
    (expr,) = _hoisted([sp.Abs(d - t) / sp.sqrt(k)], frozenset({d}), sp.numbered_symbols("h"), lines, "", str)
    assert lines == ["h0 = 1/sqrt(k)"] and expr == sp.Symbol("h0") * sp.Abs(d - t)


def test_a_case_of_a_choice_is_not_computed_before_the_loop():
    # log(k - 5) is only evaluated where k > 5 holds: taken out, it would leave the math module's domain first
    d, k = sp.symbols("d k")
    choice = sp.Piecewise((sp.log(k - 5) * d, k > 5), (d, True))
    lines: list[str] = []
    (expr,) = _hoisted([choice], frozenset({d}), sp.numbered_symbols("h"), lines, "", str)
    assert lines == [] and expr == choice


def test_the_base_of_a_square_is_a_local_and_a_case_is_left_alone():
    d, t = sp.symbols("d t")
    lines: list[str] = []
    named = _squares_named(1 / (d - t) ** 2 + sp.Piecewise(((d + t) ** 2, d > 0), (0, True)),
                           sp.numbered_symbols("q"), lines, "", str)
    q0 = sp.Symbol("q0")
    assert lines == ["q0 = d - t"] and named == q0**-2 + sp.Piecewise(((d + t) ** 2, d > 0), (0, True))


def test_the_finite_difference_corners_of_one_unknown(student_t_solver):
    # z + 2h, z, z, z - 2h with h = 1e-4 max(|z|, 1): the corners (+h+h, +h-h, -h+h, -h-h)
    steps, pairs, points = student_t_solver._new_hessian_points((3.0,))
    h = 1e-4 * 3.0
    assert steps == [h] and pairs == [(0, 0)]
    assert points == [(3.0,), (3.0 + 2 * h,), (3.0,), (3.0,), (3.0 - 2 * h,)]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-30.0, 30.0), min_size=1, max_size=12), st.floats(0.5, 30.0))
def test_the_estimate_is_at_least_every_point_of_a_grid_at_any_degrees_of_freedom(student_t, observations, nu):
    sample = np.array(observations)
    estimate = student_t(sample, nu=nu)["mu"]
    best = _log_likelihood(sample, nu, estimate)
    grid = np.linspace(sample.min(), sample.max(), 2001)
    assert best >= float(np.max(ss.t.logpdf(sample[:, None], nu, loc=grid).sum(axis=0))) - 1e-9 * (1.0 + abs(best))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=64))
def test_the_start_from_sorted_observations_is_the_solvers(student_t_solver, observations):
    # the median of Python floats sorted once against the statistic plan's NumPy median and the solver's guess
    solver, sample = student_t_solver, np.array(observations)
    values = {solver.problem.sample_size: np.float64(sample.size), **{p: 3.0 for p in solver.problem.fixed}}
    assert solver.few._start(observations, sample, dict(values)) == float(solver._start(sample, dict(values))[0])
