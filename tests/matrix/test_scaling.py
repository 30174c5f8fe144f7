"""Derivation, NumPy export and LaTeX of a k-layer composition grow at most linearly in k (issue 17)."""
from __future__ import annotations

import numpy as np

import symml
from symml.testing import check_hessian
from tests.matrix.composition import X, hessian_timings, layered_loss, w

DEPTHS = range(1, 9)


def test_costs_grow_at_most_linearly_in_the_number_of_layers():
    hessian_timings(1)  # imports and caches warm
    times = {k: hessian_timings(k) for k in DEPTHS}
    for stage in ("derive", "numpy", "latex"):
        per_layer = max(times[k][stage] / k for k in (1, 2))
        for k in DEPTHS:
            # generous: CPU time on a shared machine, and printing grows with the printed size
            assert times[k][stage] <= 6 * k * per_layer + 0.05, (stage, k, times[k][stage], per_layer)
    assert sum(times[6].values()) < 2.0, times[6]


def test_deep_hessian_agrees_with_second_differences():
    # the 3-layer Hessian against mixed second differences of the same loss in plain NumPy
    hessian = symml.derive.hessian(layered_loss(3), w).numpy()
    rng = np.random.default_rng(17)
    Xv = rng.normal(size=(6, 3)) / 3

    def loss(point: np.ndarray) -> float:
        f = Xv @ point
        for _ in range(3):
            f = np.tanh(Xv @ (Xv.T @ f))
        return float(np.sum(f))

    assert check_hessian(loss, lambda point: hessian(X=Xv, w=point), rng.normal(size=3)) < 1e-5
