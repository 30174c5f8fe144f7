"""The numpy() functions called the ways users call them: the sample positionally and by name, as a list, a tuple,
an int or float32 array, an object with ``__array__``; and wrongly (a value without a name, a missing or unknown
argument, a NaN in the data, a size that is not a whole number). A right answer, checked against SciPy, or a
clear symml error naming the problem; never Python's raw TypeError or KeyError from inside.
(``benchmarks/api_call_styles.py`` sweeps the whole catalog the same way.)
"""
from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize, stats

import symml
from symml.errors import DataError, ParameterError, ShapeError

SAMPLE = [1.0, 2.0, 3.0, 5.0, 8.0, 2.0, 4.0]


class _Column:
    """A pandas-like column: not an ndarray, only ``__array__``."""

    def __init__(self, values: list[float]) -> None:
        self._values = np.asarray(values)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self._values if dtype is None else self._values.astype(dtype)


@functools.lru_cache(maxsize=None)
def _exponential_rate() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    return symml.derive.mle(st.Exponential("X", lam), wrt=[lam])


@pytest.mark.parametrize("style", [list, tuple, lambda v: np.asarray(v, dtype=int),
                                   lambda v: np.asarray(v, dtype=np.float32), _Column, lambda v: {"x": np.asarray(v)}],
                         ids=["list", "tuple", "int", "float32", "__array__", "by name"])
def test_the_sample_in_every_usual_form_gives_scipys_estimate(style):
    # lambda_hat = 1 / mean(x); SciPy's fit of the exponential (location 0) as the oracle
    estimate = _exponential_rate().numpy()
    sample = style(SAMPLE)
    found = estimate(**sample) if isinstance(sample, dict) else estimate(sample)
    _, scale = stats.expon.fit(SAMPLE, floc=0)
    assert found["lambda"] == pytest.approx(1 / scale, rel=1e-6)


def test_a_column_sample_is_refused_not_read_as_rows():
    with pytest.raises(DataError, match="one-dimensional"):
        _exponential_rate().numpy()(np.asarray(SAMPLE)[:, None])


def test_an_estimator_called_without_its_sample_names_it():
    # before: TypeError "mle_estimator() missing 1 required positional argument: 'x'"
    with pytest.raises(ParameterError, match="'x'"):
        _exponential_rate().numpy()(rate=2.0)


def test_a_value_without_a_name_for_a_function_taking_names_is_a_parameter_error():
    # before: TypeError "evaluate() takes 0 positional arguments but 1 was given"
    z = sp.Symbol("z", real=True)
    derivative = symml.derive.derivative(1 / (1 + sp.exp(-z)), z).numpy()
    with pytest.raises(ParameterError, match="by name"):
        derivative(np.array([0.0, 1.0]))
    # sigma'(z) = sigma(z)(1 - sigma(z)), by a central difference as the oracle
    h = 1e-6
    assert derivative(z=1.0) == pytest.approx((stats.logistic.cdf(1 + h) - stats.logistic.cdf(1 - h)) / (2 * h))


def test_a_name_the_function_looks_up_and_is_not_given_is_a_parameter_error():
    # before: KeyError 'a'
    a, b = sp.symbols("a b", real=True)
    eigen = symml.derive.eigen(sp.Matrix([[a, b], [b, a]])).numpy()
    with pytest.raises(ParameterError, match="a="):
        eigen(b=1.0)


def test_a_size_that_is_not_a_whole_number_is_a_data_error():
    # before: TypeError "'numpy.float64' object cannot be interpreted as an integer"
    sample = symml.derive.box_muller().numpy()
    with pytest.raises(DataError, match="whole number"):
        sample(np.array([2.0, 3.0]))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_an_exact_interval_refuses_a_non_finite_observation(bad):
    # before: (nan, nan) for a NaN and (0.0, 0.0) for an inf, silently
    lam = sp.Symbol("lambda", positive=True)
    interval = symml.derive.confidence_interval(symml.derive.mle(st.Exponential("X", lam)), lam, level=0.9,
                                                method="exact").numpy()
    with pytest.raises(DataError, match="non-finite"):
        interval(np.r_[SAMPLE, bad])
    # lambda S ~ Gamma(n, 1): [q_0.05 / S, q_0.95 / S] by SciPy's gamma quantiles
    n, total = len(SAMPLE), sum(SAMPLE)
    assert interval(SAMPLE) == pytest.approx((stats.gamma.ppf(0.05, n) / total, stats.gamma.ppf(0.95, n) / total))


@functools.lru_cache(maxsize=None)
def _beta_bernoulli_map() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.map(st.Bernoulli("X", p), prior=st.Beta("P", a, b), wrt=p)


def test_an_array_hyperparameter_of_a_map_estimate_is_a_shape_error_naming_it():
    # the sample-first wrapper takes the sample positionally: its own signature, not the wrapped **given one, says so
    estimate = _beta_bernoulli_map().numpy()
    data = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    with pytest.raises(ShapeError, match="a of shape"):
        estimate(data, a=np.array([2.0, 2.0]), b=3.0)
    # the mode of Beta(a + k, b + n - k): (a + k - 1) / (a + b + n - 2), the maximum of SciPy's density as the oracle
    grid = np.linspace(1e-4, 1 - 1e-4, 200_001)
    mode = grid[np.argmax(stats.beta.pdf(grid, 2.0 + 3, 3.0 + 2))]
    assert estimate(data, a=2.0, b=3.0)["p"] == pytest.approx(mode, abs=1e-4)


def test_a_samplers_rng_is_a_generator_a_seed_or_none_and_nothing_else():
    # before: sample(4, 1.5) raised a raw AttributeError ('float' object has no attribute 'uniform')
    lam = sp.Symbol("lambda", positive=True)
    sample = symml.derive.inverse_cdf_sampler(st.Exponential("X", lam)).numpy()
    with pytest.raises(DataError, match="rng"):
        sample(4, 1.5, **{"lambda": 2.0})
    # a seed reproduces the draws; Kolmogorov-Smirnov against SciPy's exponential (scale 1/lambda) as the oracle
    draws = sample(4000, 7, **{"lambda": 2.0})
    assert np.array_equal(draws, sample(4000, 7, **{"lambda": 2.0}))
    assert stats.kstest(draws, "expon", args=(0, 0.5)).pvalue > 1e-3


def test_check_refuses_a_namespace_that_is_not_a_mapping():
    # before: TypeError "'int' object is not iterable" from inside the namespace's construction
    with pytest.raises(ParameterError, match="namespace"):
        symml.check("y + y = 2*y", namespace=3)


@functools.lru_cache(maxsize=None)
def _poisson_gamma_posterior() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    return symml.derive.posterior(st.Poisson("K", lam), st.Gamma("L", 2, 1))


@pytest.mark.parametrize("data", [[0.5, 1.0], [-1.0, 2.0]], ids=["not a count", "negative"])
def test_bayes_data_outside_the_likelihoods_support_is_refused(data):
    # before: the log evidence of [0.5, 1.0] was -2.52 and of [-1, 2] -inf, silently
    evidence = symml.derive.evidence(_poisson_gamma_posterior()).numpy()
    with pytest.raises(DataError, match="outside the support"):
        evidence(data)
    # log ∫ Π Poisson(k_i; λ) Gamma(λ; 2, 1) dλ by quadrature with SciPy's densities as the oracle
    counts = [0, 1, 3]
    area, _ = integrate.quad(lambda t: np.prod(stats.poisson.pmf(counts, t)) * stats.gamma.pdf(t, 2), 0, np.inf)
    assert evidence(counts) == pytest.approx(np.log(area), rel=1e-8)


def test_a_bayes_map_refuses_data_outside_the_likelihoods_support():
    # before: a Bernoulli MAP of [2, 3, 5] was p = 1.0
    estimate = _beta_bernoulli_map().numpy()
    with pytest.raises(DataError, match="outside the support"):
        estimate([2.0, 3.0, 5.0], a=2.0, b=3.0)


def test_an_unknown_keyword_to_an_optimum_is_refused_not_ignored():
    # before: minimize(...).numpy()(bogus=1.0) answered {'x': 1, 'y': -2} as if it had not been passed
    x, y = sp.symbols("x y", real=True)
    optimum = symml.derive.minimize((x - 1) ** 2 + (y + 2) ** 2, [x, y]).numpy()
    with pytest.raises(ParameterError, match="unknown: bogus"):
        optimum(bogus=1.0)
    # the minimiser by SciPy's BFGS as the oracle
    found = optimize.minimize(lambda v: (v[0] - 1) ** 2 + (v[1] + 2) ** 2, [0.0, 0.0]).x
    assert [optimum()["x"], optimum()["y"]] == pytest.approx(found, abs=1e-5)
