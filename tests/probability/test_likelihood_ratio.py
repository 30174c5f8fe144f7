"""Likelihood-ratio intervals and tests, and exact intervals of discrete families, checked against independent
computations: the deviance rebuilt from SciPy's log-densities with the nuisance parameters maximised by
scipy.optimize, its ends by a grid scan refined with brentq; SciPy's Clopper–Pearson interval
(``binomtest(...).proportion_ci(method="exact")``) and Garwood's chi-square quantiles; coverage by simulation or by
summing the exact law of the sum."""
import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy.optimize import brentq, minimize_scalar

import symml
from symml.errors import ParameterError, UnsupportedOperationError

mu, mu0 = sp.Symbol("mu", real=True), sp.Symbol("mu0", real=True)
sigma = sp.Symbol("sigma", positive=True)
k, r = sp.Symbol("k", positive=True), sp.Symbol("r", positive=True)
lam, p = sp.Symbol("lambda", positive=True), sp.Symbol("p", positive=True)
trials = sp.Symbol("N", positive=True, integer=True)
CHI2_95 = float(ss.chi2.ppf(0.95, 1))
SAMPLE = np.array([0.5, 1.5, 2.5, 1.0, 0.3, 2.2, 0.9, 1.7])


@functools.lru_cache(maxsize=None)
def normal_fit():
    return symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])


@functools.lru_cache(maxsize=None)
def gamma_fit():
    return symml.derive.mle(st.Gamma("X", k, 1 / r), wrt=[k, r])


@functools.lru_cache(maxsize=None)
def poisson_fit():
    return symml.derive.mle(st.Poisson("X", lam))


@functools.lru_cache(maxsize=None)
def bernoulli_fit():
    return symml.derive.mle(st.Bernoulli("X", p))


_DERIVED: dict = {}  # {(fit, parameter, method): interval}: the fits are derived once each (lru_cache above)


def interval_derivation(fit, parameter, method):
    key = (id(fit), parameter, method)
    if key not in _DERIVED:
        _DERIVED[key] = symml.derive.confidence_interval(fit, parameter, method=method)
    return _DERIVED[key]


def lr_interval(fit, parameter):
    return interval_derivation(fit, parameter, "likelihood_ratio").numpy()


def exact_interval(fit, parameter):
    return interval_derivation(fit, parameter, "exact")


def profiled(log_likelihood, nuisance_bounds):
    """max over the nuisance parameter (on a log scale) of log_likelihood(held, nuisance), by bounded Brent."""
    def at(held):
        found = minimize_scalar(lambda u: -log_likelihood(held, np.exp(u)), bounds=nuisance_bounds,
                                method="bounded", options={"xatol": 1e-12})
        return -found.fun
    return at


def scanned_ends(deviance, grid):
    """The ends of {θ : D(θ) ≤ χ²₁} from a grid scan, each refined by brentq between its grid neighbours."""
    values = np.array([deviance(t) for t in grid]) - CHI2_95
    inside = np.flatnonzero(values <= 0)
    first, last = inside[0], inside[-1]
    low = grid[0] if first == 0 else brentq(lambda t: deviance(t) - CHI2_95, grid[first - 1], grid[first])
    high = grid[-1] if last == len(grid) - 1 else brentq(lambda t: deviance(t) - CHI2_95, grid[last], grid[last + 1])
    return low, high


# D(μ) = 2(ℓ(μ̂, σ̂) − max_σ ℓ(μ, σ)): σ profiled out by scipy, not by the derived σ̂(μ)
def test_normal_mean_with_sigma_unknown_matches_the_scanned_profile_deviance():
    full = np.sum(ss.norm.logpdf(SAMPLE, SAMPLE.mean(), SAMPLE.std()))
    profile = profiled(lambda m, s: np.sum(ss.norm.logpdf(SAMPLE, m, s)), (-5, 3))
    expected = scanned_ends(lambda m: 2 * (full - profile(m)), np.linspace(0, 3, 61))
    assert lr_interval(normal_fit(), mu)(x=SAMPLE) == pytest.approx(expected, abs=1e-6)


# σ with μ profiled out (μ̂ = x̄ at every σ), and σ² through the monotone map: the scan's ends squared
def test_normal_sigma_and_sigma_squared_match_the_scanned_profile_deviance():
    full = np.sum(ss.norm.logpdf(SAMPLE, SAMPLE.mean(), SAMPLE.std()))
    profile = lambda s: np.max([np.sum(ss.norm.logpdf(SAMPLE, m, s))  # noqa: E731
                                for m in (SAMPLE.mean(), minimize_scalar(lambda m: -np.sum(ss.norm.logpdf(
                                    SAMPLE, m, s))).x)])
    low, high = scanned_ends(lambda s: 2 * (full - profile(s)), np.linspace(0.2, 3, 57))
    assert lr_interval(normal_fit(), sigma)(x=SAMPLE) == pytest.approx((low, high), rel=1e-6)
    squared = symml.derive.confidence_interval(normal_fit(), sigma**2, method="likelihood_ratio").numpy()
    assert squared(x=SAMPLE) == pytest.approx((low**2, high**2), rel=1e-6)


def test_normal_mean_shows_the_profile_and_the_deviance_in_closed_form():
    ci = symml.derive.confidence_interval(normal_fit(), mu, method="likelihood_ratio")
    titles = [step.title for step in ci.steps]
    assert titles[:4] == ["Log-likelihood", "Profile out the nuisance parameters", "Profile log-likelihood",
                          "Deviance"]
    assert not ci.steps[3].math.rhs.has(sp.Function("ell_p"))


def test_gamma_shape_with_its_rate_profiled_matches_the_scanned_profile_deviance():
    shape, _, scale = ss.gamma.fit(SAMPLE, floc=0)
    full = np.sum(ss.gamma.logpdf(SAMPLE, shape, scale=scale))
    profile = profiled(lambda a, rate: np.sum(ss.gamma.logpdf(SAMPLE, a, scale=1 / rate)), (-8, 8))
    expected = scanned_ends(lambda a: 2 * (full - profile(a)), np.linspace(0.2, 12, 60))
    assert lr_interval(gamma_fit(), k)(x=SAMPLE) == pytest.approx(expected, rel=1e-5)


# the shape at a fixed rate solves ψ(k) = log r + mean(log x): no closed form, maximised numerically (said)
def test_gamma_rate_with_the_shape_profiled_numerically_matches_the_scan_and_says_so():
    shape, _, scale = ss.gamma.fit(SAMPLE, floc=0)
    full = np.sum(ss.gamma.logpdf(SAMPLE, shape, scale=scale))
    profile = profiled(lambda rate, a: np.sum(ss.gamma.logpdf(SAMPLE, a, scale=1 / rate)), (-8, 8))
    expected = scanned_ends(lambda rate: 2 * (full - profile(rate)), np.linspace(0.1, 12, 60))
    ci = symml.derive.confidence_interval(gamma_fit(), r, method="likelihood_ratio")
    assert ci.numpy()(x=SAMPLE) == pytest.approx(expected, rel=1e-4)
    assert any("numerically" in remark for remark in ci.remarks)


# for every Poisson sample: the ends hold x̄ between them, and SciPy's deviance is χ²₁ at each (0 at a zero end)
@settings(max_examples=25, deadline=None)
@given(hs.lists(hs.integers(0, 12), min_size=1, max_size=15))
def test_poisson_interval_ends_are_where_scipys_deviance_is_the_quantile(counts):
    x = np.array(counts)
    low, high = lr_interval(poisson_fit(), lam)(x=x)
    deviance = lambda t: 2 * (np.sum(ss.poisson.logpmf(x, x.mean())) - np.sum(ss.poisson.logpmf(x, t)))  # noqa: E731
    assert low <= x.mean() <= high
    assert deviance(high) == pytest.approx(CHI2_95, rel=1e-7)
    assert low == 0.0 if x.sum() == 0 else deviance(low) == pytest.approx(CHI2_95, rel=1e-7)


# no events: D(λ) = 2nλ, so the upper end is χ²₁/(2n) and the lower end the domain's, 0
def test_poisson_without_events_reaches_zero_and_chi_square_over_2n():
    assert lr_interval(poisson_fit(), lam)(x=[0, 0, 0, 0]) == pytest.approx((0.0, CHI2_95 / 8), abs=1e-9)


def test_poisson_rate_matches_the_scanned_deviance_of_scipys_log_pmf():
    x = np.array([1, 3, 0, 2, 4])
    deviance = lambda t: 2 * (np.sum(ss.poisson.logpmf(x, x.mean())) - np.sum(ss.poisson.logpmf(x, t)))  # noqa: E731
    expected = scanned_ends(deviance, np.linspace(0.01, 6, 120))
    assert lr_interval(poisson_fit(), lam)(x=x) == pytest.approx(expected, abs=1e-7)


# all successes: D(p) = −2n log p, the upper end is the domain's, 1
def test_bernoulli_with_all_successes_reaches_one():
    deviance = lambda t: -2 * np.sum(ss.bernoulli.logpmf([1, 1, 1], t))  # noqa: E731
    expected = scanned_ends(deviance, np.linspace(0.01, 1, 100))
    assert lr_interval(bernoulli_fit(), p)(x=[1, 1, 1]) == pytest.approx(expected, abs=1e-7)


# the Cauchy's log-density mixes x and θ: the log-likelihood is summed from it at call time
def test_cauchy_location_matches_the_scanned_deviance():
    theta = sp.Symbol("theta", real=True)
    x = np.array([0.1, 2.0, -1.0, 0.5, 0.8, 0.3])
    fit = symml.derive.mle(st.Cauchy("X", theta, 1))
    centre = fit.numpy()(x)["theta"]
    deviance = lambda t: 2 * (np.sum(ss.cauchy.logpdf(x, centre)) - np.sum(ss.cauchy.logpdf(x, t)))  # noqa: E731
    expected = scanned_ends(deviance, np.linspace(-3, 4, 141))
    assert lr_interval(fit, theta)(x=x) == pytest.approx(expected, abs=1e-6)


def test_normal_mean_interval_covers_at_the_level_in_simulation():
    rng = np.random.default_rng(5)
    interval = lr_interval(normal_fit(), mu)
    hits = np.mean([low <= 1.0 <= high for low, high in (interval(x=rng.normal(1.0, 2.0, 40)) for _ in range(300))])
    assert abs(hits - 0.95) < 4 * np.sqrt(0.95 * 0.05 / 300) + 0.02  # + O(1/n) for an asymptotic interval


def test_verify_simulates_the_coverage_of_the_poisson_rate_interval():
    report = interval_derivation(poisson_fit(), lam, "likelihood_ratio").verify(size=40, replications=300)
    assert report.passed


def test_a_support_moving_with_the_parameter_is_refused():
    theta = sp.Symbol("theta", positive=True)
    with pytest.raises(UnsupportedOperationError, match="support depends"):
        symml.derive.confidence_interval(symml.derive.mle(st.Uniform("X", 0, theta)), theta,
                                         method="likelihood_ratio")


# Λ = 2(ℓ(θ̂) − ℓ(θ̂₀)) against SciPy's log-densities with the restricted MLE found by scipy.optimize
def test_gamma_shape_one_statistic_and_p_value_match_scipy():
    shape, _, scale = ss.gamma.fit(SAMPLE, floc=0)
    full = np.sum(ss.gamma.logpdf(SAMPLE, shape, scale=scale))
    restricted = profiled(lambda a, rate: np.sum(ss.gamma.logpdf(SAMPLE, a, scale=1 / rate)), (-8, 8))(1.0)
    statistic, p_value = symml.derive.likelihood_ratio_test(gamma_fit(), null={k: 1}).numpy()(x=SAMPLE)
    assert statistic == pytest.approx(2 * (full - restricted), rel=1e-7)
    assert p_value == pytest.approx(ss.chi2.sf(2 * (full - restricted), 1), rel=1e-6)


def test_gamma_rate_one_with_the_shape_profiled_numerically_matches_scipy():
    shape, _, scale = ss.gamma.fit(SAMPLE, floc=0)
    full = np.sum(ss.gamma.logpdf(SAMPLE, shape, scale=scale))
    restricted = profiled(lambda rate, a: np.sum(ss.gamma.logpdf(SAMPLE, a, scale=1 / rate)), (-8, 8))(1.0)
    statistic, _ = symml.derive.likelihood_ratio_test(gamma_fit(), null={"r": 1}).numpy()(x=SAMPLE)
    assert statistic == pytest.approx(2 * (full - restricted), rel=1e-6)


# H₀: μ = 0, σ = 1 fixes both: two degrees of freedom (Wilks)
def test_a_null_fixing_two_parameters_has_two_degrees_of_freedom():
    full = np.sum(ss.norm.logpdf(SAMPLE, SAMPLE.mean(), SAMPLE.std()))
    expected = 2 * (full - np.sum(ss.norm.logpdf(SAMPLE, 0, 1)))
    test = symml.derive.likelihood_ratio_test(normal_fit(), null={mu: 0, sigma: 1})
    statistic, p_value = test.numpy()(x=SAMPLE)
    assert statistic == pytest.approx(expected, rel=1e-9) and p_value == pytest.approx(ss.chi2.sf(expected, 2))


# the derived statistic, lambdified, against SciPy: 2(Σ log p(x; x̄) − Σ log p(x; λ₀)) for the Poisson
def test_poisson_statistic_is_derived_in_the_sample_mean():
    x = np.array([4, 5, 3, 6])
    test = symml.derive.likelihood_ratio_test(poisson_fit(), null={lam: 2})
    symbols = {s.name: s for s in test.result.free_symbols}
    assert set(symbols) == {"n", "mean(x)"}
    value = float(test.result.subs({symbols["mean(x)"]: x.mean(), symbols["n"]: len(x)}))
    expected = 2 * (np.sum(ss.poisson.logpmf(x, x.mean())) - np.sum(ss.poisson.logpmf(x, 2)))
    assert value == pytest.approx(expected, rel=1e-12)


def test_a_symbolic_null_value_is_passed_by_name():
    full = np.sum(ss.norm.logpdf(SAMPLE, SAMPLE.mean(), SAMPLE.std()))
    restricted = np.sum(ss.norm.logpdf(SAMPLE, 0.5, np.sqrt(np.mean((SAMPLE - 0.5) ** 2))))
    statistic, _ = symml.derive.likelihood_ratio_test(normal_fit(), null={mu: mu0}).numpy()(x=SAMPLE, mu0=0.5)
    assert statistic == pytest.approx(2 * (full - restricted), rel=1e-9)


def test_the_test_rejects_at_its_size_under_the_null_in_simulation():
    rng = np.random.default_rng(11)
    test = symml.derive.likelihood_ratio_test(poisson_fit(), null={lam: 2}).numpy()
    rejected = np.mean([test(x=rng.poisson(2.0, 30))[1] < 0.05 for _ in range(400)])
    assert abs(rejected - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 400) + 0.01


@pytest.mark.parametrize("null, match", [({}, "null hypothesis"), ({sigma: -1}, "outside its domain"),
                                         ({"nu": 1}, "not a parameter")])
def test_a_bad_null_is_refused_by_name(null, match):
    with pytest.raises(ParameterError, match=match):
        symml.derive.likelihood_ratio_test(normal_fit(), null=null)


def test_a_typed_null_value_is_read_not_run():
    with pytest.raises(symml.errors.SymmlError):
        symml.derive.likelihood_ratio_test(normal_fit(), null={mu: "__import__('os').getcwd()"})
    statistic, _ = symml.derive.likelihood_ratio_test(normal_fit(), null={"mu": "1/2"}).numpy()(x=SAMPLE)
    assert statistic == pytest.approx(symml.derive.likelihood_ratio_test(normal_fit(), null={mu: 0.5}).numpy()(
        x=SAMPLE)[0], rel=1e-12)


# Clopper–Pearson: SciPy's exact binomial interval, including no successes and all successes
@pytest.mark.parametrize("successes, size", [(5, 8), (0, 3), (3, 3), (1, 12)])
def test_bernoulli_exact_interval_is_clopper_pearson(successes, size):
    x = [1] * successes + [0] * (size - successes)
    ci = exact_interval(bernoulli_fit(), p).numpy()(x=x)
    expected = ss.binomtest(successes, size).proportion_ci(method="exact")
    assert ci == pytest.approx((expected.low, expected.high), abs=1e-9)


# Garwood: [χ²_{2s, α/2}/(2n), χ²_{2s+2, 1−α/2}/(2n)], lower 0 at s = 0
@pytest.mark.parametrize("x", [[0, 0, 0], [1, 0, 0, 0], [2, 0, 3, 1, 1]])
def test_poisson_exact_interval_is_garwoods(x):
    s, n = sum(x), len(x)
    low = ss.chi2.ppf(0.025, 2 * s) / (2 * n) if s else 0.0
    expected = (low, ss.chi2.ppf(0.975, 2 * s + 2) / (2 * n))
    ci = exact_interval(poisson_fit(), lam)
    assert ci.numpy()(x=x) == pytest.approx(expected, abs=1e-9)
    assert [step.math.rhs for step in ci.steps[:2]][1].func.__name__ == "Poisson"


def test_binomial_trials_sum_to_a_binomial_and_invert_like_clopper_pearson():
    fit = symml.derive.mle(st.Binomial("X", trials, p), wrt=[p])
    ci = symml.derive.confidence_interval(fit, p, method="exact")
    expected = ss.binomtest(8, 15).proportion_ci(method="exact")
    assert ci.numpy()(x=[3, 4, 1], N=5) == pytest.approx((expected.low, expected.high), abs=1e-9)


# coverage ≥ level for every p: summed over the exact Binomial law of the number of successes, not simulated
@pytest.mark.parametrize("truth", [0.05, 0.3, 0.62])
def test_exact_bernoulli_interval_covers_at_least_the_level(truth):
    interval = exact_interval(bernoulli_fit(), p).numpy()
    size = 10
    covered = [s for s in range(size + 1)
               if (lambda ends: ends[0] <= truth <= ends[1])(interval(x=[1] * s + [0] * (size - s)))]
    assert ss.binom.pmf(covered, size, truth).sum() >= 0.95
