"""Notation met in the held-out notes added on 26 Nov 2026 (branch checkheld7: the Cramér–Rao bound of a binomial
proportion, the softmax Jacobian, kernel ridge regression, the delta method, a linear Poisson model, the Gaussian
process marginal likelihood): each with a correct and a wrong variant, the correct one holding and the wrong one
never reported held (caught, or, where the reading is a guess, never reported wrong). The oracles are Monte Carlo."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symml.checker import StepStatus
from symml.checker.expectations import expectation
from symml.checker.notes import check_notes_text


def _assert_judged(text: str, holds: bool) -> None:
    """The one step of ``text`` holds exactly when ``holds``; it is never reported wrong (the reading is a guess)."""
    (status,) = [check.status for check in check_notes_text(text, points=4).checks]
    assert (status is StepStatus.HOLDS) is holds and status is not StepStatus.WRONG


def _sample_mean_moments(n: int = 4, k: float = 3.0) -> tuple[float, float]:
    # Monte Carlo: y_i ~ Poisson(lambda_i) with different means, the mean and variance of sum_i y_i / (n k)
    rng = np.random.default_rng(7)
    means = np.array([1.0, 2.0, 3.0, 4.0])[:n]
    draws = rng.poisson(means, size=(100_000, n)).sum(axis=1) / (n * k)
    return float(draws.mean()), float(means.sum() / (n * k))


@pytest.mark.parametrize("right, holds", [(r"\sum_{i=1}^n\frac{E\left(y_i\right)}{nk}", True),
                                          (r"\sum_{i=1}^n\frac{E\left(y_i\right)}{k}", False)])
def test_the_expectation_of_a_sum_of_the_sample_is_the_sum_of_expectations(right, holds):
    # gentrywhite's E(sum_i y_i / (nk)) = sum_i E(y_i) / (nk): E was an unknown function of the sum, the step
    # undecided. No law says which names are random: the indexed sample y_i is taken as random, n and k as
    # constants (a guess, so the wrong variant is never reported wrong, and never held)
    _assert_judged(f"$$E\\left(\\frac{{\\sum_{{i=1}}^n y_i}}{{nk}}\\right) = {right}$$", holds)
    simulated, linear = _sample_mean_moments()
    assert abs(simulated - linear) < 0.01 and abs(simulated - 4 * linear) > 1


@pytest.mark.parametrize("right, holds", [(r"\frac{1}{n^2k^2}\text{var}\left(\sum_{i=1}^n y_i\right)", True),
                                          (r"\frac{1}{nk}\text{var}\left(\sum_{i=1}^n y_i\right)", False)])
def test_a_constant_factor_leaves_the_variance_of_a_sum_squared(right, holds):
    _assert_judged(f"$$\\text{{var}}\\left(\\frac{{1}}{{nk}}\\sum_{{i=1}}^n y_i\\right) = {right}$$", holds)
    rng = np.random.default_rng(8)
    sums = rng.poisson(2.0, size=(200_000, 4)).sum(axis=1)
    assert abs(np.var(sums / 12) - np.var(sums) / 144) < 1e-12 and abs(np.var(sums) / 12 - np.var(sums) / 144) > 0.5


def test_an_expectation_is_split_into_a_sum_only_over_bounds_that_are_not_random():
    y, i, n, a = sp.IndexedBase("y"), sp.Symbol("i", integer=True), sp.Symbol("n", integer=True), sp.Symbol("a")
    split = expectation(a * sp.Sum(y[i], (i, 1, n)), "", frozenset({y.label, y[i]}))
    assert isinstance(split, sp.Mul) and split.has(sp.Sum) and a in split.args
    # a random number of terms (the bound n random) is not linearity: the sum stays inside
    kept = expectation(sp.Sum(y[i], (i, 1, n)), "", frozenset({y.label, y[i], n}))
    assert not isinstance(kept, sp.Sum) and kept.has(sp.Sum)
