"""The NumPy kernels that generated code calls for structure a plain ``@`` would waste: Gram matrices AᵀA and
Aᵀ diag(v) A by a symmetric rank-k update, sums over blocks of rows, sums of matrix powers, commutation
permutations; and softplus, stable and faster than ``np.logaddexp``, alone or with σ sharing its e^−|z|.

>>> import numpy as np
>>> A = np.arange(6.0).reshape(3, 2)
>>> gram(A, np.ones((3, 1))) - A.T @ A
array([[0., 0.],
       [0., 0.]])
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.special import expit

__all__ = ["softplus", "softplus_and_sigmoid", "gram", "row_blocking_pays", "row_blocked", "row_summing_pays",
           "row_summed", "power_sum", "commutation"]

# Below this many entries one ufunc call (np.logaddexp) beats the five of max(z, 0) + log1p(e^−|z|): at 10 entries
# 0.7 against 2.8 us, at 64 about even, at 256 1.3x slower (issue 17: the inner loop of an optimizer at n = 10).
_SOFTPLUS_UFUNC_MAX_ENTRIES = 64
_PAIR_MIN_ENTRIES = 512


def softplus(z: Any) -> Any:
    """log(1 + eᶻ) as max(z, 0) + log1p(e^−|z|): no overflow at any z, and 2.5x (10³ entries) to 7x (10⁶) faster
    than ``np.logaddexp(0, z)`` measured here (which is faster below 64 entries, and as stable: it is used there);
    the dtype of z is kept (float32 stays float32)."""
    if getattr(z, "size", 1) < _SOFTPLUS_UFUNC_MAX_ENTRIES:
        return np.logaddexp(0.0, z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_and_sigmoid(z: Any) -> tuple[Any, Any]:
    """(softplus(z), σ(z)) sharing e = e^−|z|: max(z, 0) + log1p(e) and e^min(z, 0) / (1 + e), no overflow at any z
    (both exponents ≤ 0) and σ's tail to full relative precision; the dtype of z is kept. Measured on one thread
    (CPU time, medians of 21, each block of rows of a pass a new array): 34 against 44 us on 4096 entries for
    :func:`softplus` and ``expit``, 8.2 against 10.0 on 1310, 1.49 against 1.69 ms on 1e5. σ's select written
    ``np.where(z < 0, e, 1)`` was slower than both (17 us on 4096 entries of random sign: a branch per entry).
    Below 512 entries the two calls are faster (3.4 against 2.7 us on 128)."""
    size = getattr(z, "size", 1)
    if size < _PAIR_MIN_ENTRIES:  # (at n = 10 a call of softplus more cost 2% of the one call)
        return np.logaddexp(0.0, z) if size < _SOFTPLUS_UFUNC_MAX_ENTRIES else softplus(z), expit(z)
    e = np.exp(-np.abs(z))
    return np.maximum(z, 0.0) + np.log1p(e), np.exp(np.minimum(z, 0.0)) / (1.0 + e)


# Below these sizes the extra pass (√v ⊙ A) and the mirroring cost more than syrk saves over one gemm; measured
# on one BLAS thread: syrk 0.78x of gemm at (n, d) = (1e4, 50), 0.92x at (1e3, 50), 1.4-6x at d ≤ 10.
_SYRK_MIN_COLUMNS = 32
_SYRK_MIN_WORK = 1 << 21


def gram(A: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Aᵀ diag(weights) A (weights ≥ 0, a column of A's rows), or AᵀA without weights: symmetric, so computed
    once per triangle as Bᵀ B with B = √weights ⊙ A (half the multiplications of a general product). NumPy's
    matmul of an array and its own transpose calls BLAS ``syrk`` and copies the triangle itself: measured faster
    than SciPy's ``syrk`` wrapper and our mirroring (one BLAS thread, load ~16: the logistic Hessian at n = 1e4,
    d = 100 3.83 -> 3.54 ms, at n = 1e5, d = 100 35.8 -> 33.2 ms, at n = 1e4, d = 500 65.4 -> 63.7 ms)."""
    rows, columns = A.shape
    if columns < _SYRK_MIN_COLUMNS or rows * columns * columns < _SYRK_MIN_WORK:
        return A.T @ (A if weights is None else weights * A)
    B = A if weights is None else np.sqrt(weights) * A
    return B.T @ B


# Below these sizes A fits in cache anyway, or the Python loop over blocks costs more than the second read saves.
_BLOCKED_MIN_COLUMNS = 64
_BLOCKED_MIN_ENTRIES = 1 << 22
_BLOCK_BYTES = 1 << 20


def row_blocking_pays(A: np.ndarray) -> bool:
    """Whether :func:`row_blocked` beats one ``A.T @ r`` for A of this shape (the call path asks once per shape
    signature and calls the kernel generated for the answer)."""
    rows, columns = A.shape
    return columns >= _BLOCKED_MIN_COLUMNS and rows * columns >= _BLOCKED_MIN_ENTRIES


def row_blocked(A: np.ndarray, block: Callable[[slice], np.ndarray]) -> np.ndarray:
    """Aᵀ r where ``block(rows)`` computes the rows ``rows`` of r from the same rows of A: summed block by block,
    each block of A read twice while in cache (the logistic gradient: 0.70x of ``A.T @ r`` at n = 1e5, d = 500)."""
    rows, columns = A.shape
    step = max(64, _BLOCK_BYTES // (A.itemsize * columns))
    total = A[:step].T @ block(slice(0, step))
    for start in range(step, rows, step):
        part = slice(start, start + step)
        total += A[part].T @ block(part)
    return total


# One pass for several results (or a weighted Gram matrix) pays once A leaves the cache, at any number of columns
# (value, gradient and Hessian at n = 1e5: 0.58x of the three calls at d = 10, 0.78x at d = 100); blocks of at
# most 4096 rows (d = 10: 0.57x against 0.65x with 1 MB blocks). Below 2^14 rows and up to 16 MB (A and one
# temporary of its size fit the 32 MB last-level cache) the whole arrays measured faster than blocks, whose Python
# statements, small products and BLAS calls are paid once per block
# (2026-11-27, load 12, CPU time, medians of 21-41, shuffled order; whole / blocks): the value and gradient at
# n = 1e4, d = 64 0.81, d = 100 0.77, d = 200 0.91, n = 1.5e4, d = 100 0.70; the Hessian at n = 1e4, d = 100
# 0.94-0.98; value, gradient and Hessian there 0.93-0.95. Not from 2^14 rows (d = 50, n = 2e4: 1.04-1.06) nor past
# 16 MB (d = 500, n = 5e3: the value and gradient 1.10).
_SUMMED_MIN_ENTRIES = 1 << 19
_SUMMED_WHOLE_MAX_ROWS = 1 << 14
_SUMMED_WHOLE_MAX_BYTES = 1 << 24
_SUMMED_MAX_ROWS = 4096


def row_summing_pays(A: np.ndarray) -> bool:
    """Whether :func:`row_summed` beats computing the results from whole arrays, for A of this shape."""
    rows, columns = A.shape
    return rows * columns >= _SUMMED_MIN_ENTRIES and (rows >= _SUMMED_WHOLE_MAX_ROWS
                                                      or A.nbytes > _SUMMED_WHOLE_MAX_BYTES)


def row_summed(A: np.ndarray, block: Callable[[slice], tuple]) -> tuple:
    """The sums over blocks of A's rows of each result of ``block(rows)`` (a tuple), each block of A read from memory
    once for all of them. Logistic value, gradient and Hessian at n = 1e5, d = 100: 0.6x of the three computed
    whole."""
    rows, columns = A.shape
    step = min(_SUMMED_MAX_ROWS, max(64, _BLOCK_BYTES // (A.itemsize * columns)))
    totals = [np.array(part) for part in block(slice(0, step))]  # copies: the block's results may be views
    for start in range(step, rows, step):
        for total, part in zip(totals, block(slice(start, start + step))):
            total += part
    return tuple(totals)


def power_sum(B: np.ndarray, k: int, M: np.ndarray) -> np.ndarray:
    """Σ_{r=0}^{k−1} Bʳ M B^(k−1−r), by the recursion S₁ = M, S_(j+1) = B S_j + M Bʲ (2k products)."""
    total, power = M, np.eye(B.shape[0])
    for _ in range(k - 1):
        power = power @ B
        total = B @ total + M @ power
    return total


def commutation(m: int, n: int) -> np.ndarray:
    """Row i of K_(m,n) has its 1 in column (i // n) + m (i % n): K vec(A) = vec(Aᵀ) for A of shape (m, n)."""
    i = np.arange(m * n)
    return i // n + m * (i % n)
