"""Benchmark of the Bayesian derivations: derivation time per pair, and the MAP numpy() against scipy.optimize.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_bayes.py [--size 100000] [--repeats 3]

Per conjugate pair of tests/bayes/test_posterior_pairs.py: the median time of ``derive_posterior`` (SymPy's cache
cleared before each run). Per MAP pair: on ``--size`` points, the median time of the ``numpy()`` estimator and of
scipy.optimize.minimize_scalar (bounded Brent) on scipy.stats' log posterior, their ratio and the difference.
Goals (issue 12): derivation < 1 s; MAP numpy() >= 20x faster than scipy.optimize, agreeing to 1e-8.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.bayes import test_joint_posteriors, test_map, test_posterior_pairs  # noqa: E402
from tests.bayes.oracle import log_posterior_mode  # noqa: E402
from benchmarks.bench_optimize import _median_seconds  # noqa: E402  (median of repeats, a hook before each)

PAIRS = ("beta_bernoulli", "beta_binomial", "beta_geometric", "beta_negative_binomial", "gamma_poisson",
         "gamma_exponential", "normal_normal", "normal_lognormal", "gamma_normal_precision",
         "inverse_gamma_normal_variance", "gamma_pareto_shape", "inverse_gamma_weibull_scale", "pareto_uniform")

#: The joint pairs of tests/bayes/test_joint_posteriors.py and the other MAP derivations of test_map.py: name -> build.
JOINT = {
    "dirichlet_categorical": lambda: test_joint_posteriors.dirichlet.__wrapped__("sympy.stats"),
    "dirichlet_categorical (user)": lambda: test_joint_posteriors.dirichlet.__wrapped__("normalised"),
    "normal_inverse_gamma (user)": lambda: test_joint_posteriors.normal_inverse_gamma.__wrapped__(True),
    "normal_gamma": test_joint_posteriors.normal_gamma.__wrapped__,
    "MAP dirichlet simplex": test_map.simplex_mode.__wrapped__,
    "MAP laplace soft-threshold": lambda: test_map.laplace_mode.__wrapped__("sympy.stats"),
}

#: MAP pair -> (sample, values by name, scipy.stats log posterior, bracket holding the mode)
def _map_cases(size: int) -> dict[str, tuple[np.ndarray, dict[str, float], Callable[[float], float], tuple]]:
    rng = np.random.default_rng(0)
    bits = rng.binomial(1, 0.3, size).astype(float)
    counts = rng.poisson(3.0, size).astype(float)
    normal = rng.normal(0.5, 1.0, size)
    return {
        "beta_bernoulli": (bits, {"a": 2.0, "b": 3.0},
                           lambda q: ss.bernoulli.logpmf(bits, q).sum() + ss.beta.logpdf(q, 2.0, 3.0), (1e-9, 1 - 1e-9)),
        "gamma_poisson": (counts, {"a": 2.0, "b": 1.5},
                          lambda q: ss.poisson.logpmf(counts, q).sum() + ss.gamma.logpdf(q, 2.0, scale=1.5), (1e-6, 50)),
        "normal_normal": (normal, {"m_0": 0.0, "sigma": 1.0, "t": 2.0},
                          lambda q: ss.norm.logpdf(normal, q, 1.0).sum() + ss.norm.logpdf(q, 0.0, 2.0), (-10, 10)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'posterior pair':32} {'derive s':>9}  family")
    for name in PAIRS:
        seconds = _median_seconds(lambda: test_posterior_pairs.posterior.__wrapped__(name), args.repeats, before=clear_cache)
        print(f"{name:32} {seconds:9.3f}  {test_posterior_pairs.posterior(name).problem.family}")
    for name, build in JOINT.items():
        seconds = _median_seconds(build, args.repeats, before=clear_cache)
        print(f"{name:32} {seconds:9.3f}  {getattr(build().problem, 'family', None) or '(MAP)'}")
    print(f"\n{'MAP pair':20} {'derive s':>9} {'numpy() ms':>11} {'scipy ms':>10} {'ratio':>7} {'|diff|':>9}")
    for name, (sample, values, log_posterior, bracket) in _map_cases(args.size).items():
        derive = _median_seconds(lambda: test_map.mode.__wrapped__(name), args.repeats, before=clear_cache)
        estimator = test_map.mode(name).numpy()
        ours = _median_seconds(lambda: estimator(x=sample, **values), args.repeats)
        theirs = _median_seconds(lambda: log_posterior_mode(log_posterior, *bracket), args.repeats)
        value = next(iter(estimator(x=sample, **values).values()))
        diff = abs(value - log_posterior_mode(log_posterior, *bracket))
        print(f"{name:20} {derive:9.3f} {ours * 1e3:11.3f} {theirs * 1e3:10.1f} {theirs / ours:7.0f} {diff:9.1e}")


if __name__ == "__main__":
    main()
