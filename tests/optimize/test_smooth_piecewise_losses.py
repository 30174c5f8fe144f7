"""Losses written as cases that join with equal value and slope (Huber) are differentiable: minimised over a
constant through their stationarity condition Σᵢ ψ(yᵢ − q) = 0, solved numerically on the data. Oracle:
scipy.optimize.minimize_scalar on a hand-written NumPy Huber loss."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize_scalar

import symml
from symml.errors import UnsupportedOperationError

q = sp.Symbol("q", real=True)
i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
y = sp.IndexedBase("y", real=True)
r = y[i] - q
DATA = np.array([0.3, 2.0, 1.1, 5.0, 0.7, 3.3, 0.9, -4.0])


def _huber_minimiser(delta: float) -> float:
    def loss(c: float) -> float:
        u = np.abs(DATA - c)
        return float(np.sum(np.where(u <= delta, u**2 / 2, delta * (u - delta / 2))))
    return minimize_scalar(loss, bounds=(-5, 6), method="bounded", options={"xatol": 1e-12}).x


def test_the_huber_loss_over_a_constant_is_minimised_numerically_sklearn_huber_baseline():
    # Σᵢ {rᵢ²/2 for |rᵢ| ≤ 1; |rᵢ| − 1/2 otherwise}: C¹, so the |r| in its condition is no kink (it was refused
    # as "not differentiable at Abs(q − y[i])")
    fit = symml.derive.minimize(sp.Sum(sp.Piecewise((r**2 / 2, sp.Abs(r) <= 1), (sp.Abs(r) - sp.Rational(1, 2), True)),
                                       (i, 1, n)), q)
    assert fit.steps[-1].title.startswith("No closed form")
    assert float(fit.numpy()(y=DATA)) == pytest.approx(_huber_minimiser(1.0), abs=1e-7)


def test_the_huber_loss_with_a_symbolic_threshold_is_minimised_at_each_threshold():
    delta = sp.Symbol("delta", positive=True)
    fit = symml.derive.minimize(sp.Sum(sp.Piecewise((r**2 / 2, sp.Abs(r) <= delta),
                                                    (delta * (sp.Abs(r) - delta / 2), True)), (i, 1, n)), q)
    for value in (0.5, 1.35, 3.0):
        assert float(fit.numpy()(y=DATA, delta=value)) == pytest.approx(_huber_minimiser(value), abs=1e-7)


def test_cases_that_jump_at_the_boundary_are_still_refused_as_a_kink():
    # r²/2 inside, |r| outside: the value jumps from 1/2 to 1 at |r| = 1
    with pytest.raises(UnsupportedOperationError, match="not differentiable"):
        symml.derive.minimize(sp.Sum(sp.Piecewise((r**2 / 2, sp.Abs(r) <= 1), (sp.Abs(r), True)), (i, 1, n)), q)
