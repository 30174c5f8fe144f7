"""The Binomial's number of trials N estimated together with p (symml/mle/profiled_integer.py): p profiled out
from the score, p̂(N) = x̄/N, then N over the integers by the ratio of successive profile likelihoods; no finite
maximum where the sample variance reaches its mean, and a warning where the profile is nearly flat (Olkin, Petkau
& Zidek 1981). Oracle: brute force over N with p maximised numerically at each (scipy.optimize bounded)."""
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import optimize, stats

import symml
from symml.errors import DataError
from symml.mle.profiled_integer import FlatLikelihoodWarning

N, P = sp.Symbol("N", integer=True, positive=True), sp.Symbol("p", positive=True)
OLKIN = np.array([16.0, 18.0, 22.0, 25.0, 27.0])  # Olkin, Petkau & Zidek's sample: N̂ = 99, one more count 191


@pytest.fixture(scope="module")
def estimator():
    return symml.derive.mle(st.Binomial("X", N, P)).numpy()


def _profile(data, n_value):
    """max over p of the log-likelihood at N (scipy bounded search), and its maximiser."""
    found = optimize.minimize_scalar(lambda q: -stats.binom.logpmf(data, n_value, q).sum(), bounds=(1e-12, 1 - 1e-12),
                                     method="bounded", options={"xatol": 1e-13})
    return -found.fun, found.x


def _brute_force(data, largest):
    values = {n_value: _profile(data, n_value) for n_value in range(int(np.max(data)), largest)}
    best = max(values, key=lambda n_value: values[n_value][0])
    return best, values[best][1]


def test_a_well_determined_sample_is_the_best_integer_of_a_brute_force_search(estimator):
    data = np.random.default_rng(0).binomial(20, 0.6, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FlatLikelihoodWarning)
        found = estimator(x=data)
    best, p_best = _brute_force(data, 120)
    assert found["N"] == best
    assert found["p"] == pytest.approx(p_best, abs=1e-8)


@pytest.mark.parametrize("last, expected", [(27.0, 99), (28.0, 191)])
def test_olkins_samples_are_the_brute_force_maximum_with_a_flat_likelihood_warning(estimator, last, expected):
    data = np.append(OLKIN[:-1], last)
    with pytest.warns(FlatLikelihoodWarning, match="nearly flat"):
        found = estimator(x=data)
    assert found["N"] == expected == _brute_force(data, 400)[0]
    assert found["p"] == pytest.approx(data.mean() / expected, rel=1e-12)


def test_a_sample_whose_variance_reaches_its_mean_has_no_finite_maximum(estimator):
    data = np.array([3.0, 5.0, 1.0, 8.0, 2.0])  # variance 6.16 > mean 3.8
    with pytest.raises(DataError, match="no finite maximum"):
        estimator(x=data)
    profile = [_profile(data, n_value)[0] for n_value in (10, 100, 1000, 10000)]
    assert np.all(np.diff(profile) > 0)  # the oracle: it keeps rising


def test_the_far_out_coefficient_is_half_the_variance_minus_the_mean():
    # Δ(N) = log L_p(N) − log L_p(N − 1) ≈ n c/N², c = (s² − x̄)/2: against scipy's profile at N = 1e5
    derivation = symml.derive.mle(st.Binomial("X", N, P))
    problem = derivation.problem
    mean = next(s.symbol for s in problem.statistics if s.reduction == "mean")
    s2 = next(s for s in problem.drift.free_symbols if s.name == "s^2")
    data = OLKIN
    c = float(problem.drift.subs({mean: data.mean(), s2: data.var()}))
    assert c == pytest.approx((data.var() - data.mean()) / 2, rel=1e-12)
    at = 100000  # mpmath at 40 digits: scipy's log-pmf differences lose the 1e-10 change here

    def log_profile(n_value):
        mean = mpmath.mpf(data.sum()) / data.size
        return sum(mpmath.log(mpmath.binomial(n_value, int(v))) + v * mpmath.log(mean / n_value)
                   + (n_value - v) * mpmath.log(1 - mean / n_value) for v in data)

    with mpmath.workdps(40):
        delta = log_profile(at) - log_profile(at - 1)
    assert float(delta) * at ** 2 / data.size == pytest.approx(c, rel=1e-3)


def test_the_binomial_by_family_name_estimates_m_and_p_together():
    found = symml.derive.mle("Binomial").numpy()(x=[9, 12, 10, 11, 13, 8, 12, 11, 10, 12])
    assert found["m"] == _brute_force(np.array([9, 12, 10, 11, 13, 8, 12, 11, 10, 12.0]), 100)[0]


def test_verify_searches_every_integer_with_p_maximised_numerically():
    assert symml.derive.mle(st.Binomial("X", N, P)).verify().passed
