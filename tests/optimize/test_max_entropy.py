"""Continuous maximum entropy by pointwise stationarity of the Lagrangian: mean and second moment on the real line
give the Gaussian, a mean on [0, ∞) the Exponential. Checked against scipy.stats densities (oracles), against the
entropy of other densities with the same moments (quadrature), and by verify() (a discretised maximisation)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import stats
from scipy.integrate import quad

import symml

x = sp.Symbol("x", real=True)
m, s = sp.Symbol("m", positive=True), sp.Symbol("s", positive=True)
mu = sp.Symbol("mu", real=True)
_CACHE: dict = {}


def _exponential():
    return _CACHE.setdefault("exp", symml.derive.maximum_entropy(x, (0, sp.oo), {x: m}))


def _gaussian():
    if "normal" not in _CACHE:
        _CACHE["normal"] = symml.derive.maximum_entropy(x, (-sp.oo, sp.oo), {x: mu, x**2: s})
    return _CACHE["normal"]


def _entropy(pdf, lo, hi):
    return -quad(lambda t: pdf(t) * np.log(pdf(t)) if pdf(t) > 0 else 0.0, lo, hi, limit=200)[0]


def test_a_mean_on_the_half_line_gives_the_exponential():
    pdf = _exponential().numpy()
    points = np.linspace(0, 6, 13)
    assert np.allclose(pdf(x=points, m=1.7), stats.expon(scale=1.7).pdf(points), rtol=1e-12)


def test_the_exponential_beats_other_densities_with_the_same_mean():
    pdf = _exponential().numpy()
    best = _entropy(lambda t: float(pdf(x=t, m=1.5)), 0, np.inf)
    for other in (stats.gamma(2, scale=0.75), stats.uniform(0, 3.0), stats.lognorm(0.5, scale=1.5 * np.exp(-0.125))):
        assert other.mean() == pytest.approx(1.5)
        assert _entropy(other.pdf, *other.support()) < best


def test_mean_and_second_moment_on_the_line_give_the_gaussian():
    pdf = _gaussian().numpy()
    points = np.linspace(-4, 4, 17)
    # E[x] = μ, E[x²] = s  ⇒  N(μ, s − μ²)
    assert np.allclose(pdf(x=points, mu=0.4, s=2.0), stats.norm(0.4, np.sqrt(2.0 - 0.16)).pdf(points), rtol=1e-12)


def test_the_gaussian_beats_other_densities_with_the_same_mean_and_variance():
    pdf = _gaussian().numpy()
    best = _entropy(lambda t: float(pdf(x=t, mu=0.0, s=1.0)), -np.inf, np.inf)
    for other in (stats.laplace(scale=1 / np.sqrt(2)), stats.logistic(scale=np.sqrt(3) / np.pi),
                  stats.uniform(-np.sqrt(3), 2 * np.sqrt(3))):
        assert other.var() == pytest.approx(1.0)
        assert _entropy(other.pdf, *other.support()) < best


def test_the_derivation_shows_pointwise_stationarity_and_completes_the_square():
    titles = [step.title for step in _gaussian().steps]
    assert {"Pointwise stationarity", "Integrability", "Complete the square", "Multipliers"} <= set(titles)


def test_verify_agrees_with_a_discretised_maximisation():
    assert _exponential().verify() and _gaussian().verify(data={"mu": 0.3, "s": 1.5})


def test_a_moment_that_is_not_a_polynomial_is_refused():
    with pytest.raises(symml.ParameterError, match="polynomial"):
        symml.derive.maximum_entropy(x, (0, sp.oo), {sp.log(x + 1): m})
