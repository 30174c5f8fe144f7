"""Benchmark of the MLE catalog: time to derive, and the numpy() estimator against hand-written NumPy, scipy's
fit and scipy.optimize.minimize, at several sample sizes.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_mle.py [--sizes 10 1000000 10000000] [--repeats 7]
        [--only mle.normal ...] [--derive] [--cpu]

Per catalog entry and sample size, on one sample drawn from scipy.stats at the entry's test values (integers
stay int64), the median time (the candidates run in turn in each round, so load affects them alike) of: the
``numpy()`` estimator; the same estimate written by hand in NumPy (closed forms only: the obvious one-liner, no
checks); ``scipy.stats.<family>.fit`` with the same parameters fixed; and ``scipy.optimize.minimize`` on
scipy.stats' log-likelihood, its logpdf called with the parameters as a person writes it
(``ss.t.logpdf(x, nu, loc=mu)``: no distribution frozen at each evaluation; BFGS in log coordinates for positive
parameters; Nelder-Mead where the likelihood is not smooth; only up to ``--minimize-max`` points). Ratios are of
times measured in the same run. With ``--derive``, also the median time of ``derivation()`` (SymPy's cache
cleared). Up to 1000 points each repeat is the median of up to 200 calls in a row (the inner loop of a bootstrap
or an optimizer; fewer where 200 would take over 0.2 s), and minimize runs in the same rounds as the estimator.
Goals (issue 17): closed forms >= 1.0x scipy's fit and <= 1.1x hand-written NumPy at 1e6 and 1e7 points, no
slower than scipy's fit at n = 10; numeric estimators >= 20x faster than minimize.

The measurements, dated, with what each change did and where the time goes: ``benchmarks/MEASUREMENTS.md``.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy: BLAS threads make timings stall in steps

import argparse  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
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

#: The closed-form estimates as a person writes them in NumPy: the obvious expression, no checks of the data.
HAND: dict[str, Callable[[np.ndarray, dict[str, float]], Any]] = {
    "mle.bernoulli": lambda x, v: x.mean(),
    "mle.binomial": lambda x, v: x.mean() / v["m"],
    "mle.exponential": lambda x, v: 1 / x.mean(),
    "mle.gamma_rate": lambda x, v: v["k"] / x.mean(),
    "mle.geometric": lambda x, v: 1 / x.mean(),
    "mle.laplace_location": lambda x, v: np.median(x),
    "mle.laplace_scale": lambda x, v: np.mean(np.abs(x - v["mu"])),
    "mle.lognormal": lambda x, v: (lambda logs: (logs.mean(), logs.std()))(np.log(x)),
    "mle.maxwell": lambda x, v: np.sqrt(np.mean(x**2) / 3),
    "mle.normal": lambda x, v: (x.mean(), x.std()),
    "mle.normal_mean": lambda x, v: x.mean(),
    "mle.normal_sd": lambda x, v: np.sqrt(np.mean((x - v["mu"]) ** 2)),
    "mle.pareto": lambda x, v: 1 / (np.mean(np.log(x)) - np.log(v["x_m"])),
    "mle.poisson": lambda x, v: x.mean(),
    "mle.rayleigh": lambda x, v: np.sqrt(np.mean(x**2) / 2),
    "mle.shifted_exponential": lambda x, v: x.min(),
    "mle.uniform": lambda x, v: (x.min(), x.max()),
    "mle.uniform_zero_theta": lambda x, v: x.max(),
    "mle.weibull_scale": lambda x, v: np.mean(x ** v["beta"]) ** (1 / v["beta"]),
}

#: Where the hand version shows nothing about the data but the estimator must refuse a non-finite observation that
#: the estimate itself does not reveal: the hand version plus the cheapest exact check written by hand (the
#: shifted exponential's x.min() misses +inf; BLAS dasum, sum |x|, is finite exactly when every observation is, or
#: overflows, and reads ~15 elements a ns from L3): the floor of a checked estimator, timed in the same rounds.
CHECKED: dict[str, Callable[[np.ndarray, dict[str, float]], Any]] = {
    "mle.shifted_exponential": lambda x, v: (x.min(), _dasum()(x)),
}


def _dasum() -> Callable[[np.ndarray], float]:
    from scipy.linalg.blas import dasum

    return dasum


#: The clock of the timed repeats: wall time (perf_counter), or with --cpu this process's CPU time (process_time:
#: at load 10-17 on the 2 shared cores a single call of a few ms waits for a time slice or a page in some repeats)
CLOCK: list[Callable[[], float]] = [time.perf_counter]

#: Calls timed together per repeat on samples of up to 1000 points (the inner loop of a bootstrap or optimizer)
TINY_CALLS = 200


def _median_seconds(fn: Callable[[], Any], repeats: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class _Called:
    """A scipy.stats distribution with its parameters bound but not frozen: ``logpdf(x)`` is
    ``dist.logpdf(x, *args, **kwds)``. Freezing (``ss.t(3, loc=m)``) builds a copy of the distribution object,
    ~200 us, four times the log-density of 10 observations: a person minimising a log-likelihood calls
    ``ss.t.logpdf(x, 3, loc=m)``."""

    def __init__(self, dist: Any, args: tuple, kwds: dict):
        self.dist, self.args, self.kwds = dist, args, kwds

    def __getattr__(self, method: str) -> Callable[..., Any]:
        bound = getattr(self.dist, method)  # AttributeError for a pmf's logpdf, as a frozen distribution's
        return lambda x: bound(x, *self.args, **self.kwds)


class _Unfrozen:
    """``scipy.stats`` as the catalog oracle's models see it, its distributions called to :class:`_Called`."""

    def __getattr__(self, name: str) -> Callable[..., _Called]:
        return lambda *args, **kwds: _Called(getattr(ss, name), args, kwds)


def _unfrozen(model: Callable[[dict[str, float]], Any]) -> Callable[[dict[str, float]], Any]:
    """The oracle's model (``lambda v: ss.t(v["nu"], loc=v["mu"])``) with ``ss`` read as :class:`_Unfrozen`."""
    return types.FunctionType(model.__code__, {**model.__globals__, "ss": _Unfrozen()}, model.__name__,
                              model.__defaults__, model.__closure__)


def _minimize(name: str, sample: np.ndarray, truth: dict[str, float]) -> dict[str, float]:
    """scipy.optimize.minimize of scipy.stats' negative log-likelihood in the entry's estimated parameters, its
    logpdf called with the parameters (not a distribution frozen at each evaluation: :class:`_Called`)."""
    oracle, wrt = ORACLE[name], build(name).problem.wrt
    names, positive = [str(p) for p in wrt], [bool(p.is_positive) for p in wrt]
    model_at = _unfrozen(oracle.scipy)

    def values(z: np.ndarray) -> dict[str, float]:
        return {**truth, **{n: math.exp(v) if pos else v for n, v, pos in zip(names, z, positive)}}

    def negative(z: np.ndarray) -> float:
        model = model_at(values(z))
        logpdf = getattr(model, "logpdf", None) or model.logpmf
        with np.errstate(all="ignore"):
            total = float(np.sum(logpdf(sample)))
        return -total / sample.size if math.isfinite(total) else math.inf

    start = np.array([math.log(truth[n]) - 0.3 if pos else truth[n] - 0.3 for n, pos in zip(names, positive)])
    method = "BFGS" if oracle.smooth else "Nelder-Mead"
    result = optimize.minimize(negative, start, method=method)
    return values(result.x)


def _interleaved(functions: dict[str, Callable[[], Any]], repeats: dict[str, int], calls: int = 1) -> dict[str, float]:
    """The median time of one call of each function over its repeats (3 for one whose first call took over 2 s),
    after one untimed run (first calls compile), the functions run in turn within each round: a change in the
    machine's load then affects all of them alike. ``calls``: calls in a row per repeat (fewer where they would
    take over ~0.2 s), the repeat's time their median (a call of a few microseconds timed once after the other candidates meets the caches they left cold,
    and a loop timed whole meets the other processes' time slices at load 10)."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    repeats, in_a_row = dict(repeats), {}
    for name, fn in functions.items():
        start = time.perf_counter()
        fn()
        first = time.perf_counter() - start
        if first > 2.0:  # scipy's numeric fits at 1e7 points: 20-70 s a call
            repeats[name] = min(repeats[name], 3)
        in_a_row[name] = max(1, min(calls, int(0.2 / max(first, 1e-9))))  # ~0.2 s a repeat at most
    for round_ in range(max(repeats.values())):
        for name, fn in functions.items():
            if round_ < repeats[name]:
                laps = []
                for _ in range(in_a_row[name]):
                    start = CLOCK[0]()
                    fn()
                    laps.append(CLOCK[0]() - start)
                times[name].append(statistics.median(laps))
    return {name: statistics.median(values) for name, values in times.items()}


def bench(name: str, size: int, repeats: int, minimize_max: int) -> dict[str, Any]:
    """Timings (seconds, nan where not measured) and agreement with minimize for one entry at one size."""
    derivation, oracle = build(name), ORACLE[name]
    truth = oracle.truth
    sample = oracle.scipy(truth).rvs(size=size, random_state=np.random.default_rng(0))
    fixed = {str(p): truth[str(p)] for p in derivation.problem.fixed}
    estimator = derivation.numpy()
    estimate = estimator(sample, **fixed)
    closed = derivation.problem.closed_form
    functions = {"numpy": lambda: estimator(sample, **fixed)}
    if name in HAND:
        functions["hand"] = lambda: HAND[name](sample, truth)
    if name in CHECKED and size > 1000:
        functions["checked"] = lambda: CHECKED[name](sample, truth)
    if name in FIT:
        functions["fit"] = lambda: FIT[name](sample, truth)
    minimized = size <= (minimize_max if not closed else min(minimize_max, 10_000))
    if minimized:  # in the same rounds as the estimator: a change in load affects the ratio's two sides alike
        functions["minimize"] = lambda: _minimize(name, sample, truth)
    times = _interleaved(functions, {"numpy": repeats, "hand": repeats, "checked": repeats,
                                     "fit": repeats if closed else 3, "minimize": max(3, repeats // 2)},
                         calls=TINY_CALLS if size <= 1000 else 1)
    row = {"name": name, "size": size, "closed": closed, "hand": math.nan, "checked": math.nan, "fit": math.nan,
           "minimize": math.nan, **times, "agreement": math.nan}
    if minimized:
        minimum = _minimize(name, sample, truth)
        row["agreement"] = max(abs(estimate[p] - minimum[p]) / max(abs(minimum[p]), 1e-300) for p in estimate)
    return row


def _table(rows: list[dict[str, Any]]) -> str:
    header = (f"{'entry':26s} {'form':7s} {'n':>8s} {'symml ms':>9s} {'hand ms':>9s} {'fit ms':>9s} "
              f"{'minimize ms':>12s} {'np/hand':>8s} {'checked/hand':>13s} {'fit/np':>7s} {'min/np':>7s} "
              f"{'|np-min|/min':>13s}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['name']:26s} {'closed' if r['closed'] else 'numeric':7s} {r['size']:8.0e} {1e3 * r['numpy']:9.4f} "
            f"{1e3 * r['hand']:9.4f} {1e3 * r['fit']:9.4f} {1e3 * r['minimize']:12.2f} {r['numpy'] / r['hand']:8.2f} "
            f"{r['checked'] / r['hand']:13.2f} {r['fit'] / r['numpy']:7.2f} {r['minimize'] / r['numpy']:7.1f} "
            f"{r['agreement']:13.1e}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--minimize-max", type=int, default=1_000_000, help="largest size minimize runs on")
    parser.add_argument("--derive", action="store_true", help="also time derivation() (SymPy cache cleared)")
    parser.add_argument("--only", nargs="+", metavar="ENTRY")
    parser.add_argument("--cpu", action="store_true", help="time CPU time (process_time), not wall time")
    arguments = parser.parse_args(argv)
    CLOCK[0] = time.process_time if arguments.cpu else time.perf_counter
    names = arguments.only or [n for n in entry_names() if n.startswith("mle.")]
    if arguments.derive:
        for name in names:
            seconds = _median_seconds(lambda: entry(name).derivation(), repeats=3, before=clear_cache)
            print(f"derive {name:26s} {seconds:7.3f} s", flush=True)
    rows = []
    for name in names:
        for size in arguments.sizes:
            if not build(name).problem.closed_form and size > arguments.minimize_max:
                continue  # numeric estimators are measured against minimize (and scipy's fit: 30-150 s at 1e7)
            rows.append(bench(name, size, arguments.repeats, arguments.minimize_max))
            print(_table(rows[-1:]).splitlines()[-1], flush=True)
    print(f"\nOPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, medians of {arguments.repeats} (minimize: "
          f"{max(3, arguments.repeats // 2)}, numeric up to n = {arguments.minimize_max}, closed forms up to 1e4; "
          f"scipy fit of numeric entries: 3; up to n = 1000 a repeat is the median of up to {TINY_CALLS} calls in a row); "
          "hand = the estimate in plain NumPy "
          "without checks; checked = hand plus the cheapest exact finiteness check where the estimate misses one "
          "(the floor of a checked estimator); fit = scipy.stats fit with the same parameters fixed (nan: discrete, no fit); minimize "
          f"from 0.3 away; {'CPU' if arguments.cpu else 'wall'} time, load average {os.getloadavg()[0]:.1f}.\n")
    print(_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
