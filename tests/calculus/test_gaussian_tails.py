"""log Φ, the probit link's log-likelihood term, and its derivatives are finite in the tails where erf and erfc
underflow (log Φ(−40) = −804.6 was −inf, its derivative 0/0); oracle: mpmath at 80 digits."""
import mpmath
import numpy as np
import pytest
import sympy as sp

import symml

x, w, y = sp.Symbol("x", real=True), sp.Symbol("w", real=True), sp.Symbol("y", real=True)
Phi = (1 + sp.erf(x / sp.sqrt(2))) / 2
POINTS = [-40.0, -8.0, 0.0, 8.0, 40.0]
mpmath.mp.dps = 80


def inverse_mills(value):
    value = mpmath.mpf(value)
    return mpmath.npdf(value) / mpmath.ncdf(value)


def first(array):
    return float(np.asarray(array).ravel()[0])


@pytest.mark.parametrize("value", POINTS)
def test_the_log_normal_cdf_is_finite_in_its_lower_tail(value):
    log_phi = symml.derive.gradient(sp.log(Phi), [x])  # the derivation's numpy() of the function itself, below
    from symml.calculus.stable_numpy import numpy_callable

    found = float(numpy_callable(sp.log(Phi), [x])(np.float64(value)))
    assert found == pytest.approx(float(mpmath.log(mpmath.ncdf(value))), rel=1e-12, abs=1e-300)
    assert first(log_phi.numpy()(x=value)) == pytest.approx(float(inverse_mills(value)), rel=1e-10, abs=1e-300)


@pytest.mark.parametrize("value", POINTS)
def test_the_second_derivative_of_log_phi_is_finite_in_both_tails(value):
    hessian = symml.derive.hessian(sp.log(Phi), [x]).numpy()
    mills = inverse_mills(value)
    assert first(hessian(x=value)) == pytest.approx(float(-value * mills - mills**2), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("value", [-40.0, 40.0])
def test_the_probit_log_likelihood_gradient_is_finite_at_large_margins(value):
    log_likelihood = y * sp.log(Phi.subs(x, w * x)) + (1 - y) * sp.log(1 - Phi.subs(x, w * x))
    gradient = symml.derive.gradient(log_likelihood, [w]).numpy()
    # y = 0 at margin +40: the observation is 40 standard deviations on the wrong side; d/dw = −x λ(−wx)
    found = first(gradient(w=value, x=1.0, y=0.0))
    assert found == pytest.approx(-float(inverse_mills(-value)), rel=1e-10, abs=1e-300)


def test_log_erfc_and_its_derivatives_are_finite_far_in_its_tail():
    derivative = symml.derive.gradient(sp.log(sp.erfc(x)), [x]).numpy()
    scaled = 2 * mpmath.exp(-mpmath.mpf(40)**2) / (mpmath.sqrt(mpmath.pi) * mpmath.erfc(mpmath.mpf(40)))
    assert first(derivative(x=40.0)) == pytest.approx(-float(scaled), rel=1e-12)
