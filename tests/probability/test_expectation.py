"""The expectation operator: every value checked against quadrature, sums or Monte Carlo, never against itself."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy.integrate import quad
from scipy.special import gammaln

import symml
from symml.errors import ModelError, ParameterError
from symml.probability.expectation import expect
from symml.probability.law import as_law

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
r = sp.Symbol("r", positive=True)
a, b = sp.symbols("a b", positive=True)
lam = sp.Symbol("lambda", positive=True)
t = sp.Symbol("t", real=True)


def test_third_moment_of_an_exponential_matches_quadrature():
    X = st.Exponential("X", r)
    d = symml.derive.expectation(X, X**3)
    exact, _ = quad(lambda x: x**3 * 1.7 * np.exp(-1.7 * x), 0, np.inf)
    assert d.numpy()(r=1.7) == pytest.approx(exact, rel=1e-10)


def test_gamma_power_is_found_by_recognising_the_normaliser():
    # x^2 x^(a-1) e^(-x/b) is the Gamma(a + 2, b) kernel: E[X^2] = b^2 a (a + 1), no integral evaluated
    d = symml.derive.expectation(st.Gamma("X", a, b), sp.Symbol("x", real=True)**2)
    assert "Recognise a density's normaliser" in [step.title for step in d.steps]
    assert d.numpy()(a=2.5, b=0.7) == pytest.approx(ss.gamma(2.5, scale=0.7).moment(2), rel=1e-12)


def test_normal_mgf_by_the_normaliser_matches_monte_carlo():
    X = st.Normal("X", mu, sigma)
    d = symml.derive.expectation(X, sp.exp(t * X))
    draws = np.random.default_rng(1).normal(0.3, 0.8, 400_000)
    sample = np.exp(0.5 * draws)
    # Monte Carlo tolerance: 5 standard errors
    assert abs(d.numpy()(mu=0.3, sigma=0.8, t=0.5) - sample.mean()) < 5 * sample.std() / np.sqrt(sample.size)


def test_expectation_of_a_log_under_a_beta_differentiates_the_normaliser():
    # E[log X] = psi(a) - psi(a + b), from d/da of log B(a, b); checked by quadrature
    X = st.Beta("X", a, b)
    d = symml.derive.expectation(X, sp.log(X))
    assert "Differentiate the normaliser" in [step.title for step in d.steps]
    exact, _ = quad(lambda x: np.log(x) * ss.beta(2.0, 3.5).pdf(x), 0, 1)
    assert d.numpy()(a=2.0, b=3.5) == pytest.approx(exact, rel=1e-9)


def test_poisson_sum_matches_scipy():
    X = st.Poisson("X", lam)
    d = symml.derive.expectation(X, X**3)
    assert d.numpy()(**{"lambda": 2.3}) == pytest.approx(ss.poisson(2.3).moment(3), rel=1e-12)


def test_no_closed_form_is_said_and_evaluated_numerically():
    # E[log X!] under a Poisson has no closed form: the sum stays, numpy() sums it
    X = st.Poisson("X", lam)
    d = symml.derive.expectation(X, sp.log(sp.factorial(X)))
    assert any("No closed form" in remark for remark in d.remarks)
    k = np.arange(0, 200)
    exact = np.sum(ss.poisson(4.0).pmf(k) * gammaln(k + 1))
    assert d.numpy()(**{"lambda": 4.0}) == pytest.approx(exact, rel=1e-10)


def test_a_timed_out_integral_is_said_and_evaluated_by_quadrature():
    law = as_law(st.Beta("X", a, b))
    found = expect(law, sp.exp(t * law.variable), seconds=0.05)
    assert any("did not finish within its budget" in remark or "No closed form" in remark for remark in found.remarks)
    d = symml.derive.expectation(st.Beta("X", a, b), sp.exp(t * st.Beta("X", a, b)), seconds=0.05)
    exact, _ = quad(lambda x: np.exp(0.4 * x) * ss.beta(2.0, 3.0).pdf(x), 0, 1)
    assert d.numpy()(a=2.0, b=3.0, t=0.4) == pytest.approx(exact, rel=1e-9)


def test_numpy_is_vectorised_over_parameters():
    X = st.Exponential("X", r)
    values = symml.derive.expectation(X, X**2).numpy()(r=np.array([1.0, 2.0, 4.0]))
    np.testing.assert_allclose(values, 2 / np.array([1.0, 2.0, 4.0]) ** 2)


def test_user_model_with_an_interval_support():
    x = sp.Symbol("x", real=True)
    theta = sp.Symbol("theta", positive=True)
    model = symml.Model(logpdf=sp.log(2 * x / theta**2), data=x, support=sp.Interval(0, theta))
    d = symml.derive.expectation(model, x)
    exact, _ = quad(lambda v: v * 2 * v / 1.5**2, 0, 1.5)
    assert d.numpy()(theta=1.5) == pytest.approx(exact, rel=1e-12)


def test_user_pmf_on_a_range_support_is_summed():
    x = sp.Symbol("x", integer=True)
    q = sp.Symbol("q", positive=True)
    model = symml.Model(logpdf=x * sp.log(q) - sp.log(1 + q + q**2), data=x, support=sp.Range(0, 3))
    d = symml.derive.expectation(model, x**2)
    weights = 0.6 ** np.arange(3)
    assert d.numpy()(q=0.6) == pytest.approx(np.sum(np.arange(3) ** 2 * weights) / weights.sum(), rel=1e-12)


def test_verify_compares_with_the_defining_integral():
    X = st.Laplace("X", mu, b)
    assert symml.derive.expectation(X, X**2).verify()


def test_a_function_of_another_random_variable_is_refused():
    with pytest.raises(ModelError, match="not the random variable"):
        symml.derive.expectation(st.Normal("X", mu, sigma), st.Normal("Y", 0, 1) ** 2)


def test_numpy_names_its_missing_arguments():
    X = st.Normal("X", mu, sigma)
    with pytest.raises(ParameterError, match="missing: sigma"):
        symml.derive.expectation(X, X**2).numpy()(mu=0.0)


def test_gumbel_mean_is_closed_by_a_change_of_variables():
    # u = e^{-(x - mu)/b} turns E[e^{tX}] into a Gamma integral: M(t) = e^{mu t} Gamma(1 - b t), E[X] = mu + gamma b
    X = st.Gumbel("X", b, mu)
    d = symml.derive.expectation(X, X)
    assert not d.result.has(sp.Integral)
    assert d.numpy()(b=1.3, mu=0.4) == pytest.approx(ss.gumbel_r(0.4, 1.3).mean(), rel=1e-12)


def test_log_moments_of_a_beta_come_from_differentiating_a_generating_function():
    # E[log(X) log(1 - X)] = d^2/ds dt E[X^s (1 - X)^t] at 0, with E[X^s (1-X)^t] = B(a + s, b + t)/B(a, b)
    x = sp.Symbol("x", real=True)
    d = symml.derive.expectation(st.Beta("X", a, b), sp.log(x) * sp.log(1 - x))
    assert "Differentiate a generating function" in [step.title for step in d.steps]
    exact, _ = quad(lambda u: np.log(u) * np.log1p(-u) * ss.beta(2.5, 0.7).pdf(u), 0, 1)
    assert d.numpy()(a=2.5, b=0.7) == pytest.approx(exact, rel=1e-8)


def test_a_power_times_an_exponential_is_a_derivative_of_the_mgf_at_the_rate():
    # E[X e^{-X/c}] = M'(-1/c): here under a Gumbel, whose MGF needs the change of variables
    c = sp.Symbol("c", positive=True)
    X = st.Gumbel("X", b, mu)
    d = symml.derive.expectation(X, X * sp.exp(-X / c))
    exact, _ = quad(lambda u: u * np.exp(-u / 2.1) * ss.gumbel_r(0.4, 1.3).pdf(u), -20, 60)
    assert d.numpy()(b=1.3, mu=0.4, c=2.1) == pytest.approx(exact, rel=1e-8)



@pytest.mark.parametrize("shift", [-0.7, 2.5])
def test_a_kink_under_a_normal_is_folded_and_its_side_integrated_by_parts(shift):
    # E|X − c| = E[X − c] − 2∫_{−∞}^{c} (x − c) f dx; the side by parts: (x − m) f = −s² f', so an erf and f(c)
    m, s, c = sp.Symbol("m", real=True), sp.Symbol("s", positive=True), sp.Symbol("c", real=True)
    X = st.Normal("X", m, s)
    d = symml.derive.expectation(X, sp.Abs(X - c))
    assert not d.result.has(sp.Integral)
    assert "by parts" in " ".join(step.why for step in d.steps)
    derived = float(d.result.subs({m: 0.4, s: 1.3, c: shift}))
    numeric = sum(quad(lambda x: abs(x - shift) * ss.norm.pdf(x, 0.4, 1.3), *ends)[0]
                  for ends in ((-np.inf, shift), (shift, np.inf)))
    assert derived == pytest.approx(numeric, rel=1e-8)
