"""A log-density typed by cases (k = 0 and k > 0): the sums of each case normalise into sample statistics, the
fraction of observations in the case and the sums of the data over it, so a parameter that only one case holds
separates and is solved in closed form by the same engine path as every other score.

PyMC's HurdlePoisson (https://www.pymc.io/projects/docs/en/stable/api/distributions/generated/pymc.HurdlePoisson.html):
f(0) = 1 − ψ, f(k) = ψ μᵏe^{−μ}/(k!(1 − e^{−μ})) for k ≥ 1. The k = 0 case holds only ψ, so ψ̂ = 1 − (zeros)/n;
μ solves the truncated-Poisson equation μ/(1 − e^{−μ}) = mean(k)/(1 − zeros/n): μ̂ = λ + W₀(−λe^{−λ}), λ that ratio.
Oracles: NumPy counts; scipy.optimize on the NumPy log-likelihood.
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from scipy import optimize

import symml

K = sp.Symbol("k", integer=True, nonnegative=True)
PSI, MU, P = (sp.Symbol(name, positive=True) for name in ("psi", "mu", "p"))


def sample_generator(*key: float) -> np.random.Generator:
    """A generator of its own for each test and parameters: the data do not depend on which tests ran before in the
    process (pytest-xdist's order varies from run to run)."""
    return np.random.default_rng([20261127, *(int(1000 * k) for k in key)])


def by_cases(zero: sp.Expr, positive: sp.Expr) -> symml.Model:
    return symml.Model(logpdf=sp.Piecewise((zero, sp.Eq(K, 0)), (positive, True)), data=K, support=sp.Range(0, sp.oo))


def hurdle_poisson() -> symml.Model:
    return by_cases(sp.log(1 - PSI),
                    sp.log(PSI) + K * sp.log(MU) - MU - sp.loggamma(K + 1) - sp.log(1 - sp.exp(-MU)))


def hurdle_geometric() -> symml.Model:
    """f(0) = 1 − ψ, f(k) = ψ p(1 − p)^{k−1} for k ≥ 1."""
    return by_cases(sp.log(1 - PSI), sp.log(PSI) + sp.log(P) + (K - 1) * sp.log(1 - P))


def zero_inflated_poisson() -> symml.Model:
    """f(0) = 1 − ψ + ψe^{−μ}, f(k) = ψ μᵏe^{−μ}/k! for k ≥ 1 (ψ the probability of the Poisson part)."""
    return by_cases(sp.log(1 - PSI + PSI * sp.exp(-MU)), sp.log(PSI) + K * sp.log(MU) - MU - sp.loggamma(K + 1))


def two_hurdles() -> symml.Model:
    """Three cases: f(0) = a, f(1) = (1 − a)b, f(k) = (1 − a)(1 − b) Poisson(k − 2 | μ) for k ≥ 2. SymPy joins the
    zeros of the last branch's split into one case k = 0 or k = 1."""
    a, b = sp.Symbol("a", positive=True), sp.Symbol("b", positive=True)
    logpmf = sp.Piecewise((sp.log(a), sp.Eq(K, 0)), (sp.log(1 - a) + sp.log(b), sp.Eq(K, 1)),
                          (sp.log(1 - a) + sp.log(1 - b) + (K - 2) * sp.log(MU) - MU - sp.loggamma(K - 1), True))
    return symml.Model(logpdf=logpmf, data=K, support=sp.Range(0, sp.oo))


def hurdle_poisson_logpmf(k, psi, mu):
    return np.where(k == 0, np.log1p(-psi), np.log(psi) + ss.poisson.logpmf(k, mu) - np.log(-np.expm1(-mu)))


def zero_inflated_poisson_logpmf(k, psi, mu):
    return np.where(k == 0, np.log(1 - psi + psi * np.exp(-mu)), np.log(psi) + ss.poisson.logpmf(k, mu))


def hurdle_sample(psi: float, mu: float, size: int) -> np.ndarray:
    """Zeros with probability 1 − ψ, else a Poisson draw conditioned on k ≥ 1 (redrawn until positive)."""
    generator = sample_generator(psi, mu, size)
    positive = generator.poisson(mu, size=size)
    while np.any(positive == 0):
        positive[positive == 0] = generator.poisson(mu, size=np.count_nonzero(positive == 0))
    return np.where(generator.uniform(size=size) < psi, positive, 0)


def maximise(logpmf, data: np.ndarray) -> tuple[float, float]:
    """(ψ, μ) maximising the NumPy log-likelihood, by Nelder–Mead in (log ψ, log μ) over every ψ > 0 where the pmf
    is one (a zero-inflated Poisson with fewer zeros than a Poisson has ψ > 1, down to 1 − ψ + ψe^{−μ} = 0)."""
    def negative(z):
        with np.errstate(all="ignore"):
            total = -np.sum(logpmf(data, np.exp(z[0]), np.exp(z[1])))
        return total if np.isfinite(total) else np.inf

    z = optimize.minimize(negative, [np.log(0.5), np.log(data.mean() + 0.5)], method="Nelder-Mead",
                          options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 4000}).x
    return np.exp(z[0]), np.exp(z[1])


@pytest.fixture(scope="module")
def hurdle():
    return symml.derive.mle(hurdle_poisson())


@pytest.fixture(scope="module")
def zip_derivation():
    return symml.derive.mle(zero_inflated_poisson())


def test_hurdle_probability_and_rate_are_derived_in_closed_form_the_rate_through_lambert_w(hurdle):
    # the truncated-Poisson equation μ/(1 − e^{−μ}) = λ, expanded, solves as μ̂ = λ + W₀(−λe^{−λ}) (before: left
    # numeric); the estimates against scipy's maximum: the tests below
    assert set(hurdle.problem.estimators) == {PSI, MU}
    assert hurdle.problem.estimators[MU].has(sp.LambertW) and not hurdle.problem.estimators[PSI].has(sp.LambertW)


@pytest.mark.parametrize("psi, mu", [(0.7, 3.0), (0.2, 0.4), (0.95, 12.0)])
def test_hurdle_probability_is_the_fraction_of_positive_counts(hurdle, psi, mu):
    data = hurdle_sample(psi, mu, 500)
    assert hurdle.numpy()(k=data)["psi"] == pytest.approx(np.count_nonzero(data) / data.size, rel=1e-14)


@pytest.mark.parametrize("psi, mu", [(0.7, 3.0), (0.2, 0.4), (0.95, 12.0)])
def test_hurdle_mle_of_both_parameters_maximises_the_numpy_log_likelihood(hurdle, psi, mu):
    data = hurdle_sample(psi, mu, 500)
    found = hurdle.numpy()(k=data)
    assert (found["psi"], found["mu"]) == pytest.approx(maximise(hurdle_poisson_logpmf, data), rel=1e-6)


def test_hurdle_geometric_has_both_estimators_in_closed_form():
    """p̂ = (positive counts)/Σk: the geometric part's score also separates once its sums are statistics."""
    derivation = symml.derive.mle(hurdle_geometric())
    assert set(derivation.problem.estimators) == {PSI, P}
    generator = sample_generator(0.6, 0.3)
    data = np.where(generator.uniform(size=400) < 0.6, generator.geometric(0.3, size=400), 0)
    found = derivation.numpy()(k=data)
    assert (found["psi"], found["p"]) == pytest.approx(
        (np.count_nonzero(data) / data.size, np.count_nonzero(data) / data.sum()), rel=1e-13)


@pytest.mark.filterwarnings("error::numpy.exceptions.ComplexWarning")  # SciPy's lambertw is complex: float() warned
@pytest.mark.parametrize("psi, mu", [(0.7, 3.0), (0.3, 0.5), (0.9, 40.0), (0.5, 600.0)])
def test_zero_inflated_poisson_mle_maximises_the_numpy_log_likelihood(zip_derivation, psi, mu):
    """Mixing at 0 keeps ψ and μ together in the k = 0 case: ψ does not separate, and the estimates are the joint
    maximum (at μ = 600 the e^{−μ} of the zero case underflows)."""
    generator = sample_generator(psi, mu)
    data = np.where(generator.uniform(size=500) < psi, generator.poisson(mu, size=500), 0)
    found = zip_derivation.numpy()(k=data)
    assert (found["psi"], found["mu"]) == pytest.approx(maximise(zero_inflated_poisson_logpmf, data), rel=1e-6)


def test_zero_inflated_poisson_mle_with_fewer_zeros_than_a_poisson(zip_derivation):
    """300 zeros in 500 where a Poisson of mean 0.41 has 332: the maximum has ψ̂ = 8.3 > 1 (zero-deflated), μ̂ = 0.05,
    mean(k)/(1 − zeros/n) = 1.025 near the branch point of the Lambert W the estimate is written with."""
    data = np.array([0] * 300 + [1] * 195 + [2] * 5)
    found = zip_derivation.numpy()(k=data)
    assert (found["psi"], found["mu"]) == pytest.approx(maximise(zero_inflated_poisson_logpmf, data), rel=1e-6)


@pytest.mark.filterwarnings("error::numpy.exceptions.ComplexWarning")
@pytest.mark.parametrize("ones", [199, 1999])
def test_zero_inflated_poisson_rate_near_the_branch_point_solves_the_truncated_poisson_equation(zip_derivation, ones):
    """One 2 among the positive counts: λ = mean(k)/(1 − zeros/n) = 1 + 1/(ones + 1), W(−λe^{−λ}) near −1/e where
    W loses half the digits of its argument. μ̂ = λ(1 − e^{−μ̂}) by brentq; ψ̂ μ̂ = mean(k)."""
    data = np.array([0] * 300 + [1] * ones + [2])
    ratio = data.mean() / (np.count_nonzero(data) / data.size)
    rate = optimize.brentq(lambda u: u + ratio * np.expm1(-u), 1e-300, 10 * ratio, xtol=1e-300, rtol=1e-15)
    found = zip_derivation.numpy()(k=data)
    assert (found["mu"], found["psi"]) == pytest.approx((rate, data.mean() / rate), rel=1e-8)


@pytest.mark.parametrize("ones, twos", [(20_000, 1), (1_000_000, 1)], ids=["lambda-1=5e-5", "lambda-1=1e-6"])
def test_zero_inflated_poisson_rate_keeps_its_digits_next_to_the_branch_point(zip_derivation, ones, twos):
    """λ = mean(k)/(1 − zeros/n) = 1 + 5e-5 and 1 + 1e-6: μ̂ = λ + W₀(−λe^{−λ}) lost 3e-8 and 6e-5 of its value to
    the rounding of W's argument. Oracle: the truncated-Poisson equation μ = λ(1 − e^{−μ}) by mpmath at 50 digits,
    λ from the exact counts; the floor is λ's own rounding in floats, 1e-16/(λ − 1)."""
    data = np.array([0] * 300 + [1] * ones + [2] * twos)
    with mpmath.workdps(50):
        ratio = mpmath.mpf(ones + 2 * twos) / (ones + twos)
        rate = mpmath.findroot(lambda u: u - ratio * (1 - mpmath.exp(-u)), 2 * (ratio - 1))
        expected = float(rate)
    assert zip_derivation.numpy()(k=data)["mu"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("ones", [1000, 1_000_000])
def test_zero_inflated_poisson_whose_positive_counts_are_all_one_has_its_rate_on_the_edge(zip_derivation, ones):
    """Every positive count 1: λ = 1, μ̂ = λ + W₀(−λe^{−λ}) = 0, the edge (the formula gave 1.2e-8, or nan). Oracle:
    the NumPy log-likelihood on the profile ψμ = mean(k) keeps increasing as μ → 0 (no maximum inside)."""
    data = np.array([0] * 300 + [1] * ones)
    with pytest.raises(symml.errors.DataError, match=r"stationary point lies on the edge mu = 0.*mu -> 0"):
        zip_derivation.numpy()(k=data)
    profile = [zero_inflated_poisson_logpmf(data, data.mean() / -np.expm1(-mu), mu).sum() for mu in (1e-1, 1e-3, 1e-5)]
    assert profile[0] < profile[1] < profile[2]


def test_three_cases_give_each_parameter_in_closed_form_through_the_fractions_of_the_cases():
    """â = zeros/n, b̂ = ones/(n − zeros), μ̂ = mean(k − 2) over k ≥ 2. Oracles: NumPy counts, and Nelder–Mead on the
    NumPy log-likelihood in (logit a, logit b, log μ)."""
    derivation = symml.derive.mle(two_hurdles())
    assert {p.name for p in derivation.problem.estimators} == {"a", "b", "mu"}
    generator = sample_generator(0.3, 0.2, 1.7)
    data = np.choose(generator.choice(3, p=[0.3, 0.2, 0.5], size=600), [0, 1, 2 + generator.poisson(1.7, size=600)])
    found = derivation.numpy()(k=data)
    zeros, ones, rest = data == 0, data == 1, data >= 2
    assert (found["a"], found["b"], found["mu"]) == pytest.approx(
        (zeros.mean(), ones.sum() / (~zeros).sum(), (data[rest] - 2).mean()), rel=1e-13)

    def negative(z):
        a, b, mu = 1 / (1 + np.exp(-z[0])), 1 / (1 + np.exp(-z[1])), np.exp(z[2])
        return -np.sum(np.choose(np.minimum(data, 2), [np.log(a), np.log1p(-a) + np.log(b),
                                                       np.log1p(-a) + np.log1p(-b) + ss.poisson.logpmf(data - 2, mu)]))

    z = optimize.minimize(negative, [0.0, 0.0, 0.0], method="Nelder-Mead",
                          options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 6000}).x
    assert (found["a"], found["b"], found["mu"]) == pytest.approx(
        (1 / (1 + np.exp(-z[0])), 1 / (1 + np.exp(-z[1])), np.exp(z[2])), rel=1e-6)
