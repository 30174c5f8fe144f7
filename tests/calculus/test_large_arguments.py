"""Losses whose intermediate values overflow where their value does not: the log-cosh loss (inf at 1e3, its
gradient nan) and the pseudo-Huber loss (inf at 1e200, its gradient 0 where it is 1); oracle: mpmath's numerical derivatives at 260 digits."""
import mpmath
import numpy as np
import pytest
import sympy as sp

import symml
from symml.calculus.stable_numpy import numpy_callable

x, delta = sp.Symbol("x", real=True), sp.Symbol("delta", positive=True)
LOG_COSH = sp.log(sp.cosh(x))
PSEUDO_HUBER = delta**2 * (sp.sqrt(1 + (x / delta)**2) - 1)
POINTS = [-1e200, -1e3, -2.5, 0.5, 30.0, 1e3, 1e200]


def first(array):
    return float(np.asarray(array).ravel()[0])


def derivatives(f, value):
    """f, f′ and f″ at value by mpmath's numerical differentiation, with digits enough for a point of 1e200."""
    with mpmath.workdps(260):
        point = mpmath.mpf(value)
        return [float(mpmath.diff(f, point, order)) for order in range(3)]


@pytest.mark.parametrize("value", POINTS)
def test_the_log_cosh_loss_and_its_derivatives_are_finite_at_large_residuals(value):
    want = derivatives(lambda t: mpmath.log(mpmath.cosh(t)), value)
    assert float(numpy_callable(LOG_COSH, [x])(np.float64(value))) == pytest.approx(want[0], rel=1e-12)
    assert first(symml.derive.gradient(LOG_COSH, [x]).numpy()(x=value)) == pytest.approx(want[1], rel=1e-12)
    assert first(symml.derive.hessian(LOG_COSH, [x]).numpy()(x=value)) == pytest.approx(want[2], rel=1e-9,
                                                                                        abs=1e-15)


@pytest.mark.parametrize("value", POINTS)
def test_the_pseudo_huber_loss_and_its_gradient_are_right_at_large_residuals(value):
    want = derivatives(lambda t: 4 * (mpmath.sqrt(1 + (t / 2)**2) - 1), value)
    gradient = symml.derive.gradient(PSEUDO_HUBER, [x]).numpy()
    assert float(numpy_callable(PSEUDO_HUBER, [x, delta])(np.float64(value), 2.0)) == pytest.approx(want[0],
                                                                                                   rel=1e-12)
    assert first(gradient(x=value, delta=2.0)) == pytest.approx(want[1], rel=1e-12)
    hessian = symml.derive.hessian(PSEUDO_HUBER, [x]).numpy()
    assert first(hessian(x=value, delta=2.0)) == pytest.approx(want[2], rel=1e-9, abs=1e-300)
