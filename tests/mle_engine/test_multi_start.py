"""Where the log-likelihood is not known to be concave, a numeric estimate is compared with a multi-start search:
the derivation says which search numpy() does, and verify() runs and reports one of its own."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import optimize, stats

from symml.mle import mle

mu = sp.Symbol("mu", real=True)


@pytest.fixture(scope="module")
def cauchy_location():
    return mle(st.Cauchy("X", mu, 1))


def test_cauchy_location_on_clustered_data_finds_the_global_maximum(cauchy_location):
    # two clusters: the score has roots near each, and the median starts the solver between them
    data = np.concatenate([np.random.default_rng(0).normal(-5.0, 0.2, 12), np.random.default_rng(1).normal(5.0, 0.2, 13)])
    estimate = cauchy_location.numpy()(x=data)["mu"]
    grid = np.linspace(-10.0, 10.0, 4001)  # brute force with scipy's log-density, then a bounded local search

    def loglik(location):
        return stats.cauchy.logpdf(data, location, 1.0).sum()

    best = grid[np.argmax(stats.cauchy.logpdf(data[:, None], grid, 1.0).sum(axis=0))]
    refined = optimize.minimize_scalar(lambda m: -loglik(m), bounds=(best - 0.01, best + 0.01), method="bounded",
                                       options={"xatol": 1e-10}).x
    assert abs(estimate - refined) < 1e-6
    assert loglik(estimate) >= loglik(refined) - 1e-9


def test_cauchy_location_on_a_large_clustered_sample_finds_the_global_maximum(cauchy_location):
    # past the screening subsample's size the starts are screened on the subsample: the median starts the solver
    # in the middle cluster, whose local maximum the largest cluster's beats
    from symml.mle.self_checks import SCREENED

    rng = np.random.default_rng(0)
    sizes = [int(f * 5 * SCREENED) for f in (0.4, 0.25, 0.35)]
    data = np.concatenate([rng.normal(centre, 0.2, size) for centre, size in zip((-5.0, 0.0, 5.0), sizes)])
    rng.shuffle(data)
    estimate = cauchy_location.numpy()(x=data)["mu"]

    def loglik(location):
        return stats.cauchy.logpdf(data, location, 1.0).sum()

    local = [optimize.minimize_scalar(lambda m: -loglik(m), bounds=(c - 1.0, c + 1.0), method="bounded",
                                      options={"xatol": 1e-10}).x for c in (-5.0, 0.0, 5.0)]
    best = max(local, key=loglik)
    assert abs(np.median(data)) < 0.5 and best < -4.0  # the test's premise: the start is not in the best cluster
    assert abs(estimate - best) < 1e-6 and loglik(estimate) >= loglik(best) - 1e-9


def test_the_screening_evaluates_on_the_whole_sample_only_starts_next_to_the_root_of_a_unimodal_likelihood():
    from symml.mle.numeric_solver import NumericSolver
    from symml.mle.statistic_plan import KNOWN
    from tests.mle_numeric.hand_built import CASES

    case = CASES["student_t_location"]
    solver = NumericSolver(case.problem)
    sample = case.scipy(case.truth).rvs(size=20_000, random_state=np.random.default_rng(2))
    values = {case.problem.sample_size: float(sample.size), KNOWN: {},
              **{p: case.fixed[str(p)] for p in case.problem.fixed}}
    (root,) = solver(sample, dict(values))
    solver.plan.complete(sample, values)
    candidates = solver._candidates(sample, np.array([root]))
    promising = solver._screened(sample, values, np.array([root]), candidates)
    assert len(candidates) == 13 and len(promising) <= 2
    assert all(abs(candidates[k][0] - root) < 0.05 for k in promising)  # a quantile next to it: not told apart


def test_the_derivation_remarks_the_multi_start_search(cauchy_location):
    (remark,) = [r for r in cauchy_location.remarks if "multi-start" in r]
    assert "not known to be concave in $\\mu$" in remark and "quantiles" in remark


def test_verify_reports_its_own_multi_start_search(cauchy_location):
    report = cauchy_location.verify(sample_size=200)
    assert report.passed and "multi-start search: 27 starts scanned" in report.method
    assert "best maximum kept (mean log-likelihood" in report.method


def test_a_log_likelihood_shown_concave_gets_no_multi_start_remark():
    derivation = mle("Gamma", wrt=["k"])  # d^2/dk^2 log f = -polygamma(1, k) < 0
    assert derivation.problem.not_concave_in == () and not [r for r in derivation.remarks if "multi-start" in r]
