"""The density-on-support check decided once per solver where SymPy proves the log-density real on the support for
every parameter value in its domain (then each estimate is checked against its domain at every call, not the
density on a grid of 2001 points); the grid wherever that is not proven."""
from __future__ import annotations

from types import SimpleNamespace

import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations import build, entry_names
from symml.mle.self_checks import _domains_making_the_log_density_real

x = sp.Symbol("x", real=True)
a, b = sp.symbols("a b", positive=True)
theta = sp.Symbol("theta", real=True)


def _problem(log_density, support, wrt, fixed=()):
    return SimpleNamespace(log_density=log_density, support=support, observation=x, wrt=tuple(wrt), fixed=tuple(fixed))


def test_a_weibull_log_density_is_real_for_every_positive_shape_and_scale():
    weibull = sp.log(b / a * (x / a) ** (b - 1)) - (x / a) ** b
    assert _domains_making_the_log_density_real(_problem(weibull, sp.Interval(0, sp.oo), [a, b])) == {
        a: "positive", b: "positive"}


def test_a_density_negative_for_some_parameter_values_is_left_to_the_grid():
    # (1 + theta x) e^-x is negative for x > -1/theta when theta < 0
    problem = _problem(sp.log(1 + theta * x) - x, sp.Interval(0, sp.oo), [theta])
    assert _domains_making_the_log_density_real(problem) is None


def test_a_bounded_support_is_left_to_the_grid():
    # (1 + theta x)/2 on [-1, 1]: valid only for |theta| <= 1, which no assumption says
    problem = _problem(sp.log((1 + theta * x) / 2), sp.Interval(-1, 1), [theta])
    assert _domains_making_the_log_density_real(problem) is None


def test_a_support_holding_a_parameter_is_left_to_the_grid():
    assert _domains_making_the_log_density_real(_problem(sp.log(b) - b * (x - theta), sp.Interval(theta, sp.oo), [b],
                                                         [theta])) is None


NUMERIC = [n for n in entry_names() if n.startswith("mle.") and not build(n).problem.closed_form]


@pytest.mark.parametrize("name", NUMERIC)
def test_where_proven_the_log_density_is_real_at_random_points_and_parameters_in_their_domains(name):
    # the independent side: mpmath (no overflow: x^(k-1) at k = 1e3 stays a number) evaluates the log-density at
    # 300 random observations in the support and parameter values drawn from each domain (log-uniform over
    # 1e-3..1e3 for a positive one)
    problem = build(name).problem
    domains = _domains_making_the_log_density_real(problem)
    if domains is None:
        assert problem.support not in (sp.Reals, sp.Interval(0, sp.oo))  # Beta: the support (0, 1), the grid's
        return
    rng = np.random.default_rng(0)

    def draw(positive):
        return 10.0 ** rng.uniform(-3, 3, 300) if positive else rng.uniform(-1e3, 1e3, 300)

    parameters = [*problem.wrt, *problem.fixed]
    columns = [draw(problem.support != sp.Reals), *(draw(bool(p.is_positive)) for p in parameters)]
    log_density = sp.lambdify([problem.observation, *parameters], problem.log_density, modules="mpmath")
    with mpmath.workdps(30):
        terms = [log_density(*map(mpmath.mpf, point)) for point in zip(*columns)]
    assert all(isinstance(t, mpmath.mpf) and not mpmath.isnan(t) for t in terms)
