"""Benchmark of the probability derivations: derivation time per family, and numpy() against scipy.stats.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_probability.py [--repeats 3] [--skip-kl]

- Entropy, same-family KL and Fisher information per family, and every KL pair of the README table (tests/probability/kl_pairs.py):
  median derivation CPU time (SymPy's cache cleared before each run), default budgets. Goal (issue 13): under 2 s,
  none hanging.
- The KL table: how many pairs come out in closed form, infinite (support) or with no closed form, same-family
  and cross-family, at the default budget: the README table's rows, counted from the pairs' outcomes.
- The ten slowest of all the derivations timed (entropy, KL, Fisher per family and every KL pair).
- Exact intervals, mutual information, information gain, the ridge bias-variance and Brier decompositions,
  rejection sampling, Platt and temperature scaling, the thresholded classifier, Box-Muller, moments of
  quadratic forms: derivation CPU time each.
- ``numpy()`` of each entropy against scipy.stats' ``entropy()``: time per call at one parameter value, the ratio
  and the relative error; and against the numeric entropy −E[log f] that scipy integrates (or sums) itself,
  ``twin.expect(lambda x: -twin.logpdf(x))`` (scipy's ``entropy()`` is a closed form for most of these families,
  so this column is the check against numeric integration).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy: BLAS threads make timings stall in steps

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402
import sympy as sp  # noqa: E402
import sympy.stats as st  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import symml  # noqa: E402
from tests.probability.kl_pairs import PAIRS, build, label  # noqa: E402
from tests.probability import kl_pairs  # noqa: E402

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
a, b = sp.symbols("a b", positive=True)
lam = sp.Symbol("lambda", positive=True)
p = sp.Symbol("p", positive=True)

#: (family, random variable, parameter values, scipy twin)
FAMILIES = [
    ("Normal", st.Normal("X", mu, sigma), {"mu": 0.3, "sigma": 1.4}, ss.norm(0.3, 1.4)),
    ("Exponential", st.Exponential("X", lam), {"lambda": 0.6}, ss.expon(scale=1 / 0.6)),
    ("Gamma", st.Gamma("X", a, b), {"a": 2.5, "b": 0.7}, ss.gamma(2.5, scale=0.7)),
    ("Beta", st.Beta("X", a, b), {"a": 2.5, "b": 0.7}, ss.beta(2.5, 0.7)),
    ("Laplace", st.Laplace("X", mu, b), {"mu": 0.3, "b": 0.7}, ss.laplace(0.3, 0.7)),
    ("LogNormal", st.LogNormal("X", mu, sigma), {"mu": 0.3, "sigma": 0.4}, ss.lognorm(0.4, scale=np.exp(0.3))),
    ("Uniform", st.Uniform("X", a, b), {"a": 0.5, "b": 2.0}, ss.uniform(0.5, 1.5)),
    ("Rayleigh", st.Rayleigh("X", sigma), {"sigma": 1.3}, ss.rayleigh(scale=1.3)),
    ("Gumbel", st.Gumbel("X", b, mu), {"b": 1.3, "mu": 0.2}, ss.gumbel_r(0.2, 1.3)),
    ("Poisson", st.Poisson("X", lam), {"lambda": 3.2}, ss.poisson(3.2)),
    ("Bernoulli", st.Bernoulli("X", p), {"p": 0.3}, ss.bernoulli(0.3)),
    ("Geometric", st.Geometric("X", p), {"p": 0.3}, ss.geom(0.3)),
    ("Weibull", st.Weibull("X", a, b), {"a": 1.3, "b": 1.7}, ss.weibull_min(1.7, scale=1.3)),
    ("Cauchy", st.Cauchy("X", mu, sigma), {"mu": 0.3, "sigma": 1.4}, ss.cauchy(0.3, 1.4)),
    ("Logistic", st.Logistic("X", mu, sigma), {"mu": 0.3, "sigma": 1.4}, ss.logistic(0.3, 1.4)),
    ("Pareto", st.Pareto("X", a, b), {"a": 1.3, "b": 2.5}, ss.pareto(2.5, scale=1.3)),
]

#: README KL table rows: (row, which pairs belong to it)
TABLE_ROWS = [
    ("same family", lambda pair: pair[0] is pair[1] and pair[2] != "infinite"),
    ("cross family, registered by torch/TFP", lambda pair: pair[0] is not pair[1] and pair[3] == "torch/TFP"),
    ("cross family, registered by neither", lambda pair: pair[0] is not pair[1] and pair[3] == "neither"),
    ("q vanishes where p does not", lambda pair: pair[2] == "infinite"),
]


def table(outcomes: dict[str, str]) -> list[str]:
    """The README KL table's rows, counted from the outcome of each pair of tests/probability/kl_pairs.py."""
    lines = ["| pairs | closed form | infinite (support) | no closed form (numeric `numpy()`) |", "|---|---|---|---|"]
    for row, belongs in TABLE_ROWS:
        pairs = [pair for pair in PAIRS if belongs(pair)]
        counts = {kind: [label(pair) for pair in pairs if outcomes[label(pair)] == kind]
                  for kind in ("closed", "infinite", "numeric")}
        lines.append(f"| {row} ({len(pairs)}) | {len(counts['closed'])} | {len(counts['infinite'])} | "
                     f"{len(counts['numeric'])}" + (f" ({', '.join(counts['numeric'])})" if counts["numeric"] else "")
                     + " |")
    return lines


def timed(fn, repeats):
    """Median CPU seconds of this process (threads included): on a machine shared by several engineers the wall
    time is inflated by the load; the CPU time is what the derivation costs."""
    times, result = [], None
    for _ in range(repeats):
        clear_cache()
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def outcome(d):
    if d.result == sp.oo:
        return "infinite"
    return "numeric" if d.result.has(sp.Integral, sp.Sum) else "closed"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-kl", action="store_true")
    args = parser.parse_args()
    print(f"{'family':12s} {'entropy s':>9s} {'KL s':>6s} {'fisher s':>9s} {'numpy us':>9s} {'scipy us':>9s} "
          f"{'ratio':>7s} {'rel.err':>8s} {'quad err':>8s}")
    timings: list[tuple[float, str]] = []
    for name, rv, values, twin in FAMILIES:
        t_entropy, entropy = timed(lambda: symml.derive.entropy(rv), args.repeats)
        same = getattr(kl_pairs, name.lower())
        p_rv, q_rv = same(0)[0], same(1)[0]
        t_kl, _ = timed(lambda: symml.derive.kl(p_rv, q_rv), args.repeats)
        t_fisher, _ = timed(lambda: symml.derive.fisher_information(rv), args.repeats)
        timings += [(t_entropy, f"entropy {name}"), (t_kl, f"KL {name}-{name}"), (t_fisher, f"Fisher {name}")]
        f = entropy.numpy()
        calls = 50
        start = time.perf_counter()
        for _ in range(calls):
            value = float(f(**values))
        t_numpy = (time.perf_counter() - start) / calls
        start = time.perf_counter()
        for _ in range(calls):
            reference = float(twin.entropy())
        t_scipy = (time.perf_counter() - start) / calls
        error = abs(value - reference) / max(abs(reference), 1e-300)
        log_f = twin.logpmf if hasattr(twin.dist, "pmf") else twin.logpdf
        with warnings.catch_warnings():  # −log f = ∞ far in a tail, where f = 0: scipy's integrand is ∞·0 there
            warnings.simplefilter("ignore")
            integrated = float(twin.expect(lambda x: np.minimum(-log_f(x), 1e300)))
        print(f"{name:12s} {t_entropy:9.2f} {t_kl:6.2f} {t_fisher:9.2f} {1e6 * t_numpy:9.1f} {1e6 * t_scipy:9.1f} "
              f"{t_scipy / t_numpy:7.1f} {error:8.1e} {abs(value - integrated) / abs(integrated):8.1e}", flush=True)
    print(f"\n{'other derivation':44s} {'CPU s':>7s}")
    s1, s2, rho = sp.Symbol("sigma1", positive=True), sp.Symbol("sigma2", positive=True), sp.Symbol("rho", real=True)
    others = [
        ("exact interval, normal mean (Student t)", lambda: symml.derive.confidence_interval(
            symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma]), mu, method="exact")),
        ("exact interval, exponential rate (Gamma)", lambda: symml.derive.confidence_interval(
            symml.derive.mle(st.Exponential("X", lam)), lam, method="exact")),
        ("mutual information, bivariate normal", lambda: symml.derive.mutual_information(st.MultivariateNormal(
            "Z", [0, 0], [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]]))),
        ("information gain, symbolic 2x2 counts", lambda: symml.derive.information_gain(sp.Matrix(2, 2, sp.symbols(
            "c1:5", positive=True)))),
        ("ridge bias-variance decomposition", symml.derive.ridge_bias_variance),
        ("Brier decomposition, 3 bins", lambda: symml.derive.brier_decomposition(3)),
        ("rejection sampling, Normal from Cauchy", lambda: symml.derive.rejection_sampling(
            st.Normal("X", 0, 1), st.Cauchy("X", 0, 1))),
        ("Platt scaling (gradient, Hessian)", symml.derive.platt_scaling),
        ("temperature scaling (gradient, Hessian)", symml.derive.temperature_scaling),
        ("threshold, two symbolic normals", lambda: symml.derive.threshold_reliability(
            st.Normal("S", mu, sigma), st.Normal("S", sp.Symbol("mu0", real=True), sigma))),
        ("threshold, Beta(2, 1) against Beta(1, 2)", lambda: symml.derive.threshold_reliability(
            st.Beta("S", 2, 1), st.Beta("S", 1, 2))),
        ("Box-Muller by change of variables", symml.derive.box_muller),
        ("moments of linear and quadratic forms", symml.derive.quadratic_form),
    ]
    for label_, build_ in others:
        seconds, _ = timed(build_, args.repeats)
        print(f"{label_:44s} {seconds:7.2f}", flush=True)
    if not args.skip_kl:
        outcomes: dict[str, str] = {}
        print(f"\n{'KL pair':26s} {'outcome':9s} {'seconds':>8s}")
        for pair in PAIRS:
            p_rv, q_rv, *_ = build(pair)
            seconds, d = timed(lambda: symml.derive.kl(p_rv, q_rv), 1)
            outcomes[label(pair)] = outcome(d)
            timings.append((seconds, f"KL {label(pair)}"))
            print(f"{label(pair):26s} {outcome(d):9s} {seconds:8.2f}  {pair[3]}", flush=True)
        print("\nKL table (default budget), as in README:")
        print("\n".join(table(outcomes)))
    timings.sort(reverse=True)
    print(f"\nslowest ten (goal: under 2 s each; {sum(t > 2 for t, _ in timings)} over):")
    for seconds, what in timings[:10]:
        print(f"  {what:36s} {seconds:6.2f}")


if __name__ == "__main__":
    main()
