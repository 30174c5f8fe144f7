"""Benchmark: symml's lambdified logistic-regression gradient and Hessian against hand-written NumPy and autodiff.

Run:  python benchmarks/bench_matrix.py            (n = 100000, d = 10, 100, 500; a few minutes)
      python benchmarks/bench_matrix.py --quick    (n = 10000, d = 10, 100; seconds)
      python benchmarks/bench_matrix.py --composition   (only the k-layer composition table of issue 17)
      python benchmarks/bench_matrix.py --acceptance    (only issue 17's acceptance lines: each ratio against its goal)
      python benchmarks/bench_matrix.py --fusion        (only value + gradient + Hessian in one call, n = 1e4)

The loss is L(w) = sum(softplus(Xw)) − yᵀXw (binary cross-entropy, labels y in {0, 1}), built by
``symml.losses.logistic``; its gradient and Hessian are derived by ``symml.derive`` and exported by ``.numpy()``.
Every time is the median CPU time of several interleaved repeats on one BLAS thread (OPENBLAS_NUM_THREADS=1 and its
siblings are set before NumPy is imported: on two-core machines BLAS threads made timings stall in 8/16 ms steps). torch.autograd
and JAX (jit-compiled) are measured where installed, and reported as "not installed" otherwise. The derivation
time of the same loss at d = 3 and d = 3000 shows that symbolic work does not grow with the dimension.

Value + gradient + Hessian in one call (issue 17 asks for at most 0.8x of three calls) has a floor that grows with d:
one call computes at least the Hessian, whose symmetric rank-k update (syrk on √v ⊙ X) no fusion shares with the
value and gradient. Measured by ``--fusion`` (n = 1e4, one BLAS thread, CPU time, medians of 7, load ~11):

      d   one/three   by hand   Hessian   syrk   flops      (shares of the three calls' time)
     10     0.71       1.62      0.53     0.30   0.05
     30     0.73       1.05      0.70     0.51   0.15
    100     0.77       0.82      0.71     0.56   0.33
    300     0.88       0.89      0.85     0.72   0.62

"Hessian" is the separate Hessian call, "syrk" the update alone on √v ⊙ X formed beforehand, "flops" its
n d (d + 1) flops at the peak rate of a large gemm (49 GFLOP/s: syrk runs at about half of it on these shapes, so its
measured time, not its flops, is what binds), "by hand" the same three fused by a careful person
(:func:`one_pass_by_hand`: one pass over blocks of rows; its Python loop costs at small d). The one call stays within
0.04-0.07 of the three calls' time above the separate Hessian, about what the value and gradient cost once X w and
σ(X w) are shared: from d ≈ 100 on the goal of 0.8 is out of reach (d = 100 sits on it: 0.77-0.86 between runs under
load), and at d = 300 even the Hessian alone is 0.85. At n = 1e5, where X leaves the cache, one pass over blocks of
rows (X read from memory once) gives 0.75x at d = 100.

Where one call spends its time beyond the separate Hessian (profiled with CPU time around each stage of the pass over
blocks of rows, 2026-11-26): the generated pass computes X_b w, σ(X_b w), v = σ(1 − σ) and √v ⊙ X_b once per
block (syrk reads √v ⊙ X_b in place: its transpose is Fortran-ordered), and the value shares X_b w. What the one call
adds is the gradient's product X_bᵀ r, the value's softplus, sum and yᵀz, and their Python statements per block:
0.4-0.7 ms at n = 1e4, d = 100 (8 blocks of 1310 rows), where the Hessian's own pass takes 4.5 ms (syrk 370 µs and
√v ⊙ X_b 60 µs a block) and the value and gradient called separately 1.3-1.5 ms. The ratio is (H + e) / (H + V + G):
with the Hessian H at 0.75 of the three calls, 0.8 needs e ≤ 0.8 (V + G) − 0.2 H, about 0.2 ms: what the gradient's
product and the value's softplus take by themselves, with no Python statement around them. Syrk is fastest on blocks of 1024-1310 rows at d = 100 (3.7 ms over 1e4 rows against 4.1
at 512 and 3.9 at 4096), so no block size lowers H. Tried and not kept: softplus and σ from one exponential e^−|z|
(1.5x faster than the two at 4096 entries alone, 1.3% of the one call at n = 1e5, d = 10, 8% slower at n = 10;
kept since 2026-11-27 with σ written without a select, the two ufuncs below 512 entries: see the end).

Issue 17 lines of this session (2026-11-26, load 16-28 on 2 cores; CPU-time medians; before: main at e4ebfda, after:
branch perfgen5, each in a process of its own, alternating, 2-4 runs each; at this load the fused and k-layer lines
move by ±0.04 between runs):

    line                                                   before        after         goal
    tiny gradient n=10 d=3 / hand                          1.47-1.63     1.19-1.26     <= 1.5
    tiny Hessian n=10 d=3 / hand                           1.31-1.35     1.11-1.19     <= 1.5
    value+gradient+Hessian n=10 d=3 / three calls          0.69-0.73     0.75-0.79     <= 0.8
    value+gradient+Hessian n=1e4 d=100 / three calls       0.81-0.86     0.79-0.82     <= 0.8
    value+gradient+Hessian n=1e5 d=10 / three calls        0.75-0.80     0.72-0.76     <= 0.8
    k-layer derive time(8) / time(4)                       1.96-2.02     1.75-2.03     <= 2
    k-layer numpy() time(8) / time(4)                      1.87-1.99     1.72-1.95     <= 2

The tiny gradient and Hessian lost numpy()'s separate argument check (0.8 µs a call: the call path checks once per
signature). The tiny value+gradient+Hessian line rose to 0.80-0.83 with that (three calls lost three checks, one call
one) and came back to 0.75-0.79 with softplus by one ufunc below 64 entries and sums by the array's method (the value
at n = 10 8.9 -> 6.1 µs). The k-layer Hessian's Jacobian of the differential is remembered per distinct node (it
walked shared subexpressions as a tree: 214 calls for 82 distinct nodes at k = 12): derive at k = 12 23.7 -> 20.8 ms,
time(12) / time(6) 2.19 -> 1.98; the remaining growth per layer is within the noise of these runs.

2026-11-27, 02:20-02:40 UTC, load average 6-10, one BLAS thread, CPU time: the acceptance run now prints under each
value+gradient+Hessian line its floor, the separate Hessian call's share of the three calls (the one call computes
that Hessian too, with the same kernel): n = 10, d = 3 0.343 (line 0.703); n = 1e4, d = 10 0.602 (0.790); n = 1e4,
d = 100 0.876 (0.969); n = 1e5, d = 10 0.552 (0.812); n = 1e5, d = 100 0.813 (0.894). At d = 100 the goal of 0.8
is below the floor: no sharing of X w, σ or blocks of X between the value, gradient and Hessian can reach it while
the three calls include symml's own Hessian (0.82-0.88 of them). What the one call adds to its Hessian at n = 1e4,
d = 100 (e = one − Hessian, 0.35-0.45 ms; 8 blocks of 1310 rows): the value's softplus and sum ~8 µs a block, yᵀz
1.2, σ − y 0.7, X_bᵀ r 12.9, their statements; the value and gradient called alone cost 0.57-0.69 ms together.
Tried and not kept (medians of 15-41, interleaved): one exponential e^−|z| for softplus and σ (n = 1e5, d = 10:
3.20 -> 3.12 ms; n = 1e4, d = 10: 0.253 -> 0.305 ms), the gradient's product before or after the Hessian's (2-3%,
within the spread), blocks of 256 kB-2 MB at d = 100 (the one call 0.93-0.97 of three calls throughout), blocks of
2048-16384 rows at d ≤ 16 (the one call at n = 1e5, d = 10 2.87, 2.73, 2.61, 2.60 ms; at d = 5 4.20 -> 4.31-4.36:
within the 3-5% these runs move). The three calls' own time moves most: the value at n = 1e5, d = 10 took 0.89,
1.26, 1.32 and 2.45 ms in four runs of the same code (whole-array temporaries of 800 kB, faulted in again whenever
the allocator has returned them), so that line reads 0.62-0.81 with one code. A faster σ would not help that line:
NumPy's exponential (AVX-512 here) gives 1/(1 + e^−|z|) in 8.6 µs on 4096 entries against scipy's expit 14.9-18 µs
(equal within 2.5e-14 relative in σ(1 − σ) over z in [-40, 40]; 3.7x slower at 1e5 entries, its temporaries), but
σ is computed by both the separate gradient and Hessian and once in the one call, so the ratio would rise.

The logistic Hessian at n = 1e4, d = 100 (0.697-0.719 of the naive product at load 7-10): per block of 1310 rows,
syrk 326 µs (7.6 blocks: 2.49 ms, as one syrk over all rows, 2.51), √v ⊙ X_b 45 µs (the same into a kept buffer;
the transposed layout 460 against 413 µs with its syrk), X_b w 14 µs, σ and v ~8 µs. Splitting the update into two
syrk and one gemm (0.348 against 0.326 ms a block), SciPy's dsyrk (0.380) and blocks of 512-4096 rows (3.67-4.01
ms over 1e4 rows, 1024-1310 best) are slower. Floor ~0.65 of the naive product (syrk alone 0.54-0.60 of it in
the same runs); the margin under 0.7 is inside the load's spread.

2026-11-27, 07:50-08:20 UTC, load average 10-15 (near idle only at 07:50), one BLAS thread, CPU time. The gradient
taken out of the Hessian's BLAS call (syrk of [√v ⊙ X_b | r/√v], whose last column gives X_bᵀ r) is slower at every
shape measured, so it is not generated. Per block, interleaved medians of 40: d = 100, 1310 rows 426 against 391 us
for syrk and the gradient's product apart (1024 rows 343/312, 2048 rows 696/636), d = 64 212/190, d = 32 (4096 rows)
252/205; whole passes (value, gradient, Hessian; r/√v guarded where √v < tiny^(1/4)): n = 1e5, d = 100 38.5 against
35.8 ms, n = 1e5, d = 32 8.3/7.3, n = 1e4, d = 64 2.02/1.84. The update over 101 columns costs 24 us a block more than
over 100 (317 -> 341 us, 7.6% for 2% more flops: the kernel's edge tiles), the product X_bᵀ r it replaces 12 us.
Below 32 columns (a gemm, no √v needed) Xᵀ [v ⊙ X_b | r] into one buffer took 83 against 58 us at d = 10 (v ⊙ X_b
written into a strided slice). A kept buffer for √v ⊙ X_b measured 3.46 against 4.50 ms in a hand-written pass at
n = 1e4, d = 100, and nothing in the generated code (Hessian 3.38/3.34, one call 3.68/3.68 ms): not kept.

Why the d = 100 lines cannot reach 0.8 (let alone 0.78): the one call computes the Hessian, so its ratio is at
least Hessian / (value + gradient + Hessian) = 0.81-0.87 (printed as the floor under each line). Nor can a faster
Hessian lower that floor enough: at n = 1e4, d = 100 the bare syrk over rows scaled beforehand is 2.45 ms against
3.53 ms for the three calls (0.69; 0.76 in --fusion at load 15), and scaling the rows by √v takes another 0.36 ms
(0.10), before X w, σ, the value or the gradient. What the one call adds to the Hessian's pass there (its kernel
with parts removed, medians of 21, load 15): 0.26 ms, of which the gradient's X_bᵀ r 0.15 and the value 0.08; the
value and gradient called apart cost 0.46-0.60 ms.

Kept (same runs): softplus(z) and σ(z) of one z from e^−|z| where the code needs both (numpy_kernels.
softplus_and_sigmoid: max(z, 0) + log1p(e) and e^min(z, 0) / (1 + e); σ's select as np.where(z < 0, e, 1) cost 17 us
on 4096 entries of random sign, which is why the earlier try measured nothing), 34 against 44 us on 4096 entries;
and a block of rows' single-use temporaries written into their readers (17 statements a block -> 6). One call /
three calls, base a7d20e5 against this branch, each in a process of its own, alternating, two runs each:

    line                                       before          after           goal
    n = 10,  d = 3                             0.75-0.80       0.79-0.91       <= 0.8 (load noise: 8.6-8.7 us both)
    n = 1e4, d = 10                            0.771 0.771     0.729 0.720     <= 0.8
    n = 1e4, d = 100                           0.950 0.942     0.957 0.965     <= 0.8 (floor 0.84-0.85)
    n = 1e5, d = 10                            0.775 0.801     0.719 0.728     <= 0.8
    n = 1e5, d = 100                           0.892 0.889     0.866 0.875     <= 0.8 (floor 0.81-0.82)

The one call at n = 1e5, d = 10 2.98, 2.95 -> 2.73, 2.71 ms; at n = 1e5, d = 100 36.0, 35.8 -> 34.8, 34.5 ms.

2026-11-27, 10:33-11:10 UTC (perf12), load average 0.3 at the start, 11-20 after; one BLAS thread, CPU time, medians
of 21-41 with the candidates in shuffled order (a fixed order biased the first after the naive product's 8 MB
temporaries by 3-6%). The Gram update on this machine: OpenBLAS picks its Haswell kernels on this EPYC (AVX2: gemm
53-60 GFLOP/s), and its dsyrk runs at ~80% of gemm's rate at every d measured, so a triangle by column blocks (syrk
or gemm on the diagonal blocks, gemm off it: 3/4 or 10/16 of gemm's flops) is slower at every width. Per block of
1 MB, microseconds (syrk: NumPy's B.T @ B; pN: N column panels by gemm, the upper triangle; psN: diagonal blocks by
syrk; gemm: the full product, with a copy of B, 15 us):

      rows x d     syrk    gemm     p2      p4     ps2     ps4
     1024 x 64      111     176    130     134     128     135
     1310 x 100     324-335 513-537 381-401 418-432 354-372 418-439
     2620 x 50      193-196 318     254     271     249     292
      655 x 200     573-581 915     655     668     588     629
      436 x 300     827    1360     971    1022     875     935
      262 x 500    1400    2251    1656    1556    1413    1422

SciPy's dsyrk on a Fortran-ordered block (C = AᵀA) is 3-5% faster than NumPy's call, but producing that layout
from C-ordered X costs 105 against 45 us a block. Where the Hessian's time goes at n = 1e4, d = 100 (whole arrays):
syrk 2.55 ms, √v ⊙ X 0.52, X w 0.27 (X from L3), σ, v and √v 0.10: the update is 75%. Scaling the rows is slow in
NumPy: a broadcast multiply by a column runs one inner loop per row (~20 ns each: 45 us on 1310 x 100, against 20
for the same array times a scalar, at every row length from 10 to 1000); einsum, np.vecmat/np.matvec, a batched
matmul, a transposed output and a kept out= buffer are as slow or slower. The floor of this Hessian is therefore
~0.66 of the naive product at load 12 (0.52 for the bare syrk over rows scaled beforehand).

What was kept: a row-summed pass leaves a matrix of fewer than 2^14 rows and at most 16 MB to the whole arrays
(numpy_kernels.row_summing_pays): it stays in the last-level cache, and blocks pay their statements, small products
and BLAS calls once per block. Whole / blocks, same runs: Hessian n = 1e4, d = 100 0.94-0.98 (0.688-0.713 -> 0.668-
0.679 of the naive product), d = 200 0.97-0.98; value + gradient n = 1e4, d = 64 0.81, d = 100 0.77, d = 200 0.91,
n = 1.5e4, d = 100 0.70; value + gradient + Hessian n = 1e4, d = 100 0.93-0.95. Blocks stay from 2^14 rows (d = 50,
n = 2e4: whole 1.04-1.06; d = 100, n = 5e4: 1.17-1.19) and past 16 MB (d = 500, n = 5e3, value + gradient: 1.10).
The --acceptance run, base 035cdc1 then this branch (load 12-20): Hessian n = 1e4, d = 100 0.725 -> 0.696 of the
naive product (focused reruns of the line: 0.727, 0.731 -> 0.703, 0.695); value + gradient + Hessian there 0.951 ->
0.927 (0.933, 0.940 -> 0.921, 0.972: the three calls' Hessian gains as much as the one call, floor 0.79-0.86).
Not kept: blocks of at least 2d rows (d = 500: 1.00-1.06 in one run, 1.00 in the next), blocks of 256 kB-8 MB at
d = 100 (within 2%), the scaled rows written block by block into one buffer and one syrk over all of them (equal to
the whole arrays), a kept buffer for √v ⊙ X_b (within 2%).
"""
from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402
from scipy.special import expit  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import symml  # noqa: E402

Timer = Callable[[], object]
Pair = tuple[Callable, Callable]  # (gradient, Hessian), each a function of w
QUANTITIES = ("gradient", "Hessian")


def median_seconds(functions: dict[str, Timer], repeats: dict[str, int]) -> dict[str, float]:
    """The median CPU time of each function, its calls interleaved with the others' (after one warm-up call each).

    CPU time of the process (``time.process_time``) rather than wall-clock time: on a shared two-core machine
    other work inflates wall-clock times at random. Each process measures only its own methods, so that no
    framework's background threads (XLA's pool) are charged to another's calls.
    """
    for fn in functions.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for round_ in range(max(repeats.values())):
        for name, fn in functions.items():
            if round_ < repeats[name]:
                start = time.process_time()
                fn()
                times[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def logistic_data(n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (n, d), labels y in {0, 1} and weights w, the same in every process for the same (n, d)."""
    rng = np.random.default_rng(d)
    return rng.standard_normal((n, d)) / np.sqrt(d), (rng.random(n) < 0.5).astype(float), rng.standard_normal(d)


# --- hand-written NumPy: what a careful person writes --------------------------------------------------------
def numpy_gradient(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    return X.T @ (expit(X @ w) - y)


def numpy_hessian(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    p = expit(X @ w)
    return X.T @ ((p * (1 - p))[:, None] * X)


def syrk_hessian(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The Hessian as a careful person who knows BLAS writes it: a symmetric rank-k update on X √v, mirrored."""
    from scipy.linalg.blas import dsyrk

    p = expit(X @ w)
    upper = dsyrk(1.0, (np.sqrt(p * (1 - p))[:, None] * X).T, trans=0)
    return np.triu(upper) + np.triu(upper, 1).T


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
        # the default (one backward pass per row); vectorize=True measured 3-4x slower here on one thread
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


def symml_jax_functions(X: np.ndarray, y: np.ndarray) -> tuple[Callable, Callable] | str:
    """symml's gradient and Hessian exported with ``numpy(backend="jax")`` (jit-compiled), where JAX is installed."""
    try:
        import jax
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    n = symml.dims("n")
    Xs, w, ys = symml.matrix("X", n, X.shape[1]), symml.vector("w", X.shape[1]), symml.vector("y", n)
    loss = symml.losses.logistic(Xs, w, ys)
    gradient = symml.derive.gradient(loss, w).numpy(backend="jax")
    hessian = symml.derive.hessian(loss, w).numpy(backend="jax")
    Xj, yj = jax.numpy.asarray(X), jax.numpy.asarray(y)
    return (lambda v: gradient(X=Xj, w=v, y=yj).block_until_ready()), \
        (lambda v: hessian(X=Xj, w=v, y=yj).block_until_ready())


# --- the measurements ----------------------------------------------------------------------------------------
AUTODIFF: dict[str, Callable[[np.ndarray, np.ndarray], Pair | str]] = {
    "torch.autograd": torch_functions,
    "jax.jit": jax_functions,
    "symml jax.jit": symml_jax_functions,  # the derived code run by JAX: against jax.grad / jax.hessian above
}


def _check_agreement(name: str, value: object, reference: np.ndarray) -> None:
    error = np.max(np.abs(np.asarray(value) - reference)) / max(np.max(np.abs(reference)), 1.0)
    if not error < 1e-8:
        raise AssertionError(f"{name} disagrees with hand-written NumPy: relative error {error:.2e}")


def measure(methods: dict[str, Pair], n: int, d: int, repeats: int) -> dict[str, dict[str, float]]:
    """Median seconds of each method's gradient and Hessian, after checking them against hand-written NumPy."""
    X, y, w = logistic_data(n, d)
    seconds: dict[str, dict[str, float]] = {name: {} for name in methods}
    for position, quantity in enumerate(QUANTITIES):
        reference = (numpy_gradient, numpy_hessian)[position](X, w, y)
        functions = {name: pair[position] for name, pair in methods.items()}
        for name, fn in functions.items():
            _check_agreement(f"{name} {quantity}", fn(w), reference)
        # autodiff Hessians take seconds (d = 100) to minutes (d = 500) per call: fewer repeats keep the run short.
        slow = quantity == "Hessian" and d >= 100
        counts = {name: (1 if d >= 500 else 3) if slow and name in AUTODIFF else repeats for name in functions}
        calls: dict[str, Timer] = {name: functools.partial(fn, w) for name, fn in functions.items()}
        for name, value in median_seconds(calls, counts).items():
            seconds[name][quantity] = value
    return seconds


def in_process(n: int, d: int, repeats: int) -> dict[str, dict[str, float]]:
    """Hand-written NumPy and symml, interleaved in this process (neither starts threads of its own)."""
    X, y, _ = logistic_data(n, d)
    gradient, hessian = symml_functions(d)
    methods = {
        "NumPy by hand": (lambda w: numpy_gradient(X, w, y), lambda w: numpy_hessian(X, w, y)),
        "syrk by hand": (lambda w: numpy_gradient(X, w, y), lambda w: syrk_hessian(X, w, y)),
        "symml": (lambda w: gradient(X=X, w=w, y=y), lambda w: hessian(X=X, w=w, y=y)),
    }
    return measure(methods, n, d, repeats)


def in_subprocess(method: str, n: int, d: int, repeats: int) -> dict[str, float] | str:
    """An autodiff framework's times, measured in a process of its own; "not installed" where it is not."""
    command = [sys.executable, __file__, "--worker", method, str(n), str(d), str(repeats)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _worker(method: str, n: int, d: int, repeats: int) -> None:
    X, y, _ = logistic_data(n, d)
    functions = AUTODIFF[method](X, y)
    result = functions if isinstance(functions, str) else measure({method: functions}, n, d, repeats)[method]
    print(json.dumps(result))


def bench_dimension(n: int, d: int, repeats: int) -> list[str]:
    """One table row per (quantity, method) for data of shape (n, d)."""
    measured = in_process(n, d, repeats)
    seconds: dict[str, dict[str, float] | str] = dict(measured)
    seconds.update({method: in_subprocess(method, n, d, repeats) for method in AUTODIFF})
    rows = []
    for quantity in QUANTITIES:
        baseline = measured["NumPy by hand"][quantity]
        for name, times in seconds.items():
            if isinstance(times, str):
                rows.append(f"{d:>5}  {quantity:<9} {name:<15} {times}")
            else:
                rows.append(f"{d:>5}  {quantity:<9} {name:<15} {times[quantity] * 1e3:10.2f} ms  "
                            f"{times[quantity] / baseline:5.2f}x")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e4 and d = 10, 100: a smoke run")
    parser.add_argument("--repeats", type=int, default=7, help="repeats per timing (median taken)")
    parser.add_argument("--composition", action="store_true", help="only the k-layer composition table")
    parser.add_argument("--acceptance", action="store_true", help="only the issue 17 acceptance table")
    parser.add_argument("--fusion", action="store_true", help="only the value+gradient+Hessian table (n = 1e4)")
    parser.add_argument("--worker", nargs=4, metavar=("METHOD", "N", "D", "REPEATS"), help=argparse.SUPPRESS)
    parser.add_argument("--composition-worker", type=int, metavar="ROUNDS", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.worker:
        method, *sizes = arguments.worker
        _worker(method, *map(int, sizes))
        return
    if arguments.composition_worker:
        print(json.dumps(_composition_medians(arguments.composition_worker)))
        return
    if arguments.composition:
        composition_table()
        return
    if arguments.acceptance:
        acceptance_table(arguments.repeats)
        return
    if arguments.fusion:
        fusion_table(max(arguments.repeats, 7))
        return
    n, dimensions = (10_000, (10, 100)) if arguments.quick else (100_000, (10, 100, 500))

    print(f"Logistic regression, n = {n}, one BLAS thread, CPU time, median of {arguments.repeats} "
          f"repeats (3 for autodiff Hessians at d = 100, 1 at d = 500); ratio = time / hand-written NumPy")
    print(f"{'d':>5}  {'quantity':<9} {'method':<15} {'time':>13}  ratio")
    for d in dimensions:
        for row in bench_dimension(n, d, arguments.repeats):
            print(row, flush=True)

    print("\nDerivation time of the logistic loss's gradient and Hessian (symbolic n, fixed d):")
    for d in (3, 3000):
        print(f"  d = {d:>4}: {derivation_seconds(d) * 1e3:8.1f} ms")
    composition_table()
    fusion_table(max(arguments.repeats, 7))
    acceptance_table(arguments.repeats)


Row = tuple[str, float, str, bool]  # (acceptance line, measured, goal, met)


def _row(rows: list[Row], label: str, measured: float, limit: float, unit: str = "x") -> None:
    """Record and print one acceptance line: ``measured`` against the goal ``<= limit``."""
    row = (label, measured, f"<= {limit}{unit}", measured <= limit)
    rows.append(row)
    print(f"  {label:<58} {measured:7.3f}{unit:<2} goal {row[2]:<9} {'met' if row[3] else 'NOT met'}", flush=True)


def _per_call(calls: dict[str, Timer], repeats: int, number: int) -> dict[str, float]:
    """Median seconds per call of each function, timed ``number`` calls at a time (tiny inputs)."""
    batches = {name: functools.partial(lambda fn: [fn() for _ in range(number)], fn) for name, fn in calls.items()}
    return {name: t / number for name, t in median_seconds(batches, dict.fromkeys(calls, repeats)).items()}


def acceptance_table(repeats: int) -> list[Row]:
    """Every line of issue 17's acceptance that this benchmark measures, each ratio against code measured in the same
    run (one BLAS thread, CPU time, medians of at least 7 repeats); one table at the end."""
    repeats = max(repeats, 7)
    print(f"\nIssue 17 acceptance, one BLAS thread, CPU time, median of {repeats} repeats (3 at n d >= 1e7 for Hessians):")
    rows: list[Row] = []
    for n, d in ((10_000, 100), (10_000, 500), (100_000, 100), (100_000, 500)):
        X, y, w = logistic_data(n, d)
        _, hessian = symml_functions(d)
        calls = {"symml": lambda: hessian(X=X, w=w, y=y), "naive": lambda: numpy_hessian(X, w, y),
                 "syrk": lambda: syrk_hessian(X, w, y)}
        _check_agreement("symml Hessian", calls["symml"](), calls["naive"]())
        seconds = median_seconds(calls, dict.fromkeys(calls, repeats if n * d < 10**7 else 3))
        _row(rows, f"logistic Hessian n={n} d={d} / naive X.T @ (v * X)", seconds["symml"] / seconds["naive"], 0.7)
        _row(rows, f"logistic Hessian n={n} d={d} / syrk by hand", seconds["symml"] / seconds["syrk"], 1.05)
    for n, d in ((100_000, 10), (100_000, 100), (100_000, 500)):
        X, y, w = logistic_data(n, d)
        gradient, _ = symml_functions(d)
        calls = {"symml": lambda: gradient(X=X, w=w, y=y), "hand": lambda: numpy_gradient(X, w, y)}
        _check_agreement("symml gradient", calls["symml"](), calls["hand"]())
        seconds = median_seconds(calls, dict.fromkeys(calls, repeats))
        _row(rows, f"logistic gradient n={n} d={d} / hand", seconds["symml"] / seconds["hand"], 0.8 if d == 500 else 1.05)
    for label, (symml_call, hand_call) in _other_gradients(100_000, 100, 10).items():
        seconds = median_seconds({"symml": symml_call, "hand": hand_call}, dict.fromkeys(("symml", "hand"), repeats))
        _row(rows, f"{label} / hand", seconds["symml"] / seconds["hand"], 1.05)
    for n, d in ((10, 3), (10_000, 10), (10_000, 100), (100_000, 10), (100_000, 100)):
        X, y, w = logistic_data(n, d)
        gradient, hessian = symml_functions(d)
        value, together = _value_and_together(d)
        calls = {"one pass": lambda: together(X=X, w=w, y=y),
                 "three calls": lambda: (value(X=X, w=w, y=y), gradient(X=X, w=w, y=y), hessian(X=X, w=w, y=y)),
                 "Hessian": lambda: hessian(X=X, w=w, y=y)}
        seconds = _per_call(calls, repeats, 200 if n <= 10 else 1)
        _row(rows, f"value+gradient+Hessian n={n} d={d} / three calls", seconds["one pass"] / seconds["three calls"], 0.8)
        # the one call computes the Hessian too: the separate Hessian's share of the three calls bounds the line
        print(f"  {'  (floor: the Hessian call alone / three calls)':<58} "
              f"{seconds['Hessian'] / seconds['three calls']:7.3f}x", flush=True)
    for n in (10_000, 100_000):
        _gaussian_row(rows, n, 50, repeats)
    X, y, w = logistic_data(10, 3)
    gradient, hessian = symml_functions(3)
    calls = {"symml gradient": lambda: gradient(X=X, w=w, y=y), "hand gradient": lambda: numpy_gradient(X, w, y),
             "symml Hessian": lambda: hessian(X=X, w=w, y=y), "hand Hessian": lambda: numpy_hessian(X, w, y)}
    seconds = _per_call(calls, repeats, 500)
    _row(rows, "tiny gradient n=10 d=3 / hand", seconds["symml gradient"] / seconds["hand gradient"], 1.5)
    _row(rows, "tiny Hessian n=10 d=3 / hand", seconds["symml Hessian"] / seconds["hand Hessian"], 1.5)
    _composition_rows(rows, 2 * repeats + 1)  # ~0.1 s a round: more rounds steady a ratio of 25-50 ms timings
    _import_rows(rows, repeats)
    print("\nIssue 17 acceptance (this benchmark's lines; the MLE estimator lines are in benchmarks/bench_mle.py):")
    print(f"  {'line':<58} {'measured':>9} {'goal':<10} met")
    for label, measured, goal, met in rows:
        print(f"  {label:<58} {measured:9.3f} {goal:<10} {'yes' if met else 'NO'}")
    return rows


def _other_gradients(n: int, d: int, k: int) -> dict[str, tuple[Timer, Timer]]:
    """Softmax cross-entropy (k classes) and least-squares gradients: symml's and hand-written NumPy's."""
    from scipy.special import softmax

    dn, dd, dk = symml.dims("n d k")
    X, W, Y = symml.matrix("X", dn, dd), symml.matrix("W", dd, dk), symml.matrix("Y", dn, dk)
    w, y = symml.vector("w", dd), symml.vector("y", dn)
    cross_entropy = symml.derive.gradient(symml.losses.softmax_cross_entropy(X, W, Y), W).numpy()
    least_squares = symml.derive.gradient(symml.losses.least_squares(X, w, y), w).numpy()
    rng = np.random.default_rng(0)
    Xv, Wv, Yv = rng.standard_normal((n, d)) / np.sqrt(d), rng.standard_normal((d, k)), np.eye(k)[rng.integers(0, k, n)]
    wv, yv = rng.standard_normal(d), rng.standard_normal(n)
    pairs: dict[str, tuple[Timer, Timer]] = {
        f"softmax cross-entropy gradient n={n} d={d} k={k}": (lambda: cross_entropy(X=Xv, W=Wv, Y=Yv),
                                                              lambda: Xv.T @ (softmax(Xv @ Wv, axis=1) - Yv)),
        f"least-squares gradient n={n} d={d}": (lambda: least_squares(X=Xv, w=wv, y=yv),
                                               lambda: 2 * (Xv.T @ (Xv @ wv - yv))),
    }
    for label, (ours, hand) in pairs.items():
        _check_agreement(label, ours(), hand())
    return pairs


def _value_and_together(d: int) -> tuple[Callable, Callable]:
    """The logistic loss's value alone, and value, gradient and Hessian from one numpy(outputs=...) call."""
    n = symml.dims("n")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    gradient = symml.derive.gradient(symml.losses.logistic(X, w, y), w)
    value = gradient.numpy(outputs=("value",))
    return value, gradient.numpy(outputs=("value", "gradient", "hessian"))


def _gaussian_row(rows: list[Row], n: int, d: int, repeats: int) -> None:
    """∇_Σ of the Gaussian NLL from the data X (n, d) against NumPy by hand (centre, DᵀD, one inverse)."""
    dn, dd = symml.dims("n d")
    X, mu = symml.matrix("X", dn, dd), symml.vector("mu", dd)
    Sigma = symml.matrix("Sigma", dd, dd, symmetric=True)
    gradient = symml.derive.gradient(symml.losses.gaussian_nll(X, mu, Sigma), Sigma).numpy()
    rng = np.random.default_rng(0)
    Xv, muv = rng.standard_normal((n, d)), rng.standard_normal(d)
    root = rng.standard_normal((d, d))
    Sv = root @ root.T / d + np.eye(d)

    def by_hand() -> np.ndarray:
        D = Xv - muv
        inverse = np.linalg.inv(Sv)
        return n / 2 * inverse - 0.5 * inverse @ (D.T @ D) @ inverse

    calls = {"symml": lambda: gradient(X=Xv, mu=muv, Sigma=Sv), "hand": by_hand}
    _check_agreement("symml Gaussian gradient", calls["symml"](), by_hand())
    seconds = median_seconds(calls, dict.fromkeys(calls, repeats))
    _row(rows, f"Gaussian NLL gradient in Sigma n={n} d={d} / hand", seconds["symml"] / seconds["hand"], 1.1)


def _composition_medians(rounds: int) -> dict[int, dict[str, float]]:
    """Median CPU seconds of each stage (and their total) of the k-layer composition for k = 4, 6, 8, interleaved
    in each of ``rounds`` rounds, in this process (as a user deriving one function after another)."""
    from tests.matrix.composition import hessian_timings

    hessian_timings(1)  # imports warm
    timings: dict[int, list[dict[str, float]]] = {k: [] for k in (4, 6, 8)}
    for _ in range(rounds):
        for k in timings:
            timings[k].append(hessian_timings(k))
    return {k: {stage: statistics.median(t[stage] for t in runs) for stage in ("derive", "numpy", "latex")}
            | {"total": statistics.median(sum(t.values()) for t in runs)} for k, runs in timings.items()}


def _composition_rows(rows: list[Row], rounds: int) -> None:
    """The k-layer composition: k = 6 Hessian derived and exported (CPU s), and the growth from k = 4 to 8 of each
    stage and of their total (at most linear: time(8) / time(4) <= 2); medians of ``rounds`` rounds, measured in a
    fresh interpreter (not after the numeric benchmarks above)."""
    command = [sys.executable, __file__, "--composition-worker", str(rounds)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    medians = {int(k): v for k, v in json.loads(finished.stdout.strip().splitlines()[-1]).items()}
    _row(rows, "k-layer composition k=6: derive + numpy() + latex()", medians[6]["total"], 2.0, " s")
    for stage in ("derive", "numpy", "latex"):
        _row(rows, f"k-layer composition {stage} time(8) / time(4)", medians[8][stage] / medians[4][stage], 2.0)
    _row(rows, "k-layer composition total(8) / total(4) (linear: 2)", medians[8]["total"] / medians[4]["total"], 2.0)


def _import_rows(rows: list[Row], repeats: int) -> None:
    """``import symml`` against ``import sympy`` and ``symml --help``, each in a fresh interpreter (wall time)."""
    from benchmarks.bench_cli import COMMANDS, _seconds

    names = ("import sympy", "import symml", "symml --help")
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            times[name].append(_seconds(COMMANDS[name]))
    medians = {name: statistics.median(values) for name, values in times.items()}
    _row(rows, "import symml / import sympy", medians["import symml"] / medians["import sympy"], 1.2)
    _row(rows, "symml --help (wall)", medians["symml --help"], 0.3, " s")


def _gemm_flop_rate() -> float:
    """Floating-point operations per CPU second of a large square ``@`` on one BLAS thread: the machine's peak."""
    rng = np.random.default_rng(1)
    A, B = rng.standard_normal((1000, 1000)), rng.standard_normal((1000, 1000))
    seconds = median_seconds({"gemm": lambda: A @ B}, {"gemm": 5})["gemm"]
    return 2 * 1000**3 / seconds


def one_pass_by_hand(X: np.ndarray, w: np.ndarray, y: np.ndarray, rows: int = 1024) -> tuple:
    """Value, gradient and Hessian of the logistic loss as a careful person fuses them: one pass over blocks of rows
    (each block of X read once while in cache), the Hessian's upper triangle by syrk on √v ⊙ X, mirrored once."""
    from scipy.linalg.blas import dsyrk

    value, gradient, upper = 0.0, np.zeros(X.shape[1]), np.zeros((X.shape[1], X.shape[1]))
    for start in range(0, X.shape[0], rows):
        block, labels = X[start:start + rows], y[start:start + rows]
        z = block @ w
        p = expit(z)
        value += np.sum(np.logaddexp(0.0, z)) - labels @ z
        gradient += block.T @ (p - labels)
        upper += dsyrk(1.0, (np.sqrt(p * (1 - p))[:, None] * block).T, trans=0)
    return value, gradient, np.triu(upper) + np.triu(upper, 1).T


def fusion_table(repeats: int, n: int = 10_000, dimensions: tuple[int, ...] = (10, 30, 100, 300)) -> None:
    """Value + gradient + Hessian of the logistic loss in one call against three calls, with shares of the three
    calls' time: the same fused by hand (:func:`one_pass_by_hand`), the Hessian alone, its symmetric rank-k update
    (BLAS syrk on √v ⊙ X, formed beforehand) alone, and that update's flops n d (d + 1) at the machine's peak rate
    (a large gemm's)."""
    from scipy.linalg.blas import dsyrk

    peak = _gemm_flop_rate()
    print(f"\nValue + gradient + Hessian in one call against three calls, n = {n}, one BLAS thread, CPU ms, median of "
          f"{repeats}; shares of the three calls' time (peak {peak / 1e9:.1f} GFLOP/s, a 1000 x 1000 gemm's):")
    print(f"{'d':>5} {'three':>8} {'one':>8} {'one/three':>10} {'by hand':>8} {'Hessian':>8} {'syrk':>8} {'flops':>8}")
    for d in dimensions:
        X, y, w = logistic_data(n, d)
        gradient, hessian = symml_functions(d)
        value, together = _value_and_together(d)
        scaled = np.sqrt((p := expit(X @ w)) * (1 - p))[:, None] * X
        calls = {"value": lambda: value(X=X, w=w, y=y), "gradient": lambda: gradient(X=X, w=w, y=y),
                 "Hessian": lambda: hessian(X=X, w=w, y=y), "one": lambda: together(X=X, w=w, y=y),
                 "by hand": lambda: one_pass_by_hand(X, w, y), "syrk": lambda: dsyrk(1.0, scaled.T, trans=0)}
        for name, ours, hand in zip(("value", "gradient", "Hessian"), together(X=X, w=w, y=y), one_pass_by_hand(X, w, y)):
            _check_agreement(f"one pass by hand ({name})", np.ravel(hand), np.ravel(ours))
        ms = {name: t * 1e3 for name, t in median_seconds(calls, dict.fromkeys(calls, repeats)).items()}
        three = ms["value"] + ms["gradient"] + ms["Hessian"]
        floor = n * d * (d + 1) / peak * 1e3
        print(f"{d:>5} {three:8.2f} {ms['one']:8.2f} {ms['one'] / three:10.3f} {ms['by hand'] / three:8.3f} "
              f"{ms['Hessian'] / three:8.3f} {ms['syrk'] / three:8.3f} {floor / three:8.3f}", flush=True)


def composition_table() -> None:
    """Issue 17: derive / numpy() / latex() of the Hessian of the k-layer composition f = tanh(X(Xᵀf)), k = 1..8."""
    from tests.matrix.composition import hessian_timings

    hessian_timings(1)  # imports warm
    print("\nHessian of the k-layer composition f_j = tanh(X (Xᵀ f_{j−1})), f₀ = Xw, L = sum(f_k); CPU seconds:")
    print(f"{'k':>3} {'derive':>8} {'numpy()':>8} {'latex()':>8} {'total':>8}")
    for k in range(1, 9):
        times = hessian_timings(k)
        print(f"{k:>3} {times['derive']:8.3f} {times['numpy']:8.3f} {times['latex']:8.3f} {sum(times.values()):8.3f}",
              flush=True)


if __name__ == "__main__":
    main()
