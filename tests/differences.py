"""The independent side of the derivative tests: central finite differences on NumPy arrays."""
from __future__ import annotations

import numpy as np


def central_jacobian(f, at, step=1e-6):
    """∂vec f/∂vec(at)ᵀ by central differences (numerator layout, vec stacks columns)."""
    at = np.asarray(at, dtype=float)
    flat = at.ravel(order="F")
    columns = []
    for index in range(at.size):
        e = np.zeros(at.size)
        e[index] = step
        up, down = (np.ravel(f((flat + s * e).reshape(at.shape, order="F")), order="F") for s in (1, -1))
        columns.append((up - down) / (2 * step))
    return np.array(columns).T


def central_gradient(f, at, step=1e-6):
    """∇f of a scalar f, of the shape of ``at``."""
    return central_jacobian(lambda v: np.atleast_1d(f(v)), at, step).reshape(np.shape(at), order="F")
