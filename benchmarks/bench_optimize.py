"""Benchmark of the optimisation catalog: time to derive, and numpy() against scipy.optimize on the same instance.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_optimize.py [--repeats 5]

Per entry of ``derivations/optimize``: the median time of ``derivation()`` (SymPy's cache cleared before each
run); then, on one random instance, the median time of the derived ``numpy()`` optimum and of
``scipy.optimize.minimize`` on the objective written in NumPy here, from a fixed start, called two ways:
"exact": with the exact gradients of the objective and the constraints (written in NumPy here) and tight
tolerances (BFGS to gtol 1e-12, then one Newton step on the same objective, since BFGS's line search stops near
1e-8 where the objective's values differ by rounding only; SLSQP to ftol 1e-15; L-BFGS-B to gtol 1e-12 for a
bound); "usual": as it is usually called, with finite-difference gradients (BFGS gtol 1e-10, SLSQP ftol 1e-15,
L-BFGS-B defaults). The ratios are scipy's time over numpy()'s; max |diff| is against the exact solve (up to sign
for PCA and Fisher's direction).
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


Solver = Callable[[bool], np.ndarray]  # exact: with the exact gradients, to tight tolerances; else as usually called


def _minimize(exact: bool, f: Callable, gradient: Callable, start: np.ndarray, method: str,
              constraints: list = (), **options: Any) -> np.ndarray:  # type: ignore[assignment]
    """scipy.optimize.minimize with the exact gradients (objective and constraints) when ``exact``; else with
    finite differences, as it is usually called."""
    if not exact:
        constraints = [{k: v for k, v in c.items() if k != "jac"} for c in constraints]
    tolerances = {"BFGS": {"gtol": 1e-12 if exact else 1e-10}, "SLSQP": {"ftol": 1e-15, "maxiter": 1000},
                  "L-BFGS-B": {"gtol": 1e-12, "ftol": 1e-15} if exact else {}}[method]
    return optimize.minimize(f, start, jac=gradient if exact else None, method=method, constraints=constraints,
                             options=tolerances, **options).x


def _bfgs(f: Callable[[np.ndarray], float], gradient: Callable[[np.ndarray], np.ndarray], hessian: np.ndarray,
          size: int) -> Solver:
    """BFGS; the exact run then takes one Newton step on the same objective, since BFGS's line search stops near
    1e-8 from the optimum, where the objective's values differ by rounding only."""
    def solve(exact: bool) -> np.ndarray:
        x = _minimize(exact, f, gradient, np.full(size, 0.1), "BFGS")
        return x - np.linalg.solve(hessian, gradient(x)) if exact else x

    return solve


def _slsqp(f: Callable, gradient: Callable, size: int, equalities: Callable, jacobian: Callable, start: float = 0.1,
           bounds: Any = None) -> Solver:
    return lambda exact: _minimize(exact, f, gradient, np.full(size, start), "SLSQP", bounds=bounds,
                                   constraints=[{"type": "eq", "fun": equalities, "jac": jacobian}])


def _quadratic(H: np.ndarray, g: np.ndarray) -> tuple[Callable, Callable, np.ndarray]:
    """½ wᵀHw − gᵀw, its gradient and its Hessian."""
    return (lambda w: 0.5 * w @ H @ w - g @ w), (lambda w: H @ w - g), H


K = S + np.eye(10)
I10 = np.eye(10)
LEVELS = np.arange(1.0, 5.0)
COUNT = np.array(list(COUNTS.values()))
POSITIVE = [(1e-12, 1)] * 4
SIMPLEX = (lambda p: np.array([p.sum() - 1.0]), lambda p: np.ones((1, 4)))
GIBBS = [{"type": "eq", "fun": lambda p: np.array([p.sum() - 1, p @ LEVELS - 2.0]),
          "jac": lambda p: np.vstack([np.ones(4), LEVELS])}]
HALF_SPACE = [{"type": "ineq", "fun": lambda w: -1.0 - A[0] @ w, "jac": lambda w: -A[0][None, :]}]


#: entry -> (inputs of numpy(), scipy solver of the same instance, how to read numpy()'s answer)
CASES: dict[str, tuple[dict, Solver, Callable[[Any], np.ndarray]]] = {
    "optimize.ordinary_least_squares": ({"X": X, "y": Y}, _bfgs(*_quadratic(2 * X.T @ X, 2 * X.T @ Y), 10), np.ravel),
    "optimize.weighted_least_squares": ({"X": X, "y": Y, "Omega": OMEGA},
                                        _bfgs(*_quadratic(2 * X.T @ OMEGA @ X, 2 * X.T @ OMEGA @ Y), 10), np.ravel),
    "optimize.ridge": ({"X": X, "y": Y, "lambda": 0.5}, _bfgs(*_quadratic(2 * X.T @ X + I10, 2 * X.T @ Y), 10),
                       np.ravel),
    "optimize.newton_step": ({"Q": K, "c": V}, _bfgs(*_quadratic(K, V), 10), np.ravel),
    "optimize.pca_first_component": ({"S": S}, _slsqp(lambda w: -w @ S @ w, lambda w: -2 * S @ w, 10,
                                                      lambda w: np.array([w @ w - 1]), lambda w: 2 * w[None, :]),
                                     np.ravel),
    "optimize.least_norm": ({"A": A, "b": B}, _slsqp(lambda w: w @ w, lambda w: 2 * w, 10, lambda w: A @ w - B,
                                                     lambda w: A), np.ravel),
    "optimize.affine_projection": ({"A": A, "b": B, "v": V},
                                   _slsqp(lambda w: np.sum((w - V) ** 2), lambda w: 2 * (w - V), 10,
                                          lambda w: A @ w - B, lambda w: A), np.ravel),
    "optimize.categorical_simplex": (COUNTS, _slsqp(lambda p: -COUNT @ np.log(p), lambda p: -COUNT / p, 4, *SIMPLEX,
                                                    0.25, POSITIVE),
                                     lambda r: np.array([r[f"p{i}"] for i in range(1, 5)])),
    "optimize.maximum_entropy_mean": ({"m": 2.0}, lambda exact: _minimize(
        exact, lambda p: p @ np.log(p), lambda p: np.log(p) + 1, np.full(4, 0.25), "SLSQP", bounds=POSITIVE,
        constraints=GIBBS), lambda r: np.array([r[f"p{i}"] for i in range(1, 5)])),
    "optimize.kernel_ridge_dual": ({"K": K, "y": V, "lambda": 0.5},
                                   _bfgs(*_quadratic(2 * K @ K + 0.5 * 2 * K, 2 * K @ V), 10), np.ravel),
    "optimize.fisher_discriminant": ({"m": V, "S_W": K},
                                     _slsqp(lambda w: -(w @ V) ** 2, lambda w: -2 * (w @ V) * V, 10,
                                            lambda w: np.array([w @ K @ w - 1]), lambda w: 2 * (K @ w)[None, :]),
                                     np.ravel),
    "optimize.nonnegative_projection": ({"a": -0.7}, lambda exact: _minimize(
        exact, lambda x: (x[0] + 0.7) ** 2, lambda x: 2 * (x + 0.7), np.array([0.5]), "L-BFGS-B",
        bounds=[(0, None)]), np.ravel),
    "optimize.half_space_projection": ({"a": A[0], "b": -1.0, "v": V}, lambda exact: _minimize(
        exact, lambda w: np.sum((w - V) ** 2), lambda w: 2 * (w - V), np.full(10, 0.1), "SLSQP",
        constraints=HALF_SPACE), np.ravel),
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
    print(f"{'entry':34} {'derive s':>9} {'numpy() s':>10} {'exact s':>9} {'ratio':>6} {'usual s':>9} {'ratio':>6} "
          f"{'max |diff|':>11}")
    for name, (inputs, scipy_solve, read) in CASES.items():
        module = entry(name)
        derive = _median_seconds(module.derivation, 3, clear_cache)
        optimum = module.derivation().numpy()
        ours = read(optimum(**inputs))
        theirs = scipy_solve(True)
        if name.endswith(("pca_first_component", "fisher_discriminant")):  # optimal up to sign
            ours = ours * np.sign(ours @ theirs)
        fast = _median_seconds(lambda: optimum(**inputs), args.repeats)
        exact = _median_seconds(lambda: scipy_solve(True), args.repeats)
        usual = _median_seconds(lambda: scipy_solve(False), args.repeats)
        print(f"{name:34} {derive:9.3f} {fast:10.2e} {exact:9.2e} {exact / fast:6.0f} {usual:9.2e} {usual / fast:6.0f} "
              f"{np.max(np.abs(ours - theirs)):11.1e}")
    for name in DERIVE_ONLY:
        print(f"{name:34} {_median_seconds(entry(name).derivation, 3, clear_cache):9.3f}")


if __name__ == "__main__":
    main()
