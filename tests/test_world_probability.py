"""Probability, information and estimators against the world: problems from the standard texts (Casella & Berger,
Wasserman's All of Statistics, Cover & Thomas, Bishop PRML, Deisenroth et al. MML, Murphy PML), typed the way a
user types them, through the public API.

Each test names its source and checks the derived result with an independent numeric method (scipy.stats,
scipy.optimize, scipy.integrate, numpy.linalg, Monte Carlo). The oracles live here only.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml
from symml.mle.statistics import statistic_symbols

x = sp.Symbol("x", real=True)
mu = sp.Symbol("mu", real=True)
RNG = np.random.default_rng(2026)


def at_sample(expr, data):
    """A statistic-valued expression (a method-of-moments start) evaluated on ``data``: each sample mean by numpy."""
    values = {}
    for statistic in sorted(statistic_symbols(expr), key=lambda s: len(str(s.summand))):
        summand = statistic.summand.xreplace(values)
        values[statistic] = np.mean(sp.lambdify(x, summand, "numpy")(data) * np.ones_like(data))
    return float(expr.xreplace(values))


# --- maximum likelihood -------------------------------------------------------------------------------------------
def rayleigh_with_location():
    m, s = sp.Symbol("m", real=True), sp.Symbol("s", positive=True)
    logpdf = sp.Piecewise((sp.log(x - m) - 2 * sp.log(s) - (x - m) ** 2 / (2 * s**2), x > m), (-sp.oo, True))
    return m, symml.derive.mle(symml.Model(logpdf=logpdf, data=x), wrt=[m, s])


def test_method_of_moments_start_of_a_located_rayleigh_is_a_statistic_casella_berger_7_2_1():
    # the scale is closed given the location (ŝ² = mean((x − m)²)/2); the start of m must not contain m itself
    m, derivation = rayleigh_with_location()
    start = derivation.problem.initial_guess[m]
    data = 1.0 + ss.rayleigh.rvs(scale=2.0, size=500, random_state=RNG)
    location, _ = ss.rayleigh.fit(data, method="MM")  # oracle: scipy's moment matching
    assert at_sample(start, data) == pytest.approx(location, rel=1e-6)


def test_numpy_estimates_a_located_rayleigh_with_its_scale_profiled_inside_the_sums():
    # the log-likelihood's Σ(x − m)²/(2s²) holds the profiled s: numpy() raised KeyError s before
    _, derivation = rayleigh_with_location()
    data = 1.0 + ss.rayleigh.rvs(scale=2.0, size=500, random_state=RNG)
    location, scale = ss.rayleigh.fit(data)  # oracle: scipy's maximum likelihood
    estimate = derivation.numpy()(x=data)
    assert (estimate["m"], estimate["s"]) == pytest.approx((location, scale), rel=1e-6)


def test_a_zero_inflated_poisson_keeps_its_point_mass_through_the_score_equations():
    # the equations were tidied with every symbol taken positive, which made δ(0, xᵢ) = 0: a Poisson's Σxᵢ/λ − n = 0
    p, lam = sp.Symbol("p", positive=True), sp.Symbol("lambda", positive=True)
    count = sp.Symbol("x", integer=True, nonnegative=True)
    mass = p * sp.KroneckerDelta(count, 0) + (1 - p) * sp.exp(-lam) * lam**count / sp.factorial(count)
    derivation = symml.derive.mle(symml.Model(logpdf=sp.log(mass), data=count, support=sp.Range(0, sp.oo)), wrt=[p, lam])
    rng = np.random.default_rng(0)
    data = np.where(rng.random(400) < 0.3, 0, rng.poisson(2.5, 400))
    estimate = derivation.numpy()(x=data)

    def negative_log_likelihood(theta):
        return -np.sum(np.log(theta[0] * (data == 0) + (1 - theta[0]) * ss.poisson.pmf(data, theta[1])))

    oracle = optimize.minimize(negative_log_likelihood, [0.5, 1.0], method="Nelder-Mead",
                               options={"xatol": 1e-10, "fatol": 1e-12}).x
    assert (estimate["p"], estimate["lambda"]) == pytest.approx(tuple(oracle), rel=1e-6)


# --- entropy and cross-entropy of multivariate normals -------------------------------------------------------------
d = symml.dims("d")
S0, S1 = symml.matrix("S_0", d, d, symmetric=True), symml.matrix("S_1", d, d, symmetric=True)
m0, m1 = symml.vector("m_0", d), symml.vector("m_1", d)
P, Q = st.MultivariateNormal("X", m0, S0), st.MultivariateNormal("X", m1, S1)


def spd(size):
    A = RNG.normal(size=(size, size))
    return A @ A.T + np.eye(size)


def test_entropy_of_a_multivariate_normal_of_symbolic_dimension_cover_thomas_8_4_1():
    entropy = symml.derive.entropy(P)
    assert d in entropy.result.free_symbols  # matrix level: d stays a symbol
    for size in (1, 3, 20):
        mean, covariance = RNG.normal(size=size), spd(size)
        expected = ss.multivariate_normal(mean, covariance).entropy()
        assert float(entropy.numpy()(m_0=mean, S_0=covariance)) == pytest.approx(expected, rel=1e-10)


def test_cross_entropy_of_multivariate_normals_is_entropy_plus_kl_prml_1_6():
    cross = symml.derive.cross_entropy(P, Q).numpy()
    a, b, A, B = RNG.normal(size=4), RNG.normal(size=4), spd(4), spd(4)
    draws = RNG.multivariate_normal(a, A, size=400_000)
    log_q = ss.multivariate_normal(b, B).logpdf(draws)  # oracle: Monte Carlo −E_p[log q]
    assert float(cross(m_0=a, S_0=A, m_1=b, S_1=B)) == pytest.approx(-log_q.mean(), abs=5 * log_q.std() / 632)


# --- expectations of kinked functions -------------------------------------------------------------------------------
def test_expected_relu_of_a_normal_is_closed_and_matches_quadrature_d2l_gelu():
    # E[max(X, 0)] = μΦ(μ/σ) + σφ(μ/σ); it was left as a numeric integral after 37 s of trying
    sigma = sp.Symbol("sigma", positive=True)
    X = st.Normal("X", mu, sigma)
    derivation = symml.derive.expectation(X, sp.Max(X, 0))
    assert not derivation.result.has(sp.Integral)
    for m, s in ((1.0, 2.0), (-1.0, 0.5)):
        expected = integrate.quad(lambda z: max(z, 0.0) * ss.norm(m, s).pdf(z), -60, 60, points=[0.0])[0]
        assert float(derivation.numpy()(mu=m, sigma=s)) == pytest.approx(expected, rel=1e-8)


def test_expected_censored_waiting_time_min_t_c_wasserman_3():
    # E[min(T, c)] for T ~ Exponential(λ): the mean of a waiting time censored at c, (1 − e^{−λc})/λ
    lam, c = sp.Symbol("lambda", positive=True), sp.Symbol("c", positive=True)
    T = st.Exponential("T", lam)
    derivation = symml.derive.expectation(T, sp.Min(T, c))
    assert not derivation.result.has(sp.Integral)
    expected = sum(integrate.quad(lambda t: min(t, 0.7) * ss.expon(scale=0.5).pdf(t), *ends)[0]
                   for ends in ((0, 0.7), (0.7, np.inf)))
    assert float(derivation.numpy()(**{"lambda": 2.0, "c": 0.7})) == pytest.approx(expected, rel=1e-9)



# --- estimators ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def normal_mle():
    sigma = sp.Symbol("sigma", positive=True)
    return sigma, symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])


def test_variance_of_the_normal_variance_mle_is_exact_casella_berger_example_7_3_3(normal_mle):
    # σ̂² = mean((x − x̄)²) ~ σ²χ²_{n−1}/n: Var = 2(n − 1)σ⁴/n², MSE = (2n − 1)σ⁴/n² (it said 2σ⁴/n, "asymptotic",
    # and an MSE (2n + 1)σ⁴/n² mixing the exact bias with it)
    sigma, estimate = normal_mle
    variance = symml.derive.variance(estimate, sigma**2)
    assert "The variance is exact." in variance.remarks
    (mse,) = [step.math.rhs for step in variance.steps if step.title == "Mean squared error"]
    n = estimate.problem.sample_size
    for size in (2, 5, 40):
        law = ss.chi2(size - 1, scale=1.5**2 / size)  # oracle: the law of σ̂² at σ = 1.5
        assert float(variance.numpy()(sigma=1.5, n=size)) == pytest.approx(law.var(), rel=1e-12)
        expected_mse = law.var() + (law.mean() - 1.5**2) ** 2
        assert float(mse.subs({sigma: 1.5, n: size})) == pytest.approx(expected_mse, rel=1e-12)


def test_variance_of_the_plug_in_bernoulli_variance_is_exact_wasserman_9_exercise():
    # p̂(1 − p̂) is quadratic in the sample mean; oracle: the exact sum over the Binomial law of Σxᵢ
    p = sp.Symbol("p", positive=True)
    variance = symml.derive.variance(symml.derive.mle(st.Bernoulli("X", p)), p * (1 - p))
    k, n = np.arange(8), 7
    values, weights = k / n * (1 - k / n), ss.binom(n, 0.3).pmf(k)
    expected = weights @ values**2 - (weights @ values) ** 2
    assert float(variance.numpy()(p=0.3, n=n)) == pytest.approx(expected, rel=1e-12)


@pytest.fixture(scope="module")
def uniform_bound_mle():
    theta = sp.Symbol("theta", positive=True)
    return theta, symml.derive.mle(st.Uniform("X", 0, theta), wrt=[theta])


def test_bias_of_the_uniform_upper_bound_mle_is_exact_casella_berger_example_7_3_13(uniform_bound_mle):
    # θ̂ = x₍ₙ₎ and x₍ₙ₎/θ ~ Beta(n, 1): E[θ̂] = nθ/(n + 1); it was refused ("not a mean of i.i.d. terms")
    theta, estimate = uniform_bound_mle
    bias = symml.derive.bias(estimate, theta)
    assert "Unbiased correction: multiply the estimator by (n + 1)/n." in bias.remarks
    for n in (1, 4, 50):
        assert float(bias.numpy()(theta=2.0, n=n)) == pytest.approx(2.0 * ss.beta(n, 1).mean() - 2.0, rel=1e-12)


def test_variance_and_mse_of_the_uniform_upper_bound_mle_wasserman_9_exercise(uniform_bound_mle):
    theta, estimate = uniform_bound_mle
    variance, mse = (quantity(estimate, theta) for quantity in (symml.derive.variance, symml.derive.mse))
    assert any("No Cramér–Rao bound" in remark for remark in variance.remarks)  # the support moves with θ
    draws = 2.0 * RNG.beta(6, 1, size=(200_000,))  # Monte Carlo: x₍ₙ₎ of n = 6 draws from Uniform(0, 2)
    law = ss.beta(6, 1, scale=2.0)
    assert float(variance.numpy()(theta=2.0, n=6)) == pytest.approx(law.var(), rel=1e-12)
    assert float(mse.numpy()(theta=2.0, n=6)) == pytest.approx(np.mean((draws - 2.0) ** 2), rel=0.02)


def test_interval_for_the_uniform_upper_bound_is_exact_from_its_pivot_casella_berger_example_9_2_13(
        uniform_bound_mle):
    # it was a Wald interval x₍ₙ₎(1 ± z/√n), reaching below the sample maximum, where θ cannot lie
    theta, estimate = uniform_bound_mle
    interval = symml.derive.confidence_interval(estimate, theta, level=0.9).numpy()
    samples = RNG.uniform(0, 1.3, size=(4000, 5))  # oracle: coverage over simulated samples of n = 5
    ends = np.array([interval(x=sample) for sample in samples])
    assert np.all(ends[:, 0] >= samples.max(axis=1))
    covered = np.mean((ends[:, 0] <= 1.3) & (1.3 <= ends[:, 1]))
    assert covered == pytest.approx(0.9, abs=4 * np.sqrt(0.9 * 0.1 / 4000))


def test_a_wald_interval_is_refused_where_the_support_moves_with_the_parameter(uniform_bound_mle):
    theta, estimate = uniform_bound_mle
    with pytest.raises(symml.errors.UnsupportedOperationError, match="not asymptotically normal"):
        symml.derive.confidence_interval(estimate, theta, method="wald")


# --- discrete laws given by a table --------------------------------------------------------------------------------
def test_entropy_of_a_table_is_seven_quarters_of_a_bit_cover_thomas_example_2_1_2():
    # a FiniteRV's pmf is no single expression in x: it was refused ("cannot write the density")
    X = st.FiniteRV("X", {0: sp.Rational(1, 2), 1: sp.Rational(1, 4), 2: sp.Rational(1, 8), 3: sp.Rational(1, 8)})
    assert float(symml.derive.entropy(X).result) == pytest.approx(ss.entropy([1 / 2, 1 / 4, 1 / 8, 1 / 8], base=np.e))


def test_kl_between_two_tables_with_a_symbolic_probability_cover_thomas_example_2_3_1():
    q = sp.Symbol("q", positive=True)
    P = st.FiniteRV("P", {0: q, 1: 1 - q})
    Q = st.FiniteRV("Q", {0: sp.Rational(1, 3), 1: sp.Rational(2, 3)})
    kl = symml.derive.kl(P, Q).numpy()
    assert float(kl(q=0.25)) == pytest.approx(ss.entropy([0.25, 0.75], [1 / 3, 2 / 3]), rel=1e-12)


def test_variance_of_the_exponential_rate_mle_is_exact_from_the_gamma_sum_casella_berger_exercise_7_50():
    # λ̂ = n/S, S ~ Gamma(n, 1/λ): Var = n²λ²/((n − 1)²(n − 2)); oracle: scipy's inverse-gamma law of 1/S
    lam = sp.Symbol("lambda", positive=True)
    variance = symml.derive.variance(symml.derive.mle(st.Exponential("X", lam)), lam)
    assert "The variance is exact." in variance.remarks
    for n in (3, 5, 40):
        law = ss.invgamma(n, scale=2.0)  # 1/S for S ~ Gamma(n, rate λ = 2)
        assert float(variance.numpy()(**{"lambda": 2.0, "n": n})) == pytest.approx(n**2 * law.var(), rel=1e-12)


# --- problems that passed as posed (kept as specifications) ---------------------------------------------------------
def test_negative_binomial_success_probability_with_known_r_casella_berger_exercise_7_x():
    # SymPy's NegativeBinomial(r, p) has pmf C(x + r − 1, x) p^r (1 − p)^x; oracle: bounded Brent on the likelihood
    r, p = sp.Symbol("r", positive=True), sp.Symbol("p", positive=True)
    estimate = symml.derive.mle(st.NegativeBinomial("X", r, p), wrt=[p]).numpy()
    counts = RNG.negative_binomial(3, 0.4, 300).astype(float)
    best = optimize.minimize_scalar(lambda q: -np.sum(counts * np.log(1 - q) + 3 * np.log(q)), bounds=(1e-9, 1 - 1e-9),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert float(estimate(x=counts, r=3.0)["p"]) == pytest.approx(best, rel=1e-6)  # Brent: argmin to ~sqrt(eps)


def test_type_one_censored_exponential_rate_is_events_over_exposure_wasserman_survival():
    # ℓ(λ) = Σ δᵢ log λ − λ tᵢ over times censored at c (δᵢ = 1 for an observed event): λ̂ = Σδᵢ / Σtᵢ
    lam, n = sp.Symbol("lambda", positive=True), sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    t, delta = sp.IndexedBase("t", positive=True), sp.IndexedBase("delta", nonnegative=True)
    fit = symml.derive.maximize(sp.Sum(delta[i] * sp.log(lam) - lam * t[i], (i, 1, n)), lam).numpy()
    times = RNG.exponential(1 / 0.7, 60)
    observed, events = np.minimum(times, 2.0), (times <= 2.0).astype(float)
    loglik = lambda q: -(events.sum() * np.log(q) - q * observed.sum())  # noqa: E731 - oracle: Brent
    best = optimize.minimize_scalar(loglik, bounds=(1e-6, 50), method="bounded", options={"xatol": 1e-12}).x
    assert float(np.ravel(fit(t=observed, delta=events))[0]) == pytest.approx(best, rel=1e-6)  # Brent: ~sqrt(eps)
