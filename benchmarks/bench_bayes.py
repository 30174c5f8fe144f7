"""Benchmark of the Bayesian derivations: derivation time per pair, and the MAP numpy() against scipy.optimize.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_bayes.py [--size 100000] [--repeats 3]

Derivation time: CPU time (time.process_time, so that other engineers' load on the machine does not count), the
median of ``--repeats`` runs with SymPy's cache cleared before each, for every pair of issue 12's item 2: the
one-parameter pairs of tests/bayes/test_posterior_pairs.py, the joint ones of test_joint_posteriors.py (Dirichlet,
Normal-Inverse-Gamma, Normal-Gamma), the matrix-level ones of the catalog (multivariate Normal mean, Bayesian linear
regression, Wishart) and the MAP derivations. Goal (issue 12): under 1 s each.

MAP numpy() against scipy.optimize: on ``--size`` points, the median CPU time of the ``numpy()`` estimator and of
scipy.optimize.minimize_scalar (bounded Brent, xatol 1e-12) on scipy.stats' log posterior, their ratio, and the
estimate's distance to scipy's mode polished to ~1e-10 (tests.bayes.oracle.polished_log_posterior_mode: bounded
Brent alone stops at ~sqrt(eps)|t|, about 1e-8). Goal: >= 20x faster, agreeing to 1e-8. The joint MAPs
(Normal-Inverse-Gamma, Normal-Gamma) likewise, against scipy.optimize.minimize (BFGS) polished by scipy.optimize.root
on the central-difference gradient (tests.bayes.oracle.joint_log_posterior_mode).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from symml.bayes import derive_marginal, derive_posterior_predictive  # noqa: E402
from tests.bayes import test_joint_map, test_joint_posteriors, test_map, test_posterior_pairs  # noqa: E402
from tests.bayes.oracle import joint_log_posterior_mode, log_posterior_mode, polished_log_posterior_mode  # noqa: E402
from tests.gaussian import test_regression_forms, test_wishart_forms  # noqa: E402

PAIRS = ("beta_bernoulli", "beta_binomial", "beta_geometric", "beta_negative_binomial", "gamma_poisson",
         "gamma_exponential", "normal_normal", "normal_lognormal", "gamma_normal_precision",
         "inverse_gamma_normal_variance", "gamma_pareto_shape", "gamma_gamma_rate", "inverse_gamma_weibull_scale", "pareto_uniform")


def _catalog(name: str) -> Callable[[], Any]:
    return importlib.import_module(f"derivations.bayes.{name}").derivation


#: The other derivations of item 2 (and the MAP ones of item 3): name -> build.
OTHERS: dict[str, Callable[[], Any]] = {
    "dirichlet_categorical": lambda: test_joint_posteriors.dirichlet.__wrapped__("sympy.stats"),
    "dirichlet_categorical (user)": lambda: test_joint_posteriors.dirichlet.__wrapped__("normalised"),
    "normal_inverse_gamma (user)": lambda: test_joint_posteriors.normal_inverse_gamma.__wrapped__(True),
    "normal_inverse_gamma (unnormalised)": lambda: test_joint_posteriors.normal_inverse_gamma.__wrapped__(False),
    "normal_gamma": test_joint_posteriors.normal_gamma.__wrapped__,
    "multivariate_normal_mean": _catalog("multivariate_normal_mean_posterior"),
    "linear_regression (matrix)": _catalog("linear_regression_posterior"),
    "wishart_precision": _catalog("wishart_precision_posterior"),
    # from the derived joint posterior (built once, outside the timing): the other parameter integrated out, and
    # the predictive, each recognised as a location-scale Student-t
    "NIG marginal of the mean (t)": lambda: derive_marginal(test_joint_posteriors.normal_inverse_gamma(True),
                                                            test_joint_posteriors.mu),
    "NIG predictive (t)": lambda: derive_posterior_predictive(test_joint_posteriors.normal_inverse_gamma(True)),
    "MAP beta_bernoulli": lambda: test_map.mode.__wrapped__("beta_bernoulli"),
    "MAP gamma_poisson": lambda: test_map.mode.__wrapped__("gamma_poisson"),
    "MAP normal_normal": lambda: test_map.mode.__wrapped__("normal_normal"),
    "MAP pareto_uniform": lambda: test_map.mode.__wrapped__("pareto_uniform"),
    "MAP dirichlet simplex": test_map.simplex_mode.__wrapped__,
    "MAP laplace soft-threshold": lambda: test_map.laplace_mode.__wrapped__("sympy.stats"),
    "MAP ridge (matrix)": _catalog("linear_regression_map"),
    "MAP lasso (matrix)": _catalog("lasso_map"),
    # the last input forms: BLR from sympy.stats and log-densities, the Wishart pair from both, joint MAPs
    "linear_regression (sympy.stats)": lambda: test_regression_forms.posterior.__wrapped__("sympy.stats"),
    "linear_regression (log-density)": lambda: test_regression_forms.posterior.__wrapped__("log-density"),
    "BLR predictive (sympy.stats)": lambda: test_regression_forms.predictive.__wrapped__("sympy.stats"),
    "BLR type-II ML (sympy.stats)": lambda: test_regression_forms.symml.derive.evidence_maximization(
        test_regression_forms.posterior("sympy.stats"), [test_regression_forms.alpha, test_regression_forms.beta]),
    "wishart_precision (sympy.stats)": lambda: test_wishart_forms.posterior.__wrapped__("sympy.stats"),
    "wishart_precision (log-density)": lambda: test_wishart_forms.posterior.__wrapped__("log-density"),
    "MAP normal_inverse_gamma (joint)": lambda: test_joint_map.mode.__wrapped__("normal_inverse_gamma"),
    "MAP normal_gamma (joint)": lambda: test_joint_map.mode.__wrapped__("normal_gamma"),
    "MAP normal_gamma (joint, user)": lambda: test_joint_map.mode.__wrapped__("normal_gamma_log_densities"),
}


def _median(fn: Callable[[], Any], repeats: int, clock: Callable[[], float], before: Callable[[], None]) -> float:
    times = []
    for _ in range(repeats):
        before()
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def derive_seconds(build: Callable[[], Any], repeats: int) -> float:
    """CPU seconds of one derivation, the median of ``repeats`` with SymPy's cache cleared before each."""
    return _median(build, repeats, time.process_time, clear_cache)


def cpu_seconds(fn: Callable[[], Any], repeats: int) -> float:
    return _median(fn, repeats, time.process_time, lambda: None)


#: MAP pair -> (sample, values by name, log posterior terms (one per observation, then the prior), bracket)
def _map_cases(size: int) -> dict[str, tuple[np.ndarray, dict[str, float], Callable[[float], np.ndarray], tuple]]:
    rng = np.random.default_rng(0)
    bits = rng.binomial(1, 0.3, size).astype(float)
    counts = rng.poisson(3.0, size).astype(float)
    normal = rng.normal(0.5, 1.0, size)
    return {
        "beta_bernoulli": (bits, {"a": 2.0, "b": 3.0},
                           lambda q: np.append(ss.bernoulli.logpmf(bits, q), ss.beta.logpdf(q, 2.0, 3.0)),
                           (1e-9, 1 - 1e-9)),
        "gamma_poisson": (counts, {"a": 2.0, "b": 1.5},
                          lambda q: np.append(ss.poisson.logpmf(counts, q), ss.gamma.logpdf(q, 2.0, scale=1.5)),
                          (1e-6, 50)),
        "normal_normal": (normal, {"m_0": 0.0, "sigma": 1.0, "t": 2.0},
                          lambda q: np.append(ss.norm.logpdf(normal, q, 1.0), ss.norm.logpdf(q, 0.0, 2.0)), (-10, 10)),
    }


def joint_map_table(size: int, repeats: int) -> None:
    """The joint MAP numpy() against scipy.optimize (BFGS, then root of the central-difference gradient) on scipy.stats'
    log posterior: CPU times, ratio, and the largest distance between the estimates."""
    rng = np.random.default_rng(1)
    sample, hyper = rng.normal(0.5, 1.3, size), (0.2, 2.0, 3.0, 1.5)
    values = dict(zip(("m_0", "kappa_0", "a", "b"), hyper))
    print(f"\n{'joint MAP':22} {'numpy() ms':>11} {'scipy ms':>9} {'ratio':>6} {'max |diff|':>11}")
    for name, oracle, second in (("normal_inverse_gamma", test_joint_map._nig, "s2"),
                                 ("normal_gamma", test_joint_map._normal_gamma, "tau")):
        estimator = test_joint_map.mode(name).numpy()
        ours = cpu_seconds(lambda: estimator(x=sample, **values), max(repeats, 5))
        log_joint = oracle(sample, *hyper)
        theirs = cpu_seconds(lambda: joint_log_posterior_mode(log_joint, (False, True)), repeats)
        got, want = estimator(x=sample, **values), joint_log_posterior_mode(log_joint, (False, True))
        gap = max(abs(got["mu"] - want[0]), abs(got[second] - want[1]))
        print(f"{name:22} {ours * 1e3:11.3f} {theirs * 1e3:9.1f} {theirs / ours:6.0f} {gap:11.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'derivation':36} {'CPU s':>7}  result")
    for name in PAIRS:
        seconds = derive_seconds(lambda: test_posterior_pairs.posterior.__wrapped__(name), args.repeats)
        print(f"{name:36} {seconds:7.3f}  {test_posterior_pairs.posterior(name).problem.family}")
    for name, build in OTHERS.items():
        seconds = derive_seconds(build, args.repeats)
        problem = build().problem
        print(f"{name:36} {seconds:7.3f}  {getattr(problem, 'family', None) or getattr(problem, 'kind', '(MAP)')}")
    joint_map_table(args.size, args.repeats)
    print(f"\n{'MAP pair':16} {'numpy() ms':>11} {'scipy ms':>9} {'ratio':>6} {'|diff| polished':>16} "
          f"{'|diff| Brent':>13}")
    for name, (sample, values, log_terms, bracket) in _map_cases(args.size).items():
        estimator = test_map.mode(name).numpy()
        log_joint = lambda q: float(np.sum(log_terms(q)))  # noqa: E731 - scipy's log posterior
        ours = cpu_seconds(lambda: estimator(x=sample, **values), max(args.repeats, 5))
        theirs = cpu_seconds(lambda: log_posterior_mode(log_joint, *bracket), args.repeats)
        value = next(iter(estimator(x=sample, **values).values()))
        polished = polished_log_posterior_mode(log_terms, *bracket)
        brent = log_posterior_mode(log_joint, *bracket)
        print(f"{name:16} {ours * 1e3:11.3f} {theirs * 1e3:9.1f} {theirs / ours:6.0f} {abs(value - polished):16.1e} "
              f"{abs(value - brent):13.1e}")


if __name__ == "__main__":
    main()
