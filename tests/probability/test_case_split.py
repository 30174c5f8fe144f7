"""Expectations of functions defined by cases, split where the cases change: E[ρ(X − c)] of the Huber loss under a
normal (SymPy's Piecewise integration did not finish in the 8 s budget; quadrature was the answer) and of a clipped
value. Oracle: scipy.integrate.quad with the cases' boundaries as break points, on scipy.stats densities."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad
from scipy.stats import norm
from sympy.stats import Normal

import symml
from symml.probability.integration import is_closed

c = sp.Symbol("c", real=True)
sigma = sp.Symbol("sigma", positive=True)


def _huber(u):
    return sp.Piecewise((u**2 / 2, sp.Abs(u) <= 1), (sp.Abs(u) - sp.Rational(1, 2), True))


def _quad(f, density, breaks):
    lo, hi = density.ppf(1e-17), density.isf(1e-17)
    return quad(lambda x: f(x) * density.pdf(x), lo, hi, points=[b for b in breaks if lo < b < hi],
                epsabs=0, epsrel=1e-13, limit=200)[0]


@pytest.fixture(scope="module")
def huber_risk():
    return symml.derive.expectation(_huber(Normal("X", 0, sigma) - c))


def test_the_expected_huber_loss_under_a_normal_has_a_closed_form(huber_risk):
    assert is_closed(huber_risk.result)
    assert "split where the cases change" in huber_risk.steps[-1].why


@pytest.mark.parametrize("scale, centre", [(1.2, -0.7), (0.5, 0.999), (40.0, 1.0), (0.01, 5.0), (0.05, -30.0)])
def test_the_expected_huber_loss_agrees_with_quadrature_and_stays_finite_at_small_scales(huber_risk, scale, centre):
    # σ = 0.01 at c = 5: simplify had gathered the tails over e^{+((c+1)² + (c−1)²)/(2σ²)}, inf · 0 = nan
    loss = lambda u: u * u / 2 if abs(u) <= 1 else abs(u) - 0.5  # noqa: E731
    expected = _quad(lambda x: loss(x - centre), norm(0, scale), (centre - 1, centre + 1))
    assert float(huber_risk.numpy()(sigma=scale, c=centre)) == pytest.approx(expected, rel=1e-10)


def test_the_expected_clipped_value_under_a_normal_is_split_at_both_clips():
    # E[min(max(X, 0), 1)] for X ~ N(μ, 1), written by cases
    mu = sp.Symbol("mu", real=True)
    x = Normal("X", mu, 1)
    clipped = sp.Piecewise((0, x < 0), (x, x < 1), (1, True))
    fit = symml.derive.expectation(clipped)
    assert is_closed(fit.result)
    for at in (-2.0, 0.3, 4.0):
        expected = _quad(lambda u: min(max(u, 0.0), 1.0), norm(at, 1), (0.0, 1.0))
        assert float(fit.numpy()(mu=at)) == pytest.approx(expected, rel=1e-10)
