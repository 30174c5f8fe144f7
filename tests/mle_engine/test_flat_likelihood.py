"""Where the likelihood is flat along a parameter between its support constraints, the maximum-likelihood estimate
is the whole interval of maximisers (Uniform(θ, θ + 1): [x₍ₙ₎ − 1, x₍₁₎]). Checked against a brute-force scan of
scipy.stats log-likelihoods: the set of θ where the log-likelihood is finite and maximal."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import stats

import symml
from symml.mle import mle
from symml.mle.maximiser_set import MaximiserSetProblem
from symml.optimize.active_set import flat_constraints

theta = sp.Symbol("theta", real=True)
x = sp.Symbol("x", real=True)


def _maximisers_by_scan(loglik, around: float) -> tuple[float, float]:
    """The smallest and largest θ on a fine grid where the log-likelihood is finite and at its maximum."""
    grid = np.linspace(around - 3.0, around + 3.0, 60_001)  # spacing 1e-4
    values = loglik(grid)
    best = grid[np.isfinite(values) & (values >= values.max() - 1e-9)]
    return best.min(), best.max()


@pytest.fixture(scope="module")
def sample() -> np.ndarray:
    return np.random.default_rng(7).uniform(0.4, 1.4, 50)


def test_uniform_theta_theta_plus_one_estimate_is_the_interval_of_maximisers(sample):
    low, high = mle(st.Uniform("X", theta, theta + 1)).numpy()(x=sample)["theta"]
    scanned = _maximisers_by_scan(lambda t: stats.uniform.logpdf(sample[:, None], t, 1.0).sum(axis=0), 0.4)
    assert np.allclose((low, high), scanned, atol=2e-4)


def test_the_interval_comes_from_the_constraints_of_any_support_not_a_named_family(sample):
    # Uniform(θ − 1, θ + 1) as a bare log-density and support: the same rule gives [x₍ₙ₎ − 1, x₍₁₎ + 1].
    model = symml.Model(logpdf=-sp.log(sp.Integer(2)), data=x, support=sp.Interval(theta - 1, theta + 1))
    low, high = mle(model).numpy()(x=sample)["theta"]
    scanned = _maximisers_by_scan(lambda t: stats.uniform.logpdf(sample[:, None], t - 1.0, 2.0).sum(axis=0), 0.9)
    assert np.allclose((low, high), scanned, atol=2e-4)


def test_the_steps_say_the_likelihood_is_flat_and_the_result_is_a_set():
    derivation = mle(st.Uniform("X", theta, theta + 1))
    titles = [step.title for step in derivation.steps]
    assert "The log-likelihood does not depend on $\\theta$ there" in titles
    assert "The maximum is attained on a set" in titles and "Score equations" not in titles
    assert isinstance(derivation.summary[0], sp.Contains) and isinstance(derivation.result[theta], sp.Interval)
    assert any("not unique" in remark for remark in derivation.remarks)


def test_verify_checks_the_interval_numerically():
    report = mle(st.Uniform("X", theta, theta + 1)).verify()
    assert report.passed
    quantities = " ".join(c.quantity for c in report.comparisons)
    assert "spread of the log-likelihood" in quantities and "just above the interval" in quantities


def test_verify_rejects_an_interval_that_reaches_outside_the_maximisers():
    problem = mle(st.Uniform("X", theta, theta + 1)).problem
    (low, high), = [(v.inf, v.sup) for v in problem.estimators.values()]
    too_wide = MaximiserSetProblem(**{**problem.__dict__, "estimators": {theta: sp.Interval(low, high + 0.01)}})
    assert not symml.operations.verify(too_wide, None)


def test_a_parameter_bounded_on_one_side_only_is_not_a_flat_interval():
    lo = sp.Symbol("lo", real=True)
    assert flat_constraints(theta, sp.Integer(0), [sp.Le(theta, lo)], sp.Symbol("l")) is None
