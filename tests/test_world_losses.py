"""The losses and layers PyTorch, Keras and scikit-learn document, posed through the public API the way their users
write them, their derivatives evaluated at extreme inputs (logits of ±40 and ±800, 1e200, probabilities of
1e-300), at kinks, and their minimisers over a constant.

Each test names its source (the library's documented formula) and checks the derived result against an independent
numeric computation written here: mpmath at 50 digits (its own numeric derivative, mpmath.diff), central finite
differences, scipy.optimize, scipy quadrature. The oracles live here only.
"""
from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize_scalar

import symml

x, z, t = sp.symbols("x z t", real=True)


def _mp_derivative(f, at, order):
    """The order-th derivative of the mpmath function f at ``at``, by mpmath.diff at 600 digits (a relative step
    for |at| > 1: d/du f(at(1 + u)) at 0 is at·f'(at))."""
    with mp.workdps(600):
        at = mp.mpf(at)
        if abs(at) > 1:
            return float(mp.diff(lambda u: f(at * (1 + u)), 0, order) / at**order)
        return float(mp.diff(f, at, order))


def _derivative(expr, wrt, order):
    derive = symml.derive.gradient if order == 1 else symml.derive.hessian
    return lambda **values: float(np.ravel(derive(expr, wrt).numpy()(**values))[0])


# --- where the sigmoid or tanh rounds to 1 --------------------------------------------------------------------
def _mp_sigmoid(u):
    return 1 / (1 + mp.exp(-u))


CANCELLING = {
    # torch.nn.SiLU: x σ(x); its gradient σ(x)(1 + x(1 − σ(x))) was 0 at 1e200 (x − xσ(x) cancels), it is 1
    "silu_gradient_at_1e200": (x / (1 + sp.exp(-x)), lambda u: u * _mp_sigmoid(u), 1, {"x": 1e200}),
    # its second derivative at 40 was 0, it is −1.6e-16: σ(x) − 1 rounded to 0
    "silu_second_derivative_at_40": (x / (1 + sp.exp(-x)), lambda u: u * _mp_sigmoid(u), 2, {"x": 40.0}),
    # torch.nn.Mish: x tanh(softplus(x)); its gradient was 0 at 1e200 (x σ(x)(1 − tanh²) cancels), it is 1
    "mish_gradient_at_1e200": (x * sp.tanh(sp.log(1 + sp.exp(x))), lambda u: u * mp.tanh(mp.log1p(mp.exp(u))), 1,
                               {"x": 1e200}),
    # torch.nn.LogSigmoid: its second derivative −σ(x)σ(−x) was 0 at −40, it is −4.2e-18
    "log_sigmoid_second_derivative_at_minus_40": (sp.log(1 / (1 + sp.exp(-x))), lambda u: -mp.log1p(mp.exp(-u)),
                                                  2, {"x": -40.0}),
    # torch.nn.Tanhshrink: x − tanh x; its second derivative −2 tanh x (1 − tanh² x) was 0 at 40, it is −1.4e-34
    "tanhshrink_second_derivative_at_40": (x - sp.tanh(x), lambda u: u - mp.tanh(u), 2, {"x": 40.0}),
    # keras LogCosh: log cosh(z − t); its second derivative 1 − tanh² was 0 at 40, it is 4 e^{−79}
    "log_cosh_second_derivative_at_40": (sp.log(sp.cosh(x - t)), lambda u: mp.log(mp.cosh(u - mp.mpf(0.5))), 2,
                                         {"x": 40.0, "t": 0.5}),
    # torch.nn.SoftMarginLoss log(1 + exp(−yx)) at y = −1: its gradient y(σ(yx) − 1) was −0 at x = −40
    "soft_margin_gradient_at_minus_40": (sp.log(1 + sp.exp(-t * x)), lambda u: mp.log1p(mp.exp(u)), 1,
                                         {"x": -40.0, "t": -1.0}),
    # torch.nn.BCEWithLogitsLoss(pos_weight=3) at target 1: (1 + 2t)σ(x) − 3t was 0 at x = 40, it is −3σ(−40)
    "bce_with_logits_pos_weight_gradient_at_40": (
        -(3 * t * sp.log(1 / (1 + sp.exp(-x))) + (1 - t) * sp.log(1 - 1 / (1 + sp.exp(-x)))),
        lambda u: 3 * mp.log1p(mp.exp(-u)), 1, {"x": 40.0, "t": 1.0}),
}


@pytest.mark.parametrize("name", CANCELLING)
def test_a_derivative_keeps_what_is_left_where_a_sigmoid_or_tanh_rounds_to_one(name):
    expr, exact, order, values = CANCELLING[name]
    found = _derivative(expr, x, order)(**values)
    assert found == pytest.approx(_mp_derivative(exact, values["x"], order), rel=1e-9)


def test_the_gelu_second_derivative_is_zero_not_nan_at_1e200_torch_gelu():
    # torch.nn.GELU (approximate='none'): x Φ(x); its second derivative (2 − x²) e^{−x²/2}/√(2π) was inf·0 = nan
    # at ±1e200 (it underflows to 0); the same code keeps its digits at moderate x
    second = _derivative(x * (1 + sp.erf(x / sp.sqrt(2))) / 2, x, 2)
    gelu = lambda u: u * (1 + mp.erf(u / mp.sqrt(2))) / 2  # noqa: E731
    assert second(x=1e200) == 0.0 and second(x=-1e200) == 0.0
    for value in (-7.5, 0.3, 2.0, 30.0):
        assert second(x=value) == pytest.approx(_mp_derivative(gelu, value, 2), rel=1e-12, abs=1e-300)


def test_the_tanh_gelu_gradient_and_second_derivative_are_finite_at_1e200_torch_gelu_tanh():
    # torch.nn.GELU(approximate='tanh'): x(1 + tanh(√(2/π)(x + 0.044715x³)))/2; its derivatives hold
    # x·P(x)(1 − tanh² v), v a cubic: inf·0 = nan past 1e100, where they are 1 (0 below) and 0
    v = sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 1000000) * x**3)
    gelu = x * (1 + sp.tanh(v)) / 2
    exact = lambda u: u * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (u + mp.mpf("0.044715") * u**3))) / 2  # noqa: E731
    first, second = _derivative(gelu, x, 1), _derivative(gelu, x, 2)
    assert (first(x=1e200), first(x=-1e200), second(x=1e200), second(x=-1e200)) == (1.0, 0.0, 0.0, 0.0)
    for value in (-3.0, 0.3, 1e120):
        assert first(x=value) == pytest.approx(_mp_derivative(exact, value, 1), rel=1e-12)
        assert second(x=value) == pytest.approx(_mp_derivative(exact, value, 2), rel=1e-10, abs=1e-300)


# --- kinks: subgradients ------------------------------------------------------------------------------------------
def test_the_pinball_loss_gradient_is_a_subgradient_at_its_kink_sklearn_mean_pinball_loss():
    # sklearn.metrics.mean_pinball_loss: max(τ(y − z), (τ − 1)(y − z)); SymPy's Max.rewrite(Piecewise) recursed
    # without end on it (a RecursionError, refused as "nested too deeply")
    tau = sp.Rational(3, 10)
    gradient = symml.derive.gradient(sp.Max(tau * (t - x), (tau - 1) * (t - x)), x)
    slope = lambda v: float(gradient.numpy()(x=v, t=0.5))  # noqa: E731
    loss = lambda v: max(0.3 * (0.5 - v), -0.7 * (0.5 - v))  # noqa: E731
    for v in (0.2, 0.9):
        assert slope(v) == pytest.approx((loss(v + 1e-6) - loss(v - 1e-6)) / 2e-6, rel=1e-6)
    assert -0.3 <= slope(0.5) <= 0.7
    assert "kink" in str(gradient)


# --- minimisers over a constant -----------------------------------------------------------------------------------
i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
y = sp.IndexedBase("y", real=True)


def test_the_log_loss_over_a_constant_is_minimised_at_the_log_odds_sklearn_hist_gradient_boosting_baseline():
    # HistGradientBoostingClassifier starts from the constant minimising Σᵢ log_loss(yᵢ, σ(q)): q = log(ȳ/(1 − ȳ)).
    # sp.solve returned [] on the stationarity equation with Σᵢ yᵢ as a coefficient: "no closed form" before
    q = sp.Symbol("q", real=True)
    p = 1 / (1 + sp.exp(-q))
    fit = symml.derive.minimize(sp.Sum(-(y[i] * sp.log(p) + (1 - y[i]) * sp.log(1 - p)), (i, 1, n)), q)
    labels = np.array([1.0, 0, 0, 1, 1, 1, 0])
    loss = lambda c: np.sum(np.logaddexp(0, -c) * labels + np.logaddexp(0, c) * (1 - labels))  # noqa: E731
    best = minimize_scalar(loss, bounds=(-5, 5), method="bounded", options={"xatol": 1e-10}).x
    assert float(fit.numpy()(y=labels)) == pytest.approx(best, abs=1e-7)


@pytest.mark.parametrize("tau", [sp.Rational(3, 10), sp.Rational(9, 10)])
def test_the_pinball_loss_over_a_constant_is_minimised_at_a_sample_quantile_sklearn_mean_pinball_loss(tau):
    # sklearn.metrics.mean_pinball_loss / HistGradientBoostingRegressor(loss='quantile'): the constant minimising
    # Σᵢ max(τ(yᵢ − q), (τ − 1)(yᵢ − q)) is a τ-quantile of the yᵢ; refused before ("that kink couples q")
    fit = symml.derive.minimize(sp.Sum(sp.Max(tau * (y[i] - x), (tau - 1) * (y[i] - x)), (i, 1, n)), x)
    data = np.random.default_rng(8).normal(size=13)
    loss = lambda c: np.sum(np.maximum(float(tau) * (data - c), (float(tau) - 1) * (data - c)))  # noqa: E731
    best = minimize_scalar(loss, bounds=(-4, 4), method="bounded", options={"xatol": 1e-12}).x
    assert float(fit.numpy()(y=data)) == pytest.approx(best, abs=1e-8)
    assert "quantile" in str(fit)


def test_the_absolute_error_over_a_constant_is_minimised_at_the_median_and_verifies_on_even_samples():
    # HistGradientBoostingRegressor(loss='absolute_error') baseline: argmin Σᵢ|yᵢ − q| is a median; on an even
    # sample every point between the middle two is optimal, so verify() compares optimal values there
    fit = symml.derive.minimize(sp.Sum(sp.Abs(y[i] - x), (i, 1, n)), x)
    data = np.array([0.3, 2.0, 1.1, 5.0, 0.7, 3.3, 0.9])
    loss = lambda c: np.sum(np.abs(data - c))  # noqa: E731
    best = minimize_scalar(loss, bounds=(0, 6), method="bounded", options={"xatol": 1e-12}).x
    assert float(np.ravel(fit.numpy()(y=data))[0]) == pytest.approx(best, abs=1e-8)
    assert fit.verify().passed


def test_the_log_cosh_loss_over_a_constant_is_solved_numerically_on_the_data_keras_log_cosh():
    # keras.losses.LogCosh: Σᵢ log cosh(q − yᵢ) has no closed-form minimiser (Σᵢ tanh(q − yᵢ) = 0); numpy()
    # refused indexed data with the equation left ("write the data as vectors"), now Brent's method on the data
    fit = symml.derive.minimize(sp.Sum(sp.log(sp.cosh(x - y[i])), (i, 1, n)), x)
    data = np.array([0.3, 2.0, 1.1, 5.0, 0.7, 3.3, 0.9])
    loss = lambda c: np.sum(np.logaddexp(c - data, data - c) - np.log(2))  # noqa: E731
    best = minimize_scalar(loss, bounds=(0, 6), method="bounded", options={"xatol": 1e-12}).x
    assert float(fit.numpy()(y=data)) == pytest.approx(best, abs=1e-8)
