"""Benchmark of the MLE catalog: time to derive, and the numpy() estimator against scipy on 1e6 points.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_mle.py [--size 1000000] [--repeats 5] [--only mle.normal ...]

Per catalog entry: the median time of ``derivation()`` (SymPy's cache cleared before each run, so every run
derives from scratch); then, on one sample of ``--size`` points drawn from scipy.stats at the entry's test values,
the median time of the ``numpy()`` estimator, of ``scipy.stats.<family>.fit`` with the same parameters fixed,
and of ``scipy.optimize.minimize`` on scipy.stats' log-likelihood (BFGS in log coordinates for positive
parameters; Nelder-Mead where the likelihood is not smooth), with the ratios to the estimator. Goals (issue 3):
derivation < 1 s median; closed forms no slower than scipy's fit; >= 20x faster than minimize.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy: BLAS threads make timings stall in steps

import argparse  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402
from scipy import optimize  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from derivations import build, entry, entry_names  # noqa: E402
from tests.mle_numeric.catalog_oracle import ORACLE  # noqa: E402  (scipy parameterisations and test values)

#: scipy.stats fit with the parameters symml holds fixed also fixed (continuous families: rv_discrete has no fit).
FIT: dict[str, Callable[[np.ndarray, dict[str, float]], Any]] = {
    "mle.beta": lambda x, v: ss.beta.fit(x, floc=0, fscale=1),
    "mle.exponential": lambda x, v: ss.expon.fit(x, floc=0),
    "mle.gamma_rate": lambda x, v: ss.gamma.fit(x, fa=v["k"], floc=0),
    "mle.gamma_shape": lambda x, v: ss.gamma.fit(x, floc=0),
    "mle.laplace_location": lambda x, v: ss.laplace.fit(x, fscale=v["b"]),
    "mle.laplace_scale": lambda x, v: ss.laplace.fit(x, floc=v["mu"]),
    "mle.lognormal": lambda x, v: ss.lognorm.fit(x, floc=0),
    "mle.maxwell": lambda x, v: ss.maxwell.fit(x, floc=0),
    "mle.normal": lambda x, v: ss.norm.fit(x),
    "mle.normal_mean": lambda x, v: ss.norm.fit(x, fscale=v["sigma"]),
    "mle.normal_sd": lambda x, v: ss.norm.fit(x, floc=v["mu"]),
    "mle.pareto": lambda x, v: ss.pareto.fit(x, floc=0, fscale=v["x_m"]),
    "mle.rayleigh": lambda x, v: ss.rayleigh.fit(x, floc=0),
    "mle.shifted_exponential": lambda x, v: ss.expon.fit(x, fscale=1 / v["lambda"]),
    "mle.student_t_location": lambda x, v: ss.t.fit(x, fdf=v["nu"], fscale=1),
    "mle.uniform": lambda x, v: ss.uniform.fit(x),
    "mle.uniform_zero_theta": lambda x, v: ss.uniform.fit(x, floc=0),
    "mle.weibull_scale": lambda x, v: ss.weibull_min.fit(x, fc=v["beta"], floc=0),
    "mle.weibull_shape": lambda x, v: ss.weibull_min.fit(x, floc=0),
}


def _median_seconds(fn: Callable[[], Any], repeats: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _minimize(name: str, sample: np.ndarray, truth: dict[str, float]) -> dict[str, float]:
    """scipy.optimize.minimize of scipy.stats' negative log-likelihood in the entry's estimated parameters."""
    oracle, wrt = ORACLE[name], build(name).problem.wrt
    names, positive = [str(p) for p in wrt], [bool(p.is_positive) for p in wrt]

    def values(z: np.ndarray) -> dict[str, float]:
        return {**truth, **{n: math.exp(v) if pos else v for n, v, pos in zip(names, z, positive)}}

    def negative(z: np.ndarray) -> float:
        model = oracle.scipy(values(z))
        logpdf = getattr(model, "logpdf", None) or model.logpmf
        with np.errstate(all="ignore"):
            total = float(np.sum(logpdf(sample)))
        return -total / sample.size if math.isfinite(total) else math.inf

    start = np.array([math.log(truth[n]) - 0.3 if pos else truth[n] - 0.3 for n, pos in zip(names, positive)])
    method = "BFGS" if oracle.smooth else "Nelder-Mead"
    result = optimize.minimize(negative, start, method=method)
    return values(result.x)


def bench(name: str, size: int, repeats: int) -> dict[str, Any]:
    """Timings (seconds) and agreement for one catalog entry."""
    derive = _median_seconds(lambda: entry(name).derivation(), repeats=3, before=clear_cache)
    derivation, oracle = build(name), ORACLE[name]
    truth = oracle.truth
    sample = oracle.scipy(truth).rvs(size=size, random_state=np.random.default_rng(0))
    fixed = {str(p): truth[str(p)] for p in derivation.problem.fixed}
    estimator = derivation.numpy()
    estimate = estimator(sample, **fixed)
    numpy_time = _median_seconds(lambda: estimator(sample, **fixed), repeats)
    fit_time = _median_seconds(lambda: FIT[name](sample, truth), max(1, repeats // 2)) if name in FIT else math.nan
    start = time.perf_counter()
    minimum = _minimize(name, sample, truth)
    minimize_time = time.perf_counter() - start
    agreement = max(abs(estimate[p] - minimum[p]) / max(abs(minimum[p]), 1e-300) for p in estimate)
    return {"name": name, "closed": derivation.problem.closed_form, "derive": derive, "numpy": numpy_time,
            "fit": fit_time, "minimize": minimize_time, "agreement": agreement}


def _table(rows: list[dict[str, Any]]) -> str:
    header = (f"{'entry':26s} {'form':7s} {'derive s':>9s} {'numpy ms':>9s} {'fit ms':>9s} {'fit/np':>7s} "
              f"{'minimize ms':>12s} {'min/np':>7s} {'|np-min|/min':>13s}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['name']:26s} {'closed' if r['closed'] else 'numeric':7s} {r['derive']:9.3f} {1e3 * r['numpy']:9.2f} "
            f"{1e3 * r['fit']:9.2f} {r['fit'] / r['numpy']:7.1f} {1e3 * r['minimize']:12.1f} "
            f"{r['minimize'] / r['numpy']:7.1f} {r['agreement']:13.1e}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="+", metavar="ENTRY")
    arguments = parser.parse_args(argv)
    names = arguments.only or [n for n in entry_names() if n.startswith("mle.")]
    rows = []
    for name in names:
        rows.append(bench(name, arguments.size, arguments.repeats))
        print(_table(rows[-1:]).splitlines()[-1], flush=True)
    print(f"\nOPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, n = {arguments.size}, "
          f"medians of {arguments.repeats} (derive: 3, SymPy cache cleared); fit = scipy.stats fit with the same "
          "parameters fixed (nan: discrete, no fit); minimize = one run from 0.3 away.\n")
    print(_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
