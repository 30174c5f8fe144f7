"""Benchmark: scalar calculus and linear algebra derivation times; generated NumPy for the scalar losses' gradients
against hand-written NumPy on 10⁶ points.

Run:  python benchmarks/bench_calculus.py            (10⁶ points)
      python benchmarks/bench_calculus.py --quick    (10⁵ points)

Derivation times are CPU-time medians of 3 fresh derivations (SymPy's cache cleared; goal: under 0.5 s for scalar
gradients and 2 × 2 / 3 × 3 factorisations). NumPy times are median CPU times of interleaved repeats on one BLAS thread; the ratio
is generated / hand-written (goal ≤ 1.1). The hand-written versions use the same stable primitives (expit,
logaddexp), so the ratio measures the generated code, not a stability trick.
"""
from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402
from scipy.special import expit  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import symml  # noqa: E402
from benchmarks.bench_matrix import median_seconds  # noqa: E402

z, r, mu, s, x = sp.symbols("z r mu s x", real=True)
y = sp.Symbol("y", real=True)
delta = sp.Symbol("delta", positive=True)
sigma = 1 / (1 + sp.exp(-z))

# name -> (loss, wrt, hand-written gradient as a function of the data dict)
LOSSES: dict[str, tuple[sp.Expr, object, Callable[[dict], object]]] = {
    "binary cross-entropy (logit)": (-y * sp.log(sigma) - (1 - y) * sp.log(1 - sigma), z,
                                     lambda v: expit(v["z"]) - v["y"]),
    "sigmoid": (sigma, z, lambda v: (lambda p: p * (1 - p))(expit(v["z"]))),
    "softplus": (sp.log(1 + sp.exp(z)), z, lambda v: expit(v["z"])),
    "Huber": (sp.Piecewise((r**2 / 2, sp.Abs(r) <= delta), (delta * (sp.Abs(r) - delta / 2), True)), r,
              lambda v: np.where(np.abs(v["r"]) <= v["delta"], v["r"], v["delta"] * np.sign(v["r"]))),
    "VAE Gaussian KL (mu, s)": (-(1 + s - mu**2 - sp.exp(s)) / 2, [mu, s],
                                lambda v: np.stack([v["mu"], (np.exp(v["s"]) - 1) / 2])),
    "Gaussian NLL (mu, s)": ((x - mu)**2 / (2 * sp.exp(s)) + s / 2 + sp.log(2 * sp.pi) / 2, [mu, s],
                             lambda v: (lambda e, rr: np.stack([-rr * e, (1 - rr**2 * e) / 2]))(np.exp(-v["s"]),
                                                                                                  v["x"] - v["mu"])),
}

# name -> (an index-notation loss typed as LaTeX, the vector it is differentiated against)
INDEXED = {
    "least squares (LaTeX, matrix form)": (r"\sum_{i=1}^n (y_i - \sum_{j=1}^d w_j X_{ij})^2", "w"),
    "softmax CE (LaTeX, matrix form)": (r"\sum_{i=1}^n \left(\log \sum_{k=1}^K \exp\left(\sum_{j=1}^d X_{ij} "
                                        r"W_{jk}\right) - \sum_{k=1}^K Y_{ik} \sum_{j=1}^d X_{ij} W_{jk}\right)", "W"),
    "nested log-sum-exp (in indices)": (r"\sum_{i=1}^n \log\left(1 + \sum_{j=1}^d \exp(w_j X_{ij})\right)", "w"),
}


def _cpu_median(function: Callable[[], object], repeats: int = 3) -> float:
    """Median CPU seconds of fresh derivations: on a machine shared with other jobs, wall-clock time measures the
    load (the same derivations took 0.25 s of CPU and 0.7-1.2 s of wall clock); derivations are single-threaded."""
    times = []
    for _ in range(repeats):
        sp.core.cache.clear_cache()  # fresh: SymPy's cache would make the second derivation a lookup
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _random_matrices() -> dict[str, sp.Matrix]:
    rng = np.random.default_rng(1)
    integers = rng.integers(-5, 6, (3, 3))
    return {"3 x 3 random integer": sp.Matrix(integers.tolist()),
            "3 x 3 random symmetric": sp.Matrix((integers + integers.T).tolist()),
            "3 x 3 random decimals": sp.Matrix(rng.normal(size=(3, 3)).round(2).tolist())}


def derivation_times() -> None:
    print("Derivation time (median of 3 fresh derivations, CPU seconds):")
    for name, (loss, wrt, _) in LOSSES.items():
        print(f"  gradient of {name:32s} {_cpu_median(lambda: symml.derive.gradient(loss, wrt)):.3f} s")
    for name, (text, wrt) in INDEXED.items():
        for kind in ("gradient", "hessian"):
            seconds = _cpu_median(lambda: getattr(symml.derive, kind)(text, wrt))
            print(f"  {kind:8s} of {name:32s} {seconds:.3f} s")
    a, b = sp.symbols("a b", real=True)
    matrices = {"[[2, 1], [1, 3]]": sp.Matrix([[2, 1], [1, 3]]), "[[a, b], [b, a]]": sp.Matrix([[a, b], [b, a]]),
                "3 x 3 symmetric": sp.Matrix([[4, 1, 0], [1, 3, 1], [0, 1, 4]]), **_random_matrices()}
    for label, A in matrices.items():
        for kind in ("eigen", "lu", "qr", "svd", "inverse"):
            seconds = _cpu_median(lambda: getattr(symml.derive, kind)(A))
            print(f"  {kind:8s} of {label:24s} {seconds:.3f} s")


def numpy_ratios(points: int) -> None:
    rng = np.random.default_rng(0)
    data = {"z": rng.normal(0, 3, points), "r": rng.normal(0, 2, points), "mu": rng.normal(size=points),
            "s": rng.normal(size=points), "x": rng.normal(size=points), "y": rng.uniform(0, 1, points), "delta": 1.0}
    print(f"\nGradient on {points:.0e} points: generated NumPy vs hand-written (median CPU time, ratio):")
    for name, (loss, wrt, hand) in LOSSES.items():
        derivation = symml.derive.gradient(loss, wrt)
        generated = derivation.numpy()
        names = [sym.name for sym in sorted(derivation.problem.function.free_symbols | set(derivation.problem.wrt),
                                            key=lambda sym: sym.name)]
        values = {key: data[key] for key in names}
        assert np.allclose(generated(**values), hand(data), atol=1e-12)
        times = median_seconds({"generated": lambda: generated(**values), "hand": lambda: hand(data)},
                               {"generated": 7, "hand": 7})
        print(f"  {name:32s} {times['generated'] * 1e3:7.2f} ms vs {times['hand'] * 1e3:7.2f} ms: "
              f"{times['generated'] / times['hand']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^5 points instead of 10^6")
    args = parser.parse_args()
    derivation_times()
    numpy_ratios(10**5 if args.quick else 10**6)


if __name__ == "__main__":
    main()
