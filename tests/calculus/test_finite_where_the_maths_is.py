"""Generated NumPy is finite, and accurate, wherever the function is: forms that overflow or cancel when evaluated as
written (log(1 + x²) past 1e154, log(eˣ − 1) past 709, tanh written out at 800, log(1 − e⁻ˣ) near 0,
δ²(√(1 + x²/δ²) − 1) below 1e-8), through both users of :mod:`symml.floating_point_rewrites`; oracle: mpmath at
60 digits."""
import mpmath
import numpy as np
import pytest
import sympy as sp

from symml.calculus.stable_numpy import numpy_callable
from symml.mle.sample_function import SampleFunction

x = sp.Symbol("x", real=True)
delta, nu = sp.Symbol("delta", positive=True), sp.Symbol("nu", positive=True)
E = sp.exp


def exact(f, *values):
    with mpmath.workdps(60):
        return float(f(*(mpmath.mpf(v) for v in values)))


def both(expr, symbols, *values):
    """The expression's value through stable_numpy and through SampleFunction (one pipeline, the same numbers)."""
    with np.errstate(all="ignore"):
        printed = float(numpy_callable(expr, symbols)(*(np.float64(v) for v in values)))
        sampled = float(SampleFunction.of(expr, leading=symbols)(dict(zip(symbols, map(np.float64, values)))))
    return printed, sampled


@pytest.mark.parametrize("value", [-1e200, -1e3, -0.5, 1e-10, 1e160, 1e200])
def test_log_of_one_plus_a_square_is_finite_past_1e154_and_exact_near_0(value):
    want = exact(lambda t: mpmath.log(1 + t**2), value)
    assert both(sp.log(1 + x**2), [x], value) == pytest.approx((want, want), rel=1e-14)


@pytest.mark.parametrize("value", [-1e200, 3.0, 1e200])
def test_the_student_t_log_density_kernel_is_finite_at_residuals_past_1e154(value):
    want = exact(lambda t, n: mpmath.log(1 + (t - 1)**2 / n), value, 3.0)
    assert both(sp.log(1 + (x - 1)**2 / nu), [x, nu], value, 3.0) == pytest.approx((want, want), rel=1e-14)


@pytest.mark.parametrize("value", [1e-20, 0.5, 40.0, 1e3, 1e200])
def test_log_of_exp_minus_one_is_finite_at_large_arguments_and_exact_near_0(value):
    want = exact(lambda t: mpmath.log(mpmath.expm1(t)), value)
    assert both(sp.log(E(x) - 1), [x], value) == pytest.approx((want, want), rel=1e-14)


@pytest.mark.parametrize("value", [1e-20, 0.1, 0.6931, 0.7, 40.0, 800.0])
def test_log_of_one_minus_exp_of_minus_x_is_exact_on_both_sides_of_log_2(value):
    want = exact(lambda t: mpmath.log(-mpmath.expm1(-t)), value)
    assert both(sp.log(1 - E(-x)), [x], value) == pytest.approx((want, want), rel=1e-14)


@pytest.mark.parametrize("expr", [(E(x) - E(-x)) / (E(x) + E(-x)), E(2 * x) / (E(2 * x) + 1),
                                  (1 - E(-2 * x)) / (1 + E(-2 * x))], ids=["tanh", "expit-2x", "tanh-by-e-2x"])
@pytest.mark.parametrize("value", [-800.0, -40.0, 0.3, 40.0, 800.0])
def test_quotients_of_exponentials_are_finite_where_the_numerator_and_denominator_overflow(expr, value):
    f = sp.lambdify(x, expr, "mpmath")
    want = exact(f, value)
    assert both(expr, [x], value) == pytest.approx((want, want), rel=1e-14)


@pytest.mark.parametrize("value", [1e-12, 1e-9, 0.5, 1e200])
def test_the_pseudo_huber_loss_keeps_its_relative_accuracy_near_0(value):
    want = exact(lambda t, d: d**2 * (mpmath.sqrt(1 + (t / d)**2) - 1), value, 2.0)
    loss = delta**2 * (sp.sqrt(1 + x**2 / delta**2) - 1)
    assert both(loss, [x, delta], value, 2.0) == pytest.approx((want, want), rel=1e-14)


@pytest.mark.parametrize("value", [-800.0, -40.0, 0.3, 40.0, 800.0])
def test_the_focal_loss_and_its_gradient_keep_their_tails_at_large_logits(value):
    from symml.matrix_calculus.expressions import Sigmoid

    gamma = sp.Symbol("gamma", positive=True)
    loss = -(1 - Sigmoid(x)) ** gamma * sp.log(Sigmoid(x))

    def focal(t):
        p = 1 / (1 + mpmath.exp(-t))
        return -(1 - p) ** 2 * mpmath.log(p)

    want = [exact(focal, value), exact(lambda t: mpmath.diff(focal, t), value)]
    with np.errstate(all="ignore"):
        got = [float(numpy_callable(e, [x, gamma])(np.float64(value), 2.0)) for e in (loss, sp.diff(loss, x))]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("value", [-800.0, 0.5, 800.0])
def test_log_of_one_plus_a_sum_of_exponentials_is_a_log_sum_exp_in_both_pipelines(value):
    a = sp.Symbol("a", real=True)
    want = exact(lambda t, u: mpmath.log(1 + mpmath.exp(t) + mpmath.exp(u)), value, 2.0)
    assert both(sp.log(1 + E(x) + E(a)), [x, a], value, 2.0) == pytest.approx((want, want), rel=1e-14)


def test_the_log_of_a_factorial_of_a_count_is_finite_past_171():
    """log Γ(k + 1) of a count k (a Poisson log-pmf typed with log(gamma(k + 1))): SymPy writes loggamma of an integer
    back as log(gamma(k + 1)), so the rewrite through loggamma did nothing and NumPy gave −inf past k = 170 (a
    zero-inflated Poisson's numeric MLE refused an observation of 625). Oracle: scipy's gammaln."""
    import scipy.special

    k = sp.Symbol("k", integer=True, nonnegative=True)
    log_factorial = SampleFunction.of(sp.log(sp.gamma(k + 1)), leading=(k,))
    counts = np.array([0.0, 5.0, 171.0, 625.0, 1e6])
    assert np.allclose(log_factorial({k: counts}), scipy.special.gammaln(counts + 1), rtol=1e-14)


@pytest.mark.parametrize("distance", [2.0**-40, 1e-9, 1e-6, 5e-5, 1e-3, 0.0999, 0.1001, 0.7, 1.0, 3.0, 30.0, 700.0])
def test_lambert_w_of_t_exp_t_keeps_its_digits_near_the_branch_point(distance):
    # W₀(t eᵗ), t = −1 − distance: SciPy's W₀ of the rounded argument lost half the digits (4e-11 at 2^-20); the
    # printed function computes it from t
    t = -1.0 - distance
    expected = exact(lambda u: mpmath.lambertw(u * mpmath.exp(u)).real, t)
    for value in both(sp.LambertW(x * sp.exp(x)), [x], t):
        assert value == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("t", [-1.0, -0.999, -0.3, 0.0, 2.5])
def test_lambert_w_of_t_exp_t_is_t_from_minus_one_up(t):
    # W₀(t eᵗ) = t for t ≥ −1: at t = −1 exactly SciPy's W₀ of the rounded −1/e was nan or off by 1e-8
    assert both(sp.LambertW(x * sp.exp(x)), [x], t) == (t, t)
