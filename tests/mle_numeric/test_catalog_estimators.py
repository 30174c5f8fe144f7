"""End to end: every MLE entry of the catalog, derived by symml.derive.mle, gives a numpy() estimator that
maximises the likelihood scipy.stats writes for the same model (closed forms, to 1e-6 relative on 1001
points), or agrees with scipy.stats ``fit`` with the other parameters fixed (no closed form, ~1e-5)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings, strategies as st
from scipy import optimize

from derivations import build, entry_names
from tests.mle_numeric.catalog_oracle import ORACLE
from tests.mle_numeric.oracle import numeric_mle, rel

MLE_ENTRIES = [name for name in entry_names() if name.startswith("mle.")]


def test_every_mle_entry_of_the_catalog_has_an_oracle():
    assert sorted(ORACLE) == MLE_ENTRIES


def _run(name, size=1001, seed=11, truth=None):
    derivation, oracle = build(name), ORACLE[name]
    truth = truth or oracle.truth
    sample = oracle.scipy(truth).rvs(size=size, random_state=np.random.default_rng(seed))
    fixed = {str(p): truth[str(p)] for p in derivation.problem.fixed}
    return derivation, sample, truth, derivation.numpy()(sample, **fixed)


@pytest.mark.parametrize("name", [n for n in MLE_ENTRIES if build(n).problem.closed_form])
def test_closed_form_estimate_is_the_numeric_maximiser_of_the_scipy_likelihood(name):
    derivation, sample, truth, estimate = _run(name)
    wrt = derivation.problem.wrt
    reference = numeric_mle(ORACLE[name].scipy, sample, truth, [str(p) for p in wrt],
                            [bool(p.is_positive) for p in wrt], smooth=ORACLE[name].smooth)
    for parameter in estimate:
        assert rel(estimate[parameter], reference[parameter]) < 1e-6, (parameter, estimate, reference)


def test_gamma_shape_and_scale_agree_with_scipy_fit():
    _, sample, _, estimate = _run("mle.gamma_shape")
    shape, _, scale = ss.gamma.fit(sample, floc=0)
    assert rel(estimate["k"], shape) < 1e-8 and rel(estimate["theta"], scale) < 1e-8


def test_weibull_shape_and_scale_agree_with_scipy_fit():
    _, sample, _, estimate = _run("mle.weibull_shape")
    shape, _, scale = ss.weibull_min.fit(sample, floc=0, optimizer=_tight_fmin)  # the default fmin stops at ~1e-5
    assert rel(estimate["beta"], shape) < 1e-7 and rel(estimate["alpha"], scale) < 1e-7


def test_beta_shapes_agree_with_scipy_fit():
    _, sample, _, estimate = _run("mle.beta")
    a, b, _, _ = ss.beta.fit(sample, floc=0, fscale=1)
    assert rel(estimate["alpha"], a) < 1e-5 and rel(estimate["beta"], b) < 1e-5


def _tight_fmin(func, x0, args=(), disp=0):
    return optimize.fmin(func, x0, args=args, xtol=1e-12, ftol=1e-14, maxiter=10_000, disp=disp)


def test_student_t_location_agrees_with_scipy_fit():
    _, sample, truth, estimate = _run("mle.student_t_location")
    _, location, _ = ss.t.fit(sample, fdf=truth["nu"], fscale=1.0, optimizer=_tight_fmin)
    assert rel(estimate["mu"], location) < 1e-5


def test_no_closed_form_entries_say_so_in_the_estimator_docstring():
    for name in MLE_ENTRIES:
        if not build(name).problem.closed_form:
            assert "numeric (no closed form)" in build(name).numpy().__doc__


@settings(max_examples=10)
@given(k=st.floats(0.2, 20.0), theta=st.floats(1e-3, 1e3), size=st.integers(10, 3000), seed=st.integers(0, 10**6))
def test_gamma_shape_agrees_with_scipy_fit_for_any_truth_and_sample_size(k, theta, size, seed):
    _, sample, _, estimate = _run("mle.gamma_shape", size, seed, {"k": k, "theta": theta})
    shape, _, scale = ss.gamma.fit(sample, floc=0)
    assert rel(estimate["k"], shape) < 1e-7 and rel(estimate["theta"], scale) < 1e-7


@settings(max_examples=10, deadline=None)  # its first example pays the oracle's set-up: 20+ s under a load of 8
@given(p=st.floats(0.05, 0.9), m=st.integers(1, 60), size=st.integers(20, 3000), seed=st.integers(0, 10**6))
def test_binomial_estimate_maximises_the_likelihood_for_any_truth(p, m, size, seed):
    derivation, sample, truth, estimate = _run("mle.binomial", size, seed, {"m": m, "p": p})
    reference = numeric_mle(ORACLE["mle.binomial"].scipy, sample, truth, ["p"], [True])
    assert rel(estimate["p"], reference["p"]) < 1e-6
