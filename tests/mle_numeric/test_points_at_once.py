"""The numeric solver's evaluation of many points at once (the multi-start candidates and the Hessian's points in
one (points x observations) pass of the scaled sums; Newton's value and slope evaluated in place) gives the
maximum-likelihood estimate scipy.optimize finds on scipy.stats' log-likelihood, on awkward samples: two
observations, ties, an outlier at 1e6, all observations equal."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from scipy import optimize

from derivations import build
from symml.errors import DataError
from symml.mle.numeric import SampleFunction
from symml.mle.scaled_sums import ScaledSums
from tests.mle_numeric.catalog_oracle import ORACLE
from tests.mle_numeric.oracle import numeric_mle, rel

_BULK = ss.weibull_min(2.2, scale=1.7).rvs(size=10, random_state=np.random.default_rng(7))

AWKWARD = {
    "two observations": np.array([0.7, 2.3]),
    "ties": np.round(_BULK, 1),
    "an outlier at 1e6": np.append(_BULK, 1e6),
}


@pytest.mark.parametrize("label", AWKWARD)
def test_weibull_shape_is_the_scipy_maximiser_on_awkward_data(label):
    sample = AWKWARD[label]
    estimate = build("mle.weibull_shape").numpy()(sample)
    # scipy.optimize from the estimate's neighbourhood and from the catalog's truth: the better maximum
    oracle = ORACLE["mle.weibull_shape"]
    starts = [oracle.truth, {"alpha": 1.2 * estimate["alpha"], "beta": 1.2 * estimate["beta"]}]
    found = [numeric_mle(oracle.scipy, sample, start, ["alpha", "beta"], [True, True]) for start in starts]
    best = max(found, key=lambda v: np.sum(oracle.scipy(v).logpdf(sample)))
    for parameter in ("alpha", "beta"):
        assert rel(estimate[parameter], best[parameter]) < 1e-5, (estimate, best)


def test_weibull_shape_on_all_equal_data_is_refused_the_maximum_is_at_the_boundary():
    # every observation c: the log-likelihood rises without bound as beta -> infinity with alpha -> c
    with pytest.raises(DataError):
        build("mle.weibull_shape").numpy()(np.full(6, 1.5))


def _student_t_maximiser(sample: np.ndarray, nu: float) -> float:
    """The global maximiser of scipy.stats' Student-t log-likelihood in the location: a grid over the data's
    range (every local maximum lies there), refined by a bounded search round the best grid point."""
    def negative(mu: float) -> float:
        return -float(np.sum(ss.t.logpdf(sample, nu, loc=mu)))

    low, high = float(sample.min()), float(sample.max())
    if low == high:
        return low
    grid = np.linspace(low, high, 20001)
    best = grid[int(np.argmax(np.sum(ss.t.logpdf(sample[None, :], nu, loc=grid[:, None]), axis=1)))]
    width = (high - low) / 20000
    return optimize.minimize_scalar(negative, bounds=(best - width, best + width), method="bounded",
                                    options={"xatol": 1e-13 * max(1.0, abs(best))}).x


@pytest.mark.parametrize("label", [*AWKWARD, "all observations equal"])
def test_student_t_location_is_the_global_scipy_maximiser_on_awkward_data(label):
    sample = AWKWARD.get(label, np.full(6, 1.5))
    estimate = build("mle.student_t_location").numpy()(sample, nu=3.0)["mu"]
    assert estimate == pytest.approx(_student_t_maximiser(sample, 3.0), rel=1e-7, abs=1e-9)


def test_sums_at_many_points_at_once_are_each_points_sums_without_overflow():
    # the profiled Weibull scale ((sum x^b) / n)^(1/b) at data near 1e300, where x^b alone overflows: mpmath
    x, b, n, i = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True), sp.Symbol("n"), sp.Idx("i")
    scale = (sp.Sum(sp.IndexedBase("x")[i] ** b, (i, 1, n)) / n) ** (1 / b)
    sums = ScaledSums([scale], x, n, (b,))
    profile = SampleFunction.of(sums.for_value(scale))
    data = np.array([1e300, 2e300, 3.5e299])
    exponents = np.array([0.5, 1.0, 4.0, 40.0])
    values = sums.prepare(data, {n: 3.0})
    values[b] = exponents[:, None]
    at = sums.evaluate_at_points(values)
    at[b] = exponents
    with mpmath.workdps(40):
        expected = [float((mpmath.fsum(mpmath.mpf(v) ** e for v in data) / 3) ** (1 / mpmath.mpf(e)))
                    for e in exponents]
    assert np.allclose(profile(at), expected, rtol=1e-13, atol=0)
    assert all(map(math.isfinite, profile(at)))
