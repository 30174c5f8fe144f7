"""Benchmark: symml's lambdified logistic-regression gradient and Hessian against hand-written NumPy and autodiff.

Run:  python benchmarks/bench_matrix.py            (n = 100000, d = 10, 100, 500; a few minutes)
      python benchmarks/bench_matrix.py --quick    (n = 10000, d = 10, 100; seconds)

The loss is L(w) = sum(softplus(Xw)) − yᵀXw (binary cross-entropy, labels y in {0, 1}), built by
``symml.losses.logistic``; its gradient and Hessian are derived by ``symml.derive`` and exported by ``.numpy()``.
Every time is the median of several repeats on one BLAS thread (OPENBLAS_NUM_THREADS=1 and its siblings are set
before NumPy is imported: on two-core machines BLAS threads made timings stall in 8/16 ms steps). torch.autograd
and JAX (jit-compiled) are measured where installed, and reported as "not installed" otherwise. The derivation
time of the same loss at d = 3 and d = 3000 shows that symbolic work does not grow with the dimension.
"""
from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402
from scipy.special import expit  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import symml  # noqa: E402

Timer = Callable[[], object]


def median_seconds(fn: Timer, repeats: int) -> float:
    """The median wall-clock time of ``repeats`` calls, after one warm-up call (JIT compilation, caches)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- hand-written NumPy: what a careful person writes --------------------------------------------------------
def numpy_gradient(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    return X.T @ (expit(X @ w) - y)


def numpy_hessian(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    p = expit(X @ w)
    return X.T @ ((p * (1 - p))[:, None] * X)


# --- symml ---------------------------------------------------------------------------------------------------
def symml_functions(d: int) -> tuple[Callable, Callable]:
    """symml's NumPy gradient and Hessian of the logistic loss, derived at matrix level."""
    n = symml.dims("n")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    loss = symml.losses.logistic(X, w, y)
    return symml.derive.gradient(loss, w).numpy(), symml.derive.hessian(loss, w).numpy()


def derivation_seconds(d: int) -> float:
    """Wall-clock time to build the logistic loss with d features and derive its gradient and Hessian."""
    from sympy.core.cache import clear_cache

    clear_cache()  # so that the second dimension does not reuse the first one's cached work
    start = time.perf_counter()
    n = symml.dims("n")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    loss = symml.losses.logistic(X, w, y)
    symml.derive.gradient(loss, w)
    symml.derive.hessian(loss, w)
    return time.perf_counter() - start


# --- autodiff frameworks, where installed --------------------------------------------------------------------
def torch_functions(X: np.ndarray, y: np.ndarray) -> tuple[Callable, Callable] | str:
    try:
        import torch
    except ImportError:
        return "not installed"
    torch.set_num_threads(1)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def loss(w):
        z = Xt @ w
        return torch.nn.functional.softplus(z).sum() - yt @ z

    def gradient(w: np.ndarray):
        wt = torch.from_numpy(w).requires_grad_(True)
        (g,) = torch.autograd.grad(loss(wt), wt)
        return g

    def hessian(w: np.ndarray):
        return torch.autograd.functional.hessian(loss, torch.from_numpy(w))

    return gradient, hessian


def jax_functions(X: np.ndarray, y: np.ndarray) -> tuple[Callable, Callable] | str:
    try:
        import jax
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    Xj, yj = jnp.asarray(X), jnp.asarray(y)

    def loss(w):
        z = Xj @ w
        return jnp.sum(jnp.logaddexp(0.0, z)) - yj @ z

    gradient, hessian = jax.jit(jax.grad(loss)), jax.jit(jax.hessian(loss))
    return (lambda w: gradient(w).block_until_ready()), (lambda w: hessian(w).block_until_ready())


# --- the report ----------------------------------------------------------------------------------------------
def _check_agreement(name: str, value: object, reference: np.ndarray) -> None:
    error = np.max(np.abs(np.asarray(value) - reference)) / max(np.max(np.abs(reference)), 1.0)
    if not error < 1e-8:
        raise AssertionError(f"{name} disagrees with hand-written NumPy: relative error {error:.2e}")


def bench_dimension(n: int, d: int, repeats: int, rng: np.random.Generator) -> list[str]:
    """One table row per (framework, quantity) for data of shape (n, d)."""
    X = rng.standard_normal((n, d)) / np.sqrt(d)
    y = (rng.random(n) < 0.5).astype(float)
    w = rng.standard_normal(d)
    reference = {"gradient": numpy_gradient(X, w, y), "Hessian": numpy_hessian(X, w, y)}
    baseline = {
        "gradient": median_seconds(lambda: numpy_gradient(X, w, y), repeats),
        "Hessian": median_seconds(lambda: numpy_hessian(X, w, y), repeats),
    }
    gradient, hessian = symml_functions(d)
    candidates: dict[str, tuple[Callable, Callable] | str] = {
        "symml": (lambda w: gradient(X=X, w=w, y=y), lambda w: hessian(X=X, w=w, y=y)),
        "torch.autograd": torch_functions(X, y),
        "jax.jit": jax_functions(X, y),
    }
    rows = []
    for quantity, position in (("gradient", 0), ("Hessian", 1)):
        rows.append(f"{d:>5}  {quantity:<9} {'NumPy by hand':<15} {baseline[quantity] * 1e3:10.2f} ms   1.00x")
        for name, functions in candidates.items():
            if isinstance(functions, str):
                rows.append(f"{d:>5}  {quantity:<9} {name:<15} {functions}")
                continue
            fn = functions[position]
            _check_agreement(f"{name} {quantity}", fn(w), reference[quantity])
            # autodiff Hessians at d = 500 take seconds per call: fewer repeats keep the run short.
            slow = quantity == "Hessian" and name != "symml" and d >= 100
            seconds = median_seconds(lambda: fn(w), 3 if slow else repeats)
            ratio = seconds / baseline[quantity]
            rows.append(f"{d:>5}  {quantity:<9} {name:<15} {seconds * 1e3:10.2f} ms  {ratio:5.2f}x")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e4 and d = 10, 100: a smoke run")
    parser.add_argument("--repeats", type=int, default=7, help="repeats per timing (median taken)")
    arguments = parser.parse_args(argv)
    n, dimensions = (10_000, (10, 100)) if arguments.quick else (100_000, (10, 100, 500))
    rng = np.random.default_rng(0)

    print(f"Logistic regression, n = {n}, one BLAS thread, median of {arguments.repeats} repeats "
          f"(3 for autodiff Hessians at d >= 100); ratio = time / hand-written NumPy")
    print(f"{'d':>5}  {'quantity':<9} {'method':<15} {'time':>13}  ratio")
    for d in dimensions:
        for row in bench_dimension(n, d, arguments.repeats, rng):
            print(row, flush=True)

    print("\nDerivation time of the logistic loss's gradient and Hessian (symbolic n, fixed d):")
    for d in (3, 3000):
        print(f"  d = {d:>4}: {derivation_seconds(d) * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
