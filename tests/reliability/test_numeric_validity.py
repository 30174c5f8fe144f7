"""A numeric MLE checks its own validity: inside the parameter space and the support, the best of a multi-start
search where the log-likelihood is not known to be concave, a maximum by its second-order condition. Each case is
checked against an independent scipy.optimize search on the same log-likelihood."""
import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml
from symml.errors import DataError
from symml.mle.boundary_search import BoundaryMaximumWarning

x = sp.Symbol("x", real=True)


def _normal_density(mean):
    return sp.exp(-(x - mean) ** 2 / 2) / sp.sqrt(2 * sp.pi)


def _estimate(logpdf, data, support=None):
    return symml.derive.mle(symml.Model(logpdf=logpdf, data=x, support=support)).numpy()(x=data)


def test_cauchy_location_on_clustered_data_is_the_global_maximum():
    mu = sp.Symbol("mu", real=True)
    data = np.array([-10.2, -10.0, -9.9, -9.8, -10.1, -10.05, 0.4, 0.5, 0.6, 9.9, 10.0, 10.1, 10.2, 10.3])
    estimate = _estimate(-sp.log(1 + (x - mu) ** 2) - sp.log(sp.pi), data)["mu"]

    def loglik(m):
        return -np.log1p((data - m) ** 2).sum()

    grid = np.linspace(-20, 20, 40001)  # the reference: a dense grid, then a tight local polish
    best = optimize.minimize_scalar(lambda m: -loglik(m), bracket=(grid[np.argmax([loglik(m) for m in grid])] - 0.01,
                                                                   grid[np.argmax([loglik(m) for m in grid])] + 0.01))
    assert estimate == pytest.approx(best.x, abs=1e-6)
    assert loglik(estimate) > loglik(0.48) + 5  # the local maximum by the median start was taken before


def test_cardioid_concentration_stays_where_the_density_is_positive():
    theta = sp.Symbol("theta", real=True)
    data = np.random.default_rng(0).vonmises(0, 1, 200)
    estimate = _estimate(sp.log(1 + 2 * theta * sp.cos(x)) - sp.log(2 * sp.pi), data, sp.Interval(-sp.pi, sp.pi))
    reference = optimize.minimize_scalar(lambda t: -np.log(1 + 2 * t * np.cos(data)).sum(), bounds=(-0.5, 0.5),
                                         method="bounded", options={"xatol": 1e-12}).x
    assert estimate["theta"] == pytest.approx(reference, abs=1e-7)


def test_three_component_mixture_weights_are_found_from_a_start_where_the_density_is_negative():
    a, b = sp.symbols("a b", real=True)
    rng = np.random.default_rng(0)
    data = np.concatenate([rng.normal(0, 1, 50), rng.normal(3, 1, 30), rng.normal(-3, 1, 20)])
    logpdf = sp.log(a * _normal_density(0) + b * _normal_density(3) + (1 - a - b) * _normal_density(-3))
    estimate = _estimate(logpdf, data)
    phi = [np.exp(-(data - m) ** 2 / 2) / np.sqrt(2 * np.pi) for m in (0, 3, -3)]
    reference = optimize.minimize(lambda w: -np.log(w[0] * phi[0] + w[1] * phi[1] + (1 - w[0] - w[1]) * phi[2]).sum(),
                                  [1 / 3, 1 / 3], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}).x
    assert [estimate["a"], estimate["b"]] == pytest.approx(reference, abs=1e-5)
    assert min(estimate["a"], estimate["b"], 1 - estimate["a"] - estimate["b"]) > 0


@pytest.mark.parametrize("mean, bound", [(0, 1.0), (3, 0.0)])
def test_a_mixture_weight_whose_likelihood_peaks_outside_zero_one_is_at_its_bound(mean, bound):
    # w N(0, 1) + (1 - w) N(3, 1) is negative far out unless 0 <= w <= 1 (the dominant term's coefficient at each
    # infinite end); on a sample of one component alone the score's root is outside, and the maximum is that bound
    w = sp.Symbol("w", real=True)
    data = np.random.default_rng(0).normal(mean, 1, 60)
    with pytest.warns(BoundaryMaximumWarning, match="boundary of the parameter space"):
        estimate = _estimate(sp.log(w * _normal_density(0) + (1 - w) * _normal_density(3)), data)["w"]
    phi = [np.exp(-(data - m) ** 2 / 2) / np.sqrt(2 * np.pi) for m in (0, 3)]
    reference = optimize.minimize_scalar(lambda v: -np.log(v * phi[0] + (1 - v) * phi[1]).sum(), bounds=(0, 1),
                                         method="bounded", options={"xatol": 1e-12}).x
    assert estimate == bound
    assert estimate == pytest.approx(reference, abs=1e-5)


def test_a_mixture_weight_inside_zero_one_is_the_score_root():
    w = sp.Symbol("w", real=True)
    rng = np.random.default_rng(1)
    data = np.concatenate([rng.normal(0, 1, 40), rng.normal(3, 1, 20)])
    estimate = _estimate(sp.log(w * _normal_density(0) + (1 - w) * _normal_density(3)), data)["w"]
    phi = [np.exp(-(data - m) ** 2 / 2) / np.sqrt(2 * np.pi) for m in (0, 3)]
    reference = optimize.minimize_scalar(lambda v: -np.log(v * phi[0] + (1 - v) * phi[1]).sum(), bounds=(0, 1),
                                         method="bounded", options={"xatol": 1e-12}).x
    assert estimate == pytest.approx(reference, abs=1e-6)


def test_a_zero_in_a_gamma_sample_is_reported_at_the_edge_of_the_support():
    with pytest.raises(DataError, match=r"x\[0\] = 0.0.*edge of the support"):
        symml.derive.mle("Gamma").numpy()(x=[0.0, 1.0, 2.0, 3.0])


def test_the_estimator_says_which_checks_it_ran():
    mu = sp.Symbol("mu", real=True)
    doc = symml.derive.mle(symml.Model(logpdf=-sp.log(1 + (x - mu) ** 2) - sp.log(sp.pi), data=x)).numpy().__doc__
    assert "multi-start search" in doc and "second-order condition" in doc


def test_an_estimator_with_a_profile_proven_concave_says_it_tries_no_other_start():
    # the Weibull shape with the scale profiled out (symml/mle/concave_profile.py; the grid checks are in
    # tests/mle_numeric/test_float_path.py)
    doc = symml.derive.mle("Weibull").numpy().__doc__
    assert "proven strictly concave" in doc and "no other start" in doc and "second-order condition" not in doc


def test_a_constant_sample_has_no_normal_scale_estimate():
    with pytest.raises(DataError, match="sigma is 0.0.*unbounded"):
        symml.derive.mle("Normal").numpy()(x=[2.0, 2.0, 2.0])


def test_a_success_probability_of_zero_on_failures_only_is_the_maximum_on_the_closure():
    estimate = symml.derive.mle("Binomial", wrt=["p"]).numpy()(x=[0, 0, 0], m=3)
    assert estimate == {"p": 0.0}


def test_logitnormal_scale_is_the_positive_root_not_zero():
    sample = 1 / (1 + np.exp(-np.random.default_rng(1).normal(0.3, 0.7, 200)))
    estimate = symml.derive.mle("LogitNormal").numpy()(x=sample)
    logits = np.log(sample / (1 - sample))
    assert estimate["s"] == pytest.approx(np.std(logits), rel=1e-9)  # the MLE of a Normal scale on the logits
