"""The k-layer composition of issue 17, shared by the scaling test and benchmarks/bench_matrix.py.

f₀ = X w, f_j = tanh(X (Xᵀ f_{j−1})) for j = 1..k, L = sum(f_k): each layer's value and 1 − f_j² reappear in the
gradient and Hessian, so an engine that expands the DAG into a tree (or prints it as one without care) grows
much faster than k.
"""
from __future__ import annotations

import gc
import time

import symml

n, d = symml.dims("n d")
X = symml.matrix("X", n, d)
w = symml.vector("w", d)


def layered_loss(k: int):
    """L = sum(f_k) with f₀ = X w and f_j = tanh(X (Xᵀ f_{j−1}))."""
    f = X @ w
    for _ in range(k):
        f = symml.tanh(X @ (X.T @ f))
    return symml.sum(f)


def hessian_timings(k: int) -> dict[str, float]:
    """CPU seconds to derive the Hessian of the k-layer loss, export it to NumPy and to LaTeX."""
    gc.collect()  # a full collection owed by earlier work would otherwise land in one of the timings at random
    start = time.process_time()
    hessian = symml.derive.hessian(layered_loss(k), w)
    derived = time.process_time()
    hessian.numpy()
    exported = time.process_time()
    hessian.latex()
    printed = time.process_time()
    return {"derive": derived - start, "numpy": exported - derived, "latex": printed - exported}
