"""Where "derivative = 0" is wrong: support limits give order statistics, absolute deviations give the median.
Checked against brute force over candidate values (data points and a grid) of scipy.stats log-likelihoods."""
from __future__ import annotations

import numpy as np
import sympy as sp
import sympy.stats as st
from scipy import optimize, stats

import symml
from symml.mle import mle
from symml.mle.families import random_variable
from tests.mle_engine.sample_statistics import estimates, relative_gap

N = 1000


def _candidates(values: np.ndarray, around: float) -> np.ndarray:
    return np.concatenate([values, np.linspace(around - 0.5, around + 0.5, 2001)])


def test_uniform_a_b_is_min_and_max_by_brute_force():
    data = np.random.default_rng(1).uniform(-1.0, 3.0, N)
    derived = estimates(mle(random_variable("Uniform")), data)
    ordered = np.sort(data)
    lows, highs = _candidates(ordered[:20], ordered[0]), _candidates(ordered[-20:], ordered[-1])
    loglik = [[stats.uniform.logpdf(data, a, b - a).sum() if b > a else -np.inf for b in highs[::10]] for a in lows[::10]]
    best_a, best_b = np.unravel_index(np.argmax(loglik), np.shape(loglik))
    assert relative_gap(derived["a"], lows[::10][best_a]) < 1e-6 and relative_gap(derived["b"], highs[::10][best_b]) < 1e-6


def test_uniform_zero_theta_is_the_maximum():
    theta = sp.Symbol("theta", positive=True)
    data = np.random.default_rng(2).uniform(0.0, 4.0, N)
    derived = estimates(mle(st.Uniform("X", 0, theta)), data)
    grid = _candidates(np.sort(data)[-20:], data.max())
    loglik = [stats.uniform.logpdf(data, 0, t).sum() for t in grid]
    assert relative_gap(derived["theta"], grid[int(np.argmax(loglik))]) < 1e-6


def test_shifted_exponential_location_is_the_minimum_and_rate_follows():
    x, m = sp.symbols("x m", real=True)
    lam = sp.Symbol("lambda", positive=True)
    model = symml.Model(logpdf=sp.Piecewise((sp.log(lam) - lam * (x - m), x >= m), (-sp.oo, True)), data=x)
    data = 0.7 + np.random.default_rng(3).exponential(1 / 2.0, N)
    derived = estimates(mle(model), data)

    def profile(location):  # best rate for a given location, by scipy
        result = optimize.minimize_scalar(lambda r: -stats.expon.logpdf(data, location, 1 / r).sum(),
                                          bounds=(1e-3, 50), method="bounded", options={"xatol": 1e-12})
        return -result.fun, result.x

    grid = _candidates(np.sort(data)[:20], data.min())[::10]
    best = max(grid, key=lambda location: profile(location)[0])
    assert relative_gap(derived["m"], best) < 1e-6
    assert relative_gap(derived["lambda"], profile(best)[1]) < 1e-6


def test_laplace_location_is_a_median_maximiser():
    data = np.random.default_rng(4).laplace(0.4, 1.2, N)
    derivation = mle(random_variable("Laplace"), wrt=["mu"])
    derived = estimates(derivation, data, b=1.2)["mu"]
    grid = _candidates(data, np.median(data))
    loglik = np.array([stats.laplace.logpdf(data, mu, 1.2).sum() for mu in grid])
    assert stats.laplace.logpdf(data, derived, 1.2).sum() >= loglik.max() - 1e-9 * abs(loglik.max())
    assert any("even n" in remark for remark in derivation.remarks)  # non-uniqueness is said


def test_laplace_location_and_scale_jointly():
    data = np.random.default_rng(5).laplace(-0.3, 0.8, N + 1)
    derived = estimates(mle(random_variable("Laplace")), data)
    numeric_b = optimize.minimize_scalar(lambda b: -stats.laplace.logpdf(data, derived["mu"], b).sum(),
                                         bounds=(1e-3, 10), method="bounded", options={"xatol": 1e-12}).x
    assert relative_gap(derived["mu"], np.median(data)) < 1e-12
    assert relative_gap(derived["b"], numeric_b) < 1e-6


def test_boundary_steps_state_the_argument_instead_of_a_score_equation():
    titles = [step.title for step in mle(random_variable("Uniform")).steps]
    assert "The maximum is on the boundary" in titles and "Score equations" not in titles
