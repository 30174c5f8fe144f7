"""Benchmark of the Gaussian algebra and matrix-level Bayes: derivation time, flat cost in d, and the numpy() results.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_gaussian.py [--repeats 3]

1. Per catalog entry (``derivations/gaussian``, the matrix-level ``derivations/bayes`` ones): the median time of
   ``derivation()`` with SymPy's cache cleared before each run. Goal (issues 12, 13): under 1 s.
2. Flat cost: the conditional, the linear-Gaussian marginal and the BLR posterior with symbolic sizes and with
   sizes 3000: the same route, so the same time.
3. numpy(): the BLR log evidence at N = 2000, M = 100 against scipy.stats.multivariate_normal.logpdf of t under
   N(0, β⁻¹I + α⁻¹ΦΦᵀ) (an N x N covariance); the type-II fixed point against scipy.optimize (Nelder-Mead over
   log α, log β) of that log evidence at N = 300, M = 10: time, ratio and agreement.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402
from scipy.optimize import minimize  # noqa: E402
from scipy.stats import multivariate_normal  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import symml  # noqa: E402
from benchmarks.bench_mle import _median_seconds  # noqa: E402  (median of repeats, a hook before each)
from derivations import entry, entry_names  # noqa: E402
from symml.gaussian import Gaussian, JointGaussian, LinearGaussian  # noqa: E402

ENTRIES = [n for n in entry_names() if n.startswith("gaussian.")
           or n.startswith(("bayes.linear_regression", "bayes.multivariate_normal_mean", "bayes.wishart"))]


def _blr(N: Any, M: Any) -> symml.Derivation:
    Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    return symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)


def _flat_cases(size: Any) -> dict[str, Callable[[], Any]]:
    joint, model = JointGaussian.blocks(size, size), LinearGaussian.blocks(size, size)
    return {"conditional": lambda: symml.derive.conditional(joint, given=joint.x_b),
            "linear-Gaussian marginal": lambda: symml.derive.marginal(model, keep=model.y),
            "BLR posterior": lambda: _blr(size, size)}


def _timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    out = fn()
    return _median_seconds(fn, repeats), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    print(f"{'catalog entry':45} {'derive s':>9}")
    for name in ENTRIES:
        print(f"{name:45} {_median_seconds(entry(name).derivation, args.repeats, clear_cache):9.3f}")

    print(f"\n{'flat cost':28} {'symbolic s':>11} {'size 3000 s':>12}")
    symbolic, concrete = _flat_cases(symml.dims("d")), _flat_cases(3000)
    for name in symbolic:
        print(f"{name:28} {_median_seconds(symbolic[name], args.repeats, clear_cache):11.3f} "
              f"{_median_seconds(concrete[name], args.repeats, clear_cache):12.3f}")

    rng = np.random.default_rng(0)
    N, M = 2000, 100
    Phi = rng.normal(size=(N, M))
    t = Phi @ rng.normal(size=M) + 0.5 * rng.normal(size=N)
    post = _blr(*symml.dims("N M"))
    log_z = symml.derive.evidence(post).numpy()
    derived_seconds, derived = _timed(lambda: log_z(Phi=Phi, t=t, alpha=2.0, beta=3.0)["log_evidence"], args.repeats)
    direct_seconds, direct = _timed(lambda: multivariate_normal(np.zeros(N), np.eye(N) / 3.0 + Phi @ Phi.T / 2.0)
                                    .logpdf(t), args.repeats)
    print(f"\nlog evidence at N = {N}, M = {M}: numpy() {1e3 * derived_seconds:.1f} ms, scipy.stats "
          f"{1e3 * direct_seconds:.1f} ms ({direct_seconds / derived_seconds:.0f}x), |diff| = {abs(derived - direct):.1e}")

    N, M = 300, 10
    Phi = rng.normal(size=(N, M))
    t = Phi @ rng.normal(size=M) + 0.5 * rng.normal(size=N)
    alpha, beta = sp.symbols("alpha beta", positive=True)
    fit = symml.derive.evidence_maximization(post, [alpha, beta]).numpy()
    fixed_seconds, fixed = _timed(lambda: fit(Phi=Phi, t=t, alpha=1.0, beta=1.0), args.repeats)

    def scipy_fit() -> np.ndarray:
        def negative(logs: np.ndarray) -> float:
            a, b = np.exp(logs)
            return -float(multivariate_normal(np.zeros(N), np.eye(N) / b + Phi @ Phi.T / a).logpdf(t))

        return np.exp(minimize(negative, np.zeros(2), method="Nelder-Mead",
                               options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 5000}).x)

    scipy_seconds, numeric = _timed(scipy_fit, args.repeats)
    gap = max(abs(fixed["alpha"] / numeric[0] - 1), abs(fixed["beta"] / numeric[1] - 1))
    print(f"type-II fixed point at N = {N}, M = {M}: numpy() {1e3 * fixed_seconds:.1f} ms "
          f"({fixed['iterations']} iterations), scipy.optimize {1e3 * scipy_seconds:.1f} ms "
          f"({scipy_seconds / fixed_seconds:.0f}x), relative difference {gap:.1e}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"\n(total {time.perf_counter() - start:.0f} s)")
