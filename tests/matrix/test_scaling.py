"""Derivation, NumPy export and LaTeX of a k-layer composition grow at most linearly in k (issue 17)."""
from __future__ import annotations

import statistics

import numpy as np

import symml
from symml.testing import check_gradient, check_hessian
from tests.matrix.composition import X, hessian_timings, layered_loss, w


def test_costs_grow_at_most_linearly_in_the_number_of_layers():
    hessian_timings(1)  # imports and caches warm
    rounds = [{k: hessian_timings(k) for k in (4, 6, 8)} for _ in range(3)]
    for stage in ("derive", "numpy", "latex"):
        median = {k: statistics.median(times[k][stage] for times in rounds) for k in (4, 8)}
        # linear with a non-negative intercept: twice the layers take at most twice the time (measured 1.8-2.0x);
        # generous for CPU time on a shared machine, while k² growth would give 4x
        assert median[8] <= 2.6 * median[4] + 0.002, (stage, median)
    assert statistics.median(sum(times[6].values()) for times in rounds) < 2.0


def _plain_numpy_loss(Xv: np.ndarray, k: int):
    """The k-layer loss written directly in NumPy: the reference for finite differences."""
    def loss(point: np.ndarray) -> float:
        f = Xv @ point
        for _ in range(k):
            f = np.tanh(Xv @ (Xv.T @ f))
        return float(np.sum(f))

    return loss


def test_deep_hessian_agrees_with_second_differences():
    # the 3-layer Hessian against mixed second differences of the same loss in plain NumPy
    hessian = symml.derive.hessian(layered_loss(3), w).numpy()
    rng = np.random.default_rng(17)
    Xv = rng.normal(size=(6, 3)) / 3
    assert check_hessian(_plain_numpy_loss(Xv, 3), lambda point: hessian(X=Xv, w=point), rng.normal(size=3)) < 1e-5


def test_printed_and_generated_sizes_grow_linearly_in_the_number_of_layers():
    # shared subexpressions by name in the LaTeX, by local variable in the code: a tree would grow like k²
    sizes = {}
    for k in (2, 4, 8):
        hessian = symml.derive.hessian(layered_loss(k), w)
        sizes[k] = {"latex": len(hessian.latex()), "numpy": len(hessian.numpy().source)}
    for output in ("latex", "numpy"):
        per_layer = (sizes[4][output] - sizes[2][output]) / 2
        assert (sizes[8][output] - sizes[4][output]) / 4 <= 1.5 * per_layer, (output, sizes)


def test_deep_gradient_agrees_with_finite_differences():
    gradient = symml.derive.gradient(layered_loss(4), w).numpy()
    rng = np.random.default_rng(4)
    Xv = rng.normal(size=(7, 3)) / 3
    assert check_gradient(_plain_numpy_loss(Xv, 4), lambda point: gradient(X=Xv, w=point), rng.normal(size=3)) < 1e-6
