"""Score intervals: the values of θ the score test does not reject, checked against a brute-force scan of the
score statistic built from SciPy's log-densities (the score by central differences, the Fisher information by
summing or integrating the squared score under SciPy's law), never from symml's own formulas."""
import functools

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings, strategies as hs
from scipy import integrate
from scipy.optimize import brentq

import symml
from symml.errors import UnsupportedOperationError

lam = sp.Symbol("lambda", positive=True)
p = sp.Symbol("p", positive=True)
theta = sp.Symbol("theta", real=True)
Z95 = float(ss.norm.ppf(0.975))


def scanned_interval(logpmf, information, sample, grid):
    """The ends of {θ on the grid : U(θ)² ≤ z² n I(θ)}, U by central differences of ``logpmf`` (vectorised)."""
    step = 1e-6
    t = grid[:, None]
    score = np.sum((logpmf(sample[None, :], t + step) - logpmf(sample[None, :], t - step)) / (2 * step), axis=1)
    inside = score ** 2 <= Z95 ** 2 * len(sample) * information(grid)
    return grid[inside].min(), grid[inside].max()


def poisson_information(rates):
    k = np.arange(0, 80)[None, :]  # the pmf beyond 80 is below 1e-40 at the rates scanned (≤ 8)
    rates = np.asarray(rates)[:, None]
    return np.sum((k / rates - 1) ** 2 * ss.poisson.pmf(k, rates), axis=1)


def bernoulli_information(q):
    return q * (1 / q) ** 2 + (1 - q) * (1 / (1 - q)) ** 2


@functools.cache
def interval_of(model, parameter):
    return symml.derive.confidence_interval(symml.derive.mle(model), parameter, method="score").numpy()


def test_poisson_score_interval_matches_a_scan_of_the_score_statistic():
    sample = np.array([3, 5, 2, 7, 1, 4])
    grid = np.linspace(1.0, 8.0, 35001)
    expected = scanned_interval(ss.poisson.logpmf, poisson_information, sample, grid)
    assert interval_of(st.Poisson("X", lam), lam)(x=sample) == pytest.approx(expected, abs=4e-4)


def test_poisson_with_no_events_has_the_interval_from_zero_not_the_point_zero():
    # Wald gives [0, 0] here; the score test does not reject small rates
    sample = np.zeros(8, dtype=int)
    grid = np.linspace(1e-6, 2.0, 20001)
    _, upper = scanned_interval(lambda k, r: ss.poisson.logpmf(k, r), poisson_information, sample, grid)
    lower, found = interval_of(st.Poisson("X", lam), lam)(x=sample)
    assert lower == 0.0 and found == pytest.approx(upper, abs=2e-4)


def test_bernoulli_score_interval_matches_a_scan_and_stays_in_the_unit_interval():
    sample = np.array([1, 1, 1, 1, 1])  # Wald gives the point [1, 1]
    grid = np.linspace(1e-6, 1 - 1e-6, 100001)
    expected_lower, _ = scanned_interval(ss.bernoulli.logpmf, bernoulli_information, sample, grid)
    lower, upper = interval_of(st.Bernoulli("X", p), p)(x=sample)
    assert lower == pytest.approx(expected_lower, abs=2e-5) and upper == 1.0


def test_cauchy_location_is_solved_numerically_and_matches_a_scan():
    # the Cauchy score 2(x − θ)/(1 + (x − θ)²) mixes x and θ: no closed form in sample means; I(θ) = 1/2 is derived
    sample = np.array([1.0, 3.0, 2.0, 1.0, -0.5, 2.5, 1.7])
    ci = symml.derive.confidence_interval(symml.derive.mle(st.Cauchy("X", theta, 1)), theta, method="score")
    assert "numerically at call time" in " ".join(ci.remarks)
    information = integrate.quad(lambda t: (2 * t / (1 + t * t)) ** 2 * ss.cauchy.pdf(t), -np.inf, np.inf)[0]
    grid = np.linspace(-1.0, 4.0, 50001)
    expected = scanned_interval(ss.cauchy.logpdf, lambda t: np.full_like(t, information), sample, grid)
    assert ci.numpy()(x=sample) == pytest.approx(expected, abs=2e-4)


def test_poisson_score_interval_is_written_in_closed_form():
    ci = symml.derive.confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="score")
    lower, upper = ci.result
    assert not isinstance(lower, sp.Equality) and not lower.has(sp.Integral) and lower != upper


def test_score_interval_of_one_of_several_parameters_is_refused_clearly():
    mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    estimate = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
    with pytest.raises(UnsupportedOperationError, match="profile score"):
        symml.derive.confidence_interval(estimate, mu, method="score")


def test_score_interval_coverage_by_simulation_passes_verify():
    ci = symml.derive.confidence_interval(symml.derive.mle(st.Poisson("X", lam)), lam, method="score")
    assert ci.verify(values={"lambda": 0.7}, size=60, replications=600).passed


@settings(max_examples=25, deadline=None)
@given(hs.lists(hs.integers(0, 1), min_size=1, max_size=40))
def test_bernoulli_score_interval_holds_the_estimate_inside_the_unit_interval(flips):
    lower, upper = interval_of(st.Bernoulli("X", p), p)(x=flips)
    estimate = float(np.mean(flips))
    assert 0.0 <= lower <= estimate <= upper <= 1.0 and upper - lower > 0.0


def test_a_root_outside_the_domain_leaves_the_domain_end():
    # Geometric, x̄ = 1 and n = 3: the score equation's root 1 − z²/n = −0.28 lies outside (0, 1]; the score test
    # rejects no p there, so the interval is the whole domain (symml returned −0.28 as the lower end)
    grid = np.linspace(1e-4, 1 - 1e-4, 9999)
    information = lambda q: 1 / (q ** 2 * (1 - q))  # noqa: E731  (the geometric's, summed below as a check)
    k = np.arange(1, 4000)[None, :]
    assert information(0.4) == pytest.approx(np.sum((1 / 0.4 - (k - 1) / 0.6) ** 2 * ss.geom.pmf(k, 0.4)), rel=1e-9)
    expected = scanned_interval(ss.geom.logpmf, information, np.array([1, 1, 1]), grid)
    assert expected == (grid[0], grid[-1])
    assert interval_of(st.Geometric("X", p), p)(x=[1, 1, 1]) == (0.0, 1.0)


# the ends found numerically at call time are the result's pair (s_L, s_U): a monotone map carries them (this raised
# a raw TypeError, the score equation squared). Oracle: the score statistic from the Cauchy's log-density by hand,
# U(s) = Σ 1/s − 2s/(s² + x²), I(s) = 1/(2s²), its roots by brentq
def test_a_numerically_found_score_interval_maps_through_a_monotone_function():
    scale = sp.Symbol("s", positive=True)
    x = np.array([0.3, -1.2, 2.0, 0.7, -0.4])
    statistic = lambda s: np.sum(1 / s - 2 * s / (s ** 2 + x ** 2)) ** 2 - Z95 ** 2 * len(x) / (2 * s ** 2)  # noqa: E731
    estimate = symml.derive.mle(st.Cauchy("X", 0, scale), wrt=[scale])
    centre = estimate.numpy()(x)["s"]
    expected = (brentq(statistic, 0.05, centre) ** 2, brentq(statistic, centre, 10) ** 2)
    interval = symml.derive.confidence_interval(estimate, scale ** 2, method="score").numpy()
    assert interval(x=x) == pytest.approx(expected, rel=1e-6)


def test_laplace_location_typed_without_assumptions_gives_the_sign_test_interval():
    # Symbol("theta") is complex to SymPy: its score held re(θ), im(θ) and numpy() had no function for them
    untyped = sp.Symbol("theta")
    sample = np.array([1.0, 2.0, 10.0, 1.5, 0.3, 0.9, 1.1, 2.5, -0.4])
    lower, upper = symml.derive.confidence_interval(symml.derive.mle(st.Laplace("X", untyped, 1)), untyped,
                                                    method="score").numpy()(x=sample)
    grid = np.linspace(-2.0, 12.0, 14001)
    score = np.sign(sample[None, :] - grid[:, None]).sum(axis=1)  # ∂/∂θ of −|x − θ|, summed
    inside = grid[score ** 2 <= Z95 ** 2 * sample.size]  # I(θ) = 1 for the unit-scale Laplace
    assert (lower, upper) == pytest.approx((inside.min(), inside.max()), abs=2e-3)
