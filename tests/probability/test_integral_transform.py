"""The probability integral transform E[h(X)] = ∫₀¹ h(F⁻¹(u)) du and the Beta-function derivatives it ends in,
each checked by quadrature or simulation."""
import functools
import time

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy.integrate import quad

import symml
from symml.probability.beta_integrals import beta_log_integral
from symml.probability.expectation import expect
from symml.probability.integral_transform import transformed_expectation
from symml.probability.law import as_law

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
locations = hs.floats(-3, 3)
scales = hs.floats(0.3, 3)


@settings(max_examples=10)
@given(a=hs.floats(-0.6, 3), b=hs.floats(-0.6, 3), j=hs.integers(0, 2), k=hs.integers(0, 2))
def test_log_beta_integral_is_the_beta_function_differentiated(a, b, j, k):
    # ∫₀¹ u^a (1 − u)^b log(u)^j log(1 − u)^k du = ∂_a^j ∂_b^k B(a + 1, b + 1), a, b > −1
    derived = float(beta_log_integral(sp.Float(a), sp.Float(b), j, k).evalf(20))
    numeric = quad(lambda u: u**a * (1 - u)**b * np.log(u)**j * np.log1p(-u)**k, 0, 1, limit=200)[0]
    assert derived == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_log_beta_integral_at_integers_is_exact_in_pi_squared():
    # ∫₀¹ log(u) log(1 − u) du = 2 − π²/6: ψ′(1) = π²/6, and the Euler constant cancels
    assert beta_log_integral(0, 0, 1, 1) == 2 - sp.pi**2 / 6
    assert not beta_log_integral(2, 1, 2, 1).has(sp.EulerGamma, sp.polygamma)


@functools.lru_cache(maxsize=None)
def logistic_fisher():
    start = time.process_time()
    d = symml.derive.fisher_information(st.Logistic("X", mu, sigma), wrt=[mu, sigma])
    return d, time.process_time() - start


def test_logistic_fisher_information_is_derived_in_closed_form():
    d, seconds = logistic_fisher()
    assert all(not entry.has(sp.Integral) for entry in d.result)
    assert not any("numerically" in remark for remark in d.remarks)
    assert seconds < 20  # 1.7 s of CPU measured; the limit only guards against the old 28-112 s numeric path


def test_the_score_products_of_the_logistic_scale_are_closed_by_the_transform():
    # x²/(e^{μ/σ} + e^{x/σ})²: a term of the squared score in σ that SymPy's integrator cannot finish
    law = as_law(st.Logistic("X", mu, sigma))
    x = law.variable
    found = expect(law, x**2 / (sp.exp(mu / sigma) + sp.exp(x / sigma)) ** 2)
    assert found.closed and [step.title for step in found.steps] == ["Probability integral transform"]


@settings(max_examples=4, deadline=None)
@given(location=locations, scale=scales)
def test_logistic_fisher_information_is_minus_the_expected_hessian_by_quadrature(location, scale):
    d, _ = logistic_fisher()
    derived = d.numpy()(mu=location, sigma=scale)
    step = 1e-3 * scale
    theta = np.array([location, scale])

    def log_density(x, t):  # the logistic log-density written out, stable in both tails
        z = (x - t[0]) / t[1]
        return -z - np.log(t[1]) - 2 * np.logaddexp(0, -z)

    def minus_hessian_entry(u, i, j):  # central second differences, at x = F⁻¹(u) of scipy's logistic
        x = ss.logistic.ppf(u, location, scale)
        e_i, e_j = np.eye(2)[i] * step, np.eye(2)[j] * step
        return -(log_density(x, theta + e_i + e_j) - log_density(x, theta + e_i - e_j)
                 - log_density(x, theta - e_i + e_j) + log_density(x, theta - e_i - e_j)) / (4 * step**2)

    for i, j in [(0, 0), (0, 1), (1, 1)]:
        expected = quad(minus_hessian_entry, 0, 1, args=(i, j), limit=200)[0]
        assert derived[i, j] == pytest.approx(expected, rel=1e-4, abs=1e-6 / scale**2)


def test_logistic_fisher_information_is_the_simulated_variance_of_the_score():
    d, _ = logistic_fisher()
    location, scale = 0.4, 1.7
    draws = np.random.default_rng(5).logistic(location, scale, 200_000)
    z = (draws - location) / scale
    tanh = np.tanh(z / 2)  # d/dz log f(z) = −tanh(z/2) for the standard logistic density
    scores = np.array([tanh / scale, (z * tanh - 1) / scale])
    # Monte Carlo with 2e5 draws: a few percent of the largest entry
    np.testing.assert_allclose(d.numpy()(mu=location, sigma=scale), np.cov(scores), atol=0.03 / scale**2)


@pytest.mark.parametrize("g, reference", [
    (lambda x: sp.log(1 + sp.exp(-(x - mu) / sigma)) ** 2, lambda m, s, x: np.logaddexp(0, -(x - m) / s) ** 2),
    (lambda x: x**3, lambda m, s, x: x**3),
    (lambda x: x * sp.exp(x / sigma) / (sp.exp(mu / sigma) + sp.exp(x / sigma)) ** 3,
     lambda m, s, x: x * np.exp((x - m) / s) / (1 + np.exp((x - m) / s)) ** 3 * np.exp(-2 * m / s)),
], ids=["softplus squared", "cube", "exponential over a cubed sum"])
def test_logistic_expectations_by_the_transform_agree_with_quadrature(g, reference):
    law = as_law(st.Logistic("X", mu, sigma))
    found = transformed_expectation(law, g(law.variable))
    assert found is not None and not found[0].has(sp.Integral)
    m, s = 0.3, 1.3
    derived = float(found[0].subs({mu: m, sigma: s}))
    numeric = quad(lambda u: reference(m, s, ss.logistic.ppf(u, m, s)), 0, 1, limit=200)[0]
    assert derived == pytest.approx(numeric, rel=1e-7)


def test_a_law_without_an_exponential_in_a_sum_gets_no_transform():
    # the Cauchy's F⁻¹(u) = μ − σ cot(πu) is not built of log u and log(1 − u); its quantile is not even derived
    law = as_law(st.Cauchy("X", mu, sigma))
    assert transformed_expectation(law, law.variable**2 / (1 + law.variable**2)) is None


def test_a_users_own_logistic_density_gets_the_transform_and_zeta_three():
    # E[(x − m)² log(1 + e^{−(x−m)})] under f = e^{−(x−m)}/(1 + e^{−(x−m)})², written by the user: 2ζ(3) + π²/3
    x, m = sp.Symbol("x", real=True), sp.Symbol("m", real=True)
    model = symml.Model(logpdf=-(x - m) - 2 * sp.log(1 + sp.exp(-(x - m))), data=x, support=sp.Interval(-sp.oo, sp.oo))
    d = symml.derive.expectation(model, (x - m) ** 2 * sp.log(1 + sp.exp(-(x - m))))
    assert "Probability integral transform" in [step.title for step in d.steps]
    density = lambda z: np.exp(-abs(z)) / (1 + np.exp(-abs(z))) ** 2  # noqa: E731  (symmetric, stable in both tails)
    numeric = quad(lambda z: z**2 * np.logaddexp(0, -z) * density(z), -np.inf, np.inf)[0]
    assert float(d.result.subs(m, 0.3)) == pytest.approx(numeric, rel=1e-8)
