"""numpy() estimators of hand-built MLE problems, independent of the engine: they maximise the likelihood
scipy.stats writes down. (The catalog's derived problems are checked end to end in test_catalog_estimators.py.)

Each check compares the estimator with scipy.optimize maximising scipy.stats' log-likelihood of the same sample
(tests/mle_numeric/oracle.py), never with the symbolic expression itself.
"""
from __future__ import annotations

import numpy as np
import scipy.stats as ss
from hypothesis import given, settings, strategies as st
from scipy import optimize

from symml.mle.numeric import mle_estimator
from tests.mle_numeric.hand_built import CASES
from tests.mle_numeric.oracle import numeric_mle, rel

def _sample(case, size: int = 1000, seed: int = 1, truth=None) -> np.ndarray:
    return case.scipy(truth or case.truth).rvs(size=size, random_state=np.random.default_rng(seed))


def _agreement(case, sample, truth=None):
    truth = truth or case.truth
    fixed = {str(p): truth[str(p)] for p in case.problem.fixed}
    estimate = mle_estimator(case.problem)(sample, **fixed)
    names = [str(p) for p in case.problem.wrt]
    positive = [bool(p.is_positive) for p in case.problem.wrt]
    reference = numeric_mle(case.scipy, sample, truth, names, positive, smooth=case.smooth)
    return estimate, reference


@settings(max_examples=10)
@given(mu=st.floats(-50, 50), log_sigma=st.floats(-3, 3), size=st.integers(20, 3000), seed=st.integers(0, 10**6))
def test_normal_estimate_maximises_the_likelihood_for_any_truth_and_sample_size(mu, log_sigma, size, seed):
    case = CASES["normal"]
    truth = {"mu": mu, "sigma": float(np.exp(log_sigma))}
    estimate, reference = _agreement(case, _sample(case, size, seed, truth), truth)
    assert rel(estimate["mu"], reference["mu"]) < 1e-6 or abs(estimate["mu"] - reference["mu"]) < 1e-8 * truth["sigma"]
    assert rel(estimate["sigma"], reference["sigma"]) < 1e-6


@settings(max_examples=10)
@given(log_rate=st.floats(-4, 4), size=st.integers(5, 3000), seed=st.integers(0, 10**6))
def test_exponential_rate_maximises_the_likelihood_for_any_truth_and_sample_size(log_rate, size, seed):
    case = CASES["exponential"]
    truth = {"lambda": float(np.exp(log_rate))}
    estimate, reference = _agreement(case, _sample(case, size, seed, truth), truth)
    assert rel(estimate["lambda"], reference["lambda"]) < 1e-6


def test_gamma_shape_agrees_with_scipy_fit_at_fixed_location():
    case = CASES["gamma"]
    sample = _sample(case)
    estimate = mle_estimator(case.problem)(sample)
    shape, _, scale = ss.gamma.fit(sample, floc=0)
    assert rel(estimate["k"], shape) < 1e-9 and rel(estimate["theta"], scale) < 1e-9


def test_beta_shapes_agree_with_scipy_fit_on_the_unit_interval():
    case = CASES["beta"]
    sample = _sample(case)
    estimate = mle_estimator(case.problem)(sample)
    a, b, _, _ = ss.beta.fit(sample, floc=0, fscale=1)
    assert rel(estimate["alpha"], a) < 1e-5 and rel(estimate["beta"], b) < 1e-5


def _tight_fmin(func, x0, args=(), disp=0):
    return optimize.fmin(func, x0, args=args, xtol=1e-12, ftol=1e-14, maxiter=10_000, disp=disp)


def test_student_t_location_agrees_with_scipy_fit_with_degrees_of_freedom_and_scale_fixed():
    case = CASES["student_t_location"]
    sample = _sample(case)
    estimate = mle_estimator(case.problem)(sample, nu=3.0)
    _, location, _ = ss.t.fit(sample, fdf=3.0, fscale=1.0, optimizer=_tight_fmin)
    assert rel(estimate["mu"], location) < 1e-5


@settings(max_examples=10)
@given(nu=st.floats(1.0, 30.0), location=st.floats(-20, 20), size=st.integers(10, 1500), seed=st.integers(0, 10**6))
def test_student_t_location_is_the_numeric_maximiser_for_any_truth(nu, location, size, seed):
    case = CASES["student_t_location"]
    truth = {"mu": location, "nu": nu}
    estimate, reference = _agreement(case, _sample(case, size, seed, truth), truth)
    assert abs(estimate["mu"] - reference["mu"]) < 1e-6 * max(1.0, abs(reference["mu"]))


def test_numeric_estimator_says_so_in_its_docstring():
    assert "numeric (no closed form)" in mle_estimator(CASES["gamma"].problem).__doc__
    assert "brentq" in mle_estimator(CASES["gamma"].problem).__doc__
    assert "brentq" in mle_estimator(CASES["student_t_location"].problem).__doc__  # one equation, one unknown


def test_estimates_are_keyed_by_parameter_name_in_the_order_of_wrt():
    case = CASES["normal"]
    assert list(mle_estimator(case.problem)(_sample(case))) == ["mu", "sigma"]


def test_estimator_accepts_lists_and_integer_arrays():
    estimator = mle_estimator(CASES["poisson"].problem)
    assert estimator([1, 2, 3, 6]) == estimator(np.array([1, 2, 3, 6], dtype=np.int64)) == {"lambda": 3.0}
