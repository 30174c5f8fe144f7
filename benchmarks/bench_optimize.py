"""Benchmark of the optimisation catalog: time to derive, and numpy() against scipy.optimize on the same instance.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_optimize.py [--repeats 5]

Per entry of ``derivations/optimize``: the median time of ``derivation()`` (SymPy's cache cleared before each
run); then, on one random instance, the median time of the derived ``numpy()`` optimum and of
``scipy.optimize.minimize`` on the objective written in NumPy here (BFGS without constraints, SLSQP with them,
from a fixed start), the ratio, and the largest difference between the two optima (up to sign for PCA).
Goals (issue 10): derivation < 1 s; numpy() >= 20x faster than scipy.optimize, agreeing to 1e-8.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy: BLAS threads make timings stall in steps

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402
from scipy import optimize  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from derivations import entry  # noqa: E402
from benchmarks.bench_mle import _median_seconds  # noqa: E402  (median of repeats, a hook before each)

RNG = np.random.default_rng(0)
X, Y = RNG.standard_normal((200, 10)), RNG.standard_normal(200)
ROOT = RNG.standard_normal((10, 10))
S = ROOT @ ROOT.T
OMEGA = np.diag(RNG.uniform(0.5, 2.0, 200))
A, B, V = RNG.standard_normal((3, 10)), RNG.standard_normal(3), RNG.standard_normal(10)
COUNTS = dict(c1=3.0, c2=1.0, c3=4.0, c4=2.0)


def _bfgs(f: Callable[[np.ndarray], float], size: int) -> Callable[[], np.ndarray]:
    return lambda: optimize.minimize(f, np.full(size, 0.1), method="BFGS", options={"gtol": 1e-10}).x


def _slsqp(f: Callable, size: int, equalities: Callable, start: float = 0.1, bounds: Any = None) -> Callable:
    return lambda: optimize.minimize(f, np.full(size, start), method="SLSQP", bounds=bounds,
                                     constraints=[{"type": "eq", "fun": equalities}],
                                     options={"ftol": 1e-15, "maxiter": 1000}).x


def _simplex(p: np.ndarray) -> np.ndarray:
    return np.array([p.sum() - 1.0])


#: entry -> (inputs of numpy(), scipy solver of the same instance, how to read numpy()'s answer)
CASES: dict[str, tuple[dict, Callable[[], np.ndarray], Callable[[Any], np.ndarray]]] = {
    "optimize.ordinary_least_squares": ({"X": X, "y": Y}, _bfgs(lambda w: np.sum((Y - X @ w) ** 2), 10), np.ravel),
    "optimize.weighted_least_squares": ({"X": X, "y": Y, "Omega": OMEGA},
                                        _bfgs(lambda w: (Y - X @ w) @ OMEGA @ (Y - X @ w), 10), np.ravel),
    "optimize.ridge": ({"X": X, "y": Y, "lambda": 0.5},
                       _bfgs(lambda w: np.sum((Y - X @ w) ** 2) + 0.5 * w @ w, 10), np.ravel),
    "optimize.newton_step": ({"Q": S + np.eye(10), "c": V},
                             _bfgs(lambda w: w @ (S + np.eye(10)) @ w / 2 - V @ w, 10), np.ravel),
    "optimize.pca_first_component": ({"S": S}, _slsqp(lambda w: -w @ S @ w, 10, lambda w: np.array([w @ w - 1])),
                                     np.ravel),
    "optimize.least_norm": ({"A": A, "b": B}, _slsqp(lambda w: w @ w, 10, lambda w: A @ w - B), np.ravel),
    "optimize.affine_projection": ({"A": A, "b": B, "v": V},
                                   _slsqp(lambda w: np.sum((w - V) ** 2), 10, lambda w: A @ w - B), np.ravel),
    "optimize.categorical_simplex": (COUNTS, _slsqp(lambda p: -np.array(list(COUNTS.values())) @ np.log(p), 4,
                                                    _simplex, 0.25, [(1e-12, 1)] * 4),
                                     lambda r: np.array([r[f"p{i}"] for i in range(1, 5)])),
    "optimize.maximum_entropy_mean": ({"m": 2.0}, lambda: optimize.minimize(
        lambda p: p @ np.log(p), np.full(4, 0.25), method="SLSQP", bounds=[(1e-12, 1)] * 4,
        constraints=[{"type": "eq", "fun": lambda p: np.array([p.sum() - 1, p @ np.arange(1, 5) - 2.0])}],
        options={"ftol": 1e-15, "maxiter": 1000}).x, lambda r: np.array([r[f"p{i}"] for i in range(1, 5)])),
    "optimize.kernel_ridge_dual": ({"K": S + np.eye(10), "y": V, "lambda": 0.5}, _bfgs(
        lambda a: np.sum((V - (S + np.eye(10)) @ a) ** 2) + 0.5 * a @ (S + np.eye(10)) @ a, 10), np.ravel),
    "optimize.fisher_discriminant": ({"m": V, "S_W": S + np.eye(10)},
                                     _slsqp(lambda w: -(w @ V) ** 2, 10,
                                            lambda w: np.array([w @ (S + np.eye(10)) @ w - 1])), np.ravel),
    "optimize.nonnegative_projection": ({"a": -0.7}, lambda: optimize.minimize(
        lambda x: (x[0] + 0.7) ** 2, [0.5], method="L-BFGS-B", bounds=[(0, None)]).x, np.ravel),
    "optimize.half_space_projection": ({"a": A[0], "b": -1.0, "v": V}, lambda: optimize.minimize(
        lambda w: np.sum((w - V) ** 2), np.full(10, 0.1), method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda w: -1.0 - A[0] @ w}], options={"ftol": 1e-15}).x, np.ravel),
}

#: Entries timed for their derivation only: numpy() of a dual solves it numerically, of a density evaluates it,
#: and the others have no closed form (their numpy() is a numeric solver).
DERIVE_ONLY = ("optimize.svm_dual", "optimize.lp_dual", "optimize.conjugate_negative_log",
               "optimize.maximum_entropy_gaussian", "optimize.maximum_entropy_exponential",
               "optimize.gradient_descent_step", "optimize.lasso", "optimize.logistic_regression")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'entry':34} {'derive s':>9} {'numpy() s':>10} {'scipy s':>9} {'ratio':>8} {'max |diff|':>11}")
    for name, (inputs, scipy_solve, read) in CASES.items():
        module = entry(name)
        derive = _median_seconds(module.derivation, 3, clear_cache)
        optimum = module.derivation().numpy()
        ours = read(optimum(**inputs))
        theirs = scipy_solve()
        if name.endswith(("pca_first_component", "fisher_discriminant")):  # optimal up to sign
            ours = ours * np.sign(ours @ theirs)
        fast = _median_seconds(lambda: optimum(**inputs), args.repeats)
        slow = _median_seconds(scipy_solve, args.repeats)
        print(f"{name:34} {derive:9.3f} {fast:10.2e} {slow:9.2e} {slow / fast:8.0f} {np.max(np.abs(ours - theirs)):11.1e}")
    for name in DERIVE_ONLY:
        print(f"{name:34} {_median_seconds(entry(name).derivation, 3, clear_cache):9.3f}")


if __name__ == "__main__":
    main()
